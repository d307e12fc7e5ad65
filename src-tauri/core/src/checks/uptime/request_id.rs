//! `logs.request_id`: the API's responses carry a request id a user can
//! quote, so one search finds their request in the logs.
//!
//! Probed: every `api.` host's `/`, the API health endpoint and a chat
//! endpoint read with `GET`/`HEAD` (as configured, no body), and the
//! webhook (the unsigned probe, [`super::unsigned_webhook`]). Any status
//! counts: request-id middleware answers errors too. Verdict per URL:
//!
//! - one of [`APP_IDS`] with a usable value, or a valid W3C `traceparent`
//!   (`00-<32 hex>-<16 hex>-<2 hex>`) passes;
//! - a malformed `traceparent` (and no other id) is medium: tracing tools
//!   drop it;
//! - only an edge id ([`EDGE_IDS`], e.g. Cloudflare's `cf-ray`) is low: it
//!   finds the request at the edge, not in the app's own logs;
//! - no id at all is medium.
//!
//! Not checked: the log lines themselves (their format, and whether they
//! hold the same id), error pages showing the id, and chat endpoints that
//! need a `POST` (not sent).

use std::time::Duration;

use handover_model::{Cause, Endpoint, EndpointRole, Finding, Severity};
use url::Url;

use super::{configured, is_safe, unsigned_webhook, with_roles, BODY_BYTES, PARALLEL};
use crate::checks::http::{fetch, Request, Response};
use crate::checks::net::Net;
use crate::checks::web::{each, not_fetched, url_for};
use crate::checks::{finding, inconclusive, CheckTarget};

/// The check's id.
pub const CHECK: &str = "logs.request_id";

/// Headers that carry the app's (or its platform's) own request id.
pub const APP_IDS: [&str; 9] = [
    "x-request-id",
    "request-id",
    "x-correlation-id",
    "x-trace-id",
    "x-amzn-requestid",
    "x-amz-request-id",
    "x-amzn-trace-id",
    "x-cloud-trace-context",
    "x-vercel-id",
];

/// The W3C trace context header, judged by its shape.
pub const TRACEPARENT: &str = "traceparent";

/// Ids a CDN adds at the edge: they name the request there, not in the app.
pub const EDGE_IDS: [&str; 2] = ["cf-ray", "x-amz-cf-id"];

/// The longest value read as an id; anything longer is not one.
pub const MAX_ID_LEN: usize = 256;

/// What the detail of every finding says is not looked at.
const NOT_CHECKED: &str =
    "Log lines themselves are not checked: make sure every line of a request carries this id.";

/// One URL to probe and how.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Probe {
    /// The URL.
    pub url: Url,
    /// How it is asked.
    pub kind: ProbeKind,
}

/// How a [`Probe`] asks.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ProbeKind {
    /// A plain `GET` (an `api.` host's `/`).
    Root,
    /// The configured endpoint, sent as configured (a reading method).
    Configured(Box<Endpoint>),
    /// The unsigned webhook probe.
    Webhook,
}

/// The URLs probed, without repeats: `api.` hosts' `/` first, then the
/// API endpoints that can be read (see the module docs).
pub fn probes(target: &CheckTarget) -> Vec<Probe> {
    let mut out: Vec<Probe> = target
        .hosts
        .iter()
        .filter(|h| h.starts_with("api."))
        .filter_map(|h| url_for(target, "https", h, "/"))
        .map(|url| Probe {
            url,
            kind: ProbeKind::Root,
        })
        .collect();
    let roles = [
        EndpointRole::ApiHealth,
        EndpointRole::Chat,
        EndpointRole::Webhook,
    ];
    for (endpoint, url) in with_roles(target, &roles) {
        let kind = match endpoint.role {
            EndpointRole::Webhook => ProbeKind::Webhook,
            _ if is_safe(endpoint.method) => ProbeKind::Configured(Box::new(endpoint.clone())),
            _ => continue,
        };
        if !out.iter().any(|p| p.url == url) {
            out.push(Probe { url, kind });
        }
    }
    out
}

/// One finding per probed URL; `timeout` is each probe's deadline.
pub async fn request_ids(net: &Net, target: &CheckTarget, timeout: Duration) -> Vec<Finding> {
    each(probes(target), PARALLEL, |probe| async move {
        let request = match &probe.kind {
            ProbeKind::Root => Request::get(probe.url.clone())
                .timeout(timeout)
                .body_limit(BODY_BYTES),
            ProbeKind::Configured(endpoint) => {
                match configured(target, endpoint, probe.url.clone(), timeout) {
                    Ok(request) => request,
                    Err(err) => {
                        return inconclusive(
                            CHECK,
                            probe.url.as_str(),
                            Cause::CouldNotStart,
                            err.to_string(),
                        )
                    }
                }
            }
            ProbeKind::Webhook => unsigned_webhook(probe.url.clone(), timeout),
        };
        let method = request.method.to_string();
        match fetch(net, request).await {
            Ok(response) => judge(&probe.url, &response, &method),
            Err(err) => not_fetched(CHECK, probe.url.as_str(), &err),
        }
    })
    .await
}

/// The value of header `name` when it is usable as an id: non-empty,
/// visible ASCII, at most [`MAX_ID_LEN`] characters.
fn id_value<'a>(r: &'a Response, name: &str) -> Option<&'a str> {
    r.header(name)
        .map(str::trim)
        .filter(|v| !v.is_empty() && v.len() <= MAX_ID_LEN)
}

fn is_hex(part: &str, len: usize) -> bool {
    part.len() == len
        && part
            .bytes()
            .all(|b| b.is_ascii_digit() || (b'a'..=b'f').contains(&b))
}

/// Whether `value` is a W3C `traceparent`: `version-trace_id-parent_id-flags`
/// in lower-case hex (2, 32, 16 and 2 digits), trace and parent ids not all
/// zeros, version not `ff`; version `00` has exactly these four parts, a
/// later version may add more after another `-`.
pub fn valid_traceparent(value: &str) -> bool {
    let parts: Vec<&str> = value.trim().split('-').collect();
    let [version, trace, parent, flags, rest @ ..] = parts.as_slice() else {
        return false;
    };
    let shaped = is_hex(version, 2)
        && *version != "ff"
        && is_hex(trace, 32)
        && is_hex(parent, 16)
        && is_hex(flags, 2)
        && trace.bytes().any(|b| b != b'0')
        && parent.bytes().any(|b| b != b'0');
    shaped && (rest.is_empty() || *version != "00")
}

/// The finding for one answer (see the module docs).
pub fn judge(url: &Url, r: &Response, method: &str) -> Finding {
    let mut names: Vec<&str> = APP_IDS
        .iter()
        .copied()
        .filter(|n| id_value(r, n).is_some())
        .collect();
    let traceparent = r.header(TRACEPARENT).map(str::trim);
    let trace_ok = traceparent.is_some_and(valid_traceparent);
    if trace_ok {
        names.push(TRACEPARENT);
    }
    let edge: Vec<&str> = EDGE_IDS
        .iter()
        .copied()
        .filter(|n| id_value(r, n).is_some())
        .collect();
    let (severity, title, detail) = if !names.is_empty() {
        (
            Severity::Pass,
            format!("Responses carry a request id ({})", names.join(", ")),
            NOT_CHECKED.to_string(),
        )
    } else if traceparent.is_some() {
        (
            Severity::Medium,
            "The traceparent header is not a valid W3C trace context".to_string(),
            format!(
                "Tracing tools drop a traceparent that is not 00-<32 hex>-<16 hex>-<2 hex>, so \
                 this id finds nothing. Let the tracing library set it, or send x-request-id. \
                 {NOT_CHECKED}"
            ),
        )
    } else if !edge.is_empty() {
        (
            Severity::Low,
            format!(
                "Only an edge id ({}), not the app's own request id",
                edge.join(", ")
            ),
            format!(
                "{} is the CDN's id for the request: it finds the request in the CDN's logs, not \
                 in yours. Have the app return its own id (x-request-id) and log it on every \
                 line. {NOT_CHECKED}",
                edge.join(", ")
            ),
        )
    } else {
        (
            Severity::Medium,
            "No request id header in the API's responses".to_string(),
            format!(
                "A user cannot quote an id that finds their request in your logs. Return an id \
                 such as x-request-id on every response, show it on error screens, and log it \
                 on every line. {NOT_CHECKED}"
            ),
        )
    };
    let mut f = finding(CHECK, url.as_str(), severity, title, detail);
    let mut shown: Vec<&str> = APP_IDS.to_vec();
    shown.extend(EDGE_IDS);
    shown.push(TRACEPARENT);
    f.evidence = r.evidence(method, &shown);
    f
}
