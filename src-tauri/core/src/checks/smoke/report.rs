//! The smoke sequence's findings for CI: JUnit XML ([`junit`]) and JSON
//! ([`json_report`]), one test case per step in step order.
//!
//! A step whose expectation failed is a `<failure>`; one that could not run
//! (no answer, a timeout, the check cut off) is an `<error>`, and one that
//! did not apply (no endpoint for its role) is `<skipped>` — never a
//! failure, so a CI log never blames the product for what Handover could
//! not look at.

use handover_model::Finding;
use serde_json::json;

/// How a step ended, the counts and the step order are the model's, so the
/// window reads a run exactly as CI does.
pub use handover_model::smoke::{ordered, step_of, StepState, Tally};

/// The name a test case gets: the step's, else the check id.
fn case_name(finding: &Finding) -> String {
    step_of(finding).map_or_else(|| finding.check.clone(), |(_, name)| name)
}

/// The whole answer's time in milliseconds, when the step measured it.
fn total_ms(finding: &Finding) -> Option<f64> {
    finding
        .measured
        .iter()
        .find(|m| m.name == "total_ms")
        .map(|m| m.value)
}

/// What an error or skip says: the reason, else the title.
fn reason(finding: &Finding) -> &str {
    finding.outcome.reason().unwrap_or(&finding.title)
}

/// The findings as one JUnit `<testsuite>` named `suite`, a `<testcase>`
/// per step in step order (see the module docs for how each ends).
pub fn junit(results: &[Finding], suite: &str) -> String {
    let steps = ordered(results);
    let tally = Tally::of(results);
    let seconds = |ms: f64| format!("{:.3}", ms / 1000.0);
    let total: f64 = steps.iter().filter_map(|f| total_ms(f)).sum();
    let mut out = String::from("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
    out.push_str(&format!(
        "<testsuite name=\"{}\" tests=\"{}\" failures=\"{}\" errors=\"{}\" skipped=\"{}\" time=\"{}\">\n",
        attr(suite),
        tally.tests,
        tally.failures,
        tally.errors,
        tally.skipped,
        seconds(total)
    ));
    for f in steps {
        let open = format!(
            "  <testcase name=\"{}\" classname=\"{}\" time=\"{}\"",
            attr(&case_name(f)),
            attr(&f.check),
            seconds(total_ms(f).unwrap_or(0.0))
        );
        let evidence = text(&f.evidence.join("\n"));
        let inner = match StepState::of(f) {
            StepState::Passed => {
                out.push_str(&open);
                out.push_str("/>\n");
                continue;
            }
            StepState::Failed => format!(
                "<failure message=\"{}\" type=\"{}\">{evidence}</failure>",
                attr(&f.title),
                f.severity.as_str()
            ),
            StepState::Error => format!(
                "<error message=\"{}\" type=\"{}\">{evidence}</error>",
                attr(reason(f)),
                f.outcome.cause().map_or("error", |c| c.as_str())
            ),
            StepState::Skipped => format!("<skipped message=\"{}\"/>", attr(reason(f))),
        };
        out.push_str(&format!("{open}>\n    {inner}\n  </testcase>\n"));
    }
    out.push_str("</testsuite>\n");
    out
}

/// The findings as a JSON document for CI: the counts, whether every step
/// passed, and each step in order with its state, target, title, reason,
/// status, time and evidence.
pub fn json_report(results: &[Finding], suite: &str) -> String {
    let tally = Tally::of(results);
    let steps: Vec<serde_json::Value> = ordered(results)
        .into_iter()
        .map(|f| {
            let status = f
                .measured
                .iter()
                .find(|m| m.name == "status")
                .map(|m| m.value as u16);
            json!({
                "step": step_of(f).map(|(n, _)| n),
                "name": case_name(f),
                "state": StepState::of(f).as_str(),
                "target": f.target,
                "title": f.title,
                "reason": f.outcome.reason(),
                "status": status,
                "total_ms": total_ms(f).map(|ms| ms as u64),
                "evidence": f.evidence,
            })
        })
        .collect();
    let document = json!({
        "suite": suite,
        "passed": tally.all_passed(),
        "tests": tally.tests,
        "failures": tally.failures,
        "errors": tally.errors,
        "skipped": tally.skipped,
        "time_ms": results.iter().filter_map(total_ms).sum::<f64>() as u64,
        "steps": steps,
    });
    serde_json::to_string_pretty(&document).unwrap_or_else(|_| document.to_string()) + "\n"
}

/// Text escaped for XML character data. Characters XML 1.0 cannot carry
/// at all (most control characters) become U+FFFD.
pub(crate) fn text(value: &str) -> String {
    escape(value, false)
}

/// Text escaped for a double-quoted XML attribute; line breaks and tabs
/// are written as references so parsers keep them.
pub(crate) fn attr(value: &str) -> String {
    escape(value, true)
}

fn escape(value: &str, attribute: bool) -> String {
    let mut out = String::with_capacity(value.len());
    for c in value.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&apos;"),
            '\n' if attribute => out.push_str("&#10;"),
            '\r' => out.push_str("&#13;"),
            '\t' if attribute => out.push_str("&#9;"),
            '\n' | '\t' => out.push(c),
            c if is_xml_char(c) => out.push(c),
            _ => out.push('\u{FFFD}'),
        }
    }
    out
}

/// Whether XML 1.0 allows `c` in a document (§2.2, `Char`).
fn is_xml_char(c: char) -> bool {
    matches!(c, '\u{20}'..='\u{D7FF}' | '\u{E000}'..='\u{FFFD}' | '\u{10000}'..)
}
