//! Account queries: create, update, read, list and delete the accounts a
//! project depends on, and find the keychain references of their credentials.
//!
//! The database holds only what is known *about* a credential (its kind,
//! label, times and the uids that name its keychain entry); the secret lives
//! in the OS keychain. Writing credentials is in `credentials.rs`.

use handover_model::{Account, AccountSpec, Credential, CredentialKind, ServiceKind};
use rusqlite::types::Type;
use rusqlite::{params, Connection, OptionalExtension};

use super::projects::{project_not_found, require_project};
use super::{Db, StoreError};

/// Where one credential's secret lives in the keychain.
///
/// The three uids are random, fixed for the life of their rows, and never
/// reused, so a keychain entry named after them cannot be mistaken for
/// another credential's, even across deleted and recreated projects.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CredentialRef {
    /// The credential's database id; `0` for a reservation not yet inserted
    /// (see [`Db::reserve_credential`]).
    pub id: i64,
    /// The uid of the project the account belongs to.
    pub project_uid: String,
    /// The uid of the account the credential belongs to.
    pub account_uid: String,
    /// The credential's own uid.
    pub credential_uid: String,
    /// What the secret is.
    pub kind: CredentialKind,
}

/// The error for an account id that does not exist.
pub(crate) fn account_not_found(id: i64) -> StoreError {
    StoreError::NotFound {
        what: "account",
        id: id.to_string(),
    }
}

/// The error for a credential id that does not exist.
pub(crate) fn credential_not_found(id: i64) -> StoreError {
    StoreError::NotFound {
        what: "credential",
        id: id.to_string(),
    }
}

/// Parses the credential kind in column `column`.
fn credential_kind(row: &rusqlite::Row<'_>, column: usize) -> rusqlite::Result<CredentialKind> {
    let kind: String = row.get(column)?;
    CredentialKind::parse(&kind).ok_or_else(|| {
        rusqlite::Error::FromSqlConversionFailure(
            column,
            Type::Text,
            format!("unknown credential kind {kind:?}").into(),
        )
    })
}

/// The `credentials` columns [`read_credential`] expects, in order.
pub(crate) const CREDENTIAL_COLUMNS: &str = "id, account_id, kind, label, created_ms, changed_ms";

/// Reads a `credentials` row selected with [`CREDENTIAL_COLUMNS`].
pub(crate) fn read_credential(row: &rusqlite::Row<'_>) -> rusqlite::Result<Credential> {
    Ok(Credential {
        id: row.get(0)?,
        account_id: row.get(1)?,
        kind: credential_kind(row, 2)?,
        label: row.get(3)?,
        created_ms: row.get(4)?,
        changed_ms: row.get(5)?,
    })
}

/// Selects credential references; append a `WHERE` clause.
const REF_SELECT: &str = "SELECT c.id, p.uid, a.uid, c.uid, c.kind FROM credentials c \
                          JOIN accounts a ON a.id = c.account_id \
                          JOIN projects p ON p.id = a.project_id";

/// Reads a row selected with [`REF_SELECT`].
fn read_ref(row: &rusqlite::Row<'_>) -> rusqlite::Result<CredentialRef> {
    Ok(CredentialRef {
        id: row.get(0)?,
        project_uid: row.get(1)?,
        account_uid: row.get(2)?,
        credential_uid: row.get(3)?,
        kind: credential_kind(row, 4)?,
    })
}

/// The references of the credentials matching `condition` (on `c`, `a`, `p`), by id.
fn refs_where(
    conn: &Connection,
    condition: &str,
    id: i64,
) -> Result<Vec<CredentialRef>, StoreError> {
    let refs = conn
        .prepare(&format!("{REF_SELECT} WHERE {condition} ORDER BY c.id"))?
        .query_map([id], read_ref)?
        .collect::<Result<Vec<_>, _>>()?;
    Ok(refs)
}

/// The reference of credential `id`.
pub(crate) fn load_ref(conn: &Connection, id: i64) -> Result<CredentialRef, StoreError> {
    refs_where(conn, "c.id = ?1", id)?
        .pop()
        .ok_or_else(|| credential_not_found(id))
}

/// The credentials of account `account_id`, by id.
fn load_credentials(conn: &Connection, account_id: i64) -> Result<Vec<Credential>, StoreError> {
    let credentials = conn
        .prepare(&format!(
            "SELECT {CREDENTIAL_COLUMNS} FROM credentials WHERE account_id = ?1 ORDER BY id"
        ))?
        .query_map([account_id], read_credential)?
        .collect::<Result<Vec<_>, _>>()?;
    Ok(credentials)
}

/// The `accounts` columns [`read_account`] expects, in order.
const ACCOUNT_COLUMNS: &str = "id, project_id, spec, created_ms, updated_ms";

/// An `accounts` row as stored, before its spec is decoded.
struct Row {
    id: i64,
    project_id: i64,
    spec: String,
    created_ms: i64,
    updated_ms: i64,
}

/// Reads an `accounts` row selected with [`ACCOUNT_COLUMNS`].
fn read_account(row: &rusqlite::Row<'_>) -> rusqlite::Result<Row> {
    Ok(Row {
        id: row.get(0)?,
        project_id: row.get(1)?,
        spec: row.get(2)?,
        created_ms: row.get(3)?,
        updated_ms: row.get(4)?,
    })
}

impl Row {
    /// Decodes the spec and loads the credentials.
    fn into_account(self, conn: &Connection) -> Result<Account, StoreError> {
        Ok(Account {
            id: self.id,
            project_id: self.project_id,
            spec: serde_json::from_str(&self.spec)?,
            credentials: load_credentials(conn, self.id)?,
            created_ms: self.created_ms,
            updated_ms: self.updated_ms,
        })
    }
}

/// Reads account `id` with its credentials.
fn load_account(conn: &Connection, id: i64) -> Result<Account, StoreError> {
    conn.query_row(
        &format!("SELECT {ACCOUNT_COLUMNS} FROM accounts WHERE id = ?1"),
        [id],
        read_account,
    )
    .optional()?
    .ok_or_else(|| account_not_found(id))?
    .into_account(conn)
}

/// Where `kind` comes in [`ServiceKind::ALL`] (page order).
fn kind_rank(kind: ServiceKind) -> usize {
    ServiceKind::ALL
        .iter()
        .position(|k| *k == kind)
        .unwrap_or(ServiceKind::ALL.len())
}

impl Db {
    /// Stores a new account for project `project_id`, with a fresh random
    /// [uid](Db::account_uid) and no credentials.
    pub fn create_account(
        &mut self,
        project_id: i64,
        spec: &AccountSpec,
        now_ms: i64,
    ) -> Result<Account, StoreError> {
        let json = serde_json::to_string(spec)?;
        let tx = self.conn.transaction()?;
        require_project(&tx, project_id)?;
        tx.execute(
            "INSERT INTO accounts (project_id, uid, kind, spec, created_ms, updated_ms) \
             VALUES (?1, lower(hex(randomblob(16))), ?2, ?3, ?4, ?4)",
            params![project_id, spec.kind.as_str(), json, now_ms],
        )?;
        let id = tx.last_insert_rowid();
        tx.commit()?;
        Ok(Account {
            id,
            project_id,
            spec: spec.clone(),
            credentials: Vec::new(),
            created_ms: now_ms,
            updated_ms: now_ms,
        })
    }

    /// Replaces account `id`'s spec, keeping its project, uid, creation time
    /// and credentials.
    pub fn update_account(
        &mut self,
        id: i64,
        spec: &AccountSpec,
        now_ms: i64,
    ) -> Result<Account, StoreError> {
        let json = serde_json::to_string(spec)?;
        let tx = self.conn.transaction()?;
        let updated = tx.execute(
            "UPDATE accounts SET kind = ?2, spec = ?3, updated_ms = ?4 WHERE id = ?1",
            params![id, spec.kind.as_str(), json, now_ms],
        )?;
        if updated == 0 {
            return Err(account_not_found(id));
        }
        let account = load_account(&tx, id)?;
        tx.commit()?;
        Ok(account)
    }

    /// Reads account `id` with its credentials, by credential id.
    pub fn account(&self, id: i64) -> Result<Account, StoreError> {
        load_account(&self.conn, id)
    }

    /// The accounts of project `project_id`, each with its credentials: by
    /// kind in [`ServiceKind::ALL`] order, then by provider ignoring case,
    /// then by id.
    pub fn accounts(&self, project_id: i64) -> Result<Vec<Account>, StoreError> {
        require_project(&self.conn, project_id)?;
        let rows = self
            .conn
            .prepare(&format!(
                "SELECT {ACCOUNT_COLUMNS} FROM accounts WHERE project_id = ?1"
            ))?
            .query_map([project_id], read_account)?
            .collect::<Result<Vec<_>, _>>()?;
        let mut accounts = rows
            .into_iter()
            .map(|row| row.into_account(&self.conn))
            .collect::<Result<Vec<_>, _>>()?;
        accounts
            .sort_by_cached_key(|a| (kind_rank(a.spec.kind), a.spec.provider.to_lowercase(), a.id));
        Ok(accounts)
    }

    /// Account `id`'s uid: 32 lowercase hex characters, random, set when the
    /// account was created and never changed. Keychain entries are named after it.
    pub fn account_uid(&self, id: i64) -> Result<String, StoreError> {
        self.conn
            .query_row("SELECT uid FROM accounts WHERE id = ?1", [id], |row| {
                row.get(0)
            })
            .optional()?
            .ok_or_else(|| account_not_found(id))
    }

    /// The project account `id` belongs to.
    pub fn account_project(&self, id: i64) -> Result<i64, StoreError> {
        self.conn
            .query_row(
                "SELECT project_id FROM accounts WHERE id = ?1",
                [id],
                |row| row.get(0),
            )
            .optional()?
            .ok_or_else(|| account_not_found(id))
    }

    /// Deletes account `id` with its credentials' rows, answering the
    /// keychain references those credentials had (by id) so the caller can
    /// delete the entries.
    pub fn delete_account(&mut self, id: i64) -> Result<Vec<CredentialRef>, StoreError> {
        let tx = self.conn.transaction()?;
        let refs = refs_where(&tx, "c.account_id = ?1", id)?;
        if tx.execute("DELETE FROM accounts WHERE id = ?1", [id])? == 0 {
            return Err(account_not_found(id));
        }
        tx.commit()?;
        Ok(refs)
    }

    /// The keychain reference of credential `credential_id`.
    pub fn credential_ref(&self, credential_id: i64) -> Result<CredentialRef, StoreError> {
        load_ref(&self.conn, credential_id)
    }

    /// The keychain references of every credential of every account of
    /// project `project_id`, by credential id.
    pub fn credential_refs_of_project(
        &self,
        project_id: i64,
    ) -> Result<Vec<CredentialRef>, StoreError> {
        require_project(&self.conn, project_id)?;
        refs_where(&self.conn, "a.project_id = ?1", project_id)
    }

    /// [`Db::delete_project`], answering (in the same transaction) the
    /// keychain references of the credentials the project had, by id, so the
    /// caller can delete those entries once the rows are gone.
    pub fn delete_project_returning_refs(
        &mut self,
        project_id: i64,
    ) -> Result<Vec<CredentialRef>, StoreError> {
        let tx = self.conn.transaction()?;
        let refs = refs_where(&tx, "a.project_id = ?1", project_id)?;
        if tx.execute("DELETE FROM projects WHERE id = ?1", [project_id])? == 0 {
            return Err(project_not_found(project_id));
        }
        tx.commit()?;
        Ok(refs)
    }
}
