//! Item queries: states, their history, and where the walkthrough was left.

use handover_model::{HistoryEntry, ItemState, ItemStatus, Position};
use rusqlite::types::Type;
use rusqlite::{params, Connection, OptionalExtension};

use super::projects::require_project;
use super::{Db, StoreError};

/// The `item_states` columns [`read_item`] expects, in order.
const ITEM_COLUMNS: &str =
    "item_id, status, waiver_reason, owner, notes, evidence, updated_ms, updated_by, could_not_check";

/// Reads an `item_states` row selected with [`ITEM_COLUMNS`].
fn read_item(row: &rusqlite::Row<'_>) -> rusqlite::Result<ItemState> {
    let status: String = row.get(1)?;
    let status = ItemStatus::parse(&status).ok_or_else(|| {
        rusqlite::Error::FromSqlConversionFailure(
            1,
            Type::Text,
            format!("unknown item status {status:?}").into(),
        )
    })?;
    let evidence: String = row.get(5)?;
    let evidence = serde_json::from_str(&evidence)
        .map_err(|err| rusqlite::Error::FromSqlConversionFailure(5, Type::Text, Box::new(err)))?;
    Ok(ItemState {
        item_id: row.get(0)?,
        status,
        waiver_reason: row.get(2)?,
        owner: row.get(3)?,
        notes: row.get(4)?,
        evidence,
        updated_ms: Some(row.get(6)?),
        updated_by: row.get(7)?,
        could_not_check: row.get(8)?,
    })
}

/// The stored state of one item, if it was ever set.
fn load_item(
    conn: &Connection,
    project_id: i64,
    item_id: &str,
) -> Result<Option<ItemState>, StoreError> {
    Ok(conn
        .query_row(
            &format!(
                "SELECT {ITEM_COLUMNS} FROM item_states WHERE project_id = ?1 AND item_id = ?2"
            ),
            params![project_id, item_id],
            read_item,
        )
        .optional()?)
}

/// The fields that differ between `old` and `new`, as history rows
/// `(field, old, new)`; evidence is written as newline-joined links.
fn changes(old: &ItemState, new: &ItemState) -> Vec<(&'static str, String, String)> {
    let mut out = Vec::new();
    if old.status != new.status {
        out.push((
            "status",
            old.status.as_str().to_owned(),
            new.status.as_str().to_owned(),
        ));
    }
    let texts = [
        ("waiver_reason", &old.waiver_reason, &new.waiver_reason),
        ("owner", &old.owner, &new.owner),
        ("notes", &old.notes, &new.notes),
        (
            "could_not_check",
            &old.could_not_check,
            &new.could_not_check,
        ),
    ];
    for (field, before, after) in texts {
        if before != after {
            out.push((field, before.clone(), after.clone()));
        }
    }
    if old.evidence != new.evidence {
        out.push(("evidence", old.evidence.join("\n"), new.evidence.join("\n")));
    }
    out
}

/// Reads a `positions` row selected as `project_id, stage_id, item_id`.
fn read_position(row: &rusqlite::Row<'_>) -> rusqlite::Result<Position> {
    Ok(Position {
        project_id: row.get(0)?,
        stage_id: row.get(1)?,
        item_id: row.get(2)?,
    })
}

impl Db {
    /// The items of project `project_id` that were ever set, by item id.
    /// Items never touched have no row; callers treat them as `todo`.
    pub fn item_states(&self, project_id: i64) -> Result<Vec<ItemState>, StoreError> {
        require_project(&self.conn, project_id)?;
        let mut stmt = self.conn.prepare(&format!(
            "SELECT {ITEM_COLUMNS} FROM item_states WHERE project_id = ?1 ORDER BY item_id"
        ))?;
        let items = stmt
            .query_map([project_id], read_item)?
            .collect::<Result<Vec<_>, _>>()?;
        Ok(items)
    }

    /// The stored state of one item, or `None` if it was never set.
    pub fn item_state(
        &self,
        project_id: i64,
        item_id: &str,
    ) -> Result<Option<ItemState>, StoreError> {
        require_project(&self.conn, project_id)?;
        load_item(&self.conn, project_id, item_id)
    }

    /// Sets an item's status, waiver reason, owner, notes and evidence in one
    /// transaction, recording one history row per changed field and bumping
    /// the project's `updated_ms`. An update that changes nothing writes
    /// nothing and answers the state as it was (`todo` if never set).
    pub fn update_item(
        &mut self,
        project_id: i64,
        new: &ItemState,
        actor: &str,
        now_ms: i64,
    ) -> Result<ItemState, StoreError> {
        let evidence = serde_json::to_string(&new.evidence)?;
        let tx = self.conn.transaction()?;
        require_project(&tx, project_id)?;
        let old = load_item(&tx, project_id, &new.item_id)?.unwrap_or_else(|| ItemState {
            item_id: new.item_id.clone(),
            ..ItemState::default()
        });
        let changed = changes(&old, new);
        if changed.is_empty() {
            return Ok(old);
        }
        tx.execute(
            "INSERT INTO item_states (project_id, item_id, status, waiver_reason, owner, notes, \
                 evidence, updated_ms, updated_by, could_not_check) \
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10) \
             ON CONFLICT (project_id, item_id) DO UPDATE SET \
                 status = excluded.status, waiver_reason = excluded.waiver_reason, \
                 owner = excluded.owner, notes = excluded.notes, evidence = excluded.evidence, \
                 updated_ms = excluded.updated_ms, updated_by = excluded.updated_by, \
                 could_not_check = excluded.could_not_check",
            params![
                project_id,
                new.item_id,
                new.status.as_str(),
                new.waiver_reason,
                new.owner,
                new.notes,
                evidence,
                now_ms,
                actor,
                new.could_not_check
            ],
        )?;
        {
            let mut append = tx.prepare(
                "INSERT INTO item_history (project_id, item_id, field, old, new, actor, created_ms) \
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
            )?;
            for (field, before, after) in &changed {
                append.execute(params![
                    project_id,
                    new.item_id,
                    field,
                    before,
                    after,
                    actor,
                    now_ms
                ])?;
            }
        }
        tx.execute(
            "UPDATE projects SET updated_ms = ?2 WHERE id = ?1",
            params![project_id, now_ms],
        )?;
        tx.commit()?;
        Ok(ItemState {
            updated_ms: Some(now_ms),
            updated_by: actor.to_owned(),
            ..new.clone()
        })
    }

    /// Recorded changes to one item (or, with `None`, every item) of a
    /// project, newest first.
    pub fn history(
        &self,
        project_id: i64,
        item_id: Option<&str>,
    ) -> Result<Vec<HistoryEntry>, StoreError> {
        require_project(&self.conn, project_id)?;
        let select = "SELECT item_id, field, old, new, actor, created_ms FROM item_history \
                      WHERE project_id = ?1";
        let order = "ORDER BY created_ms DESC, id DESC";
        let read = |row: &rusqlite::Row<'_>| {
            Ok(HistoryEntry {
                item_id: row.get(0)?,
                field: row.get(1)?,
                from: row.get(2)?,
                to: row.get(3)?,
                actor: row.get(4)?,
                at_ms: row.get(5)?,
            })
        };
        let entries = match item_id {
            Some(item_id) => self
                .conn
                .prepare(&format!("{select} AND item_id = ?2 {order}"))?
                .query_map(params![project_id, item_id], read)?
                .collect::<Result<Vec<_>, _>>()?,
            None => self
                .conn
                .prepare(&format!("{select} {order}"))?
                .query_map([project_id], read)?
                .collect::<Result<Vec<_>, _>>()?,
        };
        Ok(entries)
    }

    /// Remembers where the walkthrough of a project is.
    pub fn set_position(&mut self, pos: &Position, now_ms: i64) -> Result<(), StoreError> {
        let tx = self.conn.transaction()?;
        require_project(&tx, pos.project_id)?;
        tx.execute(
            "INSERT INTO positions (project_id, stage_id, item_id, updated_ms) \
             VALUES (?1, ?2, ?3, ?4) \
             ON CONFLICT (project_id) DO UPDATE SET stage_id = excluded.stage_id, \
                 item_id = excluded.item_id, updated_ms = excluded.updated_ms",
            params![pos.project_id, pos.stage_id, pos.item_id, now_ms],
        )?;
        tx.commit()?;
        Ok(())
    }

    /// Where the walkthrough of a project was left, if anywhere.
    pub fn position(&self, project_id: i64) -> Result<Option<Position>, StoreError> {
        require_project(&self.conn, project_id)?;
        Ok(self
            .conn
            .query_row(
                "SELECT project_id, stage_id, item_id FROM positions WHERE project_id = ?1",
                [project_id],
                read_position,
            )
            .optional()?)
    }

    /// The position set most recently, across all projects.
    pub fn last_position(&self) -> Result<Option<Position>, StoreError> {
        Ok(self
            .conn
            .query_row(
                "SELECT project_id, stage_id, item_id FROM positions \
                 ORDER BY updated_ms DESC, project_id DESC LIMIT 1",
                [],
                read_position,
            )
            .optional()?)
    }
}
