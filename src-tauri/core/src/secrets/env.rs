//! Env parity: staging, production and the sample env file compared key by
//! key without showing a value.
//!
//! Files are parsed with `dotenvy` (quotes, comments, `export`, multi-line
//! values; `$VAR` substitution as dotenvy does it); a line that does not parse
//! is reported with its file and line and the rest of the file still counts.
//! A key defined twice keeps its last value. Values are compared only by
//! their keyed hash ([`FingerprintKey::keyed`] with the key's name as
//! context); an issue never carries a value, and only public secrets and
//! sample values carry a redacted preview.
//!
//! Severity: a secret under a client-exposed prefix is a blocker; a secret
//! shared by production and another environment, and a real-looking value
//! in a sample file, are high; a missing key is medium (high when
//! production lacks it); an empty value is low (medium in production); a key
//! the code reads that no environment defines is medium.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

use handover_model::{EnvIssue, EnvIssueKind, EnvParity, EnvSummary, Severity};

use super::code_refs::{code_reads, platform_provided};
use super::env_file::{parse, Parsed};
use super::env_names::{
    is_dev_password, is_placeholder, looks_secret, public_prefix, url_password, Evidence,
};
use super::{FingerprintKey, Scanner};

/// One environment's env file, or its text (never shown by `Debug`).
#[derive(Clone)]
pub struct EnvSource {
    /// The environment: `staging`, `production`, `example` …
    pub name: String,
    /// The file (a label only when `text` is given).
    pub path: PathBuf,
    /// The file's text, when it is not to be read from `path`.
    pub text: Option<String>,
}

impl std::fmt::Debug for EnvSource {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("EnvSource")
            .field("name", &self.name)
            .field("path", &self.path)
            .field("text", &self.text.as_ref().map(|_| "…"))
            .finish()
    }
}

impl EnvSource {
    /// An environment read from a file.
    pub fn file(name: impl Into<String>, path: impl Into<PathBuf>) -> Self {
        Self {
            name: name.into(),
            path: path.into(),
            text: None,
        }
    }

    /// An environment given as text; `path` names it in issues.
    pub fn text(
        name: impl Into<String>,
        path: impl Into<PathBuf>,
        text: impl Into<String>,
    ) -> Self {
        Self {
            name: name.into(),
            path: path.into(),
            text: Some(text.into()),
        }
    }

    /// A sample file (`.env.example`, `.env.sample`, `.env.template`, or an
    /// environment named `example`, `sample`, `template`): placeholders only.
    pub fn is_sample(&self) -> bool {
        const SAMPLES: &[&str] = &["example", "sample", "template"];
        let name = self.name.to_ascii_lowercase();
        let file = self
            .path
            .file_name()
            .map(|f| f.to_string_lossy().to_ascii_lowercase());
        SAMPLES.contains(&name.as_str())
            || file.is_some_and(|f| SAMPLES.iter().any(|s| f.ends_with(&format!(".{s}"))))
    }

    /// The production environment (`production` or `prod`).
    pub fn is_production(&self) -> bool {
        matches!(
            self.name.to_ascii_lowercase().as_str(),
            "production" | "prod"
        )
    }
}

/// The env files in `root` (not below it), by environment name: `.env` is
/// "default", `.env.production` is "production", `.env.example` "example".
pub fn env_files(root: &Path) -> std::io::Result<Vec<EnvSource>> {
    let mut found: Vec<(String, PathBuf)> = Vec::new();
    for entry in std::fs::read_dir(root)? {
        let entry = entry?;
        if !entry.file_type().is_ok_and(|t| t.is_file()) {
            continue;
        }
        let file = entry.file_name().to_string_lossy().into_owned();
        let name = if file == ".env" {
            "default".to_owned()
        } else if let Some(rest) = file.strip_prefix(".env.") {
            if rest.is_empty() {
                continue;
            }
            rest.to_owned()
        } else {
            continue;
        };
        found.push((name, entry.path()));
    }
    found.sort();
    Ok(found
        .into_iter()
        .map(|(name, path)| EnvSource::file(name, path))
        .collect())
}

/// Compares the environments: see the module documentation for the issues
/// and their severity. `code_root`, when given, is searched for keys the code
/// reads. `key` is the project's fingerprint key (from the keychain).
pub fn env_parity(
    sources: &[EnvSource],
    code_root: Option<&Path>,
    scanner: &Scanner,
    key: &FingerprintKey,
) -> EnvParity {
    let parsed: Vec<Parsed> = sources.iter().map(parse).collect();
    let mut issues = Vec::new();
    let all_keys: BTreeSet<&str> = parsed
        .iter()
        .flat_map(|p| p.entries.keys().map(String::as_str))
        .collect();
    for name in &all_keys {
        missing(name, &parsed, &mut issues);
        shared_secret(name, &parsed, scanner, key, &mut issues);
        public_secret(name, &parsed, scanner, key, &mut issues);
        empty_and_sample(name, &parsed, scanner, key, &mut issues);
    }
    let mut parity = EnvParity::default();
    if let Some(root) = code_root {
        let reads = code_reads(root);
        parity.code_files = reads.files;
        parity.code_keys = u32::try_from(reads.keys.len()).unwrap_or(u32::MAX);
        for (name, at) in reads.keys {
            if all_keys.contains(name.as_str()) || platform_provided(&name) {
                continue;
            }
            issues.push(EnvIssue {
                kind: EnvIssueKind::Undefined,
                detail: format!(
                    "The code reads {name} ({}:{}) but no environment defines it.",
                    at.file, at.line
                ),
                key: name,
                environments: parsed.iter().map(|p| p.source.name.clone()).collect(),
                location: Some(at),
                severity: Severity::Medium,
                preview: None,
            });
        }
    }
    issues.sort_by(|a, b| {
        (b.severity, a.kind, &a.key, &a.environments).cmp(&(
            a.severity,
            b.kind,
            &b.key,
            &b.environments,
        ))
    });
    parity.issues = issues;
    parity.environments = parsed
        .into_iter()
        .map(|p| EnvSummary {
            name: p.source.name.clone(),
            sample: p.source.is_sample(),
            keys: u32::try_from(p.entries.len()).unwrap_or(u32::MAX),
            file: p.file,
            errors: p.errors,
        })
        .collect();
    parity
}

fn missing(name: &str, parsed: &[Parsed], issues: &mut Vec<EnvIssue>) {
    let (with, without): (Vec<&Parsed>, Vec<&Parsed>) =
        parsed.iter().partition(|p| p.entries.contains_key(name));
    if without.is_empty() {
        return;
    }
    let names = |ps: &[&Parsed]| ps.iter().map(|p| p.source.name.clone()).collect::<Vec<_>>();
    let production = without.iter().any(|p| p.source.is_production());
    issues.push(EnvIssue {
        kind: EnvIssueKind::Missing,
        key: name.to_owned(),
        detail: format!(
            "{name} is defined in {} but missing from {}.",
            names(&with).join(", "),
            names(&without).join(", ")
        ),
        environments: names(&without),
        location: with.first().and_then(|p| p.at(name)),
        severity: if production {
            Severity::High
        } else {
            Severity::Medium
        },
        preview: None,
    });
}

fn shared_secret(
    name: &str,
    parsed: &[Parsed],
    scanner: &Scanner,
    key: &FingerprintKey,
    issues: &mut Vec<EnvIssue>,
) {
    let defined = |p: &&Parsed| {
        !p.source.is_sample() && p.entries.get(name).is_some_and(|e| !e.value.is_empty())
    };
    let Some(production) = parsed
        .iter()
        .filter(defined)
        .find(|p| p.source.is_production())
    else {
        return;
    };
    let value = &production.entries[name].value;
    let others: Vec<&Parsed> = parsed
        .iter()
        .filter(defined)
        .filter(|p| !p.source.is_production())
        .collect();
    let sensitive = std::iter::once(value)
        .chain(others.iter().map(|p| &p.entries[name].value))
        .any(|v| looks_secret(name, v, scanner, key).is_some());
    if !sensitive {
        return;
    }
    let hash = key.keyed(name, value);
    let mut same: Vec<String> = others
        .iter()
        .filter(|p| key.keyed(name, &p.entries[name].value) == hash)
        .map(|p| p.source.name.clone())
        .collect();
    if same.is_empty() {
        return;
    }
    same.push(production.source.name.clone());
    issues.push(EnvIssue {
        kind: EnvIssueKind::SharedSecret,
        key: name.to_owned(),
        detail: format!(
            "{name} has the same value in {}: one leak exposes both; give each environment its own.",
            same.join(" and ")
        ),
        environments: same,
        location: production.at(name),
        severity: Severity::High,
        preview: None,
    });
}

fn public_secret(
    name: &str,
    parsed: &[Parsed],
    scanner: &Scanner,
    key: &FingerprintKey,
    issues: &mut Vec<EnvIssue>,
) {
    let Some(prefix) = public_prefix(name) else {
        return;
    };
    let mut found: Vec<(&Parsed, Evidence)> = Vec::new();
    for p in parsed {
        if let Some(entry) = p.entries.get(name) {
            if let Some(evidence) = looks_secret(name, &entry.value, scanner, key) {
                found.push((p, evidence));
            }
        }
    }
    let Some((first, _)) = found.first() else {
        return;
    };
    let preview = found
        .iter()
        .map(|(_, e)| e.preview())
        .find(|p| !p.is_empty())
        .map(str::to_owned);
    issues.push(EnvIssue {
        kind: EnvIssueKind::PublicSecret,
        key: name.to_owned(),
        detail: format!(
            "{name} looks like a secret, but the build inlines every {prefix} variable into the browser bundle: rotate it and read it server-side only."
        ),
        location: first.at(name),
        environments: found.iter().map(|(p, _)| p.source.name.clone()).collect(),
        severity: Severity::Blocker,
        preview,
    });
}

fn empty_and_sample(
    name: &str,
    parsed: &[Parsed],
    scanner: &Scanner,
    key: &FingerprintKey,
    issues: &mut Vec<EnvIssue>,
) {
    for p in parsed {
        let Some(entry) = p.entries.get(name) else {
            continue;
        };
        let env = p.source.name.clone();
        if p.source.is_sample() {
            let real = match looks_secret(name, &entry.value, scanner, key) {
                Some(Evidence::Rule(preview)) => Some(preview),
                Some(Evidence::Name(preview)) if !is_placeholder(&entry.value) => Some(preview),
                Some(Evidence::UrlPassword(preview)) => url_password(&entry.value)
                    .filter(|pw| !is_dev_password(pw))
                    .map(|_| preview),
                _ => None,
            };
            if let Some(preview) = real {
                issues.push(EnvIssue {
                    kind: EnvIssueKind::SampleValue,
                    key: name.to_owned(),
                    detail: format!("{name} in the sample file {} holds what looks like a real value: replace it with a placeholder and rotate it.", p.file),
                    environments: vec![env],
                    location: p.at(name),
                    severity: Severity::High,
                    preview: Some(preview),
                });
            }
        } else if entry.value.trim().is_empty() {
            issues.push(EnvIssue {
                kind: EnvIssueKind::Empty,
                key: name.to_owned(),
                detail: format!("{name} is empty in {env}."),
                environments: vec![env],
                location: p.at(name),
                severity: if p.source.is_production() {
                    Severity::Medium
                } else {
                    Severity::Low
                },
                preview: None,
            });
        }
    }
}

#[cfg(test)]
#[path = "env_tests.rs"]
mod tests;
