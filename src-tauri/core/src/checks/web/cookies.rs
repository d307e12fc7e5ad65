//! `Set-Cookie` headers: their flags, and which cookies look like sessions.

use handover_model::Severity;

/// Name fragments that mark a cookie as holding a session or credential.
const SESSION_MARKERS: [&str; 10] = [
    "sess", "sid", "auth", "token", "jwt", "login", "remember", "csrf", "xsrf", "user",
];

/// One `Set-Cookie`, without its value.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SetCookie {
    /// The cookie's name.
    pub name: String,
    /// `Secure` present.
    pub secure: bool,
    /// `HttpOnly` present.
    pub http_only: bool,
    /// `SameSite` value, lower-case, if present.
    pub same_site: Option<String>,
    /// Whether it is being deleted (`Max-Age=0` or an empty value).
    pub deleting: bool,
}

impl SetCookie {
    /// Parses a `Set-Cookie` value (the value itself is not kept).
    pub fn parse(header: &str) -> Option<Self> {
        let mut parts = header.split(';');
        let (name, value) = parts.next()?.split_once('=')?;
        let name = name.trim();
        if name.is_empty() {
            return None;
        }
        let mut cookie = SetCookie {
            name: name.to_string(),
            secure: false,
            http_only: false,
            same_site: None,
            deleting: value.trim().trim_matches('"').is_empty(),
        };
        for attr in parts {
            let (key, val) = attr.split_once('=').unwrap_or((attr, ""));
            match key.trim().to_ascii_lowercase().as_str() {
                "secure" => cookie.secure = true,
                "httponly" => cookie.http_only = true,
                "samesite" => cookie.same_site = Some(val.trim().to_ascii_lowercase()),
                "max-age" if val.trim().parse::<i64>().is_ok_and(|s| s <= 0) => {
                    cookie.deleting = true
                }
                _ => {}
            }
        }
        Some(cookie)
    }

    /// Whether the name suggests a session, sign-in or CSRF token.
    pub fn looks_like_session(&self) -> bool {
        let name = self.name.to_ascii_lowercase();
        name.starts_with("__host-")
            || name.starts_with("__secure-")
            || SESSION_MARKERS.iter().any(|m| name.contains(m))
    }

    /// What is wrong with this cookie, worst first (empty when nothing is).
    pub fn problems(&self) -> Vec<(Severity, String)> {
        if self.deleting {
            return Vec::new();
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
        // CSRF tokens are read by scripts on purpose; HttpOnly would break them.
        let csrf = name.to_ascii_lowercase().contains("csrf")
            || name.to_ascii_lowercase().contains("xsrf");
        if session && !self.http_only && !csrf {
            out.push((
                Severity::Medium,
                format!("{name} looks like a session cookie but scripts can read it (no HttpOnly)"),
            ));
        }
        match self.same_site.as_deref() {
            None => out.push((
                Severity::Low,
                format!("{name} has no SameSite (browsers assume Lax)"),
            )),
            Some("none") if !self.secure => out.push((
                Severity::Medium,
                format!("{name} has SameSite=None without Secure, which browsers reject"),
            )),
            _ => {}
        }
        out.sort_by_key(|p| std::cmp::Reverse(p.0));
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn flags_are_parsed_case_insensitively() {
        let c = SetCookie::parse("sid=abc; path=/; SECURE; httponly; SameSite=Strict").unwrap();
        assert_eq!(
            c,
            SetCookie {
                name: "sid".into(),
                secure: true,
                http_only: true,
                same_site: Some("strict".into()),
                deleting: false,
            }
        );
        assert!(c.problems().is_empty());
        assert_eq!(SetCookie::parse("no-equals-sign"), None);
        assert_eq!(SetCookie::parse("=v"), None);
    }

    #[test]
    fn a_session_cookie_without_secure_is_high() {
        let c = SetCookie::parse("session=abc; HttpOnly; SameSite=Lax").unwrap();
        assert_eq!(c.problems()[0].0, Severity::High);
        let prefs = SetCookie::parse("theme=dark; SameSite=Lax").unwrap();
        assert_eq!(prefs.problems()[0].0, Severity::Low);
    }

    #[test]
    fn a_readable_session_cookie_is_medium_but_csrf_tokens_are_fine() {
        let c = SetCookie::parse("auth_token=x; Secure; SameSite=Lax").unwrap();
        assert_eq!(
            c.problems().iter().map(|p| p.0).collect::<Vec<_>>(),
            vec![Severity::Medium]
        );
        let csrf = SetCookie::parse("XSRF-TOKEN=x; Secure; SameSite=Strict").unwrap();
        assert!(csrf.problems().is_empty());
    }

    #[test]
    fn samesite_none_needs_secure_and_deletions_are_ignored() {
        let c = SetCookie::parse("pref=1; SameSite=None").unwrap();
        assert!(c.problems().iter().any(|p| p.0 == Severity::Medium));
        let gone = SetCookie::parse("session=; Max-Age=0").unwrap();
        assert!(gone.deleting && gone.problems().is_empty());
    }

    #[test]
    fn host_prefixed_cookies_count_as_sessions() {
        assert!(SetCookie::parse("__Host-x=1").unwrap().looks_like_session());
        assert!(!SetCookie::parse("_ga=GA1.2").unwrap().looks_like_session());
    }
}
