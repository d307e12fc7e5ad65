//! The projects-and-audit engine that the window and the CLI both drive:
//! validation, the store and triage behind one async API, one method per
//! command.

use std::path::Path;
use std::sync::Arc;

use handover_model::{
    Catalog, CommandError, ErrorCode, FieldError, History, ItemHistoryRequest, ItemState,
    ItemStates, ItemUpdateRequest, Overview, Position, Project, ProjectSaveRequest, ProjectSummary,
    ProjectValidateRequest, Resume, ValidationReport,
};

use crate::store::{now_ms, Db, Store, StoreError};
use crate::vault::{Vault, VaultError};
use crate::{audit, catalog, project, triage};

mod accounts;
pub use accounts::{read_dkim_selectors, MAX_PASTED_HEADERS};
#[cfg(test)]
mod bed_tests;
#[cfg(test)]
mod credentials_tests;
mod eval;
mod files;
mod history;
mod hygiene;
#[cfg(test)]
mod hygiene_tests;
mod report;
mod runs;
mod secrets;
#[cfg(test)]
mod secrets_tests;

pub use eval::{run_eval_file, EvalSink};
pub use hygiene::ScanSink;
pub use report::{findings_path, today, ReportSource};
pub use runs::{
    audit, decide, inconclusive_sentence, run_verdict, selection, ProgressSink, RunOptions,
    RunVerdict,
};
#[cfg(test)]
mod tests;

/// Why a workbench call failed.
#[derive(Debug, thiserror::Error)]
pub enum WorkError {
    /// The input was refused; each entry names its field.
    #[error("{} field(s) need attention", .0.len())]
    Invalid(Vec<FieldError>),
    /// The database refused or failed.
    #[error(transparent)]
    Store(#[from] StoreError),
    /// The OS keychain is locked, missing or failed; nothing was written elsewhere.
    #[error(transparent)]
    Vault(#[from] VaultError),
    /// A run's target could not be built (a bad CA file or DNS server at run time).
    #[error(transparent)]
    Target(#[from] crate::checks::TargetError),
    /// The report could not be made or written (any previous file is intact).
    #[error(transparent)]
    Report(#[from] crate::report::ReportError),
    /// A background task failed.
    #[error("{0}")]
    Internal(String),
}

impl From<WorkError> for CommandError {
    fn from(err: WorkError) -> Self {
        match err {
            WorkError::Invalid(fields) => CommandError::invalid_fields(fields),
            WorkError::Store(StoreError::NameTaken(name)) => {
                let mut error = CommandError::invalid_fields(vec![name_taken(&name)]);
                error.code = ErrorCode::Conflict;
                error
            }
            WorkError::Store(err @ StoreError::NotFound { .. }) => {
                CommandError::new(ErrorCode::NotFound, project::sentence(&err.to_string()))
            }
            WorkError::Store(err) => {
                CommandError::new(ErrorCode::Storage, project::sentence(&err.to_string()))
            }
            WorkError::Vault(err) => CommandError::new(
                ErrorCode::KeychainUnavailable,
                format!(
                    "{} Nothing was stored anywhere else.",
                    project::sentence(&err.to_string())
                ),
            ),
            WorkError::Target(err) => {
                let text = err.to_string();
                let reason = text
                    .strip_prefix(&format!("{}: ", err.field()))
                    .unwrap_or(&text);
                CommandError::invalid_fields(vec![FieldError {
                    field: err.field().to_string(),
                    message: format!("At run time: {}", project::sentence(reason)),
                }])
            }
            WorkError::Report(err) => CommandError::new(
                report::error_code(&err),
                project::sentence(&err.to_string()),
            ),
            WorkError::Internal(message) => {
                CommandError::new(ErrorCode::Internal, project::sentence(&message))
            }
        }
    }
}

fn name_taken(name: &str) -> FieldError {
    FieldError {
        field: "name".into(),
        message: format!("A project named {name:?} already exists; choose another name."),
    }
}

/// Projects, their audit state, accounts and the verdict, over one store
/// and one keychain.
#[derive(Debug, Clone)]
pub struct Workbench {
    store: Store,
    vault: Arc<Vault>,
    catalog: &'static Catalog,
    actor: String,
}

impl Workbench {
    /// Opens (and if needed migrates) the database at `path`; changes are
    /// recorded as made by `actor`.
    pub fn open(
        path: &Path,
        vault: Arc<Vault>,
        actor: impl Into<String>,
    ) -> Result<Self, WorkError> {
        Ok(Self::new(Store::open(path)?, vault, actor))
    }

    /// A workbench over an already open store and a keychain.
    pub fn new(store: Store, vault: Arc<Vault>, actor: impl Into<String>) -> Self {
        Self {
            store,
            vault,
            catalog: catalog::builtin(),
            actor: actor.into(),
        }
    }

    /// The store underneath.
    pub fn store(&self) -> &Store {
        &self.store
    }

    /// The checklist catalog.
    pub fn catalog(&self) -> &'static Catalog {
        self.catalog
    }

    /// Every project with its progress, most recently changed first.
    pub async fn projects(&self) -> Result<Vec<ProjectSummary>, WorkError> {
        let catalog = self.catalog;
        Ok(self
            .store
            .run(move |db| {
                let now = now_ms();
                let mut out = Vec::new();
                for project in db.projects()? {
                    let states = db.item_states(project.id)?;
                    let gaps = handover_gaps(db, project.id, now)?;
                    out.push(triage::summary(catalog, &project, &states, gaps));
                }
                Ok(out)
            })
            .await?)
    }

    /// One project.
    pub async fn project(&self, id: i64) -> Result<Project, WorkError> {
        Ok(self.store.run(move |db| db.project(id)).await?)
    }

    /// Every problem with a project form, including a duplicate name.
    pub async fn validate(
        &self,
        request: ProjectValidateRequest,
    ) -> Result<ValidationReport, WorkError> {
        let mut errors = match project::validate(&request.spec) {
            Ok(_) => Vec::new(),
            Err(errors) => errors,
        };
        let name = request.spec.name.trim().to_string();
        if !name.is_empty() && !errors.iter().any(|e| e.field == "name") {
            let taken = self
                .store
                .run(move |db| db.name_taken(&name, request.id))
                .await?;
            if taken {
                errors.insert(0, name_taken(request.spec.name.trim()));
            }
        }
        Ok(ValidationReport { errors })
    }

    /// Creates or replaces a project after validating it.
    pub async fn save(&self, request: ProjectSaveRequest) -> Result<Project, WorkError> {
        let spec = project::validate(&request.spec).map_err(WorkError::Invalid)?;
        self.check_credential_refs(request.id, &spec).await?;
        let now = now_ms();
        Ok(self
            .store
            .run(move |db| match request.id {
                Some(id) => db.update_project(id, &spec, now),
                None => db.create_project(&spec, now),
            })
            .await?)
    }

    /// Refuses a spec naming a stored credential that is not one of project
    /// `id`'s (a new project has none yet), on the field that names it.
    async fn check_credential_refs(
        &self,
        id: Option<i64>,
        spec: &handover_model::ProjectSpec,
    ) -> Result<(), WorkError> {
        let mut named: Vec<(String, i64)> = spec
            .endpoints
            .iter()
            .enumerate()
            .filter_map(|(i, e)| {
                Some((
                    format!("endpoints.{i}.auth.credential_id"),
                    e.auth.as_ref()?.credential_id?,
                ))
            })
            .collect();
        if let Some(id) = spec
            .tenant_probe
            .as_ref()
            .and_then(|t| t.auth.credential_id)
        {
            named.push(("tenant_probe.auth.credential_id".into(), id));
        }
        if let Some(id) = spec
            .eval
            .adapter
            .as_ref()
            .and_then(|a| a.auth.as_ref()?.credential_id)
        {
            named.push(("eval.adapter.auth.credential_id".into(), id));
        }
        if named.is_empty() {
            return Ok(());
        }
        let known: Vec<i64> = match id {
            Some(id) => self
                .store
                .run(move |db| db.credential_refs_of_project(id))
                .await?
                .into_iter()
                .map(|r| r.id)
                .collect(),
            None => Vec::new(),
        };
        let errors: Vec<FieldError> = named
            .into_iter()
            .filter(|(_, credential)| !known.contains(credential))
            .map(|(field, credential)| FieldError {
                field,
                message: if id.is_none() {
                    "Save the project first, then add its credentials on the Accounts page and choose one here.".into()
                } else {
                    format!("Credential {credential} is not one of this project's credentials; choose one from its Accounts.")
                },
            })
            .collect();
        if errors.is_empty() {
            Ok(())
        } else {
            Err(WorkError::Invalid(errors))
        }
    }

    /// Deletes a project with its audit state, history and accounts; the
    /// keychain entries of its credentials and its secret-fingerprint key
    /// go first, and if the keychain refuses, nothing is deleted.
    pub async fn delete(&self, id: i64) -> Result<(), WorkError> {
        let refs = self
            .store
            .run(move |db| db.credential_refs_of_project(id))
            .await?;
        self.forget(refs).await?;
        let uid = self.store.run(move |db| db.project_uid(id)).await?;
        self.forget_secrets_key(uid.clone()).await?;
        self.forget_canary(uid).await?;
        Ok(self.store.run(move |db| db.delete_project(id)).await?)
    }

    /// Marks project `id` as the demo product's (at most one is).
    pub async fn mark_demo(&self, id: i64) -> Result<(), WorkError> {
        Ok(self.store.run(move |db| db.mark_demo(id)).await?)
    }

    /// The demo product's project, if there is one.
    pub async fn demo_project(&self) -> Result<Option<Project>, WorkError> {
        Ok(self.store.run(|db| db.demo_project()).await?)
    }

    /// The state of every item of a project, in catalog order.
    pub async fn items(&self, project_id: i64) -> Result<ItemStates, WorkError> {
        let catalog = self.catalog;
        Ok(self
            .store
            .run(move |db| {
                Ok(ItemStates {
                    items: item_states_in(db, catalog, project_id)?,
                    position: db.position(project_id)?,
                })
            })
            .await?)
    }

    /// Validates and stores a change to one item, recording its history.
    pub async fn update_item(&self, request: ItemUpdateRequest) -> Result<ItemState, WorkError> {
        let mut state = audit::item_change(self.catalog, &request).map_err(WorkError::Invalid)?;
        let actor = self.actor.clone();
        let now = now_ms();
        Ok(self
            .store
            .run(move |db| {
                // A run's "could not check" stays while the status is the
                // one the run left (editing the owner does not clear it).
                if let Some(current) = db.item_state(request.project_id, &state.item_id)? {
                    if current.status == state.status {
                        state.could_not_check = current.could_not_check;
                    }
                }
                db.update_item(request.project_id, &state, &actor, now)
            })
            .await?)
    }

    /// The history of one item, or of a whole project, newest first.
    pub async fn history(&self, request: ItemHistoryRequest) -> Result<History, WorkError> {
        let entries = self
            .store
            .run(move |db| {
                db.project(request.project_id)?;
                db.history(request.project_id, request.item_id.as_deref())
            })
            .await?;
        Ok(History { entries })
    }

    /// Verdict, ranked open items and stage progress.
    pub async fn overview(&self, project_id: i64) -> Result<Overview, WorkError> {
        let catalog = self.catalog;
        Ok(self
            .store
            .run(move |db| overview_in(db, catalog, project_id))
            .await?)
    }

    /// Everything about a project except secrets, as one serialisable document.
    pub async fn export(&self, project_id: i64) -> Result<crate::export::ProjectExport, WorkError> {
        let catalog = self.catalog;
        Ok(self
            .store
            .run(move |db| {
                Ok(crate::export::ProjectExport {
                    format: crate::export::FORMAT,
                    exported_ms: now_ms(),
                    overview: overview_in(db, catalog, project_id)?,
                    project: db.project(project_id)?,
                    items: db.item_states(project_id)?,
                    history: db.history(project_id, None)?,
                    accounts: db.accounts(project_id)?,
                    contacts: db.contacts(project_id)?,
                })
            })
            .await?)
    }

    /// Finds a project by id or by name (case-insensitive).
    pub async fn find_project(&self, id_or_name: &str) -> Result<Project, WorkError> {
        let wanted = id_or_name.trim().to_string();
        Ok(self
            .store
            .run(move |db| {
                if let Ok(id) = wanted.parse::<i64>() {
                    return db.project(id);
                }
                db.projects()?
                    .into_iter()
                    .find(|p| p.spec.name.eq_ignore_ascii_case(&wanted))
                    .ok_or(StoreError::NotFound {
                        what: "project",
                        id: wanted,
                    })
            })
            .await?)
    }

    /// Remembers where the walkthrough of a project is.
    pub async fn set_position(&self, position: Position) -> Result<(), WorkError> {
        audit::position(self.catalog, &position).map_err(WorkError::Invalid)?;
        let now = now_ms();
        Ok(self
            .store
            .run(move |db| db.set_position(&position, now))
            .await?)
    }

    /// The most recent walkthrough position across projects.
    pub async fn resume(&self) -> Result<Resume, WorkError> {
        let position = self.store.run(|db| db.last_position()).await?;
        Ok(Resume { position })
    }
}

/// Every item's state of a project in catalog order (to do where none is stored).
fn item_states_in(
    db: &mut Db,
    catalog: &Catalog,
    project_id: i64,
) -> Result<Vec<ItemState>, StoreError> {
    db.project(project_id)?;
    let stored = db.item_states(project_id)?;
    Ok(catalog
        .items
        .iter()
        .map(|item| {
            stored
                .iter()
                .find(|s| s.item_id == item.id)
                .cloned()
                .unwrap_or_else(|| ItemState {
                    item_id: item.id.clone(),
                    ..ItemState::default()
                })
        })
        .collect())
}

fn overview_in(db: &mut Db, catalog: &Catalog, project_id: i64) -> Result<Overview, StoreError> {
    overview_at(db, catalog, project_id, now_ms())
}

/// The overview as it stands at `now` (ms since the epoch).
fn overview_at(
    db: &mut Db,
    catalog: &Catalog,
    project_id: i64,
    now: i64,
) -> Result<Overview, StoreError> {
    let project = db.project(project_id)?;
    let states = db.item_states(project_id)?;
    let position = db.position(project_id)?;
    let gaps = handover_gaps(db, project_id, now)?;
    Ok(triage::overview(catalog, &project, &states, position, gaps))
}

fn handover_gaps(
    db: &mut Db,
    project_id: i64,
    now: i64,
) -> Result<Vec<handover_model::HandoverFinding>, StoreError> {
    let accounts = db.accounts(project_id)?;
    let contacts = db.contacts(project_id)?;
    Ok(triage::handover_findings(&accounts, &contacts, now))
}

/// Who is making changes: the OS user name, or `local user`.
pub fn local_actor() -> String {
    ["USER", "USERNAME", "LOGNAME"]
        .iter()
        .find_map(|key| std::env::var(key).ok().filter(|v| !v.trim().is_empty()))
        .unwrap_or_else(|| "local user".to_string())
}
