//! Git history: the last commits on `HEAD`, read through `gix` (no `git`
//! binary). For each commit, the files it added or changed (blobs whose
//! id differs from every parent's at the same path) are scanned; a secret
//! removed later is still found where it was committed.
//!
//! A secret still in the working tree is reported here too (with its
//! commit); the caller may dedupe by fingerprint.

use std::path::{Path, PathBuf};

use gix::bstr::{BStr, BString, ByteSlice, ByteVec};
use gix::ObjectId;
use handover_model::{SecretPlace, SecretScan, SkipReason, SkippedFile};

use super::walk::finding;
use super::{FingerprintKey, Scanner};

/// How much history is read.
#[derive(Debug, Clone)]
pub struct HistoryOptions {
    /// Commits read, newest first from `HEAD`.
    pub commits: usize,
    /// Blobs larger than this are skipped unread ([`SkipReason::TooLarge`]).
    pub max_blob_bytes: u64,
}

impl Default for HistoryOptions {
    fn default() -> Self {
        Self {
            commits: 50,
            max_blob_bytes: 4 * 1024 * 1024,
        }
    }
}

/// Why the history could not be read.
#[derive(Debug, thiserror::Error)]
pub enum HistoryError {
    /// No git repository at (or above) the folder.
    #[error("no git repository at {path}: {source}")]
    Open {
        /// The folder.
        path: PathBuf,
        /// Why.
        source: Box<gix::Error>,
    },
    /// The repository's objects could not be read.
    #[error("cannot read the git history: {0}")]
    Read(#[from] Box<gix::Error>),
}

impl From<gix::Error> for HistoryError {
    fn from(error: gix::Error) -> Self {
        HistoryError::Read(Box::new(error))
    }
}

/// One file a commit added or changed.
struct Change {
    path: BString,
    blob: ObjectId,
}

/// Scans the files added or changed by the last `options.commits`
/// commits reachable from `HEAD` of the repository at (or above) `dir`.
/// Findings have place [`SecretPlace::History`] and location
/// `<short sha>:<path>`; binary and oversized blobs are skipped with a
/// note, paths the scanner's allowlist names are left out. An unborn
/// `HEAD` (no commit yet) is an empty scan. Findings come newest commit
/// first, then by path, line and column.
pub fn scan_history(
    dir: &Path,
    scanner: &Scanner,
    key: &FingerprintKey,
    options: &HistoryOptions,
) -> Result<SecretScan, HistoryError> {
    let repo = gix::discover(dir).map_err(|source| HistoryError::Open {
        path: dir.to_owned(),
        source: Box::new(source),
    })?;
    let mut scan = SecretScan::default();
    let head = repo.head()?;
    if head.is_unborn() {
        return Ok(scan);
    }
    let head = head.into_peeled_id()?.detach();
    let walk = repo.rev_walk([head]).all()?;
    for info in walk.take(options.commits) {
        let info = info?;
        let commit = info.object()?;
        let short = info.id().shorten_or_id().to_string();
        let tree = commit.tree_id()?.detach();
        let parents: Vec<ObjectId> = commit
            .parent_ids()
            .map(|id| Ok::<_, gix::Error>(id.object()?.into_commit().tree_id()?.detach()))
            .collect::<Result<_, _>>()?;
        let mut changes = Vec::new();
        diff_trees(
            &repo,
            parents.first().copied(),
            tree,
            BString::default(),
            &mut changes,
        )?;
        let mut changes: Vec<Change> = changes
            .into_iter()
            .filter(|change| !in_other_parents(&repo, &parents, change))
            .collect();
        changes.sort_by(|a, b| a.path.cmp(&b.path));
        for change in changes {
            if scanner.allows_path(&change.path.to_str_lossy()) {
                continue;
            }
            let location = format!("{short}:{}", change.path.to_str_lossy());
            scan_blob(&repo, &change, location, scanner, key, options, &mut scan)?;
        }
    }
    Ok(scan)
}

/// Reads and scans one blob into `scan`.
fn scan_blob(
    repo: &gix::Repository,
    change: &Change,
    location: String,
    scanner: &Scanner,
    key: &FingerprintKey,
    options: &HistoryOptions,
    scan: &mut SecretScan,
) -> Result<(), HistoryError> {
    let place = SecretPlace::History;
    let limit = options.max_blob_bytes;
    let size = repo.find_header(change.blob)?.size();
    if size > limit {
        scan.skipped.push(SkippedFile {
            place,
            location,
            reason: SkipReason::TooLarge { bytes: size, limit },
        });
        return Ok(());
    }
    let blob = repo.find_blob(change.blob)?;
    let Some(mut hits) = scanner.scan_bytes(&blob.data, key) else {
        scan.skipped.push(SkippedFile {
            place,
            location,
            reason: SkipReason::Binary,
        });
        return Ok(());
    };
    scan.files += 1;
    scan.bytes += blob.data.len() as u64;
    hits.sort_by_key(|hit| (hit.line, hit.column));
    scan.findings.extend(
        hits.into_iter()
            .map(|hit| finding(place, &location, None, hit)),
    );
    Ok(())
}

/// The blobs (files and executables; not links or submodules) of tree
/// `new` whose id differs from `old`'s at the same path, recursively,
/// skipping subtrees whose id is unchanged.
fn diff_trees(
    repo: &gix::Repository,
    old: Option<ObjectId>,
    new: ObjectId,
    prefix: BString,
    out: &mut Vec<Change>,
) -> Result<(), HistoryError> {
    if old == Some(new) {
        return Ok(());
    }
    let old_entries: Vec<(BString, gix::objs::tree::EntryMode, ObjectId)> = match old {
        Some(old) => entries(&repo.find_tree(old)?)?,
        None => Vec::new(),
    };
    let lookup = |name: &BStr| {
        old_entries
            .binary_search_by(|(n, _, _)| n.as_bstr().cmp(name))
            .ok()
            .map(|i| (old_entries[i].1, old_entries[i].2))
    };
    for (name, mode, oid) in entries(&repo.find_tree(new)?)? {
        let before = lookup(name.as_bstr());
        let mut path = prefix.clone();
        if !path.is_empty() {
            path.push_byte(b'/');
        }
        path.push_str(&name);
        if mode.is_tree() {
            let old_tree = before.filter(|(m, _)| m.is_tree()).map(|(_, id)| id);
            diff_trees(repo, old_tree, oid, path, out)?;
        } else if mode.is_blob() && before.map(|(_, id)| id) != Some(oid) {
            out.push(Change { path, blob: oid });
        }
    }
    Ok(())
}

/// A tree's entries, sorted by name (for lookups).
fn entries(
    tree: &gix::Tree<'_>,
) -> Result<Vec<(BString, gix::objs::tree::EntryMode, ObjectId)>, HistoryError> {
    let mut entries = Vec::new();
    for entry in tree.iter() {
        let entry = entry?;
        entries.push((
            entry.inner.filename.to_owned(),
            entry.inner.mode,
            entry.inner.oid.to_owned(),
        ));
    }
    entries.sort_by(|a, b| a.0.cmp(&b.0));
    Ok(entries)
}

/// For a merge: the change's blob is already at its path in another
/// parent (the merge brought it in, it did not write it).
fn in_other_parents(repo: &gix::Repository, parents: &[ObjectId], change: &Change) -> bool {
    parents.iter().skip(1).any(|&parent| {
        let Ok(tree) = repo.find_tree(parent) else {
            return false;
        };
        let components = change.path.split(|&b| b == b'/');
        matches!(tree.lookup_entry(components), Ok(Some(entry)) if entry.object_id() == change.blob)
    })
}

#[cfg(test)]
#[path = "history_tests.rs"]
mod tests;
