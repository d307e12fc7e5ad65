//! Handover's integration tests, in one binary.

// The shell's commands through Tauri's mock runtime, and the CLI binary.
mod shell;

// The built app in a real window, driven over WebDriver. Needs a display,
// tauri-driver and WebKitWebDriver: `cargo xtask test` provides all three.
mod e2e;

mod support;
