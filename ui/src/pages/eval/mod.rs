//! The Eval page of one project: how to reach its chat endpoint, the
//! canary to plant in the system prompt, the cases (the starter set or the
//! project's own, edited inline or imported), a run with live progress and
//! its results by category and case. Every verdict is the core's.

mod cases;
mod logic;
mod results;
mod signed_in;

use handover_model::{CommandError, EnvironmentKind, EvalReport, EvalSetup, EvalView, Method};
use sycamore::futures::spawn_local_scoped;
use sycamore::prelude::*;
use sycamore::web::Suspense;

use crate::browser::event_value;
use crate::components::{demo_badge, error_alert, loading};
use crate::ipc;
use crate::pages::empty;
use crate::pages::picker::{apex_and_blockers, Destination};
use crate::route::path;
use logic::{AdapterForm, BODY_PLACEHOLDER};

/// Where the `/eval` entry leads.
pub static EVAL: Destination = Destination {
    from: "/eval",
    title: "Eval",
    lede: "Hallucinated policy, prompt injection and leaks, tested.",
    choose: "Choose the project whose chatbot to evaluate.",
    opening: "Opening the evaluation…",
    empty: &empty::EVAL,
    resume: |p| path::eval(p.project_id),
    project: path::eval,
    facts: apex_and_blockers,
};

/// The page's state, shared by its sections.
#[derive(Clone, Copy)]
pub struct Eval {
    /// The project.
    pub project_id: i64,
    /// The set as the core last answered it.
    pub view: Signal<EvalView>,
    /// The report of a run made on this page (shown over `view.last`).
    pub fresh: Signal<Option<EvalReport>>,
    /// The last failed save, with its field errors.
    pub save_error: Signal<Option<CommandError>>,
    /// The last other failure (run, import, canary).
    pub error: Signal<Option<(&'static str, CommandError)>>,
    /// The case whose editor is open.
    pub editing: Signal<Option<String>>,
    /// A case added but not saved yet.
    pub draft: Signal<Option<handover_model::EvalCase>>,
}

impl Eval {
    /// Saves `setup`; on success the view is the core's answer and the
    /// open editor closes, else the field errors show.
    pub fn save(self, setup: EvalSetup) {
        spawn_local_scoped(async move {
            match ipc::eval_save(self.project_id, setup).await {
                Ok(view) => {
                    self.view.set(view);
                    self.save_error.set(None);
                    self.editing.set(None);
                    self.draft.set(None);
                }
                Err(err) => self.save_error.set(Some(err)),
            }
        });
    }

    /// The setup with these cases (the starter set becomes the project's own).
    pub fn save_cases(self, cases: Vec<handover_model::EvalCase>) {
        let mut setup = self.view.with_untracked(|v| v.setup.clone());
        setup.cases = cases;
        self.save(setup);
    }

    /// The error line under the input of `field`, while the last save names it.
    pub fn field_error(self, field: &'static str) -> View {
        view! {
            (logic::field_message(self.save_error.get_clone().as_ref(), field).map(|message| {
                view! { p(class="field-error", data-error-for=field) { (message) } }
            }))
        }
    }
}

/// `/projects/<id>/eval`.
#[component(inline_props)]
pub fn ProjectEval(id: i64) -> View {
    view! {
        Suspense(fallback=|| loading("Opening the evaluation…")) {
            EvalLoader(id=id)
        }
    }
}

/// `<option>`s for a select, the current one selected.
pub fn options(choices: &[(&'static str, &'static str)], current: &str) -> Vec<View> {
    choices
        .iter()
        .map(|(value, label)| {
            let selected = *value == current;
            view! { option(value=*value, selected=selected) { (*label) } }
        })
        .collect()
}

#[component(inline_props)]
async fn EvalLoader(id: i64) -> View {
    let project = match ipc::project_get(id).await {
        Ok(project) => project,
        Err(err) => return error_alert("This project could not be loaded", &err),
    };
    let first = match ipc::eval_get(id).await {
        Ok(view) => view,
        Err(err) => return error_alert("The evaluation set could not be loaded", &err),
    };
    let page = Eval {
        project_id: id,
        view: create_signal(first),
        fresh: create_signal(None),
        save_error: create_signal(None),
        error: create_signal(None),
        editing: create_signal(None),
        draft: create_signal(None),
    };
    let top = move || {
        let alert = page
            .error
            .with(|e| e.as_ref().map(|(title, err)| error_alert(title, err)));
        let saved = page.save_error.with(|e| {
            e.as_ref().map(|err| {
                if err.fields.is_empty() {
                    return error_alert("The set could not be saved", err);
                }
                let rest: Vec<View> = logic::other_fields(err)
                    .into_iter()
                    .map(|f| {
                        let (attr, field, message) = (f.field.clone(), f.field, f.message);
                        view! { li(data-error-for=attr) { code { (field) } " — " (message) } }
                    })
                    .collect();
                let message = err.message.clone();
                view! {
                    div(id="eval-errors", class="alert alert--bad", role="alert") {
                        p(class="alert__title") { "The set could not be saved" }
                        p { (message) }
                        ul { (rest) }
                    }
                }
            })
        });
        view! { (alert) (saved) }
    };
    let adapter = adapter_section(page);
    let canary = canary_section(page);
    let case_list = cases::section(page);
    let run = results::run_panel(page);
    let shown = results::section(page);
    let name = project.spec.name;
    let badge = demo_badge(project.demo);
    let overview = path::overview(id);
    view! {
        section(id="eval-page") {
            header(class="walk-header") {
                nav(class="breadcrumb", aria-label="Breadcrumb") {
                    a(href=overview) { (name) }
                    (badge)
                    span(aria-hidden="true") { " › " }
                    span { "Eval" }
                }
                div(class="page-header") {
                    h1(class="page-header__title", id="page-title") { "Eval" }
                    p(class="page-header__lede") { "Ask the chatbot the set several times; see which answers hallucinate policy, follow injected instructions or leak the system prompt, secrets or personal data." }
                }
            }
            (top)
            (adapter)
            (canary)
            (case_list)
            (run)
            (shown)
        }
    }
}

fn adapter_section(page: Eval) -> View {
    let (form, setup) = page
        .view
        .with_untracked(|v| (AdapterForm::of(v.setup.adapter.as_ref()), v.setup.clone()));
    let environment = create_signal(form.environment.clone());
    let method = create_signal(form.method.clone());
    let url = create_signal(form.url);
    let body = create_signal(form.body);
    let answer = create_signal(form.answer);
    let conversation = create_signal(form.conversation);
    let stream = create_signal(form.stream.clone());
    let timeout = create_signal(form.timeout_ms);
    let runs = create_signal(setup.runs.to_string());
    let concurrency = create_signal(setup.concurrency.to_string());
    let allow = create_signal(setup.allow_production);
    let (source, scheme, name) =
        signed_in::choice_of(setup.adapter.as_ref().and_then(|a| a.auth.as_ref()));
    let (auth_source, auth_scheme, auth_name) = (
        create_signal(source),
        create_signal(scheme),
        create_signal(name),
    );
    let auth = signed_in::view(page, auth_source, auth_scheme, auth_name);
    let environments: Vec<(&str, &str)> = EnvironmentKind::ALL
        .iter()
        .map(|e| (e.as_str(), e.as_str()))
        .collect();
    let methods: Vec<(&str, &str)> = Method::ALL
        .iter()
        .map(|m| (m.as_str(), m.as_str()))
        .collect();
    let streams: Vec<(&str, &str)> = logic::STREAM_MODES
        .iter()
        .map(|s| (logic::stream_name(*s), logic::stream_name(*s)))
        .collect();
    let environment_options = options(&environments, &form.environment);
    let method_options = options(&methods, &form.method);
    let stream_options = options(&streams, &form.stream);
    let save = move |_| {
        let typed = AdapterForm {
            environment: environment.get_clone_untracked(),
            method: method.get_clone_untracked(),
            url: url.get_clone_untracked(),
            body: body.get_clone_untracked(),
            answer: answer.get_clone_untracked(),
            conversation: conversation.get_clone_untracked(),
            stream: stream.get_clone_untracked(),
            timeout_ms: timeout.get_clone_untracked(),
        };
        let mut setup = page.view.with_untracked(|v| v.setup.clone());
        let mut adapter = typed.adapter(setup.adapter.as_ref());
        adapter.auth = signed_in::auth_of(
            &auth_source.get_clone_untracked(),
            &auth_scheme.get_clone_untracked(),
            &auth_name.get_clone_untracked(),
            setup.adapter.as_ref().and_then(|a| a.auth.as_ref()),
        );
        setup.adapter = Some(adapter);
        setup.runs = logic::small_number(&runs.get_clone_untracked(), setup.runs);
        setup.concurrency =
            logic::small_number(&concurrency.get_clone_untracked(), setup.concurrency);
        setup.allow_production = allow.get_untracked();
        page.save(setup);
    };
    view! {
        section(id="eval-adapter", class="panel eval-adapter") {
            h2(class="panel__title") { "Chat endpoint" }
            p(class="muted") { "How a question reaches the bot. A path is joined to the environment's base URL; a stored credential is sent from the keychain, never shown here." }
            (page.field_error("eval.adapter"))
            div(class="eval-grid") {
                div(class="field") {
                    label(class="field__label", r#for="eval-adapter-environment") { "Environment" }
                    select(id="eval-adapter-environment", class="input select",
                        on:change=move |ev: web_sys::Event| environment.set(event_value(&ev))) { (environment_options) }
                    (page.field_error("eval.adapter.environment"))
                }
                div(class="field") {
                    label(class="field__label", r#for="eval-adapter-method") { "Method" }
                    select(id="eval-adapter-method", class="input select",
                        on:change=move |ev: web_sys::Event| method.set(event_value(&ev))) { (method_options) }
                    (page.field_error("eval.adapter.method"))
                }
                div(class="field eval-grid__wide") {
                    label(class="field__label", r#for="eval-adapter-url") { "URL or path" }
                    input(id="eval-adapter-url", class="input mono-input", placeholder="/api/chat", bind:value=url)
                    (page.field_error("eval.adapter.url"))
                }
            }
            (auth)
            div(class="field") {
                label(class="field__label", r#for="eval-adapter-body") { "Request body" }
                p(class="field__hint") { "JSON whose strings hold {{question}} and, to carry a conversation, {{conversation_id}}." }
                textarea(id="eval-adapter-body", class="input textarea mono-input", rows="3",
                    placeholder=BODY_PLACEHOLDER, bind:value=body)
                (page.field_error("eval.adapter.body"))
            }
            div(class="eval-grid") {
                div(class="field") {
                    label(class="field__label", r#for="eval-adapter-answer") { "Answer (JSON pointer)" }
                    input(id="eval-adapter-answer", class="input mono-input", placeholder="/answer", bind:value=answer)
                    (page.field_error("eval.adapter.answer"))
                }
                div(class="field") {
                    label(class="field__label", r#for="eval-adapter-conversation") { "Conversation id (JSON pointer)" }
                    input(id="eval-adapter-conversation", class="input mono-input", placeholder="/conversation_id", bind:value=conversation)
                    (page.field_error("eval.adapter.conversation"))
                }
                div(class="field") {
                    label(class="field__label", r#for="eval-adapter-stream") { "Answers arrive as" }
                    select(id="eval-adapter-stream", class="input select",
                        on:change=move |ev: web_sys::Event| stream.set(event_value(&ev))) { (stream_options) }
                    (page.field_error("eval.adapter.stream"))
                }
                div(class="field") {
                    label(class="field__label", r#for="eval-adapter-timeout") { "Time limit (ms)" }
                    input(id="eval-adapter-timeout", r#type="number", min="1", class="input input--number", bind:value=timeout)
                    (page.field_error("eval.adapter.timeout_ms"))
                }
                div(class="field") {
                    label(class="field__label", r#for="eval-runs-default") { "Runs per case" }
                    input(id="eval-runs-default", r#type="number", min="1", class="input input--number", bind:value=runs)
                    (page.field_error("eval.runs"))
                }
                div(class="field") {
                    label(class="field__label", r#for="eval-concurrency") { "At once" }
                    input(id="eval-concurrency", r#type="number", min="1", class="input input--number", bind:value=concurrency)
                    (page.field_error("eval.concurrency"))
                }
            }
            label(class="field field--check") {
                input(r#type="checkbox", id="eval-allow-production", bind:checked=allow)
                " Let the weekly recheck and the ai.eval check ask production without asking"
            }
            button(r#type="button", id="eval-save", class="button button--primary", on:click=save) { "Save" }
        }
    }
}

fn canary_section(page: Eval) -> View {
    let value = create_signal(None::<String>);
    // Its own signal: re-rendering the cases would close an open editor.
    let stored = create_signal(page.view.with_untracked(|v| v.canary));
    let ask = move |renew: bool| {
        spawn_local_scoped(async move {
            match ipc::eval_canary(page.project_id, renew).await {
                Ok(revealed) => {
                    value.set(Some(revealed.secret.expose().to_owned()));
                    stored.set(true);
                    page.error.set(None);
                }
                Err(err) => page.error.set(Some(("The canary could not be made", err))),
            }
        });
    };
    let label = move || {
        if stored.get() {
            "Show the canary"
        } else {
            "Generate a canary"
        }
    };
    let shown = move || {
        value.get_clone().map(|text| {
            view! {
                p { "Plant this in the system prompt: " code(id="eval-canary-value", class="eval-canary__value") { (text) } }
            }
        })
    };
    view! {
        section(id="eval-canary", class="panel eval-canary") {
            h2(class="panel__title") { "Canary" }
            p(class="muted") { "A random marker kept in the keychain. Plant it in the bot's system prompt: any answer that holds it — verbatim, split, reversed, base64 or hex — leaked the prompt, and is a blocker." }
            div(class="eval-actions") {
                button(r#type="button", id="eval-canary-make", class="button", on:click=move |_| ask(false)) { (label) }
                button(r#type="button", id="eval-canary-renew", class="button", on:click=move |_| ask(true)) { "Make a new canary" }
            }
            (shown)
        }
    }
}
