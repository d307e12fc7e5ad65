//! Small field checks used by the project form.

use std::path::Path;

use super::Problems;

/// Longest endpoint path (with query) accepted.
const MAX_PATH: usize = 2_048;

/// Whether a request header name is one that carries credentials (the
/// list is shared with evidence redaction: [`crate::sensitive`]).
pub fn is_credential_header(name: &str) -> bool {
    crate::sensitive::is_credential_header(name)
}

/// A byte allowed in an HTTP token (header names), per RFC 9110.
pub(crate) fn is_token_byte(b: u8) -> bool {
    b.is_ascii_alphanumeric() || b"!#$%&'*+-.^_`|~".contains(&b)
}

/// Checks an endpoint path: starts with `/`, no scheme or host, no spaces.
pub(crate) fn endpoint_path(p: &mut Problems, field: &str, typed: &str) -> String {
    let path = typed.trim();
    if path.is_empty() {
        p.add(field, "Enter a path such as /login.");
    } else if path.contains("://") {
        p.add(
            field,
            "Enter only the path, e.g. /api/chat; the host comes from the environment's base URL.",
        );
    } else if !path.starts_with('/') || path.starts_with("//") {
        p.add(field, "Paths start with a single /, e.g. /health.");
    } else if path.chars().any(|c| c.is_whitespace() || c.is_control()) {
        p.add(field, "Paths cannot contain spaces; encode them as %20.");
    } else if path.len() > MAX_PATH {
        p.add(field, "Keep the path under 2048 characters.");
    } else if url::Url::parse("http://host.invalid")
        .and_then(|base| base.join(path))
        .is_err()
    {
        p.add(field, format!("{path:?} is not a valid URL path."));
    }
    path.to_string()
}

/// Checks where an endpoint lives: a path (`/health`) relative to each
/// environment's base URL, or a full `http(s)` URL whose host is one of the
/// project's `hosts` (the API on `api.<apex>`). `hosts` empty skips the host
/// test (the apex itself was refused and says so).
pub(crate) fn endpoint_address(
    p: &mut Problems,
    field: &str,
    typed: &str,
    hosts: &[String],
) -> String {
    let trimmed = typed.trim();
    let lower = trimmed.to_ascii_lowercase();
    if !lower.starts_with("http://") && !lower.starts_with("https://") {
        if trimmed.contains("://") {
            p.add(
                field,
                "Enter a path such as /api/chat, or a full http:// or https:// URL on one of the project's hosts.",
            );
            return trimmed.to_string();
        }
        return endpoint_path(p, field, typed);
    }
    if trimmed.chars().any(|c| c.is_whitespace() || c.is_control()) {
        p.add(field, "URLs cannot contain spaces; encode them as %20.");
        return trimmed.to_string();
    }
    if trimmed.len() > MAX_PATH {
        p.add(field, "Keep the URL under 2048 characters.");
        return trimmed.to_string();
    }
    let url = match url::Url::parse(trimmed) {
        Ok(url) => url,
        Err(err) => {
            p.add(field, format!("{trimmed:?} is not a valid URL ({err})."));
            return trimmed.to_string();
        }
    };
    if !url.username().is_empty() || url.password().is_some() {
        p.add(
            field,
            "Remove the user name and password from the URL; credentials belong in Accounts (the OS keychain).",
        );
        return trimmed.to_string();
    }
    let host = url.host_str().unwrap_or_default().to_string();
    if !hosts.is_empty() && !hosts.iter().any(|h| h.eq_ignore_ascii_case(&host)) {
        p.add(
            field,
            format!(
                "The host {host} is not one of this project's hosts ({}); use the apex, a listed subdomain or an environment's host.",
                hosts.join(", ")
            ),
        );
    }
    url.to_string()
}

/// A path on the apex (`/old`) or a full `http(s)` URL.
pub(crate) fn address(p: &mut Problems, field: &str, typed: &str) -> String {
    let typed = typed.trim();
    if typed.starts_with('/') {
        return endpoint_path(p, field, typed);
    }
    match url::Url::parse(typed) {
        Ok(url) if matches!(url.scheme(), "http" | "https") && url.host_str().is_some() => {
            url.to_string()
        }
        _ => {
            p.add(
                field,
                "Enter a path such as /old-page or a full https:// address.",
            );
            typed.to_string()
        }
    }
}

/// Canonical form of a web origin, `scheme://host[:port]`, or why it is not one.
pub fn origin(typed: &str) -> Result<String, String> {
    let typed = typed.trim();
    if typed.is_empty() {
        return Err("Enter an origin such as https://app.example.com.".into());
    }
    if typed == "*" || typed.contains('*') {
        return Err("List each origin; a wildcard cannot be checked.".into());
    }
    if typed == "null" {
        return Err("The null origin must never be allowed.".into());
    }
    let url = url::Url::parse(typed).map_err(|e| {
        format!("{typed:?} is not an origin ({e}); use the form https://app.example.com.")
    })?;
    if !matches!(url.scheme(), "http" | "https") {
        return Err(format!("{typed:?} must start with http:// or https://."));
    }
    if url.host_str().is_none() {
        return Err(format!("{typed:?} has no host."));
    }
    if !url.username().is_empty() || url.password().is_some() {
        return Err(format!("{typed:?} contains credentials."));
    }
    if url.path() != "/" || url.query().is_some() || url.fragment().is_some() {
        return Err(format!(
            "{typed:?} has a path; an origin is only scheme, host and port."
        ));
    }
    Ok(url.origin().ascii_serialization())
}

/// Checks that a CA file can be read and parses as PEM certificates.
pub(crate) fn check_ca_file(path: &Path) -> Result<(), String> {
    crate::input::ca_bundle(path)
        .map(|_| ())
        .map_err(|e| super::sentence(&e.to_string()))
}
