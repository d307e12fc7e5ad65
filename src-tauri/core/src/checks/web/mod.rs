//! # The web edge: redirects, security headers, CORS, CDN, mixed content, weight
//!
//! Every check here talks HTTP through [`crate::checks::http`] (capped,
//! deadlined, redirects by hand, redacted evidence) over the run's
//! [`Net`]. [`definitions`] lists them under their catalog ids.
//!
//! Endpoint paths carry no host, so each role is probed on the host that
//! usually serves it: API roles (`api_health`, `chat`, `webhook`) on the
//! first `api.` host, signed-in roles (`login`, `dashboard`, `admin`) on the
//! first `app.` host, everything else on the apex — each falling back to the
//! apex. A path written as a full `https://…` URL is used as is.

use std::future::Future;
use std::time::{Duration, Instant};

use handover_model::{Cause, Finding};
use url::Url;

use super::http::{fetch, FetchError, Method, Request, Response, ACCEPT_ENCODING, DEFAULT_TIMEOUT};
use super::net::Net;
use super::{inconclusive, Body, CheckDef, CheckTarget};

#[cfg(test)]
mod bed_content_tests;
#[cfg(test)]
mod bed_cookie_tests;
#[cfg(test)]
mod bed_cors_tests;
#[cfg(test)]
mod bed_mixed_tests;
#[cfg(test)]
mod bed_page_tests;
#[cfg(test)]
pub(crate) mod bed_tests;
#[cfg(test)]
mod bed_unverified_tests;
pub mod cdn;
pub mod cookies;
pub mod cors;
pub mod csp;
pub mod css;
pub mod headers;
pub mod hsts;
pub mod html;
pub mod landing;
pub mod legacy;
pub mod mixed;
pub mod page;
pub mod policy;
pub mod redirects;
pub mod score;
pub mod sheets;
pub mod weight;

/// Hosts, URLs or chains probed at the same time within one check.
pub const PARALLEL: usize = 8;
/// Deadline of one asset request (scripts, styles, images).
pub const ASSET_TIMEOUT: Duration = Duration::from_secs(5);

/// Roles served by the API host.
pub const API_ROLES: [&str; 3] = ["api_health", "chat", "webhook"];
/// Roles served by the signed-in app host.
pub const APP_ROLES: [&str; 3] = ["login", "dashboard", "admin"];
/// Pages whose HTML is scanned (mixed content, weight).
pub const PAGE_ROLES: [&str; 3] = ["homepage", "login", "dashboard"];

/// A web check's deadline unless it sets its own.
pub const DEADLINE: Duration = Duration::from_secs(30);

/// A web check under `id` with the web deadline.
fn check(id: &'static str, body: Body) -> CheckDef {
    CheckDef::new(id, body).deadline(DEADLINE)
}

/// The web-edge checks, under their catalog ids.
pub(super) fn definitions() -> Vec<CheckDef> {
    let mut checks = Vec::new();
    checks.extend(redirects::checks());
    checks.extend(legacy::checks());
    checks.extend(headers::checks());
    checks.extend(mixed::checks());
    checks.extend(cors::checks());
    checks.extend(cdn::checks());
    checks.extend(weight::checks());
    checks
}

/// Runs the web check `id` over an existing network context (tests and
/// callers with their own limits); `None` for an unknown id.
pub async fn run_with(id: &str, net: &Net, target: &CheckTarget) -> Option<Vec<Finding>> {
    if !definitions().iter().any(|c| c.id == id) {
        return None;
    }
    super::run_with(id, net, target).await
}

/// `scheme://host[:port]path` with the target's ports (default ports left out).
pub fn url_for(target: &CheckTarget, scheme: &str, host: &str, path: &str) -> Option<Url> {
    let port = match scheme {
        "https" => target.https_port,
        _ => target.http_port,
    };
    let default = if scheme == "https" { 443 } else { 80 };
    let authority = if port == 0 || port == default {
        host.to_string()
    } else {
        format!("{host}:{port}")
    };
    let path = if path.starts_with('/') {
        path.to_string()
    } else {
        format!("/{path}")
    };
    Url::parse(&format!("{scheme}://{authority}{path}")).ok()
}

/// The host that serves `role` (see the module docs).
pub fn host_for_role(target: &CheckTarget, role: &str) -> String {
    let prefix = if API_ROLES.contains(&role) {
        "api."
    } else if APP_ROLES.contains(&role) {
        "app."
    } else {
        return target.name();
    };
    target
        .hosts
        .iter()
        .find(|h| h.starts_with(prefix))
        .cloned()
        .unwrap_or_else(|| target.name())
}

/// The HTTPS URLs of the target's paths with one of `roles`, in order,
/// without repeats.
pub fn role_urls(target: &CheckTarget, roles: &[&str]) -> Vec<(String, Url)> {
    let mut out: Vec<(String, Url)> = Vec::new();
    for (role, path) in target
        .paths
        .iter()
        .filter(|(r, _)| roles.contains(&r.as_str()))
    {
        let url = if path.starts_with("https://") || path.starts_with("http://") {
            Url::parse(path).ok()
        } else {
            url_for(target, "https", &host_for_role(target, role), path)
        };
        if let Some(url) = url.filter(|u| !out.iter().any(|(_, seen)| seen == u)) {
            out.push((role.clone(), url));
        }
    }
    out
}

/// The pages whose HTML is scanned: homepage, login and dashboard paths,
/// or the apex's `/` when none is named.
pub fn pages(target: &CheckTarget) -> Vec<(String, Url)> {
    let mut pages = role_urls(target, &PAGE_ROLES);
    if !pages.iter().any(|(role, _)| role == "homepage") {
        if let Some(home) = url_for(target, "https", &target.name(), "/") {
            if !pages.iter().any(|(_, u)| *u == home) {
                pages.insert(0, ("homepage".into(), home));
            }
        }
    }
    pages
}

/// A GET that follows up to the run's redirect limit and reads the body
/// (for pages and assets whose content matters, not their redirects), all
/// within one request deadline.
pub async fn fetch_landed(
    net: &Net,
    url: Url,
    body_limit: Option<usize>,
) -> Result<Response, FetchError> {
    let until = Instant::now() + DEFAULT_TIMEOUT;
    let mut next = url;
    let mut last = None;
    for _ in 0..=net.limits().redirects {
        let left = until.saturating_duration_since(Instant::now());
        if left.is_zero() {
            break;
        }
        let mut request = Request::new(Method::GET, next.clone())
            .header("accept", "text/html,*/*;q=0.8")
            .header("accept-encoding", ACCEPT_ENCODING)
            .timeout(left);
        request.body_limit = body_limit;
        let response = fetch(net, request).await?;
        let joined = response
            .header("location")
            .filter(|_| response.is_redirect())
            .and_then(|l| next.join(l.trim()).ok())
            .filter(|u| matches!(u.scheme(), "http" | "https"));
        match joined {
            Some(to) => {
                next = to;
                last = Some(response);
            }
            None => return Ok(response),
        }
    }
    // Still redirecting at the limit or the deadline: hand back the last answer.
    last.ok_or_else(|| FetchError::Timeout {
        url: next.to_string(),
        after_ms: DEFAULT_TIMEOUT.as_millis() as u64,
    })
}

/// The finding for a host or URL that could not be fetched: inconclusive,
/// because this check looked at nothing; the DNS and TLS checks say why the
/// host is unreachable.
pub fn not_fetched(check: &str, target: impl Into<String>, err: &FetchError) -> Finding {
    let cause = match err {
        FetchError::Timeout { .. } => Cause::TimedOut,
        _ => Cause::Unreachable,
    };
    let reason = match err {
        FetchError::Unreachable {
            url, refused: true, ..
        } => match Url::parse(url) {
            Ok(u) => format!(
                "{}:{} refused the connection: nothing listens there",
                u.host_str().unwrap_or_default(),
                u.port_or_known_default().unwrap_or_default()
            ),
            Err(_) => err.to_string(),
        },
        other => other.to_string(),
    };
    let mut f = inconclusive(check, target, cause, reason);
    f.evidence.push(err.to_string());
    f
}

/// Runs `f` on each item with at most `limit` at a time, keeping order.
pub async fn each<T, F, Fut, R>(items: Vec<T>, limit: usize, f: F) -> Vec<R>
where
    F: Fn(T) -> Fut,
    Fut: Future<Output = R>,
{
    use futures_util::stream::{self, StreamExt};
    stream::iter(items.into_iter().map(f))
        .buffered(limit.max(1))
        .collect()
        .await
}

#[cfg(test)]
mod tests {
    use super::*;

    fn target() -> CheckTarget {
        CheckTarget {
            apex: "example.test".into(),
            hosts: vec![
                "example.test".into(),
                "app.example.test".into(),
                "api.example.test".into(),
            ],
            https_port: 8443,
            http_port: 80,
            paths: vec![
                ("login".into(), "/login".into()),
                ("api_health".into(), "/health".into()),
                ("dashboard".into(), "https://dash.example.test/home".into()),
                ("login".into(), "/login".into()),
            ],
            ..CheckTarget::default()
        }
    }

    #[test]
    fn every_catalog_id_is_registered_once() {
        let ids: Vec<&str> = definitions().iter().map(|c| c.id).collect();
        for id in [
            "redirect.https",
            "redirect.canonical",
            "redirect.chain",
            "redirect.legacy_urls",
            "headers.hsts",
            "headers.csp",
            "headers.content_type",
            "headers.framing",
            "headers.referrer",
            "headers.cookies",
            "headers.disclosure",
            "content.mixed",
            "cors.policy",
            "cdn.proxied",
            "cdn.static_cache",
            "cdn.private_not_cached",
            "weight.page",
        ] {
            assert_eq!(ids.iter().filter(|i| **i == id).count(), 1, "{id}");
        }
        assert_eq!(ids.len(), 17);
    }

    #[test]
    fn roles_map_to_their_hosts_with_the_target_ports() {
        let t = target();
        let urls: Vec<String> = role_urls(&t, &["login", "api_health", "dashboard"])
            .into_iter()
            .map(|(_, u)| u.to_string())
            .collect();
        assert_eq!(
            urls,
            [
                "https://app.example.test:8443/login",
                "https://api.example.test:8443/health",
                "https://dash.example.test/home"
            ]
        );
        assert_eq!(
            url_for(&t, "http", "example.test", "x").unwrap().as_str(),
            "http://example.test/x"
        );
    }

    #[test]
    fn the_homepage_is_scanned_even_when_not_named() {
        let pages: Vec<String> = pages(&target()).into_iter().map(|(r, _)| r).collect();
        assert_eq!(pages, ["homepage", "login", "dashboard"]);
    }
}
