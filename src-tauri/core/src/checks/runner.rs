//! Runs checks concurrently (bounded), each under its own deadline, and
//! reports progress as it goes. A check that overruns is cut off and
//! reported as a finding; a check that panics is reported, not propagated.

use std::sync::Arc;
use std::time::{Duration, Instant};

use futures_util::FutureExt;
use handover_model::{Finding, Progress, Severity};
use tokio::sync::Semaphore;

use super::{finding, Check, CheckTarget};

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

/// Runs every check that applies to `target`; returns all findings, most
/// severe first. `progress` is called from the runner's tasks.
pub async fn run_all(
    checks: &[Arc<dyn Check>],
    target: Arc<CheckTarget>,
    limits: RunLimits,
    progress: Arc<dyn Fn(Progress) + Send + Sync>,
) -> Vec<Finding> {
    let applicable: Vec<Arc<dyn Check>> = checks
        .iter()
        .filter(|c| c.applies(&target))
        .cloned()
        .collect();
    progress(Progress::Planned {
        checks: applicable.len() as u32,
    });
    let permits = Arc::new(Semaphore::new(limits.concurrency.max(1)));
    let mut tasks = tokio::task::JoinSet::new();
    for check in applicable {
        let (target, permits, progress) = (target.clone(), permits.clone(), progress.clone());
        tasks.spawn(async move {
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
                    .map(|f| f.severity)
                    .max()
                    .unwrap_or(Severity::Pass),
                elapsed_ms: started.elapsed().as_millis() as u64,
            });
            findings
        });
    }
    let mut all = Vec::new();
    while let Some(done) = tasks.join_next().await {
        match done {
            Ok(findings) => all.extend(findings),
            Err(err) => all.push(finding(
                "engine",
                target.apex.clone(),
                Severity::Info,
                "A check task failed",
                err.to_string(),
            )),
        }
    }
    all.sort_by(|a, b| {
        b.severity
            .cmp(&a.severity)
            .then_with(|| a.check.cmp(&b.check))
            .then_with(|| a.target.cmp(&b.target))
    });
    all
}

/// One check under its deadline, with panics turned into findings.
async fn run_one(check: &dyn Check, target: &CheckTarget) -> Vec<Finding> {
    let deadline = check.deadline();
    let outcome = tokio::time::timeout(
        deadline,
        std::panic::AssertUnwindSafe(check.run(target)).catch_unwind(),
    )
    .await;
    match outcome {
        Ok(Ok(findings)) => findings,
        Ok(Err(_panic)) => vec![finding(
            check.id(),
            target.apex.clone(),
            Severity::Info,
            "The check failed unexpectedly",
            "This is a bug in Handover, not a finding about the product; the other checks ran.",
        )],
        Err(_elapsed) => vec![finding(
            check.id(),
            target.apex.clone(),
            Severity::Medium,
            format!("No answer within {}", describe(deadline)),
            "The check was stopped at its deadline: something it talked to stalled or was too slow.",
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
    use crate::checks::CheckFuture;
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

    fn target() -> Arc<CheckTarget> {
        Arc::new(CheckTarget {
            apex: "example.test".into(),
            hosts: vec!["example.test".into()],
            ..CheckTarget::default()
        })
    }

    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn checks_run_concurrently_and_overruns_are_cut_off() {
        let checks: Vec<Arc<dyn Check>> = vec![
            Arc::new(Sleepy {
                id: "a",
                sleep: Duration::from_millis(200),
                deadline: Duration::from_secs(5),
            }),
            Arc::new(Sleepy {
                id: "b",
                sleep: Duration::from_millis(200),
                deadline: Duration::from_secs(5),
            }),
            Arc::new(Sleepy {
                id: "slow",
                sleep: Duration::from_secs(30),
                deadline: Duration::from_millis(300),
            }),
            Arc::new(Panicky),
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
        let wall = started.elapsed();
        assert!(
            wall < Duration::from_secs(3),
            "the 30 s check was cut off at its deadline: {wall:?}"
        );
        assert_eq!(findings[0].check, "slow");
        assert_eq!(findings[0].severity, Severity::Medium);
        assert!(findings
            .iter()
            .any(|f| f.check == "test.panic" && f.severity == Severity::Info));
        let events = events.lock().unwrap();
        assert_eq!(events[0], Progress::Planned { checks: 4 });
        let finished = events
            .iter()
            .filter(|e| matches!(e, Progress::Finished { .. }))
            .count();
        assert_eq!(finished, 4);
    }

    #[tokio::test]
    async fn concurrency_is_bounded() {
        let checks: Vec<Arc<dyn Check>> = (0..4)
            .map(|_| {
                Arc::new(Sleepy {
                    id: "s",
                    sleep: Duration::from_millis(100),
                    deadline: Duration::from_secs(5),
                }) as Arc<dyn Check>
            })
            .collect();
        let started = Instant::now();
        run_all(
            &checks,
            target(),
            RunLimits { concurrency: 2 },
            Arc::new(|_| {}),
        )
        .await;
        assert!(
            started.elapsed() >= Duration::from_millis(200),
            "two at a time: two rounds"
        );
    }
}
