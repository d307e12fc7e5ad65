//! "Signed in" for the chat adapter: which of the project's stored
//! credentials the questions carry (named, never shown: the secret stays in
//! the OS keychain), and how it is sent. A project file's
//! environment-variable source is kept as it is and shown read-only.

use handover_model::{AuthScheme, EndpointAuth};
use sycamore::futures::spawn_local_scoped;
use sycamore::prelude::*;

use super::Eval;
use crate::browser::event_value;
use crate::ipc;
use crate::pages::project_form::probe_state::{credential_choices, CredentialChoice};

/// The select's value for "not signed in".
pub const NONE: &str = "";
/// The select's value for a project file's environment variable.
pub const ENV: &str = "env";

/// The adapter's auth as the three inputs show it: source, scheme, name.
pub fn choice_of(auth: Option<&EndpointAuth>) -> (String, String, String) {
    match auth {
        None => (
            NONE.into(),
            AuthScheme::Bearer.as_str().into(),
            String::new(),
        ),
        Some(a) => (
            match a.credential_id {
                Some(id) => id.to_string(),
                None => ENV.into(),
            },
            a.scheme.as_str().into(),
            a.name.clone(),
        ),
    }
}

/// The auth the inputs describe; an environment-variable source is `base`'s,
/// unchanged (only a project file sets it).
pub fn auth_of(
    source: &str,
    scheme: &str,
    name: &str,
    base: Option<&EndpointAuth>,
) -> Option<EndpointAuth> {
    if source == ENV {
        return base.cloned();
    }
    let id: i64 = source.parse().ok()?;
    let scheme = AuthScheme::ALL
        .into_iter()
        .find(|s| s.as_str() == scheme)
        .unwrap_or_default();
    Some(EndpointAuth {
        scheme,
        name: if scheme.needs_name() {
            name.trim().to_owned()
        } else {
            String::new()
        },
        credential_id: Some(id),
        env: String::new(),
    })
}

/// The three inputs, bound to `source`, `scheme` and `name`.
pub fn view(
    page: Eval,
    source: Signal<String>,
    scheme: Signal<String>,
    name: Signal<String>,
) -> View {
    let choices = create_signal(None::<Result<Vec<CredentialChoice>, String>>);
    spawn_local_scoped(async move {
        choices.set(Some(
            ipc::accounts_get(page.project_id)
                .await
                .map(|view| credential_choices(&view))
                .map_err(|err| err.message),
        ));
    });
    let env_name = page.view.with_untracked(|v| {
        v.setup
            .adapter
            .as_ref()
            .and_then(|a| a.auth.as_ref())
            .filter(|a| a.credential_id.is_none())
            .map(|a| a.env.clone())
    });
    let sources = move || {
        let current = source.get_clone_untracked();
        let mut rows: Vec<(String, String)> = vec![(NONE.into(), "Not signed in".into())];
        if let Some(env) = &env_name {
            rows.push((ENV.into(), format!("${env} (from the project file)")));
        }
        if let Some(Ok(list)) = choices.get_clone() {
            rows.extend(list.into_iter().map(|c| (c.id.to_string(), c.label)));
        }
        rows.into_iter()
            .map(|(value, label)| {
                let selected = value == current;
                view! { option(value=value, selected=selected) { (label) } }
            })
            .collect::<Vec<_>>()
    };
    let schemes = AuthScheme::ALL
        .into_iter()
        .map(|s| {
            let selected = s.as_str() == scheme.get_clone_untracked();
            view! { option(value=s.as_str(), selected=selected) { (s.label()) } }
        })
        .collect::<Vec<_>>();
    let needs_name = move || {
        AuthScheme::ALL
            .into_iter()
            .find(|s| s.as_str() == scheme.get_clone())
            .is_some_and(AuthScheme::needs_name)
    };
    let note = move || match choices.get_clone() {
        Some(Err(message)) => Some(view! {
            p(class="field__hint") { "The stored credentials could not be read: " (message) }
        }),
        Some(Ok(list)) if list.is_empty() => Some(view! {
            p(class="field__hint") { "No stored credentials yet: add one on the Accounts page." }
        }),
        _ => None,
    };
    view! {
        div(class="eval-grid", data-testid="eval-auth") {
            div(class="field eval-grid__wide") {
                label(class="field__label", r#for="eval-auth-source") { "Signed in with" }
                select(id="eval-auth-source", class="input select",
                    on:change=move |ev: web_sys::Event| source.set(event_value(&ev))) { (sources) }
                (note)
                (page.field_error("eval.adapter.auth.credential_id"))
            }
            div(class="field") {
                label(class="field__label", r#for="eval-auth-scheme") { "Sent as" }
                select(id="eval-auth-scheme", class="input select",
                    disabled=move || source.get_clone() == NONE,
                    on:change=move |ev: web_sys::Event| scheme.set(event_value(&ev))) { (schemes) }
            }
            (move || needs_name().then(|| view! {
                div(class="field") {
                    label(class="field__label", r#for="eval-auth-name") { "Header or cookie name" }
                    input(id="eval-auth-name", class="input mono-input", bind:value=name)
                    (page.field_error("eval.adapter.auth.name"))
                }
            }))
            (page.field_error("eval.adapter.auth"))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn inputs_round_trip_a_stored_credential_and_keep_an_env_source() {
        let stored = EndpointAuth {
            scheme: AuthScheme::Header,
            name: "X-Api-Key".into(),
            credential_id: Some(4),
            env: String::new(),
        };
        let (source, scheme, name) = choice_of(Some(&stored));
        assert_eq!((source.as_str(), scheme.as_str()), ("4", "header"));
        assert_eq!(auth_of(&source, &scheme, &name, None), Some(stored));

        let env = EndpointAuth {
            env: "BOT_TOKEN".into(),
            ..EndpointAuth::default()
        };
        let (source, scheme, name) = choice_of(Some(&env));
        assert_eq!(source, ENV);
        assert_eq!(auth_of(&source, &scheme, &name, Some(&env)), Some(env));

        assert_eq!(choice_of(None).0, NONE);
        assert_eq!(auth_of(NONE, "bearer", "", None), None);
        let bearer = auth_of("7", "bearer", " ignored ", None).unwrap();
        assert_eq!((bearer.credential_id, bearer.name.as_str()), (Some(7), ""));
    }
}
