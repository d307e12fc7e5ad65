//! What the diff needs of each finding, and the diff's walk over runs.
//!
//! A [`Mark`] is a finding reduced to numbers: the keys of its fingerprint
//! and of its target (FNV-1a of the strings [`Identity`] displays — stable
//! across builds, so the store keeps them beside each finding), its
//! severity and whether it was judged. The walk ([`changes`]) goes through
//! the earlier runs oldest first and keeps, per fingerprint, what the last
//! run that looked at it knew:
//!
//! - a run that judged the finding: its severity;
//! - a run that judged the finding's target but no longer reported it (a
//!   subject fixed, a check that stopped complaining): fine;
//! - a run that could not check it, or did not look at its target at all:
//!   nothing (the earlier knowledge stands).
//!
//! Then each fingerprint of the later run, and each one failing before that
//! the later run does not report, gets its state (see [`super::diff`]).
//! Marks point back at their finding by `row` (a store id, or a position),
//! so only the findings of the entries are read in full.

use std::collections::{HashMap, HashSet};
use std::fmt::{self, Write};

use handover_model::{DiffState, Finding, Severity};

use super::diff::{failed_to_run, failing};
use super::fingerprint::Identity;

/// FNV-1a, 64 bits, over what is written to it.
struct Fnv(u64);

impl Fnv {
    const OFFSET: u64 = 0xcbf2_9ce4_8422_2325;
    const PRIME: u64 = 0x0000_0100_0000_01b3;
}

impl Write for Fnv {
    fn write_str(&mut self, s: &str) -> fmt::Result {
        for b in s.bytes() {
            self.0 ^= u64::from(b);
            self.0 = self.0.wrapping_mul(Self::PRIME);
        }
        Ok(())
    }
}

/// The key of what `value` displays (FNV-1a 64 of the text, as i64 so
/// SQLite stores it as is).
pub fn key_of(value: &impl fmt::Display) -> i64 {
    let mut h = Fnv(Fnv::OFFSET);
    write!(h, "{value}").expect("hashing never fails");
    h.0 as i64
}

/// The keys of `finding`'s fingerprint and of its target (the fingerprint
/// without its subject).
pub fn keys(finding: &Finding) -> (i64, i64) {
    let id = Identity::of(finding);
    (key_of(&id), key_of(&id.target()))
}

/// A finding as the diff sees it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Mark {
    /// Where the finding is: a store id, or a position the caller knows.
    pub row: i64,
    /// The key of its fingerprint.
    pub fp: i64,
    /// The key of its target.
    pub tk: i64,
    /// Its severity (meaningless when not judged).
    pub severity: Severity,
    /// Whether it was judged.
    pub judged: bool,
    /// Whether it could not be checked because of that run (timed out, no
    /// answer, crashed), not because there is nothing to automate.
    pub failed_to_run: bool,
}

impl Mark {
    /// The mark of `finding`, found at `row`.
    pub fn of(finding: &Finding, row: i64) -> Self {
        let (fp, tk) = keys(finding);
        Mark {
            row,
            fp,
            tk,
            severity: finding.severity,
            judged: !finding.outcome.is_inconclusive(),
            failed_to_run: failed_to_run(finding),
        }
    }
}

/// One change of the later run: its state, the earlier finding it was
/// compared with (the last judged one, else the last seen) and the later
/// one, by row.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Change {
    /// What happened.
    pub state: DiffState,
    /// The earlier finding (in one of the earlier runs).
    pub before: Option<i64>,
    /// The later finding (in the later run).
    pub after: Option<i64>,
}

/// What the earlier runs knew of one fingerprint.
#[derive(Debug, Clone, Copy)]
struct Known {
    tk: i64,
    /// The last verdict: `Some(Some(mark))` judged as that finding,
    /// `Some(None)` fine by absence, `None` never judged.
    judged: Option<Option<Mark>>,
    /// The last finding seen at all.
    seen: Mark,
    /// The index of the last run that reported it.
    run: usize,
}

/// The changes from the `earlier` runs (oldest first, each its marks) to
/// the `later` run's marks, in the later run's order, then the gone ones in
/// the order they were first seen.
pub fn changes<'a>(earlier: impl IntoIterator<Item = &'a [Mark]>, later: &[Mark]) -> Vec<Change> {
    let mut known: HashMap<i64, Known> = HashMap::new();
    let mut order: Vec<i64> = Vec::new();
    let mut judged_targets: HashSet<i64> = HashSet::new();
    for (index, marks) in earlier.into_iter().enumerate() {
        judged_targets.clear();
        for m in marks {
            if m.judged {
                judged_targets.insert(m.tk);
            }
            let k = known.entry(m.fp).or_insert_with(|| {
                order.push(m.fp);
                Known {
                    tk: m.tk,
                    judged: None,
                    seen: *m,
                    run: index,
                }
            });
            k.seen = *m;
            k.run = index;
            if m.judged {
                k.judged = Some(Some(*m));
            }
        }
        for k in known.values_mut() {
            if k.run != index && judged_targets.contains(&k.tk) {
                k.judged = Some(None);
            }
        }
    }
    let mut out = Vec::new();
    let mut present: HashSet<i64> = HashSet::with_capacity(later.len());
    judged_targets.clear();
    judged_targets.extend(later.iter().filter(|m| m.judged).map(|m| m.tk));
    for m in later {
        present.insert(m.fp);
        let k = known.get(&m.fp);
        let before = k.and_then(|k| k.judged).flatten();
        let failing_before = before.is_some_and(|b| failing(b.severity));
        let state = if !m.judged {
            (failing_before || m.failed_to_run).then_some(DiffState::Unknown)
        } else if failing(m.severity) {
            Some(match before {
                Some(b) if failing(b.severity) && m.severity > b.severity => DiffState::Regressed,
                Some(b) if failing(b.severity) => DiffState::Persisting,
                _ => DiffState::New,
            })
        } else {
            failing_before.then_some(DiffState::Resolved)
        };
        if let Some(state) = state {
            let earlier = k.and_then(|k| match k.judged {
                Some(judged) => judged.map(|b| b.row),
                None => Some(k.seen.row),
            });
            out.push(Change {
                state,
                before: earlier,
                after: Some(m.row),
            });
        }
    }
    for fp in &order {
        if present.contains(fp) {
            continue;
        }
        let k = &known[fp];
        let Some(Some(before)) = k.judged else {
            continue;
        };
        if !failing(before.severity) {
            continue;
        }
        // Gone: fixed if its check judged the same target this time.
        let state = if judged_targets.contains(&k.tk) {
            DiffState::Resolved
        } else {
            DiffState::Unknown
        };
        out.push(Change {
            state,
            before: Some(before.row),
            after: None,
        });
    }
    out
}
