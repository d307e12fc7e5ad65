//! The demo product in the shell: at most one running demo per process,
//! held in [`AppState`] and stopped when the process exits. Starting,
//! resetting and removing its project is [`handover_demo::install`]'s.

use std::sync::Arc;

use handover_demo::{install, Demo, DemoError};
use handover_model::{CommandError, DemoStarted, Done, ErrorCode};
use tokio::sync::Mutex;

use crate::state::AppState;

/// The folder under the data directory the window's demo writes to.
pub const APP_DIR: &str = "demo";

/// The running demo, if any.
#[derive(Debug, Clone, Default)]
pub struct DemoSlot(Arc<Mutex<Option<Demo>>>);

fn failed(err: DemoError) -> CommandError {
    CommandError::new(ErrorCode::Internal, err.to_string())
}

/// The running demo, started in the data directory's [`APP_DIR`] if none
/// runs; `true` with it when it was started now.
async fn running<'a>(
    slot: &'a mut Option<Demo>,
    state: &AppState,
) -> Result<(&'a Demo, bool), DemoError> {
    let fresh = slot.is_none();
    if fresh {
        *slot = Some(Demo::start(&state.data_dir.path().join(APP_DIR)).await?);
    }
    Ok((slot.as_ref().expect("started above"), fresh))
}

/// Starts the demo's servers unless they run, then creates or resets the
/// demo project pointed at them.
pub async fn start(state: &AppState) -> Result<DemoStarted, CommandError> {
    let workbench = state.workbench()?;
    let mut slot = state.demo.0.lock().await;
    let (demo, fresh) = running(&mut slot, state).await.map_err(failed)?;
    let mut started = install::install(workbench, demo).await?;
    if !fresh {
        started.start_ms = 0;
    }
    tracing::info!(
        "demo: project {} on https port {} ({} ms)",
        started.project_id,
        demo.https_port(),
        started.start_ms
    );
    Ok(started)
}

/// Deletes the demo project and its keychain entries, then stops the servers.
pub async fn remove(state: &AppState) -> Result<Done, CommandError> {
    let workbench = state.workbench()?;
    install::remove(workbench).await?;
    state.demo.0.lock().await.take();
    Ok(Done {})
}

/// At launch: if the data directory has a demo project, starts its servers
/// and points the project at them (ports and CA change on every start).
pub async fn resume(state: &AppState) {
    let Ok(workbench) = state.workbench() else {
        return;
    };
    match workbench.demo_project().await {
        Ok(Some(_)) => {}
        Ok(None) => return,
        Err(err) => {
            tracing::warn!("demo: cannot read the demo project: {err}");
            return;
        }
    }
    let mut slot = state.demo.0.lock().await;
    let demo = match running(&mut slot, state).await {
        Ok((demo, _)) => demo,
        Err(err) => {
            tracing::warn!("demo: {err}");
            return;
        }
    };
    if let Err(err) = install::refresh(workbench, demo).await {
        tracing::warn!("demo: the demo project could not be refreshed: {err}");
    }
}
