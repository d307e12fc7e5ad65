//! The header checks judge the page users land on (same-site redirects
//! followed), read RFC 6797 HSTS and strict or `<meta>` CSPs, against the
//! test bed with exact expected findings.

use handover_model::{Cause, Finding, Outcome, Severity};
use handover_testbed::{handler, Response, Routes, TestBed, TestBedBuilder, LOOPBACK};

use super::bed_tests::{hardened, one, Bed};

const APEX: &str = "example.test";
const WWW: &str = "www.example.test";
const API: &str = "api.example.test";
const DOCS: &str = "docs.example.test";

const STRICT_TITLE: &str =
    "A strict Content-Security-Policy (nonce or hash with 'strict-dynamic') restricts scripts";

/// A bed whose apex answers `/` with a 301 to `https://www.<apex>/`
/// (carrying `apex_hsts`, if any) and whose `www` serves `www`.
fn apex_to_www(apex_hsts: Option<&'static str>, www: Response) -> TestBedBuilder {
    let apex = handler(move |req| {
        let host = req.header("host").unwrap_or(APEX).to_string();
        let mut r = Response::redirect(301, &format!("https://www.{host}/"));
        if let Some(v) = apex_hsts {
            r = r.header("Strict-Transport-Security", v);
        }
        r
    });
    TestBed::builder()
        .zone(|z| z.a("www", LOOPBACK))
        .site(APEX, apex)
        .site(WWW, Routes::new().fallback(www).into_handler())
}

fn full(page: Response) -> Response {
    hardened(page).header("Cross-Origin-Opener-Policy", "same-origin")
}

fn judged(f: &Finding) -> (&str, Severity, &str) {
    (f.check.as_str(), f.severity, f.title.as_str())
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_apex_301_to_www_is_judged_on_www_and_hsts_on_the_apex_itself() {
    let bed = Bed::start(apex_to_www(
        Some("max-age=63072000; includeSubDomains; preload"),
        full(Response::html("<p>www</p>")),
    ))
    .await;
    let (apex, www) = (bed.https(APEX, "/"), bed.https(WWW, "/"));
    for (check, title) in [
        ("headers.csp", "A Content-Security-Policy restricts scripts"),
        ("headers.framing", "Other sites cannot frame these pages"),
        (
            "headers.content_type",
            "X-Content-Type-Options: nosniff is set",
        ),
        (
            "headers.referrer",
            "Referrer-Policy is strict-origin-when-cross-origin",
        ),
    ] {
        let findings = bed.run(check).await;
        assert!(findings.iter().all(|f| f.target != apex), "{findings:#?}");
        let f = one(&findings, &www);
        assert_eq!(judged(f), (check, Severity::Pass, title));
        assert!(
            f.evidence[0].starts_with(&format!("1. GET {apex} → 301 in ")),
            "{:?}",
            f.evidence
        );
        assert!(f.evidence[1].starts_with(&format!("2. GET {www} → 200 in ")));
        assert!(f
            .detail
            .contains(&format!("Judged on {www}, where {apex} leads")));
    }
    let hsts = bed.run("headers.hsts").await;
    let f = one(&hsts, &apex);
    assert_eq!(
        judged(f),
        (
            "headers.hsts",
            Severity::Pass,
            "HSTS is on for a year or more, subdomains included"
        )
    );
    assert!(f.detail.contains("RFC 6797 §8.1"), "{}", f.detail);
    assert!(f
        .detail
        .contains(&format!("The page it leads to, {www}, was judged too")));
    assert!(f
        .evidence
        .iter()
        .any(|e| e.starts_with("strict-transport-security: max-age=63072000")));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn hsts_missing_on_the_apex_redirect_or_on_an_unlisted_www_is_high() {
    let bed = Bed::start(apex_to_www(None, full(Response::html("<p>www</p>")))).await;
    let hsts = bed.run("headers.hsts").await;
    let f = one(&hsts, &bed.https(APEX, "/"));
    assert_eq!(
        judged(f),
        ("headers.hsts", Severity::High, "No HSTS header")
    );
    assert!(f
        .detail
        .contains("Judged on the HTTPS response of example.test itself"));

    let bare_www =
        Response::html("<p>www</p>").header("Content-Security-Policy", "default-src 'self'");
    let bed = Bed::start(apex_to_www(
        Some("max-age=63072000; includeSubDomains"),
        bare_www,
    ))
    .await;
    let hsts = bed.run("headers.hsts").await;
    let f = one(&hsts, &bed.https(APEX, "/"));
    let title = format!("No HSTS header (on {})", bed.https(WWW, "/"));
    assert_eq!(judged(f), ("headers.hsts", Severity::High, title.as_str()));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_redirect_to_login_is_judged_on_login_and_another_site_is_not_judged() {
    let apex = Routes::new()
        .route("/", Response::redirect(302, "/login"))
        .route(
            "/login",
            full(Response::html("<p>sign in</p>")).header("X-Frame-Options", "DENY"),
        );
    let docs = Response::redirect(301, "https://docs.vendor.test/example/");
    let bed = Bed::start(
        TestBed::builder()
            .site(APEX, apex.into_handler())
            .site(DOCS, Routes::new().fallback(docs).into_handler()),
    )
    .await;
    let csp = bed.run("headers.csp").await;
    let login = one(&csp, &bed.https(APEX, "/login"));
    assert_eq!(
        judged(login),
        (
            "headers.csp",
            Severity::Pass,
            "A Content-Security-Policy restricts scripts"
        )
    );
    let elsewhere = one(&csp, &bed.https(DOCS, "/"));
    assert_eq!(
        judged(elsewhere),
        (
            "headers.csp",
            Severity::Info,
            "Could not check: nothing to look at"
        )
    );
    let Outcome::Inconclusive { cause, reason } = &elsewhere.outcome else {
        panic!("{elsewhere:#?}")
    };
    assert_eq!(*cause, Cause::NothingToCheck);
    assert!(reason.contains("redirects to https://docs.vendor.test/example/, another site"));
    // The plain page of a host without redirects is still graded.
    assert_eq!(
        judged(one(&csp, &bed.https(API, "/"))),
        (
            "headers.csp",
            Severity::Medium,
            "No Content-Security-Policy"
        )
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn strict_and_meta_csp_pass_and_meta_cannot_stop_framing() {
    let strict = full(Response::html("<p>strict</p>")).header(
        "Content-Security-Policy",
        "script-src 'nonce-x' 'strict-dynamic' https: 'unsafe-inline'",
    );
    let meta = Response::html(
        r#"<!doctype html><html><head><meta http-equiv="Content-Security-Policy" content="script-src 'nonce-x' 'strict-dynamic' https: 'unsafe-inline'; frame-ancestors 'none'"></head><body>hi</body></html>"#,
    );
    let bed = Bed::start(
        TestBed::builder()
            .site(APEX, Routes::new().fallback(strict).into_handler())
            .site(API, Routes::new().fallback(meta).into_handler()),
    )
    .await;
    let csp = bed.run("headers.csp").await;
    let (apex, api) = (bed.https(APEX, "/"), bed.https(API, "/"));
    assert_eq!(
        judged(one(&csp, &apex)),
        ("headers.csp", Severity::Pass, STRICT_TITLE)
    );
    let f = one(&csp, &api);
    assert_eq!(judged(f), ("headers.csp", Severity::Pass, STRICT_TITLE));
    assert!(
        f.detail
            .contains("A <meta> CSP sets frame-ancestors, which browsers ignore there"),
        "{}",
        f.detail
    );
    let framing = bed.run("headers.framing").await;
    assert_eq!(
        judged(one(&framing, &api)),
        (
            "headers.framing",
            Severity::Medium,
            "Any site can frame these pages"
        )
    );
    assert_eq!(one(&framing, &apex).severity, Severity::Pass);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn hsts_is_read_per_rfc_6797() {
    let page = |hsts: &str| {
        Routes::new()
            .fallback(Response::html("<p>hi</p>").header("Strict-Transport-Security", hsts))
            .into_handler()
    };
    let bed = Bed::start(
        TestBed::builder()
            .site(APEX, page("max-age = 31536000; includeSubDomains"))
            .site(
                API,
                page("max-age=31536000; max-age=31536000; includeSubDomains"),
            )
            .site(
                DOCS,
                page("MAX-AGE=\"99999999999999999999999\"; includeSubDomains"),
            ),
    )
    .await;
    let hsts = bed.run("headers.hsts").await;
    assert_eq!(
        judged(one(&hsts, &bed.https(APEX, "/"))),
        (
            "headers.hsts",
            Severity::Pass,
            "HSTS is on for a year or more, subdomains included"
        )
    );
    let dup = one(&hsts, &bed.https(API, "/"));
    assert_eq!(
        judged(dup),
        (
            "headers.hsts",
            Severity::High,
            "The HSTS header is invalid, so browsers ignore it"
        )
    );
    assert!(dup
        .detail
        .contains("the directive `max-age` appears more than once"));
    assert_eq!(
        judged(one(&hsts, &bed.https(DOCS, "/"))),
        (
            "headers.hsts",
            Severity::Pass,
            "HSTS is on for a very long time, subdomains included"
        )
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_loop_is_not_judged_and_a_version_on_a_redirect_counts() {
    let looping = Routes::new()
        .route("/", Response::redirect(302, "/a"))
        .route("/a", Response::redirect(302, "/#top"));
    let leaky = Routes::new()
        .route(
            "/",
            Response::redirect(302, "/home").header("Server", "nginx/1.25.3"),
        )
        .route("/home", full(Response::html("<p>home</p>")));
    let bed = Bed::start(
        TestBed::builder()
            .site(APEX, looping.into_handler())
            .site(API, leaky.into_handler()),
    )
    .await;
    let csp = bed.run("headers.csp").await;
    let f = one(&csp, &bed.https(APEX, "/"));
    assert_eq!(
        judged(f),
        (
            "headers.csp",
            Severity::Info,
            "Could not check: no usable answer"
        )
    );
    assert_eq!(
        f.outcome.reason(),
        Some("the redirects loop and never reach a page (see redirect.chain)")
    );
    let disclosure = bed.run("headers.disclosure").await;
    assert_eq!(
        judged(one(&disclosure, &bed.https(API, "/home"))),
        (
            "headers.disclosure",
            Severity::Low,
            "Server software versions are advertised"
        )
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_header_checks_share_one_walk_of_each_host() {
    let bed = Bed::start(TestBed::builder().site(DOCS, hardened_site())).await;
    for check in [
        "headers.hsts",
        "headers.csp",
        "headers.content_type",
        "headers.framing",
        "headers.referrer",
        "headers.disclosure",
        "headers.cookies",
    ] {
        bed.run(check).await;
    }
    let gets_of_root = bed
        ._bed
        .https
        .requests()
        .iter()
        .filter(|r| r.host == DOCS && r.path() == "/")
        .count();
    // One walk per host and run, not one per check: the HTTPS `/` itself
    // and where the plain-HTTP redirect lands (it was fourteen).
    assert_eq!(gets_of_root, 2);
}

fn hardened_site() -> handover_testbed::Handler {
    Routes::new()
        .fallback(hardened(Response::html("<p>docs</p>")))
        .into_handler()
}
