//! Page content, weight and CDN checks against the test bed, hostile pages
//! included, and every web check in one run.

use std::sync::Arc;
use std::time::{Duration, Instant};

use handover_model::Severity;
use handover_testbed::{handler, hostile, Response, Routes, TestBed};

use super::bed_tests::{hardened, one, Bed};
use crate::checks::run_all;
use crate::checks::RunLimits;

fn web_checks() -> Vec<std::sync::Arc<dyn crate::checks::Check>> {
    crate::checks::shared(super::definitions())
}

const APEX: &str = "example.test";
const APP: &str = "app.example.test";
const API: &str = "api.example.test";

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_script_over_plain_http_is_high() {
    let page = r#"<!doctype html><html><head>
        <script src="http://cdn.example.test/app.js"></script>
        <link rel="stylesheet" href="/site.css"></head>
        <body><img src="http://example.test/logo.png"><a href="http://elsewhere.test/">ok</a></body></html>"#;
    let bed = Bed::start(
        TestBed::builder().site(
            APEX,
            Routes::new()
                .route("/", Response::html(page))
                .route(
                    "/site.css",
                    Response::new(200)
                        .header("Content-Type", "text/css")
                        .body("body { color: #222 }"),
                )
                .into_handler(),
        ),
    )
    .await;
    let findings = bed.run("content.mixed").await;
    let f = one(&findings, &bed.https(APEX, "/"));
    assert_eq!(
        (f.severity, f.title.as_str()),
        (
            Severity::High,
            "2 resource(s) load over plain HTTP, including a script"
        )
    );
    assert_eq!(
        f.evidence,
        [
            "high script: http://cdn.example.test/app.js",
            "medium image: http://example.test/logo.png",
            "1 linked stylesheet(s) read"
        ]
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn hostile_pages_are_read_only_up_to_the_caps() {
    let mut bed = Bed::start(
        TestBed::builder()
            .site(
                APEX,
                Routes::new()
                    .route("/", hostile::endless_body())
                    .into_handler(),
            )
            .site(APP, hostile::handler()),
    )
    .await;
    bed.target.paths = vec![
        ("login".into(), "/gzip-bomb".into()),
        ("dashboard".into(), "/endless".into()),
    ];
    let started = Instant::now();
    let mixed = bed.run("content.mixed").await;
    let mixed_took = started.elapsed();
    let bomb = one(&mixed, &bed.https(APP, "/gzip-bomb"));
    assert_eq!(
        (bomb.severity, bomb.title.as_str()),
        (Severity::Pass, "Nothing is loaded over plain HTTP")
    );
    let endless = one(&mixed, &bed.https(APP, "/endless"));
    assert_eq!(endless.severity, Severity::Pass);
    assert_eq!(
        endless.evidence,
        [format!(
            "only the first {} bytes of the page were scanned",
            super::mixed::PAGE_BYTES
        )]
    );

    let started = Instant::now();
    let weight = bed.run("weight.page").await;
    let weight_took = started.elapsed();
    let home = one(&weight, &bed.https(APEX, "/"));
    let html_bytes = home
        .measured
        .iter()
        .find(|m| m.name == "html_bytes")
        .unwrap()
        .value;
    assert_eq!(
        html_bytes,
        (5 * 1024 * 1024) as f64,
        "cut at the 5 MiB body limit"
    );
    assert_eq!(
        home.severity,
        Severity::Medium,
        "5 MiB of uncompressed HTML: {home:#?}"
    );
    assert!(mixed_took < Duration::from_secs(30) && weight_took < Duration::from_secs(60));
    eprintln!(
        "hostile pages: content.mixed {} ms, weight.page {} ms",
        mixed_took.as_millis(),
        weight_took.as_millis()
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn uncompressed_text_and_heavy_images_weigh_in() {
    let page = r#"<html><head><script src="/app.js"></script><link rel=stylesheet href="/site.css"></head>
        <body><img src="/hero.png"></body></html>"#;
    let routes = Routes::new()
        .route("/", Response::html(page).gzip())
        .route(
            "/app.js",
            Response::new(200)
                .header("Content-Type", "text/javascript")
                .body("x".repeat(5000)),
        )
        .route(
            "/site.css",
            Response::new(200)
                .header("Content-Type", "text/css")
                .body("a{}".repeat(2000))
                .gzip(),
        )
        .route(
            "/hero.png",
            Response::new(200)
                .header("Content-Type", "image/png")
                .body(vec![7u8; 1_500_000]),
        );
    let bed = Bed::start(TestBed::builder().site(APEX, routes.into_handler())).await;
    let findings = bed.run("weight.page").await;
    let got: Vec<(Severity, &str)> = findings
        .iter()
        .map(|f| (f.severity, f.title.as_str()))
        .collect();
    assert_eq!(
        got,
        vec![
            (Severity::Medium, "1 text resource(s) are sent uncompressed"),
            (Severity::Low, "1 image(s) over 1 MB"),
        ]
    );
    let m = |name: &str| {
        findings[0]
            .measured
            .iter()
            .find(|m| m.name == name)
            .unwrap()
            .value
    };
    assert_eq!(
        (m("script_bytes"), m("image_bytes"), m("requests")),
        (5000.0, 1_500_000.0, 4.0)
    );
    assert_eq!(
        findings[0].evidence,
        [format!("script {} (5 KB)", bed.https(APEX, "/app.js"))]
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn cdn_proxying_static_caching_and_private_pages() {
    let page = r#"<html><script src="/app.js"></script><img src="/nocache.png"><img src="https://other.test/x.png"></html>"#;
    let edge = |r: Response| {
        r.header("Server", "cloudflare")
            .header("CF-RAY", "8a1b2c3d4e5f-AMS")
    };
    let routes = Routes::new()
        .route("/", edge(Response::html(page)))
        .route(
            "/app.js",
            edge(Response::text("js"))
                .header("Cache-Control", "public, max-age=31536000, immutable")
                .header("CF-Cache-Status", "HIT"),
        )
        .route(
            "/nocache.png",
            edge(Response::text("png"))
                .header("Cache-Control", "no-store")
                .header("CF-Cache-Status", "BYPASS"),
        );
    let login = Routes::new()
        .route(
            "/login",
            Response::html("<form>")
                .header("Cache-Control", "public, max-age=600")
                .header("CF-Cache-Status", "HIT"),
        )
        .route(
            "/dashboard",
            Response::html("<p>me</p>").header("Cache-Control", "private, no-store"),
        );
    let mut bed = Bed::start(
        TestBed::builder()
            .site(APEX, routes.into_handler())
            .site(APP, login.into_handler()),
    )
    .await;
    bed.target.paths = vec![
        ("login".into(), "/login".into()),
        ("dashboard".into(), "/dashboard".into()),
    ];

    let proxied = bed.run("cdn.proxied").await;
    assert_eq!(
        (
            one(&proxied, APEX).severity,
            one(&proxied, APEX).title.as_str()
        ),
        (Severity::Pass, "Proxied through Cloudflare")
    );
    assert_eq!(
        (
            one(&proxied, API).severity,
            one(&proxied, API).title.as_str()
        ),
        (Severity::Info, "Not proxied through a CDN")
    );

    let statics = bed.run("cdn.static_cache").await;
    let f = one(&statics, &bed.https(APEX, "/"));
    assert_eq!(
        (f.severity, f.title.as_str()),
        (
            Severity::Medium,
            "1 of 2 static asset(s) are not cached well"
        )
    );
    assert!(
        f.evidence[0].ends_with("edge: HIT (cacheable)"),
        "{:?}",
        f.evidence
    );

    let private = bed.run("cdn.private_not_cached").await;
    let login = one(&private, &bed.https(APP, "/login"));
    assert_eq!(
        (login.severity, login.title.as_str()),
        (
            Severity::High,
            "A personal response was served from the CDN cache"
        )
    );
    assert_eq!(
        one(&private, &bed.https(APP, "/dashboard")).severity,
        Severity::Pass
    );
    assert_eq!(
        one(&private, &bed.https(API, "/")).severity,
        Severity::Low,
        "the bed's API sends no Cache-Control"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_web_check_reports_through_the_runner() {
    let strict =
        handler(|_| hardened(Response::html("<p>ok</p>")).header("X-Frame-Options", "DENY"));
    let bed = TestBed::builder().site(APEX, strict).start().await.unwrap();
    let target = Arc::new(crate::checks::http::bed_tests::target_of(&bed));
    let checks = web_checks();
    let started = Instant::now();
    let findings = run_all(&checks, target, RunLimits::default(), Arc::new(|_| {})).await;
    let took = started.elapsed();
    let mut ids: Vec<&str> = findings.iter().map(|f| f.check.as_str()).collect();
    ids.sort();
    ids.dedup();
    assert_eq!(ids.len(), 17, "{ids:?}");
    // redirect.legacy_urls has no URLs to look at: it says so and never passes.
    let legacy: Vec<&handover_model::Finding> = findings
        .iter()
        .filter(|f| f.check == "redirect.legacy_urls")
        .collect();
    assert_eq!(legacy.len(), 1);
    assert!(
        matches!(
            legacy[0].outcome,
            handover_model::Outcome::Inconclusive {
                cause: handover_model::Cause::NothingToCheck,
                ..
            }
        ),
        "{:?}",
        legacy[0]
    );
    let odd: Vec<_> = findings
        .iter()
        .filter(|f| {
            f.title.starts_with("No answer within") || f.title == "The check failed unexpectedly"
        })
        .collect();
    assert!(odd.is_empty(), "{odd:#?}");
    let apex_hsts = findings
        .iter()
        .find(|f| f.check == "headers.hsts" && f.target.contains("//example.test:"))
        .unwrap();
    assert_eq!(apex_hsts.severity, Severity::Pass);
    assert!(
        apex_hsts.detail.contains("100/100 (A+)"),
        "{}",
        apex_hsts.detail
    );
    for f in &findings {
        eprintln!(
            "{:7} {:24} {} — {}",
            f.severity.as_str(),
            f.check,
            f.target,
            f.title
        );
    }
    eprintln!(
        "all web checks on the bed: {} findings in {} ms",
        findings.len(),
        took.as_millis()
    );
}
