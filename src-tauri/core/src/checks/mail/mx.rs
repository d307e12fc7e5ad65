//! `email.mx`: where mail for the sending domain goes.
//!
//! The domain's MX records are read and each exchange is resolved to its
//! addresses. What is judged:
//!
//! - no MX at all: senders fall back to the domain's own address (the
//!   "implicit MX" of RFC 5321 §5.1) or give up, so replies and DMARC
//!   reports to the domain are lost;
//! - a null MX (`0 .`, RFC 7505) alone says "this domain takes no mail";
//!   beside other MX records it is invalid (RFC 7505 §3);
//! - an exchange must be a host name with A or AAAA records: not an IP
//!   address, not missing, and not an alias (RFC 5321 §5.1 says the name
//!   must not be a CNAME; most senders follow it anyway).
//!
//! A lookup nobody answered is inconclusive, never a pass.

use std::net::IpAddr;

use futures_util::future::join_all;
use handover_model::{Finding, Severity};
use hickory_resolver::proto::rr::{RData, RecordType};

use super::{answered, lookup_unanswered, CheckDef};
use crate::checks::dns::records::{addresses, records, trim};
use crate::checks::net::{Net, NetError};
use crate::checks::{finding, measure, CheckTarget};

const CHECK: &str = "email.mx";

/// How a null MX's exchange is written in what [`mx_hosts`] returns.
pub const NULL_MX: &str = ".";

/// The preference RFC 7505 §3 gives a null MX.
pub const NULL_MX_PREFERENCE: u16 = 0;

pub(super) fn checks() -> Vec<CheckDef> {
    vec![super::check(CHECK, |net, target| {
        Box::pin(check(net, target))
    })]
}

/// The MX records of `domain` as `(preference, exchange)`, lowest
/// preference first; exchanges are lowercase without the final dot, and a
/// null MX's is [`NULL_MX`]. An empty list when the domain has no MX
/// records; `Err(NetError::NoSuchHost)` when it does not exist.
pub async fn mx_hosts(net: &Net, domain: &str) -> Result<Vec<(u16, String)>, NetError> {
    let mut hosts: Vec<(u16, String)> = records(net, domain, RecordType::MX)
        .await?
        .into_iter()
        .filter_map(|data| match data {
            RData::MX(mx) => {
                let host = trim(&mx.exchange.to_ascii());
                let host = if host.is_empty() {
                    NULL_MX.to_string()
                } else {
                    host
                };
                Some((mx.preference, host))
            }
            _ => None,
        })
        .collect();
    hosts.sort();
    hosts.dedup();
    Ok(hosts)
}

/// Whether `exchange` (as [`mx_hosts`] gives it) is the null MX.
pub fn is_null(exchange: &str) -> bool {
    exchange == NULL_MX
}

/// The zone-file line of one MX record, for evidence.
fn line(domain: &str, preference: u16, exchange: &str) -> String {
    format!("{domain} MX {preference} {exchange}")
}

async fn check(net: &Net, target: &CheckTarget) -> Vec<Finding> {
    let domain = trim(&target.mail_domain);
    let hosts = match mx_hosts(net, &domain).await {
        Ok(hosts) => hosts,
        Err(err) if !answered(&err) => return vec![lookup_unanswered(CHECK, &domain, &err)],
        Err(err) => return vec![failed_lookup(&domain, &err)],
    };
    if hosts.is_empty() {
        return vec![no_mx(net, &domain).await];
    }
    let evidence: Vec<String> = hosts.iter().map(|(p, h)| line(&domain, *p, h)).collect();
    let nulls = hosts.iter().filter(|(_, h)| is_null(h)).count();
    let mut findings = Vec::new();
    if nulls > 0 {
        let mut f = if nulls == hosts.len() {
            let mut f = finding(
                CHECK,
                domain.as_str(),
                Severity::Info,
                format!("{domain} receives no mail (null MX)"),
                format!(
                    "{domain} publishes a null MX (RFC 7505): senders bounce mail to it at \
                     once instead of retrying. That is right for a domain that only sends; \
                     make sure your From or Reply-To address and DMARC report addresses \
                     are on a domain that does receive mail."
                ),
            );
            if hosts.iter().any(|(p, _)| *p != NULL_MX_PREFERENCE) {
                f.detail.push_str(&format!(
                    " RFC 7505 asks for preference {NULL_MX_PREFERENCE} on a null MX."
                ));
            }
            f
        } else {
            finding(
                CHECK,
                domain.as_str(),
                Severity::Medium,
                format!("{domain} mixes a null MX with other MX records"),
                format!(
                    "A null MX (`0 .`) says {domain} takes no mail, yet other MX records say \
                     where to deliver it; RFC 7505 §3 forbids the mix and senders treat it \
                     differently. Remove the null MX if the domain receives mail, or the \
                     other MX records if it does not."
                ),
            )
        };
        f.evidence = evidence;
        findings.push(f);
    }
    let exchanges = hosts.iter().filter(|(_, h)| !is_null(h));
    let judged = join_all(exchanges.map(|(preference, host)| {
        let record = line(&domain, *preference, host);
        async move { exchange(net, host, record).await }
    }))
    .await;
    findings.extend(judged);
    findings
}

/// The finding for one MX exchange: it must resolve, directly, to an address.
async fn exchange(net: &Net, host: &str, record: String) -> Finding {
    if host.trim_matches(['[', ']']).parse::<IpAddr>().is_ok() {
        let mut f = finding(
            CHECK,
            host,
            Severity::High,
            format!("MX {host} is an IP address, not a host name"),
            "An MX record must name a host (RFC 5321 §5.1); most senders refuse an address \
             there and mail does not arrive. Point the MX at a host name with an A record.",
        );
        f.evidence = vec![record];
        return f;
    }
    let mut f = match addresses(net, host).await {
        Ok(resolved) => {
            let mut f = if resolved.chain.is_empty() {
                finding(
                    CHECK,
                    host,
                    Severity::Pass,
                    format!("MX {host} resolves"),
                    format!("{host} has {} address record(s).", resolved.ips.len()),
                )
            } else {
                finding(
                    CHECK,
                    host,
                    Severity::Low,
                    format!("MX {host} is a CNAME"),
                    format!(
                        "{host} is an alias; RFC 5321 §5.1 says an MX must name the host \
                         itself. Most senders follow the alias, some do not: point the MX \
                         at the alias's target."
                    ),
                )
            };
            f.evidence = std::iter::once(record)
                .chain(resolved.evidence(host))
                .collect();
            f.measured = vec![measure("mx_addresses", resolved.ips.len() as f64, "count")];
            return f;
        }
        Err(err) if !answered(&err) => lookup_unanswered(CHECK, host, &err),
        Err(err) => {
            let title = match err {
                NetError::NoSuchHost { .. } => format!("MX {host} does not exist"),
                NetError::NoAddress { .. } => format!("MX {host} has no address"),
                _ => format!("MX {host} does not resolve"),
            };
            finding(
                CHECK,
                host,
                Severity::High,
                title,
                format!(
                    "{err}. Senders cannot deliver to this MX; when it is the only one, \
                     mail to the domain bounces or waits in queues."
                ),
            )
        }
    };
    f.evidence.insert(0, record);
    f
}

/// The finding when the domain has no MX records at all.
async fn no_mx(net: &Net, domain: &str) -> Finding {
    let fallback = match addresses(net, domain).await {
        Ok(resolved) => format!(
            "Senders fall back to {domain}'s own address ({}), the implicit MX of RFC 5321 \
             §5.1, where usually no mail server listens",
            resolved
                .ips
                .iter()
                .map(|ip| ip.to_string())
                .collect::<Vec<_>>()
                .join(", ")
        ),
        Err(_) => format!("{domain} has no address either, so senders bounce mail to it"),
    };
    finding(
        CHECK,
        domain,
        Severity::Medium,
        format!("{domain} has no MX records"),
        format!(
            "{fallback}: replies to your messages and DMARC reports sent to the domain are \
             lost. Publish MX records for your mail host, or a null MX (`0 .`, RFC 7505) if \
             the domain never receives mail."
        ),
    )
}

/// The finding when the MX lookup itself got a negative or failed answer.
fn failed_lookup(domain: &str, err: &NetError) -> Finding {
    let title = match err {
        NetError::NoSuchHost { .. } => format!("{domain} does not exist in DNS"),
        _ => format!("The MX lookup for {domain} fails"),
    };
    finding(
        CHECK,
        domain,
        Severity::High,
        title,
        format!("{err}: mail to {domain} cannot be delivered and mail from it is often refused."),
    )
}

#[cfg(test)]
#[path = "mx_tests.rs"]
mod tests;
