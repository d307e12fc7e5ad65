//! The schema's migrations and how a database file is opened: pragmas, the
//! newer-schema guard, the pre-upgrade backup and the upgrade itself.

use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use rusqlite::backup::{Backup, StepResult};
use std::sync::LazyLock;

use rusqlite::{Connection, Transaction, TransactionBehavior};
use rusqlite_migration::{HookError, Migrations, M};

use super::{now_ms, StoreError};

/// How long a statement waits for another connection's lock before failing.
const BUSY_TIMEOUT: Duration = Duration::from_secs(5);

/// How many pre-upgrade backups are kept next to the database.
pub(crate) const BACKUPS_KEPT: usize = 3;

/// Version 1: projects, item states, append-only item history, positions.
const V1: &str = r#"
CREATE TABLE projects (
    id INTEGER PRIMARY KEY,
    name TEXT NOT NULL,
    apex TEXT NOT NULL,
    spec TEXT NOT NULL CHECK (json_valid(spec)),
    created_ms INTEGER NOT NULL,
    updated_ms INTEGER NOT NULL
);
CREATE UNIQUE INDEX projects_name ON projects (name COLLATE NOCASE);
CREATE INDEX projects_updated ON projects (updated_ms);

CREATE TABLE item_states (
    project_id INTEGER NOT NULL REFERENCES projects (id) ON DELETE CASCADE,
    item_id TEXT NOT NULL,
    status TEXT NOT NULL
        CHECK (status IN ('todo', 'pass', 'fail', 'waived', 'not_applicable')),
    waiver_reason TEXT NOT NULL DEFAULT '',
    owner TEXT NOT NULL DEFAULT '',
    notes TEXT NOT NULL DEFAULT '',
    evidence TEXT NOT NULL DEFAULT '[]' CHECK (json_valid(evidence)),
    updated_ms INTEGER NOT NULL,
    updated_by TEXT NOT NULL,
    PRIMARY KEY (project_id, item_id)
) WITHOUT ROWID;

CREATE TABLE item_history (
    id INTEGER PRIMARY KEY,
    project_id INTEGER NOT NULL REFERENCES projects (id) ON DELETE CASCADE,
    item_id TEXT NOT NULL,
    field TEXT NOT NULL,
    old TEXT NOT NULL,
    new TEXT NOT NULL,
    actor TEXT NOT NULL,
    created_ms INTEGER NOT NULL
);
CREATE INDEX item_history_item ON item_history (project_id, item_id, created_ms);
CREATE INDEX item_history_created ON item_history (created_ms);

-- History is append-only. The cascade from deleting a project runs after
-- the project row is gone, which is what lets it (and only it) through.
CREATE TRIGGER item_history_no_update BEFORE UPDATE ON item_history
BEGIN
    SELECT RAISE(ABORT, 'item history is append-only');
END;
CREATE TRIGGER item_history_no_delete BEFORE DELETE ON item_history
WHEN EXISTS (SELECT 1 FROM projects WHERE id = OLD.project_id)
BEGIN
    SELECT RAISE(ABORT, 'item history is append-only');
END;

CREATE TABLE positions (
    project_id INTEGER PRIMARY KEY REFERENCES projects (id) ON DELETE CASCADE,
    stage_id TEXT NOT NULL,
    item_id TEXT NOT NULL,
    updated_ms INTEGER NOT NULL
);
CREATE INDEX positions_updated ON positions (updated_ms);
"#;

/// Version 2: accounts, the metadata of their keychain credentials, alert
/// contacts, and a stable random `uid` per project. The uids name keychain
/// entries, so they are set once (on insert) and can never change. No
/// column holds a secret: the keychain does.
const V2: &str = r#"
ALTER TABLE projects ADD COLUMN uid TEXT;
UPDATE projects SET uid = lower(hex(randomblob(16))) WHERE uid IS NULL;
CREATE UNIQUE INDEX projects_uid ON projects (uid);

CREATE TABLE accounts (
    id INTEGER PRIMARY KEY,
    project_id INTEGER NOT NULL REFERENCES projects (id) ON DELETE CASCADE,
    uid TEXT NOT NULL UNIQUE,
    kind TEXT NOT NULL,
    spec TEXT NOT NULL CHECK (json_valid(spec)),
    created_ms INTEGER NOT NULL,
    updated_ms INTEGER NOT NULL
);
CREATE INDEX accounts_project ON accounts (project_id);

CREATE TABLE credentials (
    id INTEGER PRIMARY KEY,
    account_id INTEGER NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
    uid TEXT NOT NULL UNIQUE,
    kind TEXT NOT NULL CHECK (kind IN ('password', 'api_key', 'recovery_codes', 'other')),
    label TEXT NOT NULL,
    created_ms INTEGER NOT NULL,
    changed_ms INTEGER NOT NULL
);
CREATE INDEX credentials_account ON credentials (account_id);

CREATE TABLE contacts (
    id INTEGER PRIMARY KEY,
    project_id INTEGER NOT NULL REFERENCES projects (id) ON DELETE CASCADE,
    spec TEXT NOT NULL CHECK (json_valid(spec)),
    created_ms INTEGER NOT NULL,
    updated_ms INTEGER NOT NULL
);
CREATE INDEX contacts_project ON contacts (project_id);

-- A project inserted without a uid (by an older code path) gets one at once.
CREATE TRIGGER projects_uid_on_insert AFTER INSERT ON projects
WHEN NEW.uid IS NULL
BEGIN
    UPDATE projects SET uid = lower(hex(randomblob(16))) WHERE id = NEW.id;
END;

-- Uids name keychain entries: once set, they never change.
CREATE TRIGGER projects_uid_fixed BEFORE UPDATE OF uid ON projects
WHEN OLD.uid IS NOT NULL AND NEW.uid IS NOT OLD.uid
BEGIN
    SELECT RAISE(ABORT, 'a project uid never changes');
END;
CREATE TRIGGER accounts_uid_fixed BEFORE UPDATE OF uid ON accounts
WHEN NEW.uid IS NOT OLD.uid
BEGIN
    SELECT RAISE(ABORT, 'an account uid never changes');
END;
CREATE TRIGGER credentials_uid_fixed BEFORE UPDATE OF uid ON credentials
WHEN NEW.uid IS NOT OLD.uid
BEGIN
    SELECT RAISE(ABORT, 'a credential uid never changes');
END;
"#;

/// Version 8: the charted numbers of each run in a narrow table of their
/// own, so the History page's charts read a few short rows per run instead
/// of the findings' JSON. Filled at insert and, for the runs stored
/// before, by the migration's hook. Its rows go with their run.
const V8: &str = r#"
CREATE TABLE chart_points (
    run_id INTEGER NOT NULL REFERENCES runs (id) ON DELETE CASCADE,
    finding_id INTEGER NOT NULL,
    check_id TEXT NOT NULL,
    target TEXT NOT NULL,
    host TEXT NOT NULL,
    port INTEGER,
    severity TEXT NOT NULL
        CHECK (severity IN ('pass', 'info', 'low', 'medium', 'high', 'blocker')),
    title TEXT NOT NULL,
    p95_ms REAL,
    target_ms REAL,
    days_left REAL,
    PRIMARY KEY (run_id, finding_id)
) WITHOUT ROWID;
DROP INDEX findings_charted;
"#;

/// Version 9: each project's secret baseline (fingerprints it chose to
/// ignore, with the rule and place they were taken from and why) and its
/// last secret scan as the Secrets & env page shows it (redacted previews
/// and keyed fingerprints only; never a value).
const V9: &str = r#"
CREATE TABLE secret_ignores (
    project_id INTEGER NOT NULL REFERENCES projects (id) ON DELETE CASCADE,
    fingerprint TEXT NOT NULL CHECK (length(fingerprint) = 32),
    rule TEXT NOT NULL,
    location TEXT NOT NULL,
    reason TEXT NOT NULL,
    created_ms INTEGER NOT NULL,
    PRIMARY KEY (project_id, fingerprint)
) WITHOUT ROWID;

CREATE TABLE secret_scans (
    project_id INTEGER PRIMARY KEY REFERENCES projects (id) ON DELETE CASCADE,
    scanned_ms INTEGER NOT NULL,
    data TEXT NOT NULL CHECK (json_valid(data))
);
"#;

/// Version 10: runs of a project's evaluation set (the report as JSON,
/// answers already redacted and truncated), newest kept per project up to
/// the history's limit.
const V10: &str = r#"
CREATE TABLE eval_runs (
    id INTEGER PRIMARY KEY,
    project_id INTEGER NOT NULL REFERENCES projects (id) ON DELETE CASCADE,
    started_ms INTEGER NOT NULL,
    pass_rate REAL NOT NULL,
    data TEXT NOT NULL CHECK (json_valid(data))
);
CREATE INDEX eval_runs_project ON eval_runs (project_id, started_ms);
"#;

/// Version 11: which project is the demo product's (at most one).
const V11: &str = r#"
ALTER TABLE projects ADD COLUMN demo INTEGER NOT NULL DEFAULT 0 CHECK (demo IN (0, 1));
CREATE UNIQUE INDEX projects_one_demo ON projects (demo) WHERE demo = 1;
"#;

/// The page cache of a connection, KiB.
const CACHE_KIB: i64 = 32 * 1024;

/// Every migration, oldest first; the schema version is the number applied.
/// Version 3: runs of live checks and their findings.
const V3: &str = r#"
CREATE TABLE runs (
    id INTEGER PRIMARY KEY,
    project_id INTEGER REFERENCES projects (id) ON DELETE CASCADE,
    started_ms INTEGER NOT NULL,
    finished_ms INTEGER NOT NULL
);
CREATE INDEX runs_project ON runs (project_id, started_ms);

CREATE TABLE findings (
    id INTEGER PRIMARY KEY,
    run_id INTEGER NOT NULL REFERENCES runs (id) ON DELETE CASCADE,
    check_id TEXT NOT NULL,
    target TEXT NOT NULL,
    severity TEXT NOT NULL
        CHECK (severity IN ('pass', 'info', 'low', 'medium', 'high', 'blocker')),
    title TEXT NOT NULL,
    detail TEXT NOT NULL,
    evidence TEXT NOT NULL CHECK (json_valid(evidence)),
    measured TEXT NOT NULL CHECK (json_valid(measured))
);
CREATE INDEX findings_run ON findings (run_id);
CREATE INDEX findings_check ON findings (check_id);
"#;

/// Version 4: findings keep their outcome (judged or inconclusive, with the
/// cause and reason) and their structured host and port; runs say where
/// they were started and what they checked; items keep why the last run
/// could not judge them.
const V4: &str = r#"
ALTER TABLE findings ADD COLUMN host TEXT NOT NULL DEFAULT '';
ALTER TABLE findings ADD COLUMN port INTEGER;
ALTER TABLE findings ADD COLUMN outcome TEXT NOT NULL DEFAULT 'judged'
    CHECK (outcome IN ('judged', 'inconclusive'));
ALTER TABLE findings ADD COLUMN cause TEXT NOT NULL DEFAULT '';
ALTER TABLE findings ADD COLUMN reason TEXT NOT NULL DEFAULT '';
ALTER TABLE runs ADD COLUMN source TEXT NOT NULL DEFAULT 'window'
    CHECK (source IN ('window', 'cli'));
ALTER TABLE runs ADD COLUMN subject TEXT NOT NULL DEFAULT '';
ALTER TABLE item_states ADD COLUMN could_not_check TEXT NOT NULL DEFAULT '';
CREATE INDEX runs_headless ON runs (started_ms) WHERE project_id IS NULL;
"#;

/// Version 5: the last handover report exported per project (where, in
/// which format and paper, when, how big; never its content).
const V5: &str = r#"
CREATE TABLE report_exports (
    project_id INTEGER PRIMARY KEY REFERENCES projects (id) ON DELETE CASCADE,
    path TEXT NOT NULL,
    format TEXT NOT NULL CHECK (format IN ('pdf', 'md', 'json')),
    paper TEXT NOT NULL CHECK (paper IN ('a4', 'letter')),
    at_ms INTEGER NOT NULL,
    bytes INTEGER NOT NULL CHECK (bytes >= 0)
);
"#;

/// Version 6: weekly rechecks — each project's schedule and when it is
/// next due, the notice keys already sent (so an unchanged finding is never
/// notified twice), and global settings (how long runs are kept).
const V6: &str = r#"
CREATE TABLE schedules (
    project_id INTEGER PRIMARY KEY REFERENCES projects (id) ON DELETE CASCADE,
    enabled INTEGER NOT NULL CHECK (enabled IN (0, 1)),
    weekday INTEGER NOT NULL CHECK (weekday BETWEEN 1 AND 7),
    time TEXT NOT NULL,
    time_zone TEXT NOT NULL,
    next_due_ms INTEGER,
    updated_ms INTEGER NOT NULL
);
CREATE INDEX schedules_due ON schedules (next_due_ms) WHERE enabled = 1;

CREATE TABLE notices_sent (
    project_id INTEGER NOT NULL REFERENCES projects (id) ON DELETE CASCADE,
    key TEXT NOT NULL,
    run_id INTEGER,
    at_ms INTEGER NOT NULL,
    PRIMARY KEY (project_id, key)
) WITHOUT ROWID;

CREATE TABLE settings (
    name TEXT PRIMARY KEY,
    data TEXT NOT NULL
) WITHOUT ROWID;
"#;

/// Version 7: each finding keeps the keys of its fingerprint and of its
/// target (see `history::marks`), so the History page diffs five years of
/// runs from numbers, and its measures without their histograms (what the
/// charts read), filled in for the rows stored before by the migration's
/// hook, in its transaction.
/// The table is rebuilt with the long columns (detail, evidence, measured)
/// last, so reading what a finding is never walks a histogram's overflow
/// pages; a covering index answers a run's marks, another the charted
/// checks of a run (both start with the run, as the one they replace did).
const V7: &str = r#"
CREATE TABLE findings_v7 (
    id INTEGER PRIMARY KEY,
    run_id INTEGER NOT NULL REFERENCES runs (id) ON DELETE CASCADE,
    check_id TEXT NOT NULL,
    target TEXT NOT NULL,
    host TEXT NOT NULL DEFAULT '',
    port INTEGER,
    severity TEXT NOT NULL
        CHECK (severity IN ('pass', 'info', 'low', 'medium', 'high', 'blocker')),
    outcome TEXT NOT NULL DEFAULT 'judged' CHECK (outcome IN ('judged', 'inconclusive')),
    cause TEXT NOT NULL DEFAULT '',
    reason TEXT NOT NULL DEFAULT '',
    title TEXT NOT NULL,
    fp INTEGER,
    tk INTEGER,
    measures TEXT CHECK (json_valid(measures)),
    detail TEXT NOT NULL,
    evidence TEXT NOT NULL CHECK (json_valid(evidence)),
    measured TEXT NOT NULL CHECK (json_valid(measured))
);
INSERT INTO findings_v7 (id, run_id, check_id, target, host, port, severity, outcome, cause,
        reason, title, detail, evidence, measured)
    SELECT id, run_id, check_id, target, host, port, severity, outcome, cause, reason, title,
        detail, evidence, measured
    FROM findings;
DROP TABLE findings;
ALTER TABLE findings_v7 RENAME TO findings;
CREATE INDEX findings_check ON findings (check_id);
CREATE INDEX findings_marks ON findings (run_id, id, fp, tk, severity, outcome, cause);
CREATE INDEX findings_charted ON findings (run_id, check_id);
"#;

/// Every migration, oldest first (versions 7 and 8 fill their new columns
/// in Rust).
pub(crate) static MIGRATIONS: LazyLock<Vec<M<'static>>> = LazyLock::new(|| {
    vec![
        M::up(V1),
        M::up(V2),
        M::up(V3),
        M::up(V4),
        M::up(V5),
        M::up(V6),
        M::up_with_hook(V7, |tx: &Transaction<'_>| {
            super::history::fill_keys(tx).map_err(HookError::from)
        }),
        M::up_with_hook(V8, |tx: &Transaction<'_>| {
            super::charts::fill_chart_points(tx).map_err(HookError::from)
        }),
        M::up(V9),
        M::up(V10),
        M::up(V11),
    ]
});

/// The schema version this build writes (the number of migrations; a
/// test holds them equal).
pub const SCHEMA_VERSION: usize = 11;

/// The schema's migrations, oldest first.
pub fn migrations() -> Migrations<'static> {
    Migrations::from_slice(&MIGRATIONS)
}

/// `PRAGMA user_version`, rejecting the negative values SQLite allows.
pub(crate) fn user_version(conn: &Connection) -> Result<usize, StoreError> {
    let version: i64 = conn.pragma_query_value(None, "user_version", |row| row.get(0))?;
    usize::try_from(version).map_err(|_| StoreError::Migration {
        source: rusqlite_migration::Error::InvalidUserVersion,
        backup: None,
    })
}

/// Opens `path` (or a private in-memory database), sets the pragmas and
/// migrates to the latest schema.
pub(crate) fn open_connection(
    path: Option<&Path>,
    migrations: &Migrations<'_>,
) -> Result<Connection, StoreError> {
    let mut conn = match path {
        Some(path) => {
            if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
                std::fs::create_dir_all(dir).map_err(|source| StoreError::CreateDir {
                    path: dir.to_path_buf(),
                    source,
                })?;
            }
            let conn = Connection::open(path)?;
            // The WAL and shared-memory files SQLite creates later copy these bits.
            crate::paths::owner_only(path).map_err(|source| StoreError::CreateDir {
                path: path.to_path_buf(),
                source,
            })?;
            conn
        }
        None => Connection::open_in_memory()?,
    };
    conn.busy_timeout(BUSY_TIMEOUT)?;

    // Read-only so far: a newer database must not be touched at all, and
    // even switching it to WAL would rewrite its header.
    let found = user_version(&conn)?;
    let pending = migrations
        .pending_migrations(&conn)
        .map_err(|source| StoreError::Migration {
            source,
            backup: None,
        })?;
    let known =
        usize::try_from(i64::try_from(found).unwrap_or(i64::MAX) + i64::from(pending)).unwrap_or(0);
    if found > known {
        return Err(StoreError::NewerDatabase {
            found,
            known,
            path: path.map_or_else(|| PathBuf::from(":memory:"), Path::to_path_buf),
        });
    }

    let _mode: String =
        conn.pragma_update_and_check(None, "journal_mode", "WAL", |row| row.get(0))?;
    conn.pragma_update(None, "foreign_keys", true)?;
    conn.pragma_update(None, "synchronous", "FULL")?;
    // Room for a project's history in memory (the default is 2 MiB, less
    // than five years of a project's marks and chart points): pages are
    // cached as they are read, so a small store costs no more.
    conn.pragma_update(None, "cache_size", CACHE_KIB.saturating_neg())?;
    // Every transaction writes, so take the write lock up front: a deferred
    // transaction that upgrades later can fail with SQLITE_BUSY at once,
    // without waiting out the busy timeout.
    conn.set_transaction_behavior(TransactionBehavior::Immediate);

    if pending <= 0 {
        return Ok(conn);
    }
    let backup = match path {
        Some(path) if found > 0 => Some(back_up(&conn, path, found)?),
        _ => None,
    };
    // rusqlite_migration applies the whole pending set, and the new
    // user_version, in one transaction that rolls back on any error.
    if let Err(source) = migrations.to_latest(&mut conn) {
        // Another process may have migrated between our read and our write.
        if user_version(&conn)? == known {
            return Ok(conn);
        }
        return Err(StoreError::Migration { source, backup });
    }
    Ok(conn)
}

/// Copies the database (online backup API) to `<name>.v<version>-<unix_ms>.bak`
/// beside it, then prunes old backups. Returns the backup's path.
fn back_up(conn: &Connection, path: &Path, version: usize) -> Result<PathBuf, StoreError> {
    let name = file_name(path);
    let target = path.with_file_name(format!("{name}.v{version}-{}.bak", now_ms()));
    copy_to(conn, &target).map_err(|source| StoreError::Backup {
        path: target.clone(),
        source,
    })?;
    // Pruning is housekeeping: a backup that cannot be removed only costs disk space.
    let _ = prune_backups(path);
    Ok(target)
}

/// Runs an online backup of `conn`'s main database into `target`.
fn copy_to(conn: &Connection, target: &Path) -> rusqlite::Result<()> {
    let mut dest = Connection::open(target)?;
    // A backup holds everything the database does: owner only.
    crate::paths::owner_only(target).map_err(|e| {
        rusqlite::Error::SqliteFailure(
            rusqlite::ffi::Error::new(rusqlite::ffi::SQLITE_CANTOPEN),
            Some(format!("cannot restrict {}: {e}", target.display())),
        )
    })?;
    let deadline = Instant::now() + BUSY_TIMEOUT;
    {
        let backup = Backup::new(conn, &mut dest)?;
        loop {
            // -1 copies every page in one step, so the copy is one consistent snapshot.
            match backup.step(-1)? {
                StepResult::Done => break,
                StepResult::More => {}
                StepResult::Busy | StepResult::Locked if Instant::now() < deadline => {
                    std::thread::sleep(Duration::from_millis(20));
                }
                StepResult::Busy | StepResult::Locked => {
                    return Err(rusqlite::Error::SqliteFailure(
                        rusqlite::ffi::Error::new(rusqlite::ffi::SQLITE_BUSY),
                        Some("the database stayed locked during the backup".into()),
                    ));
                }
                _ => {}
            }
        }
    }
    // A self-contained file: no -wal sibling needed to read it.
    let _mode: String =
        dest.pragma_update_and_check(None, "journal_mode", "DELETE", |row| row.get(0))?;
    dest.close().map_err(|(_, err)| err)
}

/// The database file's name as text (lossy for non-UTF-8 names).
fn file_name(path: &Path) -> String {
    path.file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_else(|| "handover.db".to_owned())
}

/// The pre-upgrade backups of the database at `path`, as (unix ms, path).
pub(crate) fn backups(path: &Path) -> std::io::Result<Vec<(i64, PathBuf)>> {
    let prefix = format!("{}.v", file_name(path));
    let dir = match path.parent().filter(|d| !d.as_os_str().is_empty()) {
        Some(dir) => dir.to_path_buf(),
        None => PathBuf::from("."),
    };
    let mut found = Vec::new();
    for entry in std::fs::read_dir(dir)? {
        let entry = entry?;
        let name = entry.file_name().to_string_lossy().into_owned();
        let stamp = name
            .strip_prefix(&prefix)
            .and_then(|rest| rest.strip_suffix(".bak"))
            .and_then(|rest| rest.split_once('-'))
            .filter(|(version, _)| version.parse::<usize>().is_ok())
            .and_then(|(_, ms)| ms.parse::<i64>().ok());
        if let Some(ms) = stamp {
            found.push((ms, entry.path()));
        }
    }
    found.sort();
    Ok(found)
}

/// Deletes all but the [`BACKUPS_KEPT`] newest backups of the database at `path`.
fn prune_backups(path: &Path) -> std::io::Result<()> {
    let all = backups(path)?;
    let excess = all.len().saturating_sub(BACKUPS_KEPT);
    for (_, old) in &all[..excess] {
        std::fs::remove_file(old)?;
    }
    Ok(())
}
