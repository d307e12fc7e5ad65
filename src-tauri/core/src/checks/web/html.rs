//! A small, tolerant scanner for the resources an HTML page loads.
//!
//! It is not an HTML parser: it walks start tags, reads their attributes
//! (quoted or not), skips comments and the raw text of `<script>` and
//! `<style>` (so markup inside JavaScript strings is not mistaken for
//! tags), and never fails — broken markup yields fewer references.

/// What kind of resource a reference loads.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum RefKind {
    /// `<script src>`, `<link rel=modulepreload>`.
    Script,
    /// `<link rel=stylesheet>`.
    Style,
    /// `<img src|srcset>`, `<link rel=icon>`, `<source srcset>`.
    Image,
    /// `<video src>`, `<audio src>`, `<source src>`.
    Media,
    /// `<iframe src>`, `<frame src>`.
    Frame,
    /// `<embed src>`, `<object data>`.
    Object,
    /// `<form action>`.
    Form,
    /// `<base href>`: where relative references resolve.
    Base,
}

impl RefKind {
    /// A word for people, e.g. `script`.
    pub fn noun(self) -> &'static str {
        match self {
            RefKind::Script => "script",
            RefKind::Style => "stylesheet",
            RefKind::Image => "image",
            RefKind::Media => "media",
            RefKind::Frame => "frame",
            RefKind::Object => "embedded object",
            RefKind::Form => "form target",
            RefKind::Base => "base URL",
        }
    }
}

/// One resource reference found in a page.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Ref {
    /// What it loads.
    pub kind: RefKind,
    /// The URL as written (entities decoded, whitespace trimmed).
    pub url: String,
}

/// Every resource reference in `html`, in document order.
pub fn scan(html: &str) -> Vec<Ref> {
    let mut refs = Vec::new();
    walk(html, |name, attrs| collect(name, attrs, &mut refs));
    refs
}

/// The `content` of every `<meta http-equiv="Content-Security-Policy">`,
/// in document order (entities decoded). Browsers honour these only in
/// `<head>`; the scanner does not tell head from body, so a policy written
/// in the body counts too.
pub fn meta_csp(html: &str) -> Vec<String> {
    let mut policies = Vec::new();
    walk(html, |name, attrs| {
        let get = |n: &str| attrs.iter().find(|(a, _)| a == n).map(|(_, v)| v);
        if name == "meta"
            && get("http-equiv")
                .is_some_and(|v| v.trim().eq_ignore_ascii_case("content-security-policy"))
        {
            if let Some(content) = get("content") {
                policies.push(content.clone());
            }
        }
    });
    policies
}

/// Calls `visit` with each start tag's lower-case name and attributes.
fn walk(html: &str, mut visit: impl FnMut(&str, &[(String, String)])) {
    let lower = html.to_ascii_lowercase();
    let mut at = 0;
    while let Some(offset) = lower[at..].find('<') {
        let start = at + offset;
        let rest = &lower[start..];
        if rest.starts_with("<!--") {
            at = lower[start..]
                .find("-->")
                .map_or(lower.len(), |e| start + e + 3);
            continue;
        }
        let name_len = rest[1..]
            .find(|c: char| !(c.is_ascii_alphanumeric() || c == '-'))
            .unwrap_or(rest.len() - 1);
        if name_len == 0 || !rest.as_bytes()[1].is_ascii_alphabetic() {
            at = start + 1;
            continue;
        }
        let name = &rest[1..1 + name_len];
        let (attrs, end) = attributes(html, start + 1 + name_len);
        visit(name, &attrs);
        at = end;
        if name == "script" || name == "style" {
            let close = format!("</{name}");
            at = lower[at..].find(&close).map_or(lower.len(), |e| at + e);
        }
    }
}

/// Reads attributes from `from` to the closing `>`; names lower-cased.
fn attributes(html: &str, from: usize) -> (Vec<(String, String)>, usize) {
    let bytes = html.as_bytes();
    let mut attrs = Vec::new();
    let mut i = from;
    loop {
        while i < bytes.len() && (bytes[i].is_ascii_whitespace() || bytes[i] == b'/') {
            i += 1;
        }
        if i >= bytes.len() {
            return (attrs, i);
        }
        if bytes[i] == b'>' {
            return (attrs, i + 1);
        }
        let name_start = i;
        while i < bytes.len()
            && !matches!(bytes[i], b'=' | b'>' | b'/')
            && !bytes[i].is_ascii_whitespace()
        {
            i += 1;
        }
        let name = html[name_start..i].to_ascii_lowercase();
        while i < bytes.len() && bytes[i].is_ascii_whitespace() {
            i += 1;
        }
        let mut value = String::new();
        if i < bytes.len() && bytes[i] == b'=' {
            i += 1;
            while i < bytes.len() && bytes[i].is_ascii_whitespace() {
                i += 1;
            }
            if i < bytes.len() && (bytes[i] == b'"' || bytes[i] == b'\'') {
                let quote = bytes[i];
                let value_start = i + 1;
                let end = html[value_start..]
                    .find(quote as char)
                    .map_or(html.len(), |e| value_start + e);
                value = html[value_start..end].to_string();
                i = (end + 1).min(html.len());
            } else {
                let value_start = i;
                while i < bytes.len() && bytes[i] != b'>' && !bytes[i].is_ascii_whitespace() {
                    i += 1;
                }
                value = html[value_start..i].to_string();
            }
        }
        if !name.is_empty() {
            attrs.push((name, decode_entities(value.trim())));
        }
    }
}

fn collect(tag: &str, attrs: &[(String, String)], refs: &mut Vec<Ref>) {
    let get = |name: &str| {
        attrs
            .iter()
            .find(|(n, _)| n == name)
            .map(|(_, v)| v.as_str())
    };
    let mut push = |kind: RefKind, url: Option<&str>| {
        if let Some(url) = url.filter(|u| !u.is_empty()) {
            refs.push(Ref {
                kind,
                url: url.to_string(),
            });
        }
    };
    match tag {
        "script" => push(RefKind::Script, get("src")),
        "img" => {
            push(RefKind::Image, get("src"));
            for candidate in srcset(get("srcset")) {
                push(RefKind::Image, Some(candidate));
            }
        }
        "source" => {
            push(RefKind::Media, get("src"));
            for candidate in srcset(get("srcset")) {
                push(RefKind::Image, Some(candidate));
            }
        }
        "video" | "audio" => push(RefKind::Media, get("src")),
        "iframe" | "frame" => push(RefKind::Frame, get("src")),
        "embed" => push(RefKind::Object, get("src")),
        "object" => push(RefKind::Object, get("data")),
        "form" => push(RefKind::Form, get("action")),
        "base" => push(RefKind::Base, get("href")),
        "link" => {
            let rel = get("rel").unwrap_or_default().to_ascii_lowercase();
            let rels: Vec<&str> = rel.split_ascii_whitespace().collect();
            let kind = if rels.contains(&"stylesheet") {
                Some(RefKind::Style)
            } else if rels.contains(&"modulepreload") {
                Some(RefKind::Script)
            } else if rels.iter().any(|r| r.contains("icon")) {
                Some(RefKind::Image)
            } else if rels.contains(&"preload") {
                match get("as").unwrap_or_default() {
                    "script" => Some(RefKind::Script),
                    "style" => Some(RefKind::Style),
                    "image" => Some(RefKind::Image),
                    _ => None,
                }
            } else {
                None
            };
            if let Some(kind) = kind {
                push(kind, get("href"));
            }
        }
        _ => {}
    }
}

/// The URLs of a `srcset` (`a.png 1x, b.png 2x`).
fn srcset(value: Option<&str>) -> Vec<&str> {
    value
        .unwrap_or_default()
        .split(',')
        .filter_map(|c| c.split_ascii_whitespace().next())
        .collect()
}

/// The few entities that appear in URLs.
fn decode_entities(value: &str) -> String {
    if !value.contains('&') {
        return value.to_string();
    }
    value
        .replace("&#x2F;", "/")
        .replace("&#x2f;", "/")
        .replace("&#47;", "/")
        .replace("&#58;", ":")
        .replace("&colon;", ":")
        .replace("&quot;", "\"")
        .replace("&#39;", "'")
        .replace("&amp;", "&")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn meta_csp_is_read_with_entities_decoded() {
        let html = r#"<head><meta charset=utf-8><META HTTP-EQUIV="content-security-policy" content="script-src 'self' &amp; more">
            <meta http-equiv=refresh content=5><script>"<meta http-equiv='Content-Security-Policy' content='x'>"</script>
            <meta content='default-src &#39;none&#39;' http-equiv=Content-Security-Policy></head>"#;
        assert_eq!(
            meta_csp(html),
            ["script-src 'self' & more", "default-src 'none'"]
        );
    }

    fn kinds(html: &str) -> Vec<(RefKind, String)> {
        scan(html).into_iter().map(|r| (r.kind, r.url)).collect()
    }

    #[test]
    fn finds_the_resources_a_page_loads() {
        let html = r#"<!doctype html><html><head>
            <link rel="stylesheet" href="/app.css"><link rel=icon href=/fav.ico>
            <link rel="canonical" href="http://example.test/">
            <script src='http://cdn.test/a.js'></script>
            </head><body><IMG SRC="/logo.png" srcset="/a.png 1x, /b.png 2x">
            <iframe src="http://ads.test/frame"></iframe>
            <form method=post action="http://example.test/login"></form>
            <a href="http://elsewhere.test/">a link is not a load</a></body>"#;
        assert_eq!(
            kinds(html),
            vec![
                (RefKind::Style, "/app.css".into()),
                (RefKind::Image, "/fav.ico".into()),
                (RefKind::Script, "http://cdn.test/a.js".into()),
                (RefKind::Image, "/logo.png".into()),
                (RefKind::Image, "/a.png".into()),
                (RefKind::Image, "/b.png".into()),
                (RefKind::Frame, "http://ads.test/frame".into()),
                (RefKind::Form, "http://example.test/login".into()),
            ]
        );
    }

    #[test]
    fn markup_inside_scripts_and_comments_is_ignored() {
        let html = r#"<script>var s = '<img src="http://x.test/no.png">';</script>
            <!-- <script src="http://x.test/old.js"></script> -->
            <style>.a{background:url(x)} </style><img src="/yes.png">"#;
        assert_eq!(kinds(html), vec![(RefKind::Image, "/yes.png".into())]);
    }

    #[test]
    fn broken_markup_never_panics() {
        for html in [
            "<",
            "<img src=\"/a.png",
            "<script src=",
            "< img>",
            "<<<>>>",
            "<img src=é>",
            "<!--",
            "<script>",
            "<link rel=preload as=script href=/m.js",
        ] {
            let _ = scan(html);
        }
        assert_eq!(
            kinds("<img src=\"/a.png"),
            vec![(RefKind::Image, "/a.png".into())]
        );
    }

    #[test]
    fn entities_and_preloads_are_understood() {
        let html = r#"<link rel="modulepreload" href="/m.js"><link rel=preload as=image href="/h.webp">
            <base href="https://static.test/"><script src="http&#58;//x.test/a.js?a=1&amp;b=2"></script>"#;
        assert_eq!(
            kinds(html),
            vec![
                (RefKind::Script, "/m.js".into()),
                (RefKind::Image, "/h.webp".into()),
                (RefKind::Base, "https://static.test/".into()),
                (RefKind::Script, "http://x.test/a.js?a=1&b=2".into()),
            ]
        );
    }
}
