//! Weekly rechecks in the store: schedules and their next due time, the
//! notices already sent (so an unchanged finding is never notified twice),
//! global settings (run retention), pruning old runs, and a bulk loader of
//! a project's runs for the History page.

use handover_model::{
    Cause, Finding, Measure, Outcome, Run, RunSource, RunSummary, Schedule, Severity,
};
use std::collections::HashMap;

use rusqlite::types::Type;
use rusqlite::{params, OptionalExtension};

use super::projects::require_project;
use super::{Db, StoreError};
use crate::history::diff::cause_of_this_run;
use crate::history::marks::{keys, Mark};

/// The retention setting's name.
pub const RETENTION_SETTING: &str = "retention_days";

/// Runs are kept this many days unless set otherwise (two years).
pub const DEFAULT_RETENTION_DAYS: u32 = 730;

/// A project's schedule before one is set: off, Mondays 09:00 UTC.
pub fn default_schedule() -> Schedule {
    Schedule {
        enabled: false,
        weekday: 1,
        time: "09:00".into(),
        time_zone: "UTC".into(),
        next_due_ms: None,
    }
}

pub(super) fn bad(index: usize, what: String) -> rusqlite::Error {
    rusqlite::Error::FromSqlConversionFailure(index, Type::Text, what.into())
}

/// Column `index` of `row` as text, without copying it.
pub(super) fn text<'r>(row: &'r rusqlite::Row<'_>, index: usize) -> rusqlite::Result<&'r str> {
    row.get_ref(index)?
        .as_str()
        .map_err(|e| rusqlite::Error::FromSqlConversionFailure(index, Type::Text, Box::new(e)))
}

/// A run with its findings as marks (see [`crate::history::marks`]), for
/// the History page and its diffs.
#[derive(Debug, Clone)]
pub struct MarkedRun {
    /// The run, with its counts.
    pub summary: RunSummary,
    /// Its findings in the order the run listed them; each mark's row is
    /// the finding's id.
    pub marks: Vec<Mark>,
}

/// Gives the findings stored before schema version 7 the keys of their
/// fingerprint and target and their measures without histograms: the
/// migration's hook, run inside its transaction on `conn`.
pub(crate) fn fill_keys(conn: &rusqlite::Connection) -> rusqlite::Result<()> {
    let mut read = conn.prepare(
        "SELECT id, check_id, target, severity, title, measured, host, port, outcome, \
                    cause, reason FROM findings \
             WHERE fp IS NULL OR tk IS NULL OR measures IS NULL",
    )?;
    let mut write =
        conn.prepare("UPDATE findings SET fp = ?2, tk = ?3, measures = ?4 WHERE id = ?1")?;
    let mut rows = read.query([])?;
    while let Some(row) = rows.next()? {
        let id: i64 = row.get(0)?;
        let f = lean_finding(row, 1)?;
        let (fp, tk) = keys(&f);
        let measures = lean_measures(&f.measured)
            .map_err(|e| rusqlite::Error::ToSqlConversionFailure(Box::new(e)))?;
        write.execute(params![id, fp, tk, measures])?;
    }
    Ok(())
}

fn schedule_row(row: &rusqlite::Row<'_>) -> rusqlite::Result<Schedule> {
    Ok(Schedule {
        enabled: row.get(0)?,
        weekday: row.get(1)?,
        time: row.get(2)?,
        time_zone: row.get(3)?,
        next_due_ms: row.get(4)?,
    })
}

impl Db {
    /// Project `project_id`'s schedule (the default when none was set).
    pub fn schedule(&self, project_id: i64) -> Result<Schedule, StoreError> {
        require_project(&self.conn, project_id)?;
        Ok(self
            .conn
            .query_row(
                "SELECT enabled, weekday, time, time_zone, next_due_ms FROM schedules \
                 WHERE project_id = ?1",
                [project_id],
                schedule_row,
            )
            .optional()?
            .unwrap_or_else(default_schedule))
    }

    /// Stores project `project_id`'s schedule as given (with its next due).
    pub fn set_schedule(
        &mut self,
        project_id: i64,
        schedule: &Schedule,
        now_ms: i64,
    ) -> Result<(), StoreError> {
        require_project(&self.conn, project_id)?;
        self.conn.execute(
            "INSERT INTO schedules (project_id, enabled, weekday, time, time_zone, next_due_ms, \
                 updated_ms) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7) \
             ON CONFLICT (project_id) DO UPDATE SET enabled = ?2, weekday = ?3, time = ?4, \
                 time_zone = ?5, next_due_ms = ?6, updated_ms = ?7",
            params![
                project_id,
                schedule.enabled,
                schedule.weekday,
                schedule.time,
                schedule.time_zone,
                schedule.next_due_ms,
                now_ms
            ],
        )?;
        Ok(())
    }

    /// Enabled schedules due at or before `now_ms`, by project id.
    pub fn due_schedules(&self, now_ms: i64) -> Result<Vec<(i64, Schedule)>, StoreError> {
        let mut stmt = self.conn.prepare(
            "SELECT enabled, weekday, time, time_zone, next_due_ms, project_id FROM schedules \
             WHERE enabled = 1 AND next_due_ms IS NOT NULL AND next_due_ms <= ?1 \
             ORDER BY next_due_ms, project_id",
        )?;
        let rows = stmt.query_map([now_ms], |row| Ok((row.get(5)?, schedule_row(row)?)))?;
        Ok(rows.collect::<Result<_, _>>()?)
    }

    /// The notice keys already sent for project `project_id`.
    pub fn notified(&self, project_id: i64) -> Result<Vec<String>, StoreError> {
        let mut stmt = self
            .conn
            .prepare("SELECT key FROM notices_sent WHERE project_id = ?1 ORDER BY key")?;
        let rows = stmt.query_map([project_id], |row| row.get(0))?;
        Ok(rows.collect::<Result<_, _>>()?)
    }

    /// Records the notice keys `sent` after run `run_id` and forgets the
    /// `lapsed` ones (one transaction).
    pub fn record_notices(
        &mut self,
        project_id: i64,
        run_id: i64,
        sent: &[String],
        lapsed: &[String],
        now_ms: i64,
    ) -> Result<(), StoreError> {
        let tx = self.conn.transaction()?;
        for key in lapsed {
            tx.execute(
                "DELETE FROM notices_sent WHERE project_id = ?1 AND key = ?2",
                params![project_id, key],
            )?;
        }
        for key in sent {
            tx.execute(
                "INSERT INTO notices_sent (project_id, key, run_id, at_ms) VALUES (?1, ?2, ?3, ?4) \
                 ON CONFLICT (project_id, key) DO UPDATE SET run_id = ?3, at_ms = ?4",
                params![project_id, key, run_id, now_ms],
            )?;
        }
        tx.commit()?;
        Ok(())
    }

    /// A global setting.
    pub fn setting(&self, name: &str) -> Result<Option<String>, StoreError> {
        Ok(self
            .conn
            .query_row("SELECT data FROM settings WHERE name = ?1", [name], |row| {
                row.get(0)
            })
            .optional()?)
    }

    /// Sets a global setting.
    pub fn set_setting(&mut self, name: &str, value: &str) -> Result<(), StoreError> {
        self.conn.execute(
            "INSERT INTO settings (name, data) VALUES (?1, ?2) \
             ON CONFLICT (name) DO UPDATE SET data = ?2",
            params![name, value],
        )?;
        Ok(())
    }

    /// Deletes setting `name` (none is fine).
    pub fn delete_setting(&mut self, name: &str) -> Result<(), StoreError> {
        self.conn
            .execute("DELETE FROM settings WHERE name = ?1", [name])?;
        Ok(())
    }

    /// How many days runs are kept.
    pub fn retention_days(&self) -> Result<u32, StoreError> {
        Ok(self
            .setting(RETENTION_SETTING)?
            .and_then(|v| v.parse().ok())
            .unwrap_or(DEFAULT_RETENTION_DAYS))
    }

    /// Deletes every run (with its findings) started before `before_ms`;
    /// answers how many.
    pub fn prune_runs(&mut self, before_ms: i64) -> Result<usize, StoreError> {
        Ok(self
            .conn
            .execute("DELETE FROM runs WHERE started_ms < ?1", [before_ms])?)
    }

    /// Every run of project `project_id`, oldest first, with its findings
    /// as marks (ids, keys, severity, outcome: no text is read).
    pub fn history_marks(&self, project_id: i64) -> Result<Vec<MarkedRun>, StoreError> {
        let mut runs: Vec<MarkedRun> = self
            .runs_of(project_id, i64::MIN)?
            .into_iter()
            .map(|summary| MarkedRun {
                summary,
                marks: Vec::new(),
            })
            .collect();
        let mut stmt = self.conn.prepare_cached(
            "SELECT id, fp, tk, severity, outcome, cause FROM findings WHERE run_id = ?1 \
             ORDER BY id",
        )?;
        for run in &mut runs {
            let mut rows = stmt.query([run.summary.id])?;
            while let Some(row) = rows.next()? {
                let severity = text(row, 3)?;
                let severity = Severity::parse(severity)
                    .ok_or_else(|| bad(3, format!("unknown severity {severity:?}")))?;
                let judged = text(row, 4)? != "inconclusive";
                let failed_to_run =
                    !judged && Cause::parse(text(row, 5)?).is_some_and(cause_of_this_run);
                if judged {
                    run.summary.counts[severity as usize] += 1;
                } else {
                    run.summary.inconclusive += 1;
                }
                run.marks.push(Mark {
                    row: row.get(0)?,
                    fp: row.get(1)?,
                    tk: row.get(2)?,
                    severity,
                    judged,
                    failed_to_run,
                });
            }
        }
        Ok(runs)
    }

    /// The findings with the ids `rows`, by id (lean, as
    /// [`Db::history_runs`] reads them); ids not stored are left out.
    pub fn findings_at(&self, rows: &[i64]) -> Result<HashMap<i64, Finding>, StoreError> {
        let mut stmt = self.conn.prepare_cached(
            "SELECT id, check_id, target, severity, title, measures, host, port, outcome, \
                    cause, reason FROM findings WHERE id = ?1",
        )?;
        let mut out = HashMap::with_capacity(rows.len());
        for &id in rows {
            if out.contains_key(&id) {
                continue;
            }
            if let Some(f) = stmt
                .query_row([id], |row| lean_finding(row, 1))
                .optional()?
            {
                out.insert(id, f);
            }
        }
        Ok(out)
    }

    /// Project `project_id`'s runs started at or after `since_ms`, oldest
    /// first, without findings.
    fn bare_runs(&self, project_id: i64, since_ms: Option<i64>) -> Result<Vec<Run>, StoreError> {
        Ok(self
            .runs_of(project_id, since_ms.unwrap_or(i64::MIN))?
            .into_iter()
            .map(|summary| Run {
                summary,
                findings: Vec::new(),
            })
            .collect())
    }

    /// Project `project_id`'s run summaries started at or after `since`,
    /// oldest first, without counts.
    fn runs_of(&self, project_id: i64, since: i64) -> Result<Vec<RunSummary>, StoreError> {
        require_project(&self.conn, project_id)?;
        let mut stmt = self.conn.prepare_cached(
            "SELECT id, started_ms, finished_ms, source, subject FROM runs \
             WHERE project_id = ?1 AND started_ms >= ?2 ORDER BY started_ms, id",
        )?;
        let rows = stmt.query_map(params![project_id, since], |row| {
            let source: String = row.get(3)?;
            Ok(RunSummary {
                id: row.get(0)?,
                project_id: Some(project_id),
                started_ms: row.get(1)?,
                finished_ms: row.get(2)?,
                counts: [0; 6],
                inconclusive: 0,
                source: RunSource::parse(&source).unwrap_or_default(),
                subject: row.get(4)?,
            })
        })?;
        Ok(rows.collect::<Result<_, _>>()?)
    }

    /// Project `project_id`'s runs started at or after `since_ms`, oldest
    /// first, with their findings as stored — lean, as the history
    /// needs them: without each finding's detail, evidence and histograms
    /// (measures keep their values).
    pub fn history_runs(
        &self,
        project_id: i64,
        since_ms: Option<i64>,
    ) -> Result<Vec<Run>, StoreError> {
        let mut runs = self.bare_runs(project_id, since_ms)?;
        // One indexed range of `findings_marks` per run, in the order the
        // findings were stored (the order the run listed them): no sort.
        let mut stmt = self.conn.prepare_cached(
            "SELECT run_id, check_id, target, severity, title, measures, host, port, outcome, \
                    cause, reason FROM findings WHERE run_id = ?1 ORDER BY id",
        )?;
        for run in &mut runs {
            let mut rows = stmt.query([run.summary.id])?;
            while let Some(row) = rows.next()? {
                run.findings.push(lean_finding(row, 1)?);
            }
        }
        for run in &mut runs {
            (run.summary.counts, run.summary.inconclusive) = crate::checks::counts(&run.findings);
        }
        Ok(runs)
    }
}

/// A measure as the history reads it: the value, not its histogram (the
/// history charts values). Findings keep their measures this way beside
/// the full ones (`measures` next to `measured`), so five years of latency
/// histograms are never parsed to draw a line.
#[derive(serde::Deserialize)]
struct LeanMeasure {
    name: String,
    value: f64,
    #[serde(default)]
    unit: String,
}

/// A measure as the `measures` column stores it.
#[derive(serde::Serialize)]
struct StoredMeasure<'a> {
    name: &'a str,
    value: f64,
    unit: &'a str,
}

/// `measured` without histograms, as JSON for the `measures` column.
pub(crate) fn lean_measures(measured: &[Measure]) -> serde_json::Result<String> {
    let lean: Vec<StoredMeasure<'_>> = measured
        .iter()
        .map(|m| StoredMeasure {
            name: &m.name,
            value: m.value,
            unit: &m.unit,
        })
        .collect();
    serde_json::to_string(&lean)
}

/// A finding from a row whose columns from `at` on are check id, target,
/// severity, title, measured, host, port, outcome, cause and reason.
pub(super) fn lean_finding(row: &rusqlite::Row<'_>, at: usize) -> rusqlite::Result<Finding> {
    let severity = text(row, at + 2)?;
    let severity = Severity::parse(severity)
        .ok_or_else(|| bad(at + 2, format!("unknown severity {severity:?}")))?;
    let measured = text(row, at + 4)?;
    let measured = if measured == "[]" {
        Vec::new()
    } else {
        serde_json::from_str::<Vec<LeanMeasure>>(measured)
            .map_err(|e| bad(at + 4, e.to_string()))?
            .into_iter()
            .map(|m| Measure {
                name: m.name,
                value: m.value,
                unit: m.unit,
                bins: Vec::new(),
            })
            .collect()
    };
    let outcome = match text(row, at + 7)? {
        "inconclusive" => {
            let cause = text(row, at + 8)?;
            Outcome::Inconclusive {
                cause: Cause::parse(cause)
                    .ok_or_else(|| bad(at + 8, format!("unknown cause {cause:?}")))?,
                reason: row.get(at + 9)?,
            }
        }
        _ => Outcome::Judged,
    };
    Ok(Finding {
        check: row.get(at)?,
        target: row.get(at + 1)?,
        host: row.get(at + 5)?,
        port: row.get(at + 6)?,
        severity,
        outcome,
        title: row.get(at + 3)?,
        detail: String::new(),
        evidence: Vec::new(),
        measured,
    })
}
