//! # DNS checks
//!
//! - `dns.resolve`: every host resolves (A/AAAA, CNAME chains followed and
//!   shown); a host that does not exist, a failing server or no answer at
//!   all is a blocker.
//! - `dns.ns`: the apex's name servers, each asked directly for the apex's
//!   SOA; notes Cloudflare-managed DNS.
//! - `dns.caa`: which CAs the apex allows to issue certificates.
//! - `dns.dangling_cname`: a CNAME whose target does not exist, the classic
//!   subdomain-takeover opening.
//!
//! Each check builds the run's [`Net`] (the project's DNS server when it
//! names one) and looks at every host in parallel.

use std::sync::Arc;
use std::time::Duration;

use handover_model::{Finding, Severity};

use super::net::{Net, NetError};
use super::{finding, Check, CheckFuture, CheckTarget};

mod records;
mod resolve;
#[cfg(test)]
mod tests;
mod zone;

pub use records::{addresses, cname_chain, records, Resolved};

/// The body of a DNS check, given the run's network context.
type Body = for<'a> fn(&'a Net, &'a CheckTarget) -> CheckFuture<'a>;

/// A DNS check: a catalog id and its body.
struct DnsCheck {
    id: &'static str,
    body: Body,
}

impl Check for DnsCheck {
    fn id(&self) -> &'static str {
        self.id
    }

    fn deadline(&self) -> Duration {
        Duration::from_secs(20)
    }

    fn run<'a>(&'a self, target: &'a CheckTarget) -> CheckFuture<'a> {
        Box::pin(async move {
            match target.net_for(self.id) {
                Ok(net) => (self.body)(&net, target).await,
                Err(cannot_start) => cannot_start,
            }
        })
    }
}

fn all() -> Vec<DnsCheck> {
    vec![
        DnsCheck {
            id: "dns.resolve",
            body: |net, target| Box::pin(resolve::resolve(net, target)),
        },
        DnsCheck {
            id: "dns.ns",
            body: |net, target| Box::pin(zone::name_servers(net, target)),
        },
        DnsCheck {
            id: "dns.caa",
            body: |net, target| Box::pin(zone::caa(net, target)),
        },
        DnsCheck {
            id: "dns.dangling_cname",
            body: |net, target| Box::pin(resolve::dangling(net, target)),
        },
    ]
}

/// Every DNS check, under its catalog id.
pub fn dns_checks() -> Vec<Arc<dyn Check>> {
    all()
        .into_iter()
        .map(|c| Arc::new(c) as Arc<dyn Check>)
        .collect()
}

/// Runs the DNS check `id` over an existing network context (tests and
/// callers with their own limits); `None` for an unknown id.
pub async fn run_with(id: &str, net: &Net, target: &CheckTarget) -> Option<Vec<Finding>> {
    let check = all().into_iter().find(|c| c.id == id)?;
    Some((check.body)(net, target).await)
}

/// A finding for a lookup of `host` that failed with `err`, at `severity`
/// unless the failure says it could not tell (then Info).
fn lookup_failed(check: &str, host: &str, err: &NetError, severity: Severity) -> Finding {
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
        NetError::DnsTimeout { .. } => (
            format!("No DNS answer for {host}"),
            "No DNS server answered in time: lookups hang and then fail. Check that the domain's name servers are up and delegated.".to_string(),
        ),
        other => (format!("Looking up {host} failed"), other.to_string()),
    };
    let mut f = finding(check, host, severity, title, detail);
    f.evidence.push(err.to_string());
    f
}
