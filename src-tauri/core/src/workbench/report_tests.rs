//! The report from the store: what it is made from, the exports (atomic,
//! remembered, dated) and the preview.

use std::sync::Arc;

use handover_model::{
    CommandError, ErrorCode, ItemStatus, ItemUpdateRequest, ProjectSpec, RunSource, Severity,
};

use super::*;
use crate::checks::finding;
use crate::store::{RunRecord, Store};
use crate::vault::Vault;

fn workbench() -> Workbench {
    Workbench::new(
        Store::open_in_memory().unwrap(),
        Arc::new(Vault::unreachable("not needed")),
        "tester",
    )
}

/// A stored project with one item changed and three weekly runs.
async fn project(bench: &Workbench) -> i64 {
    let spec = ProjectSpec {
        name: "Opsbot".into(),
        apex: "xn--bcher-kva.example".into(),
        ..ProjectSpec::default()
    };
    let id = bench.import_project(spec, false).await.unwrap().id;
    let item_id = bench.catalog().items[3].id.clone();
    bench
        .update_item(ItemUpdateRequest {
            project_id: id,
            item_id,
            status: ItemStatus::Fail,
            waiver_reason: String::new(),
            owner: "Ana".into(),
            notes: "Certificate renewal is manual.".into(),
            evidence: Vec::new(),
        })
        .await
        .unwrap();
    for week in 0..3i64 {
        let started_ms = 1_700_000_000_000 + week * 7 * DAY_MS;
        let findings = vec![finding(
            "tls.expiry",
            "api.xn--bcher-kva.example",
            Severity::High,
            format!("week {week}"),
            "renew it",
        )];
        bench
            .store()
            .run(move |db| {
                db.insert_run(
                    &RunRecord {
                        project_id: Some(id),
                        source: RunSource::Cli,
                        subject: "Opsbot".into(),
                        started_ms,
                        finished_ms: started_ms + 1000,
                    },
                    &findings,
                )
            })
            .await
            .unwrap();
    }
    id
}

fn request(project_id: i64, path: &Path, format: ReportFormat) -> ReportExportRequest {
    ReportExportRequest {
        project_id,
        path: path.display().to_string(),
        format,
        paper: Paper::A4,
    }
}

#[tokio::test]
async fn the_source_holds_every_item_and_the_runs_newest_first_with_findings() {
    let bench = workbench();
    let id = project(&bench).await;
    let source = bench.report_source(id, now_ms()).await.unwrap();
    assert_eq!(source.project.spec.name, "Opsbot");
    assert_eq!(source.items.len(), bench.catalog().items.len());
    let changed = &source.items[3];
    assert_eq!(
        (changed.status, changed.owner.as_str()),
        (ItemStatus::Fail, "Ana")
    );
    let titles: Vec<&str> = source
        .runs
        .iter()
        .map(|r| r.findings[0].title.as_str())
        .collect();
    assert_eq!(titles, ["week 2", "week 1", "week 0"]);
    let input = source.input("2026-12-01", "tester");
    assert_eq!((input.date, input.author), ("2026-12-01", "tester"));
    assert!(matches!(
        bench.report_source(999, now_ms()).await,
        Err(WorkError::Store(crate::store::StoreError::NotFound { .. }))
    ));
}

#[tokio::test]
async fn a_json_export_is_written_dated_and_remembered_as_the_last_export() {
    let bench = workbench();
    let id = project(&bench).await;
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("handover.json");
    let done = bench
        .export_report(request(id, &path, ReportFormat::Json), Some("2026-12-01"))
        .await
        .unwrap();
    let written = std::fs::read(&path).unwrap();
    let json: serde_json::Value = serde_json::from_slice(&written).unwrap();
    assert_eq!(json["schema"], crate::report::SCHEMA);
    assert_eq!(json["date"], "2026-12-01");
    assert_eq!(done.findings_path, None);
    assert_eq!(done.record.path, path.display().to_string());
    assert_eq!(
        (done.record.format, done.record.bytes),
        (ReportFormat::Json, written.len() as u64)
    );
    let last = bench
        .store()
        .run(move |db| db.last_export(id))
        .await
        .unwrap();
    assert_eq!(last, Some(done.record.clone()));

    // The same data and date give the same bytes.
    bench
        .export_report(request(id, &path, ReportFormat::Json), Some("2026-12-01"))
        .await
        .unwrap();
    assert_eq!(std::fs::read(&path).unwrap(), written);
}

#[tokio::test]
async fn a_bad_date_or_path_is_refused_and_leaves_files_and_the_record_alone() {
    let bench = workbench();
    let id = project(&bench).await;
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("handover.json");
    std::fs::write(&path, "previous").unwrap();

    let err = bench
        .export_report(request(id, &path, ReportFormat::Json), Some("2026-02-30"))
        .await
        .unwrap_err();
    let err = CommandError::from(err);
    assert_eq!(err.code, ErrorCode::InvalidInput);
    assert!(err.message.contains("2026-02-30"), "{}", err.message);

    let missing = dir.path().join("gone").join("handover.json");
    let err = bench
        .export_report(request(id, &missing, ReportFormat::Json), None)
        .await
        .unwrap_err();
    let err = CommandError::from(err);
    assert_eq!(err.code, ErrorCode::InvalidInput);
    assert!(err.message.contains("does not exist"), "{}", err.message);

    let err = bench
        .export_report(request(id, dir.path(), ReportFormat::Json), None)
        .await
        .unwrap_err();
    assert!(
        CommandError::from(err).message.contains("folder"),
        "a folder is not a file"
    );

    assert_eq!(std::fs::read(&path).unwrap(), b"previous");
    let last = bench
        .store()
        .run(move |db| db.last_export(id))
        .await
        .unwrap();
    assert_eq!(last, None);
}

#[test]
fn dates_and_the_findings_file_name() {
    let (date, at) = report_date(Some("2026-12-01")).unwrap();
    assert_eq!(date, "2026-12-01");
    assert_eq!(at, 20_788 * DAY_MS + DAY_MS - 1);
    assert!(matches!(
        report_date(Some("1.12.2026")),
        Err(ReportError::Date(_))
    ));
    let (today, _) = report_date(None).unwrap();
    assert!(handover_model::date::days_from_civil(&today).is_some());
    assert_eq!(
        findings_path(Path::new("/tmp/handover.pdf")),
        Path::new("/tmp/handover.findings.json")
    );
    assert_eq!(
        findings_path(Path::new("/tmp/report")),
        Path::new("/tmp/report.findings.json")
    );
}

#[test]
fn a_section_summary_counts_what_it_holds() {
    use crate::report::doc::{Cell, Column};
    let table = Block::Table {
        columns: vec![Column {
            title: "Item".into(),
            weight: 1.0,
            align: crate::report::doc::Align::Left,
        }],
        rows: vec![vec![Cell::text("a")], vec![Cell::text("b")]],
    };
    let section = |blocks| Section {
        id: "watch".into(),
        title: "What to watch this week".into(),
        blocks,
    };
    let s = summary(1, &section(vec![table, Block::Note("see below".into())]));
    assert_eq!(s.title, "1 What to watch this week");
    assert_eq!(s.note, "2 entries");
    let s = summary(6, &section(vec![Block::Note("No runs yet.".into())]));
    assert_eq!(s.note, "No runs yet.");
}

/// Needs the PDF and content writers: the PDF gets its findings JSON beside it,
/// and the preview lists the sections and the last export.
#[tokio::test]
async fn a_pdf_export_carries_its_findings_inside_and_beside_and_shows_in_the_preview() {
    let bench = workbench();
    let id = project(&bench).await;
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("handover.pdf");
    let done = bench
        .export_report(request(id, &path, ReportFormat::Pdf), Some("2026-12-01"))
        .await
        .unwrap();
    let pdf = std::fs::read(&path).unwrap();
    assert!(pdf.starts_with(b"%PDF"));
    let beside = dir.path().join("handover.findings.json");
    assert_eq!(done.findings_path, Some(beside.display().to_string()));
    let json: serde_json::Value = serde_json::from_slice(&std::fs::read(&beside).unwrap()).unwrap();
    assert_eq!(json["schema"], crate::report::SCHEMA);
    // Read back as a person sees it: every section, the IDN in Unicode.
    let out = std::process::Command::new("pdftotext")
        .arg(&path)
        .arg("-")
        .output()
        .expect("pdftotext (poppler-utils, installed by `cargo xtask test`)");
    let text = String::from_utf8_lossy(&out.stdout);
    for heading in [
        "What to watch this week",
        "Launch blockers, ranked",
        "The checklist by stage",
        "Accounts, ownership and alert contacts",
        "Live-check evidence by host",
        "Charts",
        "Rollback and deployment notes",
        "Known limitations",
        "Next steps",
        "Contents",
    ] {
        assert!(text.contains(heading), "{heading:?} in {text}");
    }
    assert!(text.contains("bücher.example"), "the apex in Unicode");
    assert!(text.contains("NO-GO"), "the verdict badge");
    // The same JSON also travels inside the PDF, as an attached file.
    let out = dir.path().join("detached.json");
    let detached = std::process::Command::new("pdfdetach")
        .arg("-save")
        .arg("1")
        .arg("-o")
        .arg(&out)
        .arg(&path)
        .status()
        .expect("pdfdetach (poppler-utils, installed by `cargo xtask test`)");
    assert!(detached.success());
    assert_eq!(
        std::fs::read(&out).unwrap(),
        std::fs::read(&beside).unwrap()
    );

    let again = dir.path().join("again.pdf");
    bench
        .export_report(request(id, &again, ReportFormat::Pdf), Some("2026-12-01"))
        .await
        .unwrap();
    assert_eq!(std::fs::read(&again).unwrap(), pdf, "deterministic");

    let preview = bench.report_preview(id).await.unwrap();
    assert!(preview.sections.len() >= 9, "{:?}", preview.sections);
    assert!(preview.sections[0].title.starts_with("1 "));
    let last = preview.last_export.expect("the last export");
    assert_eq!(last.path, again.display().to_string());
    assert_eq!(last.format, ReportFormat::Pdf);
}

/// A credential's secret lives only in the keychain: an export in every
/// format names the credential (label, kind, where it is kept) and never
/// holds its value — the PDF read back as text, the raw bytes, Markdown and
/// JSON alike.
#[tokio::test]
async fn a_canary_secret_is_in_no_export() {
    const CANARY: &str = "sk_live_CANARY0123456789abcdefXYZ";
    let store: Arc<keyring_core::CredentialStore> = keyring_core::mock::Store::new().unwrap();
    let bench = Workbench::new(
        Store::open_in_memory().unwrap(),
        Arc::new(Vault::with_store("mock store", store)),
        "tester",
    );
    let id = project(&bench).await;
    let credential =
        crate::workbench::credentials_tests::stored_api_key(&bench, id, "deploy key", CANARY).await;
    assert_eq!(
        bench.secret(credential).await.unwrap().expose(),
        CANARY,
        "the canary is stored"
    );
    let dir = tempfile::tempdir().unwrap();
    for (name, format) in [
        ("handover.pdf", ReportFormat::Pdf),
        ("handover.md", ReportFormat::Markdown),
        ("handover.json", ReportFormat::Json),
    ] {
        let path = dir.path().join(name);
        bench
            .export_report(request(id, &path, format), Some("2026-12-01"))
            .await
            .unwrap();
        let bytes = std::fs::read(&path).unwrap();
        let text = if format == ReportFormat::Pdf {
            let out = std::process::Command::new("pdftotext")
                .arg(&path)
                .arg("-")
                .output()
                .expect("pdftotext (poppler-utils, installed by `cargo xtask test`)");
            String::from_utf8_lossy(&out.stdout).into_owned()
        } else {
            String::from_utf8(bytes.clone()).unwrap()
        };
        assert!(text.contains("deploy key"), "{name} names the credential");
        assert!(!text.contains(CANARY), "{name} holds the secret");
        let raw = String::from_utf8_lossy(&bytes);
        assert!(!raw.contains(CANARY), "{name}'s bytes hold the secret");
    }
    let beside = std::fs::read_to_string(dir.path().join("handover.findings.json")).unwrap();
    assert!(!beside.contains(CANARY));
}
