//! Labelled inputs bound to one field of the form's spec, each with its
//! error right under it, and rows that come and go.

use std::rc::Rc;

use handover_model::ProjectSpec;
use sycamore::prelude::*;

use super::state::{error_id, field_id};
use super::Form;
use crate::browser::{self, event_value};

/// How a text field looks and behaves.
#[derive(Clone, Copy, Default)]
pub struct Opts {
    /// Greyed example text.
    pub placeholder: &'static str,
    /// A line of help under the label.
    pub hint: &'static str,
    /// `url` for addresses; plain text otherwise.
    pub url: bool,
    /// Monospaced (paths, hosts, code).
    pub mono: bool,
    /// A textarea instead of a one-line input.
    pub multiline: bool,
    /// Marks the field as required for screen readers.
    pub required: bool,
}

/// The error line under a field, present only while there is an error to show.
pub fn field_error(form: Form, path: String) -> View {
    let id = error_id(&path);
    view! {
        (form.visible_error(&path).map(|message| {
            let (id, path) = (id.clone(), path.clone());
            view! {
                p(class="field-error", id=id, data-error-for=path) { (message) }
            }
        }))
    }
}

/// `aria-invalid` and `aria-describedby` for a field, kept in step with its error.
pub fn aria(
    form: Form,
    path: &str,
    hint_id: Option<String>,
) -> (ReadSignal<Option<String>>, ReadSignal<Option<String>>) {
    let path = path.to_string();
    let error = error_id(&path);
    let has_error = create_selector(move || form.visible_error(&path).is_some());
    let invalid = create_selector(move || has_error.get().then(|| "true".to_string()));
    let described = create_selector(move || {
        let ids: Vec<String> = hint_id
            .clone()
            .into_iter()
            .chain(has_error.get().then(|| error.clone()))
            .collect();
        (!ids.is_empty()).then(|| ids.join(" "))
    });
    (invalid, described)
}

fn hint_view(id: &str, hint: &'static str) -> View {
    if hint.is_empty() {
        return view! {};
    }
    let id = id.to_string();
    view! { p(class="field__hint", id=id) { (hint) } }
}

/// A labelled text input (or textarea) for one string in the spec.
pub fn text_field(
    form: Form,
    path: String,
    label: String,
    opts: Opts,
    get: impl Fn(&ProjectSpec) -> String,
    set: impl Fn(&mut ProjectSpec, String) + 'static,
) -> View {
    let id = field_id(&path);
    let hint_id = format!("{id}-hint");
    let initial = form.spec.with_untracked(|s| get(s));
    let (invalid, described) = aria(
        form,
        &path,
        (!opts.hint.is_empty()).then(|| hint_id.clone()),
    );
    let class = if opts.mono {
        "input mono-input"
    } else {
        "input"
    };
    let edit_path = path.clone();
    // `change` as well as `input`: pasting, autofill and scripted clears
    // do not always fire `input`.
    let on_edit = Rc::new(move |ev: web_sys::Event| {
        let value = event_value(&ev);
        form.edit(&edit_path, |spec| set(spec, value));
    });
    let on_input = {
        let on_edit = on_edit.clone();
        move |ev: web_sys::Event| on_edit(ev)
    };
    let on_change = move |ev: web_sys::Event| on_edit(ev);
    let blur_path = path.clone();
    let on_blur = move |_| form.touch(&blur_path);
    let (control_id, testid, label_for) = (id.clone(), id.clone(), id);
    let control = if opts.multiline {
        let class = format!("{class} textarea");
        view! {
            textarea(
                id=control_id, class=class, data-testid=testid,
                prop:value=initial, placeholder=opts.placeholder, rows="3",
                aria-invalid=invalid, aria-describedby=described,
                on:input=on_input, on:change=on_change, on:blur=on_blur,
            )
        }
    } else {
        view! {
            input(
                id=control_id, class=class, data-testid=testid,
                r#type=if opts.url { "url" } else { "text" },
                prop:value=initial, placeholder=opts.placeholder,
                autocomplete="off", "spellcheck"="false", required=opts.required,
                aria-invalid=invalid, aria-describedby=described,
                on:input=on_input, on:change=on_change, on:blur=on_blur,
            )
        }
    };
    let hint = hint_view(&hint_id, opts.hint);
    let error = field_error(form, path);
    view! {
        div(class="field") {
            label(class="field__label", r#for=label_for) { (label) }
            (hint)
            (control)
            (error)
        }
    }
}

/// A labelled select offering `choices` as (value, wire name, label).
pub fn select_field<T: Copy + PartialEq + 'static>(
    form: Form,
    path: String,
    label: String,
    choices: Vec<(T, &'static str, &'static str)>,
    get: impl Fn(&ProjectSpec) -> T,
    set: impl Fn(&mut ProjectSpec, T) + 'static,
) -> View {
    let id = field_id(&path);
    let current = form.spec.with_untracked(|s| get(s));
    let initial = choices
        .iter()
        .find(|(value, _, _)| *value == current)
        .map_or("", |(_, wire, _)| *wire);
    let (invalid, described) = aria(form, &path, None);
    let options = choices
        .iter()
        .map(|(_, wire, text)| view! { option(value=*wire) { (*text) } })
        .collect::<Vec<_>>();
    let edit_path = path.clone();
    let on_change = move |ev: web_sys::Event| {
        let wire = event_value(&ev);
        if let Some((value, _, _)) = choices.iter().find(|(_, w, _)| *w == wire) {
            let value = *value;
            form.edit(&edit_path, |spec| set(spec, value));
        }
    };
    let (control_id, testid, label_for) = (id.clone(), id.clone(), id);
    let error = field_error(form, path);
    view! {
        div(class="field") {
            label(class="field__label", r#for=label_for) { (label) }
            select(
                id=control_id, class="input select", data-testid=testid,
                prop:value=initial, aria-invalid=invalid, aria-describedby=described,
                on:change=on_change,
            ) { (options) }
            (error)
        }
    }
}

/// A labelled whole-number input. Text that is not a number stays in the
/// box and gets its own error; the spec then holds 0 until it is fixed.
pub fn number_field(
    form: Form,
    path: String,
    label: String,
    max: u32,
    get: impl Fn(&ProjectSpec) -> u32,
    set: impl Fn(&mut ProjectSpec, u32) + 'static,
) -> View {
    let id = field_id(&path);
    let initial = form
        .raw_numbers
        .with_untracked(|raw| raw.get(&path).cloned())
        .unwrap_or_else(|| form.spec.with_untracked(|s| get(s)).to_string());
    let edit_path = path.clone();
    let on_edit = Rc::new(move |ev: web_sys::Event| {
        let text = event_value(&ev);
        form.edit_number(&edit_path, text, max, |spec, n| set(spec, n));
    });
    number_input(form, path, id, label, initial, "", on_edit)
}

/// The labelled numeric text box both number fields draw; `on_edit` runs
/// on every input and change.
pub fn number_input(
    form: Form,
    path: String,
    id: String,
    label: String,
    initial: String,
    placeholder: &'static str,
    on_edit: Rc<dyn Fn(web_sys::Event)>,
) -> View {
    let (invalid, described) = aria(form, &path, None);
    let on_input = {
        let on_edit = on_edit.clone();
        move |ev: web_sys::Event| on_edit(ev)
    };
    let on_change = move |ev: web_sys::Event| on_edit(ev);
    let blur_path = path.clone();
    let (control_id, testid, label_for) = (id.clone(), id.clone(), id);
    let error = field_error(form, path);
    view! {
        div(class="field field--number") {
            label(class="field__label", r#for=label_for) { (label) }
            input(
                id=control_id, class="input input--number", data-testid=testid,
                r#type="text", inputmode="numeric", prop:value=initial, autocomplete="off",
                placeholder=placeholder, aria-invalid=invalid, aria-describedby=described,
                on:input=on_input, on:change=on_change, on:blur=move |_| form.touch(&blur_path),
            )
            (error)
        }
    }
}

/// Rows of the list at path `list`, rebuilt only when the number of rows
/// changes (so typing never loses focus). `row(i)` builds row `i`.
pub fn rows(
    form: Form,
    list: String,
    count: impl Fn(&ProjectSpec) -> usize + 'static,
    row: impl Fn(usize) -> View + 'static,
) -> View {
    let n = create_selector(move || form.spec.with(|s| count(s)));
    let items = View::from_dynamic(move || {
        let n = n.get();
        untrack(|| (0..n).map(&row).collect::<Vec<_>>())
    });
    view! { div(class="rows", data-list=list) { (items) } }
}

/// A small "Remove" button for row `index` of `list`.
pub fn remove_button(
    form: Form,
    list: &str,
    index: usize,
    what: &str,
    remove: impl Fn(&mut ProjectSpec) + 'static,
) -> View {
    let label = format!("Remove {what} {}", index + 1);
    let testid = format!("remove-{}-{index}", list.replace('.', "-"));
    let list = list.to_string();
    view! {
        button(
            r#type="button", class="button button--quiet row__remove", aria-label=label,
            data-testid=testid, on:click=move |_| form.remove_row(&list, index, &remove),
        ) { "Remove" }
    }
}

/// An "Add …" button under the list at path `list`; focus moves to the new row.
pub fn add_button(
    form: Form,
    text: &'static str,
    testid: &'static str,
    list: &str,
    add: impl Fn(&mut ProjectSpec) + 'static,
) -> View {
    let new_row = format!("[data-list=\"{list}\"] > .row:last-child .input");
    view! {
        button(
            r#type="button", class="button button--ghost", data-testid=testid,
            on:click=move |_| {
                form.edit("", &add);
                browser::focus_first(&new_row);
            },
        ) { (text) }
    }
}

/// A list of strings (CORS origins, DKIM selectors): one input per entry.
pub fn string_list(
    form: Form,
    list: &'static str,
    what: &'static str,
    placeholder: &'static str,
    get: fn(&ProjectSpec) -> &Vec<String>,
    get_mut: fn(&mut ProjectSpec) -> &mut Vec<String>,
) -> View {
    let items = rows(
        form,
        list.to_string(),
        move |s| get(s).len(),
        move |i| {
            let path = format!("{list}.{i}");
            let input = text_field(
                form,
                path,
                format!("{} {}", capitalise(what), i + 1),
                Opts {
                    placeholder,
                    mono: true,
                    ..Opts::default()
                },
                move |s| get(s).get(i).cloned().unwrap_or_default(),
                move |s, v| {
                    if let Some(slot) = get_mut(s).get_mut(i) {
                        *slot = v;
                    }
                },
            );
            let remove = remove_button(form, list, i, what, move |s| {
                if i < get_mut(s).len() {
                    get_mut(s).remove(i);
                }
            });
            view! { div(class="row row--single", role="group") { (input) (remove) } }
        },
    );
    let error = field_error(form, list.to_string());
    let add = add_button(form, add_label(what), add_testid(list), list, move |s| {
        get_mut(s).push(String::new())
    });
    view! {
        (items)
        (error)
        (add)
    }
}

fn capitalise(word: &str) -> String {
    let mut chars = word.chars();
    match chars.next() {
        Some(first) => first.to_uppercase().chain(chars).collect(),
        None => String::new(),
    }
}

fn add_label(what: &'static str) -> &'static str {
    match what {
        "origin" => "Add origin",
        "selector" => "Add selector",
        _ => "Add",
    }
}

fn add_testid(list: &'static str) -> &'static str {
    match list {
        "cors_origins" => "add-cors-origin",
        "email.dkim_selectors" => "add-dkim-selector",
        _ => "add-row",
    }
}
