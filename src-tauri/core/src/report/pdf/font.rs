//! The report's two faces (DejaVu Sans and its bold): glyph advances for our
//! own measuring, and subsets of exactly the glyphs a report uses for
//! embedding.
//!
//! printpdf embeds a face whole unless its azul layout stack is compiled
//! in, so the subset is made here with allsorts (which printpdf already
//! builds) and printpdf embeds the small subset as if it were the font.

use std::collections::BTreeSet;
use std::sync::OnceLock;

use allsorts::binary::read::ReadScope;
use allsorts::font_data::FontData;
use allsorts::subset::{subset, CmapTarget, SubsetProfile};
use printpdf::ParsedFont;

use crate::report::ReportError;

const REGULAR_TTF: &[u8] = include_bytes!("../../../../../assets/fonts/DejaVuSans.ttf");
const BOLD_TTF: &[u8] = include_bytes!("../../../../../assets/fonts/DejaVuSans-Bold.ttf");

/// Drawn for a character neither face has (e.g. CJK in a domain name).
const REPLACEMENT: char = '\u{FFFD}';

/// Which face a run of text is set in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub(super) enum Weight {
    /// DejaVu Sans.
    Regular,
    /// DejaVu Sans Bold.
    Bold,
}

impl Weight {
    /// Both weights, in resource order.
    pub(super) const ALL: [Weight; 2] = [Weight::Regular, Weight::Bold];

    /// The face's resource name in the PDF (also its `/BaseFont`, with the
    /// six-letter tag that marks a subset).
    pub(super) fn resource(self) -> &'static str {
        match self {
            Weight::Regular => "HNDVRA+DejaVuSans",
            Weight::Bold => "HNDVRB+DejaVuSans-Bold",
        }
    }
}

/// One parsed face: its character map and advances.
pub(super) struct Face {
    bytes: &'static [u8],
    parsed: ParsedFont,
    /// Advances of ASCII in 1/1000 em (0: no glyph), the common case.
    ascii: [u16; 128],
}

impl Face {
    fn load(bytes: &'static [u8], name: &str) -> Result<Self, String> {
        let parsed = ParsedFont::from_bytes(bytes, 0, &mut Vec::new())
            .ok_or_else(|| format!("{name} could not be parsed"))?;
        if parsed.units_per_em == 0 {
            return Err(format!("{name} has no units per em"));
        }
        let mut face = Face {
            bytes,
            parsed,
            ascii: [0; 128],
        };
        for c in 0u8..128 {
            face.ascii[usize::from(c)] = face.lookup(char::from(c)).unwrap_or(0);
        }
        Ok(face)
    }

    /// The advance of `c` in 1/1000 em, rounded the way printpdf writes the
    /// `/W` widths (so what we measure is what a viewer draws).
    fn lookup(&self, c: char) -> Option<u16> {
        let gid = self.parsed.lookup_glyph_index(u32::from(c))?;
        if gid == 0 {
            return None;
        }
        let units = self.parsed.get_glyph_width(gid)?;
        Some((f32::from(units) * 1000.0 / f32::from(self.parsed.units_per_em)) as u16)
    }

    fn covers(&self, c: char) -> bool {
        self.parsed
            .lookup_glyph_index(u32::from(c))
            .is_some_and(|gid| gid != 0)
    }

    /// `c` as drawn: whitespace becomes a space, a character without a
    /// glyph the replacement character.
    pub(super) fn drawable(&self, c: char) -> char {
        if c.is_whitespace() {
            ' '
        } else if c.is_control() || !self.covers(c) {
            REPLACEMENT
        } else {
            c
        }
    }

    /// The advance of `c` (already [`Face::drawable`]) in 1/1000 em.
    pub(super) fn advance(&self, c: char) -> u16 {
        match self.ascii.get(c as usize) {
            Some(&a) => a,
            None => self.lookup(c).unwrap_or(0),
        }
    }

    /// The width of `text` at `size` points.
    pub(super) fn width(&self, text: &str, size: f32) -> f32 {
        let units: u32 = text.chars().map(|c| u32::from(self.advance(c))).sum();
        units as f32 * size / 1000.0
    }

    /// A face holding only the glyphs of `chars` (and `.notdef`), with a
    /// Unicode cmap for them, ready for printpdf to embed.
    pub(super) fn subset(&self, chars: &BTreeSet<char>) -> Result<ParsedFont, ReportError> {
        let glyphs: BTreeSet<u16> = chars
            .iter()
            .filter_map(|&c| self.parsed.lookup_glyph_index(u32::from(c)))
            .filter(|&gid| gid != 0)
            .collect();
        // allsorts wants .notdef first and no duplicates.
        let ids: Vec<u16> = std::iter::once(0).chain(glyphs).collect();
        let font = ReadScope::new(self.bytes)
            .read::<FontData<'_>>()
            .map_err(|e| ReportError::Font(e.to_string()))?;
        let provider = font
            .table_provider(0)
            .map_err(|e| ReportError::Font(e.to_string()))?;
        let bytes = subset(&provider, &ids, &SubsetProfile::Pdf, CmapTarget::Unicode)
            .map_err(|e| ReportError::Font(format!("subsetting failed: {e}")))?;
        ParsedFont::from_bytes(&bytes, 0, &mut Vec::new())
            .ok_or_else(|| ReportError::Font("the subset face could not be parsed".into()))
    }
}

/// Both faces.
pub(super) struct Faces {
    regular: Face,
    bold: Face,
}

impl Faces {
    /// The face of `weight`.
    pub(super) fn get(&self, weight: Weight) -> &Face {
        match weight {
            Weight::Regular => &self.regular,
            Weight::Bold => &self.bold,
        }
    }
}

/// The faces, parsed once per process.
pub(super) fn faces() -> Result<&'static Faces, ReportError> {
    static FACES: OnceLock<Result<Faces, String>> = OnceLock::new();
    FACES
        .get_or_init(|| {
            Ok(Faces {
                regular: Face::load(REGULAR_TTF, "DejaVuSans.ttf")?,
                bold: Face::load(BOLD_TTF, "DejaVuSans-Bold.ttf")?,
            })
        })
        .as_ref()
        .map_err(|e| ReportError::Font(e.clone()))
}
