//! `email.dmarc`: the DMARC policy that applies to the sending domain
//! (RFC 9989, which replaced RFC 7489 in 2026) and whether its reports
//! can arrive.
//!
//! The policy is found by the DNS tree walk ([`walk`]), not the Public
//! Suffix List. The findings:
//!
//! - the policy, always one finding: a Pass when it quarantines or
//!   rejects; High when there is none ("No DMARC record"), it is
//!   `p=none`, it has no `p=`, or it runs in test mode (`t=y`). A policy
//!   from a parent domain says so in its title; a subdomain then gets the
//!   parent's `sp=` (or `np=` when the mail domain does not exist);
//! - several `v=DMARC1` records at one name: High (all are discarded);
//! - `sp=` or `np=` written weaker than `p=`: Medium when it drops to
//!   `none` (spoofing a subdomain works), Low when it only softens
//!   `reject` to `quarantine`;
//! - no `rua=`: Medium (nobody sees who sends as the domain);
//! - `pct`, `rf`, `ri` (removed by RFC 9989): Low for a `pct` under 100
//!   (older receivers still apply the policy to part of the mail), Info
//!   otherwise;
//! - a `mailto:` report address outside the Organizational Domain without
//!   the destination's consent ([`reports`]): Medium.
//!
//! Silence (timeouts, no server) is inconclusive, never a pass.

use handover_model::{Finding, Severity};
use hickory_resolver::proto::rr::RecordType;
use mail_auth::dmarc::Policy;

use super::{lookup_unanswered, CheckDef};
use crate::checks::dns::records::records;
use crate::checks::net::{Net, NetError};
use crate::checks::{finding, measure, CheckTarget};

pub mod record;
pub mod reports;
pub mod walk;

#[cfg(test)]
#[path = "dmarc_tests.rs"]
mod bed_tests;

use record::{strength, word, Record};
use reports::Authorisation;
use walk::Walk;

const CHECK: &str = "email.dmarc";

/// A `pct=` below this still splits the policy for RFC 7489 receivers.
const FULL_PCT: u32 = 100;

/// The check, under its catalog id.
pub(super) fn checks() -> Vec<CheckDef> {
    vec![super::check(CHECK, |n, t| Box::pin(dmarc(n, t)))]
}

/// `email.dmarc` for the target's sending domain.
async fn dmarc(net: &Net, target: &CheckTarget) -> Vec<Finding> {
    let mail = target
        .mail_domain
        .trim_end_matches('.')
        .to_ascii_lowercase();
    let walk = walk::walk(net, &mail).await;
    let mut findings: Vec<Finding> = walk
        .duplicates()
        .map(|(step, n)| {
            let mut f = finding(
                CHECK,
                step.name(),
                Severity::High,
                format!("{n} DMARC records at {}", step.name()),
                format!("{} holds {n} records starting with v=DMARC1. Receivers discard them all, as if there were none. Keep exactly one.", step.name()),
            );
            f.evidence = walk.evidence();
            f
        })
        .collect();
    let policy = walk.policy();
    if let Some((name, err)) = &walk.silent {
        let own = policy.is_some_and(|s| s.domain == walk.start);
        if !own {
            return vec![lookup_unanswered(CHECK, name, err)];
        }
    }
    let Some(step) = policy else {
        if findings.is_empty() {
            let name = format!("{}.{mail}", walk::PREFIX);
            let mut f = finding(
                CHECK,
                &name,
                Severity::High,
                "No DMARC record",
                format!("Neither {name} nor any parent publishes a DMARC policy, so receivers cannot tell spoofed mail from {mail} apart. Publish TXT {name} \"v=DMARC1; p=none; rua=mailto:<you>@{mail}\" now, read the reports, then move to p=quarantine and p=reject before launch."),
            );
            f.evidence = walk.evidence();
            findings.push(f);
        }
        return findings;
    };
    let text = step.record().unwrap_or_default();
    let record = match Record::parse(text) {
        Ok(record) => record,
        Err(err) => {
            let mut f = finding(
                CHECK,
                step.name(),
                Severity::High,
                format!("DMARC record at {} cannot be read", step.name()),
                format!("The record at {} does not parse ({err}), so receivers apply no policy. Fix its tags, e.g. \"v=DMARC1; p=reject; rua=mailto:<you>@{}\".", step.name(), step.domain),
            );
            f.evidence = walk.evidence();
            findings.push(f);
            return findings;
        }
    };
    let exists = if step.domain == mail || record.dmarc.np == record.dmarc.sp {
        true
    } else {
        !matches!(
            records(net, &mail, RecordType::A).await,
            Err(NetError::NoSuchHost { .. })
        )
    };
    let mut main = judge_policy(&mail, step.domain.as_str(), &record, exists);
    main.evidence = walk.evidence();
    main.measured
        .push(measure("dmarc_queries", walk.steps.len() as f64, ""));
    findings.extend(judge_tags(&step.name(), &record));
    findings.extend(destinations(net, &walk, &step.domain, &record, &mut main).await);
    findings.insert(0, main);
    findings
}

/// The finding about the policy that applies to `mail`, found at `at`.
fn judge_policy(mail: &str, at: &str, record: &Record, exists: bool) -> Finding {
    let name = format!("{}.{at}", walk::PREFIX);
    let own = at == mail;
    let (tag, policy) = match (own, exists) {
        _ if record.dmarc.p == Policy::Unspecified => ("p", Policy::Unspecified),
        (true, _) => ("p", record.dmarc.p),
        (false, true) => ("sp", record.dmarc.sp),
        (false, false) => ("np", record.dmarc.np),
    };
    let from = if own {
        String::new()
    } else {
        format!(" from {at}")
    };
    let stated = format!("{tag}={}", word(policy));
    if policy == Policy::Unspecified {
        return finding(
            CHECK,
            &name,
            Severity::High,
            format!("DMARC record{from} has no policy (p=)"),
            format!("The record at {name} has no valid p= tag: receivers treat it as p=none at best (and ignore it without rua=). Add p=quarantine or p=reject."),
        );
    }
    if policy == Policy::None {
        return finding(
            CHECK,
            &name,
            Severity::High,
            format!("DMARC policy{from} is {stated}: spoofed mail is delivered"),
            format!("{stated} only monitors: mail that fails DMARC for {mail} still reaches inboxes. Before launch, once the reports show your own senders pass, move to {tag}=quarantine and then {tag}=reject."),
        );
    }
    if record.dmarc.t {
        let softer = if policy == Policy::Reject {
            "quarantine"
        } else {
            "none"
        };
        return finding(
            CHECK,
            &name,
            Severity::High,
            format!("DMARC policy{from} is in test mode (t=y)"),
            format!("With t=y receivers apply one step less than {stated}: failing mail for {mail} gets {softer}. Remove t=y (or set t=n) once the reports are clean."),
        );
    }
    let via = if own {
        format!("published at {name}")
    } else {
        format!("inherited from {name}, the parent of {mail}")
    };
    finding(
        CHECK,
        &name,
        Severity::Pass,
        format!("DMARC policy {stated}{from} protects {mail}"),
        format!(
            "Receivers {} mail that fails DMARC for {mail}; the policy is {via}.",
            word(policy)
        ),
    )
}

/// Findings about the record's other tags: weaker `sp`/`np`, missing
/// `rua`, removed tags.
fn judge_tags(name: &str, record: &Record) -> Vec<Finding> {
    let mut findings = Vec::new();
    let p = strength(record.dmarc.p);
    for (tag, policy, whom) in [
        ("sp", record.dmarc.sp, "subdomains"),
        ("np", record.dmarc.np, "non-existent subdomains"),
    ] {
        if p == 0 || !record.has(tag) || strength(policy) >= p {
            continue;
        }
        let severity = if strength(policy) == 0 {
            Severity::Medium
        } else {
            Severity::Low
        };
        findings.push(finding(
            CHECK,
            name,
            severity,
            format!("DMARC gives {whom} a weaker policy ({tag}={})", word(policy)),
            format!("p={} protects the domain itself, but {tag}={} lets mail claiming {whom} through more easily: spoofers use exactly those names. Drop {tag}= or set it to {}.", word(record.dmarc.p), word(policy), word(record.dmarc.p)),
        ));
    }
    if record.dmarc.rua.is_empty() {
        findings.push(finding(
            CHECK,
            name,
            Severity::Medium,
            "DMARC asks for no aggregate reports (no rua=)",
            "Without rua=mailto:… nobody learns which servers send mail as the domain or which legitimate senders fail. Add rua=mailto:<address> (a DMARC report service or your own mailbox).",
        ));
    }
    let obsolete = record.obsolete();
    if !obsolete.is_empty() {
        let partial = record
            .tags
            .iter()
            .find(|(n, _)| n == "pct")
            .is_some_and(|(_, v)| v.parse::<u32>().map_or(true, |n| n < FULL_PCT));
        let severity = if partial {
            Severity::Low
        } else {
            Severity::Info
        };
        let list = obsolete.join(", ");
        findings.push(finding(
            CHECK,
            name,
            severity,
            format!("DMARC record uses tags RFC 9989 removed: {list}"),
            format!("RFC 9989 dropped pct, rf and ri; current receivers ignore them while older ones may still honour them (a pct under 100 applies the policy to part of the mail only). Remove {list}; use t=y instead of pct for a trial."),
        ));
    }
    findings
}

/// Checks each report destination outside the Organizational Domain;
/// consent that was found goes into `main`'s evidence.
async fn destinations(
    net: &Net,
    walk: &Walk,
    policy_domain: &str,
    record: &Record,
    main: &mut Finding,
) -> Vec<Finding> {
    let org = walk.organizational();
    let mut findings = Vec::new();
    for (host, kind) in record.report_hosts() {
        if reports::within(&host, &org) {
            continue;
        }
        let name = reports::consent_name(policy_domain, &host);
        match reports::authorisation(net, policy_domain, &host).await {
            Authorisation::Granted(line) => main.evidence.push(line),
            Authorisation::Refused(line) => {
                let mut f = finding(
                    CHECK,
                    &name,
                    Severity::Medium,
                    format!("Reports to {host} are not authorised; receivers drop them"),
                    format!("{kind}= sends reports to {host}, outside {org}. Receivers deliver them only when {host} publishes TXT {name} \"v=DMARC1\" (your report provider sets this up), so today these reports are lost."),
                );
                f.evidence = vec![line];
                findings.push(f);
            }
            Authorisation::Unanswered(err) => {
                findings.push(lookup_unanswered(CHECK, &name, &err));
            }
        }
    }
    findings
}
