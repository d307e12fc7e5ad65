//! Reading what a rate limiter says about itself: `Retry-After` (RFC 9110
//! §10.2.3, delta-seconds or an HTTP-date) and the three families of
//! rate-limit headers in use:
//!
//! - the IETF draft's structured fields (draft-ietf-httpapi-ratelimit-headers):
//!   `RateLimit: "default";r=0;t=30` (remaining, seconds to reset) and
//!   `RateLimit-Policy: "default";q=100;w=60` (quota per window); its
//!   draft-07 dictionary form `RateLimit: limit=100, remaining=0, reset=30`
//!   is read too;
//! - the older split headers `RateLimit-Limit`, `RateLimit-Remaining`,
//!   `RateLimit-Reset`;
//! - the `X-RateLimit-Limit`, `-Remaining` and `-Reset` headers many
//!   frameworks send. A reset above [`EPOCH_RESET`] is a Unix time (as
//!   GitHub sends it), anything smaller a number of seconds.
//!
//! Nothing here judges; the check reports what was advertised. A header
//! that does not parse is left out of what is advertised (the evidence
//! still shows it as sent).

use std::time::Duration;

use time::OffsetDateTime;

use super::sf::parse_list;
use crate::checks::http::HeaderMap;

/// An `X-RateLimit-Reset` (or `RateLimit-Reset`) at or above this is a
/// Unix time, not seconds from now (a billion seconds is 31 years).
pub const EPOCH_RESET: u64 = 1_000_000_000;

/// What `Retry-After` asked for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RetryAfter {
    /// Delta-seconds, e.g. `Retry-After: 120`.
    Seconds(u64),
    /// An HTTP-date, with how long from the reference time it lies
    /// (zero when it is already past).
    Date(Duration),
}

impl RetryAfter {
    /// How long it asks the client to wait.
    pub fn wait(self) -> Duration {
        match self {
            RetryAfter::Seconds(s) => Duration::from_secs(s),
            RetryAfter::Date(d) => d,
        }
    }
}

/// Parses a `Retry-After` value. An HTTP-date is measured from `reference`
/// (the response's own `Date` when it sent one, so the two clocks agree;
/// else the local clock).
pub fn retry_after(value: &str, reference: OffsetDateTime) -> Option<RetryAfter> {
    let value = value.trim();
    if !value.is_empty() && value.bytes().all(|b| b.is_ascii_digit()) {
        return value.parse().ok().map(RetryAfter::Seconds);
    }
    let at = http_date(value)?;
    let ahead = at - reference;
    Some(RetryAfter::Date(
        Duration::try_from(ahead).unwrap_or(Duration::ZERO),
    ))
}

/// `Retry-After` of a response, its `Date` (when it parses) as the reference.
pub fn retry_after_of(headers: &HeaderMap) -> Option<RetryAfter> {
    let value = headers.get("retry-after")?.to_str().ok()?;
    let reference = headers
        .get("date")
        .and_then(|d| d.to_str().ok())
        .and_then(http_date)
        .unwrap_or_else(OffsetDateTime::now_utc);
    retry_after(value, reference)
}

/// Parses an HTTP-date in any of the three forms a recipient must accept
/// (RFC 9110 §5.6.7): IMF-fixdate `Sun, 06 Nov 1994 08:49:37 GMT`, the
/// obsolete RFC 850 form `Sunday, 06-Nov-94 08:49:37 GMT` and asctime
/// `Sun Nov  6 08:49:37 1994` (the `httpdate` crate).
pub fn http_date(value: &str) -> Option<OffsetDateTime> {
    httpdate::parse_http_date(value.trim())
        .ok()
        .map(OffsetDateTime::from)
}

/// Which family of headers a [`Quota`] was read from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Family {
    /// `RateLimit` / `RateLimit-Policy` (the IETF draft).
    Ietf,
    /// `RateLimit-Limit`, `-Remaining`, `-Reset`.
    Split,
    /// `X-RateLimit-Limit`, `-Remaining`, `-Reset`.
    X,
}

impl Family {
    /// The headers as named in evidence.
    pub fn label(self) -> &'static str {
        match self {
            Family::Ietf => "RateLimit / RateLimit-Policy",
            Family::Split => "RateLimit-Limit / -Remaining / -Reset",
            Family::X => "X-RateLimit-Limit / -Remaining / -Reset",
        }
    }
}

/// One limit a response advertised; fields it did not say are `None`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Quota {
    /// Where it was read from.
    pub family: Family,
    /// The policy's name (IETF headers only), e.g. `default`.
    pub policy: Option<String>,
    /// Requests (or quota units) allowed per window.
    pub limit: Option<u64>,
    /// What is left in the current window.
    pub remaining: Option<u64>,
    /// Seconds until the window resets.
    pub reset: Option<u64>,
    /// The window, seconds.
    pub window: Option<u64>,
}

impl Quota {
    fn new(family: Family) -> Self {
        Self {
            family,
            policy: None,
            limit: None,
            remaining: None,
            reset: None,
            window: None,
        }
    }

    fn is_empty(&self) -> bool {
        self.limit.is_none()
            && self.remaining.is_none()
            && self.reset.is_none()
            && self.window.is_none()
    }

    /// One line of evidence, e.g. `RateLimit / RateLimit-Policy "default":
    /// 10 per 1 s, 0 left, resets in 1 s`.
    pub fn describe(&self) -> String {
        let mut parts = Vec::new();
        match (self.limit, self.window) {
            (Some(l), Some(w)) => parts.push(format!("{l} per {w} s")),
            (Some(l), None) => parts.push(format!("limit {l}")),
            (None, Some(w)) => parts.push(format!("window {w} s")),
            (None, None) => {}
        }
        if let Some(r) = self.remaining {
            parts.push(format!("{r} left"));
        }
        if let Some(t) = self.reset {
            parts.push(format!("resets in {t} s"));
        }
        let name = self
            .policy
            .as_ref()
            .map(|p| format!(" {p:?}"))
            .unwrap_or_default();
        format!("{}{name}: {}", self.family.label(), parts.join(", "))
    }
}

/// Every limit `headers` advertise, IETF first, then the split and `X-`
/// headers; `now` turns a Unix-time reset into seconds.
pub fn quotas(headers: &HeaderMap, now: OffsetDateTime) -> Vec<Quota> {
    let text = |name: &str| {
        let values: Vec<&str> = headers
            .get_all(name)
            .into_iter()
            .filter_map(|v| v.to_str().ok())
            .collect();
        (!values.is_empty()).then(|| values.join(", "))
    };
    let mut out = ietf(
        text("ratelimit").as_deref(),
        text("ratelimit-policy").as_deref(),
    );
    for (family, prefix) in [(Family::Split, "ratelimit-"), (Family::X, "x-ratelimit-")] {
        let number = |suffix: &str| text(&format!("{prefix}{suffix}")).and_then(|v| leading(&v));
        let mut q = Quota::new(family);
        q.limit = number("limit");
        q.remaining = number("remaining");
        q.reset = number("reset").map(|r| seconds_from(r, now));
        if !q.is_empty() {
            out.push(q);
        }
    }
    out
}

/// The leading integer of a value such as `100` or `100, 100;w=60`.
fn leading(value: &str) -> Option<u64> {
    let digits: String = value
        .trim()
        .chars()
        .take_while(|c| c.is_ascii_digit())
        .collect();
    digits.parse().ok()
}

/// A reset as seconds from `now` ([`EPOCH_RESET`] and above is a Unix time).
fn seconds_from(reset: u64, now: OffsetDateTime) -> u64 {
    if reset >= EPOCH_RESET {
        let now = u64::try_from(now.unix_timestamp()).unwrap_or(0);
        reset.saturating_sub(now)
    } else {
        reset
    }
}

/// The IETF headers, joined by policy name (one [`Quota`] per policy).
pub fn ietf(limit: Option<&str>, policy: Option<&str>) -> Vec<Quota> {
    fn entry(name: Option<String>, out: &mut Vec<Quota>) -> usize {
        match out.iter().position(|q| q.policy == name) {
            Some(i) => i,
            None => {
                let mut q = Quota::new(Family::Ietf);
                q.policy = name;
                out.push(q);
                out.len() - 1
            }
        }
    }
    let mut out: Vec<Quota> = Vec::new();
    for member in policy.and_then(parse_list).unwrap_or_default() {
        let i = entry(member.name(), &mut out);
        out[i].limit = member.int("q").or(member.int_item());
        out[i].window = member.int("w");
    }
    for member in limit.and_then(parse_list).unwrap_or_default() {
        match member.key.as_deref() {
            // draft-07's dictionary: limit=100, remaining=0, reset=30
            Some(key) => {
                let i = entry(None, &mut out);
                let value = member.int_item();
                match key {
                    "limit" => out[i].limit = value,
                    "remaining" => out[i].remaining = value,
                    "reset" => out[i].reset = value,
                    _ => {}
                }
            }
            None => {
                let i = entry(member.name(), &mut out);
                out[i].remaining = member.int("r");
                out[i].reset = member.int("t");
            }
        }
    }
    out.retain(|q| !q.is_empty());
    out
}
