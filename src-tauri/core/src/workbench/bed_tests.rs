//! `Workbench::run_checks` end to end against the loopback test bed: a real
//! DNS server, CA and HTTPS server, a stored project, the run stored and the
//! automated items decided — pass, fail and "could not check".

use std::sync::Arc;

use handover_model::{
    Environment, EnvironmentKind, ItemKind, ItemState, ItemStatus, ProjectSaveRequest, ProjectSpec,
    RunSource, Subdomain, SubdomainPurpose, Verdict,
};
use handover_testbed::TestBed;

use super::{inconclusive_sentence, Workbench};
use crate::store::Store;
use crate::vault::Vault;

/// A project pointing at the bed: its DNS server, CA and HTTPS port, with
/// an extra `down` host on an address where nothing listens.
pub(super) fn bed_spec(
    dns: std::net::SocketAddr,
    ca_file: &std::path::Path,
    https_port: u16,
) -> ProjectSpec {
    let sub = |label: &str, purpose| Subdomain {
        label: label.into(),
        purpose,
    };
    ProjectSpec {
        name: "Bed".into(),
        apex: "example.test".into(),
        subdomains: vec![
            sub("app", SubdomainPurpose::App),
            sub("api", SubdomainPurpose::Api),
            sub("docs", SubdomainPurpose::Docs),
            sub("status", SubdomainPurpose::Status),
            sub("down", SubdomainPurpose::Custom),
        ],
        environments: vec![Environment {
            kind: EnvironmentKind::Production,
            base_url: format!("https://example.test:{https_port}"),
            env_file: String::new(),
        }],
        dns_server: dns.to_string(),
        ca_file: ca_file.display().to_string(),
        ..ProjectSpec::default()
    }
}

async fn bench_with(spec: ProjectSpec) -> (Workbench, i64) {
    let bench = Workbench::new(
        Store::open_in_memory().unwrap(),
        Arc::new(Vault::unreachable("not needed")),
        "tester",
    );
    let project = bench
        .save(ProjectSaveRequest { id: None, spec })
        .await
        .expect("the bed project is valid");
    (bench, project.id)
}

fn state<'a>(items: &'a [ItemState], id: &str) -> &'a ItemState {
    items.iter().find(|i| i.item_id == id).unwrap()
}

async fn bed_with_down_host() -> TestBed {
    TestBed::builder()
        .zone(|z| z.a("down", std::net::Ipv4Addr::new(127, 0, 0, 2)))
        .start()
        .await
        .unwrap()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_run_passes_fails_and_cannot_check_items_and_says_why() {
    let bed = bed_with_down_host().await;
    let dir = tempfile::tempdir().unwrap();
    let ca = dir.path().join("ca.pem");
    std::fs::write(&ca, bed.ca_pem()).unwrap();
    let (bench, id) = bench_with(bed_spec(bed.dns_server(), &ca, bed.https_port())).await;

    let run = bench
        .run_checks(id, &[], RunSource::Window, Arc::new(|_| {}))
        .await
        .unwrap();
    assert!(run.summary.inconclusive > 0);
    let items = bench.items(id).await.unwrap().items;

    // Every host resolves through the bed's DNS server.
    assert_eq!(state(&items, "dns-apex-resolves").status, ItemStatus::Pass);
    // The bed's default pages send no HSTS: a judged failure.
    assert_eq!(state(&items, "hsts-enabled").status, ItemStatus::Fail);
    // TLS works on four hosts but down.example.test refuses: never a pass.
    let tls = state(&items, "ssl-everywhere");
    assert_eq!(tls.status, ItemStatus::Todo);
    let refused = format!(
        "down.example.test:{} refused the connection",
        bed.https_port()
    );
    assert!(
        tls.could_not_check.starts_with("could not check: ")
            && tls.could_not_check.contains(&refused),
        "{}",
        tls.could_not_check
    );
    // The stored run keeps the distinction.
    let stored = bench.run(run.summary.id).await.unwrap();
    assert_eq!(stored.summary.inconclusive, run.summary.inconclusive);
    assert!(stored.findings.iter().any(|f| f.check == "tls.chain"
        && f.host == "down.example.test"
        && f.outcome.is_inconclusive()));

    let overview = bench.overview(id).await.unwrap();
    assert_eq!(overview.verdict, Verdict::NoGo);
    assert!(overview.inconclusive_blockers >= 1);
    assert!(overview.reasons.contains(&inconclusive_sentence(
        overview.inconclusive_blockers as usize
    )));
    let open_tls = overview
        .blockers
        .iter()
        .find(|b| b.item_id == "ssl-everywhere")
        .unwrap();
    assert_eq!(open_tls.could_not_check, tls.could_not_check);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn with_every_https_port_closed_no_web_item_passes_and_the_verdict_is_no_go() {
    let bed = bed_with_down_host().await;
    let dir = tempfile::tempdir().unwrap();
    let ca = dir.path().join("ca.pem");
    std::fs::write(&ca, bed.ca_pem()).unwrap();
    let (dns, port) = (bed.dns_server(), bed.https_port());
    let TestBed { https, .. } = bed;
    drop(https); // nothing listens on the HTTPS port any more
    let (bench, id) = bench_with(bed_spec(dns, &ca, port)).await;

    let run = bench
        .run_checks(id, &[], RunSource::Window, Arc::new(|_| {}))
        .await
        .unwrap();
    // Plain HTTP (port 80) and HTTPS both closed: no address variant answers.
    let canonical = run
        .findings
        .iter()
        .find(|f| f.check == "redirect.canonical")
        .unwrap();
    assert_eq!(
        canonical.outcome.reason(),
        Some("none of the 2 address variants answered"),
        "{canonical:?}"
    );
    let catalog = crate::catalog::builtin();
    let items = bench.items(id).await.unwrap().items;
    for item in catalog
        .items
        .iter()
        .filter(|i| i.kind == ItemKind::Automated)
    {
        let state = state(&items, &item.id);
        let dns_only = item.checks.iter().all(|c| c.starts_with("dns."));
        if state.status == ItemStatus::Pass {
            assert!(dns_only, "{} passed on a site that never answered", item.id);
        }
        if !dns_only && !item.not_automated_yet && state.status == ItemStatus::Todo {
            assert!(
                state.could_not_check.starts_with("could not check: "),
                "{} names no reason",
                item.id
            );
        }
    }
    let tls = state(&items, "ssl-everywhere");
    assert!(
        tls.could_not_check
            .contains(&format!("example.test:{port} refused the connection")),
        "{}",
        tls.could_not_check
    );
    let overview = bench.overview(id).await.unwrap();
    assert_eq!(overview.verdict, Verdict::NoGo);
    assert!(
        overview.reasons[0].ends_with("could not run")
            || overview
                .reasons
                .iter()
                .any(|r| r.ends_with("could not run"))
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_ca_file_that_broke_after_saving_is_an_error_naming_the_field() {
    let bed = TestBed::start().await.unwrap();
    let dir = tempfile::tempdir().unwrap();
    let ca = dir.path().join("ca.pem");
    std::fs::write(&ca, bed.ca_pem()).unwrap();
    let (bench, id) = bench_with(bed_spec(bed.dns_server(), &ca, bed.https_port())).await;
    std::fs::write(&ca, "overwritten by mistake").unwrap();
    let err = bench
        .run_checks(id, &[], RunSource::Window, Arc::new(|_| {}))
        .await
        .unwrap_err();
    let err = handover_model::CommandError::from(err);
    assert_eq!(err.fields[0].field, "ca_file");
    assert!(
        bench.runs(Some(id)).await.unwrap().is_empty(),
        "no run was stored"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_retry_of_an_unknown_check_is_refused_instead_of_running_everything() {
    let (bench, id) = bench_with(ProjectSpec {
        name: "P".into(),
        apex: "example.test".into(),
        ..ProjectSpec::default()
    })
    .await;
    let err = bench
        .run_checks(
            id,
            &["ai.unknown".to_string()],
            RunSource::Window,
            Arc::new(|_| {}),
        )
        .await
        .unwrap_err();
    assert!(
        matches!(err, super::WorkError::Invalid(ref f) if f[0].field == "only"),
        "{err:?}"
    );
    assert!(bench.runs(Some(id)).await.unwrap().is_empty());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_refused_web_check_says_so_in_plain_words() {
    let bed = bed_with_down_host().await;
    let target = crate::checks::net::bed::target(&bed);
    let net = target.net().unwrap();
    let mut target = target;
    target.hosts = vec!["down.example.test".into()];
    let findings = crate::checks::run_with("headers.hsts", &net, &target)
        .await
        .unwrap();
    assert_eq!(findings.len(), 1);
    assert_eq!(
        findings[0].outcome.reason(),
        Some(
            format!(
                "down.example.test:{} refused the connection: nothing listens there",
                bed.https_port()
            )
            .as_str()
        ),
        "{:?}",
        findings[0]
    );
}
