//! The History page's commands: runs over time and what changed, the
//! weekly schedule, retention, "Recheck now" (with live progress) and
//! start at login.

use handover_model::{
    command, Autostart, AutostartGetRequest, AutostartSetRequest, CommandError, HistoryRequest,
    HistoryView, Progress, RecheckOutcome, RecheckRequest, Retention, RetentionSetRequest,
    Schedule, ScheduleSetRequest,
};
use wasm_bindgen::JsValue;

use super::{call, call_with, Listener};

/// Every kept run of a project, the diff since the run before the latest,
/// the chart series, the schedule and the retention.
pub async fn history_get(project_id: i64) -> Result<HistoryView, CommandError> {
    call(
        command::HISTORY_GET,
        &HistoryRequest {
            project_id,
            since_ms: None,
        },
    )
    .await
}

/// Changes a project's weekly recheck; answers it with its next due time.
pub async fn schedule_set(request: ScheduleSetRequest) -> Result<Schedule, CommandError> {
    call(command::SCHEDULE_SET, &request).await
}

/// Sets how many days runs are kept.
pub async fn retention_set(days: u32) -> Result<Retention, CommandError> {
    call(command::RETENTION_SET, &RetentionSetRequest { days }).await
}

/// Whether Handover starts (hidden) at login, and whether it can.
pub async fn autostart_get() -> Result<Autostart, CommandError> {
    call(command::AUTOSTART_GET, &AutostartGetRequest {}).await
}

/// Turns start at login (hidden) on or off.
pub async fn autostart_set(enabled: bool) -> Result<Autostart, CommandError> {
    call(command::AUTOSTART_SET, &AutostartSetRequest { enabled }).await
}

/// Rechecks a project now, as its schedule would; each progress event is
/// handed to `on_progress` as it arrives (events not understood are skipped).
pub async fn recheck_now(
    project_id: i64,
    on_progress: impl Fn(Progress) + 'static,
) -> Result<RecheckOutcome, CommandError> {
    let listener =
        Listener::new(
            move |raw: JsValue| match serde_wasm_bindgen::from_value::<Progress>(raw) {
                Ok(event) => on_progress(event),
                Err(err) => web_sys::console::warn_1(
                    &format!("Handover: a progress event was not understood: {err}").into(),
                ),
            },
        )?;
    let result = call_with(
        command::RECHECK_NOW,
        &RecheckRequest { project_id },
        &[("onProgress", &listener.channel)],
    )
    .await;
    drop(listener);
    result
}
