//! The cross-tenant probe of `access.boundaries`: a signed-in credential of
//! one team asks for a resource of another team ([`TenantProbe`]), and must
//! be refused (401, 403 or 404, or a redirect to sign-in).
//!
//! A refusal only means something when the credential works: an expired
//! token is refused everywhere. So the credential is first sent to a
//! signed-in endpoint of the project that uses the same credential (the
//! *control*, its own team's route). Verdicts:
//!
//! - the other team's resource answers 2xx with a body that is not a
//!   sign-in form: a **blocker** (one customer reads another's data), with
//!   the body's first characters, token-looking runs masked;
//! - refused, and the control answered its expected status: pass;
//! - refused, but there is no control, or the control refused the
//!   credential too: inconclusive — a refusal cannot be told from an
//!   expired credential;
//! - an empty 2xx, a 5xx, or another status: medium (not a clean refusal);
//! - 429, no answer, or a credential that could not be read: inconclusive.
//!
//! One `GET` each (the control and the resource), never retried. Not
//! probed: other resources or methods (writes across teams), object ids
//! Handover was not given, and roles within one team.

use std::time::Duration;

use handover_model::{Cause, Endpoint, Finding, Severity, TenantProbe};
use url::Url;

use super::access::{excerpt, is_sign_in, is_sign_in_redirect, CHECK, REFUSALS};
use super::{endpoint_url, is_safe, BODY_BYTES};
use crate::checks::credentials::Source;
use crate::checks::http::{fetch, Method, Request, Response};
use crate::checks::net::Net;
use crate::checks::web::{host_for_role, not_fetched, url_for};
use crate::checks::{finding, inconclusive, CheckTarget};

/// The URL of the other team's resource: a full URL as is, else its path
/// on the API host.
pub fn resource_url(target: &CheckTarget, probe: &TenantProbe) -> Option<Url> {
    let typed = probe.other_tenant_url.trim();
    if typed.starts_with("https://") || typed.starts_with("http://") {
        return Url::parse(typed).ok();
    }
    url_for(target, "https", &host_for_role(target, "api_health"), typed)
}

/// The project's signed-in endpoint that uses the probe's credential, if
/// any: the control.
pub fn control<'a>(target: &'a CheckTarget, probe: &TenantProbe) -> Option<&'a Endpoint> {
    let source = Source::of(&probe.auth);
    target
        .endpoints
        .iter()
        .find(|e| is_safe(e.method) && e.auth.as_ref().is_some_and(|a| Source::of(a) == source))
}

/// How the control went.
enum Control {
    /// It answered its expected status (or a 2xx when none is set).
    Works(String),
    /// There is none, or it did not show the credential works.
    Unknown(String),
}

/// The cross-tenant finding, or `None` when the project names no probe.
pub async fn cross_tenant(net: &Net, target: &CheckTarget, timeout: Duration) -> Option<Finding> {
    let probe = target.tenant_probe.as_ref()?;
    let Some(url) = resource_url(target, probe) else {
        return Some(inconclusive(
            CHECK,
            target.name(),
            Cause::CouldNotStart,
            format!(
                "{:?} does not make a URL to request",
                probe.other_tenant_url
            ),
        ));
    };
    let with = |to: Url| -> Result<Request, String> {
        let (name, value) = target
            .credentials
            .header(&probe.auth)
            .map_err(|e| e.to_string())?;
        let mut request = Request::new(Method::GET, to)
            .header("accept", "application/json,text/html;q=0.9,*/*;q=0.8")
            .timeout(timeout)
            .body_limit(BODY_BYTES);
        request.headers.insert(name, value);
        Ok(request)
    };
    let request = match with(url.clone()) {
        Ok(r) => r,
        Err(reason) => {
            return Some(inconclusive(
                CHECK,
                url.as_str(),
                Cause::CouldNotStart,
                reason,
            ))
        }
    };
    let control = match control(target, probe).and_then(|e| Some((e, endpoint_url(target, e)?))) {
        None => Control::Unknown(
            "no signed-in endpoint of the project uses this credential, so whether it works \
             on its own team's routes is unknown"
                .into(),
        ),
        Some((endpoint, own)) => match with(own.clone()) {
            Err(reason) => Control::Unknown(reason),
            Ok(request) => match fetch(net, request).await {
                Ok(r) if answers_as_expected(endpoint.expected_status, r.status) => Control::Works(
                    format!("control: its own team's {own} answered {}", r.status),
                ),
                Ok(r) => Control::Unknown(format!(
                    "its own team's {own} answered {} with this credential, so it may have expired",
                    r.status
                )),
                Err(err) => Control::Unknown(format!("its own team's {own} did not answer: {err}")),
            },
        },
    };
    let r = match fetch(net, request).await {
        Ok(r) => r,
        Err(err) => return Some(not_fetched(CHECK, url.as_str(), &err)),
    };
    let body = r
        .decoded(BODY_BYTES)
        .map(|d| d.bytes)
        .unwrap_or_else(|_| r.body.clone());
    Some(judge(probe, &url, &r, &body, &control))
}

fn answers_as_expected(expected: u16, status: u16) -> bool {
    if expected == 0 {
        (200..300).contains(&status)
    } else {
        status == expected
    }
}

fn judge(probe: &TenantProbe, url: &Url, r: &Response, body: &[u8], control: &Control) -> Finding {
    let status = r.status;
    let sent = format!(
        "sent with {} as {} (value not shown)",
        probe.auth.source_label(),
        probe.auth.scheme.label().to_lowercase()
    );
    let refused = REFUSALS.contains(&status)
        || (r.is_redirect() && is_sign_in_redirect(url, r.header("location").unwrap_or_default()))
        || ((200..300).contains(&status) && is_sign_in(body));
    let mut f = if status == 429 {
        inconclusive(
            CHECK,
            url.as_str(),
            Cause::Unreachable,
            format!(
                "{url} answered 429 (rate limited), so whether it refuses another team is unknown"
            ),
        )
    } else if refused {
        match control {
            Control::Works(_) => finding(
                CHECK,
                url.as_str(),
                Severity::Pass,
                format!("Another team's resource is refused ({status})"),
                "A working credential of one team was refused on a resource of another team.",
            ),
            Control::Unknown(why) => inconclusive(
                CHECK,
                url.as_str(),
                Cause::CouldNotStart,
                format!(
                    "the other team's resource refused the credential ({status}), but {why}; \
                     a refusal cannot be told from an expired credential — name a signed-in \
                     endpoint that uses the same credential"
                ),
            ),
        }
    } else if (200..300).contains(&status) && !body.is_empty() {
        finding(
            CHECK,
            url.as_str(),
            Severity::Blocker,
            format!("One team's credential reads another team's resource ({status})"),
            "A signed-in customer can read another customer's data by changing an address. \
             Check on the server, for every resource, that it belongs to the caller's team — \
             not only that the caller is signed in — and answer 404 (or 403) otherwise.",
        )
    } else {
        finding(
            CHECK,
            url.as_str(),
            Severity::Medium,
            format!("Another team's resource answers {status} instead of refusing"),
            "A resource of another team is refused cleanly with 403 or 404; an empty success, a \
             redirect elsewhere or a failure may mean the team is checked late or not at all.",
        )
    };
    let mut evidence = r.evidence("GET", &["content-type", "location", "www-authenticate"]);
    evidence.push(sent);
    let (Control::Works(line) | Control::Unknown(line)) = control;
    evidence.push(line.clone());
    evidence.push(format!("status {status}, {} body bytes", body.len()));
    if f.severity == Severity::Blocker {
        evidence.push(format!("body starts: {}", excerpt(body)));
    }
    f.evidence = evidence;
    f
}
