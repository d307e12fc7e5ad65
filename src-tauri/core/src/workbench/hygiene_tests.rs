//! The Secrets & env page through the workbench: a scan with progress, a
//! baseline that hides a finding from the counts, the verdict and the
//! run's checks, and a canary that reaches no answer, no stored scan and
//! no line of the log while it happens.

use std::io::Write;
use std::sync::{Arc, Mutex};

use handover_model::{
    RunSource, SecretIgnoreRequest, SecretPlace, SecretUnignoreRequest, SecretsScanRequest,
    Severity,
};

use super::secrets_tests::{canary, planted_project, planted_repo};

/// Everything the log writes, kept for the test to read.
#[derive(Clone, Default)]
struct Captured(Arc<Mutex<Vec<u8>>>);

impl Write for Captured {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.0.lock().unwrap().extend_from_slice(buf);
        Ok(buf.len())
    }
    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_scan_reports_progress_honours_the_baseline_and_keeps_the_canary_out_of_logs() {
    let log = Captured::default();
    let writer = log.clone();
    let subscriber = tracing_subscriber::fmt()
        .with_max_level(tracing::Level::TRACE)
        .with_writer(move || writer.clone())
        .with_ansi(false)
        .finish();
    let _guard = tracing::subscriber::set_default(subscriber);

    let canary = canary();
    let dir = tempfile::tempdir().unwrap();
    let repo = dir.path().join("repo");
    planted_repo(&repo, &canary);
    let logs = dir.path().join("app.log");
    std::fs::write(
        &logs,
        format!(
            "{{\"msg\":\"charge\",\"auth\":\"Bearer {canary}\",\"user\":\"ann.lee@northwind-mail.com\"}}\n"
        ),
    )
    .unwrap();
    let (bench, id) = planted_project(&repo).await;
    assert_eq!(bench.secrets_view(id).await.unwrap().last, None);

    let seen = Arc::new(Mutex::new(Vec::new()));
    let sink = seen.clone();
    let page = bench
        .scan_hygiene(
            SecretsScanRequest {
                project_id: id,
                history_commits: 10,
                site: false,
                logs: vec![logs.display().to_string()],
            },
            Arc::new(move |p| sink.lock().unwrap().push(p)),
        )
        .await
        .unwrap();
    let finished: Vec<SecretPlace> = seen
        .lock()
        .unwrap()
        .iter()
        .filter(|p| p.finished)
        .map(|p| p.place)
        .collect();
    assert_eq!(
        finished,
        [
            SecretPlace::Repo,
            SecretPlace::History,
            SecretPlace::BuildOutput
        ]
    );
    assert!(page.leaks, "{}", page.verdict);
    assert_eq!(page.targets.len(), 4);
    assert!(
        page.targets[3].not_scanned.is_some(),
        "the site was not asked for"
    );
    assert!(page.counts.blockers >= 1, "{:?}", page.counts);
    assert!(
        page.counts.log_credentials >= 1 && page.counts.log_personal >= 1,
        "{:?} {:#?}",
        page.counts,
        page.logs
    );
    assert!(page.env.as_ref().is_some_and(|e| !e.issues.is_empty()));

    // Ignore the build output's finding: counted apart, the page and the
    // next run both say so.
    let bundle = page.targets[2].scan.as_ref().unwrap().findings[0].clone();
    assert_eq!(bundle.severity, Severity::Blocker);
    let view = bench
        .ignore_secret(SecretIgnoreRequest {
            project_id: id,
            fingerprint: bundle.fingerprint[..12].to_owned(),
            reason: "rotated on 2 Dec".into(),
        })
        .await
        .unwrap();
    assert_eq!(view.ignores.len(), 1);
    assert_eq!(view.ignores[0].fingerprint, bundle.fingerprint);
    let last = view.last.clone().unwrap();
    // One fingerprint is one secret: wherever else it was found, it is ignored too.
    assert!(last.counts.ignored >= 1 && last.counts.open < page.counts.open);
    assert!(last.counts.blockers < page.counts.blockers);
    assert!(last.targets[2].scan.as_ref().unwrap().findings[0].ignored);

    let only: Vec<String> = ["secrets.bundle"].map(String::from).to_vec();
    let run = bench
        .run_checks(id, &only, RunSource::Window, Arc::new(|_| {}))
        .await
        .unwrap();
    assert!(
        !run.findings.iter().any(
            |f| f.evidence.iter().any(|e| e.contains(&bundle.fingerprint))
                && f.severity == Severity::Blocker
        ),
        "the ignored secret is no blocker of the run: {:#?}",
        run.findings
    );
    assert!(
        run.findings.iter().any(|f| f.severity == Severity::Info
            && f.title.contains("ignored by the project's baseline")),
        "{:#?}",
        run.findings
    );

    let view = bench
        .unignore_secret(SecretUnignoreRequest {
            project_id: id,
            fingerprint: bundle.fingerprint.clone(),
        })
        .await
        .unwrap();
    assert!(view.ignores.is_empty());
    assert_eq!(view.last.unwrap().counts.blockers, page.counts.blockers);
    assert!(bench
        .ignore_secret(SecretIgnoreRequest {
            project_id: id,
            fingerprint: "xyz".into(),
            reason: String::new(),
        })
        .await
        .is_err());

    // The canary is in no answer, no stored scan and no line of the log.
    let answer = serde_json::to_string(&page).unwrap();
    assert!(
        !answer.contains(&canary),
        "the page's answer holds the secret"
    );
    let stored = bench
        .store
        .run(move |db| db.last_secret_scan(id))
        .await
        .unwrap();
    assert!(!serde_json::to_string(&stored).unwrap().contains(&canary));
    let written = String::from_utf8(log.0.lock().unwrap().clone()).unwrap();
    assert!(
        written.contains("secret scan finished"),
        "the log was captured: {written}"
    );
    assert!(!written.contains(&canary), "the log holds the secret");
}
