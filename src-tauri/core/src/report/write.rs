//! Atomic writes: the bytes go to a temp file in the target's own folder,
//! which is flushed to disk and then renamed over the target, so a reader
//! sees either the previous file or the whole new one, never a part. On any
//! failure the temp file is removed and an existing target is left as it
//! was.

use std::fs::{File, OpenOptions};
use std::io::{self, Write};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};

use super::ReportError;

/// A step of [`atomic`], named so tests can make one of them fail.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Stage {
    /// Creating the temp file.
    Create,
    /// Writing the bytes (a failure here comes after half of them).
    Write,
    /// Flushing the temp file to disk.
    Sync,
    /// Renaming the temp file over the target.
    Rename,
    /// Flushing the folder, so the rename itself is on disk.
    SyncDir,
}

/// Tells apart the temp files of concurrent writes within one process.
static SEQUENCE: AtomicU64 = AtomicU64::new(0);

/// Writes `bytes` to `path` atomically, readable by its owner only (0600 on
/// Unix). A missing folder or a `path` that is a folder is refused with a
/// clear reason; on any failure any previous file at `path` is unchanged.
pub fn atomic(path: &Path, bytes: &[u8]) -> Result<(), ReportError> {
    atomic_with(path, bytes, &|_| Ok(()))
}

/// [`atomic`] with `inject` called before each [`Stage`]: an error it
/// returns is treated as that step failing.
pub(crate) fn atomic_with(
    path: &Path,
    bytes: &[u8],
    inject: &dyn Fn(Stage) -> io::Result<()>,
) -> Result<(), ReportError> {
    let failed = |source: io::Error| ReportError::Write {
        path: path.display().to_string(),
        source,
    };
    let dir = folder_of(path).map_err(failed)?;
    let (temp, file) = create_temp(&dir, path, inject).map_err(failed)?;
    let written = fill(file, bytes, inject).and_then(|()| {
        inject(Stage::Rename)?;
        std::fs::rename(&temp, path)
    });
    if let Err(source) = written {
        // The target was never touched; only the temp file is ours to clean.
        let _ = std::fs::remove_file(&temp);
        return Err(failed(source));
    }
    // The new file is complete and in place: a folder that cannot be
    // flushed (some file systems refuse) only weakens durability.
    if let Err(err) = inject(Stage::SyncDir).and_then(|()| sync_dir(&dir)) {
        tracing::warn!(error = %err, "the export's folder could not be flushed to disk");
    }
    Ok(())
}

/// The folder `path` is written in, after checking that it exists and that
/// `path` itself is not a folder.
fn folder_of(path: &Path) -> io::Result<PathBuf> {
    if path.file_name().is_none() || path.is_dir() {
        return Err(io::Error::new(
            io::ErrorKind::InvalidInput,
            "that is a folder, not a file name",
        ));
    }
    let dir = match path.parent() {
        Some(dir) if !dir.as_os_str().is_empty() => dir.to_path_buf(),
        _ => PathBuf::from("."),
    };
    if !dir.is_dir() {
        return Err(io::Error::new(
            io::ErrorKind::NotFound,
            format!("the folder {} does not exist", dir.display()),
        ));
    }
    Ok(dir)
}

/// Creates a new, uniquely named temp file beside `path` (owner only).
fn create_temp(
    dir: &Path,
    path: &Path,
    inject: &dyn Fn(Stage) -> io::Result<()>,
) -> io::Result<(PathBuf, File)> {
    inject(Stage::Create)?;
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let stamp = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.subsec_nanos());
    let mut last = None;
    for _ in 0..16 {
        let sequence = SEQUENCE.fetch_add(1, Ordering::Relaxed);
        let temp = dir.join(format!(
            ".{name}.{}-{sequence}-{stamp:x}.tmp",
            std::process::id()
        ));
        let mut options = OpenOptions::new();
        options.write(true).create_new(true);
        #[cfg(unix)]
        {
            use std::os::unix::fs::OpenOptionsExt;
            options.mode(0o600);
        }
        match options.open(&temp) {
            Ok(file) => return Ok((temp, file)),
            Err(err) if err.kind() == io::ErrorKind::AlreadyExists => last = Some(err),
            Err(err) => return Err(err),
        }
    }
    Err(last.unwrap_or_else(|| io::Error::other("no free temp file name")))
}

/// Writes all of `bytes` to `file` and flushes it to disk.
fn fill(mut file: File, bytes: &[u8], inject: &dyn Fn(Stage) -> io::Result<()>) -> io::Result<()> {
    let (head, tail) = bytes.split_at(bytes.len() / 2);
    file.write_all(head)?;
    inject(Stage::Write)?;
    file.write_all(tail)?;
    inject(Stage::Sync)?;
    file.sync_all()
}

/// Flushes the folder's entries (the rename) to disk where that exists.
fn sync_dir(dir: &Path) -> io::Result<()> {
    #[cfg(unix)]
    {
        File::open(dir)?.sync_all()
    }
    #[cfg(not(unix))]
    {
        let _ = dir;
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Every entry of `dir`, by name, sorted.
    fn entries(dir: &Path) -> Vec<String> {
        let mut names: Vec<String> = std::fs::read_dir(dir)
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .collect();
        names.sort();
        names
    }

    fn failing_at(stage: Stage) -> impl Fn(Stage) -> io::Result<()> {
        move |at| {
            if at == stage {
                Err(io::Error::other(format!("injected failure at {at:?}")))
            } else {
                Ok(())
            }
        }
    }

    #[test]
    fn a_new_file_is_written_whole_and_owner_only() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("handover.pdf");
        atomic(&path, b"%PDF-1.7 new").unwrap();
        assert_eq!(std::fs::read(&path).unwrap(), b"%PDF-1.7 new");
        assert_eq!(entries(dir.path()), ["handover.pdf"]);
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            let mode = std::fs::metadata(&path).unwrap().permissions().mode();
            assert_eq!(mode & 0o777, 0o600);
        }
    }

    #[test]
    fn an_existing_file_is_replaced() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("handover.md");
        std::fs::write(&path, "old and longer than the new one").unwrap();
        atomic(&path, b"new").unwrap();
        assert_eq!(std::fs::read(&path).unwrap(), b"new");
        assert_eq!(entries(dir.path()), ["handover.md"]);
    }

    #[test]
    fn a_failed_write_leaves_the_previous_file_byte_identical_and_no_temp_file() {
        let previous: Vec<u8> = (0..=255u8).cycle().take(10_000).collect();
        for stage in [Stage::Create, Stage::Write, Stage::Sync, Stage::Rename] {
            let dir = tempfile::tempdir().unwrap();
            let path = dir.path().join("handover.pdf");
            std::fs::write(&path, &previous).unwrap();
            let err = atomic_with(&path, &[7u8; 20_000], &failing_at(stage)).unwrap_err();
            let text = err.to_string();
            assert!(text.contains("injected failure"), "{stage:?}: {text}");
            assert!(text.contains("unchanged"), "{stage:?}: {text}");
            assert_eq!(std::fs::read(&path).unwrap(), previous, "{stage:?}");
            assert_eq!(entries(dir.path()), ["handover.pdf"], "{stage:?}");
        }
    }

    #[test]
    fn a_failed_first_write_leaves_nothing_behind() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("handover.json");
        atomic_with(&path, b"{}", &failing_at(Stage::Sync)).unwrap_err();
        assert!(entries(dir.path()).is_empty());
    }

    #[test]
    fn a_folder_that_cannot_be_flushed_still_leaves_the_whole_new_file() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("handover.pdf");
        std::fs::write(&path, "old").unwrap();
        atomic_with(&path, b"new", &failing_at(Stage::SyncDir)).unwrap();
        assert_eq!(std::fs::read(&path).unwrap(), b"new");
        assert_eq!(entries(dir.path()), ["handover.pdf"]);
    }

    #[test]
    fn a_missing_folder_or_a_folder_as_the_target_is_refused_clearly() {
        let dir = tempfile::tempdir().unwrap();
        let missing = dir.path().join("nope").join("handover.pdf");
        let text = atomic(&missing, b"x").unwrap_err().to_string();
        assert!(text.contains("does not exist"), "{text}");
        assert!(text.contains("nope"), "{text}");
        assert!(!missing.exists());

        let text = atomic(dir.path(), b"x").unwrap_err().to_string();
        assert!(text.contains("is a folder"), "{text}");
        assert!(entries(dir.path()).is_empty());
    }

    #[test]
    fn concurrent_writes_to_one_target_each_land_whole() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("handover.md");
        std::thread::scope(|scope| {
            for n in 0..4u8 {
                let path = &path;
                scope.spawn(move || atomic(path, &[n; 4096]).unwrap());
            }
        });
        let bytes = std::fs::read(&path).unwrap();
        assert_eq!(bytes.len(), 4096);
        assert!(bytes.iter().all(|b| *b == bytes[0]));
        assert_eq!(entries(dir.path()), ["handover.md"]);
    }
}
