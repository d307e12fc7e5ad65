//! The live-check parts of [`super::ReportData`]: evidence by host, the
//! chart series, rollback notes, the known limitations and next steps.

use handover_model::{Cause, ItemStatus, Run};

use super::data::{
    CauseGroup, Charts, EnvironmentEntry, EvidenceRow, HostEvidence, LatencySeries, NextStep,
    Point, Rollback, SeverityBar, Unchecked,
};
use super::gather::item_entry;
use crate::report::watch::{run_date, unicode_host};
use crate::report::ReportInput;

/// How many open items the next steps list.
pub const NEXT_STEPS: usize = 10;

/// The stage whose items carry the deployment and rollback notes.
pub const DEPLOY_STAGE: u8 = 6;

/// What the checks never probe, whatever the project.
pub const NOT_PROBED: [&str; 5] = [
    "The checks run from this machine only: other networks and regions are not probed.",
    "Whether an outside monitor watches the endpoints and wakes a person within minutes.",
    "Load beyond the latency probe's five concurrent users.",
    "Backups, restores and rollbacks: a person confirms them on the checklist.",
    "The quality of the assistant's answers, beyond what a person records on the checklist.",
];

/// Every cause, in the order the limitations list them.
const CAUSES: [Cause; 6] = [
    Cause::Unreachable,
    Cause::TimedOut,
    Cause::CouldNotStart,
    Cause::Panicked,
    Cause::NothingToCheck,
    Cause::NotAutomated,
];

/// A cause for people.
pub fn cause_label(cause: Cause) -> &'static str {
    match cause {
        Cause::Unreachable => "The host did not answer",
        Cause::TimedOut => "The check ran out of time",
        Cause::CouldNotStart => "The check could not start",
        Cause::Panicked => "The check crashed (a bug in Handover, not a fact about the product)",
        Cause::NothingToCheck => "The project names nothing for the check to look at",
        Cause::NotAutomated => "Handover does not automate the check yet",
    }
}

/// The latest run's findings grouped by host (Unicode), hosts in
/// alphabetical order, findings about no host last.
pub(super) fn evidence(input: &ReportInput) -> Vec<HostEvidence> {
    let Some(latest) = input.runs.first() else {
        return Vec::new();
    };
    let mut hosts: Vec<HostEvidence> = Vec::new();
    for f in &latest.findings {
        let host = if f.host.is_empty() {
            String::new()
        } else {
            unicode_host(&f.host)
        };
        let row = EvidenceRow {
            check: f.check.clone(),
            target: f.target.clone(),
            severity: (!f.outcome.is_inconclusive()).then_some(f.severity),
            state: if f.outcome.is_inconclusive() {
                "could not check".into()
            } else {
                f.severity.as_str().into()
            },
            title: f.title.clone(),
            reason: f.outcome.reason().unwrap_or_default().to_string(),
            evidence: f.evidence.clone(),
        };
        match hosts.iter_mut().find(|h| h.host == host) {
            Some(group) => group.findings.push(row),
            None => hosts.push(HostEvidence {
                host,
                findings: vec![row],
            }),
        }
    }
    hosts.sort_by(|a, b| (a.host.is_empty(), &a.host).cmp(&(b.host.is_empty(), &b.host)));
    hosts
}

/// p95 per endpoint and findings by severity, oldest run first.
pub(super) fn charts(input: &ReportInput) -> Charts {
    let chronological: Vec<&Run> = input.runs.iter().rev().collect();
    let mut latency: Vec<LatencySeries> = Vec::new();
    for run in &chronological {
        for f in run
            .findings
            .iter()
            .filter(|f| f.check.starts_with("latency.") && !f.outcome.is_inconclusive())
        {
            let Some(p95) = f.measured.iter().find(|m| m.name == "p95_ms") else {
                continue;
            };
            let target_ms = f
                .measured
                .iter()
                .find(|m| m.name == "target_ms")
                .map(|m| m.value);
            let point = Point {
                date: run_date(run),
                run_id: run.summary.id,
                value: p95.value,
            };
            match latency
                .iter_mut()
                .find(|s| s.check == f.check && s.target == f.target)
            {
                Some(series) => {
                    series.points.push(point);
                    series.target_ms = target_ms.or(series.target_ms);
                }
                None => latency.push(LatencySeries {
                    check: f.check.clone(),
                    target: f.target.clone(),
                    name: format!("{} p95", f.check.trim_start_matches("latency.")),
                    target_ms,
                    points: vec![point],
                    slope_ms_per_run: None,
                }),
            }
        }
    }
    latency.sort_by(|a, b| (&a.check, &a.target).cmp(&(&b.check, &b.target)));
    // Two series of one check (production and staging) are told apart by host.
    let names: Vec<String> = latency.iter().map(|s| s.check.clone()).collect();
    for series in &mut latency {
        if names.iter().filter(|c| **c == series.check).count() > 1 {
            let host = url::Url::parse(&series.target)
                .ok()
                .and_then(|u| u.host_str().map(unicode_host))
                .unwrap_or_else(|| series.target.clone());
            series.name = format!("{} ({host})", series.name);
        }
        series.slope_ms_per_run = slope(&series.points);
    }
    let severity = chronological
        .iter()
        .map(|run| {
            let c = run.summary.counts;
            SeverityBar {
                date: run_date(run),
                run_id: run.summary.id,
                pass: c[0],
                info: c[1],
                low: c[2],
                medium: c[3],
                high: c[4],
                blocker: c[5],
                could_not_check: run.summary.inconclusive,
            }
        })
        .collect();
    Charts { latency, severity }
}

/// The least-squares slope of `points` over their index, per run.
pub fn slope(points: &[Point]) -> Option<f64> {
    if points.len() < 2 {
        return None;
    }
    let n = points.len() as f64;
    let mean_x = (n - 1.0) / 2.0;
    let mean_y = points.iter().map(|p| p.value).sum::<f64>() / n;
    let (mut num, mut den) = (0.0, 0.0);
    for (i, p) in points.iter().enumerate() {
        let dx = i as f64 - mean_x;
        num += dx * (p.value - mean_y);
        den += dx * dx;
    }
    Some(num / den)
}

/// The production-deploy stage's items, the project's notes and its
/// environments.
pub(super) fn rollback(input: &ReportInput) -> Rollback {
    let stage = input
        .catalog
        .stages
        .iter()
        .find(|s| s.number == DEPLOY_STAGE);
    let items: Vec<_> = input
        .catalog
        .items
        .iter()
        .filter(|i| stage.is_some_and(|s| s.id == i.stage))
        .map(|i| item_entry(input, i))
        .collect();
    let project_notes = input.project.spec.notes.trim().to_string();
    let recorded = !project_notes.is_empty()
        || items
            .iter()
            .any(|i| !i.notes.is_empty() || !i.evidence.is_empty() || !i.waiver_reason.is_empty());
    Rollback {
        recorded,
        items,
        project_notes,
        environments: input
            .project
            .spec
            .environments
            .iter()
            .map(|e| EnvironmentEntry {
                kind: e.kind.as_str().to_string(),
                base_url: e.base_url.clone(),
            })
            .collect(),
    }
}

/// The latest run's inconclusive findings by cause, the items a person
/// must decide for now, and what the checks never probe.
pub(super) fn limitations(input: &ReportInput) -> super::data::Limitations {
    let findings = input
        .runs
        .first()
        .map_or(&[][..], |r| r.findings.as_slice());
    let could_not_check = CAUSES
        .iter()
        .filter_map(|cause| {
            let findings: Vec<Unchecked> = findings
                .iter()
                .filter(|f| f.outcome.cause() == Some(*cause))
                .map(|f| Unchecked {
                    check: f.check.clone(),
                    target: f.target.clone(),
                    reason: f.outcome.reason().unwrap_or_default().to_string(),
                })
                .collect();
            (!findings.is_empty()).then(|| CauseGroup {
                cause: cause.as_str().to_string(),
                label: cause_label(*cause).to_string(),
                findings,
            })
        })
        .collect();
    super::data::Limitations {
        could_not_check,
        not_automated: input
            .catalog
            .items
            .iter()
            .filter(|i| i.not_automated_yet)
            .map(|i| i.title.clone())
            .collect(),
        not_probed: NOT_PROBED.iter().map(|s| s.to_string()).collect(),
    }
}

/// The first [`NEXT_STEPS`] open items, as the Overview ranks them, each
/// with what to do next.
pub(super) fn next_steps(input: &ReportInput) -> Vec<NextStep> {
    input
        .overview
        .open
        .iter()
        .take(NEXT_STEPS)
        .map(|open| {
            let item = input.catalog.items.iter().find(|i| i.id == open.item_id);
            let why = open.could_not_check.trim();
            let action = if !why.is_empty() {
                let why = why.strip_prefix("could not check: ").unwrap_or(why);
                format!("Fix what stopped the check ({why}) → run the checks again")
            } else if open.status == ItemStatus::Fail {
                "Fix it → re-run the checks, or record the result with evidence".to_string()
            } else {
                let verify = item.map_or("", |i| i.verify.as_str());
                match verify.split_once(". ") {
                    Some((first, _)) => format!("Verify it: {first} → record the result"),
                    None if !verify.is_empty() => {
                        format!(
                            "Verify it: {} → record the result",
                            verify.trim_end_matches('.')
                        )
                    }
                    None => "Verify it → record the result".to_string(),
                }
            };
            NextStep {
                item_id: open.item_id.clone(),
                title: open.title.clone(),
                risk: open.risk,
                stage: open.stage_number,
                owner: open.owner.clone(),
                action,
            }
        })
        .collect()
}
