//! `chat.fallback` against loopback chats: a quick error, an empty one, a
//! hang (with a one-second timeout) and nothing listening.

use std::time::Duration;

use handover_model::{Cause, Endpoint, EndpointRole, Finding, Method, Severity};
use handover_testbed::{handler, Response, TestBed};

use super::fallback::{check, FAULT_HEADER, FAULT_VALUE};
use crate::checks::http::bed_tests::target_of;
use crate::checks::net::Net;
use crate::checks::CheckTarget;

const TEST_TIMEOUT: Duration = Duration::from_secs(1);

fn chat() -> Endpoint {
    Endpoint {
        role: EndpointRole::Chat,
        method: Method::Post,
        path: "/chat".into(),
        body: "{\"q\":\"hi\"}".into(),
        headers: Vec::new(),
        expected_status: 200,
        auth: None,
    }
}

/// A bed whose chat answers a faulted request with `answer`.
async fn chat_bed(answer: Response) -> (TestBed, CheckTarget) {
    let bed = TestBed::builder()
        .site(
            "api.example.test",
            handler(move |req| {
                let faulted = req.header(FAULT_HEADER) == Some(FAULT_VALUE);
                match (req.method.as_str(), req.path()) {
                    ("POST", "/chat") if faulted && req.body == b"{\"q\":\"hi\"}" => answer.clone(),
                    _ => Response::new(400),
                }
            }),
        )
        .start()
        .await
        .unwrap();
    let mut target = target_of(&bed);
    target.endpoints = vec![chat()];
    (bed, target)
}

async fn probe(target: &CheckTarget) -> Vec<Finding> {
    let net = Net::new(target).unwrap();
    check(&net, target, TEST_TIMEOUT).await
}

fn verdicts(findings: &[Finding]) -> Vec<(&str, Severity, &str)> {
    findings
        .iter()
        .map(|f| (f.check.as_str(), f.severity, f.title.as_str()))
        .collect()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_quick_error_message_passes_and_one_request_is_sent() {
    let (bed, target) = chat_bed(
        Response::new(503).body("{\"error\":\"The assistant is busy; try again in a minute.\"}"),
    )
    .await;
    // Through the catalog entry, with its 30 s timeout: no consent needed.
    let net = Net::new(&target).unwrap();
    let findings = crate::checks::run_with("chat.fallback", &net, &target)
        .await
        .unwrap();
    assert_eq!(findings.len(), 1, "{findings:#?}");
    let f = &findings[0];
    assert_eq!(
        (f.check.as_str(), f.severity),
        ("chat.fallback", Severity::Pass)
    );
    assert!(
        f.title
            .starts_with("chat answers within 30 s when the model fails (503 in 0."),
        "{}",
        f.title
    );
    assert!(f
        .evidence
        .iter()
        .any(|e| e.contains("sent once with x-handover-fault: model-timeout")));
    assert!(
        f.evidence
            .iter()
            .any(|e| e.contains("a POST with the configured body")),
        "{:#?}",
        f.evidence
    );
    assert_eq!(bed.https.requests().len(), 1, "sent once, never retried");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_empty_answer_is_high() {
    let (_bed, target) = chat_bed(Response::new(500)).await;
    let findings = probe(&target).await;
    assert_eq!(
        verdicts(&findings),
        [(
            "chat.fallback",
            Severity::High,
            "chat answers 500 with an empty body when the model fails"
        )],
        "{findings:#?}"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_hang_past_the_timeout_is_a_blocker() {
    let (bed, target) = chat_bed(Response::text("sorry").delay(Duration::from_secs(5))).await;
    let started = std::time::Instant::now();
    let findings = probe(&target).await;
    assert_eq!(
        verdicts(&findings),
        [(
            "chat.fallback",
            Severity::Blocker,
            "chat hangs: no answer within 1 s"
        )],
        "{findings:#?}"
    );
    assert!(!findings[0].outcome.is_inconclusive());
    assert!(findings[0]
        .evidence
        .contains(&"no response within 1 s".to_string()));
    assert!(
        started.elapsed() < Duration::from_secs(3),
        "{:?}",
        started.elapsed()
    );
    assert_eq!(bed.https.requests().len(), 1, "not retried");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_refused_connection_is_inconclusive() {
    let (_bed, mut target) = chat_bed(Response::text("unused")).await;
    // A port nothing listens on any more.
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    target.https_port = port;
    let findings = probe(&target).await;
    assert_eq!(findings.len(), 1, "{findings:#?}");
    assert_eq!(findings[0].outcome.cause(), Some(Cause::Unreachable));
    assert!(
        findings[0]
            .outcome
            .reason()
            .unwrap()
            .starts_with("the connection was refused"),
        "{:?}",
        findings[0].outcome
    );
}

/// A chat that hangs only when the project's own trigger asks it to (a
/// header and another body), and answers the convention header at once.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_projects_own_trigger_is_sent_instead_of_the_convention() {
    let bed = TestBed::builder()
        .site(
            "api.example.test",
            handler(|req| {
                let own = req.header("x-break-model") == Some("timeout")
                    && req.body == b"{\"q\":\"fail please\"}";
                match (req.method.as_str(), req.path()) {
                    ("POST", "/chat") if own => {
                        Response::new(200).delivery(handover_testbed::Delivery::Silence)
                    }
                    ("POST", "/chat") => Response::new(200).body("{\"answer\":\"hello\"}"),
                    _ => Response::new(400),
                }
            }),
        )
        .start()
        .await
        .unwrap();
    let mut target = target_of(&bed);
    target.endpoints = vec![chat()];
    target.chat_failure = Some(handover_model::FailureTrigger {
        headers: vec![handover_model::Header {
            name: "X-Break-Model".into(),
            value: "timeout".into(),
        }],
        body: "{\"q\":\"fail please\"}".into(),
    });
    let findings = probe(&target).await;
    assert_eq!(findings.len(), 1, "{findings:#?}");
    assert_eq!(findings[0].severity, Severity::Blocker, "{findings:#?}");
    assert!(
        findings[0].evidence.iter().any(|e| e.contains(
            "sent once with X-Break-Model: timeout, the trigger's body (19 bytes) (the failure trigger"
        )),
        "{:#?}",
        findings[0].evidence
    );
    let sent = bed.https.requests();
    assert_eq!(sent.len(), 1);
    assert_eq!(
        sent[0].header("x-handover-fault"),
        None,
        "the convention is not added"
    );
}
