//! The window's routes and the sidebar entries that lead to them.

use sycamore_router::Route;

/// Every page of the window. Paths are real URLs, so back/forward work.
#[derive(Route, Debug, Clone, PartialEq, Eq)]
pub enum Page {
    /// The products being prepared for launch.
    #[to("/")]
    Projects,
    /// The form for a new project.
    #[to("/projects/new")]
    NewProject,
    /// One project's verdict, progress and open items.
    #[to("/projects/<id>")]
    Overview {
        /// Project id.
        id: i64,
    },
    /// The form for an existing project.
    #[to("/projects/<id>/edit")]
    EditProject {
        /// Project id.
        id: i64,
    },
    /// A project's walkthrough, at its saved position or its first stage.
    #[to("/projects/<id>/walk")]
    WalkStart {
        /// Project id.
        id: i64,
    },
    /// A project's accounts, alert contacts and credentials.
    #[to("/projects/<id>/accounts")]
    ProjectAccounts {
        /// Project id.
        id: i64,
    },
    /// A project's live checks: run them, watch them, read their findings.
    #[to("/projects/<id>/checks")]
    ProjectChecks {
        /// Project id.
        id: i64,
    },
    /// A project's handover report: preview and export.
    #[to("/projects/<id>/export")]
    ProjectExport {
        /// Project id.
        id: i64,
    },
    /// A project's history: what changed, charts, the weekly recheck.
    #[to("/projects/<id>/history")]
    ProjectHistory {
        /// Project id.
        id: i64,
    },
    /// A project's secrets, env parity and log hygiene.
    #[to("/projects/<id>/secrets")]
    ProjectSecrets {
        /// Project id.
        id: i64,
    },
    /// A project's chatbot evaluation: the set, the canary, runs and results.
    #[to("/projects/<id>/eval")]
    ProjectEval {
        /// Project id.
        id: i64,
    },
    /// One stage of a project's walkthrough.
    #[to("/projects/<id>/walk/<stage>")]
    Walk {
        /// Project id.
        id: i64,
        /// Stage id, e.g. `quick-audit`.
        stage: String,
    },
    /// The seven-stage launch audit.
    #[to("/checklist")]
    Checklist,
    /// Live checks against the real product.
    #[to("/checks")]
    LiveChecks,
    /// Leaked keys, env parity and log hygiene.
    #[to("/secrets")]
    Secrets,
    /// The chatbot's evaluation set and its runs.
    #[to("/eval")]
    Eval,
    /// Who owns which account; credentials live in the keychain.
    #[to("/accounts")]
    Accounts,
    /// Past runs and what changed between them.
    #[to("/history")]
    History,
    /// The handover PDF.
    #[to("/export")]
    Export,
    /// Version, data directory and keychain status.
    #[to("/about")]
    About,
    /// Anything else.
    #[not_found]
    NotFound,
}

/// One entry of the sidebar.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NavEntry {
    /// The page it opens.
    pub page: Page,
    /// Its label.
    pub label: &'static str,
    /// Its URL path.
    pub path: &'static str,
    /// A short hint shown as a tooltip.
    pub hint: &'static str,
}

/// The main sidebar, top to bottom.
pub const MAIN_NAV: &[NavEntry] = &[
    NavEntry {
        page: Page::Projects,
        label: "Projects",
        path: "/",
        hint: "Products you are preparing for launch",
    },
    NavEntry {
        page: Page::Checklist,
        label: "Checklist",
        path: "/checklist",
        hint: "The seven-stage launch audit",
    },
    NavEntry {
        page: Page::LiveChecks,
        label: "Live checks",
        path: "/checks",
        hint: "DNS, TLS, headers, CORS and more, run live",
    },
    NavEntry {
        page: Page::Secrets,
        label: "Secrets & env",
        path: "/secrets",
        hint: "Leaked keys, env parity and log hygiene",
    },
    NavEntry {
        page: Page::Eval,
        label: "Eval",
        path: "/eval",
        hint: "Hallucinated policy, prompt injection and leaks, tested",
    },
    NavEntry {
        page: Page::Accounts,
        label: "Accounts",
        path: "/accounts",
        hint: "Who owns DNS, hosting, email and monitoring",
    },
    NavEntry {
        page: Page::History,
        label: "History",
        path: "/history",
        hint: "Past runs and what changed",
    },
    NavEntry {
        page: Page::Export,
        label: "Export",
        path: "/export",
        hint: "The handover PDF",
    },
];

/// The entry pinned to the bottom of the sidebar.
pub const ABOUT_NAV: NavEntry = NavEntry {
    page: Page::About,
    label: "About",
    path: "/about",
    hint: "Version, data directory and keychain status",
};

impl Page {
    /// The page's title, used for the heading and the window title.
    pub fn title(&self) -> &'static str {
        match self {
            Page::NewProject => "New project",
            Page::EditProject { .. } => "Edit project",
            Page::Overview { .. } => "Overview",
            Page::WalkStart { .. } | Page::Walk { .. } => "Walkthrough",
            Page::ProjectAccounts { .. } => "Accounts",
            Page::ProjectChecks { .. } => "Live checks",
            Page::ProjectExport { .. } => "Export",
            Page::ProjectHistory { .. } => "History",
            Page::ProjectSecrets { .. } => "Secrets & env",
            Page::ProjectEval { .. } => "Eval",
            other => MAIN_NAV
                .iter()
                .chain(std::iter::once(&ABOUT_NAV))
                .find(|entry| entry.page == *other)
                .map_or("Not found", |entry| entry.label),
        }
    }

    /// The sidebar entry this page sits under: project pages under
    /// Projects, the walkthrough under Checklist, a project's accounts under
    /// Accounts.
    pub fn section(&self) -> Page {
        match self {
            Page::NewProject | Page::EditProject { .. } | Page::Overview { .. } => Page::Projects,
            Page::WalkStart { .. } | Page::Walk { .. } => Page::Checklist,
            Page::ProjectAccounts { .. } => Page::Accounts,
            Page::ProjectChecks { .. } => Page::LiveChecks,
            Page::ProjectExport { .. } => Page::Export,
            Page::ProjectHistory { .. } => Page::History,
            Page::ProjectSecrets { .. } => Page::Secrets,
            Page::ProjectEval { .. } => Page::Eval,
            other => other.clone(),
        }
    }

    /// The stage shown, when this is a walkthrough page.
    pub fn walk_stage(&self) -> Option<String> {
        match self {
            Page::Walk { stage, .. } => Some(stage.clone()),
            _ => None,
        }
    }
}

/// URL paths of the project pages, built in one place.
pub mod path {
    /// The new-project form.
    pub const NEW_PROJECT: &str = "/projects/new";

    /// A project's Overview.
    pub fn overview(id: i64) -> String {
        format!("/projects/{id}")
    }

    /// A project's edit form.
    pub fn edit(id: i64) -> String {
        format!("/projects/{id}/edit")
    }

    /// A project's walkthrough, wherever it was left.
    pub fn walk_start(id: i64) -> String {
        format!("/projects/{id}/walk")
    }

    /// A project's accounts and access.
    pub fn accounts(id: i64) -> String {
        format!("/projects/{id}/accounts")
    }

    /// A project's live checks.
    pub fn checks(id: i64) -> String {
        format!("/projects/{id}/checks")
    }

    /// A project's handover report.
    pub fn export(id: i64) -> String {
        format!("/projects/{id}/export")
    }

    /// A project's history.
    pub fn history(id: i64) -> String {
        format!("/projects/{id}/history")
    }

    /// A project's secrets and env hygiene.
    pub fn secrets(id: i64) -> String {
        format!("/projects/{id}/secrets")
    }

    /// A project's chatbot evaluation.
    pub fn eval(id: i64) -> String {
        format!("/projects/{id}/eval")
    }

    /// One stage of a project's walkthrough.
    pub fn walk(id: i64, stage_id: &str) -> String {
        format!("/projects/{id}/walk/{stage_id}")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(path: &str) -> Page {
        Page::default().match_path(path)
    }

    #[test]
    fn every_sidebar_path_opens_its_own_page() {
        for entry in MAIN_NAV.iter().chain(std::iter::once(&ABOUT_NAV)) {
            assert_eq!(parse(entry.path), entry.page, "{}", entry.path);
        }
    }

    #[test]
    fn unknown_paths_are_not_found() {
        assert_eq!(parse("/nope"), Page::NotFound);
        assert_eq!(Page::NotFound.title(), "Not found");
    }

    #[test]
    fn project_paths_round_trip() {
        assert_eq!(parse(path::NEW_PROJECT), Page::NewProject);
        assert_eq!(parse(&path::overview(7)), Page::Overview { id: 7 });
        assert_eq!(parse(&path::edit(7)), Page::EditProject { id: 7 });
        assert_eq!(parse(&path::walk_start(7)), Page::WalkStart { id: 7 });
        assert_eq!(parse(&path::accounts(7)), Page::ProjectAccounts { id: 7 });
        assert_eq!(parse(&path::checks(7)), Page::ProjectChecks { id: 7 });
        assert_eq!(parse(&path::history(7)), Page::ProjectHistory { id: 7 });
        assert_eq!(parse(&path::secrets(7)), Page::ProjectSecrets { id: 7 });
        assert_eq!(Page::ProjectSecrets { id: 7 }.section(), Page::Secrets);
        assert_eq!(Page::ProjectSecrets { id: 7 }.title(), "Secrets & env");
        assert_eq!(Page::Secrets.title(), "Secrets & env");
        assert_eq!(parse(&path::eval(7)), Page::ProjectEval { id: 7 });
        assert_eq!(parse("/eval"), Page::Eval);
        assert_eq!(Page::ProjectEval { id: 7 }.section(), Page::Eval);
        assert_eq!(Page::ProjectEval { id: 7 }.title(), "Eval");
        assert_eq!(Page::Eval.title(), "Eval");
        assert_eq!(
            parse(&path::walk(7, "security-hardening")),
            Page::Walk {
                id: 7,
                stage: "security-hardening".to_string()
            }
        );
    }

    #[test]
    fn malformed_project_paths_are_not_found() {
        assert_eq!(parse("/projects/abc"), Page::NotFound);
        assert_eq!(parse("/projects/7/nope"), Page::NotFound);
        assert_eq!(parse("/projects/7/walk/a/b"), Page::NotFound);
    }

    #[test]
    fn project_pages_sit_under_their_sidebar_entry() {
        assert_eq!(Page::NewProject.section(), Page::Projects);
        assert_eq!(Page::Overview { id: 1 }.section(), Page::Projects);
        assert_eq!(Page::EditProject { id: 1 }.section(), Page::Projects);
        let walk = Page::Walk {
            id: 1,
            stage: "handover".to_string(),
        };
        assert_eq!(walk.section(), Page::Checklist);
        assert_eq!(walk.walk_stage().as_deref(), Some("handover"));
        assert_eq!(Page::About.section(), Page::About);
        assert_eq!(Page::ProjectAccounts { id: 1 }.section(), Page::Accounts);
        assert_eq!(Page::ProjectChecks { id: 1 }.section(), Page::LiveChecks);
        assert_eq!(Page::ProjectHistory { id: 1 }.section(), Page::History);
        assert_eq!(Page::ProjectHistory { id: 1 }.title(), "History");
        assert_eq!(Page::Overview { id: 1 }.walk_stage(), None);
    }

    #[test]
    fn project_pages_have_titles() {
        assert_eq!(Page::NewProject.title(), "New project");
        assert_eq!(Page::EditProject { id: 2 }.title(), "Edit project");
        assert_eq!(Page::Overview { id: 2 }.title(), "Overview");
        assert_eq!(Page::WalkStart { id: 2 }.title(), "Walkthrough");
        assert_eq!(Page::Projects.title(), "Projects");
        assert_eq!(Page::ProjectAccounts { id: 2 }.title(), "Accounts");
        assert_eq!(Page::ProjectChecks { id: 2 }.title(), "Live checks");
    }

    #[test]
    fn sidebar_labels_are_unique() {
        let mut labels: Vec<_> = MAIN_NAV.iter().map(|e| e.label).collect();
        labels.sort_unstable();
        labels.dedup();
        assert_eq!(labels.len(), MAIN_NAV.len());
    }
}
