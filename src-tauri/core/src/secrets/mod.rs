//! # Secret and environment hygiene
//!
//! Finds secrets where founders leak them — the repository (and its recent
//! history), the build output that ships to browsers, the deployed site's
//! scripts and source maps, env files, log exports — and compares staging
//! with production without ever showing a value.
//!
//! - [`rules`]: our curated rules for provider token formats, plus generic
//!   high-entropy assignments; [`gitleaks`] adds a repository's own
//!   `.gitleaks.toml` rules.
//! - [`Scanner`]: a keyword prefilter (Aho-Corasick) before the rules'
//!   regexes, allowlists (inline `handover:allow`, `gitleaks:allow`,
//!   `pragma: allowlist secret`, stopwords, paths) and entropy thresholds.
//! - [`walk`]: folders (honouring `.gitignore`, except for a build output
//!   named explicitly), in parallel, skipping binary and oversized files
//!   with a counted note; [`history`]: the last commits.
//! - [`site`]: the deployed homepage and login page, their scripts,
//!   styles, framework payloads and source maps.
//! - [`env`]: env parity; [`logs`]: tokens and personal data in log exports.
//! - [`hygiene`]: a project's baseline applied, the counts and the verdict
//!   the Secrets & env page and `handover secrets` show.
//!
//! A raw secret never leaves the scan: findings carry a redacted preview
//! ([`redact`]) and a keyed fingerprint ([`FingerprintKey`]).

mod code_refs;
pub mod env;
mod env_file;
mod env_names;
pub mod gitleaks;
pub mod history;
pub mod hygiene;
#[cfg(test)]
mod hygiene_tests;
mod key;
pub mod local;
mod log_patterns;
pub mod logs;
pub mod rules;
mod scan;
pub mod site;
#[cfg(test)]
mod site_tests;
pub mod sourcemap;
pub mod walk;

pub use key::{redact, FingerprintKey};
pub use scan::{Hit, Scanner};

/// `n` random ASCII letters and digits: a canary unique to one test run.
#[cfg(test)]
pub(crate) fn random_text(n: usize) -> String {
    const ALPHABET: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
    let mut bytes = vec![0u8; n];
    getrandom::fill(&mut bytes).expect("random bytes");
    bytes
        .iter()
        .map(|b| ALPHABET[usize::from(*b) % ALPHABET.len()] as char)
        .collect()
}
