//! Watch items about endpoints: those that failed (or did not answer) in
//! recent rechecks, counted over the last [`HISTORY_WINDOW`] runs that
//! probed them, and those that answered slowly in the latest run.

use handover_model::{Cause, Finding, Project, Run, Severity, WatchItem};

use super::{
    duration_text, finding_in, measure, owner_for_check, previous_measure, risk_of_severity, trend,
    HISTORY_WINDOW,
};
use crate::report::ReportInput;

/// An endpoint answer slower than this (ms) is watched, as the uptime
/// check judges it slow.
pub const SLOW_MS: f64 = 2000.0;

/// The checks whose per-endpoint failures are counted over recent runs.
const ENDPOINT_CHECKS: [&str; 2] = ["uptime.endpoints", "smoke.endpoints"];

/// The name of the project's endpoint at `target`, e.g. `API health`.
fn endpoint_name(project: &Project, target: &str) -> Option<&'static str> {
    let url = url::Url::parse(target).ok()?;
    let path = match url.query() {
        Some(q) => format!("{}?{q}", url.path()),
        None => url.path().to_string(),
    };
    project
        .spec
        .endpoints
        .iter()
        .find(|e| e.path == path || e.path == target || e.path == url.path())
        .map(|e| e.role.label())
}

/// How an endpoint fared in one run: failed, did not answer, or fine.
fn failed(f: &Finding) -> (bool, bool) {
    let unanswered = matches!(
        f.outcome.cause(),
        Some(Cause::Unreachable | Cause::TimedOut)
    );
    let judged_bad = !f.outcome.is_inconclusive() && f.severity >= Severity::High;
    (judged_bad, unanswered)
}

/// Failures of `check` on `target` over the last [`HISTORY_WINDOW`] runs
/// that probed it, from `runs` (newest first): (failed, no answer, probed).
fn failures(runs: &[Run], check: &str, target: &str) -> (usize, usize, usize) {
    let window: Vec<&Finding> = runs
        .iter()
        .filter_map(|run| finding_in(run, check, target))
        .take(HISTORY_WINDOW)
        .collect();
    let bad = window.iter().filter(|f| failed(f).0).count();
    let silent = window.iter().filter(|f| failed(f).1).count();
    (bad, silent, window.len())
}

/// Endpoints that failed (or did not answer) in some of the recent runs.
pub(super) fn failures_of(input: &ReportInput, latest: &Run) -> Vec<WatchItem> {
    let mut out = Vec::new();
    for f in latest
        .findings
        .iter()
        .filter(|f| ENDPOINT_CHECKS.contains(&f.check.as_str()))
    {
        let key = format!("{}:{}", f.check, f.target);
        if out.iter().any(|i: &WatchItem| i.key == key) {
            continue;
        }
        let (bad, silent, probed) = failures(input.runs, &f.check, &f.target);
        if bad + silent == 0 {
            continue;
        }
        let name = endpoint_name(input.project, &f.target)
            .map(|n| format!("The {n} endpoint"))
            .unwrap_or_else(|| f.target.clone());
        let how = match (bad, silent) {
            (b, 0) => format!("failed {b} of the last {probed} runs"),
            (0, s) => format!("did not answer in {s} of the last {probed} runs"),
            (b, s) => format!("failed {b} and did not answer {s} of the last {probed} runs"),
        };
        let previous = input.runs.get(1).and_then(|run| {
            finding_in(run, &f.check, &f.target)?;
            let (b, s, _) = failures(&input.runs[1..], &f.check, &f.target);
            Some(((b + s) as f64, super::run_date(run)))
        });
        let (now_bad, now_silent) = failed(f);
        let worst = input
            .runs
            .iter()
            .filter_map(|run| finding_in(run, &f.check, &f.target))
            .take(HISTORY_WINDOW)
            .filter(|g| !g.outcome.is_inconclusive())
            .map(|g| g.severity)
            .max()
            .unwrap_or(Severity::High);
        out.push(WatchItem {
            key,
            title: format!("{name} {how}"),
            metric: format!("{} failures", f.check),
            current: format!("{} of {probed} runs", bad + silent),
            threshold: format!("0 of {probed}"),
            trend: trend(previous, (bad + silent) as f64, true),
            owner: owner_for_check(input, &f.check),
            due: None,
            next_action: "Read the failing runs' evidence beside the server logs of those times → fix the cause, then watch the next rechecks".into(),
            urgency: if now_bad || now_silent { 1 } else { 2 },
            risk: risk_of_severity(worst.max(Severity::High)),
        });
    }
    out
}

/// An endpoint that answered slowly in the latest run.
pub(super) fn slow(input: &ReportInput, f: &Finding) -> Option<WatchItem> {
    let total = measure(f, "total_ms")?;
    if total <= SLOW_MS {
        return None;
    }
    let name = endpoint_name(input.project, &f.target)
        .map(|n| format!("The {n} endpoint"))
        .unwrap_or_else(|| f.target.clone());
    let key = format!("{}.slow:{}", f.check, f.target);
    Some(WatchItem {
        title: format!(
            "{name} took {} to answer (over {})",
            duration_text(total),
            duration_text(SLOW_MS)
        ),
        metric: "answer time".into(),
        current: duration_text(total),
        threshold: format!("≤ {}", duration_text(SLOW_MS)),
        trend: trend(
            previous_measure(input.runs, &f.check, &f.target, "total_ms"),
            total,
            true,
        ),
        owner: owner_for_check(input, &f.check),
        due: None,
        next_action:
            "Look at what the endpoint waits on (database, upstream calls) → get it under 2 s"
                .into(),
        urgency: 3,
        risk: 3,
        key,
    })
}
