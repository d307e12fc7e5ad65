//! The project form, for new projects and existing ones: every section of a
//! [`ProjectSpec`], checked by the backend as the user types, saved in one go.

mod auth;
mod endpoints;
mod fields;
mod more;
pub(crate) mod probe_state;
mod probes;
mod sections;
mod smoke;
pub mod state;

use std::collections::{BTreeMap, BTreeSet};

use handover_model::{CommandError, ErrorCode, FieldError, ProjectSpec};
use sycamore::futures::spawn_local_scoped;
use sycamore::prelude::*;
use sycamore::web::Suspense;

use crate::components::{demo_badge, error_alert, loading, title_header};
use crate::route::path;
use crate::{browser, ipc};

/// How long typing must pause before the form is checked.
const VALIDATE_DELAY_MS: i32 = 250;

/// The form's reactive state. Every part is a signal, so `Form` is `Copy`
/// and moves freely into event handlers.
#[derive(Clone, Copy)]
pub struct Form {
    /// What the user has entered.
    pub spec: Signal<ProjectSpec>,
    /// The backend's latest verdict on the form (or on the failed save).
    pub server_errors: Signal<Vec<FieldError>>,
    /// Number fields whose text is not a number yet (path → text).
    pub raw_numbers: Signal<BTreeMap<String, String>>,
    /// Fields the user has changed or left; their errors show right away.
    pub touched: Signal<BTreeSet<String>>,
    /// After a save attempt every error shows, touched or not.
    pub show_all: Signal<bool>,
    /// Bumped on every change; validation answers for older ones are dropped.
    pub revision: Signal<u64>,
    /// Server and local errors together.
    pub errors: ReadSignal<Vec<FieldError>>,
}

impl Form {
    fn new(spec: ProjectSpec) -> Self {
        let server_errors = create_signal(Vec::new());
        let raw_numbers = create_signal(BTreeMap::new());
        let errors = create_selector(move || {
            let local = raw_numbers.with(|raw| state::local_errors(raw, max_for));
            server_errors.with(|server| state::merge_errors(server, &local))
        });
        Form {
            spec: create_signal(spec),
            server_errors,
            raw_numbers,
            touched: create_signal(BTreeSet::new()),
            show_all: create_signal(false),
            revision: create_signal(0),
            errors,
        }
    }

    /// Changes the spec, marks `path` as touched (unless empty) and asks for a check.
    pub fn edit(self, path: &str, change: impl FnOnce(&mut ProjectSpec)) {
        batch(|| {
            self.spec.update(change);
            self.touch(path);
            self.revision.update(|r| *r += 1);
        });
    }

    /// A number field changed: numbers go into the spec, anything else is
    /// kept as text (with its own error) while the spec holds 0.
    pub fn edit_number(
        self,
        path: &str,
        text: String,
        max: u32,
        set: impl FnOnce(&mut ProjectSpec, u32),
    ) {
        let parsed = state::parse_number(&text, max);
        batch(|| {
            self.raw_numbers.update(|raw| match parsed {
                Ok(_) => {
                    raw.remove(path);
                }
                Err(_) => {
                    raw.insert(path.to_string(), text);
                }
            });
            self.edit(path, |spec| set(spec, parsed.unwrap_or(0)));
        });
    }

    /// Marks a field as touched, so its error shows.
    pub fn touch(self, path: &str) {
        if !path.is_empty() && !self.touched.with_untracked(|t| t.contains(path)) {
            self.touched.update(|t| {
                t.insert(path.to_string());
            });
        }
    }

    /// Removes row `index` of `list` and renumbers what was known about later rows.
    pub fn remove_row(self, list: &str, index: usize, remove: impl FnOnce(&mut ProjectSpec)) {
        batch(|| {
            self.touched
                .update(|t| *t = state::shift_set(t, list, index));
            self.raw_numbers
                .update(|r| *r = state::shift_map(r, list, index));
            self.server_errors.update(|errors| {
                *errors = errors
                    .iter()
                    .filter_map(|e| {
                        state::shift_path(&e.field, list, index).map(|field| FieldError {
                            field,
                            message: e.message.clone(),
                        })
                    })
                    .collect();
            });
            self.spec.update(remove);
            self.revision.update(|r| *r += 1);
        });
    }

    /// The error to show under `path` now, if any.
    pub fn visible_error(self, path: &str) -> Option<String> {
        if self.show_all.get() || self.touched.with(|t| t.contains(path)) {
            self.errors.with(|errors| state::error_for(errors, path))
        } else {
            None
        }
    }
}

/// The largest number each number field takes.
fn max_for(path: &str) -> u32 {
    if path.ends_with("expected_status") || path.ends_with("expect_status") {
        999
    } else {
        3_600_000
    }
}

/// The new-project form.
#[component]
pub fn NewProject() -> View {
    form_page(None, String::new(), false, ProjectSpec::default())
}

/// The form for project `id`, loaded from the backend.
#[component(inline_props)]
pub fn EditProject(id: i64) -> View {
    view! {
        Suspense(fallback=|| loading("Loading the project…")) {
            EditLoader(id=id)
        }
    }
}

#[component(inline_props)]
async fn EditLoader(id: i64) -> View {
    match ipc::project_get(id).await {
        Ok(project) => form_page(
            Some(project.id),
            project.spec.name.clone(),
            project.demo,
            project.spec,
        ),
        Err(err) => view! {
            h1(class="page-header__title", id="page-title") { "Edit project" }
            (error_alert("This project could not be loaded", &err))
            p { a(href="/") { "Back to all projects" } }
        },
    }
}

/// The form itself; `demo` marks the demo product's project.
fn form_page(id: Option<i64>, name: String, demo: bool, spec: ProjectSpec) -> View {
    let form = Form::new(spec);
    let checking = create_signal(false);
    let saving = create_signal(false);
    let save_error = create_signal(None::<CommandError>);

    create_effect(move || {
        let revision = form.revision.get();
        if revision == 0 {
            return;
        }
        // Re-running this effect drops the previous wait: a natural debounce.
        spawn_local_scoped(async move {
            browser::sleep(VALIDATE_DELAY_MS).await;
            if form.revision.get_untracked() != revision {
                return;
            }
            checking.set(true);
            let spec = form.spec.get_clone_untracked();
            let result = ipc::project_validate(id, spec).await;
            if form.revision.get_untracked() == revision {
                checking.set(false);
                if let Ok(report) = result {
                    form.server_errors.set(report.errors);
                }
            }
        });
    });

    let save = move || {
        if saving.get_untracked() {
            return;
        }
        form.show_all.set(true);
        let local_problems = form.raw_numbers.with_untracked(|raw| !raw.is_empty());
        if local_problems {
            save_error.set(Some(CommandError::new(
                ErrorCode::InvalidInput,
                "Some number fields hold text that is not a number.",
            )));
            focus_first_error();
            return;
        }
        saving.set(true);
        save_error.set(None);
        let spec = form.spec.get_clone_untracked();
        spawn_local_scoped(async move {
            let result = ipc::project_save(id, spec).await;
            saving.set(false);
            match result {
                Ok(project) => browser::go(path::overview(project.id)),
                Err(err) => {
                    form.server_errors.set(state::save_field_errors(&err));
                    save_error.set(Some(err));
                    focus_first_error();
                }
            }
        });
    };

    let (title, lede) = match id {
        Some(_) => ("Edit project".to_string(), name),
        None => (
            "New project".to_string(),
            "Describe the product once; the audit, live checks and handover report use it."
                .to_string(),
        ),
    };
    let cancel = id.map_or_else(|| "/".to_string(), path::overview);
    let delete = id.map(|id| view! { DeleteButton(id=id) });
    let export = match id {
        Some(id) => {
            let name = lede.clone();
            view! { super::project_files::ExportButton(id=id, name=name) }
        }
        None => view! {},
    };
    let header = title_header(title, demo_badge(demo), lede, export);
    let summary = summary(form, save_error);
    let credentials = auth::load(id);
    let sections = vec![
        sections::basics(form),
        sections::domains(form),
        sections::environments(form),
        endpoints::endpoints(form, credentials),
        smoke::smoke_steps(form),
        more::cors(form),
        more::legacy(form),
        more::email(form),
        more::latency(form),
        probes::tenant_probe(form, credentials),
        probes::chat_failure(form),
        more::network(form),
        more::paths(form),
        more::notes(form),
    ];
    view! {
        (header)
        (summary)
        form(
            class="project-form", novalidate=true, aria-label="Project",
            on:submit=move |ev: web_sys::SubmitEvent| {
                ev.prevent_default();
                save();
            },
        ) {
            (sections)
            div(class="form-actions") {
                button(
                    r#type="submit", class="button button--primary", data-testid="save-project",
                    disabled=move || saving.get(),
                ) { (move || if saving.get() { "Saving…" } else if id.is_some() { "Save changes" } else { "Create project" }) }
                a(class="button", href=cancel) { "Cancel" }
                span(class="form-actions__status", role="status", aria-live="polite") {
                    (move || if checking.get() { "Checking…" } else { "" })
                }
                span(class="form-actions__spacer")
                (delete)
            }
        }
    }
}

/// After a failed save: focus the first field with an error (in page
/// order), else the summary.
fn focus_first_error() {
    if !browser::focus_first(".project-form [aria-invalid='true']") {
        browser::focus("form-summary");
    }
}

/// The summary above the form after a failed save: what went wrong and the
/// errors that have no field of their own.
fn summary(form: Form, save_error: Signal<Option<CommandError>>) -> View {
    view! {
        (save_error.get_clone().map(|err| {
            let orphans = form.spec.with(|spec| form.errors.with(|errors| state::orphan_errors(errors, spec)));
            let total = form.errors.with(Vec::len);
            let placed = total > orphans.len();
            // Field errors speak for themselves; the message is for the rest.
            let message = if total == 0 { err.message.clone() } else { String::new() };
            let items = orphans
                .into_iter()
                .map(|e| {
                    let field = e.field;
                    view! { li(data-error-for=field) { (e.message) } }
                })
                .collect::<Vec<_>>();
            let fix = if placed {
                view! { p { "Fix the fields marked below, then save again." } }
            } else {
                view! {}
            };
            view! {
                div(class="alert alert--bad form-summary", id="form-summary", tabindex="-1", role="alert", data-testid="form-summary") {
                    p(class="alert__title") { "The project was not saved" }
                    (if message.is_empty() { view! {} } else { let m = message.clone(); view! { p { (m) } } })
                    (fix)
                    ul(class="form-summary__list") { (items) }
                }
            }
        }))
    }
}

/// "Delete", then "Confirm delete": removes the project and returns to the list.
#[component(inline_props)]
fn DeleteButton(id: i64) -> View {
    let confirming = create_signal(false);
    let deleting = create_signal(false);
    let error = create_signal(None::<CommandError>);
    let click = move |_| {
        if !confirming.get_untracked() {
            confirming.set(true);
            return;
        }
        deleting.set(true);
        spawn_local_scoped(async move {
            match ipc::project_delete(id).await {
                Ok(_) => browser::go("/".to_string()),
                Err(err) => {
                    deleting.set(false);
                    confirming.set(false);
                    error.set(Some(err));
                }
            }
        });
    };
    view! {
        div(class="delete-zone") {
            (move || confirming.get().then(|| view! {
                span(class="delete-zone__warning") { "This removes the project, its audit state and history." }
                button(r#type="button", class="button", on:click=move |_| confirming.set(false)) { "Keep it" }
            }))
            button(
                r#type="button", class="button button--danger", data-testid="delete-project",
                disabled=move || deleting.get(), on:click=click,
            ) {
                (move || if deleting.get() { "Deleting…" } else if confirming.get() { "Confirm delete" } else { "Delete" })
            }
        }
        (move || error.get_clone().map(|err| error_alert("The project was not deleted", &err)))
    }
}
