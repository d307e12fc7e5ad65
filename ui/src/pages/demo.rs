//! The demo product in the window: "Try the demo product" on the Projects
//! page, which starts it and opens its walkthrough, and "Remove demo" on the
//! demo project's Overview.

use handover_model::{Catalog, CommandError, ProjectSummary};
use sycamore::futures::spawn_local_scoped;
use sycamore::prelude::*;

use crate::components::error_alert;
use crate::route::path;
use crate::{browser, ipc};

/// What the demo is, in one line, next to "Try the demo product".
pub const EXPLANATION: &str = "A fictional chatbot, Northwind Ops Assistant, with realistic launch faults to find. It is served on this computer only: no network needed.";

/// Where a started demo opens: the first stage of its walkthrough, or the
/// walkthrough's own start when the catalog could not be loaded.
pub fn first_stage_path(project_id: i64, catalog: Option<&Catalog>) -> String {
    match catalog.and_then(|c| c.stages.first()) {
        Some(stage) => path::walk(project_id, &stage.id),
        None => path::walk_start(project_id),
    }
}

/// Whether the Projects page offers the demo next to its other actions:
/// only while no listed project is the demo.
pub fn offers_demo(projects: &[ProjectSummary]) -> bool {
    !projects.iter().any(|p| p.demo)
}

/// How prominent the "Try the demo product" button is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Emphasis {
    /// The main way to start, as on an empty Projects page.
    Primary,
    /// One action among others, as in the page header.
    Secondary,
}

/// "Try the demo product": starts the demo, then opens its walkthrough.
/// Returns the button and, apart, where a failure shows.
pub fn try_demo(emphasis: Emphasis) -> (View, View) {
    let starting = create_signal(false);
    let error = create_signal(None::<CommandError>);
    let start = move |_| {
        if starting.get_untracked() {
            return;
        }
        starting.set(true);
        error.set(None);
        spawn_local_scoped(async move {
            match ipc::demo_start().await {
                Ok(started) => {
                    // Without the catalog the walkthrough still opens, at its start.
                    let catalog = ipc::catalog().await.ok();
                    browser::go(first_stage_path(started.project_id, catalog.as_deref()));
                }
                Err(err) => {
                    starting.set(false);
                    error.set(Some(err));
                }
            }
        });
    };
    let class = match emphasis {
        Emphasis::Primary => "button button--primary",
        Emphasis::Secondary => "button",
    };
    let button = view! {
        button(
            r#type="button", class=class, data-testid="try-demo", title=EXPLANATION,
            disabled=move || starting.get(), on:click=start,
        ) { (move || if starting.get() { "Starting the demo…" } else { "Try the demo product" }) }
    };
    let failure = view! {
        (move || error.get_clone().map(|err| error_alert("The demo could not be started", &err)))
    };
    (button, failure)
}

/// "Remove demo", then "Remove the demo project and its keychain entries?"
/// with "Remove demo" and "Keep it": deletes the demo project, stops the
/// demo and returns to the Projects page. Returns the buttons and, apart,
/// where a failure shows.
pub fn remove_demo() -> (View, View) {
    let confirming = create_signal(false);
    let removing = create_signal(false);
    let error = create_signal(None::<CommandError>);
    let remove = move |_| {
        if removing.get_untracked() {
            return;
        }
        removing.set(true);
        error.set(None);
        spawn_local_scoped(async move {
            match ipc::demo_remove().await {
                Ok(_) => browser::go("/".to_string()),
                Err(err) => {
                    removing.set(false);
                    confirming.set(false);
                    error.set(Some(err));
                }
            }
        });
    };
    let controls = view! {
        div(class="delete-zone") {
            (move || if confirming.get() {
                view! {
                    span(class="delete-zone__warning", data-testid="remove-demo-question") {
                        "Remove the demo project and its keychain entries?"
                    }
                    button(
                        r#type="button", class="button", data-testid="remove-demo-cancel",
                        disabled=move || removing.get(), on:click=move |_| confirming.set(false),
                    ) { "Keep it" }
                    button(
                        r#type="button", class="button button--danger", data-testid="remove-demo-confirm",
                        disabled=move || removing.get(), on:click=remove,
                    ) { (move || if removing.get() { "Removing…" } else { "Remove demo" }) }
                }
            } else {
                view! {
                    button(
                        r#type="button", class="button button--danger", data-testid="remove-demo",
                        on:click=move |_| confirming.set(true),
                    ) { "Remove demo" }
                }
            })
        }
    };
    let failure = view! {
        (move || error.get_clone().map(|err| error_alert("The demo was not removed", &err)))
    };
    (controls, failure)
}

#[cfg(test)]
mod tests {
    use super::*;
    use handover_model::Stage;

    fn stage(id: &str, number: u8) -> Stage {
        Stage {
            id: id.to_string(),
            number,
            title: id.to_string(),
            goal: String::new(),
            deliverable: String::new(),
            failure_signals: Vec::new(),
        }
    }

    fn summary(id: i64, demo: bool) -> ProjectSummary {
        ProjectSummary {
            id,
            name: format!("Project {id}"),
            apex: String::new(),
            updated_ms: 0,
            done: 0,
            total: 0,
            open_blockers: 0,
            demo,
        }
    }

    #[test]
    fn a_started_demo_opens_the_first_stage_of_the_catalog() {
        let catalog = Catalog {
            stages: vec![stage("quick-audit", 1), stage("security-hardening", 2)],
            items: Vec::new(),
            advisories: Vec::new(),
        };
        assert_eq!(
            first_stage_path(3, Some(&catalog)),
            "/projects/3/walk/quick-audit"
        );
    }

    #[test]
    fn without_stages_the_demo_opens_the_walkthrough_start() {
        let empty = Catalog {
            stages: Vec::new(),
            items: Vec::new(),
            advisories: Vec::new(),
        };
        assert_eq!(first_stage_path(3, Some(&empty)), "/projects/3/walk");
        assert_eq!(first_stage_path(3, None), "/projects/3/walk");
    }

    #[test]
    fn the_demo_is_offered_until_it_is_listed() {
        assert!(offers_demo(&[]));
        assert!(offers_demo(&[summary(1, false), summary(2, false)]));
        assert!(!offers_demo(&[summary(1, false), summary(2, true)]));
    }
}
