//! The Eval page: the set and the last run, saving and importing cases,
//! the canary (the one explicit reveal), and a run whose progress streams
//! over a channel.

use std::sync::Arc;

use handover_core::eval::cases::Format;
use handover_model::{
    CommandError, Done, EvalCanaryRequest, EvalExportRequest, EvalGetRequest, EvalImportRequest,
    EvalProgress, EvalReport, EvalRunRequest, EvalSaveRequest, EvalView, Revealed,
};
use tauri::ipc::Channel;
use tauri::State;

use crate::state::AppState;

/// The project's set, its setup and its last run.
#[tauri::command]
pub async fn eval_get(
    state: State<'_, AppState>,
    request: EvalGetRequest,
) -> Result<EvalView, CommandError> {
    Ok(state.workbench()?.eval_view(request.project_id).await?)
}

/// Saves the project's setup (validated with the project).
#[tauri::command]
pub async fn eval_save(
    state: State<'_, AppState>,
    request: EvalSaveRequest,
) -> Result<EvalView, CommandError> {
    Ok(state
        .workbench()?
        .eval_save(request.project_id, request.setup)
        .await?)
}

/// Replaces the project's cases with a file's.
#[tauri::command]
pub async fn eval_import(
    state: State<'_, AppState>,
    request: EvalImportRequest,
) -> Result<EvalView, CommandError> {
    Ok(state
        .workbench()?
        .eval_import(request.project_id, &request.text, &request.format)
        .await?)
}

/// Runs the set; progress arrives on `on_progress`.
#[tauri::command]
pub async fn eval_run(
    state: State<'_, AppState>,
    request: EvalRunRequest,
    on_progress: Channel<EvalProgress>,
) -> Result<EvalReport, CommandError> {
    let sink = Arc::new(move |event: EvalProgress| {
        // A closed window only means nobody is watching; the run goes on.
        let _ = on_progress.send(event);
    });
    Ok(state
        .workbench()?
        .run_eval(
            request.project_id,
            request.runs,
            &request.only,
            request.confirm_production,
            handover_model::RunSource::Window,
            sink,
        )
        .await?)
}

/// The project's canary, made on first use: shown so it can be planted in
/// the system prompt.
#[tauri::command]
pub async fn eval_canary(
    state: State<'_, AppState>,
    request: EvalCanaryRequest,
) -> Result<Revealed, CommandError> {
    let secret = state
        .workbench()?
        .eval_canary(request.project_id, request.renew)
        .await?;
    Ok(Revealed { secret })
}

/// Writes the cases a run asks to a `.toml` or `.json` file.
#[tauri::command]
pub async fn eval_export(
    state: State<'_, AppState>,
    request: EvalExportRequest,
) -> Result<Done, CommandError> {
    let path = std::path::PathBuf::from(request.path);
    let format = Format::of_path(&path).ok_or_else(super::toml_or_json)?;
    let text = state
        .workbench()?
        .eval_export(request.project_id, format)
        .await?;
    super::write_file(&state, path, text).await?;
    Ok(Done {})
}
