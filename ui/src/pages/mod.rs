//! One module per page of the window.

mod about;
pub mod accounts;
mod checklist;
mod checks;
mod demo;
mod empty;
mod eval;
mod export;
mod history;
mod overview;
mod picker;
mod project_files;
pub mod project_form;
mod projects;
mod secrets;
mod walkthrough;

use sycamore::prelude::*;

use crate::route::Page;

/// Which page component is mounted. Moving between stages of one
/// walkthrough keeps the same screen, so the page stays and only the stage
/// changes; anything else mounts a fresh page.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Screen {
    Projects,
    NewProject,
    EditProject(i64),
    Overview(i64),
    WalkStart(i64),
    Walk(i64),
    ProjectAccounts(i64),
    ProjectChecks(i64),
    ProjectExport(i64),
    ProjectHistory(i64),
    ProjectSecrets(i64),
    Secrets,
    ProjectEval(i64),
    Eval,
    Checklist,
    LiveChecks,
    Accounts,
    History,
    Export,
    About,
    NotFound,
}

impl Screen {
    fn of(page: &Page) -> Self {
        match page {
            Page::Projects => Screen::Projects,
            Page::NewProject => Screen::NewProject,
            Page::EditProject { id } => Screen::EditProject(*id),
            Page::Overview { id } => Screen::Overview(*id),
            Page::WalkStart { id } => Screen::WalkStart(*id),
            Page::Walk { id, .. } => Screen::Walk(*id),
            Page::ProjectAccounts { id } => Screen::ProjectAccounts(*id),
            Page::ProjectChecks { id } => Screen::ProjectChecks(*id),
            Page::ProjectExport { id } => Screen::ProjectExport(*id),
            Page::ProjectHistory { id } => Screen::ProjectHistory(*id),
            Page::ProjectSecrets { id } => Screen::ProjectSecrets(*id),
            Page::Secrets => Screen::Secrets,
            Page::ProjectEval { id } => Screen::ProjectEval(*id),
            Page::Eval => Screen::Eval,
            Page::Checklist => Screen::Checklist,
            Page::LiveChecks => Screen::LiveChecks,
            Page::Accounts => Screen::Accounts,
            Page::History => Screen::History,
            Page::Export => Screen::Export,
            Page::About => Screen::About,
            Page::NotFound => Screen::NotFound,
        }
    }
}

/// The view for the current route.
pub fn render(route: ReadSignal<Page>) -> View {
    let screen = create_selector(move || route.with(Screen::of));
    let stage = create_selector(move || route.with(Page::walk_stage));
    View::from_dynamic(move || {
        let screen = screen.get();
        untrack(|| match screen {
            Screen::Projects => view! { projects::Projects() },
            Screen::NewProject => view! { project_form::NewProject() },
            Screen::EditProject(id) => view! { project_form::EditProject(id=id) },
            Screen::Overview(id) => view! { overview::Overview(id=id) },
            Screen::WalkStart(id) => view! { walkthrough::WalkStart(id=id) },
            Screen::Walk(id) => view! { walkthrough::Walkthrough(id=id, stage=stage) },
            Screen::Checklist => view! { picker::ProjectPicker(destination=&checklist::CHECKLIST) },
            Screen::LiveChecks => view! { picker::ProjectPicker(destination=&checks::CHECKS) },
            Screen::ProjectChecks(id) => view! { checks::ProjectChecks(id=id) },
            Screen::ProjectAccounts(id) => view! { accounts::ProjectAccounts(id=id) },
            Screen::Accounts => view! { picker::ProjectPicker(destination=&accounts::ACCOUNTS) },
            Screen::History => view! { picker::ProjectPicker(destination=&history::HISTORY) },
            Screen::ProjectHistory(id) => view! { history::ProjectHistory(id=id) },
            Screen::Secrets => view! { picker::ProjectPicker(destination=&secrets::SECRETS) },
            Screen::ProjectSecrets(id) => view! { secrets::ProjectSecrets(id=id) },
            Screen::Eval => view! { picker::ProjectPicker(destination=&eval::EVAL) },
            Screen::ProjectEval(id) => view! { eval::ProjectEval(id=id) },
            Screen::Export => view! { picker::ProjectPicker(destination=&export::EXPORT) },
            Screen::ProjectExport(id) => view! { export::ProjectExport(id=id) },
            Screen::About => view! { about::About() },
            Screen::NotFound => empty::blank(&empty::NOT_FOUND),
        })
    })
}
