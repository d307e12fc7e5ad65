//! Projects as files: import from and export to a path the window's native
//! open/save dialog picked.

use std::path::PathBuf;

use handover_core::project::file::{self, Format};
use handover_model::{CommandError, Done, Project, ProjectExportRequest, ProjectImportRequest};
use tauri::State;

use crate::state::AppState;

/// Reads, validates and stores a project file; a duplicate name is refused
/// unless `replace`. Every problem with the file comes back at once.
#[tauri::command]
pub async fn project_import(
    state: State<'_, AppState>,
    request: ProjectImportRequest,
) -> Result<Project, CommandError> {
    let path = PathBuf::from(request.path);
    let spec = super::blocking(&state, move |_| Ok(file::load(&path)?)).await?;
    Ok(state
        .workbench()?
        .import_project(spec, request.replace)
        .await?)
}

/// Writes a project's description to a file, TOML or JSON by its extension.
#[tauri::command]
pub async fn project_export(
    state: State<'_, AppState>,
    request: ProjectExportRequest,
) -> Result<Done, CommandError> {
    let path = PathBuf::from(request.path);
    let format = Format::from_path(&path).ok_or_else(super::toml_or_json)?;
    let text = state
        .workbench()?
        .export_project_file(request.id, format)
        .await?;
    super::write_file(&state, path, text).await?;
    Ok(Done {})
}
