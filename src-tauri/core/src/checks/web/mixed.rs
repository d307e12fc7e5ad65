//! `content.mixed`: HTTPS pages that load anything over plain HTTP.
//!
//! Scripts, frames, plugins and form targets over HTTP hand the page to
//! anyone on the network (browsers block most of them, so the page also
//! breaks): High. Images, styles, media and what inline CSS loads
//! (`url()`, `@import` in `<style>` and `style=""`) leak what is viewed and
//! can be swapped: Medium. So do the `url()` and `@import` loads of the
//! linked stylesheets, which are fetched and read ([`super::sheets`]).
//!
//! A page whose Content-Security-Policy (header or `<meta>`) has
//! `upgrade-insecure-requests` has browsers fetch every `http:` load over
//! HTTPS instead: those loads are not mixed content, and are reported as
//! information.

use std::collections::HashSet;

use handover_model::{Finding, Severity};
use url::Url;

use super::csp::policies;
use super::html::{on_page, read, Page, RefKind};
use super::sheets::{self, SheetsRead};
use super::{each, fetch_landed, not_fetched, pages, PARALLEL};
use crate::checks::http::{redact_url, Response};
use crate::checks::net::Net;
use crate::checks::{finding, measure, CheckDef, CheckTarget};

/// How much of a page is scanned.
pub const PAGE_BYTES: usize = 2 * 1024 * 1024;
/// Loads listed as evidence.
const EVIDENCE_LINES: usize = 30;

pub(super) fn checks() -> Vec<CheckDef> {
    vec![super::check("content.mixed", |n, t| Box::pin(mixed(n, t)))]
}

/// How bad a plain-HTTP load of this kind is.
pub fn severity_of(kind: RefKind) -> Severity {
    match kind {
        RefKind::Script | RefKind::Frame | RefKind::Form | RefKind::Object => Severity::High,
        RefKind::Style | RefKind::Image | RefKind::Media | RefKind::CssUrl => Severity::Medium,
        RefKind::Base => Severity::Pass,
    }
}

/// The plain-HTTP loads of a page at `page_url`, worst first; relative
/// references resolve against `<base href>` when the page has one.
pub fn mixed_refs(page_url: &Url, html: &str) -> Vec<(Severity, RefKind, Url)> {
    insecure_loads(page_url, &read(html))
}

/// Where a page's relative references resolve: its `<base href>`, else
/// its own URL.
pub fn base_of(page_url: &Url, page: &Page) -> Url {
    page.refs
        .iter()
        .find(|r| r.kind == RefKind::Base)
        .and_then(|r| page_url.join(&r.url).ok())
        .unwrap_or_else(|| page_url.clone())
}

/// [`mixed_refs`] of a page already read: its tags' and its inline CSS's
/// loads, each (kind, URL) once, worst first, in document order within a
/// severity.
pub fn insecure_loads(page_url: &Url, page: &Page) -> Vec<(Severity, RefKind, Url)> {
    let base = base_of(page_url, page);
    let mut seen = HashSet::new();
    let mut found: Vec<(Severity, RefKind, Url)> = Vec::new();
    for r in page.refs.iter().chain(&page.css) {
        if r.kind == RefKind::Base {
            continue;
        }
        let Some(url) = base.join(&r.url).ok().filter(|u| u.scheme() == "http") else {
            continue;
        };
        if seen.insert((r.kind, url.clone())) {
            found.push((severity_of(r.kind), r.kind, url));
        }
    }
    found.sort_by_key(|f| std::cmp::Reverse(f.0));
    found
}

/// Whether a policy of the page (enforced headers or `<meta>`) has
/// `upgrade-insecure-requests`.
pub fn upgrades_insecure<S: AsRef<str>>(headers: &[&str], meta: &[S]) -> bool {
    policies(headers)
        .iter()
        .chain(&policies(meta))
        .any(|p| p.directive("upgrade-insecure-requests").is_some())
}

/// The finding for one fetched page, read as `html`.
pub fn page_finding(page: &Response, html: &Page) -> Finding {
    page_finding_with(page, html, &SheetsRead::default())
}

/// [`page_finding`] with what the page's linked stylesheets load.
pub fn page_finding_with(page: &Response, html: &Page, sheets: &SheetsRead) -> Finding {
    let target = page.url.to_string();
    if page.url.scheme() != "https" {
        return finding(
            "content.mixed",
            target,
            Severity::High,
            "The page is served over plain HTTP",
            "The page itself ended on http:// — everything on it is exposed. Serve it over HTTPS.",
        );
    }
    // Each load with the stylesheet that names it, if one does.
    let mut found: Vec<(Severity, RefKind, Url, Option<&Url>)> = insecure_loads(&page.url, html)
        .into_iter()
        .map(|(s, k, u)| (s, k, u, None))
        .collect();
    found.extend(
        sheets
            .loads
            .iter()
            .map(|l| (severity_of(l.kind), l.kind, l.url.clone(), Some(&l.sheet))),
    );
    found.sort_by_key(|f| std::cmp::Reverse(f.0));
    let headers: Vec<&str> = page.header_all("content-security-policy").collect();
    let upgraded = !found.is_empty() && upgrades_insecure(&headers, &html.meta_csp);
    let worst = found.first().map_or(Severity::Pass, |(s, _, _, _)| *s);
    let mut f = match found.first() {
        None => finding("content.mixed", target, Severity::Pass, "Nothing is loaded over plain HTTP", ""),
        Some(_) if upgraded => finding("content.mixed", target, Severity::Info,
            format!("{} http:// reference(s), all upgraded to HTTPS by upgrade-insecure-requests", found.len()),
            "The page's Content-Security-Policy has upgrade-insecure-requests, so browsers load these over HTTPS: not mixed content. Each must be served over HTTPS (or it fails to load); writing https:// keeps that visible."),
        Some((_, kind, _, _)) => finding("content.mixed", target, worst,
            format!("{} resource(s) load over plain HTTP, including {}", found.len(), kind.with_article()),
            "Change these references to https:// (or relative URLs); browsers block or flag them and anyone on the network can alter them."),
    };
    f.evidence = found
        .iter()
        .take(EVIDENCE_LINES)
        .map(|(s, kind, url, sheet)| {
            let how = if upgraded { "upgraded" } else { s.as_str() };
            let within = sheet.map_or(String::new(), |sheet| {
                format!(" (in {})", redact_url(sheet))
            });
            format!("{how} {}: {}{within}", kind.noun(), redact_url(url))
        })
        .collect();
    f.evidence.extend(sheets.notes.iter().cloned());
    if sheets.read > 0 {
        f.evidence
            .push(format!("{} linked stylesheet(s) read", sheets.read));
    }
    if page.truncated {
        f.evidence.push(format!(
            "only the first {} bytes of the page were scanned",
            page.body.len()
        ));
    }
    let (insecure, upgraded_loads) = if upgraded {
        (0, found.len())
    } else {
        (found.len(), 0)
    };
    f.measured = vec![measure("insecure_loads", insecure as f64, "")];
    if upgraded_loads > 0 {
        f.measured
            .push(measure("upgraded_loads", upgraded_loads as f64, ""));
    }
    f
}

async fn mixed(net: &Net, target: &CheckTarget) -> Vec<Finding> {
    each(pages(target), PARALLEL, |(_, url)| async move {
        match fetch_landed(net, url.clone(), Some(PAGE_BYTES)).await {
            Ok(page) => {
                let (page, html, linked) = on_page(page, PAGE_BYTES, |page, html| {
                    let linked = sheets::linked(&base_of(&page.url, &html), &html);
                    (page, html, linked)
                })
                .await;
                // A plain-HTTP page is judged for that alone.
                let read = if page.url.scheme() == "https" {
                    sheets::read_all(net, &linked).await
                } else {
                    SheetsRead::default()
                };
                // Judging a huge page is work too: off the async workers.
                match tokio::task::spawn_blocking(move || page_finding_with(&page, &html, &read))
                    .await
                {
                    Ok(found) => found,
                    Err(err) => std::panic::resume_unwind(err.into_panic()),
                }
            }
            Err(err) => not_fetched("content.mixed", url.to_string(), &err),
        }
    })
    .await
}

#[cfg(test)]
mod tests {
    use super::*;

    fn page() -> Url {
        Url::parse("https://example.test/app/").unwrap()
    }

    #[test]
    fn active_content_is_high_passive_is_medium() {
        let html = r#"<img src="http://img.test/a.png"><script src="http://cdn.test/x.js"></script>
            <link rel=stylesheet href="//cdn.test/s.css"><script src="/ok.js"></script>"#;
        let found: Vec<(Severity, RefKind, String)> = mixed_refs(&page(), html)
            .into_iter()
            .map(|(s, k, u)| (s, k, u.to_string()))
            .collect();
        assert_eq!(
            found,
            vec![
                (
                    Severity::High,
                    RefKind::Script,
                    "http://cdn.test/x.js".into()
                ),
                (
                    Severity::Medium,
                    RefKind::Image,
                    "http://img.test/a.png".into()
                ),
            ]
        );
    }

    #[test]
    fn an_http_base_makes_relative_loads_insecure() {
        let html = r#"<base href="http://static.test/"><script src="app.js"></script>"#;
        let found = mixed_refs(&page(), html);
        assert_eq!(found.len(), 1);
        assert_eq!(found[0].2.as_str(), "http://static.test/app.js");
    }

    #[test]
    fn inline_css_loads_and_encoded_schemes_are_found() {
        let html = r#"<style>@import url("http://cdn.test/theme.css");</style>
            <div style="background:url(http://img.test/bg.png)"></div>
            <script src="http&#x3a;//cdn.test/enc.js"></script>"#;
        let found: Vec<(Severity, RefKind, String)> = mixed_refs(&page(), html)
            .into_iter()
            .map(|(s, k, u)| (s, k, u.to_string()))
            .collect();
        assert_eq!(
            found,
            vec![
                (
                    Severity::High,
                    RefKind::Script,
                    "http://cdn.test/enc.js".into()
                ),
                (
                    Severity::Medium,
                    RefKind::Style,
                    "http://cdn.test/theme.css".into()
                ),
                (
                    Severity::Medium,
                    RefKind::CssUrl,
                    "http://img.test/bg.png".into()
                ),
            ]
        );
    }

    #[test]
    fn upgrade_insecure_requests_is_read_from_headers_and_meta() {
        let none: [&str; 0] = [];
        assert!(upgrades_insecure(
            &["default-src 'self'; upgrade-insecure-requests"],
            &none
        ));
        assert!(upgrades_insecure(
            &["frame-ancestors 'none', Upgrade-Insecure-Requests"],
            &none
        ));
        assert!(upgrades_insecure(&[], &["upgrade-insecure-requests"]));
        assert!(!upgrades_insecure(
            &["default-src 'self'"],
            &["block-all-mixed-content"]
        ));
    }

    #[test]
    fn forms_posting_over_http_are_high() {
        let found = mixed_refs(&page(), r#"<form action="http://example.test/login">"#);
        assert_eq!(found[0].0, Severity::High);
    }
}
