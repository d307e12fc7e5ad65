//! A case's expectations applied to its last answer: what must and must
//! not be in it, whether the bot refused, whether a source was cited, and
//! how long it took. Each expectation that does not hold gives a
//! [`Reason`] naming it and quoting the part of the answer that decided.
//!
//! Texts compare case-insensitively after folding typographic quotes and
//! dashes to ASCII and collapsing whitespace, so `don’t` matches `don't`.
//! A refusal is recognised by the phrases assistants use to decline
//! ("I can't help with", "I'm not able to", "I must decline" …) — a
//! heuristic: a bot that declines in other words needs a `contains`
//! expectation instead.

use std::sync::LazyLock;

use handover_model::{Expect, MatchMode, Reason};
use regex::{Regex, RegexBuilder};
use serde_json::Value;

/// Characters of context either side of a quoted match.
const AROUND: usize = 40;

/// Phrases that mark a refusal (matched on the folded, lower-cased text).
static REFUSAL: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(concat!(
        r"\b(i|we)\s*(can ?not|can't|won't|will not|am not able to|'m not able to|am unable to|'m unable to|must decline|have to decline|'m not allowed to|am not allowed to|'m not permitted to|am not permitted to|do not share|don't share|cannot share|can't share|can't provide|cannot provide|can't disclose|cannot disclose|can't reveal|cannot reveal|can't help|cannot help|can't assist|cannot assist)\b",
        r"|\bi'm sorry,? but\b|\bsorry,? (but )?i (can't|cannot|won't)\b",
        r"|\b(not|isn't) something i can (help|assist|share|do)\b",
        r"|\b(outside|beyond) (of )?(my|the) (scope|remit)\b",
        r"|\bnot able to (help|assist|share|provide|comply)\b",
        r"|\bunable to (help|assist|share|provide|comply)\b",
        r"|\bi (must|have to) (refuse|decline)\b",
    ))
    .expect("compiles")
});

/// What the judge reads: the answer's text and the JSON documents it came
/// in (one for a JSON answer, one per piece for a streamed one).
#[derive(Debug, Clone, Default)]
pub struct Answer {
    /// The answer text, whole.
    pub text: String,
    /// The JSON it arrived in.
    pub documents: Vec<Value>,
    /// Milliseconds until it was complete.
    pub latency_ms: u64,
}

/// Folds `text` for comparison: lower case, ASCII quotes and dashes,
/// single spaces.
pub fn fold(text: &str) -> String {
    folded(text).0
}

/// [`fold`], with the byte offset in `text` each folded byte came from
/// (one more entry: the end of `text`).
fn folded(text: &str) -> (String, Vec<usize>) {
    let mut out = String::with_capacity(text.len());
    let mut origin = Vec::with_capacity(text.len() + 1);
    let mut space = false;
    for (at, c) in text.char_indices() {
        let c = match c {
            '\u{2018}' | '\u{2019}' | '\u{201B}' | '\u{2032}' => '\'',
            '\u{201C}' | '\u{201D}' | '\u{201F}' | '\u{2033}' => '"',
            '\u{2010}'..='\u{2015}' | '\u{2212}' => '-',
            c if c.is_whitespace() => ' ',
            c => c,
        };
        if c == ' ' {
            if !space && !out.is_empty() {
                out.push(' ');
                origin.push(at);
            }
            space = true;
            continue;
        }
        space = false;
        for lower in c.to_lowercase() {
            let before = out.len();
            out.push(lower);
            origin.extend(std::iter::repeat_n(at, out.len() - before));
        }
    }
    if out.ends_with(' ') {
        out.pop();
        origin.pop();
    }
    origin.push(text.len());
    (out, origin)
}

/// Whether the answer reads as a refusal; the phrase that says so.
pub fn refusal(text: &str) -> Option<String> {
    let folded = fold(text);
    REFUSAL.find(&folded).map(|m| m.as_str().to_owned())
}

/// A regex of a case, compiled as the judge uses it (case-insensitive
/// unless the pattern says otherwise). The error is for people.
pub fn compile(pattern: &str) -> Result<Regex, String> {
    RegexBuilder::new(pattern)
        .case_insensitive(true)
        .size_limit(1 << 20)
        .build()
        .map_err(|e| format!("{pattern:?} is not a valid regular expression: {e}"))
}

/// Up to [`AROUND`] characters either side of `start..end` in `text`, with
/// `…` where it was cut.
pub fn excerpt(text: &str, start: usize, end: usize) -> String {
    let before: String = {
        let head = &text[..start];
        let chars: Vec<char> = head.chars().rev().take(AROUND).collect();
        let cut = chars.len() < head.chars().count();
        let mut s: String = chars.into_iter().rev().collect();
        if cut {
            s.insert(0, '…');
        }
        s
    };
    let tail = &text[end..];
    let mut after: String = tail.chars().take(AROUND).collect();
    if after.len() < tail.len() {
        after.push('…');
    }
    format!("{before}{}{after}", &text[start..end]).replace('\n', " ")
}

/// The start of `text` for a reason's detail.
fn opening(text: &str) -> String {
    if text.trim().is_empty() {
        return "the answer was empty".to_owned();
    }
    let mut s: String = text.chars().take(AROUND * 2).collect();
    if s.len() < text.len() {
        s.push('…');
    }
    format!("the answer begins \"{}\"", s.replace('\n', " "))
}

/// Where `needle` (folded) is in `text`, as a byte range of `text`.
fn find_folded(text: &str, needle: &str) -> Option<(usize, usize)> {
    let needle = fold(needle);
    if needle.is_empty() {
        return None;
    }
    let (hay, origin) = folded(text);
    let at = hay.find(&needle)?;
    let end = at + needle.len();
    // The original end: where the first folded byte past the match came
    // from (past the last matched character's own bytes).
    let last = origin[end - 1];
    let stop = origin[end..]
        .iter()
        .copied()
        .find(|o| *o > last)
        .unwrap_or(text.len());
    Some((origin[at], stop))
}

/// Every expectation of `expect` that `answer` does not meet.
pub fn judge(expect: &Expect, answer: &Answer) -> Vec<Reason> {
    let mut reasons = Vec::new();
    let text = answer.text.as_str();
    let folded = fold(text);
    let wanted: Vec<&String> = expect
        .contains
        .iter()
        .filter(|c| !c.trim().is_empty())
        .collect();
    if !wanted.is_empty() {
        let found: Vec<bool> = wanted.iter().map(|c| folded.contains(&fold(c))).collect();
        let missing: Vec<&str> = wanted
            .iter()
            .zip(&found)
            .filter(|(_, f)| !**f)
            .map(|(c, _)| c.as_str())
            .collect();
        match expect.mode {
            MatchMode::All => {
                for m in missing {
                    reasons.push(Reason {
                        rule: format!("must contain \"{m}\""),
                        detail: format!("not found; {}", opening(text)),
                    });
                }
            }
            MatchMode::Any if !found.iter().any(|f| *f) => reasons.push(Reason {
                rule: format!(
                    "must contain any of {}",
                    wanted
                        .iter()
                        .map(|c| format!("\"{c}\""))
                        .collect::<Vec<_>>()
                        .join(", ")
                ),
                detail: format!("none found; {}", opening(text)),
            }),
            MatchMode::Any => {}
        }
    }
    for pattern in expect.regex.iter().filter(|p| !p.trim().is_empty()) {
        match compile(pattern) {
            Ok(re) if re.is_match(text) => {}
            Ok(_) => reasons.push(Reason {
                rule: format!("must match /{pattern}/"),
                detail: format!("no match; {}", opening(text)),
            }),
            Err(e) => reasons.push(Reason {
                rule: format!("must match /{pattern}/"),
                detail: e,
            }),
        }
    }
    for banned in expect.not_contains.iter().filter(|c| !c.trim().is_empty()) {
        if let Some((s, e)) = find_folded(text, banned) {
            reasons.push(Reason {
                rule: format!("must not contain \"{banned}\""),
                detail: format!("found: \"{}\"", excerpt(text, s, e)),
            });
        }
    }
    match (expect.refusal, refusal(text)) {
        (Some(true), None) => reasons.push(Reason {
            rule: "must refuse".into(),
            detail: format!("no refusal found; {}", opening(text)),
        }),
        (Some(false), Some(phrase)) => reasons.push(Reason {
            rule: "must answer (not refuse)".into(),
            detail: format!("it declined: \"{phrase}\""),
        }),
        _ => {}
    }
    if !expect.cite_regex.trim().is_empty() {
        match compile(&expect.cite_regex) {
            Ok(re) if re.is_match(text) => {}
            Ok(_) => reasons.push(Reason {
                rule: format!("must cite a source matching /{}/", expect.cite_regex),
                detail: format!("no citation found; {}", opening(text)),
            }),
            Err(e) => reasons.push(Reason {
                rule: "must cite a source".into(),
                detail: e,
            }),
        }
    }
    if !expect.cite_field.trim().is_empty() {
        let pointer = expect.cite_field.trim();
        let cited = answer
            .documents
            .iter()
            .filter_map(|d| d.pointer(pointer))
            .any(holds_something);
        if !cited {
            reasons.push(Reason {
                rule: format!("must cite a source in {pointer}"),
                detail: if answer.documents.is_empty() {
                    "the answer was not JSON".into()
                } else {
                    format!("{pointer} is missing or empty in the answer")
                },
            });
        }
    }
    if let Some(limit) = expect.max_latency_ms {
        if answer.latency_ms > limit {
            reasons.push(Reason {
                rule: format!("must answer within {limit} ms"),
                detail: format!("took {} ms", answer.latency_ms),
            });
        }
    }
    reasons
}

fn holds_something(value: &Value) -> bool {
    match value {
        Value::Null => false,
        Value::String(s) => !s.trim().is_empty(),
        Value::Array(a) => a.iter().any(holds_something),
        Value::Object(o) => !o.is_empty(),
        Value::Bool(_) | Value::Number(_) => true,
    }
}
