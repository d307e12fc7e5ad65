//! Reading security headers: HSTS, CSP, framing, MIME sniffing, referrer
//! policy and version disclosure. Pure functions from header values to a
//! [`Verdict`], so every threshold is tested without a server.

use handover_model::Severity;

/// HSTS must last at least a year (internet.nl's and Lighthouse's bar).
pub const HSTS_MIN_SECONDS: u64 = 31_536_000;

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

fn verdict(severity: Severity, title: &str, detail: &str) -> Verdict {
    Verdict {
        severity,
        title: title.to_string(),
        detail: detail.to_string(),
    }
}

/// A parsed `Strict-Transport-Security` header.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Hsts {
    /// `max-age`, seconds (0 when missing or unreadable).
    pub max_age: u64,
    /// `includeSubDomains` present.
    pub include_subdomains: bool,
    /// `preload` present.
    pub preload: bool,
}

impl Hsts {
    /// Parses the header value.
    pub fn parse(value: &str) -> Self {
        let mut hsts = Hsts {
            max_age: 0,
            include_subdomains: false,
            preload: false,
        };
        for part in value.split(';').map(str::trim) {
            let lower = part.to_ascii_lowercase();
            if let Some(age) = lower.strip_prefix("max-age=") {
                hsts.max_age = age.trim_matches('"').parse().unwrap_or(0);
            } else if lower == "includesubdomains" {
                hsts.include_subdomains = true;
            } else if lower == "preload" {
                hsts.preload = true;
            }
        }
        hsts
    }

    /// Whether it meets Handover's bar for the score (a year or more).
    pub fn long_enough(&self) -> bool {
        self.max_age >= HSTS_MIN_SECONDS
    }
}

/// `headers.hsts`.
pub fn hsts(value: Option<&str>) -> Verdict {
    let Some(value) = value else {
        return verdict(Severity::High, "No HSTS header",
            "Without Strict-Transport-Security a visitor's first plain-HTTP request can be intercepted. Send `Strict-Transport-Security: max-age=31536000; includeSubDomains` on every HTTPS response.");
    };
    let h = Hsts::parse(value);
    if h.max_age == 0 {
        verdict(Severity::High, "HSTS is switched off (max-age 0 or unreadable)",
            "A max-age of 0 tells browsers to forget HSTS. Set max-age to at least 31536000 (one year).")
    } else if !h.long_enough() {
        verdict(Severity::Medium, &format!("HSTS lasts only {} days", h.max_age / 86_400),
            "Browsers forget the HTTPS-only rule quickly. Raise max-age to at least 31536000 (one year).")
    } else if !h.include_subdomains {
        verdict(Severity::Low, "HSTS does not cover subdomains",
            "Add includeSubDomains so every host under this name is HTTPS-only (check first that all of them serve HTTPS).")
    } else {
        verdict(
            Severity::Pass,
            "HSTS is on for a year or more, subdomains included",
            "",
        )
    }
}

/// One `Content-Security-Policy`: directive name → sources, lower-case.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Csp {
    /// Directives in order.
    pub directives: Vec<(String, Vec<String>)>,
}

impl Csp {
    /// Parses a header value.
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

    /// Inline scripts run: `'unsafe-inline'` without a nonce or hash (which
    /// make browsers ignore it), or no script restriction at all.
    pub fn allows_inline_scripts(&self) -> bool {
        match self.script_sources() {
            None => true,
            Some(src) => {
                let keyed = src.iter().any(|s| {
                    s.starts_with("'nonce-")
                        || s.starts_with("'sha256-")
                        || s.starts_with("'sha384-")
                        || s.starts_with("'sha512-")
                });
                src.iter().any(|s| s == "'unsafe-inline'") && !keyed
            }
        }
    }

    /// `eval()` is allowed.
    pub fn allows_eval(&self) -> bool {
        self.script_sources()
            .is_none_or(|src| src.iter().any(|s| s == "'unsafe-eval'"))
    }

    /// Scripts may come from anywhere (`*`, `http:`, `https:`, `data:`) or are unrestricted.
    pub fn scripts_from_anywhere(&self) -> bool {
        self.script_sources().is_none_or(|src| {
            src.iter()
                .any(|s| matches!(s.as_str(), "*" | "http:" | "https:" | "data:"))
        })
    }
}

/// `headers.csp` from every enforced policy (all of them apply, so a risk
/// counts only when every policy allows it).
pub fn csp(values: &[&str], report_only: bool) -> Verdict {
    if values.is_empty() {
        let extra = if report_only {
            " A Content-Security-Policy-Report-Only header is present, but it only reports."
        } else {
            ""
        };
        return verdict(Severity::Medium, "No Content-Security-Policy",
            &format!("Without a CSP any injected script runs. Start with `default-src 'self'` and add the origins the site needs.{extra}"));
    }
    let policies: Vec<Csp> = values.iter().map(|v| Csp::parse(v)).collect();
    if policies.iter().all(Csp::scripts_from_anywhere) {
        verdict(Severity::Medium, "The CSP does not restrict scripts",
            "No script-src or default-src limits where scripts come from (or it allows any origin or scheme). Add `script-src 'self'` plus the origins you need.")
    } else if policies.iter().all(Csp::allows_inline_scripts) {
        verdict(Severity::Medium, "The CSP allows inline scripts ('unsafe-inline')",
            "With 'unsafe-inline' an injected <script> runs, which defeats most of the CSP. Use nonces or hashes instead.")
    } else if policies.iter().all(Csp::allows_eval) {
        verdict(
            Severity::Low,
            "The CSP allows eval() ('unsafe-eval')",
            "'unsafe-eval' lets strings run as code. Remove it if the front end builds without it.",
        )
    } else {
        verdict(
            Severity::Pass,
            "A Content-Security-Policy restricts scripts",
            "",
        )
    }
}

/// Whether framing by other sites is forbidden.
pub fn framing_protected(csp_values: &[&str], x_frame_options: Option<&str>) -> bool {
    let by_csp = csp_values.iter().any(|v| {
        Csp::parse(v)
            .directive("frame-ancestors")
            .is_some_and(|src| {
                !src.iter()
                    .any(|s| s == "*" || s == "https:" || s == "http:")
            })
    });
    let by_xfo = x_frame_options
        .map(|v| v.trim().to_ascii_lowercase())
        .is_some_and(|v| v == "deny" || v == "sameorigin");
    by_csp || by_xfo
}

/// `headers.framing`.
pub fn framing(csp_values: &[&str], x_frame_options: Option<&str>) -> Verdict {
    if framing_protected(csp_values, x_frame_options) {
        verdict(Severity::Pass, "Other sites cannot frame these pages", "")
    } else {
        verdict(Severity::Medium, "Any site can frame these pages",
            "Clickjacking: another site can load this page in an invisible frame. Send `Content-Security-Policy: frame-ancestors 'self'` (or `X-Frame-Options: DENY`).")
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
