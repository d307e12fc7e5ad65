//! Which env keys hold secrets, and which are public by design.
//!
//! A value is a secret when a scanner rule finds one in `NAME=value`, when it
//! is a URL with a password (`DATABASE_URL=postgres://u:p@…`), or when the
//! name says so (`…SECRET…`, `…TOKEN…`, `…PASSWORD…`, `…API_KEY…`, `…_KEY`).
//!
//! Publishable things are not secrets even though their names say `KEY`
//! or `TOKEN`: they are built to ship to browsers and are safe there
//! (restricted by origin, row-level security or scope). So a name with
//! `PUBLISHABLE`, `ANON_KEY`, `PUBLIC_KEY`, `SITE_KEY`, a Firebase web
//! `API_KEY`, a Maps key, an Algolia search-only key, a PostHog project key
//! or a measurement id, and a value that starts with `pk_`/`pk.` (Stripe,
//! Clerk, Mapbox publishable keys), is not a secret by name — only a scanner
//! rule for a specific provider (not the generic or JWT ones, which an anon
//! key would trip) still makes it one.

use super::{redact, FingerprintKey, Scanner};

/// Prefixes whose variables the build inlines into the client bundle.
pub(crate) const PUBLIC_PREFIXES: &[&str] = &[
    "NEXT_PUBLIC_",
    "VITE_",
    "REACT_APP_",
    "NUXT_PUBLIC_",
    "EXPO_PUBLIC_",
    "PUBLIC_",
];

/// Why a value is taken for a secret, with its redacted preview.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Evidence {
    /// A scanner rule finds a secret in the value.
    Rule(String),
    /// The value is a URL with a password.
    UrlPassword(String),
    /// The key's name says it is a secret.
    Name(String),
}

impl Evidence {
    /// The redacted preview.
    pub(crate) fn preview(&self) -> &str {
        match self {
            Evidence::Rule(p) | Evidence::UrlPassword(p) | Evidence::Name(p) => p,
        }
    }
}

/// The client-exposed prefix `name` starts with.
pub(crate) fn public_prefix(name: &str) -> Option<&'static str> {
    PUBLIC_PREFIXES
        .iter()
        .copied()
        .find(|p| name.starts_with(p))
}

/// The name says it holds a secret.
pub(crate) fn sensitive_name(name: &str) -> bool {
    const MARKERS: &[&str] = &[
        "SECRET",
        "TOKEN",
        "PASSWORD",
        "PASSWD",
        "PASSPHRASE",
        "PRIVATE_KEY",
        "PRIVATEKEY",
        "API_KEY",
        "APIKEY",
        "ACCESS_KEY",
        "CREDENTIAL",
        "SERVICE_ROLE",
        "SERVICE_KEY",
        "SIGNING_KEY",
        "ENCRYPTION_KEY",
        "MASTER_KEY",
        "AUTH_KEY",
    ];
    const SUFFIXES: &[&str] = &["_KEY", "_PASS", "_PWD"];
    let upper = name.to_ascii_uppercase();
    MARKERS.iter().any(|m| upper.contains(m))
        || SUFFIXES.iter().any(|s| upper.ends_with(s))
        || matches!(upper.as_str(), "KEY" | "PASS")
}

/// The name is of something publishable (see the module documentation).
pub(crate) fn publishable_name(name: &str) -> bool {
    const MARKERS: &[&str] = &[
        "PUBLISHABLE",
        "ANON_KEY",
        "PUBLIC_KEY",
        "PUBLICKEY",
        "SITE_KEY",
        "SITEKEY",
        "FIREBASE_API_KEY",
        "MAPS_API_KEY",
        "MAPS_KEY",
        "SEARCH_API_KEY",
        "SEARCH_KEY",
        "SEARCH_ONLY",
        "POSTHOG_KEY",
        "MEASUREMENT_ID",
    ];
    let upper = name.to_ascii_uppercase();
    MARKERS.iter().any(|m| upper.contains(m))
}

/// The value is a publishable key (`pk_live_…`, `pk.eyJ…`).
fn publishable_value(value: &str) -> bool {
    value.starts_with("pk_") || value.starts_with("pk.")
}

/// The password of a URL value (`scheme://user:password@host`), if any.
pub(crate) fn url_password(value: &str) -> Option<String> {
    let url = url::Url::parse(value.trim()).ok()?;
    let password = url.password()?;
    let decoded = percent_decode(password);
    (!decoded.is_empty()).then_some(decoded)
}

fn percent_decode(text: &str) -> String {
    url::form_urlencoded::parse(format!("p={text}").as_bytes())
        .next()
        .map(|(_, v)| v.into_owned())
        .unwrap_or_default()
}

/// Why the value of `name` is a secret, or `None`.
pub(crate) fn looks_secret(
    name: &str,
    value: &str,
    scanner: &Scanner,
    key: &FingerprintKey,
) -> Option<Evidence> {
    let publishable = publishable_name(name) || publishable_value(value.trim());
    if !value.trim().is_empty() {
        let line = format!("{name}={value}");
        let hit = scanner.scan(&line, key).into_iter().find(|hit| {
            hit.offset > name.len()
                && !(publishable && (hit.rule.contains("generic") || hit.rule.contains("jwt")))
        });
        if let Some(hit) = hit {
            return Some(Evidence::Rule(hit.preview));
        }
        if url_password(value).is_some() {
            return Some(Evidence::UrlPassword(redact(value)));
        }
    }
    (sensitive_name(name) && !publishable).then(|| Evidence::Name(redact(value)))
}

/// A value a sample file may hold: empty, or an obvious placeholder
/// (`changeme`, `your-api-key`, `<token>`, `xxxx`, `...`, `${VAR}`).
pub(crate) fn is_placeholder(value: &str) -> bool {
    const WORDS: &[&str] = &[
        "changeme",
        "change-me",
        "change_me",
        "changethis",
        "replaceme",
        "replace-me",
        "replace_me",
        "todo",
        "tbd",
        "placeholder",
        "secret",
        "password",
        "example",
        "dummy",
        "test",
        "none",
        "null",
        "-",
    ];
    const PARTS: &[&str] = &["example", "placeholder", "changeme", "change_me", "replace"];
    let v = value.trim().to_ascii_lowercase();
    v.is_empty()
        || WORDS.contains(&v.as_str())
        || v.starts_with("your")
        || v.starts_with("xxx")
        || (v.starts_with('<') && v.ends_with('>'))
        || (v.starts_with("${") && v.ends_with('}'))
        || (v.starts_with("{{") && v.ends_with("}}"))
        || v.chars().all(|c| "x*._-•…0".contains(c))
        || PARTS.iter().any(|p| v.contains(p))
}

/// A password that is a placeholder or a stock local-development one.
pub(crate) fn is_dev_password(password: &str) -> bool {
    const DEV: &[&str] = &["postgres", "pass", "root", "admin", "mysql", "dev", "local"];
    is_placeholder(password) || DEV.contains(&password.to_ascii_lowercase().as_str())
}
