//! Fetching one file of the site: same-site redirects followed by hand,
//! the body decoded and capped, an error status or a cut body reported as
//! the reason the file was skipped.

use std::collections::HashSet;
use std::time::Duration;

use handover_model::SkipReason;
use url::Url;

use super::Site;
use crate::checks::http::{fetch, redact_url, Request, ACCEPT_ENCODING};
use crate::checks::net::Net;

/// A body read through same-site redirects.
pub(super) struct Got {
    pub(super) url: Url,
    pub(super) bytes: Vec<u8>,
    /// The `SourceMap` (or `X-SourceMap`) header.
    pub(super) header_map: Option<String>,
}

/// How an error status reads in a skip reason.
pub(super) const STATUS: &str = "the server answered HTTP ";

/// A skip for a file that could not be read, with why.
pub(super) fn unreadable(error: &str) -> SkipReason {
    SkipReason::Unreadable {
        error: error.to_string(),
    }
}

/// `GET url` and the same-site redirects after it, the body decoded and at
/// most `cap` bytes (more is [`SkipReason::TooLarge`]).
pub(super) async fn get(
    net: &Net,
    site: &Site,
    url: &Url,
    cap: usize,
    timeout: Duration,
) -> Result<Got, SkipReason> {
    let started = tokio::time::Instant::now();
    let mut next = url.clone();
    let mut visited = HashSet::new();
    loop {
        visited.insert(next.clone());
        let left = timeout.saturating_sub(started.elapsed());
        let request = Request::get(next.clone())
            .header("accept", "*/*")
            .header("accept-encoding", ACCEPT_ENCODING)
            .timeout(left.max(Duration::from_millis(1)))
            .body_limit(cap);
        let response = fetch(net, request)
            .await
            .map_err(|e| unreadable(&e.to_string()))?;
        if let Some(location) = response
            .header("location")
            .filter(|_| response.is_redirect())
        {
            let to = next
                .join(location.trim())
                .map_err(|_| unreadable("redirects to a URL that cannot be read"))?;
            if !site.owns(&to) {
                return Err(unreadable(&format!(
                    "redirects to {} on another site, not followed",
                    redact_url(&to)
                )));
            }
            if visited.contains(&to) || visited.len() > net.limits().redirects {
                return Err(unreadable("redirects in a loop or too often"));
            }
            next = to;
            continue;
        }
        if !(200..300).contains(&response.status) {
            return Err(unreadable(&format!("{STATUS}{}", response.status)));
        }
        let decoded = response
            .decoded(cap)
            .map_err(|e| unreadable(&e.to_string()))?;
        if response.timed_out {
            return Err(unreadable(&format!(
                "the download did not finish within {} s",
                timeout.as_secs_f32()
            )));
        }
        if decoded.capped {
            let sent = response
                .header("content-length")
                .and_then(|v| v.parse::<u64>().ok())
                .unwrap_or(0);
            return Err(SkipReason::TooLarge {
                bytes: sent.max(decoded.bytes.len() as u64),
                limit: cap as u64,
            });
        }
        let header_map = response
            .header("sourcemap")
            .or_else(|| response.header("x-sourcemap"))
            .map(str::to_string);
        return Ok(Got {
            url: next,
            bytes: decoded.bytes,
            header_map,
        });
    }
}
