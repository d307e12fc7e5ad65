//! When a weekly recheck is next due.
//!
//! A schedule names a weekday, a local time of day and an IANA time zone;
//! the time-zone rules come from the database compiled into Handover (jiff's
//! bundled tzdb), so a due date never depends on the machine's own files.
//! A local time that does not exist (the spring-forward gap) moves forward
//! to the first instant after the gap; one that happens twice (fall-back)
//! takes the earlier instant.

use handover_model::Schedule;
use jiff::civil::{Date, DateTime, Weekday};
use jiff::tz::{AmbiguousOffset, TimeZone};
use jiff::Timestamp;

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

impl ScheduleError {
    /// The schedule field the error is about: `weekday`, `time` or `time_zone`.
    pub fn field(&self) -> &'static str {
        match self {
            ScheduleError::Weekday(_) => "weekday",
            ScheduleError::Time(_) => "time",
            ScheduleError::TimeZone(_) => "time_zone",
        }
    }
}

/// A schedule's parts, checked.
#[derive(Debug, Clone)]
struct Parts {
    weekday: Weekday,
    hour: i8,
    minute: i8,
    zone: TimeZone,
}

/// Every problem of `schedule` (weekday, time, time zone), in field order.
pub fn validate(schedule: &Schedule) -> Vec<ScheduleError> {
    let mut errors = Vec::new();
    if let Err(e) = weekday(schedule.weekday) {
        errors.push(e);
    }
    if let Err(e) = time_of_day(&schedule.time) {
        errors.push(e);
    }
    if let Err(e) = zone(&schedule.time_zone) {
        errors.push(e);
    }
    errors
}

fn weekday(day: u8) -> Result<Weekday, ScheduleError> {
    match day {
        1..=7 => {
            Weekday::from_monday_one_offset(day as i8).map_err(|_| ScheduleError::Weekday(day))
        }
        _ => Err(ScheduleError::Weekday(day)),
    }
}

/// `HH:MM` with a 24-hour clock (`9:30` is accepted too).
fn time_of_day(text: &str) -> Result<(i8, i8), ScheduleError> {
    let bad = || ScheduleError::Time(text.to_string());
    let (h, m) = text.trim().split_once(':').ok_or_else(bad)?;
    let digits = |s: &str, max: usize| {
        !s.is_empty() && s.len() <= max && s.bytes().all(|b| b.is_ascii_digit())
    };
    if !digits(h, 2) || !digits(m, 2) || m.len() != 2 {
        return Err(bad());
    }
    let (hour, minute): (i8, i8) = (h.parse().map_err(|_| bad())?, m.parse().map_err(|_| bad())?);
    if hour > 23 || minute > 59 {
        return Err(bad());
    }
    Ok((hour, minute))
}

fn zone(name: &str) -> Result<TimeZone, ScheduleError> {
    let name = name.trim();
    if name.is_empty() {
        return Err(ScheduleError::TimeZone(name.to_string()));
    }
    TimeZone::get(name).map_err(|_| ScheduleError::TimeZone(name.to_string()))
}

fn parts(schedule: &Schedule) -> Result<Parts, ScheduleError> {
    let weekday = weekday(schedule.weekday)?;
    let (hour, minute) = time_of_day(&schedule.time)?;
    let zone = zone(&schedule.time_zone)?;
    Ok(Parts {
        weekday,
        hour,
        minute,
        zone,
    })
}

/// The instant local `dt` names in `zone`: in a gap, the first instant
/// after it; in a fold, the earlier one.
fn instant(zone: &TimeZone, dt: DateTime) -> Option<Timestamp> {
    match zone.to_ambiguous_timestamp(dt).offset() {
        AmbiguousOffset::Unambiguous { offset } => offset.to_timestamp(dt).ok(),
        AmbiguousOffset::Fold { before, .. } => before.to_timestamp(dt).ok(),
        AmbiguousOffset::Gap { after, .. } => {
            // Read with the later offset, dt lies just before the transition
            // that opened the gap: the transition is the first valid instant.
            let early = after.to_timestamp(dt).ok()?;
            zone.following(early).next().map(|t| t.timestamp())
        }
    }
}

/// The first time strictly after `after_ms` (UTC ms) that `schedule` is due.
///
/// Whether the schedule is enabled is the caller's business: this answers
/// when it would be due.
pub fn next_due(schedule: &Schedule, after_ms: i64) -> Result<i64, ScheduleError> {
    let parts = parts(schedule)?;
    let after = Timestamp::from_millisecond(after_ms).unwrap_or(if after_ms < 0 {
        Timestamp::MIN
    } else {
        Timestamp::MAX
    });
    let mut day: Date = after.to_zoned_datetime(parts.zone.clone()).date();
    // The local day of `after` may already be past the time: look a little
    // over a week ahead (a gap can never skip a whole week).
    for _ in 0..15 {
        if day.weekday() == parts.weekday {
            let dt = day.at(parts.hour, parts.minute, 0, 0);
            if let Some(due) = instant(&parts.zone, dt) {
                if due > after {
                    return Ok(due.as_millisecond());
                }
            }
        }
        match day.tomorrow() {
            Ok(next) => day = next,
            Err(_) => break,
        }
    }
    // Only at the very end of jiff's range; never for real clocks.
    Err(ScheduleError::Time(schedule.time.clone()))
}

#[cfg(test)]
#[path = "schedule_tests.rs"]
mod tests;
