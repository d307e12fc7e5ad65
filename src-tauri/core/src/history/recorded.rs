//! Recorded runs for the history tests: findings and runs built by hand.

use handover_model::{Cause, Finding, Run, RunSource, RunSummary, Severity};

use crate::checks::{finding, inconclusive, measure};

/// A week, ms.
pub const WEEK_MS: i64 = 7 * 86_400_000;

/// A judged finding of `check` on `target` with `measures` (name, value, unit).
pub fn judged(
    check: &str,
    target: &str,
    severity: Severity,
    measures: &[(&str, f64, &str)],
) -> Finding {
    let mut f = finding(
        check,
        target,
        severity,
        format!("{check} is {}", severity.as_str()),
        "",
    );
    f.measured = measures.iter().map(|(n, v, u)| measure(n, *v, u)).collect();
    f
}

/// A finding of `check` on `target` that could not judge (no answer).
pub fn could_not(check: &str, target: &str) -> Finding {
    inconclusive(
        check,
        target,
        Cause::Unreachable,
        format!("{target} did not answer"),
    )
}

/// Run `id` of project 1, started `id` weeks after the epoch.
pub fn run(id: i64, findings: Vec<Finding>) -> Run {
    let (counts, inconclusive) = crate::checks::counts(&findings);
    Run {
        summary: RunSummary {
            id,
            project_id: Some(1),
            started_ms: id * WEEK_MS,
            finished_ms: id * WEEK_MS + 1000,
            counts,
            inconclusive,
            source: RunSource::Window,
            subject: "P".into(),
        },
        findings,
    }
}

/// `runs` (oldest first) before the last, newest first.
pub fn before_last(runs: &[Run]) -> Vec<Run> {
    runs[..runs.len() - 1].iter().rev().cloned().collect()
}
