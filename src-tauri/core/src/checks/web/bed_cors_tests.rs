//! `cors.policy` against the test bed: reflected, wildcard and strict APIs.

use std::sync::{Arc, Mutex};

use handover_model::{Cause, Finding, Outcome, Severity};
use handover_testbed::{handler, Delivery, Handler, Request, Response, TestBed};

use super::bed_tests::Bed;

const API: &str = "api.example.test";
const APP_ORIGIN: &str = "https://app.example.test";
const ADMIN_ORIGIN: &str = "https://admin.example.test";

/// Check, severity, target and title of every finding, in order.
fn summary(findings: &[Finding]) -> Vec<(&str, Severity, &str, &str)> {
    findings
        .iter()
        .map(|f| {
            (
                f.check.as_str(),
                f.severity,
                f.target.as_str(),
                f.title.as_str(),
            )
        })
        .collect()
}

/// An API that echoes, with credentials, the configured origins and every
/// origin `loose` lets through.
fn loose(rule: fn(&str) -> bool) -> Handler {
    handler(move |req| {
        let mut r = Response::new(200).header("Content-Type", "application/json");
        if let Some(origin) = req.header("origin") {
            if origin == APP_ORIGIN || origin == ADMIN_ORIGIN || rule(origin) {
                r = r
                    .header("Access-Control-Allow-Origin", origin)
                    .header("Access-Control-Allow-Credentials", "true");
            }
        }
        r
    })
}

/// An API that echoes any Origin and allows credentials.
fn reflecting() -> handover_testbed::Handler {
    handler(|req| {
        let mut r = Response::new(200)
            .header("Content-Type", "application/json")
            .body("{}");
        if let Some(origin) = req.header("origin") {
            r = r
                .header("Access-Control-Allow-Origin", origin)
                .header("Access-Control-Allow-Credentials", "true");
        }
        r
    })
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_reflected_origin_with_credentials_is_a_blocker() {
    let wildcard = handler(|_| Response::text("ok").header("Access-Control-Allow-Origin", "*"));
    let mut bed = Bed::start(
        TestBed::builder()
            .site(API, reflecting())
            .site("docs.example.test", wildcard),
    )
    .await;
    bed.target.cors_origins = vec!["https://app.example.test".into()];
    let docs_health = bed.https("docs.example.test", "/health");
    bed.target.paths = vec![("api_health".into(), docs_health.clone())];
    let findings = bed.run("cors.policy").await;
    let api = bed.https(API, "/");
    let on_api: Vec<(Severity, &str)> = findings
        .iter()
        .filter(|f| f.target == api)
        .map(|f| (f.severity, f.title.as_str()))
        .collect();
    assert_eq!(
        on_api,
        vec![
            (
                Severity::Blocker,
                "Origin https://evil.example is reflected with credentials"
            ),
            (Severity::Pass, "Every configured origin is accepted"),
        ]
    );
    let blocker = findings
        .iter()
        .find(|f| f.severity == Severity::Blocker)
        .unwrap();
    assert_eq!(
        blocker.evidence.len(),
        16,
        "eight hostile origins tried, each by GET and preflight"
    );
    assert!(
        blocker.evidence[2].starts_with("GET Origin: null → 200 allow-origin: null"),
        "{:?}",
        blocker.evidence
    );
    let on_docs: Vec<Severity> = findings
        .iter()
        .filter(|f| f.target == docs_health)
        .map(|f| f.severity)
        .collect();
    assert_eq!(on_docs, vec![Severity::Low, Severity::Pass]);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_configured_origin_that_is_refused_is_medium() {
    let strict = handler(|req| {
        let mut r = Response::text("ok");
        if req.header("origin") == Some("https://app.example.test") {
            r = r.header("Access-Control-Allow-Origin", "https://app.example.test");
        }
        r
    });
    let mut bed = Bed::start(TestBed::builder().site(API, strict)).await;
    bed.target.cors_origins = vec![
        "https://app.example.test".into(),
        "https://admin.example.test".into(),
    ];
    let findings = bed.run("cors.policy").await;
    let got: Vec<(Severity, &str)> = findings
        .iter()
        .map(|f| (f.severity, f.title.as_str()))
        .collect();
    assert_eq!(
        got,
        vec![
            (Severity::Pass, "Other sites' origins are refused"),
            (
                Severity::Medium,
                "Configured origin(s) refused: https://admin.example.test"
            ),
        ]
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_server_reflecting_only_on_preflight_is_found() {
    let preflight_only = handler(|req: &Request| {
        let asked = req.header("access-control-request-method") == Some("POST")
            && req.header("access-control-request-headers") == Some("content-type, authorization");
        match req.header("origin") {
            Some(origin) if req.method == "OPTIONS" && asked => Response::new(204)
                .header("Access-Control-Allow-Origin", origin)
                .header("Access-Control-Allow-Credentials", "true")
                .header("Access-Control-Allow-Methods", "GET, POST")
                .header(
                    "Access-Control-Allow-Headers",
                    "content-type, authorization",
                ),
            _ => Response::text("ok"),
        }
    });
    let bed = Bed::start(TestBed::builder().site(API, preflight_only)).await;
    let findings = bed.run("cors.policy").await;
    let api = bed.https(API, "/");
    assert_eq!(
        summary(&findings),
        [(
            "cors.policy",
            Severity::Blocker,
            api.as_str(),
            "Origin https://evil.example is reflected with credentials (preflight)"
        )]
    );
    assert_eq!(
        findings[0].evidence[..2],
        [
            "GET Origin: https://evil.example → 200 allow-origin: - allow-credentials: - (refused)",
            "OPTIONS Origin: https://evil.example → 204 allow-origin: https://evil.example allow-credentials: true (reflected with credentials)",
        ]
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn look_alikes_of_every_configured_origin_are_sent() {
    let seen: Arc<Mutex<Vec<(String, String)>>> = Arc::default();
    let log = seen.clone();
    let recording = handler(move |req: &Request| {
        let origin = req.header("origin").unwrap_or("-").to_string();
        log.lock().unwrap().push((req.method.clone(), origin));
        Response::text("ok")
    });
    let mut bed = Bed::start(TestBed::builder().site(API, recording)).await;
    bed.target.cors_origins = vec![APP_ORIGIN.into(), "https://admin.example.test:8443/".into()];
    bed.run("cors.policy").await;
    let mut got = seen.lock().unwrap().clone();
    got.sort();
    let mut want: Vec<(String, String)> = [
        "https://evil.example",
        "null",
        "https://example.test.evil.example",
        "https://evilexample.test",
        "https://app.example.test.evil.example",
        "https://evilapp.example.test",
        "http://app.example.test",
        "https://evil.app.example.test",
        "https://admin.example.test.evil.example:8443",
        "https://eviladmin.example.test:8443",
        "http://admin.example.test:8443",
        "https://evil.admin.example.test:8443",
        APP_ORIGIN,
        "https://admin.example.test:8443",
    ]
    .iter()
    .flat_map(|o| ["GET", "OPTIONS"].map(|m| (m.to_string(), o.to_string())))
    .collect();
    want.sort();
    assert_eq!(got, want);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn each_loose_match_of_a_configured_origin_is_caught() {
    // One API per kind of loose matching, each fooled about the second
    // configured origin only.
    let suffix: fn(&str) -> bool = |o| o.starts_with(ADMIN_ORIGIN);
    let prefix: fn(&str) -> bool = |o| o.ends_with("admin.example.test");
    let scheme: fn(&str) -> bool =
        |o| o.split_once("://").map(|p| p.1) == Some("admin.example.test");
    let subdomain: fn(&str) -> bool = |o| o.ends_with(".admin.example.test");
    let kinds = [
        (API, suffix, "https://admin.example.test.evil.example"),
        (
            "docs.example.test",
            prefix,
            "https://eviladmin.example.test",
        ),
        ("status.example.test", scheme, "http://admin.example.test"),
        (
            "app.example.test",
            subdomain,
            "https://evil.admin.example.test",
        ),
    ];
    let mut builder = TestBed::builder();
    for (host, rule, _) in kinds {
        builder = builder.site(host, loose(rule));
    }
    let mut bed = Bed::start(builder).await;
    bed.target.cors_origins = vec![APP_ORIGIN.into(), ADMIN_ORIGIN.into()];
    bed.target.paths = ["api_health", "chat", "webhook"]
        .iter()
        .zip(&kinds[1..])
        .map(|(role, (host, _, _))| (role.to_string(), bed.https(host, "/v1")))
        .collect();
    let findings = bed.run("cors.policy").await;
    let urls: Vec<String> = kinds
        .iter()
        .map(|(host, _, _)| bed.https(host, if *host == API { "/" } else { "/v1" }))
        .collect();
    let titles: Vec<String> = kinds
        .iter()
        .map(|(_, _, origin)| format!("Origin {origin} is reflected with credentials"))
        .collect();
    let mut want = Vec::new();
    for (url, title) in urls.iter().zip(&titles) {
        want.push((
            "cors.policy",
            Severity::Blocker,
            url.as_str(),
            title.as_str(),
        ));
        want.push((
            "cors.policy",
            Severity::Pass,
            url.as_str(),
            "Every configured origin is accepted",
        ));
    }
    assert_eq!(summary(&findings), want);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn one_failing_probe_keeps_the_other_verdicts() {
    let reflecting = reflecting();
    let flaky = handler(move |req: &Request| {
        if req.method == "GET" && req.header("origin") == Some("null") {
            // More header than the client accepts: this probe gets no answer.
            return Response::text("ok").delivery(Delivery::HugeHeader(1024 * 1024));
        }
        reflecting(req)
    });
    let bed = Bed::start(TestBed::builder().site(API, flaky)).await;
    let findings = bed.run("cors.policy").await;
    let api = bed.https(API, "/");
    assert_eq!(
        summary(&findings),
        [
            (
                "cors.policy",
                Severity::Blocker,
                api.as_str(),
                "Origin https://evil.example is reflected with credentials"
            ),
            (
                "cors.policy",
                Severity::Info,
                api.as_str(),
                "Could not check: no usable answer"
            ),
        ]
    );
    assert_eq!(findings[0].evidence.len(), 7, "every answered probe judged");
    match &findings[1].outcome {
        Outcome::Inconclusive { cause, reason } => {
            assert_eq!(*cause, Cause::Unreachable);
            assert!(
                reason.starts_with("GET with Origin: null got no answer: "),
                "{reason}"
            );
        }
        other => panic!("inconclusive expected, got {other:?}"),
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_wildcard_with_credentials_is_a_medium_misconfiguration() {
    let both = handler(|_| {
        Response::text("ok")
            .header("Access-Control-Allow-Origin", "*")
            .header("Access-Control-Allow-Credentials", "true")
    });
    let bed = Bed::start(TestBed::builder().site(API, both)).await;
    let findings = bed.run("cors.policy").await;
    assert_eq!(
        summary(&findings),
        [(
            "cors.policy",
            Severity::Medium,
            bed.https(API, "/").as_str(),
            "Access-Control-Allow-Origin: * with credentials, which browsers refuse"
        )]
    );
}
