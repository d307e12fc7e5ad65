//! # Brief overview
//!
//! The Handover window: a Sycamore app compiled to wasm. It reaches the
//! backend only through [`ipc`], with types from `handover-model`.

mod browser;
mod components;
mod format;
mod ipc;
mod labels;
mod pages;
mod route;
mod shell;

fn main() {
    // A panic in wasm is otherwise a bare "unreachable": say what happened.
    std::panic::set_hook(Box::new(|info| {
        web_sys::console::error_1(&format!("Handover UI panicked: {info}").into());
    }));
    let Some(root) = web_sys::window()
        .and_then(|w| w.document())
        .and_then(|d| d.get_element_by_id("app"))
    else {
        return;
    };
    root.set_text_content(None);
    root.set_class_name("app-root");
    let _ = root.remove_attribute("aria-busy");
    sycamore::render_to(shell::App, &root);
}
