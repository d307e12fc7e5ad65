//! `smoke.endpoints` against the loopback test bed: one exact finding per
//! step, in step order, for every way a step passes, fails or cannot run.

use std::time::Duration;

use handover_model::{Cause, Endpoint, EndpointRole, Finding, Header, Method, Severity, SmokeStep};
use handover_testbed::{handler, Handler, Request, Response, TestBed};

use super::*;
use crate::checks::http::bed_tests::target_of;

fn endpoint(role: EndpointRole, method: Method, path: &str) -> Endpoint {
    Endpoint {
        role,
        method,
        path: path.into(),
        body: String::new(),
        headers: Vec::new(),
        expected_status: 200,
        auth: None,
    }
}

fn chat_endpoint() -> Endpoint {
    let mut chat = endpoint(EndpointRole::Chat, Method::Post, "/chat");
    chat.body = "{\"message\":\"ping\"}".into();
    chat.headers = vec![Header {
        name: "Content-Type".into(),
        value: "application/json".into(),
    }];
    chat
}

fn step(role: EndpointRole) -> SmokeStep {
    SmokeStep::for_role(role)
}

fn json(status: u16, body: &str) -> Response {
    Response::new(status)
        .header("Content-Type", "application/json")
        .body(body)
}

/// The product: a home page, a sign-in page, a chat that answers a POSTed
/// `ping` with JSON, and an API health probe.
fn product() -> (Handler, Handler, Handler) {
    let apex = handler(|req| match req.path() {
        "/" => Response::html("<h1>Welcome to Northwind</h1>"),
        _ => Response::not_found(),
    });
    let app = handler(|req| match req.path() {
        "/login" => Response::html("<form>Sign in</form>").delay(Duration::from_millis(300)),
        _ => Response::not_found(),
    });
    let api = handler(|req: &Request| match (req.method.as_str(), req.path()) {
        ("POST", "/chat") if req.body == b"{\"message\":\"ping\"}" => {
            json(200, "{\"reply\":\"pong\",\"id\":7}")
        }
        ("POST", "/chat") => json(400, "{\"error\":\"no message\"}"),
        ("POST", "/hooks") => json(202, "{\"queued\":true}"),
        ("GET", "/health") => json(200, "{\"status\":\"ok\",\"checks\":{\"db\":\"ok\"}}"),
        ("GET", "/down") => json(503, "{\"status\":\"down\"}"),
        _ => Response::not_found(),
    });
    (apex, app, api)
}

async fn bed() -> TestBed {
    let (apex, app, api) = product();
    TestBed::builder()
        .site("example.test", apex)
        .site("app.example.test", app)
        .site("api.example.test", api)
        .start()
        .await
        .expect("the bed starts")
}

async fn run(bed: &TestBed, endpoints: Vec<Endpoint>, steps: Vec<SmokeStep>) -> Vec<Finding> {
    let mut target = target_of(bed);
    target.endpoints = endpoints;
    target.smoke_steps = steps;
    let net = Net::new(&target).unwrap();
    crate::checks::run_with(CHECK, &net, &target).await.unwrap()
}

/// Timings vary from run to run: `in 12 ms` reads `in N ms`.
fn steady(line: &str) -> String {
    regex::Regex::new(r"in \d+ ms")
        .unwrap()
        .replace_all(line, "in N ms")
        .into_owned()
}

/// What is asserted of a finding: target, severity, cause, title, evidence.
type Seen = (String, Severity, Option<Cause>, String, Vec<String>);

fn seen(findings: &[Finding]) -> Vec<Seen> {
    findings
        .iter()
        .map(|f| {
            assert_eq!(f.check, CHECK);
            (
                f.target.clone(),
                f.severity,
                f.outcome.cause(),
                f.title.clone(),
                f.evidence.iter().map(|l| steady(l)).collect(),
            )
        })
        .collect()
}

fn lines(lines: &[&str]) -> Vec<String> {
    lines.iter().map(|l| l.to_string()).collect()
}

fn posts_to(bed: &TestBed, path: &str) -> usize {
    bed.https
        .requests()
        .iter()
        .filter(|r| r.method == "POST" && r.path() == path)
        .count()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_step_passes_in_order_and_the_chat_message_is_sent_once() {
    let bed = bed().await;
    let port = bed.https_port();
    let mut home = step(EndpointRole::Homepage);
    home.body_contains = vec!["Welcome".into()];
    let mut chat = step(EndpointRole::Chat);
    chat.body_contains = vec!["pong".into()];
    chat.json_pointer = Some("/reply".into());
    chat.max_ms = Some(5_000);
    let mut health = step(EndpointRole::ApiHealth);
    health.name = "API health".into();
    health.json_pointer = Some("/checks/db".into());
    let findings = run(
        &bed,
        vec![
            endpoint(EndpointRole::Homepage, Method::Get, "/"),
            endpoint(EndpointRole::Login, Method::Get, "/login"),
            chat_endpoint(),
            endpoint(EndpointRole::ApiHealth, Method::Get, "/health"),
        ],
        vec![home, step(EndpointRole::Login), chat, health],
    )
    .await;
    assert_eq!(
        seen(&findings),
        [
            (
                format!("https://example.test:{port}/"),
                Severity::Pass,
                None,
                "Smoke step \"homepage\" passed".to_string(),
                lines(&[
                    "step 1 of 4: homepage",
                    &format!("GET https://example.test:{port}/"),
                    "→ 200 in N ms",
                    "content-type: text/html; charset=utf-8",
                    "✓ status 200 (expected 200)",
                    "✓ body contains \"Welcome\"",
                ]),
            ),
            (
                format!("https://app.example.test:{port}/login"),
                Severity::Pass,
                None,
                "Smoke step \"login\" passed".to_string(),
                lines(&[
                    "step 2 of 4: login",
                    &format!("GET https://app.example.test:{port}/login"),
                    "→ 200 in N ms",
                    "content-type: text/html; charset=utf-8",
                    "✓ status 200 (expected 200)",
                ]),
            ),
            (
                format!("https://api.example.test:{port}/chat"),
                Severity::Pass,
                None,
                "Smoke step \"chat\" passed".to_string(),
                lines(&[
                    "step 3 of 4: chat",
                    &format!("POST https://api.example.test:{port}/chat"),
                    "→ 200 in N ms",
                    "content-type: application/json",
                    "✓ status 200 (expected 200)",
                    "✓ body contains \"pong\"",
                    "✓ JSON has /reply",
                    "✓ answered in N ms (limit 5000 ms)",
                ]),
            ),
            (
                format!("https://api.example.test:{port}/health"),
                Severity::Pass,
                None,
                "Smoke step \"API health\" passed".to_string(),
                lines(&[
                    "step 4 of 4: API health",
                    &format!("GET https://api.example.test:{port}/health"),
                    "→ 200 in N ms",
                    "content-type: application/json",
                    "✓ status 200 (expected 200)",
                    "✓ JSON has /checks/db",
                ]),
            ),
        ]
    );
    assert_eq!(posts_to(&bed, "/chat"), 1, "the chat message went once");
    let measured: Vec<&str> = findings[2]
        .measured
        .iter()
        .map(|m| m.name.as_str())
        .collect();
    assert_eq!(measured, ["status", "ttfb_ms", "total_ms"]);
    let login_ms = findings[1].measured[2].value;
    assert!(
        login_ms >= 300.0,
        "the login page's delay is measured: {login_ms}"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_wrong_status_fails_the_step_and_the_step_status_overrides_the_endpoint() {
    let bed = bed().await;
    let port = bed.https_port();
    let mut expects_down = step(EndpointRole::ApiHealth);
    expects_down.name = "health while down".into();
    expects_down.expect_status = Some(503);
    let findings = run(
        &bed,
        vec![endpoint(EndpointRole::ApiHealth, Method::Get, "/down")],
        vec![step(EndpointRole::ApiHealth), expects_down],
    )
    .await;
    let url = format!("https://api.example.test:{port}/down");
    assert_eq!(
        seen(&findings),
        [
            (
                url.clone(),
                Severity::High,
                None,
                "Smoke step \"api_health\" failed: status 503, expected 200".to_string(),
                lines(&[
                    "step 1 of 2: api_health",
                    &format!("GET {url}"),
                    "→ 503 in N ms",
                    "content-type: application/json",
                    "✗ status 503 (expected 200)",
                ]),
            ),
            (
                url.clone(),
                Severity::Pass,
                None,
                "Smoke step \"health while down\" passed".to_string(),
                lines(&[
                    "step 2 of 2: health while down",
                    &format!("GET {url}"),
                    "→ 503 in N ms",
                    "content-type: application/json",
                    "✓ status 503 (expected 503)",
                ]),
            ),
        ]
    );
    assert!(findings[0].detail.contains("handover smoke"));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_missing_text_fails_the_step_and_names_the_text() {
    let bed = bed().await;
    let port = bed.https_port();
    let mut home = step(EndpointRole::Homepage);
    home.body_contains = vec!["Welcome".into(), "Pricing".into()];
    let findings = run(
        &bed,
        vec![endpoint(EndpointRole::Homepage, Method::Get, "/")],
        vec![home],
    )
    .await;
    assert_eq!(
        seen(&findings),
        [(
            format!("https://example.test:{port}/"),
            Severity::High,
            None,
            "Smoke step \"homepage\" failed: body lacks \"Pricing\"".to_string(),
            lines(&[
                "step 1 of 1: homepage",
                &format!("GET https://example.test:{port}/"),
                "→ 200 in N ms",
                "content-type: text/html; charset=utf-8",
                "✓ status 200 (expected 200)",
                "✓ body contains \"Welcome\"",
                "✗ body contains \"Pricing\": not found",
            ]),
        )]
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_missing_json_pointer_or_an_answer_that_is_not_json_fails_the_step() {
    let bed = bed().await;
    let port = bed.https_port();
    let mut cache = step(EndpointRole::ApiHealth);
    cache.name = "cache".into();
    cache.json_pointer = Some("/checks/cache".into());
    let mut home = step(EndpointRole::Homepage);
    home.json_pointer = Some(String::new());
    let findings = run(
        &bed,
        vec![
            endpoint(EndpointRole::ApiHealth, Method::Get, "/health"),
            endpoint(EndpointRole::Homepage, Method::Get, "/"),
        ],
        vec![cache, home],
    )
    .await;
    assert_eq!(
        seen(&findings),
        [
            (
                format!("https://api.example.test:{port}/health"),
                Severity::High,
                None,
                "Smoke step \"cache\" failed: no /checks/cache in the JSON answer".to_string(),
                lines(&[
                    "step 1 of 2: cache",
                    &format!("GET https://api.example.test:{port}/health"),
                    "→ 200 in N ms",
                    "content-type: application/json",
                    "✓ status 200 (expected 200)",
                    "✗ JSON has /checks/cache: missing",
                ]),
            ),
            (
                format!("https://example.test:{port}/"),
                Severity::High,
                None,
                "Smoke step \"homepage\" failed: answer is not JSON".to_string(),
                lines(&[
                    "step 2 of 2: homepage",
                    &format!("GET https://example.test:{port}/"),
                    "→ 200 in N ms",
                    "content-type: text/html; charset=utf-8",
                    "✓ status 200 (expected 200)",
                    "✗ answer is JSON: the answer is not JSON (text/html)",
                ]),
            ),
        ]
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_answer_slower_than_the_limit_fails_the_step() {
    let bed = bed().await;
    let port = bed.https_port();
    let mut login = step(EndpointRole::Login);
    login.max_ms = Some(100);
    let findings = run(
        &bed,
        vec![endpoint(EndpointRole::Login, Method::Get, "/login")],
        vec![login],
    )
    .await;
    assert_eq!(
        seen(&findings),
        [(
            format!("https://app.example.test:{port}/login"),
            Severity::High,
            None,
            "Smoke step \"login\" failed: slower than 100 ms".to_string(),
            lines(&[
                "step 1 of 1: login",
                &format!("GET https://app.example.test:{port}/login"),
                "→ 200 in N ms",
                "content-type: text/html; charset=utf-8",
                "✓ status 200 (expected 200)",
                "✗ answered in N ms (limit 100 ms)",
            ]),
        )]
    );
    let took = findings[0].measured[2].value;
    assert!(took >= 300.0, "{took}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_step_that_cannot_run_is_inconclusive_and_the_next_steps_still_run() {
    let bed = bed().await;
    let port = bed.https_port();
    let mut chat = chat_endpoint();
    chat.path = "https://api.example.test:1/chat".into();
    let findings = run(
        &bed,
        vec![
            endpoint(
                EndpointRole::ApiHealth,
                Method::Get,
                "https://api.example.test:1/health",
            ),
            chat,
            endpoint(EndpointRole::Homepage, Method::Get, "/"),
        ],
        vec![
            step(EndpointRole::ApiHealth),
            step(EndpointRole::Chat),
            step(EndpointRole::Admin),
            step(EndpointRole::Homepage),
        ],
    )
    .await;
    let got = seen(&findings);
    assert_eq!(
        got[0],
        (
            "https://api.example.test:1/health".to_string(),
            Severity::Info,
            Some(Cause::Unreachable),
            "Could not run smoke step \"api_health\": no usable answer".to_string(),
            lines(&[
                "step 1 of 4: api_health",
                "GET https://api.example.test:1/health",
                &findings[0].evidence[2],
            ]),
        )
    );
    assert_eq!(
        findings[0].outcome.reason(),
        Some("api.example.test:1 refused the connection: nothing listens there")
    );
    // The chat message (with its body) the same way, and never resent.
    assert_eq!(
        (&got[1].0, got[1].2, got[1].3.as_str(), &got[1].4[..2]),
        (
            &"https://api.example.test:1/chat".to_string(),
            Some(Cause::Unreachable),
            "Could not run smoke step \"chat\": no usable answer",
            &lines(&["step 2 of 4: chat", "POST https://api.example.test:1/chat"])[..],
        )
    );
    assert_eq!(findings[1].outcome.reason(), findings[0].outcome.reason());
    assert_eq!(
        got[2],
        (
            "example.test".to_string(),
            Severity::Info,
            Some(Cause::NothingToCheck),
            "Smoke step \"admin\" did not apply".to_string(),
            lines(&["step 3 of 4: admin"]),
        )
    );
    assert_eq!(
        (got[3].0.as_str(), got[3].1, got[3].3.as_str()),
        (
            format!("https://example.test:{port}/").as_str(),
            Severity::Pass,
            "Smoke step \"homepage\" passed"
        )
    );
    let states: Vec<StepState> = findings.iter().map(StepState::of).collect();
    assert_eq!(
        states,
        [
            StepState::Error,
            StepState::Error,
            StepState::Skipped,
            StepState::Passed
        ]
    );
}

#[test]
fn the_default_sequence_follows_the_endpoints_the_project_has() {
    let endpoints = vec![
        endpoint(EndpointRole::Webhook, Method::Post, "/hooks"),
        endpoint(EndpointRole::Dashboard, Method::Get, "/dashboard"),
        endpoint(EndpointRole::Homepage, Method::Get, "/"),
        chat_endpoint(),
        endpoint(EndpointRole::Homepage, Method::Get, "/en"),
    ];
    assert_eq!(
        default_smoke_steps(&endpoints),
        [
            step(EndpointRole::Homepage),
            step(EndpointRole::Chat),
            step(EndpointRole::Webhook),
        ]
    );
    assert!(
        default_smoke_steps(&[endpoint(EndpointRole::Admin, Method::Get, "/admin")]).is_empty()
    );
    let mut target = CheckTarget {
        endpoints,
        ..CheckTarget::default()
    };
    assert_eq!(steps(&target).len(), 3);
    target.smoke_steps = vec![step(EndpointRole::Dashboard)];
    assert_eq!(steps(&target), [step(EndpointRole::Dashboard)]);

    let smoke = checks().pop().unwrap();
    assert!(crate::checks::Check::applies(&smoke, &target));
    assert!(!crate::checks::Check::applies(
        &smoke,
        &CheckTarget::default()
    ));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn without_steps_the_default_sequence_runs_over_the_endpoints() {
    let bed = bed().await;
    let mut hook = endpoint(EndpointRole::Webhook, Method::Post, "/hooks");
    hook.body = "{\"event\":\"ping\"}".into();
    hook.expected_status = 202;
    let findings = run(
        &bed,
        vec![
            hook,
            endpoint(EndpointRole::Dashboard, Method::Get, "/dashboard"),
            chat_endpoint(),
            endpoint(EndpointRole::Homepage, Method::Get, "/"),
        ],
        Vec::new(),
    )
    .await;
    // Which step, how it went, and its status line.
    type Row = (Option<(usize, String)>, Severity, String);
    let got: Vec<Row> = findings
        .iter()
        .map(|f| (step_of(f), f.severity, f.evidence[4].clone()))
        .collect();
    assert_eq!(
        got,
        [
            (
                Some((1, "homepage".into())),
                Severity::Pass,
                "✓ status 200 (expected 200)".into()
            ),
            (
                Some((2, "chat".into())),
                Severity::Pass,
                "✓ status 200 (expected 200)".into()
            ),
            (
                Some((3, "webhook".into())),
                Severity::Pass,
                "✓ status 202 (expected 202)".into()
            ),
        ]
    );
    assert_eq!((posts_to(&bed, "/chat"), posts_to(&bed, "/hooks")), (1, 1));
}

/// A signed-in step carries its credential; one whose credential cannot be
/// read is not sent and could not run (an `<error>` in JUnit, not a failure).
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_signed_in_step_sends_its_credential_and_a_missing_one_is_not_sent() {
    let bed = TestBed::builder()
        .site(
            "app.example.test",
            handler(|req| match req.path() {
                "/dashboard" if req.header("x-api-key") == Some("k-123456") => {
                    json(200, "{\"ok\":true}")
                }
                _ => Response::new(401),
            }),
        )
        .start()
        .await
        .expect("the bed starts");
    let auth = |id| handover_model::EndpointAuth {
        scheme: handover_model::AuthScheme::Header,
        name: "X-Api-Key".into(),
        credential_id: Some(id),
        env: String::new(),
    };
    let mut dashboard = endpoint(EndpointRole::Dashboard, Method::Get, "/dashboard");
    dashboard.auth = Some(auth(1));
    let mut target = target_of(&bed);
    target.endpoints = vec![dashboard.clone()];
    target.smoke_steps = vec![step(EndpointRole::Dashboard)];
    target.credentials = crate::checks::credentials::Credentials::read([&auth(1)], |_| {
        Ok(handover_model::SecretText::new("k-123456".into()))
    });
    let net = Net::new(&target).unwrap();
    let passed = crate::checks::run_with(CHECK, &net, &target).await.unwrap();
    assert_eq!(passed[0].severity, Severity::Pass, "{passed:#?}");
    assert!(!serde_json::to_string(&passed).unwrap().contains("k-123456"));

    target.credentials = crate::checks::credentials::Credentials::read([&auth(1)], |_| {
        Err("the keychain is locked".into())
    });
    let sent_before = bed.https.requests().len();
    let findings = crate::checks::run_with(CHECK, &net, &target).await.unwrap();
    assert_eq!(findings[0].outcome.cause(), Some(Cause::CouldNotStart));
    assert_eq!(
        findings[0].title,
        "Could not run smoke step \"dashboard\": its credential is not available"
    );
    assert_eq!(StepState::of(&findings[0]), StepState::Error);
    assert_eq!(bed.https.requests().len(), sent_before, "nothing was sent");
}
