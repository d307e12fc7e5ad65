//! Words and numbers as people read them: dates in local time, counts with
//! the right plural, progress sentences. The pure parts are plain functions
//! tested natively; only [`timestamp`] touches the browser (`js_sys::Date`).

const MONTHS: [&str; 12] = [
    "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
];

/// A moment broken into local calendar fields, as `js_sys::Date` reports them.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct DateParts {
    /// Full year, e.g. 2026.
    pub year: i32,
    /// Month, 0 (January) to 11, as JavaScript counts.
    pub month0: u32,
    /// Day of the month, 1 to 31.
    pub day: u32,
    /// Hour, 0 to 23.
    pub hour: u32,
    /// Minute, 0 to 59.
    pub minute: u32,
}

/// `28 Nov 2026, 18:40`.
pub fn date_time(parts: DateParts) -> String {
    let month = MONTHS.get(parts.month0 as usize).copied().unwrap_or("???");
    format!(
        "{} {} {}, {:02}:{:02}",
        parts.day, month, parts.year, parts.hour, parts.minute
    )
}

/// Milliseconds since the epoch, in the user's local time: `28 Nov 2026, 18:40`.
pub fn timestamp(ms: i64) -> String {
    let date = js_sys::Date::new(&wasm_bindgen::JsValue::from_f64(ms as f64));
    let year = date.get_full_year();
    if !(1..=9999).contains(&year) {
        return "unknown time".to_string();
    }
    date_time(DateParts {
        year: year as i32,
        month0: date.get_month(),
        day: date.get_date(),
        hour: date.get_hours(),
        minute: date.get_minutes(),
    })
}

/// `1 blocker`, `3 blockers`.
pub fn count(n: u32, one: &str, many: &str) -> String {
    if n == 1 {
        format!("1 {one}")
    } else {
        format!("{n} {many}")
    }
}

/// `12 of 75 decided`.
pub fn decided(done: u32, total: u32) -> String {
    format!("{done} of {total} decided")
}

/// The sentence under the verdict: `3 blockers open` or `No open blockers`.
pub fn blockers_sentence(open_blockers: u32) -> String {
    if open_blockers == 0 {
        "No open blockers".to_string()
    } else {
        format!("{} open", count(open_blockers, "blocker", "blockers"))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn date_time_reads_like_a_person_wrote_it() {
        let parts = DateParts {
            year: 2026,
            month0: 10,
            day: 28,
            hour: 18,
            minute: 40,
        };
        assert_eq!(date_time(parts), "28 Nov 2026, 18:40");
        let early = DateParts {
            year: 2027,
            month0: 0,
            day: 3,
            hour: 7,
            minute: 5,
        };
        assert_eq!(date_time(early), "3 Jan 2027, 07:05");
    }

    #[test]
    fn counts_use_the_right_plural() {
        assert_eq!(count(1, "blocker", "blockers"), "1 blocker");
        assert_eq!(count(0, "blocker", "blockers"), "0 blockers");
        assert_eq!(count(4, "blocker", "blockers"), "4 blockers");
    }

    #[test]
    fn blocker_sentence_names_the_count() {
        assert_eq!(blockers_sentence(0), "No open blockers");
        assert_eq!(blockers_sentence(1), "1 blocker open");
        assert_eq!(blockers_sentence(3), "3 blockers open");
    }

    #[test]
    fn progress_reads_as_decided_of_total() {
        assert_eq!(decided(12, 75), "12 of 75 decided");
        assert_eq!(decided(0, 0), "0 of 0 decided");
    }
}
