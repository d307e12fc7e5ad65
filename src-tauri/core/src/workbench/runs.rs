//! Live-check runs for a project: run every applicable check, store the run,
//! and let its findings decide the automated checklist items.

use std::sync::Arc;

use handover_model::{Catalog, Finding, ItemKind, ItemStatus, Progress, Run, RunSummary, Severity};

use super::{WorkError, Workbench};
use crate::checks::{self, CheckTarget, RunLimits};
use crate::store::now_ms;

/// Receives progress events while a run goes.
pub type ProgressSink = Arc<dyn Fn(Progress) + Send + Sync>;

impl Workbench {
    /// Runs every applicable live check against a project, stores the run
    /// and updates the automated items it decides.
    pub async fn run_checks(
        &self,
        project_id: i64,
        progress: ProgressSink,
    ) -> Result<Run, WorkError> {
        let project = self.project(project_id).await?;
        let target = Arc::new(CheckTarget::from_project(&project.spec));
        let started = now_ms();
        let findings =
            checks::run_all(&checks::all(), target, RunLimits::default(), progress).await;
        let finished = now_ms();
        let decisions = decide(self.catalog, &findings);
        let stored = findings.clone();
        let summary: RunSummary = self
            .store
            .run(move |db| {
                let summary = db.insert_run(Some(project_id), started, finished, &stored)?;
                db.apply_run(project_id, summary.id, &decisions, finished)?;
                Ok(summary)
            })
            .await?;
        tracing::info!(
            run = summary.id,
            project = project_id,
            findings = findings.len(),
            "live checks finished"
        );
        Ok(Run { summary, findings })
    }

    /// A project's runs, newest first.
    pub async fn runs(&self, project_id: i64) -> Result<Vec<RunSummary>, WorkError> {
        Ok(self.store.run(move |db| db.runs(project_id)).await?)
    }

    /// One run with its findings.
    pub async fn run(&self, run_id: i64) -> Result<Run, WorkError> {
        Ok(self.store.run(move |db| db.run(run_id)).await?)
    }
}

/// What a run says about each automated item: fail when any of the item's
/// checks found something medium or worse, pass when they all ran and found
/// nothing that bad; items none of whose checks ran are left out.
pub fn decide(catalog: &Catalog, findings: &[Finding]) -> Vec<(String, ItemStatus)> {
    catalog
        .items
        .iter()
        .filter(|item| item.kind == ItemKind::Automated)
        .filter_map(|item| {
            let worst = findings
                .iter()
                .filter(|f| item.checks.contains(&f.check))
                .map(|f| f.severity)
                .max()?;
            let status = if worst >= Severity::Medium {
                ItemStatus::Fail
            } else {
                ItemStatus::Pass
            };
            Some((item.id.clone(), status))
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::catalog;
    use crate::checks::finding;

    #[test]
    fn findings_decide_only_the_items_whose_checks_ran() {
        let catalog = catalog::builtin();
        let expiry_items: Vec<_> = catalog
            .items
            .iter()
            .filter(|i| i.checks.iter().any(|c| c == "tls.expiry"))
            .map(|i| i.id.clone())
            .collect();
        assert!(!expiry_items.is_empty());
        let findings = vec![
            finding("tls.expiry", "a.example", Severity::Pass, "ok", ""),
            finding(
                "tls.expiry",
                "b.example",
                Severity::High,
                "20 days left",
                "",
            ),
        ];
        let decisions = decide(catalog, &findings);
        for id in &expiry_items {
            assert!(decisions.contains(&(id.clone(), ItemStatus::Fail)), "{id}");
        }
        let decided: Vec<_> = decisions.iter().map(|(id, _)| id).collect();
        assert!(decided.iter().all(|id| {
            catalog
                .items
                .iter()
                .find(|i| &&i.id == id)
                .unwrap()
                .checks
                .iter()
                .any(|c| c == "tls.expiry")
        }));
        let low = vec![finding(
            "tls.expiry",
            "a.example",
            Severity::Low,
            "note",
            "",
        )];
        assert!(decide(catalog, &low)
            .iter()
            .all(|(_, s)| *s == ItemStatus::Pass));
    }
}
