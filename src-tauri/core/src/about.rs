//! The facts behind the About panel and `handover info`.

use std::path::Path;

use handover_model::AppInfo;

use crate::paths::DataDir;
use crate::vault::Vault;

/// The application's display name.
pub const APP_NAME: &str = "Handover";

/// Gathers version, data directory and a live keychain probe.
///
/// Blocks on the keychain probe; async callers run it on a blocking thread.
/// `version` is passed in because it is the app package's version, not this crate's.
pub fn app_info(
    version: &str,
    data_dir: &DataDir,
    database: &Path,
    database_problem: Option<&str>,
    vault: &Vault,
) -> AppInfo {
    AppInfo {
        name: APP_NAME.to_string(),
        version: version.to_string(),
        data_dir: data_dir.path().display().to_string(),
        database: database.display().to_string(),
        database_problem: database_problem.map(str::to_string),
        platform: format!("{} {}", std::env::consts::OS, std::env::consts::ARCH),
        keychain: vault.status(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use handover_model::KeychainStatus;

    #[test]
    fn info_reports_the_vault_and_directory_it_was_given() {
        let store: std::sync::Arc<keyring_core::CredentialStore> =
            keyring_core::mock::Store::new().unwrap();
        let vault = Vault::with_store("mock store", store);
        let info = app_info(
            "9.9.9",
            &DataDir::at("/srv/handover").unwrap(),
            Path::new("/srv/handover/handover.db"),
            None,
            &vault,
        );
        assert_eq!(info.version, "9.9.9");
        assert_eq!(info.name, "Handover");
        assert_eq!(info.data_dir, "/srv/handover");
        assert_eq!(info.database, "/srv/handover/handover.db");
        assert_eq!(info.database_problem, None);
        assert_eq!(
            info.keychain,
            KeychainStatus::Available {
                store: "mock store".into()
            }
        );
    }
}
