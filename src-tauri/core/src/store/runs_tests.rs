//! Tests of stored runs and the decisions they apply.

use super::*;
use crate::checks::{finding, inconclusive};
use handover_model::{Measure, ProjectSpec};

fn db_with_project() -> (Db, i64) {
    let mut db = Db::open_in_memory().unwrap();
    let spec = ProjectSpec {
        name: "P".into(),
        apex: "example.com".into(),
        ..ProjectSpec::default()
    };
    let id = db.create_project(&spec, 1).unwrap().id;
    (db, id)
}

fn f(check: &str, severity: Severity) -> Finding {
    let mut f = finding(check, "example.com:8443", severity, "t", "d");
    f.evidence = vec!["GET / → 200".into()];
    f.measured = vec![Measure {
        name: "days_left".into(),
        value: 20.0,
        unit: "days".into(),
        bins: vec![handover_model::Bin {
            upper: 30.0,
            count: 2,
        }],
    }];
    f
}

fn record(project_id: Option<i64>, started_ms: i64) -> RunRecord {
    RunRecord {
        project_id,
        source: RunSource::Window,
        subject: "P".into(),
        started_ms,
        finished_ms: started_ms + 10,
    }
}

#[test]
fn runs_round_trip_with_outcomes_hosts_and_ports() {
    let (mut db, project) = db_with_project();
    let findings = [
        f("tls.expiry", Severity::High),
        f("dns.resolve", Severity::Pass),
        inconclusive(
            "headers.hsts",
            "https://example.com:8443/",
            Cause::Unreachable,
            "example.com:8443 refused the connection",
        ),
    ];
    let summary = db
        .insert_run(&record(Some(project), 10), &findings)
        .unwrap();
    assert_eq!(summary.counts, [1, 0, 0, 0, 1, 0]);
    assert_eq!(summary.inconclusive, 1);
    let run = db.run(summary.id).unwrap();
    assert_eq!(run.summary, summary);
    assert_eq!(
        run.findings,
        [
            findings[0].clone(),
            findings[2].clone(),
            findings[1].clone()
        ]
    );
    assert_eq!(run.findings[1].host, "example.com");
    assert_eq!(run.findings[1].port, Some(8443));
    let later = db.insert_run(&record(Some(project), 30), &[]).unwrap();
    let ids: Vec<_> = db
        .runs(Some(project))
        .unwrap()
        .iter()
        .map(|r| r.id)
        .collect();
    assert_eq!(ids, [later.id, summary.id]);
    // Runs of no stored project are listed on their own.
    let mut cli = record(None, 1);
    cli.source = RunSource::Cli;
    cli.subject = "example.com".into();
    let headless = db.insert_run(&cli, &findings).unwrap();
    let listed = db.runs(None).unwrap();
    assert_eq!(listed.len(), 1);
    assert_eq!(listed[0].id, headless.id);
    assert_eq!(listed[0].source, RunSource::Cli);
    assert_eq!(listed[0].subject, "example.com");
}

#[test]
fn a_run_decides_automated_items_but_not_waived_ones() {
    let (mut db, project) = db_with_project();
    let waived = ItemState {
        item_id: "b".into(),
        status: ItemStatus::Waived,
        waiver_reason: "accepted".into(),
        ..ItemState::default()
    };
    db.update_item(project, &waived, "dana", 5).unwrap();
    let run = db.insert_run(&record(Some(project), 10), &[]).unwrap();
    let decide = |item: &str, status, note: &str| Decision {
        item_id: item.into(),
        status,
        could_not_check: note.into(),
    };
    let decisions = [
        decide("a", ItemStatus::Fail, ""),
        decide("b", ItemStatus::Pass, ""),
        decide("c", ItemStatus::Todo, "could not check: refused"),
    ];
    let changed = db.apply_run(project, run.id, &decisions, 30).unwrap();
    assert_eq!(changed.len(), 2);
    assert_eq!(changed[0].status, ItemStatus::Fail);
    assert_eq!(changed[0].evidence, [format!("handover:run/{}", run.id)]);
    assert_eq!(changed[0].updated_by, RUN_ACTOR);
    let c = db.item_state(project, "c").unwrap().unwrap();
    assert_eq!(c.status, ItemStatus::Todo);
    assert_eq!(c.could_not_check, "could not check: refused");
    assert_eq!(
        db.item_state(project, "b").unwrap().unwrap().status,
        ItemStatus::Waived
    );
    // The same decision again changes nothing.
    assert!(db
        .apply_run(project, run.id, &decisions, 40)
        .unwrap()
        .is_empty());
    // A later run that judges it clears the note, in the history too.
    let next = db.insert_run(&record(Some(project), 50), &[]).unwrap();
    db.apply_run(project, next.id, &[decide("c", ItemStatus::Pass, "")], 60)
        .unwrap();
    let c = db.item_state(project, "c").unwrap().unwrap();
    assert_eq!(
        (c.status, c.could_not_check.as_str()),
        (ItemStatus::Pass, "")
    );
    let fields: Vec<String> = db
        .history(project, Some("c"))
        .unwrap()
        .into_iter()
        .map(|h| h.field)
        .collect();
    assert!(
        fields.contains(&"could_not_check".to_string()),
        "{fields:?}"
    );
}
