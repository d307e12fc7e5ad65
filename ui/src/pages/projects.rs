//! The Projects page: every product being prepared for launch, as cards, a
//! banner back to wherever the walkthrough was left, and the demo product
//! for trying it all without one.

use handover_model::{Catalog, Position, ProjectSummary};
use sycamore::prelude::*;
use sycamore::web::Suspense;

use super::demo::{self, Emphasis};
use crate::components::{demo_badge, error_alert, loading, verdict_chip, EmptyState};
use crate::route::path;
use crate::{format, ipc, labels};

/// The Projects page. Its heading arrives with the list, so a page that
/// shows "Projects" has already said whether it holds any.
#[component]
pub fn Projects() -> View {
    view! {
        Suspense(fallback=|| loading("Loading projects…")) {
            ProjectList()
        }
    }
}

/// The page heading with `extra` (e.g. "Try the demo product"), "Import
/// project…" and "New project", and under it whatever an import left to show.
fn header(extra: View) -> View {
    let (import, import_report) = super::project_files::import_controls();
    view! {
        header(class="page-header page-header--row") {
            div(class="page-header__text") {
                h1(class="page-header__title", id="page-title") { "Projects" }
                p(class="page-header__lede") {
                    "Each project is one product: its domains, key endpoints and launch targets."
                }
            }
            div(class="page-header__actions") {
                (extra)
                (import)
                a(class="button button--primary", href=path::NEW_PROJECT, data-testid="new-project") {
                    "New project"
                }
            }
        }
        (import_report)
    }
}

#[component]
async fn ProjectList() -> View {
    let projects = match ipc::project_list().await {
        Ok(projects) => projects,
        Err(err) => {
            let alert = error_alert("The projects could not be loaded", &err);
            return view! { (header(view! {})) (alert) };
        }
    };
    if projects.is_empty() {
        let (try_demo, failure) = demo::try_demo(Emphasis::Primary);
        return view! {
            (header(view! {}))
            EmptyState(
                title="No projects yet",
                body="A project names the product's apex domain, subdomains and key endpoints (homepage, login, chat, API health, webhook). The audit, live checks and handover report all start from it.",
                note="",
            ) {
                div(class="empty-state__actions") { (try_demo) }
                p(class="empty-state__hint", data-testid="try-demo-explanation") { (demo::EXPLANATION) }
            }
            (failure)
        };
    }
    let (header, demo_failure) = if demo::offers_demo(&projects) {
        let (try_demo, failure) = demo::try_demo(Emphasis::Secondary);
        (header(try_demo), failure)
    } else {
        (header(view! {}), view! {})
    };
    // The banner is a convenience: if resuming fails, the list still shows.
    let resume = match ipc::resume_get().await {
        Ok(resume) => resume.position,
        Err(_) => None,
    };
    let banner = match resume {
        Some(position) => {
            let catalog = ipc::catalog().await.ok();
            resume_banner(&position, &projects, catalog.as_deref())
        }
        None => view! {},
    };
    let cards = projects.into_iter().map(project_card).collect::<Vec<_>>();
    view! {
        (header)
        (demo_failure)
        (banner)
        ul(class="project-grid", aria-label="Projects", data-testid="project-list") { (cards) }
    }
}

/// "Continue where you left off", naming the project and stage.
fn resume_banner(
    position: &Position,
    projects: &[ProjectSummary],
    catalog: Option<&Catalog>,
) -> View {
    let Some(project) = projects.iter().find(|p| p.id == position.project_id) else {
        return view! {};
    };
    let stage = catalog
        .and_then(|c| c.stages.iter().find(|s| s.id == position.stage_id))
        .map_or_else(
            || position.stage_id.clone(),
            |s| format!("Stage {}: {}", s.number, s.title),
        );
    let item = catalog
        .and_then(|c| c.items.iter().find(|i| i.id == position.item_id))
        .map(|i| i.title.clone())
        .unwrap_or_default();
    let href = path::walk(position.project_id, &position.stage_id);
    let place = format!("{} · {}", project.name, stage);
    view! {
        a(class="resume-banner", href=href, data-testid="resume") {
            span(class="resume-banner__mark", aria-hidden="true") { "↻" }
            span(class="resume-banner__text") {
                strong { "Continue where you left off" }
                span(class="resume-banner__place") { (place) }
                (if item.is_empty() {
                    view! {}
                } else {
                    let item = item.clone();
                    view! { span(class="resume-banner__item") { (item) } }
                })
            }
            span(class="resume-banner__go", aria-hidden="true") { "→" }
        }
    }
}

fn project_card(project: ProjectSummary) -> View {
    let verdict = labels::verdict_for(project.open_blockers);
    let href = path::overview(project.id);
    let id = project.id.to_string();
    let apex = if project.apex.is_empty() {
        "No apex domain yet".to_string()
    } else {
        project.apex.clone()
    };
    let blockers = format::blockers_sentence(project.open_blockers);
    let blocker_class = if project.open_blockers == 0 {
        "project-card__blockers"
    } else {
        "project-card__blockers project-card__blockers--open"
    };
    let decided = format::decided(project.done, project.total);
    let updated = format!("Updated {}", format::timestamp(project.updated_ms));
    let (done, total) = (project.done.to_string(), project.total.max(1).to_string());
    let name = project.name;
    let badge = demo_badge(project.demo);
    view! {
        li(class="project-card") {
            a(class="project-card__link", href=href, data-testid="project-card", data-project-id=id) {
                div(class="project-card__head") {
                    div(class="project-card__title") {
                        h2(class="project-card__name") { (name) }
                        (badge)
                    }
                    (verdict_chip(verdict))
                }
                p(class="project-card__apex mono") { (apex) }
                progress(class="progress", value=done, max=total, aria-label="Items decided")
                p(class="project-card__facts") {
                    span(data-testid="project-decided") { (decided) }
                    span(class=blocker_class, data-testid="project-blockers") { (blockers) }
                }
                p(class="project-card__updated") { (updated) }
            }
        }
    }
}
