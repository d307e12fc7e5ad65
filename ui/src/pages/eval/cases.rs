//! The cases of the set: each with its category, OWASP entry, messages
//! and what the answer must do; an inline editor, adding, deleting and
//! importing. Saving sends the whole list, so the starter set becomes the
//! project's own on its first edit.

use handover_model::{EvalCase, EvalCategory};
use sycamore::futures::spawn_local_scoped;
use sycamore::prelude::*;

use super::logic::{self, CaseForm};
use super::{options, Eval};
use crate::browser::event_value;
use crate::ipc;

/// The `#eval-cases` section.
pub fn section(page: Eval) -> View {
    let list = View::from_dynamic(move || {
        let view = page.view.get_clone();
        let editing = page.editing.get_clone();
        let draft = page.draft.get_clone();
        untrack(|| {
            let mut shown = view.cases.clone();
            if let Some(d) = draft.filter(|d| shown.iter().all(|c| c.id != d.id)) {
                shown.push(d);
            }
            let items: Vec<View> = shown
                .iter()
                .map(|c| item(page, c, editing.as_deref() == Some(c.id.as_str())))
                .collect();
            let note = view.starter.then(|| {
                view! { p(class="eval-starter muted") { "The starter set for internal-ops bots: edit a case to make the set your own." } }
            });
            view! {
                (note)
                ul(class="eval-case-list") { (items) }
            }
        })
    });
    let add = move |_| {
        let id = page.view.with_untracked(|v| {
            let mut all = v.cases.clone();
            all.extend(page.draft.get_clone_untracked());
            logic::next_case_id(&all)
        });
        page.draft.set(Some(logic::blank_case(id.clone())));
        page.editing.set(Some(id));
    };
    let import = import_form(page);
    let export = export_button(page);
    view! {
        section(id="eval-cases", class="panel eval-cases") {
            h2(class="panel__title") { "Cases" }
            (list)
            div(class="eval-actions") {
                button(r#type="button", id="eval-case-add", class="button", on:click=add) { "Add a case" }
                (export)
            }
            (import)
        }
    }
}

fn item(page: Eval, case: &EvalCase, open: bool) -> View {
    let id = case.id.clone();
    let (id_attr, id_shown) = (id.clone(), id.clone());
    let category = case.category.label();
    let owasp = case
        .owasp()
        .map(|o| view! { span(class="chip eval-owasp") { (o.label()) } });
    let question = case.question.clone();
    let follow_ups: Vec<View> = case
        .follow_ups
        .iter()
        .map(|f| {
            let f = f.clone();
            view! { li { (f) } }
        })
        .collect();
    let follow_ups = (!follow_ups.is_empty())
        .then(|| view! { ol(class="eval-case__followups") { (follow_ups) } });
    let summary = logic::expect_summary(&case.expect);
    let editor = if open {
        editor(page, case)
    } else {
        view! {}
    };
    let (edit_id, delete_id) = (id.clone(), id);
    let delete = move |_| {
        if page
            .draft
            .with_untracked(|d| d.as_ref().is_some_and(|d| d.id == delete_id))
        {
            page.draft.set(None);
            page.editing.set(None);
            return;
        }
        let all = page.view.with_untracked(|v| v.cases.clone());
        page.save_cases(logic::without_case(&all, &delete_id));
    };
    view! {
        li(class="eval-case", data-case=id_attr) {
            div(class="eval-case__head") {
                code(class="eval-case__id") { (id_shown) }
                span(class="chip eval-category") { (category) }
                (owasp)
                span(class="eval-case__actions") {
                    button(r#type="button", class="button eval-case-edit",
                        on:click=move |_| page.editing.set(Some(edit_id.clone()))) { "Edit" }
                    button(r#type="button", class="button eval-case-delete", on:click=delete) { "Delete" }
                }
            }
            p(class="eval-case__question") { (question) }
            (follow_ups)
            p(class="eval-case__expect muted") { (summary) }
            (editor)
        }
    }
}

fn editor(page: Eval, case: &EvalCase) -> View {
    let form = CaseForm::of(case);
    let question = create_signal(form.question.clone());
    let follow_ups = create_signal(form.follow_ups.clone());
    let category = create_signal(form.category.clone());
    let contains = create_signal(form.contains.clone());
    let mode = create_signal(form.mode.clone());
    let regex = create_signal(form.regex.clone());
    let not_contains = create_signal(form.not_contains.clone());
    let refusal = create_signal(form.refusal.clone());
    let cite_regex = create_signal(form.cite_regex.clone());
    let cite_field = create_signal(form.cite_field.clone());
    let latency = create_signal(form.latency.clone());
    let categories: Vec<(&str, &str)> = EvalCategory::ALL
        .iter()
        .map(|c| (c.as_str(), c.label()))
        .collect();
    let category_options = options(&categories, &form.category);
    let mode_options = options(
        &[("all", "all of them"), ("any", "any of them")],
        &form.mode,
    );
    let refusal_options = options(
        &[
            ("either", "either"),
            ("refuse", "must refuse"),
            ("answer", "must answer"),
        ],
        &form.refusal,
    );
    let original = case.clone();
    let save = move |_| {
        let typed = CaseForm {
            question: question.get_clone_untracked(),
            follow_ups: follow_ups.get_clone_untracked(),
            category: category.get_clone_untracked(),
            contains: contains.get_clone_untracked(),
            mode: mode.get_clone_untracked(),
            regex: regex.get_clone_untracked(),
            not_contains: not_contains.get_clone_untracked(),
            refusal: refusal.get_clone_untracked(),
            cite_regex: cite_regex.get_clone_untracked(),
            cite_field: cite_field.get_clone_untracked(),
            latency: latency.get_clone_untracked(),
        };
        let all = page.view.with_untracked(|v| v.cases.clone());
        page.save_cases(logic::with_case(&all, typed.apply(&original)));
    };
    let cancel_id = case.id.clone();
    let cancel = move |_| {
        if page
            .draft
            .with_untracked(|d| d.as_ref().is_some_and(|d| d.id == cancel_id))
        {
            page.draft.set(None);
        }
        page.editing.set(None);
    };
    view! {
        div(class="eval-case-editor") {
            label(class="field") { span(class="field__label") { "Question" }
                textarea(class="input textarea eval-case-question", rows="2", bind:value=question) }
            label(class="field") { span(class="field__label") { "Follow-ups (one a line; the last answer is judged)" }
                textarea(class="input textarea eval-case-followups", rows="2", bind:value=follow_ups) }
            label(class="field") { span(class="field__label") { "Category" }
                select(class="input select eval-case-category",
                    on:change=move |ev: web_sys::Event| category.set(event_value(&ev))) { (category_options) } }
            div(class="eval-grid") {
                label(class="field") { span(class="field__label") { "Contains (one a line)" }
                    textarea(class="input textarea eval-case-contains", rows="2", bind:value=contains) }
                label(class="field") { span(class="field__label") { "Must contain" }
                    select(class="input select eval-case-mode",
                        on:change=move |ev: web_sys::Event| mode.set(event_value(&ev))) { (mode_options) } }
                label(class="field") { span(class="field__label") { "Matches (regular expressions, one a line)" }
                    textarea(class="input textarea mono-input eval-case-regex", rows="2", bind:value=regex) }
                label(class="field") { span(class="field__label") { "Never says (one a line)" }
                    textarea(class="input textarea eval-case-not-contains", rows="2", bind:value=not_contains) }
                label(class="field") { span(class="field__label") { "Refusal" }
                    select(class="input select eval-case-refusal",
                        on:change=move |ev: web_sys::Event| refusal.set(event_value(&ev))) { (refusal_options) } }
                label(class="field") { span(class="field__label") { "Cites a source matching" }
                    input(class="input mono-input eval-case-cite-regex", bind:value=cite_regex) }
                label(class="field") { span(class="field__label") { "Sources at (JSON pointer)" }
                    input(class="input mono-input eval-case-cite-field", placeholder="/sources", bind:value=cite_field) }
                label(class="field") { span(class="field__label") { "Within (ms)" }
                    input(class="input input--number eval-case-latency", r#type="number", min="1", bind:value=latency) }
            }
            div(class="eval-actions") {
                button(r#type="button", class="button button--primary eval-case-save", on:click=save) { "Save the case" }
                button(r#type="button", class="button eval-case-cancel", on:click=cancel) { "Cancel" }
            }
        }
    }
}

fn import_form(page: Eval) -> View {
    let text = create_signal(String::new());
    let format = create_signal("toml".to_owned());
    let import = move |_| {
        let (text, format) = (text.get_clone_untracked(), format.get_clone_untracked());
        spawn_local_scoped(async move {
            match ipc::eval_import(page.project_id, text, format).await {
                Ok(view) => {
                    page.view.set(view);
                    page.draft.set(None);
                    page.editing.set(None);
                    page.error.set(None);
                    page.save_error.set(None);
                }
                Err(err) if !err.fields.is_empty() => page.save_error.set(Some(err)),
                Err(err) => page
                    .error
                    .set(Some(("The cases could not be imported", err))),
            }
        });
    };
    let formats = options(&[("toml", "TOML"), ("json", "JSON")], "toml");
    view! {
        div(class="eval-import") {
            h3 { "Import cases (replaces the project's)" }
            p(class="field__hint") { "A TOML file of [[case]] tables, or JSON {\"case\": [...]} (a bare list too), as handover eval --import reads them." }
            textarea(id="eval-import-text", class="input textarea mono-input", rows="6", bind:value=text)
            div(class="eval-actions") {
                select(id="eval-import-format", class="input select",
                    on:change=move |ev: web_sys::Event| format.set(event_value(&ev))) { (formats) }
                button(r#type="button", id="eval-import", class="button", on:click=import) { "Import" }
            }
        }
    }
}

/// "Export cases…": the set a run asks (the starter set if the project has
/// none), written where the save dialog says, as TOML or JSON.
fn export_button(page: Eval) -> View {
    let done = create_signal(None::<String>);
    let export = move |_| {
        spawn_local_scoped(async move {
            let path = match ipc::pick_cases_path("eval-cases.toml".into()).await {
                Ok(Some(path)) => path,
                Ok(None) => return,
                Err(err) => {
                    page.error
                        .set(Some(("The save dialog could not open", err)));
                    return;
                }
            };
            match ipc::eval_export(page.project_id, path.clone()).await {
                Ok(_) => done.set(Some(format!("Exported to {path}."))),
                Err(err) => {
                    done.set(None);
                    page.error
                        .set(Some(("The cases could not be exported", err)));
                }
            }
        });
    };
    view! {
        button(r#type="button", id="eval-export", class="button", on:click=export) { "Export cases…" }
        (move || done.get_clone().map(|said| view! {
            span(id="eval-export-done", class="muted", role="status") { (said) }
        }))
    }
}
