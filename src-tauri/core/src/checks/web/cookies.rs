//! `Set-Cookie` headers, parsed by the `cookie` crate: their flags, which
//! cookies are being deleted (never graded), which look like sessions (by
//! name *tokens*, never substrings), and the `__Host-` / `__Secure-` prefix
//! rules browsers enforce by dropping the cookie.

use cookie::{Cookie, SameSite};
use handover_model::Severity;
use time::{Duration, OffsetDateTime};

use super::policy::Verdict;

/// Name tokens that mark a cookie as holding a session or credential
/// (`sid` in `connect.sid`, `session` in `laravel_session`, `_app_session`,
/// `ASP.NET_SessionId`, `next-auth.session-token`).
const SESSION_TOKENS: [&str; 6] = ["session", "sess", "sid", "auth", "token", "jwt"];

/// Whole tokens that frameworks use as session-cookie names.
const FRAMEWORK_SESSIONS: [&str; 9] = [
    "sessionid",    // Django
    "sessid",       // Moodle and friends
    "phpsessid",    // PHP
    "jsessionid",   // Java servlets
    "cftoken",      // ColdFusion
    "authtoken",    // `authtoken`, written as one word
    "accesstoken",  // `accesstoken`
    "refreshtoken", // `refreshtoken`
    "idtoken",      // `idtoken`
];

/// Token starts of session names with a random suffix (`ASPSESSIONIDQQGGQ…`).
const SESSION_TOKEN_STARTS: [&str; 1] = ["aspsessionid"];

/// Tokens of anti-forgery cookies: scripts read them on purpose, and they
/// are not sessions (`csrftoken`, `XSRF-TOKEN`, `.AspNetCore.Antiforgery.…`).
const CSRF_TOKENS: [&str; 5] = ["csrf", "xsrf", "csrftoken", "xsrftoken", "antiforgery"];

/// ASP.NET's anti-forgery cookie, tokens joined.
const REQUEST_VERIFICATION: &str = "requestverificationtoken";

/// The prefix that binds a cookie to one host: Secure, `Path=/`, no Domain.
pub const HOST_PREFIX: &str = "__Host-";
/// The prefix that requires Secure.
pub const SECURE_PREFIX: &str = "__Secure-";

/// The advice that closes a failing cookie verdict.
const ADVICE: &str = "Mark session cookies `Secure; HttpOnly; SameSite=Lax` (or Strict).";

/// One `Set-Cookie`, without its value.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SetCookie {
    /// The cookie's name.
    pub name: String,
    /// `Secure` present.
    pub secure: bool,
    /// `HttpOnly` present.
    pub http_only: bool,
    /// A valid `SameSite` value, if present (an unknown value counts as absent).
    pub same_site: Option<SameSite>,
    /// The `Path` attribute as sent, if present.
    pub path: Option<String>,
    /// The `Domain` attribute, if present and not empty.
    pub domain: Option<String>,
    /// Whether the header deletes the cookie (`Max-Age` ≤ 0, an `Expires`
    /// in the past without `Max-Age`, or an empty value): nothing to protect.
    pub deleting: bool,
}

impl SetCookie {
    /// Parses a `Set-Cookie` value (the value itself is not kept); `None`
    /// when it has no `name=` pair.
    pub fn parse(header: &str) -> Option<Self> {
        Self::parse_at(header, OffsetDateTime::now_utc())
    }

    /// [`SetCookie::parse`] with `now` deciding whether `Expires` is past.
    pub fn parse_at(header: &str, now: OffsetDateTime) -> Option<Self> {
        let c = Cookie::parse(header).ok()?;
        // RFC 6265 §5.3: Max-Age wins over Expires.
        let expired = match c.max_age() {
            Some(age) => age <= Duration::ZERO,
            None => c.expires_datetime().is_some_and(|at| at <= now),
        };
        Some(SetCookie {
            name: c.name().to_string(),
            secure: c.secure().unwrap_or(false),
            http_only: c.http_only().unwrap_or(false),
            same_site: c.same_site(),
            path: c.path().map(str::to_string),
            domain: c.domain().map(str::to_string),
            deleting: expired || c.value().trim_matches('"').is_empty(),
        })
    }

    /// The name without a `__Host-` / `__Secure-` prefix.
    fn bare_name(&self) -> &str {
        [HOST_PREFIX, SECURE_PREFIX]
            .iter()
            .find_map(|p| strip_prefix_ci(&self.name, p))
            .unwrap_or(&self.name)
    }

    /// Whether the name is an anti-forgery (CSRF) token's.
    pub fn is_csrf_token(&self) -> bool {
        let tokens = name_tokens(self.bare_name());
        tokens.iter().any(|t| CSRF_TOKENS.contains(&t.as_str()))
            || tokens.concat() == REQUEST_VERIFICATION
    }

    /// Whether the name suggests a session or sign-in credential: one of its
    /// tokens ([`name_tokens`]) is a session word or a framework's session
    /// name. Anti-forgery tokens are not sessions.
    pub fn looks_like_session(&self) -> bool {
        if self.is_csrf_token() {
            return false;
        }
        name_tokens(self.bare_name()).iter().any(|t| {
            SESSION_TOKENS.contains(&t.as_str())
                || FRAMEWORK_SESSIONS.contains(&t.as_str())
                || SESSION_TOKEN_STARTS.iter().any(|s| t.starts_with(s))
        })
    }

    /// Why browsers reject this cookie because of its name prefix, if they do.
    pub fn prefix_violation(&self) -> Option<String> {
        let (prefix, mut missing) = if strip_prefix_ci(&self.name, HOST_PREFIX).is_some() {
            let mut missing = Vec::new();
            if self.path.as_deref() != Some("/") {
                missing.push("Path=/".to_string());
            }
            if let Some(domain) = &self.domain {
                missing.push(format!("no Domain (it has Domain={domain})"));
            }
            (HOST_PREFIX, missing)
        } else if strip_prefix_ci(&self.name, SECURE_PREFIX).is_some() {
            (SECURE_PREFIX, Vec::new())
        } else {
            return None;
        };
        if !self.secure {
            missing.insert(0, "Secure".to_string());
        }
        (!missing.is_empty()).then(|| {
            format!(
                "{} is rejected by browsers: a {prefix} cookie needs {}",
                self.name,
                missing.join(", ")
            )
        })
    }

    /// What is wrong with this cookie, worst first (empty when nothing is,
    /// and always for a deletion).
    pub fn problems(&self) -> Vec<(Severity, String)> {
        if self.deleting {
            return Vec::new();
        }
        // A cookie the browser drops is never sent: only the drop matters.
        if let Some(why) = self.prefix_violation() {
            return vec![(Severity::Medium, why)];
        }
        let session = self.looks_like_session();
        let mut out = Vec::new();
        let name = &self.name;
        if !self.secure {
            let severity = if session {
                Severity::High
            } else {
                Severity::Low
            };
            out.push((
                severity,
                format!("{name} is sent without Secure (it can travel over plain HTTP)"),
            ));
        }
        if session && !self.http_only {
            out.push((
                Severity::Medium,
                format!("{name} looks like a session cookie but scripts can read it (no HttpOnly)"),
            ));
        }
        match self.same_site {
            None => out.push((
                Severity::Low,
                format!("{name} has no SameSite (browsers assume Lax)"),
            )),
            Some(SameSite::None) if !self.secure => out.push((
                Severity::Medium,
                format!("{name} has SameSite=None without Secure, which browsers reject"),
            )),
            _ => {}
        }
        out.sort_by_key(|p| std::cmp::Reverse(p.0));
        out
    }
}

/// `headers.cookies` from every `Set-Cookie` of one response: the worst
/// problem of the cookies being set; deletions are listed, not graded.
pub fn verdict(set_cookies: &[&str]) -> Verdict {
    let (deleted, cookies): (Vec<SetCookie>, Vec<SetCookie>) = set_cookies
        .iter()
        .filter_map(|c| SetCookie::parse(c))
        .partition(|c| c.deleting);
    let mut problems: Vec<(Severity, String)> =
        cookies.iter().flat_map(SetCookie::problems).collect();
    problems.sort_by_key(|p| std::cmp::Reverse(p.0));
    let names = |list: &[SetCookie]| {
        list.iter()
            .map(|c| c.name.as_str())
            .collect::<Vec<_>>()
            .join(", ")
    };
    let deletions = if deleted.is_empty() {
        String::new()
    } else {
        format!(" Being deleted, not graded: {}.", names(&deleted))
    };
    let (severity, title, detail) = match problems.first() {
        None if cookies.is_empty() && deleted.is_empty() => (
            Severity::Pass,
            "No cookies are set here".into(),
            String::new(),
        ),
        None if cookies.is_empty() => (
            Severity::Pass,
            "No cookies are set here, only deleted".into(),
            deletions.trim_start().to_string(),
        ),
        None => (
            Severity::Pass,
            format!(
                "{} cookie(s), all Secure, HttpOnly where it matters, and SameSite",
                cookies.len()
            ),
            format!("Cookies: {}.{deletions}", names(&cookies)),
        ),
        Some((severity, first)) => (
            *severity,
            first.clone(),
            format!(
                "{} {ADVICE}{deletions}",
                problems
                    .iter()
                    .map(|(_, p)| format!("{p}."))
                    .collect::<Vec<_>>()
                    .join(" ")
            ),
        ),
    };
    Verdict {
        severity,
        title,
        detail,
    }
}

/// `text` without `prefix`, compared ASCII case-insensitively (as
/// RFC 6265bis matches cookie prefixes).
fn strip_prefix_ci<'a>(text: &'a str, prefix: &str) -> Option<&'a str> {
    let head = text.get(..prefix.len())?;
    head.eq_ignore_ascii_case(prefix)
        .then(|| &text[prefix.len()..])
}

/// A cookie name's tokens, lower-case: split on `_`, `-`, `.` and case
/// changes (`ASP.NET_SessionId` → `asp net session id`, `authToken` →
/// `auth token`, `JSONToken` → `json token`); an all-caps run stays whole
/// (`PHPSESSID` → `phpsessid`).
pub fn name_tokens(name: &str) -> Vec<String> {
    let chars: Vec<char> = name.chars().collect();
    let mut tokens = Vec::new();
    let mut current = String::new();
    for (i, &c) in chars.iter().enumerate() {
        if matches!(c, '_' | '-' | '.') {
            tokens.extend((!current.is_empty()).then(|| std::mem::take(&mut current)));
            continue;
        }
        if c.is_uppercase() && !current.is_empty() {
            let prev = chars[i - 1];
            let next_lower = chars.get(i + 1).is_some_and(|n| n.is_lowercase());
            if prev.is_lowercase() || prev.is_ascii_digit() || (prev.is_uppercase() && next_lower) {
                tokens.push(std::mem::take(&mut current));
            }
        }
        current.extend(c.to_lowercase());
    }
    tokens.extend((!current.is_empty()).then_some(current));
    tokens
}

#[cfg(test)]
#[path = "cookies_tests.rs"]
mod tests;
