use handover_model::{Cause, Measure, Severity};

use super::super::logic::tests::{finding, inconclusive};
use super::*;

/// Step `n` of 3 as the core reports it: the step line, then `lines`.
fn step(n: usize, name: &str, severity: Severity, lines: &[&str]) -> Finding {
    let mut f = finding(CHECK, "example.test", None, severity);
    f.evidence = std::iter::once(format!("step {n} of 3: {name}"))
        .chain(lines.iter().map(|l| l.to_string()))
        .collect();
    f.measured = vec![Measure {
        name: "total_ms".into(),
        value: 41.234,
        unit: "ms".into(),
        bins: Vec::new(),
    }];
    f
}

#[test]
fn steps_are_shown_in_step_order_with_their_expectations() {
    let mut cannot = inconclusive(CHECK, "api.example.test", Cause::Unreachable);
    cannot.evidence = vec![
        "step 3 of 3: api_health".into(),
        "GET https://api.example.test/health".into(),
    ];
    let findings = vec![
        step(
            2,
            "chat",
            Severity::High,
            &[
                "POST https://example.test/chat",
                "✓ status 200 (expected 200)",
                "✗ body contains \"pong\": not found",
            ],
        ),
        finding("tls.expiry", "example.test", None, Severity::Pass),
        cannot,
        step(
            1,
            "homepage",
            Severity::Pass,
            &["GET https://example.test/"],
        ),
    ];
    let rows = step_rows(&findings);
    let names: Vec<(Option<usize>, &str, StepState)> = rows
        .iter()
        .map(|r| (r.number, r.name.as_str(), r.state))
        .collect();
    assert_eq!(
        names,
        [
            (Some(1), "homepage", StepState::Passed),
            (Some(2), "chat", StepState::Failed),
            (Some(3), "api_health", StepState::Error),
        ]
    );
    assert_eq!(rows[0].time.as_deref(), Some("41.2 ms"));
    assert_eq!(
        rows[1].lines,
        [
            "POST https://example.test/chat",
            "✓ status 200 (expected 200)",
            "✗ body contains \"pong\": not found",
        ]
    );
    assert_eq!(rows[1].reason, None);
    assert_eq!(rows[2].time, None);
    assert_eq!(
        rows[2].reason.as_deref(),
        Some("api.example.test:443 refused the connection")
    );
    assert!(
        step_rows(&findings[1..2]).is_empty(),
        "no smoke findings, no rows"
    );
}

#[test]
fn a_finding_about_no_step_keeps_all_its_evidence_last() {
    let mut cut = inconclusive(CHECK, "example.test", Cause::TimedOut);
    cut.evidence = vec!["the sequence ran past its deadline".into()];
    let rows = step_rows(&[cut, step(1, "homepage", Severity::Pass, &[])]);
    assert_eq!(rows[1].number, None);
    assert_eq!(rows[1].lines, ["the sequence ran past its deadline"]);
}

#[test]
fn the_tally_reads_as_a_sentence() {
    let tally = |tests, passed, failures, errors, skipped| Tally {
        tests,
        passed,
        failures,
        errors,
        skipped,
    };
    assert_eq!(
        tally_line(&tally(5, 4, 0, 1, 0)),
        "4 of 5 steps passed, 1 could not run"
    );
    assert_eq!(
        tally_line(&tally(5, 2, 1, 1, 1)),
        "2 of 5 steps passed, 1 failed, 1 could not run, 1 skipped"
    );
    assert_eq!(tally_line(&tally(1, 1, 0, 0, 0)), "1 of 1 step passed");
}
