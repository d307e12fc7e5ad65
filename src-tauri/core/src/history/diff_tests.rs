//! Diff states on recorded runs.

use handover_model::{DiffState, RunDiff, Severity};

use super::diff;
use crate::history::recorded::{before_last, could_not, judged, run};

const HSTS: &str = "headers.hsts";
const SITE: &str = "https://example.com/";

fn state_of(d: &RunDiff, check: &str) -> Option<DiffState> {
    d.entries.iter().find(|e| e.check == check).map(|e| e.state)
}

fn last(runs: &[handover_model::Run]) -> RunDiff {
    diff(&before_last(runs), runs.last().unwrap())
}

#[test]
fn a_first_run_makes_everything_failing_new() {
    let first = run(
        1,
        vec![
            judged(HSTS, SITE, Severity::High, &[]),
            judged(
                "tls.expiry",
                "example.com",
                Severity::Pass,
                &[("days_left", 80.0, "days")],
            ),
            judged("dns.caa", "example.com", Severity::Low, &[]),
            could_not("tls.chain", "down.example.com:443"),
        ],
    );
    let d = diff(&[], &first);
    assert_eq!(d.from_run, None);
    assert_eq!(d.to_run, 1);
    let states: Vec<_> = d
        .entries
        .iter()
        .map(|e| (e.check.as_str(), e.state))
        .collect();
    assert_eq!(
        states,
        [
            (HSTS, DiffState::New),
            ("dns.caa", DiffState::New),
            ("tls.chain", DiffState::Unknown),
        ]
    );
    assert_eq!((d.counts.new, d.counts.unknown), (2, 1));
}

#[test]
fn a_could_not_check_run_between_two_failing_runs_leaves_it_persisting() {
    let runs = [
        run(1, vec![judged(HSTS, SITE, Severity::High, &[])]),
        run(2, vec![could_not(HSTS, SITE)]),
        run(3, vec![judged(HSTS, SITE, Severity::High, &[])]),
    ];
    let middle = diff(&before_last(&runs[..2]), &runs[1]);
    assert_eq!(state_of(&middle, HSTS), Some(DiffState::Unknown));
    assert_eq!(middle.entries[0].before, Some(Severity::High));
    assert_eq!(middle.entries[0].after, None);
    assert_eq!(middle.counts.resolved, 0);
    let d = last(&runs);
    assert_eq!(state_of(&d, HSTS), Some(DiffState::Persisting));
    assert_eq!(d.from_run, Some(2));
    assert_eq!(d.entries[0].before, Some(Severity::High));
}

#[test]
fn a_check_that_vanished_is_unknown_and_one_whose_target_was_judged_is_resolved() {
    let runs = [
        run(
            1,
            vec![
                judged(HSTS, SITE, Severity::High, &[]),
                judged("dns.caa", "example.com", Severity::Low, &[]),
                judged("weight.page", SITE, Severity::Medium, &[]),
            ],
        ),
        run(
            2,
            vec![judged("dns.caa", "example.com", Severity::Pass, &[])],
        ),
    ];
    let d = last(&runs);
    assert_eq!(state_of(&d, HSTS), Some(DiffState::Unknown));
    assert_eq!(state_of(&d, "dns.caa"), Some(DiffState::Resolved));
    assert_eq!(state_of(&d, "weight.page"), Some(DiffState::Unknown));
    // weight.page judged the page again and reports no such problem: fixed.
    let mut again = runs.to_vec();
    again[1]
        .findings
        .push(judged("weight.page", SITE, Severity::Pass, &[]));
    let d = last(&again);
    let weight: Vec<_> = d
        .entries
        .iter()
        .filter(|e| e.check == "weight.page")
        .collect();
    assert_eq!(weight.len(), 1, "{weight:?}");
    assert_eq!(weight[0].state, DiffState::Resolved);
}

#[test]
fn worse_is_regressed_better_is_persisting_and_fine_stays_out() {
    let runs = [
        run(
            1,
            vec![
                judged(HSTS, SITE, Severity::Medium, &[]),
                judged("dns.caa", "example.com", Severity::High, &[]),
                judged("tls.hostname", "example.com:443", Severity::Pass, &[]),
                judged("cdn.proxied", "example.com", Severity::Info, &[]),
            ],
        ),
        run(
            2,
            vec![
                judged(HSTS, SITE, Severity::Blocker, &[]),
                judged("dns.caa", "example.com", Severity::Low, &[]),
                judged("tls.hostname", "example.com:443", Severity::Pass, &[]),
                judged("cdn.proxied", "example.com", Severity::Medium, &[]),
            ],
        ),
    ];
    let d = last(&runs);
    let states: Vec<_> = d
        .entries
        .iter()
        .map(|e| (e.check.as_str(), e.state))
        .collect();
    assert_eq!(
        states,
        [
            ("cdn.proxied", DiffState::New),
            (HSTS, DiffState::Regressed),
            ("dns.caa", DiffState::Persisting),
        ]
    );
}

#[test]
fn ordering_is_by_state_then_worst_then_fingerprint_and_deltas_follow_numbers() {
    let target = "https://api.example.com/api/chat";
    let runs = [
        run(
            1,
            vec![judged(
                "latency.chat",
                target,
                Severity::Medium,
                &[("p95_ms", 2100.0, "ms"), ("target_ms", 2500.0, "ms")],
            )],
        ),
        run(
            2,
            vec![
                judged(
                    "latency.chat",
                    target,
                    Severity::High,
                    &[("p95_ms", 3100.0, "ms"), ("target_ms", 2500.0, "ms")],
                ),
                judged("dns.caa", "b.example.com", Severity::Low, &[]),
                judged("dns.caa", "a.example.com", Severity::Low, &[]),
                judged(HSTS, SITE, Severity::Blocker, &[]),
            ],
        ),
    ];
    let d = last(&runs);
    let order: Vec<_> = d.entries.iter().map(|e| e.fingerprint.as_str()).collect();
    assert_eq!(
        order,
        [
            "headers.hsts|example.com||",
            "dns.caa|a.example.com||",
            "dns.caa|b.example.com||",
            "latency.chat|api.example.com||/api/chat",
        ]
    );
    let chat = d.entries.last().unwrap();
    assert_eq!(chat.state, DiffState::Regressed);
    assert_eq!(chat.deltas.len(), 1, "the unchanged target is left out");
    assert_eq!(chat.deltas[0].name, "p95_ms");
    assert_eq!(
        (chat.deltas[0].before, chat.deltas[0].after),
        (Some(2100.0), Some(3100.0))
    );
}

#[test]
fn a_finding_fixed_in_between_comes_back_new_and_an_old_fixed_one_stays_out() {
    let image = |severity| {
        let mut f = judged("weight.page", SITE, severity, &[]);
        f.title = "3 image(s) over 1 MB".into();
        f
    };
    let fine = || judged("weight.page", SITE, Severity::Pass, &[]);
    let runs = [
        run(
            1,
            vec![
                image(Severity::Medium),
                judged(HSTS, SITE, Severity::High, &[]),
            ],
        ),
        // The page was judged and had no heavy images; HSTS not looked at.
        run(2, vec![fine()]),
        run(3, vec![fine()]),
        run(4, vec![image(Severity::Medium)]),
    ];
    let d = last(&runs);
    let weight: Vec<_> = d
        .entries
        .iter()
        .filter(|e| e.check == "weight.page")
        .collect();
    assert_eq!(weight.len(), 1, "{weight:?}");
    assert_eq!(weight[0].state, DiffState::New);
    assert_eq!(
        weight[0].before, None,
        "compared with its absence, not run 1"
    );
    // HSTS was never judged again: still unknown, never resolved.
    assert_eq!(state_of(&d, HSTS), Some(DiffState::Unknown));
    // Fixed in run 2 and absent since: run 3's diff no longer lists it.
    let third = diff(&before_last(&runs[..3]), &runs[2]);
    assert_eq!(state_of(&third, "weight.page"), None);
    let second = diff(&before_last(&runs[..2]), &runs[1]);
    assert_eq!(state_of(&second, "weight.page"), Some(DiffState::Resolved));
}
