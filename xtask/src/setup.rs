//! `cargo xtask setup`: everything building and testing need, installed only
//! when missing, so a second run takes a second.

use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::Duration;

use crate::sh;

/// Debian/Ubuntu packages: the webkit2gtk 4.1 stack Tauri links against, a
/// virtual display, the WebDriver for e2e, a real Secret Service for keychain
/// tests, and poppler to inspect exported PDFs.
const SYSTEM_PACKAGES: &[&str] = &[
    "build-essential",
    "pkg-config",
    "curl",
    "file",
    "libssl-dev",
    "libwebkit2gtk-4.1-dev",
    "libgtk-3-dev",
    "libsoup-3.0-dev",
    "libayatana-appindicator3-dev",
    "librsvg2-dev",
    "xvfb",
    "xauth",
    "webkit2gtk-driver",
    "gnome-keyring",
    "dbus",
    "libsecret-tools",
    "poppler-utils",
];

/// Debian's wasm-capable rustc, its std sources (for `-Zbuild-std`) and a wasm linker.
const DEBIAN_WASM_PACKAGES: &[&str] = &["rustc-web", "rust-web-src", "lld-22", "libllvm22"];

/// How long `rustup target add` may try before we fall back to Debian's toolchain.
const RUSTUP_TIMEOUT: Duration = Duration::from_secs(45);

/// Set to `rustup` or `debian` to force one wasm toolchain path.
const TOOLCHAIN_ENV: &str = "HANDOVER_WASM_TOOLCHAIN";

/// A compiler that can target `wasm32-unknown-unknown`.
#[derive(Debug, Clone)]
pub enum WasmToolchain {
    /// rustup's toolchain with the wasm32 target's prebuilt std.
    Rustup,
    /// Debian's `rustc-web`: std is compiled from source with `-Zbuild-std`.
    Debian {
        /// `/usr/bin/rustc`.
        rustc: PathBuf,
        /// A `wasm-ld` from Debian's lld.
        linker: PathBuf,
    },
}

/// What later tasks need from setup.
#[derive(Debug, Clone)]
pub struct Tools {
    /// The compiler for the UI.
    pub wasm: WasmToolchain,
    /// `wasm-bindgen` at the lock file's version.
    pub wasm_bindgen: PathBuf,
    /// `tauri-driver`, for e2e tests (Linux and Windows only).
    pub tauri_driver: Option<PathBuf>,
}

/// Installs what is missing and reports the tools to use.
pub fn run() -> Result<Tools, String> {
    let debian = is_debian_like();
    if debian {
        ensure_packages(SYSTEM_PACKAGES)?;
    } else {
        print_manual_instructions();
    }
    let wasm = wasm_toolchain(debian)?;
    let wasm_bindgen = ensure_wasm_bindgen()?;
    let tauri_driver = if cfg!(any(target_os = "linux", target_os = "windows")) {
        Some(ensure_cargo_tool(
            "tauri-driver",
            &["tauri-driver", "--locked"],
        )?)
    } else {
        None
    };
    Ok(Tools {
        wasm,
        wasm_bindgen,
        tauri_driver,
    })
}

fn is_debian_like() -> bool {
    if !cfg!(target_os = "linux") {
        return false;
    }
    let release = std::fs::read_to_string("/etc/os-release").unwrap_or_default();
    release.lines().any(|line| {
        let line = line.to_ascii_lowercase();
        (line.starts_with("id=") || line.starts_with("id_like="))
            && (line.contains("debian") || line.contains("ubuntu"))
    })
}

fn print_manual_instructions() {
    eprintln!(
        "xtask: automatic system set-up covers Debian and Ubuntu. On this system install by hand:
  - Fedora: sudo dnf install webkit2gtk4.1-devel openssl-devel gtk3-devel libsoup3-devel \\
      libappindicator-gtk3-devel librsvg2-devel xorg-x11-server-Xvfb webkit2gtk4.1 gnome-keyring \\
      libsecret poppler-utils
  - Arch: sudo pacman -S webkit2gtk-4.1 gtk3 libsoup3 libappindicator-gtk3 librsvg xorg-server-xvfb \\
      gnome-keyring libsecret poppler
  - macOS: xcode-select --install  (WebKit and the Keychain are part of the system; e2e tests need Linux or Windows)
  - Windows: install the WebView2 runtime and the MSVC build tools; msedgedriver for e2e tests
  then: rustup target add wasm32-unknown-unknown"
    );
}

/// Packages from `wanted` that dpkg does not report as installed.
fn missing_packages(wanted: &[&str]) -> Vec<String> {
    wanted
        .iter()
        .filter(|pkg| {
            sh::probe("dpkg-query", ["-W", "-f=${Status}", pkg])
                .is_none_or(|status| !status.ends_with("install ok installed"))
        })
        .map(|pkg| pkg.to_string())
        .collect()
}

fn ensure_packages(wanted: &[&str]) -> Result<(), String> {
    let missing = missing_packages(wanted);
    if missing.is_empty() {
        return Ok(());
    }
    eprintln!("xtask: installing Debian packages: {}", missing.join(" "));
    let as_root = sh::probe("id", ["-u"]).as_deref() == Some("0");
    let apt = |args: &[&str]| -> Command {
        let mut cmd = if as_root {
            Command::new("apt-get")
        } else {
            let mut sudo = Command::new("sudo");
            sudo.arg("apt-get");
            sudo
        };
        cmd.args(args).env("DEBIAN_FRONTEND", "noninteractive");
        cmd
    };
    sh::run(&mut apt(&["update", "-q"]))?;
    let mut install = apt(&["install", "-y", "-q", "--no-install-recommends"]);
    install.args(&missing);
    sh::run(&mut install)?;
    let still = missing_packages(wanted);
    if still.is_empty() {
        Ok(())
    } else {
        Err(format!(
            "these packages did not install: {}",
            still.join(" ")
        ))
    }
}

/// Picks (and if needed installs) a wasm32 compiler: rustup's target first,
/// Debian's `rustc-web` with `-Zbuild-std` where rustup cannot download.
fn wasm_toolchain(debian: bool) -> Result<WasmToolchain, String> {
    let forced = std::env::var(TOOLCHAIN_ENV).ok();
    let allow_rustup = forced.as_deref() != Some("debian");
    let allow_debian = debian && forced.as_deref() != Some("rustup");
    if allow_rustup && rustup_has_wasm_std() {
        return Ok(WasmToolchain::Rustup);
    }
    if allow_debian {
        if let Some(found) = debian_toolchain() {
            return Ok(found);
        }
    }
    if allow_rustup && sh::which("rustup").is_some() {
        let mut add = Command::new("rustup");
        add.args(["target", "add", "wasm32-unknown-unknown"]);
        if sh::run_with_timeout(&mut add, RUSTUP_TIMEOUT)? && rustup_has_wasm_std() {
            return Ok(WasmToolchain::Rustup);
        }
    }
    if allow_debian {
        eprintln!(
            "xtask: rustup cannot provide wasm32 here; using Debian's rustc-web with -Zbuild-std"
        );
        ensure_packages(DEBIAN_WASM_PACKAGES)?;
        if let Some(found) = debian_toolchain() {
            return Ok(found);
        }
    }
    Err(
        "no wasm32 toolchain: run `rustup target add wasm32-unknown-unknown`, or on Debian \
         `apt-get install rustc-web rust-web-src lld-22 libllvm22`"
            .into(),
    )
}

/// True when `rustc` (rustup's, first on PATH) has a prebuilt wasm32 std.
fn rustup_has_wasm_std() -> bool {
    let Some(libdir) = sh::probe(
        "rustc",
        [
            "--print",
            "target-libdir",
            "--target",
            "wasm32-unknown-unknown",
        ],
    ) else {
        return false;
    };
    std::fs::read_dir(&libdir).is_ok_and(|entries| {
        entries
            .flatten()
            .any(|e| e.file_name().to_string_lossy().starts_with("libstd-"))
    })
}

/// Debian's `rustc-web` installs as `/usr/bin/rustc` with std sources under
/// `/usr/lib/rustlib/src/rust`; lld-NN provides `wasm-ld-NN`.
fn debian_toolchain() -> Option<WasmToolchain> {
    let rustc = PathBuf::from("/usr/bin/rustc");
    let has_src = Path::new("/usr/lib/rustlib/src/rust/library/std").is_dir();
    let linker = wasm_linker()?;
    (rustc.is_file() && has_src).then_some(WasmToolchain::Debian { rustc, linker })
}

fn wasm_linker() -> Option<PathBuf> {
    if let Some(plain) = sh::which("wasm-ld") {
        return Some(plain);
    }
    let mut versioned: Vec<PathBuf> = std::fs::read_dir("/usr/bin")
        .ok()?
        .flatten()
        .map(|e| e.path())
        .filter(|p| {
            p.file_name()
                .and_then(|n| n.to_str())
                .is_some_and(|n| n.starts_with("wasm-ld-"))
        })
        .collect();
    versioned.sort();
    versioned.pop()
}

/// The wasm-bindgen version pinned in `Cargo.lock`; the CLI must match it exactly.
pub fn locked_wasm_bindgen_version() -> Result<String, String> {
    let lock = std::fs::read_to_string(crate::root().join("Cargo.lock"))
        .map_err(|e| format!("cannot read Cargo.lock: {e}"))?;
    let mut lines = lock.lines();
    while let Some(line) = lines.next() {
        if line.trim() == "name = \"wasm-bindgen\"" {
            if let Some(version) = lines
                .next()
                .and_then(|l| l.trim().strip_prefix("version = \""))
                .and_then(|v| v.strip_suffix('"'))
            {
                return Ok(version.to_string());
            }
        }
    }
    Err("Cargo.lock has no wasm-bindgen package".into())
}

fn ensure_wasm_bindgen() -> Result<PathBuf, String> {
    let version = locked_wasm_bindgen_version()?;
    let wanted = format!("wasm-bindgen {version}");
    if let Some(path) = sh::cargo_tool("wasm-bindgen") {
        if sh::probe(&path, ["--version"]).as_deref() == Some(wanted.as_str()) {
            return Ok(path);
        }
    }
    let exact = format!("={version}");
    let locked = ["wasm-bindgen-cli", "--version", &exact, "--locked"];
    if sh::run(sh::cargo().arg("install").args(locked)).is_err() {
        // The CLI's own lock file can name a dependency version the registry
        // no longer serves; the binary's version still matches exactly.
        eprintln!("xtask: retrying wasm-bindgen-cli {version} without --locked");
        sh::run(sh::cargo().arg("install").args(&locked[..3]))?;
    }
    sh::cargo_tool("wasm-bindgen").ok_or_else(|| "wasm-bindgen installed but not found".into())
}

/// oha, the HTTP load generator the latency bench compares with.
pub fn oha() -> Result<PathBuf, String> {
    if let Some(path) = sh::cargo_tool("oha") {
        return Ok(path);
    }
    if sh::run(sh::cargo().args(["install", "oha", "--locked"])).is_err() {
        eprintln!("xtask: retrying oha without --locked");
        sh::run(sh::cargo().args(["install", "oha"]))?;
    }
    sh::cargo_tool("oha").ok_or_else(|| "oha installed but not found".into())
}

fn ensure_cargo_tool(name: &str, install_args: &[&str]) -> Result<PathBuf, String> {
    if let Some(path) = sh::cargo_tool(name) {
        return Ok(path);
    }
    sh::run(sh::cargo().arg("install").args(install_args))?;
    sh::cargo_tool(name).ok_or_else(|| format!("{name} installed but not found"))
}
