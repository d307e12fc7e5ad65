//! One page being drawn: printpdf operations in coordinates measured from
//! the page's top left corner, in points (PDF's own origin is bottom left).

use printpdf::{
    Color, FontId, Line, LineCapStyle, LineDashPattern, LinePoint, Op, PaintMode, PdfFontHandle,
    Point, Polygon, PolygonRing, Pt, Rgb, TextItem, WindingOrder,
};

use super::font::Weight;

/// A colour, 0.0–1.0 per channel.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(super) struct Rgb3(pub f32, pub f32, pub f32);

impl Rgb3 {
    fn color(self) -> Color {
        Color::Rgb(Rgb {
            r: self.0,
            g: self.1,
            b: self.2,
            icc_profile: None,
        })
    }
}

/// The report's palette.
pub(super) mod ink {
    use super::Rgb3;
    /// Body text.
    pub const TEXT: Rgb3 = Rgb3(0.11, 0.12, 0.14);
    /// Notes, header, footer, axis labels.
    pub const MUTED: Rgb3 = Rgb3(0.42, 0.44, 0.48);
    /// Code-like spans (URLs, records).
    pub const CODE: Rgb3 = Rgb3(0.05, 0.30, 0.45);
    /// Headings and rules.
    pub const ACCENT: Rgb3 = Rgb3(0.13, 0.27, 0.53);
    /// Thin rules and grid lines.
    pub const RULE: Rgb3 = Rgb3(0.82, 0.84, 0.87);
    /// Table header and zebra backgrounds.
    pub const SHADE: Rgb3 = Rgb3(0.93, 0.94, 0.96);
    /// Alternate table rows.
    pub const ZEBRA: Rgb3 = Rgb3(0.975, 0.978, 0.985);
    /// Go, passed.
    pub const GOOD: Rgb3 = Rgb3(0.12, 0.55, 0.29);
    /// No-go, blocker, failure.
    pub const BAD: Rgb3 = Rgb3(0.78, 0.16, 0.16);
    /// Warnings.
    pub const WARN: Rgb3 = Rgb3(0.90, 0.58, 0.07);
    /// Could not be checked.
    pub const UNKNOWN: Rgb3 = Rgb3(0.48, 0.46, 0.70);
    /// Nothing to say.
    pub const NEUTRAL: Rgb3 = Rgb3(0.72, 0.74, 0.77);
    /// Text on a coloured badge.
    pub const WHITE: Rgb3 = Rgb3(1.0, 1.0, 1.0);
}

/// A run of text in one face, size and colour.
#[derive(Debug, Clone, PartialEq)]
pub(super) struct Run {
    /// The text, every character drawable by its face.
    pub text: String,
    /// The face.
    pub weight: Weight,
    /// Points.
    pub size: f32,
    /// Fill colour.
    pub color: Rgb3,
    /// Its measured width in points.
    pub width: f32,
}

/// A page's size and drawing operations.
pub(super) struct Page {
    height: f32,
    /// The operations, in drawing order.
    pub ops: Vec<Op>,
}

fn point(x: f32, y: f32) -> LinePoint {
    LinePoint {
        p: Point { x: Pt(x), y: Pt(y) },
        bezier: false,
    }
}

impl Page {
    /// An empty page `height` points tall.
    pub(super) fn new(height: f32) -> Self {
        Page {
            height,
            ops: Vec::new(),
        }
    }

    /// Draws `runs` one after another from `x` on the baseline `baseline`.
    pub(super) fn text(&mut self, x: f32, baseline: f32, runs: &[Run]) {
        if runs.iter().all(|r| r.text.is_empty()) {
            return;
        }
        self.ops.push(Op::StartTextSection);
        self.ops.push(Op::SetTextCursor {
            pos: Point {
                x: Pt(x),
                y: Pt(self.height - baseline),
            },
        });
        let mut state: Option<(Weight, f32, Rgb3)> = None;
        for run in runs.iter().filter(|r| !r.text.is_empty()) {
            let (weight, size, color) = (run.weight, run.size, run.color);
            if state.is_none_or(|(_, _, c)| c != color) {
                self.ops.push(Op::SetFillColor { col: color.color() });
            }
            if state.is_none_or(|(w, s, _)| w != weight || s != size) {
                self.ops.push(Op::SetFont {
                    font: PdfFontHandle::External(FontId(weight.resource().to_string())),
                    size: Pt(size),
                });
            }
            state = Some((weight, size, color));
            self.ops.push(Op::ShowText {
                items: vec![TextItem::Text(run.text.clone())],
            });
        }
        self.ops.push(Op::EndTextSection);
    }

    /// Fills the rectangle with top left `(x, y)`.
    pub(super) fn fill_rect(&mut self, x: f32, y: f32, w: f32, h: f32, color: Rgb3) {
        self.fill_path(&[(x, y), (x + w, y), (x + w, y + h), (x, y + h)], color);
    }

    /// Fills the closed polygon through `points`.
    pub(super) fn fill_path(&mut self, points: &[(f32, f32)], color: Rgb3) {
        let ring = points
            .iter()
            .map(|&(x, y)| point(x, self.height - y))
            .collect();
        self.ops.push(Op::SetFillColor { col: color.color() });
        self.ops.push(Op::DrawPolygon {
            polygon: Polygon {
                rings: vec![PolygonRing { points: ring }],
                mode: PaintMode::Fill,
                winding_order: WindingOrder::NonZero,
            },
        });
    }

    /// Fills a circle (four Bézier arcs) centred on `(cx, cy)`.
    pub(super) fn fill_circle(&mut self, cx: f32, cy: f32, r: f32, color: Rgb3) {
        let k = 0.552_284_8 * r;
        let y = |v: f32| self.height - v;
        let bez = |x: f32, yy: f32, bezier: bool| LinePoint {
            p: Point {
                x: Pt(x),
                y: Pt(y(yy)),
            },
            bezier,
        };
        let ring = vec![
            bez(cx + r, cy, false),
            bez(cx + r, cy - k, true),
            bez(cx + k, cy - r, true),
            bez(cx, cy - r, false),
            bez(cx - k, cy - r, true),
            bez(cx - r, cy - k, true),
            bez(cx - r, cy, false),
            bez(cx - r, cy + k, true),
            bez(cx - k, cy + r, true),
            bez(cx, cy + r, false),
            bez(cx + k, cy + r, true),
            bez(cx + r, cy + k, true),
            bez(cx + r, cy, false),
        ];
        self.ops.push(Op::SetFillColor { col: color.color() });
        self.ops.push(Op::DrawPolygon {
            polygon: Polygon {
                rings: vec![PolygonRing { points: ring }],
                mode: PaintMode::Fill,
                winding_order: WindingOrder::NonZero,
            },
        });
    }

    /// Strokes the open polyline through `points`; `dash` as
    /// `[on, off]` lengths, empty for solid.
    pub(super) fn stroke(&mut self, points: &[(f32, f32)], width: f32, color: Rgb3, dash: &[f32]) {
        if points.len() < 2 {
            return;
        }
        self.ops.push(Op::SetOutlineColor { col: color.color() });
        self.ops.push(Op::SetOutlineThickness { pt: Pt(width) });
        self.ops.push(Op::SetLineCapStyle {
            cap: if dash.is_empty() {
                LineCapStyle::Butt
            } else {
                LineCapStyle::Round
            },
        });
        self.ops.push(Op::SetLineDashPattern {
            dash: LineDashPattern::new(0.0, dash),
        });
        self.ops.push(Op::DrawLine {
            line: Line {
                points: points
                    .iter()
                    .map(|&(x, y)| point(x, self.height - y))
                    .collect(),
                is_closed: false,
            },
        });
        if !dash.is_empty() {
            self.ops.push(Op::SetLineDashPattern {
                dash: LineDashPattern::solid(),
            });
        }
    }

    /// A horizontal rule from `x0` to `x1` at `y`.
    pub(super) fn rule(&mut self, x0: f32, x1: f32, y: f32, width: f32, color: Rgb3) {
        self.stroke(&[(x0, y), (x1, y)], width, color, &[]);
    }
}
