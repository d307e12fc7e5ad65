//! The stylesheets a page links, read for what they load over plain HTTP.
//!
//! Browsers fetch a page's linked stylesheets (`<link rel=stylesheet>`, and
//! `@import` in its inline CSS) and everything their `url()` and `@import`
//! name; a `http://` there is mixed content like one in the page. The
//! first [`SHEETS`] HTTPS stylesheets of a page are fetched (at most
//! [`SHEET_BYTES`] each) and read; what they import in turn is judged by
//! its URL but not fetched.

use std::collections::HashSet;

use url::Url;

use super::css::{self, CssLoad};
use super::html::{Page, RefKind};
use crate::checks::http::{fetch, Request, ACCEPT_ENCODING};
use crate::checks::net::Net;

/// Most linked stylesheets fetched per page.
pub const SHEETS: usize = 5;
/// Most bytes of one stylesheet read.
pub const SHEET_BYTES: usize = 512 * 1024;

/// A plain-HTTP load found in a linked stylesheet.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SheetLoad {
    /// What it loads: [`RefKind::Style`] for `@import`, else [`RefKind::CssUrl`].
    pub kind: RefKind,
    /// The `http://` URL, resolved against the stylesheet.
    pub url: Url,
    /// The stylesheet that names it.
    pub sheet: Url,
}

/// What reading a page's stylesheets found.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct SheetsRead {
    /// The plain-HTTP loads, in stylesheet order.
    pub loads: Vec<SheetLoad>,
    /// Stylesheets fetched and read.
    pub read: usize,
    /// Why a stylesheet could not be read, or that some were skipped.
    pub notes: Vec<String>,
}

/// The HTTPS stylesheets `page` (at `base`, after `<base href>`) links, in
/// document order, each once: the ones [`SHEETS`] fetches first.
pub fn linked(base: &Url, page: &Page) -> Vec<Url> {
    let mut seen = HashSet::new();
    page.refs
        .iter()
        .chain(&page.css)
        .filter(|r| r.kind == RefKind::Style)
        .filter_map(|r| base.join(&r.url).ok())
        .filter(|u| u.scheme() == "https")
        .filter(|u| seen.insert(without_fragment(u)))
        .collect()
}

/// Fetches the first [`SHEETS`] of `sheets` and reads what they load.
pub async fn read_all(net: &Net, sheets: &[Url]) -> SheetsRead {
    let mut out = SheetsRead::default();
    if sheets.len() > SHEETS {
        out.notes.push(format!(
            "{} more linked stylesheet(s) not read (the first {SHEETS} were)",
            sheets.len() - SHEETS
        ));
    }
    for sheet in sheets.iter().take(SHEETS) {
        let request = Request::get(sheet.clone())
            .header("accept", "text/css,*/*;q=0.1")
            .header("accept-encoding", ACCEPT_ENCODING)
            .body_limit(SHEET_BYTES);
        let response = match fetch(net, request).await {
            Ok(r) if (200..300).contains(&r.status) => r,
            Ok(r) => {
                out.notes
                    .push(format!("stylesheet {sheet} answered {}", r.status));
                continue;
            }
            Err(err) => {
                out.notes.push(format!(
                    "stylesheet not read ({err}): what it loads was not checked"
                ));
                continue;
            }
        };
        let text = response.text(SHEET_BYTES).unwrap_or_default();
        let at = response.url.clone();
        let found = tokio::task::spawn_blocking(move || css::urls(&text))
            .await
            .unwrap_or_default();
        out.read += 1;
        for (load, written) in found {
            let Some(url) = at.join(&written).ok().filter(|u| u.scheme() == "http") else {
                continue;
            };
            let kind = match load {
                CssLoad::Import => RefKind::Style,
                CssLoad::Url => RefKind::CssUrl,
            };
            let entry = SheetLoad {
                kind,
                url,
                sheet: at.clone(),
            };
            if !out.loads.contains(&entry) {
                out.loads.push(entry);
            }
        }
    }
    out
}

fn without_fragment(url: &Url) -> Url {
    let mut url = url.clone();
    url.set_fragment(None);
    url
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::checks::web::html::read;

    #[test]
    fn linked_stylesheets_are_the_https_ones_each_once_in_order() {
        let page = read(
            r#"<link rel=stylesheet href="/a.css"><link rel="stylesheet" href="http://x.test/b.css">
               <style>@import "https://cdn.test/c.css";</style><link rel=stylesheet href="/a.css#x">"#,
        );
        let base = Url::parse("https://example.test/app/").unwrap();
        let found: Vec<String> = linked(&base, &page).iter().map(Url::to_string).collect();
        assert_eq!(
            found,
            ["https://example.test/a.css", "https://cdn.test/c.css"]
        );
    }
}
