//! `env.parity`: the env file each environment names and those in the
//! repository's folder, found by name (`.env`, `.env.<environment>`,
//! `.env.example`), compared key by key, with the keys the code reads.

use handover_model::{Cause, EnvIssue, EnvParity, Finding, Severity};

use super::{key_of, shown, ENV};
use crate::checks::{finding, inconclusive, CheckTarget};
use crate::secrets::env::{env_files, env_parity, EnvSource};
use crate::secrets::Scanner;

/// The parity of the environments' env files and the repository's, as
/// findings about the folder (or the product, when it names no folder).
pub(super) async fn env(target: &CheckTarget) -> Vec<Finding> {
    let root = target.repo_path.clone();
    if root.is_none() && target.env_files.is_empty() {
        return Vec::new();
    }
    let key = key_of(target);
    // Findings are about the repository's folder, else the product.
    let name = root.as_deref().map_or_else(|| target.name(), shown);
    let named = target.env_files.clone();
    let work = tokio::task::spawn_blocking(move || {
        let mut sources: Vec<EnvSource> = named
            .iter()
            .map(|(env, path)| EnvSource::file(env.clone(), path.clone()))
            .collect();
        if let Some(root) = &root {
            for found in env_files(root)? {
                if !sources.iter().any(|s| s.path == found.path) {
                    sources.push(found);
                }
            }
        }
        let parity = (!sources.is_empty())
            .then(|| env_parity(&sources, root.as_deref(), Scanner::builtin(), &key));
        Ok::<_, std::io::Error>(parity)
    })
    .await;
    match work {
        Ok(Ok(Some(parity))) => findings_of(&name, &parity),
        Ok(Ok(None)) => vec![inconclusive(
            ENV,
            &name,
            Cause::NothingToCheck,
            "no env files (.env, .env.production, .env.staging, .env.example …) in the \
             repository's folder",
        )],
        Ok(Err(err)) => vec![inconclusive(
            ENV,
            &name,
            Cause::CouldNotStart,
            format!("cannot read the folder: {err}"),
        )],
        Err(err) => vec![inconclusive(
            ENV,
            &name,
            Cause::Panicked,
            format!("the comparison stopped: {err}"),
        )],
    }
}

/// One finding per issue (no value, at most a redacted preview), a note per
/// file that did not parse, and a pass when all is well.
fn findings_of(root: &str, parity: &EnvParity) -> Vec<Finding> {
    let envs: Vec<&str> = parity
        .environments
        .iter()
        .map(|e| e.name.as_str())
        .collect();
    let mut out: Vec<Finding> = parity.issues.iter().map(|i| issue(root, i)).collect();
    for summary in parity.environments.iter().filter(|e| !e.errors.is_empty()) {
        let mut f = finding(
            ENV,
            root,
            Severity::Low,
            format!("{} has lines that do not parse", summary.file),
            "Those lines were left out of the comparison; fix them so every environment \
             reads the file the same way.",
        );
        f.evidence = summary
            .errors
            .iter()
            .map(|e| format!("line {}: {}", e.line, e.message))
            .collect();
        out.push(f);
    }
    if out.iter().all(|f| f.severity <= Severity::Info) {
        out.insert(
            0,
            finding(
                ENV,
                root,
                Severity::Pass,
                "The environments define the same keys",
                format!(
                    "Compared {} ({} keys in all) and the {} key(s) the code reads: none \
                     missing, empty, shared between production and another environment, or \
                     exposed to the browser.",
                    envs.join(", "),
                    parity.environments.iter().map(|e| e.keys).sum::<u32>(),
                    parity.code_keys
                ),
            ),
        );
    }
    out
}

fn issue(root: &str, i: &EnvIssue) -> Finding {
    use handover_model::EnvIssueKind::*;
    let envs = i.environments.join(", ");
    let title = match i.kind {
        Missing => format!("{} is missing in {envs}", i.key),
        SharedSecret => format!("{} has the same value in {envs}", i.key),
        PublicSecret => format!("{} is a secret the build sends to browsers", i.key),
        Empty => format!("{} is empty in {envs}", i.key),
        Undefined => format!("{} is read by the code but defined nowhere", i.key),
        SampleValue => format!("{} holds a real-looking value in the sample file", i.key),
    };
    let mut f = finding(ENV, root, i.severity, title, i.detail.clone());
    if let Some(at) = &i.location {
        f.evidence.push(format!("where: {}:{}", at.file, at.line));
    }
    if let Some(preview) = &i.preview {
        f.evidence.push(format!("value: {preview}"));
    }
    f
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn the_environments_env_files_are_compared_without_a_repository() {
        let dir = tempfile::tempdir().unwrap();
        let shared = "SESSION_SECRET=Zq8vN3xL0pR7tY2wK9mB4cJ6hF1sD5gA\n";
        std::fs::write(dir.path().join("prod.env"), shared).unwrap();
        std::fs::write(dir.path().join("staging.env"), shared).unwrap();
        let target = CheckTarget {
            apex: "example.test".into(),
            env_files: vec![
                ("production".into(), dir.path().join("prod.env")),
                ("staging".into(), dir.path().join("staging.env")),
            ],
            ..CheckTarget::default()
        };
        let findings = env(&target).await;
        let shared = findings
            .iter()
            .find(|f| f.title.contains("SESSION_SECRET has the same value"))
            .unwrap_or_else(|| panic!("{findings:#?}"));
        assert_eq!(
            (shared.severity, shared.target.as_str()),
            (Severity::High, "example.test")
        );
        assert!(
            env(&CheckTarget::default()).await.is_empty(),
            "nothing to compare"
        );
    }
}
