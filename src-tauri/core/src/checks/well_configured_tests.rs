//! The false-positive guard: a test-bed product configured the way a careful
//! team would (every host correct, HSTS preload-ready, a strict CSP, good
//! cookies, a CORS allowlist, CAA, redirects via www, cached assets and
//! private pages kept private) gets no finding above low from any check.

use std::sync::Arc;

use handover_model::{Finding, Severity};
use handover_testbed::careful::{careful, cors, IMMUTABLE};
use handover_testbed::{handler, Request, Response, TestBed, LOOPBACK};

use super::http::bed_tests::{assert_polite, target_of};
use super::{all, run_all, RunLimits};

fn page(title: &str) -> Response {
    let html = format!(
        "<!doctype html><html><head><title>{title}</title>\
         <link rel=\"stylesheet\" href=\"/assets/app.css\">\
         <script nonce=\"r4nd0m\" src=\"/assets/app.js\"></script></head>\
         <body><h1>{title}</h1><img src=\"/assets/logo.png\" alt=\"\"></body></html>"
    );
    careful(Response::html(&html)).header("Cache-Control", "no-cache")
}

fn asset(req: &Request) -> Option<Response> {
    let path = req.path();
    let kind = match path.rsplit('.').next() {
        Some("css") => "text/css",
        Some("js") => "text/javascript",
        Some("png") => "image/png",
        _ => return None,
    };
    path.starts_with("/assets/").then(|| {
        careful(
            Response::new(200)
                .header("Content-Type", kind)
                .body("/* ok */"),
        )
        .header("Cache-Control", IMMUTABLE)
    })
}

/// A host's pages: `/` and `/login` (a private page), its assets, 404 else.
fn site(title: &'static str) -> handover_testbed::Handler {
    handler(move |req| {
        if let Some(asset) = asset(req) {
            return asset;
        }
        match req.path() {
            "/" => page(title),
            "/login" => page("Sign in")
                .header("Cache-Control", "private, no-store")
                .header(
                    "Set-Cookie",
                    "__Host-session=opaque; Path=/; Secure; HttpOnly; SameSite=Lax",
                ),
            _ => careful(Response::new(404).body("not found")),
        }
    })
}

/// The API: JSON, never cached, CORS only for `https://app.<apex>` (any port).
fn api() -> handover_testbed::Handler {
    handler(|req| {
        let origin = req.header("origin").map(str::to_string);
        let allowed = origin
            .as_deref()
            .and_then(|o| url::Url::parse(o).ok())
            .is_some_and(|o| o.scheme() == "https" && o.host_str() == Some("app.example.test"));
        let r = careful(Response::new(if req.method == "OPTIONS" {
            204
        } else {
            200
        }))
        .header("Content-Type", "application/json")
        .header("Cache-Control", "no-store")
        .header("X-Request-Id", "req-7f3a9c")
        .body("{\"ok\":true}");
        cors(r, origin.as_deref(), allowed)
    })
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_well_configured_product_has_no_finding_above_low() {
    let apex = handler(|req| {
        careful(Response::redirect(
            301,
            &format!(
                "https://www.example.test{}",
                req.header("host")
                    .and_then(|h| h.split_once(':').map(|(_, p)| format!(":{p}")))
                    .unwrap_or_default()
            ),
        ))
    });
    let bed = TestBed::builder()
        .zone(|z| z.a("www", LOOPBACK))
        .site("example.test", apex)
        .site("www.example.test", site("Northwind"))
        .site("app.example.test", site("App"))
        .site("api.example.test", api())
        .site("docs.example.test", site("Docs"))
        .site("status.example.test", site("Status"))
        .start()
        .await
        .unwrap();
    let mut target = target_of(&bed);
    let hosts = target.hosts.clone();
    target.paths = vec![
        ("homepage".into(), "/".into()),
        ("login".into(), "/login".into()),
        ("api_health".into(), "/health".into()),
    ];
    target.cors_origins = vec![format!("https://app.example.test:{}", bed.https_port())];
    let findings = run_all(
        &all(),
        Arc::new(target),
        RunLimits::default(),
        Arc::new(|_| {}),
    )
    .await;
    let loud: Vec<String> = findings
        .iter()
        .filter(|f| !f.outcome.is_inconclusive() && f.severity > Severity::Low)
        .map(describe)
        .collect();
    assert!(
        loud.is_empty(),
        "false alarms on a careful product: {loud:#?}"
    );
    let mut hosts = hosts;
    hosts.push("www.example.test".into());
    let counts = assert_polite(&bed, &hosts);
    eprintln!("connections per host (https, http): {counts:?}");
    assert!(
        findings
            .iter()
            .filter(|f| f.severity == Severity::Pass)
            .count()
            > 40,
        "the checks ran and passed"
    );
}

fn describe(f: &Finding) -> String {
    format!(
        "{} {} {:?}: {} — {}",
        f.check, f.target, f.severity, f.title, f.detail
    )
}
