//! Env files read with `dotenvy`, each entry with its line.
//!
//! dotenvy's iterator reports no line numbers, so it is fed one physical
//! line per read and the lines it consumed are counted: an entry starts at
//! the first line after the previous entry that is neither blank nor a
//! comment. A line that does not parse is reported by file and line — never
//! its text, which may hold a secret — and parsing goes on after it.

use std::cell::Cell;
use std::collections::BTreeMap;
use std::io::Read;
use std::path::Path;
use std::rc::Rc;

use handover_model::{EnvFileError, EnvLocation};

use super::env::EnvSource;

/// Env files larger than this are not read.
const MAX_ENV_FILE: u64 = 1024 * 1024;

/// A key's definition in one file.
pub(crate) struct Entry {
    pub(crate) value: String,
    pub(crate) line: u32,
}

/// One env file, parsed.
pub(crate) struct Parsed<'a> {
    pub(crate) source: &'a EnvSource,
    pub(crate) file: String,
    pub(crate) entries: BTreeMap<String, Entry>,
    pub(crate) errors: Vec<EnvFileError>,
}

impl Parsed<'_> {
    pub(crate) fn at(&self, key: &str) -> Option<EnvLocation> {
        self.entries.get(key).map(|e| EnvLocation {
            file: self.file.clone(),
            line: e.line,
        })
    }
}

/// Hands dotenvy one physical line per read, counting them, so each entry's
/// line is known without parsing the file twice.
struct LineReader<'a> {
    bytes: &'a [u8],
    lines: Rc<Cell<u32>>,
}

impl Read for LineReader<'_> {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        let end = self
            .bytes
            .iter()
            .position(|b| *b == b'\n')
            .map_or(self.bytes.len(), |i| i + 1);
        let n = end.min(buf.len());
        buf[..n].copy_from_slice(&self.bytes[..n]);
        self.bytes = &self.bytes[n..];
        if n > 0 && (buf[n - 1] == b'\n' || self.bytes.is_empty()) {
            self.lines.set(self.lines.get() + 1);
        }
        Ok(n)
    }
}

/// The first line after `after` that is neither blank nor a comment: where
/// the entry (or the error) dotenvy read next starts.
fn start_line(lines: &[&str], after: u32) -> u32 {
    let first = after as usize;
    lines
        .iter()
        .skip(first)
        .position(|l| !l.trim().is_empty() && !l.trim_start().starts_with('#'))
        .map_or(after + 1, |i| after + 1 + i as u32)
}

pub(crate) fn parse(source: &EnvSource) -> Parsed<'_> {
    let file = source.path.to_string_lossy().into_owned();
    let mut parsed = Parsed {
        source,
        file,
        entries: BTreeMap::new(),
        errors: Vec::new(),
    };
    let text = match &source.text {
        Some(text) => text.clone(),
        None => match read_env_file(&source.path) {
            Ok(text) => text,
            Err(message) => {
                parsed.errors.push(EnvFileError { line: 0, message });
                return parsed;
            }
        },
    };
    let text = text.strip_prefix('\u{feff}').unwrap_or(&text);
    let lines: Vec<&str> = text.split('\n').collect();
    let counted = Rc::new(Cell::new(0u32));
    let mut entries = dotenvy::from_read_iter(LineReader {
        bytes: text.as_bytes(),
        lines: counted.clone(),
    });
    loop {
        let before = counted.get();
        match entries.next() {
            None => break,
            Some(Ok((key, value))) => {
                let line = start_line(&lines, before);
                parsed.entries.insert(key, Entry { value, line });
            }
            Some(Err(dotenvy::Error::LineParse(..))) => {
                let line = start_line(&lines, before);
                let message = format!(
                    "{}:{line}: not a KEY=value line (or a quote that is never closed); skipped",
                    parsed.file
                );
                parsed.errors.push(EnvFileError { line, message });
            }
            Some(Err(error)) => {
                let message = format!("{}: cannot be read: {error}", parsed.file);
                parsed.errors.push(EnvFileError {
                    line: before,
                    message,
                });
                break;
            }
        }
    }
    parsed
}

fn read_env_file(path: &Path) -> Result<String, String> {
    let shown = path.display();
    let meta = std::fs::metadata(path).map_err(|e| format!("{shown}: cannot be read: {e}"))?;
    if meta.len() > MAX_ENV_FILE {
        return Err(format!(
            "{shown}: {} bytes, larger than the {MAX_ENV_FILE} read",
            meta.len()
        ));
    }
    let bytes = std::fs::read(path).map_err(|e| format!("{shown}: cannot be read: {e}"))?;
    Ok(String::from_utf8_lossy(&bytes).into_owned())
}
