//! Notices on a state change.

use handover_model::{Notice, Run, RunDiff};

/// The notices `later` raises (before de-duplication against what was
/// already notified): `earlier` are the runs before it, newest first.
pub fn notices(earlier: &[Run], later: &Run, diff: &RunDiff) -> Vec<Notice> {
    let _ = (earlier, later, diff);
    unimplemented!("being written")
}
