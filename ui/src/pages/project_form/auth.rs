//! "Signed in": the credential a probe's request carries, chosen from the
//! project's stored credentials (named, never shown: the secret stays in
//! the OS keychain), how it is sent (bearer, header, cookie) and, for a
//! header or cookie, its name. A project file's environment-variable
//! source is shown as it is, read-only.

use std::rc::Rc;

use handover_model::{AuthScheme, EndpointAuth, ProjectSpec};
use sycamore::futures::spawn_local_scoped;
use sycamore::prelude::*;

use super::fields::{aria, field_error, select_field, text_field, Opts};
use super::probe_state::{self, CredentialChoice, ENV_AUTH, NO_AUTH};
use super::state::field_id;
use super::Form;
use crate::browser::event_value;
use crate::ipc;
use crate::route::path;

/// What the form knows of the project's stored credentials.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Credentials {
    /// A project not saved yet has no accounts, so no credentials.
    NotSaved,
    /// Asking the backend.
    Loading,
    /// The accounts could not be read; what went wrong.
    Failed(String),
    /// The credentials of project `id` (possibly none).
    Loaded(i64, Vec<CredentialChoice>),
}

/// The credentials of project `id`, read once when the form opens.
pub fn load(id: Option<i64>) -> Signal<Credentials> {
    let Some(id) = id else {
        return create_signal(Credentials::NotSaved);
    };
    let credentials = create_signal(Credentials::Loading);
    spawn_local_scoped(async move {
        credentials.set(match ipc::accounts_get(id).await {
            Ok(view) => Credentials::Loaded(id, probe_state::credential_choices(&view)),
            Err(err) => Credentials::Failed(err.message),
        });
    });
    credentials
}

/// Reads an auth out of the spec.
pub type GetAuth = Rc<dyn Fn(&ProjectSpec) -> Option<EndpointAuth>>;
/// Writes an auth into the spec (`None`: not signed in).
pub type SetAuth = Rc<dyn Fn(&mut ProjectSpec, Option<EndpointAuth>)>;

/// The "Signed in" control for the auth at field path `prefix` (e.g.
/// `endpoints.2.auth`). `required` offers "Choose a credential…" instead
/// of "Not signed in".
pub fn signed_in(
    form: Form,
    prefix: String,
    credentials: Signal<Credentials>,
    required: bool,
    get: GetAuth,
    set: SetAuth,
) -> View {
    let testid = format!("auth-{}", prefix.replace('.', "-"));
    let env = env_note(form, get.clone());
    // The select offers a project file's environment variable only while
    // the auth uses one: it is rebuilt when that changes.
    let has_env = {
        let get = get.clone();
        create_selector(move || {
            form.spec
                .with(|s| probe_state::source_value(get(s).as_ref()) == ENV_AUTH)
        })
    };
    let source = {
        let (prefix, get, set) = (prefix.clone(), get.clone(), set.clone());
        View::from_dynamic(move || {
            let credentials = credentials.get_clone();
            has_env.track();
            let (prefix, get, set) = (prefix.clone(), get.clone(), set.clone());
            untrack(move || source_control(form, prefix, credentials, required, get, set))
        })
    };
    let scheme = {
        let get = get.clone();
        create_selector(move || form.spec.with(|s| get(s).map(|a| a.scheme)))
    };
    let signed = create_selector(move || scheme.get().is_some());
    let how = {
        let (prefix, get, set) = (prefix.clone(), get.clone(), set.clone());
        View::from_dynamic(move || {
            let on = signed.get();
            let (prefix, get, set) = (prefix.clone(), get.clone(), set.clone());
            untrack(move || on.then(|| scheme_field(form, prefix, get, set)))
        })
    };
    let name = {
        let prefix = prefix.clone();
        View::from_dynamic(move || {
            let scheme = scheme.get();
            let (prefix, get, set) = (prefix.clone(), get.clone(), set.clone());
            untrack(move || match scheme {
                Some(scheme) if scheme.needs_name() => name_field(form, prefix, scheme, get, set),
                // Its error, if any, still has a place.
                _ => field_error(form, format!("{prefix}.name")),
            })
        })
    };
    // The scheme's error shows under its select, the name's under its input.
    let errors = [format!("{prefix}.env"), prefix]
        .into_iter()
        .map(|path| field_error(form, path))
        .collect::<Vec<_>>();
    view! {
        div(class="auth-editor", data-testid=testid) {
            div(class="auth-editor__line") { (source) (how) (name) }
            (env)
            (errors)
        }
    }
}

/// The source select, or why there is none to choose from.
fn source_control(
    form: Form,
    prefix: String,
    credentials: Credentials,
    required: bool,
    get: GetAuth,
    set: SetAuth,
) -> View {
    let path = format!("{prefix}.credential_id");
    let hint = |text: String| {
        let error = field_error(form, path.clone());
        view! { div(class="field auth-editor__none") { p(class="field__hint") { (text) } (error) } }
    };
    let list = match credentials {
        Credentials::NotSaved => {
            return hint(
                "Signed-in requests use a credential from the Accounts page: save the project, then add it there."
                    .to_string(),
            )
        }
        Credentials::Loading => return hint("Loading the stored credentials…".to_string()),
        Credentials::Failed(message) => {
            return hint(format!("The stored credentials could not be read: {message}"))
        }
        Credentials::Loaded(id, list) if list.is_empty() => {
            let accounts = path::accounts(id);
            let error = field_error(form, path);
            return view! {
                div(class="field auth-editor__none") {
                    p(class="field__hint") {
                        "No credentials stored for this project yet: add one on the "
                        a(href=accounts) { "Accounts page" }
                        " (it keeps the secret in the OS keychain)."
                    }
                    (error)
                }
            };
        }
        Credentials::Loaded(_, list) => list,
    };
    let current = form.spec.with_untracked(|s| get(s));
    let value = probe_state::source_value(current.as_ref());
    let mut options = vec![(
        NO_AUTH.to_string(),
        if required {
            "Choose a credential…".to_string()
        } else {
            "Not signed in".to_string()
        },
    )];
    if value == ENV_AUTH {
        let env = current.as_ref().map_or("", |a| a.env.trim());
        options.push((
            ENV_AUTH.to_string(),
            format!("${env} (environment, from the project file)"),
        ));
    }
    let known = |id: i64| list.iter().any(|c| c.id == id);
    if let Some(id) = current.as_ref().and_then(|a| a.credential_id) {
        if !known(id) {
            options.push((
                format!("credential-{id}"),
                format!("Credential {id} (not found)"),
            ));
        }
    }
    options.extend(
        list.into_iter()
            .map(|c| (format!("credential-{}", c.id), c.label)),
    );
    let options = options
        .into_iter()
        .map(|(value, label)| view! { option(value=value) { (label) } })
        .collect::<Vec<_>>();
    let id = field_id(&path);
    let (invalid, described) = aria(form, &path, None);
    let edit_path = path.clone();
    let on_change = move |ev: web_sys::Event| {
        let choice = event_value(&ev);
        form.edit(&edit_path, |spec| {
            let auth = probe_state::with_source(get(spec), &choice);
            set(spec, auth);
        });
    };
    let (control_id, testid, label_for) = (id.clone(), id.clone(), id);
    let error = field_error(form, path);
    view! {
        div(class="field auth-editor__source") {
            label(class="field__label", r#for=label_for) { "Signed in" }
            select(
                id=control_id, class="input select", data-testid=testid,
                prop:value=value, aria-invalid=invalid, aria-describedby=described,
                on:change=on_change,
            ) { (options) }
            (error)
        }
    }
}

/// Bearer, header or cookie.
fn scheme_field(form: Form, prefix: String, get: GetAuth, set: SetAuth) -> View {
    let choices: Vec<(AuthScheme, &'static str, &'static str)> = AuthScheme::ALL
        .into_iter()
        .map(|s| (s, s.as_str(), s.label()))
        .collect();
    let get_scheme = get.clone();
    select_field(
        form,
        format!("{prefix}.scheme"),
        "Sent as".to_string(),
        choices,
        move |s| get_scheme(s).map(|a| a.scheme).unwrap_or_default(),
        move |s, scheme| {
            if let Some(auth) = get(s) {
                set(s, Some(EndpointAuth { scheme, ..auth }));
            }
        },
    )
}

/// The header or cookie name.
fn name_field(form: Form, prefix: String, scheme: AuthScheme, get: GetAuth, set: SetAuth) -> View {
    let (label, placeholder) = match scheme {
        AuthScheme::Cookie => ("Cookie name", "session"),
        _ => ("Header name", "X-Api-Key"),
    };
    let get_name = get.clone();
    text_field(
        form,
        format!("{prefix}.name"),
        label.to_string(),
        Opts {
            placeholder,
            mono: true,
            ..Opts::default()
        },
        move |s| get_name(s).map(|a| a.name).unwrap_or_default(),
        move |s, name| {
            if let Some(auth) = get(s) {
                set(s, Some(EndpointAuth { name, ..auth }));
            }
        },
    )
}

/// A note of where a project file's environment-variable secret comes
/// from, shown while the auth at `get` uses one.
pub fn env_note(form: Form, get: GetAuth) -> View {
    let env = create_selector(move || {
        form.spec.with(|s| {
            get(s)
                .filter(|a| a.credential_id.is_none() && !a.env.trim().is_empty())
                .map(|a| a.env.trim().to_string())
        })
    });
    view! {
        (env.get_clone().map(|env| view! {
            p(class="field__hint auth-editor__env", data-testid="auth-env") {
                "The secret is read from the environment variable "
                code { "$" (env) }
                " when a headless run starts (set in the project file)."
            }
        }))
    }
}
