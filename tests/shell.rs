//! The shell's IPC commands, called the way the window calls them, on Tauri's
//! mock runtime; and the headless CLI.

use std::sync::Arc;

use handover_app::state::AppState;
use handover_core::{DataDir, Vault};
use handover_model::{command, AppInfo, KeychainStatus};
use serde_json::json;
use tauri::ipc::{CallbackFn, InvokeBody};
use tauri::test::{get_ipc_response, mock_builder, mock_context, noop_assets, INVOKE_KEY};
use tauri::webview::InvokeRequest;

pub(crate) fn mock_app(data_dir: &std::path::Path) -> tauri::App<tauri::test::MockRuntime> {
    let store: Arc<keyring_core::CredentialStore> = keyring_core::mock::Store::new().unwrap();
    let state = AppState::new(
        DataDir::at(data_dir).unwrap(),
        data_dir.join("handover.db"),
        Vault::with_store("mock store", store),
    );
    handover_app::with_handover(mock_builder(), state)
        .build(mock_context(noop_assets()))
        .expect("the app builds on the mock runtime")
}

pub(crate) fn invoke(
    app: &tauri::App<tauri::test::MockRuntime>,
    cmd: &str,
    body: serde_json::Value,
) -> Result<tauri::ipc::InvokeResponseBody, serde_json::Value> {
    use tauri::Manager;
    let webview = match app.get_webview_window("main") {
        Some(window) => window,
        None => tauri::WebviewWindowBuilder::new(app, "main", Default::default())
            .build()
            .unwrap(),
    };
    get_ipc_response(
        &webview,
        InvokeRequest {
            cmd: cmd.into(),
            callback: CallbackFn(0),
            error: CallbackFn(1),
            url: "tauri://localhost".parse().unwrap(),
            body: InvokeBody::Json(body),
            headers: Default::default(),
            invoke_key: INVOKE_KEY.to_string(),
        },
    )
}

#[test]
fn app_info_answers_with_version_data_dir_and_keychain() {
    let dir = tempfile::tempdir().unwrap();
    let app = mock_app(dir.path());
    let info: AppInfo = invoke(&app, command::APP_INFO, json!({ "request": {} }))
        .expect("app_info succeeds")
        .deserialize()
        .unwrap();
    assert_eq!(info.name, "Handover");
    assert_eq!(info.version, env!("CARGO_PKG_VERSION"));
    assert_eq!(info.data_dir, dir.path().display().to_string());
    assert_eq!(
        info.keychain,
        KeychainStatus::Available {
            store: "mock store".into()
        }
    );
}

#[test]
fn a_request_without_its_struct_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    let app = mock_app(dir.path());
    let err = invoke(&app, command::APP_INFO, json!({})).expect_err("missing request");
    let text = err.to_string();
    assert!(
        text.contains("request"),
        "error names the missing argument: {text}"
    );
}

#[test]
fn cli_info_prints_the_same_facts_as_json() {
    let dir = tempfile::tempdir().unwrap();
    let output = std::process::Command::new(env!("CARGO_BIN_EXE_handover"))
        .args(["info", "--json"])
        .env("HANDOVER_DATA_DIR", dir.path())
        .output()
        .unwrap();
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    let info: AppInfo = serde_json::from_slice(&output.stdout).unwrap();
    assert_eq!(info.version, env!("CARGO_PKG_VERSION"));
    assert_eq!(info.data_dir, dir.path().display().to_string());
}

#[test]
fn cli_refuses_a_relative_data_dir() {
    let output = std::process::Command::new(env!("CARGO_BIN_EXE_handover"))
        .args(["info", "--data-dir", "relative/dir"])
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(stderr.contains("must be an absolute path"), "{stderr}");
}

#[test]
fn a_bare_log_level_leaves_dependencies_quiet() {
    use handover_app::log_directives;
    assert_eq!(
        log_directives(None),
        "warn,handover=info,handover_app=info,handover_core=info"
    );
    assert_eq!(
        log_directives(Some("debug")),
        "warn,handover=debug,handover_app=debug,handover_core=debug"
    );
    assert_eq!(
        log_directives(Some("debug, hickory_resolver=trace")),
        "warn,handover=debug,handover_app=debug,handover_core=debug,hickory_resolver=trace"
    );
}

#[cfg(unix)]
#[test]
fn the_data_directory_database_and_exports_are_the_owners_only() {
    use std::os::unix::fs::PermissionsExt;
    let mode = |p: &std::path::Path| std::fs::metadata(p).unwrap().permissions().mode() & 0o777;
    let parent = tempfile::tempdir().unwrap();
    let dir = parent.path().join("data");
    let run = |args: &[&str]| {
        std::process::Command::new(env!("CARGO_BIN_EXE_handover"))
            .arg("--data-dir")
            .arg(&dir)
            .args(args)
            .output()
            .unwrap()
    };
    assert!(run(&["info"]).status.success());
    assert_eq!(mode(&dir), 0o700);
    assert_eq!(mode(&dir.join("handover.db")), 0o600);
    let file = parent.path().join("p.toml");
    std::fs::write(&file, "name = \"P\"\napex = \"example.com\"\n").unwrap();
    assert!(run(&["project", "import", file.to_str().unwrap()])
        .status
        .success());
    let export = parent.path().join("export.json");
    assert!(run(&["export", "P", "--out", export.to_str().unwrap()])
        .status
        .success());
    assert_eq!(mode(&export), 0o600);
    let spec = parent.path().join("spec.json");
    assert!(
        run(&["project", "export", "P", "--out", spec.to_str().unwrap()])
            .status
            .success()
    );
    assert_eq!(mode(&spec), 0o600);
}

const SIGNED_HEADERS: &str = "Received: from mail.example.test\r\n\
DKIM-Signature: v=1; a=rsa-sha256; c=relaxed/relaxed; d=example.test;\r\n\
\ts=google; h=from:to:subject; bh=47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU=;\r\n\
\tb=dGVzdA==\r\n\
Subject: Your invitation\r\n";

#[test]
fn pasted_headers_name_their_dkim_selectors_over_ipc_and_in_the_cli() {
    let dir = tempfile::tempdir().unwrap();
    let app = mock_app(dir.path());
    let answer = invoke(
        &app,
        handover_model::command::DKIM_SELECTORS_READ,
        serde_json::json!({ "request": { "headers": SIGNED_HEADERS } }),
    )
    .expect("the headers are read");
    let found: handover_model::DkimSelectorsFound = answer.deserialize().unwrap();
    assert_eq!(
        found.signatures,
        [handover_model::DkimSignatureRef {
            domain: "example.test".into(),
            selector: "google".into(),
        }]
    );
    let too_long = "x".repeat(handover_core::workbench::MAX_PASTED_HEADERS + 1);
    let refused = invoke(
        &app,
        handover_model::command::DKIM_SELECTORS_READ,
        serde_json::json!({ "request": { "headers": too_long } }),
    )
    .unwrap_err();
    assert!(refused.to_string().contains("headers"), "{refused}");

    let file = dir.path().join("headers.txt");
    std::fs::write(&file, SIGNED_HEADERS).unwrap();
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_handover"))
        .arg("dkim-selectors")
        .arg(&file)
        .env("HANDOVER_DATA_DIR", dir.path())
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0));
    assert_eq!(
        String::from_utf8_lossy(&out.stdout),
        "example.test\tgoogle\n"
    );
    std::fs::write(&file, "Subject: no signature\r\n").unwrap();
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_handover"))
        .arg("dkim-selectors")
        .arg(&file)
        .env("HANDOVER_DATA_DIR", dir.path())
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
}

/// `handover report` writes all three formats of a stored project; the same
/// `--date` gives the same bytes; bad flags are usage errors (exit 2).
#[test]
fn cli_report_writes_pdf_markdown_and_json_and_a_date_makes_it_repeatable() {
    let parent = tempfile::tempdir().unwrap();
    let data = parent.path().join("data");
    let out = parent.path().join("out");
    std::fs::create_dir(&out).unwrap();
    let run = |args: &[&str]| {
        std::process::Command::new(env!("CARGO_BIN_EXE_handover"))
            .arg("--data-dir")
            .arg(&data)
            .args(args)
            .output()
            .unwrap()
    };
    let file = parent.path().join("opsbot.toml");
    std::fs::write(&file, "name = \"Opsbot\"\napex = \"bücher.example\"\n").unwrap();
    assert!(run(&["project", "import", file.to_str().unwrap()])
        .status
        .success());
    let report = |name: &str, extra: &[&str]| {
        let path = out.join(name);
        let mut args = vec![
            "report",
            "--project",
            "opsbot",
            "--out",
            path.to_str().unwrap(),
        ];
        args.extend_from_slice(extra);
        let output = run(&args);
        assert_eq!(
            output.status.code(),
            Some(0),
            "{name}: {}",
            String::from_utf8_lossy(&output.stderr)
        );
        std::fs::read(&path).unwrap()
    };
    let dated = ["--date", "2026-12-01"];

    let pdf = report("a.pdf", &dated);
    assert!(pdf.starts_with(b"%PDF"));
    let beside: serde_json::Value =
        serde_json::from_slice(&std::fs::read(out.join("a.findings.json")).unwrap()).unwrap();
    assert_eq!(beside["schema"], handover_core::report::SCHEMA);
    assert_eq!(report("b.pdf", &dated), pdf, "the same date, the same PDF");
    let letter = report("letter.pdf", &["--paper", "letter", "--date", "2026-12-01"]);
    assert!(letter.starts_with(b"%PDF"));
    assert_ne!(letter, pdf, "another paper size");

    let md = report("handover.md", &dated);
    assert!(String::from_utf8(md.clone()).unwrap().starts_with('#'));
    assert_eq!(report("again.md", &dated), md);

    let json = report("handover.json", &dated);
    let value: serde_json::Value = serde_json::from_slice(&json).unwrap();
    assert_eq!(value["schema"], handover_core::report::SCHEMA);
    assert_eq!(value["date"], "2026-12-01");
    assert_eq!(
        report("report.txt", &["--format", "json", "--date", "2026-12-01"]),
        json
    );

    for (flags, said) in [
        (&["--date", "2026-02-30"][..], "YYYY-MM-DD"),
        (&["--format", "docx"][..], "pdf, md or json"),
        (&["--paper", "a5"][..], "a4 or letter"),
    ] {
        let path = out.join("bad.pdf");
        let mut args = vec![
            "report",
            "--project",
            "Opsbot",
            "--out",
            path.to_str().unwrap(),
        ];
        args.extend_from_slice(flags);
        let output = run(&args);
        let stderr = String::from_utf8_lossy(&output.stderr);
        assert_eq!(output.status.code(), Some(2), "{flags:?}: {stderr}");
        assert!(stderr.contains(said), "{flags:?}: {stderr}");
        assert!(!path.exists(), "{flags:?}");
    }
    let missing = out.join("nowhere").join("x.pdf");
    let output = run(&[
        "report",
        "--project",
        "Opsbot",
        "--out",
        missing.to_str().unwrap(),
    ]);
    assert_eq!(output.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&output.stderr).contains("does not exist"));
    let output = run(&[
        "report",
        "--project",
        "Nope",
        "--out",
        out.join("n.pdf").to_str().unwrap(),
    ]);
    assert_eq!(output.status.code(), Some(2));
}

/// The window's report commands: export (JSON here) then the preview,
/// which shows it as the last export.
#[test]
fn report_export_and_preview_over_ipc() {
    let dir = tempfile::tempdir().unwrap();
    let app = mock_app(dir.path());
    let project: handover_model::Project = invoke(
        &app,
        command::PROJECT_SAVE,
        json!({ "request": { "id": null, "spec": { "name": "Opsbot", "apex": "example.com" } } }),
    )
    .expect("the project is saved")
    .deserialize()
    .unwrap();
    let path = dir.path().join("handover.json");
    let done: handover_model::ReportExported = invoke(
        &app,
        command::REPORT_EXPORT,
        json!({ "request": { "project_id": project.id, "path": path, "format": "json" } }),
    )
    .expect("the report is exported")
    .deserialize()
    .unwrap();
    assert_eq!(done.record.path, path.display().to_string());
    assert!(path.is_file());
    let refused = invoke(
        &app,
        command::REPORT_EXPORT,
        json!({ "request": { "project_id": project.id, "path": dir.path(), "format": "markdown" } }),
    )
    .unwrap_err();
    assert!(refused.to_string().contains("folder"), "{refused}");
    let preview: handover_model::ReportPreview = invoke(
        &app,
        command::REPORT_PREVIEW,
        json!({ "request": { "project_id": project.id } }),
    )
    .expect("the preview")
    .deserialize()
    .unwrap();
    assert_eq!(preview.last_export, Some(done.record));
    assert!(!preview.sections.is_empty());
}
