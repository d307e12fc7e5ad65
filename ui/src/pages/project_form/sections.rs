//! The form's sections other than endpoints: basics, domains, environments,
//! CORS, email, latency targets, internal network, paths and notes.

use handover_model::{Environment, EnvironmentKind, ProjectSpec, Subdomain, SubdomainPurpose};
use sycamore::prelude::*;

use super::fields::{add_button, field_error, remove_button, rows, select_field, text_field, Opts};
use super::Form;

/// A titled section of the form with a line of explanation.
pub fn section(id: &'static str, title: &'static str, lede: &'static str, body: View) -> View {
    let heading = format!("{id}-title");
    let labelled_by = heading.clone();
    view! {
        section(class="form-section", aria-labelledby=labelled_by, data-section=id) {
            h2(class="form-section__title", id=heading) { (title) }
            p(class="form-section__lede") { (lede) }
            (body)
        }
    }
}

/// A one-line text field for a top-level string.
pub fn simple(
    form: Form,
    path: &str,
    label: &str,
    opts: Opts,
    get: fn(&ProjectSpec) -> &String,
    get_mut: fn(&mut ProjectSpec) -> &mut String,
) -> View {
    text_field(
        form,
        path.to_string(),
        label.to_string(),
        opts,
        move |s| get(s).clone(),
        move |s, v| *get_mut(s) = v,
    )
}

/// Name and description.
pub fn basics(form: Form) -> View {
    let name = simple(
        form,
        "name",
        "Name",
        Opts {
            placeholder: "Acme Assistant",
            required: true,
            ..Opts::default()
        },
        |s| &s.name,
        |s| &mut s.name,
    );
    let description = simple(
        form,
        "description",
        "Description",
        Opts {
            placeholder: "One or two sentences about the product.",
            multiline: true,
            ..Opts::default()
        },
        |s| &s.description,
        |s| &mut s.description,
    );
    section(
        "basics",
        "Basics",
        "What the product is called and what it does.",
        view! { (name) (description) },
    )
}

/// The apex domain and the subdomains under it.
pub fn domains(form: Form) -> View {
    let apex = simple(
        form,
        "apex",
        "Apex domain",
        Opts {
            placeholder: "example.com",
            hint: "The registrable domain, without https:// or a path.",
            mono: true,
            ..Opts::default()
        },
        |s| &s.apex,
        |s| &mut s.apex,
    );
    let purposes: Vec<(SubdomainPurpose, &'static str, &'static str)> = SubdomainPurpose::ALL
        .into_iter()
        .map(|p| (p, p.as_str(), purpose_label(p)))
        .collect();
    let list = rows(
        form,
        "subdomains".to_string(),
        |s| s.subdomains.len(),
        move |i| {
            let label = text_field(
                form,
                format!("subdomains.{i}.label"),
                "Label".to_string(),
                Opts {
                    placeholder: "app",
                    mono: true,
                    ..Opts::default()
                },
                move |s| {
                    s.subdomains
                        .get(i)
                        .map(|d| d.label.clone())
                        .unwrap_or_default()
                },
                move |s, v| {
                    if let Some(d) = s.subdomains.get_mut(i) {
                        d.label = v;
                    }
                },
            );
            let purpose = select_field(
                form,
                format!("subdomains.{i}.purpose"),
                "Purpose".to_string(),
                purposes.clone(),
                move |s| {
                    s.subdomains
                        .get(i)
                        .map_or(SubdomainPurpose::App, |d| d.purpose)
                },
                move |s, p| {
                    if let Some(d) = s.subdomains.get_mut(i) {
                        d.purpose = p;
                    }
                },
            );
            let remove = remove_button(form, "subdomains", i, "subdomain", move |s| {
                if i < s.subdomains.len() {
                    s.subdomains.remove(i);
                }
            });
            row_group(
                form,
                format!("subdomains.{i}"),
                format!("Subdomain {}", i + 1),
                view! { (label) (purpose) (remove) },
            )
        },
    );
    let add = add_button(form, "Add subdomain", "add-subdomain", "subdomains", |s| {
        let purpose = SubdomainPurpose::ALL
            .into_iter()
            .find(|p| {
                *p != SubdomainPurpose::Custom && !s.subdomains.iter().any(|d| d.purpose == *p)
            })
            .unwrap_or(SubdomainPurpose::Custom);
        s.subdomains.push(Subdomain {
            label: String::new(),
            purpose,
        });
    });
    section(
        "domains",
        "Domains",
        "The apex and every host under it that customers or integrations reach.",
        view! {
            (apex)
            h3(class="form-section__subtitle") { "Subdomains" }
            (list)
            (field_error(form, "subdomains".to_string()))
            (add)
        },
    )
}

fn purpose_label(purpose: SubdomainPurpose) -> &'static str {
    match purpose {
        SubdomainPurpose::App => "App",
        SubdomainPurpose::Api => "API",
        SubdomainPurpose::Docs => "Docs",
        SubdomainPurpose::Status => "Status page",
        SubdomainPurpose::Custom => "Other",
    }
}

/// One row of a list: its inputs side by side and, under them, any error
/// about the row as a whole.
pub fn row_group(form: Form, path: String, label: String, body: View) -> View {
    let error = field_error(form, path);
    view! {
        div(class="row", role="group", aria-label=label) {
            div(class="row__fields") { (body) }
            (error)
        }
    }
}

/// Production and staging base URLs and env files.
pub fn environments(form: Form) -> View {
    let kinds: Vec<(EnvironmentKind, &'static str, &'static str)> = EnvironmentKind::ALL
        .into_iter()
        .map(|k| {
            (
                k,
                k.as_str(),
                if k == EnvironmentKind::Production {
                    "Production"
                } else {
                    "Staging"
                },
            )
        })
        .collect();
    let list = rows(
        form,
        "environments".to_string(),
        |s| s.environments.len(),
        move |i| {
            let kind = select_field(
                form,
                format!("environments.{i}.kind"),
                "Environment".to_string(),
                kinds.clone(),
                move |s| {
                    s.environments
                        .get(i)
                        .map_or(EnvironmentKind::Production, |e| e.kind)
                },
                move |s, k| {
                    if let Some(e) = s.environments.get_mut(i) {
                        e.kind = k;
                    }
                },
            );
            let base_url = text_field(
                form,
                format!("environments.{i}.base_url"),
                "Base URL".to_string(),
                Opts {
                    placeholder: "https://app.example.com",
                    url: true,
                    mono: true,
                    ..Opts::default()
                },
                move |s| {
                    s.environments
                        .get(i)
                        .map(|e| e.base_url.clone())
                        .unwrap_or_default()
                },
                move |s, v| {
                    if let Some(e) = s.environments.get_mut(i) {
                        e.base_url = v;
                    }
                },
            );
            let env_file = text_field(
                form,
                format!("environments.{i}.env_file"),
                "Env file (optional)".to_string(),
                Opts {
                    placeholder: "/path/to/.env.production",
                    mono: true,
                    ..Opts::default()
                },
                move |s| {
                    s.environments
                        .get(i)
                        .map(|e| e.env_file.clone())
                        .unwrap_or_default()
                },
                move |s, v| {
                    if let Some(e) = s.environments.get_mut(i) {
                        e.env_file = v;
                    }
                },
            );
            let remove = remove_button(form, "environments", i, "environment", move |s| {
                if i < s.environments.len() {
                    s.environments.remove(i);
                }
            });
            row_group(
                form,
                format!("environments.{i}"),
                format!("Environment {}", i + 1),
                view! { (kind) (base_url) (env_file) (remove) },
            )
        },
    );
    let add = add_button(
        form,
        "Add environment",
        "add-environment",
        "environments",
        |s| {
            let has_production = s
                .environments
                .iter()
                .any(|e| e.kind == EnvironmentKind::Production);
            s.environments.push(Environment {
                kind: if has_production {
                    EnvironmentKind::Staging
                } else {
                    EnvironmentKind::Production
                },
                base_url: String::new(),
                env_file: String::new(),
            });
        },
    );
    section(
        "environments",
        "Environments",
        "Where each environment is served. Endpoint paths are relative to these base URLs; env files let Handover compare production with staging.",
        view! {
            (list)
            (field_error(form, "environments".to_string()))
            (add)
        },
    )
}
