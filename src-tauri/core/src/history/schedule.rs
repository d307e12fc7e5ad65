//! When a weekly recheck is next due.

use handover_model::Schedule;

/// Why a schedule cannot be used.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ScheduleError {
    /// Not a weekday 1–7.
    #[error("weekday {0} is not 1 (Monday) to 7 (Sunday)")]
    Weekday(u8),
    /// Not `HH:MM`.
    #[error("{0:?} is not a time of day HH:MM")]
    Time(String),
    /// Not an IANA time zone.
    #[error("{0:?} is not a known time zone (e.g. Europe/Berlin)")]
    TimeZone(String),
}

/// The first time strictly after `after_ms` (UTC ms) that `schedule` is due.
pub fn next_due(schedule: &Schedule, after_ms: i64) -> Result<i64, ScheduleError> {
    let _ = (schedule, after_ms);
    unimplemented!("being written")
}
