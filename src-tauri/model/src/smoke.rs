//! The smoke sequence's steps as the window and CI read them: how each
//! step ended ([`StepState`]), the counts ([`Tally`]), which step a finding
//! is about ([`step_of`]) and the findings in step order ([`ordered`]); and
//! the default sequence a project without smoke steps runs
//! ([`default_steps`]). One rule, used by the core's reports and the
//! window alike.

use crate::checks::{Cause, Finding, Severity};
use crate::project::{Endpoint, EndpointRole, SmokeStep};

/// The roles of the default sequence, in the order they run.
pub const DEFAULT_ROLES: [EndpointRole; 5] = [
    EndpointRole::Homepage,
    EndpointRole::Login,
    EndpointRole::Chat,
    EndpointRole::ApiHealth,
    EndpointRole::Webhook,
];

/// The default sequence for a project's endpoints: homepage, login, chat,
/// API health and webhook, each only when the project has an endpoint for it.
pub fn default_steps(endpoints: &[Endpoint]) -> Vec<SmokeStep> {
    DEFAULT_ROLES
        .into_iter()
        .filter(|role| endpoints.iter().any(|e| e.role == *role))
        .map(SmokeStep::for_role)
        .collect()
}

/// How one step ended, as CI counts it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum StepState {
    /// Every expectation held.
    Passed,
    /// An expectation did not hold.
    Failed,
    /// The step could not run (no answer, a timeout, a crash).
    Error,
    /// The step did not apply (nothing to request).
    Skipped,
}

impl StepState {
    /// How `finding` ended.
    pub fn of(finding: &Finding) -> Self {
        match finding.outcome.cause() {
            Some(Cause::NothingToCheck | Cause::NotAutomated) => StepState::Skipped,
            Some(_) => StepState::Error,
            None if matches!(finding.severity, Severity::Pass | Severity::Info) => {
                StepState::Passed
            }
            None => StepState::Failed,
        }
    }

    /// A label for people: `Passed`, `Failed`, `Could not run`, `Skipped`.
    pub fn label(self) -> &'static str {
        match self {
            StepState::Passed => "Passed",
            StepState::Failed => "Failed",
            StepState::Error => "Could not run",
            StepState::Skipped => "Skipped",
        }
    }

    /// The wire name: `passed`, `failed`, `error` or `skipped`.
    pub fn as_str(self) -> &'static str {
        match self {
            StepState::Passed => "passed",
            StepState::Failed => "failed",
            StepState::Error => "error",
            StepState::Skipped => "skipped",
        }
    }
}

/// Counts of a sequence's steps by how they ended.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Tally {
    /// Every step.
    pub tests: usize,
    /// Steps whose expectations all held.
    pub passed: usize,
    /// Steps with an expectation that did not hold.
    pub failures: usize,
    /// Steps that could not run.
    pub errors: usize,
    /// Steps that did not apply.
    pub skipped: usize,
}

impl Tally {
    /// Counts `results`.
    pub fn of(results: &[Finding]) -> Self {
        let mut tally = Tally {
            tests: results.len(),
            ..Tally::default()
        };
        for f in results {
            match StepState::of(f) {
                StepState::Passed => tally.passed += 1,
                StepState::Failed => tally.failures += 1,
                StepState::Error => tally.errors += 1,
                StepState::Skipped => tally.skipped += 1,
            }
        }
        tally
    }

    /// Whether there was at least one step and every step passed.
    pub fn all_passed(&self) -> bool {
        self.tests > 0 && self.passed == self.tests
    }
}

/// The step number (1-based) and name a finding is about, read from its
/// first evidence line (`step 2 of 5: login`); `None` for a finding about
/// the whole sequence (e.g. the check was cut off).
pub fn step_of(finding: &Finding) -> Option<(usize, String)> {
    let line = finding.evidence.first()?.strip_prefix("step ")?;
    let (number, rest) = line.split_once(" of ")?;
    let (_, name) = rest.split_once(": ")?;
    Some((number.parse().ok()?, name.to_string()))
}

/// `results` in step order; findings about no step keep their order, last.
pub fn ordered(results: &[Finding]) -> Vec<&Finding> {
    let mut out: Vec<&Finding> = results.iter().collect();
    out.sort_by_key(|f| step_of(f).map_or(usize::MAX, |(n, _)| n));
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::checks::Outcome;
    use crate::project::Method;

    fn step(n: usize, name: &str, severity: Severity) -> Finding {
        Finding {
            check: "smoke.endpoints".into(),
            target: "https://example.test/".into(),
            host: "example.test".into(),
            port: None,
            severity,
            outcome: Outcome::Judged,
            title: format!("Smoke step {name:?}"),
            detail: String::new(),
            evidence: vec![format!("step {n} of 4: {name}"), "✓ status 200".into()],
            measured: Vec::new(),
        }
    }

    fn could_not(mut f: Finding, cause: Cause) -> Finding {
        f.severity = Severity::Info;
        f.outcome = Outcome::Inconclusive {
            cause,
            reason: "no answer".into(),
        };
        f
    }

    #[test]
    fn each_step_ends_one_way() {
        assert_eq!(
            StepState::of(&step(1, "homepage", Severity::Pass)),
            StepState::Passed
        );
        assert_eq!(
            StepState::of(&step(1, "homepage", Severity::Info)),
            StepState::Passed
        );
        assert_eq!(
            StepState::of(&step(2, "chat", Severity::High)),
            StepState::Failed
        );
        let timed_out = could_not(step(3, "api_health", Severity::Info), Cause::TimedOut);
        assert_eq!(StepState::of(&timed_out), StepState::Error);
        let absent = could_not(step(4, "webhook", Severity::Info), Cause::NothingToCheck);
        assert_eq!(StepState::of(&absent), StepState::Skipped);
        assert_eq!(StepState::Error.as_str(), "error");
        assert_eq!(StepState::Error.label(), "Could not run");
    }

    #[test]
    fn findings_are_put_in_step_order_and_counted() {
        let cut_off = Finding {
            evidence: vec!["the check was cut off".into()],
            ..could_not(step(0, "x", Severity::Info), Cause::TimedOut)
        };
        let results = vec![
            step(2, "chat", Severity::High),
            cut_off,
            could_not(step(4, "webhook", Severity::Info), Cause::NothingToCheck),
            step(1, "homepage", Severity::Pass),
            could_not(step(3, "api health", Severity::Info), Cause::Unreachable),
        ];
        let steps: Vec<Option<(usize, String)>> =
            ordered(&results).into_iter().map(step_of).collect();
        assert_eq!(
            steps,
            [
                Some((1, "homepage".to_string())),
                Some((2, "chat".to_string())),
                Some((3, "api health".to_string())),
                Some((4, "webhook".to_string())),
                None,
            ]
        );
        let tally = Tally::of(&results);
        assert_eq!(
            tally,
            Tally {
                tests: 5,
                passed: 1,
                failures: 1,
                errors: 2,
                skipped: 1
            }
        );
        assert!(!tally.all_passed());
        assert!(!Tally::of(&[]).all_passed(), "no step is not a pass");
        assert!(Tally::of(&results[3..4]).all_passed());
    }

    #[test]
    fn the_default_sequence_follows_the_endpoints_there_are() {
        let endpoint = |role| Endpoint {
            role,
            method: Method::Get,
            path: "/".into(),
            body: String::new(),
            headers: Vec::new(),
            expected_status: 200,
            auth: None,
        };
        let endpoints = [
            endpoint(EndpointRole::Webhook),
            endpoint(EndpointRole::Dashboard),
            endpoint(EndpointRole::Homepage),
            endpoint(EndpointRole::Chat),
        ];
        let names: Vec<String> = default_steps(&endpoints)
            .into_iter()
            .map(|s| s.name)
            .collect();
        assert_eq!(names, ["homepage", "chat", "webhook"]);
        assert!(default_steps(&[]).is_empty());
    }
}
