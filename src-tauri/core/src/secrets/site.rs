//! # The deployed site: what any visitor's browser downloads
//!
//! [`scan_site`] fetches the project's homepage and login page (following
//! same-site redirects by hand, as the other live checks do), scans each
//! page's HTML — inline scripts, framework payloads such as Next.js's
//! `<script id="__NEXT_DATA__">`, `window.__NUXT__`,
//! `window.__INITIAL_STATE__` and inline config objects are all text of the
//! page — then the scripts (`<script src>`, `<link rel=modulepreload>`,
//! `<link rel=preload as=script>`) and stylesheets (`<link
//! rel=stylesheet>`, `@import` in inline CSS) the pages load from the
//! product's own hosts, and last the source maps those name through a
//! trailing `//# sourceMappingURL=` (`/*# … */` in CSS) or the
//! `SourceMap` (legacy `X-SourceMap`) header, resolved against the file's
//! URL; `data:…;base64,` maps are decoded in place. A map's
//! `sourcesContent[i]` is scanned as the original text of `sources[i]`, so a
//! finding names the original file and its line there.
//!
//! Everything found here is public: a secret is a
//! [blocker](handover_model::Severity::Blocker), and a source map that
//! serves the original sources is a finding of its own
//! ([`PUBLIC_SOURCE_MAP`], high) even when no secret is in it.
//!
//! Bounded ([`SiteLimits`]): a count of files and maps, bytes per file and
//! in all; what a limit leaves out is counted ([`SiteScan::over_limit`]) or
//! skipped as too large, never silently dropped. A file that cannot be
//! fetched (timeout, TLS error, an error status) is skipped with its reason;
//! only a homepage that cannot be fetched makes the scan inconclusive
//! ([`SiteScan::conclusive`]).
//!
//! Not probed: pages behind a sign-in; chunks a bundle loads lazily (their
//! URLs are computed at run time, so only files the pages' HTML references
//! are read — scan the build output for the rest); scripts on third-party
//! hosts (counted in [`SiteScan::third_party`], never fetched). A map
//! without `sourcesContent` is read but has nothing to scan (index maps'
//! `sections` are read too). Scanning runs on the calling task (the
//! scanner is borrowed): at most [`SiteLimits::total_bytes`] of it.

use std::collections::HashSet;
use std::time::Duration;

use handover_model::{SecretPlace, SecretScan, SkipReason, SkippedFile};
use url::Url;

use super::sourcemap::scan_source_map;
use super::{FingerprintKey, Scanner};
use crate::checks::http::redact_url;
use crate::checks::net::Net;
use crate::checks::web::{each, landing::same_site, role_urls, url_for};
use crate::checks::CheckTarget;

mod fetch;
mod findings;
mod refs;

use fetch::{get, unreadable, Got, STATUS};
use findings::{finding, public_map};
use refs::{inline_map, page_refs, trailing_map};

/// The rule id of a public source map that carries the original sources.
pub const PUBLIC_SOURCE_MAP: &str = "public-source-map";

/// How much of a site one scan reads.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SiteLimits {
    /// Most scripts and stylesheets fetched (64).
    pub max_assets: usize,
    /// Most source maps fetched (64).
    pub max_maps: usize,
    /// Most bytes of one page, script or stylesheet, decoded (5 MiB).
    pub asset_bytes: usize,
    /// Most bytes of one source map, decoded (16 MiB).
    pub map_bytes: usize,
    /// Most bytes scanned in all (40 MiB).
    pub total_bytes: u64,
    /// Deadline of one file, redirects included (10 s).
    pub timeout: Duration,
    /// Files fetched at once (4).
    pub parallel: usize,
}

impl Default for SiteLimits {
    fn default() -> Self {
        Self {
            max_assets: 64,
            max_maps: 64,
            asset_bytes: 5 * 1024 * 1024,
            map_bytes: 16 * 1024 * 1024,
            total_bytes: 40 * 1024 * 1024,
            timeout: Duration::from_secs(10),
            parallel: 4,
        }
    }
}

/// Where a scan starts and which hosts are the product's own.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Site {
    /// The pages, homepage first.
    pub pages: Vec<Url>,
    /// The apex: it and every host under it are the product's.
    pub apex: String,
    /// The project's hosts (some may not be under the apex).
    pub hosts: Vec<String>,
}

impl Site {
    /// The project's homepage (its `homepage` endpoint, else `https://host/`)
    /// and its `login` page, with its apex and hosts.
    pub fn of(target: &CheckTarget) -> Site {
        let roles = role_urls(target, &["homepage", "login"]);
        let mut pages: Vec<Url> = Vec::new();
        if !roles.iter().any(|(role, _)| role == "homepage") {
            pages.extend(url_for(target, "https", &target.name(), "/"));
        }
        pages.extend(roles.into_iter().map(|(_, url)| url));
        Site {
            pages,
            apex: target.apex.clone(),
            hosts: target.hosts.clone(),
        }
    }

    /// Whether `url` is on the product's own hosts (never another site's).
    pub fn owns(&self, url: &Url) -> bool {
        let host = url.host_str().unwrap_or_default().to_ascii_lowercase();
        (!self.apex.is_empty() && same_site(&self.apex, &host))
            || self.hosts.iter().any(|h| h.eq_ignore_ascii_case(&host))
    }
}

/// What a fetched file is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum AssetKind {
    /// An HTML page.
    Page,
    /// A script.
    Script,
    /// A stylesheet.
    Style,
    /// A source map (fetched, or inline in its file).
    SourceMap,
}

/// One file read and scanned.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Asset {
    /// Where it was read (redacted URL; an inline map says so).
    pub location: String,
    /// What it is.
    pub kind: AssetKind,
    /// Bytes scanned (decoded).
    pub bytes: u64,
}

/// A site scan: the findings and skips, and what was (not) read.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct SiteScan {
    /// Findings, skips and amounts, as every target reports them.
    pub scan: SecretScan,
    /// Whether the homepage (the first page) was read.
    pub homepage_fetched: bool,
    /// Pages read.
    pub pages_fetched: usize,
    /// Every file read, in order.
    pub assets: Vec<Asset>,
    /// Scripts, stylesheets and maps on other sites: not fetched.
    pub third_party: Vec<Url>,
    /// Files and maps left out by [`SiteLimits`] (count or total bytes).
    pub over_limit: usize,
    /// Source maps a file names that the server does not serve (403, 404,
    /// 410): the way it should be.
    pub maps_not_served: usize,
    /// Framework payloads seen in the pages, e.g. `__NEXT_DATA__`.
    pub payloads: Vec<String>,
}

impl SiteScan {
    /// Whether the scan says anything: the homepage was read. When not,
    /// the caller reports the site scan inconclusive with the homepage's
    /// skip reason.
    pub fn conclusive(&self) -> bool {
        self.homepage_fetched
    }
}

/// Payloads frameworks inline into pages (they are scanned as page text).
const PAYLOADS: [&str; 5] = [
    "__NEXT_DATA__",
    "__NUXT__",
    "__INITIAL_STATE__",
    "__APOLLO_STATE__",
    "__remixContext",
];

/// Scans the deployed site (see the module docs).
pub async fn scan_site(
    net: &Net,
    site: &Site,
    scanner: &Scanner,
    key: &FingerprintKey,
    limits: SiteLimits,
) -> SiteScan {
    let mut run = Run {
        out: SiteScan::default(),
        seen: HashSet::new(),
        scanner,
        key,
        limits,
    };
    let fetch_all = |urls: Vec<Url>, cap: usize| {
        each(urls, limits.parallel, move |url| async move {
            let got = get(net, site, &url, cap, limits.timeout).await;
            (url, got)
        })
    };

    run.seen.extend(site.pages.iter().cloned());
    let mut refs: Vec<(AssetKind, Url)> = Vec::new();
    let pages = fetch_all(site.pages.clone(), limits.asset_bytes).await;
    for (i, (url, got)) in pages.into_iter().enumerate() {
        let Some(got) = run.accept(&url, got, false) else {
            continue;
        };
        run.out.pages_fetched += 1;
        run.out.homepage_fetched |= i == 0;
        let text = String::from_utf8_lossy(&got.bytes).into_owned();
        run.scan_text(AssetKind::Page, &redact_url(&got.url), &text);
        for name in PAYLOADS.iter().filter(|p| text.contains(*p)) {
            if !run.out.payloads.iter().any(|p| p == name) {
                run.out.payloads.push(name.to_string());
            }
        }
        refs.extend(page_refs(&got.url, &text));
    }

    let mut assets: Vec<(AssetKind, Url)> = Vec::new();
    for (kind, url) in refs {
        run.queue(site, kind, url, &mut assets);
    }
    let excess = assets.len().saturating_sub(limits.max_assets);
    run.out.over_limit += excess;
    assets.truncate(limits.max_assets);
    let kinds: Vec<AssetKind> = assets.iter().map(|(k, _)| *k).collect();
    let urls = assets.into_iter().map(|(_, u)| u).collect();
    let mut maps: Vec<(AssetKind, Url)> = Vec::new();
    for ((url, got), kind) in fetch_all(urls, limits.asset_bytes)
        .await
        .into_iter()
        .zip(kinds)
    {
        let Some(got) = run.accept(&url, got, false) else {
            continue;
        };
        let text = String::from_utf8_lossy(&got.bytes).into_owned();
        let location = redact_url(&got.url);
        if !run.scan_text(kind, &location, &text) {
            continue;
        }
        let named = got
            .header_map
            .or_else(|| trailing_map(&text))
            .map(|m| m.trim().to_string());
        match named {
            Some(m) if m.starts_with("data:") => {
                let inline = format!("{location} (inline source map)");
                match inline_map(&m) {
                    Some(json) => run.scan_map(&inline, &json),
                    None => run.skip(
                        inline,
                        unreadable("an inline source map that is not base64 JSON"),
                    ),
                }
            }
            Some(m) => {
                if let Ok(map) = got.url.join(&m) {
                    run.queue(site, AssetKind::SourceMap, map, &mut maps);
                }
            }
            None => {}
        }
    }
    let excess = maps.len().saturating_sub(limits.max_maps);
    run.out.over_limit += excess;
    maps.truncate(limits.max_maps);
    let urls = maps.into_iter().map(|(_, u)| u).collect();
    for (url, got) in fetch_all(urls, limits.map_bytes).await {
        if let Some(got) = run.accept(&url, got, true) {
            let text = String::from_utf8_lossy(&got.bytes).into_owned();
            run.scan_map(&redact_url(&got.url), &text);
        }
    }
    run.out
}

/// One scan's state.
struct Run<'a> {
    out: SiteScan,
    seen: HashSet<Url>,
    scanner: &'a Scanner,
    key: &'a FingerprintKey,
    limits: SiteLimits,
}

impl Run<'_> {
    /// Queues `url` once: the site's own into `into`, another site's into
    /// [`SiteScan::third_party`].
    fn queue(
        &mut self,
        site: &Site,
        kind: AssetKind,
        mut url: Url,
        into: &mut Vec<(AssetKind, Url)>,
    ) {
        url.set_fragment(None);
        if !matches!(url.scheme(), "http" | "https") || !self.seen.insert(url.clone()) {
            return;
        }
        if site.owns(&url) {
            into.push((kind, url));
        } else {
            self.out.third_party.push(url);
        }
    }

    /// The body when it was fetched and fits the total budget; otherwise
    /// the skip (or count) is recorded.
    fn accept(&mut self, url: &Url, got: Result<Got, SkipReason>, map: bool) -> Option<Got> {
        match got {
            Err(SkipReason::Unreadable { error }) if map && error.starts_with(STATUS) => {
                let status = error[STATUS.len()..].split_whitespace().next();
                if matches!(status, Some("403" | "404" | "410")) {
                    self.out.maps_not_served += 1;
                } else {
                    self.skip(redact_url(url), SkipReason::Unreadable { error });
                }
                None
            }
            Err(reason) => {
                self.skip(redact_url(url), reason);
                None
            }
            Ok(got) if self.out.scan.bytes + got.bytes.len() as u64 > self.limits.total_bytes => {
                self.out.over_limit += 1;
                None
            }
            // Redirected to a file read already.
            Ok(got) if got.url != *url && !self.seen.insert(got.url.clone()) => None,
            Ok(got) => Some(got),
        }
    }

    fn skip(&mut self, location: String, reason: SkipReason) {
        self.out.scan.skipped.push(SkippedFile {
            place: SecretPlace::Site,
            location,
            reason,
        });
    }

    /// Scans one file's text; `false` when it looks binary (skipped).
    fn scan_text(&mut self, kind: AssetKind, location: &str, text: &str) -> bool {
        let Some(hits) = self.scanner.scan_bytes(text.as_bytes(), self.key) else {
            self.skip(location.to_string(), SkipReason::Binary);
            return false;
        };
        self.count(kind, location, text.len());
        for hit in hits {
            self.out.scan.findings.push(finding(hit, location, None));
        }
        true
    }

    fn count(&mut self, kind: AssetKind, location: &str, bytes: usize) {
        self.out.scan.files += 1;
        self.out.scan.bytes += bytes as u64;
        self.out.assets.push(Asset {
            location: location.to_string(),
            kind,
            bytes: bytes as u64,
        });
    }

    /// Scans a source map's `sourcesContent`, each hit attributed to its
    /// `sources[i]`; a map with any original source is itself a finding.
    fn scan_map(&mut self, location: &str, text: &str) {
        // A map may open with `)]}'` against JSON hijacking (source map v3).
        let json = text.strip_prefix(")]}'").map_or(text, |rest| {
            rest.split_once('\n').map_or("", |(_, json)| json)
        });
        let Some(hits) = scan_source_map(json, self.scanner, self.key) else {
            let reason = unreadable("not a source map (not JSON with sources)");
            self.skip(location.to_string(), reason);
            return;
        };
        self.count(AssetKind::SourceMap, location, json.len());
        for (original, hit) in hits {
            let original = original.unwrap_or_else(|| "(a source the map does not name)".into());
            let f = finding(hit, location, Some(&original));
            self.out.scan.findings.push(f);
        }
        if refs::carries_sources(json) {
            self.out.scan.findings.push(public_map(location, self.key));
        }
    }
}
