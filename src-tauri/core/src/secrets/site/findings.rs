//! The findings a site scan reports.

use handover_model::{SecretFinding, SecretPlace, Severity};

use super::PUBLIC_SOURCE_MAP;
use crate::secrets::{FingerprintKey, Hit};

/// A secret on the site: public, so a blocker.
pub(super) fn finding(hit: Hit, location: &str, original: Option<&str>) -> SecretFinding {
    SecretFinding {
        rule: hit.rule,
        title: hit.title,
        place: SecretPlace::Site,
        location: location.to_string(),
        original: original.map(str::to_string),
        line: hit.line,
        column: hit.column,
        preview: hit.preview,
        fingerprint: hit.fingerprint,
        severity: Severity::Blocker,
        remedy: hit.remedy,
        ignored: false,
    }
}

/// The finding for a public source map that carries the original sources.
pub(super) fn public_map(location: &str, key: &FingerprintKey) -> SecretFinding {
    SecretFinding {
        rule: PUBLIC_SOURCE_MAP.to_string(),
        title: "Public source map with the original source".to_string(),
        place: SecretPlace::Site,
        location: location.to_string(),
        original: None,
        line: 1,
        column: 1,
        preview: String::new(),
        fingerprint: key.fingerprint(PUBLIC_SOURCE_MAP, location),
        severity: Severity::High,
        remedy: "Anyone can read your original source code from this map. Stop uploading \
                 source maps to the public server (turn off production source maps, or delete \
                 the .map files after the build) or serve them only to your error tracker \
                 (upload them to Sentry and the like)."
            .to_string(),
        ignored: false,
    }
}
