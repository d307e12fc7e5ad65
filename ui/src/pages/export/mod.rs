//! The Export page: the handover report of one project — what to watch
//! this week, what the report holds, and the export itself (PDF, Markdown
//! or JSON) through the native save dialog. Everything shown is what the
//! core computed.

mod action;
mod logic;
mod preview;

use sycamore::prelude::*;
use sycamore::web::Suspense;

use crate::components::{demo_badge, error_alert, loading};
use crate::ipc;
use crate::pages::empty;
use crate::pages::picker::{apex_and_blockers, Destination};
use crate::route::path;

/// Where the `/export` entry leads.
pub static EXPORT: Destination = Destination {
    from: "/export",
    title: "Export",
    lede: "A handover PDF that opens with what to watch this week.",
    choose: "Choose the project whose handover report you want to export.",
    opening: "Opening the export…",
    empty: &empty::EXPORT,
    resume: |p| path::export(p.project_id),
    project: path::export,
    facts: apex_and_blockers,
};

/// `/projects/<id>/export`: the Export page of project `id`.
#[component(inline_props)]
pub fn ProjectExport(id: i64) -> View {
    view! {
        Suspense(fallback=|| loading("Gathering the report…")) {
            ExportLoader(id=id)
        }
    }
}

#[component(inline_props)]
async fn ExportLoader(id: i64) -> View {
    let project = match ipc::project_get(id).await {
        Ok(project) => project,
        Err(err) => return failure("This project could not be loaded", &err),
    };
    let preview = match ipc::report_preview(id).await {
        Ok(preview) => preview,
        Err(err) => return failure("The report could not be gathered", &err),
    };
    let name = project.spec.name;
    let badge = demo_badge(project.demo);
    let stem = super::project_files::file_stem(&name);
    let export = action::export_panel(id, stem, preview.last_export);
    let watch = preview::watch_panel(preview.watch);
    let sections = preview::sections_panel(preview.sections);
    let overview = path::overview(id);
    let lede = "The handover report: the verdict, the blockers, who owns what, the evidence and the numbers to watch this week.";
    view! {
        header(class="walk-header") {
            nav(class="breadcrumb", aria-label="Breadcrumb") {
                a(href=overview, data-testid="export-breadcrumb") { (name) }
                (badge)
                span(aria-hidden="true") { " › " }
                span { "Export" }
            }
            div(class="page-header") {
                h1(class="page-header__title", id="page-title") { "Export" }
                p(class="page-header__lede") { (lede) }
            }
        }
        (export)
        (watch)
        (sections)
    }
}

fn failure(title: &'static str, err: &handover_model::CommandError) -> View {
    let alert = error_alert(title, err);
    view! {
        h1(class="page-header__title", id="page-title") { "Export" }
        (alert)
        p { a(href="/") { "Back to all projects" } }
    }
}
