//! `secrets.repo` and `secrets.bundle`: the folder scans on a blocking
//! thread, the site's over the run's network context.

use handover_model::{Cause, Finding, SecretPlace, Severity};

use super::{findings_of, key_of, shown, BUNDLE, HISTORY_COMMITS, REPO};
use crate::checks::{finding, inconclusive, net::Net, CheckTarget};
use crate::secrets::history::{scan_history, HistoryError, HistoryOptions};
use crate::secrets::walk::{scan_dir, WalkOptions};
use crate::secrets::Scanner;

/// The working tree and the files the last commits added or changed.
pub(super) async fn repo(target: &CheckTarget) -> Vec<Finding> {
    let Some(root) = target.repo_path.clone() else {
        return Vec::new();
    };
    let key = key_of(target);
    let name = shown(&root);
    let work = tokio::task::spawn_blocking(move || {
        let (own, broken) = crate::secrets::local::repo_scanner(&root);
        let scanner = own.as_ref().unwrap_or_else(|| Scanner::builtin());
        let tree = scan_dir(
            &root,
            SecretPlace::Repo,
            scanner,
            &key,
            &WalkOptions::default(),
            &|_| {},
        );
        let options = HistoryOptions {
            commits: HISTORY_COMMITS,
            ..HistoryOptions::default()
        };
        let history = scan_history(&root, scanner, &key, &options);
        (tree, history, broken)
    })
    .await;
    let (tree, history, broken) = match work {
        Ok(done) => done,
        Err(err) => {
            return vec![inconclusive(
                REPO,
                &name,
                Cause::Panicked,
                format!("the scan stopped: {err}"),
            )]
        }
    };
    let tree = match tree {
        Ok(mut tree) => {
            crate::secrets::hygiene::mark(&mut tree, &target.secret_ignores);
            tree
        }
        Err(err) => {
            return vec![inconclusive(
                REPO,
                &name,
                Cause::CouldNotStart,
                err.to_string(),
            )]
        }
    };
    let mut out = findings_of(REPO, &name, &tree, "the working tree");
    match history {
        Ok(history) => {
            // Each secret once, where it was last changed, and only when
            // the working tree no longer has it.
            let mut scan = crate::secrets::local::only_new(history, &tree);
            crate::secrets::hygiene::mark(&mut scan, &target.secret_ignores);
            out.extend(
                findings_of(REPO, &name, &scan, "the recent history")
                    .into_iter()
                    .filter(|f| f.severity > Severity::Pass),
            );
        }
        Err(HistoryError::Open { .. }) => out.push(finding(
            REPO,
            &name,
            Severity::Info,
            "Git history not scanned: the folder is not in a git repository",
            "Only the files as they are now were scanned; a secret committed once and \
             deleted later would not be found.",
        )),
        Err(err) => out.push(finding(
            REPO,
            &name,
            Severity::Info,
            "Git history not scanned",
            format!("{err}. Only the files as they are now were scanned."),
        )),
    }
    if let Some(broken) = broken {
        out.push(finding(
            REPO,
            &name,
            Severity::Low,
            "The repository's .gitleaks.toml could not be used",
            format!("{broken}. Handover's own rules were used alone."),
        ));
    }
    out
}

/// The build output (everything in it, ignored or not) and the deployed
/// site.
pub(super) async fn bundle(net: &Net, target: &CheckTarget) -> Vec<Finding> {
    let mut out = Vec::new();
    if let Some(root) = target.build_output.clone() {
        let key = key_of(target);
        let name = shown(&root);
        let work = tokio::task::spawn_blocking(move || {
            let options = WalkOptions {
                honour_gitignore: false,
                ..WalkOptions::default()
            };
            scan_dir(
                &root,
                SecretPlace::BuildOutput,
                Scanner::builtin(),
                &key,
                &options,
                &|_| {},
            )
        })
        .await;
        match work {
            Ok(Ok(mut scan)) => {
                crate::secrets::hygiene::mark(&mut scan, &target.secret_ignores);
                out.extend(findings_of(BUNDLE, &name, &scan, "the build output"))
            }
            Ok(Err(err)) => out.push(inconclusive(
                BUNDLE,
                &name,
                Cause::CouldNotStart,
                err.to_string(),
            )),
            Err(err) => out.push(inconclusive(
                BUNDLE,
                &name,
                Cause::Panicked,
                format!("the scan stopped: {err}"),
            )),
        }
    }
    if !target.hosts.is_empty() {
        out.extend(super::site_check::site(net, target).await);
    }
    out
}
