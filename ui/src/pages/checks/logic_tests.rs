use super::*;
use handover_model::{ChecklistItem, ItemKind, Risk, Stage};

fn finding(check: &str, target: &str, severity: Severity) -> Finding {
    Finding {
        check: check.to_string(),
        target: target.to_string(),
        severity,
        title: format!("{check} on {target}"),
        detail: String::new(),
        evidence: Vec::new(),
        measured: Vec::new(),
    }
}

fn stage(id: &str, number: u8) -> Stage {
    Stage {
        id: id.to_string(),
        number,
        title: id.to_string(),
        goal: String::new(),
        deliverable: String::new(),
        failure_signals: Vec::new(),
    }
}

fn item(id: &str, stage: &str, checks: &[&str]) -> ChecklistItem {
    ChecklistItem {
        id: id.to_string(),
        stage: stage.to_string(),
        title: format!("Item {id}"),
        why: String::new(),
        verify: String::new(),
        risk: Risk::High,
        kind: ItemKind::Automated,
        checks: checks.iter().map(|c| c.to_string()).collect(),
        tags: Vec::new(),
    }
}

fn catalog() -> Catalog {
    Catalog {
        stages: vec![stage("quick-audit", 1), stage("security-hardening", 3)],
        items: vec![
            item("tls", "quick-audit", &["tls.expiry", "tls.chain"]),
            item("manual", "quick-audit", &[]),
            item("hsts", "security-hardening", &["headers.hsts"]),
            item("tls-again", "security-hardening", &["tls.expiry"]),
        ],
        advisories: Vec::new(),
    }
}

const ALL: Filter = Filter {
    hide_pass: false,
    hide_info: false,
};

#[test]
fn hosts_come_from_urls_host_ports_and_bare_hosts() {
    assert_eq!(
        host_of("https://App.Example.com/login?x=1"),
        "app.example.com"
    );
    assert_eq!(host_of("http://user:pw@example.com:8080/a"), "example.com");
    assert_eq!(host_of("api.example.com:443"), "api.example.com");
    assert_eq!(host_of("example.com."), "example.com");
    assert_eq!(host_of(" example.com "), "example.com");
    assert_eq!(host_of("[2001:db8::1]:443"), "2001:db8::1");
    assert_eq!(host_of("https://[::1]/"), "::1");
    assert_eq!(host_of("2001:db8::1"), "2001:db8::1");
    assert_eq!(host_of(""), "");
}

#[test]
fn counts_follow_the_summary_order() {
    let findings = [
        finding("a", "x", Severity::Pass),
        finding("b", "x", Severity::Blocker),
        finding("c", "x", Severity::Blocker),
        finding("d", "x", Severity::Info),
    ];
    let counts = counts(&findings);
    assert_eq!(counts, [1, 1, 0, 0, 0, 2]);
    assert_eq!(count_of(&counts, Severity::Blocker), 2);
    assert_eq!(count_of(&counts, Severity::Pass), 1);
    assert_eq!(WORST_FIRST[0], Severity::Blocker);
    assert_eq!(severity_label(Severity::Medium), "Medium");
}

#[test]
fn findings_sort_worst_first_then_by_check_and_target() {
    let mut findings = vec![
        finding("b", "y", Severity::Low),
        finding("a", "z", Severity::High),
        finding("b", "x", Severity::Low),
        finding("a", "a", Severity::Low),
    ];
    sort_findings(&mut findings);
    let order: Vec<_> = findings
        .iter()
        .map(|f| format!("{}/{}", f.check, f.target))
        .collect();
    assert_eq!(order, ["a/z", "a/a", "b/x", "b/y"]);
}

#[test]
fn filter_hides_pass_and_info_only() {
    let filter = Filter {
        hide_pass: true,
        hide_info: true,
    };
    assert!(!filter.shows(&finding("a", "x", Severity::Pass)));
    assert!(!filter.shows(&finding("a", "x", Severity::Info)));
    assert!(filter.shows(&finding("a", "x", Severity::Low)));
    assert!(ALL.shows(&finding("a", "x", Severity::Pass)));
}

#[test]
fn by_host_puts_the_worst_host_first() {
    let findings = [
        finding("tls.expiry", "a.example.com:443", Severity::Low),
        finding("headers.hsts", "https://b.example.com/", Severity::High),
        finding("tls.chain", "https://a.example.com/x", Severity::Medium),
        finding("dns.ns", "c.example.com", Severity::Pass),
    ];
    let sections = by_host(&findings, ALL);
    let keys: Vec<_> = sections.iter().map(|s| s.key.as_str()).collect();
    assert_eq!(keys, ["b.example.com", "a.example.com", "c.example.com"]);
    let a = &sections[1].blocks[0].findings;
    assert_eq!(a[0].check, "tls.chain");
    assert_eq!(a[1].check, "tls.expiry");
    let hidden = by_host(
        &findings,
        Filter {
            hide_pass: true,
            hide_info: false,
        },
    );
    assert_eq!(hidden.len(), 2);
}

#[test]
fn by_stage_lists_a_finding_under_every_item_that_uses_its_check() {
    let findings = [
        finding("tls.expiry", "example.com:443", Severity::High),
        finding("headers.hsts", "https://example.com/", Severity::Pass),
        finding("engine", "example.com", Severity::Info),
    ];
    let sections = by_stage(&findings, &catalog(), ALL);
    let keys: Vec<_> = sections.iter().map(|s| s.key.as_str()).collect();
    assert_eq!(keys, ["quick-audit", "security-hardening", UNMAPPED]);
    assert_eq!(sections[0].title, "Stage 1 · quick-audit");
    assert_eq!(sections[0].blocks.len(), 1);
    assert_eq!(sections[0].blocks[0].title.as_deref(), Some("Item tls"));
    let second: Vec<_> = sections[1]
        .blocks
        .iter()
        .map(|b| b.title.clone().unwrap())
        .collect();
    assert_eq!(second, ["Item hsts", "Item tls-again"]);
    assert_eq!(sections[2].blocks[0].findings[0].check, "engine");
    let hidden = by_stage(
        &findings,
        &catalog(),
        Filter {
            hide_pass: true,
            hide_info: true,
        },
    );
    assert_eq!(hidden.len(), 2);
    assert_eq!(hidden[1].blocks.len(), 1);
}

#[test]
fn items_for_a_check_link_back_to_their_stage() {
    let items = items_for_check(&catalog(), "tls.expiry");
    let ids: Vec<_> = items
        .iter()
        .map(|i| (i.item_id.as_str(), i.stage_id.as_str()))
        .collect();
    assert_eq!(
        ids,
        [("tls", "quick-audit"), ("tls-again", "security-hardening")]
    );
    assert!(items_for_check(&catalog(), "nope").is_empty());
    assert_eq!(
        catalog_checks(&catalog()),
        ["tls.expiry", "tls.chain", "headers.hsts"]
    );
}

#[test]
fn durations_read_in_ms_or_seconds() {
    assert_eq!(elapsed(850), "850 ms");
    assert_eq!(elapsed(1_250), "1.2 s");
    let summary = RunSummary {
        id: 1,
        project_id: Some(1),
        started_ms: 10_000,
        finished_ms: 12_500,
        counts: [0; 6],
    };
    assert_eq!(run_duration(&summary), "2.5 s");
}

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
    assert_eq!(rows[0].elapsed_ms, Some(40));
    assert_eq!(rows[1].check, "x");
    assert_eq!(CheckState::Running.as_str(), "running");
}

#[test]
fn settling_finishes_checks_whose_events_were_lost() {
    let mut run = RunProgress::new(vec!["a".into(), "b".into()]);
    run.apply(Progress::Planned { checks: 3 });
    run.apply(Progress::Started { check: "a".into() });
    run.settle(&[
        finding("a", "x", Severity::Low),
        finding("a", "y", Severity::Medium),
    ]);
    let rows = run.rows();
    assert_eq!(rows.len(), 1);
    assert_eq!(rows[0].state, CheckState::Done);
    assert_eq!(rows[0].worst, Some(Severity::Medium));
    assert_eq!(rows[0].elapsed_ms, None);
    assert_eq!(run.summary(), "1 of 3 checks done");
}
