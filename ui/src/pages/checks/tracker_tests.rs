use super::*;
use crate::pages::checks::logic::tests::{finding, inconclusive};
use handover_model::Cause;

#[test]
fn progress_follows_the_events() {
    let mut run = RunProgress::new(vec!["a".into(), "b".into(), "c".into()]);
    assert_eq!(run.summary(), "Planning the checks…");
    assert_eq!(run.rows().len(), 3);
    run.apply(Progress::Planned { checks: 2 });
    run.apply(Progress::Started { check: "b".into() });
    let states: Vec<_> = run.rows().iter().map(|r| r.state).collect();
    assert_eq!(
        states,
        [
            CheckState::Running,
            CheckState::Waiting,
            CheckState::Waiting
        ]
    );
    run.apply(Progress::Finished {
        check: "b".into(),
        worst: Severity::High,
        inconclusive: 0,
        elapsed_ms: 40,
    });
    // A late `started` does not undo a finish.
    run.apply(Progress::Started { check: "b".into() });
    assert_eq!(run.done(), 1);
    assert_eq!(run.summary(), "1 of 2 checks done");
    // Once every planned check has started, the other candidates go.
    run.apply(Progress::Started { check: "x".into() });
    let rows = run.rows();
    assert_eq!(rows.len(), 2);
    assert_eq!(rows[0].worst, Some(Severity::High));
    assert_eq!(rows[0].worst_shown(), Some(Severity::High));
    assert_eq!(rows[0].elapsed_ms, Some(40));
    assert_eq!(rows[1].check, "x");
    assert_eq!(CheckState::Running.as_str(), "running");
}

#[test]
fn progress_says_how_many_checks_could_not_check() {
    let mut run = RunProgress::new(Vec::new());
    run.apply(Progress::Planned { checks: 3 });
    run.apply(Progress::Finished {
        check: "web.cors".into(),
        worst: Severity::Info,
        inconclusive: 2,
        elapsed_ms: 10,
    });
    run.apply(Progress::Finished {
        check: "tls.expiry".into(),
        worst: Severity::Low,
        inconclusive: 1,
        elapsed_ms: 10,
    });
    assert_eq!(run.summary(), "2 of 3 checks done · 2 could not check");
    let rows = run.rows();
    assert_eq!(rows[0].inconclusive, 2);
    // "Info" from a check that judged nothing is no verdict: no chip.
    assert_eq!(rows[0].worst_shown(), None);
    assert_eq!(rows[1].worst_shown(), Some(Severity::Low));
}

#[test]
fn settling_finishes_checks_whose_events_were_lost() {
    let mut run = RunProgress::new(vec!["a".into(), "b".into()]);
    run.apply(Progress::Planned { checks: 3 });
    run.apply(Progress::Started { check: "a".into() });
    run.apply(Progress::Started { check: "c".into() });
    run.settle(&[
        finding("a", "x", None, Severity::Low),
        finding("a", "y", None, Severity::Medium),
        inconclusive("a", "z", Cause::TimedOut),
        inconclusive("c", "z", Cause::Unreachable),
    ]);
    let rows = run.rows();
    assert_eq!(rows.len(), 2);
    assert_eq!(rows[0].state, CheckState::Done);
    // The worst judged finding; what could not be judged is counted apart.
    assert_eq!(rows[0].worst, Some(Severity::Medium));
    assert_eq!(rows[0].inconclusive, 1);
    assert_eq!(rows[0].elapsed_ms, None);
    assert_eq!(rows[1].worst, Some(Severity::Info));
    assert_eq!(rows[1].worst_shown(), None);
    assert_eq!(run.summary(), "2 of 3 checks done · 2 could not check");
}
