//! The probes beyond the endpoints: the optional cross-tenant probe (one
//! team's credential asking for another team's resource) and the chat's
//! failure trigger (what makes the model call fail on purpose; without
//! one, the `x-handover-fault: model-timeout` convention).

use std::rc::Rc;

use handover_model::{EndpointAuth, FailureTrigger, Header, ProjectSpec, TenantProbe};
use sycamore::prelude::*;

use super::auth::{self, Credentials};
use super::fields::{add_button, field_error, remove_button, rows, text_field, Opts};
use super::sections::{row_group, section};
use super::Form;
use crate::browser;

/// The cross-tenant probe section.
pub fn tenant_probe(form: Form, credentials: Signal<Credentials>) -> View {
    let on = create_selector(move || form.spec.with(|s| s.tenant_probe.is_some()));
    let body = View::from_dynamic(move || {
        let on = on.get();
        untrack(move || {
            if on {
                return tenant_fields(form, credentials);
            }
            let add = move |_| {
                form.edit("tenant_probe", |s| {
                    s.tenant_probe = Some(TenantProbe::default())
                });
                browser::focus("field-tenant_probe-other_tenant_url");
            };
            view! {
                div(class="button-row") {
                    button(
                        r#type="button", class="button button--ghost", data-testid="add-tenant-probe",
                        on:click=add,
                    ) { "Add a cross-tenant probe" }
                }
            }
        })
    });
    section(
        "tenant",
        "Cross-tenant probe",
        "A signed-in request for a resource that belongs to another team: the answer must refuse it (401, 403 or 404). Optional; it sends a credential stored under Accounts.",
        body,
    )
}

fn tenant_fields(form: Form, credentials: Signal<Credentials>) -> View {
    let url = text_field(
        form,
        "tenant_probe.other_tenant_url".to_string(),
        "Another team's resource".to_string(),
        Opts {
            placeholder: "/api/teams/other/documents/1",
            hint:
                "A path on the API host, or a full https:// address on one of the project's hosts.",
            mono: true,
            ..Opts::default()
        },
        |s| {
            s.tenant_probe
                .as_ref()
                .map(|p| p.other_tenant_url.clone())
                .unwrap_or_default()
        },
        |s, v| {
            if let Some(p) = s.tenant_probe.as_mut() {
                p.other_tenant_url = v;
            }
        },
    );
    let get: auth::GetAuth =
        Rc::new(|s: &ProjectSpec| s.tenant_probe.as_ref().map(|p| p.auth.clone()));
    let set: auth::SetAuth = Rc::new(|s: &mut ProjectSpec, auth: Option<EndpointAuth>| {
        if let Some(p) = s.tenant_probe.as_mut() {
            // The probe always signs in: "Choose a credential…" clears the source only.
            p.auth = auth.unwrap_or_else(|| EndpointAuth {
                credential_id: None,
                env: String::new(),
                ..p.auth.clone()
            });
        }
    });
    let signed_in = auth::signed_in(
        form,
        "tenant_probe.auth".to_string(),
        credentials,
        true,
        get,
        set,
    );
    let remove = move |_| drop_section(form, "tenant_probe", |s| s.tenant_probe = None);
    view! {
        (url)
        (signed_in)
        (field_error(form, "tenant_probe".to_string()))
        div(class="button-row") {
            button(
                r#type="button", class="button button--quiet", data-testid="remove-tenant-probe",
                on:click=remove,
            ) { "Remove the probe" }
        }
    }
}

/// The chat failure trigger section.
pub fn chat_failure(form: Form) -> View {
    let on = create_selector(move || form.spec.with(|s| s.chat_failure.is_some()));
    let convention = FailureTrigger::default()
        .headers
        .iter()
        .map(|h| format!("{}: {}", h.name, h.value))
        .collect::<Vec<_>>()
        .join(", ");
    let body = View::from_dynamic(move || {
        let on = on.get();
        let convention = convention.clone();
        untrack(move || {
            if on {
                return trigger_fields(form, convention);
            }
            let own = move |_| {
                form.edit("chat_failure", |s| {
                    s.chat_failure = Some(FailureTrigger {
                        headers: vec![Header {
                            name: String::new(),
                            value: String::new(),
                        }],
                        body: String::new(),
                    })
                });
                browser::focus("field-chat_failure-headers-0-name");
            };
            view! {
                p(class="field__hint", data-testid="chat-failure-default") {
                    "Handover sends the chat request with the header "
                    code { (convention) }
                    ", the convention its own test bed honours."
                }
                div(class="button-row") {
                    button(
                        r#type="button", class="button button--ghost", data-testid="own-chat-failure",
                        on:click=own,
                    ) { "Use another trigger" }
                }
            }
        })
    });
    section(
        "chat-failure",
        "Chat failure trigger",
        "How the chat probe makes the model call fail on purpose, to see what users get when it does. Staging should honour it; production should ignore it.",
        body,
    )
}

fn trigger_fields(form: Form, convention: String) -> View {
    let list = rows(
        form,
        "chat_failure.headers".to_string(),
        |s| s.chat_failure.as_ref().map_or(0, |t| t.headers.len()),
        move |h| header_row(form, h),
    );
    let add = add_button(
        form,
        "Add header",
        "add-chat-failure-header",
        "chat_failure.headers",
        |s| {
            if let Some(t) = s.chat_failure.as_mut() {
                t.headers.push(Header {
                    name: String::new(),
                    value: String::new(),
                });
            }
        },
    );
    let body = text_field(
        form,
        "chat_failure.body".to_string(),
        "Body sent instead (optional)".to_string(),
        Opts {
            placeholder: "{\"message\": \"fail the model call\"}",
            hint: "Empty keeps the chat endpoint's own body.",
            mono: true,
            multiline: true,
            ..Opts::default()
        },
        |s| {
            s.chat_failure
                .as_ref()
                .map(|t| t.body.clone())
                .unwrap_or_default()
        },
        |s, v| {
            if let Some(t) = s.chat_failure.as_mut() {
                t.body = v;
            }
        },
    );
    let default = move |_| drop_section(form, "chat_failure", |s| s.chat_failure = None);
    view! {
        p(class="field__hint") {
            "Headers added to the chat request, and optionally a body. Without a trigger of its own Handover sends "
            code { (convention) } "."
        }
        (list)
        (field_error(form, "chat_failure.headers".to_string()))
        (add)
        (body)
        (field_error(form, "chat_failure".to_string()))
        div(class="button-row") {
            button(
                r#type="button", class="button button--quiet", data-testid="default-chat-failure",
                on:click=default,
            ) { "Use the default" }
        }
    }
}

/// Removes the probe at `path` with `remove`, and the errors about it
/// with it (they have no field to show under any more).
fn drop_section(form: Form, path: &'static str, remove: impl FnOnce(&mut ProjectSpec)) {
    batch(|| {
        form.server_errors.update(|errors| {
            errors.retain(|e| e.field != path && !e.field.starts_with(&format!("{path}.")))
        });
        form.edit("", remove);
    });
}

fn header_row(form: Form, h: usize) -> View {
    let list = "chat_failure.headers";
    let header = move |s: &ProjectSpec| {
        s.chat_failure
            .as_ref()
            .and_then(|t| t.headers.get(h))
            .cloned()
    };
    let edit = move |s: &mut ProjectSpec, change: &dyn Fn(&mut Header)| {
        if let Some(x) = s.chat_failure.as_mut().and_then(|t| t.headers.get_mut(h)) {
            change(x);
        }
    };
    let name = text_field(
        form,
        format!("{list}.{h}.name"),
        "Header name".to_string(),
        Opts {
            placeholder: "x-handover-fault",
            mono: true,
            ..Opts::default()
        },
        move |s| header(s).map(|x| x.name).unwrap_or_default(),
        move |s, v| edit(s, &|x| x.name = v.clone()),
    );
    let value = text_field(
        form,
        format!("{list}.{h}.value"),
        "Value".to_string(),
        Opts {
            placeholder: "model-timeout",
            mono: true,
            ..Opts::default()
        },
        move |s| header(s).map(|x| x.value).unwrap_or_default(),
        move |s, v| edit(s, &|x| x.value = v.clone()),
    );
    let remove = remove_button(form, list, h, "header", move |s| {
        if let Some(t) = s.chat_failure.as_mut() {
            if h < t.headers.len() {
                t.headers.remove(h);
            }
        }
    });
    row_group(
        form,
        format!("{list}.{h}"),
        format!("Failure header {}", h + 1),
        view! { (name) (value) (remove) },
    )
}
