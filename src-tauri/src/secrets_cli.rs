//! `handover secrets`: the secret scan headless — a repository folder
//! (working tree, recent history, the env files at its top), a build
//! output, env files and log exports; with `--project`, a stored project's
//! folders and its fingerprint key from the keychain. It runs the same core scans as the
//! `secrets.repo`, `secrets.bundle` and `env.parity` checks; for the
//! deployed site, run `handover check` (its `secrets.bundle` reads it).
//!
//! Text groups the secrets by place and file, worst first, then the env
//! issues and what the logs hold, and ends with one summary line. `--json`
//! prints [`handover_model::LocalSecrets`] (`schema` says its version). No
//! output holds a secret's value: a redacted prefix at most.
//!
//! Exit codes: 0 nothing high or worse, 1 a secret, an env issue of high
//! severity or worse, or a credential in a log; 2 bad input; 3 internal.

use std::path::PathBuf;
use std::process::ExitCode;

use clap::Args;
use handover_core::secrets::env::EnvSource;
use handover_core::secrets::local::{scan_local, LocalScan};
use handover_core::secrets::FingerprintKey;
use handover_model::units::human_size;
use handover_model::{LocalSecrets, SecretScan};

use crate::check_cli::{EXIT_BAD_INPUT, EXIT_GO, EXIT_NO_GO};
use crate::runs_cli::{fail, print_json};
use crate::state::AppState;
use crate::terminal::{paint, plural, severity_tone, Tone};

/// `handover secrets`: what to scan.
#[derive(Debug, Args)]
pub struct SecretsArgs {
    /// A stored project's name or id: its repository and build output
    /// (unless DIR or --build say otherwise), and its fingerprint key from
    /// the keychain, so fingerprints match its runs' and hold across scans.
    #[arg(long, value_name = "NAME|ID")]
    pub project: Option<String>,
    /// The repository's folder (its .gitignore is honoured, its
    /// .gitleaks.toml rules added, its top-level .env files compared).
    #[arg(value_name = "DIR")]
    pub repo: Option<PathBuf>,
    /// The build output's folder: everything in it is scanned, ignored or
    /// not, and a secret there is a blocker.
    #[arg(long, value_name = "DIR")]
    pub build: Option<PathBuf>,
    /// An env file to compare, as NAME=FILE (e.g. production=.env.prod).
    #[arg(long = "env", value_name = "NAME=FILE")]
    pub env: Vec<String>,
    /// A log export to scan (plain text, JSON lines, gzip).
    #[arg(long = "logs", value_name = "FILE")]
    pub logs: Vec<PathBuf>,
    /// Commits of git history to read (0: none).
    #[arg(long, value_name = "N", default_value_t = 50)]
    pub history: usize,
    /// Add a fingerprint (or a unique prefix of 8+ digits from the last
    /// scan) to the project's baseline: it is shown as ignored and not
    /// counted. Needs --project.
    #[arg(long, value_name = "FINGERPRINT", conflicts_with_all = ["unignore", "baseline"])]
    pub ignore: Option<String>,
    /// Why the ignored secret is safe (with --ignore).
    #[arg(long, value_name = "TEXT", requires = "ignore", default_value = "")]
    pub reason: String,
    /// Take a fingerprint out of the project's baseline. Needs --project.
    #[arg(long, value_name = "FINGERPRINT", conflicts_with = "baseline")]
    pub unignore: Option<String>,
    /// List the project's baseline. Needs --project.
    #[arg(long)]
    pub baseline: bool,
    /// Print JSON instead of text.
    #[arg(long)]
    pub json: bool,
}

/// Runs the scan and prints it.
pub fn run(args: SecretsArgs, state: &AppState) -> ExitCode {
    if args.ignore.is_some() || args.unignore.is_some() || args.baseline {
        return crate::secrets_baseline_cli::run(&args, state);
    }
    let mut env = Vec::new();
    for pair in &args.env {
        match pair.split_once('=') {
            Some((name, file)) if !name.trim().is_empty() && !file.trim().is_empty() => {
                env.push(EnvSource::file(name.trim(), file.trim()))
            }
            _ => {
                eprintln!("handover: --env takes NAME=FILE, e.g. production=.env.production (got {pair:?})");
                return ExitCode::from(EXIT_BAD_INPUT);
            }
        }
    }
    let what = LocalScan {
        repo: args.repo.clone(),
        history_commits: args.history,
        build: args.build.clone(),
        env,
        logs: args.logs.clone(),
    };
    let report = match &args.project {
        Some(project) => {
            let workbench = match state.workbench() {
                Ok(workbench) => workbench,
                Err(err) => return fail(err),
            };
            let scanned = tauri::async_runtime::block_on(async {
                let id = workbench.find_project(project).await?.id;
                workbench.scan_project_secrets(id, what).await
            });
            match scanned {
                Ok(report) => report,
                Err(err) => return fail(err.into()),
            }
        }
        // No project: fingerprints hold for this scan only.
        None => match scan_local(&what, &FingerprintKey::random()) {
            Ok(report) => report,
            Err(err) => {
                eprintln!("handover: {err}");
                return ExitCode::from(EXIT_BAD_INPUT);
            }
        },
    };
    let code = if leaks(&report) { EXIT_NO_GO } else { EXIT_GO };
    if args.json {
        let printed = print_json(&report);
        if printed != ExitCode::SUCCESS {
            return printed;
        }
    } else {
        print_text(&report);
    }
    ExitCode::from(code)
}

/// Whether the scan found anything that must be fixed before launch (the
/// core decides: the window's verdict says the same).
pub fn leaks(report: &LocalSecrets) -> bool {
    handover_core::secrets::hygiene::local_leaks(report)
}

fn print_text(report: &LocalSecrets) {
    let scans = [
        ("Working tree", &report.repo),
        ("Recent history", &report.history),
        ("Build output", &report.build),
    ];
    let mut found = 0;
    let (mut files, mut bytes, mut skipped) = (0u64, 0u64, 0usize);
    for (label, scan) in scans {
        let Some(scan) = scan else { continue };
        files += scan.files;
        bytes += scan.bytes;
        skipped += scan.skipped.len();
        found += print_scan(label, scan);
    }
    if let Some(env) = &report.env {
        let names: Vec<&str> = env.environments.iter().map(|e| e.name.as_str()).collect();
        println!(
            "{}",
            paint(&format!("Env files ({})", names.join(", ")), Tone::Strong)
        );
        if env.issues.is_empty() {
            println!("  {}", paint("no issues", Tone::Good));
        }
        for issue in &env.issues {
            let at = issue
                .location
                .as_ref()
                .map(|l| format!("  {}:{}", l.file, l.line))
                .unwrap_or_default();
            println!(
                "  {:<8} {}{at}",
                paint(issue.severity.as_str(), severity_tone(issue.severity)),
                issue.detail
            );
        }
    }
    for log in &report.logs {
        println!("{}", paint(&format!("Log {}", log.file), Tone::Strong));
        for count in log.counts.iter().filter(|c| c.count > 0) {
            let samples: Vec<String> = count
                .samples
                .iter()
                .map(|s| format!("line {}: {}", s.line, s.preview))
                .collect();
            println!(
                "  {:>6} {}  {}",
                count.count,
                count.kind.as_str(),
                samples.join("; ")
            );
        }
    }
    for note in &report.notes {
        eprintln!("note: {note}");
    }
    let line = format!(
        "secrets: {} found — {} ({}) scanned, {} not scanned, in {}",
        found,
        plural(files as usize, "file", "files"),
        human_size(bytes),
        skipped,
        crate::terminal::human_ms(report.elapsed_ms)
    );
    let tone = if leaks(report) { Tone::Bad } else { Tone::Good };
    println!("{}", paint(&line, tone));
}

/// Prints one scan's secrets by file, worst first; answers how many.
fn print_scan(label: &str, scan: &SecretScan) -> usize {
    let mut shown: Vec<_> = scan.findings.iter().filter(|f| !f.ignored).collect();
    println!("{}", paint(label, Tone::Strong));
    if shown.is_empty() {
        println!("  {}", paint("no secrets", Tone::Good));
    }
    shown.sort_by(|a, b| {
        b.severity
            .cmp(&a.severity)
            .then(a.location.cmp(&b.location))
    });
    for f in &shown {
        let place = match &f.original {
            Some(original) => format!("{} ({original})", f.location),
            None => f.location.clone(),
        };
        println!(
            "  {:<8} {place}:{}:{}  {}  {}  [{}]",
            paint(f.severity.as_str(), severity_tone(f.severity)),
            f.line,
            f.column,
            f.title,
            f.preview,
            f.fingerprint.get(..12).unwrap_or(&f.fingerprint)
        );
    }
    let ignored = scan.findings.len() - shown.len();
    if ignored > 0 {
        println!(
            "  {}",
            paint(
                &format!("{ignored} ignored by the project's baseline (--baseline lists it)"),
                Tone::Unknown
            )
        );
    }
    for s in scan.skipped.iter().take(5) {
        println!("  skipped  {}", s.location);
    }
    if scan.skipped.len() > 5 {
        println!("  … and {} more skipped", scan.skipped.len() - 5);
    }
    shown.len()
}
