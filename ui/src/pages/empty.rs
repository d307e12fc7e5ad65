//! Pages whose features are still to come, and empty states: each says what
//! it will hold and that it is empty, rather than pretending to have data.

use sycamore::prelude::*;

use crate::components::{EmptyState, PageHeader};

/// Shown on every page whose feature is not built yet.
const NOT_YET: &str = "This part of Handover is not built yet in this version.";

/// The words of one not-yet-built page.
pub struct Blank {
    title: &'static str,
    lede: &'static str,
    empty_title: &'static str,
    body: &'static str,
    unbuilt: bool,
}

/// The seven-stage launch audit.
pub const CHECKLIST: Blank = Blank {
    title: "Checklist",
    lede: "Quick audit, stability baseline, security, performance, observability, production deploy, handover.",
    empty_title: "No checklist to walk yet",
    body: "Create a project on the Projects page first. Its launch audit then appears here stage by stage, with the items that block launch ranked first.",
    unbuilt: false,
};

/// Live checks against the product.
pub const LIVE_CHECKS: Blank = Blank {
    title: "Live checks",
    lede: "DNS, TLS, redirects, security headers, CORS, caching, email authentication and latency, measured live.",
    empty_title: "No checks have run",
    body: "Create a project on the Projects page first. Its live checks then run from here, and their findings appear grouped by host and by stage, with the evidence behind each finding.",
    unbuilt: false,
};

/// Account ownership and credentials, before there is a project.
pub const ACCOUNTS: Blank = Blank {
    title: "Accounts",
    lede: "Who owns DNS, Cloudflare, hosting, email and monitoring; credentials stay in the OS keychain.",
    empty_title: "No accounts recorded",
    body: "Create a project on the Projects page first. Each of its accounts then lists its owner, backup owner, 2FA method and where recovery codes live. Secrets are written only to the keychain, never to Handover's database.",
    unbuilt: false,
};

/// Secrets and env hygiene, before there is a project.
pub const SECRETS: Blank = Blank {
    title: "Secrets & env",
    lede: "Leaked keys in the repository, the build output and the deployed site; env parity; tokens and personal data in logs.",
    empty_title: "Nothing scanned yet",
    body: "Create a project on the Projects page first, with its repository folder and build output. Its secrets are then found here by rule and place, never shown in full, and staging is compared with production without showing a value.",
    unbuilt: false,
};

/// The chatbot evaluation, before there is a project.
pub const EVAL: Blank = Blank {
    title: "Eval",
    lede: "Hallucinated policy, prompt injection, system-prompt leaks and personal data in answers, tested against the chat endpoint.",
    empty_title: "Nothing evaluated yet",
    body: "Create a project on the Projects page first. Its chatbot is then asked a set of cases (a starter set for internal-ops bots, or your own) several times each, and every answer is judged by what it must and must not say, with a canary to catch system-prompt leaks.",
    unbuilt: false,
};

/// Past runs and their differences.
pub const HISTORY: Blank = Blank {
    title: "History",
    lede: "Every run and weekly recheck, and what changed since the last one.",
    empty_title: "No history yet",
    body: "Create a project on the Projects page first. After its first run, each recheck is listed here with the findings that appeared, got worse, were resolved or could not be checked, and charts of its numbers over time.",
    unbuilt: false,
};

/// The handover report.
pub const EXPORT: Blank = Blank {
    title: "Export",
    lede: "A handover PDF that opens with what to watch this week.",
    empty_title: "Nothing to export yet",
    body: "Create a project on the Projects page first. Its report then gathers the go/no-go verdict, open blockers, account owners and the watch list for the people taking over, as a PDF, Markdown or JSON.",
    unbuilt: false,
};

/// Any path that is not a page.
pub const NOT_FOUND: Blank = Blank {
    title: "Not found",
    lede: "That page does not exist.",
    empty_title: "Nothing here",
    body: "Use the sidebar to go to a page.",
    unbuilt: false,
};

/// Renders a page that has nothing to show yet.
pub fn blank(page: &'static Blank) -> View {
    view! {
        PageHeader(title=page.title, lede=page.lede)
        EmptyState(
            title=page.empty_title,
            body=page.body,
            note=if page.unbuilt { NOT_YET } else { "" },
        )
    }
}
