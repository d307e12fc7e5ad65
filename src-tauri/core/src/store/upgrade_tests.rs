//! Upgrading databases written by earlier schema versions.

use std::path::Path;

use handover_model::{CredentialKind, ServiceKind};
use rusqlite::Connection;
use rusqlite_migration::Migrations;

use super::accounts_tests::{account, is_uid};
use super::fixtures::full_spec;
use super::schema::{backups, MIGRATIONS};
use super::{Db, SCHEMA_VERSION};

/// The columns of `table` in the database at `path`.
fn columns(path: &Path, table: &str) -> Vec<String> {
    Connection::open(path)
        .unwrap()
        .prepare("SELECT name FROM pragma_table_info(?1) ORDER BY cid")
        .unwrap()
        .query_map([table], |r| r.get(0))
        .unwrap()
        .collect::<Result<_, _>>()
        .unwrap()
}

/// Writes a version-1 database at `path` holding two projects (the second
/// with an item change), answering their ids.
fn version_1(path: &Path) -> [i64; 2] {
    let v1 = Migrations::from_slice(&MIGRATIONS[..1]);
    let db = Db::open_with(path, &v1).unwrap();
    assert_eq!(db.schema_version().unwrap(), 1);
    let spec = serde_json::to_string(&full_spec("Old")).unwrap();
    let mut ids = [0; 2];
    for (i, name) in ["Old", "Older"].into_iter().enumerate() {
        db.conn
            .execute(
                "INSERT INTO projects (name, apex, spec, created_ms, updated_ms) \
                 VALUES (?1, 'example.com', ?2, 1000, 2000)",
                [name, spec.as_str()],
            )
            .unwrap();
        ids[i] = db.conn.last_insert_rowid();
    }
    db.conn
        .execute(
            "INSERT INTO item_states (project_id, item_id, status, updated_ms, updated_by) \
             VALUES (?1, 'tls', 'pass', 3000, 'me')",
            [ids[1]],
        )
        .unwrap();
    ids
}

#[test]
fn a_version_1_database_upgrades_with_a_backup_and_its_projects_get_uids() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("handover.db");
    let [old, older] = version_1(&path);
    assert!(!columns(&path, "projects").contains(&"uid".to_owned()));

    let mut db = Db::open(&path).unwrap();
    assert_eq!(db.schema_version().unwrap(), SCHEMA_VERSION);
    let project = db.project(old).unwrap();
    assert_eq!(project.spec, full_spec("Old"));
    assert_eq!((project.created_ms, project.updated_ms), (1_000, 2_000));
    assert_eq!(db.item_states(older).unwrap().len(), 1);
    let uids = [db.project_uid(old).unwrap(), db.project_uid(older).unwrap()];
    assert!(uids.iter().all(|u| is_uid(u)), "{uids:?}");
    assert_ne!(uids[0], uids[1]);

    // The upgraded file takes accounts and credentials.
    let a = db
        .create_account(old, &account(ServiceKind::Dns, "Gandi"), 4_000)
        .unwrap();
    let r = db
        .reserve_credential(a.id, CredentialKind::Password, "root", 5_000)
        .unwrap();
    assert_eq!(r.project_uid, uids[0]);
    db.insert_credential(a.id, &r, "root", 5_000).unwrap();
    assert_eq!(db.integrity_check().unwrap(), "ok");
    drop(db);

    // Reopening changes nothing: the uids stay.
    let db = Db::open(&path).unwrap();
    assert_eq!(db.project_uid(old).unwrap(), uids[0]);
    drop(db);

    // One backup, of the version-1 file as it was.
    let saved = backups(&path).unwrap();
    assert_eq!(saved.len(), 1, "{saved:?}");
    let name = saved[0]
        .1
        .file_name()
        .unwrap()
        .to_string_lossy()
        .into_owned();
    assert!(name.starts_with("handover.db.v1-"), "{name}");
    let backup = Connection::open(&saved[0].1).unwrap();
    let version: i64 = backup
        .pragma_query_value(None, "user_version", |r| r.get(0))
        .unwrap();
    assert_eq!(version, 1);
    let rows: i64 = backup
        .query_row("SELECT count(*) FROM projects", [], |r| r.get(0))
        .unwrap();
    assert_eq!(rows, 2);
    assert!(!columns(&saved[0].1, "projects").contains(&"uid".to_owned()));
    assert_eq!(columns(&saved[0].1, "accounts"), Vec::<String>::new());
}

#[test]
fn findings_stored_before_version_7_get_their_fingerprint_keys() {
    use handover_model::{RunSource, Severity};

    use crate::checks::finding;
    use crate::history::marks::keys;
    use crate::store::RunRecord;

    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("handover.db");
    let v6 = Migrations::from_slice(&MIGRATIONS[..6]);
    let findings = [
        finding(
            "headers.hsts",
            "https://example.com/a?x=1",
            Severity::High,
            "No HSTS",
            "",
        ),
        finding(
            "weight.page",
            "https://example.com/",
            Severity::Medium,
            "2 image(s) over 1 MB",
            "",
        ),
        {
            let mut f = finding(
                "tls.expiry",
                "example.com:8443",
                Severity::Pass,
                "Valid",
                "",
            );
            f.measured = vec![crate::checks::measure("days_left", 80.0, "days")];
            f.measured[0].bins = vec![handover_model::Bin {
                upper: 1.0,
                count: 2,
            }];
            f
        },
    ];
    {
        let db = Db::open_with(&path, &v6).unwrap();
        assert_eq!(db.schema_version().unwrap(), 6);
        db.conn
            .execute(
                "INSERT INTO runs (started_ms, finished_ms) VALUES (1, 2)",
                [],
            )
            .unwrap();
        let run = db.conn.last_insert_rowid();
        for f in &findings {
            db.conn
                .execute(
                    "INSERT INTO findings (run_id, check_id, target, severity, title, detail, \
                         evidence, measured, host, port) \
                     VALUES (?1, ?2, ?3, ?4, ?5, '', '[]', ?6, ?7, ?8)",
                    rusqlite::params![
                        run,
                        f.check,
                        f.target,
                        f.severity.as_str(),
                        f.title,
                        serde_json::to_string(&f.measured).unwrap(),
                        f.host,
                        f.port
                    ],
                )
                .unwrap();
        }
    }
    let mut db = Db::open(&path).unwrap();
    assert_eq!(db.schema_version().unwrap(), SCHEMA_VERSION);
    let stored: Vec<(i64, i64)> = db
        .conn
        .prepare("SELECT fp, tk FROM findings ORDER BY id")
        .unwrap()
        .query_map([], |r| Ok((r.get(0)?, r.get(1)?)))
        .unwrap()
        .collect::<Result<_, _>>()
        .unwrap();
    let expected: Vec<(i64, i64)> = findings.iter().map(keys).collect();
    assert_eq!(stored, expected);
    let measures: String = db
        .conn
        .query_row(
            "SELECT measures FROM findings ORDER BY id DESC LIMIT 1",
            [],
            |r| r.get(0),
        )
        .unwrap();
    assert_eq!(
        measures,
        r#"[{"name":"days_left","value":80.0,"unit":"days"}]"#
    );
    // New findings get theirs as they are stored.
    let record = RunRecord {
        project_id: None,
        source: RunSource::Cli,
        subject: "x".into(),
        started_ms: 3,
        finished_ms: 4,
    };
    db.insert_run(&record, &findings[..1]).unwrap();
    let last: (i64, i64) = db
        .conn
        .query_row(
            "SELECT fp, tk FROM findings ORDER BY id DESC LIMIT 1",
            [],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )
        .unwrap();
    assert_eq!(last, expected[0]);
}

#[test]
fn runs_stored_before_version_8_get_their_chart_points() {
    use handover_model::{ProjectSpec, Severity};

    use crate::checks::{finding, measure};
    use crate::history::view::ChartMark;

    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("handover.db");
    let v7 = Migrations::from_slice(&MIGRATIONS[..7]);
    let mut latency = finding(
        "latency.chat",
        "https://app.example.com/chat",
        Severity::High,
        "p95 over its target",
        "",
    );
    latency.host = "app.example.com".into();
    latency.measured = vec![
        measure("p95_ms", 1840.0, "ms"),
        measure("target_ms", 1500.0, "ms"),
    ];
    let mut expiry = finding("tls.expiry", "example.com:443", Severity::Pass, "Valid", "");
    expiry.port = Some(443);
    expiry.measured = vec![measure("days_left", 61.0, "days")];
    let mut unchecked = finding("tls.expiry", "www.example.com:443", Severity::Info, "?", "");
    unchecked.outcome = handover_model::Outcome::Inconclusive {
        cause: handover_model::Cause::TimedOut,
        reason: "timed out".into(),
    };
    let other = finding(
        "headers.hsts",
        "https://example.com/",
        Severity::High,
        "No HSTS",
        "",
    );
    let runs = [
        (100, vec![latency.clone(), other.clone(), expiry.clone()]),
        (200, vec![unchecked, other, expiry.clone()]),
    ];
    let project = {
        let mut db = Db::open_with(&path, &v7).unwrap();
        assert_eq!(db.schema_version().unwrap(), 7);
        let spec = ProjectSpec {
            name: "Shop".into(),
            apex: "example.com".into(),
            ..ProjectSpec::default()
        };
        let project = db.create_project(&spec, 1).unwrap().id;
        for (started, findings) in &runs {
            db.conn
                .execute(
                    "INSERT INTO runs (project_id, started_ms, finished_ms) VALUES (?1, ?2, ?2)",
                    rusqlite::params![project, started],
                )
                .unwrap();
            let run = db.conn.last_insert_rowid();
            for f in findings {
                let (outcome, cause, reason) = match &f.outcome {
                    handover_model::Outcome::Judged => ("judged", "", ""),
                    handover_model::Outcome::Inconclusive { cause, reason } => {
                        ("inconclusive", cause.as_str(), reason.as_str())
                    }
                };
                db.conn
                    .execute(
                        "INSERT INTO findings (run_id, check_id, target, severity, title, \
                             detail, evidence, measured, measures, host, port, outcome, cause, \
                             reason) \
                         VALUES (?1, ?2, ?3, ?4, ?5, '', '[]', ?6, ?6, ?7, ?8, ?9, ?10, ?11)",
                        rusqlite::params![
                            run,
                            f.check,
                            f.target,
                            f.severity.as_str(),
                            f.title,
                            serde_json::to_string(&f.measured).unwrap(),
                            f.host,
                            f.port,
                            outcome,
                            cause,
                            reason
                        ],
                    )
                    .unwrap();
            }
        }
        project
    };
    let mut db = Db::open(&path).unwrap();
    assert_eq!(db.schema_version().unwrap(), SCHEMA_VERSION);
    let expected: Vec<ChartMark> = runs
        .iter()
        .flat_map(|(at, fs)| fs.iter().filter_map(|f| ChartMark::of(*at, f)))
        .collect();
    assert_eq!(expected.len(), 3, "the judged latency and expiry findings");
    assert_eq!(db.chart_marks(project, None).unwrap(), expected);
    assert_eq!(db.chart_marks(project, Some(150)).unwrap(), expected[2..]);
    // The points go with their run.
    assert_eq!(db.prune_runs(150).unwrap(), 1);
    assert_eq!(db.chart_marks(project, None).unwrap(), expected[2..]);
}
