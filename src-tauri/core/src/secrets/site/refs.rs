//! What points at the files a scan reads: a page's script and stylesheet
//! tags (through the web checks' HTML tokenizer), a file's trailing
//! `sourceMappingURL` comment, an inline `data:` map, and whether a map
//! carries original sources at all.

use base64::Engine as _;
use url::Url;

use super::AssetKind;
use crate::checks::web::html::{self, RefKind};

/// The scripts and stylesheets `html` (the page at `url`) loads, resolved
/// against its `<base href>` or its URL.
pub(super) fn page_refs(url: &Url, text: &str) -> Vec<(AssetKind, Url)> {
    let page = html::read(text);
    let base = page
        .refs
        .iter()
        .find(|r| r.kind == RefKind::Base)
        .and_then(|r| url.join(&r.url).ok())
        .unwrap_or_else(|| url.clone());
    page.refs
        .iter()
        .chain(&page.css)
        .filter_map(|r| {
            let kind = match r.kind {
                RefKind::Script => AssetKind::Script,
                RefKind::Style => AssetKind::Style,
                _ => return None,
            };
            base.join(&r.url).ok().map(|u| (kind, u))
        })
        .collect()
}

/// The map a file names in its last line: `//# sourceMappingURL=…` (or the
/// old `//@`), or `/*# sourceMappingURL=… */` in CSS.
pub(super) fn trailing_map(text: &str) -> Option<String> {
    let last = text.trim_end().rsplit('\n').next()?.trim();
    let rest = ["//# ", "//@ ", "/*# ", "/*@ "]
        .iter()
        .find_map(|p| last.strip_prefix(p))?
        .strip_prefix("sourceMappingURL=")?;
    let url = rest.trim_end_matches("*/").trim();
    (!url.is_empty() && !url.contains(char::is_whitespace)).then(|| url.to_string())
}

/// The JSON of a `data:application/json[;charset=…];base64,…` map.
pub(super) fn inline_map(data: &str) -> Option<String> {
    let (meta, payload) = data.strip_prefix("data:")?.split_once(',')?;
    if !meta.split(';').any(|p| p.eq_ignore_ascii_case("base64")) {
        return None;
    }
    let bytes = base64::engine::general_purpose::STANDARD
        .decode(payload.trim())
        .ok()?;
    String::from_utf8(bytes).ok()
}

pub(super) use crate::secrets::sourcemap::carries_sources;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_trailing_comment_names_the_map() {
        let js = "a();\n//# sourceMappingURL=app.js.map\n\n";
        assert_eq!(trailing_map(js).as_deref(), Some("app.js.map"));
        let css = "a{b:c}\n/*# sourceMappingURL=/s/site.css.map */";
        assert_eq!(trailing_map(css).as_deref(), Some("/s/site.css.map"));
        assert_eq!(
            trailing_map("//@ sourceMappingURL=old.map").as_deref(),
            Some("old.map")
        );
        // Only the last line counts: a string in the code is not a comment.
        assert_eq!(
            trailing_map("x = '//# sourceMappingURL=a.map';\nf();"),
            None
        );
        assert_eq!(trailing_map(""), None);
    }

    #[test]
    fn inline_maps_are_decoded_and_sources_detected() {
        let json = r#"{"version":3,"sources":["a.ts"],"sourcesContent":["let a = 1;"]}"#;
        let b64 = base64::engine::general_purpose::STANDARD.encode(json);
        let data = format!("data:application/json;charset=utf-8;base64,{b64}");
        assert_eq!(inline_map(&data).as_deref(), Some(json));
        assert_eq!(inline_map("data:application/json,{}"), None);
        assert!(carries_sources(json));
        assert!(!carries_sources(
            r#"{"sources":["a.ts"],"sourcesContent":[null, " "]}"#
        ));
        assert!(!carries_sources("not json"));
        let index = r#"{"sections":[{"map":{"sourcesContent":["x"]}}]}"#;
        assert!(carries_sources(index));
    }
}
