//! The Live checks page's pure parts: severities in order, hosts parsed from
//! targets, findings grouped by host or by checklist stage, and the state of
//! a run in progress. Plain functions, tested natively.

use handover_model::{Catalog, Finding, Progress, RunSummary, Severity};

/// Every severity, worst first: the order of chips and of findings.
pub const WORST_FIRST: [Severity; 6] = [
    Severity::Blocker,
    Severity::High,
    Severity::Medium,
    Severity::Low,
    Severity::Info,
    Severity::Pass,
];

/// A severity as people read it.
pub fn severity_label(severity: Severity) -> &'static str {
    match severity {
        Severity::Blocker => "Blocker",
        Severity::High => "High",
        Severity::Medium => "Medium",
        Severity::Low => "Low",
        Severity::Info => "Info",
        Severity::Pass => "Pass",
    }
}

/// How many findings of `severity` a run's `counts` (pass … blocker) hold.
pub fn count_of(counts: &[u32; 6], severity: Severity) -> u32 {
    counts[severity as usize]
}

/// Findings by severity, in the order of `RunSummary::counts`.
pub fn counts(findings: &[Finding]) -> [u32; 6] {
    let mut counts = [0; 6];
    for finding in findings {
        counts[finding.severity as usize] += 1;
    }
    counts
}

/// The host a target names: the host of a URL, of `host:port`, or the host
/// itself; lower case, without a trailing dot or IPv6 brackets.
pub fn host_of(target: &str) -> String {
    let target = target.trim();
    let rest = target.split_once("://").map_or(target, |(_, rest)| rest);
    let authority = rest.split(['/', '?', '#']).next().unwrap_or_default();
    let authority = authority.rsplit_once('@').map_or(authority, |(_, a)| a);
    let host = if let Some(bracketed) = authority.strip_prefix('[') {
        bracketed.split(']').next().unwrap_or_default()
    } else if authority.matches(':').count() == 1 {
        authority.split(':').next().unwrap_or_default()
    } else {
        authority
    };
    host.trim_end_matches('.').to_ascii_lowercase()
}

/// Worst first, then by check id, then by target.
pub fn sort_findings(findings: &mut [Finding]) {
    findings.sort_by(|a, b| {
        b.severity
            .cmp(&a.severity)
            .then_with(|| a.check.cmp(&b.check))
            .then_with(|| a.target.cmp(&b.target))
    });
}

/// Which findings the filter chips hide.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Filter {
    /// Hide findings that passed.
    pub hide_pass: bool,
    /// Hide findings that are only informative.
    pub hide_info: bool,
}

impl Filter {
    /// Whether `finding` is shown.
    pub fn shows(self, finding: &Finding) -> bool {
        match finding.severity {
            Severity::Pass => !self.hide_pass,
            Severity::Info => !self.hide_info,
            _ => true,
        }
    }
}

/// How the results are grouped.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum GroupBy {
    /// By the host each finding's target names.
    Host,
    /// By the checklist stage (and item) each finding's check decides.
    Stage,
}

/// One heading of the results, e.g. a host or a stage.
#[derive(Debug, Clone, PartialEq)]
pub struct Section {
    /// Stable key: the host or the stage id.
    pub key: String,
    /// Its heading.
    pub title: String,
    /// Its findings, in blocks (one per checklist item when by stage).
    pub blocks: Vec<Block>,
}

/// Findings under one sub-heading (a checklist item), or under none.
#[derive(Debug, Clone, PartialEq)]
pub struct Block {
    /// The checklist item's title, when grouped by stage.
    pub title: Option<String>,
    /// Its findings, worst first.
    pub findings: Vec<Finding>,
}

/// A checklist item a check decides.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ItemRef {
    /// Item id.
    pub item_id: String,
    /// Its title.
    pub title: String,
    /// Its stage id.
    pub stage_id: String,
}

/// The checklist items whose automated checks include `check`, in catalog order.
pub fn items_for_check(catalog: &Catalog, check: &str) -> Vec<ItemRef> {
    catalog
        .items
        .iter()
        .filter(|item| item.checks.iter().any(|c| c == check))
        .map(|item| ItemRef {
            item_id: item.id.clone(),
            title: item.title.clone(),
            stage_id: item.stage.clone(),
        })
        .collect()
}

/// The shown findings grouped by host: worst host first, then by name.
pub fn by_host(findings: &[Finding], filter: Filter) -> Vec<Section> {
    let mut hosts: Vec<(String, Vec<Finding>)> = Vec::new();
    for finding in findings.iter().filter(|f| filter.shows(f)) {
        let host = host_of(&finding.target);
        match hosts.iter_mut().find(|(h, _)| *h == host) {
            Some((_, list)) => list.push(finding.clone()),
            None => hosts.push((host, vec![finding.clone()])),
        }
    }
    let worst = |list: &[Finding]| list.iter().map(|f| f.severity).max();
    hosts.sort_by(|(a, la), (b, lb)| worst(lb).cmp(&worst(la)).then_with(|| a.cmp(b)));
    hosts
        .into_iter()
        .map(|(host, mut list)| {
            sort_findings(&mut list);
            let title = if host.is_empty() {
                "No host".to_string()
            } else {
                host.clone()
            };
            Section {
                key: host,
                title,
                blocks: vec![Block {
                    title: None,
                    findings: list,
                }],
            }
        })
        .collect()
}

/// Key of the section for findings no checklist item uses.
pub const UNMAPPED: &str = "not-in-checklist";

/// The shown findings grouped by stage, in catalog order, then by the items
/// whose checks include them (a finding appears under each such item).
/// Findings no item uses come last.
pub fn by_stage(findings: &[Finding], catalog: &Catalog, filter: Filter) -> Vec<Section> {
    let shown: Vec<&Finding> = findings.iter().filter(|f| filter.shows(f)).collect();
    let mut sections = Vec::new();
    for stage in &catalog.stages {
        let blocks: Vec<Block> = catalog
            .items
            .iter()
            .filter(|item| item.stage == stage.id && !item.checks.is_empty())
            .filter_map(|item| {
                let mut list: Vec<Finding> = shown
                    .iter()
                    .filter(|f| item.checks.contains(&f.check))
                    .map(|f| (*f).clone())
                    .collect();
                sort_findings(&mut list);
                (!list.is_empty()).then(|| Block {
                    title: Some(item.title.clone()),
                    findings: list,
                })
            })
            .collect();
        if !blocks.is_empty() {
            sections.push(Section {
                key: stage.id.clone(),
                title: format!("Stage {} · {}", stage.number, stage.title),
                blocks,
            });
        }
    }
    let mut loose: Vec<Finding> = shown
        .into_iter()
        .filter(|f| !catalog.items.iter().any(|i| i.checks.contains(&f.check)))
        .cloned()
        .collect();
    if !loose.is_empty() {
        sort_findings(&mut loose);
        sections.push(Section {
            key: UNMAPPED.to_string(),
            title: "Not in the checklist".to_string(),
            blocks: vec![Block {
                title: None,
                findings: loose,
            }],
        });
    }
    sections
}

/// Every check id the catalog's items use, once each, in catalog order.
pub fn catalog_checks(catalog: &Catalog) -> Vec<String> {
    let mut ids: Vec<String> = Vec::new();
    for check in catalog.items.iter().flat_map(|i| i.checks.iter()) {
        if !ids.contains(check) {
            ids.push(check.clone());
        }
    }
    ids
}

/// A duration: `850 ms`, `1.2 s`.
pub fn elapsed(ms: u64) -> String {
    if ms < 1_000 {
        format!("{ms} ms")
    } else {
        format!("{:.1} s", ms as f64 / 1_000.0)
    }
}

/// How long a run took.
pub fn run_duration(summary: &RunSummary) -> String {
    elapsed(
        summary
            .finished_ms
            .saturating_sub(summary.started_ms)
            .max(0) as u64,
    )
}

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
    /// Its worst finding, once done.
    pub worst: Option<Severity>,
    /// How long it took, once done.
    pub elapsed_ms: Option<u64>,
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
                        elapsed_ms: None,
                    });
                }
            }
            Progress::Finished {
                check,
                worst,
                elapsed_ms,
            } => {
                let done = CheckRow {
                    check: check.clone(),
                    state: CheckState::Done,
                    worst: Some(worst),
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
    /// finding, and no check is waiting any more.
    pub fn settle(&mut self, findings: &[Finding]) {
        for row in self
            .started
            .iter_mut()
            .filter(|r| r.state != CheckState::Done)
        {
            row.state = CheckState::Done;
            row.worst = Some(
                findings
                    .iter()
                    .filter(|f| f.check == row.check)
                    .map(|f| f.severity)
                    .max()
                    .unwrap_or(Severity::Pass),
            );
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
                        elapsed_ms: None,
                    });
                }
            }
        }
        rows
    }

    /// `3 of 12 checks done`, or a word while the plan is not known.
    pub fn summary(&self) -> String {
        match self.planned {
            Some(planned) => format!("{} of {planned} checks done", self.done()),
            None => "Planning the checks…".to_string(),
        }
    }
}

#[cfg(test)]
#[path = "logic_tests.rs"]
mod tests;
