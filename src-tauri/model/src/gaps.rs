//! Accounts grouped by service kind, with the handover gap of each required
//! kind, as the core decides them (the window only shows them).

use serde::{Deserialize, Serialize};

use crate::accounts::ServiceKind;

/// Why a required kind blocks the handover.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum KindGap {
    /// No account of this kind is recorded.
    NoAccount,
    /// Accounts are recorded, but none names an owner.
    NoOwner,
}

impl KindGap {
    /// The sentence shown on the group.
    pub fn sentence(self) -> &'static str {
        match self {
            KindGap::NoAccount => "No account recorded yet. Launch waits until someone owns it.",
            KindGap::NoOwner => {
                "No account here names an owner. Launch waits until someone owns it."
            }
        }
    }
}

/// The accounts of one service kind, and its gap.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct KindGroup {
    /// The kind.
    pub kind: ServiceKind,
    /// Whether every product needs an owned account of this kind.
    pub required: bool,
    /// Its accounts' ids, in the view's account order.
    pub account_ids: Vec<i64>,
    /// Why this required kind is a launch gap, if it is one.
    pub gap: Option<KindGap>,
}
