//! Rechecks, history, diffs and schedules of stored projects.
//!
//! A recheck is an ordinary run of every check (stored like any other),
//! followed by one store job that prunes runs past the retention, loads the
//! project's runs, diffs the new one against those before it, filters the
//! notices through the ledger of keys already sent (recording the new ones
//! and forgetting the lapsed ones) and moves the schedule's `next_due` past
//! now.

use handover_model::{
    FieldError, HistoryView, Notice, RecheckOutcome, RunDiff, RunSource, Schedule,
    ScheduleSetRequest, Verdict,
};

use super::{run_verdict, ProgressSink, RunOptions, WorkError, Workbench};
use crate::history::{self, marks, ScheduleError};
use crate::store::{now_ms, Db, MarkedRun, StoreError, RETENTION_SETTING};

/// A day, ms.
const DAY_MS: i64 = 86_400_000;

/// The longest retention accepted (100 years).
const MAX_RETENTION_DAYS: u32 = 36_500;

impl Workbench {
    /// Runs project `project_id`'s recheck now: every check, stored like
    /// any run, then the diff against the previous run and the notices it
    /// raises (de-duplicated against what was notified before, and
    /// recorded); moves the schedule's `next_due` past now.
    ///
    /// `go` is what the run alone says ([`run_verdict`]: no blocker finding,
    /// no blocker item failed or left unchecked), as `handover check` exits.
    pub async fn recheck(
        &self,
        project_id: i64,
        source: RunSource,
        progress: ProgressSink,
    ) -> Result<RecheckOutcome, WorkError> {
        self.recheck_at(project_id, source, progress, now_ms())
            .await
    }

    /// [`Workbench::recheck`], with the schedule moved past `now_ms` (or
    /// the clock, whichever is later).
    async fn recheck_at(
        &self,
        project_id: i64,
        source: RunSource,
        progress: ProgressSink,
        now_ms_at: i64,
    ) -> Result<RecheckOutcome, WorkError> {
        let run = self
            .run_checks_with(project_id, &[], source, RunOptions::default(), progress)
            .await?;
        let go = run_verdict(self.catalog, &run.findings).verdict == Verdict::Go;
        let run_id = run.summary.id;
        let now = now_ms_at.max(now_ms());
        let (diff, notices) = self
            .store
            .run(move |db| conclude(db, project_id, run_id, now))
            .await?;
        Ok(RecheckOutcome {
            run_id,
            diff,
            notices,
            go,
        })
    }

    /// Runs the recheck of every project whose schedule is due at `now_ms`
    /// — once each, however many weeks were missed — and returns their
    /// outcomes by project id. Runs are recorded as started from the
    /// command line (the headless timer's path).
    pub async fn recheck_due(
        &self,
        now_ms: i64,
        progress: ProgressSink,
    ) -> Result<Vec<(i64, RecheckOutcome)>, WorkError> {
        let due = self.store.run(move |db| db.due_schedules(now_ms)).await?;
        let mut out = Vec::with_capacity(due.len());
        for (project_id, _) in due {
            let outcome = self
                .recheck_at(project_id, RunSource::Cli, progress.clone(), now_ms)
                .await?;
            out.push((project_id, outcome));
        }
        Ok(out)
    }

    /// The History page of project `project_id` (runs since `since_ms`).
    pub async fn run_history(
        &self,
        project_id: i64,
        since_ms: Option<i64>,
    ) -> Result<HistoryView, WorkError> {
        Ok(self
            .store
            .run(move |db| history_of(db, project_id, since_ms))
            .await?)
    }

    /// What changed between two runs of project `project_id` (by default
    /// the latest and the one before it). Each finding is compared with the
    /// last run up to `from_run` that judged it.
    pub async fn diff_runs(
        &self,
        project_id: i64,
        from_run: Option<i64>,
        to_run: Option<i64>,
    ) -> Result<RunDiff, WorkError> {
        self.store
            .run(move |db| Ok(diff_between(db, project_id, from_run, to_run)))
            .await?
    }

    /// Project `project_id`'s schedule (disabled by default).
    pub async fn schedule(&self, project_id: i64) -> Result<Schedule, WorkError> {
        Ok(self.store.run(move |db| db.schedule(project_id)).await?)
    }

    /// Changes a project's schedule; answers it with its new `next_due`
    /// (`None` when disabled). A bad weekday, time or time zone is refused
    /// field by field, enabled or not.
    pub async fn set_schedule(&self, request: ScheduleSetRequest) -> Result<Schedule, WorkError> {
        let mut schedule = Schedule {
            enabled: request.enabled,
            weekday: request.weekday,
            time: request.time.trim().to_string(),
            time_zone: request.time_zone.trim().to_string(),
            next_due_ms: None,
        };
        let errors = history::schedule::validate(&schedule);
        if !errors.is_empty() {
            return Err(WorkError::Invalid(errors.iter().map(field_error).collect()));
        }
        let now = now_ms();
        if schedule.enabled {
            schedule.next_due_ms = Some(
                history::next_due(&schedule, now)
                    .map_err(|e| WorkError::Invalid(vec![field_error(&e)]))?,
            );
        }
        let stored = schedule.clone();
        let project_id = request.project_id;
        self.store
            .run(move |db| db.set_schedule(project_id, &stored, now))
            .await?;
        Ok(schedule)
    }

    /// Sets how many days runs are kept (older ones are deleted now and
    /// after every run); answers the setting.
    pub async fn set_retention(&self, days: u32) -> Result<u32, WorkError> {
        if !(1..=MAX_RETENTION_DAYS).contains(&days) {
            return Err(WorkError::Invalid(vec![FieldError {
                field: "retention_days".into(),
                message: format!("Keep runs for 1 to {MAX_RETENTION_DAYS} days."),
            }]));
        }
        let now = now_ms();
        self.store
            .run(move |db| {
                db.set_setting(RETENTION_SETTING, &days.to_string())?;
                prune(db, now)
            })
            .await?;
        Ok(days)
    }
}

/// After run `run_id` of project `project_id` is stored: prunes runs past
/// the retention, diffs the run against those before it, filters its
/// notices through the ledger (recording the fresh keys, forgetting the
/// lapsed ones) and advances the schedule past `now`.
pub(crate) fn conclude(
    db: &mut Db,
    project_id: i64,
    run_id: i64,
    now: i64,
) -> Result<(RunDiff, Vec<Notice>), StoreError> {
    prune(db, now)?;
    let mut runs = db.history_runs(project_id, None)?;
    let at = runs
        .iter()
        .position(|r| r.summary.id == run_id)
        .ok_or_else(|| StoreError::NotFound {
            what: "run",
            id: run_id.to_string(),
        })?;
    let later = runs.remove(at);
    runs.truncate(at);
    runs.reverse();
    let diff = history::diff(&runs, &later);
    let notified = db.notified(project_id)?;
    let (fresh, lapsed) = history::deliver(&runs, &later, &diff, &notified);
    let keys: Vec<String> = fresh.iter().map(|n| n.key.clone()).collect();
    db.record_notices(project_id, run_id, &keys, &lapsed, now)?;
    advance(db, project_id, now)?;
    Ok((diff, fresh))
}

/// Deletes runs older than the retention; answers how many.
pub(super) fn prune(db: &mut Db, now: i64) -> Result<usize, StoreError> {
    let days = i64::from(db.retention_days()?);
    let pruned = db.prune_runs(now.saturating_sub(days.saturating_mul(DAY_MS)))?;
    if pruned > 0 {
        tracing::info!(pruned, days, "runs past the retention deleted");
    }
    Ok(pruned)
}

/// Moves an enabled schedule's `next_due` to its first occurrence after
/// `now` (one step, however many weeks were missed).
fn advance(db: &mut Db, project_id: i64, now: i64) -> Result<(), StoreError> {
    let mut schedule = db.schedule(project_id)?;
    if !schedule.enabled {
        return Ok(());
    }
    schedule.next_due_ms = history::next_due(&schedule, now).ok();
    db.set_schedule(project_id, &schedule, now)
}

/// The History page of a project, from the store: points from the runs'
/// marks, the latest run's diff against every run before it, and the
/// charted findings of the runs since `since_ms`.
pub(crate) fn history_of(
    db: &Db,
    project_id: i64,
    since_ms: Option<i64>,
) -> Result<HistoryView, StoreError> {
    let project = db.project(project_id)?;
    let schedule = db.schedule(project_id)?;
    let retention = db.retention_days()?;
    let marked = db.history_marks(project_id)?;
    let diff = match marked.len() {
        0 => None,
        n => Some(stored_diff(db, &marked[..n - 1], &marked[n - 1])?),
    };
    let since = since_ms.unwrap_or(i64::MIN);
    let points = marked
        .iter()
        .filter(|r| r.summary.started_ms >= since)
        .map(|r| history::view::point_of(&r.summary))
        .collect();
    let charted = db.chart_marks(project_id, since_ms)?;
    Ok(history::view::assemble(
        points,
        diff,
        &charted,
        &project.spec.latency_targets,
        schedule,
        retention,
    ))
}

/// What changed between two stored runs of project `project_id` (by
/// default the latest and the one before it); each finding is compared
/// with the last run up to `from_run` that judged it.
fn diff_between(
    db: &Db,
    project_id: i64,
    from_run: Option<i64>,
    to_run: Option<i64>,
) -> Result<RunDiff, WorkError> {
    let runs = db.history_marks(project_id)?;
    let not_found = |id: Option<i64>| {
        WorkError::Store(StoreError::NotFound {
            what: "run",
            id: id.map_or_else(
                || format!("(none in project {project_id})"),
                |i| i.to_string(),
            ),
        })
    };
    let position = |id: i64| runs.iter().position(|r| r.summary.id == id);
    let to = match to_run {
        Some(id) => position(id).ok_or_else(|| not_found(Some(id)))?,
        None => runs.len().checked_sub(1).ok_or_else(|| not_found(None))?,
    };
    let upto = match from_run {
        Some(id) => {
            let from = position(id).ok_or_else(|| not_found(Some(id)))?;
            if from >= to {
                return Err(WorkError::Invalid(vec![FieldError {
                    field: "from_run".into(),
                    message: format!(
                        "Run {id} did not start before run {}; choose an earlier run.",
                        runs[to].summary.id
                    ),
                }]));
            }
            from + 1
        }
        None => to,
    };
    Ok(stored_diff(db, &runs[..upto], &runs[to])?)
}

/// The diff of the stored run `later` against the `earlier` ones (oldest
/// first): the walk over their marks, then only the findings of its
/// entries read in full.
fn stored_diff(db: &Db, earlier: &[MarkedRun], later: &MarkedRun) -> Result<RunDiff, StoreError> {
    let changes = marks::changes(earlier.iter().map(|r| r.marks.as_slice()), &later.marks);
    let rows: Vec<i64> = changes
        .iter()
        .flat_map(|c| c.before.into_iter().chain(c.after))
        .collect();
    let found = db.findings_at(&rows)?;
    let get = |row: Option<i64>| row.and_then(|r| found.get(&r));
    Ok(history::diff::assemble(
        earlier.last().map(|r| &r.summary),
        &later.summary,
        changes
            .iter()
            .map(|c| (c.state, get(c.before), get(c.after)))
            // A finding deleted meanwhile (by another process) is left out.
            .filter(|(_, before, after)| before.is_some() || after.is_some()),
    ))
}

/// A schedule error as the field it is about.
fn field_error(error: &ScheduleError) -> FieldError {
    FieldError {
        field: error.field().into(),
        message: crate::project::sentence(&error.to_string()),
    }
}

#[cfg(test)]
#[path = "history_tests.rs"]
mod tests;

#[cfg(test)]
#[path = "history_bed_tests.rs"]
mod bed_tests;

#[cfg(test)]
mod store_path_tests {
    use handover_model::{ProjectSpec, RunSource, Severity};

    use super::{diff_between, history_of};
    use crate::history::recorded::{could_not, judged, WEEK_MS};
    use crate::history::{self, diff::diff_from};
    use crate::store::{Db, RunRecord};

    fn week(n: i64) -> Vec<handover_model::Finding> {
        let days = 40.0 - 7.0 * n as f64;
        let mut out = vec![
            judged(
                "tls.expiry",
                "example.test:443",
                if days < 14.0 {
                    Severity::High
                } else {
                    Severity::Pass
                },
                &[("days_left", days, "days")],
            ),
            judged(
                "latency.chat",
                "https://example.test/api/chat",
                if n % 2 == 0 {
                    Severity::High
                } else {
                    Severity::Pass
                },
                &[("p95_ms", 2000.0 + 300.0 * n as f64, "ms")],
            ),
            judged(
                "headers.csp",
                "https://example.test/",
                Severity::Medium,
                &[],
            ),
        ];
        if n == 1 {
            out.push(judged("dns.caa", "example.test", Severity::Low, &[]));
        }
        if n % 3 == 2 {
            out.push(could_not(
                "uptime.endpoints",
                "https://example.test/api/health",
            ));
        } else {
            let mut f = judged(
                "uptime.endpoints",
                "https://example.test/api/health",
                Severity::Pass,
                &[("status", 200.0, "")],
            );
            f.title = "API health answers 200 as expected".into();
            out.push(f);
        }
        out
    }

    fn store(db: &mut Db, project: i64, n: i64) {
        let record = RunRecord {
            project_id: Some(project),
            source: RunSource::Cli,
            subject: "P".into(),
            started_ms: n * WEEK_MS,
            finished_ms: n * WEEK_MS + 1000,
        };
        db.insert_run(&record, &week(n)).unwrap();
    }

    /// The History page from every run's findings read in full: the diff
    /// of the latest run against all before it, points and charts since.
    fn straight(db: &Db, project: i64, since: Option<i64>) -> handover_model::HistoryView {
        let project_spec = db.project(project).unwrap();
        let all = db.history_runs(project, None).unwrap();
        let diff = all
            .split_last()
            .map(|(latest, before)| diff_from(before.iter().rev(), latest));
        let runs = db.history_runs(project, since).unwrap();
        let charted: Vec<_> = runs
            .iter()
            .flat_map(|r| {
                r.findings
                    .iter()
                    .filter_map(|f| history::view::ChartMark::of(r.summary.started_ms, f))
            })
            .collect();
        history::view::assemble(
            runs.iter().map(history::view::point).collect(),
            diff,
            &charted,
            &project_spec.spec.latency_targets,
            db.schedule(project).unwrap(),
            db.retention_days().unwrap(),
        )
    }

    /// Every pair of runs diffed from the store's marks and from the runs
    /// in full.
    fn pairs_agree(db: &Db, project: i64) {
        let all = db.history_runs(project, None).unwrap();
        for to in 0..all.len() {
            for from in 0..to {
                let ids = (Some(all[from].summary.id), Some(all[to].summary.id));
                assert_eq!(
                    diff_between(db, project, ids.0, ids.1).unwrap(),
                    diff_from(all[..=from].iter().rev(), &all[to]),
                    "runs {ids:?}"
                );
            }
        }
    }

    #[test]
    fn the_store_path_gives_the_view_and_diffs_of_the_runs_in_full() {
        let mut db = Db::open_in_memory().unwrap();
        let spec = |name: &str| ProjectSpec {
            name: name.into(),
            apex: "example.test".into(),
            ..ProjectSpec::default()
        };
        let a = db.create_project(&spec("A"), 0).unwrap().id;
        let b = db.create_project(&spec("B"), 0).unwrap().id;
        for n in 1..=5 {
            store(&mut db, a, n);
        }
        store(&mut db, b, 3);
        let check = |db: &Db, project: i64| {
            for since in [
                None,
                Some(0),
                Some(3 * WEEK_MS),
                Some(4 * WEEK_MS + 1),
                Some(i64::MAX),
            ] {
                assert_eq!(
                    history_of(db, project, since).unwrap(),
                    straight(db, project, since),
                    "project {project} since {since:?}"
                );
            }
            pairs_agree(db, project);
        };
        check(&db, a);
        check(&db, b);
        // A run stored, runs pruned, the project deleted.
        store(&mut db, a, 6);
        check(&db, a);
        let runs = db.history_runs(a, None).unwrap();
        let (latest, before) = runs.split_last().unwrap();
        assert_eq!(
            history_of(&db, a, None).unwrap().diff,
            Some(diff_from(before.iter().rev(), latest))
        );
        assert_eq!(db.prune_runs(3 * WEEK_MS).unwrap(), 2);
        check(&db, a);
        assert_eq!(db.history_marks(a).unwrap().len(), 4);
        db.delete_project(a).unwrap();
        assert!(db.history_marks(a).is_err());
        assert!(history_of(&db, a, None).is_err());
        check(&db, b);
    }
}
