//! The demo project in a workbench: created, or reset to the demo's state,
//! whenever the demo starts, and removed with its keychain entries. The
//! window, the CLI and the tests all go through here.

use handover_core::store::StoreError;
use handover_core::{WorkError, Workbench};
use handover_model::{
    AccountSaveRequest, CredentialSaveRequest, DemoStarted, FieldError, Project,
    ProjectSaveRequest, SecretText, DEMO_PROJECT_NAME,
};

use crate::Demo;

/// Creates the demo project, or resets the existing one: its spec points at
/// this run's servers and files, its accounts (and their keychain entries)
/// are the demo's again, and the chatbot's canary is kept in the keychain.
/// A project of the demo's name that is not the demo is left alone (an
/// error names the field).
pub async fn install(workbench: &Workbench, demo: &Demo) -> Result<DemoStarted, WorkError> {
    let (project, created) = save_spec(workbench, demo).await?;
    let old = workbench.accounts(project.id).await?;
    for account in old.accounts {
        workbench.delete_account(account.id).await?;
    }
    for seeded in demo.accounts() {
        let account = workbench
            .save_account(AccountSaveRequest {
                project_id: project.id,
                id: None,
                spec: seeded.spec,
            })
            .await?;
        for credential in seeded.credentials {
            workbench
                .save_credential(CredentialSaveRequest {
                    account_id: account.id,
                    credential_id: None,
                    kind: credential.kind,
                    label: credential.label,
                    secret: credential.secret,
                })
                .await?;
        }
    }
    plant(workbench, &project, demo).await?;
    Ok(DemoStarted {
        project_id: project.id,
        created,
        hosts: demo.hosts(),
        start_ms: demo.start_time().as_millis() as u64,
    })
}

/// Points an existing demo project at this run's servers (ports, CA and
/// files change on every start), keeping everything recorded about it;
/// `None` when there is no demo project.
pub async fn refresh(workbench: &Workbench, demo: &Demo) -> Result<Option<Project>, WorkError> {
    let Some(existing) = workbench.demo_project().await? else {
        return Ok(None);
    };
    let mut spec = demo.spec();
    // Keep a name the user gave it; the rest is the demo's.
    spec.name = existing.spec.name.clone();
    let project = save_over(workbench, existing.id, spec).await?;
    plant(workbench, &project, demo).await?;
    Ok(Some(project))
}

/// Deletes the demo project with its keychain entries; `false` when there
/// was none.
pub async fn remove(workbench: &Workbench) -> Result<bool, WorkError> {
    match workbench.demo_project().await? {
        Some(project) => {
            workbench.delete(project.id).await?;
            Ok(true)
        }
        None => Ok(false),
    }
}

async fn save_spec(workbench: &Workbench, demo: &Demo) -> Result<(Project, bool), WorkError> {
    let spec = demo.spec();
    if let Some(existing) = workbench.demo_project().await? {
        return Ok((save_over(workbench, existing.id, spec).await?, false));
    }
    let project = match workbench.save(ProjectSaveRequest { id: None, spec }).await {
        Ok(project) => project,
        Err(WorkError::Store(StoreError::NameTaken(_))) => {
            return Err(WorkError::Invalid(vec![FieldError {
                field: "name".into(),
                message: format!(
                    "A project named \u{201c}{DEMO_PROJECT_NAME}\u{201d} exists and is not the demo; rename it to try the demo."
                ),
            }]))
        }
        Err(err) => return Err(err),
    };
    workbench.mark_demo(project.id).await?;
    let project = workbench.project(project.id).await?;
    Ok((project, true))
}

/// Saves `spec` over the demo project `id`.
async fn save_over(
    workbench: &Workbench,
    id: i64,
    spec: handover_model::ProjectSpec,
) -> Result<Project, WorkError> {
    workbench
        .save(ProjectSaveRequest { id: Some(id), spec })
        .await
}

async fn plant(workbench: &Workbench, project: &Project, demo: &Demo) -> Result<(), WorkError> {
    workbench
        .plant_canary(project.id, SecretText::new(demo.planted().canary.clone()))
        .await
}
