//! A deployed single-page app that leaks: the pages, bundles, styles and
//! source maps a secret scan of a live site reads, with keys planted where
//! founders leak them.
//!
//! [`bundle_site`] serves, for one host:
//!
//! - `/`: HTML with an inline `__NEXT_DATA__` payload holding a SendGrid
//!   key ([`Planted::next_data`]), a stylesheet, the app bundle, a vendor
//!   bundle, a script on a third-party CDN (`cdn.thirdparty.test`, which
//!   no scan of this site may fetch), a script that is missing (404) and a
//!   large clean one ([`HUGE_BYTES`]);
//! - `/login`: a module script and a `modulepreload` chunk whose source map
//!   is inline (`data:application/json;base64,…`, clean sources);
//! - `/static/app.js`: a minified bundle ending in
//!   `//# sourceMappingURL=app.js.map`; `/static/app.js.map` holds the
//!   original `src/lib/payments.ts` with a Stripe live key
//!   ([`Planted::payments`], at [`Planted::payments_line`]);
//! - `/static/vendor.js`: no comment, but a `SourceMap:` header pointing at
//!   `/static/maps/vendor.js.map`, whose `src/config.ts` holds a Stripe
//!   restricted key ([`Planted::config`]);
//! - `/static/site.css`: clean CSS, no map.
//!
//! The planted values are random but well-formed
//! ([`crate::secrets::token`], seeded from the process's randomness, so
//! different every run); [`Planted`] has no `Debug`, so a test cannot
//! print them by accident.

use std::collections::hash_map::RandomState;
use std::hash::{BuildHasher, Hasher};

use crate::http::{Handler, Response, Routes};
use crate::secrets::token;

/// Size of the clean `/static/huge.js`, for tests of the per-asset cap.
pub const HUGE_BYTES: usize = 300 * 1024;

/// The third-party script the home page loads.
pub const THIRD_PARTY_SCRIPT: &str = "https://cdn.thirdparty.test/lib.js";

/// The original file of the app bundle that holds [`Planted::payments`].
pub const PAYMENTS_SOURCE: &str = "src/lib/payments.ts";

/// The original file of the vendor bundle that holds [`Planted::config`].
pub const CONFIG_SOURCE: &str = "src/config.ts";

/// The secrets the site leaks (never print them).
pub struct Planted {
    /// A Stripe live secret key in `src/lib/payments.ts` (app.js.map) and
    /// in the minified `app.js`.
    pub payments: String,
    /// Its 1-based line in `src/lib/payments.ts`.
    pub payments_line: u32,
    /// Its 1-based column (characters) in that line.
    pub payments_column: u32,
    /// A SendGrid key in the home page's `__NEXT_DATA__` payload.
    pub next_data: String,
    /// A Stripe restricted key in `src/config.ts` (vendor.js.map, found
    /// through the `SourceMap` header only).
    pub config: String,
}

/// The site and what it leaks.
pub struct BundleSite {
    /// The handler to serve with `TestBed::builder().site(host, handler)`.
    pub handler: Handler,
    /// The planted secrets.
    pub planted: Planted,
}

/// Builds the leaking site (see the module docs).
pub fn bundle_site() -> BundleSite {
    let planted = Planted {
        payments: token("stripe-secret-key", seed()),
        payments_line: 0,
        payments_column: 0,
        next_data: token("sendgrid-api-key", seed()),
        config: token("stripe-restricted-key", seed()),
    };
    let payments_ts = format!(
        "// Card payments.\nimport Stripe from \"stripe\";\n\nexport const stripe = new Stripe(\"{}\", {{ apiVersion: \"2024-06-20\" }});\n",
        planted.payments
    );
    let (line, column) = position(&payments_ts, &planted.payments);
    let planted = Planted {
        payments_line: line,
        payments_column: column,
        ..planted
    };
    let index_ts = "import { stripe } from \"./lib/payments\";\n\nexport function pay(amount: number) {\n  return stripe.charges.create({ amount });\n}\n";
    let app_js = format!(
        "(()=>{{\"use strict\";const e=new Stripe(\"{}\",{{apiVersion:\"2024-06-20\"}});window.pay=function(t){{return e.charges.create({{amount:t}})}}}})();\n//# sourceMappingURL=app.js.map\n",
        planted.payments
    );
    let app_map = source_map(
        "app.js",
        &[("src/index.ts", index_ts), (PAYMENTS_SOURCE, &payments_ts)],
    );
    let config_ts = format!(
        "export const config = {{\n  region: \"eu\",\n  stripeKey: \"{}\",\n}};\n",
        planted.config
    );
    let vendor_map = source_map(
        "vendor.js",
        &[
            (CONFIG_SOURCE, &config_ts),
            ("src/util.ts", "export const id = (x) => x;\n"),
        ],
    );
    let auth_ts = "export async function signIn(email: string, password: string) {\n  return fetch(\"/api/login\", { method: \"POST\", body: JSON.stringify({ email, password }) });\n}\n";
    let chunk = format!(
        "export async function signIn(n,i){{return fetch(\"/api/login\",{{method:\"POST\",body:JSON.stringify({{email:n,password:i}})}})}}\n//# sourceMappingURL=data:application/json;charset=utf-8;base64,{}\n",
        base64(source_map("chunk-auth.js", &[("src/auth.ts", auth_ts)]).as_bytes())
    );
    let home = format!(
        r#"<!doctype html><html><head><meta charset="utf-8"><title>Shop</title>
<link rel="stylesheet" href="/static/site.css">
<script src="{THIRD_PARTY_SCRIPT}" async></script>
</head><body><div id="__next">Shop</div>
<script id="__NEXT_DATA__" type="application/json">{{"props":{{"pageProps":{{"mail":{{"provider":"sendgrid","apiKey":"{}"}}}}}},"page":"/","buildId":"b1"}}</script>
<script src="/static/vendor.js" defer></script>
<script src="/static/app.js" defer></script>
<script src="/static/missing.js" defer></script>
<script src="/static/huge.js" defer></script>
</body></html>"#,
        planted.next_data
    );
    let login = r#"<!doctype html><html><head><title>Sign in</title>
<link rel="modulepreload" href="/static/chunk-auth.js">
<script type="module" src="/static/login.js"></script></head>
<body><form method="post" action="/api/login"><input name="email"><input name="password" type="password"></form></body></html>"#;
    let line = "/* clean */ var a = 1;\n";
    let huge = line.repeat(HUGE_BYTES.div_ceil(line.len()));
    let js = |body: &str| {
        Response::new(200)
            .header("Content-Type", "text/javascript; charset=utf-8")
            .body(body)
    };
    let json = |body: &str| {
        Response::new(200)
            .header("Content-Type", "application/json")
            .body(body)
    };
    let handler = Routes::new()
        .route("/", Response::html(&home))
        .route("/login", Response::html(login))
        .route("/static/app.js", js(&app_js).gzip())
        .route("/static/app.js.map", json(&app_map))
        .route(
            "/static/vendor.js",
            js("(()=>{var t=function(x){return x};window.util=t})();\n")
                .header("SourceMap", "/static/maps/vendor.js.map"),
        )
        .route("/static/maps/vendor.js.map", json(&vendor_map))
        .route(
            "/static/login.js",
            js("import{signIn as s}from\"./chunk-auth.js\";window.signIn=s;\n"),
        )
        .route("/static/chunk-auth.js", js(&chunk))
        .route("/static/huge.js", js(&huge))
        .route(
            "/static/site.css",
            Response::new(200)
                .header("Content-Type", "text/css")
                .body("body{margin:0;font-family:system-ui}.btn{color:#fff;background:#635bff}\n"),
        )
        .into_handler();
    BundleSite { handler, planted }
}

/// A version 3 source map of `file` with `sources` and their content.
pub fn source_map(file: &str, sources: &[(&str, &str)]) -> String {
    let names: Vec<String> = sources.iter().map(|(n, _)| json_string(n)).collect();
    let contents: Vec<String> = sources.iter().map(|(_, c)| json_string(c)).collect();
    format!(
        r#"{{"version":3,"file":{},"sources":[{}],"sourcesContent":[{}],"names":[],"mappings":"AAAA"}}"#,
        json_string(file),
        names.join(","),
        contents.join(",")
    )
}

/// `text` as a JSON string literal.
pub fn json_string(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 2);
    out.push('"');
    for c in text.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            c if (c as u32) < 0x20 => out.push_str(&format!("\\u{:04x}", c as u32)),
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

/// Standard base64 with padding.
pub fn base64(bytes: &[u8]) -> String {
    const ALPHABET: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    let mut out = String::with_capacity(bytes.len().div_ceil(3) * 4);
    for chunk in bytes.chunks(3) {
        let n = chunk
            .iter()
            .enumerate()
            .fold(0u32, |n, (i, b)| n | (u32::from(*b) << (16 - 8 * i)));
        for i in 0..4 {
            if i <= chunk.len() {
                out.push(char::from(ALPHABET[(n >> (18 - 6 * i)) as usize & 63]));
            } else {
                out.push('=');
            }
        }
    }
    out
}

/// 1-based line and column (characters) of `needle` in `text`.
fn position(text: &str, needle: &str) -> (u32, u32) {
    let at = text.find(needle).unwrap_or(0);
    let before = &text[..at];
    let line = before.matches('\n').count() + 1;
    let column = before.rsplit('\n').next().unwrap_or("").chars().count() + 1;
    (line as u32, column as u32)
}

/// A fresh seed from the process's randomness.
fn seed() -> u64 {
    RandomState::new().build_hasher().finish()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn base64_matches_the_standard() {
        assert_eq!(base64(b""), "");
        assert_eq!(base64(b"f"), "Zg==");
        assert_eq!(base64(b"fo"), "Zm8=");
        assert_eq!(base64(b"foobar"), "Zm9vYmFy");
    }

    #[test]
    fn planted_keys_are_well_formed_and_located() {
        let site = bundle_site();
        let p = &site.planted;
        assert!(p.payments.starts_with("sk_live_"));
        assert!(p.config.starts_with("rk_live_"));
        assert!(p.next_data.starts_with("SG."));
        assert_eq!((p.payments_line, p.payments_column), (4, 35));
        assert_ne!(seed(), seed());
    }
}
