//! `cors.policy`: the API answers CORS only for the origins it should.
//!
//! Each API URL (every `api.` host's `/`, and the `api_health`, `chat` and
//! `webhook` paths) gets a GET with hostile `Origin`s — another site,
//! `null` (sandboxed frames, local files), and the two loose-matching
//! tricks OWASP lists (`https://<apex>.evil.example`, `https://evil<apex>`)
//! — and then with each configured origin, which must be accepted.

use std::time::Duration;

use handover_model::{Finding, Severity};
use url::Url;

use super::{each, not_fetched, role_urls, url_for, API_ROLES, PARALLEL};
use crate::checks::http::redact::cut;
use crate::checks::http::{fetch, FetchError, Request, Response};
use crate::checks::net::Net;
use crate::checks::{finding, CheckDef, CheckTarget};

/// Deadline of one CORS probe.
pub const PROBE_TIMEOUT: Duration = Duration::from_secs(5);

/// The attacker's site used in probes.
pub const EVIL: &str = "evil.example";

pub(super) fn checks() -> Vec<CheckDef> {
    vec![
        super::check("cors.policy", |n, t| Box::pin(policy(n, t))).only_if(
            |t| !api_urls(t).is_empty(),
            "an API endpoint (api_health, chat, webhook)",
        ),
    ]
}

/// What a response to a hostile `Origin` allows.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum CorsVerdict {
    /// The origin is not allowed.
    Refused,
    /// `Access-Control-Allow-Origin: *` without credentials.
    Wildcard,
    /// The origin is echoed back, without credentials.
    Reflected,
    /// `*` together with `Access-Control-Allow-Credentials: true`.
    WildcardWithCredentials,
    /// The origin is echoed back and credentials are allowed.
    ReflectedWithCredentials,
}

impl CorsVerdict {
    /// How bad it is.
    pub fn severity(self) -> Severity {
        match self {
            CorsVerdict::Refused => Severity::Pass,
            CorsVerdict::Wildcard => Severity::Low,
            CorsVerdict::Reflected => Severity::High,
            CorsVerdict::WildcardWithCredentials | CorsVerdict::ReflectedWithCredentials => {
                Severity::Blocker
            }
        }
    }

    /// A short description for evidence and titles.
    pub fn describe(self) -> &'static str {
        match self {
            CorsVerdict::Refused => "refused",
            CorsVerdict::Wildcard => "allowed by *",
            CorsVerdict::Reflected => "reflected",
            CorsVerdict::WildcardWithCredentials => "allowed by * with credentials",
            CorsVerdict::ReflectedWithCredentials => "reflected with credentials",
        }
    }
}

/// Judges the CORS headers sent back to a request from `origin`.
pub fn judge(
    origin: &str,
    allow_origin: Option<&str>,
    allow_credentials: Option<&str>,
) -> CorsVerdict {
    let credentials = allow_credentials.is_some_and(|v| v.trim().eq_ignore_ascii_case("true"));
    match allow_origin.map(str::trim) {
        Some("*") if credentials => CorsVerdict::WildcardWithCredentials,
        Some("*") => CorsVerdict::Wildcard,
        Some(echo) if echo.eq_ignore_ascii_case(origin) && credentials => {
            CorsVerdict::ReflectedWithCredentials
        }
        Some(echo) if echo.eq_ignore_ascii_case(origin) => CorsVerdict::Reflected,
        _ => CorsVerdict::Refused,
    }
}

/// Whether a configured origin may call the API.
pub fn accepted(origin: &str, allow_origin: Option<&str>) -> bool {
    allow_origin.is_some_and(|v| {
        v.trim() == "*" || v.trim().eq_ignore_ascii_case(origin.trim_end_matches('/'))
    })
}

/// The hostile origins tried against `apex`.
pub fn hostile_origins(apex: &str) -> Vec<String> {
    vec![
        format!("https://{EVIL}"),
        "null".to_string(),
        format!("https://{apex}.{EVIL}"),
        format!("https://evil{apex}"),
    ]
}

/// The API URLs probed.
pub fn api_urls(target: &CheckTarget) -> Vec<Url> {
    let mut urls: Vec<Url> = target
        .hosts
        .iter()
        .filter(|h| h.starts_with("api."))
        .filter_map(|h| url_for(target, "https", h, "/"))
        .collect();
    for (_, url) in role_urls(target, &API_ROLES) {
        if !urls.contains(&url) {
            urls.push(url);
        }
    }
    urls
}

/// Sends one GET with `Origin: origin`.
async fn probe(net: &Net, url: &Url, origin: &str) -> Result<Response, FetchError> {
    let request = Request::get(url.clone())
        .header("origin", origin)
        .body_limit(0)
        .timeout(PROBE_TIMEOUT);
    fetch(net, request).await
}

/// Probes `url` with every origin at once.
async fn probes(
    net: &Net,
    url: &Url,
    origins: Vec<String>,
) -> Vec<(String, Result<Response, FetchError>)> {
    each(origins, PARALLEL, |origin| async move {
        let answer = probe(net, url, &origin).await;
        (origin, answer)
    })
    .await
}

fn cors_headers(r: &Response) -> (Option<&str>, Option<&str>) {
    (
        r.header("access-control-allow-origin"),
        r.header("access-control-allow-credentials"),
    )
}

fn line(origin: &str, r: &Response, what: &str) -> String {
    let (allow, creds) = cors_headers(r);
    cut(&format!(
        "Origin: {origin} → {} allow-origin: {} allow-credentials: {} ({what})",
        r.status,
        allow.unwrap_or("-"),
        creds.unwrap_or("-")
    ))
}

/// The finding for the hostile origins: the worst verdict, every probe as evidence.
fn hostile_finding(url: &Url, answers: &[(String, Result<Response, FetchError>)]) -> Finding {
    let mut worst = (CorsVerdict::Refused, "");
    let mut evidence = Vec::new();
    for (origin, answer) in answers {
        let r = match answer {
            Ok(r) => r,
            Err(err) => return not_fetched("cors.policy", url.to_string(), err),
        };
        let (allow, creds) = cors_headers(r);
        let v = judge(origin, allow, creds);
        evidence.push(line(origin, r, v.describe()));
        if v > worst.0 {
            worst = (v, origin);
        }
    }
    let (verdict, origin) = worst;
    let (title, detail) = match verdict {
        CorsVerdict::Refused => ("Other sites' origins are refused".to_string(), ""),
        CorsVerdict::Wildcard => (
            "Any site may read these responses (Access-Control-Allow-Origin: *)".into(),
            "Fine for public data; if responses ever carry user data, allow only your own origins.",
        ),
        v if v.severity() == Severity::Blocker => (
            format!("Origin {origin} is {}", v.describe()),
            "Any website a signed-in user visits can call this API as that user and read the answers. Allow only the configured origins, compared exactly.",
        ),
        v => (
            format!("Origin {origin} is {}", v.describe()),
            "Any website can read these responses from a visitor's browser. Allow only the configured origins, compared exactly.",
        ),
    };
    let mut f = finding(
        "cors.policy",
        url.to_string(),
        verdict.severity(),
        title,
        detail,
    );
    f.evidence = evidence;
    f
}

/// The finding for the configured origins: each must be accepted.
fn allowed_finding(url: &Url, answers: &[(String, Result<Response, FetchError>)]) -> Finding {
    let mut refused = Vec::new();
    let mut evidence = Vec::new();
    for (origin, answer) in answers {
        match answer {
            Ok(r) => {
                let ok = accepted(origin, cors_headers(r).0);
                evidence.push(line(origin, r, if ok { "accepted" } else { "refused" }));
                if !ok {
                    refused.push(origin.as_str());
                }
            }
            Err(err) => {
                evidence.push(cut(&format!("Origin: {origin} → {err}")));
                refused.push(origin.as_str());
            }
        }
    }
    let mut f = if refused.is_empty() {
        finding(
            "cors.policy",
            url.to_string(),
            Severity::Pass,
            "Every configured origin is accepted",
            "",
        )
    } else {
        finding(
            "cors.policy",
            url.to_string(),
            Severity::Medium,
            format!("Configured origin(s) refused: {}", refused.join(", ")),
            "The front end on these origins cannot call the API from a browser. Add them to the API's allowed origins.",
        )
    };
    f.evidence = evidence;
    f
}

async fn policy(net: &Net, target: &CheckTarget) -> Vec<Finding> {
    let apex = target.name();
    let configured: Vec<String> = target
        .cors_origins
        .iter()
        .map(|o| o.trim_end_matches('/').to_string())
        .collect();
    each(api_urls(target), PARALLEL, |url| {
        let (hostile, configured) = (hostile_origins(&apex), configured.clone());
        async move {
            let (hostile, allowed) = tokio::join!(
                probes(net, &url, hostile),
                probes(net, &url, configured.clone())
            );
            let mut findings = vec![hostile_finding(&url, &hostile)];
            if !configured.is_empty() {
                findings.push(allowed_finding(&url, &allowed));
            }
            findings
        }
    })
    .await
    .concat()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn verdicts_follow_the_owasp_cases() {
        let o = "https://evil.example";
        assert_eq!(judge(o, None, None), CorsVerdict::Refused);
        assert_eq!(
            judge(o, Some("https://app.example.test"), Some("true")),
            CorsVerdict::Refused
        );
        assert_eq!(judge(o, Some("*"), None), CorsVerdict::Wildcard);
        assert_eq!(
            judge(o, Some("*"), Some("true")),
            CorsVerdict::WildcardWithCredentials
        );
        assert_eq!(judge(o, Some(o), Some("false")), CorsVerdict::Reflected);
        assert_eq!(
            judge(o, Some(o), Some("TRUE")),
            CorsVerdict::ReflectedWithCredentials
        );
        assert_eq!(judge("null", Some("null"), None), CorsVerdict::Reflected);
    }

    #[test]
    fn severities() {
        assert_eq!(CorsVerdict::Refused.severity(), Severity::Pass);
        assert_eq!(CorsVerdict::Wildcard.severity(), Severity::Low);
        assert_eq!(CorsVerdict::Reflected.severity(), Severity::High);
        assert_eq!(
            CorsVerdict::ReflectedWithCredentials.severity(),
            Severity::Blocker
        );
        assert_eq!(
            CorsVerdict::WildcardWithCredentials.severity(),
            Severity::Blocker
        );
    }

    #[test]
    fn loose_matching_origins_are_tried() {
        assert_eq!(
            hostile_origins("example.test"),
            [
                "https://evil.example",
                "null",
                "https://example.test.evil.example",
                "https://evilexample.test"
            ]
        );
    }

    #[test]
    fn configured_origins_must_match_exactly_or_by_wildcard() {
        assert!(accepted(
            "https://app.example.test",
            Some("https://app.example.test")
        ));
        assert!(accepted(
            "https://app.example.test/",
            Some("https://app.example.test")
        ));
        assert!(accepted("https://app.example.test", Some("*")));
        assert!(!accepted(
            "https://app.example.test",
            Some("https://example.test")
        ));
        assert!(!accepted("https://app.example.test", None));
    }

    #[test]
    fn api_urls_come_from_api_hosts_and_roles() {
        let t = CheckTarget {
            apex: "example.test".into(),
            hosts: vec!["example.test".into(), "api.example.test".into()],
            paths: vec![
                ("chat".into(), "/v1/chat".into()),
                ("login".into(), "/login".into()),
            ],
            ..CheckTarget::default()
        };
        let urls: Vec<String> = api_urls(&t).iter().map(Url::to_string).collect();
        assert_eq!(
            urls,
            [
                "https://api.example.test/",
                "https://api.example.test/v1/chat"
            ]
        );
    }
}
