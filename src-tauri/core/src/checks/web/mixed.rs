//! `content.mixed`: HTTPS pages that load anything over plain HTTP.
//!
//! Scripts, frames, plugins and form targets over HTTP hand the page to
//! anyone on the network (browsers block most of them, so the page also
//! breaks): High. Images, styles and media leak what is viewed and can be
//! swapped: Medium.

use handover_model::{Finding, Severity};
use url::Url;

use super::html::{scan, RefKind};
use super::{each, fetch_landed, not_fetched, pages, PARALLEL};
use crate::checks::http::{redact_url, Response};
use crate::checks::net::Net;
use crate::checks::{finding, measure, CheckDef, CheckTarget};

/// How much of a page is scanned.
pub const PAGE_BYTES: usize = 2 * 1024 * 1024;

pub(super) fn checks() -> Vec<CheckDef> {
    vec![super::check("content.mixed", |n, t| Box::pin(mixed(n, t)))]
}

/// How bad a plain-HTTP load of this kind is.
pub fn severity_of(kind: RefKind) -> Severity {
    match kind {
        RefKind::Script | RefKind::Frame | RefKind::Form | RefKind::Object => Severity::High,
        RefKind::Style | RefKind::Image | RefKind::Media => Severity::Medium,
        RefKind::Base => Severity::Pass,
    }
}

/// The plain-HTTP loads of a page at `page_url`, worst first; relative
/// references resolve against `<base href>` when the page has one.
pub fn mixed_refs(page_url: &Url, html: &str) -> Vec<(Severity, RefKind, Url)> {
    let refs = scan(html);
    let base = refs
        .iter()
        .find(|r| r.kind == RefKind::Base)
        .and_then(|r| page_url.join(&r.url).ok())
        .unwrap_or_else(|| page_url.clone());
    let mut found: Vec<(Severity, RefKind, Url)> = Vec::new();
    for r in refs.iter().filter(|r| r.kind != RefKind::Base) {
        let Some(url) = base.join(&r.url).ok().filter(|u| u.scheme() == "http") else {
            continue;
        };
        let item = (severity_of(r.kind), r.kind, url);
        if !found.contains(&item) {
            found.push(item);
        }
    }
    found.sort_by_key(|f| std::cmp::Reverse(f.0));
    found
}

/// The finding for one fetched page.
pub fn page_finding(page: &Response, html: &str) -> Finding {
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
    let found = mixed_refs(&page.url, html);
    let worst = found.first().map_or(Severity::Pass, |(s, _, _)| *s);
    let mut f = match found.first() {
        None => finding("content.mixed", target, Severity::Pass, "Nothing is loaded over plain HTTP", ""),
        Some((_, kind, _)) => finding("content.mixed", target, worst,
            format!("{} resource(s) load over plain HTTP, including a {}", found.len(), kind.noun()),
            "Change these references to https:// (or relative URLs); browsers block or flag them and anyone on the network can alter them."),
    };
    f.evidence = found
        .iter()
        .take(30)
        .map(|(s, kind, url)| format!("{} {}: {}", s.as_str(), kind.noun(), redact_url(url)))
        .collect();
    if page.truncated {
        f.evidence.push(format!(
            "only the first {} bytes of the page were scanned",
            page.body.len()
        ));
    }
    f.measured = vec![measure("insecure_loads", found.len() as f64, "")];
    f
}

async fn mixed(net: &Net, target: &CheckTarget) -> Vec<Finding> {
    each(pages(target), PARALLEL, |(_, url)| async move {
        match fetch_landed(net, url.clone(), Some(PAGE_BYTES)).await {
            Ok(page) => {
                let html = page.text(PAGE_BYTES).unwrap_or_default();
                page_finding(&page, &html)
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
    fn forms_posting_over_http_are_high() {
        let found = mixed_refs(&page(), r#"<form action="http://example.test/login">"#);
        assert_eq!(found[0].0, Severity::High);
    }
}
