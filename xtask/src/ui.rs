//! `cargo xtask ui`: compile the Sycamore UI to wasm and assemble `ui/dist`.

use std::fs;
use std::path::Path;

use crate::setup::{Tools, WasmToolchain};
use crate::sh;

const WASM_TARGET: &str = "wasm32-unknown-unknown";

/// Files copied from the source tree into `ui/dist`, as (source, destination).
const STATIC_FILES: &[(&str, &str)] = &[
    ("ui/index.html", "index.html"),
    ("ui/boot.js", "boot.js"),
    ("assets/style.css", "style.css"),
    ("assets/fonts/Inter-Regular.ttf", "fonts/Inter-Regular.ttf"),
    ("assets/fonts/Inter-Bold.ttf", "fonts/Inter-Bold.ttf"),
    ("assets/icons/128x128.png", "logo.png"),
];

/// Builds the UI (debug or release) into `ui/dist`.
pub fn build(tools: &Tools, release: bool) -> Result<(), String> {
    let root = crate::root();
    // A separate target dir: the wasm build may use another rustc, and
    // sharing one dir would make each build invalidate the other's cache.
    let target_dir = root.join("target").join("wasm");
    let mut cargo = sh::cargo();
    cargo
        .args(["build", "--package", "handover-ui", "--target", WASM_TARGET])
        .env("CARGO_TARGET_DIR", &target_dir);
    if release {
        cargo.arg("--release");
    }
    if let WasmToolchain::Debian { rustc, linker } = &tools.wasm {
        cargo
            .args(["-Zbuild-std=std,panic_abort"])
            .env("RUSTC", rustc)
            .env("RUSTC_BOOTSTRAP", "1")
            .env("CARGO_TARGET_WASM32_UNKNOWN_UNKNOWN_LINKER", linker);
    }
    sh::run(&mut cargo)?;

    let profile = if release { "release" } else { "debug" };
    let wasm = target_dir
        .join(WASM_TARGET)
        .join(profile)
        .join("handover-ui.wasm");
    let dist = root.join("ui").join("dist");
    if dist.exists() {
        fs::remove_dir_all(&dist).map_err(|e| format!("cannot clear {}: {e}", dist.display()))?;
    }
    fs::create_dir_all(&dist).map_err(|e| format!("cannot create {}: {e}", dist.display()))?;

    let mut bindgen = std::process::Command::new(&tools.wasm_bindgen);
    bindgen
        .args([
            "--target",
            "web",
            "--no-typescript",
            "--out-name",
            "handover_ui",
            "--out-dir",
        ])
        .arg(&dist)
        .arg(&wasm);
    if !release {
        bindgen.arg("--debug");
    }
    sh::run(&mut bindgen)?;

    for (from, to) in STATIC_FILES {
        copy(&root.join(from), &dist.join(to))?;
    }
    eprintln!("xtask: UI ({profile}) assembled in {}", dist.display());
    Ok(())
}

fn copy(from: &Path, to: &Path) -> Result<(), String> {
    if let Some(parent) = to.parent() {
        fs::create_dir_all(parent)
            .map_err(|e| format!("cannot create {}: {e}", parent.display()))?;
    }
    fs::copy(from, to)
        .map(|_| ())
        .map_err(|e| format!("cannot copy {} to {}: {e}", from.display(), to.display()))
}
