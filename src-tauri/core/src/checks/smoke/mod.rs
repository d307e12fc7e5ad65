//! # `smoke.endpoints`: the post-deploy smoke sequence
//!
//! The project's smoke steps ([`CheckTarget::smoke_steps`], or
//! [`default_smoke_steps`] when it names none) run one after the other,
//! each sending one request to the endpoint of its role — that endpoint's
//! method, body and headers as configured — and judging the answer against
//! the step's expectations: the status (the step's, else the endpoint's
//! expected status), texts the body must contain, a JSON pointer that must
//! be present, and a time limit.
//!
//! One finding per step, in step order: pass when every expectation holds,
//! high when one does not (the title names the step and what failed, the
//! evidence lists every expectation with ✓ or ✗); inconclusive when the
//! step could not run (no answer, a timeout, no endpoint for its role).
//! Every step is sent exactly once and never retried — a chat message
//! posted twice is a second message — and redirects are not followed: the
//! status judged is the one the endpoint itself answers.
//!
//! [`report`] turns the findings into JUnit XML and JSON for CI.

use std::time::{Duration, Instant};

use handover_model::{Cause, Endpoint, Finding, SmokeStep};
use url::Url;

use super::net::Net;
use super::web::{host_for_role, url_for};
use super::{inconclusive, CheckDef, CheckTarget};

mod judge;
pub mod report;
mod send;

#[cfg(test)]
mod bed_tests;
#[cfg(test)]
mod report_tests;

pub use handover_model::smoke::{default_steps as default_smoke_steps, DEFAULT_ROLES};
pub use report::{json_report, junit, step_of, StepState};

/// The check's id.
pub const CHECK: &str = "smoke.endpoints";
/// How long the whole sequence may take; steps not started by then are
/// reported as not run.
pub const SEQUENCE_BUDGET: Duration = Duration::from_secs(150);
/// How long a step's answer may take beyond its own time limit before the
/// step gives up (so a slow answer is still judged, not just timed out).
pub const PAST_LIMIT: Duration = Duration::from_secs(5);

/// The smoke check, under its catalog id.
pub(super) fn checks() -> Vec<CheckDef> {
    vec![CheckDef::new(CHECK, |n, t| Box::pin(sequence(n, t)))
        .only_if(
            |t| !steps(t).is_empty(),
            "homepage, login, chat, API health or webhook endpoint, or smoke steps",
        )
        .deadline(SEQUENCE_BUDGET + Duration::from_secs(10))]
}

/// The steps a run of `target` takes: its own, else the default sequence.
pub fn steps(target: &CheckTarget) -> Vec<SmokeStep> {
    if target.smoke_steps.is_empty() {
        default_smoke_steps(&target.endpoints)
    } else {
        target.smoke_steps.clone()
    }
}

/// Where a step's request goes: the endpoint's full URL when it names one,
/// else its path on the host that serves the role, over HTTPS.
pub fn step_url(target: &CheckTarget, endpoint: &Endpoint) -> Option<Url> {
    let path = endpoint.path.as_str();
    if path.starts_with("https://") || path.starts_with("http://") {
        return Url::parse(path).ok();
    }
    let host = host_for_role(target, endpoint.role.as_str());
    url_for(target, "https", &host, path)
}

/// The first evidence line of every step's finding, e.g. `step 2 of 5: login`.
pub fn step_line(index: usize, total: usize, name: &str) -> String {
    format!("step {} of {total}: {name}", index + 1)
}

/// Runs the steps in order, each once, and returns one finding per step.
async fn sequence(net: &Net, target: &CheckTarget) -> Vec<Finding> {
    let steps = steps(target);
    let started = Instant::now();
    let mut findings = Vec::with_capacity(steps.len());
    for (i, step) in steps.iter().enumerate() {
        let line = step_line(i, steps.len(), step.display_name());
        let left = SEQUENCE_BUDGET.saturating_sub(started.elapsed());
        let mut finding = run_step(net, target, step, left).await;
        finding.evidence.insert(0, line);
        findings.push(finding);
    }
    findings
}

/// One step: find its endpoint, send its request once, judge the answer.
async fn run_step(net: &Net, target: &CheckTarget, step: &SmokeStep, left: Duration) -> Finding {
    let name = step.display_name();
    let Some(endpoint) = target.endpoints.iter().find(|e| e.role == step.role) else {
        let mut f = inconclusive(
            CHECK,
            target.name(),
            Cause::NothingToCheck,
            format!(
                "the project has no {} endpoint for this step to request",
                step.role.as_str()
            ),
        );
        f.title = format!("Smoke step {name:?} did not apply");
        return f;
    };
    let Some(url) = step_url(target, endpoint) else {
        let mut f = inconclusive(
            CHECK,
            target.name(),
            Cause::CouldNotStart,
            format!("{:?} does not make a URL to request", endpoint.path),
        );
        f.title = format!("Could not run smoke step {name:?}");
        return f;
    };
    let limit = step_timeout(step);
    if left < limit.min(Duration::from_secs(1)) {
        let mut f = inconclusive(
            CHECK,
            super::http::redact_url(&url),
            Cause::TimedOut,
            format!(
                "not sent: the sequence's {} s budget ran out before this step",
                SEQUENCE_BUDGET.as_secs()
            ),
        );
        f.title = format!("Could not run smoke step {name:?}: no time left");
        return f;
    }
    let headers = match target.credentials.request_headers(endpoint) {
        Ok(headers) => headers,
        Err(err) => {
            let mut f = inconclusive(
                CHECK,
                super::http::redact_url(&url),
                Cause::CouldNotStart,
                err.to_string(),
            );
            f.title = format!("Could not run smoke step {name:?}: its credential is not available");
            return f;
        }
    };
    let sent = send::once(net, endpoint, headers, url.clone(), limit.min(left)).await;
    judge::step(step, endpoint, &url, sent)
}

/// How long a step waits for its whole answer: the default request
/// deadline, or its own time limit plus [`PAST_LIMIT`] when that is longer.
pub fn step_timeout(step: &SmokeStep) -> Duration {
    let own = step
        .max_ms
        .map(|ms| Duration::from_millis(u64::from(ms)) + PAST_LIMIT)
        .unwrap_or_default();
    own.max(super::http::DEFAULT_TIMEOUT)
}
