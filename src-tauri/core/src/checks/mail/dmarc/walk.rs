//! The DNS tree walk of RFC 9989 §4.10, with what each query answered.
//!
//! Implemented, step by step (the numbers are the RFC's):
//!
//! - steps 1–2: query TXT at `_dmarc.<mail domain>`; keep only records
//!   that start with `v=DMARC1`; when more than one is left, all are
//!   discarded (the name counts as having none); a single record carrying
//!   `psd=y` or `psd=n` ends the walk;
//! - steps 3–5: the next target drops the leftmost label; a name of 8 or
//!   more labels jumps straight to its last 7 labels, so no walk makes
//!   more than [`MAX_QUERIES`] queries;
//! - steps 6–8: query and select at each target in turn, one label
//!   shorter each time, down to the top-level label (the root itself is
//!   never asked).
//!
//! The walk keeps going past the first record found, because the
//! Organizational Domain (§4.10.2) needs the shortest name with a record.
//! What it does not do: it neither caches nor retries, and a name that
//! answers with an error code (SERVFAIL, REFUSED) counts as one without a
//! record, noted in the evidence. Silence ends the walk where it happened.

use crate::checks::mail::{answered, txt};
use crate::checks::net::{Net, NetError};

use super::record::{is_dmarc, tag};

/// Most `_dmarc` queries one walk makes (RFC 9989 §4.10).
pub const MAX_QUERIES: usize = 8;

/// The label a DMARC record lives under.
pub const PREFIX: &str = "_dmarc";

/// What one query of the walk found.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Answer {
    /// No DMARC record (NXDOMAIN, no TXT, or only other TXT records).
    Nothing,
    /// Exactly one `v=DMARC1` record, as served.
    One(String),
    /// More than one: receivers discard them all.
    Many(Vec<String>),
    /// The server answered with an error code.
    Failed(String),
}

/// One query of the walk.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Step {
    /// The domain asked for (without `_dmarc.`).
    pub domain: String,
    /// What it answered.
    pub answer: Answer,
}

impl Step {
    /// The name queried, `_dmarc.<domain>`.
    pub fn name(&self) -> String {
        format!("{PREFIX}.{}", self.domain)
    }

    /// The single record, if that is what the name holds.
    pub fn record(&self) -> Option<&str> {
        match &self.answer {
            Answer::One(text) => Some(text),
            _ => None,
        }
    }

    /// An evidence line.
    pub fn evidence(&self) -> String {
        let name = self.name();
        match &self.answer {
            Answer::Nothing => format!("{name}: no DMARC record"),
            Answer::One(text) => format!("{name} TXT \"{text}\""),
            Answer::Many(all) => format!("{name}: {} DMARC records, all discarded", all.len()),
            Answer::Failed(why) => format!("{name}: {why}"),
        }
    }
}

/// A finished (or cut short) walk.
#[derive(Debug, Clone)]
pub struct Walk {
    /// The domain the walk started at.
    pub start: String,
    /// Each query, in order.
    pub steps: Vec<Step>,
    /// Where nothing answered, if anywhere: the walk stopped there.
    pub silent: Option<(String, NetError)>,
}

impl Walk {
    /// The step that holds the policy to apply (RFC 9989 §4.10.1): the
    /// mail domain's own record, otherwise the Organizational Domain's,
    /// otherwise the shortest name with a record.
    pub fn policy(&self) -> Option<&Step> {
        let found = || self.steps.iter().filter(|s| s.record().is_some());
        if let Some(own) = found().find(|s| s.domain == self.start) {
            return Some(own);
        }
        let org = self.organizational();
        found()
            .find(|s| s.domain == org)
            .or_else(|| self.steps.iter().rev().find(|s| s.record().is_some()))
    }

    /// The Organizational Domain (RFC 9989 §4.10.2): the first name with
    /// `psd=n`; one label below the first other name with `psd=y`;
    /// otherwise the shortest name with a record; otherwise the start.
    pub fn organizational(&self) -> String {
        for step in &self.steps {
            let Some(text) = step.record() else { continue };
            match tag(text, "psd").as_deref() {
                Some("n") => return step.domain.clone(),
                Some("y") if step.domain != self.start => {
                    return one_label_below(&step.domain, &self.start)
                }
                _ => {}
            }
        }
        self.steps
            .iter()
            .rev()
            .find(|s| s.record().is_some())
            .map(|s| s.domain.clone())
            .unwrap_or_else(|| self.start.clone())
    }

    /// Names that held more than one DMARC record.
    pub fn duplicates(&self) -> impl Iterator<Item = (&Step, usize)> {
        self.steps.iter().filter_map(|s| match &s.answer {
            Answer::Many(all) => Some((s, all.len())),
            _ => None,
        })
    }

    /// Evidence lines: every query in order, then the silence if any.
    pub fn evidence(&self) -> Vec<String> {
        let mut lines: Vec<String> = self.steps.iter().map(Step::evidence).collect();
        if let Some((name, err)) = &self.silent {
            lines.push(format!("{name}: {err} (the walk stopped here)"));
        }
        lines
    }
}

/// The domains the walk asks about for `domain`, in order (see the module
/// docs, steps 3–5): at most [`MAX_QUERIES`].
pub fn targets(domain: &str) -> Vec<String> {
    let domain = domain.trim_end_matches('.').to_ascii_lowercase();
    let labels: Vec<&str> = domain.split('.').filter(|l| !l.is_empty()).collect();
    let total = labels.len();
    if total == 0 {
        return Vec::new();
    }
    let mut names = vec![labels.join(".")];
    let mut keep = if total >= MAX_QUERIES {
        MAX_QUERIES - 1
    } else {
        total - 1
    };
    while keep >= 1 {
        names.push(labels[total - keep..].join("."));
        keep -= 1;
    }
    names
}

/// `start` cut to one label more than `psd` has.
fn one_label_below(psd: &str, start: &str) -> String {
    let depth = psd.split('.').count() + 1;
    let labels: Vec<&str> = start.split('.').collect();
    labels[labels.len().saturating_sub(depth)..].join(".")
}

/// Walks the tree from `domain` (see the module docs).
pub async fn walk(net: &Net, domain: &str) -> Walk {
    let targets = targets(domain);
    let mut walk = Walk {
        start: targets.first().cloned().unwrap_or_default(),
        steps: Vec::new(),
        silent: None,
    };
    for target in targets {
        let name = format!("{PREFIX}.{target}");
        let answer = match txt(net, &name).await {
            Ok(all) => {
                let mut dmarc: Vec<String> = all.into_iter().filter(|t| is_dmarc(t)).collect();
                match dmarc.len() {
                    0 => Answer::Nothing,
                    1 => Answer::One(dmarc.remove(0)),
                    _ => Answer::Many(dmarc),
                }
            }
            Err(NetError::NoSuchHost { .. } | NetError::NoAddress { .. }) => Answer::Nothing,
            Err(err) if answered(&err) => Answer::Failed(err.to_string()),
            Err(err) => {
                walk.silent = Some((name, err));
                break;
            }
        };
        let stops = matches!(&answer, Answer::One(text)
            if matches!(tag(text, "psd").as_deref(), Some("y" | "n")));
        walk.steps.push(Step {
            domain: target,
            answer,
        });
        if stops {
            break;
        }
    }
    walk
}

#[cfg(test)]
mod tests {
    use super::*;

    fn one(domain: &str, text: &str) -> Step {
        Step {
            domain: domain.into(),
            answer: Answer::One(text.into()),
        }
    }

    fn nothing(domain: &str) -> Step {
        Step {
            domain: domain.into(),
            answer: Answer::Nothing,
        }
    }

    #[test]
    fn short_names_lose_one_label_per_query() {
        assert_eq!(
            targets("a.mail.Example.com."),
            [
                "a.mail.example.com",
                "mail.example.com",
                "example.com",
                "com"
            ]
        );
    }

    #[test]
    fn long_names_jump_to_seven_labels_and_stay_within_eight_queries() {
        let long = "a.b.c.d.e.f.g.h.i.j.example.com";
        let names = targets(long);
        assert_eq!(names.len(), MAX_QUERIES);
        assert_eq!(names[0], long);
        assert_eq!(names[1], "f.g.h.i.j.example.com");
        assert_eq!(names[7], "com");
        assert_eq!(targets("a.b.c.d.e.f.g.h").len(), MAX_QUERIES);
        assert_eq!(targets("a.b.c.d.e.f.g.h")[1], "b.c.d.e.f.g.h");
    }

    #[test]
    fn the_organizational_domain_follows_psd_tags_or_the_shortest_record() {
        let walk = |steps| Walk {
            start: "a.b.example.com".into(),
            steps,
            silent: None,
        };
        let plain = walk(vec![
            nothing("a.b.example.com"),
            one("b.example.com", "v=DMARC1; p=none"),
            one("example.com", "v=DMARC1; p=reject"),
            nothing("com"),
        ]);
        assert_eq!(plain.organizational(), "example.com");
        assert_eq!(plain.policy().unwrap().domain, "example.com");
        let psd_n = walk(vec![
            nothing("a.b.example.com"),
            one("b.example.com", "v=DMARC1; p=none; psd=n"),
        ]);
        assert_eq!(psd_n.organizational(), "b.example.com");
        let psd_y = walk(vec![
            nothing("a.b.example.com"),
            nothing("b.example.com"),
            nothing("example.com"),
            one("com", "v=DMARC1; p=reject; psd=y"),
        ]);
        assert_eq!(psd_y.organizational(), "example.com");
        assert_eq!(psd_y.policy().unwrap().domain, "com");
        assert_eq!(walk(vec![]).organizational(), "a.b.example.com");
    }
}
