//! The `handover` executable: the desktop window by default, headless
//! subcommands for scripts and CI.

// Keep a Windows release build from opening a console next to the window.
#![cfg_attr(not(debug_assertions), windows_subsystem = "windows")]

fn main() -> std::process::ExitCode {
    handover_app::main()
}
