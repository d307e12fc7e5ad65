//! Content-Security-Policy as CSP Level 3 browsers enforce it, and the
//! `headers.csp` and `headers.framing` verdicts.
//!
//! # Several policies
//!
//! Each `Content-Security-Policy` header, each comma-separated part of one
//! (CSP3 §2.2.2: a serialized policy *list*) and each
//! `<meta http-equiv="Content-Security-Policy">` is a policy of its own, and
//! a resource loads only when **every** policy allows it: the effective
//! restriction is their intersection. Handover therefore asks each question
//! (do inline scripts run? may scripts come from anywhere? may `eval` run?)
//! of every policy and calls the page exposed only when all of them answer
//! yes; one policy that forbids it protects the page.
//!
//! # Keywords that browsers ignore
//!
//! Within the directive that governs scripts (`script-src`, else
//! `default-src`):
//! - a nonce or hash together with `'strict-dynamic'` is a *strict* policy:
//!   CSP3 browsers then ignore `'unsafe-inline'`, `'self'`, scheme sources
//!   (`https:`, `http:`) and host sources, which remain only as fallbacks
//!   for old browsers — so none of them is a weakness there;
//! - a nonce or hash without `'strict-dynamic'` still makes CSP2+ browsers
//!   ignore `'unsafe-inline'` (host and scheme sources keep applying).
//!
//! `script-src-elem` / `script-src-attr` are not read (they refine, never
//! loosen, a strict `script-src` in practice).
//!
//! # Meta policies
//!
//! A `<meta>` policy governs scripts like a header, but cannot set
//! `frame-ancestors`, `report-uri` or `sandbox` (CSP3 §3.3): such directives
//! there are ignored and reported, and framing is judged on headers only.

use handover_model::Severity;

use super::policy::{verdict, Verdict};

/// Directives a `<meta>` policy cannot set (CSP3 §3.3).
pub const META_IGNORED: [&str; 3] = ["frame-ancestors", "report-uri", "sandbox"];

/// One policy: directive name → sources, lower-case.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Csp {
    /// Directives in order.
    pub directives: Vec<(String, Vec<String>)>,
}

impl Csp {
    /// Parses one serialized policy (no commas: see [`policies`]).
    pub fn parse(value: &str) -> Self {
        let directives = value
            .split(';')
            .filter_map(|d| {
                let mut words = d.split_ascii_whitespace().map(str::to_ascii_lowercase);
                let name = words.next()?;
                Some((name, words.collect()))
            })
            .collect();
        Csp { directives }
    }

    /// The sources of `name` (the first occurrence counts, as in browsers).
    pub fn directive(&self, name: &str) -> Option<&[String]> {
        self.directives
            .iter()
            .find(|(n, _)| n == name)
            .map(|(_, s)| s.as_slice())
    }

    /// What governs scripts: `script-src`, else `default-src`.
    pub fn script_sources(&self) -> Option<&[String]> {
        self.directive("script-src")
            .or_else(|| self.directive("default-src"))
    }

    /// Scripts are keyed by a nonce or hash.
    fn keyed(&self) -> bool {
        self.script_sources().is_some_and(|src| {
            src.iter().any(|s| {
                ["'nonce-", "'sha256-", "'sha384-", "'sha512-"]
                    .iter()
                    .any(|p| s.starts_with(p))
            })
        })
    }

    /// A strict policy: a nonce or hash with `'strict-dynamic'`.
    pub fn is_strict(&self) -> bool {
        self.keyed()
            && self
                .script_sources()
                .is_some_and(|src| src.iter().any(|s| s == "'strict-dynamic'"))
    }

    /// Inline scripts run: `'unsafe-inline'` that no nonce or hash
    /// neutralises, or no script restriction at all.
    pub fn allows_inline_scripts(&self) -> bool {
        match self.script_sources() {
            None => true,
            Some(src) => src.iter().any(|s| s == "'unsafe-inline'") && !self.keyed(),
        }
    }

    /// `eval()` is allowed.
    pub fn allows_eval(&self) -> bool {
        self.script_sources()
            .is_none_or(|src| src.iter().any(|s| s == "'unsafe-eval'"))
    }

    /// Scripts may come from anywhere (`*`, `http:`, `https:`, `data:`) or are
    /// unrestricted; a strict policy ignores these sources.
    pub fn scripts_from_anywhere(&self) -> bool {
        match self.script_sources() {
            None => true,
            Some(_) if self.is_strict() => false,
            Some(src) => src
                .iter()
                .any(|s| matches!(s.as_str(), "*" | "http:" | "https:" | "data:")),
        }
    }

    /// `frame-ancestors` forbids framing by arbitrary sites.
    fn restricts_framing(&self) -> Option<bool> {
        self.directive("frame-ancestors").map(|src| {
            !src.iter()
                .any(|s| s == "*" || s == "https:" || s == "http:")
        })
    }
}

/// Every policy in some header values: each value split on commas, empty
/// policies dropped.
pub fn policies<S: AsRef<str>>(values: &[S]) -> Vec<Csp> {
    values
        .iter()
        .flat_map(|v| v.as_ref().split(','))
        .map(Csp::parse)
        .filter(|p| !p.directives.is_empty())
        .collect()
}

/// `headers.csp` from the enforced header values and the page's `<meta>`
/// policies (all of them apply, so a risk counts only when every policy
/// allows it).
pub fn csp<S: AsRef<str>>(headers: &[&str], meta: &[S], report_only: bool) -> Verdict {
    let from_headers = policies(headers);
    let from_meta = policies(meta);
    let mut notes = Vec::new();
    if !from_meta.is_empty() {
        let ignored: Vec<&str> = META_IGNORED
            .iter()
            .copied()
            .filter(|d| from_meta.iter().any(|p| p.directive(d).is_some()))
            .collect();
        notes.push(if ignored.is_empty() {
            format!("{} polic(ies) read from <meta http-equiv=\"Content-Security-Policy\"> (a meta policy cannot set frame-ancestors, report-uri or sandbox).", from_meta.len())
        } else {
            format!("A <meta> CSP sets {}, which browsers ignore there: send them as a header.", ignored.join(", "))
        });
    }
    if from_headers.len() + from_meta.len() > 1 {
        notes.push(format!(
            "{} policies apply at once, so a script runs only where every one allows it.",
            from_headers.len() + from_meta.len()
        ));
    }
    let notes = notes.join(" ");
    let all: Vec<Csp> = from_headers.into_iter().chain(from_meta).collect();
    if all.is_empty() {
        let extra = if report_only {
            " A Content-Security-Policy-Report-Only header is present, but it only reports."
        } else {
            ""
        };
        return verdict(Severity::Medium, "No Content-Security-Policy",
            &format!("Without a CSP any injected script runs. Start with `default-src 'self'` and add the origins the site needs.{extra}"));
    }
    let with = |text: &str| format!("{text} {notes}").trim().to_string();
    if all.iter().all(Csp::scripts_from_anywhere) {
        verdict(Severity::Medium, "The CSP does not restrict scripts",
            &with("No script-src or default-src limits where scripts come from (or it allows any origin or scheme). Add `script-src 'self'` plus the origins you need, or a nonce with 'strict-dynamic'."))
    } else if all.iter().all(Csp::allows_inline_scripts) {
        verdict(Severity::Medium, "The CSP allows inline scripts ('unsafe-inline')",
            &with("With 'unsafe-inline' an injected <script> runs, which defeats most of the CSP. Use nonces or hashes instead."))
    } else if all.iter().all(Csp::allows_eval) {
        verdict(
            Severity::Low,
            "The CSP allows eval() ('unsafe-eval')",
            &with("'unsafe-eval' lets strings run as code. Remove it if the front end builds without it."),
        )
    } else if all.iter().any(Csp::is_strict) {
        verdict(Severity::Pass, "A strict Content-Security-Policy (nonce or hash with 'strict-dynamic') restricts scripts",
            &with("Only scripts carrying the nonce or hash, and what they load, run; CSP3 browsers ignore 'unsafe-inline', https: and host sources beside 'strict-dynamic' (they are fallbacks for old browsers)."))
    } else {
        verdict(
            Severity::Pass,
            "A Content-Security-Policy restricts scripts",
            &with(""),
        )
    }
}

/// Whether framing by other sites is forbidden, from the enforced CSP
/// header values and `X-Frame-Options`. When any policy sets
/// `frame-ancestors`, browsers ignore `X-Frame-Options` (HTML §7.1.1); a
/// restrictive `frame-ancestors` in any policy protects (policies
/// intersect). A `<meta>` policy never counts.
pub fn framing_protected(csp_values: &[&str], x_frame_options: Option<&str>) -> bool {
    let by_csp: Vec<bool> = policies(csp_values)
        .iter()
        .filter_map(Csp::restricts_framing)
        .collect();
    if !by_csp.is_empty() {
        return by_csp.contains(&true);
    }
    // `DENY, DENY` is DENY; values that disagree are invalid (HTML spec).
    let xfo: Vec<String> = x_frame_options
        .unwrap_or_default()
        .split(',')
        .map(|v| v.trim().to_ascii_lowercase())
        .collect();
    xfo.iter().all(|v| v == "deny" || v == "sameorigin") && xfo.windows(2).all(|w| w[0] == w[1])
}

/// `headers.framing`.
pub fn framing(csp_values: &[&str], x_frame_options: Option<&str>) -> Verdict {
    if framing_protected(csp_values, x_frame_options) {
        verdict(Severity::Pass, "Other sites cannot frame these pages", "")
    } else {
        verdict(Severity::Medium, "Any site can frame these pages",
            "Clickjacking: another site can load this page in an invisible frame. Send `Content-Security-Policy: frame-ancestors 'self'` (or `X-Frame-Options: DENY`) as a header (a <meta> CSP cannot set frame-ancestors).")
    }
}

#[cfg(test)]
#[path = "csp_tests.rs"]
mod tests;
