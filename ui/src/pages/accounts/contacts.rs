//! Alert contacts: the people an alert must reach, how, and when that was
//! last confirmed; listed with Edit and a two-step Delete, and one form
//! for adding or editing.

use handover_model::{CommandError, Contact, ContactSpec};
use sycamore::futures::spawn_local_scoped;
use sycamore::prelude::*;

use super::fields::{self, Draft, Field, Input};
use super::{logic, Ctx};
use crate::components::error_alert;
use crate::{browser, format, ipc};

/// Every error path the form shows under a field.
const KNOWN: &[&str] = &["name", "role", "email", "channels", "verified"];

/// The contacts section of the page.
pub fn section(ctx: Ctx) -> View {
    // The contact being edited: `None` for none, `Some(None)` for a new one.
    let editing = create_signal(None::<(Option<i64>, ContactSpec)>);
    let contacts = create_selector(move || ctx.data.with(|d| d.contacts.clone()));
    let list = View::from_dynamic(move || {
        let contacts = contacts.get_clone();
        untrack(|| {
            if contacts.is_empty() {
                return view! {
                    p(class="open-list__empty", data-testid="contact-none") {
                        "No alert contact yet. Add the people alerts must reach, then send a test alert and record when it arrived."
                    }
                };
            }
            let today = format::today_days();
            let rows = contacts
                .into_iter()
                .map(|c| row(ctx, c, editing, today))
                .collect::<Vec<_>>();
            view! { ul(class="contact-list") { (rows) } }
        })
    });
    let form = View::from_dynamic(move || {
        let open = editing.get_clone();
        untrack(|| open.map(|(id, spec)| contact_form(ctx, id, spec, editing))).unwrap_or_default()
    });
    let add = move |_| {
        editing.set(Some((None, ContactSpec::default())));
        browser::focus("contact-name");
    };
    view! {
        section(class="panel", id="contacts", aria-labelledby="contacts-title") {
            header(class="kind-group__head") {
                h2(class="panel__title", id="contacts-title") { "Alert contacts" }
                span(class="kind-group__spacer")
                button(r#type="button", class="button", id="add-contact", data-testid="add-contact", on:click=add) { "Add contact" }
            }
            p(class="panel__lede") { "Who gets woken up when the product breaks. At least one must have confirmed receiving a test alert." }
            (list)
            (form)
        }
    }
}

fn row(
    ctx: Ctx,
    contact: Contact,
    editing: Signal<Option<(Option<i64>, ContactSpec)>>,
    today: i64,
) -> View {
    let Contact { id, spec, .. } = contact;
    let name = spec.name.clone();
    let role = (!spec.role.trim().is_empty()).then(|| {
        let role = spec.role.clone();
        view! { span(class="contact__role", data-field="role") { (role) } }
    });
    let email = spec.email.clone();
    let channels = if spec.channels.is_empty() {
        "No channels recorded".to_string()
    } else {
        logic::join_channels(&spec.channels)
    };
    let verified = if spec.verified.trim().is_empty() {
        "Never verified".to_string()
    } else {
        format!("Verified {}", format::date_with_age(&spec.verified, today))
    };
    let verified_class = if spec.verified.trim().is_empty() {
        "contact__verified contact__verified--never"
    } else {
        "contact__verified"
    };
    let confirming = create_signal(false);
    let deleting = create_signal(false);
    let error = create_signal(None::<CommandError>);
    let edit = {
        let spec = spec.clone();
        move |_| {
            editing.set(Some((Some(id), spec.clone())));
            browser::focus("contact-name");
        }
    };
    let delete = move |_| {
        deleting.set(true);
        spawn_local_scoped(async move {
            match ipc::contact_delete(id).await {
                Ok(_) => {
                    deleting.set(false);
                    confirming.set(false);
                    ctx.announce("Contact deleted");
                    ctx.reload_then_focus("add-contact".to_string());
                }
                Err(err) => {
                    deleting.set(false);
                    confirming.set(false);
                    error.set(Some(err));
                }
            }
        });
    };
    let edit_label = format!("Edit {name}");
    view! {
        li(class="contact", id=format!("contact-{id}"), tabindex="-1", data-testid="contact", data-contact-id=id.to_string()) {
            div(class="contact__text") {
                p(class="contact__name") { strong(data-field="name") { (name) } (role) }
                p(class="contact__meta") {
                    span(data-field="email") { (email) }
                    span(data-field="channels") { (channels) }
                    span(class=verified_class, data-field="verified") { (verified) }
                }
            }
            div(class="contact__actions") {
                button(r#type="button", class="button", data-testid="edit-contact", aria-label=edit_label, on:click=edit) { "Edit" }
                (move || if confirming.get() {
                    view! {
                        button(r#type="button", class="button", on:click=move |_| confirming.set(false)) { "Keep it" }
                        button(
                            r#type="button", class="button button--danger", data-testid="confirm-delete-contact",
                            disabled=move || deleting.get(), on:click=delete,
                        ) { (move || if deleting.get() { "Deleting…" } else { "Confirm delete" }) }
                    }
                } else {
                    view! {
                        button(r#type="button", class="button button--danger", data-testid="delete-contact", on:click=move |_| confirming.set(true)) { "Delete" }
                    }
                })
            }
            (move || error.get_clone().map(|err| error_alert("The contact was not deleted", &err)))
        }
    }
}

fn contact_form(
    ctx: Ctx,
    id: Option<i64>,
    spec: ContactSpec,
    editing: Signal<Option<(Option<i64>, ContactSpec)>>,
) -> View {
    let draft = Draft::new(spec);
    let saving = create_signal(false);
    let failure = create_signal(None::<CommandError>);
    // Closing removes this form, so it waits until the current task is over.
    let close = move |focus: String| {
        ctx.scope.run_in(|| {
            spawn_local_scoped(async move {
                editing.set(None);
                browser::focus(&focus);
            });
        });
    };
    let save = move |ev: web_sys::SubmitEvent| {
        ev.prevent_default();
        if saving.get_untracked() {
            return;
        }
        saving.set(true);
        failure.set(None);
        let spec = draft.spec.get_clone_untracked();
        spawn_local_scoped(async move {
            let result = ipc::contact_save(ctx.project_id, id, spec).await;
            saving.set(false);
            match result {
                Ok(contact) => {
                    ctx.announce("Contact saved");
                    ctx.reload_then_focus(format!("contact-{}", contact.id));
                    close(format!("contact-{}", contact.id));
                }
                Err(err) => {
                    draft.errors.set(err.fields.clone());
                    failure.set(Some(err));
                    if !browser::focus_first("#contact-form [aria-invalid='true']") {
                        browser::focus("contact-form-summary");
                    }
                }
            }
        });
    };
    let title = if id.is_some() {
        "Edit contact"
    } else {
        "New contact"
    };
    let text = move |field: Field,
                     get: fn(&ContactSpec) -> &String,
                     set: fn(&mut ContactSpec) -> &mut String| {
        fields::text(
            draft,
            field,
            move |s| get(s).clone(),
            move |s, v| *set(s) = v,
        )
    };
    let field = |id, path, label| Field {
        id,
        path,
        label,
        ..Field::default()
    };
    let inputs = vec![
        text(
            field("contact-name", "name", "Name"),
            |s| &s.name,
            |s| &mut s.name,
        ),
        text(
            Field {
                placeholder: "On-call engineer",
                ..field("contact-role", "role", "Role")
            },
            |s| &s.role,
            |s| &mut s.role,
        ),
        text(
            Field {
                input: Input::Email,
                ..field("contact-email", "email", "Email")
            },
            |s| &s.email,
            |s| &mut s.email,
        ),
        fields::text(
            draft,
            Field {
                hint: "Separated by commas, e.g. email, sms, slack #ops.",
                ..field("contact-channels", "channels", "Channels")
            },
            |s| logic::join_channels(&s.channels),
            |s, v| s.channels = logic::parse_channels(&v),
        ),
        text(
            Field {
                input: Input::Date,
                hint: "Leave empty until a test alert has reached them.",
                ..field("contact-verified", "verified", "Test alert last received")
            },
            |s| &s.verified,
            |s| &mut s.verified,
        ),
    ];
    let summary = fields::summary(
        draft,
        "contact-form-summary",
        "The contact was not saved",
        KNOWN,
        *failure,
    );
    view! {
        form(class="contact-form", id="contact-form", novalidate=true, aria-labelledby="contact-form-title", on:submit=save) {
            h3(class="form-section__subtitle", id="contact-form-title") { (title) }
            (summary)
            div(class="field-pair") { (inputs) }
            div(class="button-row") {
                button(r#type="submit", class="button button--primary", data-testid="save-contact", disabled=move || saving.get()) {
                    (move || if saving.get() { "Saving…" } else { "Save contact" })
                }
                button(r#type="button", class="button", data-testid="cancel-contact", on:click=move |_| {
                    close(id.map_or_else(|| "add-contact".to_string(), |id| format!("contact-{id}")));
                }) { "Cancel" }
            }
        }
    }
}
