//! Tests of how a run decides items and what a run alone says about launch.

use super::*;
use crate::catalog;
use crate::checks::{finding, inconclusive};
use handover_model::Cause;

fn items_checked_by(check: &str) -> Vec<String> {
    catalog::builtin()
        .items
        .iter()
        .filter(|i| i.checks.iter().any(|c| c == check))
        .map(|i| i.id.clone())
        .collect()
}

fn decision<'a>(decisions: &'a [Decision], item: &str) -> &'a Decision {
    decisions
        .iter()
        .find(|d| d.item_id == item)
        .unwrap_or_else(|| panic!("{item} was not decided: {decisions:?}"))
}

#[test]
fn findings_decide_only_the_items_whose_checks_ran() {
    let catalog = catalog::builtin();
    let hsts_items = items_checked_by("headers.hsts");
    assert!(!hsts_items.is_empty());
    let findings = vec![
        finding("headers.hsts", "a.example", Severity::Pass, "ok", ""),
        finding("headers.hsts", "b.example", Severity::High, "short", ""),
    ];
    let decisions = decide(catalog, &findings);
    for id in &hsts_items {
        assert_eq!(decision(&decisions, id).status, ItemStatus::Fail, "{id}");
    }
    assert_eq!(decisions.len(), hsts_items.len(), "{decisions:?}");
    let low = vec![finding(
        "headers.hsts",
        "a.example",
        Severity::Low,
        "note",
        "",
    )];
    for d in decide(catalog, &low) {
        assert_eq!(
            (d.status, d.could_not_check.as_str()),
            (ItemStatus::Pass, "")
        );
    }
}

#[test]
fn an_inconclusive_finding_never_passes_an_item() {
    let catalog = catalog::builtin();
    let findings = vec![
        finding("headers.hsts", "a.example", Severity::Pass, "ok", ""),
        inconclusive(
            "headers.hsts",
            "b.example",
            Cause::Unreachable,
            "b.example:443 refused the connection",
        ),
    ];
    for id in items_checked_by("headers.hsts") {
        let d = decide(catalog, &findings)
            .into_iter()
            .find(|d| d.item_id == id)
            .unwrap();
        assert_eq!(d.status, ItemStatus::Todo, "{id}");
        assert_eq!(
            d.could_not_check,
            "could not check: b.example:443 refused the connection"
        );
    }
}

#[test]
fn a_failure_wins_over_an_inconclusive_sibling() {
    let findings = vec![
        finding("headers.hsts", "a.example", Severity::Blocker, "off", ""),
        inconclusive("headers.hsts", "b.example", Cause::TimedOut, "slow"),
    ];
    for d in decide(catalog::builtin(), &findings) {
        assert_eq!(d.status, ItemStatus::Fail);
    }
}

#[test]
fn an_item_is_not_passed_on_part_of_its_checks() {
    // The TLS item names handshake, chain, hostname and expiry.
    let item = catalog::builtin()
        .items
        .iter()
        .find(|i| i.checks.len() > 1 && i.checks.iter().all(|c| c.starts_with("tls.")))
        .expect("an item with several TLS checks");
    let findings = vec![finding(
        &item.checks[0],
        "a.example",
        Severity::Pass,
        "ok",
        "",
    )];
    let decisions = decide(catalog::builtin(), &findings);
    let d = decision(&decisions, &item.id);
    assert_eq!(d.status, ItemStatus::Todo);
    assert!(d.could_not_check.contains("did not run"), "{d:?}");
}

#[test]
fn long_reason_lists_are_cut_with_a_count() {
    let findings: Vec<Finding> = (0..5)
        .map(|n| {
            inconclusive(
                "headers.csp",
                format!("h{n}.example"),
                Cause::Unreachable,
                format!("h{n} is down"),
            )
        })
        .collect();
    let decisions = decide(catalog::builtin(), &findings);
    let d = &decisions[0];
    assert_eq!(
        d.could_not_check,
        "could not check: h0 is down; h1 is down; h2 is down; and 2 more"
    );
}

#[test]
fn a_retry_runs_every_check_of_the_items_it_touches() {
    let selected = selection(catalog::builtin(), &["tls.chain".to_string()]);
    for id in ["tls.handshake", "tls.chain", "tls.hostname", "tls.expiry"] {
        assert!(selected.contains(&id), "{id}: {selected:?}");
    }
    assert!(!selected.contains(&"dns.resolve"), "{selected:?}");
    assert!(selection(catalog::builtin(), &[]).is_empty());
    // A check no item names selects nothing (the workbench refuses such a retry).
    assert!(selection(catalog::builtin(), &["ai.unknown".to_string()]).is_empty());
}

#[test]
fn a_run_whose_blocker_checks_could_not_run_is_no_go_and_says_so() {
    let catalog = catalog::builtin();
    let blocker_checks: Vec<&str> = catalog
        .items
        .iter()
        .filter(|i| i.risk == Risk::Blocker && i.kind == ItemKind::Automated)
        .filter(|i| !i.not_automated_yet)
        .flat_map(|i| i.checks.iter().map(String::as_str))
        .collect();
    assert!(!blocker_checks.is_empty());
    let all_inconclusive: Vec<Finding> = blocker_checks
        .iter()
        .map(|c| inconclusive(c, "example.test", Cause::Unreachable, "refused"))
        .collect();
    let verdict = run_verdict(catalog, &all_inconclusive);
    assert_eq!(verdict.verdict, Verdict::NoGo);
    assert_eq!(verdict.blocker_findings, 0);
    assert!(verdict.inconclusive_blockers > 0);
    assert_eq!(
        verdict.reasons,
        [inconclusive_sentence(verdict.inconclusive_blockers)]
    );
    let all_pass: Vec<Finding> = checks::implemented()
        .iter()
        .map(|c| finding(c, "example.test", Severity::Pass, "ok", ""))
        .collect();
    assert_eq!(run_verdict(catalog, &all_pass).verdict, Verdict::Go);
    assert_eq!(inconclusive_sentence(1), "1 blocker check could not run");
    assert_eq!(inconclusive_sentence(3), "3 blocker checks could not run");
}

#[test]
fn a_blocker_check_with_nothing_to_look_at_leaves_the_run_go_but_one_that_could_not_start_does_not()
{
    let catalog = catalog::builtin();
    let passing = |skip: &str| -> Vec<Finding> {
        checks::implemented()
            .iter()
            .filter(|c| **c != skip)
            .map(|c| finding(c, "example.test", Severity::Pass, "ok", ""))
            .collect()
    };
    // A quick audit names no endpoints: uptime has nothing to look at.
    let mut run = passing("uptime.endpoints");
    run.push(inconclusive(
        "uptime.endpoints",
        "example.test",
        Cause::NothingToCheck,
        "this project names no endpoint",
    ));
    assert_eq!(run_verdict(catalog, &run).verdict, Verdict::Go);
    // The same item with a check that could not start is no-go.
    let mut run = passing("uptime.endpoints");
    run.push(inconclusive(
        "uptime.endpoints",
        "https://example.test/health",
        Cause::CouldNotStart,
        "the resolver could not be set up",
    ));
    let verdict = run_verdict(catalog, &run);
    assert_eq!(verdict.verdict, Verdict::NoGo);
    assert_eq!(verdict.inconclusive_blockers, 1);
}
