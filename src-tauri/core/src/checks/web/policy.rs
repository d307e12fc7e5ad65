//! Reading security headers: HSTS ([`super::hsts`]), CSP and framing
//! ([`super::csp`]), MIME sniffing, referrer policy and version disclosure.
//! Pure functions from header values to a [`Verdict`], so every threshold is
//! tested without a server.

use handover_model::Severity;

pub use super::csp::{csp, framing, framing_protected, policies, Csp};
pub use super::hsts::{hsts, Hsts, HstsError, HSTS_MIN_SECONDS};

/// What a header check concluded.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Verdict {
    /// How bad.
    pub severity: Severity,
    /// One line for people.
    pub title: String,
    /// What it means and what to do.
    pub detail: String,
}

/// A [`Verdict`] from borrowed text.
pub(super) fn verdict(severity: Severity, title: &str, detail: &str) -> Verdict {
    Verdict {
        severity,
        title: title.to_string(),
        detail: detail.to_string(),
    }
}

/// Whether `X-Content-Type-Options: nosniff` is set.
pub fn nosniff(value: Option<&str>) -> bool {
    value.is_some_and(|v| v.trim().eq_ignore_ascii_case("nosniff"))
}

/// `headers.content_type`.
pub fn content_type(value: Option<&str>) -> Verdict {
    if nosniff(value) {
        verdict(Severity::Pass, "X-Content-Type-Options: nosniff is set", "")
    } else {
        verdict(Severity::Low, "Browsers may guess content types (no nosniff)",
            "Send `X-Content-Type-Options: nosniff` so an uploaded file is never run as a script or stylesheet.")
    }
}

/// Referrer policies that leak full URLs (paths and queries) to other sites.
const LEAKY_REFERRER: [&str; 4] = [
    "unsafe-url",
    "no-referrer-when-downgrade",
    "origin",
    "origin-when-cross-origin",
];

/// `headers.referrer`: the last policy the browser understands wins.
pub fn referrer(value: Option<&str>) -> Verdict {
    let known = [
        "no-referrer",
        "same-origin",
        "strict-origin",
        "strict-origin-when-cross-origin",
        "unsafe-url",
        "no-referrer-when-downgrade",
        "origin",
        "origin-when-cross-origin",
    ];
    let policy = value.and_then(|v| {
        v.split(',')
            .map(|p| p.trim().to_ascii_lowercase())
            .rfind(|p| known.contains(&p.as_str()))
    });
    match policy {
        None => verdict(Severity::Info, "No Referrer-Policy (browsers default to strict-origin-when-cross-origin)",
            "Modern browsers already send only the origin to other sites; set `Referrer-Policy: strict-origin-when-cross-origin` to make it explicit for older ones."),
        Some(p) if LEAKY_REFERRER.contains(&p.as_str()) => verdict(Severity::Low, &format!("Referrer-Policy {p} leaks more than needed"),
            "Full URLs (with paths and query strings, sometimes tokens) or origins reach other sites or plain HTTP. Use `strict-origin-when-cross-origin`."),
        Some(p) => verdict(Severity::Pass, &format!("Referrer-Policy is {p}"), ""),
    }
}

/// Headers that name server software.
pub const DISCLOSURE_HEADERS: [&str; 5] = [
    "server",
    "x-powered-by",
    "x-aspnet-version",
    "x-aspnetmvc-version",
    "x-generator",
];

/// `headers.disclosure` from `(name, value)` pairs of [`DISCLOSURE_HEADERS`].
pub fn disclosure(found: &[(&str, &str)]) -> Verdict {
    let versioned: Vec<String> = found
        .iter()
        .filter(|(_, v)| has_version(v))
        .map(|(n, v)| format!("{n}: {v}"))
        .collect();
    if !versioned.is_empty() {
        verdict(Severity::Low, "Server software versions are advertised",
            &format!("{} — attackers match versions to known vulnerabilities. Remove the version (e.g. `server_tokens off;`, `expose_php = Off`, drop X-Powered-By).", versioned.join(", ")))
    } else if found.iter().any(|(n, _)| *n != "server") {
        verdict(
            Severity::Info,
            "The framework is named (no version)",
            "Consider removing X-Powered-By and similar headers.",
        )
    } else {
        verdict(Severity::Pass, "No software versions are advertised", "")
    }
}

/// `nginx/1.25.3`, `PHP/8.2`, `Express 4.18` — a digit run with a dot or after a slash.
fn has_version(value: &str) -> bool {
    let bytes = value.as_bytes();
    bytes.iter().enumerate().any(|(i, b)| {
        b.is_ascii_digit()
            && ((i > 0 && bytes[i - 1] == b'/')
                || bytes.get(i + 1) == Some(&b'.')
                    && bytes.get(i + 2).is_some_and(u8::is_ascii_digit))
    })
}

#[cfg(test)]
#[path = "policy_tests.rs"]
mod tests;
