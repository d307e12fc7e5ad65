//! Amounts as people read them, the same in the window, the command line
//! and the report.

/// A size in bytes: `812 bytes`, `38.4 KB`, `1.2 MB` (decimal units).
pub fn human_size(bytes: u64) -> String {
    match bytes {
        0..=999 => format!("{bytes} bytes"),
        1_000..=999_999 => format!("{:.1} KB", bytes as f64 / 1000.0),
        _ => format!("{:.1} MB", bytes as f64 / 1_000_000.0),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sizes_read_plainly() {
        assert_eq!(human_size(0), "0 bytes");
        assert_eq!(human_size(812), "812 bytes");
        assert_eq!(human_size(38_400), "38.4 KB");
        assert_eq!(human_size(1_234_567), "1.2 MB");
        assert_eq!(human_size(204_300_000), "204.3 MB");
    }
}
