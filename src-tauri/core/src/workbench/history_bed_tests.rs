//! Fingerprints over full test-bed runs: unique within a run, the same
//! across runs.

use std::collections::BTreeMap;
use std::sync::Arc;

use handover_model::{ProjectSaveRequest, RunSource};
use handover_testbed::TestBed;

use crate::history::fingerprint;
use crate::store::Store;
use crate::vault::Vault;
use crate::workbench::Workbench;

/// A bed with a `down` host, a workbench on a fresh store and the project.
pub(super) async fn bed_bench() -> (TestBed, tempfile::TempDir, Workbench, i64) {
    let bed = TestBed::builder()
        .zone(|z| z.a("down", std::net::Ipv4Addr::new(127, 0, 0, 2)))
        .start()
        .await
        .unwrap();
    let dir = tempfile::tempdir().unwrap();
    let ca = dir.path().join("ca.pem");
    std::fs::write(&ca, bed.ca_pem()).unwrap();
    let bench = Workbench::new(
        Store::open_in_memory().unwrap(),
        Arc::new(Vault::unreachable("not needed")),
        "tester",
    );
    let spec = crate::workbench::bed_tests::bed_spec(bed.dns_server(), &ca, bed.https_port());
    let project = bench
        .save(ProjectSaveRequest { id: None, spec })
        .await
        .unwrap();
    (bed, dir, bench, project.id)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn fingerprints_are_unique_in_a_run_and_the_same_across_runs() {
    let (_bed, _dir, bench, id) = bed_bench().await;
    let mut runs = Vec::new();
    for _ in 0..2 {
        let run = bench
            .run_checks(id, &[], RunSource::Window, Arc::new(|_| {}))
            .await
            .unwrap();
        runs.push(run);
    }
    let mut sets = Vec::new();
    for run in &runs {
        let checks: std::collections::BTreeSet<_> =
            run.findings.iter().map(|f| f.check.as_str()).collect();
        assert!(checks.len() > 10, "a full run: {checks:?}");
        let mut seen: BTreeMap<String, Vec<String>> = BTreeMap::new();
        for f in &run.findings {
            seen.entry(fingerprint(f)).or_default().push(format!(
                "{} [{}] {}",
                f.target,
                f.severity.as_str(),
                f.title
            ));
        }
        let shared: Vec<_> = seen.iter().filter(|(_, v)| v.len() > 1).collect();
        assert!(
            shared.is_empty(),
            "findings sharing a fingerprint: {shared:#?}"
        );
        sets.push(seen.into_keys().collect::<Vec<_>>());
    }
    assert_eq!(sets[0], sets[1], "two runs, the same fingerprints");
}
