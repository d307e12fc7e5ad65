//! `dns.ns`: the apex's name servers, each asked for the zone.

use std::net::SocketAddr;
use std::time::Duration;

use futures_util::future::join_all;
use handover_model::{Finding, Severity};
use hickory_resolver::proto::rr::{RData, RecordType};

use super::records::{records, trim};
use super::{lookup_failed, Net};
use crate::checks::net::{fqdn, resolver_at};
use crate::checks::{finding, measure, CheckTarget};

const NS: &str = "dns.ns";

/// How long one name server gets to answer the SOA probe.
const PROBE_TIMEOUT: Duration = Duration::from_secs(3);

/// How one name server did.
struct Probe {
    name: String,
    outcome: Result<SocketAddr, String>,
}

/// `dns.ns`: the apex's NS records, each server asked for the apex's SOA.
pub(super) async fn name_servers(net: &Net, target: &CheckTarget) -> Vec<Finding> {
    let apex = target.name();
    let names: Vec<String> = match records(net, &apex, RecordType::NS).await {
        Ok(found) => found
            .into_iter()
            .filter_map(|data| match data {
                RData::NS(ns) => Some(trim(&ns.0.to_ascii())),
                _ => None,
            })
            .collect(),
        Err(err) => return vec![lookup_failed(NS, &apex, &err, Severity::High)],
    };
    if names.is_empty() {
        return vec![finding(
            NS,
            &apex,
            Severity::High,
            format!("{apex} has no NS records"),
            "Without name servers the domain is not delegated: nothing under it resolves reliably. Set the name servers at your registrar.",
        )];
    }
    // Name servers listen on 53; a project naming its own DNS server (a
    // private setup, or the test bed) has them on that server's port.
    let port = target.dns_server.map_or(53, |a| a.port());
    let probes = join_all(names.iter().map(|name| probe(net, name, &apex, port))).await;
    let silent: Vec<&Probe> = probes.iter().filter(|p| p.outcome.is_err()).collect();
    let evidence: Vec<String> = probes
        .iter()
        .map(|p| match &p.outcome {
            Ok(addr) => format!("{apex} NS {} ({addr}) answers SOA", p.name),
            Err(why) => format!("{apex} NS {}: {why}", p.name),
        })
        .collect();
    let (severity, title, detail) = if silent.len() == probes.len() {
        (
            Severity::High,
            format!("None of {apex}'s name servers answer"),
            "Every listed name server failed to answer for the zone: resolvers fall back to cached answers, then fail. Check the delegation at your registrar and your DNS provider's status.".to_string(),
        )
    } else if !silent.is_empty() {
        let names: Vec<&str> = silent.iter().map(|p| p.name.as_str()).collect();
        (
            Severity::Medium,
            format!("{} of {apex}'s name servers do not answer", silent.len()),
            format!("{} did not answer for the zone: resolvers that pick them stall or fail. Remove them from the delegation or fix them.", names.join(", ")),
        )
    } else if probes.len() < 2 {
        (
            Severity::Low,
            format!("{apex} has a single name server"),
            "One name server is a single point of failure; DNS providers give at least two."
                .to_string(),
        )
    } else {
        (
            Severity::Pass,
            format!("{apex}'s {} name servers answer", probes.len()),
            format!("{} all answer for the zone.", names.join(", ")),
        )
    };
    let mut main = finding(NS, &apex, severity, title, detail);
    main.evidence = evidence;
    main.measured
        .push(measure("name_servers", probes.len() as f64, ""));
    let mut findings = vec![main];
    if names.iter().any(|n| n.ends_with(".cloudflare.com")) {
        findings.push(finding(
            NS,
            &apex,
            Severity::Info,
            format!("{apex}'s DNS is managed by Cloudflare"),
            "Records are changed in the Cloudflare dashboard; record who owns that account under Accounts & access.",
        ));
    }
    findings
}

async fn probe(net: &Net, name: &str, apex: &str, port: u16) -> Probe {
    let outcome = async {
        let ips = net.resolve(name).await.map_err(|e| e.to_string())?;
        let mut last = String::from("no address");
        for ip in ips {
            let addr = SocketAddr::new(ip, port);
            let resolver = resolver_at(addr, PROBE_TIMEOUT).map_err(|e| e.to_string())?;
            match resolver.lookup(fqdn(apex).as_str(), RecordType::SOA).await {
                Ok(_) => return Ok(addr),
                Err(err) => last = format!("{addr} did not answer ({err})"),
            }
        }
        Err(last)
    }
    .await;
    Probe {
        name: name.to_string(),
        outcome,
    }
}
