//! DKIM key records (RFC 6376 §3.6.1), read by hand: the tag list, the
//! public key and its size.
//!
//! A tag list is `tag=value` pairs separated by `;` with whitespace
//! allowed around each part and a final `;` allowed (§3.2); a tag must not
//! appear twice. `v=DKIM1` is optional but must come first; `k=` defaults
//! to `rsa`; `p=` is base64 and may hold whitespace; an empty `p=` revokes
//! the key. An RSA key is a DER SubjectPublicKeyInfo (some providers
//! publish a bare PKCS#1 RSAPublicKey instead; both are read); an Ed25519
//! key is its 32 raw bytes (RFC 8463).

use x509_parser::prelude::FromDer;
use x509_parser::public_key::{PublicKey, RSAPublicKey};
use x509_parser::x509::SubjectPublicKeyInfo;

/// Bytes of an Ed25519 public key (RFC 8032 §5.1.5).
pub const ED25519_KEY_BYTES: usize = 32;

/// What a key record's `p=` holds, once decoded.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Key {
    /// `p=` is empty: the key was withdrawn.
    Revoked,
    /// An RSA key with a modulus of this many bits.
    Rsa {
        /// Modulus length in bits.
        bits: usize,
    },
    /// An Ed25519 key (always 256 bits).
    Ed25519,
}

impl Key {
    /// The key's size in bits (0 when revoked).
    pub fn bits(&self) -> usize {
        match self {
            Key::Revoked => 0,
            Key::Rsa { bits } => *bits,
            Key::Ed25519 => ED25519_KEY_BYTES * 8,
        }
    }

    /// How it reads in evidence, e.g. `RSA 2048 bits`.
    pub fn describe(&self) -> String {
        match self {
            Key::Revoked => "revoked (empty p=)".to_string(),
            Key::Rsa { bits } => format!("RSA {bits} bits"),
            Key::Ed25519 => format!("Ed25519 {} bits", ED25519_KEY_BYTES * 8),
        }
    }
}

/// A key record that parsed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct KeyRecord {
    /// The decoded key.
    pub key: Key,
    /// `k=`, lowercase (`rsa` when absent).
    pub key_type: String,
    /// `h=`: the hash algorithms the key may be used with, lowercase;
    /// `None` when absent (any).
    pub hashes: Option<Vec<String>>,
    /// `t=` flags, lowercase (`y`: testing, `s`: no subdomains).
    pub flags: Vec<String>,
    /// `s=` service types, lowercase; `None` when absent (`*`).
    pub services: Option<Vec<String>>,
}

impl KeyRecord {
    /// Whether `t=y` marks the domain as testing DKIM.
    pub fn testing(&self) -> bool {
        self.flags.iter().any(|f| f == "y")
    }

    /// Whether `h=` allows only SHA-1, which RFC 8301 forbids signing with.
    pub fn sha1_only(&self) -> bool {
        self.hashes
            .as_ref()
            .is_some_and(|h| !h.is_empty() && h.iter().all(|a| a == "sha1"))
    }

    /// Whether `s=` leaves the key usable for email.
    pub fn for_email(&self) -> bool {
        self.services
            .as_ref()
            .is_none_or(|s| s.iter().any(|t| t == "*" || t == "email"))
    }
}

/// Why a key record could not be read, in words for a founder.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum RecordError {
    /// A part of the tag list is not `tag=value`.
    #[error("`{0}` is not a tag=value pair")]
    NotATag(String),
    /// A tag appears twice (RFC 6376 §3.2 forbids it).
    #[error("the tag `{0}` appears twice")]
    Duplicate(String),
    /// `v=` is present but not first, or not `DKIM1`.
    #[error("v= must be the first tag and say DKIM1")]
    Version,
    /// No `p=` tag.
    #[error("there is no p= tag (the public key)")]
    NoKey,
    /// `p=` is not base64.
    #[error("p= is not valid base64")]
    Base64,
    /// `k=` names an algorithm DKIM verifiers do not know.
    #[error("the key type k={0} is unknown to verifiers (rsa or ed25519)")]
    KeyType(String),
    /// The RSA key is neither a SubjectPublicKeyInfo nor an RSAPublicKey.
    #[error("p= does not hold an RSA public key")]
    Rsa,
    /// The Ed25519 key is not 32 bytes.
    #[error("an Ed25519 key must be {ED25519_KEY_BYTES} bytes, p= holds {0}")]
    Ed25519(usize),
}

/// The `(tag, value)` pairs of an RFC 6376 §3.2 tag list, names as written
/// and values trimmed; an empty final part (after a last `;`) is allowed.
pub fn tags(text: &str) -> Result<Vec<(String, String)>, RecordError> {
    let mut pairs: Vec<(String, String)> = Vec::new();
    for part in text.split(';') {
        let part = part.trim();
        if part.is_empty() {
            continue;
        }
        let (name, value) = part
            .split_once('=')
            .ok_or_else(|| RecordError::NotATag(part.to_string()))?;
        let name = name.trim();
        let valid_name = name.starts_with(|c: char| c.is_ascii_alphabetic())
            && name.chars().all(|c| c.is_ascii_alphanumeric() || c == '_');
        if !valid_name {
            return Err(RecordError::NotATag(part.to_string()));
        }
        if pairs.iter().any(|(n, _)| n == name) {
            return Err(RecordError::Duplicate(name.to_string()));
        }
        pairs.push((name.to_string(), value.trim().to_string()));
    }
    Ok(pairs)
}

/// A colon-separated list (`h=`, `s=`, `t=`), lowercase, without blanks.
fn list(value: &str) -> Vec<String> {
    value
        .split(':')
        .map(|item| item.trim().to_ascii_lowercase())
        .filter(|item| !item.is_empty())
        .collect()
}

/// Reads one DKIM key record (its TXT strings already joined).
pub fn parse(text: &str) -> Result<KeyRecord, RecordError> {
    let pairs = tags(text)?;
    let value = |tag: &str| {
        pairs
            .iter()
            .find(|(n, _)| n == tag)
            .map(|(_, v)| v.as_str())
    };
    if let Some(at) = pairs.iter().position(|(n, _)| n == "v") {
        if at != 0 || pairs[at].1 != "DKIM1" {
            return Err(RecordError::Version);
        }
    }
    let key_type = value("k").unwrap_or("rsa").to_ascii_lowercase();
    let encoded = value("p").ok_or(RecordError::NoKey)?;
    let bytes = base64(encoded).ok_or(RecordError::Base64)?;
    let key = if bytes.is_empty() {
        Key::Revoked
    } else {
        match key_type.as_str() {
            "rsa" => Key::Rsa {
                bits: rsa_bits(&bytes).ok_or(RecordError::Rsa)?,
            },
            "ed25519" if bytes.len() == ED25519_KEY_BYTES => Key::Ed25519,
            "ed25519" => return Err(RecordError::Ed25519(bytes.len())),
            other => return Err(RecordError::KeyType(other.to_string())),
        }
    };
    Ok(KeyRecord {
        key,
        key_type,
        hashes: value("h").map(list),
        flags: value("t").map(list).unwrap_or_default(),
        services: value("s").map(list),
    })
}

/// The modulus length of an RSA public key given as a DER
/// SubjectPublicKeyInfo or a bare PKCS#1 RSAPublicKey.
pub fn rsa_bits(der: &[u8]) -> Option<usize> {
    if let Ok((_, spki)) = SubjectPublicKeyInfo::from_der(der) {
        return match spki.parsed() {
            Ok(PublicKey::RSA(rsa)) => modulus_bits(rsa.modulus),
            _ => None,
        };
    }
    let (_, rsa) = RSAPublicKey::from_der(der).ok()?;
    modulus_bits(rsa.modulus)
}

/// Bits of a big-endian unsigned integer, leading zeros not counted.
fn modulus_bits(modulus: &[u8]) -> Option<usize> {
    let start = modulus.iter().position(|b| *b != 0)?;
    let digits = &modulus[start..];
    Some(digits.len() * 8 - digits[0].leading_zeros() as usize)
}

/// Decodes standard base64 (RFC 4648 §4) as DKIM publishes it: whitespace
/// (folding) skipped, padding optional; `None` when it is not base64.
pub fn base64(text: &str) -> Option<Vec<u8>> {
    use base64::engine::{
        general_purpose::GeneralPurpose, DecodePaddingMode, GeneralPurposeConfig,
    };
    use base64::Engine;
    const LENIENT: GeneralPurpose = GeneralPurpose::new(
        &base64::alphabet::STANDARD,
        GeneralPurposeConfig::new().with_decode_padding_mode(DecodePaddingMode::Indifferent),
    );
    let compact: String = text.chars().filter(|c| !c.is_ascii_whitespace()).collect();
    LENIENT.decode(compact).ok()
}

#[cfg(test)]
mod tests {
    use super::super::test_keys::{ED25519, PKCS1_2048, RSA_1024, RSA_2048, RSA_512};
    use super::*;

    #[test]
    fn rsa_sizes_come_from_spki_or_a_bare_pkcs1_key() {
        for (key, bits) in [(RSA_2048, 2048), (RSA_1024, 1024), (RSA_512, 512)] {
            assert_eq!(rsa_bits(&base64(key).unwrap()), Some(bits));
        }
        assert_eq!(rsa_bits(&base64(PKCS1_2048).unwrap()), Some(2048));
        assert_eq!(rsa_bits(b"not der"), None);
        // An Ed25519 key is not an RSA key.
        assert_eq!(rsa_bits(&base64(ED25519).unwrap()), None);
    }

    #[test]
    fn key_records_are_read_with_whitespace_and_defaults() {
        let spaced: String = PKCS1_2048
            .as_bytes()
            .chunks(60)
            .map(|c| std::str::from_utf8(c).unwrap())
            .collect::<Vec<_>>()
            .join(" \t");
        let record = parse(&format!(" v=DKIM1 ;h = sha1 : SHA256; p={spaced} ;")).unwrap();
        assert_eq!(record.key, Key::Rsa { bits: 2048 });
        assert_eq!(record.key_type, "rsa");
        assert_eq!(record.hashes, Some(vec!["sha1".into(), "sha256".into()]));
        assert!(!record.sha1_only() && !record.testing() && record.for_email());
        let ed = parse(&format!("k=ed25519; t=y:s; s=email; p={ED25519}")).unwrap();
        assert_eq!(ed.key, Key::Ed25519);
        assert!(ed.testing() && ed.for_email());
        assert_eq!(parse("v=DKIM1; p=").unwrap().key, Key::Revoked);
        assert!(parse("h=sha1; p=").unwrap().sha1_only());
        assert!(!parse("s=tlsrpt; p=").unwrap().for_email());
    }

    #[test]
    fn broken_key_records_say_why() {
        let cases = [
            ("k=rsa; v=DKIM1; p=", RecordError::Version),
            ("v=DKIM2; p=", RecordError::Version),
            ("v=DKIM1; k=rsa", RecordError::NoKey),
            ("p=abc; p=def", RecordError::Duplicate("p".into())),
            ("v=DKIM1; junk; p=", RecordError::NotATag("junk".into())),
            ("p=abc*", RecordError::Base64),
            ("k=dsa; p=AAAA", RecordError::KeyType("dsa".into())),
            ("p=AAAA", RecordError::Rsa),
            ("k=ed25519; p=AAAA", RecordError::Ed25519(3)),
        ];
        for (text, err) in cases {
            assert_eq!(parse(text), Err(err), "{text}");
        }
    }

    #[test]
    fn base64_is_decoded_with_or_without_padding() {
        assert_eq!(base64("aGk=").unwrap(), b"hi");
        assert_eq!(base64("aGk").unwrap(), b"hi");
        assert_eq!(base64("aG k=\r\n").unwrap(), b"hi");
        assert_eq!(base64("").unwrap(), b"");
        assert_eq!(base64("a"), None);
        assert_eq!(base64("aG=k"), None);
        assert_eq!(base64("aGk==="), None);
    }
}
