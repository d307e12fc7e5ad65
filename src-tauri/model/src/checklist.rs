//! The launch-audit checklist: seven stages, the items inside them, and the
//! advisory notes that keep a team from overbuilding.
//!
//! These types mirror `assets/checklist.toml` field for field, so the catalog
//! file and the window read the same shape. Field names are single words or
//! snake_case on purpose: the TOML file and the IPC payload use the same keys.

use serde::{Deserialize, Serialize};

/// How much an open item threatens the launch; `Blocker` sorts first.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Risk {
    /// Launch must not happen while this is open.
    Blocker,
    /// Likely to hurt users or the business soon after launch.
    High,
    /// Worth fixing in the first weeks.
    Medium,
    /// Nice to have; fix when convenient.
    Low,
}

/// Whether a person confirms an item or Handover checks it itself.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum ItemKind {
    /// A person verifies it and records the result.
    Manual,
    /// Named checks verify it; see [`ChecklistItem::checks`].
    Automated,
}

/// One of the seven stages of the launch audit.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Stage {
    /// Stable kebab-case id, e.g. `quick-audit`.
    pub id: String,
    /// Position in the walkthrough, 1 to 7.
    pub number: u8,
    /// Short display title.
    pub title: String,
    /// What the stage sets out to achieve.
    pub goal: String,
    /// What the team holds in hand when the stage is done.
    pub deliverable: String,
    /// Signs that the stage has not really been completed.
    pub failure_signals: Vec<String>,
}

/// One thing to verify before launch.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ChecklistItem {
    /// Stable kebab-case id, unique across the catalog.
    pub id: String,
    /// Id of the [`Stage`] this item belongs to.
    pub stage: String,
    /// Short display title.
    pub title: String,
    /// Why it matters, in one or two sentences.
    pub why: String,
    /// How to verify it, concretely.
    pub verify: String,
    /// How much it threatens the launch while open.
    pub risk: Risk,
    /// Manual, or automated by the checks listed in [`Self::checks`].
    pub kind: ItemKind,
    /// Ids of the automated checks that verify this item; empty when manual.
    #[serde(default)]
    pub checks: Vec<String>,
    /// Labels such as `minimum-bar`, `automate` or `fallback`.
    #[serde(default)]
    pub tags: Vec<String>,
    /// Set by the core, never by the catalog file: an automated item whose
    /// checks Handover does not implement yet; a person decides it for now.
    #[serde(default)]
    pub not_automated_yet: bool,
}

/// A "do not overbuild" note: advice, not something to pass or fail.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Advisory {
    /// Stable kebab-case id.
    pub id: String,
    /// Short display title.
    pub title: String,
    /// The advice itself.
    pub note: String,
}

/// The whole checklist as shipped in `assets/checklist.toml`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Catalog {
    /// The stages, in walkthrough order.
    #[serde(rename = "stage")]
    pub stages: Vec<Stage>,
    /// Every item, each naming its stage.
    #[serde(rename = "item")]
    pub items: Vec<ChecklistItem>,
    /// Advice on what not to build before launch.
    #[serde(rename = "advisory", default)]
    pub advisories: Vec<Advisory>,
}

/// Well-known item tags.
pub mod tag {
    /// Part of the ten-point minimum bar every launch must clear.
    pub const MINIMUM_BAR: &str = "minimum-bar";
    /// One of the seven things worth automating.
    pub const AUTOMATE: &str = "automate";
    /// Covers the fallback rule: a useful answer when the model or backend fails.
    pub const FALLBACK: &str = "fallback";
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn blocker_sorts_before_low() {
        let mut risks = vec![Risk::Low, Risk::Medium, Risk::Blocker, Risk::High];
        risks.sort();
        assert_eq!(risks, [Risk::Blocker, Risk::High, Risk::Medium, Risk::Low]);
    }

    #[test]
    fn risk_and_kind_serialise_in_lowercase() {
        assert_eq!(
            serde_json::to_string(&Risk::Blocker).unwrap(),
            "\"blocker\""
        );
        assert_eq!(
            serde_json::to_string(&ItemKind::Automated).unwrap(),
            "\"automated\""
        );
    }

    #[test]
    fn missing_checks_and_tags_default_to_empty() {
        let item: ChecklistItem = serde_json::from_str(
            r#"{"id":"a","stage":"s","title":"t","why":"w","verify":"v",
                "risk":"low","kind":"manual"}"#,
        )
        .unwrap();
        assert!(item.checks.is_empty());
        assert!(item.tags.is_empty());
    }
}
