//! The SQLite store: projects, item states, their append-only history,
//! where the walkthrough was left, and the accounts, credential metadata and
//! alert contacts of each project.
//!
//! [`Db`] owns one `rusqlite` connection and does the work synchronously;
//! the CLI and tests use it directly. [`Store`] is the handle the app shares:
//! a dedicated thread owns the [`Db`] and runs the jobs sent to it one at a
//! time, so async callers never block their executor on SQLite.
//!
//! Opening a database brings its schema up to date (see [`migrations`]),
//! backing up an existing database first; a database written by a newer
//! Handover is refused without being touched. Every write is one
//! transaction in WAL mode with `synchronous=FULL`, so a change that was
//! reported committed survives the process being killed.
//!
//! The store enforces only the database's own constraints; validating specs
//! and item ids is the caller's job.
//!
//! No secret is ever written here. Projects, accounts and credentials carry
//! random, immutable uids that name the credentials' OS keychain entries
//! (see [`CredentialRef`]); credential rows are written only after the
//! keychain has the secret (see [`Db::reserve_credential`]).

use std::any::Any;
use std::panic::{catch_unwind, AssertUnwindSafe};
use std::path::{Path, PathBuf};
use std::sync::{mpsc, Arc};
use std::time::{SystemTime, UNIX_EPOCH};

use rusqlite::Connection;
use rusqlite_migration::Migrations;
use tokio::sync::oneshot;

mod accounts;
mod charts;
mod contacts;
mod credentials;
mod evals;
mod history;
mod items;
mod projects;
mod reports;
mod runs;
mod schema;
mod secrets;

#[cfg(test)]
mod accounts_tests;
#[cfg(test)]
mod credentials_tests;
#[cfg(all(test, unix))]
mod durability;
#[cfg(test)]
pub(crate) mod fixtures;
#[cfg(test)]
mod open_tests;
#[cfg(test)]
mod tests;
#[cfg(test)]
mod upgrade_tests;

pub use accounts::CredentialRef;
pub use history::{default_schedule, MarkedRun, DEFAULT_RETENTION_DAYS, RETENTION_SETTING};
pub use runs::{Decision, RunRecord, RUN_ACTOR};
pub use schema::{migrations, SCHEMA_VERSION};

/// Why a store operation failed.
#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    /// The row asked for does not exist.
    #[error("there is no {what} with id {id}")]
    NotFound {
        /// What was looked for, e.g. `project`.
        what: &'static str,
        /// The id that was asked for.
        id: String,
    },
    /// A credential reservation was used with an account it was not made for.
    #[error("the credential reservation {uid} was not made for account {account_id}")]
    ForeignReservation {
        /// The reserved credential uid.
        uid: String,
        /// The account it was offered to.
        account_id: i64,
    },
    /// Another project already uses this name (names are compared case-insensitively).
    #[error("a project named {0:?} already exists")]
    NameTaken(String),
    /// The database's schema is newer than this build knows; it was not modified.
    #[error(
        "this database was written by a newer Handover (schema {found}; this version knows up \
         to {known}). Update Handover, or open another database with --db PATH ({})",
        path.display()
    )]
    NewerDatabase {
        /// The schema version found in the file.
        found: usize,
        /// The newest schema version this build knows.
        known: usize,
        /// The database file.
        path: PathBuf,
    },
    /// Bringing the schema up to date failed; the database was left as it was.
    #[error(
        "cannot upgrade the database schema, so it was left unchanged{}: {source}",
        backup_note(backup.as_deref())
    )]
    Migration {
        /// What the migration reported.
        source: rusqlite_migration::Error,
        /// The backup taken just before, if one was.
        backup: Option<PathBuf>,
    },
    /// SQLite reported an error.
    #[error("database error: {0}")]
    Sqlite(#[from] rusqlite::Error),
    /// The backup taken before a schema upgrade failed, so the upgrade was not attempted.
    #[error("cannot back up the database to {} before upgrading it: {source}", path.display())]
    Backup {
        /// The backup file that could not be written.
        path: PathBuf,
        /// What SQLite said.
        source: rusqlite::Error,
    },
    /// The folder that should hold the database cannot be created.
    #[error("cannot create the folder {} for the database: {source}", path.display())]
    CreateDir {
        /// The folder.
        path: PathBuf,
        /// What the file system said.
        source: std::io::Error,
    },
    /// A stored JSON value (a project spec, evidence links) cannot be encoded or decoded.
    #[error("a stored value is not valid JSON: {0}")]
    Json(#[from] serde_json::Error),
    /// The store thread could not be started.
    #[error("cannot start the store thread: {0}")]
    Spawn(#[source] std::io::Error),
    /// A job panicked; the store rolled back whatever it had begun and keeps running.
    #[error("a store job failed unexpectedly: {0}")]
    Panicked(String),
    /// The store thread is gone, so the job could not run.
    #[error("the store has shut down")]
    Closed,
}

/// The clause naming the backup in [`StoreError::Migration`]'s message.
fn backup_note(backup: Option<&Path>) -> String {
    backup
        .map(|path| format!(" (a backup was saved as {})", path.display()))
        .unwrap_or_default()
}

/// The current time in milliseconds since the Unix epoch (UTC).
pub fn now_ms() -> i64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map(|d| i64::try_from(d.as_millis()).unwrap_or(i64::MAX))
        .unwrap_or(0)
}

/// An open database; every method runs synchronously on the calling thread.
#[derive(Debug)]
pub struct Db {
    conn: Connection,
    path: Option<PathBuf>,
}

impl Db {
    /// Runs raw SQL; tests use it to make the database refuse a write.
    #[cfg(test)]
    pub(crate) fn execute_for_test(&self, sql: &str) -> Result<(), StoreError> {
        Ok(self.conn.execute_batch(sql)?)
    }

    /// Opens (creating if needed) the database at `path` and brings its schema
    /// up to date, backing up an existing database first.
    pub fn open(path: &Path) -> Result<Db, StoreError> {
        Self::open_with(path, &migrations())
    }

    /// Opens a private in-memory database with the current schema (for tests and dry runs).
    pub fn open_in_memory() -> Result<Db, StoreError> {
        let conn = schema::open_connection(None, &migrations())?;
        Ok(Db { conn, path: None })
    }

    /// [`Db::open`] with a chosen migration list, so tests can inject a bad migration.
    pub(crate) fn open_with(path: &Path, migrations: &Migrations<'_>) -> Result<Db, StoreError> {
        let conn = schema::open_connection(Some(path), migrations)?;
        Ok(Db {
            conn,
            path: Some(path.to_path_buf()),
        })
    }

    /// The database file, or `None` for an in-memory database.
    pub fn path(&self) -> Option<&Path> {
        self.path.as_deref()
    }

    /// Runs SQLite's `PRAGMA integrity_check`; answers `ok` when the file is sound.
    pub fn integrity_check(&self) -> Result<String, StoreError> {
        let mut stmt = self.conn.prepare("PRAGMA integrity_check")?;
        let lines = stmt
            .query_map([], |row| row.get::<_, String>(0))?
            .collect::<Result<Vec<_>, _>>()?;
        Ok(lines.join("\n"))
    }

    /// The schema version recorded in the file (`PRAGMA user_version`).
    pub fn schema_version(&self) -> Result<usize, StoreError> {
        schema::user_version(&self.conn)
    }
}

/// A job for the store thread.
type Job = Box<dyn FnOnce(&mut Db) + Send + 'static>;

/// A shareable handle on a [`Db`] owned by a dedicated thread.
///
/// Jobs run one at a time in the order they were sent. The thread ends
/// (closing the database) when the last handle is dropped.
#[derive(Debug, Clone)]
pub struct Store {
    jobs: mpsc::Sender<Job>,
    path: Arc<PathBuf>,
}

impl Store {
    /// Starts the store thread and opens the database at `path` on it,
    /// returning once the open (and any migration) has finished.
    pub fn open(path: &Path) -> Result<Store, StoreError> {
        let owned = path.to_path_buf();
        Self::start(path.to_path_buf(), move || Db::open(&owned))
    }

    /// Starts a store on a private in-memory database; its [`Store::path`] is `:memory:`.
    pub fn open_in_memory() -> Result<Store, StoreError> {
        Self::start(PathBuf::from(":memory:"), Db::open_in_memory)
    }

    /// Spawns the thread, runs `open` on it and waits for the outcome.
    fn start(
        path: PathBuf,
        open: impl FnOnce() -> Result<Db, StoreError> + Send + 'static,
    ) -> Result<Store, StoreError> {
        let (ready_tx, ready_rx) = mpsc::channel::<Result<(), StoreError>>();
        let (jobs, queue) = mpsc::channel::<Job>();
        std::thread::Builder::new()
            .name("handover-store".into())
            .spawn(move || {
                let opened = catch_unwind(AssertUnwindSafe(open))
                    .unwrap_or_else(|payload| Err(StoreError::Panicked(panic_text(&*payload))));
                let mut db = match opened {
                    Ok(db) => db,
                    Err(err) => {
                        let _ = ready_tx.send(Err(err));
                        return;
                    }
                };
                let _ = ready_tx.send(Ok(()));
                while let Ok(job) = queue.recv() {
                    job(&mut db);
                    if !db.conn.is_autocommit() {
                        // A job left a transaction open (it panicked, or forgot
                        // to commit): undo it so later jobs start clean.
                        let _ = db.conn.execute_batch("ROLLBACK");
                    }
                }
            })
            .map_err(StoreError::Spawn)?;
        ready_rx.recv().map_err(|_| StoreError::Closed)??;
        Ok(Store {
            jobs,
            path: Arc::new(path),
        })
    }

    /// The database file this store was opened on.
    pub fn path(&self) -> &Path {
        &self.path
    }

    /// Runs `job` on the store thread and waits for its answer without blocking the executor.
    pub async fn run<T: Send + 'static>(
        &self,
        job: impl FnOnce(&mut Db) -> Result<T, StoreError> + Send + 'static,
    ) -> Result<T, StoreError> {
        let answer = self.submit(job)?;
        answer.await.map_err(|_| StoreError::Closed)?
    }

    /// Runs `job` on the store thread and blocks until it answers (for the CLI).
    ///
    /// # Panics
    /// Panics when called from inside an async runtime; use [`Store::run`] there.
    pub fn run_blocking<T: Send + 'static>(
        &self,
        job: impl FnOnce(&mut Db) -> Result<T, StoreError> + Send + 'static,
    ) -> Result<T, StoreError> {
        let answer = self.submit(job)?;
        answer.blocking_recv().map_err(|_| StoreError::Closed)?
    }

    /// Queues `job`, wrapped so a panic becomes [`StoreError::Panicked`].
    fn submit<T: Send + 'static>(
        &self,
        job: impl FnOnce(&mut Db) -> Result<T, StoreError> + Send + 'static,
    ) -> Result<oneshot::Receiver<Result<T, StoreError>>, StoreError> {
        let (answer_tx, answer_rx) = oneshot::channel();
        let wrapped: Job = Box::new(move |db: &mut Db| {
            let result = catch_unwind(AssertUnwindSafe(|| job(db)))
                .unwrap_or_else(|payload| Err(StoreError::Panicked(panic_text(&*payload))));
            // The caller may have stopped waiting; that is fine.
            let _ = answer_tx.send(result);
        });
        self.jobs.send(wrapped).map_err(|_| StoreError::Closed)?;
        Ok(answer_rx)
    }
}

/// The message of a panic payload, when it has one.
fn panic_text(payload: &(dyn Any + Send)) -> String {
    if let Some(text) = payload.downcast_ref::<&str>() {
        (*text).to_owned()
    } else if let Some(text) = payload.downcast_ref::<String>() {
        text.clone()
    } else {
        "panic without a message".to_owned()
    }
}
