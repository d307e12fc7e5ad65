//! The URLs a piece of CSS loads: `url(…)` and `@import`.
//!
//! A tolerant reader for `<style>` blocks and `style=""` attributes, not a
//! CSS parser: comments and strings are skipped as CSS Syntax Level 3
//! tokenizes them, escapes (`\3a `, `\:`) are decoded, and broken CSS yields
//! fewer URLs, never an error. Entities in a `style` attribute were already
//! decoded by the HTML tokenizer.

/// What a CSS reference loads.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CssLoad {
    /// `@import "…"` / `@import url(…)`: a stylesheet.
    Import,
    /// `url(…)` anywhere else: an image, font or cursor.
    Url,
}

/// Every URL `css` loads, in order, as written (escapes decoded, trimmed,
/// empty ones dropped).
pub fn urls(css: &str) -> Vec<(CssLoad, String)> {
    let chars: Vec<char> = css.chars().collect();
    let mut out = Vec::new();
    let mut i = 0;
    // Whether the last at-keyword was `@import` and its URL is still to come.
    let mut importing = false;
    while i < chars.len() {
        let c = chars[i];
        match c {
            '/' if chars.get(i + 1) == Some(&'*') => {
                i = find_from(&chars, i + 2, "*/").map_or(chars.len(), |e| e + 2);
            }
            '"' | '\'' => {
                let (value, end) = string(&chars, i + 1, c);
                if importing {
                    push(&mut out, CssLoad::Import, value);
                    importing = false;
                }
                i = end;
            }
            '@' => {
                let (word, end) = ident(&chars, i + 1);
                importing = word.eq_ignore_ascii_case("import");
                i = end;
            }
            ';' | '{' | '}' => {
                importing = false;
                i += 1;
            }
            '\\' => i += 2,
            c if is_ident_start(c) => {
                let (word, end) = ident(&chars, i);
                if word.eq_ignore_ascii_case("url") && chars.get(end) == Some(&'(') {
                    let (value, after) = url_body(&chars, end + 1);
                    let kind = if importing {
                        CssLoad::Import
                    } else {
                        CssLoad::Url
                    };
                    push(&mut out, kind, value);
                    importing = false;
                    i = after;
                } else {
                    i = end.max(i + 1);
                }
            }
            _ => i += 1,
        }
    }
    out
}

fn push(out: &mut Vec<(CssLoad, String)>, kind: CssLoad, value: String) {
    let value = value.trim();
    if !value.is_empty() {
        out.push((kind, value.to_string()));
    }
}

fn is_ident_start(c: char) -> bool {
    c.is_alphabetic() || c == '_' || c == '-'
}

fn find_from(chars: &[char], from: usize, needle: &str) -> Option<usize> {
    let needle: Vec<char> = needle.chars().collect();
    (from..chars.len()).find(|&i| chars[i..].starts_with(&needle))
}

/// An identifier from `from` (escapes decoded) and where it ends.
fn ident(chars: &[char], from: usize) -> (String, usize) {
    let mut word = String::new();
    let mut i = from;
    while i < chars.len() {
        let c = chars[i];
        if c.is_alphanumeric() || c == '_' || c == '-' {
            word.push(c);
            i += 1;
        } else if c == '\\' && i + 1 < chars.len() && chars[i + 1] != '\n' {
            let (decoded, end) = escape(chars, i + 1);
            word.push(decoded);
            i = end;
        } else {
            break;
        }
    }
    (word, i)
}

/// A string's content after its opening `quote`, and the index after it.
/// An unescaped newline ends a (bad) string, as in CSS.
fn string(chars: &[char], from: usize, quote: char) -> (String, usize) {
    let mut value = String::new();
    let mut i = from;
    while i < chars.len() {
        match chars[i] {
            c if c == quote => return (value, i + 1),
            '\n' => return (String::new(), i),
            '\\' if chars.get(i + 1) == Some(&'\n') => i += 2,
            '\\' if i + 1 < chars.len() => {
                let (decoded, end) = escape(chars, i + 1);
                value.push(decoded);
                i = end;
            }
            c => {
                value.push(c);
                i += 1;
            }
        }
    }
    (value, i)
}

/// What follows `url(`: a quoted string or a bare URL up to `)`.
fn url_body(chars: &[char], from: usize) -> (String, usize) {
    let mut i = from;
    while chars.get(i).is_some_and(|c| c.is_whitespace()) {
        i += 1;
    }
    if let Some(&quote) = chars.get(i).filter(|c| **c == '"' || **c == '\'') {
        let (value, end) = string(chars, i + 1, quote);
        let close = (end..chars.len())
            .find(|&j| chars[j] == ')')
            .map_or(chars.len(), |j| j + 1);
        return (value, close);
    }
    let mut value = String::new();
    while i < chars.len() && chars[i] != ')' {
        if chars[i] == '\\' && i + 1 < chars.len() {
            let (decoded, end) = escape(chars, i + 1);
            value.push(decoded);
            i = end;
        } else {
            value.push(chars[i]);
            i += 1;
        }
    }
    (value, (i + 1).min(chars.len()))
}

/// The character of an escape whose backslash is just before `from`: up
/// to six hex digits and one optional whitespace, or the character itself.
fn escape(chars: &[char], from: usize) -> (char, usize) {
    let hex: String = chars[from..]
        .iter()
        .take(6)
        .take_while(|c| c.is_ascii_hexdigit())
        .collect();
    if hex.is_empty() {
        return (chars[from], from + 1);
    }
    let mut end = from + hex.len();
    if chars.get(end).is_some_and(|c| c.is_whitespace()) {
        end += 1;
    }
    let decoded = u32::from_str_radix(&hex, 16)
        .ok()
        .and_then(char::from_u32)
        .filter(|c| *c != '\0')
        .unwrap_or('\u{fffd}');
    (decoded, end)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn imports_and_urls_in_every_spelling() {
        let css = r#"@import "http://a.test/a.css"; @IMPORT url('http://a.test/b.css') screen;
            @import url(c.css);
            .hero { background: URL( "http://img.test/h.png" ) no-repeat, url(/x.png) }
            @font-face { src: url(http\3a //f.test/f.woff2) format("woff2") }
            .a::after { content: "url(http://not.test/a-string)" }
            /* .old { background: url(http://old.test/x.png) } */
            .b { background-image: myurl(http://no.test/x) ; cursor: url(data:image/png;base64,AA) }"#;
        assert_eq!(
            urls(css),
            vec![
                (CssLoad::Import, "http://a.test/a.css".into()),
                (CssLoad::Import, "http://a.test/b.css".into()),
                (CssLoad::Import, "c.css".into()),
                (CssLoad::Url, "http://img.test/h.png".into()),
                (CssLoad::Url, "/x.png".into()),
                (CssLoad::Url, "http://f.test/f.woff2".into()),
                (CssLoad::Url, "data:image/png;base64,AA".into()),
            ]
        );
    }

    #[test]
    fn broken_css_never_panics() {
        for css in [
            "url(",
            "url(\"",
            "@import",
            "@import '",
            "/*",
            "\\",
            "a{b:url(\\",
            "\"\\",
            "@\\",
            "é url(é)",
        ] {
            let _ = urls(css);
        }
        assert_eq!(urls("url(x"), vec![(CssLoad::Url, "x".into())]);
    }
}
