//! The document's sections from evidence to next steps.

use handover_model::Severity;

use super::data::{LatencySeries, ReportData};
use super::document::{col, marked, notes_cell, para, risk_word, section, status_cell, text};
use crate::report::doc::{Block, Cell, Chart, Mark, Section, Series, Span};
use crate::report::watch::duration_text;

/// The mark of a severity; `None` (could not check) is unknown.
fn severity_mark(severity: Option<Severity>) -> Mark {
    match severity {
        None => Mark::Unknown,
        Some(Severity::Blocker) => Mark::Bad,
        Some(Severity::High | Severity::Medium) => Mark::Warn,
        Some(Severity::Pass) => Mark::Good,
        Some(_) => Mark::Neutral,
    }
}

pub(super) fn evidence(data: &ReportData) -> Section {
    let mut blocks = Vec::new();
    match &data.meta.latest_run {
        None => blocks.push(para(
            "No live checks have run yet: there is no evidence to show.",
        )),
        Some(run) => blocks.push(para(format!(
            "From run {} on {}: every finding, by host.",
            run.id, run.date
        ))),
    }
    for host in &data.evidence {
        let name = if host.host.is_empty() {
            "Other targets"
        } else {
            host.host.as_str()
        };
        blocks.push(Block::Heading(name.to_string()));
        let rows = host
            .findings
            .iter()
            .map(|f| {
                let result = match f.severity {
                    Some(Severity::Pass) => "✓ pass".to_string(),
                    Some(s) => s.as_str().to_string(),
                    None => "could not check".to_string(),
                };
                let mut finding = vec![Span::plain(f.title.clone())];
                if !f.reason.is_empty() {
                    finding.push(Span::plain(format!(" ({})", f.reason)));
                }
                let mut lines = Vec::new();
                for (i, line) in f.evidence.iter().enumerate() {
                    if i > 0 {
                        lines.push(Span::plain("\n"));
                    }
                    lines.push(Span::code(line.clone()));
                }
                vec![
                    Cell::text(f.check.clone()),
                    marked(severity_mark(f.severity), result),
                    Cell {
                        spans: finding,
                        mark: None,
                    },
                    if lines.is_empty() {
                        text("")
                    } else {
                        Cell {
                            spans: lines,
                            mark: None,
                        }
                    },
                ]
            })
            .collect();
        blocks.push(Block::Table {
            columns: vec![
                col("Check", 1.6),
                col("Result", 1.2),
                col("Finding", 3.2),
                col("Evidence", 4.0),
            ],
            rows,
        });
    }
    section("evidence", "Live-check evidence by host", blocks)
}

/// The fitted line of a series (least squares over the run index).
fn fitted(series: &LatencySeries, slope: f64) -> Series {
    let n = series.points.len() as f64;
    let mean_y = series.points.iter().map(|p| p.value).sum::<f64>() / n;
    let mean_x = (n - 1.0) / 2.0;
    Series {
        name: "trend".into(),
        points: series
            .points
            .iter()
            .enumerate()
            .map(|(i, p)| {
                let y = mean_y + slope * (i as f64 - mean_x);
                (p.date.clone(), (y * 10.0).round() / 10.0)
            })
            .collect(),
    }
}

/// One sentence about a latency series.
fn latency_sentence(series: &LatencySeries) -> String {
    let Some(last) = series.points.last() else {
        return String::new();
    };
    let mut text = format!(
        "{} was {} on {}",
        series.name,
        duration_text(last.value),
        last.date
    );
    if let Some(target) = series.target_ms {
        let side = if last.value > target {
            "over"
        } else {
            "within"
        };
        text.push_str(&format!(", {side} its {} target", duration_text(target)));
    }
    match series.slope_ms_per_run {
        Some(s) if s.abs() >= 1.0 => {
            let way = if s > 0.0 { "rising" } else { "falling" };
            text.push_str(&format!(
                "; over {} runs it has been {way} by about {} per run",
                series.points.len(),
                duration_text(s.abs())
            ));
        }
        Some(_) => text.push_str(&format!("; steady over {} runs", series.points.len())),
        None => text.push_str("; one measurement so far"),
    }
    text.push('.');
    text
}

pub(super) fn charts(data: &ReportData) -> Section {
    let mut blocks = Vec::new();
    if data.charts.latency.is_empty() {
        blocks.push(Block::Note(
            "No p95 latency has been measured yet, so there is no latency chart: run the checks with the load probes.".into(),
        ));
    }
    for series in &data.charts.latency {
        let mut lines = vec![Series {
            name: series.name.clone(),
            points: series
                .points
                .iter()
                .map(|p| (p.date.clone(), (p.value * 10.0).round() / 10.0))
                .collect(),
        }];
        if let Some(slope) = series.slope_ms_per_run {
            lines.push(fitted(series, slope));
        }
        blocks.push(Block::Chart(Chart::Lines {
            title: format!("{} per run", series.name),
            unit: "ms".into(),
            series: lines,
            target: series.target_ms.map(|t| ("target".to_string(), t)),
        }));
        blocks.push(para(latency_sentence(series)));
    }
    let bars = &data.charts.severity;
    if bars.is_empty() {
        blocks.push(Block::Note(
            "No run is recorded yet, so there is no chart of findings by severity.".into(),
        ));
    } else {
        let part = |name: &str, mark: Mark, f: fn(&super::data::SeverityBar) -> u32| {
            (
                name.to_string(),
                mark,
                bars.iter().map(|b| f64::from(f(b))).collect::<Vec<f64>>(),
            )
        };
        blocks.push(Block::Chart(Chart::StackedBars {
            title: "Findings by severity per run".into(),
            labels: bars.iter().map(|b| b.date.clone()).collect(),
            parts: vec![
                part("blocker", Mark::Bad, |b| b.blocker),
                part("high", Mark::Warn, |b| b.high),
                part("medium", Mark::Warn, |b| b.medium),
                part("low", Mark::Neutral, |b| b.low),
                part("could not check", Mark::Unknown, |b| b.could_not_check),
            ],
        }));
        let last = &bars[bars.len() - 1];
        blocks.push(para(format!(
            "The latest run ({}) found {} blocker, {} high, {} medium and {} low findings; {} could not be checked.",
            last.date, last.blocker, last.high, last.medium, last.low, last.could_not_check
        )));
    }
    section("charts", "Charts", blocks)
}

pub(super) fn rollback(data: &ReportData) -> Section {
    let r = &data.rollback;
    let mut blocks = Vec::new();
    if !r.recorded {
        blocks.push(para(
            "Nothing is recorded about rollback or deployment yet: the production-deploy items carry no notes or evidence, and the project has no notes.",
        ));
    }
    if !r.items.is_empty() {
        blocks.push(Block::Table {
            columns: vec![
                col("Item", 4.0),
                col("Status", 1.5),
                col("Owner", 1.5),
                col("Notes and evidence", 4.5),
            ],
            rows: r
                .items
                .iter()
                .map(|i| {
                    vec![
                        Cell::text(i.title.clone()),
                        status_cell(i),
                        text(&i.owner),
                        notes_cell(i),
                    ]
                })
                .collect(),
        });
    }
    if !r.project_notes.is_empty() {
        blocks.push(Block::Heading("Project notes".into()));
        blocks.push(para(r.project_notes.clone()));
    }
    if !r.environments.is_empty() {
        blocks.push(Block::Heading("Environments".into()));
        blocks.push(Block::Bullets(
            r.environments
                .iter()
                .map(|e| {
                    vec![
                        Span::strong(e.kind.clone()),
                        Span::plain(": "),
                        Span::code(e.base_url.clone()),
                    ]
                })
                .collect(),
        ));
    }
    section("rollback", "Rollback and deployment notes", blocks)
}

pub(super) fn limitations(data: &ReportData) -> Section {
    let l = &data.limitations;
    let mut blocks = vec![Block::Heading("What the latest run could not check".into())];
    if data.meta.latest_run.is_none() {
        blocks.push(para(
            "No live checks have run yet, so nothing has been checked automatically.",
        ));
    } else if l.could_not_check.is_empty() {
        blocks.push(para(
            "✓ Every check of the latest run could judge what it looked at.",
        ));
    }
    for group in &l.could_not_check {
        blocks.push(Block::Paragraph(vec![Span::strong(format!(
            "{} ({})",
            group.label,
            group.findings.len()
        ))]));
        blocks.push(Block::Bullets(
            group
                .findings
                .iter()
                .map(|f| {
                    vec![
                        Span::plain(format!("{} on ", f.check)),
                        Span::code(f.target.clone()),
                        Span::plain(format!(": {}", f.reason)),
                    ]
                })
                .collect(),
        ));
    }
    if !l.not_automated.is_empty() {
        blocks.push(Block::Heading("Not automated yet: a person decides".into()));
        blocks.push(Block::Bullets(
            l.not_automated
                .iter()
                .map(|t| vec![Span::plain(t.clone())])
                .collect(),
        ));
    }
    blocks.push(Block::Heading("What the checks do not probe".into()));
    blocks.push(Block::Bullets(
        l.not_probed
            .iter()
            .map(|t| vec![Span::plain(t.clone())])
            .collect(),
    ));
    section("limitations", "Known limitations", blocks)
}

pub(super) fn next_steps(data: &ReportData) -> Section {
    if data.next_steps.is_empty() {
        return section(
            "next",
            "Next steps",
            vec![para("✓ No checklist item is open.")],
        );
    }
    let rows = data
        .next_steps
        .iter()
        .enumerate()
        .map(|(i, s)| {
            vec![
                Cell::text((i + 1).to_string()),
                Cell::text(s.title.clone()),
                Cell::text(risk_word(s.risk)),
                text(if s.owner.is_empty() {
                    "nobody"
                } else {
                    &s.owner
                }),
                Cell::text(s.action.clone()),
            ]
        })
        .collect();
    section(
        "next",
        "Next steps",
        vec![Block::Table {
            columns: vec![
                super::document::num_col("#", 0.5),
                col("Item", 3.5),
                col("Risk", 1.0),
                col("Owner", 1.5),
                col("Next action", 5.0),
            ],
            rows,
        }],
    )
}
