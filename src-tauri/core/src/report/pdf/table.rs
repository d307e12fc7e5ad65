//! Tables: column widths from the columns' weights, wrapped cells, a
//! header row repeated at the top of every page the table continues on,
//! rows moved whole to the next page when they fit there, and only a row
//! taller than a page split, between lines.

use super::layout::Flow;
use super::page::{ink, Rgb3};
use super::wrap::{styled, wrap, Line, Style};
use crate::report::doc::{Align, Cell, Column, Mark};

const PAD_X: f32 = 4.0;
const PAD_Y: f32 = 3.0;
/// Room a mark's dot takes before a cell's text.
const MARK_ROOM: f32 = 9.0;

fn cell_style() -> Style {
    Style::new(8.5, ink::TEXT)
}

/// A mark's colour.
pub(super) fn mark_color(mark: Mark) -> Rgb3 {
    match mark {
        Mark::Bad => ink::BAD,
        Mark::Warn => ink::WARN,
        Mark::Good => ink::GOOD,
        Mark::Unknown => ink::UNKNOWN,
        Mark::Neutral => ink::NEUTRAL,
    }
}

/// A cell laid out: its lines and its mark.
struct Laid {
    lines: Vec<Line>,
    mark: Option<Mark>,
}

/// A row laid out.
struct Row {
    cells: Vec<Laid>,
    /// Lines of its tallest cell.
    depth: usize,
    shaded: bool,
    header: bool,
}

impl Row {
    fn height(&self, lines: usize) -> f32 {
        lines as f32 * cell_style().leading() + 2.0 * PAD_Y
    }
}

struct Grid {
    /// Left edge of each column, and the right edge of the last.
    edges: Vec<f32>,
    aligns: Vec<Align>,
}

impl Grid {
    fn new(flow: &Flow<'_>, columns: &[Column]) -> Self {
        let weights: Vec<f32> = columns
            .iter()
            .map(|c| {
                if c.weight.is_finite() && c.weight > 0.0 {
                    c.weight
                } else {
                    0.0
                }
            })
            .collect();
        let total: f32 = weights.iter().sum();
        let n = columns.len().max(1) as f32;
        let width = flow.geo.content_width();
        let mut edges = vec![flow.geo.left];
        let mut x = flow.geo.left;
        for w in &weights {
            x += if total > 0.0 {
                width * w / total
            } else {
                width / n
            };
            edges.push(x);
        }
        Grid {
            edges,
            aligns: columns.iter().map(|c| c.align).collect(),
        }
    }

    fn text_width(&self, col: usize, marked: bool) -> f32 {
        let w = self.edges[col + 1] - self.edges[col] - 2.0 * PAD_X;
        (if marked { w - MARK_ROOM } else { w }).max(1.0)
    }

    fn lay(&self, flow: &Flow<'_>, cells: &[Cell], header: bool, shaded: bool) -> Row {
        let mut style = cell_style();
        if header {
            style = style.bold();
        }
        let cells: Vec<Laid> = (0..self.aligns.len())
            .map(|col| {
                let cell = cells.get(col);
                let mark = cell.and_then(|c| c.mark);
                let spans = cell.map_or(&[][..], |c| &c.spans[..]);
                let width = self.text_width(col, mark.is_some());
                Laid {
                    lines: wrap(flow.faces, &styled(spans, style), width),
                    mark,
                }
            })
            .collect();
        let depth = cells.iter().map(|c| c.lines.len()).max().unwrap_or(1);
        Row {
            cells,
            depth,
            shaded,
            header,
        }
    }

    /// Draws lines `from..to` of `row` at the cursor.
    fn draw(&self, flow: &mut Flow<'_>, row: &Row, from: usize, to: usize) {
        let style = cell_style();
        let height = row.height(to - from);
        let (left, right, top) = (self.edges[0], *self.edges.last().unwrap_or(&0.0), flow.y);
        let page = flow.page();
        if row.header {
            page.fill_rect(left, top, right - left, height, ink::SHADE);
        } else if row.shaded {
            page.fill_rect(left, top, right - left, height, ink::ZEBRA);
        }
        for (col, cell) in row.cells.iter().enumerate() {
            let x0 = self.edges[col] + PAD_X;
            let x1 = self.edges[col + 1] - PAD_X;
            if let (Some(mark), 0) = (cell.mark, from) {
                let cy = top + PAD_Y + style.baseline() - style.size * 0.33;
                page.fill_circle(x0 + 3.0, cy, 3.0, mark_color(mark));
            }
            let text_x = if cell.mark.is_some() {
                x0 + MARK_ROOM
            } else {
                x0
            };
            let end = to.min(cell.lines.len());
            for (i, line) in cell.lines.iter().enumerate().take(end).skip(from) {
                let baseline = top + PAD_Y + (i - from) as f32 * style.leading() + style.baseline();
                let x = match self.aligns[col] {
                    Align::Left => text_x,
                    Align::Right => (x1 - line.width).max(text_x),
                };
                page.text(x, baseline, &line.runs);
            }
        }
        let rule = if row.header { ink::ACCENT } else { ink::RULE };
        page.rule(
            left,
            right,
            top + height,
            if row.header { 0.8 } else { 0.4 },
            rule,
        );
        flow.y += height;
    }
}

/// Lays a table out at the cursor.
pub(super) fn draw(flow: &mut Flow<'_>, columns: &[Column], rows: &[Vec<Cell>]) {
    if columns.is_empty() {
        return;
    }
    let grid = Grid::new(flow, columns);
    let titles: Vec<Cell> = columns
        .iter()
        .map(|c| Cell::text(c.title.clone()))
        .collect();
    let header = grid.lay(flow, &titles, true, false);
    let header_h = header.height(header.depth);
    let leading = cell_style().leading();
    // The header never ends a page alone: it comes with a first row (or
    // as much of it as a page holds).
    let mut first = rows.first().map(|r| grid.lay(flow, r, false, false));
    let first_h = first.as_ref().map_or(0.0, |r| r.height(r.depth));
    let page_h = flow.geo.bottom - flow.geo.top;
    flow.ensure((header_h + first_h).min(page_h));
    grid.draw(flow, &header, 0, header.depth);
    for (i, cells) in rows.iter().enumerate() {
        let row = match first.take() {
            Some(row) => row,
            None => grid.lay(flow, cells, false, i % 2 == 1),
        };
        let full = row.height(row.depth);
        if full > flow.room() + 0.01 && full <= page_h - header_h {
            flow.new_page();
            grid.draw(flow, &header, 0, header.depth);
        }
        let mut from = 0;
        let mut fresh = false;
        while from < row.depth {
            let mut fit = ((flow.room() - 2.0 * PAD_Y) / leading + 0.001)
                .floor()
                .max(0.0) as usize;
            if fit == 0 && fresh {
                fit = 1; // a header taller than a page: nothing fits anyway
            } else if fit == 0 {
                flow.new_page();
                grid.draw(flow, &header, 0, header.depth);
                fresh = true;
                continue;
            }
            fresh = false;
            let to = (from + fit).min(row.depth);
            grid.draw(flow, &row, from, to);
            from = to;
        }
    }
    flow.gap(8.0);
}
