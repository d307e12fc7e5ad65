//! The account form, in a panel on the page: what the account is for, where
//! to sign in, who owns it and who can step in, its second factor, where the
//! recovery codes are kept, who pays, and when access was last checked.

use handover_model::{AccountSpec, CommandError, ServiceKind, TwoFactor};
use sycamore::futures::spawn_local_scoped;
use sycamore::prelude::*;

use super::fields::{self, Draft, Field, Input};
use super::{Ctx, Editing};
use crate::{browser, ipc};

/// Every error path the form shows under a field; anything else goes in its summary.
const KNOWN: &[&str] = &[
    "kind",
    "provider",
    "login_url",
    "username",
    "owner",
    "backup_owner",
    "two_factor",
    "recovery_codes_at",
    "billing_owner",
    "last_verified",
    "last_rotated",
    "notes",
];

/// The panel, present while an account is being added or edited.
pub fn editor(ctx: Ctx) -> View {
    View::from_dynamic(move || {
        let editing = ctx.editor.get_clone();
        untrack(|| editing.map(|e| panel(ctx, e))).unwrap_or_default()
    })
}

/// Closes the form once the current task is over (the form's own handlers
/// run inside it), then moves focus to `focus`.
fn close(ctx: Ctx, focus: String) {
    ctx.scope.run_in(|| {
        spawn_local_scoped(async move {
            ctx.editor.set(None);
            browser::focus(&focus);
        });
    });
}

/// A field named `id`, showing the errors of `path`, labelled `label`.
fn field(id: &'static str, path: &'static str, label: &'static str) -> Field {
    Field {
        id,
        path,
        label,
        ..Field::default()
    }
}

fn panel(ctx: Ctx, editing: Editing) -> View {
    let Editing { id, spec } = editing;
    let title = match id {
        Some(_) if !spec.provider.trim().is_empty() => format!("Edit {}", spec.provider),
        Some(_) => "Edit account".to_string(),
        None => "New account".to_string(),
    };
    let draft = Draft::new(spec);
    let saving = create_signal(false);
    let failure = create_signal(None::<CommandError>);
    let save = move |ev: web_sys::SubmitEvent| {
        ev.prevent_default();
        if saving.get_untracked() {
            return;
        }
        saving.set(true);
        failure.set(None);
        let spec = draft.spec.get_clone_untracked();
        spawn_local_scoped(async move {
            let result = ipc::account_save(ctx.project_id, id, spec).await;
            saving.set(false);
            match result {
                Ok(account) => {
                    ctx.announce("Account saved");
                    ctx.reload_then_focus(format!("account-{}", account.id));
                    close(ctx, format!("account-{}", account.id));
                }
                Err(err) => {
                    draft.errors.set(err.fields.clone());
                    failure.set(Some(err));
                    if !browser::focus_first("#account-editor [aria-invalid='true']") {
                        browser::focus("account-form-summary");
                    }
                }
            }
        });
    };
    let cancel = move |_| {
        let back = id.map_or_else(|| "add-account".to_string(), |id| format!("account-{id}"));
        close(ctx, back);
    };
    let kinds = ServiceKind::ALL
        .into_iter()
        .map(|k| (k, k.as_str(), k.label()))
        .collect::<Vec<_>>();
    let factors = TwoFactor::ALL
        .into_iter()
        .map(|t| (t, t.as_str(), t.label()))
        .collect::<Vec<_>>();
    let text = move |field: Field,
                     get: fn(&AccountSpec) -> &String,
                     set: fn(&mut AccountSpec) -> &mut String| {
        fields::text(
            draft,
            field,
            move |s| get(s).clone(),
            move |s, v| *set(s) = v,
        )
    };
    let basics = vec![
        fields::select(
            draft,
            field("account-kind", "kind", "Service"),
            kinds,
            |s| s.kind,
            |s, v| s.kind = v,
        ),
        text(
            Field {
                placeholder: "Cloudflare, Hetzner, Postmark…",
                ..field("account-provider", "provider", "Provider")
            },
            |s| &s.provider,
            |s| &mut s.provider,
        ),
        text(
            Field {
                placeholder: "https://dash.cloudflare.com",
                input: Input::Url,
                ..field("account-login-url", "login_url", "Login URL")
            },
            |s| &s.login_url,
            |s| &mut s.login_url,
        ),
        text(
            field("account-username", "username", "Username or account id"),
            |s| &s.username,
            |s| &mut s.username,
        ),
    ];
    let owner = vec![
        text(
            field("owner-name", "owner.name", "Owner name"),
            |s| &s.owner.name,
            |s| &mut s.owner.name,
        ),
        text(
            Field {
                input: Input::Email,
                ..field("owner-email", "owner.email", "Owner email")
            },
            |s| &s.owner.email,
            |s| &mut s.owner.email,
        ),
    ];
    let backup = vec![
        text(
            field(
                "backup-owner-name",
                "backup_owner.name",
                "Backup owner name",
            ),
            |s| &s.backup_owner.name,
            |s| &mut s.backup_owner.name,
        ),
        text(
            Field {
                input: Input::Email,
                ..field(
                    "backup-owner-email",
                    "backup_owner.email",
                    "Backup owner email",
                )
            },
            |s| &s.backup_owner.email,
            |s| &mut s.backup_owner.email,
        ),
    ];
    let access = vec![
        fields::select(
            draft,
            field("account-two-factor", "two_factor", "Two-factor"),
            factors,
            |s| s.two_factor,
            |s, v| s.two_factor = v,
        ),
        text(
            Field {
                hint: "A place, such as a vault name. Never the codes themselves.",
                placeholder: "1Password · Ops vault",
                ..field(
                    "account-recovery-codes",
                    "recovery_codes_at",
                    "Recovery codes kept at",
                )
            },
            |s| &s.recovery_codes_at,
            |s| &mut s.recovery_codes_at,
        ),
        text(
            field("account-billing-owner", "billing_owner", "Billing owner"),
            |s| &s.billing_owner,
            |s| &mut s.billing_owner,
        ),
    ];
    let dates = vec![
        text(
            Field {
                input: Input::Date,
                hint: "When someone last signed in and checked.",
                ..field(
                    "account-last-verified",
                    "last_verified",
                    "Access last verified",
                )
            },
            |s| &s.last_verified,
            |s| &mut s.last_verified,
        ),
        text(
            Field {
                input: Input::Date,
                hint: "When its secrets last changed.",
                ..field(
                    "account-last-rotated",
                    "last_rotated",
                    "Credentials last rotated",
                )
            },
            |s| &s.last_rotated,
            |s| &mut s.last_rotated,
        ),
    ];
    let notes = text(
        Field {
            input: Input::Multiline,
            ..field("account-notes", "notes", "Notes")
        },
        |s| &s.notes,
        |s| &mut s.notes,
    );
    let summary = fields::summary(
        draft,
        "account-form-summary",
        "The account was not saved",
        KNOWN,
        *failure,
    );
    view! {
        section(class="panel account-editor", id="account-editor", aria-labelledby="account-editor-title") {
            h2(class="panel__title", id="account-editor-title") { (title) }
            p(class="panel__lede") { "Only facts about the account go here. Secrets go into the keychain from the account's card." }
            (summary)
            form(class="account-form", novalidate=true, aria-labelledby="account-editor-title", on:submit=save) {
                div(class="field-pair") { (basics) }
                fieldset(class="account-form__people") {
                    legend(class="form-section__subtitle") { "Owner" }
                    p(class="field__hint") { "Someone who can sign in today. A required service without an owner blocks launch." }
                    div(class="field-pair") { (owner) }
                }
                fieldset(class="account-form__people") {
                    legend(class="form-section__subtitle") { "Backup owner" }
                    div(class="field-pair") { (backup) }
                }
                div(class="field-pair") { (access) }
                div(class="field-pair") { (dates) }
                (notes)
                div(class="form-actions") {
                    button(r#type="submit", class="button button--primary", data-testid="save-account", disabled=move || saving.get()) {
                        (move || if saving.get() { "Saving…" } else if id.is_some() { "Save changes" } else { "Save account" })
                    }
                    button(r#type="button", class="button", data-testid="cancel-account", on:click=cancel) { "Cancel" }
                }
            }
        }
    }
}
