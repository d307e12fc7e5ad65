//! `headers.cookies` against the test bed: deletions, session names and
//! the `__Host-` / `__Secure-` prefix rules, with exact findings.

use handover_model::Severity;
use handover_testbed::{Response, Routes, TestBed};

use super::bed_tests::{hardened, one, Bed};

/// A hardened page on every path that sets `cookies`.
fn setting(cookies: &[&str]) -> handover_testbed::Handler {
    let page = cookies.iter().fold(
        hardened(Response::html("<p>hi</p>")).header("X-Frame-Options", "DENY"),
        |page, c| page.header("Set-Cookie", c),
    );
    Routes::new().fallback(page).into_handler()
}

/// Check, severity, target and title of the one `headers.cookies` finding on `host`'s `/`.
async fn verdicts(bed: &Bed, hosts: &[&str]) -> Vec<(String, Severity, String, String)> {
    let findings = bed.run("headers.cookies").await;
    hosts
        .iter()
        .map(|host| {
            let f = one(&findings, &bed.https(host, "/"));
            (
                f.check.clone(),
                f.severity,
                f.target.clone(),
                f.title.clone(),
            )
        })
        .collect()
}

fn row(
    bed: &Bed,
    host: &str,
    severity: Severity,
    title: &str,
) -> (String, Severity, String, String) {
    (
        "headers.cookies".into(),
        severity,
        bed.https(host, "/"),
        title.into(),
    )
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn deletion_cookies_are_not_graded() {
    let bed = Bed::start(TestBed::builder().site(
        "app.example.test",
        setting(&[
            "session=deleted; Expires=Thu, 01 Jan 1970 00:00:00 GMT; Path=/",
            "sid=gone; Max-Age=0; Path=/",
        ]),
    ))
    .await;
    let got = verdicts(&bed, &["app.example.test"]).await;
    assert_eq!(
        got,
        [row(
            &bed,
            "app.example.test",
            Severity::Pass,
            "No cookies are set here, only deleted"
        )]
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn names_that_merely_contain_sid_or_auth_are_not_sessions() {
    let bed = Bed::start(TestBed::builder().site(
        "app.example.test",
        setting(&[
            "sidebar_state=open; Secure; SameSite=Lax; Path=/",
            "possible=1; Secure; SameSite=Lax; Path=/",
            "authorized_theme=dark; Secure; SameSite=Lax; Path=/",
        ]),
    ))
    .await;
    let got = verdicts(&bed, &["app.example.test"]).await;
    assert_eq!(
        got,
        [row(
            &bed,
            "app.example.test",
            Severity::Pass,
            "3 cookie(s), all Secure, HttpOnly where it matters, and SameSite"
        )]
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn cookie_prefix_rules_are_enforced_like_browsers_do() {
    let bed = Bed::start(
        TestBed::builder()
            .site(
                "app.example.test",
                setting(&[
                    "__Host-sid=1; Secure; HttpOnly; SameSite=Lax; Path=/; Domain=example.test",
                ]),
            )
            .site(
                "docs.example.test",
                setting(&["__Host-session=1; Secure; HttpOnly; SameSite=Lax"]),
            )
            .site(
                "status.example.test",
                setting(&["__Secure-auth=1; HttpOnly; SameSite=Lax; Path=/"]),
            )
            .site(
                "example.test",
                setting(&["__Host-sid=1; Secure; HttpOnly; SameSite=Lax; Path=/"]),
            ),
    )
    .await;
    let hosts = [
        "app.example.test",
        "docs.example.test",
        "status.example.test",
        "example.test",
    ];
    let got = verdicts(&bed, &hosts).await;
    assert_eq!(
        got,
        [
            row(
                &bed,
                hosts[0],
                Severity::Medium,
                "__Host-sid is rejected by browsers: a __Host- cookie needs no Domain (it has Domain=example.test)"
            ),
            row(
                &bed,
                hosts[1],
                Severity::Medium,
                "__Host-session is rejected by browsers: a __Host- cookie needs Path=/"
            ),
            row(
                &bed,
                hosts[2],
                Severity::Medium,
                "__Secure-auth is rejected by browsers: a __Secure- cookie needs Secure"
            ),
            row(
                &bed,
                hosts[3],
                Severity::Pass,
                "1 cookie(s), all Secure, HttpOnly where it matters, and SameSite"
            ),
        ]
    );
}
