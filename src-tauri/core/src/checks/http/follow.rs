//! Redirects followed by hand, one recorded hop at a time.
//!
//! Like curl's `--max-redirs`, at most [`Follow::max_hops`] redirects are
//! followed (so at most one more request than that is sent); a `Location`
//! that points back at a URL already visited ends the chain as a loop at
//! once, and the whole chain shares one deadline.

use std::collections::HashSet;
use std::time::{Duration, Instant};

use url::Url;

use super::{fetch, redact_url, FetchError, Method, Request};
use crate::checks::net::Net;

/// The deadline of a whole chain unless the caller sets another.
pub const CHAIN_DEADLINE: Duration = Duration::from_secs(10);

/// How a chain is followed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Follow {
    /// Most redirects followed.
    pub max_hops: usize,
    /// Deadline for the whole chain.
    pub deadline: Duration,
    /// Headers sent with every request.
    pub headers: super::HeaderMap,
}

/// One request of a chain.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Hop {
    /// The URL requested.
    pub url: Url,
    /// The status it answered.
    pub status: u16,
    /// Its `Location` header, as sent.
    pub location: Option<String>,
    /// How long the hop took, ms.
    pub elapsed_ms: u64,
}

/// Why a chain stopped.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ChainEnd {
    /// The last hop answered with something other than a redirect.
    Final,
    /// A `Location` led back to a URL already visited.
    Loop {
        /// The URL visited twice.
        url: Url,
    },
    /// The redirect limit was reached and the last hop still redirected.
    TooManyHops,
    /// The chain's deadline passed.
    Deadline,
    /// A `Location` that is not a usable http(s) URL.
    BadLocation {
        /// The header as sent.
        location: String,
    },
    /// A hop got no response.
    Failed(FetchError),
}

/// A followed chain.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Chain {
    /// Where it started.
    pub start: Url,
    /// Every request sent, in order.
    pub hops: Vec<Hop>,
    /// Why it stopped.
    pub end: ChainEnd,
    /// Milliseconds for the whole chain.
    pub total_ms: u64,
}

/// A change of scheme or port from one hop to the next.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Change {
    /// The hop that redirected.
    pub from: Url,
    /// Where it sent the client.
    pub to: Url,
}

impl Chain {
    /// The final URL and status, when the chain ended normally.
    pub fn landed(&self) -> Option<(&Url, u16)> {
        match (&self.end, self.hops.last()) {
            (ChainEnd::Final, Some(hop)) => Some((&hop.url, hop.status)),
            _ => None,
        }
    }

    /// Redirects followed.
    pub fn redirects(&self) -> usize {
        self.hops.len().saturating_sub(1)
    }

    /// Hops where the scheme changed (`http` → `https`, or a downgrade).
    pub fn scheme_changes(&self) -> Vec<Change> {
        self.changes(|a, b| a.scheme() != b.scheme())
    }

    /// Hops where the effective port changed.
    pub fn port_changes(&self) -> Vec<Change> {
        self.changes(|a, b| a.port_or_known_default() != b.port_or_known_default())
    }

    /// Whether some hop went from https back to plain http.
    pub fn downgrades(&self) -> bool {
        self.scheme_changes()
            .iter()
            .any(|c| c.from.scheme() == "https" && c.to.scheme() == "http")
    }

    /// Evidence: one redacted line per hop, then how it ended.
    pub fn evidence(&self) -> Vec<String> {
        let mut lines: Vec<String> = self
            .hops
            .iter()
            .enumerate()
            .map(|(i, hop)| {
                let to = hop
                    .location
                    .as_deref()
                    .filter(|_| (300..400).contains(&hop.status))
                    .map(|l| {
                        format!(
                            " → {}",
                            super::redact("location", l).trim_start_matches("location: ")
                        )
                    })
                    .unwrap_or_default();
                super::redact::cut(&format!(
                    "{}. GET {} → {} in {} ms{to}",
                    i + 1,
                    redact_url(&hop.url),
                    hop.status,
                    hop.elapsed_ms
                ))
            })
            .collect();
        lines.push(match &self.end {
            ChainEnd::Final => format!(
                "ended after {} redirect(s) in {} ms",
                self.redirects(),
                self.total_ms
            ),
            ChainEnd::Loop { url } => format!("loop: back to {}", redact_url(url)),
            ChainEnd::TooManyHops => format!("stopped after {} redirects", self.redirects()),
            ChainEnd::Deadline => format!("stopped at the deadline after {} ms", self.total_ms),
            ChainEnd::BadLocation { location } => {
                super::redact::cut(&format!("unusable Location: {location}"))
            }
            ChainEnd::Failed(err) => super::redact::cut(&err.to_string()),
        });
        lines
    }

    fn changes(&self, differs: impl Fn(&Url, &Url) -> bool) -> Vec<Change> {
        self.hops
            .windows(2)
            .filter(|w| differs(&w[0].url, &w[1].url))
            .map(|w| Change {
                from: w[0].url.clone(),
                to: w[1].url.clone(),
            })
            .collect()
    }
}

/// Follows redirects from `url` with the run's hop limit and the default
/// chain deadline.
pub async fn follow(net: &Net, url: Url) -> Chain {
    let options = Follow {
        max_hops: net.limits().redirects,
        deadline: CHAIN_DEADLINE,
        headers: super::HeaderMap::new(),
    };
    follow_with(net, url, &options).await
}

/// Follows redirects from `url` by hand (GET, bodies unread).
pub async fn follow_with(net: &Net, url: Url, options: &Follow) -> Chain {
    let started = Instant::now();
    let mut chain = Chain {
        start: url.clone(),
        hops: Vec::new(),
        end: ChainEnd::Final,
        total_ms: 0,
    };
    // A visit is a URL with the cookies the chain holds at that point: a
    // consent redirect that sets a cookie and sends the visitor back is not
    // a loop (browsers follow it too).
    let mut visited = HashSet::new();
    let mut jar = super::jar::Jar::default();
    let mut next = url;
    loop {
        let Some(left) = options.deadline.checked_sub(started.elapsed()) else {
            chain.end = ChainEnd::Deadline;
            break;
        };
        visited.insert((without_fragment(&next), jar.state()));
        let mut request = Request::new(Method::GET, next.clone())
            .timeout(left)
            .body_limit(0);
        request.headers.clone_from(&options.headers);
        if let Some(cookies) = jar.header_for(&next) {
            request = request.header("cookie", &cookies);
        }
        let hop_started = Instant::now();
        let response = match fetch(net, request).await {
            Ok(r) => r,
            Err(FetchError::Timeout { .. }) if started.elapsed() >= options.deadline => {
                chain.end = ChainEnd::Deadline;
                break;
            }
            Err(err) => {
                chain.end = ChainEnd::Failed(err);
                break;
            }
        };
        jar.store(&next, response.header_all("set-cookie"));
        let location = response.header("location").map(str::to_string);
        chain.hops.push(Hop {
            url: next.clone(),
            status: response.status,
            location: location.clone(),
            elapsed_ms: hop_started.elapsed().as_millis() as u64,
        });
        let Some(location) = location.filter(|_| response.is_redirect()) else {
            break;
        };
        let target = match next.join(location.trim()) {
            Ok(t) if matches!(t.scheme(), "http" | "https") && t.host_str().is_some() => t,
            _ => {
                chain.end = ChainEnd::BadLocation { location };
                break;
            }
        };
        if visited.contains(&(without_fragment(&target), jar.state())) {
            chain.end = ChainEnd::Loop { url: target };
            break;
        }
        if chain.redirects() >= options.max_hops {
            chain.end = ChainEnd::TooManyHops;
            break;
        }
        next = target;
    }
    chain.total_ms = started.elapsed().as_millis() as u64;
    chain
}

fn without_fragment(url: &Url) -> Url {
    let mut url = url.clone();
    url.set_fragment(None);
    url
}

/// A chain built by hand, for the verdict tests: one hop per `(url, status)`.
#[cfg(test)]
pub(crate) fn test_chain(hops: &[(&str, u16)], end: ChainEnd) -> Chain {
    let hops: Vec<Hop> = hops
        .iter()
        .map(|(u, s)| Hop {
            url: Url::parse(u).unwrap(),
            status: *s,
            location: None,
            elapsed_ms: 1,
        })
        .collect();
    Chain {
        start: hops.first().map_or_else(
            || Url::parse("http://example.test/").unwrap(),
            |h| h.url.clone(),
        ),
        hops,
        end,
        total_ms: 5,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn hop(url: &str, status: u16, location: Option<&str>) -> Hop {
        Hop {
            url: Url::parse(url).unwrap(),
            status,
            location: location.map(str::to_string),
            elapsed_ms: 3,
        }
    }

    fn chain(hops: Vec<Hop>, end: ChainEnd) -> Chain {
        Chain {
            start: hops[0].url.clone(),
            hops,
            end,
            total_ms: 9,
        }
    }

    #[test]
    fn scheme_and_port_changes_are_reported() {
        let c = chain(
            vec![
                hop("http://example.test/", 301, Some("https://example.test/")),
                hop(
                    "https://example.test/",
                    302,
                    Some("https://example.test:8443/"),
                ),
                hop("https://example.test:8443/", 200, None),
            ],
            ChainEnd::Final,
        );
        assert_eq!(c.redirects(), 2);
        assert_eq!(c.scheme_changes().len(), 1);
        assert_eq!(c.port_changes().len(), 2);
        assert!(!c.downgrades());
        assert_eq!(
            c.landed().map(|(u, s)| (u.as_str(), s)),
            Some(("https://example.test:8443/", 200))
        );
    }

    #[test]
    fn downgrades_are_noticed_and_loops_never_land() {
        let c = chain(
            vec![
                hop("https://example.test/", 301, Some("http://example.test/")),
                hop("http://example.test/", 301, Some("https://example.test/")),
            ],
            ChainEnd::Loop {
                url: Url::parse("https://example.test/").unwrap(),
            },
        );
        assert!(c.downgrades());
        assert_eq!(c.landed(), None);
    }

    #[test]
    fn evidence_has_a_line_per_hop_and_the_ending() {
        let c = chain(
            vec![
                hop("http://example.test/?token=abc", 302, Some("/next?code=1")),
                hop("http://example.test/next", 200, None),
            ],
            ChainEnd::Final,
        );
        assert_eq!(
            c.evidence(),
            vec![
                "1. GET http://example.test/?token=… → 302 in 3 ms → /next?code=…",
                "2. GET http://example.test/next → 200 in 3 ms",
                "ended after 1 redirect(s) in 9 ms",
            ]
        );
    }
}
