//! Percentiles by nearest rank, the method the report names.
//!
//! The samples are sorted and the p-th percentile is the value at rank
//! ⌈p·n⌉ (1-based), the classic nearest-rank definition: no interpolation,
//! so every reported value is a latency that was really measured. (oha
//! takes rank ⌊p·n⌋ 0-based, which is the same sample whenever p·n is not
//! a whole number; k6 interpolates linearly.) Below [`MIN_SAMPLES`] no p95
//! is reported at all: with 19 samples the "p95" is simply the slowest.

use std::time::Duration;

/// Fewest samples a p95 is computed from.
pub const MIN_SAMPLES: usize = 20;

/// The name of the method, for reports.
pub const METHOD: &str = "nearest rank (no interpolation)";

/// The percentiles of one endpoint's latencies.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Percentiles {
    /// How many samples.
    pub samples: usize,
    /// Fastest.
    pub min: Duration,
    /// Median.
    pub p50: Duration,
    /// 90th percentile.
    pub p90: Duration,
    /// 95th percentile.
    pub p95: Duration,
    /// 99th percentile.
    pub p99: Duration,
    /// Slowest.
    pub max: Duration,
}

/// The value at percentile `p` (0 < p ≤ 100) of `sorted` by nearest rank;
/// `None` for no samples.
pub fn nearest_rank(sorted: &[Duration], p: f64) -> Option<Duration> {
    if sorted.is_empty() {
        return None;
    }
    let n = sorted.len();
    // ⌈p/100 · n⌉, computed in integers where p is a whole per-mille, so
    // 95 % of 200 is rank 190 exactly, not 190.00000000000003.
    let per_mille = (p * 10.0).round() as usize;
    let rank = (per_mille * n).div_ceil(1000).clamp(1, n);
    Some(sorted[rank - 1])
}

/// The percentiles of `samples` (any order); `None` below [`MIN_SAMPLES`].
pub fn percentiles(samples: &[Duration]) -> Option<Percentiles> {
    if samples.len() < MIN_SAMPLES {
        return None;
    }
    let mut sorted = samples.to_vec();
    sorted.sort_unstable();
    let at = |p| nearest_rank(&sorted, p).unwrap_or_default();
    Some(Percentiles {
        samples: sorted.len(),
        min: sorted[0],
        p50: at(50.0),
        p90: at(90.0),
        p95: at(95.0),
        p99: at(99.0),
        max: sorted[sorted.len() - 1],
    })
}

/// Counts of `values` in `buckets` equal-width bins from 0 to the largest,
/// for a histogram: `(upper bound, count)` per bin.
pub fn histogram(values: &[Duration], buckets: usize) -> Vec<(Duration, usize)> {
    let Some(max) = values.iter().max().copied() else {
        return Vec::new();
    };
    let buckets = buckets.max(1);
    let width = (max.as_nanos() / buckets as u128).max(1);
    let mut counts = vec![0usize; buckets];
    for v in values {
        let i = ((v.as_nanos() / width) as usize).min(buckets - 1);
        counts[i] += 1;
    }
    counts
        .into_iter()
        .enumerate()
        .map(|(i, c)| {
            let upper =
                Duration::from_nanos(((i as u128 + 1) * width).min(u64::MAX as u128) as u64);
            (upper, c)
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ms(values: &[u64]) -> Vec<Duration> {
        values.iter().map(|v| Duration::from_millis(*v)).collect()
    }

    #[test]
    fn nearest_rank_takes_a_measured_value_at_the_ceiling_rank() {
        let sorted = ms(&(1..=200).collect::<Vec<_>>());
        // 95 % of 200 = rank 190; 99 % = 198; 50 % = 100.
        assert_eq!(
            nearest_rank(&sorted, 95.0),
            Some(Duration::from_millis(190))
        );
        assert_eq!(
            nearest_rank(&sorted, 99.0),
            Some(Duration::from_millis(198))
        );
        assert_eq!(
            nearest_rank(&sorted, 50.0),
            Some(Duration::from_millis(100))
        );
        // 95 % of 30 = 28.5 → rank 29.
        let sorted = ms(&(1..=30).collect::<Vec<_>>());
        assert_eq!(nearest_rank(&sorted, 95.0), Some(Duration::from_millis(29)));
        assert_eq!(nearest_rank(&[], 95.0), None);
    }

    #[test]
    fn no_p95_from_fewer_than_twenty_samples() {
        assert_eq!(percentiles(&ms(&[5; 19])), None);
        let p = percentiles(&ms(&[
            30, 10, 20, 40, 50, 60, 70, 80, 90, 100, 110, 120, 130, 140, 150, 160, 170, 180, 190,
            2000,
        ]))
        .unwrap();
        assert_eq!(p.samples, 20);
        assert_eq!(p.min, Duration::from_millis(10));
        assert_eq!(p.p95, Duration::from_millis(190));
        assert_eq!(p.max, Duration::from_millis(2000));
        assert_eq!(p.p50, Duration::from_millis(100));
    }

    #[test]
    fn a_histogram_puts_every_value_in_a_bin() {
        let h = histogram(&ms(&[1, 2, 3, 10]), 5);
        assert_eq!(h.len(), 5);
        assert_eq!(h.iter().map(|(_, c)| c).sum::<usize>(), 4);
        // Bins 2 ms wide: [0, 2) holds 1 ms, [2, 4) holds 2 and 3 ms, the
        // last holds the maximum.
        assert_eq!((h[0].1, h[1].1, h[4].1), (1, 2, 1));
        assert_eq!(h[4].0, Duration::from_millis(10));
    }
}
