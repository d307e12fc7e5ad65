//! Runs of live checks and their findings (judged or inconclusive, kept
//! apart), and what a run decides about the automated checklist items.

use handover_model::{
    Cause, Finding, ItemState, ItemStatus, Outcome, Run, RunSource, RunSummary, Severity,
};
use rusqlite::types::Type;
use rusqlite::{params, OptionalExtension};

use super::projects::require_project;
use super::{Db, StoreError};
use crate::checks::counts;

/// Who is recorded as having changed an item when a run decides it.
pub const RUN_ACTOR: &str = "live checks";

/// What a run says about one automated item.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Decision {
    /// The catalog item.
    pub item_id: String,
    /// Pass or fail when the run judged it; to do when it could not.
    pub status: ItemStatus,
    /// "could not check: …" when the run could not judge it; else empty.
    pub could_not_check: String,
}

/// Where and what a run was, as stored with it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RunRecord {
    /// The project (`None` for a quick audit or a project file).
    pub project_id: Option<i64>,
    /// Window or command line.
    pub source: RunSource,
    /// The project's name, or the domain of a quick audit.
    pub subject: String,
    /// Start, ms since the epoch.
    pub started_ms: i64,
    /// End, ms since the epoch.
    pub finished_ms: i64,
}

/// Judged findings by severity, and how many were inconclusive.
fn bad_column(index: usize, what: String) -> rusqlite::Error {
    rusqlite::Error::FromSqlConversionFailure(index, Type::Text, what.into())
}

impl Db {
    /// Stores a finished run with its findings (one transaction).
    pub fn insert_run(
        &mut self,
        record: &RunRecord,
        findings: &[Finding],
    ) -> Result<RunSummary, StoreError> {
        let tx = self.conn.transaction()?;
        if let Some(id) = record.project_id {
            require_project(&tx, id)?;
        }
        tx.execute(
            "INSERT INTO runs (project_id, started_ms, finished_ms, source, subject) \
             VALUES (?1, ?2, ?3, ?4, ?5)",
            params![
                record.project_id,
                record.started_ms,
                record.finished_ms,
                record.source.as_str(),
                record.subject
            ],
        )?;
        let run_id = tx.last_insert_rowid();
        {
            let mut insert = tx.prepare(
                "INSERT INTO findings (run_id, check_id, target, severity, title, detail, \
                     evidence, measured, host, port, outcome, cause, reason, fp, tk, measures) \
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, \
                     ?16)",
            )?;
            let mut chart = tx.prepare(super::charts::INSERT)?;
            for f in findings {
                let (outcome, cause, reason) = match &f.outcome {
                    Outcome::Judged => ("judged", "", ""),
                    Outcome::Inconclusive { cause, reason } => {
                        ("inconclusive", cause.as_str(), reason.as_str())
                    }
                };
                let (fp, tk) = crate::history::marks::keys(f);
                insert.execute(params![
                    run_id,
                    f.check,
                    f.target,
                    f.severity.as_str(),
                    f.title,
                    f.detail,
                    serde_json::to_string(&f.evidence)?,
                    serde_json::to_string(&f.measured)?,
                    f.host,
                    f.port,
                    outcome,
                    cause,
                    reason,
                    fp,
                    tk,
                    super::history::lean_measures(&f.measured)?,
                ])?;
                super::charts::write(&mut chart, run_id, tx.last_insert_rowid(), f)?;
            }
        }
        tx.commit()?;
        let (counts, inconclusive) = counts(findings);
        Ok(RunSummary {
            id: run_id,
            project_id: record.project_id,
            started_ms: record.started_ms,
            finished_ms: record.finished_ms,
            counts,
            inconclusive,
            source: record.source,
            subject: record.subject.clone(),
        })
    }

    /// A project's runs (or, with `None`, the runs of no stored project),
    /// newest first.
    pub fn runs(&self, project_id: Option<i64>) -> Result<Vec<RunSummary>, StoreError> {
        let ids: Vec<i64> = match project_id {
            Some(project_id) => {
                require_project(&self.conn, project_id)?;
                self.conn
                    .prepare(
                        "SELECT id FROM runs WHERE project_id = ?1 \
                         ORDER BY started_ms DESC, id DESC",
                    )?
                    .query_map([project_id], |row| row.get(0))?
                    .collect::<Result<_, _>>()?
            }
            None => self
                .conn
                .prepare(
                    "SELECT id FROM runs WHERE project_id IS NULL \
                     ORDER BY started_ms DESC, id DESC",
                )?
                .query_map([], |row| row.get(0))?
                .collect::<Result<_, _>>()?,
        };
        ids.into_iter()
            .map(|id| self.run(id).map(|r| r.summary))
            .collect()
    }

    /// One run with its findings, in the order every face lists them.
    pub fn run(&self, run_id: i64) -> Result<Run, StoreError> {
        let (project_id, started_ms, finished_ms, source, subject): (
            Option<i64>,
            i64,
            i64,
            String,
            String,
        ) = self
            .conn
            .query_row(
                "SELECT project_id, started_ms, finished_ms, source, subject FROM runs WHERE id = ?1",
                [run_id],
                |row| Ok((row.get(0)?, row.get(1)?, row.get(2)?, row.get(3)?, row.get(4)?)),
            )
            .optional()?
            .ok_or_else(|| StoreError::NotFound {
                what: "run",
                id: run_id.to_string(),
            })?;
        let mut stmt = self.conn.prepare(
            "SELECT check_id, target, severity, title, detail, evidence, measured, \
                    host, port, outcome, cause, reason \
             FROM findings WHERE run_id = ?1 ORDER BY id",
        )?;
        let rows = stmt.query_map([run_id], |row| {
            let severity: String = row.get(2)?;
            let severity = Severity::parse(&severity)
                .ok_or_else(|| bad_column(2, format!("unknown severity {severity:?}")))?;
            let evidence: String = row.get(5)?;
            let measured: String = row.get(6)?;
            let outcome: String = row.get(9)?;
            let outcome = match outcome.as_str() {
                "inconclusive" => {
                    let cause: String = row.get(10)?;
                    Outcome::Inconclusive {
                        cause: Cause::parse(&cause)
                            .ok_or_else(|| bad_column(10, format!("unknown cause {cause:?}")))?,
                        reason: row.get(11)?,
                    }
                }
                _ => Outcome::Judged,
            };
            Ok(Finding {
                check: row.get(0)?,
                target: row.get(1)?,
                host: row.get(7)?,
                port: row.get(8)?,
                severity,
                outcome,
                title: row.get(3)?,
                detail: row.get(4)?,
                evidence: serde_json::from_str(&evidence)
                    .map_err(|e| bad_column(5, e.to_string()))?,
                measured: serde_json::from_str(&measured)
                    .map_err(|e| bad_column(6, e.to_string()))?,
            })
        })?;
        let mut findings = rows.collect::<Result<Vec<_>, _>>()?;
        crate::checks::sort(&mut findings);
        let (counts, inconclusive) = counts(&findings);
        Ok(Run {
            summary: RunSummary {
                id: run_id,
                project_id,
                started_ms,
                finished_ms,
                counts,
                inconclusive,
                source: RunSource::parse(&source).unwrap_or_default(),
                subject,
            },
            findings,
        })
    }

    /// Sets the status of automated items from a run. Items a person waived
    /// or marked not applicable are left alone; every change is recorded in
    /// the item's history with a link back to the run.
    pub fn apply_run(
        &mut self,
        project_id: i64,
        run_id: i64,
        decisions: &[Decision],
        now_ms: i64,
    ) -> Result<Vec<ItemState>, StoreError> {
        let mut changed = Vec::new();
        for decision in decisions {
            let current = self
                .item_state(project_id, &decision.item_id)?
                .unwrap_or_else(|| ItemState {
                    item_id: decision.item_id.clone(),
                    ..ItemState::default()
                });
            if matches!(
                current.status,
                ItemStatus::Waived | ItemStatus::NotApplicable
            ) {
                continue;
            }
            let link = format!("handover:run/{run_id}");
            let mut next = current.clone();
            next.status = decision.status;
            next.could_not_check = decision.could_not_check.clone();
            next.evidence.retain(|e| !e.starts_with("handover:run/"));
            next.evidence.push(link);
            if next != current {
                changed.push(self.update_item(project_id, &next, RUN_ACTOR, now_ms)?);
            }
        }
        Ok(changed)
    }
}

#[cfg(test)]
#[path = "runs_tests.rs"]
mod tests;
