//! `handover demo [--print-config] [--dir DIR]`: the demo product in the
//! foreground. Its servers start on 127.0.0.1 (random ports), its files
//! go under DIR (default `<data dir>/demo-cli`, with the project file as
//! `demo.toml`), and it runs until Ctrl-C. With `--print-config` the project
//! file is all that goes to stdout, so `> demo.toml` captures it; the
//! rest goes to stderr. If `HANDOVER_DEMO_CANARY` is set, the chatbot
//! plants that canary (the project file reads the same variable, so a run
//! with it set recognises the system-prompt leak).

use std::io::Write as _;
use std::path::PathBuf;
use std::process::ExitCode;

use clap::Args;
use handover_core::project::file::{render, Format};
use handover_demo::{Demo, DemoError};

use crate::check_cli::{EXIT_BAD_INPUT, EXIT_INTERNAL};
use crate::state::AppState;

/// The folder under the data directory the command line's demo writes to.
pub const CLI_DIR: &str = "demo-cli";
/// The project file's name in that folder.
pub const PROJECT_FILE: &str = "demo.toml";

/// `handover demo …`.
#[derive(Debug, Args)]
pub struct DemoArgs {
    /// Print the demo's project file (TOML) on stdout and nothing else there.
    #[arg(long)]
    pub print_config: bool,
    /// Where to write the demo's files (CA, env files, repository, project file).
    #[arg(long, value_name = "DIR")]
    pub dir: Option<PathBuf>,
}

/// Runs the demo until Ctrl-C.
pub fn run(args: DemoArgs, state: &AppState) -> ExitCode {
    let dir = args
        .dir
        .unwrap_or_else(|| state.data_dir.path().join(CLI_DIR));
    tauri::async_runtime::block_on(async move {
        let canary = std::env::var(handover_demo::CANARY_ENV).ok();
        let demo = match Demo::start_with(&dir, canary).await {
            Ok(demo) => demo,
            // The folder is the caller's choice: one that cannot be written is bad input.
            Err(err @ DemoError::Files { .. }) => {
                eprintln!("handover: {err}");
                return ExitCode::from(EXIT_BAD_INPUT);
            }
            Err(err) => {
                eprintln!("handover: {err}");
                return ExitCode::from(EXIT_INTERNAL);
            }
        };
        let text = match render(&demo.spec(), Format::Toml) {
            Ok(text) => text,
            Err(err) => {
                eprintln!("handover: {err}");
                return ExitCode::from(EXIT_INTERNAL);
            }
        };
        let file = dir.join(PROJECT_FILE);
        if let Err(err) = std::fs::write(&file, &text) {
            eprintln!("handover: cannot write {}: {err}", file.display());
            return ExitCode::from(EXIT_BAD_INPUT);
        }
        let mut out = std::io::stdout().lock();
        let printed = if args.print_config {
            out.write_all(text.as_bytes())
        } else {
            out.write_all(summary(&demo, &file).as_bytes())
        };
        if printed.and_then(|()| out.flush()).is_err() {
            return ExitCode::from(EXIT_INTERNAL);
        }
        drop(out);
        eprintln!(
            "handover demo: ready in {} ms on 127.0.0.1 (DNS {}, HTTPS port {}); project file {}; Ctrl-C stops it.",
            demo.start_time().as_millis(),
            demo.dns_server(),
            demo.https_port(),
            file.display()
        );
        match tokio::signal::ctrl_c().await {
            Ok(()) => {
                eprintln!("handover demo: stopped.");
                ExitCode::SUCCESS
            }
            Err(err) => {
                eprintln!("handover: cannot wait for Ctrl-C: {err}");
                ExitCode::from(EXIT_INTERNAL)
            }
        }
    })
}

/// What a person reads when the project file is not asked for.
fn summary(demo: &Demo, file: &std::path::Path) -> String {
    let hosts = demo.hosts().join(", ");
    format!(
        "Northwind Ops Assistant (the demo product) is running on 127.0.0.1:\n  \
         hosts      {hosts}\n  \
         DNS        {dns} (UDP and TCP)\n  \
         HTTPS      port {https}, HTTP port {http}, SMTP port {smtp}\n  \
         files      {dir}\n\n\
         In another terminal:\n  \
         handover check --config {file}\n  \
         handover smoke --config {file}\n  \
         handover eval --config {file}\n  \
         handover report --config {file} --out northwind.pdf\n",
        dns = demo.dns_server(),
        https = demo.https_port(),
        http = demo.http_port(),
        smtp = demo.smtp_port(),
        dir = demo.dir().display(),
        file = file.display(),
    )
}
