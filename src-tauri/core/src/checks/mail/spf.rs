//! `email.spf`: the sending domain's SPF record and its whole include tree
//! (RFC 7208).
//!
//! The record is picked among the domain's TXT records (§4.5), parsed with
//! `mail-auth`, and every `include:` and `redirect=` target is fetched in
//! turn ([`tree`]). What is judged: the 10-lookup limit across the tree,
//! with a per-include breakdown (§4.6.4); void lookups; the MX host limit
//! of each `mx` term; include targets without SPF (§5.2); include loops;
//! the terminal `all` (§5.1, §6.1); and `ptr` (§5.5). Macros that need a
//! sender (e.g. `%{i}`) are counted as lookups but not expanded.

use handover_model::{Finding, Severity};
use mail_auth::spf::Qualifier;

use super::{answered, lookup_unanswered, txt, CheckDef};
use crate::checks::dns::records::trim;
use crate::checks::net::{Net, NetError};
use crate::checks::{finding, measure, CheckTarget};

pub mod record;
pub mod tree;

#[cfg(test)]
#[path = "spf_tests.rs"]
mod tests;
#[cfg(test)]
mod tree_tests;

use record::{parse, select, Selected};
use tree::{Terminal, Walk};

/// Most DNS-querying terms across the whole tree (RFC 7208 §4.6.4).
pub const MAX_LOOKUPS: usize = 10;
/// Most void lookups (NXDOMAIN or empty answers) (RFC 7208 §4.6.4).
pub const MAX_VOID: usize = 2;
/// Most MX hosts one `mx` term may name (RFC 7208 §4.6.4).
pub const MAX_MX_NAMES: usize = 10;

const CHECK: &str = "email.spf";

pub(super) fn checks() -> Vec<CheckDef> {
    vec![super::check(CHECK, |n, t| Box::pin(spf(n, t)))]
}

/// `email.spf`: finds the record, walks its tree, judges it.
async fn spf(net: &Net, target: &CheckTarget) -> Vec<Finding> {
    let domain = trim(&target.mail_domain);
    let found = match txt(net, &domain).await {
        Ok(found) => found,
        Err(NetError::NoSuchHost { .. }) => {
            return vec![no_record(
                &domain,
                vec![format!("{domain} does not exist (NXDOMAIN)")],
            )]
        }
        Err(err) if answered(&err) => {
            let mut f = finding(
                CHECK,
                &domain,
                Severity::High,
                "The SPF lookup fails",
                format!("Asking for {domain}'s TXT records fails ({err}). Receivers get a temporary error and may defer or reject your mail until DNS answers."),
            );
            f.evidence = vec![err.to_string()];
            return vec![f];
        }
        Err(err) => return vec![lookup_unanswered(CHECK, &domain, &err)],
    };
    let text = match select(&found) {
        Selected::One(text) => text,
        Selected::None => {
            let evidence = if found.is_empty() {
                vec![format!("{domain} has no TXT record")]
            } else {
                found.iter().map(|t| txt_line(&domain, t)).collect()
            };
            return vec![no_record(&domain, evidence)];
        }
        Selected::Many(all) => {
            let mut f = finding(
                CHECK,
                &domain,
                Severity::High,
                format!("{domain} has {} SPF records", all.len()),
                "More than one TXT record starts with v=spf1: receivers treat that as a permanent error (RFC 7208 §4.5) and SPF fails for all your mail. Merge them into one record.",
            );
            f.evidence = all.iter().map(|t| txt_line(&domain, t)).collect();
            return vec![f];
        }
    };
    let line = txt_line(&domain, &text);
    let record = match parse(&text, &domain) {
        Ok(record) => record,
        Err(err) => {
            let mut f = finding(
                CHECK,
                &domain,
                Severity::High,
                "The SPF record does not parse",
                format!("Receivers treat an SPF record they cannot read as a permanent error, so SPF fails for all your mail: {err}."),
            );
            f.evidence = vec![line, err];
            return vec![f];
        }
    };
    let walk = tree::walk(net, &domain, record).await;
    judge(&domain, &line, &walk)
}

/// The findings for a walked tree: one per problem, or a single pass.
fn judge(domain: &str, line: &str, walk: &Walk) -> Vec<Finding> {
    let mut findings = Vec::new();
    let mut add = |severity, title: String, detail: String, evidence: Vec<String>| {
        let mut f = finding(CHECK, domain, severity, title, detail);
        f.evidence = evidence;
        findings.push(f);
    };
    let lookups = walk.lookups;
    if lookups > MAX_LOOKUPS || walk.truncated {
        let heaviest = walk
            .branches
            .iter()
            .filter(|b| b.depth == 0)
            .max_by_key(|b| b.lookups)
            .map(|b| format!(" {} alone costs {}.", b.term, plural(b.lookups, "lookup")))
            .unwrap_or_default();
        let mut evidence = vec![line.to_string(), budget_line(walk)];
        evidence.extend(breakdown(domain, walk));
        add(
            Severity::High,
            format!("SPF needs {lookups} DNS lookups, more than {MAX_LOOKUPS}"),
            format!("Receivers stop after {MAX_LOOKUPS} DNS-querying terms (include, a, mx, ptr, exists, redirect) across the whole include tree and return a permanent error, so SPF fails for your mail.{heaviest} Replace includes with ip4/ip6 ranges or drop senders you no longer use."),
            evidence,
        );
    }
    let voids = walk.voids.len();
    if voids > MAX_VOID {
        add(
            Severity::High,
            format!("SPF makes {voids} void lookups, more than {MAX_VOID}"),
            format!("Terms whose DNS query finds nothing (NXDOMAIN or an empty answer) are void lookups; receivers allow at most {MAX_VOID} and then return a permanent error (RFC 7208 §4.6.4). Remove terms naming domains that no longer exist."),
            walk.voids.clone(),
        );
    }
    if !walk.big_mx.is_empty() {
        add(
            Severity::High,
            format!("An mx term names more than {MAX_MX_NAMES} mail hosts"),
            format!("Receivers look up the addresses of at most {MAX_MX_NAMES} MX hosts per mx term and return a permanent error beyond (RFC 7208 §4.6.4). List the senders with ip4/ip6 instead."),
            walk.big_mx.clone(),
        );
    }
    for broken in &walk.broken {
        let (title, what) = if broken.missing {
            (
                format!("{} has no SPF record", broken.term),
                "no SPF record",
            )
        } else {
            (
                format!("{} has a broken SPF record", broken.term),
                "an unusable SPF record",
            )
        };
        add(
            Severity::High,
            title,
            format!("The target of {} has {what}: receivers return a permanent error when they reach it (RFC 7208 §5.2), so SPF fails for your mail. Fix or remove the term.", broken.term),
            vec![format!("{}: {}", broken.term, broken.why)],
        );
    }
    if !walk.loops.is_empty() {
        add(
            Severity::High,
            "The SPF include tree loops".to_string(),
            "An include or redirect leads back to a record already being evaluated; receivers give up with a permanent error. Remove the term that points back.".to_string(),
            walk.loops.clone(),
        );
    }
    if !walk.failures.is_empty() {
        add(
            Severity::High,
            "SPF lookups in the include tree fail".to_string(),
            "A DNS server answers with an error for part of the tree; receivers get a temporary error and may defer your mail.".to_string(),
            walk.failures.clone(),
        );
    }
    match &walk.terminal {
        Terminal::All(Qualifier::Pass) => add(
            Severity::High,
            "SPF allows any sender (+all)".to_string(),
            format!("The record ends in +all: every server on the internet passes SPF for {domain}. End it with -all (or ~all while testing)."),
            vec![line.to_string()],
        ),
        Terminal::All(Qualifier::Neutral) => add(
            Severity::Medium,
            "SPF ends in ?all".to_string(),
            format!("?all says nothing about senders not listed, so forged mail from {domain} is not rejected. End the record with -all or ~all."),
            vec![line.to_string()],
        ),
        Terminal::Missing => add(
            Severity::Medium,
            "The SPF record has no all".to_string(),
            format!("Without a final all (or redirect=) senders not listed get a neutral result, so forged mail from {domain} is not rejected. End the record with -all or ~all."),
            vec![line.to_string()],
        ),
        _ => {}
    }
    if !walk.ptr.is_empty() {
        add(
            Severity::Low,
            "SPF uses ptr".to_string(),
            "ptr is slow and discouraged, RFC 7208 §5.5; some receivers skip it. Replace it with ip4/ip6, a or include.".to_string(),
            walk.ptr.clone(),
        );
    }
    if findings.is_empty() && walk.unanswered.is_none() {
        let mut f = finding(
            CHECK,
            domain,
            Severity::Pass,
            "SPF record found",
            format!("{domain} publishes one SPF record within the limits (RFC 7208) that ends in -all or ~all."),
        );
        f.evidence = vec![line.to_string(), budget_line(walk)];
        if voids > 0 {
            f.evidence.push(format!(
                "{voids} of {MAX_VOID} void lookups: {}",
                walk.voids.join("; ")
            ));
        }
        findings.push(f);
    }
    for f in &mut findings {
        if !walk.unexpanded.is_empty() {
            f.evidence.push(format!(
                "counted, not expanded (needs a sender): {}",
                walk.unexpanded.join(", ")
            ));
        }
        f.measured.push(measure("spf_lookups", lookups as f64, ""));
        f.measured
            .push(measure("spf_void_lookups", voids as f64, ""));
    }
    if let Some((_, err)) = &walk.unanswered {
        findings.push(lookup_unanswered(CHECK, domain, err));
    }
    findings
}

/// "N of 10 DNS lookups", with "at least" when the walk stopped early.
fn budget_line(walk: &Walk) -> String {
    let floor = if walk.truncated { "at least " } else { "" };
    format!("{floor}{} of {MAX_LOOKUPS} DNS lookups", walk.lookups)
}

/// Per-include lines: what each include and redirect costs with its
/// sub-tree, indented by depth, after the sending domain's own terms.
fn breakdown(domain: &str, walk: &Walk) -> Vec<String> {
    let mut lines = Vec::new();
    if !walk.own.is_empty() {
        lines.push(format!(
            "{domain} itself → {} ({})",
            plural(walk.own.len(), "lookup"),
            walk.own.join(", ")
        ));
    }
    lines.extend(walk.branches.iter().map(|b| {
        format!(
            "{}{} → {}",
            "  ".repeat(b.depth),
            b.term,
            plural(b.lookups, "lookup")
        )
    }));
    lines
}

/// "1 lookup", "4 lookups".
fn plural(n: usize, word: &str) -> String {
    if n == 1 {
        format!("{n} {word}")
    } else {
        format!("{n} {word}s")
    }
}

/// A TXT record as a zone line.
fn txt_line(domain: &str, text: &str) -> String {
    format!("{domain} TXT \"{text}\"")
}

/// The finding for a domain without an SPF record.
fn no_record(domain: &str, evidence: Vec<String>) -> Finding {
    let mut f = finding(
        CHECK,
        domain,
        Severity::High,
        "No SPF record",
        format!("{domain} publishes no TXT record starting with v=spf1, so receivers cannot tell your servers from forgers and many file your mail as spam. Publish one, e.g. `v=spf1 include:<your provider> -all`."),
    );
    f.evidence = evidence;
    f
}
