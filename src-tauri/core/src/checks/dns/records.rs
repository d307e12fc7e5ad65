//! Lookups the DNS checks share: addresses with their CNAME chain, and
//! records of one type, with hickory's errors made founder-readable.

use std::net::IpAddr;

use hickory_resolver::proto::rr::{RData, Record, RecordType};

use crate::checks::net::{fqdn, Net, NetError};

/// Most CNAME hops followed, by every DNS check, before a chain counts as a
/// loop (hickory's resolver gives up chasing at the same depth).
pub const MAX_CNAME_HOPS: usize = 8;

/// What a host resolved to.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Resolved {
    /// CNAME hops in order, `(name, target)`, without final dots.
    pub chain: Vec<(String, String)>,
    /// The addresses at the end of the chain.
    pub ips: Vec<IpAddr>,
}

impl Resolved {
    /// Evidence lines: each CNAME hop, then each address record.
    pub fn evidence(&self, host: &str) -> Vec<String> {
        let mut lines: Vec<String> = self
            .chain
            .iter()
            .map(|(name, target)| format!("{name} CNAME {target}"))
            .collect();
        let owner = self
            .chain
            .last()
            .map(|(_, t)| t.clone())
            .unwrap_or_else(|| host.to_string());
        lines.extend(self.ips.iter().map(|ip| {
            let kind = if ip.is_ipv4() { "A" } else { "AAAA" };
            format!("{owner} {kind} {ip}")
        }));
        lines
    }
}

/// The addresses of `host` (A and AAAA) and the CNAME chain leading to them.
pub async fn addresses(net: &Net, host: &str) -> Result<Resolved, NetError> {
    if let Ok(ip) = host.trim_matches(['[', ']']).parse::<IpAddr>() {
        return Ok(Resolved {
            chain: Vec::new(),
            ips: vec![ip],
        });
    }
    let lookup = net
        .resolver()
        .lookup_ip(fqdn(host).as_str())
        .await
        .map_err(|e| NetError::from_dns(host, &e))?;
    let ips: Vec<IpAddr> = lookup.iter().collect();
    if ips.is_empty() {
        return Err(NetError::NoAddress {
            host: host.to_string(),
        });
    }
    Ok(Resolved {
        chain: cname_chain(host, lookup.as_lookup().answers()),
        ips,
    })
}

/// The records of `kind` at `name`; an empty list when the name exists
/// without such records.
pub async fn records(net: &Net, name: &str, kind: RecordType) -> Result<Vec<RData>, NetError> {
    match net.resolver().lookup(fqdn(name).as_str(), kind).await {
        Ok(lookup) => Ok(lookup
            .answers()
            .iter()
            .filter(|r| r.record_type() == kind)
            .map(|r| r.data.clone())
            .collect()),
        Err(err) => match NetError::from_dns(name, &err) {
            NetError::NoAddress { .. } => Ok(Vec::new()),
            other => Err(other),
        },
    }
}

/// The CNAME hops starting at `host` among `answers`, in order (at most
/// [`MAX_CNAME_HOPS`], so a looping answer cannot spin).
pub fn cname_chain(host: &str, answers: &[Record]) -> Vec<(String, String)> {
    let mut chain = Vec::new();
    let mut current = trim(host);
    for _ in 0..MAX_CNAME_HOPS {
        let next = answers.iter().find_map(|r| match &r.data {
            RData::CNAME(target) if trim(&r.name.to_ascii()) == current => {
                Some(trim(&target.0.to_ascii()))
            }
            _ => None,
        });
        match next {
            Some(target) => {
                chain.push((current.clone(), target.clone()));
                current = target;
            }
            None => break,
        }
    }
    chain
}

/// Lowercase, without the final dot.
pub(crate) fn trim(name: &str) -> String {
    name.trim_end_matches('.').to_ascii_lowercase()
}

#[cfg(test)]
mod tests {
    use hickory_resolver::proto::rr::rdata::CNAME;
    use hickory_resolver::proto::rr::Name;

    use super::*;

    #[test]
    fn a_cname_chain_stops_at_the_shared_hop_limit() {
        let name = |i: usize| Name::from_ascii(format!("h{i}.example.test.")).unwrap();
        let answers: Vec<Record> = (0..20)
            .map(|i| Record::from_rdata(name(i), 60, RData::CNAME(CNAME(name(i + 1)))))
            .collect();
        let chain = cname_chain("h0.example.test", &answers);
        assert_eq!(chain.len(), MAX_CNAME_HOPS);
        assert_eq!(
            chain[0],
            ("h0.example.test".into(), "h1.example.test".into())
        );
    }
}
