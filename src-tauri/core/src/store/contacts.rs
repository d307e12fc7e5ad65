//! Alert contact queries: create, update, delete, read and list.

use handover_model::{Contact, ContactSpec};
use rusqlite::{params, Connection, OptionalExtension};

use super::projects::require_project;
use super::{Db, StoreError};

/// The error for a contact id that does not exist.
fn contact_not_found(id: i64) -> StoreError {
    StoreError::NotFound {
        what: "contact",
        id: id.to_string(),
    }
}

/// Decodes a row selected as `id, project_id, spec`.
fn decode((id, project_id, spec): (i64, i64, String)) -> Result<Contact, StoreError> {
    Ok(Contact {
        id,
        project_id,
        spec: serde_json::from_str(&spec)?,
    })
}

/// Reads contact `id`.
fn load_contact(conn: &Connection, id: i64) -> Result<Contact, StoreError> {
    let row = conn
        .query_row(
            "SELECT id, project_id, spec FROM contacts WHERE id = ?1",
            [id],
            |row| Ok((row.get(0)?, row.get(1)?, row.get(2)?)),
        )
        .optional()?
        .ok_or_else(|| contact_not_found(id))?;
    decode(row)
}

impl Db {
    /// Stores a new alert contact for project `project_id`.
    pub fn create_contact(
        &mut self,
        project_id: i64,
        spec: &ContactSpec,
        now_ms: i64,
    ) -> Result<Contact, StoreError> {
        let json = serde_json::to_string(spec)?;
        let tx = self.conn.transaction()?;
        require_project(&tx, project_id)?;
        tx.execute(
            "INSERT INTO contacts (project_id, spec, created_ms, updated_ms) \
             VALUES (?1, ?2, ?3, ?3)",
            params![project_id, json, now_ms],
        )?;
        let id = tx.last_insert_rowid();
        tx.commit()?;
        Ok(Contact {
            id,
            project_id,
            spec: spec.clone(),
        })
    }

    /// Replaces contact `id`'s spec, keeping its project.
    pub fn update_contact(
        &mut self,
        id: i64,
        spec: &ContactSpec,
        now_ms: i64,
    ) -> Result<Contact, StoreError> {
        let json = serde_json::to_string(spec)?;
        let tx = self.conn.transaction()?;
        let updated = tx.execute(
            "UPDATE contacts SET spec = ?2, updated_ms = ?3 WHERE id = ?1",
            params![id, json, now_ms],
        )?;
        if updated == 0 {
            return Err(contact_not_found(id));
        }
        let contact = load_contact(&tx, id)?;
        tx.commit()?;
        Ok(contact)
    }

    /// Deletes contact `id`.
    pub fn delete_contact(&mut self, id: i64) -> Result<(), StoreError> {
        if self
            .conn
            .execute("DELETE FROM contacts WHERE id = ?1", [id])?
            == 0
        {
            return Err(contact_not_found(id));
        }
        Ok(())
    }

    /// Reads contact `id`.
    pub fn contact(&self, id: i64) -> Result<Contact, StoreError> {
        load_contact(&self.conn, id)
    }

    /// The alert contacts of project `project_id`, by name ignoring case, then by id.
    pub fn contacts(&self, project_id: i64) -> Result<Vec<Contact>, StoreError> {
        require_project(&self.conn, project_id)?;
        let rows = self
            .conn
            .prepare("SELECT id, project_id, spec FROM contacts WHERE project_id = ?1")?
            .query_map([project_id], |row| {
                Ok((row.get(0)?, row.get(1)?, row.get(2)?))
            })?
            .collect::<Result<Vec<_>, _>>()?;
        let mut contacts = rows
            .into_iter()
            .map(decode)
            .collect::<Result<Vec<_>, _>>()?;
        contacts.sort_by_cached_key(|c| (c.spec.name.to_lowercase(), c.id));
        Ok(contacts)
    }
}
