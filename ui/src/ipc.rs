//! The only place the UI talks to the backend: one typed async function per
//! command, each returning the command's response or a [`CommandError`].

use handover_model::{command, AppInfo, AppInfoRequest, CommandError, ErrorCode};
use serde::de::DeserializeOwned;
use serde::Serialize;
use wasm_bindgen::prelude::*;

#[wasm_bindgen]
extern "C" {
    /// `window.__TAURI__.core.invoke`, present because `withGlobalTauri` is on.
    /// `catch` turns a rejected promise (and a missing `__TAURI__`) into `Err`.
    #[wasm_bindgen(js_namespace = ["window", "__TAURI__", "core"], js_name = invoke, catch)]
    async fn tauri_invoke(cmd: &str, args: JsValue) -> Result<JsValue, JsValue>;
}

/// Commands take their request under one argument named `request`.
#[derive(Serialize)]
struct Args<'a, T> {
    request: &'a T,
}

async fn call<Req: Serialize, Resp: DeserializeOwned>(
    cmd: &str,
    request: &Req,
) -> Result<Resp, CommandError> {
    let serializer = serde_wasm_bindgen::Serializer::json_compatible();
    let args = Args { request }
        .serialize(&serializer)
        .map_err(|e| ipc_error(format!("could not encode the request for {cmd}: {e}")))?;
    match tauri_invoke(cmd, args).await {
        Ok(value) => serde_wasm_bindgen::from_value(value)
            .map_err(|e| ipc_error(format!("the answer to {cmd} was not understood: {e}"))),
        Err(raw) => Err(serde_wasm_bindgen::from_value::<CommandError>(raw.clone())
            .unwrap_or_else(|_| ipc_error(describe_js_error(&raw)))),
    }
}

fn ipc_error(message: String) -> CommandError {
    CommandError::new(ErrorCode::Ipc, message)
}

/// A thrown JS value as one readable line (strings, `Error`s, anything else).
fn describe_js_error(raw: &JsValue) -> String {
    if let Some(text) = raw.as_string() {
        return text;
    }
    if let Some(err) = raw.dyn_ref::<js_sys::Error>() {
        return format!(
            "the backend could not be reached: {}",
            String::from(err.message())
        );
    }
    "the backend could not be reached".to_string()
}

/// Version, data directory and keychain status.
pub async fn app_info() -> Result<AppInfo, CommandError> {
    call(command::APP_INFO, &AppInfoRequest {}).await
}
