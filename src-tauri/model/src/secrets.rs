//! Secret scanning: what was found where (never the secret itself), what
//! was skipped and why, and how much was read.

use serde::{Deserialize, Serialize};

use crate::Severity;

/// Where a secret was found.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum SecretPlace {
    /// A file of the source repository's working tree.
    Repo,
    /// A file as it was in one of the repository's recent commits.
    History,
    /// The build output: the bundle that ships to browsers.
    BuildOutput,
    /// The deployed site: its pages, scripts, styles and source maps.
    Site,
    /// An environment file (`.env`, `.env.production`, `.env.example`).
    EnvFile,
    /// A log export.
    Logs,
}

impl SecretPlace {
    /// The wire name.
    pub fn as_str(self) -> &'static str {
        match self {
            SecretPlace::Repo => "repo",
            SecretPlace::History => "history",
            SecretPlace::BuildOutput => "build_output",
            SecretPlace::Site => "site",
            SecretPlace::EnvFile => "env_file",
            SecretPlace::Logs => "logs",
        }
    }

    /// Its name for people: "Working tree", "Build output" …
    pub fn label(self) -> &'static str {
        match self {
            SecretPlace::Repo => "Working tree",
            SecretPlace::History => "Recent history",
            SecretPlace::BuildOutput => "Build output",
            SecretPlace::Site => "Deployed site",
            SecretPlace::EnvFile => "Env files",
            SecretPlace::Logs => "Log exports",
        }
    }

    /// A secret here is public already (anyone can download it).
    pub fn is_public(self) -> bool {
        matches!(self, SecretPlace::BuildOutput | SecretPlace::Site)
    }
}

/// One secret found: the rule, the place, a redacted preview and a keyed
/// fingerprint. The raw value is never part of it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SecretFinding {
    /// The rule's id, e.g. `openai-api-key`.
    pub rule: String,
    /// What the rule finds, for people: "OpenAI API key".
    pub title: String,
    /// Which target it was found in.
    pub place: SecretPlace,
    /// A path relative to the scanned folder, a URL, or `commit:path`.
    pub location: String,
    /// For a source map, the original file (`sources[i]`) the secret is in.
    pub original: Option<String>,
    /// 1-based line in the file (the original file for a source map).
    pub line: u32,
    /// 1-based column, in characters.
    pub column: u32,
    /// The value redacted: a short prefix and `…`.
    pub preview: String,
    /// Keyed hash of the rule and the value (hex), for baselines and ignores.
    pub fingerprint: String,
    /// How bad: public places are blockers.
    pub severity: Severity,
    /// What to do about it.
    pub remedy: String,
    /// Ignored by the project's baseline.
    pub ignored: bool,
}

/// Why a file was not scanned.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum SkipReason {
    /// The file holds binary data.
    Binary,
    /// The file is larger than the scan reads.
    TooLarge {
        /// Its size.
        bytes: u64,
        /// The largest size scanned.
        limit: u64,
    },
    /// The file could not be read.
    Unreadable {
        /// The error, for people.
        error: String,
    },
}

/// A file (or URL) that was not scanned.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SkippedFile {
    /// Which target it belongs to.
    pub place: SecretPlace,
    /// Path relative to the scanned folder, or URL.
    pub location: String,
    /// Why.
    pub reason: SkipReason,
}

/// One target's scan: findings, skips, how much was read.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct SecretScan {
    /// Findings, in the order of their files.
    pub findings: Vec<SecretFinding>,
    /// Files not scanned, each with its reason.
    pub skipped: Vec<SkippedFile>,
    /// Files (or fetched assets) scanned.
    pub files: u64,
    /// Bytes scanned.
    pub bytes: u64,
}

/// The schema version of [`LocalSecrets`] as `handover secrets --json`
/// prints it; bumped when a field changes meaning or goes away.
pub const SECRETS_SCHEMA: u32 = 1;

/// A local scan (`handover secrets`): a repository folder with its recent
/// history, a build output, env files and log exports, each when named.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct LocalSecrets {
    /// [`SECRETS_SCHEMA`].
    pub schema: u32,
    /// The repository's working tree.
    pub repo: Option<SecretScan>,
    /// The files its last commits added or changed (secrets still in the
    /// working tree are left out here).
    pub history: Option<SecretScan>,
    /// The build output.
    pub build: Option<SecretScan>,
    /// The env files compared.
    pub env: Option<crate::EnvParity>,
    /// Each log export.
    pub logs: Vec<crate::LogScan>,
    /// What could not be scanned and why (a folder that is not a git
    /// repository, a broken `.gitleaks.toml`, an unreadable log).
    pub notes: Vec<String>,
    /// How long the scan took, ms.
    pub elapsed_ms: u64,
}
