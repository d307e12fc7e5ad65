//! `weight.page`: what the first load of a page costs, and whether text is
//! compressed.
//!
//! Each page (homepage, login, dashboard) is fetched with the scripts,
//! styles and images it references; sizes are bytes on the wire (as
//! compressed by the server), each read up to the run's body limit.

use std::collections::HashSet;
use std::time::{Duration, Instant};

use handover_model::{Finding, Measure, Severity};
use url::Url;

use super::html::{on_page, Page, RefKind};
use super::{each, fetch_landed, not_fetched, pages, ASSET_TIMEOUT, PARALLEL};
use crate::checks::http::{fetch, redact_url, Request, Response, ACCEPT_ENCODING};
use crate::checks::net::Net;
use crate::checks::{finding, measure, CheckDef, CheckTarget};

/// Assets fetched per page.
pub const MAX_ASSETS: usize = 40;
/// Time for all of a page's assets together.
pub const ASSETS_BUDGET: Duration = Duration::from_secs(20);
/// Text smaller than this gains little from compression.
pub const MIN_COMPRESSIBLE: usize = 1024;
/// A script bundle this large delays interactivity on phones.
pub const HEAVY_SCRIPT: usize = 1024 * 1024;
/// An image this large is rarely needed on a web page.
pub const HEAVY_IMAGE: usize = 1024 * 1024;

pub(super) fn checks() -> Vec<CheckDef> {
    vec![super::check("weight.page", |n, t| Box::pin(weight(n, t)))
        .deadline(Duration::from_secs(60))]
}

/// One loaded resource, as measured.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Asset {
    /// Where it came from.
    pub url: Url,
    /// What loaded it (`Base` stands for the page itself).
    pub kind: RefKind,
    /// Bytes on the wire (at most the body limit).
    pub bytes: usize,
    /// Whether the body was cut at the limit.
    pub truncated: bool,
    /// `Content-Encoding`, lower-case, if any.
    pub encoding: Option<String>,
    /// `Content-Type` without parameters.
    pub mime: String,
}

impl Asset {
    /// Measures a response.
    pub fn from_response(kind: RefKind, r: &Response) -> Self {
        Self {
            url: r.url.clone(),
            kind,
            bytes: r.body.len(),
            truncated: r.truncated,
            encoding: r
                .header("content-encoding")
                .map(|e| e.trim().to_ascii_lowercase())
                .filter(|e| e != "identity"),
            mime: r.mime(),
        }
    }

    /// Whether it is text that compresses well.
    pub fn is_text(&self) -> bool {
        matches!(self.kind, RefKind::Script | RefKind::Style)
            || self.mime.starts_with("text/")
            || ["javascript", "json", "xml", "svg"]
                .iter()
                .any(|t| self.mime.contains(t))
    }

    fn size(&self) -> String {
        let kb = self.bytes as f64 / 1024.0;
        format!("{}{kb:.0} KB", if self.truncated { "≥ " } else { "" })
    }
}

/// A problem class found on a page.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Problem {
    /// How bad.
    pub severity: Severity,
    /// One line.
    pub title: String,
    /// The assets concerned, one line each.
    pub lines: Vec<String>,
}

/// The page's totals, as measures.
pub fn totals(assets: &[Asset]) -> Vec<Measure> {
    let sum = |f: &dyn Fn(&Asset) -> bool| {
        assets
            .iter()
            .filter(|a| f(a))
            .map(|a| a.bytes)
            .sum::<usize>() as f64
    };
    vec![
        measure("total_bytes", sum(&|_| true), "bytes"),
        measure("html_bytes", sum(&|a| a.kind == RefKind::Base), "bytes"),
        measure("script_bytes", sum(&|a| a.kind == RefKind::Script), "bytes"),
        measure("style_bytes", sum(&|a| a.kind == RefKind::Style), "bytes"),
        measure("image_bytes", sum(&|a| a.kind == RefKind::Image), "bytes"),
        measure("requests", assets.len() as f64, ""),
    ]
}

/// The problems of a page whose first asset is the page itself.
pub fn assess(assets: &[Asset]) -> Vec<Problem> {
    let line = |a: &Asset| format!("{} {} ({})", a.kind.noun(), redact_url(&a.url), a.size());
    let mut problems = Vec::new();
    let plain: Vec<String> = assets
        .iter()
        .filter(|a| a.is_text() && a.encoding.is_none() && a.bytes >= MIN_COMPRESSIBLE)
        .map(|a| {
            if a.kind == RefKind::Base {
                format!("page {} ({})", redact_url(&a.url), a.size())
            } else {
                line(a)
            }
        })
        .collect();
    if !plain.is_empty() {
        problems.push(Problem {
            severity: Severity::Medium,
            title: format!("{} text resource(s) are sent uncompressed", plain.len()),
            lines: plain,
        });
    }
    let heavy_scripts: Vec<String> = assets
        .iter()
        .filter(|a| a.kind == RefKind::Script && a.bytes > HEAVY_SCRIPT)
        .map(line)
        .collect();
    if !heavy_scripts.is_empty() {
        problems.push(Problem {
            severity: Severity::Medium,
            title: format!("{} script bundle(s) over 1 MB", heavy_scripts.len()),
            lines: heavy_scripts,
        });
    }
    let heavy_images: Vec<String> = assets
        .iter()
        .filter(|a| a.kind == RefKind::Image && a.bytes > HEAVY_IMAGE)
        .map(line)
        .collect();
    if !heavy_images.is_empty() {
        problems.push(Problem {
            severity: Severity::Low,
            title: format!("{} image(s) over 1 MB", heavy_images.len()),
            lines: heavy_images,
        });
    }
    problems
}

/// The resources a page loads that count towards its weight: the first
/// [`MAX_ASSETS`] distinct scripts, styles and images.
fn assets_of(page: &Response, html: &Page) -> Vec<(RefKind, Url)> {
    let base = html
        .refs
        .iter()
        .find(|r| r.kind == RefKind::Base)
        .and_then(|r| page.url.join(&r.url).ok())
        .unwrap_or_else(|| page.url.clone());
    let mut seen = HashSet::new();
    let mut out: Vec<(RefKind, Url)> = Vec::new();
    for r in html
        .refs
        .iter()
        .filter(|r| matches!(r.kind, RefKind::Script | RefKind::Style | RefKind::Image))
    {
        if let Some(url) = base
            .join(&r.url)
            .ok()
            .filter(|u| matches!(u.scheme(), "http" | "https"))
        {
            if seen.insert(url.clone()) {
                out.push((r.kind, url));
                if out.len() == MAX_ASSETS {
                    break;
                }
            }
        }
    }
    out
}

async fn weight(net: &Net, target: &CheckTarget) -> Vec<Finding> {
    each(pages(target), PARALLEL, |(_, url)| weigh(net, url))
        .await
        .concat()
}

/// The findings for one page: a pass with its totals, or one per problem.
async fn weigh(net: &Net, url: Url) -> Vec<Finding> {
    let page = match fetch_landed(net, url.clone(), None).await {
        Ok(p) => p,
        Err(err) => return vec![not_fetched("weight.page", url.to_string(), &err)],
    };
    let (page, wanted) = on_page(page, net.limits().body_bytes, |page, html| {
        let wanted = assets_of(&page, &html);
        (page, wanted)
    })
    .await;
    let wanted_count = wanted.len();
    let until = Instant::now() + ASSETS_BUDGET;
    let fetched = each(wanted, PARALLEL, |(kind, url)| async move {
        let left = until.saturating_duration_since(Instant::now());
        if left.is_zero() {
            return None;
        }
        let request = Request::get(url)
            .header("accept-encoding", ACCEPT_ENCODING)
            .timeout(left.min(ASSET_TIMEOUT));
        fetch(net, request)
            .await
            .ok()
            .map(|r| Asset::from_response(kind, &r))
    })
    .await;
    let mut assets = vec![Asset::from_response(RefKind::Base, &page)];
    assets.extend(fetched.into_iter().flatten());
    let measured = totals(&assets);
    let mut summary = format!(
        "{} request(s), {:.0} KB on the wire",
        assets.len(),
        measured[0].value / 1024.0
    );
    let failed = wanted_count + 1 - assets.len();
    if failed > 0 {
        summary.push_str(&format!("; {failed} asset(s) did not answer in time"));
    }
    let target_url = page.url.to_string();
    let problems = assess(&assets);
    if problems.is_empty() {
        let mut f = finding(
            "weight.page",
            target_url,
            Severity::Pass,
            format!("First load: {summary}"),
            "",
        );
        f.measured = measured;
        return vec![f];
    }
    problems
        .into_iter()
        .map(|p| {
            let mut f = finding("weight.page", target_url.clone(), p.severity, p.title,
                format!("First load: {summary}. Enable gzip or Brotli for text, split large bundles, and resize or convert large images (WebP/AVIF)."));
            f.evidence = p.lines;
            f.measured = measured.clone();
            f
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn asset(kind: RefKind, bytes: usize, encoding: Option<&str>, mime: &str) -> Asset {
        Asset {
            url: Url::parse("https://example.test/a").unwrap(),
            kind,
            bytes,
            truncated: false,
            encoding: encoding.map(str::to_string),
            mime: mime.into(),
        }
    }

    #[test]
    fn uncompressed_text_is_medium_small_text_is_fine() {
        let assets = [
            asset(RefKind::Base, 40_000, None, "text/html"),
            asset(RefKind::Script, 500, None, "application/javascript"),
            asset(RefKind::Style, 9_000, Some("br"), "text/css"),
        ];
        let problems = assess(&assets);
        assert_eq!(problems.len(), 1);
        assert_eq!(
            (problems[0].severity, problems[0].title.as_str()),
            (Severity::Medium, "1 text resource(s) are sent uncompressed")
        );
    }

    #[test]
    fn heavy_bundles_and_images() {
        let assets = [
            asset(RefKind::Base, 800, Some("gzip"), "text/html"),
            asset(RefKind::Script, 2 << 20, Some("gzip"), "text/javascript"),
            asset(RefKind::Image, 3 << 20, None, "image/jpeg"),
        ];
        let severities: Vec<Severity> = assess(&assets).iter().map(|p| p.severity).collect();
        assert_eq!(severities, vec![Severity::Medium, Severity::Low]);
        let t = totals(&assets);
        assert_eq!(t[0].value, (800 + (2 << 20) + (3 << 20)) as f64);
        assert_eq!(t[2].value, (2 << 20) as f64);
        assert_eq!(t[5].value, 3.0);
    }
}
