//! Secret scanning through the workbench, as the window and `handover
//! check` run it: a canary planted in the repository, its history, the
//! build output and two env files is found in each place, and its value is
//! in no run answer (what IPC carries), no stored finding and no export;
//! the project's fingerprint key lives in the keychain and goes with it.

use std::path::Path;
use std::sync::Arc;

use handover_model::{Paper, ReportExportRequest, ReportFormat, RunSource, Severity};

use crate::store::Store;
use crate::vault::Vault;
use crate::workbench::Workbench;

/// A random, well-formed Stripe live key (never a real one).
pub(super) fn canary() -> String {
    format!("sk_live_{}", crate::secrets::random_text(32))
}

fn git(repo: &Path, args: &[&str]) {
    let done = std::process::Command::new("git")
        .args(["-c", "user.email=t@example.test", "-c", "user.name=t"])
        .args(args)
        .current_dir(repo)
        .output()
        .expect("git runs");
    assert!(done.status.success(), "git {args:?}");
}

/// A repository that committed the canary and then took it out, with a
/// gitignored build output and env files that share it.
pub(super) fn planted_repo(root: &Path, canary: &str) {
    std::fs::create_dir_all(root.join("src")).unwrap();
    std::fs::create_dir_all(root.join("dist/assets")).unwrap();
    std::fs::write(root.join(".gitignore"), "dist/\n.env.*\n").unwrap();
    std::fs::write(
        root.join("src/billing.ts"),
        format!("export const key = \"{canary}\";\n"),
    )
    .unwrap();
    git(root, &["init", "-q"]);
    git(root, &["add", "-A"]);
    git(root, &["commit", "-qm", "billing"]);
    std::fs::write(
        root.join("src/billing.ts"),
        "export const key = process.env.STRIPE_SECRET_KEY;\n",
    )
    .unwrap();
    git(
        root,
        &["commit", "-qam", "read the key from the environment"],
    );
    std::fs::write(
        root.join("dist/assets/app.js"),
        format!("(()=>{{const k=\"{canary}\";fetch(\"/pay\",{{headers:{{a:k}}}})}})();\n"),
    )
    .unwrap();
    for env in ["production", "staging"] {
        std::fs::write(
            root.join(format!(".env.{env}")),
            format!("STRIPE_SECRET_KEY={canary}\n"),
        )
        .unwrap();
    }
}

/// A workbench (mock keychain, store in memory) with project "Billing"
/// pointed at `repo` and its `dist/` build output.
pub(super) async fn planted_project(repo: &Path) -> (Workbench, i64) {
    let keychain: Arc<keyring_core::CredentialStore> = keyring_core::mock::Store::new().unwrap();
    let bench = Workbench::new(
        Store::open_in_memory().unwrap(),
        Arc::new(Vault::with_store("mock store", keychain)),
        "tester",
    );
    let spec = handover_model::ProjectSpec {
        name: "Billing".into(),
        apex: "example.test".into(),
        repo_path: repo.display().to_string(),
        build_output: repo.join("dist").display().to_string(),
        // Nothing answers here: the site half is "could not check", fast.
        dns_server: "127.0.0.1:9".into(),
        ..handover_model::ProjectSpec::default()
    };
    let id = bench.import_project(spec, false).await.unwrap().id;
    (bench, id)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_planted_secret_is_found_everywhere_and_its_value_is_kept_nowhere() {
    let canary = canary();
    let dir = tempfile::tempdir().unwrap();
    let repo = dir.path().join("repo");
    planted_repo(&repo, &canary);
    let (bench, id) = planted_project(&repo).await;
    let only: Vec<String> = ["secrets.repo", "secrets.bundle", "env.parity"]
        .map(String::from)
        .to_vec();
    let run = bench
        .run_checks(id, &only, RunSource::Window, Arc::new(|_| {}))
        .await
        .unwrap();
    let has = |check: &str, severity: Severity, words: &str| {
        run.findings
            .iter()
            .any(|f| f.check == check && f.severity == severity && f.title.contains(words))
    };
    assert!(
        has("secrets.repo", Severity::High, "Stripe live secret key in "),
        "the committed key is found in the history: {:#?}",
        run.findings
    );
    assert!(
        has(
            "secrets.bundle",
            Severity::Blocker,
            "Stripe live secret key in assets/app.js"
        ),
        "{:#?}",
        run.findings
    );
    assert!(
        has(
            "env.parity",
            Severity::High,
            "STRIPE_SECRET_KEY has the same value in"
        ),
        "{:#?}",
        run.findings
    );
    assert!(
        run.findings
            .iter()
            .any(|f| f.check == "secrets.bundle" && f.outcome.is_inconclusive()),
        "the site that does not answer is could-not-check, not a pass"
    );
    // The same run a second time: the same identities (the key is the
    // project's, from the keychain).
    let again = bench
        .run_checks(id, &only, RunSource::Window, Arc::new(|_| {}))
        .await
        .unwrap();
    let titles = |r: &handover_model::Run| {
        let mut t: Vec<String> = r.findings.iter().map(|f| f.title.clone()).collect();
        t.sort();
        t
    };
    assert_eq!(titles(&run), titles(&again));

    let answer = serde_json::to_string(&run).unwrap();
    assert!(
        !answer.contains(&canary),
        "the run's answer holds the secret"
    );
    let stored = serde_json::to_string(&bench.run(run.summary.id).await.unwrap()).unwrap();
    assert!(!stored.contains(&canary), "the stored run holds the secret");
    let history = serde_json::to_string(&bench.run_history(id, None).await.unwrap()).unwrap();
    assert!(!history.contains(&canary));
    let out = tempfile::tempdir().unwrap();
    for (name, format) in [
        ("handover.md", ReportFormat::Markdown),
        ("handover.json", ReportFormat::Json),
        ("handover.pdf", ReportFormat::Pdf),
    ] {
        let path = out.path().join(name);
        bench
            .export_report(
                ReportExportRequest {
                    project_id: id,
                    path: path.display().to_string(),
                    format,
                    paper: Paper::A4,
                },
                Some("2026-12-01"),
            )
            .await
            .unwrap();
        let raw = String::from_utf8_lossy(&std::fs::read(&path).unwrap()).into_owned();
        assert!(!raw.contains(&canary), "{name} holds the secret");
    }
    // The key is in the keychain, and goes with the project.
    let uid = bench.store.run(move |db| db.project_uid(id)).await.unwrap();
    let entry = super::secrets::key_entry(&uid);
    assert!(
        bench.vault.get(&entry).is_ok(),
        "the fingerprint key is kept"
    );
    bench.delete(id).await.unwrap();
    assert!(
        bench.vault.get(&entry).is_err(),
        "deleting the project deletes its key"
    );
}
