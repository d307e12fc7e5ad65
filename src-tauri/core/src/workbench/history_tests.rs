//! Rechecks, the notice ledger, schedules, retention and the History page
//! through the workbench.

use std::sync::Arc;

use handover_model::{
    Finding, NoticeKind, ProjectSaveRequest, ProjectSpec, RunSource, ScheduleSetRequest, Severity,
};

use super::bed_tests::bed_bench;
use super::conclude;
use crate::history::recorded::{could_not, judged};
use crate::store::{now_ms, RunRecord, Store};
use crate::vault::Vault;
use crate::workbench::{WorkError, Workbench};

const DAY_MS: i64 = 86_400_000;

async fn plain_bench() -> (Workbench, i64) {
    let bench = Workbench::new(
        Store::open_in_memory().unwrap(),
        Arc::new(Vault::unreachable("not needed")),
        "tester",
    );
    let spec = ProjectSpec {
        name: "P".into(),
        apex: "example.test".into(),
        ..ProjectSpec::default()
    };
    let project = bench
        .save(ProjectSaveRequest { id: None, spec })
        .await
        .unwrap();
    (bench, project.id)
}

/// Stores a recorded run started at `at` and concludes it as a recheck;
/// answers the notices' kinds.
async fn recorded(bench: &Workbench, id: i64, at: i64, findings: Vec<Finding>) -> Vec<NoticeKind> {
    let (_, notices) = bench
        .store
        .run(move |db| {
            let record = RunRecord {
                project_id: Some(id),
                source: RunSource::Cli,
                subject: "P".into(),
                started_ms: at,
                finished_ms: at + 1000,
            };
            let run = db.insert_run(&record, &findings)?;
            conclude(db, id, run.id, at + 2000)
        })
        .await
        .unwrap();
    notices.into_iter().map(|n| n.kind).collect()
}

fn schedule_request(id: i64, weekday: u8, time: &str, zone: &str) -> ScheduleSetRequest {
    ScheduleSetRequest {
        project_id: id,
        enabled: true,
        weekday,
        time: time.into(),
        time_zone: zone.into(),
    }
}

#[tokio::test]
async fn the_ledger_notifies_an_unchanged_finding_once_over_three_rechecks() {
    let (bench, id) = plain_bench().await;
    let now = now_ms();
    let blocker = || {
        judged(
            "headers.hsts",
            "https://example.test/",
            Severity::Blocker,
            &[],
        )
    };
    let down = || could_not("tls.chain", "down.example.test:443");
    let mut got = Vec::new();
    for week in 0..4 {
        got.push(recorded(&bench, id, now + week * 7 * DAY_MS, vec![blocker(), down()]).await);
    }
    assert_eq!(got[0], [NoticeKind::NewBlocker]);
    assert!(got[1].is_empty());
    assert_eq!(
        got[2],
        [NoticeKind::KeepsFailingToRun],
        "third run in a row"
    );
    assert!(got[3].is_empty(), "still the same: not again");
    let keys = bench.store.run(move |db| db.notified(id)).await.unwrap();
    assert_eq!(keys.len(), 2, "{keys:?}");
    // Fixed, then broken again: a new state change is notified again.
    let fixed = judged("headers.hsts", "https://example.test/", Severity::Pass, &[]);
    assert!(recorded(&bench, id, now + 28 * DAY_MS, vec![fixed, down()])
        .await
        .is_empty());
    let again = recorded(&bench, id, now + 35 * DAY_MS, vec![blocker(), down()]).await;
    assert_eq!(again, [NoticeKind::NewBlocker]);
}

#[tokio::test]
async fn schedules_are_validated_field_by_field_and_get_a_next_due() {
    let (bench, id) = plain_bench().await;
    let default = bench.schedule(id).await.unwrap();
    assert!(!default.enabled && default.next_due_ms.is_none());
    let err = bench
        .set_schedule(schedule_request(id, 0, "24:00", "Europe/Nowhere"))
        .await
        .unwrap_err();
    let WorkError::Invalid(fields) = err else {
        panic!("{err:?}")
    };
    let names: Vec<_> = fields.iter().map(|f| f.field.as_str()).collect();
    assert_eq!(names, ["weekday", "time", "time_zone"]);
    let set = bench
        .set_schedule(schedule_request(id, 1, "09:00", "Europe/Berlin"))
        .await
        .unwrap();
    let due = set.next_due_ms.unwrap();
    assert!(due > now_ms() && due - now_ms() <= 7 * DAY_MS);
    assert_eq!(bench.schedule(id).await.unwrap(), set);
    let mut off = schedule_request(id, 1, "09:00", "Europe/Berlin");
    off.enabled = false;
    assert_eq!(bench.set_schedule(off).await.unwrap().next_due_ms, None);
}

#[tokio::test]
async fn retention_prunes_old_runs_now_and_after_each_recheck() {
    let (bench, id) = plain_bench().await;
    let now = now_ms();
    let f = || vec![judged("dns.caa", "example.test", Severity::Low, &[])];
    recorded(&bench, id, now - 800 * DAY_MS, f()).await;
    recorded(&bench, id, now - 400 * DAY_MS, f()).await;
    let history = bench.run_history(id, None).await.unwrap();
    assert_eq!(history.retention_days, 730);
    assert_eq!(
        history.runs.len(),
        2,
        "the 800-day-old run was pruned by the later one"
    );
    assert_eq!(bench.set_retention(365).await.unwrap(), 365);
    assert!(bench.run_history(id, None).await.unwrap().runs.is_empty());
    assert!(matches!(
        bench.set_retention(0).await,
        Err(WorkError::Invalid(ref f)) if f[0].field == "retention_days"
    ));
}

#[tokio::test]
async fn diff_runs_defaults_to_the_latest_two_and_takes_chosen_runs() {
    let (bench, id) = plain_bench().await;
    let now = now_ms();
    let hsts = |s| vec![judged("headers.hsts", "https://example.test/", s, &[])];
    recorded(&bench, id, now, hsts(Severity::Low)).await;
    recorded(&bench, id, now + DAY_MS, hsts(Severity::High)).await;
    recorded(&bench, id, now + 2 * DAY_MS, hsts(Severity::High)).await;
    let runs = bench.runs(Some(id)).await.unwrap();
    let (first, second, third) = (runs[2].id, runs[1].id, runs[0].id);
    let latest = bench.diff_runs(id, None, None).await.unwrap();
    assert_eq!((latest.from_run, latest.to_run), (Some(second), third));
    assert_eq!(latest.counts.persisting, 1);
    let chosen = bench.diff_runs(id, Some(first), Some(third)).await.unwrap();
    assert_eq!((chosen.from_run, chosen.counts.regressed), (Some(first), 1));
    assert!(matches!(
        bench.diff_runs(id, Some(third), Some(first)).await,
        Err(WorkError::Invalid(_))
    ));
    let view = bench.run_history(id, Some(now + DAY_MS)).await.unwrap();
    assert_eq!(view.runs.len(), 2);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_recheck_runs_every_check_diffs_and_moves_the_schedule() {
    let (_bed, _dir, bench, id) = bed_bench().await;
    bench
        .set_schedule(schedule_request(id, 3, "09:00", "America/New_York"))
        .await
        .unwrap();
    let first = bench
        .recheck(id, RunSource::Window, Arc::new(|_| {}))
        .await
        .unwrap();
    assert_eq!(first.diff.from_run, None);
    assert!(first.diff.counts.new > 0, "the bed has problems");
    assert!(!first.go, "down.example.test cannot be checked");
    let second = bench
        .recheck(id, RunSource::Window, Arc::new(|_| {}))
        .await
        .unwrap();
    assert_eq!(second.diff.from_run, Some(first.run_id));
    assert_eq!(second.diff.counts.new, 0, "{:#?}", second.diff.entries);
    assert_eq!(second.diff.counts.resolved, 0);
    assert!(second.notices.is_empty(), "{:?}", second.notices);
    let view = bench.run_history(id, None).await.unwrap();
    assert_eq!(view.runs.len(), 2);
    assert!(!view.certificate_days.is_empty());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn missed_weeks_are_caught_up_once_and_next_due_is_after_now() {
    let (_bed, _dir, bench, id) = bed_bench().await;
    let set = bench
        .set_schedule(schedule_request(id, 1, "09:00", "Europe/Berlin"))
        .await
        .unwrap();
    // The machine was off for five weeks.
    let mut stale = set.clone();
    stale.next_due_ms = Some(set.next_due_ms.unwrap() - 5 * 7 * DAY_MS);
    let now = now_ms();
    bench
        .store
        .run(move |db| db.set_schedule(id, &stale, now))
        .await
        .unwrap();
    let done = bench.recheck_due(now, Arc::new(|_| {})).await.unwrap();
    assert_eq!(done.len(), 1, "once, not once per missed week");
    assert_eq!(done[0].0, id);
    let next = bench.schedule(id).await.unwrap().next_due_ms.unwrap();
    assert!(next > now && next - now <= 7 * DAY_MS);
    assert!(bench
        .recheck_due(now, Arc::new(|_| {}))
        .await
        .unwrap()
        .is_empty());
    assert_eq!(bench.runs(Some(id)).await.unwrap().len(), 1);
}

#[tokio::test]
async fn an_ordinary_run_prunes_the_runs_past_the_retention_too() {
    let (_bed, _dir, bench, id) = bed_bench().await;
    let old = now_ms() - 800 * DAY_MS;
    bench
        .store
        .run(move |db| {
            let record = RunRecord {
                project_id: Some(id),
                source: RunSource::Window,
                subject: "P".into(),
                started_ms: old,
                finished_ms: old + 1000,
            };
            db.insert_run(
                &record,
                &[judged("dns.caa", "example.test", Severity::Low, &[])],
            )
        })
        .await
        .unwrap();
    assert_eq!(bench.runs(Some(id)).await.unwrap().len(), 1);
    let run = bench
        .run_checks(
            id,
            &["tls.expiry".into()],
            RunSource::Window,
            Arc::new(|_| {}),
        )
        .await
        .unwrap();
    let kept: Vec<i64> = bench
        .runs(Some(id))
        .await
        .unwrap()
        .iter()
        .map(|r| r.id)
        .collect();
    assert_eq!(kept, [run.summary.id], "the 800-day-old run is gone");
}
