//! The form's later sections: CORS origins, email, latency targets,
//! internal network, paths and notes.

use handover_model::{EndpointRole, LatencyTarget, LegacyUrl};
use sycamore::prelude::*;

use super::fields::{
    add_button, field_error, number_field, remove_button, rows, select_field, string_list,
    text_field, Opts,
};
use super::sections::{row_group, section, simple};
use super::Form;

/// Origins the API must accept.
pub fn cors(form: Form) -> View {
    let list = string_list(
        form,
        "cors_origins",
        "origin",
        "https://app.example.com",
        |s| &s.cors_origins,
        |s| &mut s.cors_origins,
    );
    section(
        "cors",
        "CORS origins",
        "The browser origins your API must accept, scheme and host included.",
        list,
    )
}

/// Old addresses that must redirect to their new place.
pub fn legacy(form: Form) -> View {
    let side = move |i: usize, to: bool| {
        let (field, label, placeholder) = if to {
            ("to", "New address", "/pricing")
        } else {
            ("from", "Old address", "/pricing-2024")
        };
        text_field(
            form,
            format!("legacy_urls.{i}.{field}"),
            label.to_string(),
            Opts {
                placeholder,
                mono: true,
                ..Opts::default()
            },
            move |s| {
                s.legacy_urls
                    .get(i)
                    .map(|l| if to { l.to.clone() } else { l.from.clone() })
                    .unwrap_or_default()
            },
            move |s, v| {
                if let Some(l) = s.legacy_urls.get_mut(i) {
                    if to {
                        l.to = v;
                    } else {
                        l.from = v;
                    }
                }
            },
        )
    };
    let list = rows(
        form,
        "legacy_urls".to_string(),
        |s| s.legacy_urls.len(),
        move |i| {
            let (from, to) = (side(i, false), side(i, true));
            let remove = remove_button(form, "legacy_urls", i, "old address", move |s| {
                if i < s.legacy_urls.len() {
                    s.legacy_urls.remove(i);
                }
            });
            row_group(
                form,
                format!("legacy_urls.{i}"),
                format!("Old address {}", i + 1),
                view! { (from) (to) (remove) },
            )
        },
    );
    let add = add_button(
        form,
        "Add old address",
        "add-legacy-url",
        "legacy_urls",
        |s| {
            s.legacy_urls.push(LegacyUrl::default());
        },
    );
    section(
        "legacy",
        "Old addresses",
        "Links people and search engines still use: each must redirect to its new place, not answer 404. Paths are on the apex; full https:// addresses work too.",
        view! {
            (list)
            (field_error(form, "legacy_urls".to_string()))
            (add)
        },
    )
}

/// Sending domain and DKIM selectors.
pub fn email(form: Form) -> View {
    let domain = text_field(
        form,
        "email.sending_domain".to_string(),
        "Sending domain".to_string(),
        Opts {
            placeholder: "mail.example.com",
            hint: "The domain in the From address. Leave empty if the product sends no mail.",
            mono: true,
            ..Opts::default()
        },
        |s| s.email.sending_domain.clone(),
        |s, v| s.email.sending_domain = v,
    );
    let selectors = string_list(
        form,
        "email.dkim_selectors",
        "selector",
        "google",
        |s| &s.email.dkim_selectors,
        |s| &mut s.email.dkim_selectors,
    );
    section(
        "email",
        "Email",
        "Outgoing mail must pass SPF, DKIM and DMARC or it lands in spam.",
        view! {
            (domain)
            (field_error(form, "email".to_string()))
            h3(class="form-section__subtitle") { "DKIM selectors" }
            (selectors)
            (selectors_from_a_message(form))
        },
    )
}

/// p95 latency per endpoint role.
pub fn latency(form: Form) -> View {
    let roles: Vec<(EndpointRole, &'static str, &'static str)> = EndpointRole::ALL
        .into_iter()
        .map(|r| (r, r.as_str(), r.label()))
        .collect();
    let list = rows(
        form,
        "latency_targets".to_string(),
        |s| s.latency_targets.len(),
        move |i| {
            let role = select_field(
                form,
                format!("latency_targets.{i}.role"),
                "Endpoint role".to_string(),
                roles.clone(),
                move |s| {
                    s.latency_targets
                        .get(i)
                        .map_or(EndpointRole::Chat, |t| t.role)
                },
                move |s, r| {
                    if let Some(t) = s.latency_targets.get_mut(i) {
                        t.role = r;
                    }
                },
            );
            let ms = number_field(
                form,
                format!("latency_targets.{i}.p95_ms"),
                "p95 (ms)".to_string(),
                3_600_000,
                move |s| s.latency_targets.get(i).map_or(0, |t| t.p95_ms),
                move |s, n| {
                    if let Some(t) = s.latency_targets.get_mut(i) {
                        t.p95_ms = n;
                    }
                },
            );
            let remove = remove_button(form, "latency_targets", i, "latency target", move |s| {
                if i < s.latency_targets.len() {
                    s.latency_targets.remove(i);
                }
            });
            row_group(
                form,
                format!("latency_targets.{i}"),
                format!("Latency target {}", i + 1),
                view! { (role) (ms) (remove) },
            )
        },
    );
    let add = add_button(
        form,
        "Add target",
        "add-latency-target",
        "latency_targets",
        |s| {
            let defaults = LatencyTarget::defaults();
            let next = EndpointRole::ALL
                .into_iter()
                .find(|r| !s.latency_targets.iter().any(|t| t.role == *r))
                .unwrap_or(EndpointRole::Homepage);
            let p95_ms = defaults
                .iter()
                .find(|t| t.role == next)
                .map_or(1000, |t| t.p95_ms);
            s.latency_targets.push(LatencyTarget { role: next, p95_ms });
        },
    );
    section(
        "latency",
        "Latency targets",
        "The 95th-percentile response time each kind of request must stay under. Defaults: chat 2500 ms, login 800 ms, dashboard 1500 ms.",
        view! {
            (list)
            (field_error(form, "latency_targets".to_string()))
            (add)
        },
    )
}

/// DNS server and extra CA for internal or split-horizon setups.
pub fn network(form: Form) -> View {
    let dns = simple(
        form,
        "dns_server",
        "DNS server",
        Opts {
            placeholder: "10.0.0.2:53",
            hint: "ip[:port] of a resolver for internal names. Empty uses the system resolver.",
            mono: true,
            ..Opts::default()
        },
        |s| &s.dns_server,
        |s| &mut s.dns_server,
    );
    let ca = simple(
        form,
        "ca_file",
        "Extra CA file",
        Opts {
            placeholder: "/etc/ssl/internal-ca.pem",
            hint: "A PEM certificate trusted alongside the system roots.",
            mono: true,
            ..Opts::default()
        },
        |s| &s.ca_file,
        |s| &mut s.ca_file,
    );
    section(
        "network",
        "Internal network",
        "Only for products behind a private resolver or an internal certificate authority.",
        view! { div(class="field-pair") { (dns) (ca) } },
    )
}

/// Source repository and build output.
pub fn paths(form: Form) -> View {
    let repo = simple(
        form,
        "repo_path",
        "Repository",
        Opts {
            placeholder: "/home/me/src/acme",
            hint: "Scanned for committed secrets.",
            mono: true,
            ..Opts::default()
        },
        |s| &s.repo_path,
        |s| &mut s.repo_path,
    );
    let build = simple(
        form,
        "build_output",
        "Build output",
        Opts {
            placeholder: "/home/me/src/acme/dist",
            hint: "The bundle that ships to browsers, checked for leaked keys and size.",
            mono: true,
            ..Opts::default()
        },
        |s| &s.build_output,
        |s| &mut s.build_output,
    );
    section(
        "paths",
        "Paths",
        "Local folders Handover reads; nothing there is changed.",
        view! { div(class="field-pair") { (repo) (build) } },
    )
}

/// Free notes.
pub fn notes(form: Form) -> View {
    let notes = simple(
        form,
        "notes",
        "Notes",
        Opts {
            placeholder: "Anything the people taking over should know.",
            multiline: true,
            ..Opts::default()
        },
        |s| &s.notes,
        |s| &mut s.notes,
    );
    section("notes", "Notes", "Free text, kept with the project.", notes)
}

/// "Find them in a message": selectors cannot be listed from DNS, but every
/// message the product sent names its own. Pasted headers go to the core,
/// which reads each `DKIM-Signature`; those of the sending domain are added.
fn selectors_from_a_message(form: Form) -> View {
    let pasted = create_signal(String::new());
    let status: Signal<Option<String>> = create_signal(None);
    let read = move |_| {
        let headers = pasted.get_clone();
        sycamore::futures::spawn_local_scoped(async move {
            match crate::ipc::dkim_selectors_read(headers).await {
                Ok(found) => status.set(Some(add_found(form, &found))),
                Err(err) => status.set(Some(err.message)),
            }
        });
    };
    view! {
        details(class="form-section__fold", data-testid="dkim-from-message") {
            summary { "Find the selectors in a message you sent" }
            p(class="field__hint") {
                "Open a message the product sent (an invitation, a password reset), show its original \
                 headers, and paste them here. Nothing is kept."
            }
            textarea(class="field__input mono", rows="6", aria-label="Message headers",
                     data-testid="dkim-headers",
                     on:input=move |ev: web_sys::Event| pasted.set(crate::browser::event_value(&ev)))
            button(r#type="button", class="button", data-testid="dkim-read",
                   on:click=read) { "Read selectors" }
            p(class="field__hint", data-testid="dkim-status", aria-live="polite") {
                (status.get_clone().unwrap_or_default())
            }
        }
    }
}

/// Adds the sending domain's selectors from `found` and says what happened.
fn add_found(form: Form, found: &handover_model::DkimSelectorsFound) -> String {
    if found.signatures.is_empty() {
        return "No DKIM-Signature header in what you pasted.".to_string();
    }
    let domain = form
        .spec
        .with_untracked(|s| s.email.sending_domain.trim().to_ascii_lowercase());
    let mut added = Vec::new();
    let mut others = Vec::new();
    for sig in &found.signatures {
        let ours = domain.is_empty() || sig.domain.eq_ignore_ascii_case(&domain);
        let known = form
            .spec
            .with_untracked(|s| s.email.dkim_selectors.iter().any(|x| x == &sig.selector));
        if ours && !known && !added.contains(&sig.selector) {
            added.push(sig.selector.clone());
        } else if !ours {
            others.push(format!("{} ({})", sig.domain, sig.selector));
        }
    }
    if !added.is_empty() {
        let add = added.clone();
        form.edit("email.dkim_selectors", move |s| {
            s.email.dkim_selectors.extend(add);
        });
    }
    let mut text = if added.is_empty() {
        "No new selector for the sending domain.".to_string()
    } else {
        format!("Added {}.", added.join(", "))
    };
    if !others.is_empty() {
        text.push_str(&format!(
            " Also signed by {}: a signature for another domain does not align with DMARC.",
            others.join(", ")
        ));
    }
    text
}
