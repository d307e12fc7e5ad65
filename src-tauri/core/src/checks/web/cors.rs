//! `cors.policy`: the API answers CORS only for the origins it should.
//!
//! Each API URL (every `api.` host's `/`, and the `api_health`, `chat` and
//! `webhook` paths) gets, for every origin tried, a simple GET and a
//! preflight `OPTIONS` (asking for `POST` with `content-type` and
//! `authorization`, what a front end sends to a JSON API), because some
//! servers answer CORS only on one of them. The hostile origins
//! ([`hostile_origins`]) are another site, `null` (sandboxed frames, local
//! files) and the loose-matching look-alikes OWASP WSTG-CLNT-07 lists, built
//! from the apex and from every configured origin ([`look_alikes`]); each
//! configured origin must then be accepted by one of the two requests.
//!
//! A probe that got no answer is reported as inconclusive on its own; the
//! other probes keep their verdicts.

use std::time::Duration;

use handover_model::{Cause, Finding, Severity};
use url::Url;

use super::{each, not_fetched, role_urls, url_for, API_ROLES, PARALLEL};
use crate::checks::http::redact::cut;
use crate::checks::http::{fetch, FetchError, Method, Request, Response};
use crate::checks::net::Net;
use crate::checks::{finding, inconclusive, CheckDef, CheckTarget};

mod rules;

pub use rules::{accepted, hostile_origins, judge, look_alikes, CorsVerdict, EVIL, EVIL_LABEL};

/// Deadline of one CORS probe.
pub const PROBE_TIMEOUT: Duration = Duration::from_secs(5);

/// The method a preflight asks for.
pub const PREFLIGHT_METHOD: &str = "POST";

/// The headers a preflight asks for.
pub const PREFLIGHT_HEADERS: &str = "content-type, authorization";

/// The check's id.
const CHECK: &str = "cors.policy";

pub(super) fn checks() -> Vec<CheckDef> {
    vec![super::check(CHECK, |n, t| Box::pin(policy(n, t))).only_if(
        |t| !api_urls(t).is_empty(),
        "an API endpoint (api_health, chat, webhook)",
    )]
}

/// The two requests sent per origin.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ProbeKind {
    /// A GET with `Origin`.
    Simple,
    /// An `OPTIONS` preflight with `Origin` and the `Access-Control-Request-*` headers.
    Preflight,
}

impl ProbeKind {
    /// The HTTP method.
    pub fn method(self) -> Method {
        match self {
            ProbeKind::Simple => Method::GET,
            ProbeKind::Preflight => Method::OPTIONS,
        }
    }

    /// Whether the answer's status lets a browser go on: any status for a
    /// simple request, an ok (2xx) status for a preflight.
    pub fn status_counts(self, status: u16) -> bool {
        self == ProbeKind::Simple || (200..300).contains(&status)
    }
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

/// One probe and what came back.
struct Answer {
    origin: String,
    kind: ProbeKind,
    result: Result<Response, FetchError>,
}

impl Answer {
    /// The CORS headers of an answer, if there is one whose status counts.
    fn allowed(&self) -> Option<(Option<&str>, Option<&str>)> {
        let r = self.result.as_ref().ok()?;
        self.kind.status_counts(r.status).then(|| {
            (
                r.header("access-control-allow-origin"),
                r.header("access-control-allow-credentials"),
            )
        })
    }

    /// The verdict for a hostile origin (`None`: no answer).
    fn verdict(&self) -> Option<CorsVerdict> {
        self.result.as_ref().ok()?;
        Some(match self.allowed() {
            Some((allow, creds)) => judge(&self.origin, allow, creds),
            None => CorsVerdict::Refused,
        })
    }

    /// Whether a configured origin was accepted (`None`: no answer).
    fn accepts(&self) -> Option<bool> {
        self.result.as_ref().ok()?;
        Some(
            self.allowed()
                .is_some_and(|(allow, _)| accepted(&self.origin, allow)),
        )
    }

    /// One evidence line, e.g. `OPTIONS Origin: null → 204 allow-origin: null …`.
    fn line(&self, what: &str) -> String {
        let method = self.kind.method();
        let text = match &self.result {
            Ok(r) => format!(
                "{method} Origin: {} → {} allow-origin: {} allow-credentials: {} ({what})",
                self.origin,
                r.status,
                r.header("access-control-allow-origin").unwrap_or("-"),
                r.header("access-control-allow-credentials").unwrap_or("-")
            ),
            Err(err) => format!("{method} Origin: {} → no answer: {err}", self.origin),
        };
        cut(&text)
    }
}

/// Sends one probe of `kind` with `Origin: origin`.
async fn probe(
    net: &Net,
    url: &Url,
    origin: &str,
    kind: ProbeKind,
) -> Result<Response, FetchError> {
    let mut request = Request::new(kind.method(), url.clone()).header("origin", origin);
    if kind == ProbeKind::Preflight {
        request = request
            .header("access-control-request-method", PREFLIGHT_METHOD)
            .header("access-control-request-headers", PREFLIGHT_HEADERS);
    }
    fetch(net, request.body_limit(0).timeout(PROBE_TIMEOUT)).await
}

/// Probes `url` with both kinds for every origin, in order.
async fn probes(net: &Net, url: &Url, origins: &[String]) -> Vec<Answer> {
    let jobs: Vec<(String, ProbeKind)> = origins
        .iter()
        .flat_map(|o| {
            [
                (o.clone(), ProbeKind::Simple),
                (o.clone(), ProbeKind::Preflight),
            ]
        })
        .collect();
    each(jobs, PARALLEL, |(origin, kind)| async move {
        let result = probe(net, url, &origin, kind).await;
        Answer {
            origin,
            kind,
            result,
        }
    })
    .await
}

/// The finding for the hostile origins: the worst verdict among the probes
/// that were answered, each of them as evidence (`None`: none answered).
fn hostile_finding(url: &Url, answers: &[Answer]) -> Option<Finding> {
    let mut worst: Option<(CorsVerdict, &Answer)> = None;
    let mut evidence = Vec::new();
    for a in answers {
        let Some(v) = a.verdict() else { continue };
        evidence.push(a.line(v.describe()));
        if worst.is_none_or(|(w, _)| v > w) {
            worst = Some((v, a));
        }
    }
    let (verdict, a) = worst?;
    let on = if a.kind == ProbeKind::Preflight {
        " (preflight)"
    } else {
        ""
    };
    let (title, detail) = match verdict {
        CorsVerdict::Refused if answers.iter().any(|a| a.result.is_err()) => (
            "Other sites' origins are refused where the API answered".to_string(),
            "Some probes got no answer; they are reported apart.",
        ),
        CorsVerdict::Refused => ("Other sites' origins are refused".to_string(), ""),
        CorsVerdict::Wildcard => (
            "Any site may read these responses (Access-Control-Allow-Origin: *)".into(),
            "Fine for public data; if responses ever carry user data, allow only your own origins.",
        ),
        CorsVerdict::WildcardWithCredentials => (
            format!("Access-Control-Allow-Origin: * with credentials{on}, which browsers refuse"),
            "Browsers never send or expose credentials under `*`, so signed-in calls from your front end fail. Answer with the caller's origin from an exact allowlist, or drop Access-Control-Allow-Credentials.",
        ),
        CorsVerdict::ReflectedWithCredentials => (
            format!("Origin {} is {}{on}", a.origin, verdict.describe()),
            "Any website a signed-in user visits can call this API as that user and read the answers. Allow only the configured origins, compared exactly.",
        ),
        CorsVerdict::Reflected => (
            format!("Origin {} is {}{on}", a.origin, verdict.describe()),
            "Any website can read these responses from a visitor's browser. Allow only the configured origins, compared exactly.",
        ),
    };
    let mut f = finding(CHECK, url.to_string(), verdict.severity(), title, detail);
    f.evidence = evidence;
    Some(f)
}

/// The finding for the configured origins: each must be accepted by its
/// simple request or its preflight. An origin whose answered probes all
/// refused it is refused; one with unanswered probes and no acceptance is
/// left undecided (its probes are inconclusive). `None` when nothing is known.
fn allowed_finding(url: &Url, configured: &[String], answers: &[Answer]) -> Option<Finding> {
    let (mut ok, mut refused, mut undecided) = (Vec::new(), Vec::new(), false);
    for origin in configured {
        let mine: Vec<&Answer> = answers.iter().filter(|a| &a.origin == origin).collect();
        let verdicts: Vec<Option<bool>> = mine.iter().map(|a| a.accepts()).collect();
        if verdicts.contains(&Some(true)) {
            ok.push(origin.as_str());
        } else if verdicts.contains(&None) {
            undecided = true;
        } else {
            refused.push(origin.as_str());
        }
    }
    let (severity, title) = if !refused.is_empty() {
        (
            Severity::Medium,
            format!("Configured origin(s) refused: {}", refused.join(", ")),
        )
    } else if undecided && ok.is_empty() {
        return None;
    } else if undecided {
        (
            Severity::Pass,
            format!("Configured origin(s) accepted: {}", ok.join(", ")),
        )
    } else {
        (Severity::Pass, "Every configured origin is accepted".into())
    };
    let detail = if refused.is_empty() {
        ""
    } else {
        "The front end on these origins cannot call the API from a browser. Add them to the API's allowed origins."
    };
    let mut f = finding(CHECK, url.to_string(), severity, title, detail);
    f.evidence = answers
        .iter()
        .filter(|a| a.result.is_ok())
        .map(|a| {
            a.line(if a.accepts() == Some(true) {
                "accepted"
            } else {
                "refused"
            })
        })
        .collect();
    Some(f)
}

/// One inconclusive finding per probe that got no answer.
fn unanswered(url: &Url, answers: &[Answer]) -> Vec<Finding> {
    answers
        .iter()
        .filter_map(|a| {
            let err = a.result.as_ref().err()?;
            let cause = match err {
                FetchError::Timeout { .. } => Cause::TimedOut,
                _ => Cause::Unreachable,
            };
            let reason = format!(
                "{} with Origin: {} got no answer: {err}",
                a.kind.method(),
                a.origin
            );
            let mut f = inconclusive(CHECK, url.to_string(), cause, reason);
            f.evidence.push(a.line(""));
            Some(f)
        })
        .collect()
}

/// Every finding for one URL.
async fn judge_url(
    net: &Net,
    url: Url,
    hostile: Vec<String>,
    configured: &[String],
) -> Vec<Finding> {
    let count = hostile.len() * 2;
    let answers = probes(net, &url, &[hostile, configured.to_vec()].concat()).await;
    if !answers.iter().any(|a| a.result.is_ok()) {
        // Nothing answered at all: one finding for the URL, not one per probe.
        if let Some(Err(err)) = answers.first().map(|a| &a.result) {
            return vec![not_fetched(CHECK, url.to_string(), err)];
        }
    }
    let (hostile, allowed) = answers.split_at(count);
    let mut findings: Vec<Finding> = hostile_finding(&url, hostile).into_iter().collect();
    if !configured.is_empty() {
        findings.extend(allowed_finding(&url, configured, allowed));
    }
    findings.extend(unanswered(&url, &answers));
    findings
}

async fn policy(net: &Net, target: &CheckTarget) -> Vec<Finding> {
    let configured: Vec<String> = target
        .cors_origins
        .iter()
        .map(|o| o.trim_end_matches('/').to_string())
        .collect();
    let hostile = hostile_origins(&target.name(), &configured);
    let configured = &configured;
    each(api_urls(target), PARALLEL, |url| {
        judge_url(net, url, hostile.clone(), configured)
    })
    .await
    .concat()
}

#[cfg(test)]
#[path = "cors_tests.rs"]
mod tests;
