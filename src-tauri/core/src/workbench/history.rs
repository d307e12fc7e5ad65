//! Rechecks, history, diffs and schedules of stored projects.

use handover_model::{
    HistoryView, RecheckOutcome, RunDiff, RunSource, Schedule, ScheduleSetRequest,
};

use super::{ProgressSink, WorkError, Workbench};

impl Workbench {
    /// Runs project `project_id`'s recheck now: every check, stored like
    /// any run, then the diff against the previous run and the notices it
    /// raises (de-duplicated against what was notified before, and
    /// recorded); moves the schedule's `next_due` past now.
    pub async fn recheck(
        &self,
        project_id: i64,
        source: RunSource,
        progress: ProgressSink,
    ) -> Result<RecheckOutcome, WorkError> {
        let _ = (project_id, source, progress);
        unimplemented!("being written")
    }

    /// Runs the recheck of every project whose schedule is due at `now_ms`
    /// — once each, however many weeks were missed — and returns their
    /// outcomes by project id.
    pub async fn recheck_due(
        &self,
        now_ms: i64,
        progress: ProgressSink,
    ) -> Result<Vec<(i64, RecheckOutcome)>, WorkError> {
        let _ = (now_ms, progress);
        unimplemented!("being written")
    }

    /// The History page of project `project_id` (runs since `since_ms`).
    pub async fn run_history(
        &self,
        project_id: i64,
        since_ms: Option<i64>,
    ) -> Result<HistoryView, WorkError> {
        let _ = (project_id, since_ms);
        unimplemented!("being written")
    }

    /// What changed between two runs of project `project_id` (by default
    /// the latest and the one before it).
    pub async fn diff_runs(
        &self,
        project_id: i64,
        from_run: Option<i64>,
        to_run: Option<i64>,
    ) -> Result<RunDiff, WorkError> {
        let _ = (project_id, from_run, to_run);
        unimplemented!("being written")
    }

    /// Project `project_id`'s schedule (disabled by default).
    pub async fn schedule(&self, project_id: i64) -> Result<Schedule, WorkError> {
        let _ = project_id;
        unimplemented!("being written")
    }

    /// Changes a project's schedule; answers it with its new `next_due`.
    pub async fn set_schedule(&self, request: ScheduleSetRequest) -> Result<Schedule, WorkError> {
        let _ = request;
        unimplemented!("being written")
    }

    /// Sets how many days runs are kept (older ones are deleted now and
    /// after every run); answers the setting.
    pub async fn set_retention(&self, days: u32) -> Result<u32, WorkError> {
        let _ = days;
        unimplemented!("being written")
    }
}
