//! The rate-limit verdict's edges: a quota wider than the burst, and a
//! `Retry-After` longer than Handover waits.

use std::time::Duration;

use handover_model::{EndpointRole, Severity};
use handover_testbed::Response;

use super::limit::{check, Waits};
use super::limit_tests::{has_line, login_bed, run, verdicts, Limiter};
use crate::checks::net::Net;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_advertised_quota_wider_than_the_burst_is_named_in_the_high() {
    let (_bed, target) = login_bed(|_| {
        Response::new(401)
            .header("RateLimit", r#""hourly";r=70;t=3000"#)
            .header("RateLimit-Policy", r#""hourly";q=100;w=3600"#)
    })
    .await;
    let findings = run("ratelimit.login", &target).await;
    assert_eq!(
        verdicts(&findings),
        [(
            "ratelimit.login",
            Severity::High,
            r#"login was not limited by 30 requests in 2 s (it advertises RateLimit / RateLimit-Policy "hourly": 100 per 3600 s, 70 left, resets in 3000 s)"#
        )],
        "{findings:#?}"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_retry_after_past_the_cap_is_not_held_against_the_limit() {
    let limiter = Limiter::new(10, None);
    let (bed, target) = login_bed(move |_| {
        if limiter.over() {
            Response::new(429).header("Retry-After", "3600")
        } else {
            Response::new(401)
        }
    })
    .await;
    let net = Net::new(&target).unwrap();
    let waits = Waits {
        cap: Duration::from_millis(200),
        default: Duration::from_millis(200),
    };
    let started = std::time::Instant::now();
    let findings = check(&net, &target, EndpointRole::Login, waits).await;
    assert!(
        started.elapsed() < Duration::from_secs(5),
        "{:?}",
        started.elapsed()
    );
    assert_eq!(
        verdicts(&findings),
        [(
            "ratelimit.login",
            Severity::Pass,
            "login is rate limited: 429 after 10 requests (still limited after 0.2 s, within its longer Retry-After)"
        )],
        "{findings:#?}"
    );
    has_line(&findings[0], "Retry-After asks for 3600 s (delta-seconds)");
    has_line(
        &findings[0],
        "waited 0.2 s (the advertised wait is longer; Handover waits at most that), then sent one request",
    );
    assert!(bed.https.requests().len() <= 13);
}
