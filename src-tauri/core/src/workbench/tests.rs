use std::sync::Arc;

use handover_model::{
    AccountSaveRequest, AccountSpec, CredentialKind, CredentialSaveRequest, Person,
    ProjectSaveRequest, ProjectSpec, SecretText, ServiceKind,
};

use super::{WorkError, Workbench};
use crate::store::Store;
use crate::vault::{Vault, VaultError};

async fn with_account(vault: Vault) -> (Workbench, i64) {
    let bench = Workbench::new(Store::open_in_memory().unwrap(), Arc::new(vault), "tester");
    let project = bench
        .save(ProjectSaveRequest {
            id: None,
            spec: ProjectSpec {
                name: "P".into(),
                apex: "example.com".into(),
                ..ProjectSpec::default()
            },
        })
        .await
        .unwrap();
    let account = bench
        .save_account(AccountSaveRequest {
            project_id: project.id,
            id: None,
            spec: AccountSpec {
                kind: ServiceKind::Hosting,
                provider: "Hetzner".into(),
                owner: Person {
                    name: "Dana".into(),
                    email: String::new(),
                },
                ..AccountSpec::default()
            },
        })
        .await
        .unwrap();
    (bench, account.id)
}

fn password(account_id: i64) -> CredentialSaveRequest {
    CredentialSaveRequest {
        account_id,
        credential_id: None,
        kind: CredentialKind::Password,
        label: "root".into(),
        secret: SecretText::new("hunter2-correct-horse".into()),
    }
}

#[tokio::test]
async fn without_a_keychain_nothing_is_recorded_and_nothing_is_deleted() {
    let (bench, account_id) = with_account(Vault::unreachable("no Secret Service")).await;
    let err = bench
        .save_credential(password(account_id))
        .await
        .unwrap_err();
    assert!(
        matches!(err, WorkError::Vault(VaultError::Unreachable(_))),
        "{err}"
    );
    let account = bench
        .store
        .run(move |db| db.account(account_id))
        .await
        .unwrap();
    assert!(
        account.credentials.is_empty(),
        "SQLite never claims a secret the keychain lacks"
    );
    let message = handover_model::CommandError::from(err).message;
    assert!(
        message.contains("Nothing was stored anywhere else"),
        "{message}"
    );
}

#[tokio::test]
async fn a_refused_keychain_delete_keeps_the_account() {
    let store: Arc<keyring_core::CredentialStore> = keyring_core::mock::Store::new().unwrap();
    let (bench, account_id) = with_account(Vault::with_store("mock store", store.clone())).await;
    let saved = bench.save_credential(password(account_id)).await.unwrap();
    let target = bench
        .store
        .run(move |db| db.credential_ref(saved.id))
        .await
        .unwrap();
    let name = crate::accounts::entry_name(&target);
    let entry = keyring_core::Entry::new_in_store(&store, &name.service, &name.user).unwrap();
    let cred: &keyring_core::mock::Cred = entry.as_any().downcast_ref().unwrap();
    cred.set_error(keyring_core::Error::NoStorageAccess(
        "collection is locked".into(),
    ));

    let err = bench.delete_account(account_id).await.unwrap_err();
    assert!(
        matches!(err, WorkError::Vault(VaultError::Locked { .. })),
        "{err}"
    );
    let account = bench
        .store
        .run(move |db| db.account(account_id))
        .await
        .unwrap();
    assert_eq!(
        account.credentials.len(),
        1,
        "the record stays while its secret does"
    );
    assert_eq!(
        bench.secret(saved.id).await.unwrap().expose(),
        "hunter2-correct-horse"
    );

    // Once the keychain answers again, the delete goes through, entry first.
    bench.delete_account(account_id).await.unwrap();
    assert!(matches!(
        bench.vault.get(&name),
        Err(VaultError::Missing { .. })
    ));
}

#[tokio::test]
async fn a_secret_the_database_did_not_record_leaves_the_keychain_again() {
    let store: Arc<keyring_core::CredentialStore> = keyring_core::mock::Store::new().unwrap();
    let (bench, account_id) = with_account(Vault::with_store("mock store", store.clone())).await;
    bench
        .store
        .run(|db| {
            db.execute_for_test(
                "CREATE TRIGGER refuse BEFORE INSERT ON credentials \
                 BEGIN SELECT RAISE(ABORT, 'disk full'); END;",
            )
        })
        .await
        .unwrap();
    let err = bench
        .save_credential(password(account_id))
        .await
        .unwrap_err();
    assert!(matches!(err, WorkError::Store(_)), "{err}");
    let entries =
        keyring_core::Entry::search_in_store(&store, &std::collections::HashMap::new()).unwrap();
    assert!(
        !entries.is_empty(),
        "the secret did reach the keychain first"
    );
    for entry in entries {
        assert!(
            matches!(entry.get_password(), Err(keyring_core::Error::NoEntry)),
            "the unrecorded secret was removed"
        );
    }
}
