//! `dns.resolve` and `dns.dangling_cname`.

use futures_util::future::join_all;
use handover_model::{Cause, Finding, Severity};
use hickory_resolver::proto::rr::{RData, RecordType};

use super::records::{addresses, records, trim, MAX_CNAME_HOPS};
use super::{lookup_failed, Net};
use crate::checks::net::NetError;
use crate::checks::{finding, inconclusive, measure, CheckTarget};

const RESOLVE: &str = "dns.resolve";
const DANGLING: &str = "dns.dangling_cname";

/// `dns.resolve`: one finding per host.
pub(super) async fn resolve(net: &Net, target: &CheckTarget) -> Vec<Finding> {
    join_all(target.hosts.iter().map(|host| resolve_host(net, host))).await
}

async fn resolve_host(net: &Net, host: &str) -> Finding {
    let started = std::time::Instant::now();
    match addresses(net, host).await {
        Ok(resolved) => {
            let list: Vec<String> = resolved.ips.iter().map(|ip| ip.to_string()).collect();
            let via = match resolved.chain.last() {
                Some((_, end)) => format!(
                    " through {} CNAME hop(s) ending at {end}",
                    resolved.chain.len()
                ),
                None => String::new(),
            };
            let mut f = finding(
                RESOLVE,
                host,
                Severity::Pass,
                format!("{host} resolves"),
                format!("{host} resolves to {}{via}.", list.join(", ")),
            );
            f.evidence = resolved.evidence(host);
            f.measured
                .push(measure("addresses", resolved.ips.len() as f64, ""));
            f.measured
                .push(measure("cname_hops", resolved.chain.len() as f64, ""));
            f.measured.push(measure(
                "lookup_ms",
                started.elapsed().as_millis() as f64,
                "ms",
            ));
            f
        }
        Err(err) => lookup_failed(RESOLVE, host, &err, Severity::Blocker),
    }
}

/// `dns.dangling_cname`: one finding per host.
pub(super) async fn dangling(net: &Net, target: &CheckTarget) -> Vec<Finding> {
    join_all(target.hosts.iter().map(|host| dangling_host(net, host))).await
}

/// The CNAME at `name`, if any.
async fn cname_of(net: &Net, name: &str) -> Result<Option<String>, NetError> {
    let found = records(net, name, RecordType::CNAME).await?;
    Ok(found.into_iter().find_map(|data| match data {
        RData::CNAME(target) => Some(trim(&target.0.to_ascii())),
        _ => None,
    }))
}

async fn dangling_host(net: &Net, host: &str) -> Finding {
    let mut chain: Vec<(String, String)> = Vec::new();
    let mut current = host.to_string();
    loop {
        match cname_of(net, &current).await {
            Ok(Some(next)) => {
                if chain.len() >= MAX_CNAME_HOPS || chain.iter().any(|(name, _)| *name == next) {
                    let mut f = finding(
                        DANGLING,
                        host,
                        Severity::High,
                        format!("{host} has a CNAME loop"),
                        format!("The CNAME chain loops or is longer than {MAX_CNAME_HOPS} hops, so the name never resolves. Point the CNAME straight at the service's host name."),
                    );
                    f.evidence = hops(&chain);
                    return f;
                }
                chain.push((current.clone(), next.clone()));
                current = next;
            }
            Ok(None) => break,
            // The name (or the chain's end) does not exist: nothing more to follow.
            Err(err) if err.is_negative_answer() => break,
            Err(err) => return could_not_tell(host, &chain, &err),
        }
    }
    let Some((_, end)) = chain.last().cloned() else {
        return finding(
            DANGLING,
            host,
            Severity::Pass,
            format!("{host} has no CNAME"),
            "The name points at addresses directly; nothing can dangle.",
        );
    };
    match addresses(net, &end).await {
        Ok(resolved) => {
            let mut f = finding(
                DANGLING,
                host,
                Severity::Pass,
                format!("{host}'s CNAME target resolves"),
                format!("{host} points to {end}, which resolves."),
            );
            f.evidence = hops(&chain);
            f.evidence.extend(resolved.evidence(&end));
            f
        }
        Err(err @ NetError::NoAddress { .. }) => {
            let mut f = finding(
                DANGLING,
                host,
                Severity::Medium,
                format!("{host} points to {end}, which has no address"),
                format!(
                    "{end} exists (its name servers answer, with no A or AAAA record), so this is not the dangling CNAME a takeover needs, but {host} cannot be reached. Add the address at {end}'s provider, or remove the record if the service is gone."
                ),
            );
            f.evidence = hops(&chain);
            f.evidence.push(err.to_string());
            f
        }
        Err(err @ NetError::NoSuchHost { .. }) => {
            let mut f = finding(
                DANGLING,
                host,
                Severity::High,
                format!("{host} points to {end}, which does not exist"),
                format!(
                    "A dangling CNAME: whoever claims {end} at its provider (a deleted app, bucket or site) can serve pages on {host}, with your cookies. Remove the record or recreate the target."
                ),
            );
            f.evidence = hops(&chain);
            f.evidence.push(err.to_string());
            f
        }
        Err(err) => could_not_tell(host, &chain, &err),
    }
}

fn could_not_tell(host: &str, chain: &[(String, String)], err: &NetError) -> Finding {
    let mut f = inconclusive(
        DANGLING,
        host,
        Cause::Unreachable,
        format!("following {host}'s CNAME chain failed ({err}), so whether it dangles is unknown"),
    );
    f.evidence = hops(chain);
    f
}

fn hops(chain: &[(String, String)]) -> Vec<String> {
    chain
        .iter()
        .map(|(name, target)| format!("{name} CNAME {target}"))
        .collect()
}
