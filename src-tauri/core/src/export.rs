//! A project as one JSON document: everything Handover knows about it except
//! secrets, which stay in the keychain (credentials appear as metadata only).

use handover_model::{Account, Contact, HistoryEntry, ItemState, Overview, Project};
use serde::Serialize;

/// The `format` value of an export; bumped when the shape changes incompatibly.
pub const FORMAT: &str = "handover-export/1";

/// Everything about one project, for archiving or handing over.
#[derive(Debug, Clone, Serialize)]
pub struct ProjectExport {
    /// Always [`FORMAT`].
    pub format: &'static str,
    /// When it was made, ms since the epoch.
    pub exported_ms: i64,
    /// The project as described.
    pub project: Project,
    /// Verdict, ranked open items, stage progress and handover gaps.
    pub overview: Overview,
    /// Every item that has been touched.
    pub items: Vec<ItemState>,
    /// Every recorded change, newest first.
    pub history: Vec<HistoryEntry>,
    /// Accounts with their owners and credential metadata (no secrets).
    pub accounts: Vec<Account>,
    /// Alert contacts.
    pub contacts: Vec<Contact>,
}
