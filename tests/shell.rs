//! The shell's IPC commands, called the way the window calls them, on Tauri's
//! mock runtime; and the headless CLI.

use std::sync::Arc;

use handover_app::state::AppState;
use handover_core::{DataDir, Vault};
use handover_model::{command, AppInfo, KeychainStatus};
use serde_json::json;
use tauri::ipc::{CallbackFn, InvokeBody};
use tauri::test::{get_ipc_response, mock_builder, mock_context, noop_assets, INVOKE_KEY};
use tauri::webview::InvokeRequest;

pub(crate) fn mock_app(data_dir: &std::path::Path) -> tauri::App<tauri::test::MockRuntime> {
    let store: Arc<keyring_core::CredentialStore> = keyring_core::mock::Store::new().unwrap();
    let state = AppState::new(
        DataDir::at(data_dir).unwrap(),
        data_dir.join("handover.db"),
        Vault::with_store("mock store", store),
    );
    handover_app::with_handover(mock_builder(), state)
        .build(mock_context(noop_assets()))
        .expect("the app builds on the mock runtime")
}

pub(crate) fn invoke(
    app: &tauri::App<tauri::test::MockRuntime>,
    cmd: &str,
    body: serde_json::Value,
) -> Result<tauri::ipc::InvokeResponseBody, serde_json::Value> {
    use tauri::Manager;
    let webview = match app.get_webview_window("main") {
        Some(window) => window,
        None => tauri::WebviewWindowBuilder::new(app, "main", Default::default())
            .build()
            .unwrap(),
    };
    get_ipc_response(
        &webview,
        InvokeRequest {
            cmd: cmd.into(),
            callback: CallbackFn(0),
            error: CallbackFn(1),
            url: "tauri://localhost".parse().unwrap(),
            body: InvokeBody::Json(body),
            headers: Default::default(),
            invoke_key: INVOKE_KEY.to_string(),
        },
    )
}

#[test]
fn app_info_answers_with_version_data_dir_and_keychain() {
    let dir = tempfile::tempdir().unwrap();
    let app = mock_app(dir.path());
    let info: AppInfo = invoke(&app, command::APP_INFO, json!({ "request": {} }))
        .expect("app_info succeeds")
        .deserialize()
        .unwrap();
    assert_eq!(info.name, "Handover");
    assert_eq!(info.version, env!("CARGO_PKG_VERSION"));
    assert_eq!(info.data_dir, dir.path().display().to_string());
    assert_eq!(
        info.keychain,
        KeychainStatus::Available {
            store: "mock store".into()
        }
    );
}

#[test]
fn a_request_without_its_struct_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    let app = mock_app(dir.path());
    let err = invoke(&app, command::APP_INFO, json!({})).expect_err("missing request");
    let text = err.to_string();
    assert!(
        text.contains("request"),
        "error names the missing argument: {text}"
    );
}

#[test]
fn cli_info_prints_the_same_facts_as_json() {
    let dir = tempfile::tempdir().unwrap();
    let output = std::process::Command::new(env!("CARGO_BIN_EXE_handover"))
        .args(["info", "--json"])
        .env("HANDOVER_DATA_DIR", dir.path())
        .output()
        .unwrap();
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    let info: AppInfo = serde_json::from_slice(&output.stdout).unwrap();
    assert_eq!(info.version, env!("CARGO_PKG_VERSION"));
    assert_eq!(info.data_dir, dir.path().display().to_string());
}

#[test]
fn cli_refuses_a_relative_data_dir() {
    let output = std::process::Command::new(env!("CARGO_BIN_EXE_handover"))
        .args(["info", "--data-dir", "relative/dir"])
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(stderr.contains("must be an absolute path"), "{stderr}");
}
