//! `redirect.legacy_urls`: known old addresses still lead somewhere.
//!
//! Each configured old → new pair (a full URL, or a path on the apex over
//! HTTPS) is followed by hand; it must end, by redirect, at the new URL
//! with a 2xx answer.

use handover_model::{Finding, Severity};
use url::Url;

use super::redirects::chain_finding;
use super::{each, url_for, PARALLEL};
use crate::checks::http::{follow, Chain};
use crate::checks::net::Net;
use crate::checks::{CheckDef, CheckTarget};

pub(super) fn checks() -> Vec<CheckDef> {
    vec![
        super::check("redirect.legacy_urls", |n, t| Box::pin(legacy(n, t)))
            .only_if(|t| !t.legacy_urls.is_empty(), "old → new addresses"),
    ]
}

/// Resolves a legacy-URL entry: a full URL, or a path on the apex over HTTPS.
fn legacy_url(target: &CheckTarget, text: &str) -> Option<Url> {
    if text.starts_with("http://") || text.starts_with("https://") {
        Url::parse(text).ok()
    } else {
        url_for(target, "https", &target.name(), text)
    }
}

/// `redirect.legacy_urls` for one old → new pair.
pub fn legacy_verdict(chain: &Chain, expected: &Url) -> (Severity, String) {
    match chain.landed() {
        None => (Severity::Medium, "The old URL does not reach a page".into()),
        Some((url, _)) if chain.redirects() == 0 && url != expected => (
            Severity::Medium,
            "The old URL answers itself instead of redirecting".into(),
        ),
        Some((url, status)) if url == expected && (200..300).contains(&status) => {
            (Severity::Pass, format!("Redirects to {expected}"))
        }
        Some((url, status)) if url == expected => (
            Severity::Medium,
            format!("Redirects to the new URL, which answers {status}"),
        ),
        Some((url, status)) => (
            Severity::Medium,
            format!("Ends at {url} ({status}) instead of {expected}"),
        ),
    }
}

async fn legacy(net: &Net, target: &CheckTarget) -> Vec<Finding> {
    each(
        target.legacy_urls.clone(),
        PARALLEL,
        |(old, new)| async move {
            let (Some(from), Some(to)) = (legacy_url(target, &old), legacy_url(target, &new))
            else {
                return crate::checks::inconclusive(
                    "redirect.legacy_urls",
                    old.clone(),
                    handover_model::Cause::CouldNotStart,
                    format!("{old} → {new} is not a usable pair of addresses"),
                );
            };
            let chain = follow(net, from).await;
            let (severity, title) = legacy_verdict(&chain, &to);
            let detail = if severity == Severity::Pass {
                String::new()
            } else {
                format!("Links and bookmarks to the old address should land on {to} with a 301.")
            };
            chain_finding("redirect.legacy_urls", &chain, severity, &title, &detail)
        },
    )
    .await
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::checks::http::follow::test_chain as chain;
    use crate::checks::http::ChainEnd;

    #[test]
    fn legacy_verdicts() {
        let new = Url::parse("https://example.test/new").unwrap();
        let ok = chain(
            &[
                ("https://example.test/old", 301),
                ("https://example.test/new", 200),
            ],
            ChainEnd::Final,
        );
        assert_eq!(legacy_verdict(&ok, &new).0, Severity::Pass);
        let gone = chain(&[("https://example.test/old", 404)], ChainEnd::Final);
        assert_eq!(
            legacy_verdict(&gone, &new),
            (
                Severity::Medium,
                "The old URL answers itself instead of redirecting".into()
            )
        );
        let wrong = chain(
            &[
                ("https://example.test/old", 301),
                ("https://example.test/", 200),
            ],
            ChainEnd::Final,
        );
        assert_eq!(
            legacy_verdict(&wrong, &new).1,
            "Ends at https://example.test/ (200) instead of https://example.test/new"
        );
        let broken = chain(
            &[
                ("https://example.test/old", 301),
                ("https://example.test/new", 404),
            ],
            ChainEnd::Final,
        );
        assert_eq!(
            legacy_verdict(&broken, &new).1,
            "Redirects to the new URL, which answers 404"
        );
    }
}
