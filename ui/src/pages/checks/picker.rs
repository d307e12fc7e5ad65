//! The sidebar's Live checks entry: straight to the checks of the project
//! last worked on, else a choice of project, else a word on creating one.

use sycamore::prelude::*;
use sycamore::web::Suspense;

use crate::components::{error_alert, loading, PageHeader};
use crate::pages::empty;
use crate::route::path;
use crate::{browser, format, ipc};

/// The `/checks` page.
#[component]
pub fn ChecksPicker() -> View {
    view! {
        Suspense(fallback=|| loading("Finding your project…")) {
            PickerBody()
        }
    }
}

#[component]
async fn PickerBody() -> View {
    let projects = match ipc::project_list().await {
        Ok(projects) => projects,
        Err(err) => {
            let alert = error_alert("The projects could not be loaded", &err);
            return view! {
                PageHeader(title="Live checks", lede="DNS, TLS, headers, CORS and more, measured live.")
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
            browser::go_replace("/checks".to_string(), path::checks(position.project_id));
            return loading("Opening the live checks…");
        }
    }
    if projects.is_empty() {
        return empty::blank(&empty::LIVE_CHECKS);
    }
    let choices = projects
        .into_iter()
        .map(|project| {
            let href = path::checks(project.id);
            let id = project.id.to_string();
            let facts = if project.apex.is_empty() {
                format::blockers_sentence(project.open_blockers)
            } else {
                format!(
                    "{} · {}",
                    project.apex,
                    format::blockers_sentence(project.open_blockers)
                )
            };
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
            title="Live checks",
            lede="Choose the project whose live checks you want to run or read.",
        )
        ul(class="picker", aria-label="Projects") { (choices) }
    }
}
