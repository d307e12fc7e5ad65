//! `cargo xtask test`: the whole suite, the way CI runs it.
//!
//! The outer half (`run`) prepares tools and the UI, then re-enters xtask as
//! `test-inside` under `xvfb-run -a dbus-run-session` with a throwaway `HOME`.
//! The inner half unlocks a fresh gnome-keyring on that private bus and runs
//! every step, counting libtest's results into one closing line.

use std::io::{BufRead, BufReader, Write};
use std::path::PathBuf;
use std::process::{Command, Stdio};

use crate::setup;
use crate::sh;
use crate::ui;

/// File in the throwaway `HOME` where the inner half leaves its summary, so
/// the outer half prints it last, after Xvfb's clients have had their say.
const SUMMARY_FILE: &str = "xtask-test-summary.txt";

/// Password of the throwaway keyring; it protects nothing real.
const KEYRING_PASSWORD: &str = "handover-test";

/// Outer half: setup, UI, then the isolated environment.
pub fn run() -> Result<(), String> {
    let started = std::time::Instant::now();
    let tools = setup::run()?;
    ui::build(&tools, false)?;

    let home = std::env::temp_dir().join(format!("handover-test-home-{}", std::process::id()));
    std::fs::create_dir_all(&home).map_err(|e| format!("cannot create {}: {e}", home.display()))?;
    let rustup_home = std::env::var_os("RUSTUP_HOME")
        .map(PathBuf::from)
        .or_else(|| std::env::var_os("HOME").map(|h| PathBuf::from(h).join(".rustup")));

    let me = std::env::current_exe().map_err(|e| format!("cannot find xtask itself: {e}"))?;
    let mut inner = Command::new("xvfb-run");
    inner
        .args([
            "-a",
            "-s",
            "-screen 0 1400x900x24",
            "dbus-run-session",
            "--",
        ])
        .arg(me)
        .arg("test-inside")
        .current_dir(crate::root())
        .env("HOME", &home)
        .env("CARGO_HOME", sh::cargo_home())
        .env_remove("XDG_DATA_HOME")
        .env_remove("XDG_CONFIG_HOME")
        .env_remove("XDG_CACHE_HOME")
        .env_remove("XDG_RUNTIME_DIR")
        .env_remove("HANDOVER_DATA_DIR");
    if let Some(rustup_home) = rustup_home {
        inner.env("RUSTUP_HOME", rustup_home);
    }
    if let Some(driver) = &tools.tauri_driver {
        inner.env("TAURI_DRIVER", driver);
    }
    eprintln!("$ {}", sh::show(&inner));
    let status = inner
        .status()
        .map_err(|e| format!("cannot start xvfb-run: {e}"));
    let summary = std::fs::read_to_string(home.join(SUMMARY_FILE));
    let _ = std::fs::remove_dir_all(&home);
    let status = status?;
    println!();
    let secs = started.elapsed().as_secs();
    println!("took {}m{:02}s", secs / 60, secs % 60);
    match summary {
        Ok(text) => print!("{text}"),
        // The inner half died before counting: say so in the same form.
        Err(_) => println!("0 passed, 1 failed"),
    }
    if status.success() {
        Ok(())
    } else {
        std::process::exit(status.code().unwrap_or(1))
    }
}

/// Inner half, inside Xvfb and a private D-Bus session.
pub fn inside() -> Result<(), String> {
    let keyring = Keyring::start()?;
    // Keep GTK from starting an accessibility bus that would outlive the run.
    std::env::set_var("NO_AT_BRIDGE", "1");
    let mut tally = Tally::default();
    tally.step("fmt", sh::cargo().args(["fmt", "--all", "--check"]));
    tally.step(
        "clippy",
        sh::cargo().args([
            "clippy",
            "--workspace",
            "--all-targets",
            "--",
            "-D",
            "warnings",
        ]),
    );
    tally.tests(
        "unit and integration tests",
        sh::cargo().args(["test", "--workspace", "--no-fail-fast"]),
    );
    tally.tests(
        "keychain and clipboard (real Secret Service, X display)",
        sh::cargo().args([
            "test",
            "--package",
            "handover",
            "--test",
            "integration",
            "--",
            "--ignored",
            "--nocapture",
            "--test-threads=1",
            "keychain::",
        ]),
    );
    tally.tests(
        "e2e (real window)",
        sh::cargo().args([
            "test",
            "--package",
            "handover",
            "--test",
            "integration",
            "--",
            "--ignored",
            "--nocapture",
            "--test-threads=1",
            "e2e::",
        ]),
    );
    drop(keyring);
    let mut summary = String::new();
    for line in &tally.report {
        summary.push_str(line);
        summary.push('\n');
    }
    summary.push_str(&format!(
        "{} passed, {} failed\n",
        tally.passed, tally.failed
    ));
    let home = std::env::var_os("HOME").ok_or("HOME is not set")?;
    std::fs::write(std::path::Path::new(&home).join(SUMMARY_FILE), summary)
        .map_err(|e| format!("cannot write the test summary: {e}"))?;
    if tally.failed > 0 {
        std::process::exit(1);
    }
    Ok(())
}

/// gnome-keyring's Secret Service on the private session bus, unlocked;
/// stopped when dropped so no daemon outlives the test run.
struct Keyring(std::process::Child);

impl Keyring {
    fn start() -> Result<Self, String> {
        let mut daemon = Command::new("gnome-keyring-daemon")
            .args(["--foreground", "--components=secrets", "--unlock"])
            .stdin(Stdio::piped())
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .map_err(|e| format!("cannot start gnome-keyring-daemon: {e}"))?;
        // --unlock reads the password from stdin until it closes.
        if let Some(mut stdin) = daemon.stdin.take() {
            stdin
                .write_all(KEYRING_PASSWORD.as_bytes())
                .map_err(|e| format!("cannot unlock the keyring: {e}"))?;
        }
        let keyring = Keyring(daemon);
        let deadline = std::time::Instant::now() + std::time::Duration::from_secs(20);
        while !secret_service_is_up() {
            if std::time::Instant::now() > deadline {
                return Err(
                    "gnome-keyring did not claim org.freedesktop.secrets within 20s".into(),
                );
            }
            std::thread::sleep(std::time::Duration::from_millis(100));
        }
        eprintln!("xtask: gnome-keyring unlocked on the private session bus");
        Ok(keyring)
    }
}

impl Drop for Keyring {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

fn secret_service_is_up() -> bool {
    sh::probe(
        "dbus-send",
        [
            "--session",
            "--print-reply",
            "--dest=org.freedesktop.DBus",
            "/org/freedesktop/DBus",
            "org.freedesktop.DBus.NameHasOwner",
            "string:org.freedesktop.secrets",
        ],
    )
    .is_some_and(|reply| reply.contains("boolean true"))
}

/// Running totals for the closing line.
#[derive(Default)]
struct Tally {
    passed: u64,
    failed: u64,
    report: Vec<String>,
}

impl Tally {
    /// A step that counts as one pass or one failure (fmt, clippy).
    fn step(&mut self, name: &str, cmd: &mut Command) {
        let ok = sh::run(cmd).is_ok();
        if ok {
            self.passed += 1;
        } else {
            self.failed += 1;
        }
        self.report
            .push(format!("{name}: {}", if ok { "ok" } else { "FAILED" }));
    }

    /// A `cargo test` run: streams its output and adds up libtest's result lines.
    fn tests(&mut self, name: &str, cmd: &mut Command) {
        eprintln!("$ {}", sh::show(cmd));
        let child = cmd.stdout(Stdio::piped()).spawn();
        let mut child = match child {
            Ok(child) => child,
            Err(e) => {
                self.failed += 1;
                self.report.push(format!("{name}: could not start ({e})"));
                return;
            }
        };
        let (mut passed, mut failed, mut ignored, mut suites) = (0, 0, 0, 0);
        if let Some(stdout) = child.stdout.take() {
            for line in BufReader::new(stdout).lines().map_while(Result::ok) {
                println!("{line}");
                if let Some(counts) = parse_result_line(&line) {
                    passed += counts.0;
                    failed += counts.1;
                    ignored += counts.2;
                    suites += 1;
                }
            }
        }
        let success = child.wait().is_ok_and(|s| s.success());
        // A build error or crash produces no result line but must still count.
        if !success && failed == 0 {
            failed = 1;
        }
        self.passed += passed;
        self.failed += failed;
        self.report.push(format!(
            "{name}: {passed} passed, {failed} failed, {ignored} ignored in {suites} suites"
        ));
    }
}

/// Parses `test result: ok. 5 passed; 0 failed; 1 ignored; ...`.
fn parse_result_line(line: &str) -> Option<(u64, u64, u64)> {
    let rest = line.trim().strip_prefix("test result: ")?;
    let count = |label: &str| -> u64 {
        rest.split(';')
            .find_map(|part| {
                let part = part
                    .trim()
                    .trim_start_matches("ok. ")
                    .trim_start_matches("FAILED. ");
                part.strip_suffix(label)?.trim().parse().ok()
            })
            .unwrap_or(0)
    };
    Some((count("passed"), count("failed"), count("ignored")))
}

#[cfg(test)]
mod tests {
    use super::parse_result_line;

    #[test]
    fn reads_libtest_summaries() {
        assert_eq!(
            parse_result_line("test result: ok. 5 passed; 0 failed; 1 ignored; 0 measured; 0 filtered out; finished in 0.00s"),
            Some((5, 0, 1))
        );
        assert_eq!(
            parse_result_line("test result: FAILED. 3 passed; 2 failed; 0 ignored; 0 measured"),
            Some((3, 2, 0))
        );
        assert_eq!(parse_result_line("running 3 tests"), None);
    }
}
