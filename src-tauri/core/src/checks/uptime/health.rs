//! `uptime.endpoints`: the endpoints users feel when they are down answer
//! in time, with the status they should.
//!
//! Probed roles: homepage, login, API health, chat and webhook
//! ([`ROLES`]). Each endpoint gets one request within the probe timeout:
//!
//! - a safe endpoint (`GET`, `HEAD`, `OPTIONS`) is sent as configured (its
//!   headers; no body) and must answer its `expected_status`; another
//!   status or any 5xx is high;
//! - a webhook gets the unsigned probe ([`super::unsigned_webhook`]): a
//!   receiver that checks signatures rejects it (400, 401, 403, 422 are
//!   fine), so only an answer that breaks deliveries is judged: 5xx and
//!   404/405/410 are high, a redirect is medium (most senders do not follow
//!   one);
//! - any other endpoint (a chat `POST`) is not sent here — it would start
//!   a real conversation — and an info finding says so;
//! - a **signed-in route** — any safe endpoint with a credential (a
//!   dashboard, an app page), whatever its role — is sent with that
//!   credential (from the keychain, see [`crate::checks::credentials`])
//!   and judged like the others. If it refuses the credential (401, 403,
//!   or a redirect where the project expects no redirect) the check could
//!   not see the route: inconclusive, with "renew the credential", never a
//!   failure of the product; a credential that could not be read is
//!   inconclusive too.
//!
//! An answer slower than [`SLOW_MS`] is medium. Time to first byte and
//! total time are measured (`ttfb_ms`, `total_ms`; both count from when the
//! probe was issued, so a wait for the origin's connection budget is
//! included). A probe that got no answer — refused, unreachable, or no
//! answer within the timeout, a hanging webhook receiver included — is
//! inconclusive: the check could not look, which is never a pass.
//!
//! Not probed: whether an outside monitor watches these endpoints and
//! alerts a person within minutes; the endpoints from other networks or
//! regions; chat endpoints that need a `POST`.

use std::time::Duration;

use handover_model::{Cause, Endpoint, EndpointRole, Finding, Severity};
use url::Url;

use super::{
    configured, duration_text, endpoint_url, is_safe, unsigned_webhook, with_roles, PARALLEL,
};
use crate::checks::http::{fetch, FetchError, Response};
use crate::checks::net::Net;
use crate::checks::web::{each, not_fetched};
use crate::checks::{finding, inconclusive, measure, CheckTarget};

/// The check's id.
pub const CHECK: &str = "uptime.endpoints";

/// The roles probed.
pub const ROLES: [EndpointRole; 5] = [
    EndpointRole::Homepage,
    EndpointRole::Login,
    EndpointRole::ApiHealth,
    EndpointRole::Chat,
    EndpointRole::Webhook,
];

/// An answer that took longer than this (total, ms) is slow: medium.
pub const SLOW_MS: u64 = 2000;

/// Statuses a webhook receiver may give an unsigned call: it refused it.
pub const WEBHOOK_REFUSALS: [u16; 4] = [400, 401, 403, 422];

/// Statuses that mean the webhook path does not take deliveries at all.
pub const WEBHOOK_BROKEN: [u16; 3] = [404, 405, 410];

/// The endpoints this check probes, with their URLs: those of [`ROLES`],
/// then every other safe endpoint that is signed in.
pub fn endpoints_of(target: &CheckTarget) -> Vec<(&Endpoint, Url)> {
    let mut out = with_roles(target, &ROLES);
    let signed_in = target
        .endpoints
        .iter()
        .filter(|e| e.auth.is_some() && is_safe(e.method) && !ROLES.contains(&e.role));
    for endpoint in signed_in {
        if let Some(url) = endpoint_url(target, endpoint) {
            if !out.iter().any(|(_, seen)| *seen == url) {
                out.push((endpoint, url));
            }
        }
    }
    out
}

/// One finding per probed endpoint; `timeout` is each probe's deadline.
pub async fn endpoints(net: &Net, target: &CheckTarget, timeout: Duration) -> Vec<Finding> {
    let owned: Vec<(Endpoint, Url)> = endpoints_of(target)
        .into_iter()
        .map(|(e, url)| (e.clone(), url))
        .collect();
    each(owned, PARALLEL, |(endpoint, url)| async move {
        probe(net, target, &endpoint, url, timeout).await
    })
    .await
}

async fn probe(
    net: &Net,
    target: &CheckTarget,
    endpoint: &Endpoint,
    url: Url,
    timeout: Duration,
) -> Finding {
    let signed_in = endpoint.auth.is_some();
    let label = if signed_in {
        format!("{} (signed in)", endpoint.role.label())
    } else {
        endpoint.role.label().to_string()
    };
    let webhook = endpoint.role == EndpointRole::Webhook;
    let request = if webhook {
        unsigned_webhook(url.clone(), timeout)
    } else if is_safe(endpoint.method) {
        match configured(target, endpoint, url.clone(), timeout) {
            Ok(request) => request,
            Err(err) => {
                return inconclusive(CHECK, url.as_str(), Cause::CouldNotStart, err.to_string())
            }
        }
    } else {
        return skipped(endpoint, &url);
    };
    let method = request.method.to_string();
    match fetch(net, request).await {
        Ok(response) if webhook => judge_webhook(&url, &response),
        Ok(response) if signed_in && refused(endpoint.expected_status, response.status) => {
            credential_refused(&label, &url, &response, &method)
        }
        Ok(response) => judge(&label, endpoint.expected_status, &url, &response, &method),
        Err(err) => unanswered(&url, &err),
    }
}

/// Whether a signed-in route's `status` says the credential was not
/// accepted: 401 or 403, or a redirect (to a sign-in page) where the
/// project expects no redirect.
fn refused(expected_status: u16, status: u16) -> bool {
    matches!(status, 401 | 403)
        || ((300..400).contains(&status) && !(300..400).contains(&expected_status))
}

/// The finding for a signed-in route that did not accept its credential:
/// the route itself was not seen, so this is not a judgement of it.
fn credential_refused(label: &str, url: &Url, r: &Response, method: &str) -> Finding {
    let mut f = inconclusive(
        CHECK,
        url.as_str(),
        Cause::CouldNotStart,
        format!(
            "the stored credential was not accepted ({}): renew it in Accounts and recheck; \
             until then Handover cannot see whether the {} route works",
            r.status,
            label.to_lowercase()
        ),
    );
    f.evidence = r.evidence(method, &["content-type", "location", "www-authenticate"]);
    f
}

/// The finding for an endpoint whose method is not sent by this check.
fn skipped(endpoint: &Endpoint, url: &Url) -> Finding {
    let method = endpoint.method.as_str();
    finding(
        CHECK,
        url.as_str(),
        Severity::Info,
        format!(
            "{} endpoint not probed: {method} is not sent by the uptime check",
            endpoint.role.label()
        ),
        format!(
            "A {method} here would change something (a chat message starts a real conversation \
             and costs a model call), so only endpoints that read are probed for uptime. Point an \
             outside monitor at a health route the {} feature depends on.",
            endpoint.role.label().to_lowercase()
        ),
    )
}

fn unanswered(url: &Url, err: &FetchError) -> Finding {
    not_fetched(CHECK, url.as_str(), err)
}

/// Whether an answer took longer than [`SLOW_MS`].
pub fn is_slow(response: &Response) -> bool {
    response.total_ms > SLOW_MS
}

/// The status `expected` allows: itself, or any 2xx/3xx when none is set.
fn expected(expected: u16, status: u16) -> bool {
    if expected == 0 {
        (200..400).contains(&status)
    } else {
        status == expected
    }
}

/// The finding for a safe endpoint's answer.
pub fn judge(label: &str, expected_status: u16, url: &Url, r: &Response, method: &str) -> Finding {
    let status = r.status;
    let slow = is_slow(r);
    let (severity, title, mut detail) = if status >= 500 {
        (
            Severity::High,
            format!("{label} fails with {status}"),
            "Users get an error page here right now. Look at the server's logs for this route."
                .to_string(),
        )
    } else if !expected(expected_status, status) {
        let want = if expected_status == 0 {
            "a 2xx or 3xx".to_string()
        } else {
            expected_status.to_string()
        };
        (
            Severity::High,
            format!("{label} answers {status}, expected {want}"),
            "The endpoint does not answer the way the project says a healthy one does: it moved, \
             broke, or the expected status in the project is out of date."
                .to_string(),
        )
    } else if slow {
        (
            Severity::Medium,
            format!("{label} answers slowly (over {})", duration_text(SLOW_MS)),
            String::new(),
        )
    } else {
        (
            Severity::Pass,
            format!("{label} answers {status} as expected"),
            String::new(),
        )
    };
    if slow {
        let took = format!(
            "It took {} to answer ({} to the first byte); people notice and monitors with short \
             timeouts start failing.",
            duration_text(r.total_ms),
            duration_text(r.ttfb_ms)
        );
        detail = [detail, took]
            .into_iter()
            .filter(|s| !s.is_empty())
            .collect::<Vec<_>>()
            .join(" ");
    }
    timed(
        finding(CHECK, url.as_str(), severity, title, detail),
        r,
        method,
    )
}

/// The finding for the webhook's answer to the unsigned probe.
pub fn judge_webhook(url: &Url, r: &Response) -> Finding {
    let status = r.status;
    let (severity, title, detail) = if status >= 500 {
        (
            Severity::High,
            format!("Webhook fails with {status} on an unsigned call"),
            "A receiver that crashes on a bad call likely crashes on real deliveries too, and \
             senders retry and then disable the webhook. Reject unverified calls with 400 or 401.",
        )
    } else if WEBHOOK_BROKEN.contains(&status) {
        (
            Severity::High,
            format!("Webhook answers {status} to a POST: deliveries would fail"),
            "Nothing takes POSTs at this path. Check the path registered with the sender and the \
             route on the server.",
        )
    } else if (300..400).contains(&status) {
        (
            Severity::Medium,
            format!("Webhook redirects ({status})"),
            "Most webhook senders do not follow redirects, so deliveries end here. Register the \
             final URL with the sender.",
        )
    } else if WEBHOOK_REFUSALS.contains(&status) {
        (
            Severity::Pass,
            format!("Webhook rejects an unsigned call ({status})"),
            "",
        )
    } else {
        (
            Severity::Pass,
            format!("Webhook answers {status} to an unsigned call"),
            "The receiver is up. Whether it verifies signatures before acting is not judged \
             here: make sure an unsigned call changes nothing.",
        )
    };
    let mut f = finding(CHECK, url.as_str(), severity, title, detail);
    if is_slow(r) && severity < Severity::Medium {
        f.severity = Severity::Medium;
        f.title = format!("Webhook answers slowly (over {})", duration_text(SLOW_MS));
        f.detail = format!(
            "It took {} to answer an unsigned call; senders time out after a few seconds and \
             retry.",
            duration_text(r.total_ms)
        );
    }
    timed(f, r, "POST")
}

/// Adds the answer's evidence and timings to `f`.
fn timed(mut f: Finding, r: &Response, method: &str) -> Finding {
    f.evidence = r.evidence(method, &["content-type", "location"]);
    f.evidence.push(format!(
        "first byte after {}, complete after {}",
        duration_text(r.ttfb_ms),
        duration_text(r.total_ms)
    ));
    if r.timed_out {
        f.evidence
            .push("the body was still arriving when the probe gave up".into());
    }
    f.measured = vec![
        measure("ttfb_ms", r.ttfb_ms as f64, "ms"),
        measure("total_ms", r.total_ms as f64, "ms"),
        measure("status", f64::from(r.status), ""),
    ];
    f
}
