//! What the Export page says about the core's numbers: wording only, no
//! rule of its own (the core ranks the watch list and counts the sections).

use handover_model::{Paper, ReportFormat, Trend, TrendDirection};

/// How many watch items page one of the report holds (the contract of
/// `ReportPreview::watch`); the rest are in its appendix.
pub const ON_PAGE_ONE: usize = 10;

/// The formats offered, with their labels and test ids.
pub const FORMATS: [(ReportFormat, &str); 3] = [
    (ReportFormat::Pdf, "PDF"),
    (ReportFormat::Markdown, "Markdown"),
    (ReportFormat::Json, "JSON"),
];

/// The paper sizes offered, with their labels.
pub const PAPERS: [(Paper, &str); 2] = [(Paper::A4, "A4"), (Paper::Letter, "US Letter")];

/// A number as people read it: no trailing zeros, at most two decimals.
pub fn number(value: f64) -> String {
    let text = format!("{value:.2}");
    let text = text.trim_end_matches('0').trim_end_matches('.');
    if text == "-0" {
        "0".to_string()
    } else {
        text.to_string()
    }
}

/// A trend in words: `↑ worse, was 2.1 on 2026-11-24`; `—` without one.
pub fn trend(trend: Option<&Trend>) -> String {
    let Some(trend) = trend else {
        return "—".to_string();
    };
    let word = match trend.direction {
        TrendDirection::Worse => "↑ worse",
        TrendDirection::Better => "↓ better",
        TrendDirection::Same => "→ same",
    };
    format!(
        "{word}, was {} on {}",
        number(trend.previous),
        trend.previous_date
    )
}

/// The wire name of a trend's direction, for styling; empty without one.
pub fn trend_name(trend: Option<&Trend>) -> &'static str {
    match trend.map(|t| t.direction) {
        Some(TrendDirection::Worse) => "worse",
        Some(TrendDirection::Better) => "better",
        Some(TrendDirection::Same) => "same",
        None => "",
    }
}

/// "3 more in the appendix" when the list is longer than page one.
pub fn more_in_appendix(total: usize) -> Option<String> {
    match total.saturating_sub(ON_PAGE_ONE) {
        0 => None,
        1 => Some("1 more in the appendix".to_string()),
        n => Some(format!("{n} more in the appendix")),
    }
}

/// The file name the save dialog suggests: `opsbot-handover.pdf`.
pub fn suggested_name(stem: &str, format: ReportFormat) -> String {
    format!("{stem}-handover.{}", format.as_str())
}

/// A file size as people read it: `812 bytes`, `38.4 KB`, `1.2 MB`.
pub use handover_model::units::human_size as size;

/// The label of a format.
pub fn format_label(format: ReportFormat) -> &'static str {
    FORMATS
        .iter()
        .find(|(f, _)| *f == format)
        .map_or("PDF", |(_, label)| label)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_and_sizes_read_plainly() {
        assert_eq!(number(2.1), "2.1");
        assert_eq!(number(94.0), "94");
        assert_eq!(number(0.126), "0.13");
        assert_eq!(number(-0.0), "0");
        assert_eq!(size(812), "812 bytes");
        assert_eq!(size(38_400), "38.4 KB");
        assert_eq!(size(1_234_567), "1.2 MB");
    }

    #[test]
    fn trends_say_which_way_and_from_what() {
        let t = Trend {
            previous: 2.1,
            previous_date: "2026-11-24".into(),
            direction: TrendDirection::Worse,
        };
        assert_eq!(trend(Some(&t)), "↑ worse, was 2.1 on 2026-11-24");
        assert_eq!(trend_name(Some(&t)), "worse");
        assert_eq!(trend(None), "—");
        assert_eq!(trend_name(None), "");
    }

    #[test]
    fn the_appendix_holds_what_page_one_does_not() {
        assert_eq!(more_in_appendix(7), None);
        assert_eq!(more_in_appendix(10), None);
        assert_eq!(
            more_in_appendix(11).as_deref(),
            Some("1 more in the appendix")
        );
        assert_eq!(
            more_in_appendix(14).as_deref(),
            Some("4 more in the appendix")
        );
    }

    #[test]
    fn suggested_names_carry_the_format() {
        assert_eq!(
            suggested_name("opsbot", ReportFormat::Markdown),
            "opsbot-handover.md"
        );
        assert_eq!(format_label(ReportFormat::Json), "JSON");
    }
}
