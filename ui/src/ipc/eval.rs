//! The Eval page's commands: the set and the last run, saving the setup,
//! importing and exporting cases, a run with live progress, and the canary.

use handover_model::{
    command, CommandError, Done, EvalCanaryRequest, EvalExportRequest, EvalGetRequest,
    EvalImportRequest, EvalProgress, EvalReport, EvalRunRequest, EvalSaveRequest, EvalSetup,
    EvalView, Revealed,
};
use wasm_bindgen::JsValue;

use super::{call, call_with, Listener};

/// The project's set (its own cases or the starter set) and its last run.
pub async fn eval_get(project_id: i64) -> Result<EvalView, CommandError> {
    call(command::EVAL_GET, &EvalGetRequest { project_id }).await
}

/// Saves the project's setup: adapter, cases, runs; invalid fields come
/// back in the error's `fields`.
pub async fn eval_save(project_id: i64, setup: EvalSetup) -> Result<EvalView, CommandError> {
    call(command::EVAL_SAVE, &EvalSaveRequest { project_id, setup }).await
}

/// Replaces the project's cases with those of a TOML or JSON text.
pub async fn eval_import(
    project_id: i64,
    text: String,
    format: String,
) -> Result<EvalView, CommandError> {
    call(
        command::EVAL_IMPORT,
        &EvalImportRequest {
            project_id,
            text,
            format,
        },
    )
    .await
}

/// Writes the cases a run asks to `path` (`.toml` or `.json`).
pub async fn eval_export(project_id: i64, path: String) -> Result<Done, CommandError> {
    call(
        command::EVAL_EXPORT,
        &EvalExportRequest { project_id, path },
    )
    .await
}

/// Runs the set; each finished attempt is handed to `on_progress`.
pub async fn eval_run(
    request: EvalRunRequest,
    on_progress: impl Fn(EvalProgress) + 'static,
) -> Result<EvalReport, CommandError> {
    let listener = Listener::new(move |raw: JsValue| {
        match serde_wasm_bindgen::from_value::<EvalProgress>(raw) {
            Ok(event) => on_progress(event),
            Err(err) => web_sys::console::warn_1(
                &format!("Handover: an eval progress event was not understood: {err}").into(),
            ),
        }
    })?;
    let result = call_with(
        command::EVAL_RUN,
        &request,
        &[("onProgress", &listener.channel)],
    )
    .await;
    drop(listener);
    result
}

/// The project's canary (made when there is none, or anew with `renew`),
/// to plant in the bot's system prompt.
pub async fn eval_canary(project_id: i64, renew: bool) -> Result<Revealed, CommandError> {
    call(
        command::EVAL_CANARY,
        &EvalCanaryRequest { project_id, renew },
    )
    .await
}
