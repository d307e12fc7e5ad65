//! "Export…": the format and paper choices, the native save dialog, the
//! export with its progress and failure, and the last export with
//! "Open the file".

use handover_model::{CommandError, ExportRecord, Paper, ReportExported, ReportFormat};
use sycamore::futures::spawn_local_scoped;
use sycamore::prelude::*;

use super::logic::{self, FORMATS, PAPERS};
use crate::components::error_alert;
use crate::{format, ipc};

/// Where an export stands.
#[derive(Clone)]
enum Status {
    /// Nothing asked yet (or the dialog was cancelled).
    Idle,
    /// The dialog is open or the report is being written.
    Busy,
    /// The export failed; any previous file is intact.
    Failed(CommandError),
    /// The report was written.
    Done(ReportExported),
}

/// The export controls of project `project_id`, named `stem` in file
/// names, with its last export (if any).
pub fn export_panel(project_id: i64, stem: String, last: Option<ExportRecord>) -> View {
    let format = create_signal(last.as_ref().map_or(ReportFormat::Pdf, |r| r.format));
    let paper = create_signal(last.as_ref().map_or(Paper::A4, |r| r.paper));
    let status = create_signal(Status::Idle);
    let last = create_signal(last);
    let busy = move || matches!(status.get_clone(), Status::Busy);
    let export = move |_| {
        if matches!(status.get_clone_untracked(), Status::Busy) {
            return;
        }
        status.set(Status::Busy);
        let (chosen, size) = (format.get_untracked(), paper.get_untracked());
        let name = logic::suggested_name(&stem, chosen);
        spawn_local_scoped(async move {
            let next = match ipc::pick_report_path(name, chosen).await {
                Ok(Some(path)) => match ipc::report_export(project_id, path, chosen, size).await {
                    Ok(done) => {
                        last.set(Some(done.record.clone()));
                        Status::Done(done)
                    }
                    Err(err) => Status::Failed(err),
                },
                Ok(None) => Status::Idle,
                Err(err) => Status::Failed(err),
            };
            status.set(next);
        });
    };
    let format_buttons = FORMATS
        .iter()
        .map(|&(f, label)| {
            let testid = format!("export-format-{}", f.as_str());
            view! {
                button(
                    r#type="button", class="segmented__option", data-testid=testid,
                    aria-pressed=move || if format.get() == f { "true" } else { "false" },
                    disabled=busy, on:click=move |_| format.set(f),
                ) { (label) }
            }
        })
        .collect::<Vec<_>>();
    let paper_buttons = PAPERS
        .iter()
        .map(|&(p, label)| {
            let testid = format!("export-paper-{}", p.as_str());
            view! {
                button(
                    r#type="button", class="segmented__option", data-testid=testid,
                    aria-pressed=move || if paper.get() == p { "true" } else { "false" },
                    disabled=move || busy() || format.get() != ReportFormat::Pdf,
                    on:click=move |_| paper.set(p),
                ) { (label) }
            }
        })
        .collect::<Vec<_>>();
    let shown = move || match status.get_clone() {
        Status::Idle => view! {},
        Status::Busy => view! { p(class="loading") { "Exporting… choose where to save it." } },
        Status::Failed(err) => error_alert("The report was not exported", &err),
        Status::Done(done) => {
            let said = format!("Exported to {}.", done.record.path);
            let beside = done.findings_path.map(
                |path| view! { p { "Its findings are beside it: " span(class="mono") { (path) } } },
            );
            view! {
                p(class="export-action__done", data-testid="export-done") { (said) }
                (beside)
            }
        }
    };
    view! {
        section(class="panel", aria-labelledby="export-title", data-testid="export-controls") {
            h2(class="panel__title", id="export-title") { "Export" }
            p(class="panel__lede") {
                "Written atomically: if anything fails, a file already at that path stays as it was."
            }
            div(class="export-action__choices") {
                div(class="export-action__choice") {
                    span(class="export-action__label", id="export-format-label") { "Format" }
                    div(class="segmented", role="group", aria-labelledby="export-format-label") {
                        (format_buttons)
                    }
                }
                div(class="export-action__choice") {
                    span(class="export-action__label", id="export-paper-label") { "Paper (PDF)" }
                    div(class="segmented", role="group", aria-labelledby="export-paper-label") {
                        (paper_buttons)
                    }
                }
            }
            div(class="button-row") {
                button(
                    r#type="button", class="button button--primary", data-testid="export-report",
                    disabled=busy, on:click=export,
                ) { (move || if busy() { "Exporting…" } else { "Export…" }) }
            }
            div(role="status", aria-live="polite", data-testid="export-status") { (shown) }
            (last_export(project_id, last))
        }
    }
}

/// The last export's path, time, format and size, with "Open the file".
fn last_export(project_id: i64, last: Signal<Option<ExportRecord>>) -> View {
    let opening = create_signal(false);
    let open_error = create_signal(None::<CommandError>);
    let open = move |_| {
        if opening.get_untracked() {
            return;
        }
        opening.set(true);
        open_error.set(None);
        spawn_local_scoped(async move {
            if let Err(err) = ipc::report_open(project_id).await {
                open_error.set(Some(err));
            }
            opening.set(false);
        });
    };
    view! {
        (match last.get_clone() {
            None => view! {
                p(class="export-last export-last--none", data-testid="last-export-none") {
                    "Not exported yet."
                }
            },
            Some(record) => {
                let when = format::timestamp(record.at_ms);
                let what = format!(
                    "{} · {}{}",
                    logic::format_label(record.format),
                    logic::size(record.bytes),
                    if record.format == ReportFormat::Pdf {
                        format!(" · {}", if record.paper == Paper::Letter { "US Letter" } else { "A4" })
                    } else {
                        String::new()
                    }
                );
                view! {
                    div(class="export-last", data-testid="last-export") {
                        p(class="export-last__head") { "Last export" }
                        p(class="export-last__path mono", data-testid="last-export-path") { (record.path) }
                        p(class="export-last__facts") {
                            span(data-testid="last-export-time") { (when) }
                            " · " (what)
                        }
                        button(
                            r#type="button", class="button", data-testid="open-export",
                            disabled=move || opening.get(), on:click=open,
                        ) { "Open the file" }
                    }
                }
            }
        })
        (move || open_error
            .get_clone()
            .map(|err| error_alert("The file could not be opened", &err)))
    }
}
