//! What each of the demo's hosts answers, and its DNS zone. Most of it is
//! what a careful team ships; the faults are the ones [`crate::story`]
//! lists, and nothing else here is meant to be wrong.

use std::sync::Arc;

use handover_testbed::careful::{careful, cors, IMMUTABLE, NONCE};
use handover_testbed::chat::{scripted_chat, CHAT_PATH};
use handover_testbed::{handler, Handler, Request, Response, Zone, LOOPBACK};

use crate::{Planted, APEX, MAIL_HOST, STAGING, SUBDOMAINS};

/// The public key of the DKIM selector `nw1` (RSA 2048; no one holds its
/// private half, the demo sends no mail).
const DKIM_KEY: &str = "MIIBIjANBgkqhkiG9w0BAQEFAAOCAQ8AMIIBCgKCAQEAk715pIrFhDIHtZE1sIGx77BJYI19B5ru/ckdyYXenCf/9g5TTd4YM6A5cv1kMqhvtO5vWFrv5Zj3hRICLzEU8XL6nCSY4esgYwTLrBJfLabOXgWNZb0vSKroA2XbOf98EvRPgAIsijVsUNqrFXPyK7CU8aB+XJGlvG0dAllusDuFNycC8l73Yi+mTWcMNRNw5LUaGF5O88deO06AoJbVnHyMYBjSALeGEAge9wiZaCIlDnBo+jal+bwy2hM7IUXPIvPvO/xfvJkGwueI/Zcg6sXipXwSVPYgH9cJFMRHom0npVeZyMa6Qfbxw9OtvcXIuk2kli29xRFW+OSeTkP9lQIDAQAB";
/// The DKIM selector the demo publishes.
pub const DKIM_SELECTOR: &str = "nw1";
/// Where the sign-in page is.
pub const LOGIN_PATH: &str = "/login";
/// The health probe.
pub const HEALTH_PATH: &str = "/api/health";
/// The webhook receiver (payment events).
pub const WEBHOOK_PATH: &str = "/api/webhooks/stripe";

/// The project's hosts: the apex, then its subdomains.
pub fn project_hosts() -> Vec<String> {
    std::iter::once(APEX.to_string())
        .chain(SUBDOMAINS.iter().map(|s| format!("{s}.{APEX}")))
        .collect()
}

/// Every host the demo serves: the project's and staging.
pub fn all_hosts() -> Vec<String> {
    let mut hosts = project_hosts();
    hosts.push(format!("{STAGING}.{APEX}"));
    hosts
}

/// The zone: name servers, CAA, every host on loopback, mail with SPF and
/// DKIM — and DMARC left at `p=none` (a fault).
pub fn zone() -> Zone {
    let mut zone = Zone::new(APEX)
        .ns("@", "ns1")
        .ns("@", "ns2")
        .a("ns1", LOOPBACK)
        .a("ns2", LOOPBACK)
        .a("@", LOOPBACK)
        .a(MAIL_HOST, LOOPBACK)
        .caa_issue("@", "letsencrypt.org")
        .mx("@", 10, MAIL_HOST)
        .txt("@", "v=spf1 mx -all")
        .txt(
            "_dmarc",
            "v=DMARC1; p=none; rua=mailto:dmarc-reports@northwind.test",
        )
        .txt(
            &format!("{DKIM_SELECTOR}._domainkey"),
            &format!("v=DKIM1; k=rsa; p={DKIM_KEY}"),
        );
    for label in SUBDOMAINS.iter().chain(std::iter::once(&STAGING)) {
        zone = if *label == "status" {
            zone.cname(label, "app")
        } else {
            zone.a(label, LOOPBACK)
        };
    }
    zone
}

/// Each HTTPS host and its handler.
pub fn https_sites(planted: &Planted) -> Vec<(String, Handler)> {
    let product = product(planted);
    let host = |label: &str| format!("{label}.{APEX}");
    vec![
        (APEX.to_string(), product.clone()),
        (host("www"), to_apex()),
        (host("app"), page_site("Northwind Ops — workspace", true)),
        (host("api"), api(product.clone())),
        (host("docs"), page_site("Northwind Ops — docs", false)),
        (host("status"), page_site("Northwind Ops — status", true)),
        (host(STAGING), product),
    ]
}

/// An HTML page; `careful` says whether it carries the security headers
/// (the docs host forgot them: a fault).
fn html(title: &str, body: &str, careful_headers: bool) -> Response {
    let page = format!(
        "<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>{title}</title>\
         <link rel=\"stylesheet\" href=\"/static/app.css\">\
         <script nonce=\"{NONCE}\" src=\"/static/app.js\" defer></script></head>\
         <body><main><h1>{title}</h1>{body}</main></body></html>"
    );
    let response = Response::html(&page).header("Cache-Control", "no-cache");
    if careful_headers {
        careful(response)
    } else {
        response.header("X-Content-Type-Options", "nosniff")
    }
}

/// The sign-in page with a well-made session cookie.
fn login(careful_headers: bool) -> Response {
    html(
        "Sign in to Northwind Ops",
        "<form method=\"post\" action=\"/api/login\"><input name=\"email\" type=\"email\">\
         <input name=\"password\" type=\"password\"><button>Sign in</button></form>",
        careful_headers,
    )
    .header("Cache-Control", "private, no-store")
    .header(
        "Set-Cookie",
        "__Host-session=opaque; Path=/; Secure; HttpOnly; SameSite=Lax",
    )
}

/// A static asset, cached for a year, or `None` for another path.
fn asset(req: &Request, bundle: &crate::files::Bundle) -> Option<Response> {
    let (kind, body): (&str, &str) = match req.path() {
        "/static/app.js" => ("text/javascript; charset=utf-8", &bundle.js),
        "/static/app.js.map" => ("application/json", bundle.map.as_deref()?),
        "/static/app.css" => ("text/css", crate::files::CSS),
        _ => return None,
    };
    Some(careful(
        Response::new(200)
            .header("Content-Type", kind)
            .header("Cache-Control", IMMUTABLE)
            .body(body),
    ))
}

/// The product itself (apex and staging): pages, the bundle, the chat,
/// the health probe and the webhook receiver.
fn product(planted: &Planted) -> Handler {
    let chat = scripted_chat(&planted.canary, &planted.openai);
    let bundle = Arc::new(crate::files::bundle(planted));
    handler(move |req| {
        if let Some(asset) = asset(req, &bundle) {
            return asset;
        }
        match (req.method.as_str(), req.path()) {
            (_, "/") => html(
                "Northwind Ops Assistant",
                "<p>Answers from the handbook, for everyone at Northwind.</p>\
                 <a href=\"/login\">Sign in</a>",
                true,
            ),
            (_, LOGIN_PATH) => login(true),
            (_, CHAT_PATH) => careful(chat(req))
                .header("Cache-Control", "no-store")
                .header("X-Request-Id", &request_id(req)),
            ("GET" | "HEAD", HEALTH_PATH) => json(
                req,
                200,
                "{\"status\":\"ok\",\"model\":\"reachable\",\"version\":\"1.4.2\"}",
            ),
            ("POST", WEBHOOK_PATH) => json(req, 200, "{\"received\":true}"),
            (_, WEBHOOK_PATH) => json(req, 405, "{\"error\":\"use POST\"}").header("Allow", "POST"),
            _ => careful(Response::new(404).body("not found")),
        }
    })
}

/// A JSON answer: never cached, with a request id.
fn json(req: &Request, status: u16, body: &str) -> Response {
    careful(Response::new(status))
        .header("Content-Type", "application/json")
        .header("Cache-Control", "no-store")
        .header("X-Request-Id", &request_id(req))
        .body(body)
}

/// A request id for the logs, from the request itself (stable per request).
fn request_id(req: &Request) -> String {
    let mut sum: u32 = 2166136261;
    for b in req
        .method
        .bytes()
        .chain(req.target.bytes())
        .chain(req.body.iter().copied())
    {
        sum = (sum ^ u32::from(b)).wrapping_mul(16777619);
    }
    format!("req-{sum:08x}")
}

/// `www` sends everyone to the apex, path and port kept.
fn to_apex() -> Handler {
    handler(|req| {
        let port = req
            .header("host")
            .and_then(|h| h.rsplit_once(':').map(|(_, p)| format!(":{p}")))
            .unwrap_or_default();
        careful(Response::redirect(
            301,
            &format!("https://{APEX}{port}{}", req.target),
        ))
    })
}

/// A small site: `/`, `/login` and the shared assets.
fn page_site(title: &'static str, careful_headers: bool) -> Handler {
    let bundle = Arc::new(crate::files::clean_bundle());
    handler(move |req| {
        if let Some(asset) = asset(req, &bundle) {
            return asset;
        }
        match req.path() {
            "/" => html(title, "<p>Northwind Ops.</p>", careful_headers),
            LOGIN_PATH => login(careful_headers),
            _ => careful(Response::new(404).body("not found")),
        }
    })
}

/// The JSON API: the product's `/api/…` routes (chat, health, webhook)
/// with CORS only for the workspace (`https://app.northwind.test`, any
/// port); never cached.
fn api(product: Handler) -> Handler {
    handler(move |req| {
        let origin = req.header("origin").map(str::to_string);
        let app = format!("app.{APEX}");
        let allowed = origin.as_deref().is_some_and(|o| {
            o.strip_prefix("https://")
                .is_some_and(|rest| rest.split(':').next() == Some(app.as_str()))
        });
        let r = match (req.method.as_str(), req.path()) {
            ("OPTIONS", _) => json(req, 204, ""),
            (_, path) if path.starts_with("/api/") => product(req),
            (_, "/") => json(req, 200, "{\"ok\":true}"),
            _ => json(req, 404, "{\"error\":\"not found\"}"),
        };
        cors(r, origin.as_deref(), allowed)
    })
}
