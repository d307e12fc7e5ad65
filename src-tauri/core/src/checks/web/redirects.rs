//! `redirect.https`, `redirect.canonical`, and `redirect.chain`:
//! every chain followed by hand, each hop shown.

use handover_model::{Finding, Severity};
use url::Url;

use super::{each, not_fetched, url_for, PARALLEL};
use crate::checks::http::{follow, Chain, ChainEnd, FetchError};
use crate::checks::net::Net;
use crate::checks::{finding, measure, CheckDef, CheckTarget};

/// More redirects than this in one chain cost time on every first visit.
pub const MAX_GOOD_REDIRECTS: usize = 3;

pub(super) fn checks() -> Vec<CheckDef> {
    vec![
        super::check("redirect.https", |n, t| Box::pin(https(n, t))),
        super::check("redirect.canonical", |n, t| Box::pin(canonical(n, t))),
        super::check("redirect.chain", |n, t| Box::pin(chains(n, t))),
    ]
}

/// A finding carrying a chain's hops as evidence and its numbers as measures.
pub(super) fn chain_finding(
    check: &str,
    chain: &Chain,
    severity: Severity,
    title: &str,
    detail: &str,
) -> Finding {
    let mut f = finding(check, chain.start.to_string(), severity, title, detail);
    f.evidence = chain.evidence();
    f.measured = vec![
        measure("redirects", chain.redirects() as f64, ""),
        measure("total_ms", chain.total_ms as f64, "ms"),
    ];
    f
}

/// Whether the chain reached HTTPS on `host` itself (the first HTTPS hop
/// is on the same host, as HSTS preloading requires).
pub fn reaches_https_on(chain: &Chain, host: &str) -> bool {
    chain
        .landed()
        .is_some_and(|(url, _)| url.scheme() == "https")
        && chain
            .hops
            .iter()
            .find(|h| h.url.scheme() == "https")
            .is_some_and(|h| h.url.host_str() == Some(host))
}

/// `redirect.https` for one chain that started at `http://host/`.
pub fn https_verdict(host: &str, chain: &Chain) -> (Severity, String, String) {
    let v = |s, t: &str, d: &str| (s, t.to_string(), d.to_string());
    match &chain.end {
        ChainEnd::Failed(FetchError::Unreachable { .. }) if chain.hops.is_empty() => v(Severity::Low,
            "Plain HTTP does not answer",
            "Port 80 is closed or unreachable, so someone typing the bare name in an old browser gets an error. Answer on port 80 with a 301 to HTTPS."),
        ChainEnd::Failed(_) | ChainEnd::Deadline | ChainEnd::BadLocation { .. } => v(Severity::Medium,
            "Plain HTTP gives no usable answer",
            "The plain-HTTP request failed part-way (see the evidence). It should answer with a 301 to the HTTPS URL."),
        ChainEnd::Loop { .. } | ChainEnd::TooManyHops => v(Severity::High,
            "Plain HTTP never reaches a page (redirect loop)",
            "Visitors arriving over HTTP end in an endless redirect. Fix the redirect rules so HTTP goes once to HTTPS."),
        ChainEnd::Final if chain.redirects() == 0 => v(Severity::High,
            "Plain HTTP is served without a redirect to HTTPS",
            "Pages answer over unencrypted HTTP. Redirect every plain-HTTP request with a 301 to the same URL on HTTPS."),
        ChainEnd::Final if reaches_https_on(chain, host) => v(Severity::Pass, "Plain HTTP redirects to HTTPS on the same host", ""),
        ChainEnd::Final if chain.landed().is_some_and(|(u, _)| u.scheme() == "https") => v(Severity::High,
            "Plain HTTP goes to HTTPS on another host first",
            "The first HTTPS stop should be this same host (browsers can only pin HTTPS for a host they reached over HTTPS, and preload lists require it). Redirect to https:// on this host, then canonicalise."),
        ChainEnd::Final => v(Severity::High,
            "Plain HTTP redirects, but never to HTTPS",
            "The redirects end on a plain-HTTP URL. Send visitors to HTTPS."),
    }
}

async fn https(net: &Net, target: &CheckTarget) -> Vec<Finding> {
    each(target.hosts.clone(), PARALLEL, |host| async move {
        let Some(url) = url_for(target, "http", &host, "/") else {
            return Vec::new();
        };
        let chain = follow(net, url).await;
        let (severity, title, detail) = https_verdict(&host, &chain);
        vec![chain_finding(
            "redirect.https",
            &chain,
            severity,
            &title,
            &detail,
        )]
    })
    .await
    .concat()
}

/// `redirect.chain` for one chain.
pub fn chain_verdict(chain: &Chain) -> (Severity, String) {
    match &chain.end {
        ChainEnd::Loop { .. } => (Severity::High, "Redirect loop".into()),
        ChainEnd::TooManyHops => (
            Severity::High,
            format!("More than {} redirects in a row", chain.redirects()),
        ),
        ChainEnd::Deadline => (
            Severity::Medium,
            "The redirects did not finish in time".into(),
        ),
        ChainEnd::BadLocation { .. } => {
            (Severity::Medium, "A redirect points nowhere usable".into())
        }
        ChainEnd::Failed(_) => (
            Severity::Medium,
            "A redirect leads to a URL that does not answer".into(),
        ),
        ChainEnd::Final if chain.downgrades() => (
            Severity::High,
            "A redirect goes from HTTPS back to plain HTTP".into(),
        ),
        ChainEnd::Final if chain.redirects() > MAX_GOOD_REDIRECTS => (
            Severity::Medium,
            format!("{} redirects before the page", chain.redirects()),
        ),
        ChainEnd::Final if chain.redirects() == 0 => (Severity::Pass, "No redirect".into()),
        ChainEnd::Final => (
            Severity::Pass,
            format!("{} redirect(s), no loop", chain.redirects()),
        ),
    }
}

async fn chains(net: &Net, target: &CheckTarget) -> Vec<Finding> {
    let starts: Vec<Url> = target
        .hosts
        .iter()
        .flat_map(|h| {
            [
                url_for(target, "http", h, "/"),
                url_for(target, "https", h, "/"),
            ]
        })
        .flatten()
        .collect();
    each(starts, PARALLEL, |url| async move {
        let chain = follow(net, url.clone()).await;
        if let (ChainEnd::Failed(err), true) = (&chain.end, chain.hops.is_empty()) {
            return not_fetched("redirect.chain", url.to_string(), err);
        }
        let (severity, title) = chain_verdict(&chain);
        let detail = if severity == Severity::Pass {
            String::new()
        } else {
            format!("Each hop costs a round trip on the first visit and loops lock visitors out. Redirect in one step (at most {MAX_GOOD_REDIRECTS}) to the final URL.")
        };
        let mut f = chain_finding("redirect.chain", &chain, severity, &title, &detail);
        f.measured.push(measure(
            "port_changes",
            chain.port_changes().len() as f64,
            "",
        ));
        f
    })
    .await
}

async fn canonical(net: &Net, target: &CheckTarget) -> Vec<Finding> {
    let apex = target.name();
    let www = format!("www.{apex}");
    let has_www = target.hosts.contains(&www) || net.resolve(&www).await.is_ok();
    let mut hosts = vec![apex.clone()];
    if has_www {
        hosts.push(www);
    }
    let starts: Vec<Url> = hosts
        .iter()
        .flat_map(|h| {
            [
                url_for(target, "http", h, "/"),
                url_for(target, "https", h, "/"),
            ]
        })
        .flatten()
        .collect();
    let chains = each(starts, PARALLEL, |url| follow(net, url)).await;
    let mut f = finding("redirect.canonical", apex.clone(), Severity::Pass, "", "");
    f.evidence = chains
        .iter()
        .map(|c| match c.landed() {
            Some((url, status)) => format!(
                "{} → {url} ({status}, {} redirect(s))",
                c.start,
                c.redirects()
            ),
            None => format!(
                "{} → no page ({})",
                c.start,
                c.evidence().last().cloned().unwrap_or_default()
            ),
        })
        .collect();
    let mut landed: Vec<String> = chains
        .iter()
        .filter_map(|c| c.landed())
        .map(|(u, _)| u.to_string())
        .collect();
    let answered = landed.len();
    let silent = chains
        .iter()
        .all(|c| matches!(c.end, ChainEnd::Failed(_) | ChainEnd::Deadline));
    if answered == 0 && silent {
        // Not one variant answered at all: nothing about redirects to judge.
        let mut none = crate::checks::inconclusive(
            "redirect.canonical",
            apex.clone(),
            handover_model::Cause::Unreachable,
            format!("none of the {} address variants answered", chains.len()),
        );
        none.evidence = f.evidence;
        return vec![none];
    }
    landed.sort();
    landed.dedup();
    (f.severity, f.title, f.detail) = if answered < chains.len() {
        (Severity::Medium, "Not every variant of the address reaches a page".into(),
            "Visitors type the name with or without www and https. Every variant should end, by redirect, at one page.".into())
    } else if landed.len() > 1 {
        (Severity::Medium, format!("The address variants end at {} different URLs", landed.len()),
            "Apex and www, over HTTP and HTTPS, should all redirect to one canonical URL; otherwise search engines see duplicates and cookies split.".into())
    } else {
        (
            Severity::Pass,
            format!(
                "All {} variants end at {}",
                chains.len(),
                landed.first().cloned().unwrap_or_default()
            ),
            String::new(),
        )
    };
    vec![f]
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::checks::http::follow::test_chain as chain;

    #[test]
    fn https_redirect_verdicts() {
        let host = "example.test";
        let good = chain(
            &[
                ("http://example.test/", 301),
                ("https://example.test/", 200),
            ],
            ChainEnd::Final,
        );
        assert_eq!(https_verdict(host, &good).0, Severity::Pass);
        let canon = chain(
            &[
                ("http://example.test/", 301),
                ("https://example.test/", 301),
                ("https://www.example.test/", 200),
            ],
            ChainEnd::Final,
        );
        assert_eq!(https_verdict(host, &canon).0, Severity::Pass);
        let elsewhere = chain(
            &[
                ("http://example.test/", 301),
                ("https://www.example.test/", 200),
            ],
            ChainEnd::Final,
        );
        assert_eq!(
            https_verdict(host, &elsewhere).1,
            "Plain HTTP goes to HTTPS on another host first"
        );
        let plain = chain(&[("http://example.test/", 200)], ChainEnd::Final);
        assert_eq!(https_verdict(host, &plain).0, Severity::High);
        let closed = chain(
            &[],
            ChainEnd::Failed(FetchError::Unreachable {
                url: "u".into(),
                refused: true,
                reason: "refused".into(),
            }),
        );
        assert_eq!(https_verdict(host, &closed).0, Severity::Low);
    }

    #[test]
    fn chain_verdicts() {
        let long: Vec<(String, u16)> = (0..5)
            .map(|i| (format!("https://example.test/{i}"), 301))
            .collect();
        let mut hops: Vec<(&str, u16)> = long.iter().map(|(u, s)| (u.as_str(), *s)).collect();
        hops.push(("https://example.test/end", 200));
        assert_eq!(
            chain_verdict(&chain(&hops, ChainEnd::Final)),
            (Severity::Medium, "5 redirects before the page".into())
        );
        assert_eq!(
            chain_verdict(&chain(&hops[3..], ChainEnd::Final)).0,
            Severity::Pass
        );
        let looped = ChainEnd::Loop {
            url: Url::parse("https://example.test/0").unwrap(),
        };
        assert_eq!(chain_verdict(&chain(&hops[..2], looped)).0, Severity::High);
        let down = chain(
            &[
                ("https://example.test/", 301),
                ("http://example.test/", 200),
            ],
            ChainEnd::Final,
        );
        assert_eq!(chain_verdict(&down).0, Severity::High);
    }
}
