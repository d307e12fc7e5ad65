//! The Secrets & env page's commands: the last scan and the baseline, a
//! scan with live progress, log exports, ignore and un-ignore.

use handover_model::{
    command, CommandError, LogsScanRequest, ProjectSecrets, ScanProgress, SecretIgnoreRequest,
    SecretUnignoreRequest, SecretsGetRequest, SecretsScanRequest, SecretsView,
};
use wasm_bindgen::JsValue;

use super::{call, call_with, Listener};

/// The project's last scan (with today's baseline) and its baseline.
pub async fn secrets_get(project_id: i64) -> Result<SecretsView, CommandError> {
    call(command::SECRETS_GET, &SecretsGetRequest { project_id }).await
}

/// Scans the project; each progress event is handed to `on_progress`.
pub async fn secrets_scan(
    request: SecretsScanRequest,
    on_progress: impl Fn(ScanProgress) + 'static,
) -> Result<ProjectSecrets, CommandError> {
    let listener = Listener::new(move |raw: JsValue| {
        match serde_wasm_bindgen::from_value::<ScanProgress>(raw) {
            Ok(event) => on_progress(event),
            Err(err) => web_sys::console::warn_1(
                &format!("Handover: a scan progress event was not understood: {err}").into(),
            ),
        }
    })?;
    let result = call_with(
        command::SECRETS_SCAN,
        &request,
        &[("onProgress", &listener.channel)],
    )
    .await;
    drop(listener);
    result
}

/// Scans log exports into the project's last scan.
pub async fn logs_scan(
    project_id: i64,
    files: Vec<String>,
) -> Result<ProjectSecrets, CommandError> {
    call(command::LOGS_SCAN, &LogsScanRequest { project_id, files }).await
}

/// Adds a fingerprint to the project's baseline.
pub async fn secret_ignore(
    project_id: i64,
    fingerprint: String,
    reason: String,
) -> Result<SecretsView, CommandError> {
    call(
        command::SECRET_IGNORE,
        &SecretIgnoreRequest {
            project_id,
            fingerprint,
            reason,
        },
    )
    .await
}

/// Takes a fingerprint out of the project's baseline.
pub async fn secret_unignore(
    project_id: i64,
    fingerprint: String,
) -> Result<SecretsView, CommandError> {
    call(
        command::SECRET_UNIGNORE,
        &SecretUnignoreRequest {
            project_id,
            fingerprint,
        },
    )
    .await
}
