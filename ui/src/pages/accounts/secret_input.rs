//! The one place a secret is typed: a password input with a show/hide
//! toggle; and how a failed keychain write is told.

use handover_model::{CommandError, ErrorCode};
use sycamore::prelude::*;

use crate::browser::event_value;
use crate::components::error_alert;

/// A labelled password input bound to `value`. The secret lives only in
/// the signal and in the input itself; clearing the signal clears the input.
pub fn secret_input(
    id: String,
    testid: &'static str,
    label: &'static str,
    value: Signal<String>,
    error: ReadSignal<Option<String>>,
) -> View {
    let shown = create_signal(false);
    let error_id = format!("{id}-error");
    let described = {
        let error_id = error_id.clone();
        move || error.with(Option::is_some).then(|| error_id.clone())
    };
    let toggle_label = format!("Show {}", label.to_lowercase());
    let controls = id.clone();
    let label_for = id.clone();
    view! {
        div(class="field secret-field") {
            label(class="field__label", r#for=label_for) { (label) }
            div(class="secret-field__row") {
                input(
                    id=id, class="input mono-input", data-testid=testid,
                    r#type=move || if shown.get() { "text" } else { "password" },
                    prop:value=move || value.get_clone(),
                    autocomplete="off", "spellcheck"="false", "autocapitalize"="off", "autocorrect"="off",
                    aria-invalid=move || error.with(Option::is_some).then_some("true"),
                    aria-describedby=described,
                    on:input=move |ev: web_sys::Event| value.set(event_value(&ev)),
                    on:change=move |ev: web_sys::Event| value.set(event_value(&ev)),
                )
                button(
                    r#type="button", class="button secret-field__toggle", data-testid="toggle-secret",
                    aria-controls=controls, aria-label=toggle_label,
                    aria-pressed=move || if shown.get() { "true" } else { "false" },
                    on:click=move |_| shown.set(!shown.get_untracked()),
                ) { (move || if shown.get() { "Hide" } else { "Show" }) }
            }
            (move || error.get_clone().map(|message| {
                let id = error_id.clone();
                view! { p(class="field-error", id=id, data-error-for="secret") { (message) } }
            }))
        }
    }
}

/// A failed save of a secret. A locked or missing keychain gets its own,
/// prominent words: nothing was stored, and what was typed is still there.
pub fn save_failure(title: &'static str, err: &CommandError) -> View {
    if err.code != ErrorCode::KeychainUnavailable {
        return error_alert(title, err);
    }
    let message = err.message.clone();
    view! {
        div(class="alert alert--bad keychain-error", role="alert", data-testid="keychain-error") {
            p(class="alert__title") { "The keychain is locked or missing: nothing was stored" }
            p { (message) }
            p { "What you typed is still in the form. Unlock the keychain, then save again. Handover never writes the secret anywhere else." }
        }
    }
}
