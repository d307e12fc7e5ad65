//! What changed between two runs.
//!
//! Each fingerprint of the later run is compared with the **last earlier
//! run that judged it**: a run that could not check it (or did not look at
//! its target) is skipped, so a could-not-check run between two failing
//! runs leaves the finding persisting; a run whose check judged the target
//! and no longer reported the finding counts as fine (it was fixed then).
//! Severity pass and info are fine; low and worse are failing. The walk is
//! in [`super::marks`].
//!
//! | now                          | before (last judged)  | state      |
//! |------------------------------|-----------------------|------------|
//! | failing                      | absent or fine        | new        |
//! | failing, worse               | failing               | regressed  |
//! | failing, same or better      | failing               | persisting |
//! | could not check              | failing               | unknown    |
//! | could not check (run-time)   | fine or absent        | unknown    |
//! | absent, target not judged    | failing               | unknown    |
//! | fine, or absent while its check judged the target | failing | resolved |
//! | fine                         | fine or absent        | left out   |
//!
//! "Run-time" excludes the causes that are facts about the project, not
//! about this run (nothing to check, not automated yet): those are listed
//! only when the finding was failing before.

use std::cmp::Reverse;

use handover_model::{
    Cause, DiffCounts, DiffEntry, DiffState, Finding, MetricDelta, Run, RunDiff, RunSummary,
    Severity,
};

use super::fingerprint::fingerprint;
use super::marks::{changes, Mark};

/// Whether `severity` is a problem (low or worse).
pub fn failing(severity: Severity) -> bool {
    severity >= Severity::Low
}

/// Whether `f` is a judged problem.
pub fn is_failing(f: &Finding) -> bool {
    !f.outcome.is_inconclusive() && failing(f.severity)
}

/// Whether `f` could not be checked because of this run (a timeout, no
/// answer, a crash), rather than because there is nothing to automate.
pub fn failed_to_run(f: &Finding) -> bool {
    f.outcome.cause().is_some_and(cause_of_this_run)
}

/// Whether `cause` is about the run (a timeout, no answer, a crash), not a
/// fact about the project (nothing to check, not automated yet).
pub fn cause_of_this_run(cause: Cause) -> bool {
    matches!(
        cause,
        Cause::TimedOut | Cause::CouldNotStart | Cause::Panicked | Cause::Unreachable
    )
}

/// What changed from the runs before `later` (`earlier`, newest first) to
/// `later`.
pub fn diff(earlier: &[Run], later: &Run) -> RunDiff {
    diff_from(earlier.iter(), later)
}

/// [`diff`] over `earlier` runs given newest first by an iterator (the
/// History page's runs are oldest first: it passes them reversed).
pub fn diff_from<'a>(earlier: impl Iterator<Item = &'a Run>, later: &Run) -> RunDiff {
    let mut earlier: Vec<&Run> = earlier.collect();
    earlier.reverse();
    // A mark's row is its run's place (the later run is last) and its own.
    let row = |run: usize, at: usize| ((run as i64) << 32) | at as i64;
    let marks_of = |run: usize, findings: &[Finding]| -> Vec<Mark> {
        findings
            .iter()
            .enumerate()
            .map(|(at, f)| Mark::of(f, row(run, at)))
            .collect()
    };
    let marked: Vec<Vec<Mark>> = earlier
        .iter()
        .enumerate()
        .map(|(i, r)| marks_of(i, &r.findings))
        .collect();
    let later_marks = marks_of(earlier.len(), &later.findings);
    let changes = changes(marked.iter().map(Vec::as_slice), &later_marks);
    let finding = |row: i64| {
        let (run, at) = ((row >> 32) as usize, (row & 0xffff_ffff) as usize);
        let findings = earlier.get(run).map_or(&later.findings, |r| &r.findings);
        &findings[at]
    };
    let from = earlier.last().map(|r| &r.summary);
    assemble(
        from,
        &later.summary,
        changes
            .iter()
            .map(|c| (c.state, c.before.map(finding), c.after.map(finding))),
    )
}

/// The diff from run `from` (the newest earlier run, if any) to run `to`
/// of its changes: each a state with the earlier and the later finding.
pub fn assemble<'f>(
    from: Option<&RunSummary>,
    to: &RunSummary,
    changes: impl Iterator<Item = (DiffState, Option<&'f Finding>, Option<&'f Finding>)>,
) -> RunDiff {
    let mut entries: Vec<DiffEntry> = changes
        .map(|(state, before, after)| {
            let shown = after.or(before).expect("a change has a finding");
            entry(fingerprint(shown), state, before, after)
        })
        .collect();
    entries.sort_by(|a, b| {
        let worst = |e: &DiffEntry| Reverse(e.after.max(e.before));
        a.state
            .cmp(&b.state)
            .then_with(|| worst(a).cmp(&worst(b)))
            .then_with(|| a.fingerprint.cmp(&b.fingerprint))
    });
    let mut counts = DiffCounts::default();
    for e in &entries {
        match e.state {
            DiffState::New => counts.new += 1,
            DiffState::Regressed => counts.regressed += 1,
            DiffState::Persisting => counts.persisting += 1,
            DiffState::Unknown => counts.unknown += 1,
            DiffState::Resolved => counts.resolved += 1,
        }
    }
    RunDiff {
        from_run: from.map(|s| s.id),
        to_run: to.id,
        from_ms: from.map(|s| s.started_ms),
        to_ms: to.started_ms,
        entries,
        counts,
    }
}

/// One entry: `before` is the earlier finding compared with (the last
/// judged one, else the last seen), `after` the later one.
fn entry(
    fingerprint: String,
    state: DiffState,
    before: Option<&Finding>,
    after: Option<&Finding>,
) -> DiffEntry {
    let shown = after.or(before).expect("an entry has a finding");
    let judged = |f: &&Finding| !f.outcome.is_inconclusive();
    DiffEntry {
        fingerprint,
        check: shown.check.clone(),
        host: shown.host.clone(),
        target: shown.target.clone(),
        state,
        before: before.filter(judged).map(|f| f.severity),
        after: after.filter(judged).map(|f| f.severity),
        title: shown.title.clone(),
        deltas: deltas(before, after),
    }
}

/// Numbers that moved or appeared between `before` and `after`, in the
/// later finding's order, then the earlier one's.
pub fn deltas(before: Option<&Finding>, after: Option<&Finding>) -> Vec<MetricDelta> {
    let empty: &[handover_model::Measure] = &[];
    let b = before.map_or(empty, |f| &f.measured[..]);
    let a = after.map_or(empty, |f| &f.measured[..]);
    let mut out: Vec<MetricDelta> = Vec::new();
    for m in a.iter().chain(b) {
        if out.iter().any(|d| d.name == m.name) {
            continue;
        }
        let value = |side: &[handover_model::Measure]| {
            side.iter().find(|x| x.name == m.name).map(|x| x.value)
        };
        let (before, after) = (value(b), value(a));
        if before != after {
            out.push(MetricDelta {
                name: m.name.clone(),
                unit: m.unit.clone(),
                before,
                after,
            });
        }
    }
    out
}

#[cfg(test)]
#[path = "diff_tests.rs"]
mod tests;
