//! Projects as files in the window: "Import project…" on the Projects page
//! and "Export…" on a project's form, through the native open/save dialogs.

use handover_model::{CommandError, ErrorCode};
use sycamore::futures::spawn_local_scoped;
use sycamore::prelude::*;

use crate::components::error_alert;
use crate::route::path;
use crate::{browser, ipc};

/// What the last import attempt left to show.
#[derive(Clone)]
enum Report {
    /// A project with this name exists; the user may replace it.
    Duplicate { path: String, message: String },
    /// The file was refused: every problem with its field path.
    Refused(CommandError),
}

/// The "Import project…" button and, separately, where its problems show
/// (placed under the page header).
pub fn import_controls() -> (View, View) {
    let busy = create_signal(false);
    let report = create_signal(None::<Report>);
    let import = move |path: String, replace: bool| {
        busy.set(true);
        spawn_local_scoped(async move {
            let result = ipc::project_import(path.clone(), replace).await;
            busy.set(false);
            match result {
                Ok(project) => browser::go(path::overview(project.id)),
                Err(err) if err.code == ErrorCode::Conflict && !replace => {
                    let message = err.message;
                    report.set(Some(Report::Duplicate { path, message }));
                }
                Err(err) => report.set(Some(Report::Refused(err))),
            }
        });
    };
    let pick = move |_| {
        if busy.get_untracked() {
            return;
        }
        report.set(None);
        spawn_local_scoped(async move {
            match ipc::pick_project_file().await {
                Ok(Some(path)) => import(path, false),
                Ok(None) => {}
                Err(err) => report.set(Some(Report::Refused(err))),
            }
        });
    };
    let button = view! {
        button(
            r#type="button", class="button", data-testid="import-project",
            disabled=move || busy.get(), on:click=pick,
        ) { (move || if busy.get() { "Importing…" } else { "Import project…" }) }
    };
    let shown = move || match report.get_clone() {
        None => view! {},
        Some(Report::Duplicate { path, message }) => view! {
            div(class="alert alert--bad", role="alert", data-testid="import-duplicate") {
                p(class="alert__title") { "The project was not imported" }
                p { (message) }
                p { "Replacing it updates that project in place; its checklist, history and accounts stay." }
                div(class="button-row") {
                    button(
                        r#type="button", class="button button--danger", data-testid="import-replace",
                        disabled=move || busy.get(),
                        on:click=move |_| import(path.clone(), true),
                    ) { "Replace the existing project" }
                    button(r#type="button", class="button", on:click=move |_| report.set(None)) {
                        "Keep it"
                    }
                }
            }
        },
        Some(Report::Refused(err)) if err.fields.is_empty() => {
            error_alert("The project was not imported", &err)
        }
        Some(Report::Refused(err)) => problems(&err),
    };
    (button, view! { (shown) })
}

/// Every problem of a refused file, one per line with its field path.
fn problems(err: &CommandError) -> View {
    let title = match err.fields.len() {
        1 => "The project file has a problem".to_string(),
        n => format!("The project file has {n} problems"),
    };
    let items = err
        .fields
        .iter()
        .map(|problem| {
            let (field, message) = (problem.field.clone(), problem.message.clone());
            let key = field.clone();
            view! {
                li(data-error-for=key) {
                    span(class="mono") { (field) } ": " (message)
                }
            }
        })
        .collect::<Vec<_>>();
    view! {
        div(class="alert alert--bad", role="alert", data-testid="import-problems") {
            p(class="alert__title") { (title) }
            p { "Nothing was imported. Fix these in the file, then import it again." }
            ul(class="form-summary__list") { (items) }
        }
    }
}

/// "Export…": saves the stored project (not unsaved edits) as TOML or JSON.
#[component(inline_props)]
pub fn ExportButton(id: i64, name: String) -> View {
    let busy = create_signal(false);
    let status = create_signal(None::<Result<String, CommandError>>);
    let suggested = format!("{}.toml", file_stem(&name));
    let click = move |_| {
        if busy.get_untracked() {
            return;
        }
        busy.set(true);
        status.set(None);
        let suggested = suggested.clone();
        spawn_local_scoped(async move {
            let outcome = match ipc::pick_export_path(suggested).await {
                Ok(Some(path)) => Some(ipc::project_export(id, path.clone()).await.map(|_| path)),
                Ok(None) => None,
                Err(err) => Some(Err(err)),
            };
            busy.set(false);
            status.set(outcome);
        });
    };
    view! {
        button(
            r#type="button", class="button", data-testid="export-project",
            title="Save the project's description as a TOML or JSON file",
            disabled=move || busy.get(), on:click=click,
        ) { "Export…" }
        span(role="status", aria-live="polite", data-testid="export-status") {
            (move || match status.get_clone() {
                None => view! {},
                Some(Ok(path)) => view! { (format!("Exported to {path}.")) },
                Some(Err(err)) => error_alert("The project was not exported", &err),
            })
        }
    }
}

/// A file name for a project: lower case letters, digits and dashes.
pub(super) fn file_stem(name: &str) -> String {
    let stem: String = name
        .trim()
        .chars()
        .map(|c| {
            if c.is_alphanumeric() {
                c.to_ascii_lowercase()
            } else {
                '-'
            }
        })
        .collect();
    let stem = stem
        .split('-')
        .filter(|part| !part.is_empty())
        .collect::<Vec<_>>()
        .join("-");
    if stem.is_empty() {
        "project".to_string()
    } else {
        stem
    }
}

#[cfg(test)]
mod tests {
    use super::file_stem;

    #[test]
    fn file_stems_are_plain() {
        assert_eq!(file_stem("  Opsbot Launch (v2) "), "opsbot-launch-v2");
        assert_eq!(file_stem("***"), "project");
    }
}
