//! `handover check DOMAIN …`: the live checks with no project and no window.
//! Progress goes to stderr, findings to stdout (a table or JSON). The exit
//! code is 0 when nothing blocks launch, 1 when a blocker was found, 2 when
//! the input was refused.

use std::path::PathBuf;
use std::process::ExitCode;
use std::sync::Arc;

use handover_core::checks::{self, CheckTarget, RunLimits};
use handover_core::input;
use handover_model::{Finding, Progress, Severity};

/// What was asked on the command line.
#[derive(Debug)]
pub struct Options {
    /// Apex domain.
    pub domain: String,
    /// Subdomain labels.
    pub subdomains: Vec<String>,
    /// DNS server, `ip[:port]`.
    pub dns_server: Option<String>,
    /// Extra CA file.
    pub ca: Option<PathBuf>,
    /// HTTPS port.
    pub https_port: u16,
    /// HTTP port.
    pub http_port: u16,
    /// Old → new addresses, each `OLD=NEW`.
    pub legacy: Vec<String>,
    /// JSON output.
    pub json: bool,
}

/// Validates the options into a target, or says what is wrong.
pub fn target(options: &Options) -> Result<CheckTarget, String> {
    let apex = input::domain(&options.domain)
        .map_err(|e| format!("{}: {e}", options.domain))?
        .ascii;
    let mut hosts = vec![apex.clone()];
    for label in options.subdomains.iter().filter(|l| !l.trim().is_empty()) {
        let host = input::domain(&format!("{}.{apex}", label.trim()))
            .map_err(|e| format!("subdomain {label:?}: {e}"))?;
        hosts.push(host.ascii);
    }
    let dns_server = match &options.dns_server {
        Some(typed) => Some(input::dns_server(typed).map_err(|e| format!("--dns-server: {e}"))?),
        None => None,
    };
    let extra_ca_pem = match &options.ca {
        Some(path) => {
            let text = std::fs::read_to_string(path)
                .map_err(|e| format!("--ca {}: {e}", path.display()))?;
            if !text.contains("-----BEGIN CERTIFICATE-----") {
                return Err(format!(
                    "--ca {}: no PEM certificate in the file",
                    path.display()
                ));
            }
            Some(text)
        }
        None => None,
    };
    let mut legacy_urls = Vec::new();
    for pair in &options.legacy {
        let (old, new) = pair
            .split_once('=')
            .ok_or_else(|| format!("--legacy {pair:?}: write it as OLD=NEW"))?;
        let old = handover_core::project::legacy_address(old)
            .map_err(|e| format!("--legacy {pair:?}: {e}"))?;
        let new = handover_core::project::legacy_address(new)
            .map_err(|e| format!("--legacy {pair:?}: {e}"))?;
        legacy_urls.push((old, new));
    }
    Ok(CheckTarget {
        apex,
        legacy_urls,
        hosts,
        https_port: options.https_port,
        http_port: options.http_port,
        dns_server,
        extra_ca_pem,
        ..CheckTarget::default()
    })
}

/// Runs the checks and prints the findings.
pub fn run(options: Options) -> ExitCode {
    let target = match target(&options) {
        Ok(target) => Arc::new(target),
        Err(message) => {
            eprintln!("handover: {message}");
            return ExitCode::from(2);
        }
    };
    let show_progress = !options.json;
    let progress = Arc::new(move |event: Progress| {
        if !show_progress {
            return;
        }
        match event {
            Progress::Planned { checks } => eprintln!("running {checks} checks…"),
            Progress::Started { .. } => {}
            Progress::Finished {
                check,
                worst,
                elapsed_ms,
            } => {
                eprintln!("  {:<24} {:<8} {elapsed_ms} ms", check, worst.as_str());
            }
        }
    });
    let findings = tauri::async_runtime::block_on(checks::run_all(
        &checks::all(),
        target,
        RunLimits::default(),
        progress,
    ));
    if options.json {
        match serde_json::to_string_pretty(&findings) {
            Ok(text) => println!("{text}"),
            Err(e) => {
                eprintln!("handover: cannot encode the findings: {e}");
                return ExitCode::FAILURE;
            }
        }
    } else {
        print_table(&findings);
    }
    if findings.iter().any(|f| f.severity == Severity::Blocker) {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    }
}

fn print_table(findings: &[Finding]) {
    for f in findings {
        println!(
            "{:<8} {:<24} {:<32} {}",
            f.severity.as_str(),
            f.check,
            f.target,
            f.title
        );
    }
    let blockers = findings
        .iter()
        .filter(|f| f.severity == Severity::Blocker)
        .count();
    println!(
        "{} findings, {blockers} blocker{}",
        findings.len(),
        if blockers == 1 { "" } else { "s" }
    );
}
