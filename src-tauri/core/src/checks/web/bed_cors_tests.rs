//! `cors.policy` against the test bed: reflected, wildcard and strict APIs.

use handover_model::Severity;
use handover_testbed::{handler, Response, TestBed};

use super::bed_tests::Bed;

const API: &str = "api.example.test";

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
    assert_eq!(blocker.evidence.len(), 4, "four hostile origins tried");
    assert!(
        blocker.evidence[1].starts_with("Origin: null → 200 allow-origin: null"),
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
