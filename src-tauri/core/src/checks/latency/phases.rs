//! The connection phases of one probe's requests, for its finding: how
//! many requests opened a connection and how many reused one, and, over
//! the answered requests that opened one, the median DNS lookup, TCP
//! connect and TLS handshake, with their time to first byte and total
//! (counted from the request's start, so they include the phases, as
//! curl's `time_starttransfer` and `time_total` do). A phase that did not
//! happen (no TLS over plain HTTP, no lookup for an IP address) is said
//! to be absent, never reported as zero.

use std::time::Duration;

use handover_model::Measure;

use super::load::{Connection, Report};
use super::stats::{nearest_rank, percentiles};
use crate::checks::measure;

/// Medians by nearest rank of the phases of the requests that opened a
/// connection, and the counts behind them.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Summary {
    /// Requests that opened a connection.
    pub opened: usize,
    /// Requests sent over a kept-alive one.
    pub reused: usize,
    /// Requests that failed before a connection was open.
    pub not_opened: usize,
    /// Answered requests that opened a connection: the phases' samples.
    pub samples: usize,
    /// Median DNS lookup (`None`: no sample made one).
    pub dns: Option<Duration>,
    /// Median TCP connect.
    pub connect: Option<Duration>,
    /// Median TLS handshake (`None`: no sample made one, plain HTTP).
    pub tls: Option<Duration>,
    /// How many of those handshakes resumed an earlier session.
    pub tls_resumed: usize,
    /// Median time to the response head of those requests.
    pub first_byte: Option<Duration>,
    /// Median total time of those requests.
    pub total: Option<Duration>,
    /// p95 by nearest rank of every answered request's time to the
    /// response head (`None` below the minimum sample count).
    pub ttfb_p95: Option<Duration>,
}

impl Summary {
    /// The summary of `report`'s requests.
    pub fn of(report: &Report) -> Self {
        let count = |want: fn(&Connection) -> bool| {
            report
                .samples
                .iter()
                .filter(|s| want(&s.connection))
                .count()
        };
        let phased: Vec<_> = report
            .samples
            .iter()
            .filter(|s| s.status.is_some())
            .filter_map(|s| match s.connection {
                Connection::Opened(phases) => Some((phases, s)),
                _ => None,
            })
            .collect();
        let median = |values: Vec<Duration>| {
            let mut sorted = values;
            sorted.sort_unstable();
            nearest_rank(&sorted, 50.0)
        };
        let ttfbs: Vec<Duration> = report.samples.iter().filter_map(|s| s.ttfb).collect();
        Self {
            opened: count(|c| matches!(c, Connection::Opened(_))),
            reused: count(|c| *c == Connection::Reused),
            not_opened: count(|c| *c == Connection::NotOpened),
            samples: phased.len(),
            dns: median(phased.iter().filter_map(|(p, _)| p.dns).collect()),
            connect: median(phased.iter().map(|(p, _)| p.connect).collect()),
            tls: median(phased.iter().filter_map(|(p, _)| p.tls).collect()),
            tls_resumed: phased.iter().filter(|(p, _)| p.tls_resumed).count(),
            first_byte: median(phased.iter().filter_map(|(_, s)| s.ttfb).collect()),
            total: median(phased.iter().map(|(_, s)| s.total).collect()),
            ttfb_p95: percentiles(&ttfbs).map(|p| p.p95),
        }
    }

    /// The evidence lines: connections opened and reused, then the phases.
    pub fn evidence(&self) -> Vec<String> {
        let sent = self.opened + self.reused + self.not_opened;
        let mut connections = format!(
            "connections opened: {} of {sent} requests ({} reused",
            self.opened, self.reused
        );
        if self.not_opened > 0 {
            connections.push_str(&format!(", {} failed before one was open", self.not_opened));
        }
        connections.push(')');
        let (Some(connect), Some(first_byte), Some(total)) =
            (self.connect, self.first_byte, self.total)
        else {
            return vec![
                connections,
                "phases: not measured (no request that opened a connection got an answer)".into(),
            ];
        };
        let dns = self.dns.map_or_else(
            || "no DNS lookup (an IP address)".to_string(),
            |d| format!("DNS {}", ms(d)),
        );
        let tls = match (self.tls, self.tls_resumed) {
            (None, _) => "no TLS (plain HTTP)".to_string(),
            (Some(d), 0) => format!("TLS {}", ms(d)),
            (Some(d), resumed) => format!("TLS {} ({resumed} of {} resumed)", ms(d), self.samples),
        };
        let opened = match self.samples {
            1 => "1 new connection".to_string(),
            n => format!("{n} new connections"),
        };
        vec![
            connections,
            format!(
                "phases ({opened}): {dns} · connect {} · {tls} · first byte {} · total {} \
                 (medians; DNS from the run's resolver, which caches)",
                ms(connect),
                ms(first_byte),
                ms(total)
            ),
        ]
    }

    /// The measures: time to first byte, connection counts and the phases
    /// that happened (medians, with their sample count).
    pub fn measures(&self) -> Vec<Measure> {
        let value = |d: Duration| d.as_secs_f64() * 1000.0;
        let mut out = Vec::new();
        if let Some(p95) = self.ttfb_p95 {
            out.push(measure("ttfb_p95_ms", value(p95), "ms"));
        }
        out.push(measure("connections_opened", self.opened as f64, ""));
        out.push(measure("connections_reused", self.reused as f64, ""));
        out.push(measure("phase_samples", self.samples as f64, ""));
        let phases = [
            ("dns_p50_ms", self.dns),
            ("connect_p50_ms", self.connect),
            ("tls_p50_ms", self.tls),
            ("new_connection_ttfb_p50_ms", self.first_byte),
            ("new_connection_total_p50_ms", self.total),
        ];
        for (name, phase) in phases {
            if let Some(d) = phase {
                out.push(measure(name, value(d), "ms"));
            }
        }
        if self.tls.is_some() {
            out.push(measure("tls_resumed", self.tls_resumed as f64, ""));
        }
        out
    }
}

/// `d` in ms: one decimal below 10 ms, whole above.
fn ms(d: Duration) -> String {
    let ms = d.as_secs_f64() * 1000.0;
    if ms < 10.0 {
        format!("{ms:.1} ms")
    } else {
        format!("{ms:.0} ms")
    }
}

#[cfg(test)]
mod tests {
    use std::collections::BTreeMap;

    use super::*;
    use crate::checks::latency::load::{Phases, Sample};

    fn sample(ms: u64, connection: Connection) -> Sample {
        Sample {
            sent_at: Duration::ZERO,
            ttfb: Some(Duration::from_millis(ms - 1)),
            total: Duration::from_millis(ms),
            status: Some(200),
            error: None,
            connection,
        }
    }

    fn report(samples: Vec<Sample>) -> Report {
        Report {
            percentiles: None,
            samples,
            elapsed: Duration::from_secs(1),
            statuses: BTreeMap::new(),
            failed: 0,
            not_sent: 0,
        }
    }

    #[test]
    fn phases_that_did_not_happen_are_said_to_be_absent() {
        let plain = |connect_us| {
            Connection::Opened(Phases {
                dns: None,
                connect: Duration::from_micros(connect_us),
                tls: None,
                tls_resumed: false,
            })
        };
        let mut samples = vec![sample(30, plain(400)), sample(50, plain(200))];
        samples.extend((0..20).map(|_| sample(20, Connection::Reused)));
        let mut refused = sample(2, Connection::NotOpened);
        (refused.status, refused.ttfb) = (None, None);
        samples.push(refused);
        let summary = Summary::of(&report(samples));
        assert_eq!(
            summary.evidence(),
            [
                "connections opened: 2 of 23 requests (20 reused, 1 failed before one was open)",
                "phases (2 new connections): no DNS lookup (an IP address) · connect 0.2 ms · \
                 no TLS (plain HTTP) · first byte 29 ms · total 30 ms (medians; DNS from the \
                 run's resolver, which caches)"
            ]
        );
        let measures = summary.measures();
        let names: Vec<&str> = measures.iter().map(|m| m.name.as_str()).collect();
        // 22 answers: enough for a p95 of their first bytes.
        assert_eq!(
            names,
            [
                "ttfb_p95_ms",
                "connections_opened",
                "connections_reused",
                "phase_samples",
                "connect_p50_ms",
                "new_connection_ttfb_p50_ms",
                "new_connection_total_p50_ms"
            ]
        );
    }

    #[test]
    fn without_an_answered_new_connection_no_phase_is_reported() {
        let summary = Summary::of(&report(
            (0..20).map(|_| sample(20, Connection::Reused)).collect(),
        ));
        assert_eq!(
            summary.evidence()[1],
            "phases: not measured (no request that opened a connection got an answer)"
        );
        assert!(summary
            .measures()
            .iter()
            .all(|m| !m.name.ends_with("p50_ms")));
    }
}
