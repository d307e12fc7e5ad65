//! The patterns of a log scan: credentials, emails, phones and prompt
//! payloads (see [`super::logs`] for what counts and why).

use std::sync::LazyLock;

use regex::Regex;
use serde_json::Value;

/// Fields whose long string values are prompt payloads.
const PROMPT_FIELDS: &[&str] = &[
    "prompt",
    "messages",
    "content",
    "input",
    "user_message",
    "query",
];

/// A prompt payload is longer than this (characters).
const PROMPT_MIN: usize = 200;

/// `Bearer <token>`.
pub(crate) static BEARER: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"(?i)\bbearer\s+([A-Za-z0-9\-._~+/]{8,}=*)").expect("compiles"));
/// `Authorization: Basic <base64>`.
pub(crate) static BASIC: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r#"(?i)\bauthorization["']?\s*[:=]\s*["']?basic\s+([A-Za-z0-9+/]{4,}={0,2})"#)
        .expect("compiles")
});
/// An email address; group 1 is the domain, group 2 its top-level domain.
pub(crate) static EMAIL: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"[A-Za-z0-9._%+-]+@([A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*\.([A-Za-z]{2,24}))\b")
        .expect("compiles")
});
/// Phone-number shapes (checked further by [`phone_bounded`] and digit count).
pub(crate) static PHONE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(concat!(
        r"\+[1-9]\d{7,14}",
        r"|\+[1-9]\d{0,2}[ .-]\(?\d{1,4}\)?(?:[ .-]\d{2,5}){1,4}",
        r"|\(\d{3}\) ?\d{3}[-. ]\d{4}",
        r"|\d{3}[-.]\d{3}[-.]\d{4}",
    ))
    .expect("compiles")
});
/// A prompt field in text, up to its opening quote.
pub(crate) static TEXT_PROMPT: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r#"(?i)\b(prompt|messages|content|input|user_message|query)["']?\s*[:=]\s*""#)
        .expect("compiles")
});

/// A bearer "token" that is a placeholder (`undefined`, `redacted`, `xxxx`).
pub(crate) fn is_placeholder_token(token: &str) -> bool {
    const WORDS: &[&str] = &[
        "undefined",
        "redacted",
        "filtered",
        "[object",
        "<token>",
        "hidden",
        "masked",
    ];
    let lower = token.to_ascii_lowercase();
    WORDS.iter().any(|w| lower.starts_with(w)) || lower.chars().all(|c| "x*.-_".contains(c))
}

/// A domain reserved for examples and tests (RFC 2606).
pub(crate) fn reserved_domain(domain: &str) -> bool {
    const EXAMPLES: &[&str] = &["example.com", "example.org", "example.net"];
    const TLDS: &[&str] = &[".example", ".test", ".invalid", ".localhost"];
    EXAMPLES
        .iter()
        .any(|e| domain == *e || domain.ends_with(&format!(".{e}")))
        || TLDS.iter().any(|t| domain.ends_with(t))
}

/// A "top-level domain" that is a file extension (`logo@2x.png`).
pub(crate) fn file_extension(tld: &str) -> bool {
    const EXTENSIONS: &[&str] = &[
        "png", "jpg", "jpeg", "gif", "svg", "webp", "ico", "js", "css", "map", "json", "ts",
    ];
    EXTENSIONS.contains(&tld)
}

/// The phone-like match is not glued to an id, a path, a version or a time.
pub(crate) fn phone_bounded(text: &str, start: usize, end: usize) -> bool {
    let glued = |c: char| c.is_alphanumeric() || "-_./#:+".contains(c);
    let before = text[..start].chars().next_back();
    let mut after = text[end..].chars();
    let next = after.next();
    let next_digit = after.next().is_some_and(|c| c.is_ascii_digit());
    !before.is_some_and(glued)
        && !next.is_some_and(|c| {
            c.is_alphanumeric() || "-_/#:".contains(c) || (".,".contains(c) && next_digit)
        })
}

/// A prompt payload in a JSON value: a long string under a prompt field, or
/// a `messages` array with a user role.
pub(crate) fn json_prompt(value: &Value, field: Option<&str>) -> Option<String> {
    match value {
        Value::String(s) => {
            let field = field?;
            let chars = s.chars().count();
            (PROMPT_FIELDS.contains(&field.to_ascii_lowercase().as_str()) && chars > PROMPT_MIN)
                .then(|| format!("{field} ({chars} chars)"))
        }
        Value::Array(items) => {
            if field.is_some_and(|f| f.eq_ignore_ascii_case("messages")) {
                let user = items
                    .iter()
                    .filter(|m| m.get("role").and_then(Value::as_str) == Some("user"));
                let chars: usize = user.map(|m| m.get("content").map_or(0, text_chars)).sum();
                if items
                    .iter()
                    .any(|m| m.get("role").and_then(Value::as_str) == Some("user"))
                {
                    return Some(format!("messages (user, {chars} chars)"));
                }
            }
            items.iter().find_map(|v| json_prompt(v, field))
        }
        Value::Object(map) => map.iter().find_map(|(k, v)| json_prompt(v, Some(k))),
        _ => None,
    }
}

/// Characters of a message's content: a string, or parts with `text`.
fn text_chars(content: &Value) -> usize {
    match content {
        Value::String(s) => s.chars().count(),
        Value::Array(parts) => parts
            .iter()
            .filter_map(|p| p.get("text").and_then(Value::as_str))
            .map(|s| s.chars().count())
            .sum(),
        _ => 0,
    }
}

/// A prompt payload in text: `prompt="…"` with a long quoted value.
pub(crate) fn text_prompt(text: &str) -> Option<String> {
    TEXT_PROMPT.captures_iter(text).find_map(|caps| {
        let whole = caps.get(0).expect("match");
        let mut chars = 0usize;
        let mut escaped = false;
        for c in text[whole.end()..].chars() {
            match (escaped, c) {
                (false, '\\') => escaped = true,
                (false, '"') => {
                    return (chars > PROMPT_MIN).then(|| format!("{} ({chars} chars)", &caps[1]));
                }
                _ => {
                    escaped = false;
                    chars += 1;
                }
            }
        }
        None
    })
}
