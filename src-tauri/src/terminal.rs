//! How the headless commands write text: colour only on a terminal and
//! never with `NO_COLOR`, progress bars on a terminal and plain lines when
//! piped, `--quiet`, durations in human units, findings grouped by host
//! (worst first) and the one verdict line every command ends with.

use std::collections::BTreeSet;
use std::io::IsTerminal;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};

use handover_core::workbench::ProgressSink;
use handover_model::{Finding, Progress, Severity};

static QUIET: AtomicBool = AtomicBool::new(false);

/// Records the global `--quiet` flag (progress and all but the verdict
/// line are left out).
pub fn set_quiet(quiet: bool) {
    QUIET.store(quiet, Ordering::Relaxed);
}

/// Whether `--quiet` was given.
pub fn quiet() -> bool {
    QUIET.load(Ordering::Relaxed)
}

/// Whether `NO_COLOR` is set to anything but the empty string (no-color.org).
fn no_color() -> bool {
    std::env::var_os("NO_COLOR").is_some_and(|v| !v.is_empty())
}

/// Whether `CLICOLOR_FORCE` asks for colour even when piped (set and not `0`).
fn forced() -> bool {
    std::env::var_os("CLICOLOR_FORCE").is_some_and(|v| !v.is_empty() && v != "0")
}

/// Colour on standard output: a terminal (or `CLICOLOR_FORCE`), and never
/// with `NO_COLOR`.
pub fn colour_on_stdout() -> bool {
    !no_color() && (forced() || std::io::stdout().is_terminal())
}

/// Colour on standard error (logs): a terminal (or `CLICOLOR_FORCE`), and
/// never with `NO_COLOR`.
pub fn colour_on_stderr() -> bool {
    !no_color() && (forced() || std::io::stderr().is_terminal())
}

/// A colour for a word of output.
#[derive(Debug, Clone, Copy)]
pub enum Tone {
    /// Blockers and no-go.
    Bad,
    /// High and medium findings, regressions.
    Warn,
    /// Could not be checked.
    Unknown,
    /// Passing, resolved, go.
    Good,
    /// Headings (hosts, projects).
    Strong,
}

/// `text` in `tone` when standard output takes colour, else as it is.
pub fn paint(text: &str, tone: Tone) -> String {
    if !colour_on_stdout() {
        return text.to_string();
    }
    let code = match tone {
        Tone::Bad => "1;31",
        Tone::Warn => "33",
        Tone::Unknown => "35",
        Tone::Good => "32",
        Tone::Strong => "1",
    };
    format!("\x1b[{code}m{text}\x1b[0m")
}

/// The tone of a severity.
pub fn severity_tone(severity: Severity) -> Tone {
    match severity {
        Severity::Blocker => Tone::Bad,
        Severity::High | Severity::Medium => Tone::Warn,
        Severity::Low | Severity::Info => Tone::Strong,
        Severity::Pass => Tone::Good,
    }
}

/// `1 blocker`, `2 blockers`.
pub fn plural(count: usize, one: &str, many: &str) -> String {
    format!("{count} {}", if count == 1 { one } else { many })
}

/// Seconds as people say them: `45 seconds`, `5 minutes`, `3 hours`,
/// `2 days`, `180 days`, `2 years` (whole units, rounded down).
pub fn human_seconds(seconds: u64) -> String {
    const MINUTE: u64 = 60;
    const HOUR: u64 = 60 * MINUTE;
    const DAY: u64 = 24 * HOUR;
    const YEAR: u64 = 365 * DAY;
    let (n, one, many) = match seconds {
        s if s < MINUTE => (s, "second", "seconds"),
        s if s < HOUR => (s / MINUTE, "minute", "minutes"),
        s if s < DAY => (s / HOUR, "hour", "hours"),
        s if s < YEAR || s % YEAR != 0 => (s / DAY, "day", "days"),
        s => (s / YEAR, "year", "years"),
    };
    plural(n as usize, one, many)
}

/// Milliseconds for a run or a probe: `850 ms`, `2.3 s`, `4 minutes`.
pub fn human_ms(ms: u64) -> String {
    match ms {
        ms if ms < 1000 => format!("{ms} ms"),
        ms if ms < 60_000 => format!("{:.1} s", ms as f64 / 1000.0),
        ms => human_seconds(ms / 1000),
    }
}

/// A measured value with its unit, read as people say it.
pub fn human_value(value: f64, unit: &str) -> String {
    match unit {
        "ms" if value >= 0.0 => human_ms(value.round() as u64),
        "s" | "seconds" if value >= 0.0 => human_seconds(value.round() as u64),
        "days" | "day" => plural(value.round() as usize, "day", "days"),
        "" => trim_number(value),
        unit => format!("{} {unit}", trim_number(value)),
    }
}

fn trim_number(value: f64) -> String {
    if value.fract() == 0.0 && value.abs() < 1e15 {
        format!("{value:.0}")
    } else {
        format!("{value:.1}")
    }
}

/// Rank for "worst first": blockers, high, medium, could not check, low,
/// info, pass.
pub fn rank(finding: &Finding) -> u8 {
    if finding.outcome.is_inconclusive() {
        return 3;
    }
    severity_rank(finding.severity)
}

/// Rank of a judged severity (higher is worse; 3 is kept for unknown).
pub fn severity_rank(severity: Severity) -> u8 {
    match severity {
        Severity::Blocker => 6,
        Severity::High => 5,
        Severity::Medium => 4,
        Severity::Low => 2,
        Severity::Info => 1,
        Severity::Pass => 0,
    }
}

/// The host a line is grouped under (the target when a finding names none).
pub fn host_of(host: &str, target: &str) -> String {
    if host.is_empty() {
        target.to_string()
    } else {
        host.to_string()
    }
}

/// Groups items by host, hosts worst first (then by name), items worst
/// first within a host (then in `key` order).
pub fn by_host<T>(
    items: &[T],
    host: impl Fn(&T) -> String,
    rank: impl Fn(&T) -> u8,
    key: impl Fn(&T) -> String,
) -> Vec<(String, Vec<&T>)> {
    let mut groups: Vec<(String, Vec<&T>)> = Vec::new();
    for item in items {
        let h = host(item);
        match groups.iter_mut().find(|(name, _)| *name == h) {
            Some((_, list)) => list.push(item),
            None => groups.push((h, vec![item])),
        }
    }
    for (_, list) in &mut groups {
        list.sort_by(|a, b| rank(b).cmp(&rank(a)).then_with(|| key(a).cmp(&key(b))));
    }
    let worst = |list: &[&T]| list.iter().map(|i| rank(i)).max().unwrap_or(0);
    groups.sort_by(|a, b| worst(&b.1).cmp(&worst(&a.1)).then_with(|| a.0.cmp(&b.0)));
    groups
}

/// Prints findings grouped by host, worst first.
pub fn print_findings(findings: &[Finding]) {
    for (host, list) in by_host(
        findings,
        |f| host_of(&f.host, &f.target),
        rank,
        |f| format!("{} {}", f.check, f.target),
    ) {
        println!("{}", paint(&host, Tone::Strong));
        for f in list {
            let (word, tone) = if f.outcome.is_inconclusive() {
                ("unknown", Tone::Unknown)
            } else {
                (f.severity.as_str(), severity_tone(f.severity))
            };
            let title = match f.outcome.reason() {
                Some(reason) => format!("could not check: {reason}"),
                None => f.title.clone(),
            };
            println!(
                "  {} {:<24} {:<32} {title}",
                paint(&format!("{word:<8}"), tone),
                f.check,
                f.target
            );
        }
    }
}

/// What a verdict line counts.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Tally {
    /// Judged findings by severity, indexed like [`Severity`].
    pub by_severity: [usize; 6],
    /// Findings that could not be checked.
    pub unknown: usize,
    /// Checks run (findings).
    pub checks: usize,
    /// Distinct hosts.
    pub hosts: BTreeSet<String>,
    /// Wall time, ms.
    pub elapsed_ms: u64,
}

impl Tally {
    /// Counts one run's findings.
    pub fn of(findings: &[Finding], elapsed_ms: u64) -> Self {
        let mut tally = Tally {
            elapsed_ms,
            ..Tally::default()
        };
        tally.add(findings);
        tally
    }

    /// Adds findings (another project's run) to the count.
    pub fn add(&mut self, findings: &[Finding]) {
        for f in findings {
            if f.outcome.is_inconclusive() {
                self.unknown += 1;
            } else {
                self.by_severity[f.severity as usize] += 1;
            }
            self.checks += 1;
            self.hosts.insert(host_of(&f.host, &f.target));
        }
    }
}

/// `no-go: 3 blockers, 5 high, 2 could not be checked — 26 checks on 6
/// hosts in 2.3 s`; `lead` (e.g. `1 of 3 projects`) comes first.
pub fn verdict_line(go: bool, lead: Option<&str>, tally: &Tally) -> String {
    let count = |s: Severity| tally.by_severity[s as usize];
    let mut parts: Vec<String> = lead.map(str::to_string).into_iter().collect();
    let blockers = count(Severity::Blocker);
    if blockers > 0 || !go {
        parts.push(plural(blockers, "blocker", "blockers"));
    }
    for s in [Severity::High, Severity::Medium, Severity::Low] {
        if count(s) > 0 {
            parts.push(format!("{} {}", count(s), s.as_str()));
        }
    }
    if tally.unknown > 0 {
        parts.push(format!("{} could not be checked", tally.unknown));
    }
    if parts.is_empty() {
        parts.push("nothing to fix".to_string());
    }
    format!(
        "{}: {} — {} on {} in {}",
        if go { "go" } else { "no-go" },
        parts.join(", "),
        plural(tally.checks, "check", "checks"),
        plural(tally.hosts.len(), "host", "hosts"),
        human_ms(tally.elapsed_ms)
    )
}

/// Prints the verdict line on standard output (coloured on a terminal).
pub fn print_verdict(go: bool, lead: Option<&str>, tally: &Tally) {
    let line = verdict_line(go, lead, tally);
    let tone = if go { Tone::Good } else { Tone::Bad };
    println!("{}", paint(&line, tone));
}

/// A progress sink: a bar on a terminal, one line per finished check when
/// piped, nothing with `--quiet` or when `show` is false. Everything goes
/// to standard error. `label` names what runs (a project), if anything.
pub fn progress(show: bool, label: Option<&str>) -> ProgressSink {
    if !show || quiet() {
        return Arc::new(|_| {});
    }
    let prefix = label.map(|l| format!("{l}: ")).unwrap_or_default();
    if !std::io::stderr().is_terminal() {
        return Arc::new(move |event| plain_line(&prefix, event));
    }
    let bar = Mutex::new(None::<indicatif::ProgressBar>);
    Arc::new(move |event| {
        let mut bar = bar.lock().unwrap_or_else(|e| e.into_inner());
        match event {
            Progress::Planned { checks } => {
                let style = indicatif::ProgressStyle::with_template(
                    "{prefix}{bar:30} {pos}/{len} checks {msg}",
                )
                .unwrap_or_else(|_| indicatif::ProgressStyle::default_bar());
                let b = indicatif::ProgressBar::new(checks as u64).with_style(style);
                b.set_prefix(prefix.clone());
                *bar = Some(b);
            }
            Progress::Started { .. } => {}
            Progress::Finished { check, .. } => {
                if let Some(b) = bar.as_ref() {
                    b.inc(1);
                    b.set_message(check);
                    if b.length().is_some_and(|len| b.position() >= len) {
                        b.finish_and_clear();
                    }
                }
            }
        }
    })
}

fn plain_line(prefix: &str, event: Progress) {
    match event {
        Progress::Planned { checks } => eprintln!("{prefix}running {checks} checks…"),
        Progress::Started { .. } => {}
        Progress::Finished {
            check,
            worst,
            inconclusive,
            elapsed_ms,
        } => {
            let state = if inconclusive > 0 {
                format!("{} +{inconclusive} could not check", worst.as_str())
            } else {
                worst.as_str().to_string()
            };
            eprintln!("  {prefix}{check:<24} {state:<8} {}", human_ms(elapsed_ms));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn durations_read_in_human_units() {
        assert_eq!(human_seconds(300), "5 minutes");
        assert_eq!(human_seconds(1), "1 second");
        assert_eq!(human_seconds(2 * 86_400), "2 days");
        assert_eq!(human_seconds(15_552_000), "180 days");
        assert_eq!(human_seconds(31_536_000), "1 year");
        assert_eq!(human_ms(2_300), "2.3 s");
        assert_eq!(human_ms(640), "640 ms");
    }
}
