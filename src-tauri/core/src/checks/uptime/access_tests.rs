//! `access.boundaries` against the test bed, with exact expected findings.

use std::time::Duration;

use handover_model::{EndpointRole, Header, Method, Severity};
use handover_testbed::{handler, Response, Routes, TestBed};

use super::access::{boundaries, CHECK};
use super::tests::{endpoint, seen_at, summary, Seen};
use crate::checks::web::bed_tests::Bed;

const APP: &str = "app.example.test";
const API: &str = "api.example.test";
const TIMEOUT: Duration = Duration::from_secs(2);

/// What the default app host says to `/admin` (nothing there).
const NO_ADMIN: (&str, Severity, &str) = (
    CHECK,
    Severity::Pass,
    "/admin refuses a caller without credentials (404)",
);

const LOGIN_FORM: &str = "<!doctype html><form action=\"/session\"><input name=\"email\">\
                          <input type=\"password\" name=\"password\"></form>";

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_admin_refusing_passes_and_one_handing_out_json_is_a_blocker() {
    let app = Routes::new()
        .route("/admin/users", Response::new(401).body("sign in"))
        .route(
            "/admin/api/users",
            Response::new(200)
                .header("Content-Type", "application/json")
                .body(r#"[{"email":"ana@example.test","role":"owner"}]"#),
        );
    let mut bed = Bed::start(TestBed::builder().site(APP, app.into_handler())).await;
    bed.target.endpoints = vec![
        endpoint(EndpointRole::Admin, Method::Get, "/admin/users", 200),
        endpoint(EndpointRole::Admin, Method::Get, "/admin/api/users", 200),
    ];
    let findings = crate::checks::run_with(CHECK, &bed.net, &bed.target)
        .await
        .unwrap();
    assert_eq!(
        summary(&findings),
        [
            (
                CHECK,
                Severity::Pass,
                "Admin refuses a caller without credentials (401)"
            ),
            (
                CHECK,
                Severity::Blocker,
                "Admin answers 200 with content to a caller without credentials"
            ),
            NO_ADMIN,
        ]
    );
    let blocker = &findings[1];
    assert_eq!(blocker.target, bed.https(APP, "/admin/api/users"));
    assert!(
        blocker
            .evidence
            .contains(&"status 200, content-type application/json, 45 body bytes".to_string()),
        "{:?}",
        blocker.evidence
    );
    assert!(
        blocker
            .evidence
            .contains(&r#"body starts: [{"email":"ana@example.test","role":"owner"}]"#.to_string()),
        "{:?}",
        blocker.evidence
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_dashboard_redirecting_to_login_or_showing_the_form_passes() {
    let app = Routes::new()
        .route(
            "/dashboard",
            Response::redirect(302, "/login?next=/dashboard"),
        )
        .route("/home", Response::html(LOGIN_FORM))
        .route("/reports", Response::redirect(302, "/welcome"));
    let mut bed = Bed::start(TestBed::builder().site(APP, app.into_handler())).await;
    bed.target.endpoints = vec![
        endpoint(EndpointRole::Dashboard, Method::Get, "/dashboard", 200),
        endpoint(EndpointRole::Dashboard, Method::Get, "/home", 200),
        endpoint(EndpointRole::Dashboard, Method::Get, "/reports", 200),
    ];
    let findings = boundaries(&bed.net, &bed.target, TIMEOUT).await;
    assert_eq!(
        summary(&findings),
        [
            (
                CHECK,
                Severity::Pass,
                "Dashboard redirects a caller without credentials to sign-in"
            ),
            (
                CHECK,
                Severity::Pass,
                "Dashboard shows a sign-in form to a caller without credentials"
            ),
            (
                CHECK,
                Severity::Medium,
                "Dashboard redirects a caller without credentials to a page that is not a sign-in"
            ),
            NO_ADMIN,
        ]
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_api_handing_out_data_without_credentials_is_high_and_none_are_sent() {
    let seen = Seen::default();
    let log = seen.clone();
    let api = handler(move |req| {
        log.lock().unwrap().push(req.clone());
        match req.path() {
            "/chat/history" => Response::new(200)
                .header("Content-Type", "application/json")
                .body(r#"{"messages":[{"from":"user","text":"my order 1234"}]}"#),
            _ => Response::not_found(),
        }
    });
    let mut bed = Bed::start(TestBed::builder().site(API, api)).await;
    let mut chat = endpoint(EndpointRole::Chat, Method::Get, "/chat/history", 200);
    chat.headers = vec![
        Header {
            name: "Authorization".into(),
            value: "Bearer not-sent".into(),
        },
        Header {
            name: "X-Tenant".into(),
            value: "acme".into(),
        },
    ];
    bed.target.endpoints = vec![
        chat,
        endpoint(EndpointRole::Webhook, Method::Post, "/webhook", 200),
    ];
    let findings = boundaries(&bed.net, &bed.target, TIMEOUT).await;
    assert_eq!(
        summary(&findings),
        [
            (
                CHECK,
                Severity::High,
                "Chat send answers 200 with content to a caller without credentials"
            ),
            NO_ADMIN,
        ]
    );
    let sent = seen_at(&seen, "/chat/history");
    assert_eq!(sent.len(), 1);
    assert_eq!(
        (
            sent[0].header("authorization"),
            sent[0].header("cookie"),
            sent[0].header("x-tenant")
        ),
        (None, None, Some("acme"))
    );
    assert!(seen_at(&seen, "/webhook").is_empty(), "a POST is not sent");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_open_admin_page_is_high_unless_it_is_the_apps_catch_all_shell() {
    let open = Routes::new().route(
        "/admin",
        Response::html("<h1>Admin</h1><table>users</table>"),
    );
    let bed = Bed::start(TestBed::builder().site(APP, open.into_handler())).await;
    let findings = boundaries(&bed.net, &bed.target, TIMEOUT).await;
    assert_eq!(
        summary(&findings),
        [(
            CHECK,
            Severity::High,
            "/admin answers 200 with content to a caller without credentials"
        )]
    );
    assert_eq!(findings[0].target, bed.https(APP, "/admin"));

    let shell = handler(|_| Response::html("<div id=\"root\"></div><script src=\"/app.js\">"));
    let bed = Bed::start(TestBed::builder().site(APP, shell)).await;
    let findings = boundaries(&bed.net, &bed.target, TIMEOUT).await;
    assert_eq!(
        summary(&findings),
        [(
            CHECK,
            Severity::Info,
            "/admin answers with the app's catch-all page"
        )]
    );

    let login = Routes::new().route("/admin", Response::html(LOGIN_FORM));
    let bed = Bed::start(TestBed::builder().site(APP, login.into_handler())).await;
    let findings = boundaries(&bed.net, &bed.target, TIMEOUT).await;
    assert_eq!(
        summary(&findings),
        [(
            CHECK,
            Severity::Pass,
            "/admin shows a sign-in form to a caller without credentials"
        )]
    );
}
