//! `handover secrets --project NAME --ignore FP | --unignore FP |
//! --baseline`: a project's baseline of ignored secret fingerprints, the
//! same one the Secrets & env page edits. An ignored secret is shown as
//! such and no longer counted, by the page, `handover secrets` and the
//! run's `secrets.*` checks alike.
//!
//! Exit codes: 0 done, 2 bad input (no --project, a malformed or unknown
//! fingerprint), 3 internal.

use std::process::ExitCode;

use handover_model::{SecretIgnoreRequest, SecretUnignoreRequest, SecretsView};

use crate::check_cli::EXIT_BAD_INPUT;
use crate::runs_cli::{fail, print_json};
use crate::secrets_cli::SecretsArgs;
use crate::state::AppState;
use crate::terminal::{paint, Tone};

/// Runs the baseline change (or listing) `args` asks for.
pub fn run(args: &SecretsArgs, state: &AppState) -> ExitCode {
    let Some(project) = &args.project else {
        eprintln!("handover: --ignore, --unignore and --baseline need --project NAME|ID");
        return ExitCode::from(EXIT_BAD_INPUT);
    };
    let workbench = match state.workbench() {
        Ok(workbench) => workbench,
        Err(err) => return fail(err),
    };
    let done = tauri::async_runtime::block_on(async {
        let project_id = workbench.find_project(project).await?.id;
        if let Some(fingerprint) = &args.ignore {
            workbench
                .ignore_secret(SecretIgnoreRequest {
                    project_id,
                    fingerprint: fingerprint.clone(),
                    reason: args.reason.clone(),
                })
                .await
        } else if let Some(fingerprint) = &args.unignore {
            workbench
                .unignore_secret(SecretUnignoreRequest {
                    project_id,
                    fingerprint: fingerprint.clone(),
                })
                .await
        } else {
            workbench.secrets_view(project_id).await
        }
    });
    let view = match done {
        Ok(view) => view,
        Err(err) => return fail(err.into()),
    };
    if args.json {
        return print_json(&view);
    }
    print_text(&view);
    ExitCode::SUCCESS
}

fn print_text(view: &SecretsView) {
    println!(
        "{}",
        paint(
            &format!("Baseline: {} ignored fingerprint(s)", view.ignores.len()),
            Tone::Strong
        )
    );
    for ignore in &view.ignores {
        let what = if ignore.rule.is_empty() {
            "(not in the last scan)".to_owned()
        } else {
            format!("{} in {}", ignore.rule, ignore.location)
        };
        let why = if ignore.reason.is_empty() {
            String::new()
        } else {
            format!("  — {}", ignore.reason)
        };
        println!("  {}  {what}{why}", ignore.fingerprint);
    }
    if let Some(last) = &view.last {
        let tone = if last.leaks { Tone::Bad } else { Tone::Good };
        println!("{}", paint(&last.verdict, tone));
    }
}
