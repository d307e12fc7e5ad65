//! The handover report: what an export would hold, the export itself (to a
//! path the window's native save dialog picked) and opening the last one.

use handover_model::{
    CommandError, Done, ErrorCode, ReportExportRequest, ReportExported, ReportOpenRequest,
    ReportPreview, ReportPreviewRequest,
};
use tauri::State;
use tauri_plugin_opener::OpenerExt;

use crate::state::AppState;

/// The watch list, the sections and the last export of a project.
#[tauri::command]
pub async fn report_preview(
    state: State<'_, AppState>,
    request: ReportPreviewRequest,
) -> Result<ReportPreview, CommandError> {
    Ok(state
        .workbench()?
        .report_preview(request.project_id)
        .await?)
}

/// Writes a project's report (PDF, Markdown or JSON), dated today, atomically.
#[tauri::command]
pub async fn report_export(
    state: State<'_, AppState>,
    request: ReportExportRequest,
) -> Result<ReportExported, CommandError> {
    Ok(state.workbench()?.export_report(request, None).await?)
}

/// Opens the project's last export with the system's viewer; only a file
/// Handover wrote itself, so the window cannot have any path opened.
#[tauri::command]
pub async fn report_open<R: tauri::Runtime>(
    app: tauri::AppHandle<R>,
    state: State<'_, AppState>,
    request: ReportOpenRequest,
) -> Result<Done, CommandError> {
    let record = state
        .workbench()?
        .last_export(request.project_id)
        .await?
        .ok_or_else(|| {
            CommandError::new(
                ErrorCode::NotFound,
                "This project has not been exported yet.",
            )
        })?;
    if !std::path::Path::new(&record.path).is_file() {
        return Err(CommandError::new(
            ErrorCode::NotFound,
            format!("{} is no longer there; export again.", record.path),
        ));
    }
    app.opener()
        .open_path(record.path, None::<&str>)
        .map_err(|e| {
            CommandError::new(
                ErrorCode::Internal,
                format!("The file could not be opened: {e}."),
            )
        })?;
    Ok(Done {})
}
