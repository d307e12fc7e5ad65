//! A project's evaluation set in the workbench: the Eval page's data, the
//! setup saved and imported (validated with the project), the canary kept
//! in the keychain (made on request, revealed only then, deleted with the
//! project), runs on demand with progress, and the `ai.eval` check's
//! report kept after a run of checks. The same functions serve the window,
//! `handover eval` and the tests.

use std::sync::Arc;

use handover_model::{
    EvalProgress, EvalReport, EvalSetup, EvalView, FieldError, PreviousEval, ProjectSaveRequest,
    RunSource, SecretText,
};

use super::runs::decide;
use super::{WorkError, Workbench};
use crate::checks::net::Net;
use crate::checks::CheckTarget;
use crate::eval::cases::{self, Format};
use crate::eval::{new_canary, run, stored, EvalInput};
use crate::paths::APP_IDENTIFIER;
use crate::store::{now_ms, RunRecord};
use crate::vault::{EntryName, VaultError};

/// The keychain entry's user name (the service names the project).
const CANARY_USER: &str = "eval-canary";

/// Where project `project_uid`'s canary lives.
fn canary_entry(project_uid: &str) -> EntryName {
    EntryName {
        service: format!("{APP_IDENTIFIER}/{project_uid}"),
        user: CANARY_USER.to_owned(),
    }
}

/// The setting that says a canary is stored (so the page and deletes do
/// not ask the keychain when there is none).
fn canary_setting(project_uid: &str) -> String {
    format!("eval_canary.{project_uid}")
}

fn invalid(field: &str, message: impl Into<String>) -> WorkError {
    WorkError::Invalid(vec![FieldError {
        field: field.into(),
        message: message.into(),
    }])
}

/// Receives each attempt's progress.
pub type EvalSink = Arc<dyn Fn(EvalProgress) + Send + Sync>;

impl Workbench {
    /// The Eval page's data.
    pub async fn eval_view(&self, project_id: i64) -> Result<EvalView, WorkError> {
        let spec = self.project(project_id).await?.spec;
        let uid = self.store.run(move |db| db.project_uid(project_id)).await?;
        let setting = canary_setting(&uid);
        let (canary, last) = self
            .store
            .run(move |db| {
                Ok((
                    db.setting(&setting)?.is_some(),
                    db.last_eval_run(project_id)?,
                ))
            })
            .await?;
        let production = spec
            .eval
            .adapter
            .as_ref()
            .is_some_and(|a| cases::targets_production(a, &spec));
        Ok(EvalView {
            cases: cases::cases_of(&spec.eval),
            starter: spec.eval.cases.is_empty(),
            setup: spec.eval,
            canary,
            last,
            production,
        })
    }

    /// Saves project `project_id`'s setup (validated with the project).
    pub async fn eval_save(
        &self,
        project_id: i64,
        setup: EvalSetup,
    ) -> Result<EvalView, WorkError> {
        let mut spec = self.project(project_id).await?.spec;
        spec.eval = setup;
        self.save(ProjectSaveRequest {
            id: Some(project_id),
            spec,
        })
        .await?;
        self.eval_view(project_id).await
    }

    /// Replaces project `project_id`'s cases with those of a TOML or JSON
    /// file's `text`.
    pub async fn eval_import(
        &self,
        project_id: i64,
        text: &str,
        format: &str,
    ) -> Result<EvalView, WorkError> {
        let format =
            Format::parse(format).ok_or_else(|| invalid("format", "Choose toml or json."))?;
        let imported = cases::import(text, format).map_err(|e| match e {
            cases::CaseFileError::Invalid(fields) => WorkError::Invalid(fields),
            other => invalid("text", crate::project::sentence(&other.to_string())),
        })?;
        let mut setup = self.project(project_id).await?.spec.eval;
        setup.cases = imported;
        self.eval_save(project_id, setup).await
    }

    /// The cases a run of project `project_id` asks, as a file.
    pub async fn eval_export(&self, project_id: i64, format: Format) -> Result<String, WorkError> {
        let spec = self.project(project_id).await?.spec;
        Ok(cases::export(&cases::cases_of(&spec.eval), format))
    }

    /// Makes project `project_id`'s canary (or a new one when `renew`, or
    /// when none is stored) and answers it: the one time it is shown, to be
    /// planted in the bot's system prompt.
    pub async fn eval_canary(&self, project_id: i64, renew: bool) -> Result<SecretText, WorkError> {
        let uid = self.store.run(move |db| db.project_uid(project_id)).await?;
        let name = canary_entry(&uid);
        let canary = self
            .keychain(move |vault| {
                if !renew {
                    match vault.get(&name) {
                        Ok(text) if !text.is_blank() => return Ok(text),
                        Ok(_) | Err(VaultError::Missing { .. }) => {}
                        Err(err) => return Err(err),
                    }
                }
                let fresh = new_canary();
                vault.put(&name, &fresh)?;
                Ok(fresh)
            })
            .await?;
        let setting = canary_setting(&uid);
        self.store
            .run(move |db| db.set_setting(&setting, "1"))
            .await?;
        Ok(canary)
    }

    /// Keeps `canary` as project `project_id`'s canary (a product that
    /// already plants its own, such as the demo), replacing any other.
    pub async fn plant_canary(&self, project_id: i64, canary: SecretText) -> Result<(), WorkError> {
        if canary.is_blank() {
            return Err(invalid("eval.canary", "The canary is empty."));
        }
        let uid = self.store.run(move |db| db.project_uid(project_id)).await?;
        let name = canary_entry(&uid);
        self.keychain(move |vault| vault.put(&name, &canary))
            .await?;
        let setting = canary_setting(&uid);
        self.store
            .run(move |db| db.set_setting(&setting, "1"))
            .await?;
        Ok(())
    }

    /// Project `project_id`'s stored canary, if one was made.
    async fn stored_canary(&self, project_id: i64) -> Result<Option<SecretText>, WorkError> {
        let uid = self.store.run(move |db| db.project_uid(project_id)).await?;
        let setting = canary_setting(&uid);
        if self
            .store
            .run(move |db| db.setting(&setting))
            .await?
            .is_none()
        {
            return Ok(None);
        }
        let name = canary_entry(&uid);
        self.keychain(move |vault| match vault.get(&name) {
            Ok(text) => Ok(Some(text)),
            Err(VaultError::Missing { .. }) => Ok(None),
            Err(err) => Err(err),
        })
        .await
    }

    /// Deletes project `project_uid`'s canary, if one was stored.
    pub(crate) async fn forget_canary(&self, project_uid: String) -> Result<(), WorkError> {
        self.forget_entry(canary_setting(&project_uid), canary_entry(&project_uid))
            .await
    }

    /// Fills what a stored project's eval input needs from the keychain and
    /// the store: the canary (the keychain's over an environment variable)
    /// and the last run's pass rate.
    pub(crate) async fn complete_eval(
        &self,
        project_id: i64,
        input: &mut EvalInput,
    ) -> Result<(), WorkError> {
        if let Some(canary) = self.stored_canary(project_id).await? {
            input.canary = Some(canary);
        }
        let last = self
            .store
            .run(move |db| db.last_eval_run(project_id))
            .await?;
        input.previous = last.map(|r| PreviousEval {
            started_ms: r.started_ms,
            pass_rate: r.pass_rate,
        });
        Ok(())
    }

    /// Keeps a report (answers truncated) as project `project_id`'s newest
    /// evaluation run.
    pub(crate) async fn keep_eval(
        &self,
        project_id: i64,
        report: &EvalReport,
    ) -> Result<(), WorkError> {
        let kept = stored(report);
        self.store
            .run(move |db| db.save_eval_run(project_id, &kept))
            .await?;
        Ok(())
    }

    /// Runs project `project_id`'s set: `runs` per case (the setup's when
    /// `None`), `only` those cases (all when empty). A run against
    /// production needs `confirm_production` (or the setup's
    /// `allow_production`). The report answers whole (redacted); it is
    /// stored truncated, and its findings are stored as a run (from
    /// `source`) that decides the `ai.eval` items, so the watch list, the
    /// history and the PDF see it.
    pub async fn run_eval(
        &self,
        project_id: i64,
        runs: Option<u32>,
        only: &[String],
        confirm_production: bool,
        source: RunSource,
        progress: EvalSink,
    ) -> Result<EvalReport, WorkError> {
        let spec = self.project(project_id).await?.spec;
        let mut target = CheckTarget::from_project(&spec).map_err(WorkError::Target)?;
        let mut input = admitted(&mut target, runs, confirm_production)?;
        self.complete_eval(project_id, &mut input).await?;
        target.credentials = self.run_credentials(project_id, &spec).await?;
        let key = match self.secrets_key(project_id).await {
            Ok(key) => key,
            Err(err) => {
                tracing::warn!(project_id, "no fingerprint key from the keychain: {err}");
                crate::secrets::FingerprintKey::random()
            }
        };
        let report = ask_all(&target, &input, key, runs, only, progress).await?;
        self.keep_eval(project_id, &report).await?;
        let record = RunRecord {
            project_id: Some(project_id),
            source,
            subject: spec.name.clone(),
            started_ms: report.started_ms,
            finished_ms: now_ms(),
        };
        let decisions = decide(self.catalog, &report.findings);
        self.store_run(record, report.findings.clone(), Some(decisions))
            .await?;
        Ok(report)
    }
}

/// Runs the set of a project file's `spec` (not stored): credentials and
/// the canary come from the environment variables it names.
pub async fn run_eval_file(
    spec: &handover_model::ProjectSpec,
    runs: Option<u32>,
    only: &[String],
    confirm_production: bool,
    progress: EvalSink,
) -> Result<EvalReport, WorkError> {
    let spec = crate::project::validate(spec).map_err(WorkError::Invalid)?;
    let mut target = CheckTarget::from_project(&spec).map_err(WorkError::Target)?;
    let input = admitted(&mut target, runs, confirm_production)?;
    let key = crate::secrets::FingerprintKey::random();
    ask_all(&target, &input, key, runs, only, progress).await
}

/// The target's eval input, if a run of it may go ahead.
fn admitted(
    target: &mut CheckTarget,
    runs: Option<u32>,
    confirm_production: bool,
) -> Result<EvalInput, WorkError> {
    let Some(input) = target.eval.take() else {
        return Err(invalid(
            "eval.adapter",
            "Set up the chat adapter first: the URL, the JSON body with {{question}} and where the answer is.",
        ));
    };
    if let Some(runs) = runs {
        if !(1..=handover_model::MAX_RUNS).contains(&runs) {
            return Err(invalid(
                "runs",
                format!("Between 1 and {} runs per case.", handover_model::MAX_RUNS),
            ));
        }
    }
    if input.production && !confirm_production && !input.setup.allow_production {
        return Err(invalid(
            "confirm_production",
            "This asks the production chat endpoint (real model calls, real logs): confirm to run it.",
        ));
    }
    Ok(input)
}

async fn ask_all(
    target: &CheckTarget,
    input: &EvalInput,
    key: crate::secrets::FingerprintKey,
    runs: Option<u32>,
    only: &[String],
    progress: EvalSink,
) -> Result<EvalReport, WorkError> {
    let plan = input
        .plan(&target.credentials, key, runs, only)
        .map_err(|why| invalid("eval.adapter", crate::project::sentence(&why)))?;
    let net = Net::new(target).map_err(|e| WorkError::Internal(e.to_string()))?;
    Ok(run::run(&net.http_client(), plan, now_ms(), progress).await)
}
