//! The load runner against a loopback server with a fixed delay.

use std::time::Duration;

use handover_testbed::{handler, Response, TestBed};
use url::Url;

use super::load::{run, Plan};
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

    let mut plan = Plan::get(url("/down"));
    plan.requests = 10;
    let report = run(&net, &plan).await.unwrap();
    assert_eq!(report.statuses.get(&503), Some(&10));
    assert_eq!(report.error_rate(), 1.0);
    assert!(report.percentiles.is_none(), "no p95 from 10 samples");
}
