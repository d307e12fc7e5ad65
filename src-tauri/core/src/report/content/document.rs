//! [`ReportData`] laid out as the format-neutral [`Doc`]: the cover and the
//! sections up to the accounts; [`super::document_live`] has the rest.

use handover_model::{ItemStatus, Risk, Verdict};

use super::data::{ItemEntry, ReportData, WatchEntry};
use super::{document_accounts, document_live};
use crate::report::doc::{Align, Block, Cell, Column, Cover, Doc, Mark, Section, Span};
use crate::report::watch::{plural, trend_text, PAGE_ONE};

/// The whole document.
pub(super) fn build(data: &ReportData) -> Doc {
    let mut sections = vec![
        watch(data),
        blockers(data),
        checklist(data),
        document_accounts::accounts(data),
        document_live::evidence(data),
        document_live::charts(data),
        document_live::rollback(data),
        document_live::limitations(data),
        document_live::next_steps(data),
    ];
    let rest: Vec<&WatchEntry> = data.watch.iter().filter(|w| !w.page_one).collect();
    if !rest.is_empty() {
        if let Some(last) = sections.last_mut() {
            last.blocks.push(Block::PageBreak);
        }
        sections.push(section(
            "appendix",
            "Appendix: more to watch",
            vec![watch_table(&rest)],
        ));
    }
    Doc {
        title: format!("Handover — {}", data.meta.product),
        author: data.meta.author.clone(),
        subject: format!(
            "Launch readiness and handover report for {}",
            data.meta.apex
        ),
        date: data.date.clone(),
        cover: cover(data),
        sections,
    }
}

/// A section.
pub(super) fn section(id: &str, title: &str, blocks: Vec<Block>) -> Section {
    Section {
        id: id.into(),
        title: title.into(),
        blocks,
    }
}

/// A column.
pub(super) fn col(title: &str, weight: f32) -> Column {
    Column {
        title: title.into(),
        weight,
        align: Align::Left,
    }
}

/// A right-aligned column (numbers).
pub(super) fn num_col(title: &str, weight: f32) -> Column {
    Column {
        align: Align::Right,
        ..col(title, weight)
    }
}

/// A cell with a mark.
pub(super) fn marked(mark: Mark, text: impl Into<String>) -> Cell {
    Cell {
        spans: vec![Span::plain(text)],
        mark: Some(mark),
    }
}

/// A plain cell, `—` when empty.
pub(super) fn text(value: &str) -> Cell {
    Cell::text(if value.trim().is_empty() {
        "—"
    } else {
        value
    })
}

/// A paragraph of plain text.
pub(super) fn para(value: impl Into<String>) -> Block {
    Block::Paragraph(vec![Span::plain(value)])
}

/// The mark of a 1–5 risk.
fn risk_mark(risk: u8) -> Mark {
    match risk {
        5 => Mark::Bad,
        3 | 4 => Mark::Warn,
        _ => Mark::Neutral,
    }
}

/// An item's risk for people.
pub(super) fn risk_word(risk: Risk) -> &'static str {
    match risk {
        Risk::Blocker => "Blocker",
        Risk::High => "High",
        Risk::Medium => "Medium",
        Risk::Low => "Low",
    }
}

/// An item's status cell: ✓ for passed; inconclusive shown as such.
pub(super) fn status_cell(item: &ItemEntry) -> Cell {
    match (item.state, item.status) {
        ("could_not_check", _) => marked(Mark::Unknown, "Could not check"),
        (_, ItemStatus::Pass) => marked(Mark::Good, "✓ Pass"),
        (_, ItemStatus::Fail) => marked(Mark::Bad, "Fail"),
        (_, status) => marked(Mark::Neutral, status.label()),
    }
}

/// An item's notes cell: its notes, waiver reason, could-not-check reason
/// and evidence links.
pub(super) fn notes_cell(item: &ItemEntry) -> Cell {
    let mut parts: Vec<String> = Vec::new();
    if !item.could_not_check.is_empty() {
        parts.push(item.could_not_check.clone());
    }
    if !item.waiver_reason.is_empty() {
        parts.push(format!("Waived: {}", item.waiver_reason));
    }
    if !item.notes.is_empty() {
        parts.push(item.notes.clone());
    }
    let mut spans = vec![Span::plain(parts.join(" · "))];
    for link in &item.evidence {
        spans.push(Span::plain(" "));
        spans.push(Span::code(link.clone()));
    }
    if parts.is_empty() && item.evidence.is_empty() {
        return text("");
    }
    Cell { spans, mark: None }
}

fn cover(data: &ReportData) -> Cover {
    let c = &data.verdict.counts;
    let go = data.verdict.verdict == Verdict::Go;
    Cover {
        product: data.meta.product.clone(),
        domain: data.meta.apex.clone(),
        verdict: if go { "GO" } else { "NO-GO" }.into(),
        go,
        counts: vec![
            plural(
                c.blockers_open as usize,
                "launch blocker open",
                "launch blockers open",
            ),
            plural(c.high_findings as usize, "high finding", "high findings"),
            format!("{} could not be checked", c.could_not_check),
            plural(c.checks_run as usize, "check run", "checks run"),
            format!("{} of {} checklist items done", c.items_done, c.items_total),
        ],
        reasons: data.verdict.reasons.clone(),
    }
}

/// The watch table of `entries`.
fn watch_table(entries: &[&WatchEntry]) -> Block {
    let rows = entries
        .iter()
        .map(|w| {
            let i = &w.item;
            let owner = if i.owner.is_empty() {
                "nobody"
            } else {
                &i.owner
            };
            vec![
                marked(risk_mark(i.risk), i.title.clone()),
                text(&i.current),
                text(&i.threshold),
                text(&trend_text(i)),
                Cell::text(owner),
                text(i.due.as_deref().unwrap_or_default()),
                text(&i.next_action),
            ]
        })
        .collect();
    Block::Table {
        columns: vec![
            col("Item", 3.0),
            col("Current", 1.2),
            col("Threshold", 1.4),
            col("Trend", 1.6),
            col("Owner", 1.2),
            col("Due", 1.2),
            col("Next action", 3.0),
        ],
        rows,
    }
}

fn watch(data: &ReportData) -> Section {
    let mut blocks = Vec::new();
    let first: Vec<&WatchEntry> = data.watch.iter().filter(|w| w.page_one).collect();
    if first.is_empty() {
        blocks.push(para(
            "Nothing to watch from the data recorded: no measured number is near its threshold, every required account has an owner and no credential is due for rotation.",
        ));
    } else {
        blocks.push(para(format!(
            "The {} most urgent of {}, ranked by urgency × risk.",
            first.len().min(PAGE_ONE),
            plural(data.watch.len(), "item", "items")
        )));
        blocks.push(watch_table(&first));
    }
    let more = data.watch.len() - first.len();
    if more > 0 {
        blocks.push(Block::Note(format!("{more} more in the appendix.")));
    }
    let unchecked = data.verdict.counts.could_not_check as usize;
    if data.meta.latest_run.is_none() {
        blocks.push(Block::Note(
            "No live checks have run yet, so no measured number is watched.".into(),
        ));
    } else if unchecked > 0 {
        blocks.push(Block::Note(format!(
            "{} of the latest run could not be checked: see Known limitations. None counts as fine.",
            plural(unchecked, "finding", "findings")
        )));
    }
    section("watch", "What to watch this week", blocks)
}

fn blockers(data: &ReportData) -> Section {
    if data.blockers.is_empty() {
        return section(
            "blockers",
            "Launch blockers, ranked",
            vec![para("✓ No launch blocker is open.")],
        );
    }
    let rows = data
        .blockers
        .iter()
        .map(|b| {
            let status = if !b.could_not_check.is_empty() {
                marked(Mark::Unknown, "Could not check")
            } else if b.status == ItemStatus::Fail {
                marked(Mark::Bad, "Fail")
            } else {
                marked(Mark::Warn, "To do")
            };
            let note = match b.source {
                "handover" => "Handover gap (accounts)".to_string(),
                _ => b.could_not_check.clone(),
            };
            vec![
                Cell::text(b.rank.to_string()),
                Cell::text(b.title.clone()),
                text(&if b.stage == 0 {
                    String::new()
                } else {
                    b.stage.to_string()
                }),
                status,
                Cell::text(if b.owner.is_empty() {
                    "nobody"
                } else {
                    &b.owner
                }),
                text(&note),
            ]
        })
        .collect();
    let blocks = vec![
        para(format!(
            "{} decide the verdict: launch is a go only when none is open.",
            plural(data.blockers.len(), "blocker", "blockers")
        )),
        Block::Table {
            columns: vec![
                num_col("#", 0.5),
                col("Blocker", 4.0),
                num_col("Stage", 0.8),
                col("Status", 1.5),
                col("Owner", 1.5),
                col("Note", 3.5),
            ],
            rows,
        },
    ];
    section("blockers", "Launch blockers, ranked", blocks)
}

fn checklist(data: &ReportData) -> Section {
    let mut blocks = Vec::new();
    for stage in &data.checklist {
        let mut heading = format!(
            "{} {} — {} of {} done",
            stage.number, stage.title, stage.done, stage.total
        );
        if stage.open_blockers > 0 {
            heading.push_str(&format!(
                ", {} open",
                plural(stage.open_blockers as usize, "blocker", "blockers")
            ));
        }
        if stage.inconclusive > 0 {
            heading.push_str(&format!(", {} could not be checked", stage.inconclusive));
        }
        blocks.push(Block::Heading(heading));
        let rows = stage
            .items
            .iter()
            .map(|item| {
                vec![
                    Cell::text(item.title.clone()),
                    Cell::text(risk_word(item.risk)),
                    status_cell(item),
                    text(&item.owner),
                    notes_cell(item),
                ]
            })
            .collect();
        blocks.push(Block::Table {
            columns: vec![
                col("Item", 4.0),
                col("Risk", 1.0),
                col("Status", 1.5),
                col("Owner", 1.5),
                col("Notes", 4.0),
            ],
            rows,
        });
    }
    section("checklist", "The checklist by stage", blocks)
}
