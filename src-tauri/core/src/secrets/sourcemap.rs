//! Source maps: each `sourcesContent[i]` is an original file, scanned as
//! its own text and attributed to `sources[i]`, so a finding names the
//! file the developer wrote (line and column inside it), not the bundle.
//!
//! Independent of files: the folder walk and the deployed-site scan both
//! hand it the map's JSON text.

use serde::Deserialize;

use super::{FingerprintKey, Hit, Scanner};

/// The parts of a source map (revision 3) that hold original files; an
/// index map's `sections` each hold a map of their own.
#[derive(Deserialize)]
struct SourceMap {
    #[serde(default)]
    sources: Option<Vec<Option<String>>>,
    #[serde(default, rename = "sourcesContent")]
    sources_content: Option<Vec<Option<String>>>,
    #[serde(default)]
    sections: Option<Vec<Section>>,
}

/// One section of an index map.
#[derive(Deserialize)]
struct Section {
    #[serde(default)]
    map: Option<SourceMap>,
}

/// Scans the original files a source map carries: each hit paired with
/// `sources[i]` of the file it is in (`None` when the map names none).
/// `None` when `json` is not a source map (not JSON, or no `sources` /
/// `sections`); a map without `sourcesContent` gives `Some` of no hits.
pub fn scan_source_map(
    json: &str,
    scanner: &Scanner,
    key: &FingerprintKey,
) -> Option<Vec<(Option<String>, Hit)>> {
    if !json.trim_start().starts_with('{') {
        return None;
    }
    let map: SourceMap = serde_json::from_str(json).ok()?;
    if map.sources.is_none() && map.sections.is_none() {
        return None;
    }
    let mut hits = Vec::new();
    collect(&map, scanner, key, &mut hits);
    Some(hits)
}

/// The map's original files, and its sections' (index maps).
fn collect(
    map: &SourceMap,
    scanner: &Scanner,
    key: &FingerprintKey,
    hits: &mut Vec<(Option<String>, Hit)>,
) {
    let sources = map.sources.as_deref().unwrap_or_default();
    for (i, content) in map.sources_content.iter().flatten().enumerate() {
        let Some(content) = content else { continue };
        let original = sources.get(i).cloned().flatten();
        hits.extend(
            scanner
                .scan(content, key)
                .into_iter()
                .map(|hit| (original.clone(), hit)),
        );
    }
    for section in map.sections.iter().flatten() {
        if let Some(map) = &section.map {
            collect(map, scanner, key, hits);
        }
    }
}

/// The original files a source map names (`sources`, the sections'
/// included), for reporting a public source map even when it holds no
/// secret. `None` when `json` is not a source map.
pub fn source_map_sources(json: &str) -> Option<Vec<String>> {
    fn names(map: &SourceMap, out: &mut Vec<String>) {
        out.extend(map.sources.iter().flatten().flatten().cloned());
        for section in map.sections.iter().flatten() {
            if let Some(map) = &section.map {
                names(map, out);
            }
        }
    }
    if !json.trim_start().starts_with('{') {
        return None;
    }
    let map: SourceMap = serde_json::from_str(json).ok()?;
    if map.sources.is_none() && map.sections.is_none() {
        return None;
    }
    let mut out = Vec::new();
    names(&map, &mut out);
    Some(out)
}

/// Whether the source map `json` carries any non-empty original source
/// (a public map that does publishes the source code).
pub fn carries_sources(json: &str) -> bool {
    fn any(map: &SourceMap) -> bool {
        map.sources_content
            .iter()
            .flatten()
            .flatten()
            .any(|s| !s.trim().is_empty())
            || map
                .sections
                .iter()
                .flatten()
                .filter_map(|s| s.map.as_ref())
                .any(any)
    }
    serde_json::from_str::<SourceMap>(json).is_ok_and(|m| any(&m))
}

#[cfg(test)]
mod tests {
    use handover_testbed::secrets::{planted_line, Style};

    use super::*;

    fn key() -> FingerprintKey {
        FingerprintKey::new([7; 32])
    }

    #[test]
    fn not_a_source_map_is_none() {
        let scanner = Scanner::builtin();
        assert!(scan_source_map("", scanner, &key()).is_none());
        assert!(scan_source_map("not json", scanner, &key()).is_none());
        assert!(scan_source_map("{\"name\": \"pkg\"}", scanner, &key()).is_none());
        assert!(scan_source_map("[1, 2]", scanner, &key()).is_none());
    }

    #[test]
    fn map_without_contents_has_no_hits() {
        let json = r#"{"version":3,"sources":["src/a.ts"],"mappings":"AAAA"}"#;
        let hits = scan_source_map(json, Scanner::builtin(), &key()).expect("a source map");
        assert!(hits.is_empty());
        assert_eq!(
            source_map_sources(json).unwrap(),
            vec!["src/a.ts".to_owned()]
        );
    }

    #[test]
    fn secret_is_attributed_to_its_original_file() {
        let secret = planted_line("github-token", 3, Style::Js);
        let original = format!("export const a = 1;\n\n{secret}\n");
        let json = serde_json::json!({
            "version": 3,
            "sources": ["webpack://app/src/clean.ts", "webpack://app/src/config.ts"],
            "sourcesContent": ["export const clean = true;\n", original],
            "mappings": "AAAA",
        })
        .to_string();
        let hits = scan_source_map(&json, Scanner::builtin(), &key()).expect("a source map");
        assert_eq!(hits.len(), 1, "one planted secret");
        let (name, hit) = &hits[0];
        assert_eq!(name.as_deref(), Some("webpack://app/src/config.ts"));
        assert_eq!(hit.line, 3);
    }

    #[test]
    fn index_map_sections_are_scanned() {
        let secret = planted_line("github-token", 4, Style::MinifiedJs);
        let json = serde_json::json!({
            "version": 3,
            "sections": [{"offset": {"line": 0, "column": 0}, "map": {
                "version": 3, "sources": ["lib.js"], "sourcesContent": [secret], "mappings": ""
            }}],
        })
        .to_string();
        let hits = scan_source_map(&json, Scanner::builtin(), &key()).expect("an index map");
        assert_eq!(hits.len(), 1);
        assert_eq!(hits[0].0.as_deref(), Some("lib.js"));
        assert_eq!(hits[0].1.line, 1);
    }
}
