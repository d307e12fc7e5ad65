//! Live checks: run them (progress streams over a channel), list and read runs.

use std::sync::Arc;

use handover_core::workbench::RunOptions;
use handover_model::{
    ChecksRunRequest, CommandError, Progress, Run, RunGetRequest, RunSource, RunSummary,
    RunsListRequest,
};
use tauri::ipc::Channel;
use tauri::State;

use crate::state::AppState;

/// Runs every applicable check for a project; progress events arrive on `on_progress`.
#[tauri::command]
pub async fn checks_run(
    state: State<'_, AppState>,
    request: ChecksRunRequest,
    on_progress: Channel<Progress>,
) -> Result<Run, CommandError> {
    let sink = Arc::new(move |event: Progress| {
        // A closed window only means nobody is watching; the run goes on.
        let _ = on_progress.send(event);
    });
    Ok(state
        .workbench()?
        .run_checks_with(
            request.project_id,
            &request.only,
            RunSource::Window,
            RunOptions {
                load_probes: request.load_probes,
            },
            sink,
        )
        .await?)
}

/// A project's runs (or the runs of no stored project), newest first.
#[tauri::command]
pub async fn runs_list(
    state: State<'_, AppState>,
    request: RunsListRequest,
) -> Result<Vec<RunSummary>, CommandError> {
    Ok(state.workbench()?.runs(request.project_id).await?)
}

/// One run with its findings.
#[tauri::command]
pub async fn run_get(
    state: State<'_, AppState>,
    request: RunGetRequest,
) -> Result<Run, CommandError> {
    Ok(state.workbench()?.run(request.run_id).await?)
}
