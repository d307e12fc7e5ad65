//! The OS keychain: the only place Handover ever writes a credential.
//!
//! A [`Vault`] wraps one keyring-core credential store: Secret Service on
//! Linux, Keychain on macOS, Credential Manager on Windows. Every call blocks
//! on the platform's IPC, so async callers run them on a blocking thread.
//! There is deliberately no fallback store: if the keychain is locked or
//! missing, callers get a [`VaultError`] and nothing is written elsewhere.

use std::sync::{Arc, Mutex};

use handover_model::{KeychainStatus, SecretText};
use keyring_core::{CredentialStore, Entry, Error as KeyringError};

/// Service name of the entry used to probe the store; it is only ever read.
const PROBE_SERVICE: &str = "dev.handover.workbench.probe";
/// The attribute that marks Handover's entries in stores that keep attributes.
pub const APP_ATTRIBUTE: &str = "application";
/// User name of the probe entry.
const PROBE_USER: &str = "status";

/// Why the keychain could not be used.
#[derive(Debug, thiserror::Error)]
pub enum VaultError {
    /// No credential store could be opened on this system.
    #[error("no OS keychain is reachable: {0}")]
    Unreachable(String),
    /// The store exists but refused access, usually because it is locked.
    #[error("the {store} refused access (is it locked?): {detail}")]
    Locked {
        /// Which store refused.
        store: String,
        /// What the platform said.
        detail: String,
    },
    /// The keychain has no entry under this name (deleted outside Handover?).
    #[error(
        "the {store} has no entry for this credential; it may have been deleted outside Handover"
    )]
    Missing {
        /// Which store was asked.
        store: String,
    },
    /// The store answered with an error.
    #[error("the {store} failed: {detail}")]
    Platform {
        /// Which store failed.
        store: String,
        /// What the platform said.
        detail: String,
    },
}

/// Where one secret lives in the keychain: a service name and a user name.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EntryName {
    /// The service (Secret Service attribute `service`).
    pub service: String,
    /// The user (Secret Service attribute `username`).
    pub user: String,
}

/// How to open a store; kept so a store that was unreachable at start-up
/// (keyring daemon not yet running) is retried on the next call.
type Opener = Box<dyn Fn() -> Result<Arc<CredentialStore>, KeyringError> + Send + Sync>;

/// A handle on the OS keychain.
pub struct Vault {
    name: &'static str,
    open: Opener,
    store: Mutex<Option<Arc<CredentialStore>>>,
}

impl std::fmt::Debug for Vault {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Vault").field("store", &self.name).finish()
    }
}

impl Vault {
    /// The platform's native keychain. Nothing is contacted until first use.
    pub fn native() -> Self {
        Self {
            name: native_store_name(),
            open: Box::new(open_native_store),
            store: Mutex::new(None),
        }
    }

    /// A vault over a given store, e.g. keyring-core's mock store in unit tests.
    pub fn with_store(name: &'static str, store: Arc<CredentialStore>) -> Self {
        Self {
            name,
            open: Box::new(move || Ok(store.clone())),
            store: Mutex::new(None),
        }
    }

    /// A vault whose store can never be opened, as on a machine without a keychain.
    #[cfg(test)]
    pub(crate) fn unreachable(detail: &'static str) -> Self {
        Self {
            name: "missing store",
            open: Box::new(move || Err(KeyringError::PlatformFailure(detail.into()))),
            store: Mutex::new(None),
        }
    }

    /// Opens the store, or returns the one opened earlier.
    fn store(&self) -> Result<Arc<CredentialStore>, VaultError> {
        let mut slot = self
            .store
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner());
        if let Some(store) = slot.as_ref() {
            return Ok(store.clone());
        }
        let store = (self.open)().map_err(|e| VaultError::Unreachable(describe(&e)))?;
        *slot = Some(store.clone());
        Ok(store)
    }

    /// Probes the store with a read of an entry that never exists.
    ///
    /// A read is enough to tell whether the service answers, and unlike a
    /// write it never raises an unlock prompt. Blocks on platform IPC.
    pub fn status(&self) -> KeychainStatus {
        match self.probe() {
            Ok(()) => KeychainStatus::Available {
                store: self.name.to_string(),
            },
            Err(VaultError::Locked { store, detail }) => KeychainStatus::Locked { store, detail },
            Err(other) => KeychainStatus::Unavailable {
                detail: other.to_string(),
            },
        }
    }

    fn probe(&self) -> Result<(), VaultError> {
        let store = self.store()?;
        let entry =
            Entry::new_in_store(&store, PROBE_SERVICE, PROBE_USER).map_err(|e| self.classify(e))?;
        match entry.get_password() {
            Ok(_) | Err(KeyringError::NoEntry) => Ok(()),
            // Several entries under the probe name still means the store works.
            Err(KeyringError::Ambiguous(_)) => Ok(()),
            Err(e) => Err(self.classify(e)),
        }
    }

    /// Writes (or overwrites) a secret. Blocks on platform IPC.
    ///
    /// Where the store keeps attributes (Secret Service), the entry is also
    /// tagged `application=dev.handover.workbench`, so
    /// `secret-tool search application dev.handover.workbench` lists every
    /// secret Handover holds.
    pub fn put(&self, name: &EntryName, secret: &SecretText) -> Result<(), VaultError> {
        let entry = self.entry(name)?;
        entry
            .set_password(secret.expose())
            .map_err(|e| self.classify(e))?;
        let tag = std::collections::HashMap::from([(APP_ATTRIBUTE, crate::paths::APP_IDENTIFIER)]);
        match entry.update_attributes(&tag) {
            Ok(()) | Err(KeyringError::NotSupportedByStore(_)) => {}
            Err(e) => tracing::warn!("could not tag a keychain entry: {}", describe(&e)),
        }
        Ok(())
    }

    /// Reads a secret. Blocks on platform IPC.
    pub fn get(&self, name: &EntryName) -> Result<SecretText, VaultError> {
        let entry = self.entry(name)?;
        match entry.get_password() {
            Ok(value) => Ok(SecretText::new(value)),
            Err(KeyringError::NoEntry) => Err(VaultError::Missing {
                store: self.name.to_string(),
            }),
            Err(e) => Err(self.classify(e)),
        }
    }

    /// Deletes a secret; deleting one that is already gone succeeds.
    pub fn delete(&self, name: &EntryName) -> Result<(), VaultError> {
        let entry = self.entry(name)?;
        match entry.delete_credential() {
            Ok(()) | Err(KeyringError::NoEntry) => Ok(()),
            Err(e) => Err(self.classify(e)),
        }
    }

    fn entry(&self, name: &EntryName) -> Result<Entry, VaultError> {
        let store = self.store()?;
        Entry::new_in_store(&store, &name.service, &name.user).map_err(|e| self.classify(e))
    }

    fn classify(&self, err: KeyringError) -> VaultError {
        let store = self.name.to_string();
        let detail = describe(&err);
        match err {
            KeyringError::NoStorageAccess(_) => VaultError::Locked { store, detail },
            KeyringError::NoDefaultStore => VaultError::Unreachable(detail),
            _ => VaultError::Platform { store, detail },
        }
    }
}

/// keyring-core's errors, in one line without the Rust debug noise.
fn describe(err: &KeyringError) -> String {
    match err {
        KeyringError::PlatformFailure(inner) | KeyringError::NoStorageAccess(inner) => {
            inner.to_string()
        }
        other => other.to_string(),
    }
}

#[cfg(all(
    unix,
    not(any(target_os = "macos", target_os = "ios", target_os = "android"))
))]
fn native_store_name() -> &'static str {
    "Secret Service"
}

#[cfg(all(
    unix,
    not(any(target_os = "macos", target_os = "ios", target_os = "android"))
))]
fn open_native_store() -> Result<Arc<CredentialStore>, KeyringError> {
    let store: Arc<CredentialStore> = zbus_secret_service_keyring_store::Store::new()?;
    Ok(store)
}

#[cfg(target_os = "macos")]
fn native_store_name() -> &'static str {
    "macOS Keychain"
}

#[cfg(target_os = "macos")]
fn open_native_store() -> Result<Arc<CredentialStore>, KeyringError> {
    let store: Arc<CredentialStore> = apple_native_keyring_store::keychain::Store::new()?;
    Ok(store)
}

#[cfg(target_os = "windows")]
fn native_store_name() -> &'static str {
    "Windows Credential Manager"
}

#[cfg(target_os = "windows")]
fn open_native_store() -> Result<Arc<CredentialStore>, KeyringError> {
    let store: Arc<CredentialStore> = windows_native_keyring_store::Store::new()?;
    Ok(store)
}

#[cfg(not(any(unix, target_os = "windows")))]
fn native_store_name() -> &'static str {
    "no keychain"
}

#[cfg(not(any(unix, target_os = "windows")))]
fn open_native_store() -> Result<Arc<CredentialStore>, KeyringError> {
    Err(KeyringError::NotSupportedByStore(
        "this platform has no supported keychain".into(),
    ))
}

#[cfg(test)]
mod tests {
    use super::*;
    use keyring_core::mock;

    fn mock_vault() -> (Vault, Arc<CredentialStore>) {
        let store: Arc<CredentialStore> = mock::Store::new().unwrap();
        (Vault::with_store("mock store", store.clone()), store)
    }

    /// Makes the next call on the probe entry fail with `err`.
    fn inject(store: &Arc<CredentialStore>, err: KeyringError) {
        let entry = Entry::new_in_store(store, PROBE_SERVICE, PROBE_USER).unwrap();
        let cred: &mock::Cred = entry.as_any().downcast_ref().unwrap();
        cred.set_error(err);
    }

    #[test]
    fn answering_store_is_available() {
        let (vault, _) = mock_vault();
        assert_eq!(
            vault.status(),
            KeychainStatus::Available {
                store: "mock store".into()
            }
        );
    }

    #[test]
    fn refused_access_reads_as_locked() {
        let (vault, store) = mock_vault();
        inject(
            &store,
            KeyringError::NoStorageAccess("collection is locked".into()),
        );
        assert_eq!(
            vault.status(),
            KeychainStatus::Locked {
                store: "mock store".into(),
                detail: "collection is locked".into()
            }
        );
    }

    #[test]
    fn platform_failure_reads_as_unavailable() {
        let (vault, store) = mock_vault();
        inject(&store, KeyringError::PlatformFailure("bus closed".into()));
        let status = vault.status();
        assert_eq!(
            status,
            KeychainStatus::Unavailable {
                detail: "the mock store failed: bus closed".into()
            }
        );
    }

    fn name() -> EntryName {
        EntryName {
            service: "dev.handover.workbench/p/a".into(),
            user: "password-1".into(),
        }
    }

    #[test]
    fn put_get_delete_round_trip() {
        let (vault, _) = mock_vault();
        vault
            .put(&name(), &SecretText::new("hunter2".into()))
            .unwrap();
        assert_eq!(vault.get(&name()).unwrap().expose(), "hunter2");
        vault.delete(&name()).unwrap();
        assert!(matches!(
            vault.get(&name()),
            Err(VaultError::Missing { .. })
        ));
        // Deleting twice is fine.
        vault.delete(&name()).unwrap();
    }

    #[test]
    fn a_locked_store_refuses_writes_with_a_clear_error() {
        let (vault, store) = mock_vault();
        let entry = Entry::new_in_store(&store, &name().service, &name().user).unwrap();
        let cred: &mock::Cred = entry.as_any().downcast_ref().unwrap();
        cred.set_error(KeyringError::NoStorageAccess("collection is locked".into()));
        let err = vault
            .put(&name(), &SecretText::new("x".into()))
            .unwrap_err();
        assert!(matches!(err, VaultError::Locked { .. }), "{err}");
        assert!(err.to_string().contains("locked"), "{err}");
    }

    #[test]
    fn unreachable_store_is_retried_on_the_next_call() {
        let attempts = Arc::new(std::sync::atomic::AtomicUsize::new(0));
        let seen = attempts.clone();
        let vault = Vault {
            name: "flaky store",
            open: Box::new(move || {
                if seen.fetch_add(1, std::sync::atomic::Ordering::SeqCst) == 0 {
                    Err(KeyringError::PlatformFailure("no session bus".into()))
                } else {
                    let store: Arc<CredentialStore> = mock::Store::new()?;
                    Ok(store)
                }
            }),
            store: Mutex::new(None),
        };
        assert_eq!(
            vault.status(),
            KeychainStatus::Unavailable {
                detail: "no OS keychain is reachable: no session bus".into()
            }
        );
        assert!(vault.status().is_available());
        assert!(vault.status().is_available());
        assert_eq!(attempts.load(std::sync::atomic::Ordering::SeqCst), 2);
    }
}
