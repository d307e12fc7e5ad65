//! Runs of live checks and their findings (judged or inconclusive, kept
//! apart), and what a run decides about the automated checklist items.

use handover_model::{
    Cause, Finding, ItemState, ItemStatus, Outcome, Run, RunSource, RunSummary, Severity,
};
use rusqlite::types::Type;
use rusqlite::{params, OptionalExtension};

use super::projects::require_project;
use super::{Db, StoreError};

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
fn counts(findings: &[Finding]) -> ([u32; 6], u32) {
    let mut counts = [0u32; 6];
    let mut inconclusive = 0;
    for f in findings {
        if f.outcome.is_inconclusive() {
            inconclusive += 1;
        } else {
            counts[f.severity as usize] += 1;
        }
    }
    (counts, inconclusive)
}

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
                     evidence, measured, host, port, outcome, cause, reason) \
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13)",
            )?;
            for f in findings {
                let (outcome, cause, reason) = match &f.outcome {
                    Outcome::Judged => ("judged", "", ""),
                    Outcome::Inconclusive { cause, reason } => {
                        ("inconclusive", cause.as_str(), reason.as_str())
                    }
                };
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
                ])?;
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
mod tests {
    use super::*;
    use crate::checks::{finding, inconclusive};
    use handover_model::{Measure, ProjectSpec};

    fn db_with_project() -> (Db, i64) {
        let mut db = Db::open_in_memory().unwrap();
        let spec = ProjectSpec {
            name: "P".into(),
            apex: "example.com".into(),
            ..ProjectSpec::default()
        };
        let id = db.create_project(&spec, 1).unwrap().id;
        (db, id)
    }

    fn f(check: &str, severity: Severity) -> Finding {
        let mut f = finding(check, "example.com:8443", severity, "t", "d");
        f.evidence = vec!["GET / → 200".into()];
        f.measured = vec![Measure {
            name: "days_left".into(),
            value: 20.0,
            unit: "days".into(),
        }];
        f
    }

    fn record(project_id: Option<i64>, started_ms: i64) -> RunRecord {
        RunRecord {
            project_id,
            source: RunSource::Window,
            subject: "P".into(),
            started_ms,
            finished_ms: started_ms + 10,
        }
    }

    #[test]
    fn runs_round_trip_with_outcomes_hosts_and_ports() {
        let (mut db, project) = db_with_project();
        let findings = [
            f("tls.expiry", Severity::High),
            f("dns.resolve", Severity::Pass),
            inconclusive(
                "headers.hsts",
                "https://example.com:8443/",
                Cause::Unreachable,
                "example.com:8443 refused the connection",
            ),
        ];
        let summary = db
            .insert_run(&record(Some(project), 10), &findings)
            .unwrap();
        assert_eq!(summary.counts, [1, 0, 0, 0, 1, 0]);
        assert_eq!(summary.inconclusive, 1);
        let run = db.run(summary.id).unwrap();
        assert_eq!(run.summary, summary);
        assert_eq!(
            run.findings,
            [
                findings[0].clone(),
                findings[2].clone(),
                findings[1].clone()
            ]
        );
        assert_eq!(run.findings[1].host, "example.com");
        assert_eq!(run.findings[1].port, Some(8443));
        let later = db.insert_run(&record(Some(project), 30), &[]).unwrap();
        let ids: Vec<_> = db
            .runs(Some(project))
            .unwrap()
            .iter()
            .map(|r| r.id)
            .collect();
        assert_eq!(ids, [later.id, summary.id]);
        // Runs of no stored project are listed on their own.
        let mut cli = record(None, 1);
        cli.source = RunSource::Cli;
        cli.subject = "example.com".into();
        let headless = db.insert_run(&cli, &findings).unwrap();
        let listed = db.runs(None).unwrap();
        assert_eq!(listed.len(), 1);
        assert_eq!(listed[0].id, headless.id);
        assert_eq!(listed[0].source, RunSource::Cli);
        assert_eq!(listed[0].subject, "example.com");
    }

    #[test]
    fn a_run_decides_automated_items_but_not_waived_ones() {
        let (mut db, project) = db_with_project();
        let waived = ItemState {
            item_id: "b".into(),
            status: ItemStatus::Waived,
            waiver_reason: "accepted".into(),
            ..ItemState::default()
        };
        db.update_item(project, &waived, "dana", 5).unwrap();
        let run = db.insert_run(&record(Some(project), 10), &[]).unwrap();
        let decide = |item: &str, status, note: &str| Decision {
            item_id: item.into(),
            status,
            could_not_check: note.into(),
        };
        let decisions = [
            decide("a", ItemStatus::Fail, ""),
            decide("b", ItemStatus::Pass, ""),
            decide("c", ItemStatus::Todo, "could not check: refused"),
        ];
        let changed = db.apply_run(project, run.id, &decisions, 30).unwrap();
        assert_eq!(changed.len(), 2);
        assert_eq!(changed[0].status, ItemStatus::Fail);
        assert_eq!(changed[0].evidence, [format!("handover:run/{}", run.id)]);
        assert_eq!(changed[0].updated_by, RUN_ACTOR);
        let c = db.item_state(project, "c").unwrap().unwrap();
        assert_eq!(c.status, ItemStatus::Todo);
        assert_eq!(c.could_not_check, "could not check: refused");
        assert_eq!(
            db.item_state(project, "b").unwrap().unwrap().status,
            ItemStatus::Waived
        );
        // The same decision again changes nothing.
        assert!(db
            .apply_run(project, run.id, &decisions, 40)
            .unwrap()
            .is_empty());
        // A later run that judges it clears the note, in the history too.
        let next = db.insert_run(&record(Some(project), 50), &[]).unwrap();
        db.apply_run(project, next.id, &[decide("c", ItemStatus::Pass, "")], 60)
            .unwrap();
        let c = db.item_state(project, "c").unwrap().unwrap();
        assert_eq!(
            (c.status, c.could_not_check.as_str()),
            (ItemStatus::Pass, "")
        );
        let fields: Vec<String> = db
            .history(project, Some("c"))
            .unwrap()
            .into_iter()
            .map(|h| h.field)
            .collect();
        assert!(
            fields.contains(&"could_not_check".to_string()),
            "{fields:?}"
        );
    }
}
