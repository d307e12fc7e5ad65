//! A small WebDriver client for driving the app through tauri-driver.
//!
//! Only what the e2e tests use: sessions, CSS lookups, clicks, text,
//! attributes and screenshots, each over plain JSON-over-HTTP.

use std::net::TcpListener;
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use base64::Engine;
use serde_json::{json, Value};

/// The W3C key under which a found element's id is returned.
const ELEMENT_KEY: &str = "element-6066-11e4-a52e-4f735466cecf";

/// How long to wait for tauri-driver to start listening.
const DRIVER_START: Duration = Duration::from_secs(30);

/// A running tauri-driver; killed when dropped.
pub struct Driver {
    child: Child,
    /// Base URL, e.g. `http://127.0.0.1:4444`.
    pub url: String,
}

impl Driver {
    /// Starts tauri-driver (from `$TAURI_DRIVER` or `PATH`) on free ports.
    /// `env` is passed through to the app it launches.
    pub fn start(env: &[(&str, &Path)]) -> Self {
        let program = std::env::var_os("TAURI_DRIVER").unwrap_or_else(|| "tauri-driver".into());
        let (port, native_port) = (free_port(), free_port());
        let mut cmd = Command::new(&program);
        cmd.args([
            "--port",
            &port.to_string(),
            "--native-port",
            &native_port.to_string(),
        ])
        .stdout(Stdio::null());
        for (key, value) in env {
            cmd.env(key, value);
        }
        let child = cmd.spawn().unwrap_or_else(|e| {
            panic!("cannot start {program:?} (install it with `cargo xtask setup`): {e}")
        });
        let driver = Self {
            child,
            url: format!("http://127.0.0.1:{port}"),
        };
        let deadline = Instant::now() + DRIVER_START;
        while ureq::get(&format!("{}/status", driver.url)).call().is_err() {
            assert!(
                Instant::now() < deadline,
                "tauri-driver did not listen within {DRIVER_START:?}"
            );
            std::thread::sleep(Duration::from_millis(100));
        }
        driver
    }

    /// Opens a session that launches `application` in a real window.
    pub fn session(&self, application: &Path) -> Session {
        let caps = json!({
            "capabilities": {
                "alwaysMatch": {
                    "browserName": "wry",
                    "tauri:options": { "application": application }
                }
            }
        });
        let answer = send("POST", &format!("{}/session", self.url), Some(caps));
        let id = answer["sessionId"]
            .as_str()
            .unwrap_or_else(|| panic!("no session id in {answer}"))
            .to_string();
        Session {
            base: format!("{}/session/{id}", self.url),
        }
    }
}

impl Drop for Driver {
    fn drop(&mut self) {
        let group = format!("-{}", self.child.id());
        let _ = Command::new("kill").args(["-KILL", "--", &group]).status();
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// One WebDriver session: one running app window.
pub struct Session {
    base: String,
}

/// A found DOM element.
#[derive(Debug, Clone)]
pub struct Element(String);

impl Session {
    /// The first element matching `css`, if any.
    pub fn find(&self, css: &str) -> Option<Element> {
        let body = json!({ "using": "css selector", "value": css });
        let answer = try_send("POST", &format!("{}/element", self.base), Some(body)).ok()?;
        answer[ELEMENT_KEY]
            .as_str()
            .map(|id| Element(id.to_string()))
    }

    /// Waits up to `limit` for an element matching `css`.
    pub fn wait_for(&self, css: &str, limit: Duration) -> Element {
        let deadline = Instant::now() + limit;
        loop {
            if let Some(found) = self.find(css) {
                return found;
            }
            assert!(
                Instant::now() < deadline,
                "no element matched {css:?} within {limit:?}"
            );
            std::thread::sleep(Duration::from_millis(100));
        }
    }

    /// Waits up to `limit` until the element matching `css` has exactly `text`.
    pub fn wait_for_text(&self, css: &str, text: &str, limit: Duration) {
        let deadline = Instant::now() + limit;
        let mut last = String::new();
        loop {
            if let Some(found) = self.find(css) {
                last = self.text(&found);
                if last == text {
                    return;
                }
            }
            assert!(
                Instant::now() < deadline,
                "{css:?} read {last:?}, not {text:?}, after {limit:?}"
            );
            std::thread::sleep(Duration::from_millis(100));
        }
    }

    /// Waits up to `limit` until the element matching `css` has text that
    /// contains `part`; answers that text.
    /// The text is read in the page in one step, so an element the page
    /// re-renders meanwhile is read again, not reported as stale.
    pub fn wait_for_text_containing(&self, css: &str, part: &str, limit: Duration) -> String {
        let deadline = Instant::now() + limit;
        let mut last = String::new();
        let script = format!(
            "const e = document.querySelector({}); return e ? e.innerText : null;",
            serde_json::to_string(css).expect("a selector is JSON")
        );
        loop {
            if let Some(text) = self.execute(&script).as_str() {
                last = text.to_owned();
                if last.contains(part) {
                    return last;
                }
            }
            assert!(
                Instant::now() < deadline,
                "{css:?} read {last:?}, which lacks {part:?}, after {limit:?}"
            );
            std::thread::sleep(Duration::from_millis(100));
        }
    }

    /// Every element matching `css`, in document order.
    pub fn find_all(&self, css: &str) -> Vec<Element> {
        let body = json!({ "using": "css selector", "value": css });
        let answer = send("POST", &format!("{}/elements", self.base), Some(body));
        answer
            .as_array()
            .map(|list| {
                list.iter()
                    .filter_map(|e| e[ELEMENT_KEY].as_str())
                    .map(|id| Element(id.to_string()))
                    .collect()
            })
            .unwrap_or_default()
    }

    /// Waits up to `limit` until `css` matches an element whose `name`
    /// attribute equals `value`. Read in the page in one step, so an element
    /// the page re-renders meanwhile is read again, not reported as stale.
    pub fn wait_for_attribute(&self, css: &str, name: &str, value: &str, limit: Duration) {
        let deadline = Instant::now() + limit;
        let script = format!(
            "const e = document.querySelector({}); return e ? e.getAttribute({}) : null;",
            serde_json::to_string(css).expect("a selector is JSON"),
            serde_json::to_string(name).expect("a name is JSON")
        );
        loop {
            let last = self.execute(&script).as_str().map(str::to_owned);
            if last.as_deref() == Some(value) {
                return;
            }
            assert!(
                Instant::now() < deadline,
                "{css:?} had {name}={last:?}, not {value:?}, after {limit:?}"
            );
            std::thread::sleep(Duration::from_millis(100));
        }
    }

    /// Waits up to `limit` until nothing matches `css`.
    pub fn wait_for_gone(&self, css: &str, limit: Duration) {
        let deadline = Instant::now() + limit;
        while self.find(css).is_some() {
            assert!(
                Instant::now() < deadline,
                "{css:?} still present after {limit:?}"
            );
            std::thread::sleep(Duration::from_millis(100));
        }
    }

    /// An element's DOM property (e.g. an input's current `value`).
    pub fn property(&self, element: &Element, name: &str) -> Option<String> {
        let url = format!("{}/element/{}/property/{name}", self.base, element.0);
        send("GET", &url, None).as_str().map(str::to_string)
    }

    /// Types `text` into an element (an input or textarea), as a user would.
    pub fn type_into(&self, element: &Element, text: &str) {
        send(
            "POST",
            &format!("{}/element/{}/value", self.base, element.0),
            Some(json!({ "text": text })),
        );
    }

    /// Empties an input or textarea.
    pub fn clear(&self, element: &Element) {
        send(
            "POST",
            &format!("{}/element/{}/clear", self.base, element.0),
            Some(json!({})),
        );
    }

    /// Presses and releases each key of `keys` on whatever has focus.
    pub fn press(&self, keys: &str) {
        let actions: Vec<Value> = keys
            .chars()
            .flat_map(|c| {
                let key = c.to_string();
                [
                    json!({"type": "keyDown", "value": key}),
                    json!({"type": "keyUp", "value": key}),
                ]
            })
            .collect();
        let body = json!({ "actions": [{ "type": "key", "id": "keyboard", "actions": actions }] });
        send("POST", &format!("{}/actions", self.base), Some(body));
    }

    /// Clicks the element matching `css`, finding it again if the page
    /// re-rendered it between lookup and click, for up to `limit`.
    pub fn click_on(&self, css: &str, limit: Duration) {
        let deadline = Instant::now() + limit;
        loop {
            let outcome = match self.find(css) {
                Some(found) => {
                    let clicked = try_send(
                        "POST",
                        &format!("{}/element/{}/click", self.base, found.0),
                        Some(json!({})),
                    )
                    .map(drop);
                    if clicked
                        .as_ref()
                        .is_err_and(|e| e.contains("not interactable"))
                    {
                        // WebKit's driver scrolls the page, not a nested scroll container.
                        self.scroll_into_view(&found);
                    }
                    clicked
                }
                None => Err("no such element".to_string()),
            };
            match outcome {
                Ok(()) => return,
                Err(why) if Instant::now() >= deadline => {
                    let shot =
                        Path::new(env!("CARGO_MANIFEST_DIR")).join("target/e2e/failed-click.png");
                    self.screenshot(&shot);
                    panic!(
                        "could not click {css:?} within {limit:?}: {why} (screenshot {})",
                        shot.display()
                    );
                }
                Err(_) => {}
            }
            std::thread::sleep(Duration::from_millis(100));
        }
    }

    /// Scrolls an element to the middle of its scroll container.
    pub fn scroll_into_view(&self, element: &Element) {
        let body = json!({
            "script": "arguments[0].scrollIntoView({block: 'center'});",
            "args": [{ ELEMENT_KEY: element.0 }],
        });
        let _ = try_send("POST", &format!("{}/execute/sync", self.base), Some(body));
    }

    /// Runs a script in the page and returns its result.
    pub fn execute(&self, script: &str) -> Value {
        let body = json!({ "script": script, "args": [] });
        send("POST", &format!("{}/execute/sync", self.base), Some(body))
    }

    /// Clicks an element.
    pub fn click(&self, element: &Element) {
        send(
            "POST",
            &format!("{}/element/{}/click", self.base, element.0),
            Some(json!({})),
        );
    }

    /// An element's rendered text.
    pub fn text(&self, element: &Element) -> String {
        let answer = send(
            "GET",
            &format!("{}/element/{}/text", self.base, element.0),
            None,
        );
        answer.as_str().unwrap_or_default().to_string()
    }

    /// An element's attribute, `None` when absent.
    pub fn attribute(&self, element: &Element, name: &str) -> Option<String> {
        let url = format!("{}/element/{}/attribute/{name}", self.base, element.0);
        send("GET", &url, None).as_str().map(str::to_string)
    }

    /// The page title.
    pub fn title(&self) -> String {
        send("GET", &format!("{}/title", self.base), None)
            .as_str()
            .unwrap_or_default()
            .to_string()
    }

    /// Waits until the page has painted its current DOM: two animation
    /// frames, since WebKit paints after the DOM changes, not with it. A
    /// page that swaps its document meanwhile (a route or a loaded view)
    /// loses the script's answer ("Could not parse script result"): the
    /// wait is then made again, a few times at most.
    pub fn settle(&self) {
        let script = "const done = arguments[arguments.length - 1];\
                      requestAnimationFrame(() => requestAnimationFrame(() => done(true)));";
        let url = format!("{}/execute/async", self.base);
        let mut last = String::new();
        for _ in 0..3 {
            let body = json!({ "script": script, "args": [] });
            match try_send("POST", &url, Some(body)) {
                Ok(_) => return,
                Err(err) if err.contains("Could not parse script result") => last = err,
                Err(err) => panic!("POST {url}: {err}"),
            }
            std::thread::sleep(Duration::from_millis(100));
        }
        panic!("POST {url}: {last}");
    }

    /// A PNG of the window once it has painted, saved to `path`.
    pub fn screenshot(&self, path: &Path) -> usize {
        self.settle();
        let answer = send("GET", &format!("{}/screenshot", self.base), None);
        let png = base64::engine::general_purpose::STANDARD
            .decode(answer.as_str().expect("screenshot is base64 text"))
            .expect("screenshot decodes");
        if let Some(parent) = path.parent() {
            std::fs::create_dir_all(parent).unwrap();
        }
        std::fs::write(path, &png).unwrap();
        png.len()
    }
}

impl Drop for Session {
    fn drop(&mut self) {
        let _ = try_send("DELETE", &self.base, None);
    }
}

/// A TCP port nobody is listening on right now.
fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .map(|a| a.port())
        .expect("a free loopback port")
}

fn send(method: &str, url: &str, body: Option<Value>) -> Value {
    try_send(method, url, body).unwrap_or_else(|e| panic!("{method} {url}: {e}"))
}

/// One WebDriver call; returns the `value` member or the driver's error text.
fn try_send(method: &str, url: &str, body: Option<Value>) -> Result<Value, String> {
    let request = ureq::request(method, url).timeout(Duration::from_secs(60));
    let response = match body {
        Some(body) => request.send_json(body),
        None => request.call(),
    };
    match response {
        Ok(ok) => {
            let answer: Value = ok.into_json().map_err(|e| e.to_string())?;
            Ok(answer["value"].clone())
        }
        Err(ureq::Error::Status(code, bad)) => {
            let answer: Value = bad.into_json().unwrap_or(Value::Null);
            Err(format!(
                "HTTP {code}: {} {}",
                answer["value"]["error"], answer["value"]["message"]
            ))
        }
        Err(other) => Err(other.to_string()),
    }
}
