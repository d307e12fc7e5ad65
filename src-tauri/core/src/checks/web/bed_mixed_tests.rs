//! `content.mixed` and `weight.page` against the test bed: what the HTML
//! tokenizer finds (entities, inline CSS), `upgrade-insecure-requests`, and
//! a 2 MiB page of 100 000 distinct tags read within the time a founder
//! waits.

use std::sync::{Arc, OnceLock};
use std::time::{Duration, Instant};

use handover_model::{Finding, Severity};
use handover_testbed::{handler, Response, Routes, TestBed};

use super::bed_tests::{one, Bed};

const APEX: &str = "example.test";
const APP: &str = "app.example.test";

fn measured(f: &Finding, name: &str) -> f64 {
    f.measured
        .iter()
        .find(|m| m.name == name)
        .unwrap_or_else(|| panic!("{name} in {f:#?}"))
        .value
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn encoded_schemes_and_inline_css_loads_are_mixed_content() {
    let page = r#"<!doctype html><html><head>
        <script src="http&#x3a;//cdn.example.test/app.js"></script>
        <style>@import "http://cdn.example.test/theme.css";
          .hero { background: url(http://img.example.test/hero.png) }
          /* .old { background: url(http://img.example.test/old.png) } */</style></head>
        <body><p style="background-image: url('http://img.example.test/p.png')">hi</p>
        <div style="background: url(/local.png)"></div></body></html>"#;
    let bed = Bed::start(
        TestBed::builder().site(
            APEX,
            Routes::new()
                .route("/", Response::html(page))
                .into_handler(),
        ),
    )
    .await;
    let findings = bed.run("content.mixed").await;
    assert_eq!(findings.len(), 1, "{findings:#?}");
    let f = one(&findings, &bed.https(APEX, "/"));
    assert_eq!(
        (f.check.as_str(), f.severity, f.title.as_str()),
        (
            "content.mixed",
            Severity::High,
            "4 resource(s) load over plain HTTP, including a script"
        )
    );
    assert_eq!(
        f.evidence,
        [
            "high script: http://cdn.example.test/app.js",
            "medium stylesheet: http://cdn.example.test/theme.css",
            "medium CSS resource: http://img.example.test/hero.png",
            "medium CSS resource: http://img.example.test/p.png",
        ]
    );
    assert_eq!(measured(f, "insecure_loads"), 4.0);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn upgrade_insecure_requests_turns_http_loads_into_information() {
    let loads = r#"<script src="http://cdn.example.test/app.js"></script>
        <img src="http://img.example.test/logo.png">"#;
    let home = Response::html(&format!("<html><head></head><body>{loads}</body></html>")).header(
        "Content-Security-Policy",
        "default-src https:; upgrade-insecure-requests",
    );
    let meta = Response::html(&format!(
        r#"<html><head><meta http-equiv="Content-Security-Policy" content="upgrade-insecure-requests"></head><body>{loads}</body></html>"#
    ));
    // Report-only policies are not enforced: nothing is upgraded.
    let report_only = Response::html(&format!("<html><body>{loads}</body></html>")).header(
        "Content-Security-Policy-Report-Only",
        "upgrade-insecure-requests",
    );
    let mut bed = Bed::start(
        TestBed::builder()
            .site(APEX, Routes::new().route("/", home).into_handler())
            .site(
                APP,
                Routes::new()
                    .route("/login", meta)
                    .route("/dashboard", report_only)
                    .into_handler(),
            ),
    )
    .await;
    bed.target.paths = vec![
        ("login".into(), "/login".into()),
        ("dashboard".into(), "/dashboard".into()),
    ];
    let findings = bed.run("content.mixed").await;
    assert_eq!(findings.len(), 3, "{findings:#?}");
    for url in [bed.https(APEX, "/"), bed.https(APP, "/login")] {
        let f = one(&findings, &url);
        assert_eq!(
            (f.check.as_str(), f.severity, f.title.as_str()),
            (
                "content.mixed",
                Severity::Info,
                "2 http:// reference(s), all upgraded to HTTPS by upgrade-insecure-requests"
            ),
            "{url}"
        );
        assert_eq!(
            f.evidence,
            [
                "upgraded script: http://cdn.example.test/app.js",
                "upgraded image: http://img.example.test/logo.png",
            ]
        );
        assert_eq!(
            (measured(f, "insecure_loads"), measured(f, "upgraded_loads")),
            (0.0, 2.0)
        );
    }
    let f = one(&findings, &bed.https(APP, "/dashboard"));
    assert_eq!(
        (f.severity, f.title.as_str()),
        (
            Severity::High,
            "2 resource(s) load over plain HTTP, including a script"
        )
    );
}

/// Exactly 2 MiB of HTML: `<base href={base}>`, then 100 000 distinct
/// `<img>` tags, then a comment to pad.
fn big_page(base: &str) -> String {
    let size = super::mixed::PAGE_BYTES;
    let mut page = format!("<!doctype html><html><head><base href=\"{base}\"></head><body>");
    for i in 0..100_000 {
        page.push_str(&format!("<img src=\"{i}\">"));
    }
    let tail = "--></body></html>";
    let pad = size - page.len() - "<!--".len() - tail.len();
    page.push_str("<!--");
    page.push_str(&"x".repeat(pad));
    page.push_str(tail);
    assert_eq!(page.len(), size);
    page
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_two_mebibyte_page_of_100k_tags_is_checked_in_under_two_seconds() {
    // The page names the bed's HTTP port, known only once the bed runs.
    let served: Arc<OnceLock<Response>> = Arc::new(OnceLock::new());
    let page_handler = {
        let served = served.clone();
        handler(move |_| served.get().cloned().unwrap_or_else(Response::not_found))
    };
    let image = Response::new(200)
        .header("Content-Type", "image/png")
        .body("png");
    let bed = Bed::start(
        TestBed::builder()
            .site(APEX, page_handler)
            .http_site(APEX, Routes::new().fallback(image).into_handler()),
    )
    .await;
    let base = bed.http(APEX, "/");
    let page = Response::html(&big_page(&base)).gzip();
    let gzipped = page.body.len();
    served.set(page).unwrap();

    let started = Instant::now();
    let mixed = bed.run("content.mixed").await;
    let mixed_took = started.elapsed();
    assert_eq!(mixed.len(), 1, "{mixed:#?}");
    let f = one(&mixed, &bed.https(APEX, "/"));
    assert_eq!(
        (f.check.as_str(), f.severity, f.title.as_str()),
        (
            "content.mixed",
            Severity::Medium,
            "100000 resource(s) load over plain HTTP, including an image"
        )
    );
    assert_eq!(measured(f, "insecure_loads"), 100_000.0);
    assert_eq!(f.evidence.len(), 30);
    assert_eq!(f.evidence[0], format!("medium image: {base}0"));
    assert_eq!(f.evidence[29], format!("medium image: {base}29"));

    let started = Instant::now();
    let weight = bed.run("weight.page").await;
    let weight_took = started.elapsed();
    assert_eq!(weight.len(), 1, "{weight:#?}");
    let w = one(&weight, &bed.https(APEX, "/"));
    let kb = (gzipped + 40 * 3) as f64 / 1024.0;
    assert_eq!(
        (w.check.as_str(), w.severity, w.title.clone()),
        (
            "weight.page",
            Severity::Pass,
            format!("First load: 41 request(s), {kb:.0} KB on the wire")
        )
    );
    assert_eq!(
        (
            measured(w, "requests"),
            measured(w, "image_bytes"),
            measured(w, "html_bytes")
        ),
        (41.0, 120.0, gzipped as f64)
    );
    eprintln!(
        "2 MiB, 100k tags: content.mixed {} ms, weight.page {} ms",
        mixed_took.as_millis(),
        weight_took.as_millis()
    );
    assert!(mixed_took < Duration::from_secs(2), "{mixed_took:?}");
    assert!(weight_took < Duration::from_secs(2), "{weight_took:?}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn what_linked_stylesheets_load_over_http_is_mixed_content_too() {
    let page = r#"<!doctype html><html><head>
        <link rel="stylesheet" href="/css/app.css">
        <link rel="stylesheet" href="/css/missing.css">
        <style>@import "/css/theme.css";</style></head><body>hi</body></html>"#;
    let css = |body: &str| {
        Response::new(200)
            .header("Content-Type", "text/css")
            .body(body)
    };
    let bed = Bed::start(
        TestBed::builder().site(
            APEX,
            Routes::new()
                .route("/", Response::html(page))
                .route(
                    "/css/app.css",
                    css(
                        ".hero { background: url(http://img.example.test/hero.png) }\n\
                         .logo { background: url(../img/logo.png) }\n\
                         /* url(http://img.example.test/commented.png) */",
                    ),
                )
                .route(
                    "/css/theme.css",
                    css("@import url(\"http://cdn.example.test/fonts.css\");"),
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
            Severity::Medium,
            "2 resource(s) load over plain HTTP, including a CSS resource"
        ),
        "{f:#?}"
    );
    let app = bed.https(APEX, "/css/app.css");
    let theme = bed.https(APEX, "/css/theme.css");
    assert_eq!(
        f.evidence,
        [
            format!("medium CSS resource: http://img.example.test/hero.png (in {app})"),
            format!("medium stylesheet: http://cdn.example.test/fonts.css (in {theme})"),
            format!(
                "stylesheet {} answered 404",
                bed.https(APEX, "/css/missing.css")
            ),
            "2 linked stylesheet(s) read".to_string(),
        ]
    );
    assert_eq!(measured(f, "insecure_loads"), 2.0);
}
