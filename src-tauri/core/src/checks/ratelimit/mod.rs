//! # Rate limits and the chat's fallback
//!
//! [`limit`] is `ratelimit.login` and `ratelimit.chat`: a bounded burst
//! ([`burst`]) must meet a 429 that lifts after its `Retry-After`
//! ([`headers`] and [`sf`] read that and the rate-limit headers;
//! [`verdict`] judges). [`fallback`] is `chat.fallback`: the chat
//! answers, with something to show, when the model fails.
//!
//! What is not probed: limits per account (Handover is one client), limits
//! wider than the burst, what the 429 or error text says to a person, and
//! whether the UI offers a retry. The bursts are load and run only with
//! the load probes agreed to ([`CheckTarget::load_probes`]); the fallback
//! probe sends one request per chat endpoint and always runs.
//!
//! [`CheckTarget::load_probes`]: crate::checks::CheckTarget::load_probes

use super::CheckDef;

pub mod burst;
pub mod fallback;
pub mod headers;
pub mod limit;
pub mod sf;
pub mod verdict;

#[cfg(test)]
mod edge_tests;
#[cfg(test)]
mod fallback_tests;
#[cfg(test)]
mod headers_tests;
#[cfg(test)]
mod limit_tests;

/// The rate-limit checks and the chat's fallback, under their catalog ids.
pub(super) fn checks() -> Vec<CheckDef> {
    let mut checks = limit::checks();
    checks.extend(fallback::checks());
    checks
}
