//! The walkthrough: one stage at a time, its items on the left, the selected
//! item on the right, driven by mouse or keyboard, resumable where it was left.

mod item_detail;
mod keyboard;
mod keys;
mod logic;
mod state;

use handover_model::{ChecklistItem, ItemStatus};
use sycamore::prelude::*;
use sycamore::web::Suspense;

use crate::components::{demo_badge, error_alert, loading, risk_chip, status_icon};
use crate::route::path;
use crate::{browser, format, ipc};
use state::Walk;

/// `/projects/<id>/walk`: opens the stage where the walk was left, else the first.
#[component(inline_props)]
pub fn WalkStart(id: i64) -> View {
    view! {
        Suspense(fallback=|| loading("Opening the walkthrough…")) {
            WalkStartBody(id=id)
        }
    }
}

#[component(inline_props)]
async fn WalkStartBody(id: i64) -> View {
    let catalog = match ipc::catalog().await {
        Ok(catalog) => catalog,
        Err(err) => return failure("The checklist could not be loaded", &err),
    };
    let position = ipc::items_get(id).await.ok().and_then(|s| s.position);
    let stage = position
        .filter(|p| p.project_id == id)
        .map(|p| p.stage_id)
        .or_else(|| catalog.stages.first().map(|s| s.id.clone()));
    match stage {
        Some(stage) => {
            browser::go_replace(path::walk_start(id), path::walk(id, &stage));
            loading("Opening the walkthrough…")
        }
        None => {
            view! { h1(id="page-title") { "Walkthrough" } p { "The checklist has no stages." } }
        }
    }
}

fn failure(title: &'static str, err: &handover_model::CommandError) -> View {
    let alert = error_alert(title, err);
    view! {
        h1(class="page-header__title", id="page-title") { "Walkthrough" }
        (alert)
        p { a(href="/") { "Back to all projects" } }
    }
}

/// One project's walkthrough; `stage` follows the URL.
#[component(inline_props)]
pub fn Walkthrough(id: i64, stage: ReadSignal<Option<String>>) -> View {
    view! {
        Suspense(fallback=|| loading("Loading the walkthrough…")) {
            WalkLoader(id=id, stage=stage)
        }
    }
}

#[component(inline_props)]
async fn WalkLoader(id: i64, stage: ReadSignal<Option<String>>) -> View {
    let catalog = match ipc::catalog().await {
        Ok(catalog) => catalog,
        Err(err) => return failure("The checklist could not be loaded", &err),
    };
    let project = match ipc::project_get(id).await {
        Ok(project) => project,
        Err(err) => return failure("This project could not be loaded", &err),
    };
    let states = match ipc::items_get(id).await {
        Ok(states) => states,
        Err(err) => return failure("The checklist state could not be loaded", &err),
    };
    let first = stage.get_clone_untracked().unwrap_or_default();
    if !catalog.stages.iter().any(|s| s.id == first) {
        let start = path::walk_start(id);
        return view! {
            h1(class="page-header__title", id="page-title") { "No such stage" }
            p { "This checklist has no stage called “" (first) "”. " a(href=start) { "Open the walkthrough" } }
        };
    }
    // The counts come from the core; without them the walk still works.
    let overview = ipc::overview_get(id).await.ok();
    let w = Walk::new(id, catalog, states.items, first, states.position, overview);
    // Follow the URL from stage to stage without reloading anything.
    create_effect(move || {
        if let Some(next) = stage.get_clone() {
            let known = w
                .catalog
                .with_untracked(|c| c.stages.iter().any(|s| s.id == next));
            if known && w.stage.with_untracked(|s| *s != next) {
                w.stage.set(next);
            }
        }
    });
    create_effect(move || {
        w.stage.track();
        untrack(|| w.enter_stage());
    });
    keyboard::install_keys(w);
    let badge = demo_badge(project.demo);
    page(w, project.spec.name, badge)
}

fn page(w: Walk, project_name: String, badge: View) -> View {
    let heading = create_selector(move || {
        let stage = w.stage.get_clone();
        w.catalog.with(|c| {
            c.stages
                .iter()
                .find(|s| s.id == stage)
                .map_or_else(String::new, |s| format!("Stage {} · {}", s.number, s.title))
        })
    });
    let overall = create_selector(move || {
        w.decided
            .get()
            .map(|(done, total)| format::decided(done, total))
            .unwrap_or_default()
    });
    let overview = path::overview(w.project_id);
    view! {
        header(class="walk-header") {
            nav(class="breadcrumb", aria-label="Breadcrumb") {
                a(href=overview.clone(), data-testid="walk-project") { (project_name) }
                (badge)
                span(aria-hidden="true") { " › " }
                span { "Walkthrough" }
            }
            div(class="walk-header__row") {
                h1(class="page-header__title", id="page-title") { (move || heading.get_clone()) }
                span(class="walk-header__overall") { (move || overall.get_clone()) }
            }
        }
        (stepper(w))
        (stage_brief(w))
        div(class="walk") {
            (item_list(w))
            (item_detail::detail(w))
        }
        (stage_nav(w))
        (keyboard::help_overlay(w))
    }
}

/// The seven stages, each with the core's done/total, the current one marked.
fn stepper(w: Walk) -> View {
    let stages = w.catalog.with_untracked(|c| c.stages.clone());
    let steps = stages
        .into_iter()
        .map(|stage| {
            let id = stage.id.clone();
            let current = create_selector(move || w.stage.with(|s| *s == id));
            let id = stage.id.clone();
            let counts = create_selector(move || w.stages.with(|stages| logic::stage_ratio(stages, &id)));
            let href = path::walk(w.project_id, &stage.id);
            let class = move || {
                let complete = counts.get().is_some_and(|(done, total)| total > 0 && done == total);
                match (current.get(), complete) {
                    (true, _) => "step step--current",
                    (false, true) => "step step--done",
                    (false, false) => "step",
                }
            };
            view! {
                li(class=class) {
                    a(
                        class="step__link", href=href, data-stage-id=stage.id.clone(),
                        aria-current=move || current.get().then_some("step"),
                    ) {
                        span(class="step__number") { (stage.number.to_string()) }
                        span(class="step__title") { (stage.title.clone()) }
                        span(class="step__count") { (move || counts.get().map(|(d, t)| format!("{d}/{t}")).unwrap_or_default()) }
                    }
                }
            }
        })
        .collect::<Vec<_>>();
    view! {
        nav(class="stepper", aria-label="Stages", data-testid="stepper") {
            ol(class="stepper__list") { (steps) }
        }
    }
}

/// The stage's goal, and its deliverable and failure signals in a fold.
fn stage_brief(w: Walk) -> View {
    View::from_dynamic(move || {
        let stage_id = w.stage.get_clone();
        let Some(stage) = w
            .catalog
            .with(|c| c.stages.iter().find(|s| s.id == stage_id).cloned())
        else {
            return view! {};
        };
        let signals = stage
            .failure_signals
            .iter()
            .map(|s| {
                let s = s.clone();
                view! { li { (s) } }
            })
            .collect::<Vec<_>>();
        view! {
            div(class="stage-brief", data-testid="stage-brief") {
                p(class="stage-brief__goal") { (stage.goal.clone()) }
                details(class="stage-brief__more") {
                    summary { "Deliverable and failure signals" }
                    h3 { "Deliverable" }
                    p { (stage.deliverable.clone()) }
                    h3 { "Signs the stage is not really done" }
                    ul { (signals) }
                }
            }
        }
    })
}

/// The stage's items; the selected one is highlighted.
fn item_list(w: Walk) -> View {
    let rows = View::from_dynamic(move || {
        let stage = w.stage.get_clone();
        untrack(|| {
            let items: Vec<ChecklistItem> = w
                .catalog
                .with(|c| logic::stage_items(c, &stage).into_iter().cloned().collect());
            items
                .into_iter()
                .map(|item| item_row(w, item))
                .collect::<Vec<_>>()
        })
    });
    view! {
        ul(class="item-list", id="item-list", role="listbox", aria-label="Items in this stage") { (rows) }
    }
}

fn item_row(w: Walk, item: ChecklistItem) -> View {
    let id = item.id.clone();
    let status = create_selector(move || w.states.with(|s| logic::status_of(s, &id)));
    let id = item.id.clone();
    let could_not = create_selector(move || w.states.with(|s| logic::could_not_check_of(s, &id)));
    let id = item.id.clone();
    let selected = create_selector(move || w.selected.with(|s| s.as_deref() == Some(id.as_str())));
    let id = item.id.clone();
    let class = move || {
        let mut class = String::from("item-row");
        if selected.get() {
            class.push_str(" item-row--selected");
        }
        if status.get() == ItemStatus::Fail {
            class.push_str(" item-row--failed");
        }
        class
    };
    let row_id = format!("item-{}", item.id);
    let item_id = item.id.clone();
    let title = item.title.clone();
    let risk = risk_chip(item.risk);
    view! {
        li(
            class=class, role="option", id=row_id, data-testid="item-row",
            data-item-id=item_id, data-status=move || status.get().as_str(),
            data-could-not-check=move || if could_not.with(String::is_empty) { "false" } else { "true" },
            aria-selected=move || if selected.get() { "true" } else { "false" },
            tabindex=move || if selected.get() { "0" } else { "-1" },
            on:click=move |_| w.select(id.clone()),
        ) {
            (move || status_icon(status.get()))
            span(class="item-row__title") { (title) }
            (risk)
            (move || could_not.with(|note| (!note.is_empty()).then(|| {
                let note = format::capitalized(note);
                view! {
                    span(class="chip chip--inconclusive", title=note, data-testid="item-could-not-check") { "Could not check" }
                }
            })))
        }
    }
}

/// Back and Next between stages, with the keys hint between them.
fn stage_nav(w: Walk) -> View {
    let labels = create_selector(move || {
        let stage = w.stage.get_clone();
        w.catalog.with(|c| {
            let at = c.stages.iter().position(|s| s.id == stage).unwrap_or(0);
            let back = at
                .checked_sub(1)
                .and_then(|i| c.stages.get(i))
                .map_or("← Overview".to_string(), |s| format!("← {}", s.title));
            let next = c
                .stages
                .get(at + 1)
                .map_or("Finish: Overview →".to_string(), |s| {
                    format!("Next: {} →", s.title)
                });
            (back, next)
        })
    });
    view! {
        div(class="walk-nav") {
            button(r#type="button", class="button", data-testid="prev-stage", on:click=move |_| w.go_stage(-1)) {
                (move || labels.get_clone().0)
            }
            button(
                r#type="button", class="keys-hint", data-testid="keys-hint", aria-haspopup="dialog",
                on:click=move |_| {
                    w.help.set(true);
                    browser::focus("keys-close");
                },
            ) { kbd { "?" } " Keys" }
            button(r#type="button", class="button button--primary", data-testid="next-stage", on:click=move |_| w.go_stage(1)) {
                (move || labels.get_clone().1)
            }
        }
    }
}
