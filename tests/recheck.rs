//! `handover recheck --all` over three projects on the loopback test bed:
//! headless, every run recorded, the diff printed, exit code 1 because one
//! project has a blocker (its certificates chain to a CA it does not trust).

use std::path::Path;
use std::process::{Command, Output};

use handover_model::RunSummary;
use handover_testbed::TestBed;

/// A project file for the bed, trusting `ca`.
fn project_toml(name: &str, bed: &TestBed, ca: &str) -> String {
    format!(
        r#"name = "{name}"
apex = "example.test"
subdomains = [
  {{ label = "app", purpose = "app" }},
  {{ label = "api", purpose = "api" }},
]
environments = [{{ kind = "production", base_url = "https://example.test:{port}" }}]
dns_server = "{dns}"
ca_file = "{ca}"
"#,
        port = bed.https_port(),
        dns = bed.dns_server()
    )
}

fn handover(data: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_handover"))
        .arg("--data-dir")
        .arg(data)
        .args(args)
        .env_remove("NO_COLOR")
        .env_remove("CLICOLOR_FORCE")
        .output()
        .unwrap()
}

#[test]
fn recheck_all_records_a_run_per_project_prints_the_diff_and_exits_1_on_a_blocker() {
    let runtime = tokio::runtime::Runtime::new().unwrap();
    let bed = runtime.block_on(TestBed::start()).unwrap();
    let unrelated = runtime.block_on(TestBed::start()).unwrap();
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("data");
    std::fs::write(dir.path().join("ca.pem"), bed.ca_pem()).unwrap();
    std::fs::write(dir.path().join("other.pem"), unrelated.ca_pem()).unwrap();
    for (name, ca) in [
        ("Alpha", "ca.pem"),
        ("Beta", "ca.pem"),
        ("Gamma", "other.pem"),
    ] {
        let file = dir.path().join(format!("{name}.toml"));
        std::fs::write(&file, project_toml(name, &bed, ca)).unwrap();
        let out = handover(&data, &["project", "import", file.to_str().unwrap()]);
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
    }

    let out = handover(&data, &["recheck", "--all"]);
    let stdout = String::from_utf8_lossy(&out.stdout);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(1), "{stdout}\n{stderr}");
    for name in ["Alpha", "Beta", "Gamma"] {
        assert!(
            stdout
                .lines()
                .any(|l| l.starts_with(name) && l.contains("the first run")),
            "{name}: {stdout}"
        );
        let runs = handover(&data, &["runs", "--project", name, "--json"]);
        let runs: Vec<RunSummary> = serde_json::from_slice(&runs.stdout).unwrap();
        assert_eq!(runs.len(), 1, "{name}: one run recorded");
    }
    let gamma = stdout.lines().find(|l| l.starts_with("Gamma")).unwrap();
    assert!(gamma.contains("no-go"), "{gamma}");
    assert!(
        stdout.contains("tls.chain"),
        "the new blockers are listed: {stdout}"
    );
    let verdict = stdout.lines().last().unwrap_or_default();
    assert!(verdict.starts_with("no-go: "), "{verdict}");
    assert!(verdict.contains(" of 3 projects no-go, "), "{verdict}");
    assert!(
        verdict.contains(" checks on ") && verdict.contains(" hosts in "),
        "{verdict}"
    );
    // Piped: no colour, no progress bar redraws, plain progress lines.
    assert!(
        !stdout.contains('\x1b') && !stderr.contains('\x1b'),
        "{stderr}"
    );
    assert!(!stderr.contains('\r'), "{stderr:?}");
    assert!(stderr.contains("Alpha: running "), "{stderr}");

    // A second recheck compares with the first, and --quiet leaves only
    // the verdict line.
    let again = handover(&data, &["recheck", "--project", "Gamma", "--quiet"]);
    assert_eq!(again.status.code(), Some(1));
    let text = String::from_utf8_lossy(&again.stdout);
    assert_eq!(text.lines().count(), 1, "{text}");
    assert!(text.starts_with("no-go: "), "{text}");
    let quiet_err = String::from_utf8_lossy(&again.stderr);
    assert!(!quiet_err.contains("running "), "no progress: {quiet_err}");
    let diff = handover(&data, &["diff", "--project", "Gamma"]);
    let text = String::from_utf8_lossy(&diff.stdout);
    assert!(text.starts_with("Gamma: run "), "{text}");
    assert!(text.lines().next().unwrap().contains(" → run "), "{text}");
}
