//! Notices and their de-duplication across rechecks.

use handover_model::{Finding, Notice, NoticeKind, Run, Severity};

use super::deliver;
use crate::history::diff;
use crate::history::recorded::{before_last, could_not, judged, run};

const HSTS: &str = "headers.hsts";
const SITE: &str = "https://example.com/";

/// Rechecks producing `findings` one run after another, with a ledger of
/// notified keys kept as the workbench keeps it; the notices of each.
fn rechecks(findings: Vec<Vec<Finding>>) -> Vec<Vec<Notice>> {
    let mut runs: Vec<Run> = Vec::new();
    let mut ledger: Vec<String> = Vec::new();
    let mut out = Vec::new();
    for (i, f) in findings.into_iter().enumerate() {
        runs.push(run(i as i64 + 1, f));
        let earlier = before_last(&runs);
        let later = runs.last().unwrap();
        let d = diff(&earlier, later);
        let (fresh, gone) = deliver(&earlier, later, &d, &ledger);
        ledger.retain(|k| !gone.contains(k));
        ledger.extend(fresh.iter().map(|n| n.key.clone()));
        out.push(fresh);
    }
    out
}

fn kinds(notices: &[Notice]) -> Vec<NoticeKind> {
    notices.iter().map(|n| n.kind).collect()
}

fn cert(days: f64) -> Finding {
    let severity = if days <= 14.0 {
        Severity::High
    } else {
        Severity::Pass
    };
    let mut f = judged(
        "tls.expiry",
        "example.com:443",
        Severity::Pass,
        &[("days_left", days, "days")],
    );
    f.severity = severity;
    f
}

#[test]
fn an_unchanged_blocker_is_notified_once_over_three_rechecks() {
    let blocker = || vec![judged(HSTS, SITE, Severity::Blocker, &[])];
    let got = rechecks(vec![blocker(), blocker(), blocker()]);
    assert_eq!(kinds(&got[0]), [NoticeKind::NewBlocker]);
    assert_eq!(got[0][0].key, "new-blocker:headers.hsts|example.com||");
    assert!(got[1].is_empty() && got[2].is_empty(), "{got:?}");
}

#[test]
fn a_could_not_check_gap_does_not_renotify_and_a_relapse_after_resolving_does() {
    let blocker = || judged(HSTS, SITE, Severity::Blocker, &[]);
    let got = rechecks(vec![
        vec![blocker()],
        vec![could_not(HSTS, SITE)],
        vec![blocker()],
        vec![judged(HSTS, SITE, Severity::Pass, &[])],
        vec![blocker()],
    ]);
    let counts: Vec<_> = got.iter().map(Vec::len).collect();
    assert_eq!(counts, [1, 0, 0, 0, 1]);
}

#[test]
fn a_regression_is_notified_once_per_severity_reached() {
    let at = |s| vec![judged(HSTS, SITE, s, &[])];
    let got = rechecks(vec![
        at(Severity::Low),
        at(Severity::High),
        at(Severity::High),
        at(Severity::Medium),
        at(Severity::High),
        at(Severity::Blocker),
    ]);
    assert_eq!(kinds(&got[0]), []);
    assert_eq!(kinds(&got[1]), [NoticeKind::Regression]);
    assert_eq!(got[1][0].key, "regression:headers.hsts|example.com||:high");
    assert!(got[2].is_empty() && got[3].is_empty());
    // Better, then worse again: a new state change.
    assert_eq!(kinds(&got[4]), [NoticeKind::Regression]);
    // Regressed to blocker: one notice, the blocker.
    assert_eq!(kinds(&got[5]), [NoticeKind::NewBlocker]);
}

#[test]
fn certificates_notify_at_30_14_and_7_days_once_each_until_renewed() {
    let got = rechecks(vec![
        vec![cert(40.0)],
        vec![cert(29.0)],
        vec![cert(28.0)],
        vec![could_not("tls.expiry", "example.com:443")],
        vec![cert(13.0)],
        vec![cert(2.0)],
        vec![cert(89.0)],
        vec![cert(30.0)],
    ]);
    let keys: Vec<Vec<&str>> = got
        .iter()
        .map(|n| {
            n.iter()
                .filter(|n| n.kind == NoticeKind::CertificateExpiry)
                .map(|n| n.key.as_str())
                .collect()
        })
        .collect();
    let key = |t: &str| format!("certificate:tls.expiry|example.com|443|:{t}");
    assert_eq!(keys[0], Vec::<&str>::new());
    assert_eq!(keys[1], [key("30").as_str()]);
    assert!(keys[2].is_empty() && keys[3].is_empty());
    assert_eq!(keys[4], [key("14").as_str()]);
    assert_eq!(keys[5], [key("7").as_str()]);
    assert!(keys[6].is_empty());
    assert_eq!(keys[7], [key("30").as_str()], "renewed, then close again");
}

#[test]
fn a_check_failing_to_run_three_times_in_a_row_is_notified_once() {
    let down = || vec![could_not("tls.chain", "down.example.com:443")];
    let up = || {
        vec![judged(
            "tls.chain",
            "down.example.com:443",
            Severity::Pass,
            &[],
        )]
    };
    let got = rechecks(vec![
        down(),
        down(),
        down(),
        down(),
        up(),
        down(),
        down(),
        down(),
    ]);
    let counts: Vec<_> = got.iter().map(Vec::len).collect();
    assert_eq!(counts, [0, 0, 1, 0, 0, 0, 0, 1]);
    assert_eq!(got[2][0].kind, NoticeKind::KeepsFailingToRun);
    assert_eq!(
        got[2][0].key,
        "keeps-failing:tls.chain|down.example.com|443|"
    );
}
