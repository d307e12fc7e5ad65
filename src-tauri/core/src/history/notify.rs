//! Notices on a state change.
//!
//! | kind                  | when                                             | key                           |
//! |-----------------------|--------------------------------------------------|-------------------------------|
//! | new blocker           | new, or regressed to blocker                     | `new-blocker:<fp>`            |
//! | regression            | regressed to something below blocker             | `regression:<fp>:<severity>`  |
//! | certificate expiry    | `days_left` was above 30/14/7, now at or below   | `certificate:<fp>:<days>`     |
//! | keeps failing to run  | could not run in the last three runs in a row    | `keeps-failing:<fp>`          |
//!
//! A regression to blocker is one notice (new blocker), not two; a
//! certificate that jumps past several thresholds at once gets the lowest.
//! The workbench keeps the keys it notified and drops a key it has seen;
//! [`lapsed`] says which kept keys no longer hold (the finding resolved,
//! got better, was renewed or ran again), so a later relapse notifies anew.

use handover_model::{DiffState, Finding, Notice, NoticeKind, Run, RunDiff, Severity};

use super::diff::failed_to_run;
use super::fingerprint::fingerprint;

/// The certificate thresholds, days left, lowest first.
pub const CERTIFICATE_DAYS: [f64; 3] = [7.0, 14.0, 30.0];

/// Runs in a row a check must fail to run before it is notified.
pub const KEEPS_FAILING_RUNS: usize = 3;

/// The notices `later` raises (before de-duplication against what was
/// already notified): `earlier` are the runs before it, newest first.
pub fn notices(earlier: &[Run], later: &Run, diff: &RunDiff) -> Vec<Notice> {
    let mut out = Vec::new();
    for e in &diff.entries {
        let place = if e.host.is_empty() {
            &e.target
        } else {
            &e.host
        };
        match (e.state, e.after) {
            (DiffState::New | DiffState::Regressed, Some(Severity::Blocker)) => out.push(Notice {
                key: format!("new-blocker:{}", e.fingerprint),
                kind: NoticeKind::NewBlocker,
                title: format!("New blocker on {place}"),
                body: format!(
                    "{} ({}): launch must not happen like this.",
                    e.title, e.check
                ),
            }),
            (DiffState::Regressed, Some(after)) => out.push(Notice {
                key: format!("regression:{}:{}", e.fingerprint, after.as_str()),
                kind: NoticeKind::Regression,
                title: format!("Worse on {place}: {}", e.check),
                body: format!(
                    "{} — was {}, now {}.",
                    e.title,
                    e.before.map_or("fine", Severity::as_str),
                    after.as_str()
                ),
            }),
            _ => {}
        }
    }
    for f in later.findings.iter().filter(|f| f.check == "tls.expiry") {
        if let Some(notice) = certificate(earlier, f) {
            out.push(notice);
        }
    }
    for f in later.findings.iter().filter(|f| failed_to_run(f)) {
        let fp = fingerprint(f);
        let before = earlier
            .iter()
            .take(KEEPS_FAILING_RUNS - 1)
            .filter(|run| {
                run.findings
                    .iter()
                    .any(|g| failed_to_run(g) && g.check == f.check && fingerprint(g) == fp)
            })
            .count();
        if before == KEEPS_FAILING_RUNS - 1 {
            let place = if f.host.is_empty() {
                &f.target
            } else {
                &f.host
            };
            out.push(Notice {
                key: format!("keeps-failing:{fp}"),
                kind: NoticeKind::KeepsFailingToRun,
                title: format!(
                    "{} could not run {KEEPS_FAILING_RUNS} times in a row",
                    f.check
                ),
                body: format!(
                    "Handover has not been able to check {place} for {KEEPS_FAILING_RUNS} \
                     rechecks: {}",
                    f.outcome.reason().unwrap_or_default()
                ),
            });
        }
    }
    out
}

/// A judged finding's `days_left`.
fn days_left(f: &Finding) -> Option<f64> {
    if f.outcome.is_inconclusive() {
        return None;
    }
    f.measured
        .iter()
        .find(|m| m.name == "days_left")
        .map(|m| m.value)
}

/// The notice of a certificate whose days left crossed a threshold since
/// the last earlier run that measured them.
fn certificate(earlier: &[Run], f: &Finding) -> Option<Notice> {
    let now = days_left(f)?;
    let fp = fingerprint(f);
    let before = earlier.iter().find_map(|run| {
        run.findings
            .iter()
            .filter(|g| g.check == f.check)
            .find(|g| days_left(g).is_some() && fingerprint(g) == fp)
            .and_then(days_left)
    })?;
    let crossed = CERTIFICATE_DAYS
        .into_iter()
        .find(|t| before > *t && now <= *t)?;
    let place = if f.host.is_empty() {
        &f.target
    } else {
        &f.host
    };
    Some(Notice {
        key: format!("certificate:{fp}:{crossed}"),
        kind: NoticeKind::CertificateExpiry,
        title: format!(
            "The certificate of {place} expires in {} days",
            now.floor().max(0.0)
        ),
        body: format!(
            "It had {} days left at the last recheck and is now within {crossed} days of \
             expiring. Renew it (or check why automatic renewal did not).",
            before.floor()
        ),
    })
}

/// The kept `keys` that no longer hold after `later`: the finding resolved,
/// got better than the notified severity, its certificate was renewed past
/// the threshold, or its check ran again. Unknown is never a reason.
pub fn lapsed(later: &Run, diff: &RunDiff, keys: &[String]) -> Vec<String> {
    let resolved: Vec<&str> = diff
        .entries
        .iter()
        .filter(|e| e.state == DiffState::Resolved)
        .map(|e| e.fingerprint.as_str())
        .collect();
    let judged = |fp: &str| {
        later
            .findings
            .iter()
            .find(|f| !f.outcome.is_inconclusive() && fingerprint(f) == fp)
    };
    keys.iter()
        .filter(|key| {
            let Some((kind, rest)) = key.split_once(':') else {
                return false;
            };
            let (fp, extra) = match kind {
                "regression" | "certificate" => rest.rsplit_once(':').unwrap_or((rest, "")),
                _ => (rest, ""),
            };
            if resolved.contains(&fp) {
                return true;
            }
            let Some(now) = judged(fp) else {
                return false;
            };
            match kind {
                "new-blocker" => now.severity != Severity::Blocker,
                "regression" => Severity::parse(extra).is_some_and(|s| now.severity < s),
                "certificate" => match (days_left(now), extra.parse::<f64>()) {
                    (Some(days), Ok(threshold)) => days > threshold,
                    _ => false,
                },
                "keeps-failing" => true,
                _ => false,
            }
        })
        .cloned()
        .collect()
}

/// What to tell after `later`, given the keys `notified` before: the
/// notices whose keys are not among the notified keys that still hold, and
/// the kept keys that lapsed (to forget).
pub fn deliver(
    earlier: &[Run],
    later: &Run,
    diff: &RunDiff,
    notified: &[String],
) -> (Vec<Notice>, Vec<String>) {
    let gone = lapsed(later, diff, notified);
    let fresh = notices(earlier, later, diff)
        .into_iter()
        .filter(|n| !notified.contains(&n.key) || gone.contains(&n.key))
        .collect();
    (fresh, gone)
}

#[cfg(test)]
#[path = "notify_tests.rs"]
mod tests;
