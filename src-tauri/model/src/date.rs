//! Calendar dates as the forms carry them: `YYYY-MM-DD` strings.

/// Days since 1970-01-01 of a `YYYY-MM-DD` date, or `None` if it is not a
/// real calendar date in exactly that form (four-digit year, two-digit
/// month and day: no sign, no shortened parts).
pub fn days_from_civil(date: &str) -> Option<i64> {
    let mut parts = date.trim().splitn(3, '-');
    let (y, m, d) = (parts.next()?, parts.next()?, parts.next()?);
    let digits = |s: &str, len: usize| s.len() == len && s.bytes().all(|b| b.is_ascii_digit());
    if !(digits(y, 4) && digits(m, 2) && digits(d, 2)) {
        return None;
    }
    let month = time::Month::try_from(m.parse::<u8>().ok()?).ok()?;
    let day = time::Date::from_calendar_date(y.parse().ok()?, month, d.parse().ok()?).ok()?;
    let epoch = time::Date::from_calendar_date(1970, time::Month::January, 1).ok()?;
    Some((day - epoch).whole_days())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_count_days_from_the_epoch() {
        assert_eq!(days_from_civil("1970-01-01"), Some(0));
        assert_eq!(days_from_civil("2000-03-01"), Some(11_017));
        assert_eq!(days_from_civil("2024-02-29"), Some(19_782));
        assert_eq!(days_from_civil("1969-12-31"), Some(-1));
        for bad in [
            "2023-02-29",
            "2026-13-01",
            "2026-11-31",
            "26-1-1",
            "2026-1-01",
            "+024-01-01",
            "2026-11-xx",
            "",
        ] {
            assert_eq!(days_from_civil(bad), None, "{bad:?}");
        }
    }
}
