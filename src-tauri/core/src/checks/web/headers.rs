//! The security-header checks: `headers.hsts`, `headers.csp`,
//! `headers.content_type`, `headers.framing`, `headers.referrer`,
//! `headers.cookies` and `headers.disclosure`.
//!
//! Each looks at `GET /` on every host over HTTPS (cookies also on the
//! login page) and carries the host's header score ([`super::score`]) as the
//! measure `score`, with the grade in its detail.

use handover_model::{Finding, Severity};
use url::Url;

use super::cookies::SetCookie;
use super::policy::{self, Verdict, DISCLOSURE_HEADERS};
use super::redirects::reaches_https_on;
use super::score::{score_card, ScoreCard};
use super::{each, not_fetched, role_urls, url_for, PARALLEL};
use crate::checks::http::{fetch, follow, ChainEnd, FetchError, Request, Response};
use crate::checks::net::Net;
use crate::checks::{finding, measure, CheckDef, CheckTarget};

/// Headers shown as evidence by every header check.
const EVIDENCE: [&str; 11] = [
    "strict-transport-security",
    "content-security-policy",
    "content-security-policy-report-only",
    "x-frame-options",
    "x-content-type-options",
    "referrer-policy",
    "set-cookie",
    "server",
    "x-powered-by",
    "cross-origin-opener-policy",
    "cross-origin-resource-policy",
];

pub(super) fn checks() -> Vec<CheckDef> {
    vec![
        super::check("headers.hsts", |n, t| {
            Box::pin(per_host(n, t, "headers.hsts", hsts))
        }),
        super::check("headers.csp", |n, t| {
            Box::pin(per_host(n, t, "headers.csp", csp))
        }),
        super::check("headers.content_type", |n, t| {
            Box::pin(per_host(n, t, "headers.content_type", |r| {
                policy::content_type(r.header("x-content-type-options"))
            }))
        }),
        super::check("headers.framing", |n, t| {
            Box::pin(per_host(n, t, "headers.framing", framing))
        }),
        super::check("headers.referrer", |n, t| {
            Box::pin(per_host(n, t, "headers.referrer", |r| {
                policy::referrer(r.header("referrer-policy"))
            }))
        }),
        super::check("headers.cookies", |n, t| Box::pin(cookies(n, t))),
        super::check("headers.disclosure", |n, t| {
            Box::pin(per_host(n, t, "headers.disclosure", disclosure))
        }),
    ]
}

/// What one host answered, and its score.
struct HostHeaders {
    url: Url,
    response: Response,
    card: ScoreCard,
}

/// `GET https://host/` plus the plain-HTTP redirect the score needs.
async fn inspect(
    net: &Net,
    target: &CheckTarget,
    host: &str,
) -> Result<HostHeaders, (String, FetchError)> {
    let (Some(url), Some(plain)) = (
        url_for(target, "https", host, "/"),
        url_for(target, "http", host, "/"),
    ) else {
        let err = FetchError::BadUrl {
            url: host.to_string(),
            reason: "not a host name".into(),
        };
        return Err((host.to_string(), err));
    };
    let request = Request::get(url.clone()).body_limit(0);
    let (response, chain) = tokio::join!(fetch(net, request), follow(net, plain));
    let response = response.map_err(|e| (url.to_string(), e))?;
    // A closed port 80 leaves nothing to redirect (Observatory does not deduct).
    let closed = matches!(&chain.end, ChainEnd::Failed(FetchError::Unreachable { .. }))
        && chain.hops.is_empty();
    let card = score_card(&response.headers, closed || reaches_https_on(&chain, host));
    Ok(HostHeaders {
        url,
        response,
        card,
    })
}

/// A finding for one host, with the score attached.
fn host_finding(check: &str, host: &HostHeaders, v: Verdict) -> Finding {
    let grade = format!(
        "Header score for {}: {}.",
        host.url.host_str().unwrap_or_default(),
        host.card.summary()
    );
    let detail = if v.detail.is_empty() {
        grade
    } else {
        format!("{} {grade}", v.detail)
    };
    let mut f = finding(check, host.url.to_string(), v.severity, v.title, detail);
    f.evidence = host.response.evidence("GET", &EVIDENCE);
    f.evidence.extend(
        host.card
            .adjustments
            .iter()
            .map(|(p, why)| format!("score {p:+}: {why}")),
    );
    f.measured = vec![measure("score", f64::from(host.card.score), "points")];
    f
}

async fn per_host(
    net: &Net,
    target: &CheckTarget,
    check: &'static str,
    judge: fn(&Response) -> Verdict,
) -> Vec<Finding> {
    each(target.hosts.clone(), PARALLEL, |host| async move {
        match inspect(net, target, &host).await {
            Ok(h) => host_finding(check, &h, judge(&h.response)),
            Err((url, err)) => not_fetched(check, url, &err),
        }
    })
    .await
}

fn hsts(r: &Response) -> Verdict {
    policy::hsts(r.header("strict-transport-security"))
}

fn csp(r: &Response) -> Verdict {
    let values: Vec<&str> = r.header_all("content-security-policy").collect();
    policy::csp(
        &values,
        r.header("content-security-policy-report-only").is_some(),
    )
}

fn framing(r: &Response) -> Verdict {
    let values: Vec<&str> = r.header_all("content-security-policy").collect();
    policy::framing(&values, r.header("x-frame-options"))
}

fn disclosure(r: &Response) -> Verdict {
    let found: Vec<(&str, &str)> = DISCLOSURE_HEADERS
        .iter()
        .flat_map(|name| r.header_all(name).map(move |v| (*name, v)))
        .collect();
    policy::disclosure(&found)
}

/// `headers.cookies` from every `Set-Cookie` of one response.
pub fn cookie_verdict(set_cookies: &[&str]) -> Verdict {
    let cookies: Vec<SetCookie> = set_cookies
        .iter()
        .filter_map(|c| SetCookie::parse(c))
        .collect();
    let mut problems: Vec<(Severity, String)> =
        cookies.iter().flat_map(SetCookie::problems).collect();
    problems.sort_by_key(|p| std::cmp::Reverse(p.0));
    let names: Vec<&str> = cookies.iter().map(|c| c.name.as_str()).collect();
    match problems.first() {
        None if cookies.is_empty() => Verdict {
            severity: Severity::Pass,
            title: "No cookies are set here".into(),
            detail: String::new(),
        },
        None => Verdict {
            severity: Severity::Pass,
            title: format!(
                "{} cookie(s), all Secure, HttpOnly where it matters, and SameSite",
                cookies.len()
            ),
            detail: format!("Cookies: {}.", names.join(", ")),
        },
        Some((severity, first)) => Verdict {
            severity: *severity,
            title: first.clone(),
            detail: format!(
                "{} Mark session cookies `Secure; HttpOnly; SameSite=Lax` (or Strict).",
                problems
                    .iter()
                    .map(|(_, p)| format!("{p}."))
                    .collect::<Vec<_>>()
                    .join(" ")
            ),
        },
    }
}

async fn cookies(net: &Net, target: &CheckTarget) -> Vec<Finding> {
    let hosts = per_host(net, target, "headers.cookies", |r| {
        cookie_verdict(&r.header_all("set-cookie").collect::<Vec<_>>())
    });
    // The login page is where session cookies are usually first set.
    let logins = each(
        role_urls(target, &["login"]),
        PARALLEL,
        |(_, url)| async move {
            let host = url.host_str().unwrap_or_default().to_string();
            let request = Request::get(url.clone()).body_limit(0);
            let (scored, fetched) = tokio::join!(inspect(net, target, &host), fetch(net, request));
            let response = match fetched {
                Ok(r) => r,
                Err(err) => return not_fetched("headers.cookies", url.to_string(), &err),
            };
            let v = cookie_verdict(&response.header_all("set-cookie").collect::<Vec<_>>());
            let mut f = finding(
                "headers.cookies",
                url.to_string(),
                v.severity,
                v.title,
                v.detail,
            );
            f.evidence = response.evidence("GET", &["set-cookie"]);
            if let Ok(h) = scored {
                f.measured
                    .push(measure("score", f64::from(h.card.score), "points"));
            }
            f
        },
    );
    let (mut findings, logins) = tokio::join!(hosts, logins);
    findings.extend(logins);
    findings
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cookie_verdict_takes_the_worst_cookie() {
        let v = cookie_verdict(&[
            "theme=dark; SameSite=Lax",
            "session=abc; HttpOnly; SameSite=Lax",
        ]);
        assert_eq!(v.severity, Severity::High);
        assert_eq!(
            v.title,
            "session is sent without Secure (it can travel over plain HTTP)"
        );
        assert!(v.detail.contains("theme is sent without Secure"));
        assert!(!v.detail.contains("abc"), "values never reach findings");
    }

    #[test]
    fn cookie_verdict_passes_clean_cookies() {
        assert_eq!(cookie_verdict(&[]).title, "No cookies are set here");
        let ok = cookie_verdict(&["__Host-sid=1; Secure; HttpOnly; SameSite=Strict; Path=/"]);
        assert_eq!(ok.severity, Severity::Pass);
    }
}
