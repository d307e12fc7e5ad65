//! What the header checks look at: each host's `/` over HTTPS and the page
//! it lands on after same-site redirects ([`super::landing`]).
//!
//! - `headers.csp`, `headers.content_type`, `headers.framing` and
//!   `headers.referrer` judge the **landed page**: the finding's target is
//!   the URL judged and its evidence starts with the hops. A 301 in front
//!   of the page is never graded for missing page headers. When no page is
//!   reached (another site, a loop, a failing hop) they are inconclusive.
//! - `headers.disclosure` reads every response of the walk: a version on
//!   a redirect leaks as much as one on the page.
//! - `headers.hsts` judges the host's **own** HTTPS response, redirect or
//!   not: RFC 6797 §8.1 has browsers honour HSTS on any HTTPS response, so
//!   the apex's 301 is what protects the apex. When the walk lands on a
//!   page of this host, or of a host the project does not list (its own
//!   finding would be missing), that page's HSTS is judged too, and the
//!   worse of the two counts.
//! - The score ([`super::score`]) is the landed page's (the host's own
//!   response when no page is reached).

use handover_model::{Cause, Finding};
use url::Url;

use super::landing::{land, Landing};
use super::policy::{self, Verdict, DISCLOSURE_HEADERS};
use super::redirects::reaches_https_on;
use super::score::{score_card, ScoreCard};
use super::{not_fetched, url_for};
use crate::checks::http::{follow, ChainEnd, FetchError, Response};
use crate::checks::net::Net;
use crate::checks::{finding, inconclusive, measure, CheckTarget};

/// Headers shown as evidence by every header check.
pub const EVIDENCE: [&str; 12] = [
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
    "cross-origin-embedder-policy",
];

/// What one host answered, where it led, and the score.
pub struct HostHeaders {
    /// `https://host/`.
    pub url: Url,
    /// The host's own answer to it.
    pub response: Response,
    /// The walk through same-site redirects.
    pub landing: Landing,
    /// The landed page's score.
    pub card: ScoreCard,
}

/// What [`inspect`] found for a host, shared by every header check of a run.
pub type Inspected = Result<HostHeaders, (String, FetchError)>;

/// Every host's [`inspect`] answer of one run.
pub type HostPages = crate::checks::memo::Memo<String, Inspected>;

/// `GET https://host/` through same-site redirects, plus the plain-HTTP
/// redirect the score needs — walked once per host and run, whichever
/// header check asks first (see [`HostPages`]).
pub async fn inspect(net: &Net, target: &CheckTarget, host: &str) -> std::sync::Arc<Inspected> {
    net.host_pages()
        .get_or_run(host.to_ascii_lowercase(), || walk(net, target, host))
        .await
}

async fn walk(net: &Net, target: &CheckTarget, host: &str) -> Inspected {
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
    let (landing, chain) = tokio::join!(land(net, &target.apex, url.clone()), follow(net, plain));
    let landing = landing.map_err(|e| (url.to_string(), e))?;
    // A closed port 80 leaves nothing to redirect (Observatory does not deduct).
    let closed = matches!(&chain.end, ChainEnd::Failed(FetchError::Unreachable { .. }))
        && chain.hops.is_empty();
    let scored = landing.page().unwrap_or(landing.own());
    let card = score_card(
        &scored.headers,
        &landing.meta_csp(),
        closed || reaches_https_on(&chain, host),
    );
    Ok(HostHeaders {
        url,
        response: landing.own().clone(),
        landing,
        card,
    })
}

/// A finding about `judged` (a response of the walk), with the score.
pub fn host_finding(check: &str, host: &HostHeaders, judged: &Response, v: Verdict) -> Finding {
    let scored = host.landing.page().unwrap_or(&host.response);
    let grade = format!(
        "Header score for {}: {}.",
        scored.url.host_str().unwrap_or_default(),
        host.card.summary()
    );
    let detail = if v.detail.is_empty() {
        grade
    } else {
        format!("{} {grade}", v.detail)
    };
    let mut f = finding(check, judged.url.to_string(), v.severity, v.title, detail);
    if judged.url != host.url {
        f.evidence = host.landing.hop_evidence();
    }
    f.evidence.extend(judged.evidence("GET", &EVIDENCE));
    f.evidence.extend(
        host.card
            .adjustments
            .iter()
            .map(|(p, why)| format!("score {p:+}: {why}")),
    );
    f.measured = vec![measure("score", f64::from(host.card.score), "points")];
    f
}

/// `check` judged by `judge` on the landed page of every host.
pub async fn per_page(
    net: &Net,
    target: &CheckTarget,
    check: &'static str,
    judge: fn(&Landing, &Response) -> Verdict,
) -> Vec<Finding> {
    super::each(target.hosts.clone(), super::PARALLEL, |host| async move {
        let inspected = inspect(net, target, &host).await;
        let h = match &*inspected {
            Ok(h) => h,
            Err((url, err)) => return not_fetched(check, url.clone(), err),
        };
        match (h.landing.page(), &h.landing.stopped) {
            (Some(page), _) => {
                let mut v = judge(&h.landing, page);
                if page.url != h.url {
                    v.detail = format!(
                        "{} Judged on {}, where {} leads through same-site redirects.",
                        v.detail, page.url, h.url
                    )
                    .trim()
                    .to_string();
                }
                host_finding(check, h, page, v)
            }
            (None, stopped) => {
                let reason = stopped.as_ref().map(|(_, r)| r.clone()).unwrap_or_default();
                let cause = stopped.as_ref().map_or(Cause::Unreachable, |(c, _)| *c);
                let mut f = inconclusive(check, h.url.to_string(), cause, reason);
                f.evidence = h.landing.hop_evidence();
                f
            }
        }
    })
    .await
}

/// `headers.hsts` for every host (see the module docs).
pub async fn hsts(net: &Net, target: &CheckTarget) -> Vec<Finding> {
    super::each(target.hosts.clone(), super::PARALLEL, |host| async move {
        match &*inspect(net, target, &host).await {
            Ok(h) => {
                let v = hsts_verdict(h, &target.hosts);
                let mut f = host_finding("headers.hsts", h, &h.response, v);
                // The hops after the host's own answer, for the page judged too.
                let hops = h.landing.hop_evidence();
                f.evidence.extend(hops);
                f
            }
            Err((url, err)) => not_fetched("headers.hsts", url.clone(), err),
        }
    })
    .await
}

/// HSTS of the host's own response, and of the landed page when it is
/// this host's or no listed host's; the worse counts.
fn hsts_verdict(h: &HostHeaders, hosts: &[String]) -> Verdict {
    let own = policy::hsts(h.response.header("strict-transport-security"));
    let name = h.url.host_str().unwrap_or_default();
    let why = format!(
        "Judged on the HTTPS response of {name} itself: browsers honour HSTS on any \
         HTTPS response, redirects included (RFC 6797 §8.1), and that is what protects {name}."
    );
    let mut v = Verdict {
        detail: format!("{} {why}", own.detail).trim().to_string(),
        ..own
    };
    let landed = h.landing.page().filter(|p| {
        let page_host = p.url.host_str().unwrap_or_default();
        p.url != h.url
            && p.url.scheme() == "https"
            && (page_host == name || !hosts.iter().any(|t| t == page_host))
    });
    if let Some(page) = landed {
        let there = policy::hsts(page.header("strict-transport-security"));
        v.detail = format!(
            "{} The page it leads to, {}, was judged too: {}.",
            v.detail, page.url, there.title
        );
        if there.severity > v.severity {
            v = Verdict {
                severity: there.severity,
                title: format!("{} (on {})", there.title, page.url),
                detail: format!("On {}: {} {}", page.url, there.detail, v.detail),
            };
        }
    }
    v
}

/// `headers.csp`: header and `<meta>` policies of the page.
pub fn csp(landing: &Landing, page: &Response) -> Verdict {
    let values: Vec<&str> = page.header_all("content-security-policy").collect();
    policy::csp(
        &values,
        &landing.meta_csp(),
        page.header("content-security-policy-report-only").is_some(),
    )
}

/// `headers.framing`: header policies and `X-Frame-Options` of the page.
pub fn framing(_: &Landing, page: &Response) -> Verdict {
    let values: Vec<&str> = page.header_all("content-security-policy").collect();
    policy::framing(&values, page.header("x-frame-options"))
}

/// `headers.content_type` of the page.
pub fn content_type(_: &Landing, page: &Response) -> Verdict {
    policy::content_type(page.header("x-content-type-options"))
}

/// `headers.referrer` of the page.
pub fn referrer(_: &Landing, page: &Response) -> Verdict {
    policy::referrer(page.header("referrer-policy"))
}

/// `headers.disclosure` over every response of the walk.
pub fn disclosure(landing: &Landing, _: &Response) -> Verdict {
    let mut found: Vec<(&str, &str)> = Vec::new();
    for r in &landing.responses {
        for name in DISCLOSURE_HEADERS {
            for value in r.header_all(name) {
                if !found.contains(&(name, value)) {
                    found.push((name, value));
                }
            }
        }
    }
    policy::disclosure(&found)
}
