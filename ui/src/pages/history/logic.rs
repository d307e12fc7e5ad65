//! Words for what the core computed: diff states, severity changes, metric
//! deltas (`p95 2.1 s → 2.8 s`), weekdays. Nothing here judges a finding;
//! plain functions, tested natively.

use handover_model::{DiffCounts, DiffState, MetricDelta, Severity};

/// The order the page lists states in: what needs attention first.
pub const STATES: [DiffState; 5] = [
    DiffState::New,
    DiffState::Regressed,
    DiffState::Resolved,
    DiffState::Unknown,
    DiffState::Persisting,
];

/// Weekday names, 1 = Monday … 7 = Sunday (ISO 8601), as the schedule counts.
pub const WEEKDAYS: [(u8, &str); 7] = [
    (1, "Monday"),
    (2, "Tuesday"),
    (3, "Wednesday"),
    (4, "Thursday"),
    (5, "Friday"),
    (6, "Saturday"),
    (7, "Sunday"),
];

/// Runs are kept this many days unless the setting says otherwise.
pub const DEFAULT_RETENTION_DAYS: u32 = 730;

/// A state as people read it.
pub fn state_label(state: DiffState) -> &'static str {
    match state {
        DiffState::New => "New",
        DiffState::Regressed => "Regressed",
        DiffState::Resolved => "Resolved",
        DiffState::Unknown => "Could not check",
        DiffState::Persisting => "Persisting",
    }
}

/// How many entries of `state` the core counted.
pub fn count_of(counts: &DiffCounts, state: DiffState) -> u32 {
    match state {
        DiffState::New => counts.new,
        DiffState::Regressed => counts.regressed,
        DiffState::Resolved => counts.resolved,
        DiffState::Unknown => counts.unknown,
        DiffState::Persisting => counts.persisting,
    }
}

/// A severity in lower case, for `medium → high`.
fn severity_word(severity: Severity) -> &'static str {
    severity.as_str()
}

/// `medium → high`; a side the core left empty reads `none` before and
/// `not judged` after (gone, or could not be checked).
pub fn severity_change(before: Option<Severity>, after: Option<Severity>) -> String {
    let before = before.map_or("none", severity_word);
    let after = after.map_or("not judged", severity_word);
    format!("{before} → {after}")
}

/// A measure's name as people read it: `p95_ms` → `p95`, `days_left` →
/// `days left`.
pub fn metric_name(name: &str) -> String {
    let name = name.strip_suffix("_ms").unwrap_or(name);
    name.replace('_', " ")
}

/// One value in its unit: milliseconds from a second up read in seconds
/// (`2.1 s`), days as whole days, anything else to one decimal at most.
pub fn metric_value(value: f64, unit: &str) -> String {
    match unit {
        "ms" if value.abs() >= 1_000.0 => format!("{:.1} s", value / 1_000.0),
        "ms" => format!("{value:.0} ms"),
        "days" | "day" => {
            let days = value.round();
            if days.abs() == 1.0 {
                format!("{days:.0} day")
            } else {
                format!("{days:.0} days")
            }
        }
        "" => number(value),
        unit => format!("{} {unit}", number(value)),
    }
}

fn number(value: f64) -> String {
    if value.fract() == 0.0 {
        format!("{value:.0}")
    } else {
        format!("{value:.1}")
    }
}

/// `p95 2.1 s → 2.8 s`; a side that was not measured reads `—`.
pub fn delta_text(delta: &MetricDelta) -> String {
    let side = |v: Option<f64>| v.map_or("—".to_string(), |v| metric_value(v, &delta.unit));
    format!(
        "{} {} → {}",
        metric_name(&delta.name),
        side(delta.before),
        side(delta.after)
    )
}

/// Parses the retention field: whole days from 1 up.
pub fn parse_days(text: &str) -> Option<u32> {
    text.trim().parse().ok().filter(|d| *d > 0)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn delta(name: &str, unit: &str, before: Option<f64>, after: Option<f64>) -> MetricDelta {
        MetricDelta {
            name: name.into(),
            unit: unit.into(),
            before,
            after,
        }
    }

    #[test]
    fn metric_deltas_read_in_human_units() {
        assert_eq!(
            delta_text(&delta("p95_ms", "ms", Some(2_100.0), Some(2_800.0))),
            "p95 2.1 s → 2.8 s"
        );
        assert_eq!(
            delta_text(&delta("p95_ms", "ms", Some(180.0), Some(240.4))),
            "p95 180 ms → 240 ms"
        );
        assert_eq!(
            delta_text(&delta("days_left", "days", Some(31.0), Some(1.0))),
            "days left 31 days → 1 day"
        );
        assert_eq!(
            delta_text(&delta("score", "", None, Some(72.5))),
            "score — → 72.5"
        );
    }

    #[test]
    fn severity_changes_name_both_sides() {
        assert_eq!(
            severity_change(Some(Severity::Medium), Some(Severity::High)),
            "medium → high"
        );
        assert_eq!(
            severity_change(None, Some(Severity::Blocker)),
            "none → blocker"
        );
        assert_eq!(
            severity_change(Some(Severity::High), None),
            "high → not judged"
        );
    }

    #[test]
    fn states_are_listed_once_with_their_counts() {
        let counts = DiffCounts {
            new: 1,
            regressed: 2,
            persisting: 3,
            unknown: 4,
            resolved: 5,
        };
        let total: u32 = STATES.iter().map(|s| count_of(&counts, *s)).sum();
        assert_eq!(total, 15);
        assert_eq!(state_label(DiffState::Unknown), "Could not check");
        assert_eq!(STATES[1], DiffState::Regressed);
    }

    #[test]
    fn weekdays_and_retention_fields() {
        assert_eq!(WEEKDAYS[2], (3, "Wednesday"));
        assert_eq!(parse_days(" 365 "), Some(365));
        assert_eq!(parse_days("0"), None);
        assert_eq!(parse_days("two years"), None);
    }
}
