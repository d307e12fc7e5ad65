//! A step's answer against its expectations: status, texts in the body, a
//! JSON pointer, a time limit. Each expectation becomes one evidence line
//! (✓ held, ✗ did not, – could not be looked at) and, when it failed, one
//! part of the title.

use handover_model::{Cause, Endpoint, Finding, Severity, SmokeStep};
use url::Url;

use super::send::BODY_CAP;
use super::CHECK;
use crate::checks::http::{redact_url, FetchError, Response};
use crate::checks::web::not_fetched;
use crate::checks::{finding, inconclusive, measure};

/// Most decoded body bytes searched (a compressed answer may inflate).
const TEXT_CAP: usize = 4 * BODY_CAP;

/// The mark of an expectation that held.
pub const HELD: &str = "✓";
/// The mark of an expectation that did not hold.
pub const FAILED: &str = "✗";
/// The mark of an expectation that could not be looked at.
pub const UNCHECKED: &str = "–";

/// What the detail of a failed step says.
const FAILED_DETAIL: &str = "Right after a deploy this is what users meet first. Compare the \
     evidence with the deploy and the endpoint's logs, fix it, and run the smoke sequence again \
     (`handover smoke`).";

/// One expectation's verdict.
struct Expectation {
    /// `Some(true)` held, `Some(false)` failed, `None` not looked at.
    held: Option<bool>,
    /// The evidence line after its mark.
    line: String,
    /// What the title says when it failed.
    failure: String,
}

impl Expectation {
    fn new(held: Option<bool>, line: String, failure: String) -> Self {
        Self {
            held,
            line,
            failure,
        }
    }

    fn evidence(&self) -> String {
        let mark = match self.held {
            Some(true) => HELD,
            Some(false) => FAILED,
            None => UNCHECKED,
        };
        format!("{mark} {}", self.line)
    }
}

/// The finding for one step, from what its request got.
pub(super) fn step(
    step: &SmokeStep,
    endpoint: &Endpoint,
    url: &Url,
    sent: Result<Response, FetchError>,
) -> Finding {
    let name = step.display_name();
    let method = endpoint.method.as_str();
    let response = match sent {
        Ok(response) => response,
        Err(err) => {
            let mut f = not_fetched(CHECK, redact_url(url), &err);
            let what = match err {
                FetchError::Timeout { .. } => "no answer in time",
                _ => "no usable answer",
            };
            f.title = format!("Could not run smoke step {name:?}: {what}");
            f.evidence
                .insert(0, crate::checks::http::request_line(method, url));
            return f;
        }
    };
    let mut evidence = response.evidence(method, &["content-type"]);
    let measured = vec![
        measure("status", f64::from(response.status), ""),
        measure("ttfb_ms", response.ttfb_ms as f64, "ms"),
        measure("total_ms", response.total_ms as f64, "ms"),
    ];
    if response.timed_out && step.max_ms.is_none() {
        let mut f = inconclusive(
            CHECK,
            redact_url(&response.url),
            Cause::TimedOut,
            format!(
                "the answer's body was still arriving after {} ms",
                response.total_ms
            ),
        );
        f.title = format!("Could not run smoke step {name:?}: no answer in time");
        f.evidence = evidence;
        f.measured = measured;
        return f;
    }
    let expectations = expectations(step, endpoint, &response);
    evidence.extend(expectations.iter().map(Expectation::evidence));
    let failures: Vec<&str> = expectations
        .iter()
        .filter(|e| e.held == Some(false))
        .map(|e| e.failure.as_str())
        .collect();
    let mut f = if failures.is_empty() {
        finding(
            CHECK,
            redact_url(&response.url),
            Severity::Pass,
            format!("Smoke step {name:?} passed"),
            "The endpoint answered the way the step expects.",
        )
    } else {
        finding(
            CHECK,
            redact_url(&response.url),
            Severity::High,
            format!("Smoke step {name:?} failed: {}", failures.join("; ")),
            FAILED_DETAIL,
        )
    };
    f.evidence = evidence;
    f.measured = measured;
    f
}

/// Every expectation of the step, in the order they are listed.
fn expectations(step: &SmokeStep, endpoint: &Endpoint, response: &Response) -> Vec<Expectation> {
    let mut out = Vec::new();
    let want = step.expect_status.unwrap_or(endpoint.expected_status);
    let got = response.status;
    out.push(Expectation::new(
        Some(got == want),
        format!("status {got} (expected {want})"),
        format!("status {got}, expected {want}"),
    ));
    let arriving = response.timed_out;
    let needs_body = !step.body_contains.is_empty() || step.json_pointer.is_some();
    let body = if needs_body && !arriving {
        Some(response.decoded(TEXT_CAP).map(|d| d.bytes))
    } else {
        None
    };
    let cut = if response.truncated {
        format!(" (only the first {} KiB were read)", BODY_CAP / 1024)
    } else {
        String::new()
    };
    for needle in &step.body_contains {
        let line = format!("body contains {needle:?}");
        let failure = format!("body lacks {needle:?}");
        out.push(match &body {
            None => Expectation::new(
                None,
                format!("{line}: the body was still arriving"),
                failure,
            ),
            Some(Err(err)) => Expectation::new(
                Some(false),
                format!("{line}: the body could not be decoded ({err})"),
                failure,
            ),
            Some(Ok(bytes)) => {
                let text = String::from_utf8_lossy(bytes);
                if text.contains(needle.as_str()) {
                    Expectation::new(Some(true), line, failure)
                } else {
                    Expectation::new(Some(false), format!("{line}: not found{cut}"), failure)
                }
            }
        });
    }
    if let Some(pointer) = &step.json_pointer {
        let line = if pointer.is_empty() {
            "answer is JSON".to_string()
        } else {
            format!("JSON has {pointer}")
        };
        let not_json = "answer is not JSON".to_string();
        out.push(match &body {
            None => Expectation::new(
                None,
                format!("{line}: the body was still arriving"),
                not_json,
            ),
            Some(Err(err)) => Expectation::new(
                Some(false),
                format!("{line}: the body could not be decoded ({err})"),
                not_json,
            ),
            Some(Ok(bytes)) => match serde_json::from_slice::<serde_json::Value>(bytes) {
                Err(_) => {
                    let mime = response.mime();
                    let kind = if mime.is_empty() {
                        "no Content-Type".to_string()
                    } else {
                        mime
                    };
                    Expectation::new(
                        Some(false),
                        format!("{line}: the answer is not JSON ({kind}){cut}"),
                        not_json,
                    )
                }
                Ok(value) if value.pointer(pointer).is_some() => {
                    Expectation::new(Some(true), line, String::new())
                }
                Ok(_) => Expectation::new(
                    Some(false),
                    format!("{line}: missing"),
                    format!("no {pointer} in the JSON answer"),
                ),
            },
        });
    }
    if let Some(max) = step.max_ms {
        let took = response.total_ms;
        out.push(if arriving {
            Expectation::new(
                Some(false),
                format!("no full answer within {took} ms (limit {max} ms)"),
                format!("slower than {max} ms"),
            )
        } else {
            Expectation::new(
                Some(took <= u64::from(max)),
                format!("answered in {took} ms (limit {max} ms)"),
                format!("slower than {max} ms"),
            )
        });
    }
    out
}
