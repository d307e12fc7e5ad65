//! Runs of live checks and their findings, and what a run decides about the
//! automated checklist items.

use handover_model::{Finding, ItemState, ItemStatus, Run, RunSummary, Severity};
use rusqlite::{params, OptionalExtension};

use super::projects::require_project;
use super::{Db, StoreError};

/// Who is recorded as having changed an item when a run decides it.
pub const RUN_ACTOR: &str = "live checks";

fn counts(findings: &[Finding]) -> [u32; 6] {
    let mut counts = [0u32; 6];
    for f in findings {
        counts[f.severity as usize] += 1;
    }
    counts
}

impl Db {
    /// Stores a finished run with its findings (one transaction).
    pub fn insert_run(
        &mut self,
        project_id: Option<i64>,
        started_ms: i64,
        finished_ms: i64,
        findings: &[Finding],
    ) -> Result<RunSummary, StoreError> {
        let tx = self.conn.transaction()?;
        if let Some(id) = project_id {
            require_project(&tx, id)?;
        }
        tx.execute(
            "INSERT INTO runs (project_id, started_ms, finished_ms) VALUES (?1, ?2, ?3)",
            params![project_id, started_ms, finished_ms],
        )?;
        let run_id = tx.last_insert_rowid();
        {
            let mut insert = tx.prepare(
                "INSERT INTO findings (run_id, check_id, target, severity, title, detail, evidence, measured) \
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
            )?;
            for f in findings {
                insert.execute(params![
                    run_id,
                    f.check,
                    f.target,
                    f.severity.as_str(),
                    f.title,
                    f.detail,
                    serde_json::to_string(&f.evidence)?,
                    serde_json::to_string(&f.measured)?,
                ])?;
            }
        }
        tx.commit()?;
        Ok(RunSummary {
            id: run_id,
            project_id,
            started_ms,
            finished_ms,
            counts: counts(findings),
        })
    }

    /// A project's runs, newest first.
    pub fn runs(&self, project_id: i64) -> Result<Vec<RunSummary>, StoreError> {
        require_project(&self.conn, project_id)?;
        let mut stmt = self.conn.prepare(
            "SELECT id FROM runs WHERE project_id = ?1 ORDER BY started_ms DESC, id DESC",
        )?;
        let ids: Vec<i64> = stmt
            .query_map([project_id], |row| row.get(0))?
            .collect::<Result<_, _>>()?;
        ids.into_iter()
            .map(|id| self.run(id).map(|r| r.summary))
            .collect()
    }

    /// One run with its findings, most severe first.
    pub fn run(&self, run_id: i64) -> Result<Run, StoreError> {
        let (project_id, started_ms, finished_ms): (Option<i64>, i64, i64) = self
            .conn
            .query_row(
                "SELECT project_id, started_ms, finished_ms FROM runs WHERE id = ?1",
                [run_id],
                |row| Ok((row.get(0)?, row.get(1)?, row.get(2)?)),
            )
            .optional()?
            .ok_or_else(|| StoreError::NotFound {
                what: "run",
                id: run_id.to_string(),
            })?;
        let mut stmt = self.conn.prepare(
            "SELECT check_id, target, severity, title, detail, evidence, measured \
             FROM findings WHERE run_id = ?1 ORDER BY id",
        )?;
        let rows = stmt.query_map([run_id], |row| {
            Ok((
                row.get::<_, String>(0)?,
                row.get::<_, String>(1)?,
                row.get::<_, String>(2)?,
                row.get::<_, String>(3)?,
                row.get::<_, String>(4)?,
                row.get::<_, String>(5)?,
                row.get::<_, String>(6)?,
            ))
        })?;
        let mut findings = Vec::new();
        for row in rows {
            let (check, target, severity, title, detail, evidence, measured) = row?;
            findings.push(Finding {
                check,
                target,
                severity: Severity::parse(&severity).unwrap_or(Severity::Info),
                title,
                detail,
                evidence: serde_json::from_str(&evidence)?,
                measured: serde_json::from_str(&measured)?,
            });
        }
        findings.sort_by_key(|f| std::cmp::Reverse(f.severity));
        Ok(Run {
            summary: RunSummary {
                id: run_id,
                project_id,
                started_ms,
                finished_ms,
                counts: counts(&findings),
            },
            findings,
        })
    }

    /// Sets the status of automated items from a run: `decisions` maps item
    /// ids to pass/fail. Items a person waived or marked not applicable are
    /// left alone; every change is recorded in the item's history with a
    /// link back to the run.
    pub fn apply_run(
        &mut self,
        project_id: i64,
        run_id: i64,
        decisions: &[(String, ItemStatus)],
        now_ms: i64,
    ) -> Result<Vec<ItemState>, StoreError> {
        let mut changed = Vec::new();
        for (item_id, status) in decisions {
            let current = self
                .item_state(project_id, item_id)?
                .unwrap_or_else(|| ItemState {
                    item_id: item_id.clone(),
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
            next.status = *status;
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
        Finding {
            check: check.into(),
            target: "example.com".into(),
            severity,
            title: "t".into(),
            detail: "d".into(),
            evidence: vec!["GET / → 200".into()],
            measured: vec![Measure {
                name: "days_left".into(),
                value: 20.0,
                unit: "days".into(),
            }],
        }
    }

    #[test]
    fn runs_round_trip_most_severe_first() {
        let (mut db, project) = db_with_project();
        let findings = [
            f("tls.expiry", Severity::High),
            f("dns.resolve", Severity::Pass),
        ];
        let summary = db.insert_run(Some(project), 10, 20, &findings).unwrap();
        assert_eq!(summary.counts, [1, 0, 0, 0, 1, 0]);
        let run = db.run(summary.id).unwrap();
        assert_eq!(run.summary, summary);
        assert_eq!(run.findings[0], findings[0]);
        let later = db.insert_run(Some(project), 30, 40, &[]).unwrap();
        let ids: Vec<_> = db.runs(project).unwrap().iter().map(|r| r.id).collect();
        assert_eq!(ids, [later.id, summary.id]);
        // Headless runs belong to no project.
        let headless = db.insert_run(None, 1, 2, &findings).unwrap();
        assert_eq!(db.run(headless.id).unwrap().summary.project_id, None);
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
        let run = db.insert_run(Some(project), 10, 20, &[]).unwrap();
        let decisions = [
            ("a".to_string(), ItemStatus::Fail),
            ("b".to_string(), ItemStatus::Pass),
        ];
        let changed = db.apply_run(project, run.id, &decisions, 30).unwrap();
        assert_eq!(changed.len(), 1);
        assert_eq!(changed[0].status, ItemStatus::Fail);
        assert_eq!(changed[0].evidence, [format!("handover:run/{}", run.id)]);
        assert_eq!(changed[0].updated_by, RUN_ACTOR);
        assert_eq!(
            db.item_state(project, "b").unwrap().unwrap().status,
            ItemStatus::Waived
        );
        // The same decision again changes nothing.
        assert!(db
            .apply_run(project, run.id, &decisions, 40)
            .unwrap()
            .is_empty());
    }
}
