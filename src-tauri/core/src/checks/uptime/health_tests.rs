//! `uptime.endpoints` against the test bed, with exact expected findings.

use std::time::Duration;

use handover_model::{Cause, EndpointRole, Method, Severity};
use handover_testbed::{handler, Delivery, Handler, Response, Routes, TestBed};

use super::health::{endpoints, CHECK};
use super::tests::{endpoint, seen_at, summary, Seen};
use crate::checks::web::bed_tests::Bed;

const APEX: &str = "example.test";
const APP: &str = "app.example.test";
const API: &str = "api.example.test";

/// A short probe timeout, for the tests that wait for one.
const SHORT: Duration = Duration::from_secs(1);

/// An API with a healthy `/health` and `/chat`, `/webhook` as given, and
/// the requests it saw.
fn api(webhook: Response, seen: &Seen) -> Handler {
    let seen = seen.clone();
    handler(move |req| {
        seen.lock().unwrap().push(req.clone());
        match req.path() {
            "/health" => Response::text("ok"),
            "/chat" => Response::new(200)
                .header("Content-Type", "application/json")
                .body("{\"messages\":[]}"),
            "/webhook" => webhook.clone(),
            _ => Response::not_found(),
        }
    })
}

/// A bed with a homepage, a login page and `api`, probing the five roles
/// (the chat read with GET).
async fn bed_with(api: Handler) -> Bed {
    let login = Routes::new().route("/login", Response::html("<form>sign in</form>"));
    let mut bed = Bed::start(
        TestBed::builder()
            .site(APP, login.into_handler())
            .site(API, api),
    )
    .await;
    bed.target.endpoints = vec![
        endpoint(EndpointRole::Homepage, Method::Get, "/", 200),
        endpoint(EndpointRole::Login, Method::Get, "/login", 200),
        endpoint(EndpointRole::ApiHealth, Method::Get, "/health", 200),
        endpoint(EndpointRole::Chat, Method::Get, "/chat", 200),
        endpoint(EndpointRole::Webhook, Method::Post, "/webhook", 200),
    ];
    bed
}

fn unsigned_refused() -> Response {
    Response::new(401).body("missing signature")
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn healthy_endpoints_pass_with_their_timings() {
    let seen = Seen::default();
    let bed = bed_with(api(unsigned_refused(), &seen)).await;
    let findings = crate::checks::run_with(CHECK, &bed.net, &bed.target)
        .await
        .unwrap();
    assert_eq!(
        summary(&findings),
        [
            (CHECK, Severity::Pass, "Homepage answers 200 as expected"),
            (CHECK, Severity::Pass, "Login answers 200 as expected"),
            (CHECK, Severity::Pass, "API health answers 200 as expected"),
            (CHECK, Severity::Pass, "Chat send answers 200 as expected"),
            (
                CHECK,
                Severity::Pass,
                "Webhook rejects an unsigned call (401)"
            ),
        ]
    );
    let targets: Vec<&str> = findings.iter().map(|f| f.target.as_str()).collect();
    assert_eq!(
        targets,
        [
            bed.https(APEX, "/"),
            bed.https(APP, "/login"),
            bed.https(API, "/health"),
            bed.https(API, "/chat"),
            bed.https(API, "/webhook"),
        ]
    );
    for f in &findings {
        let names: Vec<&str> = f.measured.iter().map(|m| m.name.as_str()).collect();
        assert_eq!(names, ["ttfb_ms", "total_ms", "status"], "{f:#?}");
        assert!(f.measured[0].value <= f.measured[1].value, "{f:#?}");
    }
    let hooks = seen_at(&seen, "/webhook");
    assert_eq!(hooks.len(), 1);
    assert_eq!(hooks[0].method, "POST");
    assert_eq!(hooks[0].header("content-type"), Some("application/json"));
    assert_eq!(hooks[0].header("authorization"), None);
    assert_eq!(hooks[0].body, b"{}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_wrong_status_and_a_5xx_are_high() {
    let seen = Seen::default();
    let mut bed = bed_with(api(unsigned_refused(), &seen)).await;
    bed.target.endpoints = vec![
        endpoint(EndpointRole::Homepage, Method::Get, "/", 204),
        endpoint(EndpointRole::Login, Method::Get, "/login", 200),
        endpoint(EndpointRole::ApiHealth, Method::Get, "/missing", 200),
    ];
    let findings = endpoints(&bed.net, &bed.target, SHORT).await;
    assert_eq!(
        summary(&findings),
        [
            (CHECK, Severity::High, "Homepage answers 200, expected 204"),
            (CHECK, Severity::Pass, "Login answers 200 as expected"),
            (
                CHECK,
                Severity::High,
                "API health answers 404, expected 200"
            ),
        ]
    );

    let failing = handler(|_| Response::new(503).body("upstream down"));
    let mut bed = Bed::start(TestBed::builder().site(API, failing)).await;
    bed.target.endpoints = vec![endpoint(
        EndpointRole::ApiHealth,
        Method::Get,
        "/health",
        200,
    )];
    let findings = endpoints(&bed.net, &bed.target, SHORT).await;
    assert_eq!(
        summary(&findings),
        [(CHECK, Severity::High, "API health fails with 503")]
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_answer_over_two_seconds_is_medium_and_measured() {
    let slow = handler(|_| Response::text("ok").delay(Duration::from_millis(2200)));
    let mut bed = Bed::start(TestBed::builder().site(API, slow)).await;
    bed.target.endpoints = vec![endpoint(
        EndpointRole::ApiHealth,
        Method::Get,
        "/health",
        200,
    )];
    let findings = endpoints(&bed.net, &bed.target, Duration::from_secs(5)).await;
    assert_eq!(
        summary(&findings),
        [(
            CHECK,
            Severity::Medium,
            "API health answers slowly (over 2.0 s)"
        )]
    );
    let f = &findings[0];
    assert!(f.measured[0].value >= 2200.0, "{:?}", f.measured);
    assert!(f.detail.starts_with("It took 2."), "{}", f.detail);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_webhook_failing_on_the_unsigned_probe_is_high_and_a_hang_inconclusive() {
    let seen = Seen::default();
    let bed = bed_with(api(Response::new(500).body("boom"), &seen)).await;
    let findings = endpoints(&bed.net, &bed.target, SHORT).await;
    assert_eq!(
        summary(&findings[4..]),
        [(
            CHECK,
            Severity::High,
            "Webhook fails with 500 on an unsigned call"
        )]
    );

    // A receiver that never answers: the probe timed out, so the check
    // could not look — inconclusive, like every timed-out check.
    let seen = Seen::default();
    let hang = Response::new(200).delivery(Delivery::Silence);
    let bed = bed_with(api(hang, &seen)).await;
    let started = std::time::Instant::now();
    let findings = endpoints(&bed.net, &bed.target, SHORT).await;
    assert!(started.elapsed() < Duration::from_secs(4));
    let f = &findings[4];
    assert_eq!(
        (f.severity, f.title.as_str(), f.outcome.cause()),
        (
            Severity::Info,
            "Could not check: no answer in time",
            Some(Cause::TimedOut)
        ),
        "{f:#?}"
    );
    assert_eq!(
        summary(&findings[..4])
            .iter()
            .map(|(_, s, _)| *s)
            .collect::<Vec<_>>(),
        [Severity::Pass; 4]
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn webhook_paths_that_take_no_posts_or_redirect_are_judged() {
    for (answer, severity, title) in [
        (
            Response::not_found(),
            Severity::High,
            "Webhook answers 404 to a POST: deliveries would fail",
        ),
        (
            Response::redirect(308, "/v2/webhook"),
            Severity::Medium,
            "Webhook redirects (308)",
        ),
        (
            Response::new(200).body("ok"),
            Severity::Pass,
            "Webhook answers 200 to an unsigned call",
        ),
    ] {
        let seen = Seen::default();
        let bed = bed_with(api(answer, &seen)).await;
        let findings = endpoints(&bed.net, &bed.target, SHORT).await;
        assert_eq!(summary(&findings[4..]), [(CHECK, severity, title)]);
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_refused_port_is_inconclusive_and_a_chat_post_is_not_sent() {
    let seen = Seen::default();
    let mut bed = bed_with(api(unsigned_refused(), &seen)).await;
    bed.target.endpoints = vec![endpoint(EndpointRole::Chat, Method::Post, "/chat", 200)];
    let findings = endpoints(&bed.net, &bed.target, SHORT).await;
    assert_eq!(
        summary(&findings),
        [(
            CHECK,
            Severity::Info,
            "Chat send endpoint not probed: POST is not sent by the uptime check"
        )]
    );
    assert!(!findings[0].outcome.is_inconclusive());
    assert!(
        seen_at(&seen, "/chat").is_empty(),
        "the chat POST is not sent"
    );

    let free = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    bed.target.https_port = free.local_addr().unwrap().port();
    drop(free);
    bed.target.endpoints = vec![endpoint(EndpointRole::Homepage, Method::Get, "/", 200)];
    let findings = endpoints(&bed.net, &bed.target, SHORT).await;
    let f = &findings[0];
    assert_eq!(
        (f.severity, f.title.as_str(), f.outcome.cause()),
        (
            Severity::Info,
            "Could not check: no usable answer",
            Some(Cause::Unreachable)
        ),
        "{f:#?}"
    );
    assert!(
        f.outcome
            .reason()
            .unwrap()
            .contains("refused the connection"),
        "{f:#?}"
    );
}
