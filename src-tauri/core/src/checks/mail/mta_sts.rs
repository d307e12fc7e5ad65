//! `email.mta_sts`: whether sending servers must use TLS to reach the
//! domain's MX hosts (MTA-STS, RFC 8461) and whether TLS failures get
//! reported (TLS-RPT, RFC 8460).
//!
//! Steps: TXT `_mta-sts.<domain>` must hold exactly one `v=STSv1` record
//! with an `id` of 1–32 letters and digits; the policy at
//! `https://mta-sts.<domain>/.well-known/mta-sts.txt` ([`fetch`]) must be
//! a valid `text/plain` file ([`policy`]) whose `mx` patterns match every
//! MX host; TXT `_smtp._tls.<domain>` should hold a `v=TLSRPTv1` record
//! ([`tlsrpt`]).
//!
//! Severities: no founder demands MTA-STS before launch, so nothing here
//! is High.
//!
//! - nothing published: Low (STARTTLS can be stripped in transit);
//! - published but unusable (TXT record invalid or doubled, policy not
//!   fetchable, not 200, bad certificate, not `text/plain`, invalid
//!   fields, `max_age` over the limit, an MX host not covered, or a policy
//!   served without its TXT record): Medium, because the owner believes
//!   mail is protected and it is not;
//! - `mode: testing` or `mode: none`, a `max_age` under a day, TLS-RPT
//!   missing or invalid: Low. TLS-RPT only matters alongside MTA-STS (or
//!   DANE), so without MTA-STS it is not judged on its own.
//!
//! A good setup gives one Pass; anything unanswered is inconclusive.

use handover_model::{Finding, Severity};
use hickory_resolver::proto::rr::{RData, RecordType};

use super::{answered, lookup_unanswered, txt, CheckDef};
use crate::checks::dns::records::{records, trim};
use crate::checks::net::Net;
use crate::checks::{finding, CheckTarget};

pub mod fetch;
pub mod policy;
pub mod tlsrpt;

#[cfg(test)]
#[path = "mta_sts_tests.rs"]
mod bed_tests;

use fetch::Fetched;
use policy::{is_sts, txt_id, Policy, SHORT_MAX_AGE};
use tlsrpt::TlsRpt;

const CHECK: &str = "email.mta_sts";

/// The check, under its catalog id.
pub(super) fn checks() -> Vec<CheckDef> {
    vec![super::check(CHECK, |n, t| Box::pin(mta_sts(n, t)))]
}

/// `email.mta_sts` for the target's sending domain.
async fn mta_sts(net: &Net, target: &CheckTarget) -> Vec<Finding> {
    let domain = trim(&target.mail_domain);
    let name = format!("_mta-sts.{domain}");
    let all = match txt(net, &name).await {
        Ok(all) => all,
        Err(err) if answered(&err) => Vec::new(),
        Err(err) => return vec![lookup_unanswered(CHECK, &name, &err)],
    };
    let sts: Vec<String> = all.into_iter().filter(|t| is_sts(t)).collect();
    let Some(url) = fetch::policy_url(target, &domain) else {
        return Vec::new();
    };
    if sts.is_empty() {
        return vec![unpublished(net, &name, &domain, &url).await];
    }
    let mut evidence: Vec<String> = sts.iter().map(|t| format!("{name} TXT \"{t}\"")).collect();
    let mut findings = Vec::new();
    if sts.len() > 1 {
        findings.push(medium(
            &name,
            format!("{} MTA-STS TXT records at {name}", sts.len()),
            "Senders use MTA-STS only when exactly one v=STSv1 record is published; with several they act as if there were none. Keep one, and change its id whenever the policy changes.".into(),
            &evidence,
        ));
    } else if let Err(why) = txt_id(&sts[0]) {
        findings.push(medium(
            &name,
            "MTA-STS TXT record is invalid".into(),
            format!("The record at {name} is unusable: {why}. Senders then ignore the policy; publish \"v=STSv1; id=<1–32 letters and digits>\"."),
            &evidence,
        ));
    }
    let at = url.to_string();
    match fetch::policy(net, &url).await {
        Fetched::Policy(policy, lines) => {
            evidence.extend(lines);
            findings.extend(judge(&at, &policy, &evidence));
            let mode = policy.mode.as_deref().unwrap_or_default();
            if matches!(mode, "enforce" | "testing") && policy.problems().is_empty() {
                findings.extend(coverage(net, &domain, &at, &policy, &mut evidence).await);
            }
        }
        Fetched::Broken(f) | Fetched::Unanswered(f) => findings.push(f),
    }
    findings.extend(reporting(net, &domain, &mut evidence).await);
    if findings.is_empty() {
        let mut pass = finding(
            CHECK,
            &name,
            Severity::Pass,
            format!("MTA-STS enforces TLS for mail to {domain}"),
            format!("Sending servers that support MTA-STS deliver to {domain} only over TLS with a valid certificate for an MX host the policy names, and TLS failures are reported."),
        );
        pass.evidence = evidence;
        return vec![pass];
    }
    findings
}

/// No `_mta-sts` record: Low, unless the policy file is served anyway
/// (then the TXT record was forgotten: Medium).
async fn unpublished(net: &Net, name: &str, domain: &str, url: &url::Url) -> Finding {
    if let Fetched::Policy(policy, lines) = fetch::policy(net, url).await {
        if policy.version.as_deref() == Some("STSv1") {
            return medium(
                name,
                "MTA-STS policy is served but not announced".into(),
                format!("{url} serves a policy, but {name} has no v=STSv1 record, so no sender ever fetches it. Publish TXT {name} \"v=STSv1; id=<version>\"."),
                &lines,
            );
        }
    }
    let mut f = finding(
        CHECK,
        name,
        Severity::Low,
        "No MTA-STS policy",
        format!("{domain} publishes no MTA-STS (no v=STSv1 record at {name}), so a network attacker can strip STARTTLS and read mail in transit. Optional before launch: publish the TXT record, serve the policy at {url} (start with mode: testing), and add TLS-RPT at _smtp._tls.{domain} to hear about failures."),
    );
    f.evidence = vec![format!("{name}: no v=STSv1 record")];
    f
}

/// Findings about the policy's own fields.
fn judge(at: &str, policy: &Policy, evidence: &[String]) -> Vec<Finding> {
    let mut findings = Vec::new();
    let problems = policy.problems();
    if !problems.is_empty() {
        findings.push(medium(
            at,
            "MTA-STS policy is invalid".into(),
            format!("Senders reject the policy at {at}: {}. Fix the file (version: STSv1, mode: enforce|testing|none, mx: <host> lines, max_age: <seconds>).", problems.join("; ")),
            evidence,
        ));
    }
    match policy.max_age_secs() {
        Err(why) => findings.push(medium(
            at,
            "MTA-STS max_age is invalid".into(),
            format!("{why}; senders reject the policy. Use a number of seconds up to {}, e.g. 604800 (a week).", policy::MAX_AGE_LIMIT),
            evidence,
        )),
        Ok(secs) if secs < SHORT_MAX_AGE => findings.push(low(
            at,
            format!("MTA-STS max_age is short ({secs} s)"),
            format!("Senders forget the policy after {secs} s, so an attacker who blocks the policy host for that long can strip TLS again. Once the policy works, use at least {SHORT_MAX_AGE} s (a week, 604800, is common)."),
            evidence,
        )),
        Ok(_) => {}
    }
    match policy.mode.as_deref() {
        Some("testing") => findings.push(low(
            at,
            "MTA-STS policy is in testing mode".into(),
            "mode: testing only reports TLS failures; senders still deliver without TLS. Switch to mode: enforce once the TLS-RPT reports are clean.".into(),
            evidence,
        )),
        Some("none") => findings.push(low(
            at,
            "MTA-STS policy is mode: none".into(),
            "mode: none withdraws the policy: senders deliver without requiring TLS. Use mode: testing, then mode: enforce.".into(),
            evidence,
        )),
        _ => {}
    }
    findings
}

/// Whether the policy's `mx` patterns cover every MX host of `domain`;
/// the MX records go into `evidence`.
async fn coverage(
    net: &Net,
    domain: &str,
    at: &str,
    policy: &Policy,
    evidence: &mut Vec<String>,
) -> Vec<Finding> {
    let hosts: Vec<String> = match records(net, domain, RecordType::MX).await {
        Ok(all) => all
            .into_iter()
            .filter_map(|data| match data {
                RData::MX(mx) => Some(trim(&mx.exchange.to_ascii())),
                _ => None,
            })
            .filter(|h| !h.is_empty())
            .collect(),
        Err(err) if answered(&err) => Vec::new(),
        Err(err) => return vec![lookup_unanswered(CHECK, domain, &err)],
    };
    if hosts.is_empty() {
        evidence.push(format!("{domain}: no MX records to match"));
        return Vec::new();
    }
    evidence.extend(hosts.iter().map(|h| format!("{domain} MX {h}")));
    let uncovered = policy.uncovered(&hosts);
    if uncovered.is_empty() {
        return Vec::new();
    }
    let list: Vec<&str> = uncovered.iter().map(|h| h.as_str()).collect();
    let list = list.join(", ");
    vec![medium(
        at,
        format!("MTA-STS policy does not cover {list}"),
        format!("No mx: line of the policy matches {list}; in enforce mode senders refuse to deliver there. Add mx: {} (or a *. pattern for its parent) to the policy and change the TXT id.", uncovered[0]),
        evidence,
    )]
}

/// TLS-RPT: Low when missing or invalid, evidence when valid.
async fn reporting(net: &Net, domain: &str, evidence: &mut Vec<String>) -> Vec<Finding> {
    let name = tlsrpt::name(domain);
    match tlsrpt::lookup(net, domain).await {
        TlsRpt::Valid(text) => {
            evidence.push(format!("{name} TXT \"{text}\""));
            Vec::new()
        }
        TlsRpt::Missing => vec![low(
            &name,
            "No TLS-RPT record".into(),
            format!("With MTA-STS in place, TLS-RPT (RFC 8460) has sending servers report failed TLS deliveries; it only means something alongside MTA-STS or DANE. Publish TXT {name} \"v=TLSRPTv1; rua=mailto:<you>@{domain}\"."),
            &[format!("{name}: no v=TLSRPTv1 record")],
        )],
        TlsRpt::Invalid(why) => vec![low(
            &name,
            "TLS-RPT record is invalid".into(),
            format!("The record at {name} is unusable: {why}. Publish exactly one \"v=TLSRPTv1; rua=mailto:<you>@{domain}\"."),
            &[],
        )],
        TlsRpt::Unanswered(err) => vec![lookup_unanswered(CHECK, &name, &err)],
    }
}

fn medium(at: &str, title: String, detail: String, evidence: &[String]) -> Finding {
    judged(at, Severity::Medium, title, detail, evidence)
}

fn low(at: &str, title: String, detail: String, evidence: &[String]) -> Finding {
    judged(at, Severity::Low, title, detail, evidence)
}

fn judged(
    at: &str,
    severity: Severity,
    title: String,
    detail: String,
    evidence: &[String],
) -> Finding {
    let mut f = finding(CHECK, at, severity, title, detail);
    f.evidence = evidence.to_vec();
    f
}
