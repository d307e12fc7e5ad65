//! One engine: the window's run (the `checks_run` command), `handover check
//! --project` and `handover check --config` against the same loopback test
//! bed give the same findings, and every run is stored.

use std::path::Path;
use std::process::{Command, Output};

use handover_model::{command, Finding, Run, RunSource, RunSummary, Severity};
use handover_testbed::TestBed;
use serde_json::json;

use crate::shell::{invoke, mock_app};

/// A project file for the bed; the CA path is relative to the file.
fn project_toml(bed: &TestBed) -> String {
    format!(
        r#"name = "Bed"
apex = "example.test"
subdomains = [
  {{ label = "app", purpose = "app" }},
  {{ label = "api", purpose = "api" }},
  {{ label = "docs", purpose = "docs" }},
  {{ label = "status", purpose = "status" }},
]
environments = [{{ kind = "production", base_url = "https://example.test:{port}" }}]
dns_server = "{dns}"
ca_file = "ca.pem"
"#,
        port = bed.https_port(),
        dns = bed.dns_server()
    )
}

fn handover(data_dir: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_handover"))
        .arg("--data-dir")
        .arg(data_dir)
        .args(args)
        .output()
        .unwrap()
}

fn findings_of(out: &Output) -> Vec<Finding> {
    serde_json::from_slice(&out.stdout).unwrap_or_else(|e| {
        panic!(
            "JSON findings ({e}); stderr: {}",
            String::from_utf8_lossy(&out.stderr)
        )
    })
}

/// What must agree between two runs: which check said what about what.
fn verdicts(findings: &[Finding]) -> Vec<(String, String, Severity, bool)> {
    let mut v: Vec<_> = findings
        .iter()
        .map(|f| {
            (
                f.check.clone(),
                f.target.clone(),
                f.severity,
                f.outcome.is_inconclusive(),
            )
        })
        .collect();
    v.sort_by(|a, b| format!("{a:?}").cmp(&format!("{b:?}")));
    v
}

#[test]
fn the_window_and_both_cli_forms_give_the_same_findings_and_are_all_stored() {
    let runtime = tokio::runtime::Runtime::new().unwrap();
    let bed = runtime.block_on(TestBed::start()).unwrap();
    let dir = tempfile::tempdir().unwrap();
    let files = tempfile::tempdir().unwrap();
    std::fs::write(files.path().join("ca.pem"), bed.ca_pem()).unwrap();
    let file = files.path().join("bed.toml");
    std::fs::write(&file, project_toml(&bed)).unwrap();
    let file_arg = file.to_str().unwrap();

    // The project as the window would have it, imported from the same file.
    let import = handover(dir.path(), &["project", "import", file_arg]);
    assert_eq!(
        import.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&import.stderr)
    );
    let app = mock_app(dir.path());
    let projects: Vec<handover_model::ProjectSummary> =
        invoke(&app, command::PROJECT_LIST, json!({ "request": {} }))
            .unwrap()
            .deserialize()
            .unwrap();
    let id = projects[0].id;

    let window: Run = invoke(
        &app,
        command::CHECKS_RUN,
        json!({ "request": { "project_id": id, "only": [] }, "onProgress": "__CHANNEL__:1" }),
    )
    .expect("the window's run succeeds")
    .deserialize()
    .unwrap();
    assert_eq!(window.summary.source, RunSource::Window);

    let by_project = handover(dir.path(), &["check", "--project", "Bed", "--json"]);
    let by_config = handover(dir.path(), &["check", "--config", file_arg, "--json"]);
    for out in [&by_project, &by_config] {
        let stderr = String::from_utf8_lossy(&out.stderr);
        let bad: Vec<String> = findings_of(out)
            .iter()
            .filter(|f| !f.outcome.is_inconclusive() && f.severity >= Severity::Medium)
            .map(|f| format!("{} {} {:?} {}", f.check, f.target, f.severity, f.title))
            .collect();
        // Project runs probe plain HTTP on port 80, where the bed has
        // nothing: the canonical-address blocker item fails.
        assert_eq!(out.status.code(), Some(1), "{stderr} {bad:#?}");
        assert!(stderr.contains("no-go: "), "{stderr}");
    }
    let expected = verdicts(&window.findings);
    assert!(expected.len() > 40, "{} findings", expected.len());
    assert_eq!(verdicts(&findings_of(&by_project)), expected);
    assert_eq!(verdicts(&findings_of(&by_config)), expected);

    let runs: Vec<RunSummary> = invoke(
        &app,
        command::RUNS_LIST,
        json!({ "request": { "project_id": id } }),
    )
    .unwrap()
    .deserialize()
    .unwrap();
    let sources: Vec<RunSource> = runs.iter().map(|r| r.source).collect();
    assert_eq!(sources, [RunSource::Cli, RunSource::Window], "newest first");
    let headless: Vec<RunSummary> = invoke(
        &app,
        command::RUNS_LIST,
        json!({ "request": { "project_id": null } }),
    )
    .unwrap()
    .deserialize()
    .unwrap();
    assert_eq!(headless.len(), 1);
    assert_eq!(
        (headless[0].source, headless[0].subject.as_str()),
        (RunSource::Cli, "Bed")
    );

    // The same lists headless.
    let listed = handover(dir.path(), &["runs", "--project", "Bed", "--json"]);
    let listed: Vec<RunSummary> = serde_json::from_slice(&listed.stdout).unwrap();
    assert_eq!(listed, runs);
    let listed = handover(dir.path(), &["runs", "--json"]);
    let listed: Vec<RunSummary> = serde_json::from_slice(&listed.stdout).unwrap();
    assert_eq!(listed, headless);
    let shown = handover(dir.path(), &["run", &runs[1].id.to_string(), "--json"]);
    let shown: Run = serde_json::from_slice(&shown.stdout).unwrap();
    assert_eq!(verdicts(&shown.findings), expected);

    // A retry of one check runs the checks deciding the same items, no more.
    let retry = handover(
        dir.path(),
        &["check", "--project", "Bed", "--only", "tls.chain", "--json"],
    );
    let mut checks: Vec<String> = findings_of(&retry).into_iter().map(|f| f.check).collect();
    checks.sort();
    checks.dedup();
    assert_eq!(
        checks,
        ["tls.chain", "tls.expiry", "tls.handshake", "tls.hostname"]
    );
}

#[test]
fn with_every_https_port_closed_check_is_no_go_and_nothing_tls_passes() {
    let runtime = tokio::runtime::Runtime::new().unwrap();
    let bed = runtime.block_on(TestBed::start()).unwrap();
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("ca.pem"), bed.ca_pem()).unwrap();
    let file = dir.path().join("bed.toml");
    std::fs::write(&file, project_toml(&bed)).unwrap();
    let TestBed { https, .. } = bed;
    drop(https);

    let out = handover(
        dir.path(),
        &["check", "--config", file.to_str().unwrap(), "--json"],
    );
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(1), "{stderr}");
    assert!(stderr.contains("blocker checks could not run"), "{stderr}");
    let findings = findings_of(&out);
    let tls: Vec<&Finding> = findings
        .iter()
        .filter(|f| f.check.starts_with("tls.") || f.check.starts_with("headers."))
        .collect();
    assert!(!tls.is_empty());
    for f in tls {
        assert!(f.outcome.is_inconclusive(), "{f:?}");
        assert!(
            f.outcome.reason().is_some_and(|r| !r.is_empty()),
            "{f:?} names no reason"
        );
    }
}

#[test]
fn a_broken_project_file_or_unknown_project_is_bad_input() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("broken.toml");
    std::fs::write(
        &file,
        "name = \"\"\napex = \"not a domain\"\ndns_server = \"nope\"\n",
    )
    .unwrap();
    let out = handover(dir.path(), &["check", "--config", file.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&out.stderr);
    for field in ["name", "apex", "dns_server"] {
        assert!(
            stderr
                .lines()
                .any(|l| l.starts_with(&format!("handover: {field}: "))),
            "{field}: {stderr}"
        );
    }
    let out = handover(dir.path(), &["check", "--project", "No such project"]);
    assert_eq!(out.status.code(), Some(2));
    let out = handover(dir.path(), &["check"]);
    assert_eq!(
        out.status.code(),
        Some(2),
        "a domain, --project or --config is needed"
    );
}
