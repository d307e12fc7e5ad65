//! The resources an HTML page loads, read with a WHATWG tokenizer
//! ([html5gum]).
//!
//! Start tags and their attributes come out as browsers tokenize them:
//! names lower-cased, the first of duplicated attributes kept, character
//! references decoded (`http&#x3a;//` is `http://`), comments skipped, and
//! the raw text of `<script>`, `<style>`, `<textarea>`… not mistaken for
//! markup. A tag cut off by the end of the input (a page read only up to a
//! cap) is dropped, as browsers drop it. There is no tree building: a
//! policy in `<body>` counts like one in `<head>`. The CSS of `<style>`
//! blocks and `style=""` attributes is read by [`super::css`].
//!
//! Tokenizing is CPU work proportional to the page: async callers go
//! through [`on_page`], which runs it on the blocking pool.

use std::collections::BTreeMap;

use html5gum::{DefaultEmitter, HtmlString, Spanned, Token, Tokenizer};

use super::css::{self, CssLoad};
use crate::checks::http::Response;

/// What kind of resource a reference loads.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum RefKind {
    /// `<script src>`, `<link rel=modulepreload>`.
    Script,
    /// `<link rel=stylesheet>`, `@import` in inline CSS.
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
    /// `url(…)` in inline CSS: a background image, font or cursor.
    CssUrl,
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
            RefKind::CssUrl => "CSS resource",
        }
    }

    /// The noun with its indefinite article: `a script`, `an image`.
    pub fn with_article(self) -> String {
        let noun = self.noun();
        let article = if noun.starts_with(['a', 'e', 'i', 'o', 'u']) {
            "an"
        } else {
            "a"
        };
        format!("{article} {noun}")
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

/// What a page loads and the policies it declares, from one pass.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Page {
    /// The resource references of its tags, in document order.
    pub refs: Vec<Ref>,
    /// The URLs its inline CSS (`<style>`, `style=""`) loads, in order:
    /// [`RefKind::Style`] for `@import`, [`RefKind::CssUrl`] for `url()`.
    pub css: Vec<Ref>,
    /// The `content` of each `<meta http-equiv="Content-Security-Policy">`.
    pub meta_csp: Vec<String>,
}

/// Reads `html` in one pass (see the module docs).
pub fn read(html: &str) -> Page {
    let mut emitter = DefaultEmitter::default();
    // Switch to raw text after <script>, <style>… as the tree builder would.
    emitter.naively_switch_states(true);
    let mut page = Page::default();
    let mut style: Option<String> = None;
    for Ok(token) in Tokenizer::new_with_emitter(html, emitter) {
        match token {
            Token::StartTag(tag) => {
                let name = std::str::from_utf8(&tag.name).unwrap_or_default();
                let attrs = Attrs(&tag.attributes);
                collect(name, &attrs, &mut page.refs);
                if let Some(inline) = attrs.get("style") {
                    push_css(&inline, &mut page.css);
                }
                if name == "meta"
                    && attrs
                        .get("http-equiv")
                        .is_some_and(|v| v.eq_ignore_ascii_case("content-security-policy"))
                {
                    if let Some(content) = attrs.get("content") {
                        page.meta_csp.push(content);
                    }
                }
                if name == "style" {
                    style = Some(String::new());
                }
            }
            Token::String(s) => {
                if let Some(block) = style.as_mut() {
                    block.push_str(&String::from_utf8_lossy(&s));
                }
            }
            Token::EndTag(_) => {
                if let Some(block) = style.take() {
                    push_css(&block, &mut page.css);
                }
            }
            _ => {}
        }
    }
    if let Some(block) = style {
        push_css(&block, &mut page.css);
    }
    page
}

/// Every resource reference of the tags in `html`, in document order.
pub fn scan(html: &str) -> Vec<Ref> {
    read(html).refs
}

/// The `content` of every `<meta http-equiv="Content-Security-Policy">`,
/// in document order (entities decoded). Browsers honour these only in
/// `<head>`; without tree building a policy written in the body counts too.
pub fn meta_csp(html: &str) -> Vec<String> {
    read(html).meta_csp
}

/// Decodes a response's body (at most `cap` bytes), reads it and hands
/// both to `then`, all on the blocking pool: decompressing, tokenizing and
/// resolving the references of megabytes would otherwise hold an async
/// worker for a second.
pub async fn on_page<T, F>(response: Response, cap: usize, then: F) -> T
where
    T: Send + 'static,
    F: FnOnce(Response, Page) -> T + Send + 'static,
{
    let work = tokio::task::spawn_blocking(move || {
        let html = response.text(cap).unwrap_or_default();
        let page = read(&html);
        drop(html);
        then(response, page)
    });
    match work.await {
        Ok(done) => done,
        Err(err) => std::panic::resume_unwind(err.into_panic()),
    }
}

/// A tag's attributes, values as text (trimmed).
struct Attrs<'a>(&'a BTreeMap<HtmlString, Spanned<HtmlString, ()>>);

impl Attrs<'_> {
    fn get(&self, name: &str) -> Option<String> {
        self.0
            .get(name.as_bytes())
            .map(|v| String::from_utf8_lossy(v).trim().to_string())
    }
}

fn push_css(css: &str, out: &mut Vec<Ref>) {
    out.extend(css::urls(css).into_iter().map(|(load, url)| Ref {
        kind: match load {
            CssLoad::Import => RefKind::Style,
            CssLoad::Url => RefKind::CssUrl,
        },
        url,
    }));
}

fn collect(tag: &str, attrs: &Attrs, refs: &mut Vec<Ref>) {
    let get = |name: &str| attrs.get(name);
    let mut push = |kind: RefKind, url: Option<String>| {
        if let Some(url) = url.filter(|u| !u.is_empty()) {
            refs.push(Ref { kind, url });
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
                match get("as").unwrap_or_default().to_ascii_lowercase().as_str() {
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
fn srcset(value: Option<String>) -> Vec<String> {
    value
        .unwrap_or_default()
        .split(',')
        .filter_map(|c| c.split_ascii_whitespace().next())
        .map(str::to_string)
        .collect()
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
        // A tag cut off by the end of the input is dropped, as browsers drop
        // it (WHATWG "eof-in-tag"); the hand scanner used to report it.
        assert_eq!(kinds("<img src=\"/a.png"), vec![]);
        assert_eq!(
            kinds("<img src=\"/a.png\"><img src=\"/b.png"),
            vec![(RefKind::Image, "/a.png".into())]
        );
    }

    #[test]
    fn every_character_reference_is_decoded() {
        // The hand scanner knew eight entities: `&#x3a;`, `&#X3A;` and
        // `&sol;` slipped past it, so these loads were not seen as http://.
        let html = r#"<script src="http&#x3a;//cdn.example/x.js"></script>
            <img src="HTTP&#X3A;&sol;&sol;img.example/a.png" alt="&amp;copy">
            <iframe src='http&colon;//frame.example/?a=1&copy=2'></iframe>"#;
        assert_eq!(
            kinds(html),
            vec![
                (RefKind::Script, "http://cdn.example/x.js".into()),
                (RefKind::Image, "HTTP://img.example/a.png".into()),
                // `&copy` before `=` in an attribute is not a reference.
                (RefKind::Frame, "http://frame.example/?a=1&copy=2".into()),
            ]
        );
    }

    #[test]
    fn inline_css_is_read_from_style_blocks_and_attributes() {
        let html = r#"<style>@import "http://a.test/base.css";
            .hero{background:url(http://img.test/hero.png)}</style>
            <div style="background-image: url(&quot;http&#x3a;//img.test/d.png&quot;)"></div>
            <script>var css = "<style>@import 'http://no.test/x.css'</style>";</script>
            <p style=" color: red ">no url</p>"#;
        let page = read(html);
        let css: Vec<(RefKind, String)> = page.css.into_iter().map(|r| (r.kind, r.url)).collect();
        assert_eq!(
            css,
            vec![
                (RefKind::Style, "http://a.test/base.css".into()),
                (RefKind::CssUrl, "http://img.test/hero.png".into()),
                (RefKind::CssUrl, "http://img.test/d.png".into()),
            ]
        );
        assert!(page.refs.is_empty());
    }

    #[test]
    fn duplicate_attributes_keep_the_first_as_browsers_do() {
        assert_eq!(
            kinds(r#"<script src="/first.js" SRC="http://x.test/second.js"></script>"#),
            vec![(RefKind::Script, "/first.js".into())]
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
