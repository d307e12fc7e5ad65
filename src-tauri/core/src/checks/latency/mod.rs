//! # Latency under light load
//!
//! [`load`] sends N requests from C concurrent virtual users (a closed
//! model), each user over a kept-alive HTTP/1.1 connection of its own
//! ([`conn`]), and [`stats`] reduces them to nearest-rank percentiles, a
//! histogram, status counts and an error rate; [`probe`] is the latency
//! checks (`latency.chat`, `.login`, `.dashboard`) built on them, and
//! [`phases`] adds each request's connection phases to their findings.
//!
//! ## Connection phases
//!
//! Taken from the probe's own requests; no request is added for them. A
//! request that has to open its user's connection (each user's first, and
//! any after the server closed one) times the phases as it opens it: the
//! DNS lookup, the TCP connect and, over HTTPS, the TLS handshake, each on
//! its own (curl's `time_namelookup`, `time_connect` and `time_appconnect`
//! are cumulative); its first byte (the response head) and total are
//! counted from the request's start, as curl's `time_starttransfer` and
//! `time_total` are. Against a server that keeps connections alive that is
//! C of the N requests (5 of 100): the finding names how many, gives their
//! medians by nearest rank (`dns_p50_ms`, `connect_p50_ms`, `tls_p50_ms`,
//! `new_connection_ttfb_p50_ms`, `new_connection_total_p50_ms`,
//! `phase_samples`) and counts the other requests as reused: they have no
//! phases and are never averaged in as zeros. Every answered request's time
//! to first byte gives `ttfb_p95_ms`; the verdict stays the p95 of totals.
//!
//! Not probed: DNS as a first visitor's resolver sees it (the lookup goes
//! through the run's resolver, which caches, so a host any check of the
//! run looked up answers from its cache; an IP address has no lookup and
//! no DNS phase); a first visit's TLS handshake when the run already holds
//! a session to resume (the finding counts resumed handshakes); plain HTTP
//! has no TLS phase; the connect phase covers every address tried in turn.
//! HTTP/2 and HTTP/3, proxies, redirects and the server's time split from
//! the transfer beyond first byte against total are not measured.

pub mod conn;
pub mod load;
pub mod phases;
pub mod probe;
pub mod stats;

#[cfg(test)]
mod load_tests;
#[cfg(test)]
mod probe_tests;

pub(super) use probe::checks;
