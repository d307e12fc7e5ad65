//! The report's document as GitHub-flavoured Markdown (`handover.md`):
//! a `#` title, the cover as a quoted block with the verdict, a table of
//! contents linking to GitHub's heading anchors, then `## 1 What to watch
//! this week` and the other numbered sections (the appendix unnumbered).
//! Tables are GFM tables (`|` escaped, line breaks as `<br>`), charts a
//! sentence and a small table of their values, notes in italics, marks as
//! coloured dots. The output depends only on the document.

use super::doc::{Align, Block, Cell, Chart, Doc, Mark, Section, Span};

/// The id of the section that is not numbered.
const APPENDIX: &str = "appendix";

/// `doc` as Markdown.
pub fn render(doc: &Doc) -> String {
    let mut out = format!("# {}\n\n", escape(&doc.title));
    cover(doc, &mut out);
    let headings = headings(&doc.sections);
    out.push_str("## Contents\n\n");
    // Anchors are numbered in document order, sub-headings included, as
    // GitHub does; the title and "Contents" come first.
    let mut slugs = Slugs::default();
    slugs.take(&doc.title);
    slugs.take("Contents");
    for (section, heading) in doc.sections.iter().zip(&headings) {
        let anchor = slugs.take(heading);
        out.push_str(&format!("- [{}](#{anchor})\n", escape(heading)));
        for block in &section.blocks {
            if let Block::Heading(text) = block {
                slugs.take(text);
            }
        }
    }
    out.push('\n');
    for (section, heading) in doc.sections.iter().zip(&headings) {
        out.push_str(&format!("## {}\n\n", escape(heading)));
        for block in &section.blocks {
            self::block(block, &mut out);
        }
    }
    while out.ends_with("\n\n") {
        out.pop();
    }
    out
}

/// Each section's heading: `1 What to watch this week`; the appendix keeps
/// its title.
fn headings(sections: &[Section]) -> Vec<String> {
    let mut number = 0;
    sections
        .iter()
        .map(|s| {
            if s.id == APPENDIX {
                s.title.clone()
            } else {
                number += 1;
                format!("{number} {}", s.title)
            }
        })
        .collect()
}

fn cover(doc: &Doc, out: &mut String) {
    let c = &doc.cover;
    out.push_str(&format!(
        "> **{}** · {} · `{}` · {}\n>\n",
        c.verdict,
        escape(&c.product),
        c.domain.replace('`', ""),
        doc.date
    ));
    for count in &c.counts {
        out.push_str(&format!("> - {}\n", escape(count)));
    }
    if !c.reasons.is_empty() {
        out.push_str(">\n> Why:\n>\n");
        for (i, reason) in c.reasons.iter().enumerate() {
            out.push_str(&format!("> {}. {}\n", i + 1, escape(reason)));
        }
    }
    out.push('\n');
}

/// GitHub's heading anchors: lowercase, spaces to hyphens, punctuation
/// dropped, repeats numbered `-1`, `-2`…
#[derive(Default)]
struct Slugs {
    seen: Vec<String>,
}

impl Slugs {
    fn take(&mut self, heading: &str) -> String {
        let base: String = heading
            .to_lowercase()
            .chars()
            .filter_map(|c| match c {
                ' ' => Some('-'),
                '-' | '_' => Some(c),
                c if c.is_alphanumeric() => Some(c),
                _ => None,
            })
            .collect();
        let mut slug = base.clone();
        let mut n = 0;
        while self.seen.contains(&slug) {
            n += 1;
            slug = format!("{base}-{n}");
        }
        self.seen.push(slug.clone());
        slug
    }
}

fn block(block: &Block, out: &mut String) {
    match block {
        Block::Heading(text) => out.push_str(&format!("### {}\n\n", escape(text))),
        Block::Paragraph(spans) => {
            out.push_str(&line_start(&spans_text(spans, false)));
            out.push_str("\n\n");
        }
        Block::Bullets(items) => {
            for item in items {
                out.push_str(&format!("- {}\n", spans_text(item, false)));
            }
            out.push('\n');
        }
        Block::Table { columns, rows } => {
            let header: Vec<String> = columns.iter().map(|c| cell_text(&c.title)).collect();
            let rule: Vec<&str> = columns
                .iter()
                .map(|c| match c.align {
                    Align::Left => "---",
                    Align::Right => "---:",
                })
                .collect();
            let body: Vec<Vec<String>> = rows
                .iter()
                .map(|row| row.iter().map(cell).collect())
                .collect();
            table(&header, &rule, &body, out);
        }
        Block::Chart(chart) => self::chart(chart, out),
        Block::Note(text) => out.push_str(&format!("*{}*\n\n", escape(text.trim()))),
        Block::PageBreak => {}
    }
}

fn table(header: &[String], rule: &[&str], rows: &[Vec<String>], out: &mut String) {
    out.push_str(&format!("| {} |\n", header.join(" | ")));
    out.push_str(&format!("| {} |\n", rule.join(" | ")));
    for row in rows {
        out.push_str(&format!("| {} |\n", row.join(" | ")));
    }
    out.push('\n');
}

/// A number in a chart's table: whole numbers without decimals.
fn number(value: f64) -> String {
    if value.fract() == 0.0 {
        format!("{value:.0}")
    } else {
        format!("{value:.1}")
    }
}

fn chart(chart: &Chart, out: &mut String) {
    match chart {
        Chart::Lines {
            title,
            unit,
            series,
            target,
        } => {
            let mut sentence = format!("Chart: {title}, in {unit}");
            if let Some((label, value)) = target {
                sentence.push_str(&format!("; {label} {} {unit}", number(*value)));
            }
            out.push_str(&format!("*{}.*\n\n", escape(&sentence)));
            let mut labels: Vec<&str> = Vec::new();
            for s in series {
                for (x, _) in &s.points {
                    if !labels.contains(&x.as_str()) {
                        labels.push(x);
                    }
                }
            }
            let mut header = vec!["Run".to_string()];
            header.extend(series.iter().map(|s| cell_text(&s.name)));
            if let Some((label, _)) = target {
                header.push(cell_text(label));
            }
            let rows: Vec<Vec<String>> = labels
                .iter()
                .map(|x| {
                    let mut row = vec![cell_text(x)];
                    for s in series {
                        let value = s.points.iter().find(|(px, _)| px == x).map(|(_, v)| *v);
                        row.push(value.map(number).unwrap_or_default());
                    }
                    if let Some((_, value)) = target {
                        row.push(number(*value));
                    }
                    row
                })
                .collect();
            let mut rule = vec!["---"];
            rule.extend(std::iter::repeat_n("---:", header.len() - 1));
            table(&header, &rule, &rows, out);
        }
        Chart::StackedBars {
            title,
            labels,
            parts,
        } => {
            out.push_str(&format!("*Chart: {}.*\n\n", escape(title)));
            let mut header = vec!["Run".to_string()];
            header.extend(parts.iter().map(|(name, _, _)| cell_text(name)));
            let rows: Vec<Vec<String>> = labels
                .iter()
                .enumerate()
                .map(|(i, x)| {
                    let mut row = vec![cell_text(x)];
                    row.extend(parts.iter().map(|(_, _, values)| {
                        values.get(i).map(|v| number(*v)).unwrap_or_default()
                    }));
                    row
                })
                .collect();
            let mut rule = vec!["---"];
            rule.extend(std::iter::repeat_n("---:", header.len() - 1));
            table(&header, &rule, &rows, out);
        }
    }
}

/// A mark as a coloured dot.
fn dot(mark: Mark) -> &'static str {
    match mark {
        Mark::Bad => "🔴 ",
        Mark::Warn => "🟠 ",
        Mark::Good => "🟢 ",
        Mark::Unknown => "⚪ ",
        Mark::Neutral => "",
    }
}

fn cell(cell: &Cell) -> String {
    let mark = cell.mark.map(dot).unwrap_or_default();
    format!("{mark}{}", spans_text(&cell.spans, true))
}

/// A table cell of plain text.
fn cell_text(text: &str) -> String {
    spans_text(&[Span::plain(text)], true)
}

/// Spans as inline Markdown; in a table `|` is escaped. Line breaks become
/// `<br>` (GitHub renders it in tables and paragraphs alike).
fn spans_text(spans: &[Span], in_table: bool) -> String {
    let mut out = String::new();
    for span in spans {
        let pieces: Vec<&str> = span.text.split('\n').collect();
        for (i, piece) in pieces.iter().enumerate() {
            if i > 0 {
                out.push_str("<br>");
            }
            if piece.is_empty() {
                continue;
            }
            let text = if span.code {
                code(piece)
            } else {
                escape(piece)
            };
            let text = if in_table {
                text.replace('|', "\\|")
            } else {
                text
            };
            if span.strong && !span.code {
                out.push_str(&format!("**{text}**"));
            } else {
                out.push_str(&text);
            }
        }
    }
    out
}

/// A code span fenced with more backticks than it holds.
fn code(text: &str) -> String {
    let mut longest = 0;
    let mut run = 0;
    for c in text.chars() {
        run = if c == '`' { run + 1 } else { 0 };
        longest = longest.max(run);
    }
    let fence = "`".repeat(longest + 1);
    let pad = if text.starts_with('`') || text.ends_with('`') {
        " "
    } else {
        ""
    };
    format!("{fence}{pad}{text}{pad}{fence}")
}

/// Plain text with Markdown's inline punctuation escaped.
fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        if matches!(c, '\\' | '`' | '*' | '_' | '[' | ']' | '<' | '>' | '~') {
            out.push('\\');
        }
        out.push(c);
    }
    out
}

/// Escapes what would turn a paragraph's start into a heading, list or
/// quote.
fn line_start(text: &str) -> String {
    let digits = text.chars().take_while(char::is_ascii_digit).count();
    let after = text[digits..].chars().next();
    if digits > 0 && matches!(after, Some('.' | ')')) && text[digits + 1..].starts_with(' ') {
        return format!("{}\\{}", &text[..digits], &text[digits..]);
    }
    match text.chars().next() {
        Some('#' | '-' | '+' | '=' | '|') => format!("\\{text}"),
        _ => text.to_string(),
    }
}

#[cfg(test)]
mod tests;
