//! The walkthrough's keyboard at work: the document-wide key listener,
//! moving between items, and the help overlay.

use sycamore::prelude::*;
use wasm_bindgen::prelude::*;

use super::keys::{self, KeyAction};
use super::logic;
use super::state::Walk;
use crate::browser;

/// The key help, over the page while open.
pub fn help_overlay(w: Walk) -> View {
    view! {
        (move || w.help.get().then(|| untrack(|| {
            let rows = help_rows();
            view! {
                div(class="overlay", on:click=move |_| w.help.set(false)) {
                    div(
                        class="overlay__panel", role="dialog", aria-modal="true", aria-labelledby="keys-title",
                        data-testid="keys-help", on:click=|ev: web_sys::MouseEvent| ev.stop_propagation(),
                    ) {
                        h2(class="overlay__title", id="keys-title") { "Keyboard" }
                        p(class="overlay__lede") { "Keys work when the cursor is not in a text field." }
                        table(class="keys-table") { tbody { (rows) } }
                        button(r#type="button", class="button", id="keys-close", on:click=move |_| w.help.set(false)) { "Close" }
                    }
                }
            }
        })))
    }
}

fn help_rows() -> Vec<View> {
    keys::BINDINGS
        .iter()
        .map(|(key, what)| view! { tr { th(scope="row") { kbd { (*key) } } td { (*what) } } })
        .collect()
}

/// Listens for the walkthrough's keys on the whole document while it is shown.
pub fn install_keys(w: Walk) {
    let Some(doc) = web_sys::window().and_then(|win| win.document()) else {
        return;
    };
    // Run in the walkthrough's scope, as Sycamore's own handlers do.
    let handler =
        Closure::<dyn FnMut(web_sys::KeyboardEvent)>::new(move |ev: web_sys::KeyboardEvent| {
            w.scope.run_in(|| on_key(w, &ev));
        });
    let _ = doc.add_event_listener_with_callback("keydown", handler.as_ref().unchecked_ref());
    on_cleanup(move || {
        let _ =
            doc.remove_event_listener_with_callback("keydown", handler.as_ref().unchecked_ref());
        drop(handler);
    });
}

fn on_key(w: Walk, ev: &web_sys::KeyboardEvent) {
    if ev.default_prevented() || ev.is_composing() {
        return;
    }
    let in_text = browser::active_element().is_some_and(|el| browser::is_text_field(&el));
    let mods = keys::Mods {
        ctrl: ev.ctrl_key(),
        meta: ev.meta_key(),
        alt: ev.alt_key(),
    };
    let Some(action) = keys::action(&ev.key(), mods, in_text) else {
        return;
    };
    if w.help.get_untracked() && !matches!(action, KeyAction::ToggleHelp | KeyAction::CloseHelp) {
        return;
    }
    ev.prevent_default();
    match action {
        KeyAction::NextItem => step_item(w, 1),
        KeyAction::PrevItem => step_item(w, -1),
        KeyAction::SetStatus(status) => w.set_status(status),
        KeyAction::FocusOwner => browser::focus("owner"),
        KeyAction::NextStage => w.go_stage(1),
        KeyAction::PrevStage => w.go_stage(-1),
        KeyAction::ToggleHelp => {
            w.help.set(!w.help.get_untracked());
            if w.help.get_untracked() {
                browser::focus("keys-close");
            }
        }
        KeyAction::CloseHelp => w.help.set(false),
        KeyAction::LeaveField => browser::blur_active(),
        KeyAction::Save => w.save(),
    }
}

/// Selects the next or previous item; keeps focus and view on it.
fn step_item(w: Walk, step: isize) {
    let ids = w.stage_item_ids();
    let current = w.selected.get_clone_untracked();
    let Some(next) = logic::neighbour(&ids, current.as_deref(), step) else {
        return;
    };
    let focus_in_list = browser::focus_within("item-list");
    w.select(next.clone());
    let row_id = format!("item-{next}");
    if focus_in_list {
        browser::focus(&row_id);
    } else if let Some(row) = browser::element(&row_id) {
        let options = web_sys::ScrollIntoViewOptions::new();
        options.set_block(web_sys::ScrollLogicalPosition::Nearest);
        row.scroll_into_view_with_scroll_into_view_options(&options);
    }
}
