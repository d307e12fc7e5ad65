//! Handover's integration tests, in one binary.

// The shell's commands through Tauri's mock runtime, and the CLI binary.
mod shell;

// `handover check` against the loopback test bed.
mod checks;

// One engine: the window's run and `handover check --project/--config` agree.
mod check_runs;

// The headless CLI's text, exit codes, JSON shapes and schedule files.
mod cli;

// `handover recheck --all` over three test-bed projects.
mod recheck;

// `handover smoke`: the smoke sequence for CI, its JUnit report and exit codes.
mod smoke;

// `handover secrets`: findings without values, the JSON shape, exit codes.
mod secrets;

// `handover eval`: the chatbot's evaluation set against a scripted chat.
mod eval;

// `handover demo`: the demo product's project file, from another process.
#[cfg(target_os = "linux")]
mod demo;

// Projects, item state, history and the verdict through the same commands.
mod projects;

// Projects as files: `handover project import/export` and the window's commands.
mod project_files;

// The built app in a real window, driven over WebDriver. Needs a display,
// tauri-driver and WebKitWebDriver: `cargo xtask test` provides all three
// (on Linux, where WebKitGTK has a WebDriver).
#[cfg(target_os = "linux")]
mod e2e;

// Credentials in the real Secret Service, the clipboard on a real display,
// and the canary. `cargo xtask test` provides both.
#[cfg(target_os = "linux")]
mod keychain;

#[cfg(target_os = "linux")]
mod support;
