//! Tauri commands: each takes one request struct, calls the core, and maps
//! failures to [`CommandError`]. Blocking work (keychain, SQLite) runs on
//! Tauri's blocking pool so the async runtime never stalls.

use handover_model::{AppInfo, AppInfoRequest, CommandError, ErrorCode};
use tauri::State;

use crate::state::AppState;

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
            &s.vault,
        ))
    })
    .await
}
