//! Project queries: create, update, delete, read and list.

use handover_model::{Project, ProjectSpec};
use rusqlite::{params, Connection, OptionalExtension};

use super::{Db, StoreError};

/// A `projects` row as stored, before its spec is decoded.
struct Row {
    id: i64,
    spec: String,
    created_ms: i64,
    updated_ms: i64,
    demo: bool,
}

/// The columns [`Row::read`] reads, in order.
const COLUMNS: &str = "id, spec, created_ms, updated_ms, demo";

impl Row {
    /// Reads the columns of [`COLUMNS`].
    fn read(row: &rusqlite::Row<'_>) -> rusqlite::Result<Row> {
        Ok(Row {
            id: row.get(0)?,
            spec: row.get(1)?,
            created_ms: row.get(2)?,
            updated_ms: row.get(3)?,
            demo: row.get(4)?,
        })
    }

    /// Decodes the spec.
    fn into_project(self) -> Result<Project, StoreError> {
        Ok(Project {
            id: self.id,
            spec: serde_json::from_str(&self.spec)?,
            created_ms: self.created_ms,
            updated_ms: self.updated_ms,
            demo: self.demo,
        })
    }
}

/// The error for a project id that does not exist.
pub(crate) fn project_not_found(id: i64) -> StoreError {
    StoreError::NotFound {
        what: "project",
        id: id.to_string(),
    }
}

/// Fails with [`StoreError::NotFound`] unless project `id` exists.
pub(crate) fn require_project(conn: &Connection, id: i64) -> Result<(), StoreError> {
    let exists: bool = conn.query_row(
        "SELECT EXISTS (SELECT 1 FROM projects WHERE id = ?1)",
        [id],
        |row| row.get(0),
    )?;
    if exists {
        Ok(())
    } else {
        Err(project_not_found(id))
    }
}

/// Whether a project other than `except` is named `name` (ignoring ASCII case).
fn name_taken(conn: &Connection, name: &str, except: Option<i64>) -> Result<bool, StoreError> {
    Ok(conn.query_row(
        "SELECT EXISTS (SELECT 1 FROM projects \
         WHERE name = ?1 COLLATE NOCASE AND (?2 IS NULL OR id <> ?2))",
        params![name, except],
        |row| row.get(0),
    )?)
}

/// Turns a unique-index violation (a name taken by a concurrent writer) into [`StoreError::NameTaken`].
fn name_conflict(err: rusqlite::Error, name: &str) -> StoreError {
    match err.sqlite_error_code() {
        Some(rusqlite::ErrorCode::ConstraintViolation) if err.to_string().contains("name") => {
            StoreError::NameTaken(name.to_owned())
        }
        _ => StoreError::Sqlite(err),
    }
}

impl Db {
    /// Stores a new project with a fresh random [uid](Db::project_uid); fails
    /// with [`StoreError::NameTaken`] if another project has the same name,
    /// ignoring case.
    pub fn create_project(
        &mut self,
        spec: &ProjectSpec,
        now_ms: i64,
    ) -> Result<Project, StoreError> {
        let json = serde_json::to_string(spec)?;
        let tx = self.conn.transaction()?;
        if name_taken(&tx, &spec.name, None)? {
            return Err(StoreError::NameTaken(spec.name.clone()));
        }
        tx.execute(
            "INSERT INTO projects (name, apex, spec, created_ms, updated_ms, uid) \
             VALUES (?1, ?2, ?3, ?4, ?4, lower(hex(randomblob(16))))",
            params![spec.name, spec.apex, json, now_ms],
        )
        .map_err(|err| name_conflict(err, &spec.name))?;
        let id = tx.last_insert_rowid();
        tx.commit()?;
        Ok(Project {
            id,
            spec: spec.clone(),
            created_ms: now_ms,
            updated_ms: now_ms,
            demo: false,
        })
    }

    /// Replaces project `id`'s spec, keeping its creation time.
    pub fn update_project(
        &mut self,
        id: i64,
        spec: &ProjectSpec,
        now_ms: i64,
    ) -> Result<Project, StoreError> {
        let json = serde_json::to_string(spec)?;
        let tx = self.conn.transaction()?;
        let created_ms: i64 = tx
            .query_row(
                "SELECT created_ms FROM projects WHERE id = ?1",
                [id],
                |row| row.get(0),
            )
            .optional()?
            .ok_or_else(|| project_not_found(id))?;
        if name_taken(&tx, &spec.name, Some(id))? {
            return Err(StoreError::NameTaken(spec.name.clone()));
        }
        tx.execute(
            "UPDATE projects SET name = ?2, apex = ?3, spec = ?4, updated_ms = ?5 WHERE id = ?1",
            params![id, spec.name, spec.apex, json, now_ms],
        )
        .map_err(|err| name_conflict(err, &spec.name))?;
        let demo: bool = tx.query_row("SELECT demo FROM projects WHERE id = ?1", [id], |row| {
            row.get(0)
        })?;
        tx.commit()?;
        Ok(Project {
            id,
            spec: spec.clone(),
            created_ms,
            updated_ms: now_ms,
            demo,
        })
    }

    /// Deletes project `id` with its item states, history, position,
    /// accounts, credentials and contacts.
    ///
    /// The keychain entries of its credentials are not the database's to
    /// delete: use [`Db::delete_project_returning_refs`] to learn which they
    /// were, or call [`Db::credential_refs_of_project`] first.
    pub fn delete_project(&mut self, id: i64) -> Result<(), StoreError> {
        let deleted = self
            .conn
            .execute("DELETE FROM projects WHERE id = ?1", [id])?;
        if deleted == 0 {
            return Err(project_not_found(id));
        }
        Ok(())
    }

    /// Project `id`'s uid: 32 lowercase hex characters, random, set when the
    /// project was created (or when the schema was upgraded to version 2)
    /// and never changed. Keychain entries are named after it.
    pub fn project_uid(&self, id: i64) -> Result<String, StoreError> {
        self.conn
            .query_row("SELECT uid FROM projects WHERE id = ?1", [id], |row| {
                row.get(0)
            })
            .optional()?
            .ok_or_else(|| project_not_found(id))
    }

    /// Reads project `id`.
    pub fn project(&self, id: i64) -> Result<Project, StoreError> {
        self.conn
            .query_row(
                &format!("SELECT {COLUMNS} FROM projects WHERE id = ?1"),
                [id],
                Row::read,
            )
            .optional()?
            .ok_or_else(|| project_not_found(id))?
            .into_project()
    }

    /// Every project, most recently changed first.
    pub fn projects(&self) -> Result<Vec<Project>, StoreError> {
        let mut stmt = self.conn.prepare(&format!(
            "SELECT {COLUMNS} FROM projects ORDER BY updated_ms DESC, id DESC"
        ))?;
        let rows = stmt
            .query_map([], Row::read)?
            .collect::<Result<Vec<_>, _>>()?;
        rows.into_iter().map(Row::into_project).collect()
    }

    /// Marks project `id` as the demo product's, unmarking any other.
    pub fn mark_demo(&mut self, id: i64) -> Result<(), StoreError> {
        let tx = self.conn.transaction()?;
        require_project(&tx, id)?;
        tx.execute(
            "UPDATE projects SET demo = 0 WHERE demo = 1 AND id <> ?1",
            [id],
        )?;
        tx.execute("UPDATE projects SET demo = 1 WHERE id = ?1", [id])?;
        tx.commit()?;
        Ok(())
    }

    /// The demo product's project, if there is one.
    pub fn demo_project(&self) -> Result<Option<Project>, StoreError> {
        self.conn
            .query_row(
                &format!("SELECT {COLUMNS} FROM projects WHERE demo = 1"),
                [],
                Row::read,
            )
            .optional()?
            .map(Row::into_project)
            .transpose()
    }

    /// Whether a project other than `except` already uses `name` (ignoring ASCII case).
    pub fn name_taken(&self, name: &str, except: Option<i64>) -> Result<bool, StoreError> {
        name_taken(&self.conn, name, except)
    }
}
