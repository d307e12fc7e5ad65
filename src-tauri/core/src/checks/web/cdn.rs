//! `cdn.proxied`, `cdn.static_cache` and `cdn.private_not_cached`: the CDN
//! in front, caching what is static and never what is personal.

use std::collections::HashSet;

use handover_model::{Finding, Severity};
use url::Url;

mod edge;

pub use edge::{edge_cache, EdgeCache, CLOUDFLARE_ORIGIN, CLOUDFLARE_SERVED};

use super::html::{on_page, Page, RefKind};
use super::{each, fetch_landed, not_fetched, pages, role_urls, url_for, ASSET_TIMEOUT, PARALLEL};
use crate::checks::http::{fetch, Request, Response};
use crate::checks::net::Net;
use crate::checks::{finding, measure, CheckDef, CheckTarget};

/// Assets whose caching is checked per page.
pub const MAX_ASSETS: usize = 20;
/// A static asset cached for less than this is re-fetched too often (s).
pub const MIN_STATIC_MAX_AGE: u64 = 3600;
/// How much of a page is read to find its assets.
const PAGE_BYTES: usize = 2 * 1024 * 1024;
/// Roles whose responses are personal.
const PRIVATE_ROLES: [&str; 5] = ["login", "dashboard", "admin", "api_health", "chat"];
/// Headers shown as evidence.
const EVIDENCE: [&str; 7] = [
    "cache-control",
    "expires",
    "age",
    "cf-cache-status",
    "x-cache",
    "server",
    "cf-ray",
];

pub(super) fn checks() -> Vec<CheckDef> {
    vec![
        super::check("cdn.proxied", |n, t| Box::pin(proxied(n, t))),
        super::check("cdn.static_cache", |n, t| Box::pin(static_cache(n, t))),
        super::check("cdn.private_not_cached", |n, t| Box::pin(private(n, t))).only_if(
            |t| !private_urls(t).is_empty(),
            "a signed-in page (login, dashboard, admin)",
        ),
    ]
}

/// The CDN a response came through, if its headers name one.
pub fn cdn_of(r: &Response) -> Option<&'static str> {
    let server = r.header("server").unwrap_or_default().to_ascii_lowercase();
    let via = r.header("via").unwrap_or_default().to_ascii_lowercase();
    if r.header("cf-ray").is_some() || server.contains("cloudflare") {
        Some("Cloudflare")
    } else if r.header("x-amz-cf-id").is_some() || via.contains("cloudfront") {
        Some("CloudFront")
    } else if r.header("x-fastly-request-id").is_some()
        || r.header("x-served-by")
            .is_some_and(|v| v.contains("cache-"))
    {
        Some("Fastly")
    } else if r.header("x-vercel-id").is_some() {
        Some("Vercel")
    } else if r.header("x-nf-request-id").is_some() || server.contains("netlify") {
        Some("Netlify")
    } else if server.contains("akamai") {
        Some("Akamai")
    } else {
        None
    }
}

async fn proxied(net: &Net, target: &CheckTarget) -> Vec<Finding> {
    each(target.hosts.clone(), PARALLEL, |host| async move {
        let Some(url) = url_for(target, "https", &host, "/") else {
            return Vec::new();
        };
        let response = match fetch(net, Request::get(url.clone()).body_limit(0)).await {
            Ok(r) => r,
            Err(err) => return vec![not_fetched("cdn.proxied", url.to_string(), &err)],
        };
        let mut f = match cdn_of(&response) {
            Some(cdn) => finding("cdn.proxied", host.clone(), Severity::Pass, format!("Proxied through {cdn}"), ""),
            None => finding("cdn.proxied", host.clone(), Severity::Info, "Not proxied through a CDN",
                "The origin answers directly: no edge cache, no DDoS shield, and its address is public. Consider proxying it (e.g. Cloudflare's orange cloud)."),
        };
        f.evidence = response.evidence("GET", &EVIDENCE);
        vec![f]
    })
    .await
    .concat()
}

/// A parsed `Cache-Control`.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct CacheControl {
    /// `no-store`.
    pub no_store: bool,
    /// `no-cache`.
    pub no_cache: bool,
    /// `private`.
    pub private: bool,
    /// `public`.
    pub public: bool,
    /// `max-age`.
    pub max_age: Option<u64>,
    /// `s-maxage` (shared caches).
    pub s_maxage: Option<u64>,
}

impl CacheControl {
    /// Parses a header value.
    pub fn parse(value: &str) -> Self {
        let mut cc = CacheControl::default();
        for part in value.split(',').map(|p| p.trim().to_ascii_lowercase()) {
            let (key, val) = part.split_once('=').unwrap_or((part.as_str(), ""));
            let number = val.trim().trim_matches('"').parse().ok();
            match key.trim() {
                "no-store" => cc.no_store = true,
                "no-cache" => cc.no_cache = true,
                "private" => cc.private = true,
                "public" => cc.public = true,
                "max-age" => cc.max_age = number.or(Some(0)),
                "s-maxage" => cc.s_maxage = number.or(Some(0)),
                _ => {}
            }
        }
        cc
    }
}

/// How a static asset's `Cache-Control` rates.
pub fn static_verdict(cache_control: Option<&str>) -> (Severity, &'static str) {
    let Some(value) = cache_control else {
        return (Severity::Low, "no Cache-Control (caches guess)");
    };
    let cc = CacheControl::parse(value);
    let lifetime = cc.s_maxage.or(cc.max_age).unwrap_or(0);
    if cc.no_store || cc.private || cc.no_cache || lifetime == 0 {
        (Severity::Medium, "not cacheable")
    } else if lifetime < MIN_STATIC_MAX_AGE {
        (Severity::Low, "cached for under an hour")
    } else {
        (Severity::Pass, "cacheable")
    }
}

/// Whether `url` is served by the project itself (the apex or a subdomain).
fn same_site(url: &Url, apex: &str) -> bool {
    url.host_str()
        .is_some_and(|h| h == apex || h.ends_with(&format!(".{apex}")))
}

/// The first [`MAX_ASSETS`] distinct same-site scripts, styles and images
/// of a page.
fn same_site_assets(page: &Response, html: &Page, apex: &str) -> Vec<Url> {
    let mut seen = HashSet::new();
    let mut assets: Vec<Url> = Vec::new();
    for r in html
        .refs
        .iter()
        .filter(|r| matches!(r.kind, RefKind::Script | RefKind::Style | RefKind::Image))
    {
        if let Some(url) = page.url.join(&r.url).ok().filter(|u| same_site(u, apex)) {
            if seen.insert(url.clone()) {
                assets.push(url);
                if assets.len() == MAX_ASSETS {
                    break;
                }
            }
        }
    }
    assets
}

async fn static_cache(net: &Net, target: &CheckTarget) -> Vec<Finding> {
    let apex = target.name();
    let homes: Vec<Url> = pages(target)
        .into_iter()
        .filter(|(r, _)| r == "homepage")
        .map(|(_, u)| u)
        .collect();
    let mut findings = Vec::new();
    for home in homes {
        let page = match fetch_landed(net, home.clone(), Some(PAGE_BYTES)).await {
            Ok(p) => p,
            Err(err) => {
                findings.push(not_fetched("cdn.static_cache", home.to_string(), &err));
                continue;
            }
        };
        let apex = apex.clone();
        let (page, assets) = on_page(page, PAGE_BYTES, move |page, html| {
            let assets = same_site_assets(&page, &html, &apex);
            (page, assets)
        })
        .await;
        let rated = each(assets, PARALLEL, |url| async move {
            let request = Request::get(url.clone())
                .body_limit(0)
                .timeout(ASSET_TIMEOUT);
            match fetch(net, request).await {
                Ok(r) => {
                    let (severity, why) = static_verdict(r.header("cache-control"));
                    let edge = r
                        .header("cf-cache-status")
                        .or(r.header("x-cache"))
                        .unwrap_or("-");
                    let line = format!(
                        "{} → {} cache-control: {} edge: {edge} ({why})",
                        crate::checks::http::redact_url(&url),
                        r.status,
                        r.header("cache-control").unwrap_or("-")
                    );
                    (Some(severity), crate::checks::http::redact::cut(&line))
                }
                Err(err) => (None, crate::checks::http::redact::cut(&err.to_string())),
            }
        })
        .await;
        if !rated.is_empty() && rated.iter().all(|(s, _)| s.is_none()) {
            let mut f = crate::checks::inconclusive(
                "cdn.static_cache",
                page.url.to_string(),
                handover_model::Cause::Unreachable,
                format!(
                    "none of the {} static asset(s) could be fetched",
                    rated.len()
                ),
            );
            f.evidence = rated.into_iter().map(|(_, l)| l).collect();
            findings.push(f);
            continue;
        }
        let unfetched = rated.iter().filter(|(s, _)| s.is_none()).count();
        let worst = rated
            .iter()
            .filter_map(|(s, _)| *s)
            .max()
            .unwrap_or(Severity::Pass);
        let cacheable = rated
            .iter()
            .filter(|(s, _)| *s == Some(Severity::Pass))
            .count();
        let judged = rated.len() - unfetched;
        let (title, mut detail) = match worst {
            _ if rated.is_empty() => ("The homepage loads no assets of its own".to_string(), String::new()),
            Severity::Pass | Severity::Info => (format!("{cacheable} static asset(s) are cacheable"), String::new()),
            _ => (format!("{} of {judged} static asset(s) are not cached well", judged - cacheable),
                "Fingerprinted scripts, styles and images should be sent with `Cache-Control: public, max-age=31536000, immutable` so browsers and the CDN keep them.".to_string()),
        };
        if unfetched > 0 {
            detail =
                format!("{detail} {unfetched} asset(s) could not be fetched and were not judged.")
                    .trim()
                    .to_string();
        }
        let mut f = finding(
            "cdn.static_cache",
            page.url.to_string(),
            worst,
            title,
            detail,
        );
        f.evidence = rated.into_iter().map(|(_, l)| l).collect();
        f.measured = vec![
            measure("assets", f.evidence.len() as f64, ""),
            measure("cacheable", cacheable as f64, ""),
        ];
        findings.push(f);
    }
    findings
}

/// How a personal response's caching rates: `(severity, title)`, from its
/// `Cache-Control` and the CDN's cache status (see [`edge_cache`]).
pub fn private_verdict(
    cache_control: Option<&str>,
    edge_status: Option<&str>,
) -> (Severity, &'static str) {
    match edge_cache(edge_status) {
        EdgeCache::Served => {
            return (
                Severity::High,
                "A personal response was served from the CDN cache",
            )
        }
        EdgeCache::Expired => {
            return (
                Severity::Medium,
                "The CDN had cached a personal response (its copy expired)",
            )
        }
        EdgeCache::Origin | EdgeCache::Unknown => {}
    }
    let Some(value) = cache_control else {
        return (Severity::Low, "No Cache-Control: shared caches may keep it");
    };
    let cc = CacheControl::parse(value);
    if cc.no_store || cc.private || cc.no_cache {
        (Severity::Pass, "Marked private / not stored")
    } else if cc.public || cc.s_maxage.is_some_and(|s| s > 0) {
        (
            Severity::Medium,
            "A personal response is marked cacheable by shared caches",
        )
    } else if cc.max_age.is_some_and(|s| s > 0) {
        (Severity::Low, "Cacheable (max-age) without `private`")
    } else {
        (Severity::Pass, "Not cacheable (max-age=0)")
    }
}

/// Login, signed-in and API URLs whose responses are personal.
pub fn private_urls(target: &CheckTarget) -> Vec<Url> {
    let mut urls: Vec<Url> = role_urls(target, &PRIVATE_ROLES)
        .into_iter()
        .map(|(_, u)| u)
        .collect();
    for host in target.hosts.iter().filter(|h| h.starts_with("api.")) {
        if let Some(u) = url_for(target, "https", host, "/").filter(|u| !urls.contains(u)) {
            urls.push(u);
        }
    }
    urls
}

async fn private(net: &Net, target: &CheckTarget) -> Vec<Finding> {
    each(private_urls(target), PARALLEL, |url| async move {
        match fetch(net, Request::get(url.clone()).body_limit(0)).await {
            Ok(r) => {
                let edge = r.header("cf-cache-status").or(r.header("x-cache"));
                let (severity, title) = private_verdict(r.header("cache-control"), edge);
                let detail = if severity == Severity::Pass { "" } else {
                    "Send `Cache-Control: private, no-store` on sign-in, account and API responses, and bypass the CDN cache for them; otherwise one user's page can be served to another."
                };
                let mut f = finding("cdn.private_not_cached", url.to_string(), severity, title, detail);
                f.evidence = r.evidence("GET", &EVIDENCE);
                f
            }
            Err(err) => not_fetched("cdn.private_not_cached", url.to_string(), &err),
        }
    })
    .await
}

#[cfg(test)]
mod tests;
