//! The secret-hygiene checks of a run, over the core's [`crate::secrets`]
//! scanner:
//!
//! - `secrets.repo`: the repository's working tree (honouring its
//!   `.gitignore`, with its own `.gitleaks.toml` rules when it has one)
//!   and the files its last [`HISTORY_COMMITS`] commits added or changed;
//! - `secrets.bundle`: the build output (scanned even when ignored) and
//!   the deployed site — homepage and login page, their scripts, styles,
//!   framework payloads and source maps; a secret in either is public, a
//!   blocker;
//! - `env.parity`: the env files in the repository's folder (`.env`,
//!   `.env.<environment>`, `.env.example`) compared key by key, and the
//!   keys the code reads.
//!
//! What they do not probe: pages behind the login, scripts a page loads
//! only later from code, history beyond the last commits, secrets stored
//! outside the named folders (CI settings, a hosting provider's variables).
//!
//! Every finding names the secret by its rule, its place and a keyed
//! fingerprint; the value itself never leaves the scan.

use std::path::Path;
use std::time::Duration;

use handover_model::units::human_size;
use handover_model::{Finding, SecretFinding, SecretScan, Severity, SkipReason};

use super::{finding, measure, CheckDef, CheckTarget};
use crate::secrets::FingerprintKey;

pub mod env_check;
mod scans;
mod site_check;

/// The working tree and recent history.
pub const REPO: &str = "secrets.repo";
/// The build output and the deployed site.
pub const BUNDLE: &str = "secrets.bundle";
/// The env files compared.
pub const ENV: &str = "env.parity";

/// Commits of history read by `secrets.repo`.
pub const HISTORY_COMMITS: usize = 50;

/// How long a scan may take (a large repository is read in full).
const DEADLINE: Duration = Duration::from_secs(180);

/// Skipped files named one by one in a finding's evidence (the rest counted).
const SKIPS_LISTED: usize = 10;

pub(super) fn checks() -> Vec<CheckDef> {
    vec![
        CheckDef::new(REPO, |_, t| Box::pin(scans::repo(t)))
            .only_if(|t| t.repo_path.is_some(), "the repository's folder")
            .deadline(DEADLINE),
        CheckDef::new(BUNDLE, |n, t| Box::pin(scans::bundle(n, t)))
            .only_if(
                |t| t.build_output.is_some() || !t.hosts.is_empty(),
                "the build output's folder or a host",
            )
            .deadline(DEADLINE),
        CheckDef::new(ENV, |_, t| Box::pin(env_check::env(t)))
            .only_if(
                |t| t.repo_path.is_some() || !t.env_files.is_empty(),
                "the repository's folder or an environment's env file",
            )
            .deadline(DEADLINE),
    ]
}

/// The run's fingerprint key: the project's, else a fresh one.
fn key_of(target: &CheckTarget) -> FingerprintKey {
    target
        .secrets_key
        .clone()
        .unwrap_or_else(FingerprintKey::random)
}

/// A folder as findings name it.
fn shown(path: &Path) -> String {
    path.display().to_string()
}

/// The findings of one scan of `root` (a folder or the site's URL) by
/// check `check`: one per secret, a note for the files not scanned, and a
/// pass when nothing was found.
fn findings_of(check: &str, root: &str, scan: &SecretScan, what: &str) -> Vec<Finding> {
    let mut out: Vec<Finding> = scan
        .findings
        .iter()
        .filter(|s| !s.ignored)
        .map(|s| secret_finding(check, root, s))
        .collect();
    let ignored = scan.findings.iter().filter(|s| s.ignored).count();
    if ignored > 0 {
        let mut note = finding(
            check,
            root,
            Severity::Info,
            format!("{ignored} secret(s) in {what} ignored by the project's baseline"),
            "The project chose to ignore these fingerprints (Secrets & env page or handover \
             secrets --ignore); they are not counted. Un-ignore one if it was a mistake.",
        );
        note.evidence = scan
            .findings
            .iter()
            .filter(|s| s.ignored)
            .take(SKIPS_LISTED)
            .map(|s| format!("{} in {}: {}", s.rule, s.location, s.fingerprint))
            .collect();
        out.push(note);
    }
    if !scan.skipped.is_empty() {
        out.push(skipped_note(check, root, scan));
    }
    if out.iter().all(|f| f.severity <= Severity::Info) {
        let mut pass = finding(
            check,
            root,
            Severity::Pass,
            format!("No secrets found in {what}"),
            format!(
                "{} file(s), {} scanned with Handover's rules for provider keys, private \
                 keys, database URLs with passwords and high-entropy assignments.",
                scan.files,
                human_size(scan.bytes)
            ),
        );
        pass.measured = tally(scan);
        out.insert(0, pass);
    } else if let Some(first) = out.first_mut() {
        first.measured = tally(scan);
    }
    out
}

fn tally(scan: &SecretScan) -> Vec<handover_model::Measure> {
    vec![
        measure("files", scan.files as f64, "files"),
        measure("bytes", scan.bytes as f64, "bytes"),
    ]
}

/// One secret as a finding about `root`: its title names the rule, the
/// place and the keyed fingerprint (the finding's identity across runs);
/// the evidence gives line, column and the redacted preview.
fn secret_finding(check: &str, root: &str, s: &SecretFinding) -> Finding {
    let place = match &s.original {
        Some(original) => format!("{} ({original})", s.location),
        None => s.location.clone(),
    };
    let short = s.fingerprint.get(..8).unwrap_or(&s.fingerprint);
    let mut f = finding(
        check,
        root,
        s.severity,
        format!("{} in {place} [{short}]", s.title),
        s.remedy.clone(),
    );
    f.evidence = vec![
        format!("where: {place}, line {}, column {}", s.line, s.column),
        format!("rule: {}", s.rule),
        format!("value: {}", s.preview),
        format!("fingerprint: {}", s.fingerprint),
    ];
    f
}

/// The files a scan could not read, counted by reason.
fn skipped_note(check: &str, root: &str, scan: &SecretScan) -> Finding {
    let count =
        |want: fn(&SkipReason) -> bool| scan.skipped.iter().filter(|s| want(&s.reason)).count();
    let binary = count(|r| matches!(r, SkipReason::Binary));
    let large = count(|r| matches!(r, SkipReason::TooLarge { .. }));
    let unreadable = count(|r| matches!(r, SkipReason::Unreadable { .. }));
    let mut f = finding(
        check,
        root,
        Severity::Info,
        "Some files were not scanned",
        format!(
            "{} file(s) not scanned: {binary} binary, {large} too large, {unreadable} \
             unreadable. A secret in them would not be found.",
            scan.skipped.len()
        ),
    );
    f.evidence = scan
        .skipped
        .iter()
        .take(SKIPS_LISTED)
        .map(|s| {
            let why = match &s.reason {
                SkipReason::Binary => "binary".to_owned(),
                SkipReason::TooLarge { bytes: b, limit } => {
                    format!("{} (over {})", human_size(*b), human_size(*limit))
                }
                SkipReason::Unreadable { error } => format!("unreadable: {error}"),
            };
            format!("{}: {why}", s.location)
        })
        .collect();
    if scan.skipped.len() > SKIPS_LISTED {
        f.evidence
            .push(format!("… and {} more", scan.skipped.len() - SKIPS_LISTED));
    }
    f
}
