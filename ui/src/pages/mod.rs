//! One module per page of the window.

mod about;
mod empty;

use sycamore::prelude::*;

use crate::route::Page;

/// The view for a route.
pub fn render(page: Page) -> View {
    match page {
        Page::Projects => empty::blank(&empty::PROJECTS),
        Page::Checklist => empty::blank(&empty::CHECKLIST),
        Page::LiveChecks => empty::blank(&empty::LIVE_CHECKS),
        Page::Accounts => empty::blank(&empty::ACCOUNTS),
        Page::History => empty::blank(&empty::HISTORY),
        Page::Export => empty::blank(&empty::EXPORT),
        Page::About => view! { about::About() },
        Page::NotFound => empty::blank(&empty::NOT_FOUND),
    }
}
