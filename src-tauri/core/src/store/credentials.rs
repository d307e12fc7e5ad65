//! Writing credential metadata, in two phases so the database never claims a
//! secret the keychain lacks:
//!
//! 1. [`Db::reserve_credential`] picks the new credential's uid and answers
//!    its [`CredentialRef`] without writing anything;
//! 2. the caller writes the secret to the keychain under that reference;
//! 3. only if that succeeded, [`Db::insert_credential`] records the row.
//!
//! A failure between the steps leaves at worst an orphaned keychain entry,
//! never a row pointing at nothing. Rotating a secret rewrites the keychain
//! entry first and then calls [`Db::touch_credential`]; deleting removes the
//! row with [`Db::delete_credential`] and then the entry it answers.

use handover_model::{Credential, CredentialKind};
use rusqlite::{params, Connection, OptionalExtension};

use super::accounts::{
    account_not_found, credential_not_found, load_ref, read_credential, CredentialRef,
    CREDENTIAL_COLUMNS,
};
use super::{Db, StoreError};

/// The uids of account `account_id` and of its project.
fn account_uids(conn: &Connection, account_id: i64) -> Result<(String, String), StoreError> {
    conn.query_row(
        "SELECT p.uid, a.uid FROM accounts a JOIN projects p ON p.id = a.project_id \
         WHERE a.id = ?1",
        [account_id],
        |row| Ok((row.get(0)?, row.get(1)?)),
    )
    .optional()?
    .ok_or_else(|| account_not_found(account_id))
}

/// Marks account `account_id` as edited at `now_ms`.
fn bump_account(conn: &Connection, account_id: i64, now_ms: i64) -> Result<(), StoreError> {
    conn.execute(
        "UPDATE accounts SET updated_ms = ?2 WHERE id = ?1",
        params![account_id, now_ms],
    )?;
    Ok(())
}

/// Reads credential `id`.
fn load_credential(conn: &Connection, id: i64) -> Result<Credential, StoreError> {
    conn.query_row(
        &format!("SELECT {CREDENTIAL_COLUMNS} FROM credentials WHERE id = ?1"),
        [id],
        read_credential,
    )
    .optional()?
    .ok_or_else(|| credential_not_found(id))
}

impl Db {
    /// Phase one of storing a new credential for account `account_id`: picks
    /// a fresh random uid (32 lowercase hex characters) and answers the
    /// keychain reference, with `id` 0, **without writing anything**. Write
    /// the secret under it, then call [`Db::insert_credential`].
    ///
    /// `label` and `now_ms` are not needed yet; they are taken so both
    /// phases read alike.
    pub fn reserve_credential(
        &mut self,
        account_id: i64,
        kind: CredentialKind,
        label: &str,
        now_ms: i64,
    ) -> Result<CredentialRef, StoreError> {
        let _ = (label, now_ms);
        let (project_uid, account_uid) = account_uids(&self.conn, account_id)?;
        let credential_uid: String =
            self.conn
                .query_row("SELECT lower(hex(randomblob(16)))", [], |row| row.get(0))?;
        Ok(CredentialRef {
            id: 0,
            project_uid,
            account_uid,
            credential_uid,
            kind,
        })
    }

    /// Phase two: records the credential reserved as `reserved` once its
    /// secret is in the keychain, and marks the account edited at `now_ms`.
    ///
    /// Fails with [`StoreError::ForeignReservation`] if `reserved` was not
    /// made for this account (and project); the database then holds no row
    /// for it, so the caller should delete the keychain entry it wrote.
    pub fn insert_credential(
        &mut self,
        account_id: i64,
        reserved: &CredentialRef,
        label: &str,
        now_ms: i64,
    ) -> Result<Credential, StoreError> {
        let tx = self.conn.transaction()?;
        let (project_uid, account_uid) = account_uids(&tx, account_id)?;
        if reserved.project_uid != project_uid || reserved.account_uid != account_uid {
            return Err(StoreError::ForeignReservation {
                uid: reserved.credential_uid.clone(),
                account_id,
            });
        }
        tx.execute(
            "INSERT INTO credentials (account_id, uid, kind, label, created_ms, changed_ms) \
             VALUES (?1, ?2, ?3, ?4, ?5, ?5)",
            params![
                account_id,
                reserved.credential_uid,
                reserved.kind.as_str(),
                label,
                now_ms
            ],
        )?;
        let id = tx.last_insert_rowid();
        bump_account(&tx, account_id, now_ms)?;
        tx.commit()?;
        Ok(Credential {
            id,
            account_id,
            kind: reserved.kind,
            label: label.to_owned(),
            created_ms: now_ms,
            changed_ms: now_ms,
        })
    }

    /// Records that credential `credential_id`'s secret was rewritten in the
    /// keychain (a rotation) at `now_ms`, and sets its label. Its uid, kind
    /// and creation time stay; the account is marked edited at `now_ms`.
    pub fn touch_credential(
        &mut self,
        credential_id: i64,
        label: &str,
        now_ms: i64,
    ) -> Result<Credential, StoreError> {
        let tx = self.conn.transaction()?;
        let updated = tx.execute(
            "UPDATE credentials SET label = ?2, changed_ms = ?3 WHERE id = ?1",
            params![credential_id, label, now_ms],
        )?;
        if updated == 0 {
            return Err(credential_not_found(credential_id));
        }
        let credential = load_credential(&tx, credential_id)?;
        bump_account(&tx, credential.account_id, now_ms)?;
        tx.commit()?;
        Ok(credential)
    }

    /// Deletes credential `credential_id`'s row and answers its keychain
    /// reference, so the caller can delete the entry. The account's
    /// `updated_ms` is left alone (no time is passed in).
    pub fn delete_credential(&mut self, credential_id: i64) -> Result<CredentialRef, StoreError> {
        let tx = self.conn.transaction()?;
        let reference = load_ref(&tx, credential_id)?;
        tx.execute("DELETE FROM credentials WHERE id = ?1", [credential_id])?;
        tx.commit()?;
        Ok(reference)
    }
}
