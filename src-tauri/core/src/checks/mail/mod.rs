//! # Email: who may send as the domain, and how mail reaches it
//!
//! The mail checks look at the project's sending domain
//! ([`CheckTarget::mail_domain`]) through the run's resolver:
//!
//! - `email.mx` ([`mx`]): MX records, each host resolving; a null MX
//!   (RFC 7505) understood;
//! - `email.spf` ([`spf`]): the SPF record and its whole include tree
//!   (RFC 7208);
//! - `email.dkim` ([`dkim`]): the keys of the configured and discovered
//!   selectors (RFC 6376, 8301, 8463);
//! - `email.dmarc` ([`dmarc`]): the policy found by the DNS tree walk and
//!   its report destinations (RFC 9989);
//! - `email.mta_sts` ([`mta_sts`]): MTA-STS (RFC 8461) and TLS-RPT
//!   (RFC 8460);
//! - `email.transport` ([`transport`]): each MX host accepts SMTP and
//!   offers STARTTLS with a valid certificate.
//!
//! Record syntax is read with `mail-auth` where it exposes what we judge
//! (SPF terms, DMARC tags, `DKIM-Signature` headers); DKIM key records and
//! MTA-STS policies are read here.

use handover_model::{Cause, Finding};
use hickory_resolver::proto::rr::{RData, RecordType};

use super::dns::records::records;
use super::net::{Net, NetError};
use super::{inconclusive, CheckDef, CheckTarget};

pub mod dkim;
pub mod dmarc;
pub mod mta_sts;
pub mod mx;
pub mod provider;
pub mod spf;
pub mod transport;

#[cfg(test)]
pub(crate) mod bed;

/// The mail checks, under their catalog ids.
pub(super) fn definitions() -> Vec<CheckDef> {
    let mut checks = Vec::new();
    checks.extend(mx::checks());
    checks.extend(spf::checks());
    checks.extend(dkim::checks());
    checks.extend(dmarc::checks());
    checks.extend(mta_sts::checks());
    checks.extend(transport::checks());
    checks
}

/// Whether the target names a domain that sends mail.
pub fn sends_mail(target: &CheckTarget) -> bool {
    !target.mail_domain.is_empty()
}

/// What the target's mail checks need, for "does not apply" findings.
pub const NEEDS: &str = "a sending domain (email.sending_domain)";

/// A mail check: applies when the target names a sending domain.
pub(super) fn check(id: &'static str, body: super::Body) -> CheckDef {
    CheckDef::new(id, body).only_if(sends_mail, NEEDS)
}

/// The TXT records at `name`, each record's character-strings joined
/// without spaces (RFC 7208 §3.3, RFC 6376 §3.6.2.2); an empty list when
/// the name exists without TXT records, `Err(NetError::NoSuchHost)` on
/// NXDOMAIN.
pub async fn txt(net: &Net, name: &str) -> Result<Vec<String>, NetError> {
    Ok(records(net, name, RecordType::TXT)
        .await?
        .into_iter()
        .filter_map(|data| match data {
            RData::TXT(txt) => Some(
                txt.txt_data
                    .iter()
                    .map(|s| String::from_utf8_lossy(s).into_owned())
                    .collect::<String>(),
            ),
            _ => None,
        })
        .collect())
}

/// The finding for a lookup that got no usable answer: inconclusive when
/// nothing answered (timeout, no server), so "could not check" is never
/// read as "no record".
pub fn lookup_unanswered(check: &str, name: &str, err: &NetError) -> Finding {
    inconclusive(check, name, Cause::Unreachable, err.to_string())
}

/// Whether `err` is an answer (NXDOMAIN, NODATA, SERVFAIL) rather than
/// silence: only answers may be judged.
pub fn answered(err: &NetError) -> bool {
    matches!(
        err,
        NetError::NoSuchHost { .. } | NetError::NoAddress { .. } | NetError::DnsFailure { .. }
    )
}
