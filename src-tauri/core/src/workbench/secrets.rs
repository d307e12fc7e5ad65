//! The key of a project's secret fingerprints, kept in the OS keychain:
//! created on the first scan, the same for every later one (so baselines
//! and ignores hold), deleted with the project.

use handover_model::{LocalSecrets, SecretText};

use super::hygiene::path_of;
use super::{WorkError, Workbench};
use crate::paths::APP_IDENTIFIER;
use crate::secrets::local::{scan_local, LocalScan};
use crate::secrets::FingerprintKey;
use crate::vault::{EntryName, VaultError};

/// The keychain entry's user name (the service names the project).
const KEY_USER: &str = "secrets-fingerprint-key";

/// The setting that says project `project_uid` has a key in the keychain
/// (so deleting a project that never scanned asks the keychain nothing).
fn stored_setting(project_uid: &str) -> String {
    format!("secrets_key.{project_uid}")
}

/// Where project `project_uid`'s fingerprint key lives.
pub(crate) fn key_entry(project_uid: &str) -> EntryName {
    EntryName {
        service: format!("{APP_IDENTIFIER}/{project_uid}"),
        user: KEY_USER.to_owned(),
    }
}

fn to_hex(bytes: &[u8; 32]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

fn from_hex(text: &str) -> Option<[u8; 32]> {
    let text = text.trim();
    if text.len() != 64 || !text.is_ascii() {
        return None;
    }
    let mut out = [0u8; 32];
    for (i, byte) in out.iter_mut().enumerate() {
        *byte = u8::from_str_radix(&text[2 * i..2 * i + 2], 16).ok()?;
    }
    Some(out)
}

impl Workbench {
    /// Project `project_id`'s fingerprint key, made and stored on first use.
    /// An entry that is not a key (edited outside Handover) is replaced.
    pub(crate) async fn secrets_key(&self, project_id: i64) -> Result<FingerprintKey, WorkError> {
        let uid = self.store.run(move |db| db.project_uid(project_id)).await?;
        let name = key_entry(&uid);
        let key = self
            .keychain(move |vault| {
                match vault.get(&name) {
                    Ok(text) => {
                        if let Some(bytes) = from_hex(text.expose()) {
                            return Ok(FingerprintKey::new(bytes));
                        }
                        tracing::warn!(
                            project_id,
                            "the fingerprint key was not a key; replacing it"
                        );
                    }
                    Err(VaultError::Missing { .. }) => {}
                    Err(err) => return Err(err),
                }
                let key = FingerprintKey::random();
                vault.put(&name, &SecretText::new(to_hex(key.bytes())))?;
                Ok(key)
            })
            .await?;
        let setting = stored_setting(&uid);
        self.store
            .run(move |db| db.set_setting(&setting, "1"))
            .await?;
        Ok(key)
    }

    /// A local scan (`handover secrets --project`) of project `project_id`:
    /// its repository and build output unless `what` names others, with the
    /// project's fingerprint key, so fingerprints match its runs' and hold
    /// from scan to scan.
    pub async fn scan_project_secrets(
        &self,
        project_id: i64,
        mut what: LocalScan,
    ) -> Result<LocalSecrets, WorkError> {
        let spec = self.project(project_id).await?.spec;
        let own_folders = what.repo.is_none() && what.build.is_none();
        what.repo = what.repo.or_else(|| path_of(&spec.repo_path));
        what.build = what.build.or_else(|| path_of(&spec.build_output));
        let (key, note) = self.key_or_fresh(project_id).await;
        let asked = what.clone();
        let mut report = tokio::task::spawn_blocking(move || scan_local(&what, &key))
            .await
            .map_err(|e| WorkError::Internal(format!("the scan stopped: {e}")))?
            .map_err(|e| {
                WorkError::Invalid(vec![handover_model::FieldError {
                    field: "repo_path".into(),
                    message: e.to_string(),
                }])
            })?;
        report.notes.extend(note);
        self.settle_local(project_id, own_folders, report, &asked)
            .await
    }

    /// Deletes project `project_uid`'s fingerprint key, if one was stored.
    pub(crate) async fn forget_secrets_key(&self, project_uid: String) -> Result<(), WorkError> {
        self.forget_entry(stored_setting(&project_uid), key_entry(&project_uid))
            .await
    }

    /// Deletes keychain entry `name` when `setting` says it was stored,
    /// then the setting (a project's per-project keys, on delete).
    pub(crate) async fn forget_entry(
        &self,
        setting: String,
        name: EntryName,
    ) -> Result<(), WorkError> {
        let probe = setting.clone();
        if self
            .store
            .run(move |db| db.setting(&probe))
            .await?
            .is_none()
        {
            return Ok(());
        }
        self.keychain(move |vault| match vault.delete(&name) {
            Ok(()) | Err(VaultError::Missing { .. }) => Ok(()),
            Err(err) => Err(err),
        })
        .await?;
        self.store
            .run(move |db| db.delete_setting(&setting))
            .await?;
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keys_round_trip_through_hex_and_junk_is_refused() {
        let bytes: [u8; 32] = std::array::from_fn(|i| (i * 7) as u8);
        assert_eq!(from_hex(&to_hex(&bytes)), Some(bytes));
        assert_eq!(from_hex("abc"), None);
        assert_eq!(from_hex(&"zz".repeat(32)), None);
        assert_eq!(from_hex(&"é".repeat(32)), None);
    }
}
