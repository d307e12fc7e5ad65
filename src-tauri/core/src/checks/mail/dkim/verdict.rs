//! The finding for one selector's key record.

use handover_model::{Finding, Severity};

use super::key::{parse, Key, KeyRecord};
use super::{Origin, CHECK};
use crate::checks::{finding, measure};

/// RSA keys shorter than this are forgeable (RFC 8301 §3.2 requires at
/// least 1024 bits).
pub const MIN_RSA_BITS: usize = 1024;
/// RSA keys shorter than this are weaker than today's recommendation
/// (RFC 8301 §3.2: 2048 bits or more).
pub const RECOMMENDED_RSA_BITS: usize = 2048;

/// One problem with a key: severity, title, explanation.
type Issue = (Severity, String, String);

/// The finding for the TXT records found at `name` for `selector`, or
/// `None` when a discovered selector has no DKIM record there.
pub(super) fn judge(
    name: &str,
    selector: &str,
    origin: &Origin,
    records: &[String],
) -> Option<Finding> {
    let configured = matches!(origin, Origin::Configured);
    // A discovered name may hold unrelated TXT (a wildcard): only records
    // that look like DKIM keys count there.
    let records: Vec<&String> = records
        .iter()
        .filter(|r| configured || looks_like_dkim(r))
        .collect();
    let mut evidence: Vec<String> = records
        .iter()
        .map(|r| format!("{name} TXT \"{r}\""))
        .collect();
    evidence.push(format!("selector from: {}", origin.describe()));
    let mut f = match records.as_slice() {
        [] if !configured => return None,
        [] => finding(
            CHECK,
            name,
            Severity::High,
            format!("No DKIM key for selector {selector}"),
            format!(
                "{name} has no TXT record, so receivers cannot verify mail signed with \
                 selector {selector} and DKIM fails. Publish the key your mail provider gives \
                 you for this selector, or remove the selector from the project if it is no \
                 longer used."
            ),
        ),
        [record] => match parse(record) {
            Ok(parsed) => {
                let mut f = of_key(name, selector, configured, &parsed);
                evidence.insert(records.len(), format!("key: {}", parsed.key.describe()));
                if parsed.key != Key::Revoked {
                    f.measured = vec![measure("dkim_key_bits", parsed.key.bits() as f64, "bits")];
                }
                f
            }
            Err(err) => finding(
                CHECK,
                name,
                Severity::High,
                format!("DKIM record for {selector} cannot be read"),
                format!(
                    "The record at {name} is not a valid DKIM key record (RFC 6376 §3.6.1): \
                     {err}. Receivers ignore it and DKIM fails; publish the record exactly as \
                     your mail provider gives it."
                ),
            ),
        },
        several => finding(
            CHECK,
            name,
            Severity::Medium,
            format!("Several DKIM records for {selector}"),
            format!(
                "{name} has {} TXT records; a receiver picks one (RFC 6376 §3.6.2.2), so \
                 verification works only some of the time. Keep exactly one.",
                several.len()
            ),
        ),
    };
    f.evidence = evidence;
    Some(f)
}

/// Whether a TXT record looks like a DKIM key record at all.
fn looks_like_dkim(record: &str) -> bool {
    let compact: String = record
        .chars()
        .filter(|c| !c.is_whitespace())
        .collect::<String>()
        .to_ascii_lowercase();
    compact.starts_with("v=dkim1") || compact.starts_with("p=") || compact.contains(";p=")
}

/// The finding for a key record that parsed: its worst issue, every
/// issue's explanation, or a pass.
fn of_key(name: &str, selector: &str, configured: bool, record: &KeyRecord) -> Finding {
    let issues = issues(selector, configured, record);
    let Some(worst) = issues.iter().rev().max_by_key(|(severity, _, _)| *severity) else {
        let (title, detail) = match record.key {
            Key::Ed25519 => (
                format!("DKIM key {selector} is Ed25519"),
                format!(
                    "An Ed25519 key (RFC 8463) is strong; not every receiver verifies \
                     Ed25519 yet, so sign with a {RECOMMENDED_RSA_BITS}-bit RSA key too."
                ),
            ),
            _ => (
                format!("DKIM key {selector} is {}-bit RSA", record.key.bits()),
                format!("The key is at least {RECOMMENDED_RSA_BITS} bits, as RFC 8301 recommends."),
            ),
        };
        return finding(CHECK, name, Severity::Pass, title, detail);
    };
    let detail = issues
        .iter()
        .map(|(_, _, detail)| detail.as_str())
        .collect::<Vec<_>>()
        .join(" ");
    finding(CHECK, name, worst.0, worst.1.clone(), detail)
}

/// What is wrong with a key record, in the order a founder should read it.
fn issues(selector: &str, configured: bool, record: &KeyRecord) -> Vec<Issue> {
    let mut issues = Vec::new();
    match record.key {
        Key::Revoked => {
            let severity = if configured {
                Severity::High
            } else {
                Severity::Info
            };
            let what = if configured {
                "Mail signed with it fails DKIM: publish the current key, or replace the \
                 selector in the project with the one your provider signs with now."
            } else {
                "That is normal for a retired selector during key rotation, as long as mail \
                 is signed with another one."
            };
            issues.push((
                severity,
                format!("DKIM key {selector} is revoked"),
                format!("Its p= is empty: the key was withdrawn (RFC 6376 §3.6.1). {what}"),
            ));
            return issues;
        }
        Key::Rsa { bits } if bits < MIN_RSA_BITS => issues.push((
            Severity::High,
            format!("DKIM key {selector} is {bits}-bit RSA, too weak"),
            format!(
                "A {bits}-bit RSA key can be factored and your mail forged; RFC 8301 makes \
                 {MIN_RSA_BITS} bits the minimum and receivers reject shorter keys. Rotate to \
                 a {RECOMMENDED_RSA_BITS}-bit key."
            ),
        )),
        Key::Rsa { bits } if bits < RECOMMENDED_RSA_BITS => issues.push((
            Severity::Medium,
            format!("DKIM key {selector} is only {bits}-bit RSA"),
            format!(
                "{bits} bits is the minimum RFC 8301 allows; {RECOMMENDED_RSA_BITS} bits is \
                 recommended and most providers offer it. Rotate to a longer key."
            ),
        )),
        _ => {}
    }
    if !record.for_email() {
        issues.push((
            Severity::High,
            format!("DKIM key {selector} is not for email"),
            "Its s= excludes email (RFC 6376 §3.6.1), so receivers will not use it to verify \
             mail."
                .to_string(),
        ));
    }
    if record.sha1_only() {
        issues.push((
            Severity::Medium,
            format!("DKIM key {selector} allows only rsa-sha1"),
            "Its h= allows only SHA-1, and RFC 8301 says rsa-sha1 must not be used: receivers \
             treat such signatures as failing. Remove h= or make it h=sha256."
                .to_string(),
        ));
    }
    if record.testing() {
        issues.push((
            Severity::Low,
            format!("DKIM key {selector} is in testing mode"),
            "Its t=y marks DKIM as being tested (RFC 6376 §3.6.1): receivers may treat failed \
             signatures as unsigned mail. Remove t=y once signing works."
                .to_string(),
        ));
    }
    issues
}
