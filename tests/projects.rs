//! Projects and the launch audit through the IPC commands, on Tauri's mock
//! runtime over a real SQLite file.

use handover_model::{
    command, Catalog, CommandError, EndpointRole, ErrorCode, History, ItemState, ItemStates,
    ItemStatus, Overview, Project, ProjectSpec, ProjectSummary, Resume, Risk, ValidationReport,
    Verdict,
};
use serde::de::DeserializeOwned;
use serde_json::{json, Value};

use crate::shell::{invoke, mock_app};

type App = tauri::App<tauri::test::MockRuntime>;

fn call<T: DeserializeOwned>(app: &App, cmd: &str, request: Value) -> Result<T, CommandError> {
    match invoke(app, cmd, json!({ "request": request })) {
        Ok(body) => Ok(body.deserialize().expect("response decodes")),
        Err(err) => Err(serde_json::from_value(err).expect("error is a CommandError")),
    }
}

fn spec(name: &str) -> Value {
    json!({
        "name": name,
        "apex": "Bücher.example",
        "subdomains": [{"label": "api", "purpose": "api"}],
        "environments": [{"kind": "production", "base_url": "https://bücher.example/"}],
        "endpoints": [{"role": "chat", "method": "POST", "path": "/api/chat",
                       "body": "{\"q\":\"hi\"}", "expected_status": 200}],
        "cors_origins": ["https://app.bücher.example"],
    })
}

#[test]
fn every_command_name_is_registered() {
    let dir = tempfile::tempdir().unwrap();
    let app = mock_app(dir.path());
    // The control: an unregistered name is reported as not found.
    let control = invoke(&app, "no_such_command", json!({ "request": {} }))
        .err()
        .map(|e| e.to_string())
        .unwrap_or_default();
    assert!(control.contains("not found"), "{control}");
    assert!(command::ALL.len() >= 29, "{:?}", command::ALL);
    for name in command::ALL.iter().copied() {
        // An empty request fails to decode, but only a registered command gets that far.
        let err = invoke(
            &app,
            name,
            json!({ "request": {"__bogus": true, "id": "x"} }),
        )
        .err()
        .map(|e| e.to_string())
        .unwrap_or_default();
        assert!(
            !err.contains("not found"),
            "{name} is not registered: {err}"
        );
    }
}

#[test]
fn create_walk_and_judge_a_project() {
    let dir = tempfile::tempdir().unwrap();
    let app = mock_app(dir.path());
    let catalog: Catalog = call(&app, command::CATALOG_GET, json!({})).unwrap();

    let project: Project = call(
        &app,
        command::PROJECT_SAVE,
        json!({ "id": null, "spec": spec("Opsbot") }),
    )
    .unwrap();
    assert_eq!(project.spec.apex, "xn--bcher-kva.example");
    assert_eq!(
        project.spec.environments[0].base_url,
        "https://xn--bcher-kva.example"
    );
    assert_eq!(project.spec.endpoints[0].role, EndpointRole::Chat);
    assert_eq!(
        project.spec.latency_targets,
        ProjectSpec::default().latency_targets
    );

    let list: Vec<ProjectSummary> = call(&app, command::PROJECT_LIST, json!({})).unwrap();
    assert_eq!(list.len(), 1);
    assert_eq!(list[0].apex, "bücher.example");
    assert_eq!(list[0].total as usize, catalog.items.len());

    let overview: Overview = call(
        &app,
        command::OVERVIEW_GET,
        json!({"project_id": project.id}),
    )
    .unwrap();
    assert_eq!(overview.verdict, Verdict::NoGo);

    // Close every blocker: pass most, waive one with a reason, mark one n/a.
    let blockers: Vec<_> = catalog
        .items
        .iter()
        .filter(|i| i.risk == Risk::Blocker)
        .collect();
    for (n, item) in blockers.iter().enumerate() {
        let (status, reason) = match n {
            0 => ("waived", "Accepted for the pilot by the CTO"),
            1 => ("not_applicable", ""),
            _ => ("pass", ""),
        };
        let state: ItemState = call(
            &app,
            command::ITEM_UPDATE,
            json!({"project_id": project.id, "item_id": item.id, "status": status,
                   "waiver_reason": reason, "owner": "Dana", "notes": "", "evidence": []}),
        )
        .unwrap();
        assert_eq!(state.status.as_str(), status);
        assert_eq!(state.owner, "Dana");
    }
    let overview: Overview = call(
        &app,
        command::OVERVIEW_GET,
        json!({"project_id": project.id}),
    )
    .unwrap();
    assert!(overview.blockers.is_empty(), "{:?}", overview.blockers);
    assert_eq!(overview.done as usize, blockers.len());
    // Every checklist blocker is closed, but nobody owns DNS, CDN, hosting,
    // email or monitoring yet: those handover gaps still say no-go.
    assert_eq!(overview.verdict, Verdict::NoGo);
    let gaps: Vec<_> = overview.handover.iter().map(|f| f.code.as_str()).collect();
    assert_eq!(
        gaps,
        [
            "account-missing",
            "account-missing",
            "account-missing",
            "account-missing",
            "account-missing",
            "no-verified-contact"
        ]
    );
    for kind in ["dns", "cdn", "hosting", "email", "monitoring"] {
        let _: Value = call(
            &app,
            command::ACCOUNT_SAVE,
            json!({"project_id": project.id, "id": null,
                   "spec": {"kind": kind, "provider": "Acme", "owner": {"name": "Dana", "email": "dana@example.com"}}}),
        )
        .unwrap();
    }
    let overview: Overview = call(
        &app,
        command::OVERVIEW_GET,
        json!({"project_id": project.id}),
    )
    .unwrap();
    assert_eq!(overview.verdict, Verdict::Go, "{:?}", overview.handover);
    let gaps: Vec<_> = overview.handover.iter().map(|f| f.code.as_str()).collect();
    assert_eq!(
        gaps,
        ["no-verified-contact"],
        "a high finding does not block"
    );

    let states: ItemStates =
        call(&app, command::ITEMS_GET, json!({"project_id": project.id})).unwrap();
    assert_eq!(states.items.len(), catalog.items.len());
    assert_eq!(
        states
            .items
            .iter()
            .filter(|s| s.status == ItemStatus::Pass)
            .count(),
        blockers.len() - 2
    );

    let history: History = call(
        &app,
        command::ITEM_HISTORY,
        json!({"project_id": project.id, "item_id": blockers[0].id}),
    )
    .unwrap();
    let fields: Vec<_> = history.entries.iter().map(|e| e.field.as_str()).collect();
    assert!(
        fields.contains(&"status")
            && fields.contains(&"waiver_reason")
            && fields.contains(&"owner"),
        "{fields:?}"
    );
    assert!(history
        .entries
        .iter()
        .all(|e| !e.actor.is_empty() && e.at_ms > 0));

    // The walkthrough position is remembered across projects.
    let first = &catalog.items[3];
    let _: Value = call(
        &app,
        command::POSITION_SET,
        json!({"position": {"project_id": project.id, "stage_id": first.stage, "item_id": first.id}}),
    )
    .unwrap();
    let resume: Resume = call(&app, command::RESUME_GET, json!({})).unwrap();
    assert_eq!(resume.position.unwrap().item_id, first.id);

    let _: Value = call(&app, command::PROJECT_DELETE, json!({"id": project.id})).unwrap();
    let err = call::<Overview>(
        &app,
        command::OVERVIEW_GET,
        json!({"project_id": project.id}),
    )
    .unwrap_err();
    assert_eq!(err.code, ErrorCode::NotFound);
    let resume: Resume = call(&app, command::RESUME_GET, json!({})).unwrap();
    assert!(resume.position.is_none());
}

#[test]
fn bad_forms_come_back_field_by_field_and_nothing_is_stored() {
    let dir = tempfile::tempdir().unwrap();
    let app = mock_app(dir.path());
    let mut bad = spec("Opsbot");
    bad["apex"] = json!("https://bücher.example/login");
    bad["endpoints"][0]["path"] = json!("api/chat");
    bad["endpoints"][0]["headers"] = json!([{"name": "Authorization", "value": "Bearer s3cret"}]);
    let report: ValidationReport = call(
        &app,
        command::PROJECT_VALIDATE,
        json!({"id": null, "spec": bad}),
    )
    .unwrap();
    let fields: Vec<_> = report.errors.iter().map(|e| e.field.as_str()).collect();
    assert_eq!(
        fields,
        ["apex", "endpoints.0.path", "endpoints.0.headers.0.name"]
    );

    let err = call::<Project>(
        &app,
        command::PROJECT_SAVE,
        json!({"id": null, "spec": bad}),
    )
    .unwrap_err();
    assert_eq!(err.code, ErrorCode::InvalidInput);
    assert_eq!(err.fields.len(), 3);
    let list: Vec<ProjectSummary> = call(&app, command::PROJECT_LIST, json!({})).unwrap();
    assert!(list.is_empty(), "a refused form stores nothing");
    let db = std::fs::read(dir.path().join("handover.db")).unwrap();
    assert!(
        !db.windows(7).any(|w| w == b"s3cret"),
        "the refused header never reached the file"
    );

    // Duplicate names, case-insensitively, on create and on validate.
    let first: Project = call(
        &app,
        command::PROJECT_SAVE,
        json!({"id": null, "spec": spec("Opsbot")}),
    )
    .unwrap();
    let err = call::<Project>(
        &app,
        command::PROJECT_SAVE,
        json!({"id": null, "spec": spec("OPSBOT")}),
    )
    .unwrap_err();
    assert_eq!(err.code, ErrorCode::Conflict);
    assert_eq!(err.fields[0].field, "name");
    let report: ValidationReport = call(
        &app,
        command::PROJECT_VALIDATE,
        json!({"id": null, "spec": spec("opsbot")}),
    )
    .unwrap();
    assert_eq!(report.errors[0].field, "name");
    // ... but a project keeps its own name when edited.
    let report: ValidationReport = call(
        &app,
        command::PROJECT_VALIDATE,
        json!({"id": first.id, "spec": spec("Opsbot")}),
    )
    .unwrap();
    assert!(report.errors.is_empty(), "{:?}", report.errors);

    // Waiving without a reason is refused and leaves the item untouched.
    let item = "no-such-item";
    let err = call::<ItemState>(
        &app,
        command::ITEM_UPDATE,
        json!({"project_id": first.id, "item_id": item, "status": "waived",
               "waiver_reason": " ", "owner": "", "notes": "", "evidence": ["ftp://x"]}),
    )
    .unwrap_err();
    let fields: Vec<_> = err.fields.iter().map(|e| e.field.as_str()).collect();
    assert_eq!(fields, ["item_id", "waiver_reason", "evidence.0"]);
}

#[test]
fn cli_db_flag_and_env_choose_the_database() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("elsewhere.db");
    let output = std::process::Command::new(env!("CARGO_BIN_EXE_handover"))
        .args(["info", "--json", "--db"])
        .arg(&db)
        .env("HANDOVER_DATA_DIR", dir.path())
        .output()
        .unwrap();
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    assert!(db.exists(), "the database was created where --db said");
    let info: handover_model::AppInfo = serde_json::from_slice(&output.stdout).unwrap();
    assert_eq!(info.database, db.display().to_string());
    assert_eq!(info.database_problem, None);
    assert!(!dir.path().join("handover.db").exists());
}

#[test]
fn a_database_from_a_newer_version_is_refused_and_the_app_says_why() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("handover.db");
    {
        let conn = rusqlite::Connection::open(&db).unwrap();
        conn.pragma_update(None, "user_version", 99).unwrap();
    }
    let before = std::fs::read(&db).unwrap();
    let app = mock_app(dir.path());
    let err = call::<Vec<ProjectSummary>>(&app, command::PROJECT_LIST, json!({})).unwrap_err();
    assert_eq!(err.code, ErrorCode::Storage);
    assert!(err.message.contains("newer Handover"), "{}", err.message);
    assert_eq!(
        std::fs::read(&db).unwrap(),
        before,
        "the newer file is left untouched"
    );
}

#[test]
fn only_web_links_are_opened() {
    let dir = tempfile::tempdir().unwrap();
    let app = mock_app(dir.path());
    for bad in ["javascript:alert(1)", "file:///etc/passwd", "not a link"] {
        let err = call::<Value>(&app, command::LINK_OPEN, json!({ "url": bad })).unwrap_err();
        assert_eq!(err.code, ErrorCode::InvalidInput, "{bad}");
    }
}
