//! Live-check runs — the one engine behind the window's "Run all", `handover
//! check DOMAIN`, `handover check --project` and `handover check --config`:
//! build the target in the core, run the checks, store the run, and let its
//! findings decide the automated checklist items.

use std::sync::Arc;

use handover_model::{
    Catalog, Cause, FieldError, Finding, ItemKind, ItemStatus, Progress, ProjectSpec, Risk, Run,
    RunSource, RunSummary, Severity, Verdict,
};

use super::{WorkError, Workbench};
use crate::checks::{self, CheckTarget, QuickAudit, RunLimits};
use crate::store::{now_ms, Decision, RunRecord};

/// Receives progress events while a run goes.
pub type ProgressSink = Arc<dyn Fn(Progress) + Send + Sync>;

/// The most reasons an item's "could not check" note lists before "and N more".
const REASONS_SHOWN: usize = 3;

/// How a run goes beyond which checks it runs.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct RunOptions {
    /// Run the load probes too (the latency probe's hundreds of requests);
    /// the person running the audit asked for them.
    pub load_probes: bool,
}

/// What a run alone says about launch, for the command line's exit code.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RunVerdict {
    /// No-go when a blocker-risk item failed or could not be checked, or a
    /// check found a blocker.
    pub verdict: Verdict,
    /// Judged findings of severity blocker.
    pub blocker_findings: usize,
    /// Blocker-risk automated items the run could not judge.
    pub inconclusive_blockers: usize,
    /// One sentence per reason, most important first.
    pub reasons: Vec<String>,
}

impl Workbench {
    /// Runs the live checks against a stored project (every check, or with
    /// `only` the named checks and those deciding the same items), stores
    /// the run and updates the automated items it decides.
    pub async fn run_checks(
        &self,
        project_id: i64,
        only: &[String],
        source: RunSource,
        progress: ProgressSink,
    ) -> Result<Run, WorkError> {
        self.run_checks_with(project_id, only, source, RunOptions::default(), progress)
            .await
    }

    /// [`Workbench::run_checks`] with `options` (e.g. the load probes).
    pub async fn run_checks_with(
        &self,
        project_id: i64,
        only: &[String],
        source: RunSource,
        options: RunOptions,
        progress: ProgressSink,
    ) -> Result<Run, WorkError> {
        let project = self.project(project_id).await?;
        let mut target = CheckTarget::from_project(&project.spec).map_err(WorkError::Target)?;
        target.load_probes = options.load_probes;
        target.credentials = self.run_credentials(project_id, &project.spec).await?;
        if target.repo_path.is_some() || target.build_output.is_some() {
            // Without the keychain the scan still runs; its fingerprints
            // then hold for this run only (baselines do not match).
            target.secrets_key = match self.secrets_key(project_id).await {
                Ok(key) => Some(key),
                Err(err) => {
                    tracing::warn!(project_id, "no fingerprint key from the keychain: {err}");
                    None
                }
            };
            target.secret_ignores = Arc::new(self.ignored_fingerprints(project_id).await?);
        }
        if let Some(input) = target.eval.as_mut() {
            self.complete_eval(project_id, input).await?;
        }
        let eval_report = target.eval.as_ref().map(|e| e.sink.clone());
        let selected = selection(self.catalog, only);
        if !only.is_empty() && selected.is_empty() {
            // An empty selection means "every check": never widen a retry.
            return Err(WorkError::Invalid(vec![FieldError {
                field: "only".into(),
                message: format!(
                    "Handover does not run {} yet; decide the item yourself.",
                    only.join(", ")
                ),
            }]));
        }
        let started = now_ms();
        let findings = audit(target, &selected, progress).await;
        let record = RunRecord {
            project_id: Some(project_id),
            source,
            subject: project.spec.name.clone(),
            started_ms: started,
            finished_ms: now_ms(),
        };
        let decisions = decide(self.catalog, &findings);
        let report = eval_report.and_then(|slot| slot.lock().ok()?.take());
        if let Some(report) = report {
            self.keep_eval(project_id, &report).await?;
        }
        self.store_run(record, findings, Some(decisions)).await
    }

    /// Runs every check of a quick audit (no stored project) and stores it.
    pub async fn run_quick(
        &self,
        spec: &QuickAudit,
        progress: ProgressSink,
    ) -> Result<Run, WorkError> {
        let target = CheckTarget::from_quick(spec).map_err(WorkError::Target)?;
        let subject = target.apex.clone();
        self.run_target(target, subject, progress).await
    }

    /// Runs every check of a project description that is not stored (a
    /// project file) and stores the run under no project.
    pub async fn run_spec(
        &self,
        spec: &ProjectSpec,
        progress: ProgressSink,
    ) -> Result<Run, WorkError> {
        self.run_spec_with(spec, RunOptions::default(), progress)
            .await
    }

    /// [`Workbench::run_spec`] with `options` (e.g. the load probes).
    pub async fn run_spec_with(
        &self,
        spec: &ProjectSpec,
        options: RunOptions,
        progress: ProgressSink,
    ) -> Result<Run, WorkError> {
        let spec = crate::project::validate(spec).map_err(WorkError::Invalid)?;
        let mut target = CheckTarget::from_project(&spec).map_err(WorkError::Target)?;
        target.load_probes = options.load_probes;
        self.run_target(target, spec.name.clone(), progress).await
    }

    async fn run_target(
        &self,
        target: CheckTarget,
        subject: String,
        progress: ProgressSink,
    ) -> Result<Run, WorkError> {
        let started = now_ms();
        let findings = audit(target, &[], progress).await;
        let record = RunRecord {
            project_id: None,
            source: RunSource::Cli,
            subject,
            started_ms: started,
            finished_ms: now_ms(),
        };
        self.store_run(record, findings, None).await
    }

    pub(super) async fn store_run(
        &self,
        record: RunRecord,
        findings: Vec<Finding>,
        decisions: Option<Vec<Decision>>,
    ) -> Result<Run, WorkError> {
        let stored = findings.clone();
        let summary: RunSummary = self
            .store
            .run(move |db| {
                let summary = db.insert_run(&record, &stored)?;
                if let (Some(project_id), Some(decisions)) = (record.project_id, decisions) {
                    db.apply_run(project_id, summary.id, &decisions, record.finished_ms)?;
                }
                // Every run keeps the store within the retention, not only
                // the rechecks.
                super::history::prune(db, record.finished_ms)?;
                Ok(summary)
            })
            .await?;
        tracing::info!(
            run = summary.id,
            project = summary.project_id,
            findings = findings.len(),
            inconclusive = summary.inconclusive,
            "live checks finished"
        );
        Ok(Run { summary, findings })
    }

    /// A project's runs (with `None`, the runs of no stored project), newest first.
    pub async fn runs(&self, project_id: Option<i64>) -> Result<Vec<RunSummary>, WorkError> {
        Ok(self.store.run(move |db| db.runs(project_id)).await?)
    }

    /// One run with its findings.
    pub async fn run(&self, run_id: i64) -> Result<Run, WorkError> {
        Ok(self.store.run(move |db| db.run(run_id)).await?)
    }
}

/// Runs the selected checks (all when `only` is empty) against `target`.
pub async fn audit(target: CheckTarget, only: &[&str], progress: ProgressSink) -> Vec<Finding> {
    let checks: Vec<_> = checks::all()
        .into_iter()
        .filter(|c| only.is_empty() || only.contains(&c.id()))
        .collect();
    checks::run_all(&checks, Arc::new(target), RunLimits::default(), progress).await
}

/// The checks a retry of `only` runs: those named and every other check of
/// an item they decide, so an item is never decided on part of its checks.
/// Empty means every check.
pub fn selection(catalog: &Catalog, only: &[String]) -> Vec<&'static str> {
    if only.is_empty() {
        return Vec::new();
    }
    checks::implemented()
        .into_iter()
        .filter(|id| {
            only.iter().any(|o| o == id)
                || catalog.items.iter().any(|item| {
                    item.checks.iter().any(|c| c == id)
                        && item.checks.iter().any(|c| only.contains(c))
                })
        })
        .collect()
}

/// What a run says about each automated item whose checks ran:
/// - **fail** when any of its checks judged something medium or worse;
/// - otherwise **to do, "could not check: …"** when any finding of its
///   checks is inconclusive, or one of its implemented checks did not run;
/// - otherwise **pass**.
///
/// Items none of whose checks ran are left out. An inconclusive finding
/// never makes an item pass.
pub fn decide(catalog: &Catalog, findings: &[Finding]) -> Vec<Decision> {
    let implemented = checks::implemented();
    catalog
        .items
        .iter()
        .filter(|item| item.kind == ItemKind::Automated)
        .filter_map(|item| {
            let mine: Vec<&Finding> = findings
                .iter()
                .filter(|f| item.checks.contains(&f.check))
                .collect();
            if mine.is_empty() {
                return None;
            }
            let failed = mine
                .iter()
                .any(|f| !f.outcome.is_inconclusive() && f.severity >= Severity::Medium);
            let mut reasons: Vec<String> = Vec::new();
            for f in mine.iter().filter(|f| f.outcome.is_inconclusive()) {
                let reason = f.outcome.reason().unwrap_or_default().to_string();
                if !reasons.contains(&reason) {
                    reasons.push(reason);
                }
            }
            for check in item.checks.iter().filter(|c| {
                implemented.contains(&c.as_str()) && !mine.iter().any(|f| &f.check == *c)
            }) {
                reasons.push(format!("{check} did not run"));
            }
            let (status, could_not_check) = if failed {
                (ItemStatus::Fail, String::new())
            } else if !reasons.is_empty() {
                (ItemStatus::Todo, could_not_check(&reasons))
            } else {
                (ItemStatus::Pass, String::new())
            };
            Some(Decision {
                item_id: item.id.clone(),
                status,
                could_not_check,
            })
        })
        .collect()
}

/// "could not check: a; b; c; and 2 more".
fn could_not_check(reasons: &[String]) -> String {
    let mut text = format!(
        "could not check: {}",
        reasons
            .iter()
            .take(REASONS_SHOWN)
            .cloned()
            .collect::<Vec<_>>()
            .join("; ")
    );
    if reasons.len() > REASONS_SHOWN {
        text.push_str(&format!("; and {} more", reasons.len() - REASONS_SHOWN));
    }
    text
}

/// "1 blocker check could not run" / "3 blocker checks could not run".
pub fn inconclusive_sentence(count: usize) -> String {
    if count == 1 {
        "1 blocker check could not run".to_string()
    } else {
        format!("{count} blocker checks could not run")
    }
}

/// The verdict of a run on its own: what `handover check` exits with.
pub fn run_verdict(catalog: &Catalog, findings: &[Finding]) -> RunVerdict {
    let decisions = decide(catalog, findings);
    let risk_of = |id: &str| catalog.items.iter().find(|i| i.id == id).map(|i| i.risk);
    // An item whose checks only had nothing to look at (the project names
    // no such endpoint) was out of this run's reach, not a check that
    // failed to run: it stays a to-do, but does not make this run no-go.
    let implemented = checks::implemented();
    let out_of_reach = |item_id: &str| {
        let Some(item) = catalog.items.iter().find(|i| i.id == item_id) else {
            return false;
        };
        let mine: Vec<&Finding> = findings
            .iter()
            .filter(|f| item.checks.contains(&f.check))
            .collect();
        !mine.is_empty()
            && mine
                .iter()
                .filter(|f| f.outcome.is_inconclusive())
                .all(|f| f.outcome.cause() == Some(Cause::NothingToCheck))
            && item
                .checks
                .iter()
                .all(|c| mine.iter().any(|f| &f.check == c) || !implemented.contains(&c.as_str()))
    };
    let blocker_items = |status: ItemStatus| {
        decisions
            .iter()
            .filter(|d| d.status == status && risk_of(&d.item_id) == Some(Risk::Blocker))
            .filter(|d| {
                status != ItemStatus::Todo
                    || (!d.could_not_check.is_empty() && !out_of_reach(&d.item_id))
            })
            .count()
    };
    let failed_blockers = blocker_items(ItemStatus::Fail);
    let inconclusive_blockers = blocker_items(ItemStatus::Todo);
    let blocker_findings = findings
        .iter()
        .filter(|f| !f.outcome.is_inconclusive() && f.severity == Severity::Blocker)
        .count();
    let mut reasons = Vec::new();
    if blocker_findings > 0 {
        reasons.push(format!(
            "{blocker_findings} blocker finding{}",
            if blocker_findings == 1 { "" } else { "s" }
        ));
    }
    if failed_blockers > 0 {
        reasons.push(format!(
            "{failed_blockers} blocker item{} failed",
            if failed_blockers == 1 { "" } else { "s" }
        ));
    }
    if inconclusive_blockers > 0 {
        reasons.push(inconclusive_sentence(inconclusive_blockers));
    }
    RunVerdict {
        verdict: if reasons.is_empty() {
            Verdict::Go
        } else {
            Verdict::NoGo
        },
        blocker_findings,
        inconclusive_blockers,
        reasons,
    }
}

#[cfg(test)]
#[path = "runs_tests.rs"]
mod tests;
