//! JUnit and JSON for CI from a mix of passed, failed, could-not-run and
//! did-not-apply steps, asserted byte for byte.

use handover_model::{Cause, Finding, Severity};

use super::report::{ordered, Tally};
use super::*;
use crate::checks::{finding, measure};

fn timed(mut f: Finding, step: usize, name: &str, total_ms: f64) -> Finding {
    f.evidence.insert(0, step_line(step, 4, name));
    f.measured = vec![
        measure("status", 200.0, ""),
        measure("total_ms", total_ms, "ms"),
    ];
    f
}

/// Four steps as the sequence returns them, then shuffled the way the
/// runner sorts findings (problems first).
fn mix() -> Vec<Finding> {
    let pass = timed(
        finding(
            CHECK,
            "https://example.test/",
            Severity::Pass,
            "Smoke step \"homepage\" passed",
            "",
        ),
        0,
        "homepage",
        12.0,
    );
    let mut fail = timed(
        finding(
            CHECK,
            "https://api.example.test/chat",
            Severity::High,
            "Smoke step \"chat <&\">\" failed: body lacks \"<ok & \\\"done\\\">\"",
            "",
        ),
        1,
        "chat <&\">",
        1234.0,
    );
    fail.evidence.extend([
        "POST https://api.example.test/chat".to_string(),
        "✓ status 200 (expected 200)".to_string(),
        "✗ body contains \"<ok & \\\"done\\\">\": not found".to_string(),
    ]);
    let mut error = inconclusive(
        CHECK,
        "https://api.example.test/health",
        Cause::Unreachable,
        "api.example.test:443 refused the connection: nothing listens there",
    );
    error.evidence = vec![
        step_line(2, 4, "api_health"),
        "GET https://api.example.test/health".to_string(),
    ];
    let mut skipped = inconclusive(
        CHECK,
        "example.test",
        Cause::NothingToCheck,
        "the project has no Webhook endpoint for this step to request",
    );
    skipped.evidence = vec![step_line(3, 4, "webhook")];
    vec![fail, error, skipped, pass]
}

#[test]
fn steps_are_put_back_in_step_order_and_counted() {
    let results = mix();
    let names: Vec<String> = ordered(&results)
        .into_iter()
        .map(|f| step_of(f).unwrap().1)
        .collect();
    assert_eq!(names, ["homepage", "chat <&\">", "api_health", "webhook"]);
    let states: Vec<StepState> = ordered(&results).into_iter().map(StepState::of).collect();
    assert_eq!(
        states,
        [
            StepState::Passed,
            StepState::Failed,
            StepState::Error,
            StepState::Skipped
        ]
    );
    let tally = Tally::of(&results);
    assert_eq!(
        (
            tally.tests,
            tally.passed,
            tally.failures,
            tally.errors,
            tally.skipped
        ),
        (4, 1, 1, 1, 1)
    );
    assert!(!tally.all_passed());
    assert!(!Tally::of(&[]).all_passed(), "no step is not a pass");
}

#[test]
fn junit_has_a_failure_only_for_a_failed_expectation_and_escapes_everything() {
    let xml = junit(&mix(), "Bed \"prod\" <smoke> & co");
    let expected = r#"<?xml version="1.0" encoding="UTF-8"?>
<testsuite name="Bed &quot;prod&quot; &lt;smoke&gt; &amp; co" tests="4" failures="1" errors="1" skipped="1" time="1.246">
  <testcase name="homepage" classname="smoke.endpoints" time="0.012"/>
  <testcase name="chat &lt;&amp;&quot;&gt;" classname="smoke.endpoints" time="1.234">
    <failure message="Smoke step &quot;chat &lt;&amp;&quot;&gt;&quot; failed: body lacks &quot;&lt;ok &amp; \&quot;done\&quot;&gt;&quot;" type="high">step 2 of 4: chat &lt;&amp;&quot;&gt;
POST https://api.example.test/chat
✓ status 200 (expected 200)
✗ body contains &quot;&lt;ok &amp; \&quot;done\&quot;&gt;&quot;: not found</failure>
  </testcase>
  <testcase name="api_health" classname="smoke.endpoints" time="0.000">
    <error message="api.example.test:443 refused the connection: nothing listens there" type="unreachable">step 3 of 4: api_health
GET https://api.example.test/health</error>
  </testcase>
  <testcase name="webhook" classname="smoke.endpoints" time="0.000">
    <skipped message="the project has no Webhook endpoint for this step to request"/>
  </testcase>
</testsuite>
"#;
    assert_eq!(xml, expected, "{xml}");
}

#[test]
fn junit_keeps_line_breaks_in_attributes_and_drops_what_xml_cannot_carry() {
    let mut f = finding(
        CHECK,
        "https://example.test/",
        Severity::High,
        "two\nlines\tand a bell \u{7} and 'quotes'",
        "",
    );
    f.evidence = vec![step_line(0, 1, "home"), "nul \u{0} here".into()];
    let xml = junit(&[f], "s");
    assert!(
        xml.contains(
            "message=\"two&#10;lines&#9;and a bell \u{FFFD} and &apos;quotes&apos;\" type=\"high\">step 1 of 1: home\nnul \u{FFFD} here</failure>"
        ),
        "{xml}"
    );
}

#[test]
fn a_finding_about_no_step_is_an_error_named_after_the_check() {
    let cut_off = inconclusive(
        CHECK,
        "example.test",
        Cause::TimedOut,
        "stopped at its 160 s deadline",
    );
    let xml = junit(&[cut_off], "smoke");
    assert!(
        xml.contains(
            "<testcase name=\"smoke.endpoints\" classname=\"smoke.endpoints\" time=\"0.000\">\n    <error message=\"stopped at its 160 s deadline\" type=\"timed_out\">"
        ),
        "{xml}"
    );
    assert!(!xml.contains("<failure"), "{xml}");
}

#[test]
fn the_json_report_lists_each_step_in_order_with_its_state() {
    let report: serde_json::Value =
        serde_json::from_str(&json_report(&mix(), "Bed")).expect("valid JSON");
    assert_eq!(
        (
            &report["suite"],
            &report["passed"],
            &report["tests"],
            &report["failures"],
            &report["errors"],
            &report["skipped"],
            &report["time_ms"],
        ),
        (
            &serde_json::json!("Bed"),
            &serde_json::json!(false),
            &serde_json::json!(4),
            &serde_json::json!(1),
            &serde_json::json!(1),
            &serde_json::json!(1),
            &serde_json::json!(1246),
        )
    );
    let steps = report["steps"].as_array().unwrap();
    let rows: Vec<(u64, &str, &str)> = steps
        .iter()
        .map(|s| {
            (
                s["step"].as_u64().unwrap(),
                s["name"].as_str().unwrap(),
                s["state"].as_str().unwrap(),
            )
        })
        .collect();
    assert_eq!(
        rows,
        [
            (1, "homepage", "passed"),
            (2, "chat <&\">", "failed"),
            (3, "api_health", "error"),
            (4, "webhook", "skipped"),
        ]
    );
    assert_eq!(steps[0]["status"], 200);
    assert_eq!(steps[0]["total_ms"], 12);
    assert_eq!(
        steps[2]["reason"],
        "api.example.test:443 refused the connection: nothing listens there"
    );
    assert_eq!(steps[0]["reason"], serde_json::Value::Null);
}
