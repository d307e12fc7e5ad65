//! The flow: pages of a fixed size filled top to bottom, a new page
//! whenever the next line, row or chart would cross the bottom margin.

use handover_model::Paper;

use super::font::Faces;
use super::page::{ink, Page};
use super::wrap::{styled, wrap, Line, Style};
use crate::report::doc::Span;

/// 1 mm in points.
pub(super) const MM: f32 = 72.0 / 25.4;

/// A page's size and its content box, in points from the top left.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(super) struct Geometry {
    /// Page width.
    pub width: f32,
    /// Page height.
    pub height: f32,
    /// Content box: left edge.
    pub left: f32,
    /// Content box: right edge.
    pub right: f32,
    /// Content box: top edge.
    pub top: f32,
    /// Content box: bottom edge.
    pub bottom: f32,
}

impl Geometry {
    /// A4 (210 × 297 mm) or US Letter (8.5 × 11 in) with the report's margins.
    pub(super) fn of(paper: Paper) -> Self {
        let (width, height) = match paper {
            Paper::A4 => (210.0 * MM, 297.0 * MM),
            Paper::Letter => (612.0, 792.0),
        };
        Geometry {
            width,
            height,
            left: 20.0 * MM,
            right: width - 20.0 * MM,
            top: 24.0 * MM,
            bottom: height - 22.0 * MM,
        }
    }

    /// The content box's width.
    pub(super) fn content_width(&self) -> f32 {
        self.right - self.left
    }
}

/// The body text style.
pub(super) fn body() -> Style {
    Style::new(10.0, ink::TEXT)
}

/// Pages being filled.
pub(super) struct Flow<'a> {
    /// The faces text is measured and set in.
    pub faces: &'a Faces,
    /// The page geometry.
    pub geo: Geometry,
    /// The pages so far (never empty).
    pub pages: Vec<Page>,
    /// The cursor: where the next thing goes, from the page's top.
    pub y: f32,
}

impl<'a> Flow<'a> {
    /// A flow with one empty page.
    pub(super) fn new(faces: &'a Faces, geo: Geometry) -> Self {
        Flow {
            faces,
            geo,
            pages: vec![Page::new(geo.height)],
            y: geo.top,
        }
    }

    /// The page being filled.
    pub(super) fn page(&mut self) -> &mut Page {
        self.pages.last_mut().expect("a flow always has a page")
    }

    /// The index of the page being filled.
    pub(super) fn page_index(&self) -> usize {
        self.pages.len() - 1
    }

    /// Whether nothing has been placed on this page yet.
    pub(super) fn at_top(&self) -> bool {
        self.y <= self.geo.top
    }

    /// Room left on this page.
    pub(super) fn room(&self) -> f32 {
        self.geo.bottom - self.y
    }

    /// Starts a new page.
    pub(super) fn new_page(&mut self) {
        self.pages.push(Page::new(self.geo.height));
        self.y = self.geo.top;
    }

    /// Makes sure `height` fits below the cursor, starting a new page if it
    /// does not (and this page is not empty already).
    pub(super) fn ensure(&mut self, height: f32) {
        if height > self.room() + 0.01 && !self.at_top() {
            self.new_page();
        }
    }

    /// Vertical space, dropped at the top of a page and never beyond the
    /// bottom margin.
    pub(super) fn gap(&mut self, height: f32) {
        if !self.at_top() {
            self.y = (self.y + height).min(self.geo.bottom);
        }
    }

    /// Lines of text set from `x`, one line box of `style`'s leading each,
    /// breaking pages between lines.
    pub(super) fn lines(&mut self, lines: &[Line], x: f32, style: Style) {
        for line in lines {
            self.ensure(style.leading());
            let baseline = self.y + style.baseline();
            self.page().text(x, baseline, &line.runs);
            self.y += style.leading();
        }
    }

    /// A paragraph of `spans` in `style`, indented by `indent`.
    pub(super) fn paragraph(&mut self, spans: &[Span], style: Style, indent: f32) {
        let width = self.geo.content_width() - indent;
        let lines = wrap(self.faces, &styled(spans, style), width);
        let x = self.geo.left + indent;
        self.lines(&lines, x, style);
    }

    /// A heading: kept with at least `keep` points of what follows, with an
    /// accent rule under it when `rule`.
    pub(super) fn heading(&mut self, text: &str, style: Style, keep: f32, rule: bool) {
        let lines = wrap(
            self.faces,
            &[(text.to_string(), style)],
            self.geo.content_width(),
        );
        let height = lines.len() as f32 * style.leading() + keep;
        self.ensure(height.min(self.geo.bottom - self.geo.top));
        let left = self.geo.left;
        self.lines(&lines, left, style);
        if rule {
            let (x0, x1, y) = (self.geo.left, self.geo.right, self.y + 1.0);
            self.page().rule(x0, x1, y, 0.8, ink::ACCENT);
            self.y += 4.0;
        }
    }

    /// A bulleted list.
    pub(super) fn bullets(&mut self, items: &[Vec<Span>], style: Style) {
        let indent = 14.0;
        for item in items {
            let width = self.geo.content_width() - indent;
            let lines = wrap(self.faces, &styled(item, style), width);
            self.ensure(style.leading());
            let (cx, cy) = (
                self.geo.left + 5.0,
                self.y + style.baseline() - style.size * 0.32,
            );
            self.page()
                .fill_circle(cx, cy, style.size * 0.17, ink::ACCENT);
            let x = self.geo.left + indent;
            self.lines(&lines, x, style);
            self.y = (self.y + 2.0).min(self.geo.bottom);
        }
    }
}
