//! What a careful host sends: the security headers the best public checkers
//! look for (HSTS ready for preload, a strict nonce-based CSP, `nosniff`, a
//! referrer policy, COOP and CORP) and year-long caching of hashed assets.
//! The false-positive guard and the demo product both serve them.

use crate::http::Response;

/// HSTS as a preload-ready site sends it (two years, subdomains, preload).
pub const HSTS: &str = "max-age=63072000; includeSubDomains; preload";
/// The nonce the CSP allows scripts by; pages put it on their `<script>`s.
pub const NONCE: &str = "r4nd0m";
/// A strict CSP: scripts by nonce with `strict-dynamic`, no plugins, no
/// `<base>`, no framing.
pub const CSP: &str = "script-src 'nonce-r4nd0m' 'strict-dynamic' https: 'unsafe-inline'; \
                       object-src 'none'; base-uri 'none'; frame-ancestors 'none'";
/// Cache-Control of a hashed asset: a year, never revalidated.
pub const IMMUTABLE: &str = "public, max-age=31536000, immutable";

/// `response` with every header a careful host sends.
pub fn careful(response: Response) -> Response {
    response
        .header("Strict-Transport-Security", HSTS)
        .header("Content-Security-Policy", CSP)
        .header("X-Content-Type-Options", "nosniff")
        .header("Referrer-Policy", "strict-origin-when-cross-origin")
        .header("Cross-Origin-Opener-Policy", "same-origin")
        .header("Cross-Origin-Resource-Policy", "same-site")
}

/// `response` answering a cross-origin request from `origin` the way an
/// allowlist does: `Vary: Origin` always; the origin echoed, with
/// credentials, GET and POST, and the content-type and authorization
/// headers, only when `allowed` (never `*`).
pub fn cors(response: Response, origin: Option<&str>, allowed: bool) -> Response {
    let response = response.header("Vary", "Origin");
    match origin {
        Some(origin) if allowed => response
            .header("Access-Control-Allow-Origin", origin)
            .header("Access-Control-Allow-Credentials", "true")
            .header("Access-Control-Allow-Methods", "GET, POST")
            .header(
                "Access-Control-Allow-Headers",
                "content-type, authorization",
            ),
        _ => response,
    }
}
