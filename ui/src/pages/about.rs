//! Version, data directory and keychain status, all fetched from the backend.

use handover_model::{AppInfo, CommandError, KeychainStatus};
use sycamore::prelude::*;
use sycamore::web::Suspense;

use crate::components::PageHeader;
use crate::ipc;

/// The About panel.
#[component]
pub fn About() -> View {
    view! {
        PageHeader(title="About", lede="What is running, where its data lives, and whether credentials can be stored.")
        Suspense(fallback=|| view! { p(class="loading", role="status") { "Asking the backend…" } }) {
            AboutFacts()
        }
    }
}

#[component]
async fn AboutFacts() -> View {
    match ipc::app_info().await {
        Ok(info) => facts(info),
        Err(err) => failure(err),
    }
}

fn facts(info: AppInfo) -> View {
    let (badge_class, badge_text, keychain) = match info.keychain {
        KeychainStatus::Available { store } => ("badge badge--ok", "Ready", store),
        KeychainStatus::Locked { store, detail } => {
            ("badge badge--warn", "Locked", format!("{store}: {detail}"))
        }
        KeychainStatus::Unavailable { detail } => ("badge badge--bad", "Unavailable", detail),
    };
    let database = match info.database_problem {
        None => view! { span(class="mono") { (info.database) } },
        Some(problem) => view! {
            span(class="badge badge--bad", data-testid="about-database-problem") { "Unavailable" }
            " "
            span { (problem) }
        },
    };
    view! {
        dl(class="facts", data-testid="about-facts") {
            div(class="facts__row") {
                dt { "Application" }
                dd(data-testid="about-name") { (info.name) }
            }
            div(class="facts__row") {
                dt { "Version" }
                dd(data-testid="about-version") { (info.version) }
            }
            div(class="facts__row") {
                dt { "Data directory" }
                dd(class="mono", data-testid="about-data-dir") { (info.data_dir) }
            }
            div(class="facts__row") {
                dt { "Database" }
                dd(data-testid="about-database") {
                    (database)
                }
            }
            div(class="facts__row") {
                dt { "Platform" }
                dd(data-testid="about-platform") { (info.platform) }
            }
            div(class="facts__row") {
                dt { "Keychain" }
                dd(data-testid="about-keychain") {
                    span(class=badge_class, data-testid="about-keychain-state") { (badge_text) }
                    " "
                    span { (keychain) }
                }
            }
        }
    }
}

fn failure(err: CommandError) -> View {
    view! {
        div(class="alert alert--bad", role="alert", data-testid="about-error") {
            p(class="alert__title") { "The backend did not answer" }
            p { (err.message) }
            p(class="alert__code mono") { (err.code.as_str()) }
        }
    }
}
