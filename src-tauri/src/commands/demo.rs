//! The demo product: start it (creating or resetting its project) and
//! remove it (the project, its keychain entries and the servers).

use handover_model::{CommandError, DemoRemoveRequest, DemoStartRequest, DemoStarted, Done};
use tauri::State;

use crate::state::AppState;

/// Starts the demo and creates or resets its project.
#[tauri::command]
pub async fn demo_start(
    state: State<'_, AppState>,
    request: DemoStartRequest,
) -> Result<DemoStarted, CommandError> {
    let DemoStartRequest {} = request;
    crate::demo::start(&state).await
}

/// Removes the demo project and stops the demo.
#[tauri::command]
pub async fn demo_remove(
    state: State<'_, AppState>,
    request: DemoRemoveRequest,
) -> Result<Done, CommandError> {
    let DemoRemoveRequest {} = request;
    crate::demo::remove(&state).await
}
