//! Credentials against the real OS keychain (gnome-keyring's Secret Service
//! in `cargo xtask test`), the self-clearing clipboard on a real X display,
//! and the canary: a secret entered through the commands appears nowhere
//! but the keychain and the one reveal answer.

use std::io::Write;
use std::path::Path;
use std::sync::{Arc, Mutex, OnceLock};
use std::time::Duration;

use handover_app::clipboard::Clipboard;
use handover_app::state::AppState;
use handover_core::{DataDir, Vault};
use handover_model::{command, Account, Credential, ErrorCode, PasteScan, Project, Revealed};
use serde_json::{json, Value};
use tauri::test::{mock_builder, mock_context, noop_assets};

use crate::shell::invoke;
use crate::support::keychain::{items_under, service_of};

type App = tauri::App<tauri::test::MockRuntime>;

/// Every log line of this test process (installed once, shared by all tests).
fn captured_logs() -> &'static Arc<Mutex<Vec<u8>>> {
    static LOGS: OnceLock<Arc<Mutex<Vec<u8>>>> = OnceLock::new();
    LOGS.get_or_init(|| {
        let buffer = Arc::new(Mutex::new(Vec::new()));
        let sink = buffer.clone();
        let _ = tracing_subscriber::fmt()
            .with_max_level(tracing::Level::TRACE)
            .with_writer(move || LogSink(sink.clone()))
            .try_init();
        buffer
    })
}

struct LogSink(Arc<Mutex<Vec<u8>>>);

impl Write for LogSink {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.0.lock().unwrap().extend_from_slice(buf);
        Ok(buf.len())
    }
    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

fn real_app(dir: &Path, clear_after: Duration) -> App {
    captured_logs();
    let state = AppState::new(
        DataDir::at(dir).unwrap(),
        dir.join("handover.db"),
        Vault::native(),
    )
    .with_clipboard(Clipboard::new(clear_after));
    handover_app::with_handover(mock_builder(), state)
        .build(mock_context(noop_assets()))
        .expect("the app builds on the mock runtime")
}

/// Calls a command and returns the raw JSON answer (or the error as JSON).
fn raw(app: &App, cmd: &str, request: Value) -> Result<Value, Value> {
    invoke(app, cmd, json!({ "request": request })).map(|body| body.deserialize().unwrap())
}

/// A value no test data could contain by accident.
fn canary(tag: &str) -> String {
    use std::hash::BuildHasher;
    let noise = std::collections::hash_map::RandomState::new().hash_one((tag, std::process::id()));
    format!("Cnry{tag}{noise:016x}Zq9")
}

fn setup(app: &App, name: &str) -> (Project, Account) {
    let project: Project = serde_json::from_value(
        raw(
            app,
            command::PROJECT_SAVE,
            json!({"id": null, "spec": {"name": name, "apex": "example.com"}}),
        )
        .unwrap(),
    )
    .unwrap();
    let account: Account = serde_json::from_value(
        raw(
            app,
            command::ACCOUNT_SAVE,
            json!({"project_id": project.id, "id": null, "spec": {
                "kind": "dns", "provider": "Cloudflare", "login_url": "https://dash.cloudflare.com",
                "owner": {"name": "Dana", "email": "dana@example.com"}}}),
        )
        .unwrap(),
    )
    .unwrap();
    (project, account)
}

#[test]
#[ignore = "needs a Secret Service: run `cargo xtask test`"]
fn credentials_live_in_the_real_keychain_and_go_with_their_account() {
    let dir = tempfile::tempdir().unwrap();
    let app = real_app(dir.path(), Duration::from_secs(30));
    let (_, account) = setup(&app, "Keychain");
    let first = canary("first");
    let saved: Credential = serde_json::from_value(
        raw(
            &app,
            command::CREDENTIAL_SAVE,
            json!({"account_id": account.id, "credential_id": null,
            "kind": "password", "label": "root password", "secret": first}),
        )
        .unwrap(),
    )
    .unwrap();
    let service = service_of(&dir.path().join("handover.db"), Some(account.id));
    assert_eq!(
        items_under(&service),
        1,
        "one Secret Service item under {service}"
    );

    let shown: Revealed = serde_json::from_value(
        raw(
            &app,
            command::CREDENTIAL_REVEAL,
            json!({"credential_id": saved.id}),
        )
        .unwrap(),
    )
    .unwrap();
    assert_eq!(shown.secret.expose(), first);

    // Rotation replaces the value in place.
    let second = canary("second");
    let _ = raw(
        &app,
        command::CREDENTIAL_SAVE,
        json!({"account_id": account.id, "credential_id": saved.id,
        "kind": "password", "label": "root password", "secret": second}),
    )
    .unwrap();
    let shown: Revealed = serde_json::from_value(
        raw(
            &app,
            command::CREDENTIAL_REVEAL,
            json!({"credential_id": saved.id}),
        )
        .unwrap(),
    )
    .unwrap();
    assert_eq!(shown.secret.expose(), second);
    assert_eq!(items_under(&service), 1);

    // A new app process over the same database and keychain still finds it.
    drop(app);
    let app = real_app(dir.path(), Duration::from_secs(30));
    let shown: Revealed = serde_json::from_value(
        raw(
            &app,
            command::CREDENTIAL_REVEAL,
            json!({"credential_id": saved.id}),
        )
        .unwrap(),
    )
    .unwrap();
    assert_eq!(shown.secret.expose(), second);

    let _ = raw(&app, command::ACCOUNT_DELETE, json!({"id": account.id})).unwrap();
    assert_eq!(
        items_under(&service),
        0,
        "deleting the account deleted its entry"
    );
    let err = raw(
        &app,
        command::CREDENTIAL_REVEAL,
        json!({"credential_id": saved.id}),
    )
    .unwrap_err();
    assert_eq!(err["code"], json!(ErrorCode::NotFound.as_str()));
}

#[test]
#[ignore = "needs a Secret Service: run `cargo xtask test`"]
fn a_canary_secret_appears_only_in_the_keychain_and_the_reveal() {
    let dir = tempfile::tempdir().unwrap();
    let app = real_app(dir.path(), Duration::from_secs(30));
    let typed = canary("typed");
    let pasted = canary("pasted");
    let mut answers: Vec<(String, Value)> = Vec::new();
    let mut call = |cmd: &str, request: Value| {
        let answer = raw(&app, cmd, request).unwrap_or_else(|e| panic!("{cmd}: {e}"));
        answers.push((cmd.to_string(), answer.clone()));
        answer
    };

    let (project, account) = setup(&app, "Canary");
    let saved: Credential = serde_json::from_value(call(
        command::CREDENTIAL_SAVE,
        json!({"account_id": account.id, "credential_id": null, "kind": "api_key",
               "label": "deploy token", "secret": typed}),
    ))
    .unwrap();
    // The chat-thread flow: scan a paste, then store what it found.
    let thread = format!("Sam 10:02 the API password: {pasted}\nthanks!");
    let scan: PasteScan =
        serde_json::from_value(call(command::PASTE_SCAN, json!({"text": thread}))).unwrap();
    assert_eq!(scan.candidates.len(), 1);
    let found = &thread[scan.candidates[0].start..scan.candidates[0].end];
    assert_eq!(found, pasted);
    call(
        command::CREDENTIAL_SAVE,
        json!({"account_id": account.id, "credential_id": null, "kind": scan.candidates[0].kind,
               "label": scan.candidates[0].suggested_label, "secret": found}),
    );
    for (cmd, request) in [
        (command::ACCOUNTS_GET, json!({"project_id": project.id})),
        (command::OVERVIEW_GET, json!({"project_id": project.id})),
        (command::PROJECT_LIST, json!({})),
        (command::PROJECT_GET, json!({"id": project.id})),
        (command::ITEMS_GET, json!({"project_id": project.id})),
        (
            command::ITEM_HISTORY,
            json!({"project_id": project.id, "item_id": null}),
        ),
    ] {
        call(cmd, request);
    }
    let revealed = raw(
        &app,
        command::CREDENTIAL_REVEAL,
        json!({"credential_id": saved.id}),
    )
    .unwrap();
    assert_eq!(
        revealed["secret"],
        json!(typed),
        "the reveal is the one answer that carries it"
    );
    drop(app);

    let secrets = [typed.as_str(), pasted.as_str()];
    let contains = |haystack: &[u8]| {
        secrets
            .iter()
            .any(|s| haystack.windows(s.len()).any(|w| w == s.as_bytes()))
    };
    for (cmd, answer) in &answers {
        assert!(
            !contains(answer.to_string().as_bytes()),
            "{cmd} answered with a secret"
        );
    }
    for suffix in ["", "-wal", "-shm"] {
        let path = dir.path().join(format!("handover.db{suffix}"));
        if let Ok(bytes) = std::fs::read(&path) {
            assert!(!contains(&bytes), "{} holds a secret", path.display());
        }
    }
    let logs = captured_logs().lock().unwrap().clone();
    assert!(
        String::from_utf8_lossy(&logs).contains("credential stored in the keychain"),
        "the log capture works"
    );
    assert!(!contains(&logs), "a secret reached the log");

    // The JSON export, by the real binary, with its log output.
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_handover"))
        .args(["export", "Canary"])
        .env("HANDOVER_DATA_DIR", dir.path())
        .env("HANDOVER_LOG", "trace")
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let export = String::from_utf8_lossy(&out.stdout);
    assert!(
        export.contains("deploy token") && export.contains("\"format\": \"handover-export/1\"")
    );
    assert!(
        !contains(&out.stdout) && !contains(&out.stderr),
        "the export or its log holds a secret"
    );
    println!(
        "canary: {} answers, database files, {} bytes of logs and a {}-byte export are free of both secrets",
        answers.len(),
        logs.len(),
        out.stdout.len()
    );
}

#[test]
#[ignore = "needs an X display: run `cargo xtask test`"]
fn a_copied_secret_leaves_the_clipboard_unless_something_replaced_it() {
    let dir = tempfile::tempdir().unwrap();
    let app = real_app(dir.path(), Duration::from_millis(800));
    let (_, account) = setup(&app, "Clipboard");
    let secret = canary("clip");
    let saved: Credential = serde_json::from_value(
        raw(
            &app,
            command::CREDENTIAL_SAVE,
            json!({"account_id": account.id, "credential_id": null,
            "kind": "password", "label": "pw", "secret": secret}),
        )
        .unwrap(),
    )
    .unwrap();
    let mut board = arboard::Clipboard::new().expect("an X display");

    let copied = raw(
        &app,
        command::CREDENTIAL_COPY,
        json!({"credential_id": saved.id}),
    )
    .unwrap();
    assert_eq!(copied, json!({"clears_after_s": 0}));
    assert_eq!(board.get_text().unwrap(), secret);
    std::thread::sleep(Duration::from_millis(1500));
    assert_ne!(
        board.get_text().unwrap_or_default(),
        secret,
        "cleared after the delay"
    );

    let _ = raw(
        &app,
        command::CREDENTIAL_COPY,
        json!({"credential_id": saved.id}),
    )
    .unwrap();
    board.set_text("the user's own text").unwrap();
    std::thread::sleep(Duration::from_millis(1500));
    assert_eq!(
        board.get_text().unwrap(),
        "the user's own text",
        "not ours: left alone"
    );
}
