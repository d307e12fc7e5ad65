//! The headless CLI's text: findings grouped by host worst first, the one
//! verdict line, colour (never with NO_COLOR, never when piped unless
//! forced), `--quiet`, exit codes, `handover diff`/`history` on recorded
//! runs (text and the pinned JSON shape) and `handover schedule`'s files.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use handover_core::store::{RunRecord, Store};
use handover_model::{Finding, RunSource};
use serde_json::{json, Value};

/// Runs the binary on `data` with a clean colour environment.
fn handover(data: &Path, args: &[&str], env: &[(&str, &str)]) -> Output {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_handover"));
    cmd.arg("--data-dir")
        .arg(data)
        .args(args)
        .env_remove("NO_COLOR")
        .env_remove("CLICOLOR_FORCE")
        .env_remove("HANDOVER_LOG");
    for (k, v) in env {
        cmd.env(k, v);
    }
    cmd.output().unwrap()
}

fn stdout(out: &Output) -> String {
    String::from_utf8_lossy(&out.stdout).into_owned()
}

fn stderr(out: &Output) -> String {
    String::from_utf8_lossy(&out.stderr).into_owned()
}

/// `2026-04-06` at `hour`:00 UTC, ms since the epoch.
fn at(day: &str, hour: i64) -> i64 {
    handover_model::date::days_from_civil(day).unwrap() * 86_400_000 + hour * 3_600_000
}

fn finding(check: &str, host: &str, target: &str, severity: &str, title: &str) -> Value {
    json!({
        "check": check, "target": target, "host": host, "severity": severity,
        "title": title, "detail": "", "evidence": [], "measured": []
    })
}

fn with_days_left(mut f: Value, days: f64) -> Value {
    f["measured"] = json!([{ "name": "days_left", "value": days, "unit": "days" }]);
    f
}

fn could_not_check(mut f: Value, reason: &str) -> Value {
    f["outcome"] = json!({ "kind": "inconclusive", "cause": "timed_out", "reason": reason });
    f
}

/// A data directory with project "Opsbot" (id 1) and two recorded runs a
/// week apart: a certificate going from high to blocker, a new CSP
/// problem, HSTS that could not be checked the second time.
fn two_runs() -> (tempfile::TempDir, PathBuf) {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("data");
    let file = dir.path().join("opsbot.toml");
    std::fs::write(&file, "name = \"Opsbot\"\napex = \"example.test\"\n").unwrap();
    let out = handover(&data, &["project", "import", file.to_str().unwrap()], &[]);
    assert!(out.status.success(), "{}", stderr(&out));
    let api = "api.example.test:443";
    let first = vec![
        with_days_left(
            finding(
                "tls.expiry",
                "api.example.test",
                api,
                "high",
                "expires in 20 days",
            ),
            20.0,
        ),
        finding(
            "headers.hsts",
            "example.test",
            "https://example.test/",
            "medium",
            "HSTS lasts only 5 minutes",
        ),
        finding(
            "dns.resolve",
            "example.test",
            "example.test",
            "pass",
            "resolves",
        ),
    ];
    let second = vec![
        with_days_left(
            finding(
                "tls.expiry",
                "api.example.test",
                api,
                "blocker",
                "expires in 2 days",
            ),
            2.0,
        ),
        could_not_check(
            finding(
                "headers.hsts",
                "example.test",
                "https://example.test/",
                "info",
                "HSTS",
            ),
            "example.test did not answer in time",
        ),
        finding(
            "headers.csp",
            "example.test",
            "https://example.test/",
            "high",
            "No Content-Security-Policy",
        ),
        finding(
            "dns.resolve",
            "example.test",
            "example.test",
            "pass",
            "resolves",
        ),
    ];
    let store = Store::open(&data.join("handover.db")).unwrap();
    for (day, findings) in [("2026-04-06", first), ("2026-04-13", second)] {
        let findings: Vec<Finding> = serde_json::from_value(Value::Array(findings)).unwrap();
        let record = RunRecord {
            project_id: Some(1),
            source: RunSource::Cli,
            subject: "Opsbot".into(),
            started_ms: at(day, 7),
            finished_ms: at(day, 7) + 1_500,
        };
        store
            .run_blocking(move |db| db.insert_run(&record, &findings))
            .unwrap();
    }
    (dir, data)
}

const VERDICT: &str =
    "no-go: 1 blocker, 1 high, 1 could not be checked — 4 checks on 2 hosts in 1.5 s";

#[test]
fn a_run_prints_findings_by_host_worst_first_and_ends_with_the_verdict_line() {
    let (_dir, data) = two_runs();
    let out = handover(&data, &["run", "2"], &[]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let text = stdout(&out);
    let lines: Vec<&str> = text.lines().skip(1).collect();
    let row = |state: &str, check: &str, target: &str, title: &str| {
        format!("  {state:<8} {check:<24} {target:<32} {title}")
    };
    let expected = vec![
        "api.example.test".to_string(),
        row(
            "blocker",
            "tls.expiry",
            "api.example.test:443",
            "expires in 2 days",
        ),
        "example.test".to_string(),
        row(
            "high",
            "headers.csp",
            "https://example.test/",
            "No Content-Security-Policy",
        ),
        row(
            "unknown",
            "headers.hsts",
            "https://example.test/",
            "could not check: example.test did not answer in time",
        ),
        row("pass", "dns.resolve", "example.test", "resolves"),
        VERDICT.to_string(),
    ];
    assert_eq!(lines, expected, "{text}");
    assert!(
        !text.contains('\x1b'),
        "piped output has no colour: {text:?}"
    );

    let quiet = handover(&data, &["run", "2", "--quiet"], &[]);
    assert_eq!(stdout(&quiet), format!("{VERDICT}\n"));

    let forced = handover(&data, &["run", "2"], &[("CLICOLOR_FORCE", "1")]);
    assert!(stdout(&forced).contains("\x1b["), "CLICOLOR_FORCE colours");
    let no_color = handover(
        &data,
        &["run", "2"],
        &[("CLICOLOR_FORCE", "1"), ("NO_COLOR", "1")],
    );
    assert!(!stdout(&no_color).contains('\x1b'), "NO_COLOR wins");
    assert!(!stderr(&no_color).contains('\x1b'));
    assert_eq!(stdout(&no_color), text);
}

#[test]
fn usage_errors_exit_2_and_nothing_to_recheck_exits_0() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path();
    let code = |args: &[&str]| handover(data, args, &[]).status.code();
    assert_eq!(code(&["recheck"]), Some(2), "--project, --all or --due");
    assert_eq!(code(&["recheck", "--all", "--due"]), Some(2));
    assert_eq!(code(&["recheck", "--project", "Nope"]), Some(2));
    assert_eq!(code(&["history", "--project", "Nope"]), Some(2));
    assert_eq!(
        code(&["history", "--project", "x", "--since", "2026-13-01"]),
        Some(2)
    );
    assert_eq!(code(&["diff", "--project", "Nope"]), Some(2));
    assert_eq!(code(&["diff", "--project", "x", "one", "two"]), Some(2));
    assert_eq!(code(&["project", "show", "Nope"]), Some(2));
    assert_eq!(code(&["export", "Nope"]), Some(2));
    assert_eq!(code(&["no-such-command"]), Some(2));

    let out = handover(data, &["recheck", "--all"], &[]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert!(
        stdout(&out).contains("no projects to recheck"),
        "{}",
        stdout(&out)
    );
    let out = handover(data, &["project", "list"], &[]);
    assert_eq!(stdout(&out), "0 projects\n");
}

#[test]
fn project_list_and_show_in_text_and_json() {
    let (_dir, data) = two_runs();
    let out = handover(&data, &["project", "list"], &[]);
    assert!(out.status.success(), "{}", stderr(&out));
    let text = stdout(&out);
    assert!(
        text.lines()
            .any(|l| l.contains("Opsbot") && l.contains("example.test")),
        "{text}"
    );
    assert!(text.ends_with("1 project\n"), "{text}");
    let list: Value =
        serde_json::from_slice(&handover(&data, &["project", "list", "--json"], &[]).stdout)
            .unwrap();
    assert_eq!(list[0]["name"], "Opsbot");
}

/// The diff of the two recorded runs, as text and JSON.
#[test]
fn diff_shows_what_changed_by_host_and_pins_its_json() {
    let (_dir, data) = two_runs();
    let out = handover(&data, &["diff", "--project", "Opsbot"], &[]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let text = stdout(&out);
    let lines: Vec<&str> = text.lines().collect();
    assert_eq!(
        lines[0],
        "Opsbot: run 1 (2026-04-06T07:00:00Z) → run 2 (2026-04-13T07:00:00Z)"
    );
    assert_eq!(
        lines[1], "  api.example.test",
        "the worst host first: {text}"
    );
    assert!(
        lines[2].starts_with("    regressed  high → blocker   tls.expiry"),
        "{text}"
    );
    assert_eq!(lines[3], "      days_left: 20 days → 2 days", "{text}");
    assert_eq!(lines[4], "  example.test", "{text}");
    assert!(
        lines[5].starts_with("    new        high             headers.csp"),
        "{text}"
    );
    assert!(
        lines[6].starts_with("    unknown    was medium       headers.hsts"),
        "{text}"
    );
    assert_eq!(
        lines[7],
        "  1 new, 1 regressed, 0 resolved, 1 unknown, 0 persisting"
    );
    assert_eq!(lines[8], VERDICT);
    assert_eq!(lines.len(), 9, "{text}");

    let same = handover(&data, &["diff", "--project", "1", "1", "2"], &[]);
    assert_eq!(stdout(&same), text, "explicit runs, by project id");

    let json: Value = serde_json::from_slice(
        &handover(&data, &["diff", "--project", "Opsbot", "--json"], &[]).stdout,
    )
    .unwrap();
    assert_eq!(json["schema"], "handover-diff/1");
    assert_eq!(
        keys(&json),
        [
            "counts",
            "entries",
            "from_ms",
            "from_run",
            "project",
            "project_id",
            "schema",
            "to_ms",
            "to_run"
        ]
    );
    assert_eq!(json["from_run"], 1);
    assert_eq!(json["to_run"], 2);
    assert_eq!(
        json["counts"],
        json!({"new": 1, "regressed": 1, "persisting": 0, "unknown": 1, "resolved": 0})
    );
    assert_eq!(
        keys(&json["entries"][0]),
        [
            "after",
            "before",
            "check",
            "deltas",
            "fingerprint",
            "host",
            "state",
            "target",
            "title"
        ]
    );
}

fn keys(value: &Value) -> Vec<String> {
    let mut keys: Vec<String> = value
        .as_object()
        .unwrap_or_else(|| panic!("an object: {value}"))
        .keys()
        .cloned()
        .collect();
    keys.sort();
    keys
}

/// The history of the two recorded runs, as text, since a day, and JSON
/// (the shape `handover-history/1` pins).
#[test]
fn history_lists_runs_oldest_first_then_the_latest_diff() {
    let (_dir, data) = two_runs();
    let out = handover(&data, &["history", "--project", "Opsbot"], &[]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let text = stdout(&out);
    let lines: Vec<&str> = text.lines().collect();
    assert_eq!(
        lines[0], "Opsbot: 2 runs · runs kept 730 days · no weekly recheck",
        "{text}"
    );
    assert_eq!(
        lines[1],
        "    run  started               blocker  high medium  low unknown"
    );
    assert_eq!(
        lines[2],
        "      1  2026-04-06T07:00:00Z        0     1      1    0       0"
    );
    assert_eq!(
        lines[3],
        "      2  2026-04-13T07:00:00Z        1     1      0    0       1"
    );
    assert_eq!(
        lines[4],
        "Latest changes: run 1 (2026-04-06T07:00:00Z) → run 2 (2026-04-13T07:00:00Z)"
    );
    assert_eq!(lines.last().copied(), Some(VERDICT), "{text}");

    let since = stdout(&handover(
        &data,
        &["history", "--project", "Opsbot", "--since", "2026-04-10"],
        &[],
    ));
    assert!(
        since.starts_with("Opsbot: 1 run since 2026-04-10 ·"),
        "{since}"
    );

    let out = handover(&data, &["history", "--project", "Opsbot", "--json"], &[]);
    let json: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(json["schema"], "handover-history/1");
    assert_eq!(
        keys(&json),
        [
            "certificate_days",
            "diff",
            "p95",
            "project",
            "project_id",
            "retention_days",
            "runs",
            "schedule",
            "schema",
            "uptime"
        ]
    );
    for key in ["certificate_days", "p95", "runs", "uptime"] {
        assert!(json[key].is_array(), "{key}: {}", json[key]);
    }
    assert!(json["diff"].is_object() && json["schedule"].is_object());
    assert!(json["retention_days"].is_u64() && json["project_id"].is_i64());
    assert_eq!(
        keys(&json["runs"][0]),
        ["by_severity", "inconclusive", "run_id", "started_ms"]
    );
    assert_eq!(json["runs"][1]["by_severity"], json!([1, 1, 0, 0]));
    assert_eq!(
        keys(&json["schedule"]),
        ["enabled", "next_due_ms", "time", "time_zone", "weekday"]
    );
}

/// `schedule install` writes a systemd user timer and service under
/// `$XDG_CONFIG_HOME` (or `--dir`), a launchd agent, or prints `schtasks`;
/// `uninstall` removes them.
#[test]
fn schedule_install_writes_the_timer_that_rechecks_due_projects_hourly() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("data");
    let config = dir.path().join("config");
    let xdg = [("XDG_CONFIG_HOME", config.to_str().unwrap())];
    let out = handover(&data, &["schedule", "install", "--platform", "linux"], &xdg);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let units = config.join("systemd").join("user");
    let service = std::fs::read_to_string(units.join("handover-recheck.service")).unwrap();
    let timer = std::fs::read_to_string(units.join("handover-recheck.timer")).unwrap();
    let exec = service
        .lines()
        .find_map(|l| l.strip_prefix("ExecStart="))
        .expect("an ExecStart line");
    assert!(exec.starts_with(env!("CARGO_BIN_EXE_handover")), "{exec}");
    assert!(
        exec.ends_with(&format!(
            "--data-dir {} --db {} recheck --due --quiet",
            data.display(),
            data.join("handover.db").display()
        )),
        "{exec}"
    );
    assert!(service.contains("\nType=oneshot\n"), "{service}");
    for line in [
        "OnCalendar=hourly",
        "Persistent=true",
        "Unit=handover-recheck.service",
        "WantedBy=timers.target",
    ] {
        assert!(timer.lines().any(|l| l == line), "{line}: {timer}");
    }
    assert!(
        stdout(&out).contains("systemctl --user daemon-reload && systemctl --user enable --now handover-recheck.timer"),
        "{}",
        stdout(&out)
    );

    let out = handover(
        &data,
        &["schedule", "uninstall", "--platform", "linux"],
        &xdg,
    );
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert!(!units.join("handover-recheck.timer").exists());
    assert!(!units.join("handover-recheck.service").exists());
    assert!(stdout(&out).contains("systemctl --user disable --now handover-recheck.timer"));

    let agents = dir.path().join("agents");
    let out = handover(
        &data,
        &[
            "schedule",
            "install",
            "--platform",
            "macos",
            "--dir",
            agents.to_str().unwrap(),
        ],
        &[],
    );
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let plist = std::fs::read_to_string(agents.join("app.handover.recheck.plist")).unwrap();
    for part in [
        "<key>Label</key>\n    <string>app.handover.recheck</string>",
        "<key>StartInterval</key>\n    <integer>3600</integer>",
        "        <string>recheck</string>\n        <string>--due</string>\n        <string>--quiet</string>\n",
    ] {
        assert!(plist.contains(part), "{part}: {plist}");
    }
    assert!(stdout(&out).contains("launchctl load -w "));

    let out = handover(
        &data,
        &["schedule", "install", "--platform", "windows"],
        &[],
    );
    assert!(
        stdout(&out).contains("schtasks /Create /SC HOURLY /TN \"Handover recheck\""),
        "{}",
        stdout(&out)
    );
}
