//! "Paste from chat": credentials often arrive in a chat message. The text
//! goes to the backend once, which answers with positions only; each value
//! is then cut out here and stored in the keychain under an account. The
//! text lives only in this panel: closing it or leaving the page forgets it,
//! and nothing of it is kept anywhere (no storage, no history).

use std::rc::Rc;

use handover_model::{CommandError, PasteCandidate, SecretText};
use sycamore::futures::spawn_local_scoped;
use sycamore::prelude::*;

use super::secret_input::save_failure;
use super::{logic, Ctx};
use crate::browser::{self, event_value};
use crate::components::error_alert;
use crate::ipc;

/// The text that was scanned and what was found in it.
struct Scan {
    text: SecretText,
    candidates: Vec<PasteCandidate>,
}

/// The panel, folded until opened.
pub fn panel(ctx: Ctx) -> View {
    let open = create_signal(false);
    let toggle = move |_| {
        open.set(!open.get_untracked());
        if open.get_untracked() {
            browser::focus("paste-box");
        }
    };
    let body = move || open.get().then(|| untrack(|| body(ctx)));
    view! {
        section(class="panel paste-panel", aria-labelledby="paste-title") {
            header(class="kind-group__head") {
                h2(class="panel__title", id="paste-title") { "Paste from chat" }
                span(class="kind-group__spacer")
                button(
                    r#type="button", class="button", data-testid="toggle-paste",
                    aria-expanded=move || if open.get() { "true" } else { "false" },
                    aria-controls="paste-body", on:click=toggle,
                ) { (move || if open.get() { "Close and forget" } else { "Open" }) }
            }
            p(class="panel__lede") {
                "Got a password or API key in a chat message? Paste the message here: Handover finds the secrets in it and stores each one in the keychain. The text itself is never saved."
            }
            (body)
        }
    }
}

fn body(ctx: Ctx) -> View {
    let text = create_signal(SecretText::default());
    let scan = create_signal(None::<Rc<Scan>>);
    let scanning = create_signal(false);
    let error = create_signal(None::<CommandError>);
    let empty = create_signal(false);
    let run = move |_| {
        let sent = text.get_clone_untracked();
        if sent.is_blank() {
            error.set(None);
            scan.set(None);
            empty.set(true);
            browser::focus("paste-box");
            return;
        }
        empty.set(false);
        scanning.set(true);
        error.set(None);
        spawn_local_scoped(async move {
            let result = ipc::paste_scan(sent.clone()).await;
            scanning.set(false);
            match result {
                // Offsets are into exactly the text sent, so that text is kept with them.
                Ok(found) => scan.set(Some(Rc::new(Scan {
                    text: sent,
                    candidates: found.candidates,
                }))),
                Err(err) => error.set(Some(err)),
            }
        });
    };
    let edit = move |ev: web_sys::Event| {
        let value = SecretText::new(event_value(&ev));
        if text.with_untracked(|t| *t == value) {
            return;
        }
        batch(|| {
            text.set(value);
            empty.set(false);
            // What was found belongs to the text as it was; it no longer applies.
            scan.set(None);
        });
    };
    let results = move || {
        scan.get_clone().map(|found| {
            untrack(|| {
                if found.candidates.is_empty() {
                    return view! {
                        p(class="open-list__empty", role="status", data-testid="paste-none") {
                            "Nothing in this text looks like a credential."
                        }
                    };
                }
                let rows = (0..found.candidates.len())
                    .map(|i| candidate_row(ctx, found.clone(), i))
                    .collect::<Vec<_>>();
                view! { ul(class="candidate-list", aria-label="Secrets found") { (rows) } }
            })
        })
    };
    view! {
        div(id="paste-body", class="paste-panel__body") {
            div(class="field") {
                label(class="field__label", r#for="paste-box") { "Chat message" }
                textarea(
                    id="paste-box", class="input textarea mono-input", data-testid="paste-box", rows="5",
                    autocomplete="off", "spellcheck"="false", "autocapitalize"="off", "autocorrect"="off",
                    placeholder="Paste the message as it is.",
                    prop:value=move || text.with(|t| t.expose().to_string()),
                    on:input=edit, on:change=edit,
                )
            }
            div(class="button-row") {
                button(r#type="button", class="button button--primary", data-testid="scan-paste", disabled=move || scanning.get(), on:click=run) {
                    (move || if scanning.get() { "Looking…" } else { "Find secrets" })
                }
            }
            (move || empty.get().then(|| view! { p(class="field-error", role="alert") { "Paste a message first." } }))
            (move || error.get_clone().map(|err| error_alert("The text could not be scanned", &err)))
            (results)
            p(class="paste-reminder", data-testid="paste-reminder") {
                strong { "Now delete the original message from the chat thread." }
                " A secret stays in chat history, and on every device that synced it, until it is deleted there."
            }
        }
    }
}

fn candidate_row(ctx: Ctx, found: Rc<Scan>, index: usize) -> View {
    let candidate = found.candidates[index].clone();
    let account = create_signal(None::<i64>);
    let label = create_signal(candidate.suggested_label.clone());
    let stored = create_signal(false);
    let saving = create_signal(false);
    let error = create_signal(None::<CommandError>);
    let problem = create_signal(None::<&'static str>);
    let accounts = create_selector(move || {
        ctx.data.with(|d| {
            d.accounts
                .iter()
                .map(|a| {
                    (
                        a.id,
                        format!("{} · {}", a.spec.kind.label(), a.spec.provider),
                    )
                })
                .collect::<Vec<_>>()
        })
    });
    let kind = candidate.kind;
    let store = {
        let found = found.clone();
        let candidate = candidate.clone();
        move |_| {
            if saving.get_untracked() || stored.get_untracked() {
                return;
            }
            let Some(account_id) = account.get_untracked() else {
                problem.set(Some("Choose the account this secret belongs to."));
                return;
            };
            let Some(value) = logic::candidate_secret(found.text.expose(), &candidate) else {
                problem.set(Some(
                    "This value could not be cut out of the text. Scan it again.",
                ));
                return;
            };
            let secret = SecretText::new(value.to_string());
            problem.set(None);
            error.set(None);
            saving.set(true);
            let text = label.get_clone_untracked();
            spawn_local_scoped(async move {
                let result = ipc::credential_save(account_id, None, kind, text, secret).await;
                saving.set(false);
                match result {
                    Ok(_) => {
                        stored.set(true);
                        ctx.announce("Stored in the keychain");
                        ctx.reload();
                    }
                    Err(err) => {
                        if err.code == handover_model::ErrorCode::KeychainUnavailable {
                            ctx.reload();
                        }
                        error.set(Some(err));
                    }
                }
            });
        }
    };
    let (select_id, label_id) = (
        format!("candidate-{index}-account"),
        format!("candidate-{index}-label"),
    );
    let options = move || {
        let chosen = account.get_untracked();
        accounts
            .get_clone()
            .into_iter()
            .map(|(id, name)| view! { option(value=id.to_string(), selected=chosen == Some(id)) { (name) } })
            .collect::<Vec<_>>()
    };
    let no_accounts = create_selector(move || accounts.with(Vec::is_empty));
    view! {
        li(
            class=move || if stored.get() { "candidate candidate--stored" } else { "candidate" },
            data-testid="paste-candidate", data-stored=move || if stored.get() { "true" } else { "false" },
        ) {
            div(class="candidate__what") {
                code(class="mono", data-testid="candidate-masked") { (candidate.masked.clone()) }
                span(class="chip") { (candidate.kind.label()) }
                span(class="candidate__reason") { (candidate.reason.clone()) }
            }
            (move || if stored.get() {
                view! { p(class="candidate__stored", data-testid="candidate-stored") { "✓ Stored in the keychain" } }
            } else {
                let (select_id, label_id) = (select_id.clone(), label_id.clone());
                let (select_for, label_for) = (select_id.clone(), label_id.clone());
                let initial_label = label.get_clone_untracked();
                let unchosen = account.get_untracked().is_none();
                let store = store.clone();
                view! {
                    div(class="candidate__form") {
                        div(class="field") {
                            label(class="field__label", r#for=select_for) { "Account" }
                            select(
                                id=select_id, class="input select", data-testid="candidate-account",
                                on:change=move |ev: web_sys::Event| account.set(event_value(&ev).parse().ok()),
                            ) {
                                option(value="", selected=unchosen) { "Choose an account…" }
                                (options)
                            }
                        }
                        div(class="field") {
                            label(class="field__label", r#for=label_for) { "Label" }
                            input(
                                id=label_id, class="input", data-testid="candidate-label", r#type="text", autocomplete="off",
                                prop:value=initial_label,
                                on:input=move |ev: web_sys::Event| label.set(event_value(&ev)),
                                on:change=move |ev: web_sys::Event| label.set(event_value(&ev)),
                            )
                        }
                        button(
                            r#type="button", class="button button--primary", data-testid="store-candidate",
                            disabled=move || saving.get() || no_accounts.get(), on:click=store,
                        ) { (move || if saving.get() { "Storing…" } else { "Store in keychain" }) }
                    }
                }
            })
            (move || no_accounts.get().then(|| view! {
                p(class="field__hint") { "Add the account first, then store the secret under it." }
            }))
            (move || problem.get().map(|text| view! { p(class="field-error", role="alert") { (text) } }))
            (move || error.get_clone().map(|err| save_failure("The secret was not stored", &err)))
        }
    }
}
