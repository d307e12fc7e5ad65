//! Thin wrappers over the few browser APIs the pages use directly: timers,
//! focus and the element that has it.

use wasm_bindgen::JsCast;

/// The `value` of the input, textarea or select an event came from.
pub fn event_value(ev: &web_sys::Event) -> String {
    ev.target()
        .and_then(|t| js_sys::Reflect::get(&t, &wasm_bindgen::JsValue::from_str("value")).ok())
        .and_then(|v| v.as_string())
        .unwrap_or_default()
}

/// Goes to `path` once the current task is over. Navigating replaces the
/// page, so doing it from inside the page's own loading task (or an event
/// of a page about to go away) would pull the ground from under it.
pub fn go(path: String) {
    sycamore::futures::spawn_local(async move {
        sycamore_router::navigate(&path);
    });
}

/// Like [`go`], replacing the current history entry, and only if the user
/// is still on `from` (they may have moved on while it loaded).
pub fn go_replace(from: String, path: String) {
    sycamore::futures::spawn_local(async move {
        let here = web_sys::window().and_then(|w| w.location().pathname().ok());
        if here.as_deref() == Some(from.as_str()) {
            sycamore_router::navigate_replace(&path);
        }
    });
}

/// Waits `ms` milliseconds without blocking the window (a `setTimeout` promise).
pub async fn sleep(ms: i32) {
    let promise = js_sys::Promise::new(&mut |resolve, _reject| {
        if let Some(window) = web_sys::window() {
            let _ = window.set_timeout_with_callback_and_timeout_and_arguments_0(&resolve, ms);
        }
    });
    let _ = wasm_bindgen_futures::JsFuture::from(promise).await;
}

/// The element with this id, if it is an HTML element on the page.
pub fn element(id: &str) -> Option<web_sys::HtmlElement> {
    web_sys::window()?
        .document()?
        .get_element_by_id(id)?
        .dyn_into::<web_sys::HtmlElement>()
        .ok()
}

/// Scrolls the element with this id (a scroll container) back to its top.
pub fn scroll_to_top(id: &str) {
    if let Some(el) = element(id) {
        el.set_scroll_top(0);
    }
}

/// Moves keyboard focus to the element with this id, if it exists.
pub fn focus(id: &str) {
    if let Some(el) = element(id) {
        let _ = el.focus();
    }
}

/// Moves focus to the first element matching a CSS selector; false if none.
pub fn focus_first(selector: &str) -> bool {
    let found = web_sys::window()
        .and_then(|w| w.document())
        .and_then(|d| d.query_selector(selector).ok().flatten())
        .and_then(|e| e.dyn_into::<web_sys::HtmlElement>().ok());
    match found {
        Some(el) => el.focus().is_ok(),
        None => false,
    }
}

/// The element that has focus, if any (not the body).
pub fn active_element() -> Option<web_sys::Element> {
    let doc = web_sys::window()?.document()?;
    let active = doc.active_element()?;
    match doc.body() {
        Some(body) if body.is_same_node(Some(&active)) => None,
        _ => Some(active),
    }
}

/// Whether typing into `el` edits text: text-like inputs, textareas,
/// selects and editable content. Keyboard shortcuts stay out of these.
pub fn is_text_field(el: &web_sys::Element) -> bool {
    let tag = el.tag_name().to_ascii_lowercase();
    let input_type = el.get_attribute("type").unwrap_or_default();
    let editable = el
        .dyn_ref::<web_sys::HtmlElement>()
        .is_some_and(|h| h.is_content_editable());
    is_text_entry(&tag, &input_type, editable)
}

/// Takes focus away from the focused element (e.g. Escape in a text field).
pub fn blur_active() {
    if let Some(el) = active_element().and_then(|e| e.dyn_into::<web_sys::HtmlElement>().ok()) {
        let _ = el.blur();
    }
}

/// Whether the focused element sits inside the element with this id.
pub fn focus_within(id: &str) -> bool {
    match (active_element(), element(id)) {
        (Some(active), Some(container)) => container.contains(Some(&active)),
        _ => false,
    }
}

/// Whether an element with this tag (lower case), `type` attribute and
/// editability takes typed text. Buttons, checkboxes and radios do not.
pub fn is_text_entry(tag: &str, input_type: &str, content_editable: bool) -> bool {
    if content_editable {
        return true;
    }
    match tag {
        "textarea" | "select" => true,
        "input" => !matches!(
            input_type.to_ascii_lowercase().as_str(),
            "button"
                | "checkbox"
                | "radio"
                | "submit"
                | "reset"
                | "range"
                | "color"
                | "file"
                | "image"
        ),
        _ => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn text_entry_covers_typing_elements_only() {
        assert!(is_text_entry("input", "", false));
        assert!(is_text_entry("input", "text", false));
        assert!(is_text_entry("input", "URL", false));
        assert!(is_text_entry("input", "number", false));
        assert!(is_text_entry("textarea", "", false));
        assert!(is_text_entry("select", "", false));
        assert!(is_text_entry("div", "", true));
        assert!(!is_text_entry("input", "checkbox", false));
        assert!(!is_text_entry("input", "radio", false));
        assert!(!is_text_entry("button", "button", false));
        assert!(!is_text_entry("a", "", false));
    }
}
