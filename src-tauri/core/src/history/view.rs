//! The History page's data.

use handover_model::{HistoryView, LatencyTarget, Run, Schedule};

/// The History page of `runs` (oldest first) with the project's latency
/// `targets`, `schedule` and `retention_days`.
pub fn history_view(
    runs: &[Run],
    targets: &[LatencyTarget],
    schedule: Schedule,
    retention_days: u32,
) -> HistoryView {
    let _ = (runs, targets, schedule, retention_days);
    unimplemented!("being written")
}
