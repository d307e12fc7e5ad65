//! Opening files: migrations, backups, the newer-schema guard, and the [`Store`] handle.

use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use handover_model::{CredentialKind, ItemState, ItemStatus, ServiceKind};
use rusqlite::Connection;
use rusqlite_migration::{Migrations, M};

use super::fixtures::{full_account, full_contact, full_spec};
use super::schema::{backups, BACKUPS_KEPT, MIGRATIONS};
use super::{migrations, Db, Store, StoreError, SCHEMA_VERSION};

/// The real migrations followed by `extra`.
fn with_extra(extra: &[&'static str]) -> Migrations<'static> {
    let mut all = MIGRATIONS.to_vec();
    all.extend(extra.iter().map(|sql| M::up(sql)));
    Migrations::new(all)
}

/// A database file in a fresh temporary folder (nested, so the folder is created on open).
fn temp_db() -> (tempfile::TempDir, PathBuf) {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("data").join("handover.db");
    (dir, path)
}

/// Opens `path` with the real schema and stores one project with one item
/// change, one account with one credential, and one contact.
fn seed(path: &Path) {
    let mut db = Db::open(path).unwrap();
    let p = db.create_project(&full_spec("Seeded"), 1_000).unwrap();
    let state = ItemState {
        item_id: "a".into(),
        status: ItemStatus::Pass,
        ..ItemState::default()
    };
    db.update_item(p.id, &state, "me", 2_000).unwrap();
    let account = db
        .create_account(p.id, &full_account(ServiceKind::Dns, "Gandi"), 3_000)
        .unwrap();
    let reserved = db
        .reserve_credential(account.id, CredentialKind::Password, "root", 4_000)
        .unwrap();
    db.insert_credential(account.id, &reserved, "root", 4_000)
        .unwrap();
    db.create_contact(p.id, &full_contact("Ann"), 5_000)
        .unwrap();
}

/// Every table and its rows, as text, for before/after comparisons.
fn dump(path: &Path) -> Vec<String> {
    let conn = Connection::open(path).unwrap();
    let tables: Vec<String> = conn
        .prepare("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name")
        .unwrap()
        .query_map([], |r| r.get(0))
        .unwrap()
        .collect::<Result<_, _>>()
        .unwrap();
    let mut out = Vec::new();
    for table in tables {
        let mut stmt = conn
            .prepare(&format!("SELECT * FROM {table} ORDER BY 1, 2"))
            .unwrap();
        let width = stmt.column_count();
        let rows = stmt
            .query_map([], |row| {
                (0..width)
                    .map(|i| {
                        row.get::<_, rusqlite::types::Value>(i)
                            .map(|v| format!("{v:?}"))
                    })
                    .collect::<Result<Vec<_>, _>>()
            })
            .unwrap();
        for row in rows {
            out.push(format!("{table}: {}", row.unwrap().join(" | ")));
        }
    }
    out
}

fn user_version(path: &Path) -> i64 {
    Connection::open(path)
        .unwrap()
        .pragma_query_value(None, "user_version", |r| r.get(0))
        .unwrap()
}

fn table_exists(path: &Path, table: &str) -> bool {
    Connection::open(path)
        .unwrap()
        .query_row(
            "SELECT count(*) FROM sqlite_master WHERE name = ?1",
            [table],
            |r| r.get::<_, i64>(0),
        )
        .unwrap()
        == 1
}

#[test]
fn the_migrations_are_valid() {
    migrations().validate().unwrap();
    assert_eq!(SCHEMA_VERSION, MIGRATIONS.len());
    assert_eq!(
        Db::open_in_memory().unwrap().schema_version().unwrap(),
        SCHEMA_VERSION
    );
}

#[test]
fn a_new_file_gets_the_latest_schema_and_reopening_changes_nothing() {
    let (_dir, path) = temp_db();
    let db = Db::open(&path).unwrap();
    assert_eq!(db.schema_version().unwrap(), SCHEMA_VERSION);
    assert_eq!(db.path(), Some(path.as_path()));
    let mode: String = db
        .conn
        .pragma_query_value(None, "journal_mode", |r| r.get(0))
        .unwrap();
    assert_eq!(mode, "wal");
    let fk: i64 = db
        .conn
        .pragma_query_value(None, "foreign_keys", |r| r.get(0))
        .unwrap();
    assert_eq!(fk, 1);
    drop(db);
    seed(&path);
    let before = dump(&path);
    let db = Db::open(&path).unwrap();
    assert_eq!(db.schema_version().unwrap(), SCHEMA_VERSION);
    assert_eq!(db.integrity_check().unwrap(), "ok");
    drop(db);
    assert_eq!(dump(&path), before);
    assert_eq!(backups(&path).unwrap(), vec![], "no upgrade, no backup");
}

#[test]
fn a_failing_migration_changes_nothing_but_leaves_a_backup() {
    let (_dir, path) = temp_db();
    seed(&path);
    let before = dump(&path);
    // The first extra migration is fine on its own; the second fails after a
    // successful statement. Neither may survive.
    let bad = with_extra(&[
        "CREATE TABLE extra (x INTEGER); ALTER TABLE projects ADD COLUMN colour TEXT;",
        "INSERT INTO extra VALUES (1); INSERT INTO no_such_table VALUES (1);",
    ]);
    let err = Db::open_with(&path, &bad).unwrap_err();
    let StoreError::Migration {
        backup: Some(backup),
        ..
    } = &err
    else {
        panic!("expected a migration error with a backup, got {err:?}");
    };
    assert!(err.to_string().contains("no_such_table"), "{err}");
    assert_eq!(user_version(&path), SCHEMA_VERSION as i64);
    assert!(!table_exists(&path, "extra"));
    assert_eq!(dump(&path), before);
    assert_eq!(backups(&path).unwrap().len(), 1);
    let name = backup.file_name().unwrap().to_string_lossy().into_owned();
    assert!(
        name.starts_with(&format!("handover.db.v{SCHEMA_VERSION}-")) && name.ends_with(".bak"),
        "{name}"
    );
    // The backup is a complete, standalone copy.
    assert_eq!(dump(backup), before);
    // A syntax error is refused the same way.
    let err = Db::open_with(&path, &with_extra(&["CREATE TABLE broken (;"])).unwrap_err();
    assert!(matches!(err, StoreError::Migration { .. }), "{err:?}");
    assert_eq!(dump(&path), before);
    // And the real schema still opens.
    assert_eq!(Db::open(&path).unwrap().integrity_check().unwrap(), "ok");
}

#[test]
fn a_good_migration_backs_up_first_and_keeps_the_data() {
    let (_dir, path) = temp_db();
    seed(&path);
    let before = dump(&path);
    let db = Db::open_with(&path, &with_extra(&["CREATE TABLE extra (x INTEGER);"])).unwrap();
    assert_eq!(db.schema_version().unwrap(), SCHEMA_VERSION + 1);
    assert_eq!(db.projects().unwrap()[0].spec, full_spec("Seeded"));
    drop(db);
    let saved = backups(&path).unwrap();
    assert_eq!(saved.len(), 1);
    assert_eq!(dump(&saved[0].1), before);
    assert_eq!(user_version(&saved[0].1), SCHEMA_VERSION as i64);
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        for file in [&path, &saved[0].1] {
            let mode = std::fs::metadata(file).unwrap().permissions().mode() & 0o777;
            assert_eq!(mode, 0o600, "{}", file.display());
        }
    }
    // The real schema no longer knows this file.
    assert!(matches!(
        Db::open(&path),
        Err(StoreError::NewerDatabase { found, known, .. })
            if found == SCHEMA_VERSION + 1 && known == SCHEMA_VERSION
    ));
}

#[test]
fn only_the_newest_backups_are_kept() {
    let (dir, path) = temp_db();
    seed(&path);
    let folder = path.parent().unwrap();
    for ms in [1_000, 2_000, 3_000, 4_000] {
        std::fs::write(folder.join(format!("handover.db.v1-{ms}.bak")), b"old").unwrap();
    }
    let unrelated = [
        folder.join("other.db.v1-5.bak"),
        folder.join("handover.db.notes"),
        folder.join("handover.db.vx-5.bak"),
        dir.path().join("handover.db.v1-5.bak"),
    ];
    for file in &unrelated {
        std::fs::write(file, b"keep").unwrap();
    }
    drop(Db::open_with(&path, &with_extra(&["CREATE TABLE e1 (x);"])).unwrap());
    let kept: Vec<i64> = backups(&path).unwrap().iter().map(|(ms, _)| *ms).collect();
    assert_eq!(kept.len(), BACKUPS_KEPT);
    assert_eq!(kept[..2], [3_000, 4_000]);
    assert!(kept[2] > 1_600_000_000_000, "the new backup is stamped now");
    std::thread::sleep(Duration::from_millis(5));
    drop(
        Db::open_with(
            &path,
            &with_extra(&["CREATE TABLE e1 (x);", "CREATE TABLE e2 (x);"]),
        )
        .unwrap(),
    );
    let kept: Vec<i64> = backups(&path).unwrap().iter().map(|(ms, _)| *ms).collect();
    assert_eq!(kept.len(), BACKUPS_KEPT);
    assert_eq!(kept[0], 4_000);
    for file in &unrelated {
        assert!(file.exists(), "{}", file.display());
    }
}

#[test]
fn a_newer_database_is_refused_and_left_untouched() {
    let (_dir, path) = temp_db();
    seed(&path);
    let conn = Connection::open(&path).unwrap();
    conn.pragma_update(None, "user_version", SCHEMA_VERSION as i64 + 7)
        .unwrap();
    conn.close().unwrap();
    let bytes = std::fs::read(&path).unwrap();
    let err = Db::open(&path).unwrap_err();
    match &err {
        StoreError::NewerDatabase {
            found,
            known,
            path: p,
        } => {
            assert_eq!((*found, *known), (SCHEMA_VERSION + 7, SCHEMA_VERSION));
            assert_eq!(p, &path);
        }
        other => panic!("expected NewerDatabase, got {other:?}"),
    }
    let message = err.to_string();
    assert!(message.contains("newer Handover"), "{message}");
    assert!(message.contains("--db PATH"), "{message}");
    assert_eq!(std::fs::read(&path).unwrap(), bytes);
    assert_eq!(backups(&path).unwrap(), vec![]);
    // The handle reports the same refusal.
    assert!(matches!(
        Store::open(&path),
        Err(StoreError::NewerDatabase { .. })
    ));
    assert_eq!(std::fs::read(&path).unwrap(), bytes);
}

#[tokio::test]
async fn the_store_runs_jobs_from_async_code() {
    let (_dir, path) = temp_db();
    let store = Store::open(&path).unwrap();
    assert_eq!(store.path(), path);
    let handle = store.clone();
    let id = handle
        .run(|db| Ok(db.create_project(&full_spec("Async"), 1_000)?.id))
        .await
        .unwrap();
    let name = store
        .run(move |db| Ok(db.project(id)?.spec.name))
        .await
        .unwrap();
    assert_eq!(name, "Async");
    let missing = store.run(|db| db.project(999)).await;
    assert!(matches!(missing, Err(StoreError::NotFound { .. })));
}

#[test]
fn the_store_runs_jobs_blocking_and_survives_a_panicking_job() {
    let store = Store::open_in_memory().unwrap();
    assert_eq!(store.path(), Path::new(":memory:"));
    store
        .run_blocking(|db| db.create_project(&full_spec("Blocking"), 1_000))
        .unwrap();
    let err = store
        .run_blocking(|db| -> Result<(), StoreError> {
            // Begin a write, then panic half-way through it.
            db.conn
                .execute_batch("BEGIN IMMEDIATE; DELETE FROM projects;")?;
            panic!("boom");
        })
        .unwrap_err();
    assert!(
        matches!(&err, StoreError::Panicked(m) if m == "boom"),
        "{err:?}"
    );
    let names = store
        .run_blocking(|db| {
            Ok(db
                .projects()?
                .into_iter()
                .map(|p| p.spec.name)
                .collect::<Vec<_>>())
        })
        .unwrap();
    assert_eq!(
        names,
        ["Blocking"],
        "the panicking job's write was rolled back"
    );
}

#[test]
fn the_store_thread_ends_with_the_last_handle() {
    let (_dir, path) = temp_db();
    let store = Store::open(&path).unwrap();
    let other = store.clone();
    store
        .run_blocking(|db| db.create_project(&full_spec("T"), 1))
        .unwrap();
    let wal = path.with_file_name("handover.db-wal");
    assert!(wal.exists());
    drop(store);
    // Still open through the clone.
    other.run_blocking(|db| db.projects()).unwrap();
    drop(other);
    // Closing the last connection checkpoints and removes the WAL file.
    let deadline = Instant::now() + Duration::from_secs(5);
    while wal.exists() {
        assert!(
            Instant::now() < deadline,
            "the store thread did not close the database"
        );
        std::thread::sleep(Duration::from_millis(10));
    }
}

#[test]
fn open_errors_are_reported() {
    let (dir, _) = temp_db();
    let not_a_db = dir.path().join("junk.db");
    std::fs::write(&not_a_db, vec![7u8; 4096]).unwrap();
    assert!(matches!(Db::open(&not_a_db), Err(StoreError::Sqlite(_))));
    assert!(matches!(Store::open(&not_a_db), Err(StoreError::Sqlite(_))));
    let blocked = dir.path().join("file");
    std::fs::write(&blocked, b"").unwrap();
    assert!(matches!(
        Db::open(&blocked.join("handover.db")),
        Err(StoreError::CreateDir { .. })
    ));
}
