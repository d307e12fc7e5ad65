//! Walking a folder for secrets: the repository (honouring `.gitignore`,
//! `.ignore` and `.git/info/exclude`) or a build output named explicitly
//! (everything in it, even when a parent `.gitignore` ignores it), in
//! parallel across files, with binary, oversized and unreadable files
//! reported as skipped rather than failing the scan.

use std::fs::File;
use std::io::Read;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Mutex;

use handover_model::{SecretFinding, SecretPlace, SecretScan, Severity, SkipReason, SkippedFile};
use ignore::{DirEntry, WalkBuilder, WalkState};

use super::sourcemap::scan_source_map;
use super::{FingerprintKey, Hit, Scanner};

/// Files between two progress reports.
const PROGRESS_EVERY: u64 = 64;

/// How a folder is walked.
#[derive(Debug, Clone)]
pub struct WalkOptions {
    /// Files larger than this are skipped unread ([`SkipReason::TooLarge`]).
    pub max_file_bytes: u64,
    /// Honour `.gitignore`, `.ignore` and `.git/info/exclude` (the
    /// repository); `false` scans everything, hidden files included, and
    /// reads no ignore file at all (a build output named explicitly).
    pub honour_gitignore: bool,
    /// Paths (relative, `/`-separated) never scanned: a path allowlist of
    /// the caller's (the scanner's own, from `.gitleaks.toml`, applies too).
    pub skip_paths: Vec<regex::Regex>,
}

impl Default for WalkOptions {
    fn default() -> Self {
        Self {
            max_file_bytes: 4 * 1024 * 1024,
            honour_gitignore: true,
            skip_paths: Vec::new(),
        }
    }
}

/// How far a walk has got, reported every few dozen files.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct WalkProgress {
    /// Files looked at so far (scanned or skipped).
    pub files_done: u64,
    /// Bytes scanned so far.
    pub bytes_done: u64,
}

/// Why a folder could not be walked at all (a file that cannot be read is
/// only skipped).
#[derive(Debug, thiserror::Error)]
pub enum WalkError {
    /// The folder is missing or cannot be read.
    #[error("cannot read folder {path}: {source}")]
    Root {
        /// The folder.
        path: PathBuf,
        /// Why.
        source: std::io::Error,
    },
    /// The path is not a folder.
    #[error("{path} is not a folder")]
    NotAFolder {
        /// The path.
        path: PathBuf,
    },
}

/// What the walk's threads gather.
#[derive(Default)]
struct Gathered {
    findings: Vec<SecretFinding>,
    skipped: Vec<SkippedFile>,
}

/// Shared state of one walk.
struct Walk<'a> {
    root: &'a Path,
    place: SecretPlace,
    scanner: &'a Scanner,
    key: &'a FingerprintKey,
    options: &'a WalkOptions,
    progress: &'a (dyn Fn(WalkProgress) + Sync),
    files: AtomicU64,
    seen: AtomicU64,
    bytes: AtomicU64,
    gathered: Mutex<Gathered>,
}

/// Scans every text file under `root` with `scanner`: findings carry
/// `place`, the path relative to `root` (`/`-separated) and a severity
/// from the place (public places are blockers). Source maps (`*.map`
/// with `sources` and `sourcesContent`) are scanned per original file.
/// Symbolic links are not followed, `.git/` is never entered. Findings
/// are sorted by location, original, line and column; skipped files by
/// location.
pub fn scan_dir(
    root: &Path,
    place: SecretPlace,
    scanner: &Scanner,
    key: &FingerprintKey,
    options: &WalkOptions,
    progress: &(dyn Fn(WalkProgress) + Sync),
) -> Result<SecretScan, WalkError> {
    let meta = std::fs::metadata(root).map_err(|source| WalkError::Root {
        path: root.to_owned(),
        source,
    })?;
    if !meta.is_dir() {
        return Err(WalkError::NotAFolder {
            path: root.to_owned(),
        });
    }
    std::fs::read_dir(root).map_err(|source| WalkError::Root {
        path: root.to_owned(),
        source,
    })?;

    let walk = Walk {
        root,
        place,
        scanner,
        key,
        options,
        progress,
        files: AtomicU64::new(0),
        seen: AtomicU64::new(0),
        bytes: AtomicU64::new(0),
        gathered: Mutex::new(Gathered::default()),
    };
    builder(root, options)
        .build_parallel()
        .run(|| Box::new(|entry| walk.visit(entry)));

    let Gathered {
        mut findings,
        mut skipped,
    } = walk
        .gathered
        .into_inner()
        .unwrap_or_else(|e| e.into_inner());
    findings.sort_by(|a, b| {
        (&a.location, &a.original, a.line, a.column, &a.rule).cmp(&(
            &b.location,
            &b.original,
            b.line,
            b.column,
            &b.rule,
        ))
    });
    skipped.sort_by(|a, b| a.location.cmp(&b.location));
    let files = walk.files.load(Ordering::Relaxed);
    let bytes = walk.bytes.load(Ordering::Relaxed);
    progress(WalkProgress {
        files_done: walk.seen.load(Ordering::Relaxed),
        bytes_done: bytes,
    });
    Ok(SecretScan {
        findings,
        skipped,
        files,
        bytes,
    })
}

/// The walker for `options`: ignore files or none, never `.git/`, no
/// symbolic links, one thread per core.
fn builder(root: &Path, options: &WalkOptions) -> WalkBuilder {
    let mut builder = WalkBuilder::new(root);
    let threads = std::thread::available_parallelism().map_or(1, |n| n.get());
    builder
        .threads(threads)
        .follow_links(false)
        .hidden(false)
        .filter_entry(|entry| entry.file_name() != ".git");
    if options.honour_gitignore {
        builder
            .git_ignore(true)
            .git_exclude(true)
            .ignore(true)
            .git_global(false)
            .parents(true)
            .require_git(false);
    } else {
        builder
            .git_ignore(false)
            .git_exclude(false)
            .ignore(false)
            .git_global(false)
            .parents(false);
    }
    builder
}

impl Walk<'_> {
    /// One entry of the walk: a file is scanned or skipped, an error noted.
    fn visit(&self, entry: Result<DirEntry, ignore::Error>) -> WalkState {
        let entry = match entry {
            Ok(entry) => entry,
            Err(error) => {
                let location = error_path(&error).map_or_else(String::new, |p| self.relative(p));
                self.skip(location, unreadable(&error));
                return WalkState::Continue;
            }
        };
        if !entry.file_type().is_some_and(|t| t.is_file()) {
            return WalkState::Continue;
        }
        let location = self.relative(entry.path());
        let allowed = self
            .options
            .skip_paths
            .iter()
            .any(|re| re.is_match(&location));
        if allowed || self.scanner.allows_path(&location) {
            return WalkState::Continue;
        }
        self.file(entry.path(), location);
        let seen = self.seen.fetch_add(1, Ordering::Relaxed) + 1;
        if seen.is_multiple_of(PROGRESS_EVERY) {
            (self.progress)(WalkProgress {
                files_done: seen,
                bytes_done: self.bytes.load(Ordering::Relaxed),
            });
        }
        WalkState::Continue
    }

    /// Reads and scans one regular file.
    fn file(&self, path: &Path, location: String) {
        let limit = self.options.max_file_bytes;
        let bytes = match read_capped(path, limit) {
            Ok(Contents::Bytes(bytes)) => bytes,
            Ok(Contents::TooLarge(bytes)) => {
                return self.skip(location, SkipReason::TooLarge { bytes, limit });
            }
            Err(error) => {
                let error = error.to_string();
                return self.skip(location, SkipReason::Unreadable { error });
            }
        };
        let hits = if location.ends_with(".map") {
            std::str::from_utf8(&bytes)
                .ok()
                .and_then(|text| scan_source_map(text, self.scanner, self.key))
        } else {
            None
        };
        let hits = match hits {
            Some(hits) => hits,
            None => match self.scanner.scan_bytes(&bytes, self.key) {
                Some(hits) => hits.into_iter().map(|hit| (None, hit)).collect(),
                None => return self.skip(location, SkipReason::Binary),
            },
        };
        self.files.fetch_add(1, Ordering::Relaxed);
        self.bytes.fetch_add(bytes.len() as u64, Ordering::Relaxed);
        if hits.is_empty() {
            return;
        }
        let findings = hits
            .into_iter()
            .map(|(original, hit)| finding(self.place, &location, original, hit));
        self.lock().findings.extend(findings);
    }

    /// Notes a file not scanned.
    fn skip(&self, location: String, reason: SkipReason) {
        let place = self.place;
        self.lock().skipped.push(SkippedFile {
            place,
            location,
            reason,
        });
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, Gathered> {
        self.gathered.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// `path` relative to the root, `/`-separated.
    fn relative(&self, path: &Path) -> String {
        let relative = path.strip_prefix(self.root).unwrap_or(path);
        let parts: Vec<_> = relative
            .components()
            .map(|c| c.as_os_str().to_string_lossy())
            .collect();
        parts.join("/")
    }
}

/// A finding from a scanner hit, with the place's severity.
pub(crate) fn finding(
    place: SecretPlace,
    location: &str,
    original: Option<String>,
    hit: Hit,
) -> SecretFinding {
    SecretFinding {
        rule: hit.rule,
        title: hit.title,
        place,
        location: location.to_owned(),
        original,
        line: hit.line,
        column: hit.column,
        preview: hit.preview,
        fingerprint: hit.fingerprint,
        severity: if place.is_public() {
            Severity::Blocker
        } else {
            Severity::High
        },
        remedy: hit.remedy,
        ignored: false,
    }
}

/// A file's bytes, or its size when over the limit.
enum Contents {
    Bytes(Vec<u8>),
    TooLarge(u64),
}

/// Reads at most `limit` bytes; a larger file is not read at all (its
/// size comes from its metadata), one that grew while read is too large.
fn read_capped(path: &Path, limit: u64) -> std::io::Result<Contents> {
    let file = File::open(path)?;
    let size = file.metadata()?.len();
    if size > limit {
        return Ok(Contents::TooLarge(size));
    }
    let mut bytes = Vec::with_capacity(size as usize);
    file.take(limit + 1).read_to_end(&mut bytes)?;
    if bytes.len() as u64 > limit {
        return Ok(Contents::TooLarge(bytes.len() as u64));
    }
    Ok(Contents::Bytes(bytes))
}

/// The path a walk error is about, if it names one.
fn error_path(error: &ignore::Error) -> Option<&Path> {
    match error {
        ignore::Error::WithPath { path, .. } => Some(path),
        ignore::Error::WithDepth { err, .. } | ignore::Error::WithLineNumber { err, .. } => {
            error_path(err)
        }
        ignore::Error::Loop { child, .. } => Some(child),
        ignore::Error::Partial(errors) => errors.iter().find_map(error_path),
        _ => None,
    }
}

/// The reason for a walk error, without the path (the location has it).
fn unreadable(error: &ignore::Error) -> SkipReason {
    fn inner(error: &ignore::Error) -> &ignore::Error {
        match error {
            ignore::Error::WithPath { err, .. }
            | ignore::Error::WithDepth { err, .. }
            | ignore::Error::WithLineNumber { err, .. } => inner(err),
            other => other,
        }
    }
    SkipReason::Unreadable {
        error: inner(error).to_string(),
    }
}

#[cfg(test)]
#[path = "walk_tests.rs"]
mod tests;
