//! A run in progress, built from the events it streams: which checks are
//! waiting, running or done, with the worst severity each judged and how
//! much it could not judge. Plain data, tested natively.

use handover_model::{Finding, Progress, Severity};

use super::logic::inconclusive_text;

/// Where one check of a running run is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CheckState {
    /// Not started yet.
    Waiting,
    /// Started, not finished.
    Running,
    /// Finished.
    Done,
}

impl CheckState {
    /// The `data-state` name.
    pub fn as_str(self) -> &'static str {
        match self {
            CheckState::Waiting => "waiting",
            CheckState::Running => "running",
            CheckState::Done => "done",
        }
    }
}

/// One row of the progress list.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CheckRow {
    /// Check id.
    pub check: String,
    /// Where it is.
    pub state: CheckState,
    /// Its worst judged finding, once done (`info` when it judged nothing).
    pub worst: Option<Severity>,
    /// How many of its findings could not judge, once done.
    pub inconclusive: u32,
    /// How long it took, once done.
    pub elapsed_ms: Option<u64>,
}

impl CheckRow {
    /// The worst severity worth a chip: none while running, and none when
    /// the check could not judge and judged nothing worse than `info`
    /// (its "info" would read as a verdict it never reached).
    pub fn worst_shown(&self) -> Option<Severity> {
        self.worst
            .filter(|w| !(self.inconclusive > 0 && *w <= Severity::Info))
    }
}

/// A run in progress, built from the events it streams.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct RunProgress {
    /// How many checks the run will do, once it says.
    pub planned: Option<u32>,
    /// Checks that started (or finished), in the order they did.
    started: Vec<CheckRow>,
    /// Checks that may still come (the catalog's), shown as waiting until
    /// as many checks as planned have started.
    candidates: Vec<String>,
}

impl RunProgress {
    /// A run about to start; `candidates` are the checks it may run.
    pub fn new(candidates: Vec<String>) -> Self {
        RunProgress {
            planned: None,
            started: Vec::new(),
            candidates,
        }
    }

    /// Takes in one event. Events may arrive out of order: a check that
    /// finished stays finished.
    pub fn apply(&mut self, event: Progress) {
        match event {
            Progress::Planned { checks } => self.planned = Some(checks),
            Progress::Started { check } => {
                if !self.started.iter().any(|r| r.check == check) {
                    self.started.push(CheckRow {
                        check,
                        state: CheckState::Running,
                        worst: None,
                        inconclusive: 0,
                        elapsed_ms: None,
                    });
                }
            }
            Progress::Finished {
                check,
                worst,
                inconclusive,
                elapsed_ms,
            } => {
                let done = CheckRow {
                    check: check.clone(),
                    state: CheckState::Done,
                    worst: Some(worst),
                    inconclusive,
                    elapsed_ms: Some(elapsed_ms),
                };
                match self.started.iter_mut().find(|r| r.check == check) {
                    Some(row) => *row = done,
                    None => self.started.push(done),
                }
            }
        }
    }

    /// The run is over and `findings` is what it found: checks whose
    /// `finished` event was lost or late count as done with their worst
    /// judged finding and what could not be judged, and no check is
    /// waiting any more.
    pub fn settle(&mut self, findings: &[Finding]) {
        for row in self
            .started
            .iter_mut()
            .filter(|r| r.state != CheckState::Done)
        {
            let own = || findings.iter().filter(|f| f.check == row.check);
            let inconclusive = own().filter(|f| f.outcome.is_inconclusive()).count() as u32;
            let judged = own()
                .filter(|f| !f.outcome.is_inconclusive())
                .map(|f| f.severity)
                .max();
            row.worst = Some(judged.unwrap_or(if inconclusive > 0 {
                Severity::Info
            } else {
                Severity::Pass
            }));
            row.inconclusive = inconclusive;
            row.state = CheckState::Done;
        }
        self.candidates.clear();
        self.planned = Some(self.planned.unwrap_or(0).max(self.started.len() as u32));
    }

    /// Checks finished so far.
    pub fn done(&self) -> u32 {
        self.started
            .iter()
            .filter(|r| r.state == CheckState::Done)
            .count() as u32
    }

    /// Every row: started checks, then those still waiting.
    pub fn rows(&self) -> Vec<CheckRow> {
        let mut rows = self.started.clone();
        let all_started = self
            .planned
            .is_some_and(|planned| self.started.len() as u32 >= planned);
        if !all_started {
            for check in &self.candidates {
                if !rows.iter().any(|r| r.check == *check) {
                    rows.push(CheckRow {
                        check: check.clone(),
                        state: CheckState::Waiting,
                        worst: None,
                        inconclusive: 0,
                        elapsed_ms: None,
                    });
                }
            }
        }
        rows
    }

    /// Finished checks that could not judge at least one thing.
    pub fn inconclusive(&self) -> u32 {
        self.started.iter().filter(|r| r.inconclusive > 0).count() as u32
    }

    /// `3 of 12 checks done`, with `· 1 could not check` when a finished
    /// check could not judge; a word while the plan is not known.
    pub fn summary(&self) -> String {
        let Some(planned) = self.planned else {
            return "Planning the checks…".to_string();
        };
        let done = format!("{} of {planned} checks done", self.done());
        match inconclusive_text(self.inconclusive()) {
            Some(could_not) => format!("{done} · {could_not}"),
            None => done,
        }
    }
}

#[cfg(test)]
#[path = "tracker_tests.rs"]
mod tests;
