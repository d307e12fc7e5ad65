//! A local scan, as `handover secrets` runs it: a repository folder (its
//! working tree, its recent history and the env files at its top), a build
//! output, more env files and log exports — each only when named. The same
//! scans the `secrets.*` and `env.parity` checks run, without a project.

use std::path::{Path, PathBuf};
use std::time::Instant;

use handover_model::{LocalSecrets, ScanProgress, SecretScan, SECRETS_SCHEMA};

use super::env::{env_parity, EnvSource};
use super::history::{scan_history, HistoryError, HistoryOptions};
use super::logs::{scan_log, LogLimits};
use super::walk::{scan_dir, WalkError, WalkOptions};
use super::{FingerprintKey, Scanner};
use handover_model::SecretPlace;

/// What a local scan reads.
#[derive(Debug, Clone, Default)]
pub struct LocalScan {
    /// The repository's folder.
    pub repo: Option<PathBuf>,
    /// Commits of history read (0: none).
    pub history_commits: usize,
    /// The build output's folder (scanned even where ignored).
    pub build: Option<PathBuf>,
    /// Env files named beyond those at the repository's top.
    pub env: Vec<EnvSource>,
    /// Log exports (plain, JSON lines, gzip).
    pub logs: Vec<PathBuf>,
}

/// Why a local scan could not run at all.
#[derive(Debug, thiserror::Error)]
pub enum LocalError {
    /// A named folder is missing or cannot be read.
    #[error(transparent)]
    Folder(#[from] WalkError),
    /// Nothing was named.
    #[error("name a folder, a build output, env files or log exports to scan")]
    Nothing,
}

/// Runs the scans `what` names with `key` (a project's, or a fresh one).
/// A repository with a `.gitleaks.toml` adds its rules.
pub fn scan_local(what: &LocalScan, key: &FingerprintKey) -> Result<LocalSecrets, LocalError> {
    scan_local_with(what, key, &|_| {})
}

/// [`scan_local`], telling `progress` how far each target has got.
pub fn scan_local_with(
    what: &LocalScan,
    key: &FingerprintKey,
    progress: &(dyn Fn(ScanProgress) + Sync),
) -> Result<LocalSecrets, LocalError> {
    if what.repo.is_none() && what.build.is_none() && what.env.is_empty() && what.logs.is_empty() {
        return Err(LocalError::Nothing);
    }
    let started = Instant::now();
    let mut out = LocalSecrets {
        schema: SECRETS_SCHEMA,
        ..LocalSecrets::default()
    };
    let mut own = None;
    if let Some(repo) = &what.repo {
        let (scanner, broken) = repo_scanner(repo);
        own = scanner;
        out.notes
            .extend(broken.map(|b| format!("{b}; Handover's own rules were used alone")));
    }
    let scanner = own.as_ref().unwrap_or_else(|| Scanner::builtin());
    let mut env = what.env.clone();
    if let Some(repo) = &what.repo {
        let tree = scan_dir(
            repo,
            SecretPlace::Repo,
            scanner,
            key,
            &WalkOptions::default(),
            &walked(SecretPlace::Repo, progress),
        )?;
        done(SecretPlace::Repo, &tree, progress);
        if what.history_commits > 0 {
            let options = HistoryOptions {
                commits: what.history_commits,
                ..HistoryOptions::default()
            };
            progress(ScanProgress {
                place: SecretPlace::History,
                files: 0,
                bytes: 0,
                finished: false,
            });
            match scan_history(repo, scanner, key, &options) {
                Ok(history) => {
                    let history = only_new(history, &tree);
                    done(SecretPlace::History, &history, progress);
                    out.history = Some(history);
                }
                Err(HistoryError::Open { .. }) => out.notes.push(format!(
                    "{} is not in a git repository: its history was not scanned",
                    repo.display()
                )),
                Err(err) => out
                    .notes
                    .push(format!("the history was not scanned: {err}")),
            }
        }
        out.repo = Some(tree);
        match super::env::env_files(repo) {
            Ok(found) => {
                for source in found {
                    if !env.iter().any(|e| e.path == source.path) {
                        env.push(source);
                    }
                }
            }
            Err(err) => out.notes.push(format!(
                "the env files in {} were not read: {err}",
                repo.display()
            )),
        }
    }
    if let Some(build) = &what.build {
        let options = WalkOptions {
            honour_gitignore: false,
            ..WalkOptions::default()
        };
        let scan = scan_dir(
            build,
            SecretPlace::BuildOutput,
            Scanner::builtin(),
            key,
            &options,
            &walked(SecretPlace::BuildOutput, progress),
        )?;
        done(SecretPlace::BuildOutput, &scan, progress);
        out.build = Some(scan);
    }
    if !env.is_empty() {
        out.env = Some(env_parity(
            &env,
            what.repo.as_deref(),
            Scanner::builtin(),
            key,
        ));
    }
    for log in &what.logs {
        match scan_log(log, Scanner::builtin(), key, LogLimits::default()) {
            Ok(scan) => out.logs.push(scan),
            Err(err) => out.notes.push(err.to_string()),
        }
    }
    out.elapsed_ms = u64::try_from(started.elapsed().as_millis()).unwrap_or(u64::MAX);
    Ok(out)
}

/// A walk's progress as `place`'s.
fn walked(
    place: SecretPlace,
    progress: &(dyn Fn(ScanProgress) + Sync),
) -> impl Fn(super::walk::WalkProgress) + Sync + '_ {
    move |walk| {
        progress(ScanProgress {
            place,
            files: walk.files_done,
            bytes: walk.bytes_done,
            finished: false,
        })
    }
}

/// `place` is done: its totals.
fn done(place: SecretPlace, scan: &SecretScan, progress: &(dyn Fn(ScanProgress) + Sync)) {
    progress(ScanProgress {
        place,
        files: scan.files,
        bytes: scan.bytes,
        finished: true,
    });
}

/// The repository's own scanner when it has a `.gitleaks.toml` (ours plus
/// its rules; `None`: ours alone), and what was wrong with a broken one.
pub fn repo_scanner(repo: &Path) -> (Option<Scanner>, Option<String>) {
    let config = repo.join(".gitleaks.toml");
    match std::fs::read_to_string(&config) {
        Ok(text) => match Scanner::with_gitleaks(&text) {
            Ok(scanner) => (Some(scanner), None),
            Err(err) => (None, Some(format!("{}: {err}", config.display()))),
        },
        Err(_) => (None, None),
    }
}

/// The history's findings that the working tree no longer has, each secret
/// once (the newest commit that has it).
pub(crate) fn only_new(history: SecretScan, tree: &SecretScan) -> SecretScan {
    let mut seen: std::collections::HashSet<String> = tree
        .findings
        .iter()
        .map(|f| f.fingerprint.clone())
        .collect();
    SecretScan {
        findings: history
            .findings
            .into_iter()
            .filter(|f| seen.insert(f.fingerprint.clone()))
            .collect(),
        ..history
    }
}
