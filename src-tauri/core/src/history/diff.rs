//! What changed between two runs.

use handover_model::{Run, RunDiff};

/// What changed from the runs before `later` (`earlier`, newest first) to
/// `later`.
pub fn diff(earlier: &[Run], later: &Run) -> RunDiff {
    let _ = (earlier, later);
    unimplemented!("being written")
}
