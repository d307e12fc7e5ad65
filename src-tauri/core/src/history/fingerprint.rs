//! A finding's identity.
//!
//! A fingerprint is `check|host|port|path|subject`:
//! - the check id, the host (lowercase ASCII) and the port when the target
//!   names a non-default one;
//! - the target's URL path, without the query or fragment (their values
//!   change from run to run: cache busters, timestamps);
//! - a subject, for the checks that report several findings on one target
//!   ([`SEVERAL_PER_TARGET`]): the finding's title with everything that
//!   varies between runs taken out — digits, quoted text and bracketed
//!   asides — so "3 image(s) over 1 MB" and "4 image(s) over 1 MB" are the
//!   same finding. Every other check has one finding per target, and its
//!   title (which changes with the severity: "expires in 12 days" against
//!   "valid") is no part of its identity.
//!
//! Checks that get a new kind of finding on an existing target should be
//! added to [`SEVERAL_PER_TARGET`]; the fingerprint test over a full test-bed
//! run fails when two findings of one run share a fingerprint.

use std::borrow::Cow;
use std::fmt;

use handover_model::Finding;

/// Checks that may report more than one finding about the same target; the
/// subject (from the title's stable words) tells them apart.
pub const SEVERAL_PER_TARGET: &[&str] = &["weight.page", "cors.policy", "ai.eval"];

/// Checks whose titles are their findings' subjects word for word: they
/// report many findings about one folder or site, and each title names
/// exactly what it is about (a secret's rule, file and keyed fingerprint;
/// an env key and its environments) with nothing that varies between runs.
pub const TITLED: &[&str] = &["secrets.repo", "secrets.bundle", "env.parity"];

/// The identity of `finding`: check id, host, port and what it is about.
pub fn fingerprint(finding: &Finding) -> String {
    Identity::of(finding).to_string()
}

/// The fingerprint without its subject: what a check looked at (check id,
/// host, port, path). A check that judged this target again but no longer
/// reports a subject found it fixed.
pub fn target_key(finding: &Finding) -> String {
    Identity::of(finding).target().to_string()
}

/// A fingerprint's parts, borrowed from the finding where they can be (so
/// comparing tens of thousands of findings allocates little); displays as
/// the fingerprint.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Identity<'a> {
    check: &'a str,
    host: Cow<'a, str>,
    port: Option<u16>,
    path: &'a str,
    subject: Option<String>,
}

impl<'a> Identity<'a> {
    /// The identity of `finding`.
    pub fn of(finding: &'a Finding) -> Self {
        let host = if finding.host.is_empty() {
            Cow::Owned(finding.target.to_ascii_lowercase())
        } else {
            Cow::Borrowed(finding.host.as_str())
        };
        let subject = if TITLED.contains(&finding.check.as_str()) {
            Some(finding.title.to_lowercase())
        } else {
            SEVERAL_PER_TARGET
                .contains(&finding.check.as_str())
                .then(|| {
                    let mut out = String::new();
                    subject(&finding.title, &mut out);
                    out
                })
        };
        Identity {
            check: &finding.check,
            host,
            port: finding.port,
            path: path(&finding.target),
            subject,
        }
    }

    /// The identity without its subject (see [`target_key`]).
    pub fn target(&self) -> Identity<'a> {
        Identity {
            subject: None,
            ..self.clone()
        }
    }
}

impl fmt::Display for Identity<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}|{}|", self.check, self.host)?;
        if let Some(port) = self.port {
            write!(f, "{port}")?;
        }
        write!(f, "|{}", self.path)?;
        if let Some(subject) = &self.subject {
            write!(f, "|{subject}")?;
        }
        Ok(())
    }
}

/// The path of a URL target (without query and fragment; `/` is empty);
/// empty for a host or `host:port`.
fn path(target: &str) -> &str {
    let Some((_, rest)) = target.split_once("://") else {
        return "";
    };
    let Some(start) = rest.find('/') else {
        return "";
    };
    let path = &rest[start..];
    let end = path.find(['?', '#']).unwrap_or(path.len());
    let path = path[..end].trim_end_matches('/');
    path
}

/// Appends the stable words of `title`: lowercase, without digits, quoted
/// text (`"…"`, `'…'`, `` `…` ``, `“…”`) or bracketed asides, spaces collapsed.
fn subject(title: &str, out: &mut String) {
    let mut closing: Option<char> = None;
    let mut space = true;
    for c in title.chars() {
        if let Some(end) = closing {
            if c == end {
                closing = None;
            }
            continue;
        }
        let end = match c {
            '"' => Some('"'),
            '\'' => Some('\''),
            '`' => Some('`'),
            '“' => Some('”'),
            '(' => Some(')'),
            '[' => Some(']'),
            _ => None,
        };
        // An apostrophe inside a word ("can't") is not a quote.
        if c == '\'' && !space {
            continue;
        }
        if end.is_some() {
            closing = end;
            continue;
        }
        if c.is_ascii_digit() || c.is_whitespace() || matches!(c, '.' | ',' | ':' | ';' | '%') {
            if !space {
                out.push(' ');
                space = true;
            }
            continue;
        }
        out.extend(c.to_lowercase());
        space = false;
    }
    if out.ends_with(' ') {
        out.pop();
    }
}

#[cfg(test)]
mod tests {
    use handover_model::{Finding, Severity};

    use super::fingerprint;
    use crate::checks::finding;

    fn titled(check: &str, target: &str, title: &str) -> Finding {
        finding(check, target, Severity::Medium, title, "")
    }

    #[test]
    fn host_port_and_path_but_no_query_values() {
        let a = titled(
            "uptime.endpoints",
            "https://api.example.com/health?t=1",
            "x",
        );
        let b = titled(
            "uptime.endpoints",
            "https://api.example.com/health?t=2",
            "y",
        );
        assert_eq!(fingerprint(&a), fingerprint(&b));
        assert_eq!(fingerprint(&a), "uptime.endpoints|api.example.com||/health");
        let other = titled("uptime.endpoints", "https://api.example.com/login", "x");
        assert_ne!(fingerprint(&a), fingerprint(&other));
        let port = titled("tls.expiry", "api.example.com:8443", "x");
        assert_eq!(fingerprint(&port), "tls.expiry|api.example.com|8443|");
        let root = titled("headers.hsts", "https://example.com/", "x");
        assert_eq!(fingerprint(&root), "headers.hsts|example.com||");
    }

    #[test]
    fn titles_count_only_for_checks_with_several_findings_per_target() {
        let soon = titled(
            "tls.expiry",
            "example.com",
            "Certificate expires in 12 days",
        );
        let fine = titled("tls.expiry", "example.com", "Certificate valid for 80 days");
        assert_eq!(fingerprint(&soon), fingerprint(&fine));
        let three = titled(
            "weight.page",
            "https://example.com/",
            "3 image(s) over 1 MB",
        );
        let four = titled(
            "weight.page",
            "https://example.com/",
            "4 image(s) over 1 MB",
        );
        let scripts = titled(
            "weight.page",
            "https://example.com/",
            "2 script bundle(s) over 1 MB",
        );
        assert_eq!(fingerprint(&three), fingerprint(&four));
        assert_ne!(fingerprint(&three), fingerprint(&scripts));
        assert_eq!(
            fingerprint(&three),
            "weight.page|example.com|||image over mb"
        );
        let quoted = titled(
            "cors.policy",
            "https://api.example.com/",
            "Origin \"https://a.test\" is let in",
        );
        let other = titled(
            "cors.policy",
            "https://api.example.com/",
            "Origin 'https://b.test' is let in",
        );
        assert_eq!(fingerprint(&quoted), fingerprint(&other));
        assert_eq!(super::target_key(&quoted), "cors.policy|api.example.com||");
    }
}
