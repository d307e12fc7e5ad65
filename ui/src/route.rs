//! The window's routes and the sidebar entries that lead to them.

use sycamore_router::Route;

/// Every page of the window. Paths are real URLs, so back/forward work.
#[derive(Route, Debug, Clone, Copy, PartialEq, Eq)]
pub enum Page {
    /// The products being prepared for launch.
    #[to("/")]
    Projects,
    /// The seven-stage launch audit.
    #[to("/checklist")]
    Checklist,
    /// Live checks against the real product.
    #[to("/checks")]
    LiveChecks,
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
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
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
    pub fn title(self) -> &'static str {
        MAIN_NAV
            .iter()
            .chain(std::iter::once(&ABOUT_NAV))
            .find(|entry| entry.page == self)
            .map_or("Not found", |entry| entry.label)
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
    fn sidebar_labels_are_unique() {
        let mut labels: Vec<_> = MAIN_NAV.iter().map(|e| e.label).collect();
        labels.sort_unstable();
        labels.dedup();
        assert_eq!(labels.len(), MAIN_NAV.len());
    }
}
