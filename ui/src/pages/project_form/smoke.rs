//! The smoke sequence section: the project's own steps in order (each a
//! request to the endpoint of its role and what the answer must show),
//! added, removed, moved and edited here; with no steps of its own, the
//! default sequence the core runs, and "Customise" to start from it. The
//! core checks every step; its errors show on their fields.

use std::rc::Rc;

use handover_model::{smoke, EndpointRole, ProjectSpec, SmokeStep};
use sycamore::prelude::*;

use super::fields::{
    add_button, field_error, number_input, remove_button, rows, select_field, text_field, Opts,
};
use super::probe_state::{self, swap_map, swap_path, swap_set};
use super::sections::{row_group, section};
use super::state::field_id;
use super::Form;
use crate::browser::{self, event_value};

/// The list's field path.
const LIST: &str = "smoke_steps";

/// The smoke sequence section.
pub fn smoke_steps(form: Form) -> View {
    // Bumped when two steps swap: their rows are rebuilt with the new values.
    let moves = create_signal(0_u64);
    let count = create_selector(move || form.spec.with(|s| s.smoke_steps.len()));
    let list = View::from_dynamic(move || {
        let n = count.get();
        moves.track();
        untrack(|| {
            (0..n)
                .map(|i| step_row(form, i, n, moves))
                .collect::<Vec<_>>()
        })
    });
    let add = add_button(form, "Add step", "add-smoke-step", LIST, |s| {
        let role = s
            .endpoints
            .first()
            .map_or(EndpointRole::Homepage, |e| e.role);
        s.smoke_steps.push(SmokeStep::for_role(role));
    });
    section(
        "smoke",
        "Smoke sequence",
        "Run after every deploy: each step sends one request to the endpoint of its role, once, and checks the answer: its status, texts the body must contain, a JSON pointer and a time limit.",
        view! {
            div(class="rows", data-list=LIST) { (list) }
            (move || (count.get() == 0).then(|| default_sequence(form)))
            (field_error(form, LIST.to_string()))
            div(class="button-row") { (add) }
        },
    )
}

/// With no steps of its own the project runs the default sequence: shown
/// here, with "Customise" to make those steps the project's own.
fn default_sequence(form: Form) -> View {
    let steps = create_selector(move || form.spec.with(|s| smoke::default_steps(&s.endpoints)));
    let customise = move |_| {
        let steps = steps.get_clone_untracked();
        if !steps.is_empty() {
            form.edit(LIST, |s| s.smoke_steps = steps);
            browser::focus_first(&format!("[data-list=\"{LIST}\"] .input"));
        }
    };
    view! {
        div(class="smoke-default", data-testid="smoke-default") {
            (if steps.with(Vec::is_empty) {
                view! {
                    p(class="field__hint") {
                        "The default sequence requests the homepage, login, chat, API health and webhook endpoints; \
                         this project has none of them yet. Add endpoints above, or add steps of your own."
                    }
                }
            } else {
                let items = steps
                    .get_clone()
                    .into_iter()
                    .map(|step| {
                        let name = step.display_name().to_string();
                        view! { li(data-testid="smoke-default-step") { (name) } }
                    })
                    .collect::<Vec<_>>();
                view! {
                    p(class="field__hint") {
                        "No steps of its own: after a deploy the smoke check runs the default sequence, \
                         one request per endpoint, each expecting the endpoint's status."
                    }
                    ol(class="smoke-default__steps") { (items) }
                    button(
                        r#type="button", class="button button--ghost", data-testid="smoke-customise",
                        on:click=customise,
                    ) { "Customise" }
                }
            })
        }
    }
}

/// Step `i` of `n`: name, role and the controls on one line, then the
/// expectations.
fn step_row(form: Form, i: usize, n: usize, moves: Signal<u64>) -> View {
    let roles: Vec<(EndpointRole, &'static str, &'static str)> = EndpointRole::ALL
        .into_iter()
        .map(|r| (r, r.as_str(), r.label()))
        .collect();
    let name = text_field(
        form,
        format!("{LIST}.{i}.name"),
        "Step name".to_string(),
        Opts {
            placeholder: "the role's name",
            ..Opts::default()
        },
        move |s| step(s, i).map(|x| x.name.clone()).unwrap_or_default(),
        move |s, v| edit_step(s, i, |x| x.name = v),
    );
    let role = select_field(
        form,
        format!("{LIST}.{i}.role"),
        "Requests the endpoint".to_string(),
        roles,
        move |s| step(s, i).map_or(EndpointRole::Homepage, |x| x.role),
        move |s, r| edit_step(s, i, |x| x.role = r),
    );
    let status = optional_number(
        form,
        format!("{LIST}.{i}.expect_status"),
        "Status",
        "endpoint's",
        999,
        move |s| step(s, i).and_then(|x| x.expect_status).map(u32::from),
        move |s, n| {
            edit_step(s, i, |x| {
                x.expect_status = n.and_then(|n| u16::try_from(n).ok())
            })
        },
    );
    let max_ms = optional_number(
        form,
        format!("{LIST}.{i}.max_ms"),
        "At most (ms)",
        "no limit",
        3_600_000,
        move |s| step(s, i).and_then(|x| x.max_ms),
        move |s, n| edit_step(s, i, |x| x.max_ms = n),
    );
    let json = json_fields(form, i);
    let texts = body_texts(form, i);
    let up = move_button(form, i, i.checked_sub(1), "up", moves);
    let down = move_button(form, i, (i + 1 < n).then_some(i + 1), "down", moves);
    let remove = remove_button(form, LIST, i, "step", move |s| {
        if i < s.smoke_steps.len() {
            s.smoke_steps.remove(i);
        }
    });
    let number = (i + 1).to_string();
    row_group(
        form,
        format!("{LIST}.{i}"),
        format!("Step {}", i + 1),
        view! {
            div(class="row__line smoke-step", data-testid="smoke-step-editor") {
                span(class="smoke-step__number", aria-hidden="true") { (number) }
                (name) (role)
                div(class="smoke-step__moves") { (up) (down) (remove) }
            }
            div(class="row__line smoke-step__expect") { (status) (max_ms) (json) }
            (texts)
        },
    )
}

fn step(spec: &ProjectSpec, i: usize) -> Option<&SmokeStep> {
    spec.smoke_steps.get(i)
}

fn edit_step(spec: &mut ProjectSpec, i: usize, change: impl FnOnce(&mut SmokeStep)) {
    if let Some(step) = spec.smoke_steps.get_mut(i) {
        change(step);
    }
}

/// "Move up" or "Move down": swaps step `i` with step `to` (none at the
/// ends), with what the form knows about each, and keeps focus on the
/// moved step's button.
fn move_button(
    form: Form,
    i: usize,
    to: Option<usize>,
    way: &'static str,
    moves: Signal<u64>,
) -> View {
    let label = format!("Move step {} {way}", i + 1);
    let title = label.clone();
    let testid = format!("smoke-step-{way}-{i}");
    let glyph = if way == "up" { "↑" } else { "↓" };
    let click = move |_| {
        let Some(to) = to else { return };
        batch(|| {
            form.touched.update(|t| *t = swap_set(t, LIST, i, to));
            form.raw_numbers.update(|r| *r = swap_map(r, LIST, i, to));
            form.server_errors.update(|errors| {
                for e in errors.iter_mut() {
                    e.field = swap_path(&e.field, LIST, i, to);
                }
            });
            form.edit("", |s| {
                if i < s.smoke_steps.len() && to < s.smoke_steps.len() {
                    s.smoke_steps.swap(i, to);
                }
            });
            moves.update(|m| *m += 1);
        });
        if !browser::focus_first(&format!(
            "[data-testid=smoke-step-{way}-{to}]:not([disabled])"
        )) {
            browser::focus_first(&format!(
                "[data-testid=smoke-step-{}-{to}]",
                if way == "up" { "down" } else { "up" }
            ));
        }
    };
    view! {
        button(
            r#type="button", class="button button--quiet smoke-step__move", aria-label=label,
            title=title, data-testid=testid, disabled=to.is_none(), on:click=click,
        ) { (glyph) }
    }
}

/// Whether the answer must be JSON and, if so, a pointer it must have.
fn json_fields(form: Form, i: usize) -> View {
    let choices = vec![(false, "any", "Any body"), (true, "json", "JSON")];
    let kind = select_field(
        form,
        format!("{LIST}.{i}.json"),
        "Answer".to_string(),
        choices,
        move |s| step(s, i).is_some_and(|x| x.json_pointer.is_some()),
        move |s, json| {
            edit_step(s, i, |x| {
                x.json_pointer = if json {
                    Some(x.json_pointer.clone().unwrap_or_default())
                } else {
                    None
                };
            })
        },
    );
    let json = create_selector(move || {
        form.spec
            .with(|s| step(s, i).is_some_and(|x| x.json_pointer.is_some()))
    });
    let path = format!("{LIST}.{i}.json_pointer");
    let pointer = View::from_dynamic(move || {
        let on = json.get();
        let path = path.clone();
        untrack(move || {
            if !on {
                // An error about the pointer still has a place.
                return field_error(form, path);
            }
            text_field(
                form,
                path,
                "JSON pointer (optional)".to_string(),
                Opts {
                    placeholder: "/data/id",
                    mono: true,
                    ..Opts::default()
                },
                move |s| {
                    step(s, i)
                        .and_then(|x| x.json_pointer.clone())
                        .unwrap_or_default()
                },
                move |s, v| edit_step(s, i, |x| x.json_pointer = Some(v)),
            )
        })
    });
    view! { (kind) (pointer) }
}

/// The texts the answer's body must contain, one input each.
fn body_texts(form: Form, i: usize) -> View {
    let list = format!("{LIST}.{i}.body_contains");
    let items = {
        let list = list.clone();
        rows(
            form,
            list.clone(),
            move |s| step(s, i).map_or(0, |x| x.body_contains.len()),
            move |j| {
                let input = text_field(
                    form,
                    format!("{list}.{j}"),
                    format!("Body contains ({})", j + 1),
                    Opts {
                        placeholder: "\"status\":\"ok\"",
                        mono: true,
                        ..Opts::default()
                    },
                    move |s| {
                        step(s, i)
                            .and_then(|x| x.body_contains.get(j).cloned())
                            .unwrap_or_default()
                    },
                    move |s, v| {
                        edit_step(s, i, |x| {
                            if let Some(slot) = x.body_contains.get_mut(j) {
                                *slot = v;
                            }
                        })
                    },
                );
                let remove = remove_button(form, &list, j, "expected text", move |s| {
                    edit_step(s, i, |x| {
                        if j < x.body_contains.len() {
                            x.body_contains.remove(j);
                        }
                    })
                });
                view! { div(class="row row--single", role="group") { (input) (remove) } }
            },
        )
    };
    let add = add_button(
        form,
        "Add expected text",
        "add-smoke-text",
        &list,
        move |s| {
            edit_step(s, i, |x| x.body_contains.push(String::new()));
        },
    );
    let error = field_error(form, list);
    view! {
        div(class="smoke-step__texts") {
            (items)
            (error)
            (add)
        }
    }
}

/// A whole-number input that may stay empty (`None`): text that is not a
/// number stays in the box with its own error, and the spec holds `None`.
fn optional_number(
    form: Form,
    path: String,
    label: &'static str,
    placeholder: &'static str,
    max: u32,
    get: impl Fn(&ProjectSpec) -> Option<u32>,
    set: impl Fn(&mut ProjectSpec, Option<u32>) + 'static,
) -> View {
    let id = field_id(&path);
    let initial = form
        .raw_numbers
        .with_untracked(|raw| raw.get(&path).cloned())
        .unwrap_or_else(|| {
            form.spec
                .with_untracked(|s| get(s))
                .map_or_else(String::new, |n| n.to_string())
        });
    let edit_path = path.clone();
    let on_edit = Rc::new(move |ev: web_sys::Event| {
        let text = event_value(&ev);
        let parsed = probe_state::optional_number(&text, max);
        batch(|| {
            form.raw_numbers.update(|raw| match parsed {
                Ok(_) => {
                    raw.remove(&edit_path);
                }
                Err(_) => {
                    raw.insert(edit_path.clone(), text);
                }
            });
            form.edit(&edit_path, |spec| set(spec, parsed.ok().flatten()));
        });
    });
    number_input(
        form,
        path,
        id,
        label.to_string(),
        initial,
        placeholder,
        on_edit,
    )
}
