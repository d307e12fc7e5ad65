//! "Add credential" under an account: what it is, a label, and the secret in
//! a password input. The secret goes to the keychain and the input is
//! cleared; if the keychain refuses, what was typed stays for another try.

use handover_model::{CommandError, CredentialKind, SecretText};
use sycamore::futures::spawn_local_scoped;
use sycamore::prelude::*;

use super::logic;
use super::secret_input::{save_failure, secret_input};
use super::Ctx;
use crate::browser::{self, event_value};
use crate::ipc;

/// The add-credential form of account `account_id`.
pub fn form(ctx: Ctx, account_id: i64) -> View {
    let kind = create_signal(CredentialKind::Password);
    let label = create_signal(String::new());
    let secret = create_signal(String::new());
    let saving = create_signal(false);
    let failure = create_signal(None::<CommandError>);
    let secret_error = create_signal(None::<String>);
    let label_error = create_selector(move || {
        failure.with(|f| {
            f.as_ref().and_then(|err| {
                let messages: Vec<String> = logic::errors_under(&err.fields, "label")
                    .into_iter()
                    .map(|e| e.message)
                    .collect();
                (!messages.is_empty()).then(|| messages.join(" "))
            })
        })
    });
    let ids = Ids::new(account_id);
    let secret_focus = ids.secret.clone();
    let save = move |ev: web_sys::SubmitEvent| {
        ev.prevent_default();
        if saving.get_untracked() {
            return;
        }
        let value = SecretText::new(secret.get_clone_untracked());
        if value.is_blank() {
            secret_error.set(Some("Enter the secret to store.".to_string()));
            browser::focus(&secret_focus);
            return;
        }
        secret_error.set(None);
        failure.set(None);
        saving.set(true);
        let (kind, text) = (kind.get_untracked(), label.get_clone_untracked());
        spawn_local_scoped(async move {
            let result = ipc::credential_save(account_id, None, kind, text, value).await;
            saving.set(false);
            match result {
                Ok(_) => {
                    batch(|| {
                        secret.set(String::new());
                        label.set(String::new());
                    });
                    ctx.announce("Credential stored in the keychain");
                    ctx.reload_then_focus(format!("account-{account_id}"));
                }
                Err(err) => {
                    let keychain = err.code == handover_model::ErrorCode::KeychainUnavailable;
                    let secret_message = logic::errors_under(&err.fields, "secret")
                        .into_iter()
                        .map(|e| e.message)
                        .next();
                    secret_error.set(secret_message);
                    failure.set(Some(err));
                    if keychain {
                        ctx.reload();
                    }
                }
            }
        });
    };
    let options = CredentialKind::ALL
        .into_iter()
        .map(|k| view! { option(value=k.as_str(), selected=k == CredentialKind::Password) { (k.label()) } })
        .collect::<Vec<_>>();
    let label_error_id = format!("{}-error", ids.label);
    let label_described = {
        let id = label_error_id.clone();
        move || label_error.with(Option::is_some).then(|| id.clone())
    };
    let Ids {
        kind: kind_id,
        label: label_id,
        secret: secret_id,
    } = ids;
    let (kind_for, label_for) = (kind_id.clone(), label_id.clone());
    let secret_field = secret_input(secret_id, "secret-input", "Secret", secret, *secret_error);
    view! {
        form(class="new-credential", novalidate=true, aria-label="Add credential", data-testid="new-credential", on:submit=save) {
            h5(class="new-credential__title") { "Add credential" }
            (move || failure.get_clone().map(|err| save_failure("The credential was not stored", &err)))
            div(class="new-credential__fields") {
                div(class="field") {
                    label(class="field__label", r#for=kind_for) { "Kind" }
                    select(
                        id=kind_id, class="input select", data-testid="credential-kind-input",
                        on:change=move |ev: web_sys::Event| {
                            if let Some(k) = CredentialKind::parse(&event_value(&ev)) {
                                kind.set(k);
                            }
                        },
                    ) { (options) }
                }
                div(class="field") {
                    label(class="field__label", r#for=label_for) { "Label" }
                    input(
                        id=label_id, class="input", data-testid="credential-label-input", r#type="text",
                        placeholder="root password, deploy token…", autocomplete="off",
                        prop:value=move || label.get_clone(),
                        aria-invalid=move || label_error.with(Option::is_some).then_some("true"),
                        aria-describedby=label_described,
                        on:input=move |ev: web_sys::Event| label.set(event_value(&ev)),
                        on:change=move |ev: web_sys::Event| label.set(event_value(&ev)),
                    )
                    (move || label_error.get_clone().map(|message| {
                        let id = label_error_id.clone();
                        view! { p(class="field-error", id=id, data-error-for="label") { (message) } }
                    }))
                }
                (secret_field)
                button(r#type="submit", class="button button--primary new-credential__save", data-testid="save-credential", disabled=move || saving.get()) {
                    (move || if saving.get() { "Storing…" } else { "Save" })
                }
            }
            p(class="field__hint") { "Stored only in the OS keychain. Handover's database keeps the label and dates, never the value." }
        }
    }
}

/// Element ids of one account's add-credential form.
#[derive(Clone)]
struct Ids {
    kind: String,
    label: String,
    secret: String,
}

impl Ids {
    fn new(account_id: i64) -> Self {
        Ids {
            kind: format!("credential-kind-{account_id}"),
            label: format!("credential-label-{account_id}"),
            secret: format!("credential-secret-{account_id}"),
        }
    }
}
