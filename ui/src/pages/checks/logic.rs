//! The Live checks page's pure parts: severities in order, findings grouped
//! by the host the core names or by checklist stage (in the core's order:
//! problems first, then what could not be checked, then the rest), and the
//! words the page uses. Plain functions, tested natively; the state of a
//! run in progress is in `tracker`.

use handover_model::{Catalog, Cause, Finding, Outcome, RunSummary, Severity};

/// Every severity, worst first: the order of the count chips.
pub const WORST_FIRST: [Severity; 6] = [
    Severity::Blocker,
    Severity::High,
    Severity::Medium,
    Severity::Low,
    Severity::Info,
    Severity::Pass,
];

/// How many of [`WORST_FIRST`] (blocker, high, medium) rank above what
/// could not be checked, as the core lists findings.
pub const PROBLEMS: usize = 3;

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

/// Which findings the filter chips hide.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Filter {
    /// Hide findings that passed.
    pub hide_pass: bool,
    /// Hide findings that are only informative.
    pub hide_info: bool,
}

impl Filter {
    /// Whether `finding` is shown. What could not be checked is always
    /// shown: its severity says `info`, but it is neither info nor a pass.
    pub fn shows(self, finding: &Finding) -> bool {
        if finding.outcome.is_inconclusive() {
            return true;
        }
        match finding.severity {
            Severity::Pass => !self.hide_pass,
            Severity::Info => !self.hide_info,
            _ => true,
        }
    }
}

/// Whether a "Retry" can help: not for a check Handover does not automate
/// yet (a retry would have nothing to run).
pub fn can_retry(finding: &Finding) -> bool {
    match &finding.outcome {
        Outcome::Judged => false,
        Outcome::Inconclusive { cause, .. } => *cause != Cause::NotAutomated,
    }
}

/// A measured number as people read it: whole numbers as they are, others
/// to one decimal (`42.0229…` ms reads `42.0 ms`), tiny shares to three.
pub fn number(value: f64) -> String {
    if value.fract() == 0.0 {
        format!("{value}")
    } else if value.abs() < 1.0 {
        format!("{value:.3}")
    } else {
        format!("{value:.1}")
    }
}

/// `N could not check`, or nothing when none.
pub fn inconclusive_text(n: u32) -> Option<String> {
    (n > 0).then(|| format!("{n} could not check"))
}

/// How the results are grouped.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum GroupBy {
    /// By the host each finding is about (`Finding::host`).
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
    /// Its findings, in the core's order.
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

/// A host section's heading: the host, and the non-default ports its
/// findings name (`app.example.com · port 8443`).
pub fn host_title(host: &str, ports: &[u16]) -> String {
    let host = if host.is_empty() { "No host" } else { host };
    match ports {
        [] => host.to_string(),
        [port] => format!("{host} · port {port}"),
        ports => {
            let list: Vec<String> = ports.iter().map(u16::to_string).collect();
            format!("{host} · ports {}", list.join(", "))
        }
    }
}

/// The shown findings grouped by the host the core names, hosts in the
/// order the core's ranking first mentions them (so the worst comes
/// first), findings in the core's order.
pub fn by_host(findings: &[Finding], filter: Filter) -> Vec<Section> {
    let mut hosts: Vec<(String, Vec<u16>, Vec<Finding>)> = Vec::new();
    for finding in findings.iter().filter(|f| filter.shows(f)) {
        let at = match hosts.iter().position(|(h, _, _)| *h == finding.host) {
            Some(at) => at,
            None => {
                hosts.push((finding.host.clone(), Vec::new(), Vec::new()));
                hosts.len() - 1
            }
        };
        let (_, ports, list) = &mut hosts[at];
        if let Some(port) = finding.port {
            if !ports.contains(&port) {
                ports.push(port);
            }
        }
        list.push(finding.clone());
    }
    hosts
        .into_iter()
        .map(|(host, mut ports, list)| {
            ports.sort_unstable();
            Section {
                title: host_title(&host, &ports),
                key: host,
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
                let list: Vec<Finding> = shown
                    .iter()
                    .filter(|f| item.checks.contains(&f.check))
                    .map(|f| (*f).clone())
                    .collect();
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
    let loose: Vec<Finding> = shown
        .into_iter()
        .filter(|f| !catalog.items.iter().any(|i| i.checks.contains(&f.check)))
        .cloned()
        .collect();
    if !loose.is_empty() {
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

#[cfg(test)]
#[path = "logic_tests.rs"]
pub(super) mod tests;
