//! The events the backend sends on its own (`window.__TAURI__.event`):
//! a subscription lasts until it is dropped.

use std::cell::RefCell;
use std::rc::Rc;

use handover_model::{event, RunsChanged};
use wasm_bindgen::prelude::*;

#[wasm_bindgen]
extern "C" {
    /// `window.__TAURI__.event.listen`: resolves to the function that stops
    /// listening.
    #[wasm_bindgen(js_namespace = ["window", "__TAURI__", "event"], js_name = listen, catch)]
    async fn tauri_listen(event: &str, handler: &js_sys::Function) -> Result<JsValue, JsValue>;
}

#[derive(Default)]
struct Listening {
    /// The backend's "stop listening", once it has answered.
    unlisten: Option<js_sys::Function>,
    /// Dropped: the handler is not called any more.
    dropped: bool,
}

/// A live subscription to an event; dropping it stops listening.
pub struct Subscription(Rc<RefCell<Listening>>);

impl Drop for Subscription {
    fn drop(&mut self) {
        let mut state = self.0.borrow_mut();
        state.dropped = true;
        if let Some(stop) = state.unlisten.take() {
            let _ = stop.call0(&JsValue::NULL);
        }
    }
}

/// Calls `handler` each time the tray or the timer stores a run.
pub fn on_runs_changed(handler: impl Fn(RunsChanged) + 'static) -> Subscription {
    let state = Rc::new(RefCell::new(Listening::default()));
    let live = state.clone();
    // Owned by JavaScript from here on: a late event finds a handler that
    // does nothing rather than a freed closure.
    let callback = Closure::<dyn Fn(JsValue)>::new(move |raw: JsValue| {
        if live.borrow().dropped {
            return;
        }
        let payload =
            js_sys::Reflect::get(&raw, &JsValue::from_str("payload")).unwrap_or(JsValue::UNDEFINED);
        match serde_wasm_bindgen::from_value::<RunsChanged>(payload) {
            Ok(changed) => handler(changed),
            Err(err) => web_sys::console::warn_1(
                &format!("Handover: a runs-changed event was not understood: {err}").into(),
            ),
        }
    })
    .into_js_value();
    let pending = state.clone();
    wasm_bindgen_futures::spawn_local(async move {
        match tauri_listen(event::RUNS_CHANGED, callback.unchecked_ref()).await {
            Ok(stop) => {
                let stop = stop.dyn_into::<js_sys::Function>().ok();
                let mut state = pending.borrow_mut();
                if state.dropped {
                    if let Some(stop) = stop {
                        let _ = stop.call0(&JsValue::NULL);
                    }
                } else {
                    state.unlisten = stop;
                }
            }
            Err(err) => web_sys::console::warn_1(
                &format!(
                    "Handover: new runs from the tray will not refresh this page: {}",
                    super::describe_js_error(&err)
                )
                .into(),
            ),
        }
    });
    Subscription(state)
}
