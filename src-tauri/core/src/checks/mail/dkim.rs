//! `email.dkim`: the public keys receivers use to verify the domain's
//! DKIM signatures (RFC 6376, 8301, 8463).
//!
//! DNS cannot list the selectors under `_domainkey` (internet.nl #75), so
//! the selectors looked at are the ones the project names, plus the usual
//! ones of the mail provider recognised from the domain's MX hosts and SPF
//! record ([`super::provider`]). A real message names its selectors for sure:
//! [`selectors_from_headers`] reads them from pasted headers.
//!
//! For each selector the TXT record at `<selector>._domainkey.<domain>` is
//! read (a CNAME to the provider is followed by the resolver) and judged
//! ([`key`]): revoked, RSA size, Ed25519, `h=sha1`, `t=y`. A configured
//! selector without a record is a problem; a guessed one is simply absent.
//! A lookup nobody answered is inconclusive, never a pass.

use futures_util::future::join_all;
use handover_model::{Finding, Severity};

use super::mx::mx_hosts;
use super::{answered, lookup_unanswered, txt, CheckDef};
use crate::checks::dns::records::trim;
use crate::checks::net::{Net, NetError};
use crate::checks::{finding, CheckTarget};

mod headers;
pub mod key;
#[cfg(test)]
mod test_keys;
mod verdict;

pub use headers::selectors_from_headers;
pub use verdict::{MIN_RSA_BITS, RECOMMENDED_RSA_BITS};

use super::provider::{recognise, Provider};

const CHECK: &str = "email.dkim";

pub(super) fn checks() -> Vec<CheckDef> {
    vec![super::check(CHECK, |net, target| {
        Box::pin(check(net, target))
    })]
}

/// Where a selector to look at came from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Origin {
    /// The project names it.
    Configured,
    /// A recognised provider usually signs with it.
    Provider(&'static str),
}

impl Origin {
    /// How it reads in evidence.
    pub fn describe(&self) -> String {
        match self {
            Origin::Configured => "the project's settings".to_string(),
            Origin::Provider(name) => format!("{name}'s usual selectors"),
        }
    }
}

/// The name of `selector`'s key record for `domain`.
pub fn key_name(selector: &str, domain: &str) -> String {
    format!("{selector}._domainkey.{domain}")
}

/// What the domain's MX hosts and SPF record say about its provider.
struct Discovery {
    providers: Vec<&'static Provider>,
    /// Evidence: the MX hosts and SPF record looked at.
    evidence: Vec<String>,
    /// Set when neither lookup got an answer.
    unanswered: Option<NetError>,
}

/// Recognises the domain's mail providers from its MX hosts and SPF record.
async fn discover(net: &Net, domain: &str) -> Discovery {
    let (mx, spf) = futures_util::join!(mx_hosts(net, domain), txt(net, domain));
    let mut evidence = Vec::new();
    let hosts: Vec<String> = match &mx {
        Ok(hosts) => hosts.iter().map(|(_, h)| h.clone()).collect(),
        Err(_) => Vec::new(),
    };
    evidence.extend(hosts.iter().map(|h| format!("{domain} MX {h}")));
    let spf_record = spf.as_ref().ok().and_then(|records| {
        records
            .iter()
            .find(|r| r.trim_start().to_ascii_lowercase().starts_with("v=spf1"))
            .cloned()
    });
    if let Some(record) = &spf_record {
        evidence.push(format!("{domain} TXT \"{record}\""));
    }
    let spf_silent = matches!(&spf, Err(e) if !answered(e));
    let unanswered = match &mx {
        Err(e) if !answered(e) && spf_silent => Some(e.clone()),
        _ => None,
    };
    Discovery {
        providers: recognise(&hosts, spf_record.as_deref()),
        evidence,
        unanswered,
    }
}

/// A selector as a founder may type it: `s1`, `S1 ` or the whole name
/// `s1._domainkey.example.com`, made `s1`.
pub fn normalise_selector(typed: &str) -> String {
    let selector = typed.trim().trim_end_matches('.').to_ascii_lowercase();
    match selector.split_once("._domainkey") {
        Some((selector, _)) => selector.to_string(),
        None => selector,
    }
}

/// The selectors to look at: the configured ones, then each recognised
/// provider's usual ones not already listed.
fn candidates(configured: &[String], providers: &[&'static Provider]) -> Vec<(String, Origin)> {
    let mut list: Vec<(String, Origin)> = Vec::new();
    let configured = configured
        .iter()
        .map(|s| (normalise_selector(s), Origin::Configured));
    let guessed = providers.iter().flat_map(|p| {
        p.selectors
            .iter()
            .map(|s| (s.to_string(), Origin::Provider(p.name)))
    });
    for (selector, origin) in configured.chain(guessed) {
        if !selector.is_empty() && !list.iter().any(|(s, _)| *s == selector) {
            list.push((selector, origin));
        }
    }
    list
}

/// What looking up one selector gave.
struct Looked {
    selector: String,
    /// The judged or inconclusive finding, if any.
    finding: Option<Finding>,
    /// Whether a DKIM record answered at the name.
    exists: bool,
}

impl Looked {
    /// Whether a usable (not revoked) key was found: only such a key's
    /// finding carries its size.
    fn has_key(&self) -> bool {
        self.finding.as_ref().is_some_and(|f| {
            !f.outcome.is_inconclusive() && f.measured.iter().any(|m| m.name == "dkim_key_bits")
        })
    }
}

/// Looks up one selector's key record and judges it.
async fn look(net: &Net, domain: &str, selector: String, origin: Origin) -> Looked {
    let name = key_name(&selector, domain);
    let configured = origin == Origin::Configured;
    let (finding, exists) = match txt(net, &name).await {
        Ok(records) => {
            let finding = verdict::judge(&name, &selector, &origin, &records);
            // A guessed name counts only with a DKIM-looking record (judged).
            let exists = if configured {
                !records.is_empty()
            } else {
                finding.is_some()
            };
            (finding, exists)
        }
        Err(NetError::NoSuchHost { .. }) => (verdict::judge(&name, &selector, &origin, &[]), false),
        Err(err) if !answered(&err) => (Some(lookup_unanswered(CHECK, &name, &err)), false),
        Err(err) if configured => {
            let f = finding(
                CHECK,
                name.as_str(),
                Severity::High,
                format!("DKIM lookup for {selector} fails"),
                format!("{err}: receivers cannot fetch the key, so DKIM fails for this selector."),
            );
            (Some(f), false)
        }
        Err(_) => (None, false),
    };
    Looked {
        selector,
        finding,
        exists,
    }
}

async fn check(net: &Net, target: &CheckTarget) -> Vec<Finding> {
    let domain = trim(&target.mail_domain);
    let configured = candidates(&target.dkim_selectors, &[]);
    let nothing_configured = configured.is_empty();
    // The configured selectors are looked up while the provider is being
    // recognised, so silence costs one timeout, not two.
    let looks = configured
        .into_iter()
        .map(|(selector, origin)| look(net, &domain, selector, origin));
    let (discovery, mut looked) = futures_util::join!(discover(net, &domain), join_all(looks));
    if nothing_configured {
        if let Some(err) = &discovery.unanswered {
            return vec![lookup_unanswered(CHECK, &domain, err)];
        }
    }
    let guesses = candidates(&target.dkim_selectors, &discovery.providers)
        .into_iter()
        .filter(|(_, origin)| *origin != Origin::Configured)
        .map(|(selector, origin)| look(net, &domain, selector, origin));
    looked.extend(join_all(guesses).await);
    let mut findings: Vec<Finding> = Vec::new();
    if !discovery.providers.is_empty() {
        findings.push(provider_summary(&domain, &discovery, &looked));
    }
    let all_silent = !looked.is_empty()
        && looked.iter().all(|l| {
            l.finding
                .as_ref()
                .is_some_and(|f| f.outcome.is_inconclusive())
        });
    if nothing_configured && !all_silent && !looked.iter().any(Looked::has_key) {
        findings.push(no_key(&domain, &discovery));
    }
    findings.extend(looked.into_iter().filter_map(|l| l.finding));
    findings
}

/// Which providers were recognised and which of their usual selectors
/// have a record.
fn provider_summary(domain: &str, discovery: &Discovery, looked: &[Looked]) -> Finding {
    let names: Vec<&str> = discovery.providers.iter().map(|p| p.name).collect();
    let names = names.join(" and ");
    let tried: Vec<&str> = discovery
        .providers
        .iter()
        .flat_map(|p| p.selectors.iter().copied())
        .collect();
    // The provider's usual selectors that have a record, configured or not.
    let found: Vec<&str> = looked
        .iter()
        .filter(|l| l.exists && tried.contains(&l.selector.as_str()))
        .map(|l| l.selector.as_str())
        .collect();
    let title = if tried.is_empty() {
        format!("Mail provider {names}: its DKIM selectors cannot be guessed")
    } else if found.is_empty() {
        format!("Mail provider {names}: none of its usual DKIM selectors has a key")
    } else {
        format!(
            "Mail provider {names}: DKIM selector {} found",
            found.join(", ")
        )
    };
    let mut detail = format!("{domain}'s MX hosts or SPF record point at {names}.");
    if !tried.is_empty() {
        detail.push_str(&format!(" Selectors tried: {}.", tried.join(", ")));
    }
    for p in &discovery.providers {
        if let Some(note) = p.note {
            detail.push_str(&format!(" {}: {note}.", p.name));
        }
    }
    let mut f = finding(CHECK, domain, Severity::Info, title, detail);
    f.evidence = discovery.evidence.clone();
    f
}

/// The finding when no selector is configured and none was found.
fn no_key(domain: &str, discovery: &Discovery) -> Finding {
    let recognised = if discovery.providers.is_empty() {
        "Handover did not recognise the mail provider from the MX hosts and SPF record".to_string()
    } else {
        "none of the recognised provider's usual selectors has a usable key".to_string()
    };
    let mut f = finding(
        CHECK,
        domain,
        Severity::Medium,
        "No DKIM key found",
        format!(
            "The project names no DKIM selector and {recognised}. DNS cannot list a \
             domain's selectors, so a missing key here may only be one Handover could not \
             guess. To find yours, open a message the product sent, show its original \
             headers, and read s= (and d=) in each DKIM-Signature header — or paste the \
             headers into Handover — then add the selector to the project. Without DKIM, \
             DMARC rests on SPF alone and forwarded mail fails it."
        ),
    );
    f.evidence = discovery.evidence.clone();
    f
}

#[cfg(test)]
#[path = "dkim_tests.rs"]
mod tests;
