//! The Secrets & env page: a scan (its progress streams over a channel),
//! the last scan, log exports, and the baseline of ignored fingerprints.

use std::sync::Arc;

use handover_model::{
    CommandError, LogsScanRequest, ProjectSecrets, ScanProgress, SecretIgnoreRequest,
    SecretUnignoreRequest, SecretsGetRequest, SecretsScanRequest, SecretsView,
};
use tauri::ipc::Channel;
use tauri::State;

use crate::state::AppState;

/// The project's last scan (with today's baseline) and its baseline.
#[tauri::command]
pub async fn secrets_get(
    state: State<'_, AppState>,
    request: SecretsGetRequest,
) -> Result<SecretsView, CommandError> {
    Ok(state.workbench()?.secrets_view(request.project_id).await?)
}

/// Scans the project; progress arrives on `on_progress`.
#[tauri::command]
pub async fn secrets_scan(
    state: State<'_, AppState>,
    request: SecretsScanRequest,
    on_progress: Channel<ScanProgress>,
) -> Result<ProjectSecrets, CommandError> {
    let sink = Arc::new(move |event: ScanProgress| {
        // A closed window only means nobody is watching; the scan goes on.
        let _ = on_progress.send(event);
    });
    Ok(state.workbench()?.scan_hygiene(request, sink).await?)
}

/// Scans log exports into the project's last scan.
#[tauri::command]
pub async fn logs_scan(
    state: State<'_, AppState>,
    request: LogsScanRequest,
) -> Result<ProjectSecrets, CommandError> {
    Ok(state.workbench()?.scan_logs(request).await?)
}

/// Adds a fingerprint to the project's baseline.
#[tauri::command]
pub async fn secret_ignore(
    state: State<'_, AppState>,
    request: SecretIgnoreRequest,
) -> Result<SecretsView, CommandError> {
    Ok(state.workbench()?.ignore_secret(request).await?)
}

/// Takes a fingerprint out of the project's baseline.
#[tauri::command]
pub async fn secret_unignore(
    state: State<'_, AppState>,
    request: SecretUnignoreRequest,
) -> Result<SecretsView, CommandError> {
    Ok(state.workbench()?.unignore_secret(request).await?)
}
