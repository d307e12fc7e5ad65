//! One account as a card: what is recorded about it, Edit and a two-step
//! Delete, and its credentials.

use handover_model::{Account, CommandError};
use sycamore::futures::spawn_local_scoped;
use sycamore::prelude::*;

use super::{credentials, logic, Ctx, Editing};
use crate::components::error_alert;
use crate::{format, ipc};

/// The card of `account`. It is rebuilt only when the account changes.
pub fn card(ctx: Ctx, account: Account) -> View {
    let id = account.id;
    let spec = account.spec.clone();
    let title_id = format!("account-{id}-title");
    let labelled_by = title_id.clone();
    let provider = if spec.provider.trim().is_empty() {
        "Unnamed provider".to_string()
    } else {
        spec.provider.clone()
    };
    let today = format::today_days();
    let login = match logic::safe_link(&spec.login_url) {
        // Opens outside the window: the app must never navigate away from itself.
        Some(href) => {
            let text = href.clone();
            let url = href.clone();
            let open = move |ev: web_sys::MouseEvent| {
                ev.prevent_default();
                let url = url.clone();
                sycamore::futures::spawn_local(async move {
                    if let Err(err) = crate::ipc::link_open(url).await {
                        web_sys::console::warn_1(&err.message.into());
                    }
                });
            };
            view! { a(class="mono", href=href, rel="noopener noreferrer", title="Opens in your browser", data-field="login_url", on:click=open) { (text) } }
        }
        None if spec.login_url.trim().is_empty() => {
            view! { span(class="fact--missing") { "Not recorded" } }
        }
        None => {
            let text = spec.login_url.clone();
            view! { span(class="mono", data-field="login_url") { (text) } }
        }
    };
    let owner = person(&spec.owner, "No owner", "owner");
    let backup = person(&spec.backup_owner, "No backup owner", "backup_owner");
    let rows = vec![
        fact("Login URL", login),
        fact(
            "Username",
            plain(&spec.username, "Not recorded", "username"),
        ),
        fact("Owner", owner),
        fact("Backup owner", backup),
        fact(
            "Two-factor",
            view! { span(data-field="two_factor") { (spec.two_factor.label()) } },
        ),
        fact(
            "Recovery codes kept at",
            plain(&spec.recovery_codes_at, "Not recorded", "recovery_codes_at"),
        ),
        fact(
            "Billing owner",
            plain(&spec.billing_owner, "Not recorded", "billing_owner"),
        ),
        fact(
            "Last verified",
            plain(
                &format::date_with_age(&spec.last_verified, today),
                "",
                "last_verified",
            ),
        ),
        fact(
            "Last rotated",
            plain(
                &format::date_with_age(&spec.last_rotated, today),
                "",
                "last_rotated",
            ),
        ),
    ];
    let notes = (!spec.notes.trim().is_empty()).then(|| {
        let notes = spec.notes.clone();
        view! { p(class="account-card__notes", data-field="notes") { (notes) } }
    });
    // This card's own owner field is blank; whether that is a launch gap
    // is the core's call (its kind group says so).
    let no_owner = account.spec.owner.name.trim().is_empty().then(|| {
        view! { span(class="chip chip--blocker") { "No owner" } }
    });
    let edit = {
        let spec = spec.clone();
        move |_| {
            ctx.open_editor(Editing {
                id: Some(id),
                spec: spec.clone(),
            })
        }
    };
    let edit_label = format!("Edit {provider}");
    let credentials = credentials::list(ctx, &account);
    let (delete, delete_error) = delete_zone(ctx, &account);
    view! {
        article(
            class="account-card", id=format!("account-{id}"), tabindex="-1",
            data-testid="account", data-account-id=id.to_string(), aria-labelledby=labelled_by,
        ) {
            header(class="account-card__head") {
                h3(class="account-card__title", id=title_id, data-field="provider") { (provider) }
                span(class="chip", data-field="kind") { (spec.kind.label()) }
                (no_owner)
                span(class="kind-group__spacer")
                button(r#type="button", class="button", data-testid="edit-account", aria-label=edit_label, on:click=edit) { "Edit" }
                (delete)
            }
            (delete_error)
            dl(class="account-facts") { (rows) }
            (notes)
            (credentials)
        }
    }
}

fn fact(term: &'static str, value: View) -> View {
    view! {
        div(class="account-facts__row") {
            dt { (term) }
            dd { (value) }
        }
    }
}

fn plain(text: &str, missing: &'static str, field: &'static str) -> View {
    if text.trim().is_empty() {
        view! { span(class="fact--missing", data-field=field) { (missing) } }
    } else {
        let text = text.to_string();
        view! { span(data-field=field) { (text) } }
    }
}

fn person(person: &handover_model::Person, missing: &'static str, field: &'static str) -> View {
    let text = logic::person_text(person);
    if text.is_empty() {
        return view! { span(class="fact--missing", data-field=field) { (missing) } };
    }
    view! { span(data-field=field) { (text) } }
}

/// "Delete", then "Confirm delete": removes the account and its keychain
/// entries. Returns the buttons and, apart, the failure shown under the head.
fn delete_zone(ctx: Ctx, account: &Account) -> (View, View) {
    let id = account.id;
    let kind = account.spec.kind.as_str();
    let count = account.credentials.len() as u32;
    let confirming = create_signal(false);
    let deleting = create_signal(false);
    let error = create_signal(None::<CommandError>);
    let warning = if count == 0 {
        "Delete this account record?".to_string()
    } else {
        format!(
            "This also removes its {} from the keychain.",
            format::count(count, "credential", "credentials")
        )
    };
    let delete = move |_| {
        deleting.set(true);
        error.set(None);
        spawn_local_scoped(async move {
            match ipc::account_delete(id).await {
                Ok(_) => {
                    deleting.set(false);
                    if ctx
                        .editor
                        .with_untracked(|e| e.as_ref().is_some_and(|e| e.id == Some(id)))
                    {
                        ctx.editor.set(None);
                    }
                    ctx.announce("Account deleted");
                    ctx.reload_then_focus(format!("kind-{kind}"));
                }
                Err(err) => {
                    deleting.set(false);
                    confirming.set(false);
                    error.set(Some(err));
                }
            }
        });
    };
    let controls = view! {
        div(class="delete-zone") {
            (move || if confirming.get() {
                let warning = warning.clone();
                view! {
                    span(class="delete-zone__warning") { (warning) }
                    button(r#type="button", class="button", data-testid="keep-account", on:click=move |_| confirming.set(false)) { "Keep it" }
                    button(
                        r#type="button", class="button button--danger", data-testid="confirm-delete-account",
                        disabled=move || deleting.get(), on:click=delete,
                    ) { (move || if deleting.get() { "Deleting…" } else { "Confirm delete" }) }
                }
            } else {
                view! {
                    button(
                        r#type="button", class="button button--danger", data-testid="delete-account",
                        on:click=move |_| confirming.set(true),
                    ) { "Delete" }
                }
            })
        }
    };
    let failure = view! {
        (move || error.get_clone().map(|err| error_alert("The account was not deleted", &err)))
    };
    (controls, failure)
}
