//! Names and words for the model's enums, as the pages show them.

use handover_model::{FindingLevel, ItemStatus, KeychainStatus, Risk, Verdict};

/// The wire name of a risk, e.g. `blocker` (also its CSS modifier).
pub fn risk_name(risk: Risk) -> &'static str {
    match risk {
        Risk::Blocker => "blocker",
        Risk::High => "high",
        Risk::Medium => "medium",
        Risk::Low => "low",
    }
}

/// A risk for people, e.g. `Blocker`.
pub fn risk_label(risk: Risk) -> &'static str {
    match risk {
        Risk::Blocker => "Blocker",
        Risk::High => "High",
        Risk::Medium => "Medium",
        Risk::Low => "Low",
    }
}

/// `go` or `no_go`, as the verdict's `data-verdict` attribute says it.
pub fn verdict_wire(verdict: Verdict) -> &'static str {
    match verdict {
        Verdict::Go => "go",
        Verdict::NoGo => "no_go",
    }
}

/// `Go` or `No-go`.
pub fn verdict_label(verdict: Verdict) -> &'static str {
    match verdict {
        Verdict::Go => "Go",
        Verdict::NoGo => "No-go",
    }
}

/// The verdict a project has with this many open blockers.
pub fn verdict_for(open_blockers: u32) -> Verdict {
    if open_blockers == 0 {
        Verdict::Go
    } else {
        Verdict::NoGo
    }
}

/// A one-character mark for a status, shown next to its label.
pub fn status_glyph(status: ItemStatus) -> &'static str {
    match status {
        ItemStatus::Todo => "○",
        ItemStatus::Pass => "✓",
        ItemStatus::Fail => "✕",
        ItemStatus::Waived => "↷",
        ItemStatus::NotApplicable => "–",
    }
}

/// The wire name of a handover finding's level, e.g. `blocker` (also its CSS modifier).
pub fn level_name(level: FindingLevel) -> &'static str {
    match level {
        FindingLevel::Blocker => "blocker",
        FindingLevel::High => "high",
        FindingLevel::Watch => "watch",
    }
}

/// A finding level for people, e.g. `Blocker`.
pub fn level_label(level: FindingLevel) -> &'static str {
    match level {
        FindingLevel::Blocker => "Blocker",
        FindingLevel::High => "High",
        FindingLevel::Watch => "Watch",
    }
}

/// The keychain's state as its `data-state` attribute says it:
/// `available`, `locked` or `unavailable`.
pub fn keychain_state(status: &KeychainStatus) -> &'static str {
    match status {
        KeychainStatus::Available { .. } => "available",
        KeychainStatus::Locked { .. } => "locked",
        KeychainStatus::Unavailable { .. } => "unavailable",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finding_levels_and_keychain_states_have_wire_names() {
        assert_eq!(level_name(FindingLevel::Blocker), "blocker");
        assert_eq!(level_name(FindingLevel::Watch), "watch");
        assert_eq!(level_label(FindingLevel::High), "High");
        let locked = KeychainStatus::Locked {
            store: "Secret Service".into(),
            detail: "locked".into(),
        };
        assert_eq!(keychain_state(&locked), "locked");
        let none = KeychainStatus::Unavailable {
            detail: "no bus".into(),
        };
        assert_eq!(keychain_state(&none), "unavailable");
    }

    #[test]
    fn risk_names_are_the_lowercase_wire_names() {
        let names: Vec<_> = [Risk::Blocker, Risk::High, Risk::Medium, Risk::Low]
            .into_iter()
            .map(risk_name)
            .collect();
        assert_eq!(names, ["blocker", "high", "medium", "low"]);
        assert_eq!(risk_label(Risk::Medium), "Medium");
    }

    #[test]
    fn verdict_names_are_the_snake_case_wire_names() {
        assert_eq!(verdict_wire(Verdict::Go), "go");
        assert_eq!(verdict_wire(Verdict::NoGo), "no_go");
        assert_eq!(verdict_label(Verdict::Go), "Go");
        assert_eq!(verdict_label(Verdict::NoGo), "No-go");
    }

    #[test]
    fn open_blockers_decide_the_verdict() {
        assert_eq!(verdict_for(0), Verdict::Go);
        assert_eq!(verdict_for(2), Verdict::NoGo);
    }

    #[test]
    fn every_status_has_a_distinct_glyph() {
        let mut glyphs: Vec<_> = ItemStatus::ALL.iter().map(|s| status_glyph(*s)).collect();
        glyphs.sort_unstable();
        glyphs.dedup();
        assert_eq!(glyphs.len(), ItemStatus::ALL.len());
    }
}
