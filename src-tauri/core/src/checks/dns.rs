//! # DNS checks
//!
//! - `dns.resolve`: every host resolves (A/AAAA, CNAME chains followed and
//!   shown); a host that does not exist, a failing server or no answer at
//!   all is a blocker.
//! - `dns.ns`: the apex's name servers, each asked directly for the apex's
//!   SOA; notes Cloudflare-managed DNS.
//! - `dns.caa`: per host, whose CAA records apply (the host's, a parent's,
//!   or a CNAME target's, per RFC 8659) and whether they allow the CA of the
//!   certificate the host serves.
//! - `dns.dangling_cname`: a CNAME whose target does not exist (NXDOMAIN),
//!   the classic subdomain-takeover opening; a target that exists without
//!   an address is graded apart.
//!
//! Each check builds the run's [`Net`] (the project's DNS server when it
//! names one) and looks at every host in parallel.

use handover_model::{Cause, Finding, Severity};

use super::net::{Net, NetError};
use super::{finding, inconclusive, CheckDef, CheckTarget};

mod caa;
#[cfg(test)]
mod caa_tests;
pub(crate) mod records;
mod resolve;
#[cfg(test)]
mod tests;
mod zone;

pub use caa::{climb, relevant, Relevant};
pub use records::{addresses, cname_chain, records, Resolved, MAX_CNAME_HOPS};

/// The DNS checks, under their catalog ids.
pub(super) fn definitions() -> Vec<CheckDef> {
    vec![
        CheckDef::new("dns.resolve", |net, target| {
            Box::pin(resolve::resolve(net, target))
        }),
        CheckDef::new("dns.ns", |net, target| {
            Box::pin(zone::name_servers(net, target))
        }),
        CheckDef::new("dns.caa", |net, target| Box::pin(caa::caa(net, target))),
        CheckDef::new("dns.dangling_cname", |net, target| {
            Box::pin(resolve::dangling(net, target))
        }),
    ]
}

/// Runs the DNS check `id` over an existing network context (tests and
/// callers with their own limits); `None` for an unknown id.
pub async fn run_with(id: &str, net: &Net, target: &CheckTarget) -> Option<Vec<Finding>> {
    if !id.starts_with("dns.") {
        return None;
    }
    super::run_with(id, net, target).await
}

/// A finding for a lookup of `host` that failed with `err`: judged at
/// `severity` when the DNS answered (NXDOMAIN, no address, SERVFAIL);
/// inconclusive when nothing answered in time or the lookup could not be
/// made, and when the caller passes `Info` (it cannot tell from a failure).
fn lookup_failed(check: &str, host: &str, err: &NetError, severity: Severity) -> Finding {
    let answered = matches!(
        err,
        NetError::NoSuchHost { .. } | NetError::NoAddress { .. } | NetError::DnsFailure { .. }
    );
    if !answered || severity == Severity::Info {
        let mut f = inconclusive(check, host, Cause::Unreachable, format!("{err}"));
        f.evidence.push(err.to_string());
        return f;
    }
    let (title, detail) = match err {
        NetError::NoSuchHost { .. } => (
            format!("{host} does not exist in DNS"),
            "The name servers answer NXDOMAIN: visitors get \"server not found\". Add the record at your DNS provider.".to_string(),
        ),
        NetError::NoAddress { .. } => (
            format!("{host} has no address"),
            "The name exists but has no A or AAAA record, so browsers cannot reach it. Add the record at your DNS provider.".to_string(),
        ),
        NetError::DnsFailure { code, .. } => (
            format!("DNS fails for {host}"),
            format!("The DNS server answered \"{code}\": lookups of this name fail for everyone using it. Check the zone at your DNS provider."),
        ),
        other => (format!("Looking up {host} failed"), other.to_string()),
    };
    let mut f = finding(check, host, severity, title, detail);
    f.evidence.push(err.to_string());
    f
}
