//! The app frame: sidebar on the left, the routed page on the right.

use sycamore::prelude::*;
use sycamore_router::{HistoryIntegration, Router};

use crate::pages;
use crate::route::{NavEntry, Page, ABOUT_NAV, MAIN_NAV};

/// The whole window.
#[component]
pub fn App() -> View {
    view! {
        Router(
            integration=HistoryIntegration::new(),
            view=|route: ReadSignal<Page>| {
                create_effect(move || {
                    if let Some(doc) = web_sys::window().and_then(|w| w.document()) {
                        doc.set_title(&format!("{} · Handover", route.with(Page::title)));
                    }
                });
                let page = pages::render(route);
                view! {
                    div(class="frame") {
                        Sidebar(current=route)
                        main(class="frame__main", id="main", aria-labelledby="page-title") {
                            (page)
                        }
                    }
                }
            }
        )
    }
}

/// The navigation column.
#[component(inline_props)]
fn Sidebar(current: ReadSignal<Page>) -> View {
    let links = MAIN_NAV
        .iter()
        .map(|entry| view! { NavLink(entry=entry.clone(), current=current) })
        .collect::<Vec<_>>();
    view! {
        nav(class="sidebar", aria-label="Main") {
            div(class="sidebar__brand") {
                img(class="sidebar__logo", src="/logo.png", alt="", width="28", height="28")
                span(class="sidebar__name") { "Handover" }
            }
            ul(class="sidebar__list") { (links) }
            ul(class="sidebar__list sidebar__list--bottom") {
                NavLink(entry=ABOUT_NAV, current=current)
            }
        }
    }
}

/// One sidebar link; marks itself as the current page.
#[component(inline_props)]
fn NavLink(entry: NavEntry, current: ReadSignal<Page>) -> View {
    let NavEntry {
        page,
        label,
        path,
        hint,
    } = entry;
    let is_current = create_selector(move || current.with(|now| now.section() == page));
    view! {
        li {
            a(
                class=move || if is_current.get() { "nav-link nav-link--current" } else { "nav-link" },
                href=path,
                title=hint,
                aria-current=move || is_current.get().then_some("page"),
                data-nav=path,
            ) { (label) }
        }
    }
}
