//! `Strict-Transport-Security` read as RFC 6797 §6.1 defines it, and the
//! `headers.hsts` verdict.
//!
//! - directive names are case-insensitive, whitespace may surround `;` and
//!   `=` (the RFC's implied linear white space), and a value is a token or a
//!   quoted-string (`max-age="31536000"`);
//! - a directive that appears twice makes the whole header invalid, and so
//!   does a missing or non-numeric `max-age`, or a value on the valueless
//!   `includeSubDomains` / `preload`: browsers then ignore the header
//!   (§6.1, §8.1), so Handover reports it as invalid, not as weak;
//! - unknown directives are ignored (§6.1);
//! - a `max-age` too large for any integer is very long, not off: browsers
//!   clamp it (Chromium caps it at a year), so it counts as the largest value;
//! - only the first header of a response counts (§8.1).

use handover_model::Severity;

use super::policy::{verdict, Verdict};

/// HSTS must last at least a year (internet.nl's and Lighthouse's bar).
pub const HSTS_MIN_SECONDS: u64 = 31_536_000;

/// A parsed, valid `Strict-Transport-Security` header.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Hsts {
    /// `max-age`, seconds; `u64::MAX` when the value overflowed.
    pub max_age: u64,
    /// The value was larger than any integer (clamped to `u64::MAX`).
    pub overflowed: bool,
    /// `includeSubDomains` present.
    pub include_subdomains: bool,
    /// `preload` present.
    pub preload: bool,
}

/// Why browsers ignore a `Strict-Transport-Security` header.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum HstsError {
    /// A directive appears more than once.
    #[error("the directive `{0}` appears more than once (RFC 6797 §6.1 allows each once)")]
    Duplicate(String),
    /// No `max-age`.
    #[error("it has no max-age, which RFC 6797 §6.1.1 requires")]
    NoMaxAge,
    /// `max-age` is not a number of seconds.
    #[error("max-age `{0}` is not a whole number of seconds")]
    BadMaxAge(String),
    /// `includeSubDomains` or `preload` carries a value.
    #[error("`{0}` takes no value")]
    ValueOnFlag(String),
    /// Not `name[=value]; …` (a stray quote, comma or separator).
    #[error("`{0}` is not a directive")]
    Syntax(String),
}

impl Hsts {
    /// Parses a header value per RFC 6797 §6.1.
    pub fn parse(value: &str) -> Result<Self, HstsError> {
        let mut hsts = Hsts {
            max_age: 0,
            overflowed: false,
            include_subdomains: false,
            preload: false,
        };
        let mut seen: Vec<String> = Vec::new();
        let mut max_age = None;
        for part in split_directives(value)? {
            let (name, raw) = match part.split_once('=') {
                Some((n, v)) => (n.trim(), Some(v.trim())),
                None => (part.trim(), None),
            };
            if name.is_empty() && raw.is_none() {
                continue; // `;;` and a trailing `;` are allowed.
            }
            if !is_token(name) {
                return Err(HstsError::Syntax(part.trim().to_string()));
            }
            let name = name.to_ascii_lowercase();
            if seen.contains(&name) {
                return Err(HstsError::Duplicate(name));
            }
            seen.push(name.clone());
            let value = raw.map(unquote).transpose()?;
            match name.as_str() {
                "max-age" => max_age = Some(value.unwrap_or_default()),
                "includesubdomains" | "preload" if value.is_some() => {
                    return Err(HstsError::ValueOnFlag(name));
                }
                "includesubdomains" => hsts.include_subdomains = true,
                "preload" => hsts.preload = true,
                _ => {} // Unknown directives are ignored (§6.1).
            }
        }
        let age = max_age.ok_or(HstsError::NoMaxAge)?;
        if age.is_empty() || !age.bytes().all(|b| b.is_ascii_digit()) {
            return Err(HstsError::BadMaxAge(age));
        }
        match age.parse::<u64>() {
            Ok(n) => hsts.max_age = n,
            Err(_) => {
                hsts.max_age = u64::MAX;
                hsts.overflowed = true;
            }
        }
        Ok(hsts)
    }

    /// Whether it meets Handover's bar for the score (a year or more).
    pub fn long_enough(&self) -> bool {
        self.max_age >= HSTS_MIN_SECONDS
    }
}

/// A max-age as people say it: `5 minutes`, `3 hours`, `180 days` (whole
/// units, rounded down), never `0 days`.
fn lifetime(seconds: u64) -> String {
    let (n, unit) = match seconds {
        s if s < 60 => (s, "second"),
        s if s < 3_600 => (s / 60, "minute"),
        s if s < 86_400 => (s / 3_600, "hour"),
        s => (s / 86_400, "day"),
    };
    format!("{n} {unit}{}", if n == 1 { "" } else { "s" })
}

/// Splits on `;` outside quoted-strings; a comma outside quotes is not
/// allowed (the header is not a list).
fn split_directives(value: &str) -> Result<Vec<&str>, HstsError> {
    let mut parts = Vec::new();
    let (mut start, mut quoted, mut escaped) = (0, false, false);
    for (i, c) in value.char_indices() {
        match c {
            _ if escaped => escaped = false,
            '\\' if quoted => escaped = true,
            '"' => quoted = !quoted,
            ';' if !quoted => {
                parts.push(&value[start..i]);
                start = i + 1;
            }
            ',' if !quoted => return Err(HstsError::Syntax(value.trim().to_string())),
            _ => {}
        }
    }
    if quoted {
        return Err(HstsError::Syntax(value[start..].trim().to_string()));
    }
    parts.push(&value[start..]);
    Ok(parts)
}

/// A token or a quoted-string, unquoted.
fn unquote(raw: &str) -> Result<String, HstsError> {
    if let Some(inner) = raw.strip_prefix('"').and_then(|r| r.strip_suffix('"')) {
        let mut out = String::new();
        let mut chars = inner.chars();
        while let Some(c) = chars.next() {
            out.push(if c == '\\' {
                chars.next().unwrap_or('\\')
            } else {
                c
            });
        }
        Ok(out)
    } else if is_token(raw) || raw.is_empty() {
        Ok(raw.to_string())
    } else {
        Err(HstsError::Syntax(raw.to_string()))
    }
}

/// RFC 9110 `token`.
fn is_token(s: &str) -> bool {
    !s.is_empty()
        && s.bytes()
            .all(|b| b.is_ascii_alphanumeric() || b"!#$%&'*+-.^_`|~".contains(&b))
}

/// `headers.hsts` for the first `Strict-Transport-Security` of a response.
pub fn hsts(value: Option<&str>) -> Verdict {
    let Some(value) = value else {
        return verdict(Severity::High, "No HSTS header",
            "Without Strict-Transport-Security a visitor's first plain-HTTP request can be intercepted. Send `Strict-Transport-Security: max-age=31536000; includeSubDomains` on every HTTPS response.");
    };
    let h = match Hsts::parse(value) {
        Ok(h) => h,
        Err(e) => {
            return verdict(
                Severity::High,
                "The HSTS header is invalid, so browsers ignore it",
                &format!("The Strict-Transport-Security header is invalid: {e}. Browsers ignore an invalid header entirely (RFC 6797 §8.1). Send exactly `Strict-Transport-Security: max-age=31536000; includeSubDomains`."),
            )
        }
    };
    if h.max_age == 0 {
        verdict(Severity::High, "HSTS is switched off (max-age=0)",
            "A max-age of 0 tells browsers to forget HSTS. Set max-age to at least 31536000 (one year).")
    } else if !h.long_enough() {
        verdict(Severity::Medium, &format!("HSTS lasts only {}", lifetime(h.max_age)),
            "Browsers forget the HTTPS-only rule quickly. Raise max-age to at least 31536000 (one year).")
    } else if !h.include_subdomains {
        verdict(Severity::Low, "HSTS does not cover subdomains",
            "Add includeSubDomains so every host under this name is HTTPS-only (check first that all of them serve HTTPS).")
    } else if h.overflowed {
        verdict(Severity::Pass, "HSTS is on for a very long time, subdomains included",
            "max-age is larger than any integer; browsers cap it at their own maximum, so it is very long, not off. A plain 63072000 (two years) says the same.")
    } else {
        verdict(
            Severity::Pass,
            "HSTS is on for a year or more, subdomains included",
            "",
        )
    }
}

#[cfg(test)]
#[path = "hsts_tests.rs"]
mod tests;
