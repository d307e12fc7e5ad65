//! # Uptime, request ids and access boundaries
//!
//! Three checks over the project's configured endpoints, each talking HTTP
//! only through [`crate::checks::http::fetch`] (capped, deadlined, within
//! the origin's connection budget, redacted evidence):
//!
//! - [`health`] — `uptime.endpoints`: the homepage, login, API health,
//!   chat and webhook endpoints answer in time with the status they should;
//! - [`request_id`] — `logs.request_id`: API responses carry a request id a
//!   user can quote;
//! - [`access`] — `access.boundaries`: admin, dashboard and API endpoints
//!   refuse a caller without credentials.
//!
//! Each endpoint's path is placed on the host that usually serves its role
//! ([`host_for_role`]); a path written as a full `http(s)://` URL is used
//! as is. Redirects are never followed: the first answer is judged.
//!
//! What is **not** probed:
//!
//! - an endpoint whose method changes state (`POST`, `PUT`, `PATCH`,
//!   `DELETE`) is not sent at all — a chat `POST` would start a real
//!   conversation and cost a model call — except the webhook, which gets
//!   an unsigned probe: a `POST` of `{}` as `application/json`, with no
//!   signature header;
//! - whether an outside monitor watches these endpoints and alerts a
//!   person (the checklist item's other half) is not visible from here;
//! - log lines themselves (format, fields, whether they hold the id).

use std::time::Duration;

use handover_model::{Endpoint, EndpointRole};
use url::Url;

use super::credentials::CredentialError;
use super::http::{Method, Request};
use super::web::{host_for_role, url_for};
use super::{CheckDef, CheckTarget};

pub mod access;
pub mod health;
pub mod request_id;
pub mod tenant;

#[cfg(test)]
mod access_tests;
#[cfg(test)]
mod health_tests;
#[cfg(test)]
mod request_id_tests;
#[cfg(test)]
mod signed_in_tests;
#[cfg(test)]
mod tests;

/// Deadline of one probe, connect to last body byte.
pub const PROBE_TIMEOUT: Duration = Duration::from_secs(10);

/// Body bytes read from one answer (enough to tell a login form from data).
pub const BODY_BYTES: usize = 256 * 1024;

/// Hosts or endpoints probed at once within one check (the origin's
/// connection budget still applies on top).
pub const PARALLEL: usize = 4;

/// How long each of these checks may take: probes of one host queue behind
/// its connection budget (two at a time), so with three or four probes on
/// one host, plus the catch-all page [`access`] may ask for, several may
/// wait a full [`PROBE_TIMEOUT`] one after the other.
pub const CHECK_DEADLINE: Duration = Duration::from_secs(45);

pub(super) fn checks() -> Vec<CheckDef> {
    vec![
        CheckDef::new(health::CHECK, |n, t| {
            Box::pin(health::endpoints(n, t, PROBE_TIMEOUT))
        })
        .only_if(
            |t| !health::endpoints_of(t).is_empty(),
            "a homepage, login, API health, chat or webhook endpoint, or a signed-in route",
        )
        .deadline(CHECK_DEADLINE),
        CheckDef::new(request_id::CHECK, |n, t| {
            Box::pin(request_id::request_ids(n, t, PROBE_TIMEOUT))
        })
        .only_if(
            |t| !request_id::probes(t).is_empty(),
            "an api. host or an API endpoint (api_health, chat, webhook)",
        )
        .deadline(CHECK_DEADLINE),
        CheckDef::new(access::CHECK, |n, t| {
            Box::pin(access::boundaries(n, t, PROBE_TIMEOUT))
        })
        .only_if(
            |t| !access::probes(t).is_empty() || t.tenant_probe.is_some(),
            "an app. host, an admin, dashboard, API or signed-in endpoint, or a cross-tenant probe",
        )
        .deadline(CHECK_DEADLINE),
    ]
}

/// Whether `method` only reads (`GET`, `HEAD`, `OPTIONS`): safe to send
/// as configured, with no body.
pub fn is_safe(method: handover_model::Method) -> bool {
    use handover_model::Method as M;
    matches!(method, M::Get | M::Head | M::Options)
}

/// The URL of `endpoint`: a full `http(s)://` path as is, else its path on
/// the host serving its role.
pub fn endpoint_url(target: &CheckTarget, endpoint: &Endpoint) -> Option<Url> {
    let path = endpoint.path.trim();
    if path.starts_with("https://") || path.starts_with("http://") {
        return Url::parse(path).ok();
    }
    let role = endpoint.role.as_str();
    url_for(target, "https", &host_for_role(target, role), path)
}

/// The endpoint as configured — its (safe) method, its headers and its
/// credential (from the run's [`CheckTarget::credentials`]), with no body —
/// within `timeout`, reading at most [`BODY_BYTES`]. Fails only when the
/// endpoint is signed in and its credential could not be read.
pub fn configured(
    target: &CheckTarget,
    endpoint: &Endpoint,
    url: Url,
    timeout: Duration,
) -> Result<Request, CredentialError> {
    let method = Method::from_bytes(endpoint.method.as_str().as_bytes()).unwrap_or(Method::GET);
    let mut request = Request::new(method, url);
    request.headers = target.credentials.request_headers(endpoint)?;
    Ok(request.timeout(timeout).body_limit(BODY_BYTES))
}

/// The unsigned webhook probe: a `POST` declaring JSON, with no signature
/// and no credentials (see the module docs on its body).
pub fn unsigned_webhook(url: Url, timeout: Duration) -> Request {
    Request::new(Method::POST, url)
        .header("content-type", "application/json")
        .body("{}")
        .timeout(timeout)
        .body_limit(BODY_BYTES)
}

/// Endpoints with one of `roles`, with their URLs, in configured order and
/// without repeated URLs.
pub fn with_roles<'a>(target: &'a CheckTarget, roles: &[EndpointRole]) -> Vec<(&'a Endpoint, Url)> {
    let mut out: Vec<(&Endpoint, Url)> = Vec::new();
    for endpoint in target.endpoints.iter().filter(|e| roles.contains(&e.role)) {
        if let Some(url) = endpoint_url(target, endpoint) {
            if !out.iter().any(|(_, seen)| *seen == url) {
                out.push((endpoint, url));
            }
        }
    }
    out
}

/// Milliseconds as a person reads them: `850 ms`, `2.2 s`.
pub fn duration_text(ms: u64) -> String {
    if ms < 1000 {
        format!("{ms} ms")
    } else {
        format!("{:.1} s", ms as f64 / 1000.0)
    }
}
