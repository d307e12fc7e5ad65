//! `ratelimit.login` and `ratelimit.chat` against loopback limiters that
//! count requests: limited and lifting, never limiting, failing, stuck.

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use handover_model::{Cause, Endpoint, EndpointRole, Finding, Method, Severity};
use handover_testbed::{handler, Response, TestBed};

use super::limit::{check, Waits};
use crate::checks::http::bed_tests::target_of;
use crate::checks::net::Net;
use crate::checks::CheckTarget;

pub(super) const WRONG_PASSWORD: &str = r#"{"email":"founder@example.test","password":"wrong"}"#;

/// A fixed-window limiter: `allowed` requests, then `limited` answers
/// until `lift_after` has passed since the first of them (never, if `None`).
pub(super) struct Limiter {
    seen: AtomicUsize,
    limited_since: Mutex<Option<Instant>>,
    allowed: usize,
    lift_after: Option<Duration>,
}

impl Limiter {
    pub(super) fn new(allowed: usize, lift_after: Option<Duration>) -> Arc<Self> {
        Arc::new(Self {
            seen: AtomicUsize::new(0),
            limited_since: Mutex::new(None),
            allowed,
            lift_after,
        })
    }

    /// Whether this request is over the limit.
    pub(super) fn over(&self) -> bool {
        let mut since = self.limited_since.lock().unwrap();
        if let (Some(at), Some(lift)) = (*since, self.lift_after) {
            if at.elapsed() >= lift {
                *since = None;
                self.seen.store(0, Ordering::SeqCst);
            }
        }
        let n = self.seen.fetch_add(1, Ordering::SeqCst);
        if n < self.allowed {
            return false;
        }
        since.get_or_insert_with(Instant::now);
        true
    }
}

fn endpoint(role: EndpointRole, path: &str, body: &str) -> Endpoint {
    Endpoint {
        role,
        method: Method::Post,
        path: path.into(),
        body: body.into(),
        headers: Vec::new(),
        expected_status: 200,
        auth: None,
    }
}

/// A bed whose `app.example.test/login` answers through `answer`, and its
/// target with load probes agreed to.
pub(super) async fn login_bed(
    answer: impl Fn(&handover_testbed::Request) -> Response + Send + Sync + 'static,
) -> (TestBed, CheckTarget) {
    let bed = TestBed::builder()
        .site(
            "app.example.test",
            handler(move |req| match (req.method.as_str(), req.path()) {
                ("POST", "/login") if req.body == WRONG_PASSWORD.as_bytes() => answer(req),
                _ => Response::new(400),
            }),
        )
        .start()
        .await
        .unwrap();
    let mut target = target_of(&bed);
    target.endpoints = vec![endpoint(EndpointRole::Login, "/login", WRONG_PASSWORD)];
    target.load_probes = true;
    (bed, target)
}

pub(super) async fn run(id: &str, target: &CheckTarget) -> Vec<Finding> {
    let net = Net::new(target).unwrap();
    crate::checks::run_with(id, &net, target).await.unwrap()
}

pub(super) fn verdicts(findings: &[Finding]) -> Vec<(&str, Severity, &str)> {
    findings
        .iter()
        .map(|f| (f.check.as_str(), f.severity, f.title.as_str()))
        .collect()
}

pub(super) fn has_line(f: &Finding, line: &str) {
    assert!(
        f.evidence.iter().any(|e| e == line),
        "no {line:?} in {:#?}",
        f.evidence
    );
}

fn sent_to(bed: &TestBed, path: &str) -> usize {
    bed.https
        .requests()
        .iter()
        .filter(|r| r.path() == path)
        .count()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_limited_login_passes_with_its_headers_and_recovers() {
    let limiter = Limiter::new(10, Some(Duration::from_secs(1)));
    let (bed, target) = login_bed(move |_| {
        if limiter.over() {
            Response::new(429)
                .header("Retry-After", "1")
                .header("RateLimit", r#""default";r=0;t=1"#)
                .header("RateLimit-Policy", r#""default";q=10;w=1"#)
                .body("Too many sign-in attempts; try again in a second.")
        } else {
            Response::new(401).body("wrong email or password")
        }
    })
    .await;
    let findings = run("ratelimit.login", &target).await;
    assert_eq!(
        verdicts(&findings),
        [(
            "ratelimit.login",
            Severity::Pass,
            "login is rate limited: 429 after 10 requests, lifted after 1 s"
        )],
        "{findings:#?}"
    );
    let f = &findings[0];
    has_line(f, "Retry-After asks for 1 s (delta-seconds)");
    has_line(
        f,
        r#"RateLimit / RateLimit-Policy "default": 10 per 1 s, 0 left, resets in 1 s"#,
    );
    has_line(f, "waited the advertised 1 s, then sent one request");
    has_line(f, "after the wait: → 401");
    has_line(
        f,
        "429 body: Too many sign-in attempts; try again in a second.",
    );
    assert!(
        f.evidence[1].contains("the configured body, 51 bytes"),
        "{}",
        f.evidence[1]
    );
    assert!(f.evidence[1].contains("401×10, 429×1"), "{}", f.evidence[1]);
    let passed = f
        .measured
        .iter()
        .find(|m| m.name == "passed_before_429")
        .unwrap();
    assert_eq!(passed.value, 10.0);
    // Ten answers, the 429 that stopped the burst (one or two more may
    // already have left), and the one request after the wait.
    assert!(
        (12..=14).contains(&sent_to(&bed, "/login")),
        "{}",
        sent_to(&bed, "/login")
    );
    assert!(
        bed.https.connections_for("app.example.test") > 1,
        "several connections"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn retry_after_as_an_http_date_is_honoured() {
    let limiter = Limiter::new(10, Some(Duration::from_secs(1)));
    let (_bed, target) = login_bed(move |_| {
        if limiter.over() {
            Response::new(429)
                .header("Date", "Wed, 02 Dec 2026 01:00:00 GMT")
                .header("Retry-After", "Wed, 02 Dec 2026 01:00:01 GMT")
        } else {
            Response::new(401)
        }
    })
    .await;
    let findings = run("ratelimit.login", &target).await;
    assert_eq!(
        verdicts(&findings),
        [(
            "ratelimit.login",
            Severity::Pass,
            "login is rate limited: 429 after 10 requests, lifted after 1 s"
        )],
        "{findings:#?}"
    );
    has_line(&findings[0], "Retry-After asks for 1 s (an HTTP-date)");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_login_that_never_limits_is_high() {
    let (bed, target) = login_bed(|_| Response::new(401).body("wrong email or password")).await;
    let findings = run("ratelimit.login", &target).await;
    assert_eq!(
        verdicts(&findings),
        [(
            "ratelimit.login",
            Severity::High,
            "login has no rate limit: 30 requests in 2 s all answered"
        )],
        "{findings:#?}"
    );
    assert_eq!(sent_to(&bed, "/login"), 30, "the whole burst, nothing more");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_login_that_fails_under_the_burst_is_high() {
    let seen = Arc::new(AtomicUsize::new(0));
    let (bed, target) = login_bed(move |_| {
        if seen.fetch_add(1, Ordering::SeqCst) < 15 {
            Response::new(401)
        } else {
            Response::new(500).body("internal error")
        }
    })
    .await;
    let findings = run("ratelimit.login", &target).await;
    assert_eq!(
        verdicts(&findings),
        [(
            "ratelimit.login",
            Severity::High,
            "login answers 5xx under a burst of 30 requests"
        )],
        "{findings:#?}"
    );
    has_line(&findings[0], "request 16 answered 500 after 15 answers");
    assert!(
        sent_to(&bed, "/login") < 30,
        "the burst stops at the first 5xx"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_limit_that_does_not_lift_after_its_wait_is_medium() {
    let limiter = Limiter::new(10, None);
    let (_bed, target) = login_bed(move |_| {
        if limiter.over() {
            Response::new(429).header("Retry-After", "1")
        } else {
            Response::new(401)
        }
    })
    .await;
    let findings = run("ratelimit.login", &target).await;
    assert_eq!(
        verdicts(&findings),
        [(
            "ratelimit.login",
            Severity::Medium,
            "login is still limited after the advertised wait (1 s)"
        )],
        "{findings:#?}"
    );
    has_line(&findings[0], "after the wait: → 429");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn without_retry_after_the_default_wait_is_used() {
    let limiter = Limiter::new(10, Some(Duration::from_millis(300)));
    let (_bed, target) = login_bed(move |_| {
        if limiter.over() {
            Response::new(429)
        } else {
            Response::new(401)
        }
    })
    .await;
    let net = Net::new(&target).unwrap();
    let waits = Waits {
        cap: Duration::from_secs(1),
        default: Duration::from_millis(500),
    };
    let findings = check(&net, &target, EndpointRole::Login, waits).await;
    assert_eq!(
        verdicts(&findings),
        [(
            "ratelimit.login",
            Severity::Pass,
            "login is rate limited: 429 after 10 requests, lifted after 0.5 s"
        )],
        "{findings:#?}"
    );
    has_line(
        &findings[0],
        "no Retry-After: clients are not told when to try again",
    );
    has_line(
        &findings[0],
        "waited 0.5 s (no Retry-After), then sent one request",
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_limited_chat_with_x_ratelimit_headers_passes() {
    let limiter = Limiter::new(5, Some(Duration::from_secs(1)));
    let bed = TestBed::builder()
        .site(
            "api.example.test",
            handler(move |req| match (req.method.as_str(), req.path()) {
                ("POST", "/chat") if req.body == b"{\"q\":\"hi\"}" => {
                    if limiter.over() {
                        Response::new(429)
                            .header("Retry-After", "1")
                            .header("X-RateLimit-Limit", "5")
                            .header("X-RateLimit-Remaining", "0")
                            .header("X-RateLimit-Reset", "1")
                            .body("You are sending messages too fast.")
                    } else {
                        Response::text("hello").header("X-RateLimit-Limit", "5")
                    }
                }
                _ => Response::new(400),
            }),
        )
        .start()
        .await
        .unwrap();
    let mut target = target_of(&bed);
    target.endpoints = vec![endpoint(EndpointRole::Chat, "/chat", "{\"q\":\"hi\"}")];
    target.load_probes = true;
    let findings = run("ratelimit.chat", &target).await;
    assert_eq!(
        verdicts(&findings),
        [(
            "ratelimit.chat",
            Severity::Pass,
            "chat is rate limited: 429 after 5 requests, lifted after 1 s"
        )],
        "{findings:#?}"
    );
    let f = &findings[0];
    assert!(
        f.target.starts_with("https://api.example.test:"),
        "{}",
        f.target
    );
    has_line(
        f,
        "X-RateLimit-Limit / -Remaining / -Reset: limit 5, 0 left, resets in 1 s",
    );
    has_line(f, "429 body: You are sending messages too fast.");
    has_line(f, "after the wait: → 200");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn without_consent_nothing_is_sent() {
    let bed = TestBed::builder().start().await.unwrap();
    let mut target = target_of(&bed);
    target.endpoints = vec![
        endpoint(EndpointRole::Login, "/login", WRONG_PASSWORD),
        endpoint(EndpointRole::Chat, "/chat", "{}"),
    ];
    for id in ["ratelimit.login", "ratelimit.chat"] {
        let findings = run(id, &target).await;
        assert_eq!(findings.len(), 1, "{findings:#?}");
        let f = &findings[0];
        assert_eq!(
            (f.check.as_str(), f.outcome.cause()),
            (id, Some(Cause::CouldNotStart))
        );
        assert_eq!(f.title, "Could not check: the check could not start");
        assert!(f
            .outcome
            .reason()
            .unwrap()
            .contains("handover check --load"));
    }
    assert!(bed.https.requests().is_empty(), "nothing was sent");
}
