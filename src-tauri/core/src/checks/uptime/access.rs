//! `access.boundaries`: what needs a signed-in user refuses a caller
//! without credentials.
//!
//! Probed with a `GET` carrying no cookie and no `Authorization` (the
//! endpoint's other configured headers are kept, credential-looking ones
//! dropped): the admin and dashboard endpoints, chat and webhook endpoints
//! configured with a reading method, and `/admin` on the first `app.` host
//! (unless configured already). A protected URL answers 401, 403 or 404,
//! or redirects to a sign-in page (a `Location` path with one of
//! [`SIGN_IN_WORDS`], or another host: a single sign-on service). Verdicts:
//!
//! - a 2xx with a body is data handed to anyone: a blocker on an admin
//!   endpoint, high elsewhere — unless the body is a sign-in form (a
//!   password input), which is fine, or the very page the host answers for
//!   a path that cannot exist (a single-page app's shell: the data comes
//!   later from the API, and is judged there), which is info;
//! - an empty 2xx (the call was accepted), a redirect elsewhere, a 5xx or
//!   another status is medium: not a refusal, though no data was seen;
//! - 429 is inconclusive (rate limited: nothing was learned), as is a
//!   probe with no answer.
//!
//! Every endpoint the project marks as signed in (it has a credential) is
//! probed the same way, whatever its role: it must refuse a caller without
//! that credential. With a cross-tenant probe configured, [`super::tenant`]
//! adds one finding: another team's resource asked for with one team's
//! credential.
//!
//! Not probed: chat and webhook endpoints that need a `POST` (not sent),
//! admin and debug paths other than `/admin`, and what a *signed-in*
//! non-admin user may reach (roles within one team).

use std::collections::HashMap;
use std::sync::{Arc, Mutex, OnceLock};
use std::time::Duration;

use handover_model::{Cause, Endpoint, EndpointRole, Finding, Severity};
use regex::Regex;
use tokio::sync::OnceCell;
use url::Url;

use super::{endpoint_url, is_safe, with_roles, BODY_BYTES, PARALLEL};
use crate::checks::http::redact::{cut, MASK};
use crate::checks::http::{fetch, Method, Request, Response};
use crate::checks::net::Net;
use crate::checks::web::{each, not_fetched, url_for};
use crate::checks::{finding, inconclusive, CheckTarget};
use crate::sensitive::is_credential_header;

/// The check's id.
pub const CHECK: &str = "access.boundaries";

/// The well-known admin path probed on the app host.
pub const ADMIN_PATH: &str = "/admin";

/// A path no app serves, asked for to learn the host's catch-all page.
pub const CONTROL_PATH: &str = "/handover-access-probe-not-a-page";

/// Statuses that refuse a caller without credentials outright.
pub const REFUSALS: [u16; 3] = [401, 403, 404];

/// Words in a redirect's path that mark a sign-in page.
pub const SIGN_IN_WORDS: [&str; 5] = ["login", "signin", "sign-in", "auth", "sso"];

/// Characters of a leaked body shown in evidence.
pub const EXCERPT_CHARS: usize = 80;

/// What a probed URL is, and so how bad data there is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    /// A configured endpoint with this role.
    Endpoint(EndpointRole),
    /// The well-known [`ADMIN_PATH`] on the app host.
    WellKnownAdmin,
}

impl Kind {
    /// How it is named in titles.
    pub fn label(self) -> &'static str {
        match self {
            Kind::Endpoint(role) => role.label(),
            Kind::WellKnownAdmin => ADMIN_PATH,
        }
    }

    /// The severity of data handed to a caller without credentials.
    pub fn exposed(self) -> Severity {
        match self {
            Kind::Endpoint(EndpointRole::Admin) => Severity::Blocker,
            _ => Severity::High,
        }
    }
}

/// One URL to probe.
#[derive(Debug, Clone)]
pub struct Probe {
    /// The URL.
    pub url: Url,
    /// What it is.
    pub kind: Kind,
    /// The configured endpoint, if any (its non-credential headers are sent).
    pub endpoint: Option<Endpoint>,
}

/// The URLs probed (see the module docs), without repeats.
pub fn probes(target: &CheckTarget) -> Vec<Probe> {
    let roles = [
        EndpointRole::Admin,
        EndpointRole::Dashboard,
        EndpointRole::Chat,
        EndpointRole::Webhook,
    ];
    let mut out: Vec<Probe> = with_roles(target, &roles)
        .into_iter()
        .filter(|(e, _)| is_safe(e.method))
        .map(|(e, url)| Probe {
            url,
            kind: Kind::Endpoint(e.role),
            endpoint: Some(e.clone()),
        })
        .collect();
    for e in target
        .endpoints
        .iter()
        .filter(|e| e.auth.is_some() && is_safe(e.method))
    {
        if let Some(url) = endpoint_url(target, e).filter(|u| !out.iter().any(|p| p.url == *u)) {
            out.push(Probe {
                url,
                kind: Kind::Endpoint(e.role),
                endpoint: Some(e.clone()),
            });
        }
    }
    let admin = target
        .hosts
        .iter()
        .find(|h| h.starts_with("app."))
        .and_then(|h| url_for(target, "https", h, ADMIN_PATH));
    if let Some(url) = admin.filter(|u| !out.iter().any(|p| p.url == *u)) {
        out.push(Probe {
            url,
            kind: Kind::WellKnownAdmin,
            endpoint: None,
        });
    }
    out
}

/// Each host's answer to [`CONTROL_PATH`] (its body when 2xx), asked once.
#[derive(Default)]
struct Controls(Mutex<HashMap<String, Arc<Control>>>);

/// One host's catch-all body (`None`: not a 2xx, or no answer), once asked.
type Control = OnceCell<Option<Vec<u8>>>;

impl Controls {
    async fn body(&self, net: &Net, url: &Url, timeout: Duration) -> Option<Vec<u8>> {
        let key = url.origin().ascii_serialization();
        let cell = self
            .0
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .entry(key)
            .or_default()
            .clone();
        cell.get_or_init(|| async {
            let control = url.join(CONTROL_PATH).ok()?;
            let r = fetch(net, bare(control, timeout)).await.ok()?;
            (200..300).contains(&r.status).then(|| body_of(&r))
        })
        .await
        .clone()
    }
}

/// A credential-free GET of `url`.
fn bare(url: Url, timeout: Duration) -> Request {
    Request::new(Method::GET, url)
        .header("accept", "text/html,application/json;q=0.9,*/*;q=0.8")
        .timeout(timeout)
        .body_limit(BODY_BYTES)
}

/// The body as sent, decoded when it was compressed.
fn body_of(r: &Response) -> Vec<u8> {
    r.decoded(BODY_BYTES)
        .map(|d| d.bytes)
        .unwrap_or_else(|_| r.body.clone())
}

/// One finding per probed URL; `timeout` is each probe's deadline.
pub async fn boundaries(net: &Net, target: &CheckTarget, timeout: Duration) -> Vec<Finding> {
    let controls = &Controls::default();
    let mut findings = each(probes(target), PARALLEL, |probe| async move {
        let mut request = bare(probe.url.clone(), timeout);
        for h in probe.endpoint.iter().flat_map(|e| &e.headers) {
            if !is_credential_header(&h.name) && !h.name.eq_ignore_ascii_case("accept") {
                request = request.header(&h.name, &h.value);
            }
        }
        let r = match fetch(net, request).await {
            Ok(r) => r,
            Err(err) => return not_fetched(CHECK, probe.url.as_str(), &err),
        };
        let body = body_of(&r);
        let shell = if (200..300).contains(&r.status) && !body.is_empty() && !is_sign_in(&body) {
            controls
                .body(net, &probe.url, timeout)
                .await
                .is_some_and(|c| c == body)
        } else {
            false
        };
        judge(probe.kind, &probe.url, &r, &body, shell)
    })
    .await;
    findings.extend(super::tenant::cross_tenant(net, target, timeout).await);
    findings
}

/// Whether `body` holds a password input: a sign-in form.
pub fn is_sign_in(body: &[u8]) -> bool {
    static PASSWORD: OnceLock<Regex> = OnceLock::new();
    let re = PASSWORD.get_or_init(|| {
        Regex::new(r#"(?i)<input\b[^>]*\btype\s*=\s*["']?password\b"#).expect("a valid regex")
    });
    re.is_match(&String::from_utf8_lossy(body))
}

/// Whether a redirect from `from` to `location` goes to a sign-in page: a
/// path with one of [`SIGN_IN_WORDS`], or another host.
pub fn is_sign_in_redirect(from: &Url, location: &str) -> bool {
    let Ok(to) = from.join(location.trim()) else {
        return false;
    };
    if to.host_str() != from.host_str() {
        return true;
    }
    let path = to.path().to_ascii_lowercase();
    SIGN_IN_WORDS.iter().any(|w| path.contains(w))
}

/// The first [`EXCERPT_CHARS`] characters of `body` on one line, with
/// token-looking runs masked.
pub fn excerpt(body: &[u8]) -> String {
    static TOKEN: OnceLock<Regex> = OnceLock::new();
    let re = TOKEN.get_or_init(|| Regex::new(r"[A-Za-z0-9_\-+/=.]{20,}").expect("a valid regex"));
    let text: String = String::from_utf8_lossy(body)
        .chars()
        .take(EXCERPT_CHARS)
        .map(|c| if c.is_control() { ' ' } else { c })
        .collect();
    cut(&re.replace_all(&text, MASK))
}

/// The finding for one answer; `body` is its decoded body, `shell` whether
/// it equals the host's catch-all page.
pub fn judge(kind: Kind, url: &Url, r: &Response, body: &[u8], shell: bool) -> Finding {
    let label = kind.label();
    let status = r.status;
    let no_creds = "a caller without credentials";
    let (severity, title, detail) = if REFUSALS.contains(&status) {
        (
            Severity::Pass,
            format!("{label} refuses {no_creds} ({status})"),
            String::new(),
        )
    } else if r.is_redirect() {
        let location = r.header("location").unwrap_or_default();
        if is_sign_in_redirect(url, location) {
            (
                Severity::Pass,
                format!("{label} redirects {no_creds} to sign-in"),
                String::new(),
            )
        } else {
            (
                Severity::Medium,
                format!("{label} redirects {no_creds} to a page that is not a sign-in"),
                "Follow the redirect in a private window: the page it leads to must ask for \
                 sign-in, not show the area."
                    .to_string(),
            )
        }
    } else if status == 429 {
        let mut f = inconclusive(
            CHECK,
            url.as_str(),
            Cause::Unreachable,
            format!(
                "{url} answered 429 (rate limited), so whether it refuses {no_creds} is unknown"
            ),
        );
        f.evidence = r.evidence("GET", &["content-type", "retry-after"]);
        return f;
    } else if (200..300).contains(&status) && body.is_empty() {
        (
            Severity::Medium,
            format!("{label} accepts {no_creds} ({status})"),
            "No data came back, but the call was accepted: a protected endpoint answers 401 or 403."
                .to_string(),
        )
    } else if (200..300).contains(&status) && is_sign_in(body) {
        (
            Severity::Pass,
            format!("{label} shows a sign-in form to {no_creds}"),
            String::new(),
        )
    } else if (200..300).contains(&status) && shell {
        (
            Severity::Info,
            format!("{label} answers with the app's catch-all page"),
            "The host answers every path with this same page (a single-page app), so its data \
             comes from the API afterwards; the API endpoints are judged on their own."
                .to_string(),
        )
    } else if (200..300).contains(&status) {
        (
            kind.exposed(),
            format!("{label} answers {status} with content to {no_creds}"),
            "Anyone who finds this URL gets this without signing in; scanners try such paths \
             first. Require a signed-in session (and an admin role for admin pages) on the \
             server, and answer 401, 403 or 404 otherwise."
                .to_string(),
        )
    } else if status >= 500 {
        (
            Severity::Medium,
            format!("{label} fails with {status} for {no_creds}"),
            "A protected route refuses cleanly with 401 or 403; a failure here may mean it runs \
             before checking who is calling."
                .to_string(),
        )
    } else if (400..500).contains(&status) {
        (
            Severity::Pass,
            format!("{label} refuses {no_creds} ({status})"),
            String::new(),
        )
    } else {
        (
            Severity::Medium,
            format!("{label} answers {status} to {no_creds}"),
            "A protected route answers 401, 403 or 404, or redirects to sign-in.".to_string(),
        )
    };
    let mut f = finding(CHECK, url.as_str(), severity, title, detail);
    f.evidence = r.evidence("GET", &["content-type", "location", "www-authenticate"]);
    f.evidence.push(format!(
        "status {status}, content-type {}, {} body bytes{}",
        Some(r.mime())
            .filter(|m| !m.is_empty())
            .unwrap_or_else(|| "-".into()),
        body.len(),
        if r.truncated { " (cut)" } else { "" }
    ));
    if severity >= Severity::High {
        f.evidence.push(format!("body starts: {}", excerpt(body)));
    }
    f
}
