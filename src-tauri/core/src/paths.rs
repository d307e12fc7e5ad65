//! Where Handover keeps its data.
//!
//! The default follows each platform's convention (XDG data home on Linux,
//! Application Support on macOS, `%APPDATA%` on Windows) under the app's
//! identifier, the same folder Tauri would pick. `HANDOVER_DATA_DIR`
//! overrides it, which the tests use to stay out of the real profile.

use std::path::{Path, PathBuf};

/// The bundle identifier from `tauri.conf.json`; also the data folder's name.
pub const APP_IDENTIFIER: &str = "dev.handover.workbench";

/// Environment variable that replaces the platform data directory.
pub const DATA_DIR_ENV: &str = "HANDOVER_DATA_DIR";

/// Environment variable that points at a database file to use instead of the default.
pub const DB_ENV: &str = "HANDOVER_DB";

/// The database's file name inside the data directory.
pub const DB_FILE: &str = "handover.db";

/// Why the data directory cannot be used.
#[derive(Debug, thiserror::Error)]
pub enum PathError {
    /// The platform reported no per-user data directory (no `HOME`, for example).
    #[error("this system reports no per-user data directory; set {DATA_DIR_ENV} to choose one")]
    NoPlatformDir,
    /// The chosen directory (flag or environment) is not an absolute path.
    #[error("the data directory must be an absolute path, got {0:?}")]
    RelativeOverride(PathBuf),
    /// Creating the directory failed.
    #[error("cannot create the data directory {path}: {source}")]
    Create {
        /// The directory that could not be created.
        path: PathBuf,
        /// What the file system said.
        source: std::io::Error,
    },
}

/// The directory that holds Handover's database and exports.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DataDir(PathBuf);

impl DataDir {
    /// Resolves the directory from the environment and platform, without creating it.
    pub fn resolve() -> Result<Self, PathError> {
        Self::resolve_with(
            std::env::var_os(DATA_DIR_ENV).map(PathBuf::from),
            dirs::data_dir(),
        )
    }

    /// A data directory chosen explicitly (e.g. by a command-line flag); it must be absolute.
    pub fn at(path: impl Into<PathBuf>) -> Result<Self, PathError> {
        let path = path.into();
        if path.is_absolute() {
            Ok(Self(path))
        } else {
            Err(PathError::RelativeOverride(path))
        }
    }

    /// Resolution rule, separated from the process environment for testing.
    fn resolve_with(
        override_dir: Option<PathBuf>,
        platform_dir: Option<PathBuf>,
    ) -> Result<Self, PathError> {
        match override_dir.filter(|p| !p.as_os_str().is_empty()) {
            Some(dir) => Self::at(dir),
            None => platform_dir
                .map(|base| Self(base.join(APP_IDENTIFIER)))
                .ok_or(PathError::NoPlatformDir),
        }
    }

    /// Creates the directory (and its parents) if it does not exist yet.
    pub fn ensure(&self) -> Result<&Path, PathError> {
        let failed = |source| PathError::Create {
            path: self.0.clone(),
            source,
        };
        std::fs::create_dir_all(&self.0).map_err(failed)?;
        // Projects, history and exports are nobody else's business.
        owner_only(&self.0).map_err(failed)?;
        Ok(&self.0)
    }

    /// The directory's path.
    pub fn path(&self) -> &Path {
        &self.0
    }

    /// The database to open: the `--db` flag, else `HANDOVER_DB`, else
    /// `handover.db` in this directory. Relative paths are taken from the
    /// current directory.
    pub fn database(&self, flag: Option<PathBuf>) -> PathBuf {
        self.database_with(flag, std::env::var_os(DB_ENV).map(PathBuf::from))
    }

    fn database_with(&self, flag: Option<PathBuf>, env: Option<PathBuf>) -> PathBuf {
        let chosen = flag
            .into_iter()
            .chain(env)
            .find(|p| !p.as_os_str().is_empty());
        match chosen {
            Some(path) if path.is_absolute() => path,
            Some(path) => std::env::current_dir()
                .map(|cwd| cwd.join(&path))
                .unwrap_or(path),
            None => self.0.join(DB_FILE),
        }
    }
}

/// Restricts a file (0600) or directory (0700) to its owner on Unix; other
/// platforms keep their per-user profile permissions.
pub fn owner_only(path: &Path) -> std::io::Result<()> {
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = if std::fs::metadata(path)?.is_dir() {
            0o700
        } else {
            0o600
        };
        std::fs::set_permissions(path, std::fs::Permissions::from_mode(mode))?;
    }
    #[cfg(not(unix))]
    let _ = path;
    Ok(())
}

/// Writes `bytes` to `path` readable by its owner only (exports, project
/// files): created as 0600 on Unix, never briefly readable by others.
pub fn write_private(path: &Path, bytes: &[u8]) -> std::io::Result<()> {
    use std::io::Write;
    let mut options = std::fs::OpenOptions::new();
    options.write(true).create(true).truncate(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        options.mode(0o600);
    }
    let mut file = options.open(path)?;
    file.write_all(bytes)?;
    file.sync_all()?;
    owner_only(path)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn platform_dir_gets_the_app_identifier() {
        let dir = DataDir::resolve_with(None, Some("/home/a/.local/share".into())).unwrap();
        assert_eq!(
            dir.path(),
            Path::new("/home/a/.local/share/dev.handover.workbench")
        );
    }

    #[test]
    fn absolute_override_wins() {
        let dir = DataDir::resolve_with(Some("/srv/h".into()), Some("/home/a".into())).unwrap();
        assert_eq!(dir.path(), Path::new("/srv/h"));
    }

    #[test]
    fn relative_override_is_refused() {
        let err = DataDir::resolve_with(Some("data".into()), Some("/home/a".into())).unwrap_err();
        assert!(matches!(err, PathError::RelativeOverride(_)), "{err}");
    }

    #[test]
    fn empty_override_falls_back_to_platform() {
        let dir = DataDir::resolve_with(Some("".into()), Some("/x".into())).unwrap();
        assert_eq!(dir.path(), Path::new("/x/dev.handover.workbench"));
    }

    #[test]
    fn no_home_is_a_clear_error() {
        let err = DataDir::resolve_with(None, None).unwrap_err();
        assert!(err.to_string().contains(DATA_DIR_ENV));
    }

    #[test]
    fn database_flag_beats_env_beats_default() {
        let dir = DataDir("/data".into());
        let flag = Some(PathBuf::from("/a/flag.db"));
        let env = Some(PathBuf::from("/b/env.db"));
        assert_eq!(
            dir.database_with(flag, env.clone()),
            Path::new("/a/flag.db")
        );
        assert_eq!(dir.database_with(None, env), Path::new("/b/env.db"));
        assert_eq!(
            dir.database_with(None, Some("".into())),
            Path::new("/data/handover.db")
        );
        let relative = dir.database_with(Some("rel.db".into()), None);
        assert!(relative.is_absolute() && relative.ends_with("rel.db"));
    }

    #[test]
    fn ensure_creates_nested_directories() {
        let tmp = tempfile::tempdir().unwrap();
        let dir = DataDir(tmp.path().join("a/b/c"));
        assert!(dir.ensure().unwrap().is_dir());
    }

    #[cfg(unix)]
    #[test]
    fn the_data_directory_and_private_files_are_the_owners_only() {
        use std::os::unix::fs::PermissionsExt;
        let mode = |p: &Path| std::fs::metadata(p).unwrap().permissions().mode() & 0o777;
        let tmp = tempfile::tempdir().unwrap();
        let dir = DataDir(tmp.path().join("data"));
        std::fs::create_dir_all(dir.path()).unwrap();
        std::fs::set_permissions(dir.path(), std::fs::Permissions::from_mode(0o755)).unwrap();
        dir.ensure().unwrap();
        assert_eq!(mode(dir.path()), 0o700);
        let export = dir.path().join("export.json");
        std::fs::write(&export, "old").unwrap();
        std::fs::set_permissions(&export, std::fs::Permissions::from_mode(0o644)).unwrap();
        write_private(&export, b"{}").unwrap();
        assert_eq!(mode(&export), 0o600);
        assert_eq!(std::fs::read_to_string(&export).unwrap(), "{}");
    }
}
