//! `logs.request_id` against the test bed, with exact expected findings.

use std::time::Duration;

use handover_model::{EndpointRole, Method, Severity};
use handover_testbed::{handler, Response, TestBed};

use super::request_id::{request_ids, CHECK};
use super::tests::{endpoint, seen_at, summary, Seen};
use crate::checks::web::bed_tests::Bed;

const API: &str = "api.example.test";
const TIMEOUT: Duration = Duration::from_secs(2);

/// A bed whose API answers everything with `headers`, probed on its `/` only.
async fn api_with(headers: &[(&str, &str)]) -> Bed {
    let headers: Vec<(String, String)> = headers
        .iter()
        .map(|(n, v)| (n.to_string(), v.to_string()))
        .collect();
    let api = handler(move |_| {
        headers
            .iter()
            .fold(Response::text("{}"), |r, (n, v)| r.header(n, v))
    });
    Bed::start(TestBed::builder().site(API, api)).await
}

async fn verdict(headers: &[(&str, &str)]) -> Vec<(Severity, String)> {
    let bed = api_with(headers).await;
    let findings = crate::checks::run_with(CHECK, &bed.net, &bed.target)
        .await
        .unwrap();
    assert!(findings.iter().all(|f| f.target == bed.https(API, "/")));
    summary(&findings)
        .into_iter()
        .map(|(c, s, t)| {
            assert_eq!(c, CHECK);
            (s, t.to_string())
        })
        .collect()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_x_request_id_passes() {
    assert_eq!(
        verdict(&[("X-Request-Id", "req_7f3a9c")]).await,
        [(
            Severity::Pass,
            "Responses carry a request id (x-request-id)".to_string()
        )]
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_valid_traceparent_passes_and_an_invalid_one_is_medium() {
    assert_eq!(
        verdict(&[(
            "traceparent",
            "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01"
        )])
        .await,
        [(
            Severity::Pass,
            "Responses carry a request id (traceparent)".to_string()
        )]
    );
    assert_eq!(
        verdict(&[("traceparent", "00-abc-def-01")]).await,
        [(
            Severity::Medium,
            "The traceparent header is not a valid W3C trace context".to_string()
        )]
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn cf_ray_alone_is_low_and_no_id_is_medium() {
    assert_eq!(
        verdict(&[("CF-Ray", "8a1b2c3d4e5f6789-AMS")]).await,
        [(
            Severity::Low,
            "Only an edge id (cf-ray), not the app's own request id".to_string()
        )]
    );
    let none = verdict(&[("Server", "nginx")]).await;
    assert_eq!(
        none,
        [(
            Severity::Medium,
            "No request id header in the API's responses".to_string()
        )]
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn endpoints_are_asked_as_configured_and_the_webhook_unsigned() {
    let seen = Seen::default();
    let log = seen.clone();
    let api = handler(move |req| {
        log.lock().unwrap().push(req.clone());
        match req.path() {
            "/health" => Response::text("ok").header("x-correlation-id", "c-1"),
            "/webhook" => Response::new(401).header("x-amzn-RequestId", "a-1"),
            _ => Response::not_found(),
        }
    });
    let mut bed = Bed::start(TestBed::builder().site(API, api)).await;
    bed.target.endpoints = vec![
        endpoint(EndpointRole::ApiHealth, Method::Get, "/health", 200),
        endpoint(EndpointRole::Chat, Method::Post, "/chat", 200),
        endpoint(EndpointRole::Webhook, Method::Post, "/webhook", 200),
    ];
    let findings = request_ids(&bed.net, &bed.target, TIMEOUT).await;
    let got: Vec<(&str, Severity, &str)> = findings
        .iter()
        .map(|f| (f.target.as_str(), f.severity, f.title.as_str()))
        .collect();
    assert_eq!(
        got,
        [
            (
                bed.https(API, "/").as_str(),
                Severity::Medium,
                "No request id header in the API's responses"
            ),
            (
                bed.https(API, "/health").as_str(),
                Severity::Pass,
                "Responses carry a request id (x-correlation-id)"
            ),
            (
                bed.https(API, "/webhook").as_str(),
                Severity::Pass,
                "Responses carry a request id (x-amzn-requestid)"
            ),
        ]
    );
    assert!(
        seen_at(&seen, "/chat").is_empty(),
        "a chat POST is not sent"
    );
    assert_eq!(seen_at(&seen, "/webhook")[0].method, "POST");
    assert!(findings[1]
        .detail
        .contains("Log lines themselves are not checked"));
}
