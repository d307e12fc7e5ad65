//! Finds credential-looking values in text pasted from a chat thread, so
//! each can be moved into the keychain. Only positions come back: the caller
//! already holds the text, and no value is echoed, logged or kept.

use std::sync::LazyLock;

use handover_model::{CredentialKind, PasteCandidate};
use regex::Regex;

/// Longest text accepted for one scan.
pub const MAX_PASTE: usize = 256 * 1024;

/// Shortest run of random-looking characters reported without a label.
const MIN_RANDOM_LEN: usize = 24;

struct Pattern {
    regex: Regex,
    kind: CredentialKind,
    reason: &'static str,
    label: &'static str,
}

fn pattern(re: &str, kind: CredentialKind, reason: &'static str, label: &'static str) -> Pattern {
    Pattern {
        regex: Regex::new(re).expect("built-in pattern compiles"),
        kind,
        reason,
        label,
    }
}

/// Token formats that identify themselves.
static KNOWN: LazyLock<Vec<Pattern>> = LazyLock::new(|| {
    use CredentialKind::*;
    vec![
        pattern(
            r"-----BEGIN [A-Z ]*PRIVATE KEY-----[\s\S]*?-----END [A-Z ]*PRIVATE KEY-----",
            Other,
            "private key block",
            "private key",
        ),
        pattern(
            r"\bAKIA[0-9A-Z]{16}\b",
            ApiKey,
            "AWS access key id",
            "AWS access key",
        ),
        pattern(
            r"\bgh[pousr]_[A-Za-z0-9]{36,}\b",
            ApiKey,
            "GitHub token",
            "GitHub token",
        ),
        pattern(
            r"\bgithub_pat_[A-Za-z0-9_]{40,}\b",
            ApiKey,
            "GitHub token",
            "GitHub token",
        ),
        pattern(
            r"\bxox[abprs]-[A-Za-z0-9-]{10,}\b",
            ApiKey,
            "Slack token",
            "Slack token",
        ),
        pattern(
            r"\b[sr]k_(live|test)_[A-Za-z0-9]{16,}\b",
            ApiKey,
            "Stripe key",
            "Stripe key",
        ),
        pattern(
            r"\bsk-ant-[A-Za-z0-9_-]{20,}",
            ApiKey,
            "Anthropic API key",
            "Anthropic API key",
        ),
        pattern(
            r"\bsk-[A-Za-z0-9_-]{20,}",
            ApiKey,
            "OpenAI-style API key",
            "model API key",
        ),
        pattern(
            r"\bAIza[0-9A-Za-z_-]{35}\b",
            ApiKey,
            "Google API key",
            "Google API key",
        ),
        pattern(
            r"\beyJ[A-Za-z0-9_-]{8,}\.eyJ[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]{8,}",
            ApiKey,
            "JSON web token",
            "token",
        ),
        pattern(
            r"\bSG\.[A-Za-z0-9_-]{16,}\.[A-Za-z0-9_-]{16,}",
            ApiKey,
            "SendGrid key",
            "SendGrid key",
        ),
    ]
});

/// `password: value`, `api key = value`, `token - "value"` and the like.
static LABELLED: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r#"(?im)\b(password|passwd|pwd|pass|passphrase|api[ _-]?key|secret(?:[ _-]?key)?|access[ _-]?key|token|recovery[ _-]?codes?|backup[ _-]?codes?)\b[ \t]*(?:is|[:=\-–>]+)[ \t]*["'`]?([^\s"'`]{4,}(?:[ \t]+[^\s"'`]{4,})*)"#,
    )
    .expect("built-in pattern compiles")
});

/// `scheme://user:password@host`.
static URL_PASSWORD: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"[a-z][a-z0-9+.-]*://[^\s:/@]+:([^\s@/]+)@").expect("built-in pattern compiles")
});

/// Long runs that could be random keys.
static RANDOM: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"[A-Za-z0-9+/=_-]{24,}").expect("built-in pattern compiles"));

/// Why a paste could not be scanned.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum PasteError {
    /// More text than one scan takes.
    #[error("that paste is {0} bytes; paste at most 256 KiB at a time")]
    TooLarge(usize),
}

/// Scans pasted text. Candidates are in text order and never overlap.
pub fn scan(text: &str) -> Result<Vec<PasteCandidate>, PasteError> {
    if text.len() > MAX_PASTE {
        return Err(PasteError::TooLarge(text.len()));
    }
    Ok(find(text, true))
}

/// The first value in a free-text field (notes, usernames, channels,
/// labels, evidence links) that is certainly a credential: a known token
/// format, a labelled secret (`password: …`) or a password inside a URL.
/// Long random-looking strings are left alone here: ids and hashes in
/// notes look the same, and a false refusal would lose the user's text.
pub fn credential_in(text: &str) -> Option<PasteCandidate> {
    let mut end = text.len().min(MAX_PASTE);
    while !text.is_char_boundary(end) {
        end -= 1;
    }
    find(&text[..end], false).into_iter().next()
}

/// Refuses a free-text field that holds a credential, pointing to the
/// keychain; the value itself is never repeated in the message.
pub(crate) fn refuse_credential(p: &mut crate::project::Problems, field: &str, value: &str) {
    if let Some(found) = credential_in(value) {
        p.add(
            field,
            format!(
                "This looks like a credential ({}). Store it in the keychain (Accounts → credentials) and keep only where it is in this field.",
                found.reason
            ),
        );
    }
}

fn find(text: &str, random: bool) -> Vec<PasteCandidate> {
    let mut found: Vec<PasteCandidate> = Vec::new();
    for p in KNOWN.iter() {
        for m in p.regex.find_iter(text) {
            push(
                &mut found,
                text,
                m.start(),
                m.end(),
                p.kind,
                p.reason,
                p.label,
            );
        }
    }
    for caps in URL_PASSWORD.captures_iter(text) {
        let m = caps.get(1).expect("group 1 always matches");
        push(
            &mut found,
            text,
            m.start(),
            m.end(),
            CredentialKind::Password,
            "password inside a URL",
            "password",
        );
    }
    for caps in LABELLED.captures_iter(text) {
        let (label, value) = (caps.get(1).expect("label"), caps.get(2).expect("value"));
        let word = label.as_str().to_ascii_lowercase();
        let (kind, name) = labelled_kind(&word);
        let reason = format!("follows {:?}", label.as_str());
        push(
            &mut found,
            text,
            value.start(),
            value.end(),
            kind,
            &reason,
            name,
        );
    }
    for m in RANDOM.find_iter(text).filter(|_| random) {
        if looks_random(m.as_str()) {
            push(
                &mut found,
                text,
                m.start(),
                m.end(),
                CredentialKind::Other,
                "long random-looking string",
                "secret",
            );
        }
    }
    found.sort_by_key(|c| c.start);
    found
}

fn labelled_kind(word: &str) -> (CredentialKind, &'static str) {
    if word.starts_with("recovery") || word.starts_with("backup") {
        (CredentialKind::RecoveryCodes, "recovery codes")
    } else if word.starts_with("pass") || word == "pwd" {
        (CredentialKind::Password, "password")
    } else if word.contains("key") {
        (CredentialKind::ApiKey, "API key")
    } else if word == "token" {
        (CredentialKind::ApiKey, "token")
    } else {
        (CredentialKind::Other, "secret")
    }
}

/// Adds a candidate unless it overlaps one found by an earlier, more specific rule.
fn push(
    found: &mut Vec<PasteCandidate>,
    text: &str,
    start: usize,
    end: usize,
    kind: CredentialKind,
    reason: &str,
    label: &str,
) {
    let value = text[start..end].trim_end_matches(['.', ',', ';', ')']);
    let end = start + value.len();
    if value.chars().count() < 4 || found.iter().any(|c| start < c.end && c.start < end) {
        return;
    }
    found.push(PasteCandidate {
        start,
        end,
        kind,
        reason: reason.to_string(),
        masked: mask(value),
        suggested_label: label.to_string(),
    });
}

/// Mixed letters and digits with enough variety to be a generated key.
fn looks_random(s: &str) -> bool {
    if s.len() < MIN_RANDOM_LEN {
        return false;
    }
    let has_upper = s.bytes().any(|b| b.is_ascii_uppercase());
    let has_lower = s.bytes().any(|b| b.is_ascii_lowercase());
    let has_digit = s.bytes().any(|b| b.is_ascii_digit());
    let classes = [has_upper, has_lower, has_digit]
        .iter()
        .filter(|x| **x)
        .count();
    classes >= 2 && has_digit && entropy_bits_per_char(s) >= 3.5
}

fn entropy_bits_per_char(s: &str) -> f64 {
    let mut counts = [0u32; 256];
    for b in s.bytes() {
        counts[b as usize] += 1;
    }
    let len = s.len() as f64;
    counts
        .iter()
        .filter(|c| **c > 0)
        .map(|c| {
            let p = f64::from(*c) / len;
            -p * p.log2()
        })
        .sum()
}

/// `sk-l…9Qx (51 chars)`: enough to recognise, not enough to use.
pub fn mask(value: &str) -> String {
    let chars: Vec<char> = value.chars().collect();
    let n = chars.len();
    if n < 12 {
        return format!("•••• ({n} chars)");
    }
    let head: String = chars[..4].iter().collect();
    let tail: String = chars[n - 3..].iter().collect();
    format!("{head}…{tail} ({n} chars)")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn values(text: &str) -> Vec<(&str, CredentialKind)> {
        scan(text)
            .unwrap()
            .into_iter()
            .map(|c| (&text[c.start..c.end], c.kind))
            .collect()
    }

    #[test]
    fn a_slack_thread_yields_each_secret_once() {
        let text = "Dana 10:02  here's the cloudflare login\n\
                    user: ops@example.com\n\
                    password: Tr0ub4dor&3x!\n\
                    Sam 10:05  and the OpenAI key is sk-proj-4fJ9xQ2LmZ8vB7nR1tY6wE3s\n\
                    db: postgres://app:s3cr3tPa55@db.internal:5432/app\n\
                    AWS AKIAIOSFODNN7EXAMPLE, thanks!";
        let found = values(text);
        assert_eq!(
            found,
            [
                ("Tr0ub4dor&3x!", CredentialKind::Password),
                ("sk-proj-4fJ9xQ2LmZ8vB7nR1tY6wE3s", CredentialKind::ApiKey),
                ("s3cr3tPa55", CredentialKind::Password),
                ("AKIAIOSFODNN7EXAMPLE", CredentialKind::ApiKey),
            ]
        );
    }

    #[test]
    fn recovery_codes_and_private_keys_are_recognised() {
        let text = "recovery codes: 8f2k-1m9d 77aa-b0c1 q2w3-e4r5\n\
                    -----BEGIN OPENSSH PRIVATE KEY-----\nb3BlbnNzaC1rZXktdjEAAAAA\n-----END OPENSSH PRIVATE KEY-----";
        let found = values(text);
        assert_eq!(
            found[0],
            (
                "8f2k-1m9d 77aa-b0c1 q2w3-e4r5",
                CredentialKind::RecoveryCodes
            )
        );
        assert!(found[1]
            .0
            .starts_with("-----BEGIN OPENSSH PRIVATE KEY-----"));
        assert_eq!(found.len(), 2);
    }

    #[test]
    fn ordinary_chat_has_no_candidates() {
        let text = "Let's meet at 10:30 to review the password policy and the API docs.\n\
                    The deploy finished: https://app.example.com/releases/2026-11-28 looks good.\n\
                    Token budget is fine.";
        assert!(values(text).is_empty(), "{:?}", values(text));
    }

    #[test]
    fn a_random_key_without_a_label_is_flagged() {
        let text = "use 9aZ3kQ7xW2mP5rT8vY1bN4cL6dF0gH then restart";
        assert_eq!(
            values(text),
            [("9aZ3kQ7xW2mP5rT8vY1bN4cL6dF0gH", CredentialKind::Other)]
        );
    }

    #[test]
    fn masks_never_show_the_middle() {
        assert_eq!(
            mask("sk-proj-4fJ9xQ2LmZ8vB7nR1tY6wE3s"),
            "sk-p…E3s (32 chars)"
        );
        assert_eq!(mask("hunter2"), "•••• (7 chars)");
    }

    #[test]
    fn oversized_pastes_are_refused() {
        let big = "a".repeat(MAX_PASTE + 1);
        assert_eq!(scan(&big), Err(PasteError::TooLarge(MAX_PASTE + 1)));
    }

    #[test]
    fn free_text_refuses_certain_credentials_but_not_ids_or_hashes() {
        for secret in [
            "root password: hunter2-correct-horse",
            "see https://admin:s3cr3tpass@db.example.com/",
            "key sk_live_51HqLyjWDarjtT1zdp7dc",
        ] {
            assert!(credential_in(secret).is_some(), "{secret}");
        }
        for fine in [
            "https://docs.google.com/document/d/1aBcDeFgHiJkLmNoPqRsTuVwXyZ0123456789/edit",
            "commit 9f86d081884c7d659a2feaa0c55ad015a3bf4f1b",
            "Rotated by Dana on 2026-11-30; codes in the office safe.",
        ] {
            assert!(credential_in(fine).is_none(), "{fine}");
        }
        // Cut at the scan limit without splitting a character.
        let long = "é".repeat(MAX_PASTE);
        assert!(credential_in(&long).is_none());
    }
}
