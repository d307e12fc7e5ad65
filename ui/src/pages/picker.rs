//! The sidebar entries that belong to one project (Checklist, Accounts, Live
//! checks): straight to the project last worked on, else a choice of
//! project, else the page's word on creating one first.

use handover_model::{Position, ProjectSummary};
use sycamore::prelude::*;
use sycamore::web::Suspense;

use crate::components::{error_alert, loading, PageHeader};
use crate::pages::empty::{self, Blank};
use crate::{browser, format, ipc};

/// Where one sidebar entry leads and what it says on the way.
pub struct Destination {
    /// The entry's own path, e.g. `/accounts` (replaced in history when redirecting).
    pub from: &'static str,
    /// The page title.
    pub title: &'static str,
    /// The lede shown above a load failure.
    pub lede: &'static str,
    /// The lede above the choice of projects.
    pub choose: &'static str,
    /// The word shown while redirecting, e.g. `Opening the accounts…`.
    pub opening: &'static str,
    /// The page shown when there is no project yet.
    pub empty: &'static Blank,
    /// Where the remembered position leads.
    pub resume: fn(&Position) -> String,
    /// Where a chosen project leads.
    pub project: fn(i64) -> String,
    /// The facts shown under a project's name.
    pub facts: fn(&ProjectSummary) -> String,
}

/// The facts most pages show: apex and open blockers.
pub fn apex_and_blockers(project: &ProjectSummary) -> String {
    let blockers = format::blockers_sentence(project.open_blockers);
    if project.apex.is_empty() {
        blockers
    } else {
        format!("{} · {blockers}", project.apex)
    }
}

/// The page of one sidebar entry.
#[component(inline_props)]
pub fn ProjectPicker(destination: &'static Destination) -> View {
    view! {
        Suspense(fallback=|| loading("Finding your project…")) {
            PickerBody(destination=destination)
        }
    }
}

#[component(inline_props)]
async fn PickerBody(destination: &'static Destination) -> View {
    let d = destination;
    let projects = match ipc::project_list().await {
        Ok(projects) => projects,
        Err(err) => {
            let alert = error_alert("The projects could not be loaded", &err);
            return view! {
                PageHeader(title=d.title, lede=d.lede)
                (alert)
            };
        }
    };
    // The project of the remembered position, if it still exists.
    if let Ok(resume) = ipc::resume_get().await {
        if let Some(position) = resume
            .position
            .filter(|p| projects.iter().any(|project| project.id == p.project_id))
        {
            browser::go_replace(d.from.to_string(), (d.resume)(&position));
            return loading(d.opening);
        }
    }
    if projects.is_empty() {
        return empty::blank(d.empty);
    }
    let choices = projects
        .into_iter()
        .map(|project| {
            let href = (d.project)(project.id);
            let id = project.id.to_string();
            let facts = (d.facts)(&project);
            let name = project.name;
            view! {
                li {
                    a(class="picker__choice", href=href, data-testid="pick-project", data-project-id=id) {
                        span(class="picker__name") { (name) }
                        span(class="picker__facts") { (facts) }
                    }
                }
            }
        })
        .collect::<Vec<_>>();
    view! {
        PageHeader(title=d.title, lede=d.choose)
        ul(class="picker", aria-label="Projects") { (choices) }
    }
}
