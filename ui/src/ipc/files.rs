//! Projects as files: the native open/save dialogs (Tauri's dialog plugin,
//! through its global API) and the import/export commands.

use handover_model::{
    command, CommandError, Done, Project, ProjectExportRequest, ProjectImportRequest, ReportFormat,
};
use serde::Serialize;
use wasm_bindgen::prelude::*;

use super::{call, describe_js_error, ipc_error};

#[wasm_bindgen]
extern "C" {
    /// `window.__TAURI__.dialog.open`: the native "open file" dialog.
    #[wasm_bindgen(js_namespace = ["window", "__TAURI__", "dialog"], js_name = open, catch)]
    async fn dialog_open(options: JsValue) -> Result<JsValue, JsValue>;

    /// `window.__TAURI__.dialog.save`: the native "save file" dialog.
    #[wasm_bindgen(js_namespace = ["window", "__TAURI__", "dialog"], js_name = save, catch)]
    async fn dialog_save(options: JsValue) -> Result<JsValue, JsValue>;
}

/// One entry of a dialog's file-type list.
#[derive(Serialize)]
struct Filter {
    name: &'static str,
    extensions: &'static [&'static str],
}

/// Options of `dialog.open` and `dialog.save` (the fields each one reads).
#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct DialogOptions {
    title: &'static str,
    filters: Vec<Filter>,
    #[serde(skip_serializing_if = "Option::is_none")]
    default_path: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    multiple: Option<bool>,
    #[serde(skip_serializing_if = "Option::is_none")]
    directory: Option<bool>,
}

/// The chosen path, or `None` when the dialog was cancelled.
async fn ask(
    run: impl std::future::Future<Output = Result<JsValue, JsValue>>,
) -> Result<Option<String>, CommandError> {
    match run.await {
        Ok(value) => Ok(value.as_string()),
        Err(raw) => Err(ipc_error(format!(
            "the file dialog could not open: {}",
            describe_js_error(&raw)
        ))),
    }
}

fn encode(options: &DialogOptions) -> Result<JsValue, CommandError> {
    options
        .serialize(&serde_wasm_bindgen::Serializer::json_compatible())
        .map_err(|e| ipc_error(format!("could not encode the dialog options: {e}")))
}

/// Asks for a project file (`.toml` or `.json`) to import; `None` when the
/// user cancels.
pub async fn pick_project_file() -> Result<Option<String>, CommandError> {
    let options = encode(&DialogOptions {
        title: "Import a project file",
        filters: vec![Filter {
            name: "Handover project (TOML, JSON)",
            extensions: &["toml", "json"],
        }],
        default_path: None,
        multiple: Some(false),
        directory: Some(false),
    })?;
    ask(dialog_open(options)).await
}

/// Asks for a log export to scan (any file: plain text, JSON lines or
/// gzip); `None` when the user cancels.
pub async fn pick_log_file() -> Result<Option<String>, CommandError> {
    let options = encode(&DialogOptions {
        title: "Choose a log export",
        filters: Vec::new(),
        default_path: None,
        multiple: Some(false),
        directory: Some(false),
    })?;
    ask(dialog_open(options)).await
}

/// Asks where to export a project, suggesting `default_name`; `None` when
/// the user cancels. A name typed without `.toml` or `.json` gets `.toml`.
pub async fn pick_export_path(default_name: String) -> Result<Option<String>, CommandError> {
    pick_toml_or_json("Export the project", default_name).await
}

/// A save dialog titled `title` for a `.toml` or `.json` file.
async fn pick_toml_or_json(
    title: &'static str,
    default_name: String,
) -> Result<Option<String>, CommandError> {
    let options = encode(&DialogOptions {
        title,
        filters: vec![
            Filter {
                name: "TOML",
                extensions: &["toml"],
            },
            Filter {
                name: "JSON",
                extensions: &["json"],
            },
        ],
        default_path: Some(default_name),
        multiple: None,
        directory: None,
    })?;
    Ok(ask(dialog_save(options)).await?.map(with_extension))
}

/// Asks where to export an evaluation set, suggesting `default_name`;
/// `None` when the user cancels. A name typed without `.toml` or `.json`
/// gets `.toml`.
pub async fn pick_cases_path(default_name: String) -> Result<Option<String>, CommandError> {
    pick_toml_or_json("Export the evaluation set", default_name).await
}

/// Asks where to write the handover report in `format`, suggesting
/// `default_name`; `None` when the user cancels. A name typed without the
/// format's extension gets it.
pub async fn pick_report_path(
    default_name: String,
    format: ReportFormat,
) -> Result<Option<String>, CommandError> {
    let filter = match format {
        ReportFormat::Pdf => Filter {
            name: "PDF",
            extensions: &["pdf"],
        },
        ReportFormat::Markdown => Filter {
            name: "Markdown",
            extensions: &["md"],
        },
        ReportFormat::Json => Filter {
            name: "JSON",
            extensions: &["json"],
        },
    };
    let options = encode(&DialogOptions {
        title: "Export the handover report",
        filters: vec![filter],
        default_path: Some(default_name),
        multiple: None,
        directory: None,
    })?;
    Ok(ask(dialog_save(options))
        .await?
        .map(|path| with_report_extension(path, format)))
}

/// The path as given when it ends in `format`'s extension, else with it added.
fn with_report_extension(path: String, format: ReportFormat) -> String {
    let extension = format!(".{}", format.as_str());
    if path.to_ascii_lowercase().ends_with(&extension) {
        path
    } else {
        path + &extension
    }
}

/// The path as given when it names a format, else with `.toml` added.
fn with_extension(path: String) -> String {
    let lower = path.to_ascii_lowercase();
    if lower.ends_with(".toml") || lower.ends_with(".json") {
        path
    } else {
        path + ".toml"
    }
}

/// Reads, validates and stores a project file; `replace` updates the
/// project with the same name instead of refusing it (a `conflict`).
pub async fn project_import(path: String, replace: bool) -> Result<Project, CommandError> {
    call(
        command::PROJECT_IMPORT,
        &ProjectImportRequest { path, replace },
    )
    .await
}

/// Writes a project's description to `path` (TOML or JSON by its extension).
pub async fn project_export(id: i64, path: String) -> Result<Done, CommandError> {
    call(command::PROJECT_EXPORT, &ProjectExportRequest { id, path }).await
}
