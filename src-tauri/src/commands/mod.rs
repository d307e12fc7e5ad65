//! Tauri commands: each takes one request struct, calls the core, and maps
//! failures to [`CommandError`]. Blocking work (keychain) runs on Tauri's
//! blocking pool and SQLite on the store's own thread, so the async runtime
//! never stalls.

use handover_model::{
    AppInfo, AppInfoRequest, Catalog, CatalogRequest, CommandError, Done, ErrorCode, History,
    ItemHistoryRequest, ItemState, ItemStates, ItemUpdateRequest, ItemsGetRequest, Overview,
    OverviewRequest, PositionSetRequest, Project, ProjectDeleteRequest, ProjectGetRequest,
    ProjectListRequest, ProjectSaveRequest, ProjectSummary, ProjectValidateRequest, Resume,
    ResumeRequest, ValidationReport,
};
use tauri::State;
use tauri_plugin_opener::OpenerExt;

use crate::state::AppState;

mod accounts;
mod checks;
mod demo;
mod eval;
mod files;
mod history;
mod report;
mod secrets;

pub use accounts::*;
pub use checks::*;
pub use demo::*;
pub use eval::*;
pub use files::*;
pub use history::*;
pub use report::*;
pub use secrets::*;

/// The refusal of a file name whose extension is neither `.toml` nor `.json`.
fn toml_or_json() -> CommandError {
    CommandError::new(
        ErrorCode::InvalidInput,
        "Name the file .toml or .json; the extension picks the format.",
    )
}

/// Writes `text` to `path` (owner-only), off the async runtime.
async fn write_file(
    state: &AppState,
    path: std::path::PathBuf,
    text: String,
) -> Result<(), CommandError> {
    blocking(state, move |_| {
        handover_core::paths::write_private(&path, text.as_bytes()).map_err(|err| {
            CommandError::new(
                ErrorCode::Storage,
                format!("Cannot write {}: {err}.", path.display()),
            )
        })
    })
    .await
}

/// Runs blocking core work off the async runtime.
async fn blocking<T, F>(state: &AppState, work: F) -> Result<T, CommandError>
where
    T: Send + 'static,
    F: FnOnce(AppState) -> Result<T, CommandError> + Send + 'static,
{
    let state = state.clone();
    tauri::async_runtime::spawn_blocking(move || work(state))
        .await
        .map_err(|e| {
            CommandError::new(
                ErrorCode::Internal,
                format!("a background task failed: {e}"),
            )
        })?
}

/// Version, data directory and a live keychain probe for the About panel.
#[tauri::command]
pub async fn app_info(
    state: State<'_, AppState>,
    request: AppInfoRequest,
) -> Result<AppInfo, CommandError> {
    let AppInfoRequest {} = request;
    blocking(&state, |s| {
        Ok(handover_core::app_info(
            crate::VERSION,
            &s.data_dir,
            &s.db_path,
            s.database_problem(),
            &s.vault,
        ))
    })
    .await
}

/// The checklist catalog.
#[tauri::command]
pub fn catalog_get(request: CatalogRequest) -> Result<Catalog, CommandError> {
    let CatalogRequest {} = request;
    Ok(handover_core::catalog::builtin().clone())
}

/// Every project with its progress.
#[tauri::command]
pub async fn project_list(
    state: State<'_, AppState>,
    request: ProjectListRequest,
) -> Result<Vec<ProjectSummary>, CommandError> {
    let ProjectListRequest {} = request;
    Ok(state.workbench()?.projects().await?)
}

/// One project.
#[tauri::command]
pub async fn project_get(
    state: State<'_, AppState>,
    request: ProjectGetRequest,
) -> Result<Project, CommandError> {
    Ok(state.workbench()?.project(request.id).await?)
}

/// Checks a project form without saving it.
#[tauri::command]
pub async fn project_validate(
    state: State<'_, AppState>,
    request: ProjectValidateRequest,
) -> Result<ValidationReport, CommandError> {
    Ok(state.workbench()?.validate(request).await?)
}

/// Creates or replaces a project.
#[tauri::command]
pub async fn project_save(
    state: State<'_, AppState>,
    request: ProjectSaveRequest,
) -> Result<Project, CommandError> {
    Ok(state.workbench()?.save(request).await?)
}

/// Deletes a project with its audit state.
#[tauri::command]
pub async fn project_delete(
    state: State<'_, AppState>,
    request: ProjectDeleteRequest,
) -> Result<Done, CommandError> {
    state.workbench()?.delete(request.id).await?;
    Ok(Done {})
}

/// The state of every checklist item of a project.
#[tauri::command]
pub async fn items_get(
    state: State<'_, AppState>,
    request: ItemsGetRequest,
) -> Result<ItemStates, CommandError> {
    Ok(state.workbench()?.items(request.project_id).await?)
}

/// Changes one item's status, owner, notes or evidence.
#[tauri::command]
pub async fn item_update(
    state: State<'_, AppState>,
    request: ItemUpdateRequest,
) -> Result<ItemState, CommandError> {
    Ok(state.workbench()?.update_item(request).await?)
}

/// The recorded changes of an item or project.
#[tauri::command]
pub async fn item_history(
    state: State<'_, AppState>,
    request: ItemHistoryRequest,
) -> Result<History, CommandError> {
    Ok(state.workbench()?.history(request).await?)
}

/// Verdict, ranked open items and progress.
#[tauri::command]
pub async fn overview_get(
    state: State<'_, AppState>,
    request: OverviewRequest,
) -> Result<Overview, CommandError> {
    Ok(state.workbench()?.overview(request.project_id).await?)
}

/// Remembers where the walkthrough is.
#[tauri::command]
pub async fn position_set(
    state: State<'_, AppState>,
    request: PositionSetRequest,
) -> Result<Done, CommandError> {
    state.workbench()?.set_position(request.position).await?;
    Ok(Done {})
}

/// The last walkthrough position across projects.
#[tauri::command]
pub async fn resume_get(
    state: State<'_, AppState>,
    request: ResumeRequest,
) -> Result<Resume, CommandError> {
    let ResumeRequest {} = request;
    Ok(state.workbench()?.resume().await?)
}

/// Opens an `http(s)` link (e.g. an account's login page) in the system
/// browser; the app window itself never navigates away.
#[tauri::command]
pub fn link_open<R: tauri::Runtime>(
    app: tauri::AppHandle<R>,
    request: handover_model::LinkOpenRequest,
) -> Result<Done, CommandError> {
    let url = handover_core::input::base_url(&request.url)
        .map(|_| request.url.trim().to_string())
        .map_err(|e| {
            CommandError::new(
                ErrorCode::InvalidInput,
                format!("Cannot open that link: {e}."),
            )
        })?;
    app.opener().open_url(url, None::<&str>).map_err(|e| {
        CommandError::new(
            ErrorCode::Internal,
            format!("The browser could not be started: {e}."),
        )
    })?;
    Ok(Done {})
}
