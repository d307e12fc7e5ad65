//! What changed between two runs.
//!
//! Each fingerprint of the later run is compared with the **last earlier
//! run that judged it**: a run that could not check it (or did not report
//! it) is skipped, so a could-not-check run between two failing runs leaves
//! the finding persisting. Severity pass and info are fine; low and worse
//! are failing.
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
use std::collections::{HashMap, HashSet};

use handover_model::{
    Cause, DiffCounts, DiffEntry, DiffState, Finding, MetricDelta, Run, RunDiff, Severity,
};

use super::fingerprint::Identity;

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
    matches!(
        f.outcome.cause(),
        Some(Cause::TimedOut | Cause::CouldNotStart | Cause::Panicked | Cause::Unreachable)
    )
}

/// What the earlier runs knew of one fingerprint.
struct Prior<'a> {
    /// The newest earlier finding that judged it.
    judged: Option<&'a Finding>,
    /// The newest earlier finding at all.
    seen: &'a Finding,
}

/// What changed from the runs before `later` (`earlier`, newest first) to
/// `later`.
pub fn diff(earlier: &[Run], later: &Run) -> RunDiff {
    diff_from(earlier.iter(), later)
}

/// [`diff`] over `earlier` runs given newest first by an iterator (the
/// History page's runs are oldest first: it passes them reversed).
pub fn diff_from<'a>(earlier: impl Iterator<Item = &'a Run>, later: &Run) -> RunDiff {
    let mut from = None;
    let mut prior: HashMap<Identity<'a>, Prior<'a>> = HashMap::new();
    for run in earlier {
        from.get_or_insert(&run.summary);
        for f in &run.findings {
            let p = prior.entry(Identity::of(f)).or_insert(Prior {
                judged: None,
                seen: f,
            });
            if p.judged.is_none() && !f.outcome.is_inconclusive() {
                p.judged = Some(f);
            }
        }
    }
    let mut entries = Vec::new();
    let mut present: HashSet<Identity<'_>> = HashSet::new();
    let mut judged_targets: HashSet<Identity<'_>> = HashSet::new();
    for f in &later.findings {
        let id = Identity::of(f);
        if !f.outcome.is_inconclusive() {
            judged_targets.insert(id.target());
        }
        let p = prior.get(&id);
        let before = p.and_then(|p| p.judged).map(|b| b.severity);
        let failing_before = before.is_some_and(failing);
        let state = if f.outcome.is_inconclusive() {
            (failing_before || failed_to_run(f)).then_some(DiffState::Unknown)
        } else if failing(f.severity) {
            Some(match before {
                Some(b) if failing(b) && f.severity > b => DiffState::Regressed,
                Some(b) if failing(b) => DiffState::Persisting,
                _ => DiffState::New,
            })
        } else {
            failing_before.then_some(DiffState::Resolved)
        };
        if let Some(state) = state {
            let earlier = p.map(|p| p.judged.unwrap_or(p.seen));
            entries.push(entry(id.to_string(), state, earlier, Some(f)));
        }
        present.insert(id);
    }
    for (id, p) in &prior {
        let Some(judged) = p.judged.filter(|j| failing(j.severity)) else {
            continue;
        };
        if present.contains(id) {
            continue;
        }
        // Gone: fixed if its check judged the same target this time.
        let state = if judged_targets.contains(&id.target()) {
            DiffState::Resolved
        } else {
            DiffState::Unknown
        };
        entries.push(entry(id.to_string(), state, Some(judged), None));
    }
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
        to_run: later.summary.id,
        from_ms: from.map(|s| s.started_ms),
        to_ms: later.summary.started_ms,
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
