//! An account's credentials: each masked until revealed (and hidden again
//! after 30 s), copied to the clipboard by the backend, replaced or deleted.
//! The secret is shown only inside its own row, only on request.

use handover_model::{Account, CommandError, Credential, ErrorCode, SecretText};
use sycamore::futures::spawn_local_scoped;
use sycamore::prelude::*;

use super::logic::MASK;
use super::secret_input::{save_failure, secret_input};
use super::{new_credential, Ctx};
use crate::components::error_alert;
use crate::{browser, format, ipc};

/// How long a revealed secret stays on screen.
const REVEAL_MS: i32 = 30_000;

/// The title of a failed rotation; it alone wrote (or tried to write) a secret.
const REPLACE_FAILED: &str = "The new value was not stored";

/// The credentials of `account`, and the form that adds one.
pub fn list(ctx: Ctx, account: &Account) -> View {
    let now = format::now_ms();
    let rows = account
        .credentials
        .iter()
        .map(|c| row(ctx, c.clone(), now))
        .collect::<Vec<_>>();
    let body = if rows.is_empty() {
        view! { p(class="credentials__empty") { "No credential stored in the keychain for this account." } }
    } else {
        view! { ul(class="credential-list") { (rows) } }
    };
    let title_id = format!("credentials-{}-title", account.id);
    let labelled_by = title_id.clone();
    let form = new_credential::form(ctx, account.id);
    view! {
        section(class="credentials", aria-labelledby=labelled_by) {
            h4(class="credentials__title", id=title_id) { "Credentials" }
            (body)
            (form)
        }
    }
}

fn row(ctx: Ctx, credential: Credential, now_ms: i64) -> View {
    let id = credential.id;
    let revealed = create_signal(None::<SecretText>);
    let reveal_seq = create_signal(0_u64);
    let busy = create_signal(false);
    let status = create_signal(String::new());
    let status_seq = create_signal(0_u64);
    let error = create_signal(None::<(&'static str, CommandError)>);
    let replacing = create_signal(false);

    let failed = move |title: &'static str, err: CommandError| {
        if err.code == ErrorCode::KeychainUnavailable {
            // The keychain's state has changed under us: refresh the page's line.
            ctx.reload();
        }
        error.set(Some((title, err)));
    };
    let reveal = move |_| {
        if revealed.with_untracked(Option::is_some) {
            revealed.set(None);
            return;
        }
        busy.set(true);
        error.set(None);
        spawn_local_scoped(async move {
            let result = ipc::credential_reveal(id).await;
            busy.set(false);
            match result {
                Ok(answer) => {
                    let seq = reveal_seq.get_untracked() + 1;
                    reveal_seq.set(seq);
                    revealed.set(Some(answer.secret));
                    browser::sleep(REVEAL_MS).await;
                    if reveal_seq.get_untracked() == seq {
                        revealed.set(None);
                    }
                }
                Err(err) => failed("The secret could not be read from the keychain", err),
            }
        });
    };
    let copy = move |_| {
        busy.set(true);
        error.set(None);
        spawn_local_scoped(async move {
            let result = ipc::credential_copy(id).await;
            busy.set(false);
            match result {
                Ok(copied) => {
                    let seq = status_seq.get_untracked() + 1;
                    status_seq.set(seq);
                    let secs = copied.clears_after_s;
                    status.set(format!("Copied — clipboard clears in {secs} s"));
                    browser::sleep(secs.clamp(1, 600) as i32 * 1000).await;
                    if status_seq.get_untracked() == seq {
                        status.set(String::new());
                    }
                }
                Err(err) => failed("The secret could not be copied", err),
            }
        });
    };
    let is_revealed = create_selector(move || revealed.with(Option::is_some));
    let label = credential.label.clone();
    let reveal_label = format!("Reveal {label}");
    let copy_label = format!("Copy {label}");
    let replace_label = format!("Replace {label}");
    let changed = format::changed_ago(credential.changed_ms, now_ms);
    let (kind_wire, kind_label) = (credential.kind.as_str(), credential.kind.label());
    let delete = delete_zone(ctx, credential.clone(), failed);
    let replace_form = {
        let credential = credential.clone();
        move || {
            replacing
                .get()
                .then(|| untrack(|| replace(ctx, credential.clone(), replacing, failed, error)))
        }
    };
    view! {
        li(class="credential", data-testid="credential", data-credential-id=id.to_string(), data-kind=kind_wire) {
            div(class="credential__line") {
                span(class="chip", data-field="kind") { (kind_label) }
                span(class="credential__label", data-field="label") { (label) }
                span(class="credential__changed", data-field="changed") { (changed) }
                code(
                    class="secret mono", data-testid="secret",
                    data-revealed=move || if is_revealed.get() { "true" } else { "false" },
                    aria-label=move || (!is_revealed.get()).then_some("Secret, hidden"),
                ) {
                    (move || revealed.with(|r| r.as_ref().map_or_else(|| MASK.to_string(), |s| s.expose().to_string())))
                }
            }
            div(class="credential__actions") {
                button(
                    r#type="button", class="button", data-testid="reveal", aria-label=reveal_label,
                    aria-pressed=move || if is_revealed.get() { "true" } else { "false" },
                    disabled=move || busy.get(), on:click=reveal,
                ) { (move || if is_revealed.get() { "Hide" } else { "Reveal" }) }
                button(
                    r#type="button", class="button", data-testid="copy", aria-label=copy_label,
                    disabled=move || busy.get(), on:click=copy,
                ) { "Copy" }
                button(
                    r#type="button", class="button", data-testid="replace-credential", aria-label=replace_label,
                    aria-expanded=move || if replacing.get() { "true" } else { "false" },
                    on:click=move |_| {
                        replacing.set(!replacing.get_untracked());
                        if replacing.get_untracked() {
                            browser::focus(&format!("replace-{id}"));
                        }
                    },
                ) { "Replace" }
                (delete)
                span(class="credential__status", role="status", aria-live="polite", data-testid="credential-status") {
                    (move || status.get_clone())
                }
            }
            (replace_form)
            (move || error.get_clone().map(|(title, err)| {
                if title == REPLACE_FAILED {
                    save_failure(title, &err)
                } else {
                    error_alert(title, &err)
                }
            }))
        }
    }
}

/// Rotation: a new value for the same credential, typed into a password input.
fn replace(
    ctx: Ctx,
    credential: Credential,
    open: Signal<bool>,
    failed: impl Fn(&'static str, CommandError) + Copy + 'static,
    error: Signal<Option<(&'static str, CommandError)>>,
) -> View {
    let value = create_signal(String::new());
    let local_error = create_signal(None::<String>);
    let saving = create_signal(false);
    let input_id = format!("replace-{}", credential.id);
    let input = secret_input(
        input_id.clone(),
        "replace-input",
        "New value",
        value,
        *local_error,
    );
    let save = move |ev: web_sys::SubmitEvent| {
        ev.prevent_default();
        if saving.get_untracked() {
            return;
        }
        let secret = SecretText::new(value.get_clone_untracked());
        if secret.is_blank() {
            local_error.set(Some("Enter the new value.".to_string()));
            browser::focus(&input_id);
            return;
        }
        local_error.set(None);
        error.set(None);
        saving.set(true);
        let credential = credential.clone();
        spawn_local_scoped(async move {
            let result = ipc::credential_save(
                credential.account_id,
                Some(credential.id),
                credential.kind,
                credential.label.clone(),
                secret,
            )
            .await;
            saving.set(false);
            match result {
                Ok(_) => {
                    value.set(String::new());
                    open.set(false);
                    ctx.announce("Credential replaced in the keychain");
                    ctx.reload_then_focus(format!("account-{}", credential.account_id));
                }
                Err(err) => failed(REPLACE_FAILED, err),
            }
        });
    };
    view! {
        form(class="credential__replace", novalidate=true, aria-label="Replace the secret", on:submit=save) {
            (input)
            div(class="button-row") {
                button(r#type="submit", class="button button--primary", data-testid="save-replace", disabled=move || saving.get()) {
                    (move || if saving.get() { "Storing…" } else { "Store new value" })
                }
                button(r#type="button", class="button", on:click=move |_| {
                    value.set(String::new());
                    open.set(false);
                }) { "Cancel" }
            }
        }
    }
}

/// "Delete", then "Confirm delete": removes the credential and its keychain entry.
fn delete_zone(
    ctx: Ctx,
    credential: Credential,
    failed: impl Fn(&'static str, CommandError) + Copy + 'static,
) -> View {
    let (id, account_id) = (credential.id, credential.account_id);
    let confirming = create_signal(false);
    let deleting = create_signal(false);
    let delete = move |_| {
        deleting.set(true);
        spawn_local_scoped(async move {
            match ipc::credential_delete(id).await {
                Ok(_) => {
                    deleting.set(false);
                    ctx.announce("Credential deleted");
                    ctx.reload_then_focus(format!("account-{account_id}"));
                }
                Err(err) => {
                    deleting.set(false);
                    confirming.set(false);
                    failed("The credential was not deleted", err);
                }
            }
        });
    };
    view! {
        (move || if confirming.get() {
            view! {
                button(r#type="button", class="button", on:click=move |_| confirming.set(false)) { "Keep it" }
                button(
                    r#type="button", class="button button--danger", data-testid="confirm-delete-credential",
                    disabled=move || deleting.get(), on:click=delete,
                ) { (move || if deleting.get() { "Deleting…" } else { "Confirm delete" }) }
            }
        } else {
            view! {
                button(
                    r#type="button", class="button button--danger", data-testid="delete-credential",
                    on:click=move |_| confirming.set(true),
                ) { "Delete" }
            }
        })
    }
}
