//! The load runner against a loopback server with a fixed delay.

use std::time::Duration;

use handover_testbed::{handler, HttpServer, Response, Site, TestBed};
use url::Url;

use super::load::{run, Connection, Phases, Plan, Report};
use crate::checks::http::bed_tests::target_of;
use crate::checks::net::Net;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn five_users_measure_a_fixed_delay_and_count_statuses() {
    let bed = TestBed::builder()
        .site(
            "api.example.test",
            handler(|req| match req.path() {
                "/slow" => Response::text("ok").delay(Duration::from_millis(50)),
                _ => Response::new(503).body("down"),
            }),
        )
        .start()
        .await
        .unwrap();
    let net = Net::new(&target_of(&bed)).unwrap();
    let url = |path: &str| {
        Url::parse(&format!(
            "https://api.example.test:{}{path}",
            bed.https_port()
        ))
        .unwrap()
    };
    let mut plan = Plan::get(url("/slow"));
    plan.requests = 40;
    let report = run(&net, &plan).await.unwrap();
    let p = report.percentiles.expect("40 samples");
    assert_eq!((p.samples, report.failed, report.not_sent), (40, 0, 0));
    assert_eq!(report.statuses.get(&200), Some(&40));
    assert!(
        p.p50 >= Duration::from_millis(50) && p.p95 < Duration::from_millis(500),
        "{p:?}"
    );
    // Five users at 50 ms each: about 8 rounds, not 40 in a row.
    assert!(
        report.elapsed < Duration::from_millis(40 * 50),
        "{:?}",
        report.elapsed
    );
    // Each user kept one connection (plus nothing else of this run).
    assert_eq!(bed.https.connections_for("api.example.test"), 5);
    // The five first requests opened them, in three phases each.
    let opened = new_connections(&report);
    assert_eq!((opened.len(), reused(&report)), (5, 35), "{report:#?}");
    for (phases, ttfb, total) in &opened {
        assert!(phases.dns.is_some() && phases.tls.is_some(), "{phases:?}");
        let setup = phases.dns.unwrap() + phases.connect + phases.tls.unwrap();
        assert!(
            setup <= *ttfb && ttfb <= total,
            "{phases:?} {ttfb:?} {total:?}"
        );
    }

    let mut plan = Plan::get(url("/down"));
    plan.requests = 10;
    let report = run(&net, &plan).await.unwrap();
    assert_eq!(report.statuses.get(&503), Some(&10));
    assert_eq!(report.error_rate(), 1.0);
    assert!(report.percentiles.is_none(), "no p95 from 10 samples");
}

/// The phases, time to first byte and total of the answered requests that
/// opened a connection.
fn new_connections(report: &Report) -> Vec<(Phases, Duration, Duration)> {
    report
        .samples
        .iter()
        .filter_map(|s| match (s.connection, s.ttfb) {
            (Connection::Opened(phases), Some(ttfb)) => Some((phases, ttfb, s.total)),
            _ => None,
        })
        .collect()
}

fn reused(report: &Report) -> usize {
    report
        .samples
        .iter()
        .filter(|s| s.connection == Connection::Reused)
        .count()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn plain_http_to_an_address_has_no_lookup_and_no_tls_phase() {
    let server = HttpServer::start(vec![Site::new(
        "127.0.0.1",
        handler(|req| match req.path() {
            "/close" => Response::text("bye").header("connection", "close"),
            _ => Response::text("ok"),
        }),
    )])
    .await
    .unwrap();
    let net = Net::new(&crate::checks::CheckTarget::default()).unwrap();
    let url =
        |path: &str| Url::parse(&format!("http://127.0.0.1:{}{path}", server.port())).unwrap();
    let mut plan = Plan::get(url("/"));
    plan.requests = 20;
    plan.users = 2;
    let report = run(&net, &plan).await.unwrap();
    assert_eq!(report.statuses.get(&200), Some(&20), "{report:#?}");
    // A user may send all twenty before the other starts: one connection
    // or two, each counted as the server counts it.
    let opened = new_connections(&report);
    assert_eq!(opened.len(), server.connections_for("127.0.0.1"));
    assert!((1..=2).contains(&opened.len()), "{report:#?}");
    assert_eq!(opened.len() + reused(&report), 20);
    for (phases, ttfb, _) in &opened {
        assert_eq!((phases.dns, phases.tls), (None, None), "{phases:?}");
        assert!(phases.connect <= *ttfb, "{phases:?} {ttfb:?}");
    }

    // A server that closes after every answer: each request opens its own
    // connection, and none fails for it.
    let mut plan = Plan::get(url("/close"));
    plan.requests = 10;
    plan.users = 2;
    let report = run(&net, &plan).await.unwrap();
    assert_eq!(report.statuses.get(&200), Some(&10), "{report:#?}");
    assert_eq!((new_connections(&report).len(), reused(&report)), (10, 0));
    assert_eq!(server.connections_for("127.0.0.1"), opened.len() + 10);
}
