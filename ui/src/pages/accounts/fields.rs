//! Labelled inputs for the account and contact forms, built like the project
//! form's: a label, an optional hint, the control, and the backend's errors
//! for that field right under it (`.field-error[data-error-for=path]`, with
//! `aria-invalid` and `aria-describedby` kept in step).

use std::rc::Rc;

use handover_model::FieldError;
use sycamore::prelude::*;

use super::logic;
use crate::browser::event_value;

/// A form's state: what is typed so far and the last save's field errors.
pub struct Draft<T: 'static> {
    /// The spec being edited.
    pub spec: Signal<T>,
    /// Field errors from the last failed save.
    pub errors: Signal<Vec<FieldError>>,
}

impl<T> Clone for Draft<T> {
    fn clone(&self) -> Self {
        *self
    }
}

impl<T> Copy for Draft<T> {}

impl<T> Draft<T> {
    /// A draft starting from `spec`, without errors.
    pub fn new(spec: T) -> Self {
        Draft {
            spec: create_signal(spec),
            errors: create_signal(Vec::new()),
        }
    }

    /// Changes the spec; the errors under `path` go, as the user is fixing them.
    pub fn edit(self, path: &str, change: impl FnOnce(&mut T)) {
        batch(|| {
            self.spec.update(change);
            if self
                .errors
                .with_untracked(|e| !logic::errors_under(e, path).is_empty())
            {
                self.errors
                    .update(|e| *e = logic::without_errors_under(e, path));
            }
        });
    }
}

/// What kind of control a text field is.
#[derive(Clone, Copy, PartialEq, Eq, Default)]
pub enum Input {
    /// One line of text.
    #[default]
    Text,
    /// An email address.
    Email,
    /// A web address.
    Url,
    /// A calendar date (`YYYY-MM-DD`).
    Date,
    /// Several lines.
    Multiline,
}

/// How a field is named and shown.
#[derive(Clone, Copy, Default)]
pub struct Field {
    /// Element id, also its `data-testid`.
    pub id: &'static str,
    /// The error path it shows, e.g. `owner.email`.
    pub path: &'static str,
    /// The label.
    pub label: &'static str,
    /// A line of help under the label; empty for none.
    pub hint: &'static str,
    /// Greyed example text.
    pub placeholder: &'static str,
    /// The control.
    pub input: Input,
}

/// The error lines under a field: one per error path, present only while there are errors.
fn field_errors<T>(draft: Draft<T>, field: Field) -> View {
    View::from_dynamic(move || {
        let errors = draft
            .errors
            .with(|errors| logic::errors_under(errors, field.path));
        let lines: Vec<View> = errors
            .into_iter()
            .enumerate()
            .map(|(i, e)| {
                let id = format!("{}-error-{i}", field.id);
                view! { p(class="field-error", id=id, data-error-for=e.field) { (e.message) } }
            })
            .collect();
        View::from(lines)
    })
}

/// `aria-invalid` and `aria-describedby` for a field, following its errors.
fn aria<T>(
    draft: Draft<T>,
    field: Field,
) -> (ReadSignal<Option<&'static str>>, ReadSignal<Option<String>>) {
    let count = create_selector(move || {
        draft
            .errors
            .with(|errors| logic::errors_under(errors, field.path).len())
    });
    let invalid = create_selector(move || (count.get() > 0).then_some("true"));
    let described = create_selector(move || {
        let hint = (!field.hint.is_empty()).then(|| format!("{}-hint", field.id));
        let ids: Vec<String> = hint
            .into_iter()
            .chain((0..count.get()).map(|i| format!("{}-error-{i}", field.id)))
            .collect();
        (!ids.is_empty()).then(|| ids.join(" "))
    });
    (invalid, described)
}

fn hint_view(field: Field) -> View {
    if field.hint.is_empty() {
        return view! {};
    }
    let id = format!("{}-hint", field.id);
    view! { p(class="field__hint", id=id) { (field.hint) } }
}

/// A labelled text input (or textarea, date, email, URL) for one string of the spec.
pub fn text<T>(
    draft: Draft<T>,
    field: Field,
    get: impl Fn(&T) -> String,
    set: impl Fn(&mut T, String) + 'static,
) -> View {
    let initial = draft.spec.with_untracked(|s| get(s));
    let (invalid, described) = aria(draft, field);
    // `change` as well as `input`: pasting, autofill and date pickers do not always fire `input`.
    let on_edit = Rc::new(move |ev: web_sys::Event| {
        let value = event_value(&ev);
        draft.edit(field.path, |spec| set(spec, value));
    });
    let on_input = {
        let on_edit = on_edit.clone();
        move |ev: web_sys::Event| on_edit(ev)
    };
    let on_change = move |ev: web_sys::Event| on_edit(ev);
    let control = if field.input == Input::Multiline {
        view! {
            textarea(
                id=field.id, class="input textarea", data-testid=field.id,
                prop:value=initial, placeholder=field.placeholder, rows="3",
                aria-invalid=invalid, aria-describedby=described,
                on:input=on_input, on:change=on_change,
            )
        }
    } else {
        let (kind, class) = match field.input {
            Input::Email => ("email", "input"),
            Input::Url => ("url", "input mono-input"),
            Input::Date => ("date", "input input--date"),
            Input::Text | Input::Multiline => ("text", "input"),
        };
        view! {
            input(
                id=field.id, class=class, data-testid=field.id, r#type=kind,
                prop:value=initial, placeholder=field.placeholder,
                autocomplete="off", "spellcheck"="false",
                aria-invalid=invalid, aria-describedby=described,
                on:input=on_input, on:change=on_change,
            )
        }
    };
    view! {
        div(class="field") {
            label(class="field__label", r#for=field.id) { (field.label) }
            (hint_view(field))
            (control)
            (field_errors(draft, field))
        }
    }
}

/// A labelled select offering `choices` as (value, wire name, label).
pub fn select<T, V: Copy + PartialEq + 'static>(
    draft: Draft<T>,
    field: Field,
    choices: Vec<(V, &'static str, &'static str)>,
    get: impl Fn(&T) -> V,
    set: impl Fn(&mut T, V) + 'static,
) -> View {
    let current = draft.spec.with_untracked(|s| get(s));
    let options = choices
        .iter()
        .map(|(value, wire, text)| {
            let selected = *value == current;
            view! { option(value=*wire, selected=selected) { (*text) } }
        })
        .collect::<Vec<_>>();
    let (invalid, described) = aria(draft, field);
    let on_change = move |ev: web_sys::Event| {
        let wire = event_value(&ev);
        if let Some((value, _, _)) = choices.iter().find(|(_, w, _)| *w == wire) {
            let value = *value;
            draft.edit(field.path, |spec| set(spec, value));
        }
    };
    view! {
        div(class="field") {
            label(class="field__label", r#for=field.id) { (field.label) }
            (hint_view(field))
            select(
                id=field.id, class="input select", data-testid=field.id,
                aria-invalid=invalid, aria-describedby=described, on:change=on_change,
            ) { (options) }
            (field_errors(draft, field))
        }
    }
}

/// The summary above a form after a failed save: the title, what went
/// wrong and the errors no field shows. `None` hides it.
pub fn summary<T>(
    draft: Draft<T>,
    id: &'static str,
    title: &'static str,
    known: &'static [&'static str],
    failure: ReadSignal<Option<handover_model::CommandError>>,
) -> View {
    View::from_dynamic(move || {
        let Some(err) = failure.get_clone() else {
            return view! {};
        };
        let errors = draft.errors.get_clone();
        let orphans = logic::orphan_errors(&errors, known);
        let placed = errors.len() > orphans.len();
        let message = if errors.is_empty() {
            err.message.clone()
        } else {
            String::new()
        };
        let items = orphans
            .into_iter()
            .map(|e| view! { li(data-error-for=e.field) { (e.message) } })
            .collect::<Vec<_>>();
        let fix = placed.then(|| view! { p { "Fix the fields marked below, then save again." } });
        let message = (!message.is_empty()).then(|| view! { p { (message) } });
        view! {
            div(class="alert alert--bad form-summary", id=id, tabindex="-1", role="alert", data-testid=id) {
                p(class="alert__title") { (title) }
                (message)
                (fix)
                ul(class="form-summary__list") { (items) }
            }
        }
    })
}
