//! The History page: runs over time, what changed, the weekly schedule,
//! retention, "Recheck now" (its progress streams over a channel, its
//! notices become system notifications) and start at login.

use std::sync::Arc;

use handover_model::{
    Autostart, AutostartGetRequest, AutostartSetRequest, CommandError, DiffRequest, ErrorCode,
    HistoryRequest, HistoryView, Progress, RecheckOutcome, RecheckRequest, Retention,
    RetentionSetRequest, RunDiff, RunSource, Schedule, ScheduleSetRequest,
};
use tauri::ipc::Channel;
use tauri::{AppHandle, Manager, Runtime, State};
use tauri_plugin_autostart::AutoLaunchManager;

use crate::state::AppState;

/// Runs, the diff since the run before the latest, chart series, schedule
/// and retention of a project.
#[tauri::command]
pub async fn history_get(
    state: State<'_, AppState>,
    request: HistoryRequest,
) -> Result<HistoryView, CommandError> {
    Ok(state
        .workbench()?
        .run_history(request.project_id, request.since_ms)
        .await?)
}

/// What changed between two runs (the latest two by default).
#[tauri::command]
pub async fn diff_get(
    state: State<'_, AppState>,
    request: DiffRequest,
) -> Result<RunDiff, CommandError> {
    Ok(state
        .workbench()?
        .diff_runs(request.project_id, request.from_run, request.to_run)
        .await?)
}

/// Changes a project's weekly recheck; answers it with its next due time.
#[tauri::command]
pub async fn schedule_set(
    state: State<'_, AppState>,
    request: ScheduleSetRequest,
) -> Result<Schedule, CommandError> {
    Ok(state.workbench()?.set_schedule(request).await?)
}

/// Rechecks a project now; progress events arrive on `on_progress`, and
/// the notices the core returned are shown as system notifications.
#[tauri::command]
pub async fn recheck_now<R: Runtime>(
    app: AppHandle<R>,
    state: State<'_, AppState>,
    request: RecheckRequest,
    on_progress: Channel<Progress>,
) -> Result<RecheckOutcome, CommandError> {
    let sink = Arc::new(move |event: Progress| {
        // A closed window only means nobody is watching; the recheck goes on.
        let _ = on_progress.send(event);
    });
    let outcome = state
        .workbench()?
        .recheck(request.project_id, RunSource::Window, sink)
        .await?;
    crate::desktop::notify(&app, &outcome.notices);
    crate::desktop::show_verdict(&app, request.project_id, outcome.go).await;
    Ok(outcome)
}

/// Sets how many days runs are kept.
#[tauri::command]
pub async fn retention_set(
    state: State<'_, AppState>,
    request: RetentionSetRequest,
) -> Result<Retention, CommandError> {
    let days = state.workbench()?.set_retention(request.days).await?;
    Ok(Retention { days })
}

/// Whether Handover starts (hidden) at login.
#[tauri::command]
pub fn autostart_get<R: Runtime>(
    app: AppHandle<R>,
    request: AutostartGetRequest,
) -> Result<Autostart, CommandError> {
    let AutostartGetRequest {} = request;
    autostart(&app, None)
}

/// Turns start at login (hidden) on or off.
#[tauri::command]
pub fn autostart_set<R: Runtime>(
    app: AppHandle<R>,
    request: AutostartSetRequest,
) -> Result<Autostart, CommandError> {
    autostart(&app, Some(request.enabled))
}

/// Reads (and with `change`, first sets) start at login. Without the
/// autostart plugin (the test runtime) it is simply not available.
fn autostart<R: Runtime>(
    app: &AppHandle<R>,
    change: Option<bool>,
) -> Result<Autostart, CommandError> {
    let Some(manager) = app.try_state::<AutoLaunchManager>() else {
        return Ok(Autostart {
            available: false,
            enabled: false,
        });
    };
    let failed = |e: tauri_plugin_autostart::Error| {
        CommandError::new(
            ErrorCode::Internal,
            format!("Start at login could not be changed: {e}."),
        )
    };
    match change {
        Some(true) => manager.enable().map_err(failed)?,
        Some(false) => manager.disable().map_err(failed)?,
        None => {}
    }
    Ok(Autostart {
        available: true,
        enabled: manager.is_enabled().map_err(failed)?,
    })
}
