//! Small field checks used by the project form.

use std::io::Read;
use std::path::Path;

use super::{Problems, MAX_CA_FILE};

/// Longest endpoint path (with query) accepted.
const MAX_PATH: usize = 2_048;

/// Header names that always carry credentials.
const CREDENTIAL_HEADERS: &[&str] = &[
    "authorization",
    "proxy-authorization",
    "cookie",
    "x-api-key",
    "api-key",
    "apikey",
    "x-auth-token",
    "x-csrf-token",
];

/// Words that mark a header name as a credential carrier.
const CREDENTIAL_WORDS: &[&str] = &["token", "secret", "password", "passwd", "api-key", "apikey"];

/// Whether a request header name is one that carries credentials.
pub fn is_credential_header(name: &str) -> bool {
    let lower = name.trim().to_ascii_lowercase();
    CREDENTIAL_HEADERS.contains(&lower.as_str())
        || CREDENTIAL_WORDS.iter().any(|word| lower.contains(word))
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

/// Checks that a CA file can be read and holds at least one PEM certificate.
pub(crate) fn check_ca_file(path: &Path) -> Result<(), String> {
    let file =
        std::fs::File::open(path).map_err(|e| format!("Cannot read {}: {e}.", path.display()))?;
    let meta = file
        .metadata()
        .map_err(|e| format!("Cannot read {}: {e}.", path.display()))?;
    if !meta.is_file() {
        return Err(format!("{} is not a file.", path.display()));
    }
    if meta.len() > MAX_CA_FILE {
        return Err(format!(
            "{} is larger than 1 MiB; that is not a CA certificate.",
            path.display()
        ));
    }
    let mut text = String::new();
    file.take(MAX_CA_FILE)
        .read_to_string(&mut text)
        .map_err(|_| format!("{} is not a text (PEM) file.", path.display()))?;
    if text.contains("-----BEGIN CERTIFICATE-----") {
        Ok(())
    } else {
        Err(format!(
            "{} holds no PEM certificate (-----BEGIN CERTIFICATE-----).",
            path.display()
        ))
    }
}
