//! Weekly rechecks in the store: schedules and their next due time, the
//! notices already sent (so an unchanged finding is never notified twice),
//! global settings (run retention), pruning old runs, and a bulk loader of
//! a project's runs for the History page.

use handover_model::{
    Cause, Finding, Measure, Outcome, Run, RunSource, RunSummary, Schedule, Severity,
};
use std::cell::RefCell;
use std::sync::Arc;

use rusqlite::types::Type;
use rusqlite::{params, OptionalExtension};

use super::projects::require_project;
use super::{Db, StoreError};

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

fn bad(index: usize, what: String) -> rusqlite::Error {
    rusqlite::Error::FromSqlConversionFailure(index, Type::Text, what.into())
}

/// Column `index` of `row` as text, without copying it.
fn text<'r>(row: &'r rusqlite::Row<'_>, index: usize) -> rusqlite::Result<&'r str> {
    row.get_ref(index)?
        .as_str()
        .map_err(|e| rusqlite::Error::FromSqlConversionFailure(index, Type::Text, Box::new(e)))
}

/// One project's runs as [`Db::history_runs`] loaded them, with the state
/// of the database they were loaded from.
#[derive(Debug)]
struct CachedRuns {
    project_id: i64,
    stamp: (i64, u64),
    runs: Arc<Vec<Run>>,
}

/// The last project's history runs, reused while the database is unchanged:
/// stored runs never change, and any write on this connection (a run stored,
/// pruned or deleted, a project deleted) or a commit by another connection
/// moves the stamp, so the next load reads the store again.
#[derive(Debug, Default)]
pub(crate) struct HistoryCache(RefCell<Option<CachedRuns>>);

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

    /// The state of the database as the history cache sees it: SQLite's
    /// `data_version` (moves on another connection's commit) and this
    /// connection's count of rows changed (moves on any write of its own).
    fn history_stamp(&self) -> Result<(i64, u64), StoreError> {
        let version: i64 = self
            .conn
            .prepare_cached("PRAGMA data_version")?
            .query_row([], |row| row.get(0))?;
        Ok((version, self.conn.total_changes()))
    }

    /// Every run of project `project_id`, as [`Db::history_runs`] loads them
    /// (oldest first), shared: the last project's runs are kept and answered
    /// again while nothing was written to the database since.
    pub fn history_runs_cached(&self, project_id: i64) -> Result<Arc<Vec<Run>>, StoreError> {
        let stamp = self.history_stamp()?;
        if let Some(cached) = &*self.history_cache.0.borrow() {
            if cached.project_id == project_id && cached.stamp == stamp {
                return Ok(Arc::clone(&cached.runs));
            }
        }
        let runs = Arc::new(self.history_runs(project_id, None)?);
        *self.history_cache.0.borrow_mut() = Some(CachedRuns {
            project_id,
            stamp,
            runs: Arc::clone(&runs),
        });
        Ok(runs)
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
        require_project(&self.conn, project_id)?;
        let since = since_ms.unwrap_or(i64::MIN);
        let mut runs: Vec<Run> = self
            .conn
            .prepare_cached(
                "SELECT id, started_ms, finished_ms, source, subject FROM runs \
                 WHERE project_id = ?1 AND started_ms >= ?2 ORDER BY started_ms, id",
            )?
            .query_map(params![project_id, since], |row| {
                let source: String = row.get(3)?;
                Ok(Run {
                    summary: RunSummary {
                        id: row.get(0)?,
                        project_id: Some(project_id),
                        started_ms: row.get(1)?,
                        finished_ms: row.get(2)?,
                        counts: [0; 6],
                        inconclusive: 0,
                        source: RunSource::parse(&source).unwrap_or_default(),
                        subject: row.get(4)?,
                    },
                    findings: Vec::new(),
                })
            })?
            .collect::<Result<_, _>>()?;
        // One indexed range of `findings_run` per run, in the order the
        // findings were stored (the order the run listed them): no sort.
        let mut stmt = self.conn.prepare_cached(
            "SELECT run_id, check_id, target, severity, title, measured, host, port, outcome, \
                    cause, reason \
             FROM findings WHERE run_id = ?1 ORDER BY id",
        )?;
        for run in &mut runs {
            let mut rows = stmt.query([run.summary.id])?;
            while let Some(row) = rows.next()? {
                run.findings.push(lean_finding(row)?);
            }
        }
        for run in &mut runs {
            for f in &run.findings {
                if f.outcome.is_inconclusive() {
                    run.summary.inconclusive += 1;
                } else {
                    run.summary.counts[f.severity as usize] += 1;
                }
            }
        }
        Ok(runs)
    }
}

/// A measure as the history reads it: the value, not its histogram (the
/// history charts values; skipping the bins saves most of the parsing).
#[derive(serde::Deserialize)]
struct LeanMeasure {
    name: String,
    value: f64,
    #[serde(default)]
    unit: String,
}

/// A finding from a row of [`Db::history_runs`]' findings query.
fn lean_finding(row: &rusqlite::Row<'_>) -> rusqlite::Result<Finding> {
    let severity = text(row, 3)?;
    let severity = Severity::parse(severity)
        .ok_or_else(|| bad(3, format!("unknown severity {severity:?}")))?;
    let measured = text(row, 5)?;
    let measured = if measured == "[]" {
        Vec::new()
    } else {
        serde_json::from_str::<Vec<LeanMeasure>>(measured)
            .map_err(|e| bad(5, e.to_string()))?
            .into_iter()
            .map(|m| Measure {
                name: m.name,
                value: m.value,
                unit: m.unit,
                bins: Vec::new(),
            })
            .collect()
    };
    let outcome = match text(row, 8)? {
        "inconclusive" => {
            let cause = text(row, 9)?;
            Outcome::Inconclusive {
                cause: Cause::parse(cause)
                    .ok_or_else(|| bad(9, format!("unknown cause {cause:?}")))?,
                reason: row.get(10)?,
            }
        }
        _ => Outcome::Judged,
    };
    Ok(Finding {
        check: row.get(1)?,
        target: row.get(2)?,
        host: row.get(6)?,
        port: row.get(7)?,
        severity,
        outcome,
        title: row.get(4)?,
        detail: String::new(),
        evidence: Vec::new(),
        measured,
    })
}
