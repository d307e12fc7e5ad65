//! The charted numbers of each run (`chart_points`): what the History
//! page's charts draw, kept narrow beside the findings so drawing five years
//! of rechecks never parses a finding's JSON. The rows are written with
//! their run and go with it; [`ChartMark::of`] decides which findings have
//! one.

use handover_model::{Finding, Severity};
use rusqlite::{params, Connection, Statement};

use super::history::{bad, lean_finding, text};
use super::projects::require_project;
use super::{Db, StoreError};
use crate::history::view::{ChartMark, CHARTED};

/// The statement [`write`] runs.
pub(super) const INSERT: &str = "INSERT INTO chart_points (run_id, finding_id, check_id, \
     target, host, port, severity, title, p95_ms, target_ms, days_left) \
     VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11)";

/// Stores the chart point of finding `f` (row `finding_id` of run
/// `run_id`), if it has one.
pub(super) fn write(
    insert: &mut Statement<'_>,
    run_id: i64,
    finding_id: i64,
    f: &Finding,
) -> rusqlite::Result<()> {
    let Some(mark) = ChartMark::of(0, f) else {
        return Ok(());
    };
    insert.execute(params![
        run_id,
        finding_id,
        mark.check,
        mark.target,
        mark.host,
        mark.port,
        mark.severity.as_str(),
        mark.title,
        mark.p95_ms,
        mark.target_ms,
        mark.days_left,
    ])?;
    Ok(())
}

/// Gives the runs stored before schema version 8 their chart points: the
/// migration's hook, inside its transaction on `conn` (after version 7
/// filled the lean measures).
pub(crate) fn fill_chart_points(conn: &Connection) -> rusqlite::Result<()> {
    let slots = vec!["?"; CHARTED.len()].join(", ");
    let mut read = conn.prepare(&format!(
        "SELECT run_id, id, check_id, target, severity, title, measures, host, port, outcome, \
                cause, reason FROM findings \
         WHERE check_id IN ({slots}) AND outcome = 'judged'"
    ))?;
    let mut insert = conn.prepare(INSERT)?;
    let mut rows = read.query(rusqlite::params_from_iter(CHARTED))?;
    while let Some(row) = rows.next()? {
        let f = lean_finding(row, 2)?;
        write(&mut insert, row.get(0)?, row.get(1)?, &f)?;
    }
    Ok(())
}

impl Db {
    /// The chart marks of project `project_id`'s runs started at or after
    /// `since_ms`: oldest run first, each run's in the order it listed its
    /// findings.
    pub fn chart_marks(
        &self,
        project_id: i64,
        since_ms: Option<i64>,
    ) -> Result<Vec<ChartMark>, StoreError> {
        require_project(&self.conn, project_id)?;
        let mut stmt = self.conn.prepare_cached(
            "SELECT r.started_ms, c.check_id, c.target, c.host, c.port, c.severity, c.title, \
                    c.p95_ms, c.target_ms, c.days_left \
             FROM runs r JOIN chart_points c ON c.run_id = r.id \
             WHERE r.project_id = ?1 AND r.started_ms >= ?2 \
             ORDER BY r.started_ms, r.id, c.finding_id",
        )?;
        let mut rows = stmt.query(params![project_id, since_ms.unwrap_or(i64::MIN)])?;
        let mut out = Vec::new();
        while let Some(row) = rows.next()? {
            let severity = text(row, 5)?;
            let severity = Severity::parse(severity)
                .ok_or_else(|| bad(5, format!("unknown severity {severity:?}")))?;
            out.push(ChartMark {
                at_ms: row.get(0)?,
                check: row.get(1)?,
                target: row.get(2)?,
                host: row.get(3)?,
                port: row.get(4)?,
                severity,
                title: row.get(6)?,
                p95_ms: row.get(7)?,
                target_ms: row.get(8)?,
                days_left: row.get(9)?,
            });
        }
        Ok(out)
    }
}
