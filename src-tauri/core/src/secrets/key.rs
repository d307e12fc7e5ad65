//! Redaction and keyed fingerprints: how a secret is shown and compared
//! without being kept.

use hmac::{Hmac, KeyInit, Mac};
use sha2::Sha256;

/// Characters of a value shown before the `…`.
const PREVIEW_PREFIX: usize = 4;

/// Values shorter than this show no prefix at all.
const PREVIEW_MIN: usize = 12;

/// A value redacted for display: empty stays empty, a short value becomes
/// `…`, a longer one keeps its first few characters (`sk-p…`).
pub fn redact(value: &str) -> String {
    let chars = value.chars().count();
    if chars == 0 {
        String::new()
    } else if chars < PREVIEW_MIN {
        "…".to_owned()
    } else {
        let prefix: String = value.chars().take(PREVIEW_PREFIX).collect();
        format!("{prefix}…")
    }
}

/// The key of a project's fingerprints (HMAC-SHA256), kept in the OS
/// keychain: the same secret gets the same fingerprint in every scan of
/// the project, and the fingerprint tells nothing about the value to
/// anyone without the key.
#[derive(Clone)]
pub struct FingerprintKey([u8; 32]);

impl std::fmt::Debug for FingerprintKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("FingerprintKey(…)")
    }
}

impl PartialEq for FingerprintKey {
    fn eq(&self, other: &Self) -> bool {
        self.0 == other.0
    }
}

impl Eq for FingerprintKey {}

impl FingerprintKey {
    /// A key from its 32 bytes.
    pub fn new(bytes: [u8; 32]) -> Self {
        Self(bytes)
    }

    /// A fresh random key (from the operating system's generator).
    pub fn random() -> Self {
        let mut bytes = [0u8; 32];
        getrandom::fill(&mut bytes).expect("the operating system gives random bytes");
        Self(bytes)
    }

    /// The key's bytes, to store it in the keychain.
    pub fn bytes(&self) -> &[u8; 32] {
        &self.0
    }

    /// The keyed hash of `value` under `context` (a rule id, an env
    /// key's name): 32 bytes.
    pub fn keyed(&self, context: &str, value: &str) -> [u8; 32] {
        let mut mac = Hmac::<Sha256>::new_from_slice(&self.0).expect("HMAC takes any key length");
        mac.update(context.as_bytes());
        mac.update(&[0]);
        mac.update(value.as_bytes());
        mac.finalize().into_bytes().into()
    }

    /// The fingerprint of a secret found by rule `rule`: the first 16
    /// bytes of its keyed hash, in hex.
    pub fn fingerprint(&self, rule: &str, secret: &str) -> String {
        self.keyed(rule, secret)[..16]
            .iter()
            .map(|b| format!("{b:02x}"))
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn redaction_keeps_empty_empty_hides_short_values_and_shows_a_prefix_of_long_ones() {
        assert_eq!(redact(""), "");
        assert_eq!(redact("x"), "…");
        assert_eq!(redact("hunter2hunt"), "…");
        assert_eq!(redact("sk-proj-abcdefghijklmnop"), "sk-p…");
        assert_eq!(redact("ключ-секрет-длинный"), "ключ…");
    }

    #[test]
    fn fingerprints_are_stable_per_key_and_differ_across_keys_and_rules() {
        let a = FingerprintKey::new([1; 32]);
        let b = FingerprintKey::new([2; 32]);
        let one = a.fingerprint("aws-access-key", "AKIAABCDEFGHIJKLMNOP");
        assert_eq!(one, a.fingerprint("aws-access-key", "AKIAABCDEFGHIJKLMNOP"));
        assert_eq!(one.len(), 32);
        assert_ne!(one, b.fingerprint("aws-access-key", "AKIAABCDEFGHIJKLMNOP"));
        assert_ne!(one, a.fingerprint("generic", "AKIAABCDEFGHIJKLMNOP"));
        assert!(!one.contains("AKIA"));
        assert_eq!(format!("{a:?}"), "FingerprintKey(…)");
    }
}
