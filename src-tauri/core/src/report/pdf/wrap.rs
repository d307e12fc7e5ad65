//! Breaking styled text into lines of a given width, measured with the
//! faces' own advances: greedy word wrapping; a word longer than the line
//! (a long URL, a record) breaks anywhere, preferably after `/`, `.`, `-`…

use super::font::{Faces, Weight};
use super::page::{ink, Rgb3, Run};
use crate::report::doc::Span;

/// How a piece of text is set.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(super) struct Style {
    /// The face.
    pub weight: Weight,
    /// Points.
    pub size: f32,
    /// Fill colour.
    pub color: Rgb3,
}

impl Style {
    /// Regular text of `size` in `color`.
    pub(super) fn new(size: f32, color: Rgb3) -> Self {
        Style {
            weight: Weight::Regular,
            size,
            color,
        }
    }

    /// The same, bold.
    pub(super) fn bold(self) -> Self {
        Style {
            weight: Weight::Bold,
            ..self
        }
    }

    /// The line height for this size.
    pub(super) fn leading(self) -> f32 {
        self.size * 1.4
    }

    /// From the top of a line box to its baseline: the glyphs' ascent
    /// plus half the extra leading (so ascenders and descenders stay inside
    /// the box).
    pub(super) fn baseline(self) -> f32 {
        self.size * (0.2 + 0.93)
    }
}

/// One laid-out line.
#[derive(Debug, Clone, Default, PartialEq)]
pub(super) struct Line {
    /// Its runs, left to right.
    pub runs: Vec<Run>,
    /// Its width in points.
    pub width: f32,
}

/// Styled text: the spans of a paragraph under a base style.
pub(super) fn styled(spans: &[Span], base: Style) -> Vec<(String, Style)> {
    spans
        .iter()
        .map(|s| {
            let mut style = base;
            if s.strong {
                style = style.bold();
            }
            if s.code {
                style.color = ink::CODE;
            }
            (s.text.clone(), style)
        })
        .collect()
}

/// A word: characters between spaces, possibly of several styles.
struct Word {
    chars: Vec<(char, Style, f32)>,
    width: f32,
    /// The space before it (its width), if any.
    space: Option<(Style, f32)>,
    /// Starts a new line (a `\n` in the text).
    hard_break: bool,
}

fn words(faces: &Faces, pieces: &[(String, Style)]) -> Vec<Word> {
    let mut out: Vec<Word> = Vec::new();
    let mut current: Option<Word> = None;
    let mut pending_space: Option<(Style, f32)> = None;
    let mut pending_break = false;
    for (text, style) in pieces {
        let face = faces.get(style.weight);
        for c in text.chars() {
            if c.is_whitespace() {
                if let Some(word) = current.take() {
                    out.push(word);
                }
                if c == '\n' {
                    pending_break = true;
                }
                pending_space.get_or_insert((*style, face.width(" ", style.size)));
                continue;
            }
            let c = face.drawable(c);
            let w = f32::from(face.advance(c)) * style.size / 1000.0;
            let word = current.get_or_insert_with(|| Word {
                chars: Vec::new(),
                width: 0.0,
                space: pending_space.take(),
                hard_break: std::mem::take(&mut pending_break),
            });
            word.chars.push((c, *style, w));
            word.width += w;
        }
    }
    out.extend(current);
    out
}

/// Builds lines run by run.
#[derive(Default)]
struct Lines {
    done: Vec<Line>,
    line: Line,
}

impl Lines {
    fn push(&mut self, c: char, style: Style, w: f32) {
        let line = &mut self.line;
        match line.runs.last_mut() {
            Some(run)
                if run.weight == style.weight
                    && run.size == style.size
                    && run.color == style.color =>
            {
                run.text.push(c);
                run.width += w;
            }
            _ => line.runs.push(Run {
                text: c.to_string(),
                weight: style.weight,
                size: style.size,
                color: style.color,
                width: w,
            }),
        }
        line.width += w;
    }

    fn end_line(&mut self) {
        self.done.push(std::mem::take(&mut self.line));
    }

    fn is_empty(&self) -> bool {
        self.line.runs.is_empty()
    }
}

/// `text` as one line in `style`, however wide (labels, numbers).
pub(super) fn line(faces: &Faces, text: &str, style: Style) -> Line {
    let face = faces.get(style.weight);
    let text: String = text.chars().map(|c| face.drawable(c)).collect();
    let width = face.width(&text, style.size);
    Line {
        runs: vec![Run {
            text,
            weight: style.weight,
            size: style.size,
            color: style.color,
            width,
        }],
        width,
    }
}

/// Characters after which a long word breaks best. Not `-`: a line
/// ending in a hyphen reads as hyphenation, and text extraction (pdftotext)
/// drops it when it joins the lines again.
fn break_after(c: char) -> bool {
    matches!(c, '/' | '.' | '?' | '&' | '=' | '_' | '#' | ',' | ':' | '@')
}

/// Breaks `pieces` into lines no wider than `width` points (every line has
/// at least one character, so even an absurdly narrow width terminates).
pub(super) fn wrap(faces: &Faces, pieces: &[(String, Style)], width: f32) -> Vec<Line> {
    const SLACK: f32 = 0.01;
    let mut lines = Lines::default();
    for word in words(faces, pieces) {
        if word.hard_break && !lines.is_empty() {
            lines.end_line();
        }
        let space = match (&word.space, lines.is_empty()) {
            (Some(s), false) => Some(*s),
            _ => None,
        };
        let space_w = space.map_or(0.0, |s| s.1);
        if lines.line.width + space_w + word.width <= width + SLACK {
            if let Some((style, w)) = space {
                lines.push(' ', style, w);
            }
        } else if word.width <= width + SLACK {
            lines.end_line();
        } else {
            // Longer than a line: start it here if a fair part of the line
            // is left, then break it wherever it has to.
            if !lines.is_empty() && width - lines.line.width - space_w < width * 0.3 {
                lines.end_line();
            } else if let Some((style, w)) = space {
                lines.push(' ', style, w);
            }
            break_long(&mut lines, &word, width + SLACK);
            continue;
        }
        for &(c, style, w) in &word.chars {
            lines.push(c, style, w);
        }
    }
    if !lines.is_empty() || lines.done.is_empty() {
        lines.end_line();
    }
    lines.done
}

fn break_long(lines: &mut Lines, word: &Word, width: f32) {
    let chars = &word.chars;
    let mut start = 0;
    while start < chars.len() {
        // The longest prefix of what is left that fits on the line.
        let room = width - lines.line.width;
        let mut end = start;
        let mut used = 0.0;
        while end < chars.len() && used + chars[end].2 <= room {
            used += chars[end].2;
            end += 1;
        }
        if end == chars.len() {
            for &(c, style, w) in &chars[start..] {
                lines.push(c, style, w);
            }
            return;
        }
        if end == start {
            if lines.is_empty() {
                end = start + 1; // one character wider than the line
            } else {
                lines.end_line();
                continue;
            }
        }
        // Prefer a break after a separator in the second half of the piece.
        let half = start + (end - start) / 2;
        if let Some(at) = (half.max(start + 1)..end)
            .rev()
            .find(|&i| break_after(chars[i - 1].0))
        {
            end = at;
        } else if chars[end - 1].0 == '-' && end - 1 > start {
            end -= 1; // the hyphen starts the next line instead
        }
        for &(c, style, w) in &chars[start..end] {
            lines.push(c, style, w);
        }
        lines.end_line();
        start = end;
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::report::pdf::font::faces;

    fn plain(text: &str) -> Vec<(String, Style)> {
        vec![(text.to_string(), Style::new(10.0, ink::TEXT))]
    }

    fn text_of(line: &Line) -> String {
        line.runs.iter().map(|r| r.text.as_str()).collect()
    }

    #[test]
    fn words_wrap_within_the_width_and_keep_their_order() {
        let faces = faces().unwrap();
        let text = "the quick brown fox jumps over the lazy dog ".repeat(20);
        let lines = wrap(faces, &plain(&text), 150.0);
        assert!(lines.len() > 5);
        for line in &lines {
            assert!(
                line.width <= 150.01,
                "{} is {} wide",
                text_of(line),
                line.width
            );
            assert!(!text_of(line).starts_with(' ') && !text_of(line).ends_with(' '));
        }
        let joined: Vec<String> = lines.iter().map(text_of).collect();
        assert_eq!(joined.join(" "), text.trim_end());
    }

    #[test]
    fn a_long_url_breaks_after_separators_and_fits() {
        let faces = faces().unwrap();
        let url = "https://bücher.example/a/very/long/path/that/goes/on/and/on/forever?with=query&and=more";
        let lines = wrap(faces, &plain(url), 120.0);
        assert!(lines.len() > 2);
        assert!(lines.iter().all(|l| l.width <= 120.01));
        let joined: String = lines.iter().map(text_of).collect();
        assert_eq!(joined, url);
        let first = text_of(&lines[0]);
        assert!(
            first.ends_with(break_after),
            "{first} breaks after a separator"
        );
    }

    #[test]
    fn missing_glyphs_are_replaced_and_newlines_break() {
        let faces = faces().unwrap();
        let lines = wrap(faces, &plain("例え ✓ → é\nnext"), 500.0);
        assert_eq!(lines.len(), 2);
        assert_eq!(text_of(&lines[0]), "\u{FFFD}\u{FFFD} ✓ → é");
        assert_eq!(text_of(&lines[1]), "next");
        assert_eq!(wrap(faces, &[], 100.0).len(), 1);
    }
}
