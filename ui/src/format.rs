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

/// Milliseconds in a day.
pub const DAY_MS: i64 = 86_400_000;

/// The current time, ms since the epoch (`Date.now()`).
pub fn now_ms() -> i64 {
    js_sys::Date::now() as i64
}

/// Today's local date as days since 1970-01-01, comparable with [`days_from_civil`].
pub fn today_days() -> i64 {
    let date = js_sys::Date::new_0();
    let text = format!(
        "{:04}-{:02}-{:02}",
        date.get_full_year(),
        date.get_month() + 1,
        date.get_date()
    );
    days_from_civil(&text).unwrap_or_else(|| now_ms().div_euclid(DAY_MS))
}

pub use handover_model::date::days_from_civil;

/// How long ago something happened, given in whole days: `today`,
/// `yesterday`, `12 days ago`; a date still to come reads `in 3 days`.
pub fn days_ago(days: i64) -> String {
    match days {
        0 => "today".to_string(),
        1 => "yesterday".to_string(),
        -1 => "tomorrow".to_string(),
        n if n < 0 => format!("in {} days", -n),
        n => format!("{n} days ago"),
    }
}

/// A `YYYY-MM-DD` date with its age, e.g. `2026-03-01 (12 days ago)`;
/// `Never` when empty, the text as it is when it is not a date.
pub fn date_with_age(date: &str, today: i64) -> String {
    let date = date.trim();
    if date.is_empty() {
        return "Never".to_string();
    }
    match days_from_civil(date) {
        Some(day) => format!("{date} ({})", days_ago(today - day)),
        None => date.to_string(),
    }
}

/// `changed 12 days ago`, from a change time and the current time (ms).
pub fn changed_ago(changed_ms: i64, now_ms: i64) -> String {
    let days = (now_ms - changed_ms).div_euclid(DAY_MS).max(0);
    format!("changed {}", days_ago(days))
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

/// The text with its first letter in upper case, for a backend sentence
/// shown on its own: "could not check: …" reads "Could not check: …".
pub fn capitalized(text: &str) -> String {
    let text = text.trim();
    let mut chars = text.chars();
    match chars.next() {
        Some(first) => first.to_uppercase().chain(chars).collect(),
        None => String::new(),
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
    fn civil_dates_count_days_from_the_epoch() {
        assert_eq!(days_from_civil("1970-01-01"), Some(0));
        assert_eq!(days_from_civil("2000-03-01"), Some(11_017));
        assert_eq!(days_from_civil("2024-02-29"), Some(19_782));
        assert_eq!(days_from_civil("2023-02-29"), None);
        assert_eq!(days_from_civil("2024-13-01"), None);
        assert_eq!(days_from_civil("2024-1-01"), None);
        assert_eq!(days_from_civil("+024-01-01"), None);
        assert_eq!(days_from_civil(""), None);
    }

    #[test]
    fn ages_read_as_days_ago() {
        assert_eq!(days_ago(0), "today");
        assert_eq!(days_ago(1), "yesterday");
        assert_eq!(days_ago(40), "40 days ago");
        assert_eq!(days_ago(-1), "tomorrow");
        assert_eq!(days_ago(-5), "in 5 days");
        let today = days_from_civil("2026-03-13").unwrap();
        assert_eq!(
            date_with_age("2026-03-01", today),
            "2026-03-01 (12 days ago)"
        );
        assert_eq!(date_with_age("", today), "Never");
        assert_eq!(date_with_age("last spring", today), "last spring");
        let now = 100 * DAY_MS + 5;
        assert_eq!(changed_ago(now - 3 * DAY_MS, now), "changed 3 days ago");
        assert_eq!(changed_ago(now, now), "changed today");
        assert_eq!(changed_ago(now + DAY_MS, now), "changed today");
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

    #[test]
    fn sentences_start_with_a_capital() {
        assert_eq!(
            capitalized(" could not check: refused"),
            "Could not check: refused"
        );
        assert_eq!(capitalized("élan"), "Élan");
        assert_eq!(capitalized(""), "");
    }
}
