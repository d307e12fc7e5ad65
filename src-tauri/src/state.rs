//! What every command can reach: the data directory and the keychain.

use std::path::PathBuf;
use std::sync::Arc;

use handover_core::{DataDir, PathError, Vault};

/// Shared application state, cheap to clone into blocking tasks.
#[derive(Debug, Clone)]
pub struct AppState {
    /// Where the database and exports live.
    pub data_dir: DataDir,
    /// The OS keychain.
    pub vault: Arc<Vault>,
}

impl AppState {
    /// Resolves the data directory (flag, then `HANDOVER_DATA_DIR`, then the
    /// platform default), creates it, and opens the native keychain lazily.
    pub fn from_env(data_dir_flag: Option<PathBuf>) -> Result<Self, PathError> {
        let data_dir = match data_dir_flag {
            Some(path) => DataDir::at(path)?,
            None => DataDir::resolve()?,
        };
        data_dir.ensure()?;
        Ok(Self::new(data_dir, Vault::native()))
    }

    /// State over an explicit directory and vault (tests use a mock store).
    pub fn new(data_dir: DataDir, vault: Vault) -> Self {
        Self {
            data_dir,
            vault: Arc::new(vault),
        }
    }
}
