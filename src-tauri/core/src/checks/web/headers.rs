//! The security-header checks: `headers.hsts`, `headers.csp`,
//! `headers.content_type`, `headers.framing`, `headers.referrer`,
//! `headers.cookies` and `headers.disclosure`.
//!
//! Each looks at `GET /` on every host over HTTPS — the page checks at the
//! page it lands on after same-site redirects, HSTS at the host's own
//! response too ([`super::page`]) — (cookies also on the login page) and
//! carries the header score ([`super::score`]) as the measure `score`, with
//! the grade in its detail.

use handover_model::Finding;

use super::page::{self, host_finding, inspect, per_page};
use super::policy::Verdict;
use super::{each, not_fetched, role_urls, PARALLEL};
use crate::checks::http::{fetch, Request, Response};
use crate::checks::net::Net;
use crate::checks::{finding, measure, CheckDef, CheckTarget};

pub(super) fn checks() -> Vec<CheckDef> {
    vec![
        super::check("headers.hsts", |n, t| Box::pin(page::hsts(n, t))),
        super::check("headers.csp", |n, t| {
            Box::pin(per_page(n, t, "headers.csp", page::csp))
        }),
        super::check("headers.content_type", |n, t| {
            Box::pin(per_page(n, t, "headers.content_type", page::content_type))
        }),
        super::check("headers.framing", |n, t| {
            Box::pin(per_page(n, t, "headers.framing", page::framing))
        }),
        super::check("headers.referrer", |n, t| {
            Box::pin(per_page(n, t, "headers.referrer", page::referrer))
        }),
        super::check("headers.cookies", |n, t| Box::pin(cookies(n, t))),
        super::check("headers.disclosure", |n, t| {
            Box::pin(per_page(n, t, "headers.disclosure", page::disclosure))
        }),
    ]
}

/// `check` judged by `judge` on each host's own `GET /` (cookies: a
/// `Set-Cookie` on a redirect is stored too).
async fn per_host(
    net: &Net,
    target: &CheckTarget,
    check: &'static str,
    judge: fn(&Response) -> Verdict,
) -> Vec<Finding> {
    each(target.hosts.clone(), PARALLEL, |host| async move {
        match &*inspect(net, target, &host).await {
            Ok(h) => host_finding(check, h, &h.response, judge(&h.response)),
            Err((url, err)) => not_fetched(check, url.clone(), err),
        }
    })
    .await
}

/// `headers.cookies` from every `Set-Cookie` of one response (see
/// [`super::cookies::verdict`]).
pub fn cookie_verdict(set_cookies: &[&str]) -> Verdict {
    super::cookies::verdict(set_cookies)
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
            if let Ok(h) = &*scored {
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
