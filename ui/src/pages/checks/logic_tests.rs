use super::*;
use handover_model::{ChecklistItem, ItemKind, Risk, Stage};

/// A judged finding about `host` (and `port`), as the core sends it.
pub(crate) fn finding(check: &str, host: &str, port: Option<u16>, severity: Severity) -> Finding {
    let target = match port {
        Some(port) => format!("{host}:{port}"),
        None => host.to_string(),
    };
    Finding {
        check: check.to_string(),
        title: format!("{check} on {target}"),
        target,
        host: host.to_string(),
        port,
        severity,
        outcome: Outcome::Judged,
        detail: String::new(),
        evidence: Vec::new(),
        measured: Vec::new(),
    }
}

/// A finding whose check could not judge, for `cause`.
pub(crate) fn inconclusive(check: &str, host: &str, cause: Cause) -> Finding {
    Finding {
        outcome: Outcome::Inconclusive {
            cause,
            reason: format!("{host}:443 refused the connection"),
        },
        ..finding(check, host, None, Severity::Info)
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
        not_automated_yet: false,
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

const NO_PASS_NO_INFO: Filter = Filter {
    hide_pass: true,
    hide_info: true,
};

#[test]
fn counts_are_read_in_the_summary_order() {
    let counts = [1, 1, 0, 0, 0, 2];
    assert_eq!(count_of(&counts, Severity::Blocker), 2);
    assert_eq!(count_of(&counts, Severity::Pass), 1);
    assert_eq!(count_of(&counts, Severity::Info), 1);
    assert_eq!(WORST_FIRST[0], Severity::Blocker);
    assert_eq!(WORST_FIRST[5], Severity::Pass);
    assert_eq!(severity_label(Severity::Medium), "Medium");
    assert_eq!(inconclusive_text(0), None);
    assert_eq!(inconclusive_text(3).as_deref(), Some("3 could not check"));
}

#[test]
fn filter_hides_pass_and_info_but_never_what_could_not_be_checked() {
    assert!(!NO_PASS_NO_INFO.shows(&finding("a", "x", None, Severity::Pass)));
    assert!(!NO_PASS_NO_INFO.shows(&finding("a", "x", None, Severity::Info)));
    assert!(NO_PASS_NO_INFO.shows(&finding("a", "x", None, Severity::Low)));
    // Its severity is info, yet hiding info must not hide it.
    assert!(NO_PASS_NO_INFO.shows(&inconclusive("a", "x", Cause::Unreachable)));
    assert!(ALL.shows(&finding("a", "x", None, Severity::Pass)));
}

#[test]
fn a_retry_is_offered_only_where_it_can_help() {
    assert!(can_retry(&inconclusive("a", "x", Cause::Unreachable)));
    assert!(can_retry(&inconclusive("a", "x", Cause::TimedOut)));
    assert!(!can_retry(&inconclusive("a", "x", Cause::NotAutomated)));
    assert!(!can_retry(&finding("a", "x", None, Severity::High)));
}

#[test]
fn host_titles_name_the_ports_the_core_found() {
    assert_eq!(host_title("a.example.com", &[]), "a.example.com");
    assert_eq!(
        host_title("a.example.com", &[8443]),
        "a.example.com · port 8443"
    );
    assert_eq!(
        host_title("a.example.com", &[443, 8443]),
        "a.example.com · ports 443, 8443"
    );
    assert_eq!(host_title("", &[]), "No host");
}

#[test]
fn by_host_groups_on_the_core_s_host_and_keeps_its_order() {
    // The core's order: problems first, then what could not be checked.
    let findings = [
        finding("headers.hsts", "b.example.com", Some(8443), Severity::High),
        finding("tls.chain", "a.example.com", Some(8443), Severity::Medium),
        inconclusive("web.cors", "c.example.com", Cause::Unreachable),
        finding("tls.expiry", "a.example.com", None, Severity::Low),
        finding("dns.ns", "a.example.com", None, Severity::Pass),
        finding("dns.resolve", "b.example.com", Some(443), Severity::Pass),
    ];
    let sections = by_host(&findings, ALL);
    let keys: Vec<_> = sections.iter().map(|s| s.key.as_str()).collect();
    assert_eq!(keys, ["b.example.com", "a.example.com", "c.example.com"]);
    assert_eq!(sections[0].title, "b.example.com · ports 443, 8443");
    assert_eq!(sections[1].title, "a.example.com · port 8443");
    assert_eq!(sections[2].title, "c.example.com");
    let a: Vec<_> = sections[1].blocks[0]
        .findings
        .iter()
        .map(|f| f.check.as_str())
        .collect();
    assert_eq!(a, ["tls.chain", "tls.expiry", "dns.ns"]);
    let shown = by_host(&findings, NO_PASS_NO_INFO);
    assert_eq!(shown.len(), 3, "the inconclusive host stays");
    assert_eq!(shown[1].blocks[0].findings.len(), 2);
}

#[test]
fn by_stage_lists_a_finding_under_every_item_that_uses_its_check() {
    let findings = [
        finding("tls.expiry", "example.com", Some(443), Severity::High),
        finding("headers.hsts", "example.com", None, Severity::Pass),
        finding("engine", "example.com", None, Severity::Info),
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
    let hidden = by_stage(&findings, &catalog(), NO_PASS_NO_INFO);
    assert_eq!(hidden.len(), 2);
    assert_eq!(hidden[1].blocks.len(), 1);
}

#[test]
fn by_stage_keeps_the_core_s_order_within_an_item() {
    let findings = [
        finding("tls.chain", "a.example.com", None, Severity::High),
        inconclusive("tls.expiry", "b.example.com", Cause::TimedOut),
        finding("tls.expiry", "a.example.com", None, Severity::Pass),
    ];
    let sections = by_stage(&findings, &catalog(), ALL);
    let order: Vec<_> = sections[0].blocks[0]
        .findings
        .iter()
        .map(|f| (f.check.as_str(), f.host.as_str()))
        .collect();
    assert_eq!(
        order,
        [
            ("tls.chain", "a.example.com"),
            ("tls.expiry", "b.example.com"),
            ("tls.expiry", "a.example.com"),
        ]
    );
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
        inconclusive: 0,
        source: handover_model::RunSource::Window,
        subject: "Acme".to_string(),
    };
    assert_eq!(run_duration(&summary), "2.5 s");
}

#[test]
fn measured_numbers_read_plainly() {
    assert_eq!(number(100.0), "100");
    assert_eq!(number(42.022967), "42.0");
    assert_eq!(number(0.05), "0.050");
}
