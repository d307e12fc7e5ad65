//! The two-phase credential write, credential references and the constraints
//! on credential rows, against an in-memory database.

use handover_model::{CredentialKind, ServiceKind};

use super::accounts_tests::{account, count, is_uid, project};
use super::{CredentialRef, Db, StoreError};

/// A database with one project and one account in it: `(db, project, account)`.
fn setup() -> (Db, i64, i64) {
    let mut db = Db::open_in_memory().expect("in-memory database");
    let p = project(&mut db, "P");
    let a = db
        .create_account(p, &account(ServiceKind::Hosting, "Hetzner"), 1_000)
        .unwrap()
        .id;
    (db, p, a)
}

/// Reserves and inserts a credential, answering its ref with the new id.
fn store(db: &mut Db, account_id: i64, kind: CredentialKind, label: &str) -> CredentialRef {
    let r = db.reserve_credential(account_id, kind, label, 5).unwrap();
    let c = db.insert_credential(account_id, &r, label, 5).unwrap();
    CredentialRef { id: c.id, ..r }
}

#[test]
fn reserving_writes_nothing_and_inserting_records_the_credential() {
    let (mut db, p, a) = setup();
    let r = db
        .reserve_credential(a, CredentialKind::ApiKey, "deploy token", 2_000)
        .unwrap();
    assert_eq!(r.id, 0);
    assert_eq!(r.kind, CredentialKind::ApiKey);
    assert_eq!(r.project_uid, db.project_uid(p).unwrap());
    assert_eq!(r.account_uid, db.account_uid(a).unwrap());
    assert!(is_uid(&r.credential_uid), "{}", r.credential_uid);
    assert_ne!(r.credential_uid, r.account_uid);
    assert_eq!(count(&db, "credentials"), 0, "a reservation is not a row");
    assert_eq!(db.account(a).unwrap().updated_ms, 1_000);
    let again = db
        .reserve_credential(a, CredentialKind::ApiKey, "deploy token", 2_000)
        .unwrap();
    assert_ne!(again.credential_uid, r.credential_uid);

    let c = db.insert_credential(a, &r, "deploy token", 3_000).unwrap();
    assert!(c.id > 0);
    assert_eq!((c.account_id, c.kind), (a, CredentialKind::ApiKey));
    assert_eq!(c.label, "deploy token");
    assert_eq!((c.created_ms, c.changed_ms), (3_000, 3_000));
    let stored = db.account(a).unwrap();
    assert_eq!(stored.credentials, vec![c.clone()]);
    assert_eq!(stored.updated_ms, 3_000, "the account is marked edited");
    assert_eq!(db.accounts(p).unwrap()[0].credentials, vec![c.clone()]);
    assert_eq!(
        db.credential_ref(c.id).unwrap(),
        CredentialRef {
            id: c.id,
            ..r.clone()
        }
    );
    // The same reservation cannot be inserted twice.
    assert!(db.insert_credential(a, &r, "again", 4_000).is_err());
    assert_eq!(count(&db, "credentials"), 1);
}

#[test]
fn a_reservation_for_another_account_is_refused() {
    let (mut db, p, a) = setup();
    let b = db
        .create_account(p, &account(ServiceKind::Dns, "Gandi"), 1_000)
        .unwrap()
        .id;
    let r = db
        .reserve_credential(a, CredentialKind::Password, "root", 2_000)
        .unwrap();
    let err = db.insert_credential(b, &r, "root", 2_000).unwrap_err();
    assert!(
        matches!(&err, StoreError::ForeignReservation { uid, account_id }
            if *uid == r.credential_uid && *account_id == b),
        "{err:?}"
    );
    let forged = CredentialRef {
        project_uid: "0".repeat(32),
        ..r.clone()
    };
    assert!(matches!(
        db.insert_credential(a, &forged, "root", 2_000),
        Err(StoreError::ForeignReservation { .. })
    ));
    assert_eq!(count(&db, "credentials"), 0);
    assert_eq!(db.account(b).unwrap().updated_ms, 1_000);
}

#[test]
fn credentials_come_back_by_id() {
    let (mut db, _, a) = setup();
    let kinds = [
        CredentialKind::RecoveryCodes,
        CredentialKind::Password,
        CredentialKind::Other,
        CredentialKind::ApiKey,
    ];
    let ids: Vec<i64> = kinds
        .iter()
        .map(|kind| store(&mut db, a, *kind, kind.label()).id)
        .collect();
    let stored = db.account(a).unwrap().credentials;
    assert_eq!(stored.iter().map(|c| c.id).collect::<Vec<_>>(), ids);
    assert_eq!(stored.iter().map(|c| c.kind).collect::<Vec<_>>(), kinds);
}

#[test]
fn touching_a_credential_changes_only_its_label_and_changed_ms() {
    let (mut db, _, a) = setup();
    let r = store(&mut db, a, CredentialKind::Password, "root");
    let before = db.account(a).unwrap().credentials[0].clone();
    let touched = db.touch_credential(r.id, "root (rotated)", 9_000).unwrap();
    assert_eq!(touched.changed_ms, 9_000);
    assert_eq!(touched.label, "root (rotated)");
    assert_eq!(
        touched,
        handover_model::Credential {
            label: "root (rotated)".to_owned(),
            changed_ms: 9_000,
            ..before
        }
    );
    assert_eq!(db.account(a).unwrap().credentials, vec![touched]);
    assert_eq!(db.account(a).unwrap().updated_ms, 9_000);
    assert_eq!(db.credential_ref(r.id).unwrap(), r, "the uid stays");
}

#[test]
fn deleting_a_credential_answers_its_ref_and_removes_the_row() {
    let (mut db, _, a) = setup();
    let gone = store(&mut db, a, CredentialKind::Password, "root");
    let kept = store(&mut db, a, CredentialKind::ApiKey, "token");
    assert_eq!(db.delete_credential(gone.id).unwrap(), gone);
    let left: Vec<i64> = db
        .account(a)
        .unwrap()
        .credentials
        .iter()
        .map(|c| c.id)
        .collect();
    assert_eq!(left, [kept.id]);
    assert!(matches!(
        db.credential_ref(gone.id),
        Err(StoreError::NotFound {
            what: "credential",
            ..
        })
    ));
}

#[test]
fn deleting_an_account_answers_every_ref_and_removes_its_rows() {
    let (mut db, p, a) = setup();
    let b = db
        .create_account(p, &account(ServiceKind::Dns, "Gandi"), 1_000)
        .unwrap()
        .id;
    let mut refs_a = Vec::new();
    let mut refs_b = Vec::new();
    for kind in CredentialKind::ALL {
        refs_a.push(store(&mut db, a, kind, "a"));
        refs_b.push(store(&mut db, b, kind, "b"));
    }
    let mut all = [refs_a.clone(), refs_b.clone()].concat();
    all.sort_by_key(|r| r.id);
    assert_eq!(db.credential_refs_of_project(p).unwrap(), all);

    assert_eq!(db.delete_account(a).unwrap(), refs_a);
    assert!(matches!(db.account(a), Err(StoreError::NotFound { .. })));
    assert_eq!(count(&db, "credentials"), 4);
    assert_eq!(db.credential_refs_of_project(p).unwrap(), refs_b);
    // An account without credentials answers no refs.
    let c = db
        .create_account(p, &account(ServiceKind::Cdn, "x"), 1_000)
        .unwrap()
        .id;
    assert_eq!(db.delete_account(c).unwrap(), vec![]);
    assert_eq!(db.accounts(p).unwrap().len(), 1);
}

#[test]
fn missing_credentials_and_accounts_are_not_found() {
    let (mut db, _, a) = setup();
    let r = db
        .reserve_credential(a, CredentialKind::Password, "root", 2)
        .unwrap();
    let not_found = |what: &str, result: Result<(), StoreError>| {
        assert!(
            matches!(&result, Err(StoreError::NotFound { what: w, id }) if *w == what && id == "42"),
            "{what}: {result:?}"
        );
    };
    let kind = CredentialKind::Password;
    not_found("account", db.reserve_credential(42, kind, "x", 1).map(drop));
    not_found("account", db.insert_credential(42, &r, "x", 1).map(drop));
    not_found("credential", db.touch_credential(42, "x", 1).map(drop));
    not_found("credential", db.delete_credential(42).map(drop));
    not_found("credential", db.credential_ref(42).map(drop));
    assert_eq!(count(&db, "credentials"), 0);
}

#[test]
fn constraints_reject_bad_credential_account_and_contact_rows() {
    let (db, p, a) = setup();
    db.conn
        .execute(
            "INSERT INTO credentials (account_id, uid, kind, label, created_ms, changed_ms) \
             VALUES (?1, 'u1', 'password', 'l', 1, 1)",
            [a],
        )
        .unwrap();
    for (sql, id) in [
        // A kind outside the CHECK list.
        (
            "INSERT INTO credentials (account_id, uid, kind, label, created_ms, changed_ms) \
             VALUES (?1, 'u2', 'pin', 'l', 1, 1)",
            a,
        ),
        // An account that does not exist.
        (
            "INSERT INTO credentials (account_id, uid, kind, label, created_ms, changed_ms) \
             VALUES (?1 + 1, 'u3', 'password', 'l', 1, 1)",
            a,
        ),
        // A uid already used.
        (
            "INSERT INTO credentials (account_id, uid, kind, label, created_ms, changed_ms) \
             VALUES (?1, 'u1', 'other', 'l', 1, 1)",
            a,
        ),
        (
            "INSERT INTO accounts (project_id, uid, kind, spec, created_ms, updated_ms) \
             VALUES (?1, 'v1', 'dns', '{', 1, 1)",
            p,
        ),
        (
            "INSERT INTO accounts (project_id, uid, kind, spec, created_ms, updated_ms) \
             VALUES (?1 + 100, 'v2', 'dns', '{}', 1, 1)",
            p,
        ),
        (
            "INSERT INTO contacts (project_id, spec, created_ms, updated_ms) \
             VALUES (?1, 'nope', 1, 1)",
            p,
        ),
        (
            "INSERT INTO contacts (project_id, spec, created_ms, updated_ms) \
             VALUES (?1 + 100, '{}', 1, 1)",
            p,
        ),
    ] {
        let err = db.conn.execute(sql, [id]).unwrap_err();
        assert!(err.to_string().contains("constraint"), "{sql}: {err}");
    }
    assert_eq!(count(&db, "credentials"), 1, "only the good row");
    assert_eq!(count(&db, "accounts") + count(&db, "contacts"), 1);
}
