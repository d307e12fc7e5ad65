//! The demo against the real checks and a workbench: the story's faults
//! are found at their severities and no other blocker is; the project is
//! created, reset and removed with its keychain entries; it listens on
//! loopback only.

use std::sync::Arc;

use handover_core::checks::{all, run_all, CheckTarget, RunLimits};
use handover_core::{Vault, Workbench};
use handover_model::{Finding, Severity, DEMO_PROJECT_NAME};

use crate::story::{blockers, Fault, FAULTS, PROMPT_LEAK};
use crate::{install, Demo};

fn found<'a>(findings: &'a [Finding], fault: &Fault) -> Option<&'a Finding> {
    findings.iter().find(|f| {
        f.check == fault.check
            && f.severity == fault.severity
            && !f.outcome.is_inconclusive()
            && f.title.contains(fault.title)
    })
}

/// A workbench in `dir` with a mock keychain.
fn workbench(dir: &std::path::Path) -> Workbench {
    let store: Arc<keyring_core::CredentialStore> = keyring_core::mock::Store::new().unwrap();
    Workbench::open(
        &dir.join("handover.db"),
        Arc::new(Vault::with_store("mock store", store)),
        "test",
    )
    .unwrap()
}

fn describe(f: &Finding) -> String {
    format!("{} {:?} {} — {}", f.check, f.severity, f.target, f.title)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_checks_find_the_story_and_no_other_blocker() {
    let dir = tempfile::tempdir().unwrap();
    let demo = Demo::start(dir.path()).await.unwrap();
    let mut target = CheckTarget::from_project(&demo.spec()).unwrap();
    if let Some(eval) = target.eval.as_mut() {
        eval.canary = Some(handover_model::SecretText::new(
            demo.planted().canary.clone(),
        ));
    }
    let findings = run_all(
        &all(),
        Arc::new(target),
        RunLimits::default(),
        Arc::new(|_| {}),
    )
    .await;
    let mut story: Vec<Fault> = FAULTS.to_vec();
    story.push(PROMPT_LEAK);
    let missing: Vec<&Fault> = story
        .iter()
        .filter(|f| found(&findings, f).is_none())
        .collect();
    assert!(
        missing.is_empty(),
        "faults not reported: {missing:#?}\nfound: {:#?}",
        findings
            .iter()
            .filter(|f| f.severity > Severity::Low)
            .map(describe)
            .collect::<Vec<_>>()
    );
    let stray: Vec<String> = findings
        .iter()
        .filter(|f| f.severity == Severity::Blocker)
        .filter(|f| {
            !blockers()
                .iter()
                .any(|b| f.check == b.check && f.title.contains(b.title))
        })
        .map(describe)
        .collect();
    assert!(stray.is_empty(), "blockers outside the story: {stray:#?}");
    // What is fine stays fine: DNS, mail transport, CORS and the health probe pass.
    for check in ["dns.resolve", "email.spf", "cors.api", "uptime.endpoints"] {
        assert!(
            findings
                .iter()
                .filter(|f| f.check == check)
                .all(|f| f.severity <= Severity::Low && !f.outcome.is_inconclusive()),
            "{check}: {:#?}",
            findings
                .iter()
                .filter(|f| f.check == check)
                .map(describe)
                .collect::<Vec<_>>()
        );
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_project_is_created_reset_and_removed_with_its_keychain_entries() {
    let dir = tempfile::tempdir().unwrap();
    let bench = workbench(dir.path());
    let demo = Demo::start(&dir.path().join("demo")).await.unwrap();

    let first = install::install(&bench, &demo).await.unwrap();
    assert!(first.created);
    assert_eq!(first.hosts[0], "northwind.test");
    let project = bench.project(first.project_id).await.unwrap();
    assert!(project.demo);
    assert_eq!(project.spec.name, DEMO_PROJECT_NAME);
    let accounts = bench.accounts(first.project_id).await.unwrap();
    assert_eq!(accounts.accounts.len(), 5);
    let credentials: Vec<i64> = accounts
        .accounts
        .iter()
        .flat_map(|a| a.credentials.iter().map(|c| c.id))
        .collect();
    assert_eq!(credentials.len(), 3);
    let secret = bench.secret(credentials[0]).await.unwrap();
    assert!(secret.expose().starts_with("demo-"), "kept in the keychain");
    assert!(bench.projects().await.unwrap()[0].demo);
    let canary = bench.eval_canary(first.project_id, false).await.unwrap();
    assert_eq!(canary.expose(), demo.planted().canary);

    // A second start resets the same project (servers moved, accounts anew).
    let again = Demo::start(&dir.path().join("demo")).await.unwrap();
    let second = install::install(&bench, &again).await.unwrap();
    assert!(!second.created);
    assert_eq!(second.project_id, first.project_id);
    let spec = bench.project(second.project_id).await.unwrap().spec;
    assert_eq!(spec.dns_server, again.dns_server().to_string());
    assert_eq!(
        bench
            .accounts(second.project_id)
            .await
            .unwrap()
            .accounts
            .len(),
        5
    );
    for account in bench.accounts(second.project_id).await.unwrap().accounts {
        for credential in account.credentials {
            let now = bench.secret(credential.id).await.unwrap();
            assert_ne!(
                now.expose(),
                secret.expose(),
                "new values, the old entry replaced"
            );
        }
    }

    // A refresh keeps what was recorded and follows the servers.
    let third = Demo::start(&dir.path().join("demo")).await.unwrap();
    let refreshed = install::refresh(&bench, &third).await.unwrap().unwrap();
    assert_eq!(refreshed.spec.ports.smtp, third.smtp_port());
    assert_eq!(
        bench
            .accounts(second.project_id)
            .await
            .unwrap()
            .accounts
            .len(),
        5
    );

    assert!(install::remove(&bench).await.unwrap());
    assert!(bench.projects().await.unwrap().is_empty());
    assert!(bench.demo_project().await.unwrap().is_none());
    assert!(!install::remove(&bench).await.unwrap());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_project_of_the_demos_name_is_left_alone() {
    let dir = tempfile::tempdir().unwrap();
    let bench = workbench(dir.path());
    let demo = Demo::start(&dir.path().join("demo")).await.unwrap();
    let mut mine = demo.spec();
    mine.eval = Default::default();
    let saved = bench
        .save(handover_model::ProjectSaveRequest {
            id: None,
            spec: mine,
        })
        .await;
    assert!(saved.is_ok(), "{:?}", saved.err().map(|e| format!("{e:?}")));
    let err = install::install(&bench, &demo).await.unwrap_err();
    assert!(format!("{err:?}").contains("is not the demo"), "{err:?}");
    assert!(!bench.projects().await.unwrap()[0].demo);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn it_listens_on_loopback_only_and_writes_its_files() {
    let dir = tempfile::tempdir().unwrap();
    let demo = Demo::start(dir.path()).await.unwrap();
    for addr in demo.listening() {
        assert!(addr.ip().is_loopback() && addr.is_ipv4(), "{addr}");
    }
    let spec = demo.spec();
    for path in [&spec.ca_file, &spec.repo_path, &spec.build_output] {
        assert!(std::path::Path::new(path).exists(), "{path}");
    }
    for env in &spec.environments {
        assert!(std::path::Path::new(&env.env_file).is_file());
    }
    let canary = &demo.planted().canary;
    let production = std::fs::read_to_string(&spec.environments[0].env_file).unwrap();
    assert!(!production.contains(canary.as_str()));
    assert!(canary.starts_with("HANDOVER-CANARY-") && canary.len() == 36);
}
