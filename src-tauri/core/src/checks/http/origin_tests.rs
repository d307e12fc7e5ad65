//! The per-origin connection budget against the test bed, which counts the
//! connections it accepts for each host.

use std::time::{Duration, Instant};

use futures_util::future::join_all;
use handover_testbed::{handler, CertKind, Response as BedResponse, TestBed};

use super::bed_tests::target_of;
use super::*;

async fn many(net: &Net, url: &Url, n: usize) -> Vec<Response> {
    join_all((0..n).map(|_| fetch(net, Request::get(url.clone()))))
        .await
        .into_iter()
        .map(|r| r.expect("answered"))
        .collect()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn twenty_requests_at_once_share_two_kept_alive_connections() {
    let bed = TestBed::builder()
        .site("app.example.test", handler(|_| BedResponse::text("ok")))
        .start()
        .await
        .unwrap();
    let target = target_of(&bed);
    let net = Net::new(&target).unwrap();
    let https = Url::parse(&format!("https://app.example.test:{}/", bed.https_port())).unwrap();
    let http = Url::parse(&format!("http://app.example.test:{}/", bed.http_port())).unwrap();
    for response in many(&net, &https, 20).await {
        assert_eq!(
            (response.status, response.body.as_slice()),
            (200, &b"ok"[..])
        );
    }
    // Headers-only requests read the rest of a short body, so their
    // connection is reused too.
    for _ in 0..5 {
        let response = fetch(&net, Request::get(https.clone()).body_limit(0))
            .await
            .unwrap();
        assert_eq!(response.status, 200);
    }
    many(&net, &http, 10).await;
    assert_eq!(
        bed.https.connections_for("app.example.test"),
        origin::PER_ORIGIN as usize
    );
    assert!(bed.http.connections_for("app.example.test") <= origin::PER_ORIGIN as usize);
    assert_eq!(bed.https.requests().len(), 25);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_server_that_closes_each_connection_costs_no_waiting() {
    let bed = TestBed::builder()
        .site(
            "app.example.test",
            handler(|_| BedResponse::text("bye").header("Connection", "close")),
        )
        .start()
        .await
        .unwrap();
    let net = Net::new(&target_of(&bed)).unwrap();
    let url = Url::parse(&format!("https://app.example.test:{}/", bed.https_port())).unwrap();
    let started = Instant::now();
    for _ in 0..8 {
        assert_eq!(
            fetch(&net, Request::get(url.clone())).await.unwrap().status,
            200
        );
    }
    // Each answer said it closes, so no request waited for a connection
    // to come back (that wait is a quarter of a second).
    assert!(
        started.elapsed() < Duration::from_secs(2),
        "{:?}",
        started.elapsed()
    );
    assert_eq!(bed.https.connections_for("app.example.test"), 8);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn past_an_invalid_certificate_the_refused_connection_counts_against_the_budget() {
    let bed = TestBed::builder()
        .cert("api.example.test", CertKind::Expired)
        .site("api.example.test", handler(|_| BedResponse::text("{}")))
        .start()
        .await
        .unwrap();
    let net = Net::new(&target_of(&bed)).unwrap();
    let url = Url::parse(&format!("https://api.example.test:{}/", bed.https_port())).unwrap();
    for response in many(&net, &url, 12).await {
        assert_eq!(
            response.past_invalid_certificate.as_deref(),
            Some("the certificate has expired")
        );
    }
    // One refused by the verifying client, one kept alive behind it.
    assert_eq!(bed.https.connections_for("api.example.test"), 2);
}
