//! Redirect, header and CORS checks against the test bed, with exact
//! expected findings.

use std::time::{Duration, Instant};

use handover_model::{Finding, Severity};
use handover_testbed::{handler, hostile, Response, Routes, TestBed, TestBedBuilder};

use super::run_with;
use crate::checks::http::bed_tests::target_of;
use crate::checks::net::Net;
use crate::checks::CheckTarget;

/// A started bed, its target and a network context for it.
pub(crate) struct Bed {
    pub _bed: TestBed,
    pub target: CheckTarget,
    pub net: Net,
}

impl Bed {
    pub async fn start(builder: TestBedBuilder) -> Self {
        let bed = builder.start().await.expect("the bed starts");
        let target = target_of(&bed);
        let net = Net::new(&target).unwrap();
        Self {
            _bed: bed,
            target,
            net,
        }
    }

    /// `https://host:port/path`.
    pub fn https(&self, host: &str, path: &str) -> String {
        format!("https://{host}:{}{path}", self.target.https_port)
    }

    /// `http://host:port/path`.
    pub fn http(&self, host: &str, path: &str) -> String {
        format!("http://{host}:{}{path}", self.target.http_port)
    }

    pub async fn run(&self, id: &str) -> Vec<Finding> {
        run_with(id, &self.net, &self.target)
            .await
            .expect("a web check id")
    }
}

/// The single finding about `target`.
pub(crate) fn one<'a>(findings: &'a [Finding], target: &str) -> &'a Finding {
    let matching: Vec<&Finding> = findings.iter().filter(|f| f.target == target).collect();
    assert_eq!(
        matching.len(),
        1,
        "one finding for {target} in {findings:#?}"
    );
    matching[0]
}

fn score_of(f: &Finding) -> f64 {
    f.measured
        .iter()
        .find(|m| m.name == "score")
        .expect("a score")
        .value
}

/// Every header a strict host sends, around `response`.
pub(crate) fn hardened(response: Response) -> Response {
    response
        .header(
            "Strict-Transport-Security",
            "max-age=63072000; includeSubDomains",
        )
        .header(
            "Content-Security-Policy",
            "default-src 'self'; frame-ancestors 'none'",
        )
        .header("X-Content-Type-Options", "nosniff")
        .header("Referrer-Policy", "strict-origin-when-cross-origin")
}

const APEX: &str = "example.test";
const API: &str = "api.example.test";

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn missing_hsts_is_high_on_every_host_with_the_host_score() {
    let bed = Bed::start(TestBed::builder()).await;
    let findings = bed.run("headers.hsts").await;
    assert_eq!(findings.len(), 5);
    for host in bed.target.hosts.clone() {
        let f = one(&findings, &bed.https(&host, "/"));
        assert_eq!(
            (f.check.as_str(), f.severity, f.title.as_str()),
            ("headers.hsts", Severity::High, "No HSTS header")
        );
        // −25 CSP, −20 framing, −5 nosniff, −20 HSTS; HTTP redirects fine.
        assert_eq!(score_of(f), 30.0);
        assert!(
            f.detail
                .ends_with(&format!("Header score for {host}: 30/100 (D).")),
            "{}",
            f.detail
        );
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn csp_with_unsafe_inline_is_medium_and_costs_twenty_points() {
    let page = Response::html("<p>hi</p>")
        .header(
            "Strict-Transport-Security",
            "max-age=31536000; includeSubDomains",
        )
        .header(
            "Content-Security-Policy",
            "script-src 'self' 'unsafe-inline'",
        )
        .header("X-Content-Type-Options", "nosniff")
        .header("X-Frame-Options", "DENY");
    let bed =
        Bed::start(TestBed::builder().site(APEX, Routes::new().fallback(page).into_handler()))
            .await;
    let home = bed.https(APEX, "/");
    let csp = bed.run("headers.csp").await;
    let f = one(&csp, &home);
    assert_eq!(
        (f.severity, f.title.as_str()),
        (
            Severity::Medium,
            "The CSP allows inline scripts ('unsafe-inline')"
        )
    );
    assert_eq!(score_of(f), 80.0);
    assert!(f.detail.contains("80/100 (B+)"), "{}", f.detail);
    assert!(f
        .evidence
        .iter()
        .any(|e| e == "score -20: CSP allows inline or unrestricted scripts"));
    let hsts = bed.run("headers.hsts").await;
    assert_eq!(one(&hsts, &home).severity, Severity::Pass);
    let framing = bed.run("headers.framing").await;
    assert_eq!(one(&framing, &home).severity, Severity::Pass);
    assert_eq!(
        one(&framing, &bed.https(API, "/")).severity,
        Severity::Medium
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn session_cookie_without_secure_is_high_and_versions_are_low() {
    let page = hardened(Response::html("<p>hi</p>"))
        .header("X-Frame-Options", "DENY")
        .header(
            "Set-Cookie",
            "session=abc123; HttpOnly; SameSite=Lax; Path=/",
        )
        .header("Set-Cookie", "theme=dark; Secure; SameSite=Lax")
        .header("Server", "nginx/1.25.3");
    let bed =
        Bed::start(TestBed::builder().site(APEX, Routes::new().fallback(page).into_handler()))
            .await;
    let home = bed.https(APEX, "/");
    let cookies = bed.run("headers.cookies").await;
    let f = one(&cookies, &home);
    assert_eq!(
        (f.severity, f.title.as_str()),
        (
            Severity::High,
            "session is sent without Secure (it can travel over plain HTTP)"
        )
    );
    assert_eq!(score_of(f), 60.0);
    assert!(
        !format!("{f:?}").contains("abc123"),
        "cookie values never reach a finding"
    );
    assert_eq!(
        one(&cookies, &bed.https(API, "/")).title,
        "No cookies are set here"
    );
    let disclosure = bed.run("headers.disclosure").await;
    assert_eq!(one(&disclosure, &home).severity, Severity::Low);
    assert_eq!(
        one(&disclosure, &bed.https(API, "/")).severity,
        Severity::Pass
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn plain_http_without_a_redirect_is_high() {
    let bed =
        Bed::start(TestBed::builder().http_site(APEX, handler(|_| Response::html("<p>plain</p>"))))
            .await;
    let findings = bed.run("redirect.https").await;
    assert_eq!(findings.len(), 5);
    let f = one(&findings, &bed.http(APEX, "/"));
    assert_eq!(
        (f.severity, f.title.as_str()),
        (
            Severity::High,
            "Plain HTTP is served without a redirect to HTTPS"
        )
    );
    let api = one(&findings, &bed.http(API, "/"));
    assert_eq!(
        (api.severity, api.title.as_str()),
        (
            Severity::Pass,
            "Plain HTTP redirects to HTTPS on the same host"
        )
    );
    let hop = &api.evidence[0];
    assert!(
        hop.starts_with(&format!("1. GET {} → 301 in ", bed.http(API, "/"))),
        "{hop}"
    );
    assert!(
        hop.ends_with(&format!(" ms → {}", bed.https(API, "/"))),
        "{hop}"
    );
    // The missing redirect also costs the apex 20 points.
    let hsts = bed.run("headers.hsts").await;
    assert_eq!(score_of(one(&hsts, &bed.https(APEX, "/"))), 10.0);
    assert_eq!(score_of(one(&hsts, &bed.https(API, "/"))), 30.0);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_redirect_loop_is_high_on_both_schemes() {
    let looping = Routes::new()
        .route("/", Response::redirect(302, "/a"))
        .route("/a", Response::redirect(302, "/"));
    let bed = Bed::start(TestBed::builder().site(APEX, looping.into_handler())).await;
    let findings = bed.run("redirect.chain").await;
    assert_eq!(findings.len(), 10, "two starts per host");
    for start in [bed.https(APEX, "/"), bed.http(APEX, "/")] {
        let f = one(&findings, &start);
        assert_eq!(
            (f.severity, f.title.as_str()),
            (Severity::High, "Redirect loop"),
            "{start}"
        );
    }
    assert_eq!(
        one(&findings, &bed.https(API, "/")).severity,
        Severity::Pass
    );
    let https = bed.run("redirect.https").await;
    assert_eq!(
        one(&https, &bed.http(APEX, "/")).title,
        "Plain HTTP never reaches a page (redirect loop)"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_hundred_hop_chain_is_high_and_stops_after_ten() {
    let hostile = hostile::handler();
    let site = handler(move |req| {
        if req.path() == "/" {
            Response::redirect(302, hostile::paths::CHAIN)
        } else {
            hostile(req)
        }
    });
    let bed = Bed::start(TestBed::builder().site(APEX, site)).await;
    let started = Instant::now();
    let findings = bed.run("redirect.chain").await;
    let took = started.elapsed();
    let f = one(&findings, &bed.https(APEX, "/"));
    assert_eq!(
        (f.severity, f.title.as_str()),
        (Severity::High, "More than 10 redirects in a row")
    );
    assert_eq!(f.evidence.len(), 12, "11 hops and the ending");
    assert_eq!(f.evidence[11], "stopped after 10 redirects");
    assert!(took < Duration::from_secs(15).mul_f64(1.1), "{took:?}");
    eprintln!(
        "redirect.chain over a 100-hop chain: {} ms",
        took.as_millis()
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn canonical_and_legacy_urls() {
    let routes = Routes::new()
        .route("/", Response::html("<p>home</p>"))
        .route("/old", Response::redirect(301, "/new"))
        .route("/new", Response::html("<p>new</p>"))
        .route("/moved", Response::redirect(301, "/"));
    let mut bed = Bed::start(TestBed::builder().site(APEX, routes.into_handler())).await;
    let canonical = bed.run("redirect.canonical").await;
    let f = one(&canonical, APEX);
    assert_eq!(
        (f.severity, f.title.clone()),
        (
            Severity::Pass,
            format!("All 2 variants end at {}", bed.https(APEX, "/"))
        )
    );
    bed.target.legacy_urls = vec![
        ("/old".into(), "/new".into()),
        ("/gone".into(), "/new".into()),
        ("/moved".into(), "/new".into()),
    ];
    let legacy = bed.run("redirect.legacy_urls").await;
    assert_eq!(
        one(&legacy, &bed.https(APEX, "/old")).severity,
        Severity::Pass
    );
    let gone = one(&legacy, &bed.https(APEX, "/gone"));
    assert_eq!(
        (gone.severity, gone.title.as_str()),
        (
            Severity::Medium,
            "The old URL answers itself instead of redirecting"
        )
    );
    let moved = one(&legacy, &bed.https(APEX, "/moved"));
    assert_eq!(
        moved.title,
        format!(
            "Ends at {} (200) instead of {}",
            bed.https(APEX, "/"),
            bed.https(APEX, "/new")
        )
    );
}
