//! A run of the set as CI reads it: JUnit XML (one test case per eval
//! case, classname its category; flaky, failed and leaked cases are
//! failures, cases that could not run are errors) and JSON (the report
//! itself, answers as stored).

use handover_model::{AttemptVerdict, CaseResult, CaseState, EvalReport};

use crate::checks::smoke::report::{attr, text};

/// The first reason a case did not pass, as `rule: detail`.
fn first_reason(case: &CaseResult) -> String {
    case.attempts
        .iter()
        .filter(|a| a.verdict != AttemptVerdict::Passed)
        .flat_map(|a| a.reasons.first())
        .map(|r| format!("{}: {}", r.rule, r.detail))
        .next()
        .unwrap_or_default()
}

/// Every run's verdict and reasons, one line each.
fn runs(case: &CaseResult) -> String {
    case.attempts
        .iter()
        .map(|a| {
            let reasons: Vec<String> = a
                .reasons
                .iter()
                .map(|r| format!("{}: {}", r.rule, r.detail))
                .collect();
            format!(
                "run {}: {} in {} ms{}{}",
                a.run,
                a.verdict.as_str(),
                a.latency_ms,
                if reasons.is_empty() { "" } else { "; " },
                reasons.join("; ")
            )
        })
        .collect::<Vec<_>>()
        .join("\n")
}

/// The report as JUnit XML, suite `suite`.
pub fn junit(report: &EvalReport, suite: &str) -> String {
    let failures = report.flaky + report.failed + report.leaked;
    let seconds = |ms: u64| format!("{:.3}", ms as f64 / 1000.0);
    let mut out = String::from("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
    out.push_str(&format!(
        "<testsuite name=\"{}\" tests=\"{}\" failures=\"{failures}\" errors=\"{}\" skipped=\"0\" time=\"{}\">\n",
        attr(suite),
        report.cases.len(),
        report.errors,
        seconds(report.duration_ms)
    ));
    out.push_str(&format!(
        "  <properties>\n    <property name=\"pass_rate\" value=\"{:.3}\"/>\n    <property name=\"pass_k\" value=\"{:.3}\"/>\n    <property name=\"runs_per_case\" value=\"{}\"/>\n  </properties>\n",
        report.pass_rate, report.pass_k, report.runs
    ));
    for case in &report.cases {
        let time: u64 = case
            .attempts
            .iter()
            .map(|a| a.latency_ms)
            .max()
            .unwrap_or(0);
        let open = format!(
            "  <testcase name=\"{}\" classname=\"ai.eval.{}\" time=\"{}\"",
            attr(&case.id),
            case.category.as_str(),
            seconds(time)
        );
        let body = text(&runs(case));
        let inner = match case.state {
            CaseState::Passed => {
                out.push_str(&open);
                out.push_str("/>\n");
                continue;
            }
            CaseState::Error => format!(
                "<error message=\"{}\" type=\"could_not_run\">{body}</error>",
                attr(&first_reason(case))
            ),
            state => format!(
                "<failure message=\"{}\" type=\"{}\">{body}</failure>",
                attr(&first_reason(case)),
                state.as_str()
            ),
        };
        out.push_str(&format!("{open}>\n    {inner}\n  </testcase>\n"));
    }
    out.push_str("</testsuite>\n");
    out
}

/// The report as pretty JSON.
pub fn json(report: &EvalReport) -> String {
    serde_json::to_string_pretty(report).unwrap_or_default()
}
