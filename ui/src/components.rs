//! Small building blocks shared by the pages.

use sycamore::prelude::*;

/// What a page shows when it has nothing yet: a title, what will appear here
/// and, where the feature is not built yet, plainly saying so.
#[component(inline_props)]
pub fn EmptyState(
    /// A short headline, e.g. "No projects yet".
    title: &'static str,
    /// What this page will hold once there is data.
    body: &'static str,
    /// An honest note about what is not available yet; empty for none.
    note: &'static str,
) -> View {
    view! {
        section(class="empty-state", role="status") {
            div(class="empty-state__mark", aria-hidden="true")
            h2(class="empty-state__title") { (title) }
            p(class="empty-state__body") { (body) }
            (if note.is_empty() {
                view! {}
            } else {
                view! { p(class="empty-state__note") { (note) } }
            })
        }
    }
}

/// A page heading with a one-line description under it.
#[component(inline_props)]
pub fn PageHeader(
    /// The page title.
    title: &'static str,
    /// One line under the title.
    lede: &'static str,
) -> View {
    view! {
        header(class="page-header") {
            h1(class="page-header__title", id="page-title") { (title) }
            p(class="page-header__lede") { (lede) }
        }
    }
}
