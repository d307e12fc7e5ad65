//! Log exports: tokens, credentials, personal data and full prompt payloads,
//! counted per kind with a few redacted samples.
//!
//! The file is streamed line by line (gzip is detected by its magic bytes
//! and decoded as a stream; decoded bytes are capped, and the scan says
//! where it stopped). Invalid UTF-8 is decoded lossily; a line longer than
//! 1 MiB is read in pieces (a secret across a piece boundary can be missed).
//! A line that parses as a JSON object is walked field by field (each string
//! is scanned as `field: value`); one that starts with `{` but does not parse
//! is counted as malformed and scanned as text.
//!
//! What counts (conservative, so a count means something):
//! - token: a scanner rule's hit, unless it lies inside a bearer or basic
//!   credential (counted there instead);
//! - bearer: `Bearer <8+ token characters>` (placeholders such as
//!   `undefined`, `null`, `redacted` aside);
//! - basic auth: `Authorization: Basic <base64>` that decodes to `user:password`;
//! - email: an address whose domain is not reserved for examples
//!   (`example.com/.org/.net`, `*.example`, `*.test`, `*.invalid`,
//!   `*.localhost`), not a file name (`logo@2x.png`), not the user part of a
//!   URL (`scheme://user:pass@host`); shown as `j…@….com` — a custom domain
//!   can name the person, so only the top-level domain is kept;
//! - phone: `+` and 8–15 digits (compact or with spaces, dots, dashes), or
//!   a US-style `(415) 555-0100` / `415-555-0100`; not when glued to letters,
//!   digits, `-`, `_`, `.`, `/`, `#` or `:` (order ids, UUIDs, versions,
//!   timestamps, paths), nor `+1500ms`; shown as `+41…`;
//! - prompt: at most one per line — a JSON field `prompt`, `messages`,
//!   `content`, `input`, `user_message` or `query` holding a string of more
//!   than 200 characters, an OpenAI-style `messages` array with a `user`
//!   role, or in text `prompt="…"` / `prompt: "…"` with more than 200
//!   characters between the quotes; shown as `prompt (812 chars)`.

use std::fs::File;
use std::io::{BufRead, BufReader, Read};
use std::path::Path;

use base64::Engine as _;
use handover_model::{LogCount, LogKind, LogSample, LogScan};
use serde_json::Value;

use super::log_patterns::{
    file_extension, is_placeholder_token, json_prompt, phone_bounded, reserved_domain, text_prompt,
    BASIC, BEARER, EMAIL, PHONE,
};
use super::{redact, FingerprintKey, Scanner};

/// A line is read in pieces of at most this many bytes.
const MAX_PIECE: u64 = 1024 * 1024;

/// How much a log scan reads and keeps.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct LogLimits {
    /// Decoded bytes read at most (after gzip decompression).
    pub max_bytes: u64,
    /// Samples kept per kind.
    pub samples: usize,
}

impl Default for LogLimits {
    /// 2 GiB, 3 samples per kind.
    fn default() -> Self {
        Self {
            max_bytes: 2 * 1024 * 1024 * 1024,
            samples: 3,
        }
    }
}

/// A log export that could not be scanned.
#[derive(Debug, thiserror::Error)]
pub enum LogError {
    /// The file could not be opened.
    #[error("{file}: cannot be opened: {source}")]
    Open {
        /// The file.
        file: String,
        /// Why.
        source: std::io::Error,
    },
    /// Reading (or decompressing) failed part-way.
    #[error("{file}: reading failed after line {line}: {source}")]
    Read {
        /// The file.
        file: String,
        /// Lines read before the failure.
        line: u64,
        /// Why.
        source: std::io::Error,
    },
}

/// Scans the log export at `path`; see the module documentation.
pub fn scan_log(
    path: &Path,
    scanner: &Scanner,
    key: &FingerprintKey,
    limits: LogLimits,
) -> Result<LogScan, LogError> {
    let file = path.display().to_string();
    let open = |source| LogError::Open {
        file: file.clone(),
        source,
    };
    let mut raw = BufReader::with_capacity(64 * 1024, File::open(path).map_err(open)?);
    let gzip = raw.fill_buf().map_err(open)?.starts_with(&[0x1f, 0x8b]);
    let input: Box<dyn BufRead> = if gzip {
        Box::new(BufReader::with_capacity(
            64 * 1024,
            flate2::bufread::MultiGzDecoder::new(raw),
        ))
    } else {
        Box::new(raw)
    };
    let mut tally = Tally::new(scanner, key, limits.samples);
    let mut capped = input.take(limits.max_bytes);
    let read_error = |tally: &Tally, source| LogError::Read {
        file: file.clone(),
        line: tally.scan.lines,
        source,
    };
    if let Err(source) = tally.read(&mut capped) {
        return Err(read_error(&tally, source));
    }
    if capped.limit() == 0 {
        let mut rest = capped.into_inner();
        let more = !rest
            .fill_buf()
            .map_err(|e| read_error(&tally, e))?
            .is_empty();
        if more {
            tally.scan.truncated_at = Some(limits.max_bytes);
        }
    }
    let mut scan = tally.scan;
    scan.file = file;
    scan.gzip = gzip;
    Ok(scan)
}

/// Scans one text held in memory (a chatbot's answer, say) as a log
/// export of its lines; `samples` redacted samples are kept per kind.
pub fn scan_text(text: &str, scanner: &Scanner, key: &FingerprintKey, samples: usize) -> LogScan {
    let mut tally = Tally::new(scanner, key, samples);
    let mut reader = text.as_bytes();
    // Reading from memory cannot fail.
    let _ = tally.read(&mut reader);
    tally.scan
}

/// Counts as they accumulate.
struct Tally<'a> {
    scanner: &'a Scanner,
    key: &'a FingerprintKey,
    samples: usize,
    scan: LogScan,
}

impl<'a> Tally<'a> {
    fn new(scanner: &'a Scanner, key: &'a FingerprintKey, samples: usize) -> Self {
        let counts = LogKind::ALL
            .iter()
            .map(|&kind| LogCount {
                kind,
                count: 0,
                samples: Vec::new(),
            })
            .collect();
        Self {
            scanner,
            key,
            samples,
            scan: LogScan {
                counts,
                ..LogScan::default()
            },
        }
    }

    fn add(&mut self, kind: LogKind, line: u64, preview: impl FnOnce() -> String) {
        let index = LogKind::ALL.iter().position(|k| *k == kind).unwrap_or(0);
        let count = &mut self.scan.counts[index];
        count.count += 1;
        if count.samples.len() < self.samples {
            count.samples.push(LogSample {
                line,
                preview: preview(),
            });
        }
    }

    /// Reads every line of `reader`.
    fn read(&mut self, reader: &mut impl BufRead) -> std::io::Result<()> {
        let mut piece = Vec::new();
        let mut continued = false;
        loop {
            piece.clear();
            let n = reader
                .by_ref()
                .take(MAX_PIECE)
                .read_until(b'\n', &mut piece)?;
            if n == 0 {
                return Ok(());
            }
            self.scan.bytes += n as u64;
            if !continued {
                self.scan.lines += 1;
            }
            continued = !piece.ends_with(b"\n");
            let text = String::from_utf8_lossy(&piece);
            self.line(text.trim_end_matches(['\n', '\r']), self.scan.lines);
        }
    }

    fn line(&mut self, text: &str, line: u64) {
        let trimmed = text.trim();
        if trimmed.starts_with('{') {
            match serde_json::from_str::<Value>(trimmed) {
                Ok(value @ Value::Object(_)) => {
                    self.scan.json_lines += 1;
                    self.walk(&value, None, line);
                    if let Some(preview) = json_prompt(&value, None) {
                        self.add(LogKind::Prompt, line, || preview);
                    }
                    return;
                }
                Ok(_) => {}
                Err(_) => self.scan.malformed_json += 1,
            }
        }
        self.text(text, line);
        if let Some(preview) = text_prompt(text) {
            self.add(LogKind::Prompt, line, || preview);
        }
    }

    fn walk(&mut self, value: &Value, field: Option<&str>, line: u64) {
        match value {
            Value::String(s) => match field {
                Some(field) => self.text(&format!("{field}: {s}"), line),
                None => self.text(s, line),
            },
            Value::Array(items) => items.iter().for_each(|v| self.walk(v, field, line)),
            Value::Object(map) => map.iter().for_each(|(k, v)| self.walk(v, Some(k), line)),
            _ => {}
        }
    }

    /// Tokens, credentials, emails and phones in one piece of text.
    fn text(&mut self, text: &str, line: u64) {
        let mut spans: Vec<(usize, usize)> = Vec::new();
        for caps in BEARER.captures_iter(text) {
            let (whole, token) = (
                caps.get(0).expect("match"),
                caps.get(1).expect("group").as_str(),
            );
            if is_placeholder_token(token) {
                continue;
            }
            spans.push((whole.start(), whole.end()));
            self.add(LogKind::Bearer, line, || {
                format!("Bearer {}", redact(token))
            });
        }
        for caps in BASIC.captures_iter(text) {
            let (whole, encoded) = (
                caps.get(0).expect("match"),
                caps.get(1).expect("group").as_str(),
            );
            let decoded = base64::engine::general_purpose::STANDARD
                .decode(encoded)
                .unwrap_or_default();
            if decoded.contains(&b':') {
                spans.push((whole.start(), whole.end()));
                self.add(LogKind::BasicAuth, line, || "Basic …".to_owned());
            }
        }
        let inside =
            |spans: &[(usize, usize)], at: usize| spans.iter().any(|(s, e)| (*s..*e).contains(&at));
        for hit in self.scanner.scan(text, self.key) {
            if inside(&spans, hit.offset) {
                continue;
            }
            spans.push((hit.offset, hit.offset + 1));
            self.add(LogKind::Token, line, || {
                format!("{}: {}", hit.rule, hit.preview)
            });
        }
        for caps in EMAIL.captures_iter(text) {
            let whole = caps.get(0).expect("match");
            let before = text[..whole.start()].chars().next_back();
            let domain = caps[1].to_ascii_lowercase();
            let tld = caps[2].to_ascii_lowercase();
            if matches!(before, Some(':' | '/')) || reserved_domain(&domain) || file_extension(&tld)
            {
                continue;
            }
            let first: String = whole.as_str().chars().take(1).collect();
            self.add(LogKind::Email, line, || format!("{first}…@….{tld}"));
        }
        for m in PHONE.find_iter(text) {
            if inside(&spans, m.start()) || !phone_bounded(text, m.start(), m.end()) {
                continue;
            }
            let digits = m.as_str().chars().filter(char::is_ascii_digit).count();
            if !(8..=15).contains(&digits) {
                continue;
            }
            let preview = match m.as_str().strip_prefix('+') {
                Some(rest) => format!("+{}…", rest.chars().take(2).collect::<String>()),
                None => "…".to_owned(),
            };
            self.add(LogKind::Phone, line, || preview);
        }
    }
}

#[cfg(test)]
#[path = "logs_tests.rs"]
mod tests;
