//! # Weekly rechecks: identity, change, schedule, notices
//!
//! - [`fingerprint`] — a finding's identity (check id, host, what it is
//!   about), stable across runs and wording changes;
//! - [`diff`] — what changed between two runs: new, regressed, persisting,
//!   unknown (could not check: never resolved) or resolved, judged against
//!   the last run that *judged* each finding, with metric deltas;
//! - [`notify`] — notices on a state change only (a new blocker, a
//!   regression, a certificate crossing 30/14/7 days, a check failing to
//!   run three rechecks in a row), keyed for de-duplication;
//! - [`schedule`] — when a weekly recheck is next due (weekday, local time,
//!   IANA time zone; correct across DST; missed weeks caught up once);
//! - [`view`] — the History page's data (runs, the latest diff, charts).
//!
//! All of it is pure: the workbench loads runs from the store and records
//! what was notified.

pub mod diff;
pub mod fingerprint;
pub mod marks;
pub mod notify;
#[cfg(test)]
pub(crate) mod recorded;
pub mod schedule;
pub mod view;

pub use diff::diff;
pub use fingerprint::fingerprint;
pub use notify::{deliver, lapsed, notices};
pub use schedule::{next_due, ScheduleError};
pub use view::history_view;
