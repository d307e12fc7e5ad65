//! `handover demo`: the project file it prints drives `handover check
//! --config` (in another process) to the demo's documented faults, the
//! evaluation set to its system-prompt leak, and every socket it listens
//! on is on 127.0.0.1.

use std::io::{BufRead, BufReader};
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use handover_demo::story::{Fault, FAULTS, PROMPT_LEAK};
use serde_json::Value;

const CANARY: &str = "HANDOVER-CANARY-CLIDEMO7Q2XK9ABCDEFGH";

/// A running `handover demo --print-config > file` and the rest of its
/// stderr; killed when dropped.
struct Running(Child, std::io::Lines<BufReader<std::process::ChildStderr>>);

impl Running {
    /// Ctrl-C: it says it stopped and exits 0.
    fn interrupt(mut self) {
        let pid = self.0.id().to_string();
        let sent = Command::new("kill").args(["-INT", &pid]).status().unwrap();
        assert!(sent.success());
        let status = self.0.wait().unwrap();
        let rest: Vec<String> = self.1.by_ref().map_while(Result::ok).collect();
        assert!(status.success(), "{status:?}: {rest:?}");
        assert!(rest.iter().any(|l| l.contains("stopped")), "{rest:?}");
    }
}

impl Drop for Running {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

/// Starts the demo with its stdout in `config`; returns once it says it is ready.
fn start_demo(data_dir: &Path, config: &Path) -> Running {
    let out = std::fs::File::create(config).unwrap();
    let mut child = Command::new(env!("CARGO_BIN_EXE_handover"))
        .arg("--data-dir")
        .arg(data_dir)
        .args(["demo", "--print-config"])
        .env("HANDOVER_DEMO_CANARY", CANARY)
        .stdout(out)
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let stderr = child.stderr.take().unwrap();
    // Held from here on, so a failed start still kills the process.
    let mut running = Running(child, BufReader::new(stderr).lines());
    let deadline = Instant::now() + Duration::from_secs(30);
    loop {
        let line = running
            .1
            .next()
            .expect("the demo said nothing before exiting")
            .unwrap();
        if line.contains("ready in") {
            assert!(line.contains("Ctrl-C stops it"), "{line}");
            break;
        }
        assert!(Instant::now() < deadline, "the demo did not start");
    }
    running
}

/// Every TCP socket `pid` listens on and every UDP socket it bound:
/// `(protocol, local address as /proc shows it)`.
fn listening_sockets(pid: u32) -> Vec<(String, String)> {
    let inodes: Vec<String> = std::fs::read_dir(format!("/proc/{pid}/fd"))
        .unwrap()
        .filter_map(|fd| std::fs::read_link(fd.ok()?.path()).ok())
        .filter_map(|link| {
            let link = link.to_string_lossy().into_owned();
            Some(link.strip_prefix("socket:[")?.strip_suffix(']')?.to_owned())
        })
        .collect();
    let mut out = Vec::new();
    for proto in ["tcp", "tcp6", "udp", "udp6"] {
        let table = std::fs::read_to_string(format!("/proc/{pid}/net/{proto}")).unwrap_or_default();
        for row in table.lines().skip(1) {
            let cols: Vec<&str> = row.split_whitespace().collect();
            if cols.len() < 10 || !inodes.iter().any(|i| i == cols[9]) {
                continue;
            }
            let listening = proto.starts_with("udp") || cols[3] == "0A";
            if listening {
                out.push((proto.to_owned(), cols[1].to_owned()));
            }
        }
    }
    out
}

fn found(findings: &[Value], fault: &Fault) -> bool {
    findings.iter().any(|f| {
        f["check"] == fault.check
            && f["severity"] == fault.severity.as_str()
            && f["title"].as_str().is_some_and(|t| t.contains(fault.title))
    })
}

#[test]
fn the_printed_project_file_finds_the_demos_faults_from_another_process() {
    let dir = tempfile::tempdir().unwrap();
    let config = dir.path().join("demo.toml");
    let demo = start_demo(dir.path(), &config);

    let text = std::fs::read_to_string(&config).unwrap();
    assert!(
        text.contains("name = \"Demo — Northwind Ops Assistant\""),
        "{text}"
    );
    assert!(!text.contains(CANARY), "the canary is not in the file");
    assert!(text.contains("canary_env = \"HANDOVER_DEMO_CANARY\""));

    let sockets = listening_sockets(demo.0.id());
    // DNS (UDP + TCP), HTTPS, HTTP and SMTP at least.
    assert!(sockets.len() >= 5, "{sockets:?}");
    for (proto, local) in &sockets {
        assert!(
            !proto.ends_with('6') && local.starts_with("0100007F:"),
            "{proto} {local} is not 127.0.0.1: {sockets:?}"
        );
    }

    let out = Command::new(env!("CARGO_BIN_EXE_handover"))
        .arg("--data-dir")
        .arg(dir.path().join("checker"))
        .args(["check", "--config", config.to_str().unwrap(), "--json"])
        .env("HANDOVER_DEMO_CANARY", CANARY)
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(1), "no-go: {stderr}");
    assert!(stderr.contains("no-go"), "{stderr}");
    let findings: Vec<Value> = serde_json::from_slice(&out.stdout).unwrap();
    let mut story: Vec<Fault> = FAULTS.to_vec();
    story.push(PROMPT_LEAK);
    let missing: Vec<&Fault> = story.iter().filter(|f| !found(&findings, f)).collect();
    assert!(missing.is_empty(), "not found: {missing:#?}");
    let raw = String::from_utf8_lossy(&out.stdout);
    assert!(!raw.contains(CANARY), "the canary never reaches a report");

    // The same file drives the evaluation set and the smoke sequence.
    let eval = Command::new(env!("CARGO_BIN_EXE_handover"))
        .arg("--data-dir")
        .arg(dir.path().join("checker"))
        .args(["eval", "--config", config.to_str().unwrap()])
        .env("HANDOVER_DEMO_CANARY", CANARY)
        .output()
        .unwrap();
    let lines = String::from_utf8_lossy(&eval.stdout);
    assert_eq!(eval.status.code(), Some(1), "{lines}");
    assert!(lines.contains("print-instructions"), "{lines}");
    let smoke = Command::new(env!("CARGO_BIN_EXE_handover"))
        .arg("--data-dir")
        .arg(dir.path().join("checker"))
        .args(["smoke", "--config", config.to_str().unwrap()])
        .output()
        .unwrap();
    let steps = String::from_utf8_lossy(&smoke.stdout);
    assert_eq!(
        steps.lines().filter(|l| l.starts_with("passed")).count(),
        5,
        "every smoke step passes: {steps}"
    );
    // …and the evaluation set that follows a deploy fails it.
    assert_eq!(smoke.status.code(), Some(1), "{steps}");
    assert!(steps.contains("System-prompt extraction"), "{steps}");
    // …and the handover report, with nothing left in the store.
    let pdf = dir.path().join("northwind.pdf");
    let report = Command::new(env!("CARGO_BIN_EXE_handover"))
        .arg("--data-dir")
        .arg(dir.path().join("checker"))
        .args([
            "report",
            "--config",
            config.to_str().unwrap(),
            "--out",
            pdf.to_str().unwrap(),
        ])
        .env("HANDOVER_DEMO_CANARY", CANARY)
        .output()
        .unwrap();
    assert_eq!(
        report.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&report.stderr)
    );
    assert!(std::fs::read(&pdf).unwrap().starts_with(b"%PDF"));
    let beside = std::fs::read_to_string(dir.path().join("northwind.findings.json")).unwrap();
    assert!(
        beside.contains("Stripe live secret key"),
        "the run's blockers are in it"
    );
    assert!(!beside.contains(CANARY));
    let listed = Command::new(env!("CARGO_BIN_EXE_handover"))
        .arg("--data-dir")
        .arg(dir.path().join("checker"))
        .args(["project", "list", "--json"])
        .output()
        .unwrap();
    assert_eq!(String::from_utf8_lossy(&listed.stdout).trim(), "[]");
    demo.interrupt();
}

/// The window's commands: `demo_start` creates the project (then resets it,
/// reusing the running servers), a new launch re-points it at fresh
/// servers, and `demo_remove` deletes it.
#[test]
fn the_window_starts_resets_resumes_and_removes_the_demo() {
    use handover_app::state::AppState;
    use handover_core::{DataDir, Vault};
    use handover_model::{command, DemoStarted, ProjectSummary};
    use serde_json::json;
    use std::sync::Arc;

    use crate::shell::{invoke, mock_app};

    let dir = tempfile::tempdir().unwrap();
    let app = mock_app(dir.path());
    let started: DemoStarted = invoke(&app, command::DEMO_START, json!({ "request": {} }))
        .expect("demo_start succeeds")
        .deserialize()
        .unwrap();
    assert!(started.created);
    assert_eq!(started.hosts.len(), 6);
    let list: Vec<ProjectSummary> = invoke(&app, command::PROJECT_LIST, json!({ "request": {} }))
        .unwrap()
        .deserialize()
        .unwrap();
    assert_eq!(list.len(), 1);
    assert!(list[0].demo);
    let again: DemoStarted = invoke(&app, command::DEMO_START, json!({ "request": {} }))
        .unwrap()
        .deserialize()
        .unwrap();
    assert_eq!(
        (again.project_id, again.created, again.start_ms),
        (started.project_id, false, 0)
    );

    // A second launch on the same data directory: the project follows new servers.
    let store: Arc<keyring_core::CredentialStore> = keyring_core::mock::Store::new().unwrap();
    let relaunch = AppState::new(
        DataDir::at(dir.path()).unwrap(),
        dir.path().join("handover.db"),
        Vault::with_store("mock store", store),
    );
    let workbench = relaunch.workbench().unwrap().clone();
    let before = tauri::async_runtime::block_on(workbench.project(started.project_id)).unwrap();
    tauri::async_runtime::block_on(handover_app::demo::resume(&relaunch));
    let after = tauri::async_runtime::block_on(workbench.project(started.project_id)).unwrap();
    assert!(after.demo);
    assert_ne!(
        after.spec.dns_server, before.spec.dns_server,
        "new servers, new ports"
    );
    let port = after.spec.environments[0]
        .base_url
        .rsplit(':')
        .next()
        .unwrap()
        .parse::<u16>()
        .unwrap();
    assert!(
        std::net::TcpStream::connect(("127.0.0.1", port)).is_ok(),
        "the relaunched demo answers"
    );

    invoke(&app, command::DEMO_REMOVE, json!({ "request": {} })).expect("demo_remove succeeds");
    let list: Vec<ProjectSummary> = invoke(&app, command::PROJECT_LIST, json!({ "request": {} }))
        .unwrap()
        .deserialize()
        .unwrap();
    assert!(list.is_empty());
}

#[test]
fn a_folder_that_cannot_be_written_is_bad_input() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("not-a-folder");
    std::fs::write(&file, "x").unwrap();
    let out = Command::new(env!("CARGO_BIN_EXE_handover"))
        .arg("--data-dir")
        .arg(dir.path())
        .args(["demo", "--dir", file.to_str().unwrap()])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains("could not be written"), "{stderr}");
    assert!(out.stdout.is_empty());
}
