//! The page users get: a host's `/` followed through **same-site**
//! redirects (apex → `www`, `/` → `/login`), so the header checks judge the
//! page a visitor lands on, never the 301 in front of it.
//!
//! Same site here means the target's apex itself or a host under it
//! (`www.example.com`, `app.example.com` for `example.com`); a redirect to
//! another site ends the walk without a page (its headers are not this
//! product's), as do loops, the hop limit, the chain deadline and a hop
//! that fails — the page checks then say they could not judge, and the
//! redirect checks judge the hops themselves.

use std::collections::HashSet;
use std::time::Instant;

use handover_model::Cause;
use url::Url;

use super::html::meta_csp;
use crate::checks::http::follow::CHAIN_DEADLINE;
use crate::checks::http::{fetch, Chain, ChainEnd, FetchError, Hop, Request, Response};
use crate::checks::http::{redact_url, ACCEPT_ENCODING};
use crate::checks::net::Net;

/// Body bytes read per hop, enough for the `<head>` and its `<meta>` CSP.
pub const HEAD_BYTES: usize = 64 * 1024;
/// Most decoded bytes scanned for `<meta>` policies.
pub const HEAD_TEXT_BYTES: usize = 256 * 1024;

/// A host's `/` and the same-site redirects after it.
#[derive(Debug, Clone)]
pub struct Landing {
    /// The hops, as the redirect checks show them.
    pub chain: Chain,
    /// One response per hop, in order (never empty).
    pub responses: Vec<Response>,
    /// Why no page was reached: the inconclusive cause and reason.
    pub stopped: Option<(Cause, String)>,
}

impl Landing {
    /// The host's own answer to `GET /`.
    pub fn own(&self) -> &Response {
        &self.responses[0]
    }

    /// The page reached, unless the walk stopped without one.
    pub fn page(&self) -> Option<&Response> {
        self.stopped
            .is_none()
            .then(|| self.responses.last())
            .flatten()
    }

    /// Whether the page is another URL than the host's own `/`.
    pub fn redirected(&self) -> bool {
        self.responses.len() > 1
    }

    /// The `<meta http-equiv="Content-Security-Policy">` policies of the page.
    pub fn meta_csp(&self) -> Vec<String> {
        self.page()
            .filter(|p| {
                matches!(
                    p.mime().as_str(),
                    "text/html" | "application/xhtml+xml" | ""
                )
            })
            .and_then(|p| p.text(HEAD_TEXT_BYTES).ok())
            .map(|html| meta_csp(&html))
            .unwrap_or_default()
    }

    /// The hops as evidence lines (empty when `/` answered itself).
    pub fn hop_evidence(&self) -> Vec<String> {
        if self.redirected() || self.stopped.is_some() {
            self.chain.evidence()
        } else {
            Vec::new()
        }
    }
}

/// Whether `host` is the apex or under it.
pub fn same_site(apex: &str, host: &str) -> bool {
    let (apex, host) = (apex.to_ascii_lowercase(), host.to_ascii_lowercase());
    let host = host.trim_end_matches('.');
    host == apex || host.ends_with(&format!(".{apex}"))
}

/// `GET url`, then every same-site redirect, within the chain deadline and
/// the run's hop limit. `Err` only when the first request got no answer.
pub async fn land(net: &Net, apex: &str, url: Url) -> Result<Landing, FetchError> {
    let started = Instant::now();
    let mut landing = Landing {
        chain: Chain {
            start: url.clone(),
            hops: Vec::new(),
            end: ChainEnd::Final,
            total_ms: 0,
        },
        responses: Vec::new(),
        stopped: None,
    };
    let mut visited = HashSet::new();
    let mut next = url;
    loop {
        let Some(left) = CHAIN_DEADLINE.checked_sub(started.elapsed()) else {
            landing.chain.end = ChainEnd::Deadline;
            landing.stopped = Some((
                Cause::TimedOut,
                "the redirects did not finish in time".into(),
            ));
            break;
        };
        visited.insert(next.clone());
        let request = Request::get(next.clone())
            .header("accept", "text/html,*/*;q=0.8")
            .header("accept-encoding", ACCEPT_ENCODING)
            .timeout(left)
            .body_limit(HEAD_BYTES);
        let response = match fetch(net, request).await {
            Ok(r) => r,
            Err(err) if landing.responses.is_empty() => return Err(err),
            Err(err) => {
                let cause = match err {
                    FetchError::Timeout { .. } => Cause::TimedOut,
                    _ => Cause::Unreachable,
                };
                landing.stopped = Some((
                    cause,
                    format!("a same-site redirect leads to a URL that does not answer ({err})"),
                ));
                landing.chain.end = ChainEnd::Failed(err);
                break;
            }
        };
        landing.chain.hops.push(Hop {
            url: next.clone(),
            status: response.status,
            location: response.header("location").map(str::to_string),
            elapsed_ms: response.total_ms,
        });
        let location = response
            .header("location")
            .filter(|_| response.is_redirect())
            .map(str::to_string);
        landing.responses.push(response);
        let Some(location) = location else { break };
        let mut to = match next.join(location.trim()) {
            Ok(t) if matches!(t.scheme(), "http" | "https") && t.host_str().is_some() => t,
            _ => {
                landing.chain.end = ChainEnd::BadLocation { location };
                landing.stopped = Some((
                    Cause::Unreachable,
                    "a redirect points nowhere usable, so no page was reached".into(),
                ));
                break;
            }
        };
        if !same_site(apex, to.host_str().unwrap_or_default()) {
            landing.stopped = Some((Cause::NothingToCheck, format!(
                "{} redirects to {}, another site: the page there is not this product's, so its headers are not judged (redirect.chain judges the hop)",
                redact_url(&next), redact_url(&to)
            )));
            break;
        }
        to.set_fragment(None); // never sent; `/` → `/#top` is a loop
        if visited.contains(&to) {
            landing.stopped = Some((
                Cause::Unreachable,
                "the redirects loop and never reach a page (see redirect.chain)".into(),
            ));
            landing.chain.end = ChainEnd::Loop { url: to };
            break;
        }
        if landing.chain.redirects() >= net.limits().redirects {
            landing.chain.end = ChainEnd::TooManyHops;
            landing.stopped = Some((
                Cause::Unreachable,
                format!(
                    "still redirecting after {} redirects (see redirect.chain)",
                    landing.chain.redirects()
                ),
            ));
            break;
        }
        next = to;
    }
    landing.chain.total_ms = started.elapsed().as_millis() as u64;
    Ok(landing)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn same_site_is_the_apex_and_below() {
        assert!(same_site("example.test", "example.test"));
        assert!(same_site("example.test", "WWW.Example.test."));
        assert!(!same_site("example.test", "badexample.test"));
        assert!(!same_site("example.test", "example.test.evil.test"));
    }
}
