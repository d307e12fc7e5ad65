//! One module per page of the window.

mod about;
mod empty;

use sycamore::prelude::*;

use crate::route::Page;

/// The view for a route.
pub fn render(page: Page) -> View {
    match page {
        Page::Projects => view! { empty::Projects() },
        Page::Checklist => view! { empty::Checklist() },
        Page::LiveChecks => view! { empty::LiveChecks() },
        Page::Accounts => view! { empty::Accounts() },
        Page::History => view! { empty::History() },
        Page::Export => view! { empty::Export() },
        Page::About => view! { about::About() },
        Page::NotFound => view! { empty::NotFound() },
    }
}
