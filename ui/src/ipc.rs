//! The only place the UI talks to the backend: one typed async function per
//! command, each returning the command's response or a [`CommandError`].

use handover_model::{
    command, Account, AccountDeleteRequest, AccountSaveRequest, AccountSpec, AccountsGetRequest,
    AccountsView, AppInfo, AppInfoRequest, Catalog, CatalogRequest, ChecksRunRequest, CommandError,
    Contact, ContactDeleteRequest, ContactSaveRequest, ContactSpec, Copied, Credential,
    CredentialKind, CredentialRequest, CredentialSaveRequest, DkimHeadersRequest,
    DkimSelectorsFound, Done, ErrorCode, History, ItemHistoryRequest, ItemState, ItemStates,
    ItemUpdateRequest, ItemsGetRequest, Overview, OverviewRequest, PasteScan, PasteScanRequest,
    Position, PositionSetRequest, Progress, Project, ProjectDeleteRequest, ProjectGetRequest,
    ProjectListRequest, ProjectSaveRequest, ProjectSpec, ProjectSummary, ProjectValidateRequest,
    Resume, ResumeRequest, Revealed, Run, RunGetRequest, RunSummary, RunsListRequest, SecretText,
    ValidationReport,
};
use serde::de::DeserializeOwned;
use serde::Serialize;
use wasm_bindgen::prelude::*;

mod demo;
mod eval;
mod events;
mod files;
mod history;
mod report;
mod secrets;

pub use demo::{demo_remove, demo_start};
pub use eval::{eval_canary, eval_export, eval_get, eval_import, eval_run, eval_save};
pub use events::on_runs_changed;
pub use files::{
    pick_cases_path, pick_export_path, pick_log_file, pick_project_file, pick_report_path,
    project_export, project_import,
};
pub use history::{
    autostart_get, autostart_set, history_get, recheck_now, retention_set, schedule_set,
};
pub use report::{report_export, report_open, report_preview};
pub use secrets::{logs_scan, secret_ignore, secret_unignore, secrets_get, secrets_scan};

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
    call_with(cmd, request, &[]).await
}

/// Like [`call`], with extra arguments next to `request` (e.g. a Tauri
/// `Channel` under the camelCase name of the command's parameter).
async fn call_with<Req: Serialize, Resp: DeserializeOwned>(
    cmd: &str,
    request: &Req,
    extra: &[(&str, &JsValue)],
) -> Result<Resp, CommandError> {
    let serializer = serde_wasm_bindgen::Serializer::json_compatible();
    let args = Args { request }
        .serialize(&serializer)
        .map_err(|e| ipc_error(format!("could not encode the request for {cmd}: {e}")))?;
    for (key, value) in extra {
        js_sys::Reflect::set(&args, &JsValue::from_str(key), value)
            .map_err(|_| ipc_error(format!("could not encode the request for {cmd}")))?;
    }
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

thread_local! {
    /// The catalog never changes while the app runs: fetched once, then shared.
    static CATALOG: std::cell::RefCell<Option<std::rc::Rc<Catalog>>> =
        const { std::cell::RefCell::new(None) };
}

/// The checklist catalog: stages in order, items, advisories.
pub async fn catalog_get() -> Result<Catalog, CommandError> {
    call(command::CATALOG_GET, &CatalogRequest {}).await
}

/// The catalog, fetched once per window and then served from memory.
pub async fn catalog() -> Result<std::rc::Rc<Catalog>, CommandError> {
    if let Some(cached) = CATALOG.with(|c| c.borrow().clone()) {
        return Ok(cached);
    }
    let fresh = std::rc::Rc::new(catalog_get().await?);
    CATALOG.with(|c| *c.borrow_mut() = Some(fresh.clone()));
    Ok(fresh)
}

/// Every project, most recently changed first.
pub async fn project_list() -> Result<Vec<ProjectSummary>, CommandError> {
    call(command::PROJECT_LIST, &ProjectListRequest {}).await
}

/// One project by id.
pub async fn project_get(id: i64) -> Result<Project, CommandError> {
    call(command::PROJECT_GET, &ProjectGetRequest { id }).await
}

/// Checks a form without saving it; `id` is the project being edited, if any.
pub async fn project_validate(
    id: Option<i64>,
    spec: ProjectSpec,
) -> Result<ValidationReport, CommandError> {
    call(
        command::PROJECT_VALIDATE,
        &ProjectValidateRequest { id, spec },
    )
    .await
}

/// Creates (`id` is `None`) or replaces a project.
pub async fn project_save(id: Option<i64>, spec: ProjectSpec) -> Result<Project, CommandError> {
    call(command::PROJECT_SAVE, &ProjectSaveRequest { id, spec }).await
}

/// Removes a project with its audit state and history.
pub async fn project_delete(id: i64) -> Result<Done, CommandError> {
    call(command::PROJECT_DELETE, &ProjectDeleteRequest { id }).await
}

/// Every item's state for a project, and where its walkthrough was left.
pub async fn items_get(project_id: i64) -> Result<ItemStates, CommandError> {
    call(command::ITEMS_GET, &ItemsGetRequest { project_id }).await
}

/// Sets an item's status, waiver reason, owner, notes and evidence at once.
pub async fn item_update(request: ItemUpdateRequest) -> Result<ItemState, CommandError> {
    call(command::ITEM_UPDATE, &request).await
}

/// The recorded changes to one item, newest first.
pub async fn item_history(project_id: i64, item_id: String) -> Result<History, CommandError> {
    call(
        command::ITEM_HISTORY,
        &ItemHistoryRequest {
            project_id,
            item_id: Some(item_id),
        },
    )
    .await
}

/// Verdict, ranked open items and per-stage progress of a project.
pub async fn overview_get(project_id: i64) -> Result<Overview, CommandError> {
    call(command::OVERVIEW_GET, &OverviewRequest { project_id }).await
}

/// Remembers where the walkthrough is, so the app can resume there.
pub async fn position_set(position: Position) -> Result<Done, CommandError> {
    call(command::POSITION_SET, &PositionSetRequest { position }).await
}

/// The last place the user was in any project's walkthrough.
pub async fn resume_get() -> Result<Resume, CommandError> {
    call(command::RESUME_GET, &ResumeRequest {}).await
}

/// A project's accounts, alert contacts, handover gaps and the keychain's state.
pub async fn accounts_get(project_id: i64) -> Result<AccountsView, CommandError> {
    call(command::ACCOUNTS_GET, &AccountsGetRequest { project_id }).await
}

/// Creates (`id` is `None`) or replaces an account of a project.
pub async fn account_save(
    project_id: i64,
    id: Option<i64>,
    spec: AccountSpec,
) -> Result<Account, CommandError> {
    call(
        command::ACCOUNT_SAVE,
        &AccountSaveRequest {
            project_id,
            id,
            spec,
        },
    )
    .await
}

/// Removes an account and every keychain entry it has.
pub async fn account_delete(id: i64) -> Result<Done, CommandError> {
    call(command::ACCOUNT_DELETE, &AccountDeleteRequest { id }).await
}

/// Stores a secret in the keychain: a new credential, or (with
/// `credential_id`) a new value for an existing one.
pub async fn credential_save(
    account_id: i64,
    credential_id: Option<i64>,
    kind: CredentialKind,
    label: String,
    secret: SecretText,
) -> Result<Credential, CommandError> {
    call(
        command::CREDENTIAL_SAVE,
        &CredentialSaveRequest {
            account_id,
            credential_id,
            kind,
            label,
            secret,
        },
    )
    .await
}

/// Reads a secret back from the keychain, on the user's explicit request.
pub async fn credential_reveal(credential_id: i64) -> Result<Revealed, CommandError> {
    call(
        command::CREDENTIAL_REVEAL,
        &CredentialRequest { credential_id },
    )
    .await
}

/// Puts a secret on the clipboard; the backend clears it after a while.
pub async fn credential_copy(credential_id: i64) -> Result<Copied, CommandError> {
    call(
        command::CREDENTIAL_COPY,
        &CredentialRequest { credential_id },
    )
    .await
}

/// Removes a credential and its keychain entry.
pub async fn credential_delete(credential_id: i64) -> Result<Done, CommandError> {
    call(
        command::CREDENTIAL_DELETE,
        &CredentialRequest { credential_id },
    )
    .await
}

/// Creates (`id` is `None`) or replaces an alert contact of a project.
pub async fn contact_save(
    project_id: i64,
    id: Option<i64>,
    spec: ContactSpec,
) -> Result<Contact, CommandError> {
    call(
        command::CONTACT_SAVE,
        &ContactSaveRequest {
            project_id,
            id,
            spec,
        },
    )
    .await
}

/// Removes an alert contact.
pub async fn contact_delete(id: i64) -> Result<Done, CommandError> {
    call(command::CONTACT_DELETE, &ContactDeleteRequest { id }).await
}

/// Finds credential-looking values in pasted text; only their positions come back.
pub async fn paste_scan(text: SecretText) -> Result<PasteScan, CommandError> {
    call(command::PASTE_SCAN, &PasteScanRequest { text }).await
}

/// Opens an `http(s)` link in the system browser.
pub async fn link_open(url: String) -> Result<Done, CommandError> {
    call(command::LINK_OPEN, &handover_model::LinkOpenRequest { url }).await
}

/// A Tauri `Channel` whose messages go to a Rust closure for as long as this
/// value lives. Dropping it (also when the page goes away mid-run) points the
/// channel at a no-op, so late messages never reach a dropped closure.
struct Listener {
    channel: JsValue,
    _closure: Closure<dyn FnMut(JsValue)>,
}

impl Listener {
    /// `new window.__TAURI__.core.Channel()` with `onmessage` set to `on_message`.
    fn new(on_message: impl FnMut(JsValue) + 'static) -> Result<Self, CommandError> {
        let unreachable = || ipc_error("the backend could not be reached: no Tauri channel".into());
        let core = web_sys::window()
            .and_then(|w| js_sys::Reflect::get(&w, &JsValue::from_str("__TAURI__")).ok())
            .and_then(|t| js_sys::Reflect::get(&t, &JsValue::from_str("core")).ok())
            .filter(|c| c.is_object())
            .ok_or_else(unreachable)?;
        let class = js_sys::Reflect::get(&core, &JsValue::from_str("Channel"))
            .ok()
            .and_then(|c| c.dyn_into::<js_sys::Function>().ok())
            .ok_or_else(unreachable)?;
        let channel = js_sys::Reflect::construct(&class, &js_sys::Array::new())
            .map_err(|e| ipc_error(describe_js_error(&e)))?;
        let closure = Closure::<dyn FnMut(JsValue)>::new(on_message);
        js_sys::Reflect::set(
            &channel,
            &JsValue::from_str("onmessage"),
            closure.as_ref().unchecked_ref(),
        )
        .map_err(|e| ipc_error(describe_js_error(&e)))?;
        Ok(Listener {
            channel,
            _closure: closure,
        })
    }
}

impl Drop for Listener {
    fn drop(&mut self) {
        // Not `new Function("")`: the window's CSP forbids eval.
        let noop = Closure::<dyn FnMut(JsValue)>::new(|_: JsValue| {}).into_js_value();
        let _ = js_sys::Reflect::set(&self.channel, &JsValue::from_str("onmessage"), &noop);
    }
}

/// The DKIM selectors a pasted message's headers name; nothing is kept.
pub async fn dkim_selectors_read(headers: String) -> Result<DkimSelectorsFound, CommandError> {
    call(
        command::DKIM_SELECTORS_READ,
        &DkimHeadersRequest { headers },
    )
    .await
}

/// Runs a project's checks and stores the run: every applicable check when
/// `only` is empty, else just those check ids (a retry; the backend adds
/// the other checks of the same items). Each progress event is handed to
/// `on_progress` as it arrives; events that are not understood are skipped.
/// `load_probes` runs the latency probe too (the person confirmed it).
pub async fn checks_run(
    project_id: i64,
    only: Vec<String>,
    load_probes: bool,
    on_progress: impl Fn(Progress) + 'static,
) -> Result<Run, CommandError> {
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
        command::CHECKS_RUN,
        &ChecksRunRequest {
            project_id,
            only,
            load_probes,
        },
        &[("onProgress", &listener.channel)],
    )
    .await;
    drop(listener);
    result
}

/// A project's runs (from the window and from `handover check --project`), newest first.
pub async fn runs_list(project_id: i64) -> Result<Vec<RunSummary>, CommandError> {
    call(
        command::RUNS_LIST,
        &RunsListRequest {
            project_id: Some(project_id),
        },
    )
    .await
}

/// One run with its findings.
pub async fn run_get(run_id: i64) -> Result<Run, CommandError> {
    call(command::RUN_GET, &RunGetRequest { run_id }).await
}
