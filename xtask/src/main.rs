//! # Brief overview
//!
//! Project automation, run as `cargo xtask <task>`:
//!
//! - `setup`: install what building and testing need (idempotent);
//! - `ui [--release]`: build the wasm UI into `ui/dist`;
//! - `run [--release] [-- ARGS]`: setup, UI, then start the app;
//! - `test`: setup, UI, fmt, clippy, every test and the e2e suite inside
//!   Xvfb + D-Bus + an unlocked gnome-keyring with a throwaway `HOME`.
//!
//! It uses only the standard library so it builds in seconds on a fresh clone.

mod setup;
mod sh;
mod test;
mod ui;

use std::path::{Path, PathBuf};
use std::process::ExitCode;

const USAGE: &str = "\
usage: cargo xtask <task>

tasks:
  setup              install system packages, the wasm32 toolchain, wasm-bindgen-cli, tauri-driver
  ui [--release]     build the Sycamore UI into ui/dist
  run [--release] [-- APP-ARGS]
                     setup + ui + start Handover
  test               setup + ui + fmt + clippy + all tests + e2e, in Xvfb/D-Bus/keyring
  bench              audit a loopback test-bed project, plain and with 50 ms per round trip,
                     and print wall time against the slowest check; then run the latency
                     probe beside oha (installed if missing) and print both p95 values;
                     then time the handover report of a year of weekly runs (PDF size too);
                     then time the demo product's start against its 2 s goal
";

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let (task, rest) = match args.split_first() {
        Some((task, rest)) => (task.as_str(), rest),
        None => {
            eprint!("{USAGE}");
            return ExitCode::from(2);
        }
    };
    // Flags before `--` are xtask's; the rest belong to the app.
    let release = rest
        .iter()
        .take_while(|a| *a != "--")
        .any(|a| a == "--release");
    let result = match task {
        "setup" => setup::run().map(|_| ()),
        "ui" => setup::run().and_then(|tools| ui::build(&tools, release)),
        "run" => run_app(release, passthrough(rest)),
        "test" => test::run(),
        "bench" => bench(),
        "test-inside" => test::inside(),
        "-h" | "--help" | "help" => {
            print!("{USAGE}");
            Ok(())
        }
        other => Err(format!("unknown task {other:?}\n{USAGE}")),
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(message) => {
            eprintln!("xtask: {message}");
            ExitCode::FAILURE
        }
    }
}

/// The benchmarks: the audit, the latency probe beside oha, the report,
/// the demo's start.
fn bench() -> Result<(), String> {
    let oha = setup::oha()?;
    for bench in ["audit", "latency", "report"] {
        let status = sh::cargo()
            .args(["bench", "-p", "handover-core", "--bench", bench])
            .env("OHA", &oha)
            .status()
            .map_err(|e| format!("cannot run cargo bench: {e}"))?;
        if !status.success() {
            return Err(format!("the {bench} benchmark failed"));
        }
    }
    let status = sh::cargo()
        .args(["bench", "-p", "handover-demo", "--bench", "start"])
        .status()
        .map_err(|e| format!("cannot run cargo bench: {e}"))?;
    if !status.success() {
        return Err("the demo start benchmark failed".into());
    }
    Ok(())
}

/// Arguments after `--`, handed to the app.
fn passthrough(rest: &[String]) -> Vec<String> {
    rest.iter()
        .skip_while(|a| *a != "--")
        .skip(1)
        .cloned()
        .collect()
}

fn run_app(release: bool, app_args: Vec<String>) -> Result<(), String> {
    let tools = setup::run()?;
    ui::build(&tools, release)?;
    let mut build = sh::cargo();
    build.args(["build", "--package", "handover", "--bin", "handover"]);
    if release {
        build.arg("--release");
    }
    sh::run(&mut build)?;
    let binary = root()
        .join("target")
        .join(if release { "release" } else { "debug" })
        .join(format!("handover{}", std::env::consts::EXE_SUFFIX));
    let mut app = if needs_virtual_display() {
        eprintln!("xtask: no display found; starting Handover inside Xvfb (xvfb-run -a)");
        let mut cmd = std::process::Command::new("xvfb-run");
        cmd.arg("-a").arg(&binary);
        cmd
    } else {
        std::process::Command::new(&binary)
    };
    app.args(app_args);
    sh::run(&mut app)
}

/// Linux without X11 or Wayland (a server, CI, this sandbox) needs Xvfb.
fn needs_virtual_display() -> bool {
    cfg!(target_os = "linux")
        && std::env::var_os("DISPLAY").is_none()
        && std::env::var_os("WAYLAND_DISPLAY").is_none()
}

/// The repository root (the workspace that holds `xtask/`).
pub fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .expect("xtask lives one level below the workspace root")
        .to_path_buf()
}
