//! Evidence lines that never carry a secret.
//!
//! A finding's evidence is shown in the window, stored in the database and
//! printed in the handover PDF, so it must be safe to paste anywhere: cookie
//! values, credentials and token-looking query values are replaced by `…`,
//! and every line is cut to a readable length (a hostile server can send a
//! 100 KB header).

use url::form_urlencoded;
use url::Url;

use crate::sensitive::{is_credential_header, is_secret_param};

/// What replaces a secret.
pub const MASK: &str = "…";

/// The longest evidence line kept, in characters.
pub const MAX_LINE: usize = 200;

/// One header as an evidence line, `name: value`, with secrets masked.
pub fn redact(name: &str, value: &str) -> String {
    let lower = name.to_ascii_lowercase();
    let value = match lower.as_str() {
        "set-cookie" => mask_set_cookie(value),
        "cookie" => mask_cookie_pairs(value),
        _ if is_credential_header(&lower) => mask_credential(value),
        "location" | "content-location" | "referer" => mask_url_text(value),
        _ => value.to_string(),
    };
    cut(&format!("{lower}: {value}"))
}

/// A URL for evidence: user info and secret-looking query values masked,
/// the fragment dropped.
pub fn redact_url(url: &Url) -> String {
    let mut out = format!("{}://", url.scheme());
    if !url.username().is_empty() || url.password().is_some() {
        out.push_str(MASK);
        out.push('@');
    }
    out.push_str(url.host_str().unwrap_or_default());
    if let Some(port) = url.port() {
        out.push_str(&format!(":{port}"));
    }
    out.push_str(url.path());
    if let Some(query) = url.query() {
        out.push('?');
        out.push_str(&mask_query(query));
    }
    cut(&out)
}

/// `code=xyz&page=2` → `code=…&page=2`. Each name is decoded as a form
/// field before it is matched, so `%63ode=xyz` is masked too; the rest of
/// the query is kept as it was written.
fn mask_query(query: &str) -> String {
    query
        .split('&')
        .map(|pair| {
            let raw_name = pair.split('=').next().unwrap_or_default();
            let secret = form_urlencoded::parse(pair.as_bytes())
                .next()
                .is_some_and(|(name, _)| is_secret_param(&name));
            if secret {
                format!("{raw_name}={MASK}")
            } else {
                pair.to_string()
            }
        })
        .collect::<Vec<_>>()
        .join("&")
}

/// A request line for evidence, e.g. `GET https://example.com/`.
pub fn request_line(method: &str, url: &Url) -> String {
    cut(&format!("{method} {}", redact_url(url)))
}

/// Cuts a line to [`MAX_LINE`] characters, marking the cut.
pub fn cut(line: &str) -> String {
    match line.char_indices().nth(MAX_LINE) {
        Some((at, _)) => format!("{}{MASK}", &line[..at]),
        None => line.to_string(),
    }
}

/// `name=value; Secure; Path=/` → `name=…; Secure; Path=/`.
fn mask_set_cookie(value: &str) -> String {
    let mut parts = value.splitn(2, ';');
    let pair = parts.next().unwrap_or_default();
    let name = pair.split('=').next().unwrap_or_default().trim();
    match parts.next() {
        Some(attrs) => format!("{name}={MASK};{attrs}"),
        None => format!("{name}={MASK}"),
    }
}

/// `a=1; b=2` → `a=…; b=…`.
fn mask_cookie_pairs(value: &str) -> String {
    value
        .split(';')
        .map(|pair| {
            let name = pair.split('=').next().unwrap_or_default().trim();
            format!("{name}={MASK}")
        })
        .collect::<Vec<_>>()
        .join("; ")
}

/// `Bearer abc` → `Bearer …`; a bare token → `…`.
fn mask_credential(value: &str) -> String {
    match value.trim().split_once(' ') {
        Some((scheme, _))
            if scheme
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || c == '-') =>
        {
            format!("{scheme} {MASK}")
        }
        _ => MASK.to_string(),
    }
}

/// A header value holding a (possibly relative) URL; a fragment carrying
/// parameters (`#access_token=…`, the OAuth implicit flow) is masked too.
fn mask_url_text(value: &str) -> String {
    if let Ok(url) = Url::parse(value) {
        return redact_url(&url);
    }
    let (rest, fragment) = match value.split_once('#') {
        Some((rest, fragment)) => (rest, Some(fragment)),
        None => (value, None),
    };
    let mut out = match rest.split_once('?') {
        Some((path, query)) => format!("{path}?{}", mask_query(query)),
        None => rest.to_string(),
    };
    if let Some(fragment) = fragment {
        out.push('#');
        if fragment.contains('=') {
            out.push_str(&mask_query(fragment));
        } else {
            out.push_str(fragment);
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn set_cookie_values_are_masked_attributes_kept() {
        assert_eq!(
            redact("Set-Cookie", "session=abc123; Path=/; Secure; HttpOnly"),
            "set-cookie: session=…; Path=/; Secure; HttpOnly"
        );
        assert_eq!(redact("set-cookie", "id=42"), "set-cookie: id=…");
    }

    #[test]
    fn request_cookies_are_masked_pair_by_pair() {
        assert_eq!(redact("Cookie", "a=1; b=two"), "cookie: a=…; b=…");
    }

    #[test]
    fn credentials_keep_only_their_scheme() {
        assert_eq!(
            redact("Authorization", "Bearer eyJhbGciOi.secret"),
            "authorization: Bearer …"
        );
        assert_eq!(redact("x-api-key", "sk_live_123"), "x-api-key: …");
        assert_eq!(
            redact("Proxy-Authorization", "Basic dXNlcjpwYXNz"),
            "proxy-authorization: Basic …"
        );
    }

    #[test]
    fn ordinary_headers_are_kept() {
        assert_eq!(
            redact("Strict-Transport-Security", "max-age=63072000"),
            "strict-transport-security: max-age=63072000"
        );
    }

    #[test]
    fn urls_lose_user_info_and_token_values() {
        let url = Url::parse("https://bob:pw@example.com/cb?code=xyz&page=2").unwrap();
        assert_eq!(redact_url(&url), "https://…@example.com/cb?code=…&page=2");
        assert_eq!(
            redact("Location", "/login?token=abc&next=%2F"),
            "location: /login?token=…&next=%2F"
        );
        assert_eq!(redact("Location", "/plain"), "location: /plain");
    }

    #[test]
    fn percent_encoded_names_cloud_signatures_and_fragments_are_masked() {
        assert_eq!(
            redact("Location", "/cb?%63ode=xyz&page=2"),
            "location: /cb?%63ode=…&page=2"
        );
        let signed =
            Url::parse("https://bucket.example/f?X-Amz-Credential=AKIA1&X-Amz-Signature=abc&v=1")
                .unwrap();
        assert_eq!(
            redact_url(&signed),
            "https://bucket.example/f?X-Amz-Credential=…&X-Amz-Signature=…&v=1"
        );
        assert_eq!(
            redact("Location", "/app#access_token=eyJ&state=s1"),
            "location: /app#access_token=…&state=s1"
        );
        assert_eq!(
            redact("Location", "/cb?client_secret=s&refresh_token=r"),
            "location: /cb?client_secret=…&refresh_token=…"
        );
        assert_eq!(redact("X-Service-Token", "abc"), "x-service-token: …");
    }

    #[test]
    fn long_lines_are_cut() {
        let line = redact("x-junk", &"a".repeat(10_000));
        assert_eq!(line.chars().count(), MAX_LINE + 1);
        assert!(line.ends_with(MASK));
    }
}
