//! `dns.caa`: which CAA records apply to each host (RFC 8659 §3), and
//! whether they allow the CA that issued the certificate the host serves.
//!
//! The relevant RRset of a host is found by asking for CAA at the host,
//! then at each parent towards the root (`app.example.com` →
//! `example.com` → `com`), stopping at the first name with CAA records.
//! A CNAME at a name is followed by the resolver, as RFC 8659 says: the
//! records of the CNAME's target answer for that name.

use futures_util::future::join_all;
use handover_model::{Cause, Finding, Severity};
use hickory_resolver::proto::rr::rdata::CAA;
use hickory_resolver::proto::rr::{RData, RecordType};

use super::lookup_failed;
use super::records::{cname_chain, trim};
use crate::checks::net::{fqdn, Net, NetError};
use crate::checks::{finding, measure, CheckTarget};

mod issuer;

const CHECK: &str = "dns.caa";

/// The CAA records that apply to one host.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Relevant {
    /// The name whose CAA query answered (the host or one of its parents).
    pub at: String,
    /// Who owns the records: `at`, or the end of the CNAME chain at `at`.
    pub owner: String,
    /// The CNAME hops the resolver followed from `at`.
    pub chain: Vec<(String, String)>,
    /// The records, as served.
    pub records: Vec<CAA>,
}

impl Relevant {
    /// The issuer domains the `issue` (or, for a wildcard certificate,
    /// `issuewild` when present) records allow; `None` when there is no
    /// such record (any CA may issue). `issue ";"` gives an empty list.
    pub fn allowed(&self, wildcard: bool) -> Option<Vec<String>> {
        let of_tag = |tag: &str| -> Vec<&CAA> {
            self.records
                .iter()
                .filter(|r| r.tag.eq_ignore_ascii_case(tag))
                .collect()
        };
        let mut chosen = if wildcard {
            of_tag("issuewild")
        } else {
            Vec::new()
        };
        if chosen.is_empty() {
            chosen = of_tag("issue");
        }
        if chosen.is_empty() {
            return None;
        }
        let mut domains: Vec<String> = chosen
            .iter()
            .filter_map(|r| r.value_as_issue().ok().and_then(|(name, _)| name))
            .map(|name| trim(&name.to_ascii()))
            .collect();
        domains.dedup();
        Some(domains)
    }

    /// Evidence lines: the CNAME hops, then each record as a zone line.
    pub fn evidence(&self) -> Vec<String> {
        let mut lines: Vec<String> = self
            .chain
            .iter()
            .map(|(name, target)| format!("{name} CNAME {target}"))
            .collect();
        lines.extend(self.records.iter().map(|r| {
            let value = match r.value_as_issue() {
                Ok((Some(name), _)) => trim(&name.to_ascii()),
                Ok((None, _)) => ";".to_string(),
                Err(_) => String::from_utf8_lossy(&r.value).into_owned(),
            };
            let flags = u8::from(r.issuer_critical) * 128;
            format!("{} CAA {flags} {} \"{value}\"", self.owner, r.tag)
        }));
        lines
    }
}

/// `host`, then each parent down to the top-level label (the root is never
/// asked: it publishes no CAA).
pub fn climb(host: &str) -> Vec<String> {
    let host = trim(host);
    let mut names = vec![host.clone()];
    let mut rest = host.as_str();
    while let Some((_, parent)) = rest.split_once('.') {
        if parent.is_empty() {
            break;
        }
        names.push(parent.to_string());
        rest = parent;
    }
    names
}

/// The relevant CAA RRset of `host` and the names asked on the way
/// (`None` when no name up to the top level has CAA). A lookup failure at
/// or below `apex` is an error (what applies is unknown); above it (a
/// public suffix the project does not control) it is noted in `asked`.
pub async fn relevant(
    net: &Net,
    host: &str,
    apex: &str,
) -> Result<(Option<Relevant>, Vec<String>), NetError> {
    let apex = trim(apex);
    let mut asked = Vec::new();
    for name in climb(host) {
        let ours = name == apex || name.ends_with(&format!(".{apex}"));
        match net
            .resolver()
            .lookup(fqdn(&name).as_str(), RecordType::CAA)
            .await
        {
            Ok(lookup) => {
                let answers = lookup.answers();
                let records: Vec<(String, CAA)> = answers
                    .iter()
                    .filter_map(|r| match &r.data {
                        RData::CAA(caa) => Some((trim(&r.name.to_ascii()), caa.clone())),
                        _ => None,
                    })
                    .collect();
                if let Some((owner, _)) = records.first() {
                    let relevant = Relevant {
                        at: name.clone(),
                        owner: owner.clone(),
                        chain: cname_chain(&name, answers),
                        records: records.into_iter().map(|(_, caa)| caa).collect(),
                    };
                    asked.push(name);
                    return Ok((Some(relevant), asked));
                }
                asked.push(format!("{name}: no CAA"));
            }
            Err(err) => match NetError::from_dns(&name, &err) {
                NetError::NoAddress { .. } => asked.push(format!("{name}: no CAA")),
                NetError::NoSuchHost { .. } => {
                    asked.push(format!("{name}: does not exist (NXDOMAIN)"))
                }
                err if !ours => asked.push(format!("{name}: {err}")),
                err => return Err(err),
            },
        }
    }
    Ok((None, asked))
}

/// `dns.caa`: per host, which name's CAA records apply, and whether they
/// allow the issuer of the certificate the host serves.
pub(super) async fn caa(net: &Net, target: &CheckTarget) -> Vec<Finding> {
    let apex = target.name();
    let port = target.tls_port();
    join_all(
        target
            .hosts
            .iter()
            .map(|host| caa_host(net, host, &apex, port)),
    )
    .await
    .concat()
}

async fn caa_host(net: &Net, host: &str, apex: &str, port: u16) -> Vec<Finding> {
    // CAA governs domain names only (RFC 8659 §1).
    if host
        .trim_matches(['[', ']'])
        .parse::<std::net::IpAddr>()
        .is_ok()
    {
        return Vec::new();
    }
    let (found, asked) = match relevant(net, host, apex).await {
        Ok(found) => found,
        Err(err) => return vec![lookup_failed(CHECK, host, &err, Severity::Info)],
    };
    let Some(relevant) = found else {
        let mut f = finding(
            CHECK,
            host,
            Severity::Low,
            format!("{host} has no CAA record"),
            format!("No CAA record at {host} or any parent: any certificate authority may issue certificates for it. A CAA record at the apex naming your CA (e.g. letsencrypt.org) narrows who can."),
        );
        f.evidence = asked;
        return vec![f];
    };
    let via = match relevant.chain.last() {
        Some(_) => format!(" (through the CNAME at {})", relevant.at),
        None => String::new(),
    };
    let from = &relevant.owner;
    let title = format!("CAA from {from} applies to {host}");
    let mut f = match relevant.allowed(false) {
        None => finding(
            CHECK,
            host,
            Severity::Low,
            title,
            format!("The CAA records at {from}{via} have no `issue` property, so any certificate authority may issue for {host}. Add `CAA 0 issue \"<your CA>\"`."),
        ),
        Some(allowed) => {
            let list = if allowed.is_empty() {
                "no CA (`issue \";\"`)".to_string()
            } else {
                allowed.join(", ")
            };
            finding(
                CHECK,
                host,
                Severity::Pass,
                title,
                format!("The CAA records at {from}{via} allow {list} to issue for {host}; renewals with another CA fail until the record changes."),
            )
        }
    };
    f.evidence = relevant.evidence();
    f.evidence.extend(
        asked
            .iter()
            .filter(|a| a.contains(':'))
            .map(|a| format!("asked first: {a}")),
    );
    f.measured
        .push(measure("names_asked", asked.len() as f64, ""));
    let mut findings = vec![f];
    if relevant
        .records
        .iter()
        .any(|r| r.tag.eq_ignore_ascii_case("issue") || r.tag.eq_ignore_ascii_case("issuewild"))
    {
        findings.extend(issuer::served(net, host, port, &relevant).await);
    }
    findings
}

/// Why a comparison could not be made, as an inconclusive finding.
fn could_not_compare(at: &str, cause: Cause, reason: String) -> Finding {
    crate::checks::inconclusive(CHECK, at, cause, reason)
}

#[cfg(test)]
mod tests {
    use hickory_resolver::proto::rr::Name;

    use super::*;

    fn issue(wild: bool, name: Option<&str>) -> CAA {
        let name = name.map(|n| Name::from_ascii(n).unwrap());
        if wild {
            CAA::new_issuewild(false, name, Vec::new())
        } else {
            CAA::new_issue(false, name, Vec::new())
        }
    }

    fn relevant(records: Vec<CAA>) -> Relevant {
        Relevant {
            at: "example.test".into(),
            owner: "example.test".into(),
            chain: Vec::new(),
            records,
        }
    }

    #[test]
    fn climbing_stops_above_the_top_level_label() {
        assert_eq!(
            climb("eu.app.example.com."),
            [
                "eu.app.example.com",
                "app.example.com",
                "example.com",
                "com"
            ]
        );
    }

    #[test]
    fn issuewild_governs_wildcard_certificates_only_when_present() {
        let both = relevant(vec![
            issue(false, Some("letsencrypt.org")),
            issue(true, Some("digicert.com")),
        ]);
        assert_eq!(both.allowed(false), Some(vec!["letsencrypt.org".into()]));
        assert_eq!(both.allowed(true), Some(vec!["digicert.com".into()]));
        let issue_only = relevant(vec![issue(false, Some("pki.goog"))]);
        assert_eq!(issue_only.allowed(true), Some(vec!["pki.goog".into()]));
        assert_eq!(
            relevant(vec![issue(false, None)]).allowed(false),
            Some(vec![])
        );
        let iodef = CAA::new_iodef(false, "mailto:sec@example.test".parse().unwrap());
        assert_eq!(relevant(vec![iodef]).allowed(false), None);
    }
}
