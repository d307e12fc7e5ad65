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

/// What a judged finding of a [`CHARTED`] check gives the charts: the
/// finding's own fields and the three numbers charted, with its run's start.
#[derive(Debug, Clone, PartialEq)]
pub struct ChartMark {
    /// Start of the finding's run, ms since the epoch.
    pub at_ms: i64,
    /// The check's id (one of [`CHARTED`]).
    pub check: String,
    /// What the finding is about (a URL or a host).
    pub target: String,
    /// The host, or empty.
    pub host: String,
    /// The port, when the check names one.
    pub port: Option<u16>,
    /// The finding's severity.
    pub severity: Severity,
    /// The finding's title.
    pub title: String,
    /// The measured p95, ms.
    pub p95_ms: Option<f64>,
    /// The p95 target the run measured against, ms.
    pub target_ms: Option<f64>,
    /// Days until the certificate expires.
    pub days_left: Option<f64>,
}

impl ChartMark {
    /// The mark of finding `f` of a run started at `at_ms`; `None` when the
    /// finding is not judged or its check is not charted.
    pub fn of(at_ms: i64, f: &Finding) -> Option<Self> {
        if f.outcome.is_inconclusive() || !CHARTED.contains(&f.check.as_str()) {
            return None;
        }
        let measure = |name: &str| f.measured.iter().find(|m| m.name == name).map(|m| m.value);
        Some(Self {
            at_ms,
            check: f.check.clone(),
            target: f.target.clone(),
            host: f.host.clone(),
            port: f.port,
            severity: f.severity,
            title: f.title.clone(),
            p95_ms: measure("p95_ms"),
            target_ms: measure("target_ms"),
            days_left: measure("days_left"),
        })
    }

    fn place(&self) -> &str {
        if self.host.is_empty() {
            &self.target
        } else {
            &self.host
        }
    }
}

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
    let charted: Vec<ChartMark> = runs
        .iter()
        .flat_map(|r| {
            r.findings
                .iter()
                .filter_map(|f| ChartMark::of(r.summary.started_ms, f))
        })
        .collect();
    assemble(points, diff, &charted, targets, schedule, retention_days)
}

/// The History page of its run `points`, the latest `diff` and the
/// `charted` marks (in the order of their runs, oldest first, and of the
/// findings in each run).
pub fn assemble(
    points: Vec<RunPoint>,
    diff: Option<RunDiff>,
    charted: &[ChartMark],
    targets: &[LatencyTarget],
    schedule: Schedule,
    retention_days: u32,
) -> HistoryView {
    let mut p95: BTreeMap<String, HistorySeries> = BTreeMap::new();
    let mut certificates: BTreeMap<String, HistorySeries> = BTreeMap::new();
    let mut uptime: BTreeMap<String, (HistorySeries, u32, u32)> = BTreeMap::new();
    let health = health_targets(charted);
    for f in charted {
        let at = f.at_ms;
        if let Some((_, role)) = LATENCY.iter().find(|(c, _)| *c == f.check) {
            if let Some(value) = f.p95_ms {
                let name = format!("{} p95 ({})", role.as_str(), f.place());
                let series = p95
                    .entry(f.target.clone())
                    .or_insert_with(|| HistorySeries {
                        name,
                        unit: "ms".into(),
                        target: None,
                        points: Vec::new(),
                    });
                series.target = f.target_ms.or_else(|| {
                    targets
                        .iter()
                        .find(|t| t.role == *role)
                        .map(|t| f64::from(t.p95_ms))
                });
                series.points.push((at, value));
            }
        } else if f.check == "tls.expiry" {
            if let Some(days) = f.days_left {
                let name = match f.port {
                    Some(port) => format!("{}:{port}", f.place()),
                    None => f.place().to_string(),
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
                    name: format!("{} ({})", EndpointRole::ApiHealth.label(), f.place()),
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
fn health_targets(charted: &[ChartMark]) -> Vec<&str> {
    let label = EndpointRole::ApiHealth.label();
    let mut out: Vec<&str> = Vec::new();
    for f in charted {
        if f.check == "uptime.endpoints"
            && f.title.starts_with(label)
            && !f.title.contains("(signed in)")
            && !out.contains(&f.target.as_str())
        {
            out.push(&f.target);
        }
    }
    out
}

#[cfg(test)]
#[path = "view_tests.rs"]
mod tests;
