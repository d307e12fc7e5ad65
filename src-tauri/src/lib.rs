//! # Brief overview
//!
//! The Handover shell: it wires [`handover_core`] to a Tauri window and to a
//! command line. Nothing here decides anything; every command is a one-line
//! adapter from a `handover_model` request to a core function.

mod check_cli;
mod cli;
pub mod clipboard;
pub mod commands;
pub mod demo;
mod demo_cli;
pub mod desktop;
mod eval_cli;
mod history_cli;
mod project_cli;
mod project_show;
mod recheck_cli;
mod report_cli;
mod runs_cli;
mod schedule_cli;
mod schedule_units;
mod secrets_baseline_cli;
mod secrets_cli;
mod smoke_cli;
pub mod state;
pub mod terminal;

use std::process::ExitCode;

use clap::Parser;

/// The version shown in the About panel and by `handover --version`.
pub const VERSION: &str = env!("CARGO_PKG_VERSION");

/// Registers Handover's state and commands on any Tauri builder, so the real
/// app and the mock-runtime tests are assembled the same way.
pub fn with_handover<R: tauri::Runtime>(
    builder: tauri::Builder<R>,
    state: state::AppState,
) -> tauri::Builder<R> {
    builder
        .plugin(tauri_plugin_opener::init())
        .plugin(tauri_plugin_dialog::init())
        .manage(state)
        .invoke_handler(tauri::generate_handler![
            commands::app_info,
            commands::catalog_get,
            commands::project_list,
            commands::project_get,
            commands::project_validate,
            commands::project_save,
            commands::project_delete,
            commands::project_import,
            commands::project_export,
            commands::items_get,
            commands::item_update,
            commands::item_history,
            commands::overview_get,
            commands::position_set,
            commands::resume_get,
            commands::accounts_get,
            commands::account_save,
            commands::account_delete,
            commands::credential_save,
            commands::credential_reveal,
            commands::credential_copy,
            commands::credential_delete,
            commands::contact_save,
            commands::contact_delete,
            commands::paste_scan,
            commands::dkim_selectors_read,
            commands::link_open,
            commands::checks_run,
            commands::runs_list,
            commands::run_get,
            commands::report_preview,
            commands::report_export,
            commands::report_open,
            commands::history_get,
            commands::diff_get,
            commands::schedule_set,
            commands::recheck_now,
            commands::secrets_get,
            commands::secrets_scan,
            commands::logs_scan,
            commands::secret_ignore,
            commands::secret_unignore,
            commands::eval_get,
            commands::eval_save,
            commands::eval_import,
            commands::eval_run,
            commands::eval_canary,
            commands::eval_export,
            commands::demo_start,
            commands::demo_remove,
            commands::retention_set,
            commands::autostart_get,
            commands::autostart_set,
        ])
}

/// Entry point of the binary: parses the command line, then either runs a
/// headless subcommand or opens the window.
pub fn main() -> ExitCode {
    let (hidden, argv) = desktop::take_hidden_flag(std::env::args_os());
    let args = cli::Args::parse_from(argv);
    terminal::set_quiet(args.quiet);
    init_logging();
    let state = match state::AppState::from_env(args.data_dir.clone(), args.db.clone()) {
        Ok(state) => state,
        Err(err) => {
            eprintln!("handover: {err}");
            return ExitCode::from(2);
        }
    };
    let launch = desktop::Launch {
        hidden,
        single_instance: args.data_dir.is_none() && std::env::var_os("HANDOVER_DATA_DIR").is_none(),
    };
    match args.command {
        Some(command) => cli::run(command, &state),
        None => run_window(state, launch),
    }
}

fn run_window(state: state::AppState, launch: desktop::Launch) -> ExitCode {
    let clipboard = state.clipboard.clone();
    let builder = desktop::with_desktop(tauri::Builder::default(), launch);
    let app = match with_handover(builder, state).build(tauri::generate_context!()) {
        Ok(app) => app,
        Err(err) => {
            eprintln!("handover: the window could not start: {err}");
            return ExitCode::FAILURE;
        }
    };
    app.run(move |_, event| {
        if let tauri::RunEvent::Exit = event {
            // A secret copied moments ago does not outlive the app.
            clipboard.clear_if_ours(None);
        }
    });
    ExitCode::SUCCESS
}

/// Logs go to stderr; `HANDOVER_LOG` (e.g. `debug`) sets the level of
/// Handover's own crates, while dependencies stay at `warn` unless named
/// (`HANDOVER_LOG=debug,hickory_resolver=debug`). Log lines name ids and
/// kinds, never secret values.
fn init_logging() {
    let filter = tracing_subscriber::EnvFilter::new(log_directives(
        std::env::var("HANDOVER_LOG").ok().as_deref(),
    ));
    let _ = tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_writer(std::io::stderr)
        // Colour only on a terminal, never with NO_COLOR.
        .with_ansi(terminal::colour_on_stderr())
        .try_init();
}

/// Handover's crates, as tracing names their targets.
const OWN_CRATES: [&str; 3] = ["handover", "handover_app", "handover_core"];

/// Turns `HANDOVER_LOG` into filter directives: a bare level applies to
/// Handover's crates only; directives naming a target pass through.
pub fn log_directives(setting: Option<&str>) -> String {
    let mut out = vec!["warn".to_string()];
    let mut own = "info".to_string();
    for part in setting.unwrap_or("").split(',').map(str::trim) {
        if part.is_empty() {
            continue;
        }
        if part.contains('=') {
            out.push(part.to_string());
        } else {
            own = part.to_string();
        }
    }
    for krate in OWN_CRATES.iter().rev() {
        out.insert(1, format!("{krate}={own}"));
    }
    out.join(",")
}
