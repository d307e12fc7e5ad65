//! Accounts, contacts, uids and the secret-free schema against an in-memory database.

use handover_model::{AccountSpec, CredentialKind, ProjectSpec, ServiceKind};

use super::fixtures::{full_account, full_contact};
use super::{Db, StoreError};

fn db() -> Db {
    Db::open_in_memory().expect("in-memory database")
}

/// Creates a minimal project named `name` and answers its id.
pub(crate) fn project(db: &mut Db, name: &str) -> i64 {
    let spec = ProjectSpec {
        name: name.to_owned(),
        apex: "example.com".to_owned(),
        ..ProjectSpec::default()
    };
    db.create_project(&spec, 1_000).unwrap().id
}

/// A minimal account spec.
pub(crate) fn account(kind: ServiceKind, provider: &str) -> AccountSpec {
    AccountSpec {
        kind,
        provider: provider.to_owned(),
        ..AccountSpec::default()
    }
}

/// Whether `uid` looks like a store uid: 32 lowercase hex characters.
pub(crate) fn is_uid(uid: &str) -> bool {
    uid.len() == 32 && uid.bytes().all(|b| matches!(b, b'0'..=b'9' | b'a'..=b'f'))
}

/// Rows in `table`.
pub(crate) fn count(db: &Db, table: &str) -> i64 {
    db.conn
        .query_row(&format!("SELECT count(*) FROM {table}"), [], |r| r.get(0))
        .unwrap()
}

#[test]
fn a_full_account_round_trips() {
    let mut db = db();
    let p = project(&mut db, "Shop");
    let spec = full_account(ServiceKind::ErrorTracking, "Sentry");
    let created = db.create_account(p, &spec, 2_000).unwrap();
    assert_eq!(created.spec, spec);
    assert_eq!(created.project_id, p);
    assert_eq!(created.credentials, vec![]);
    assert_eq!((created.created_ms, created.updated_ms), (2_000, 2_000));
    assert_eq!(db.account(created.id).unwrap(), created);
    assert_eq!(db.accounts(p).unwrap(), vec![created.clone()]);
    assert_eq!(db.account_project(created.id).unwrap(), p);
    let uid = db.account_uid(created.id).unwrap();
    assert!(is_uid(&uid), "{uid}");
    let kind: String = db
        .conn
        .query_row("SELECT kind FROM accounts", [], |r| r.get(0))
        .unwrap();
    assert_eq!(kind, "error_tracking");
}

#[test]
fn uids_are_random_per_row() {
    let mut db = db();
    let a = project(&mut db, "A");
    let b = project(&mut db, "B");
    let (ua, ub) = (db.project_uid(a).unwrap(), db.project_uid(b).unwrap());
    assert!(is_uid(&ua) && is_uid(&ub), "{ua} {ub}");
    assert_ne!(ua, ub);
    let x = db
        .create_account(a, &account(ServiceKind::Dns, "x"), 1)
        .unwrap();
    let y = db
        .create_account(a, &account(ServiceKind::Dns, "x"), 1)
        .unwrap();
    assert_ne!(db.account_uid(x.id).unwrap(), db.account_uid(y.id).unwrap());
    assert_ne!(db.account_uid(x.id).unwrap(), ua);
}

#[test]
fn accounts_are_listed_by_kind_then_provider_then_id() {
    let mut db = db();
    let p = project(&mut db, "P");
    let other = project(&mut db, "Other");
    let mut add = |kind, provider: &str| {
        db.create_account(p, &account(kind, provider), 1)
            .unwrap()
            .id
    };
    // ServiceKind::ALL order is not alphabetical: dns, cdn, hosting, email, ...
    let other_kind = add(ServiceKind::Other, "a");
    let email = add(ServiceKind::Email, "Postmark");
    let dns_zeta = add(ServiceKind::Dns, "zeta");
    let dns_alpha_upper = add(ServiceKind::Dns, "Alpha");
    let cdn = add(ServiceKind::Cdn, "Cloudflare");
    let dns_alpha_lower = add(ServiceKind::Dns, "alpha");
    let dns_beta = add(ServiceKind::Dns, "beta");
    db.create_account(other, &account(ServiceKind::Dns, "A"), 1)
        .unwrap();
    let ids: Vec<i64> = db.accounts(p).unwrap().iter().map(|a| a.id).collect();
    assert_eq!(
        ids,
        [
            dns_alpha_upper,
            dns_alpha_lower,
            dns_beta,
            dns_zeta,
            cdn,
            email,
            other_kind
        ]
    );
    assert_eq!(db.accounts(other).unwrap().len(), 1);
    let empty = project(&mut db, "Empty");
    assert_eq!(db.accounts(empty).unwrap(), vec![]);
}

#[test]
fn update_replaces_the_spec_and_keeps_uid_project_and_creation_time() {
    let mut db = db();
    let p = project(&mut db, "P");
    let created = db
        .create_account(p, &account(ServiceKind::Dns, "Gandi"), 2_000)
        .unwrap();
    let uid = db.account_uid(created.id).unwrap();
    let changed = full_account(ServiceKind::Hosting, "Hetzner");
    let updated = db.update_account(created.id, &changed, 3_000).unwrap();
    assert_eq!(updated.spec, changed);
    assert_eq!((updated.id, updated.project_id), (created.id, p));
    assert_eq!((updated.created_ms, updated.updated_ms), (2_000, 3_000));
    assert_eq!(db.account(created.id).unwrap(), updated);
    assert_eq!(db.account_uid(created.id).unwrap(), uid);
    let kind: String = db
        .conn
        .query_row("SELECT kind FROM accounts", [], |r| r.get(0))
        .unwrap();
    assert_eq!(kind, "hosting", "the kind column follows the spec");
}

#[test]
fn a_full_contact_round_trips_and_contacts_are_listed_by_name() {
    let mut db = db();
    let p = project(&mut db, "P");
    let other = project(&mut db, "Other");
    let spec = full_contact("zoë");
    let zoe = db.create_contact(p, &spec, 2_000).unwrap();
    assert_eq!((zoe.project_id, &zoe.spec), (p, &spec));
    assert_eq!(db.contact(zoe.id).unwrap(), zoe);
    let bob = db.create_contact(p, &full_contact("bob"), 2_000).unwrap();
    let ann = db.create_contact(p, &full_contact("Ann"), 2_000).unwrap();
    let bob2 = db.create_contact(p, &full_contact("Bob"), 2_000).unwrap();
    db.create_contact(other, &full_contact("Aaron"), 2_000)
        .unwrap();
    let ids: Vec<i64> = db.contacts(p).unwrap().iter().map(|c| c.id).collect();
    assert_eq!(ids, [ann.id, bob.id, bob2.id, zoe.id]);
    assert_eq!(db.contacts(p).unwrap()[3], zoe);
}

#[test]
fn contacts_are_updated_and_deleted() {
    let mut db = db();
    let p = project(&mut db, "P");
    let created = db.create_contact(p, &full_contact("Ann"), 2_000).unwrap();
    let kept = db.create_contact(p, &full_contact("Bo"), 2_000).unwrap();
    let mut spec = full_contact("Ann B.");
    spec.channels.clear();
    let updated = db.update_contact(created.id, &spec, 3_000).unwrap();
    assert_eq!((updated.id, updated.project_id), (created.id, p));
    assert_eq!(db.contact(created.id).unwrap().spec, spec);
    let updated_ms: i64 = db
        .conn
        .query_row(
            "SELECT updated_ms FROM contacts WHERE id = ?1",
            [created.id],
            |r| r.get(0),
        )
        .unwrap();
    assert_eq!(updated_ms, 3_000);
    db.delete_contact(created.id).unwrap();
    assert_eq!(db.contacts(p).unwrap(), vec![kept]);
}

#[test]
fn missing_accounts_contacts_and_projects_are_not_found() {
    let mut db = db();
    let p = project(&mut db, "P");
    let not_found = |what: &str, r: Result<(), StoreError>| {
        assert!(
            matches!(&r, Err(StoreError::NotFound { what: w, id }) if *w == what && id == "42"),
            "{what}: {r:?}"
        );
    };
    let spec = account(ServiceKind::Dns, "x");
    not_found("project", db.create_account(42, &spec, 1).map(drop));
    not_found("project", db.accounts(42).map(drop));
    not_found("project", db.project_uid(42).map(drop));
    not_found("project", db.credential_refs_of_project(42).map(drop));
    not_found("project", db.delete_project_returning_refs(42).map(drop));
    not_found("account", db.account(42).map(drop));
    not_found("account", db.update_account(42, &spec, 1).map(drop));
    not_found("account", db.account_uid(42).map(drop));
    not_found("account", db.account_project(42).map(drop));
    not_found("account", db.delete_account(42).map(drop));
    not_found(
        "project",
        db.create_contact(42, &full_contact("x"), 1).map(drop),
    );
    not_found("project", db.contacts(42).map(drop));
    not_found("contact", db.contact(42).map(drop));
    not_found(
        "contact",
        db.update_contact(42, &full_contact("x"), 1).map(drop),
    );
    not_found("contact", db.delete_contact(42));
    assert_eq!(count(&db, "accounts") + count(&db, "contacts"), 0);
    assert_eq!(db.accounts(p).unwrap(), vec![]);
}

#[test]
fn deleting_a_project_cascades_to_accounts_credentials_and_contacts() {
    let mut db = db();
    let gone = project(&mut db, "Gone");
    let plain = project(&mut db, "Plain");
    let kept = project(&mut db, "Kept");
    let mut refs = Vec::new();
    for p in [gone, plain, kept] {
        for kind in [ServiceKind::Dns, ServiceKind::Hosting] {
            let a = db.create_account(p, &account(kind, "x"), 1).unwrap();
            let r = db
                .reserve_credential(a.id, CredentialKind::Password, "root", 2)
                .unwrap();
            let c = db.insert_credential(a.id, &r, "root", 2).unwrap();
            refs.push((p, super::CredentialRef { id: c.id, ..r }));
        }
        db.create_contact(p, &full_contact("c"), 1).unwrap();
    }
    let of = |p: i64| -> Vec<_> {
        refs.iter()
            .filter(|(q, _)| *q == p)
            .map(|(_, r)| r.clone())
            .collect()
    };
    assert_eq!(db.credential_refs_of_project(gone).unwrap(), of(gone));
    assert_eq!(db.delete_project_returning_refs(gone).unwrap(), of(gone));
    db.delete_project(plain).unwrap();
    assert_eq!(count(&db, "accounts"), 2);
    assert_eq!(count(&db, "credentials"), 2);
    assert_eq!(count(&db, "contacts"), 1);
    assert_eq!(db.credential_refs_of_project(kept).unwrap(), of(kept));
    assert_eq!(db.accounts(kept).unwrap().len(), 2);
    assert_eq!(db.integrity_check().unwrap(), "ok");
}

#[test]
fn uids_never_change_and_are_filled_in_on_raw_inserts() {
    let mut db = db();
    let p = project(&mut db, "P");
    let a = db
        .create_account(p, &account(ServiceKind::Dns, "x"), 1)
        .unwrap();
    let r = db
        .reserve_credential(a.id, CredentialKind::ApiKey, "deploy", 2)
        .unwrap();
    db.insert_credential(a.id, &r, "deploy", 2).unwrap();
    for (table, message) in [
        ("projects", "a project uid never changes"),
        ("accounts", "an account uid never changes"),
        ("credentials", "a credential uid never changes"),
    ] {
        for value in ["'0123'", "NULL"] {
            let sql = format!("UPDATE {table} SET uid = {value}");
            let err = db.conn.execute(&sql, []).unwrap_err();
            assert!(err.to_string().contains(message), "{sql}: {err}");
        }
        // Setting it to itself is not a change.
        db.conn
            .execute(&format!("UPDATE {table} SET uid = uid"), [])
            .unwrap();
    }
    db.conn
        .execute(
            "INSERT INTO projects (name, apex, spec, created_ms, updated_ms) \
             VALUES ('Raw', 'raw.example', '{}', 1, 1)",
            [],
        )
        .unwrap();
    let raw = db.conn.last_insert_rowid();
    let uid = db.project_uid(raw).unwrap();
    assert!(is_uid(&uid), "{uid}");
}

#[test]
fn the_schema_has_no_column_for_a_secret() {
    let db = db();
    let columns: Vec<(String, String)> = db
        .conn
        .prepare(
            "SELECT m.name, c.name FROM sqlite_master m, pragma_table_info(m.name) c \
             WHERE m.type = 'table' ORDER BY m.name, c.cid",
        )
        .unwrap()
        .query_map([], |r| Ok((r.get(0)?, r.get(1)?)))
        .unwrap()
        .collect::<Result<_, _>>()
        .unwrap();
    // The query does see the new tables' columns.
    for expected in [
        ("credentials", "label"),
        ("accounts", "uid"),
        ("contacts", "spec"),
    ] {
        assert!(
            columns
                .iter()
                .any(|(t, c)| (t.as_str(), c.as_str()) == expected),
            "{expected:?} missing from {columns:?}"
        );
    }
    for (table, column) in &columns {
        let name = column.to_lowercase();
        for word in ["secret", "password", "value", "token", "passphrase"] {
            assert!(
                !name.contains(word),
                "{table}.{column} looks like it holds a secret"
            );
        }
    }
}
