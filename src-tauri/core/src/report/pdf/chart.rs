//! Charts as vector paths: axes with "nice" ticks, grid lines, thinned x
//! labels, lines with point markers and a dashed target, stacked bars
//! coloured by mark, and a legend that wraps.

use super::layout::Flow;
use super::page::{ink, Rgb3};
use super::table::mark_color;
use super::wrap::{line, Style};
use crate::report::doc::{Chart, Series, Span};

const PLOT_H: f32 = 130.0;
const SERIES: [Rgb3; 6] = [
    Rgb3(0.13, 0.40, 0.75),
    Rgb3(0.90, 0.45, 0.10),
    Rgb3(0.45, 0.25, 0.65),
    Rgb3(0.05, 0.55, 0.55),
    Rgb3(0.80, 0.25, 0.55),
    Rgb3(0.45, 0.35, 0.20),
];

fn label_style() -> Style {
    Style::new(7.0, ink::MUTED)
}

/// A legend entry: a swatch (a line, dashed or not, or a block) and a name.
struct Entry {
    name: String,
    color: Rgb3,
    swatch: Swatch,
}

#[derive(Clone, Copy, PartialEq)]
enum Swatch {
    Line,
    Dashed,
    Block,
}

/// The value axis: its range and tick step.
struct Scale {
    lo: f64,
    hi: f64,
    step: f64,
}

impl Scale {
    /// A range from `min(0, lo)` to `hi` in round steps (1, 2, 2.5 or 5 × 10ⁿ).
    fn nice(lo: f64, hi: f64) -> Self {
        let lo = lo.min(0.0);
        let hi = if hi > lo { hi } else { lo + 1.0 };
        let raw = (hi - lo) / 5.0;
        let magnitude = 10f64.powf(raw.log10().floor());
        let step = [1.0, 2.0, 2.5, 5.0, 10.0]
            .iter()
            .map(|m| m * magnitude)
            .find(|s| *s >= raw)
            .unwrap_or(10.0 * magnitude);
        Scale {
            lo: (lo / step).floor() * step,
            hi: (hi / step).ceil() * step,
            step,
        }
    }

    fn ticks(&self) -> Vec<f64> {
        let n = ((self.hi - self.lo) / self.step).round() as usize;
        (0..=n).map(|i| self.lo + i as f64 * self.step).collect()
    }

    fn label(&self, v: f64) -> String {
        let decimals = if self.step >= 1.0 {
            0
        } else {
            (-self.step.log10()).ceil() as usize
        };
        format!("{v:.decimals$}")
    }
}

/// Where the plot sits on the page.
struct Frame {
    x0: f32,
    x1: f32,
    top: f32,
    bottom: f32,
    scale: Scale,
}

impl Frame {
    fn y(&self, v: f64) -> f32 {
        let t = ((v - self.scale.lo) / (self.scale.hi - self.scale.lo)).clamp(0.0, 1.0);
        self.bottom - t as f32 * (self.bottom - self.top)
    }
}

/// Draws `chart` at the cursor, or a sentence when it has no data.
pub(super) fn draw(flow: &mut Flow<'_>, chart: &Chart) {
    match chart {
        Chart::Lines {
            title,
            unit,
            series,
            target,
        } => {
            let xs = x_labels(series);
            if xs.is_empty() {
                return no_data(flow, title);
            }
            let values = series.iter().flat_map(|s| s.points.iter().map(|p| p.1));
            let values: Vec<f64> = values
                .chain(target.iter().map(|t| t.1))
                .filter(|v| v.is_finite())
                .collect();
            let (lo, hi) = min_max(&values);
            let mut entries: Vec<Entry> = series
                .iter()
                .enumerate()
                .map(|(i, s)| Entry {
                    name: s.name.clone(),
                    color: SERIES[i % SERIES.len()],
                    swatch: Swatch::Line,
                })
                .collect();
            if let Some((name, _)) = target {
                entries.push(Entry {
                    name: name.clone(),
                    color: ink::BAD,
                    swatch: Swatch::Dashed,
                });
            }
            let frame = begin(flow, title, unit, &entries, Scale::nice(lo, hi));
            let n = xs.len();
            let x_at = |i: usize| {
                if n == 1 {
                    (frame.x0 + frame.x1) / 2.0
                } else {
                    frame.x0 + 6.0 + i as f32 * (frame.x1 - frame.x0 - 12.0) / (n - 1) as f32
                }
            };
            x_axis(flow, &frame, &xs, &x_at);
            let page = flow.page();
            if let Some((name, value)) = target {
                let y = frame.y(*value);
                page.stroke(&[(frame.x0, y), (frame.x1, y)], 1.0, ink::BAD, &[3.0, 2.5]);
                let label = line(flow.faces, name, label_style());
                let x = frame.x1 - label.width - 2.0;
                flow.page().text(x, y - 2.5, &label.runs);
            }
            for (i, s) in series.iter().enumerate() {
                let color = SERIES[i % SERIES.len()];
                let points: Vec<(f32, f32)> = s
                    .points
                    .iter()
                    .filter(|p| p.1.is_finite())
                    .filter_map(|(x, v)| {
                        xs.iter()
                            .position(|l| l == x)
                            .map(|i| (x_at(i), frame.y(*v)))
                    })
                    .collect();
                let page = flow.page();
                page.stroke(&points, 1.4, color, &[]);
                for &(x, y) in &points {
                    page.fill_circle(x, y, 1.6, color);
                }
            }
            flow.y = frame.bottom + 14.0;
            legend(flow, &entries);
        }
        Chart::StackedBars {
            title,
            labels,
            parts,
        } => {
            if labels.is_empty() || parts.is_empty() {
                return no_data(flow, title);
            }
            let totals: Vec<f64> = (0..labels.len())
                .map(|i| {
                    parts
                        .iter()
                        .map(|p| {
                            p.2.get(i)
                                .copied()
                                .filter(|v| v.is_finite() && *v > 0.0)
                                .unwrap_or(0.0)
                        })
                        .sum()
                })
                .collect();
            let (_, hi) = min_max(&totals);
            let entries: Vec<Entry> = parts
                .iter()
                .map(|(name, mark, _)| Entry {
                    name: name.clone(),
                    color: mark_color(*mark),
                    swatch: Swatch::Block,
                })
                .collect();
            let frame = begin(flow, title, "", &entries, Scale::nice(0.0, hi));
            let slot = (frame.x1 - frame.x0) / labels.len() as f32;
            let x_at = |i: usize| frame.x0 + (i as f32 + 0.5) * slot;
            x_axis(flow, &frame, labels, &x_at);
            let bar = (slot * 0.6).min(28.0);
            let page = flow.page();
            for i in 0..labels.len() {
                let mut base = 0.0;
                for (_, mark, values) in parts {
                    let v = values
                        .get(i)
                        .copied()
                        .filter(|v| v.is_finite() && *v > 0.0)
                        .unwrap_or(0.0);
                    if v == 0.0 {
                        continue;
                    }
                    let (y_lo, y_hi) = (frame.y(base), frame.y(base + v));
                    page.fill_rect(
                        x_at(i) - bar / 2.0,
                        y_hi,
                        bar,
                        y_lo - y_hi,
                        mark_color(*mark),
                    );
                    base += v;
                }
            }
            flow.y = frame.bottom + 14.0;
            legend(flow, &entries);
        }
    }
    flow.gap(10.0);
}

fn no_data(flow: &mut Flow<'_>, title: &str) {
    let style = Style::new(9.0, ink::MUTED);
    flow.paragraph(&[Span::plain(format!("{title}: no data yet."))], style, 0.0);
    flow.gap(6.0);
}

fn min_max(values: &[f64]) -> (f64, f64) {
    let lo = values.iter().copied().fold(f64::INFINITY, f64::min);
    let hi = values.iter().copied().fold(f64::NEG_INFINITY, f64::max);
    if lo.is_finite() {
        (lo, hi)
    } else {
        (0.0, 1.0)
    }
}

/// The x labels of all series in order (a label new in a later series goes
/// after the label before it there).
fn x_labels(series: &[Series]) -> Vec<String> {
    let mut xs: Vec<String> = Vec::new();
    for s in series {
        let mut at = 0;
        for (x, _) in &s.points {
            match xs.iter().position(|l| l == x) {
                Some(i) => at = i + 1,
                None => {
                    xs.insert(at, x.clone());
                    at += 1;
                }
            }
        }
    }
    xs
}

/// The legend's rows: entries packed left to right.
fn legend_rows(flow: &Flow<'_>, entries: &[Entry]) -> Vec<Vec<(f32, usize)>> {
    let mut rows: Vec<Vec<(f32, usize)>> = vec![Vec::new()];
    let mut x = 0.0;
    for (i, e) in entries.iter().enumerate() {
        let w = 16.0 + line(flow.faces, &e.name, label_style()).width + 12.0;
        if x + w > flow.geo.content_width() && x > 0.0 {
            rows.push(Vec::new());
            x = 0.0;
        }
        rows.last_mut().expect("a row").push((x, i));
        x += w;
    }
    rows
}

/// Title, page room, frame, grid and y labels; returns the frame.
fn begin(flow: &mut Flow<'_>, title: &str, unit: &str, entries: &[Entry], scale: Scale) -> Frame {
    let title_style = Style::new(10.0, ink::TEXT).bold();
    let legend_h = legend_rows(flow, entries).len() as f32 * 12.0;
    let height = title_style.leading() + 10.0 + PLOT_H + 14.0 + legend_h;
    flow.ensure(height);
    let t = line(flow.faces, title, title_style);
    let (left, right) = (flow.geo.left, flow.geo.right);
    let baseline = flow.y + title_style.baseline();
    flow.page().text(left, baseline, &t.runs);
    flow.y += title_style.leading() + 10.0;
    let labels: Vec<String> = scale.ticks().iter().map(|v| scale.label(*v)).collect();
    let gutter = labels
        .iter()
        .map(|l| line(flow.faces, l, label_style()).width)
        .fold(0.0, f32::max)
        + 6.0;
    let frame = Frame {
        x0: left + gutter,
        x1: right,
        top: flow.y,
        bottom: flow.y + PLOT_H,
        scale,
    };
    if !unit.is_empty() {
        let u = line(flow.faces, unit, label_style());
        flow.page().text(left, frame.top - 4.0, &u.runs);
    }
    for (v, label) in frame.scale.ticks().iter().zip(&labels) {
        let y = frame.y(*v);
        let l = line(flow.faces, label, label_style());
        let page = flow.page();
        page.rule(frame.x0, frame.x1, y, 0.4, ink::RULE);
        page.text(frame.x0 - 4.0 - l.width, y + 2.5, &l.runs);
    }
    let page = flow.page();
    page.stroke(
        &[
            (frame.x0, frame.top),
            (frame.x0, frame.bottom),
            (frame.x1, frame.bottom),
        ],
        0.8,
        ink::MUTED,
        &[],
    );
    frame
}

/// X labels under the plot, thinned so none overlap, kept on the page.
fn x_axis(flow: &mut Flow<'_>, frame: &Frame, xs: &[String], x_at: &dyn Fn(usize) -> f32) {
    let lines: Vec<_> = xs
        .iter()
        .map(|x| line(flow.faces, x, label_style()))
        .collect();
    let widest = lines.iter().map(|l| l.width).fold(0.0, f32::max);
    let spacing = if xs.len() > 1 {
        (x_at(1) - x_at(0)).abs()
    } else {
        f32::MAX
    };
    let every = ((widest + 6.0) / spacing).ceil().max(1.0) as usize;
    let (left, right) = (flow.geo.left, flow.geo.right);
    let page = flow.page();
    for (i, l) in lines.iter().enumerate() {
        if i % every != 0 {
            continue;
        }
        let x = (x_at(i) - l.width / 2.0).clamp(left, (right - l.width).max(left));
        page.text(x, frame.bottom + 11.0, &l.runs);
    }
}

fn legend(flow: &mut Flow<'_>, entries: &[Entry]) {
    let rows = legend_rows(flow, entries);
    for row in rows {
        let y = flow.y;
        for (x, i) in row {
            let e = &entries[i];
            let x = flow.geo.left + x;
            let mid = y + 5.5;
            let l = line(flow.faces, &e.name, label_style());
            let page = flow.page();
            match e.swatch {
                Swatch::Line => page.stroke(&[(x, mid), (x + 12.0, mid)], 1.6, e.color, &[]),
                Swatch::Dashed => {
                    page.stroke(&[(x, mid), (x + 12.0, mid)], 1.0, e.color, &[3.0, 2.0])
                }
                Swatch::Block => page.fill_rect(x + 2.0, mid - 4.0, 8.0, 8.0, e.color),
            }
            page.text(x + 16.0, y + 8.0, &l.runs);
        }
        flow.y += 12.0;
    }
}
