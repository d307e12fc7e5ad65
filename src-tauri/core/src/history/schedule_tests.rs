//! Due dates: weekdays, DST gaps and folds in Europe/Berlin and
//! America/New_York, time-zone changes and validation.

use handover_model::Schedule;

use super::{next_due, validate, ScheduleError};

fn ms(utc: &str) -> i64 {
    utc.parse::<jiff::Timestamp>().unwrap().as_millisecond()
}

fn utc(ms: i64) -> String {
    jiff::Timestamp::from_millisecond(ms).unwrap().to_string()
}

fn weekly(weekday: u8, time: &str, zone: &str) -> Schedule {
    Schedule {
        enabled: true,
        weekday,
        time: time.into(),
        time_zone: zone.into(),
        next_due_ms: None,
    }
}

#[test]
fn the_next_occurrence_is_strictly_after_and_on_the_weekday() {
    // Wednesday 2 December 2026, 08:00 UTC = 09:00 in Berlin.
    let monday = weekly(1, "09:00", "Europe/Berlin");
    let now = ms("2026-12-02T08:00:00Z");
    assert_eq!(utc(next_due(&monday, now).unwrap()), "2026-12-07T08:00:00Z");
    // Wednesday 09:00 Berlin is exactly now: strictly after means next week.
    let wednesday = weekly(3, "09:00", "Europe/Berlin");
    assert_eq!(
        utc(next_due(&wednesday, now).unwrap()),
        "2026-12-09T08:00:00Z"
    );
    assert_eq!(
        utc(next_due(&wednesday, now - 1).unwrap()),
        "2026-12-02T08:00:00Z"
    );
    // Sunday is 7; the local day counts, not the UTC one.
    let sunday_late = weekly(7, "23:30", "Pacific/Auckland");
    assert_eq!(
        utc(next_due(&sunday_late, now).unwrap()),
        "2026-12-06T10:30:00Z"
    );
}

#[test]
fn berlin_spring_forward_moves_a_missing_time_to_the_end_of_the_gap() {
    // 29 March 2026: 02:00 CET jumps to 03:00 CEST; 02:30 never happens.
    let sunday = weekly(7, "02:30", "Europe/Berlin");
    let due = next_due(&sunday, ms("2026-03-28T12:00:00Z")).unwrap();
    assert_eq!(utc(due), "2026-03-29T01:00:00Z", "03:00 CEST");
    // The week after is a plain 02:30 CEST.
    assert_eq!(utc(next_due(&sunday, due).unwrap()), "2026-04-05T00:30:00Z");
    // A Monday 09:00 recheck stays at 09:00 local across the change.
    let monday = weekly(1, "09:00", "Europe/Berlin");
    let before = next_due(&monday, ms("2026-03-20T00:00:00Z")).unwrap();
    assert_eq!(utc(before), "2026-03-23T08:00:00Z");
    let after = next_due(&monday, before).unwrap();
    assert_eq!(utc(after), "2026-03-30T07:00:00Z");
    assert_eq!(after - before, 167 * 3_600_000, "a week one hour short");
}

#[test]
fn berlin_fall_back_takes_the_earlier_of_a_repeated_time() {
    // 25 October 2026: 03:00 CEST falls back to 02:00 CET; 02:30 twice.
    let sunday = weekly(7, "02:30", "Europe/Berlin");
    let due = next_due(&sunday, ms("2026-10-24T12:00:00Z")).unwrap();
    assert_eq!(utc(due), "2026-10-25T00:30:00Z", "02:30 CEST, the first");
    // Not once more an hour later, at 02:30 CET.
    assert_eq!(utc(next_due(&sunday, due).unwrap()), "2026-11-01T01:30:00Z");
}

#[test]
fn new_york_second_sunday_of_march_and_first_of_november() {
    // 8 March 2026: 02:00 EST jumps to 03:00 EDT.
    let sunday = weekly(7, "02:15", "America/New_York");
    let due = next_due(&sunday, ms("2026-03-07T12:00:00Z")).unwrap();
    assert_eq!(utc(due), "2026-03-08T07:00:00Z", "03:00 EDT");
    // 1 November 2026: 02:00 EDT falls back to 01:00 EST; 01:30 twice.
    let early = weekly(7, "01:30", "America/New_York");
    let due = next_due(&early, ms("2026-10-31T12:00:00Z")).unwrap();
    assert_eq!(utc(due), "2026-11-01T05:30:00Z", "01:30 EDT, the first");
    assert_eq!(utc(next_due(&early, due).unwrap()), "2026-11-08T06:30:00Z");
    // An ordinary time keeps its local hour on both sides.
    let friday = weekly(5, "17:00", "America/New_York");
    let summer = next_due(&friday, ms("2026-10-26T00:00:00Z")).unwrap();
    assert_eq!(utc(summer), "2026-10-30T21:00:00Z");
    assert_eq!(
        utc(next_due(&friday, summer).unwrap()),
        "2026-11-06T22:00:00Z"
    );
}

#[test]
fn a_time_zone_change_reads_the_same_local_time_in_the_new_zone() {
    let now = ms("2026-06-01T00:00:00Z"); // a Monday
    let berlin = weekly(2, "10:00", "Europe/Berlin");
    let new_york = Schedule {
        time_zone: "America/New_York".into(),
        ..berlin.clone()
    };
    assert_eq!(utc(next_due(&berlin, now).unwrap()), "2026-06-02T08:00:00Z");
    assert_eq!(
        utc(next_due(&new_york, now).unwrap()),
        "2026-06-02T14:00:00Z"
    );
    // Moving west late on the due day: still due the same local day.
    let late = ms("2026-06-02T12:00:00Z"); // 14:00 Berlin, 08:00 New York
    assert_eq!(
        utc(next_due(&berlin, late).unwrap()),
        "2026-06-09T08:00:00Z"
    );
    assert_eq!(
        utc(next_due(&new_york, late).unwrap()),
        "2026-06-02T14:00:00Z"
    );
}

#[test]
fn missed_weeks_give_one_next_occurrence_after_now() {
    let monday = weekly(1, "09:00", "Europe/Berlin");
    let long_ago = next_due(&monday, ms("2026-01-01T00:00:00Z")).unwrap();
    let now = ms("2026-12-02T08:00:00Z");
    assert!(long_ago < now);
    let next = next_due(&monday, now).unwrap();
    assert!(next > now && next - now <= 7 * 86_400_000);
}

#[test]
fn bad_parts_are_named_by_field() {
    let bad = weekly(8, "25:00", "Mars/Olympus");
    let errors = validate(&bad);
    assert_eq!(
        errors,
        vec![
            ScheduleError::Weekday(8),
            ScheduleError::Time("25:00".into()),
            ScheduleError::TimeZone("Mars/Olympus".into()),
        ]
    );
    let fields: Vec<_> = errors.iter().map(|e| e.field()).collect();
    assert_eq!(fields, ["weekday", "time", "time_zone"]);
    for time in ["9", "09:5", "09:60", "ab:cd", "", "09:00:00", "-1:00"] {
        assert!(
            matches!(
                next_due(&weekly(1, time, "UTC"), 0),
                Err(ScheduleError::Time(_))
            ),
            "{time:?}"
        );
    }
    assert!(next_due(&weekly(0, "09:00", "UTC"), 0).is_err());
    assert!(next_due(&weekly(1, "9:05", "UTC"), 0).is_ok());
    assert!(validate(&weekly(7, "23:59", "America/New_York")).is_empty());
}
