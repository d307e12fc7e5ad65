//! The live-check engine: what is checked ([`CheckTarget`]), the [`Check`]
//! trait and the one check type every DNS, TLS and web check is
//! ([`CheckDef`]), and the runner that runs them concurrently, each under its
//! own deadline.
//!
//! A finding is either *judged* (its severity says how it went) or
//! *inconclusive* (the check could not look: it timed out, could not start,
//! crashed, had nothing to look at, or the host did not answer). An
//! inconclusive finding never counts as a pass anywhere.

use std::future::Future;
use std::pin::Pin;
use std::sync::Arc;
use std::time::Duration;

use handover_model::{Cause, Finding, Measure, Outcome, Severity};

pub mod credentials;
pub mod dns;
pub mod eval;
pub mod http;
pub mod latency;
pub mod mail;
pub mod memo;
pub mod net;
pub mod ratelimit;
pub mod runner;
pub mod secrets;
pub mod smoke;
pub mod target;
pub mod tls;
pub mod uptime;
pub mod web;
#[cfg(test)]
mod well_configured_tests;

pub use runner::{run_all, RunLimits};
pub use target::{CheckTarget, QuickAudit, SharedNet, TargetError};

/// Catalog check ids Handover does not implement yet (a later issue does);
/// items that name only these show "not automated yet".
pub const PLANNED: &[&str] = &[];

/// Every live check Handover has: DNS, TLS, the web edge, mail, latency,
/// uptime, rate limits, smoke, secrets and env parity.
pub fn all() -> Vec<Arc<dyn Check>> {
    shared(definitions())
}

/// Definitions as the runner takes them.
pub(crate) fn shared(definitions: Vec<CheckDef>) -> Vec<Arc<dyn Check>> {
    definitions
        .into_iter()
        .map(|c| Arc::new(c) as Arc<dyn Check>)
        .collect()
}

/// The ids of every implemented check, in run order.
pub fn implemented() -> Vec<&'static str> {
    definitions().iter().map(|c| c.id).collect()
}

fn definitions() -> Vec<CheckDef> {
    let mut checks = dns::definitions();
    checks.extend(tls::definitions());
    checks.extend(web::definitions());
    checks.extend(mail::definitions());
    checks.extend(latency::checks());
    checks.extend(uptime::checks());
    checks.extend(ratelimit::checks());
    checks.extend(smoke::checks());
    checks.extend(secrets::checks());
    checks.extend(eval::checks());
    checks
}

/// Runs the check `id` over an existing network context (tests and callers
/// with their own limits), with the same "nothing to check" rule as a run;
/// `None` for an unknown id.
pub async fn run_with(id: &str, net: &net::Net, target: &CheckTarget) -> Option<Vec<Finding>> {
    let check = definitions().into_iter().find(|c| c.id == id)?;
    Some(check.run_on(net, target).await)
}

/// A future a check returns.
pub type CheckFuture<'a> = Pin<Box<dyn Future<Output = Vec<Finding>> + Send + 'a>>;

/// One live check, registered under a catalog check id.
pub trait Check: Send + Sync {
    /// The catalog id, e.g. `tls.expiry`.
    fn id(&self) -> &'static str;

    /// How long this check may take in total before it is cut off.
    fn deadline(&self) -> Duration {
        Duration::from_secs(20)
    }

    /// Whether the check has anything to look at for this target.
    fn applies(&self, target: &CheckTarget) -> bool {
        !target.hosts.is_empty()
    }

    /// What the check needs from a project, said when it does not apply.
    fn needs(&self) -> &'static str {
        "at least one host"
    }

    /// Runs the check; returns at least one finding per thing it looked at.
    fn run<'a>(&'a self, target: &'a CheckTarget) -> CheckFuture<'a>;
}

/// The body of a check, given the run's network context.
pub type Body = for<'a> fn(&'a net::Net, &'a CheckTarget) -> CheckFuture<'a>;

/// The one check type: a catalog id, a deadline, when it applies, and a
/// body that runs over the run's shared network context.
pub struct CheckDef {
    /// The catalog id.
    pub id: &'static str,
    deadline: Duration,
    applies: fn(&CheckTarget) -> bool,
    needs: &'static str,
    body: Body,
}

impl CheckDef {
    /// A check that applies whenever the target has hosts, with a 20 s deadline.
    pub fn new(id: &'static str, body: Body) -> Self {
        Self {
            id,
            deadline: Duration::from_secs(20),
            applies: |t| !t.hosts.is_empty(),
            needs: "at least one host",
            body,
        }
    }

    /// Applies only when `applies` holds; `needs` says what it needs, e.g.
    /// "old → new addresses".
    pub fn only_if(mut self, applies: fn(&CheckTarget) -> bool, needs: &'static str) -> Self {
        self.applies = applies;
        self.needs = needs;
        self
    }

    /// Another deadline.
    pub fn deadline(mut self, deadline: Duration) -> Self {
        self.deadline = deadline;
        self
    }

    /// Runs the body over `net`; an empty answer becomes "nothing to check".
    async fn run_on(&self, net: &net::Net, target: &CheckTarget) -> Vec<Finding> {
        let mut findings = http::unverified::marking((self.body)(net, target)).await;
        if findings.is_empty() {
            findings.push(inconclusive(
                self.id,
                target.name(),
                Cause::NothingToCheck,
                format!("this project names nothing {} looks at", self.id),
            ));
        }
        findings
    }
}

impl Check for CheckDef {
    fn id(&self) -> &'static str {
        self.id
    }

    fn deadline(&self) -> Duration {
        self.deadline
    }

    fn applies(&self, target: &CheckTarget) -> bool {
        (self.applies)(target)
    }

    fn needs(&self) -> &'static str {
        self.needs
    }

    fn run<'a>(&'a self, target: &'a CheckTarget) -> CheckFuture<'a> {
        Box::pin(async move {
            match target.net() {
                Ok(net) => self.run_on(&net, target).await,
                Err(err) => vec![inconclusive(
                    self.id,
                    target.name(),
                    Cause::CouldNotStart,
                    err.to_string(),
                )],
            }
        })
    }
}

/// Splits what a finding is about — a host, `host:port` or a URL — into its
/// host (lowercase) and its port when one is named.
pub fn locate(target: &str) -> (String, Option<u16>) {
    if target.contains("://") {
        if let Ok(url) = url::Url::parse(target) {
            let host = url
                .host_str()
                .unwrap_or_default()
                .trim_matches(['[', ']'])
                .to_ascii_lowercase();
            return (host, url.port());
        }
    }
    let bracketed = target
        .strip_prefix('[')
        .and_then(|rest| rest.split_once(']'));
    if let Some((host, rest)) = bracketed {
        let port = rest.strip_prefix(':').and_then(|p| p.parse().ok());
        return (host.to_ascii_lowercase(), port);
    }
    match target.rsplit_once(':') {
        Some((host, port)) if !host.contains(':') => match port.parse() {
            Ok(port) => (host.to_ascii_lowercase(), Some(port)),
            Err(_) => (target.to_ascii_lowercase(), None),
        },
        _ => (target.to_ascii_lowercase(), None),
    }
}

/// A judged finding with no evidence or measures yet.
pub fn finding(
    check: &str,
    target: impl Into<String>,
    severity: Severity,
    title: impl Into<String>,
    detail: impl Into<String>,
) -> Finding {
    let target = target.into();
    let (host, port) = locate(&target);
    Finding {
        check: check.to_string(),
        target,
        host,
        port,
        severity,
        outcome: Outcome::Judged,
        title: title.into(),
        detail: detail.into(),
        evidence: Vec::new(),
        measured: Vec::new(),
    }
}

/// A finding that says the check could not judge `target`, and why.
pub fn inconclusive(
    check: &str,
    target: impl Into<String>,
    cause: Cause,
    reason: impl Into<String>,
) -> Finding {
    let reason = reason.into();
    let title = match cause {
        Cause::TimedOut => "Could not check: no answer in time",
        Cause::CouldNotStart => "Could not check: the check could not start",
        Cause::Panicked => "Could not check: the check failed unexpectedly",
        Cause::NothingToCheck => "Could not check: nothing to look at",
        Cause::Unreachable => "Could not check: no usable answer",
        Cause::NotAutomated => "Not automated yet",
    };
    let mut f = finding(check, target, Severity::Info, title, reason.clone());
    f.outcome = Outcome::Inconclusive { cause, reason };
    f
}

/// Judged findings by severity (indexed by `Severity as usize`) and how
/// many could not be checked: a run summary's counts.
pub fn counts(findings: &[Finding]) -> ([u32; 6], u32) {
    let mut counts = [0u32; 6];
    let mut inconclusive = 0;
    for f in findings {
        if f.outcome.is_inconclusive() {
            inconclusive += 1;
        } else {
            counts[f.severity as usize] += 1;
        }
    }
    (counts, inconclusive)
}

/// A measured value.
pub fn measure(name: &str, value: f64, unit: &str) -> Measure {
    Measure {
        name: name.to_string(),
        value,
        unit: unit.to_string(),
        bins: Vec::new(),
    }
}

/// Where a finding ranks when listed: judged blockers, highs and mediums
/// first, then what could not be checked, then the rest by severity.
fn rank(f: &Finding) -> u8 {
    match (f.outcome.is_inconclusive(), f.severity) {
        (false, Severity::Blocker) => 0,
        (false, Severity::High) => 1,
        (false, Severity::Medium) => 2,
        (true, _) => 3,
        (false, Severity::Low) => 4,
        (false, Severity::Info) => 5,
        (false, Severity::Pass) => 6,
    }
}

/// Sorts findings the way every face lists them (see [`rank`]), then by
/// check, host, port and target.
pub fn sort(findings: &mut [Finding]) {
    findings.sort_by(|a, b| {
        rank(a)
            .cmp(&rank(b))
            .then_with(|| a.check.cmp(&b.check))
            .then_with(|| a.host.cmp(&b.host))
            .then_with(|| a.port.cmp(&b.port))
            .then_with(|| a.target.cmp(&b.target))
    });
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn targets_are_taken_apart_into_host_and_port() {
        for (target, host, port) in [
            ("example.test", "example.test", None),
            ("API.example.test:8443", "api.example.test", Some(8443)),
            ("https://app.example.test/login", "app.example.test", None),
            (
                "https://app.example.test:8443/login",
                "app.example.test",
                Some(8443),
            ),
            ("http://[::1]:8080/", "::1", Some(8080)),
            ("[::1]:53", "::1", Some(53)),
        ] {
            assert_eq!(locate(target), (host.to_string(), port), "{target}");
        }
    }

    #[test]
    fn inconclusive_findings_rank_after_problems_and_before_passes() {
        let mut findings = vec![
            finding("a", "h", Severity::Pass, "", ""),
            inconclusive("b", "h", Cause::TimedOut, "slow"),
            finding("c", "h", Severity::Low, "", ""),
            finding("d", "h", Severity::Blocker, "", ""),
            finding("e", "h", Severity::Medium, "", ""),
        ];
        sort(&mut findings);
        let order: Vec<&str> = findings.iter().map(|f| f.check.as_str()).collect();
        assert_eq!(order, ["d", "e", "b", "c", "a"]);
    }

    #[test]
    fn implemented_and_planned_checks_do_not_overlap_and_ids_are_unique() {
        let ids = implemented();
        for id in &ids {
            assert_eq!(ids.iter().filter(|i| *i == id).count(), 1, "{id}");
            assert!(
                !PLANNED.contains(id),
                "{id} is both implemented and planned"
            );
        }
    }
}
