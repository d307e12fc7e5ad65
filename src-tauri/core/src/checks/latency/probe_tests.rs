//! The latency checks against loopback endpoints with fixed delays and errors.

use std::time::Duration;

use handover_model::{Cause, Endpoint, EndpointRole, LatencyTarget, Method, Severity};
use handover_testbed::{handler, Response, TestBed};

use crate::checks::http::bed_tests::target_of;
use crate::checks::net::Net;
use crate::checks::CheckTarget;

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

async fn run(target: &CheckTarget) -> Vec<handover_model::Finding> {
    let net = Net::new(target).unwrap();
    let mut findings = Vec::new();
    for id in ["latency.chat", "latency.login", "latency.dashboard"] {
        findings.extend(crate::checks::run_with(id, &net, target).await.unwrap());
    }
    findings
        .into_iter()
        .filter(|f| f.outcome.cause() != Some(Cause::NothingToCheck))
        .collect()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn each_endpoint_is_judged_against_its_target() {
    let bed = TestBed::builder()
        .site(
            "api.example.test",
            handler(|req| match (req.method.as_str(), req.path()) {
                ("POST", "/chat") if req.body == b"{\"q\":\"hi\"}" => {
                    Response::text("hello").delay(Duration::from_millis(120))
                }
                _ => Response::new(400),
            }),
        )
        .site(
            "app.example.test",
            handler(|req| match req.path() {
                "/login" => Response::text("sign in").delay(Duration::from_millis(5)),
                "/dashboard" => {
                    // One request in five fails.
                    let n = req.target.len() % 5;
                    if n == 0 {
                        Response::new(503)
                    } else {
                        Response::text("ok")
                    }
                }
                _ => Response::new(404),
            }),
        )
        .start()
        .await
        .unwrap();
    let mut target = target_of(&bed);
    let mut chat = endpoint(EndpointRole::Chat, Method::Post, "/chat");
    chat.body = "{\"q\":\"hi\"}".into();
    target.endpoints = vec![chat, endpoint(EndpointRole::Login, Method::Get, "/login")];
    target.latency_targets = vec![
        LatencyTarget {
            role: EndpointRole::Chat,
            p95_ms: 100,
        },
        LatencyTarget {
            role: EndpointRole::Login,
            p95_ms: 800,
        },
    ];
    target.load_probes = true;
    target.load_requests = 30;
    let findings = run(&target).await;
    let got: Vec<(Severity, bool)> = findings
        .iter()
        .map(|f| (f.severity, f.outcome.is_inconclusive()))
        .collect();
    assert_eq!(
        got,
        [(Severity::High, false), (Severity::Pass, false)],
        "{findings:#?}"
    );
    assert!(
        findings[0].title.starts_with("chat p95 is 1"),
        "{}",
        findings[0].title
    );
    assert!(findings[0].title.ends_with("ms, over its 100 ms target"));
    assert!(
        findings[1].title.ends_with("within its 800 ms target"),
        "{}",
        findings[1].title
    );
    assert!(
        findings[0].evidence[0].contains("nearest rank"),
        "{:?}",
        findings[0].evidence
    );
    assert!(findings[0].evidence[1].contains("200×30"));
    let p95 = findings[0]
        .measured
        .iter()
        .find(|m| m.name == "p95_ms")
        .unwrap()
        .value;
    assert!((120.0..1000.0).contains(&p95), "{p95}");
    // Each of the five users opened one connection, in three phases.
    let evidence = &findings[0].evidence;
    assert_eq!(
        evidence[2], "connections opened: 5 of 30 requests (25 reused)",
        "{evidence:?}"
    );
    assert!(
        evidence[3].starts_with("phases (5 new connections): DNS ")
            && evidence[3].contains(" ms · TLS ")
            && evidence[3].contains(" ms (medians"),
        "{evidence:?}"
    );
    let value = |name: &str| {
        findings[0]
            .measured
            .iter()
            .find(|m| m.name == name)
            .map(|m| m.value)
    };
    assert_eq!(value("phase_samples"), Some(5.0));
    assert_eq!(value("connections_opened"), Some(5.0));
    let first_byte = value("new_connection_ttfb_p50_ms").unwrap();
    for phase in ["dns_p50_ms", "connect_p50_ms", "tls_p50_ms"] {
        let ms = value(phase).unwrap_or(f64::NAN);
        assert!(
            (0.0..=first_byte).contains(&ms),
            "{phase} {ms} {first_byte}"
        );
    }
    assert!(first_byte <= value("new_connection_total_p50_ms").unwrap());
    assert!(value("ttfb_p95_ms").unwrap() <= p95);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn without_consent_it_says_so_instead_of_probing() {
    let bed = TestBed::builder().start().await.unwrap();
    let mut target = target_of(&bed);
    target.endpoints = vec![endpoint(EndpointRole::Chat, Method::Post, "/chat")];
    let findings = run(&target).await;
    assert_eq!(findings.len(), 1);
    assert_eq!(findings[0].outcome.cause(), Some(Cause::CouldNotStart));
    assert!(findings[0]
        .outcome
        .reason()
        .unwrap()
        .contains("handover check --load"));
    assert!(bed.https.requests().is_empty(), "nothing was sent");
}

#[test]
fn a_slow_chat_is_a_blocker_and_a_failing_endpoint_is_high() {
    use super::load::{Report, Sample};
    use super::probe::judge;
    let sample = |ms: u64, status: u16| Sample {
        sent_at: Duration::ZERO,
        ttfb: Some(Duration::from_millis(ms)),
        total: Duration::from_millis(ms),
        status: Some(status),
        error: None,
        connection: super::load::Connection::Reused,
    };
    let report = |samples: Vec<Sample>| {
        let answered: Vec<Duration> = samples.iter().map(|s| s.total).collect();
        let mut statuses = std::collections::BTreeMap::new();
        for s in &samples {
            *statuses.entry(s.status.unwrap()).or_insert(0) += 1;
        }
        Report {
            percentiles: super::stats::percentiles(&answered),
            samples,
            elapsed: Duration::from_secs(1),
            statuses,
            failed: 0,
            not_sent: 0,
        }
    };
    let slow = report((0..40).map(|_| sample(4200, 200)).collect());
    let f = judge(
        "https://api.example.test/chat",
        EndpointRole::Chat,
        2500,
        &slow,
        40,
    );
    assert_eq!(
        (f.severity, f.title.as_str()),
        (
            Severity::Blocker,
            "chat p95 is 4200 ms, over its 2500 ms target"
        )
    );
    let failing = report(
        (0..40)
            .map(|i| sample(10, if i % 4 == 0 { 503 } else { 200 }))
            .collect(),
    );
    let f = judge(
        "https://app.example.test/dashboard",
        EndpointRole::Dashboard,
        1500,
        &failing,
        40,
    );
    assert_eq!(
        (f.severity, f.title.as_str()),
        (
            Severity::High,
            "dashboard: 25 % of requests failed (p95 10 ms)"
        )
    );
    let few = report((0..10).map(|_| sample(10, 200)).collect());
    let f = judge(
        "https://app.example.test/login",
        EndpointRole::Login,
        800,
        &few,
        10,
    );
    assert_eq!(f.outcome.cause(), Some(Cause::TimedOut));
    assert!(f.outcome.reason().unwrap().contains("fewer than 20"));
}
