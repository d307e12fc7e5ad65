//! The Secrets & env page: one scan of a project's repository, recent
//! history, build output, deployed site, env files and log exports, with
//! the project's baseline (fingerprints it chose to ignore) applied and the
//! counts and verdict the core worked out. Nothing here holds a secret's
//! value: redacted prefixes and keyed fingerprints only.

use serde::{Deserialize, Serialize};

use crate::{EnvParity, LogScan, SecretPlace, SecretScan};

/// `secrets_scan` (+ a progress channel of [`ScanProgress`]): scans the
/// project's folders (and, when asked, its deployed site and log exports),
/// stores the result as the project's last scan and answers it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SecretsScanRequest {
    /// Project id.
    pub project_id: i64,
    /// Commits of git history read (0: none).
    #[serde(default = "default_history")]
    pub history_commits: u32,
    /// Fetch the deployed site (homepage, login, their scripts, styles and
    /// source maps) too.
    #[serde(default)]
    pub site: bool,
    /// Log exports to scan (plain, JSON lines, gzip), as local paths.
    #[serde(default)]
    pub logs: Vec<String>,
}

/// Hex digits of a secret's keyed fingerprint.
pub const FINGERPRINT_DIGITS: usize = 32;

fn default_history() -> u32 {
    DEFAULT_HISTORY_COMMITS
}

/// Commits of history a scan reads unless told otherwise.
pub const DEFAULT_HISTORY_COMMITS: u32 = 50;

/// `logs_scan`: scans log exports only and puts them into the project's
/// last scan (replacing the logs it had); answers the updated scan.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct LogsScanRequest {
    /// Project id.
    pub project_id: i64,
    /// Log exports, as local paths; at least one.
    pub files: Vec<String>,
}

/// `secrets_get`: the project's last scan (with today's baseline applied)
/// and its baseline.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SecretsGetRequest {
    /// Project id.
    pub project_id: i64,
}

/// `secret_ignore`: adds a fingerprint to the project's baseline; its
/// findings are shown as ignored and no longer counted.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SecretIgnoreRequest {
    /// Project id.
    pub project_id: i64,
    /// The finding's fingerprint: all 32 hex digits, or a prefix of at
    /// least 8 that names exactly one finding of the last scan.
    pub fingerprint: String,
    /// Why it is safe to ignore ("test fixture", "revoked on 2 Dec").
    #[serde(default)]
    pub reason: String,
}

/// `secret_unignore`: takes a fingerprint out of the project's baseline.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SecretUnignoreRequest {
    /// Project id.
    pub project_id: i64,
    /// The fingerprint, as the baseline holds it (32 hex digits).
    pub fingerprint: String,
}

/// One fingerprint of a project's baseline.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SecretIgnore {
    /// The keyed fingerprint (32 hex digits).
    pub fingerprint: String,
    /// The rule of the finding it was taken from (`""` when it was not in
    /// the last scan).
    pub rule: String,
    /// Where that finding was (`""` likewise).
    pub location: String,
    /// Why, in the person's words (may be empty).
    pub reason: String,
    /// When it was added, ms since the epoch.
    pub created_ms: i64,
}

/// How far a scan has got; sent every few dozen files and once when a
/// target is done.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct ScanProgress {
    /// The target being scanned.
    pub place: SecretPlace,
    /// Files (or fetched assets) looked at in this target so far.
    pub files: u64,
    /// Bytes read in this target so far.
    pub bytes: u64,
    /// This target is done.
    pub finished: bool,
}

/// One target of a scan: what was scanned, or why it was not.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct HygieneTarget {
    /// Which target.
    pub place: SecretPlace,
    /// Its name for people: "Working tree", "Recent history (50 commits)".
    pub label: String,
    /// The folder or URL scanned.
    pub root: String,
    /// The scan, when it ran.
    pub scan: Option<SecretScan>,
    /// Why it did not run (no folder set, the site not asked for, not a
    /// git repository, the homepage unreachable).
    pub not_scanned: Option<String>,
}

/// What the page counts (ignored findings are counted apart, never as open).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct HygieneCounts {
    /// Secrets found and not ignored.
    pub open: u32,
    /// Of those, blockers (public places: build output, deployed site).
    pub blockers: u32,
    /// Secrets the baseline ignores.
    pub ignored: u32,
    /// Env parity issues.
    pub env_issues: u32,
    /// Of those, high or worse.
    pub env_serious: u32,
    /// Credentials in the log exports (tokens, bearer and basic auth).
    pub log_credentials: u64,
    /// Personal data in the log exports (emails, phone numbers).
    pub log_personal: u64,
    /// Full prompt payloads in the log exports.
    pub log_prompts: u64,
}

/// A project's scan, as the Secrets & env page shows it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ProjectSecrets {
    /// Project id.
    pub project_id: i64,
    /// When it ran, ms since the epoch.
    pub scanned_ms: i64,
    /// Working tree, recent history, build output, deployed site: always
    /// these four, in this order.
    pub targets: Vec<HygieneTarget>,
    /// The env files compared (`None`: none found or named).
    pub env: Option<EnvParity>,
    /// Each log export scanned.
    pub logs: Vec<LogScan>,
    /// What could not be scanned and why.
    pub notes: Vec<String>,
    /// The counts, with the baseline applied.
    pub counts: HygieneCounts,
    /// Something here must be fixed before launch.
    pub leaks: bool,
    /// One sentence: what the scan says.
    pub verdict: String,
    /// How long it took, ms.
    pub elapsed_ms: u64,
}

/// The page's data: the last scan (if any) and the baseline.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SecretsView {
    /// The last scan, with the baseline as it is now.
    pub last: Option<ProjectSecrets>,
    /// The fingerprints ignored, newest first.
    pub ignores: Vec<SecretIgnore>,
}
