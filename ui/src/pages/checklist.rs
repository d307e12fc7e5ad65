//! The sidebar's Checklist entry: straight back into the walkthrough where it
//! was left, else a choice of project, else a word on creating one first.

use sycamore::prelude::*;
use sycamore::web::Suspense;

use crate::components::{error_alert, loading, PageHeader};
use crate::pages::empty;
use crate::route::path;
use crate::{browser, format, ipc};

/// The Checklist page.
#[component]
pub fn Checklist() -> View {
    view! {
        Suspense(fallback=|| loading("Finding your place…")) {
            ChecklistBody()
        }
    }
}

#[component]
async fn ChecklistBody() -> View {
    let projects = match ipc::project_list().await {
        Ok(projects) => projects,
        Err(err) => {
            let alert = error_alert("The projects could not be loaded", &err);
            return view! {
                PageHeader(title="Checklist", lede="The seven-stage launch audit.")
                (alert)
            };
        }
    };
    // Straight back to where the walk was left, if that project still exists.
    if let Ok(resume) = ipc::resume_get().await {
        if let Some(position) = resume
            .position
            .filter(|p| projects.iter().any(|project| project.id == p.project_id))
        {
            browser::go_replace(
                "/checklist".to_string(),
                path::walk(position.project_id, &position.stage_id),
            );
            return loading("Opening the walkthrough…");
        }
    }
    if projects.is_empty() {
        return empty::blank(&empty::CHECKLIST);
    }
    let choices = projects
        .into_iter()
        .map(|project| {
            let href = path::walk_start(project.id);
            let id = project.id.to_string();
            let facts = format!(
                "{} · {}",
                format::decided(project.done, project.total),
                format::blockers_sentence(project.open_blockers)
            );
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
        PageHeader(
            title="Checklist",
            lede="Choose the project whose launch audit you want to walk through.",
        )
        ul(class="picker", aria-label="Projects") { (choices) }
    }
}
