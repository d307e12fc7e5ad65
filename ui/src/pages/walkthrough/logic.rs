//! The walkthrough's pure logic: which item to select, moving between items
//! and stages, the core's counts of a stage, the item being edited, and
//! history lines.

use handover_model::{
    Catalog, ChecklistItem, HistoryEntry, ItemState, ItemStatus, ItemUpdateRequest, StageProgress,
};

/// The items of one stage, in catalog order.
pub fn stage_items<'a>(catalog: &'a Catalog, stage_id: &str) -> Vec<&'a ChecklistItem> {
    catalog
        .items
        .iter()
        .filter(|i| i.stage == stage_id)
        .collect()
}

/// An item's status; items with no state yet are to do.
pub fn status_of(states: &[ItemState], item_id: &str) -> ItemStatus {
    states
        .iter()
        .find(|s| s.item_id == item_id)
        .map_or(ItemStatus::Todo, |s| s.status)
}

/// A stage's items decided and all its items, as the core counted them;
/// `None` while the core's counts are not known.
pub fn stage_ratio(stages: &[StageProgress], stage_id: &str) -> Option<(u32, u32)> {
    stages
        .iter()
        .find(|s| s.stage_id == stage_id)
        .map(|s| (s.done, s.total))
}

/// An item's "could not check: …" note from the last run; empty when none.
pub fn could_not_check_of(states: &[ItemState], item_id: &str) -> String {
    states
        .iter()
        .find(|s| s.item_id == item_id)
        .map(|s| s.could_not_check.trim().to_string())
        .unwrap_or_default()
}

/// The item to select on entering a stage: the one remembered for it if it
/// is still there, else the first open item, else the first item.
pub fn initial_selection(
    items: &[(String, ItemStatus)],
    remembered: Option<&str>,
) -> Option<String> {
    if let Some(id) = remembered {
        if items.iter().any(|(item, _)| item == id) {
            return Some(id.to_string());
        }
    }
    items
        .iter()
        .find(|(_, status)| status.is_open())
        .or_else(|| items.first())
        .map(|(id, _)| id.clone())
}

/// The id `step` places after `current` in `ids` (negative: before),
/// stopping at either end. With nothing selected, the first id.
pub fn neighbour(ids: &[String], current: Option<&str>, step: isize) -> Option<String> {
    let Some(at) = current.and_then(|c| ids.iter().position(|id| id == c)) else {
        return ids.first().cloned();
    };
    let last = ids.len().saturating_sub(1) as isize;
    let to = (at as isize + step).clamp(0, last) as usize;
    ids.get(to).cloned()
}

/// What the detail pane is editing: the item's fields as typed so far.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Draft {
    /// Status.
    pub status: ItemStatus,
    /// Waiver reason (kept while another status is chosen, sent only when waived).
    pub waiver_reason: String,
    /// Owner.
    pub owner: String,
    /// Notes.
    pub notes: String,
    /// Evidence links.
    pub evidence: Vec<String>,
}

impl Draft {
    /// The draft of a saved state.
    pub fn from_state(state: &ItemState) -> Self {
        Draft {
            status: state.status,
            waiver_reason: state.waiver_reason.clone(),
            owner: state.owner.clone(),
            notes: state.notes.clone(),
            evidence: state.evidence.clone(),
        }
    }

    /// Waived without a reason: the backend would refuse it.
    pub fn needs_reason(&self) -> bool {
        self.status == ItemStatus::Waived && self.waiver_reason.trim().is_empty()
    }

    /// Evidence with blank rows dropped and links trimmed.
    pub fn clean_evidence(&self) -> Vec<String> {
        self.evidence
            .iter()
            .map(|e| e.trim().to_string())
            .filter(|e| !e.is_empty())
            .collect()
    }

    /// The update request saving this draft.
    pub fn request(&self, project_id: i64, item_id: &str) -> ItemUpdateRequest {
        ItemUpdateRequest {
            project_id,
            item_id: item_id.to_string(),
            status: self.status,
            waiver_reason: if self.status == ItemStatus::Waived {
                self.waiver_reason.trim().to_string()
            } else {
                String::new()
            },
            owner: self.owner.trim().to_string(),
            notes: self.notes.clone(),
            evidence: self.clean_evidence(),
        }
    }

    /// Whether saving would change nothing.
    pub fn matches(&self, state: &ItemState) -> bool {
        let request = self.request(0, "");
        request.status == state.status
            && request.waiver_reason == state.waiver_reason
            && request.owner == state.owner
            && request.notes == state.notes
            && request.evidence == state.evidence
    }
}

/// One history entry as a sentence, e.g. `Status: To do → Pass`.
pub fn describe_change(entry: &HistoryEntry) -> String {
    let status =
        |s: &str| ItemStatus::parse(s).map_or_else(|| s.to_string(), |s| s.label().to_string());
    match entry.field.as_str() {
        "status" => format!("Status: {} → {}", status(&entry.from), status(&entry.to)),
        "could_not_check" if entry.to.trim().is_empty() => "A run judged it again".to_string(),
        "could_not_check" => format!("A run {}", shorten(&entry.to)),
        "evidence" => {
            let count = |s: &str| s.lines().filter(|l| !l.trim().is_empty()).count();
            format!(
                "Evidence: {} → {} links",
                count(&entry.from),
                count(&entry.to)
            )
        }
        field => {
            let name = match field {
                "waiver_reason" => "Waiver reason",
                "owner" => "Owner",
                "notes" => "Notes",
                other => other,
            };
            match (entry.from.is_empty(), entry.to.is_empty()) {
                (_, true) => format!("{name} cleared"),
                (true, false) => format!("{name} set to “{}”", shorten(&entry.to)),
                (false, false) => format!("{name} changed to “{}”", shorten(&entry.to)),
            }
        }
    }
}

fn shorten(text: &str) -> String {
    const MAX: usize = 80;
    let line = text.lines().next().unwrap_or_default();
    if line.chars().count() > MAX || text.lines().count() > 1 {
        let cut: String = line.chars().take(MAX).collect();
        format!("{}…", cut.trim_end())
    } else {
        line.to_string()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ids(list: &[&str]) -> Vec<String> {
        list.iter().map(|s| s.to_string()).collect()
    }

    fn items(list: &[(&str, ItemStatus)]) -> Vec<(String, ItemStatus)> {
        list.iter().map(|(id, s)| (id.to_string(), *s)).collect()
    }

    #[test]
    fn entering_a_stage_selects_remembered_then_open_then_first() {
        let list = items(&[
            ("a", ItemStatus::Pass),
            ("b", ItemStatus::Fail),
            ("c", ItemStatus::Todo),
        ]);
        assert_eq!(initial_selection(&list, Some("c")).as_deref(), Some("c"));
        assert_eq!(initial_selection(&list, Some("gone")).as_deref(), Some("b"));
        assert_eq!(initial_selection(&list, None).as_deref(), Some("b"));
        let decided = items(&[("a", ItemStatus::Pass), ("b", ItemStatus::Waived)]);
        assert_eq!(initial_selection(&decided, None).as_deref(), Some("a"));
        assert_eq!(initial_selection(&[], None), None);
    }

    #[test]
    fn moving_between_items_stops_at_the_ends() {
        let list = ids(&["a", "b", "c"]);
        assert_eq!(neighbour(&list, Some("a"), 1).as_deref(), Some("b"));
        assert_eq!(neighbour(&list, Some("c"), 1).as_deref(), Some("c"));
        assert_eq!(neighbour(&list, Some("a"), -1).as_deref(), Some("a"));
        assert_eq!(neighbour(&list, Some("c"), -1).as_deref(), Some("b"));
        assert_eq!(neighbour(&list, None, 1).as_deref(), Some("a"));
        assert_eq!(neighbour(&[], None, 1), None);
    }

    fn state(status: ItemStatus) -> ItemState {
        ItemState {
            item_id: "x".to_string(),
            status,
            ..ItemState::default()
        }
    }

    #[test]
    fn drafts_send_a_reason_only_when_waived() {
        let mut draft = Draft::from_state(&state(ItemStatus::Todo));
        draft.waiver_reason = "  later  ".to_string();
        draft.evidence = ids(&[" https://a.example ", "", "  "]);
        let request = draft.request(3, "x");
        assert_eq!(request.waiver_reason, "");
        assert_eq!(request.evidence, ["https://a.example"]);
        draft.status = ItemStatus::Waived;
        assert_eq!(draft.request(3, "x").waiver_reason, "later");
        assert!(!draft.needs_reason());
        draft.waiver_reason = " ".to_string();
        assert!(draft.needs_reason());
    }

    #[test]
    fn a_draft_matches_its_saved_state_modulo_blank_rows() {
        let saved = state(ItemStatus::Pass);
        let mut draft = Draft::from_state(&saved);
        assert!(draft.matches(&saved));
        draft.evidence.push(String::new());
        assert!(draft.matches(&saved));
        draft.owner = "sam".to_string();
        assert!(!draft.matches(&saved));
    }

    fn entry(field: &str, from: &str, to: &str) -> HistoryEntry {
        HistoryEntry {
            item_id: "x".to_string(),
            field: field.to_string(),
            from: from.to_string(),
            to: to.to_string(),
            actor: "sam".to_string(),
            at_ms: 0,
        }
    }

    #[test]
    fn stage_counts_and_notes_are_the_core_s() {
        let stages = vec![StageProgress {
            stage_id: "quick-audit".to_string(),
            number: 1,
            title: "Quick audit".to_string(),
            total: 9,
            done: 4,
            failed: 1,
            open_blockers: 2,
            inconclusive: 3,
        }];
        assert_eq!(stage_ratio(&stages, "quick-audit"), Some((4, 9)));
        assert_eq!(stage_ratio(&stages, "handover"), None);
        assert_eq!(stage_ratio(&[], "quick-audit"), None);
        let mut states = vec![state(ItemStatus::Todo)];
        assert_eq!(could_not_check_of(&states, "x"), "");
        states[0].could_not_check = " could not check: refused ".to_string();
        assert_eq!(could_not_check_of(&states, "x"), "could not check: refused");
        assert_eq!(could_not_check_of(&states, "y"), "");
    }

    #[test]
    fn history_entries_read_as_sentences() {
        assert_eq!(
            describe_change(&entry("status", "todo", "not_applicable")),
            "Status: To do → Not applicable"
        );
        assert_eq!(
            describe_change(&entry("owner", "", "sam")),
            "Owner set to “sam”"
        );
        assert_eq!(describe_change(&entry("owner", "sam", "")), "Owner cleared");
        assert_eq!(
            describe_change(&entry("notes", "a", "b\nc")),
            "Notes changed to “b…”"
        );
        assert_eq!(
            describe_change(&entry("evidence", "https://a", "https://a\nhttps://b")),
            "Evidence: 1 → 2 links"
        );
        assert_eq!(
            describe_change(&entry("could_not_check", "", "could not check: refused")),
            "A run could not check: refused"
        );
        assert_eq!(
            describe_change(&entry("could_not_check", "could not check: refused", "")),
            "A run judged it again"
        );
    }
}
