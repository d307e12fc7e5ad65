//! Runs checks concurrently (bounded), each under its own deadline, and
//! reports progress as it goes. A check that overruns is cut off, and one
//! that panics is contained: both are reported as inconclusive findings.

use std::sync::Arc;
use std::time::{Duration, Instant};

use futures_util::FutureExt;
use handover_model::{Cause, Finding, Progress, Severity};
use tokio::sync::Semaphore;

use super::{inconclusive, Check, CheckTarget};

/// How a run is bounded.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RunLimits {
    /// Checks running at the same time.
    pub concurrency: usize,
}

impl Default for RunLimits {
    fn default() -> Self {
        Self { concurrency: 32 }
    }
}

/// Runs every check that applies to `target`; a check that does not apply
/// yields one inconclusive "nothing to check" finding naming what it needs.
/// Returns all findings in the order every face lists them
/// ([`super::sort`]). `progress` is called from the runner's tasks.
pub async fn run_all(
    checks: &[Arc<dyn Check>],
    target: Arc<CheckTarget>,
    limits: RunLimits,
    progress: Arc<dyn Fn(Progress) + Send + Sync>,
) -> Vec<Finding> {
    let (applicable, idle): (Vec<_>, Vec<_>) =
        checks.iter().cloned().partition(|c| c.applies(&target));
    let mut all: Vec<Finding> = idle
        .iter()
        .map(|check| {
            inconclusive(
                check.id(),
                target.name(),
                Cause::NothingToCheck,
                format!(
                    "this check needs {}, and the project names none",
                    check.needs()
                ),
            )
        })
        .collect();
    progress(Progress::Planned {
        checks: applicable.len() as u32,
    });
    let permits = Arc::new(Semaphore::new(limits.concurrency.max(1)));
    let mut tasks = tokio::task::JoinSet::new();
    let mut ids = std::collections::HashMap::new();
    for check in applicable {
        let (target, permits, progress) = (target.clone(), permits.clone(), progress.clone());
        let id = check.id();
        let handle = tasks.spawn(async move {
            let _permit = permits
                .acquire_owned()
                .await
                .expect("the semaphore is never closed");
            progress(Progress::Started {
                check: check.id().to_string(),
            });
            let started = Instant::now();
            let findings = run_one(check.as_ref(), &target).await;
            progress(Progress::Finished {
                check: check.id().to_string(),
                worst: findings
                    .iter()
                    .filter(|f| !f.outcome.is_inconclusive())
                    .map(|f| f.severity)
                    .max()
                    .unwrap_or(Severity::Info),
                inconclusive: findings
                    .iter()
                    .filter(|f| f.outcome.is_inconclusive())
                    .count() as u32,
                elapsed_ms: started.elapsed().as_millis() as u64,
            });
            findings
        });
        ids.insert(handle.id(), id);
    }
    while let Some(done) = tasks.join_next_with_id().await {
        match done {
            Ok((_, findings)) => all.extend(findings),
            Err(err) => all.push(inconclusive(
                ids.get(&err.id()).copied().unwrap_or("engine"),
                target.name(),
                Cause::Panicked,
                format!("the check's task failed ({err}); this is a bug in Handover"),
            )),
        }
    }
    super::sort(&mut all);
    all
}

/// One check under its deadline, with panics turned into findings; both
/// are inconclusive: the check did not get to judge.
async fn run_one(check: &dyn Check, target: &CheckTarget) -> Vec<Finding> {
    let deadline = check.deadline();
    let outcome = tokio::time::timeout(
        deadline,
        std::panic::AssertUnwindSafe(check.run(target)).catch_unwind(),
    )
    .await;
    match outcome {
        Ok(Ok(findings)) => findings,
        Ok(Err(_panic)) => vec![inconclusive(
            check.id(),
            target.name(),
            Cause::Panicked,
            "the check crashed — a bug in Handover, not a finding about the product; the other checks ran",
        )],
        Err(_elapsed) => vec![inconclusive(
            check.id(),
            target.name(),
            Cause::TimedOut,
            format!(
                "stopped at its {} deadline: something it talked to stalled or was too slow",
                describe(deadline)
            ),
        )],
    }
}

fn describe(d: Duration) -> String {
    if d.as_millis().is_multiple_of(1000) {
        format!("{} s", d.as_secs())
    } else {
        format!("{} ms", d.as_millis())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::checks::{finding, CheckFuture};
    use handover_model::Outcome;
    use std::sync::Mutex;

    struct Sleepy {
        id: &'static str,
        sleep: Duration,
        deadline: Duration,
    }

    impl Check for Sleepy {
        fn id(&self) -> &'static str {
            self.id
        }
        fn deadline(&self) -> Duration {
            self.deadline
        }
        fn run<'a>(&'a self, target: &'a CheckTarget) -> CheckFuture<'a> {
            Box::pin(async move {
                tokio::time::sleep(self.sleep).await;
                vec![finding(
                    self.id,
                    target.apex.clone(),
                    Severity::Pass,
                    "ok",
                    "",
                )]
            })
        }
    }

    struct Panicky;

    impl Check for Panicky {
        fn id(&self) -> &'static str {
            "test.panic"
        }
        fn run<'a>(&'a self, _: &'a CheckTarget) -> CheckFuture<'a> {
            Box::pin(async { panic!("boom") })
        }
    }

    struct Idle;

    impl Check for Idle {
        fn id(&self) -> &'static str {
            "test.idle"
        }
        fn applies(&self, _: &CheckTarget) -> bool {
            false
        }
        fn needs(&self) -> &'static str {
            "old → new addresses"
        }
        fn run<'a>(&'a self, _: &'a CheckTarget) -> CheckFuture<'a> {
            unreachable!("a check that does not apply is never run")
        }
    }

    fn target() -> Arc<CheckTarget> {
        Arc::new(CheckTarget {
            apex: "example.test".into(),
            hosts: vec!["example.test".into()],
            ..CheckTarget::default()
        })
    }

    fn sleepers(n: usize, sleep: Duration) -> Vec<Arc<dyn Check>> {
        (0..n)
            .map(|_| {
                Arc::new(Sleepy {
                    id: "s",
                    sleep,
                    deadline: Duration::from_secs(30),
                }) as Arc<dyn Check>
            })
            .collect()
    }

    fn cause_of(f: &Finding) -> Option<Cause> {
        match f.outcome {
            Outcome::Inconclusive { cause, .. } => Some(cause),
            Outcome::Judged => None,
        }
    }

    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn overruns_panics_and_idle_checks_are_inconclusive_not_passes() {
        let checks: Vec<Arc<dyn Check>> = vec![
            Arc::new(Sleepy {
                id: "fast",
                sleep: Duration::from_millis(10),
                deadline: Duration::from_secs(5),
            }),
            Arc::new(Sleepy {
                id: "slow",
                sleep: Duration::from_secs(30),
                deadline: Duration::from_millis(300),
            }),
            Arc::new(Panicky),
            Arc::new(Idle),
        ];
        let events = Arc::new(Mutex::new(Vec::new()));
        let sink = events.clone();
        let started = Instant::now();
        let findings = run_all(
            &checks,
            target(),
            RunLimits::default(),
            Arc::new(move |p| sink.lock().unwrap().push(p)),
        )
        .await;
        assert!(
            started.elapsed() < Duration::from_secs(5),
            "the 30 s check was cut off at its deadline: {:?}",
            started.elapsed()
        );
        let by_check: Vec<(&str, Option<Cause>)> = findings
            .iter()
            .map(|f| (f.check.as_str(), cause_of(f)))
            .collect();
        assert_eq!(by_check.len(), 4);
        for (check, cause) in [
            ("slow", Some(Cause::TimedOut)),
            ("test.panic", Some(Cause::Panicked)),
            ("test.idle", Some(Cause::NothingToCheck)),
            ("fast", None),
        ] {
            assert!(by_check.contains(&(check, cause)), "{check}: {by_check:?}");
        }
        let idle = findings.iter().find(|f| f.check == "test.idle").unwrap();
        assert!(idle
            .outcome
            .reason()
            .unwrap()
            .contains("old → new addresses"));
        // Inconclusive findings list before the pass.
        assert_eq!(findings.last().unwrap().check, "fast");
        let events = events.lock().unwrap();
        assert_eq!(events[0], Progress::Planned { checks: 3 });
        let finished: Vec<_> = events
            .iter()
            .filter_map(|e| match e {
                Progress::Finished {
                    check,
                    inconclusive,
                    ..
                } => Some((check.as_str(), *inconclusive)),
                _ => None,
            })
            .collect();
        assert_eq!(finished.len(), 3);
        assert!(finished.contains(&("slow", 1)) && finished.contains(&("fast", 0)));
    }

    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn checks_run_at_the_same_time_not_one_by_one() {
        // Eight checks of 300 ms each: one by one that is 2.4 s.
        let sleep = Duration::from_millis(300);
        let checks = sleepers(8, sleep);
        let started = Instant::now();
        let findings = run_all(&checks, target(), RunLimits::default(), Arc::new(|_| {})).await;
        let wall = started.elapsed();
        assert_eq!(findings.len(), 8);
        assert!(
            wall < sleep * 4,
            "eight 300 ms checks took {wall:?}: they ran one after another"
        );
    }

    #[tokio::test]
    async fn concurrency_is_bounded() {
        let sleep = Duration::from_millis(100);
        let started = Instant::now();
        run_all(
            &sleepers(4, sleep),
            target(),
            RunLimits { concurrency: 2 },
            Arc::new(|_| {}),
        )
        .await;
        assert!(started.elapsed() >= sleep * 2, "two at a time: two rounds");
    }
}
