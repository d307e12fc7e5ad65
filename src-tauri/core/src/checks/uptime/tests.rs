//! Shared test helpers, and the parts of the uptime checks that need no
//! network: URLs, traceparent shapes, sign-in pages and redirects.

use std::sync::{Arc, Mutex};

use handover_model::{Endpoint, EndpointRole, Finding, Method, Severity};
use handover_testbed::Request as BedRequest;
use url::Url;

use super::access::{excerpt, is_sign_in, is_sign_in_redirect};
use super::request_id::valid_traceparent;
use super::*;

/// An endpoint with no body or headers.
pub(super) fn endpoint(role: EndpointRole, method: Method, path: &str, status: u16) -> Endpoint {
    Endpoint {
        role,
        method,
        path: path.into(),
        body: String::new(),
        headers: Vec::new(),
        expected_status: status,
        auth: None,
    }
}

/// Check, severity and title of every finding, in order.
pub(super) fn summary(findings: &[Finding]) -> Vec<(&str, Severity, &str)> {
    findings
        .iter()
        .map(|f| (f.check.as_str(), f.severity, f.title.as_str()))
        .collect()
}

/// Requests a bed's handler saw, for asserting what was sent.
pub(super) type Seen = Arc<Mutex<Vec<BedRequest>>>;

/// The requests in `seen` for `path`.
pub(super) fn seen_at(seen: &Seen, path: &str) -> Vec<BedRequest> {
    seen.lock()
        .unwrap()
        .iter()
        .filter(|r| r.path() == path)
        .cloned()
        .collect()
}

fn target() -> CheckTarget {
    CheckTarget {
        apex: "example.test".into(),
        hosts: vec![
            "example.test".into(),
            "app.example.test".into(),
            "api.example.test".into(),
        ],
        https_port: 8443,
        endpoints: vec![
            endpoint(EndpointRole::Homepage, Method::Get, "/", 200),
            endpoint(EndpointRole::Login, Method::Get, "/login", 200),
            endpoint(EndpointRole::ApiHealth, Method::Get, "/health", 200),
            endpoint(EndpointRole::Chat, Method::Post, "/chat", 200),
            endpoint(
                EndpointRole::Webhook,
                Method::Post,
                "https://hooks.example.test/in",
                200,
            ),
            endpoint(EndpointRole::Dashboard, Method::Get, "/home", 200),
            endpoint(EndpointRole::Admin, Method::Get, "/admin", 200),
        ],
        ..CheckTarget::default()
    }
}

#[test]
fn endpoints_land_on_the_host_serving_their_role() {
    let t = target();
    let urls: Vec<(&str, String)> = health::endpoints_of(&t)
        .into_iter()
        .map(|(e, u)| (e.role.as_str(), u.to_string()))
        .collect();
    assert_eq!(
        urls,
        [
            ("homepage", "https://example.test:8443/"),
            ("login", "https://app.example.test:8443/login"),
            ("api_health", "https://api.example.test:8443/health"),
            ("chat", "https://api.example.test:8443/chat"),
            ("webhook", "https://hooks.example.test/in"),
        ]
        .map(|(r, u)| (r, u.to_string()))
    );
}

#[test]
fn request_ids_are_asked_of_the_api_host_and_readable_api_endpoints() {
    let t = target();
    let urls: Vec<String> = request_id::probes(&t)
        .into_iter()
        .map(|p| p.url.to_string())
        .collect();
    // The chat endpoint needs a POST: not sent.
    assert_eq!(
        urls,
        [
            "https://api.example.test:8443/",
            "https://api.example.test:8443/health",
            "https://hooks.example.test/in",
        ]
    );
}

#[test]
fn access_probes_skip_post_endpoints_and_do_not_repeat_admin() {
    let t = target();
    let probes: Vec<(access::Kind, String)> = access::probes(&t)
        .into_iter()
        .map(|p| (p.kind, p.url.to_string()))
        .collect();
    assert_eq!(
        probes,
        [
            (
                access::Kind::Endpoint(EndpointRole::Dashboard),
                "https://app.example.test:8443/home".to_string()
            ),
            (
                access::Kind::Endpoint(EndpointRole::Admin),
                "https://app.example.test:8443/admin".to_string()
            ),
        ]
    );
    let mut bare = target();
    bare.endpoints.clear();
    assert_eq!(
        access::probes(&bare)
            .into_iter()
            .map(|p| (p.kind, p.url.to_string()))
            .collect::<Vec<_>>(),
        [(
            access::Kind::WellKnownAdmin,
            "https://app.example.test:8443/admin".to_string()
        )]
    );
}

#[test]
fn only_reading_methods_are_safe() {
    assert!(is_safe(Method::Get) && is_safe(Method::Head) && is_safe(Method::Options));
    for m in [Method::Post, Method::Put, Method::Patch, Method::Delete] {
        assert!(!is_safe(m), "{m:?}");
    }
}

#[test]
fn traceparent_must_have_the_w3c_shape() {
    let good = "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01";
    assert!(valid_traceparent(good));
    assert!(valid_traceparent(
        "01-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01-future"
    ));
    for bad in [
        "",
        "abc",
        "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7",
        "00-4BF92F3577B34DA6A3CE929D0E0E4736-00F067AA0BA902B7-01",
        "00-00000000000000000000000000000000-00f067aa0ba902b7-01",
        "00-4bf92f3577b34da6a3ce929d0e0e4736-0000000000000000-01",
        "ff-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01",
        "00-4bf92f3577b34da6a3ce929d0e0e473-00f067aa0ba902b7-01",
        "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01-extra",
        "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902bz-01",
    ] {
        assert!(!valid_traceparent(bad), "{bad}");
    }
}

#[test]
fn sign_in_forms_and_redirects_are_recognised() {
    assert!(is_sign_in(
        br#"<form><INPUT name="pw" TYPE = 'password'></form>"#
    ));
    assert!(is_sign_in(b"<input type=password name=p>"));
    assert!(!is_sign_in(b"<p>type=\"password\" in a paragraph</p>"));
    assert!(!is_sign_in(b"{\"users\": []}"));
    let from = Url::parse("https://app.example.test/admin").unwrap();
    for to in [
        "/login?next=/admin",
        "/users/sign-in",
        "/auth/start",
        "https://sso.example.test/",
        "//id.example.net/authorize",
    ] {
        assert!(is_sign_in_redirect(&from, to), "{to}");
    }
    for to in ["/", "/home", "https://app.example.test/welcome"] {
        assert!(!is_sign_in_redirect(&from, to), "{to}");
    }
}

#[test]
fn excerpts_are_short_one_line_and_mask_tokens() {
    let body = format!(
        "{{\"user\":\"ana\",\n\"key\":\"sk_live_{}\",\"x\":\"{}\"}}",
        "a".repeat(30),
        "b".repeat(200)
    );
    let e = excerpt(body.as_bytes());
    assert!(!e.contains('\n') && !e.contains("sk_live"), "{e}");
    assert!(e.starts_with("{\"user\":\"ana\", \"key\":\"…\""), "{e}");
    assert!(e.chars().count() <= access::EXCERPT_CHARS, "{e}");
}

#[test]
fn the_three_checks_are_registered_with_their_ids() {
    let ids: Vec<&str> = checks().iter().map(|c| c.id).collect();
    assert_eq!(
        ids,
        ["uptime.endpoints", "logs.request_id", "access.boundaries"]
    );
}

#[test]
fn durations_read_as_people_say_them() {
    assert_eq!(duration_text(850), "850 ms");
    assert_eq!(duration_text(2000), "2.0 s");
    assert_eq!(duration_text(2240), "2.2 s");
}
