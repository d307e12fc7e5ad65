//! Each project's evaluation runs: the report as stored (answers redacted
//! and truncated before they get here), the newest [`EVAL_RUNS_KEPT`] kept.

use handover_model::EvalReport;
use rusqlite::{params, OptionalExtension};

use super::projects::require_project;
use super::{Db, StoreError};

/// Evaluation runs kept per project (older ones are deleted on save).
pub const EVAL_RUNS_KEPT: i64 = 50;

impl Db {
    /// Keeps `report` as project `project_id`'s newest evaluation run.
    pub fn save_eval_run(
        &mut self,
        project_id: i64,
        report: &EvalReport,
    ) -> Result<(), StoreError> {
        let data = serde_json::to_string(report)?;
        let tx = self.conn.transaction()?;
        require_project(&tx, project_id)?;
        tx.execute(
            "INSERT INTO eval_runs (project_id, started_ms, pass_rate, data) VALUES (?1, ?2, ?3, ?4)",
            params![project_id, report.started_ms, report.pass_rate, data],
        )?;
        tx.execute(
            "DELETE FROM eval_runs WHERE project_id = ?1 AND id NOT IN \
             (SELECT id FROM eval_runs WHERE project_id = ?1 ORDER BY started_ms DESC, id DESC LIMIT ?2)",
            params![project_id, EVAL_RUNS_KEPT],
        )?;
        tx.commit()?;
        Ok(())
    }

    /// Project `project_id`'s newest evaluation run. One this build cannot
    /// read (written by another version) counts as none, with a warning.
    pub fn last_eval_run(&self, project_id: i64) -> Result<Option<EvalReport>, StoreError> {
        require_project(&self.conn, project_id)?;
        let data: Option<String> = self
            .conn
            .query_row(
                "SELECT data FROM eval_runs WHERE project_id = ?1 \
                 ORDER BY started_ms DESC, id DESC LIMIT 1",
                [project_id],
                |row| row.get(0),
            )
            .optional()?;
        Ok(data.and_then(|data| match serde_json::from_str(&data) {
            Ok(report) => Some(report),
            Err(err) => {
                tracing::warn!(
                    project_id,
                    "the last evaluation run was not readable: {err}"
                );
                None
            }
        }))
    }

    /// How many evaluation runs project `project_id` has stored.
    pub fn eval_run_count(&self, project_id: i64) -> Result<i64, StoreError> {
        Ok(self.conn.query_row(
            "SELECT count(*) FROM eval_runs WHERE project_id = ?1",
            [project_id],
            |row| row.get(0),
        )?)
    }
}
