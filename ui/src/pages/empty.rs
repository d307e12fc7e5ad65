//! Pages whose features are still to come: each says what it will hold and
//! that it is empty, rather than pretending to have data.

use sycamore::prelude::*;

use crate::components::{EmptyState, PageHeader};

/// Shown until project setup exists.
const NOT_YET: &str = "This part of Handover is not built yet in this version.";

/// The list of products being prepared for launch.
#[component]
pub fn Projects() -> View {
    view! {
        PageHeader(title="Projects", lede="Each project is one product: its domains, key endpoints and launch targets.")
        EmptyState(
            title="No projects yet",
            body="A project names the product's apex domain, subdomains and key endpoints (homepage, login, chat, API health, webhook). The audit, live checks and handover report all start from it.",
            note=NOT_YET,
        )
    }
}

/// The seven-stage launch audit.
#[component]
pub fn Checklist() -> View {
    view! {
        PageHeader(title="Checklist", lede="Quick audit, stability baseline, security, performance, observability, production deploy, handover.")
        EmptyState(
            title="No checklist to walk yet",
            body="Once a project exists, its launch audit appears here stage by stage, with the items that block launch ranked first.",
            note=NOT_YET,
        )
    }
}

/// Live checks against the product.
#[component]
pub fn LiveChecks() -> View {
    view! {
        PageHeader(title="Live checks", lede="DNS, TLS, redirects, security headers, CORS, caching, email authentication and latency, measured live.")
        EmptyState(
            title="No checks have run",
            body="Runs and their findings appear here, grouped by host and by stage, with the evidence behind each finding.",
            note=NOT_YET,
        )
    }
}

/// Account ownership and credentials.
#[component]
pub fn Accounts() -> View {
    view! {
        PageHeader(title="Accounts", lede="Who owns DNS, Cloudflare, hosting, email and monitoring; credentials stay in the OS keychain.")
        EmptyState(
            title="No accounts recorded",
            body="Each account lists its owner, backup owner, 2FA method and where recovery codes live. Secrets are written only to the keychain, never to Handover's database.",
            note=NOT_YET,
        )
    }
}

/// Past runs and their differences.
#[component]
pub fn History() -> View {
    view! {
        PageHeader(title="History", lede="Every run and weekly recheck, and what changed since the last one.")
        EmptyState(
            title="No history yet",
            body="After the first run, each recheck is listed here with the findings that appeared, disappeared or changed severity.",
            note=NOT_YET,
        )
    }
}

/// The handover report.
#[component]
pub fn Export() -> View {
    view! {
        PageHeader(title="Export", lede="A handover PDF that opens with what to watch this week.")
        EmptyState(
            title="Nothing to export yet",
            body="The report gathers the go/no-go verdict, open blockers, account owners and the watch list for the people taking over.",
            note=NOT_YET,
        )
    }
}

/// Any path that is not a page.
#[component]
pub fn NotFound() -> View {
    view! {
        PageHeader(title="Not found", lede="That page does not exist.")
        EmptyState(
            title="Nothing here",
            body="Use the sidebar to go to a page.",
        )
    }
}
