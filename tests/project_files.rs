//! Projects as files: `handover project import/export` with the real binary
//! over a real data directory, and the window's `project_import` /
//! `project_export` commands on Tauri's mock runtime.

use std::path::Path;
use std::process::{Command, Output};

use handover_core::project::file::{self, Format};
use handover_model::{command, CommandError, ErrorCode, Project, ProjectSpec};
use serde_json::json;

use crate::shell::{invoke, mock_app};

/// A project with every field set; `ca_file` is relative to the file.
pub(crate) const FULL: &str = r#"
name = "Opsbot"
description = "Internal ops assistant"
apex = "bücher.example"
cors_origins = ["https://app.bücher.example"]
repo_path = "/home/me/opsbot"
build_output = "/home/me/opsbot/dist"
dns_server = "10.0.0.2"
ca_file = "certs/ca.pem"
notes = """
Launch on Monday.
Ask "Dana" first."""

[[subdomains]]
label = "app"
purpose = "app"

[[subdomains]]
label = "api"
purpose = "api"

[[environments]]
kind = "production"
base_url = "https://app.bücher.example/"
env_file = "/srv/opsbot/.env"

[[environments]]
kind = "staging"
base_url = "https://staging.example.net"

[[endpoints]]
role = "chat"
method = "POST"
path = "/api/chat"
body = '{"message":"ping"}'
expected_status = 200

[[endpoints.headers]]
name = "Content-Type"
value = "application/json"

[[endpoints]]
role = "api_health"
method = "GET"
path = "https://api.bücher.example/health"
expected_status = 204

[[legacy_urls]]
from = "/pricing-2024"
to = "/pricing"

[email]
sending_domain = "mail.example.com"
dkim_selectors = ["s1", "google"]

[[latency_targets]]
role = "chat"
p95_ms = 3000
"#;

/// Five distinct problems, each on its own field.
pub(crate) const FIVE_ERRORS: &str = r#"
name = "Broken"
apex = "not a domain"
cors_origins = ["*"]

[[subdomains]]
label = "bad label!"
purpose = "api"

[[endpoints]]
role = "homepage"
method = "GET"
path = "home"
expected_status = 200

[[endpoints]]
role = "chat"
method = "POST"
path = "/api/chat"
expected_status = 900
"#;

/// A directory with `opsbot.toml` (the full project) and its CA file.
pub(crate) fn project_dir() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    std::fs::create_dir(dir.path().join("certs")).unwrap();
    let pki = handover_testbed::Pki::new().unwrap();
    std::fs::write(dir.path().join("certs/ca.pem"), pki.ca_pem()).unwrap();
    std::fs::write(dir.path().join("opsbot.toml"), FULL).unwrap();
    dir
}

fn handover(data: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_handover"))
        .arg("--data-dir")
        .arg(data)
        .args(args)
        .output()
        .unwrap()
}

fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

fn succeeded(out: &Output) -> String {
    assert_eq!(out.status.code(), Some(0), "stderr: {}", text(&out.stderr));
    text(&out.stdout)
}

#[test]
fn import_export_and_replace_round_trip_in_both_formats() {
    let dir = project_dir();
    let data = tempfile::tempdir().unwrap();
    let source = dir.path().join("opsbot.toml");
    let expected = file::load(&source).expect("the sample file is valid");
    assert_eq!(
        Path::new(&expected.ca_file),
        dir.path().join("certs/ca.pem"),
        "ca_file is relative to the file"
    );

    let said = succeeded(&handover(
        data.path(),
        &["project", "import", source.to_str().unwrap()],
    ));
    assert!(said.starts_with("Imported project 1 \"Opsbot\""), "{said}");

    for format in Format::ALL {
        // Exported by name, to stdout (TOML) or to a file named .json.
        let exported = match format {
            Format::Toml => succeeded(&handover(data.path(), &["project", "export", "opsbot"])),
            Format::Json => {
                let out = dir.path().join("exported.json");
                succeeded(&handover(
                    data.path(),
                    &["project", "export", "1", "--out", out.to_str().unwrap()],
                ));
                std::fs::read_to_string(&out).unwrap()
            }
        };
        let back = file::parse(&exported, format, Path::new("/")).unwrap();
        assert_eq!(back, expected, "{format} export:\n{exported}");

        // Importing the export over the project changes nothing, keeps its id…
        let path = dir.path().join(format!("again.{}", format.as_str()));
        std::fs::write(&path, &exported).unwrap();
        let said = succeeded(&handover(
            data.path(),
            &["project", "import", path.to_str().unwrap(), "--replace"],
        ));
        assert!(said.starts_with("Updated project 1 \"Opsbot\""), "{said}");
        // …and exports the very same text again.
        let flag = format.as_str();
        let again = succeeded(&handover(
            data.path(),
            &["project", "export", "Opsbot", "--format", flag],
        ));
        assert_eq!(again, exported, "{format}");
    }
}

#[test]
fn a_duplicate_name_is_refused_without_replace() {
    let dir = project_dir();
    let data = tempfile::tempdir().unwrap();
    let source = dir.path().join("opsbot.toml");
    let source = source.to_str().unwrap();
    succeeded(&handover(data.path(), &["project", "import", source]));

    let renamed = dir.path().join("renamed.toml");
    std::fs::write(&renamed, FULL.replace("\"Opsbot\"", "\"OPSBOT\"")).unwrap();
    let out = handover(
        data.path(),
        &["project", "import", renamed.to_str().unwrap()],
    );
    assert_eq!(out.status.code(), Some(2), "{}", text(&out.stderr));
    let stderr = text(&out.stderr);
    assert!(
        stderr.contains("already exists") && stderr.contains("--replace"),
        "{stderr}"
    );
    assert!(out.stdout.is_empty());
}

#[test]
fn a_file_with_five_errors_reports_five_lines_with_field_paths() {
    let dir = tempfile::tempdir().unwrap();
    let data = tempfile::tempdir().unwrap();
    let path = dir.path().join("broken.toml");
    std::fs::write(&path, FIVE_ERRORS).unwrap();
    let out = handover(data.path(), &["project", "import", path.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(2), "{}", text(&out.stderr));
    let stderr = text(&out.stderr);
    // Log lines may come first; the problems follow the heading, one a line.
    let fields: Vec<&str> = stderr
        .lines()
        .skip_while(|line| !line.starts_with("handover: "))
        .skip(1)
        .map(|line| line.split_once(": ").map_or(line, |(field, _)| field))
        .collect();
    assert_eq!(
        fields,
        [
            "apex",
            "subdomains.0.label",
            "endpoints.0.path",
            "endpoints.1.expected_status",
            "cors_origins.0",
        ],
        "{stderr}"
    );
    assert!(stderr.contains("broken.toml has 5 problems:\n"), "{stderr}");

    // Nothing was stored.
    let out = handover(data.path(), &["project", "export", "Broken"]);
    assert_eq!(out.status.code(), Some(2), "{}", text(&out.stderr));
}

#[test]
fn unreadable_and_unknown_inputs_are_bad_input() {
    let dir = tempfile::tempdir().unwrap();
    let data = tempfile::tempdir().unwrap();
    let missing = dir.path().join("missing.toml");
    let out = handover(
        data.path(),
        &["project", "import", missing.to_str().unwrap()],
    );
    assert_eq!(out.status.code(), Some(2));
    assert!(text(&out.stderr).contains("missing.toml"));

    let typo = dir.path().join("typo.json");
    std::fs::write(&typo, r#"{"name": "X", "apex": "example.com", "apx": 1}"#).unwrap();
    let out = handover(data.path(), &["project", "import", typo.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(2));
    assert!(
        text(&out.stderr).contains("\napx: Unknown field"),
        "{}",
        text(&out.stderr)
    );

    let out = handover(data.path(), &["project", "export", "nobody"]);
    assert_eq!(out.status.code(), Some(2));
}

fn call(
    app: &tauri::App<tauri::test::MockRuntime>,
    cmd: &str,
    request: serde_json::Value,
) -> Result<serde_json::Value, CommandError> {
    match invoke(app, cmd, json!({ "request": request })) {
        Ok(body) => Ok(body.deserialize().expect("response decodes")),
        Err(err) => Err(serde_json::from_value(err).expect("error is a CommandError")),
    }
}

#[test]
fn the_window_imports_and_exports_through_its_commands() {
    let dir = project_dir();
    let data = tempfile::tempdir().unwrap();
    let app = mock_app(data.path());
    let source = dir.path().join("opsbot.toml").display().to_string();

    let imported: Project = serde_json::from_value(
        call(
            &app,
            command::PROJECT_IMPORT,
            json!({"path": source, "replace": false}),
        )
        .unwrap(),
    )
    .unwrap();
    assert_eq!(imported.spec.name, "Opsbot");

    let err = call(
        &app,
        command::PROJECT_IMPORT,
        json!({"path": source, "replace": false}),
    )
    .unwrap_err();
    assert_eq!(err.code, ErrorCode::Conflict, "{err:?}");
    let replaced: Project = serde_json::from_value(
        call(
            &app,
            command::PROJECT_IMPORT,
            json!({"path": source, "replace": true}),
        )
        .unwrap(),
    )
    .unwrap();
    assert_eq!(replaced.id, imported.id);

    let out = dir.path().join("out.json");
    call(
        &app,
        command::PROJECT_EXPORT,
        json!({"id": imported.id, "path": out.display().to_string()}),
    )
    .unwrap();
    let back: ProjectSpec = file::load(&out).unwrap();
    assert_eq!(back, imported.spec);
    let err = call(
        &app,
        command::PROJECT_EXPORT,
        json!({"id": imported.id, "path": dir.path().join("out.yaml").display().to_string()}),
    )
    .unwrap_err();
    assert_eq!(err.code, ErrorCode::InvalidInput);

    // Every problem reaches the window, in the message and field by field.
    let broken = dir.path().join("broken.toml");
    std::fs::write(&broken, FIVE_ERRORS).unwrap();
    let err = call(
        &app,
        command::PROJECT_IMPORT,
        json!({"path": broken.display().to_string(), "replace": false}),
    )
    .unwrap_err();
    assert_eq!(err.code, ErrorCode::InvalidInput);
    assert_eq!(err.fields.len(), 5, "{err:?}");
    for field in &err.fields {
        let line = format!("\n{}: {}", field.field, field.message);
        assert!(err.message.contains(&line), "{line} not in {}", err.message);
    }
}
