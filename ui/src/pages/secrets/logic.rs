//! Words for what the core found: targets, env issue kinds, log kinds, and
//! the bars of the per-target chart. No rule is decided here.

use handover_model::{EnvIssueKind, HygieneTarget, LogKind, ScanProgress};

/// An env issue's kind for people.
pub fn env_kind_label(kind: EnvIssueKind) -> &'static str {
    match kind {
        EnvIssueKind::Missing => "Missing",
        EnvIssueKind::SharedSecret => "Same secret as production",
        EnvIssueKind::PublicSecret => "Secret in a public variable",
        EnvIssueKind::Empty => "Empty",
        EnvIssueKind::Undefined => "Read by the code, defined nowhere",
        EnvIssueKind::SampleValue => "Real value in a sample file",
    }
}

/// A log kind for people.
pub fn log_kind_label(kind: LogKind) -> &'static str {
    match kind {
        LogKind::Token => "Tokens and keys",
        LogKind::Bearer => "Bearer credentials",
        LogKind::BasicAuth => "Basic auth credentials",
        LogKind::Email => "Email addresses",
        LogKind::Phone => "Phone numbers",
        LogKind::Prompt => "Full prompt payloads",
    }
}

/// One bar of the chart: the target's label, its open and ignored
/// findings, and the bar's width in percent of the largest.
#[derive(Debug, Clone, PartialEq)]
pub struct Bar {
    /// The target's label.
    pub label: String,
    /// Findings not ignored.
    pub open: u32,
    /// Findings the baseline ignores.
    pub ignored: u32,
    /// Width of the open part, % of the widest bar.
    pub open_pct: f64,
    /// Width of the ignored part, %.
    pub ignored_pct: f64,
    /// The target was not scanned.
    pub unscanned: bool,
}

/// The bars of `targets`, scaled to the largest total.
pub fn bars(targets: &[HygieneTarget]) -> Vec<Bar> {
    let counted: Vec<(u32, u32)> = targets
        .iter()
        .map(|t| {
            let findings = t
                .scan
                .as_ref()
                .map(|s| s.findings.as_slice())
                .unwrap_or(&[]);
            let ignored = findings.iter().filter(|f| f.ignored).count() as u32;
            (findings.len() as u32 - ignored, ignored)
        })
        .collect();
    let widest = counted.iter().map(|(o, i)| o + i).max().unwrap_or(0).max(1) as f64;
    targets
        .iter()
        .zip(counted)
        .map(|(t, (open, ignored))| Bar {
            label: t.label.clone(),
            open,
            ignored,
            open_pct: 100.0 * f64::from(open) / widest,
            ignored_pct: 100.0 * f64::from(ignored) / widest,
            unscanned: t.scan.is_none(),
        })
        .collect()
}

/// The progress line: target, files and bytes so far.
pub fn progress_line(p: &ScanProgress) -> String {
    let state = if p.finished { "done" } else { "scanning" };
    format!(
        "{}: {state}, {} file(s), {}",
        p.place.label(),
        p.files,
        handover_model::units::human_size(p.bytes)
    )
}

/// The log paths typed, one per line (blank lines dropped).
pub fn typed_paths(text: &str) -> Vec<String> {
    text.lines()
        .map(str::trim)
        .filter(|l| !l.is_empty())
        .map(str::to_owned)
        .collect()
}

#[cfg(test)]
mod tests {
    use handover_model::{SecretFinding, SecretPlace, SecretScan, Severity};

    use super::*;

    fn target(place: SecretPlace, findings: &[bool]) -> HygieneTarget {
        HygieneTarget {
            place,
            label: place.label().into(),
            root: String::new(),
            scan: Some(SecretScan {
                findings: findings
                    .iter()
                    .map(|ignored| SecretFinding {
                        rule: "r".into(),
                        title: "t".into(),
                        place,
                        location: "l".into(),
                        original: None,
                        line: 1,
                        column: 1,
                        preview: "…".into(),
                        fingerprint: "f".into(),
                        severity: Severity::High,
                        remedy: String::new(),
                        ignored: *ignored,
                    })
                    .collect(),
                ..SecretScan::default()
            }),
            not_scanned: None,
        }
    }

    #[test]
    fn bars_scale_to_the_widest_target_and_split_ignored_findings() {
        let mut site = target(SecretPlace::Site, &[]);
        site.scan = None;
        let bars = bars(&[
            target(SecretPlace::Repo, &[false, false, true, false]),
            target(SecretPlace::BuildOutput, &[false, true]),
            site,
        ]);
        assert_eq!((bars[0].open, bars[0].ignored), (3, 1));
        assert_eq!((bars[0].open_pct, bars[0].ignored_pct), (75.0, 25.0));
        assert_eq!((bars[1].open_pct, bars[1].ignored_pct), (25.0, 25.0));
        assert!(bars[2].unscanned && bars[2].open == 0);
    }

    #[test]
    fn labels_progress_and_typed_paths_read_well() {
        assert_eq!(
            env_kind_label(EnvIssueKind::PublicSecret),
            "Secret in a public variable"
        );
        assert_eq!(log_kind_label(LogKind::Prompt), "Full prompt payloads");
        let line = progress_line(&ScanProgress {
            place: SecretPlace::BuildOutput,
            files: 3,
            bytes: 2048,
            finished: false,
        });
        assert!(
            line.starts_with("Build output: scanning, 3 file(s), "),
            "{line}"
        );
        assert_eq!(
            typed_paths(" a.log \n\n b.jsonl.gz\n"),
            ["a.log", "b.jsonl.gz"]
        );
    }
}
