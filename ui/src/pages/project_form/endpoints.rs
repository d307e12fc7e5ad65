//! The key endpoints section: role, method, path and expected status per
//! row, the credential a signed-in endpoint carries, an optional body and
//! headers, and "Add the usual five".

use std::rc::Rc;

use handover_model::{Endpoint, EndpointRole, Header, Method, ProjectSpec};
use sycamore::prelude::*;

use super::auth::{self, Credentials};
use super::fields::{
    add_button, field_error, number_field, remove_button, rows, select_field, text_field, Opts,
};
use super::sections::{row_group, section};
use super::{state, Form};

/// The endpoints section.
pub fn endpoints(form: Form, credentials: Signal<Credentials>) -> View {
    let list = rows(
        form,
        "endpoints".to_string(),
        |s| s.endpoints.len(),
        move |i| endpoint_row(form, i, credentials),
    );
    let no_apex = create_selector(move || form.spec.with(|s| s.apex.trim().is_empty()));
    let add_one = add_button(form, "Add endpoint", "add-endpoint", "endpoints", |s| {
        s.endpoints.push(Endpoint {
            role: EndpointRole::Dashboard,
            method: Method::Get,
            path: "/".to_string(),
            body: String::new(),
            headers: Vec::new(),
            expected_status: 200,
            auth: None,
        });
    });
    let add_usual = move |_| {
        if !no_apex.get_untracked() {
            form.edit("", |s| {
                state::add_usual_endpoints(s);
            });
        }
    };
    section(
        "endpoints",
        "Key endpoints",
        "The requests that matter most to users. Live checks probe each path (/api/chat) on every environment; a full https:// URL on one of the project's hosts (e.g. the API on api.<apex>) is probed as it is.",
        view! {
            (list)
            (field_error(form, "endpoints".to_string()))
            div(class="button-row") {
                (add_one)
                button(
                    r#type="button", class="button button--ghost", data-testid="add-usual-endpoints",
                    disabled=no_apex, aria-describedby="usual-endpoints-hint", on:click=add_usual,
                ) { "Add the usual five" }
                span(class="field__hint", id="usual-endpoints-hint") {
                    (move || if no_apex.get() {
                        "Set the apex domain first."
                    } else {
                        "Homepage, login, chat send, API health and webhook; roles already listed are skipped."
                    })
                }
            }
        },
    )
}

/// Endpoint `i`: its request line, whether it is signed in, then body and
/// headers in a fold.
fn endpoint_row(form: Form, i: usize, credentials: Signal<Credentials>) -> View {
    let roles: Vec<(EndpointRole, &'static str, &'static str)> = EndpointRole::ALL
        .into_iter()
        .map(|r| (r, r.as_str(), r.label()))
        .collect();
    let methods: Vec<(Method, &'static str, &'static str)> = Method::ALL
        .into_iter()
        .map(|m| (m, m.as_str(), m.as_str()))
        .collect();
    let role = select_field(
        form,
        format!("endpoints.{i}.role"),
        "Role".to_string(),
        roles,
        move |s| {
            s.endpoints
                .get(i)
                .map_or(EndpointRole::Homepage, |e| e.role)
        },
        move |s, r| edit_endpoint(s, i, |e| e.role = r),
    );
    let method = select_field(
        form,
        format!("endpoints.{i}.method"),
        "Method".to_string(),
        methods,
        move |s| s.endpoints.get(i).map_or(Method::Get, |e| e.method),
        move |s, m| edit_endpoint(s, i, |e| e.method = m),
    );
    let path = text_field(
        form,
        format!("endpoints.{i}.path"),
        "Path".to_string(),
        Opts {
            placeholder: "/api/chat",
            mono: true,
            ..Opts::default()
        },
        move |s| {
            s.endpoints
                .get(i)
                .map(|e| e.path.clone())
                .unwrap_or_default()
        },
        move |s, v| edit_endpoint(s, i, |e| e.path = v),
    );
    let status = number_field(
        form,
        format!("endpoints.{i}.expected_status"),
        "Expected status".to_string(),
        999,
        move |s| {
            s.endpoints
                .get(i)
                .map_or(0, |e| u32::from(e.expected_status))
        },
        move |s, n| edit_endpoint(s, i, |e| e.expected_status = u16::try_from(n).unwrap_or(0)),
    );
    let remove = remove_button(form, "endpoints", i, "endpoint", move |s| {
        if i < s.endpoints.len() {
            s.endpoints.remove(i);
        }
    });
    let line = view! { (role) (method) (path) (status) (remove) };
    let signed_in = auth::signed_in(
        form,
        format!("endpoints.{i}.auth"),
        credentials,
        false,
        Rc::new(move |s: &ProjectSpec| s.endpoints.get(i).and_then(|e| e.auth.clone())),
        Rc::new(move |s: &mut ProjectSpec, a| edit_endpoint(s, i, |e| e.auth = a)),
    );
    let extras = extras(form, i);
    row_group(
        form,
        format!("endpoints.{i}"),
        format!("Endpoint {}", i + 1),
        view! {
            div(class="row__line") { (line) }
            (signed_in)
            (extras)
        },
    )
}

fn edit_endpoint(spec: &mut ProjectSpec, i: usize, change: impl FnOnce(&mut Endpoint)) {
    if let Some(endpoint) = spec.endpoints.get_mut(i) {
        change(endpoint);
    }
}

/// Body and headers of endpoint `i`, folded away unless used or wrong.
fn extras(form: Form, i: usize) -> View {
    let prefix = format!("endpoints.{i}.");
    let used = form.spec.with_untracked(|s| {
        s.endpoints
            .get(i)
            .is_some_and(|e| !e.body.is_empty() || !e.headers.is_empty())
    });
    let has_error = create_selector(move || {
        form.errors.with(|errors| {
            errors.iter().any(|e| {
                e.field
                    .strip_prefix(&prefix)
                    .is_some_and(|rest| rest.starts_with("body") || rest.starts_with("headers"))
            })
        })
    });
    let summary = create_selector(move || {
        form.spec.with(|s| {
            let n = s.endpoints.get(i).map_or(0, |e| e.headers.len());
            let body = s.endpoints.get(i).is_some_and(|e| !e.body.is_empty());
            match (body, n) {
                (false, 0) => "Body and headers".to_string(),
                (true, 0) => "Body".to_string(),
                (b, n) => format!(
                    "{}{} header{}",
                    if b { "Body, " } else { "" },
                    n,
                    if n == 1 { "" } else { "s" }
                ),
            }
        })
    });
    let body = text_field(
        form,
        format!("endpoints.{i}.body"),
        "Request body".to_string(),
        Opts {
            placeholder: "{\"message\": \"ping\"}",
            mono: true,
            multiline: true,
            ..Opts::default()
        },
        move |s| {
            s.endpoints
                .get(i)
                .map(|e| e.body.clone())
                .unwrap_or_default()
        },
        move |s, v| edit_endpoint(s, i, |e| e.body = v),
    );
    let list = rows(
        form,
        format!("endpoints.{i}.headers"),
        move |s| s.endpoints.get(i).map_or(0, |e| e.headers.len()),
        move |h| header_row(form, i, h),
    );
    let add = add_button(
        form,
        "Add header",
        "add-header",
        &format!("endpoints.{i}.headers"),
        move |s| {
            edit_endpoint(s, i, |e| {
                e.headers.push(Header {
                    name: String::new(),
                    value: String::new(),
                });
            });
        },
    );
    // Opens for an error, never closes on its own: the user folds it.
    let open = create_signal(used);
    create_effect(move || {
        if has_error.get() {
            open.set(true);
        }
    });
    view! {
        details(class="endpoint-extras", open=open) {
            summary(class="endpoint-extras__summary") { (summary) }
            (body)
            p(class="field__hint") { "Headers are sent as written. Credentials do not belong here: keep them under Accounts, in the keychain." }
            (list)
            (field_error(form, format!("endpoints.{i}.headers")))
            (add)
        }
    }
}

fn header_row(form: Form, i: usize, h: usize) -> View {
    let list = format!("endpoints.{i}.headers");
    let name = text_field(
        form,
        format!("{list}.{h}.name"),
        "Header name".to_string(),
        Opts {
            placeholder: "Content-Type",
            mono: true,
            ..Opts::default()
        },
        move |s| header(s, i, h).map(|x| x.name.clone()).unwrap_or_default(),
        move |s, v| {
            edit_endpoint(s, i, |e| {
                if let Some(x) = e.headers.get_mut(h) {
                    x.name = v
                }
            })
        },
    );
    let value = text_field(
        form,
        format!("{list}.{h}.value"),
        "Value".to_string(),
        Opts {
            placeholder: "application/json",
            mono: true,
            ..Opts::default()
        },
        move |s| header(s, i, h).map(|x| x.value.clone()).unwrap_or_default(),
        move |s, v| {
            edit_endpoint(s, i, |e| {
                if let Some(x) = e.headers.get_mut(h) {
                    x.value = v
                }
            })
        },
    );
    let remove = remove_button(form, &list, h, "header", move |s| {
        edit_endpoint(s, i, |e| {
            if h < e.headers.len() {
                e.headers.remove(h);
            }
        });
    });
    row_group(
        form,
        format!("{list}.{h}"),
        format!("Header {} of endpoint {}", h + 1, i + 1),
        view! { (name) (value) (remove) },
    )
}

fn header(spec: &ProjectSpec, i: usize, h: usize) -> Option<&Header> {
    spec.endpoints.get(i)?.headers.get(h)
}
