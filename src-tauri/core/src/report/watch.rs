//! What to watch this week.

use handover_model::WatchItem;

use super::ReportInput;

/// The watch list of `input`, most urgent first.
pub fn watch_list(input: &ReportInput) -> Vec<WatchItem> {
    let _ = input;
    Vec::new()
}
