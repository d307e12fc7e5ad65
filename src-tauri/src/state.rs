//! What every command can reach: the data directory, the keychain and the
//! projects workbench.

use std::path::PathBuf;
use std::sync::Arc;

use handover_core::{DataDir, PathError, Vault, Workbench};
use handover_model::{CommandError, ErrorCode};

use crate::clipboard::{Clipboard, CLEAR_AFTER};

/// Shared application state, cheap to clone into blocking tasks.
#[derive(Debug, Clone)]
pub struct AppState {
    /// Where the database and exports live.
    pub data_dir: DataDir,
    /// The OS keychain.
    pub vault: Arc<Vault>,
    /// The database file in use.
    pub db_path: PathBuf,
    /// The system clipboard, for copying secrets that clear themselves.
    pub clipboard: Arc<Clipboard>,
    /// The demo product, while it runs.
    pub demo: crate::demo::DemoSlot,
    /// Projects and their audit, or why the database could not be opened
    /// (the window still opens and shows that reason).
    workbench: Result<Workbench, String>,
}

impl AppState {
    /// Resolves the data directory (flag, then `HANDOVER_DATA_DIR`, then the
    /// platform default) and the database (flag, then `HANDOVER_DB`, then the
    /// data directory), creates the directory, opens the database and the
    /// native keychain.
    pub fn from_env(
        data_dir_flag: Option<PathBuf>,
        db_flag: Option<PathBuf>,
    ) -> Result<Self, PathError> {
        let data_dir = match data_dir_flag {
            Some(path) => DataDir::at(path)?,
            None => DataDir::resolve()?,
        };
        data_dir.ensure()?;
        let db_path = data_dir.database(db_flag);
        Ok(Self::new(data_dir, db_path, Vault::native()))
    }

    /// State over an explicit directory, database and vault (tests use a mock store).
    pub fn new(data_dir: DataDir, db_path: PathBuf, vault: Vault) -> Self {
        let vault = Arc::new(vault);
        let workbench = Workbench::open(
            &db_path,
            vault.clone(),
            handover_core::workbench::local_actor(),
        )
        .map_err(|err| format!("Cannot open the database {}: {err}", db_path.display()));
        Self {
            data_dir,
            vault,
            db_path,
            clipboard: Clipboard::new(CLEAR_AFTER),
            demo: crate::demo::DemoSlot::default(),
            workbench,
        }
    }

    /// The same state with another clipboard (tests use a short delay).
    pub fn with_clipboard(mut self, clipboard: Arc<Clipboard>) -> Self {
        self.clipboard = clipboard;
        self
    }

    /// Why the database could not be opened, if it could not.
    pub fn database_problem(&self) -> Option<&str> {
        self.workbench.as_ref().err().map(String::as_str)
    }

    /// The workbench, or a storage error saying why the database is unavailable.
    pub fn workbench(&self) -> Result<&Workbench, CommandError> {
        self.workbench
            .as_ref()
            .map_err(|reason| CommandError::new(ErrorCode::Storage, reason.clone()))
    }
}
