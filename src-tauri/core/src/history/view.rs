//! The History page's data.
//!
//! - one point per run: judged findings by severity (blocker, high, medium,
//!   low) and how many could not be checked;
//! - the diff of the latest run against the runs before it;
//! - p95 per latency target (`latency.chat|login|dashboard`, `p95_ms`) with
//!   its target line (the run's `target_ms`, else the project's target);
//! - certificate days left per host (`tls.expiry`, `days_left`);
//! - uptime of the API health endpoint: per `uptime.endpoints` URL whose
//!   finding is about the API health route, the cumulative percentage of
//!   the rechecks that judged it in which it answered with the expected
//!   status (slow counts as answered; could-not-check runs are left out).

use std::collections::BTreeMap;

use handover_model::{
    EndpointRole, Finding, HistorySeries, HistoryView, LatencyTarget, Run, RunDiff, RunPoint,
    RunSummary, Schedule, Severity,
};

use super::diff::diff_from;

/// The latency checks charted, by the role they probe.
const LATENCY: [(&str, EndpointRole); 3] = [
    ("latency.chat", EndpointRole::Chat),
    ("latency.login", EndpointRole::Login),
    ("latency.dashboard", EndpointRole::Dashboard),
];

/// The checks the History page charts (with [`LATENCY`]'s).
pub const CHARTED: [&str; 5] = [
    "latency.chat",
    "latency.login",
    "latency.dashboard",
    "tls.expiry",
    "uptime.endpoints",
];

/// The History page of `runs` (oldest first) with the project's latency
/// `targets`, `schedule` and `retention_days`.
pub fn history_view(
    runs: &[Run],
    targets: &[LatencyTarget],
    schedule: Schedule,
    retention_days: u32,
) -> HistoryView {
    let diff = runs
        .split_last()
        .map(|(latest, before)| diff_from(before.iter().rev(), latest));
    let points = runs.iter().map(point).collect();
    assemble(points, diff, runs, targets, schedule, retention_days)
}

/// The History page of its run `points`, the latest `diff` and the runs to
/// chart (oldest first; only findings of the [`CHARTED`] checks are read).
pub fn assemble(
    points: Vec<RunPoint>,
    diff: Option<RunDiff>,
    runs: &[Run],
    targets: &[LatencyTarget],
    schedule: Schedule,
    retention_days: u32,
) -> HistoryView {
    let mut p95: BTreeMap<String, HistorySeries> = BTreeMap::new();
    let mut certificates: BTreeMap<String, HistorySeries> = BTreeMap::new();
    let mut uptime: BTreeMap<String, (HistorySeries, u32, u32)> = BTreeMap::new();
    let health = health_targets(runs);
    for run in runs {
        let at = run.summary.started_ms;
        for f in run.findings.iter().filter(|f| !f.outcome.is_inconclusive()) {
            if let Some((_, role)) = LATENCY.iter().find(|(c, _)| *c == f.check) {
                if let Some(value) = measure(f, "p95_ms") {
                    let name = format!("{} p95 ({})", role.as_str(), place(f));
                    let series = p95
                        .entry(f.target.clone())
                        .or_insert_with(|| HistorySeries {
                            name,
                            unit: "ms".into(),
                            target: None,
                            points: Vec::new(),
                        });
                    series.target = measure(f, "target_ms").or_else(|| {
                        targets
                            .iter()
                            .find(|t| t.role == *role)
                            .map(|t| f64::from(t.p95_ms))
                    });
                    series.points.push((at, value));
                }
            } else if f.check == "tls.expiry" {
                if let Some(days) = measure(f, "days_left") {
                    let name = match f.port {
                        Some(port) => format!("{}:{port}", place(f)),
                        None => place(f).to_string(),
                    };
                    certificates
                        .entry(name.clone())
                        .or_insert_with(|| HistorySeries {
                            name,
                            unit: "days".into(),
                            target: None,
                            points: Vec::new(),
                        })
                        .points
                        .push((at, days));
                }
            } else if f.check == "uptime.endpoints" && health.contains(&f.target.as_str()) {
                let (series, up, judged) = uptime.entry(f.target.clone()).or_insert_with(|| {
                    let series = HistorySeries {
                        name: format!("{} ({})", EndpointRole::ApiHealth.label(), place(f)),
                        unit: "%".into(),
                        target: None,
                        points: Vec::new(),
                    };
                    (series, 0, 0)
                });
                *judged += 1;
                if f.severity < Severity::High {
                    *up += 1;
                }
                series
                    .points
                    .push((at, f64::from(*up) * 100.0 / f64::from(*judged)));
            }
        }
    }
    HistoryView {
        runs: points,
        diff,
        p95: p95.into_values().collect(),
        certificate_days: certificates.into_values().collect(),
        uptime: uptime.into_values().map(|(s, _, _)| s).collect(),
        schedule,
        retention_days,
    }
}

/// A run's point: judged findings by severity, worst first, and how many
/// could not be checked.
pub fn point(run: &Run) -> RunPoint {
    let mut summary = run.summary.clone();
    (summary.counts, summary.inconclusive) = crate::checks::counts(&run.findings);
    point_of(&summary)
}

/// The point of a run from its summary's counts.
pub fn point_of(summary: &RunSummary) -> RunPoint {
    let count = |s: Severity| summary.counts[s as usize];
    RunPoint {
        run_id: summary.id,
        started_ms: summary.started_ms,
        by_severity: [
            count(Severity::Blocker),
            count(Severity::High),
            count(Severity::Medium),
            count(Severity::Low),
        ],
        inconclusive: summary.inconclusive,
    }
}

/// The URLs the uptime check probed as the API health route (its judged
/// findings are titled with the route's label; signed-in probes are not it).
fn health_targets(runs: &[Run]) -> Vec<&str> {
    let label = EndpointRole::ApiHealth.label();
    let mut out: Vec<&str> = Vec::new();
    for f in runs.iter().flat_map(|r| &r.findings) {
        if f.check == "uptime.endpoints"
            && !f.outcome.is_inconclusive()
            && f.title.starts_with(label)
            && !f.title.contains("(signed in)")
            && !out.contains(&f.target.as_str())
        {
            out.push(&f.target);
        }
    }
    out
}

fn measure(f: &Finding, name: &str) -> Option<f64> {
    f.measured.iter().find(|m| m.name == name).map(|m| m.value)
}

fn place(f: &Finding) -> &str {
    if f.host.is_empty() {
        &f.target
    } else {
        &f.host
    }
}

#[cfg(test)]
#[path = "view_tests.rs"]
mod tests;
