//! Tests of the built-in catalog and of validation errors.

use super::*;
use handover_model::Risk;

fn assert_tagged(ids: &[&str], tag: &str) {
    for id in ids {
        let item = builtin().item(id).unwrap_or_else(|| panic!("missing {id}"));
        assert!(item.tags.iter().any(|t| t == tag), "{id} lacks tag {tag}");
    }
}

#[test]
fn builtin_catalog_parses_and_validates() {
    let catalog = parse(BUILTIN_TOML).unwrap();
    assert_eq!(&catalog, builtin());
    assert!(catalog.items.len() >= 60, "{} items", catalog.items.len());
}

#[test]
fn ids_are_unique_across_the_catalog() {
    let c = builtin();
    let stage_ids = c.stages.iter().map(|s| &s.id);
    let ids: Vec<&String> = stage_ids.chain(c.items.iter().map(|i| &i.id)).collect();
    assert_eq!(ids.iter().collect::<HashSet<_>>().len(), ids.len());
}

#[test]
fn seven_stages_are_numbered_one_to_seven_in_order() {
    let stages = &builtin().stages;
    let ids: Vec<&str> = stages.iter().map(|s| s.id.as_str()).collect();
    let expected = "quick-audit stability-baseline security-hardening performance-cleanup \
                    observability production-deploy handover";
    assert_eq!(ids.join(" "), expected);
    let numbers: Vec<u8> = stages.iter().map(|s| s.number).collect();
    assert_eq!(numbers, [1, 2, 3, 4, 5, 6, 7]);
}

#[test]
fn every_stage_has_at_least_five_items_and_failure_signals() {
    let catalog = builtin();
    for stage in &catalog.stages {
        assert!(catalog.items_in(&stage.id).count() >= 5, "{}", stage.id);
        assert!(!stage.failure_signals.is_empty(), "{}", stage.id);
    }
}

#[test]
fn every_check_an_item_names_is_implemented_or_planned() {
    let implemented = crate::checks::implemented();
    let automated: Vec<_> = builtin()
        .items
        .iter()
        .filter(|i| i.kind == ItemKind::Automated)
        .collect();
    assert!(!automated.is_empty());
    for item in automated {
        assert!(!item.checks.is_empty(), "{}", item.id);
        for check in &item.checks {
            assert!(
                implemented.contains(&check.as_str())
                    || crate::checks::PLANNED.contains(&check.as_str()),
                "{}: {check} is neither implemented nor planned",
                item.id
            );
        }
    }
}

#[test]
fn a_catalog_naming_a_check_that_is_neither_is_refused() {
    let text = BUILTIN_TOML.replacen(
        "checks = [\"dns.caa\"]",
        "checks = [\"dns.caa\", \"dns.telepathy\"]",
        1,
    );
    assert_ne!(text, BUILTIN_TOML);
    assert!(matches!(
        parse(&text),
        Err(CatalogError::UnknownCheck { check, .. }) if check == "dns.telepathy"
    ));
}

#[test]
fn every_implemented_and_planned_check_is_used_by_some_item() {
    let used: HashSet<&str> = builtin()
        .items
        .iter()
        .flat_map(|i| &i.checks)
        .map(String::as_str)
        .collect();
    let implemented = crate::checks::implemented();
    let unused: Vec<_> = implemented
        .iter()
        .chain(crate::checks::PLANNED)
        .filter(|c| !used.contains(*c))
        .collect();
    assert!(unused.is_empty(), "{unused:?}");
}

#[test]
fn items_whose_checks_are_all_planned_are_marked_not_automated_yet() {
    for item in &builtin().items {
        let expected = item.kind == ItemKind::Automated
            && item
                .checks
                .iter()
                .all(|c| crate::checks::PLANNED.contains(&c.as_str()));
        assert_eq!(item.not_automated_yet, expected, "{}", item.id);
    }
    // Every automated item is automated once nothing is planned.
    assert_eq!(
        builtin().items.iter().any(|i| i.not_automated_yet),
        !crate::checks::PLANNED.is_empty()
    );
}

#[test]
fn the_ten_point_minimum_bar_is_covered() {
    assert!(builtin().tagged(tag::MINIMUM_BAR).count() >= 10);
    #[rustfmt::skip]
    let bar = [
        "dns-apex-resolves", "redirects-correct", "ssl-everywhere", "cdn-proxied",
        "secrets-out-of-repo", "secrets-out-of-bundle", "env-vars-per-environment",
        "uptime-three-endpoints", "email-spf", "email-dkim", "email-dmarc",
        "rollback-without-rebuild", "structured-logs-request-ids", "error-tracking",
        "p95-latency-dashboard",
    ];
    assert_tagged(&bar, tag::MINIMUM_BAR);
}

#[test]
fn the_fallback_rule_is_covered_and_blocks_launch() {
    let fallback: Vec<_> = builtin().tagged(tag::FALLBACK).collect();
    assert!(fallback.iter().any(|i| i.risk == Risk::Blocker));
    let ids = ["chat-timeout-fallback", "model-outage-fallback"];
    assert_tagged(&ids, tag::FALLBACK);
}

#[test]
fn the_seven_things_worth_automating_exist() {
    #[rustfmt::skip]
    let automate = [
        "smoke-tests-after-deploy", "secret-scanning-in-ci", "uptime-three-endpoints",
        "structured-logs-request-ids", "error-tracking", "query-timing", "ai-eval-set",
        "rate-limit-login", "rate-limit-chat",
    ];
    assert_tagged(&automate, tag::AUTOMATE);
}

#[test]
fn advisories_are_present() {
    assert!(builtin().advisories.len() >= 5);
}

#[test]
fn look_ups_find_stages_and_items() {
    let catalog = builtin();
    assert_eq!(catalog.stage("handover").map(|s| s.number), Some(7));
    assert!(catalog.stage("nope").is_none());
    let risk = catalog.item("ssl-everywhere").map(|i| i.risk);
    assert_eq!(risk, Some(Risk::Blocker));
    assert!(catalog
        .items_in("quick-audit")
        .all(|i| i.stage == "quick-audit"));
}

const STAGE: &str = "[[stage]]\nid = \"one\"\nnumber = 1\ntitle = \"One\"\n\
                     goal = \"g\"\ndeliverable = \"d\"\nfailure_signals = []\n";

fn item(id: &str, stage: &str, kind: &str, checks: &str) -> String {
    format!(
        "[[item]]\nid = \"{id}\"\nstage = \"{stage}\"\ntitle = \"t\"\nwhy = \"w\"\n\
         verify = \"v\"\nrisk = \"low\"\nkind = \"{kind}\"\nchecks = [{checks}]\n"
    )
}

fn manual(id: &str) -> String {
    item(id, "one", "manual", "")
}

#[test]
fn a_minimal_catalog_is_accepted() {
    let text = format!(
        "{STAGE}{}",
        item("a", "one", "automated", "\"dns.resolve\"")
    );
    assert!(parse(&text).unwrap().advisories.is_empty());
}

#[test]
fn each_kind_of_mistake_is_refused_with_its_own_error() {
    use CatalogError::*;
    let s = String::from;
    let stage_two = STAGE.replace("\"one\"", "\"two\"").replace("= 1", "= 2");
    let renumbered = STAGE.replace("= 1", "= 2");
    #[rustfmt::skip]
    let cases = [
        (vec![s(STAGE), manual("a"), manual("a")], DuplicateId(s("a"))),
        (vec![s(STAGE), manual("a"), item("b", "two", "manual", "")],
         UnknownStage { item: s("b"), stage: s("two") }),
        (vec![s(STAGE), item("a", "one", "automated", "\"dns.resolve\", \"dns.magic\"")],
         UnknownCheck { item: s("a"), check: s("dns.magic") }),
        (vec![s(STAGE), item("a", "one", "automated", "")], AutomatedWithoutChecks(s("a"))),
        (vec![s(STAGE), item("a", "one", "manual", "\"dns.resolve\"")], ManualWithChecks(s("a"))),
        (vec![s(STAGE), stage_two, manual("a")], EmptyStage(s("two"))),
        (vec![renumbered, manual("a")], StageNumbering { stage: s("one"), expected: 1, found: 2 }),
        (vec![s(STAGE), manual("a") + "tags = [\"urgent\"]\n"],
         UnknownTag { item: s("a"), tag: s("urgent") }),
        (vec![s(STAGE), manual("Bad_Id")], InvalidId(s("Bad_Id"))),
        (vec![s(STAGE), manual("a").replace("\"t\"", "\" \"")],
         BlankField { id: s("a"), field: "title" }),
    ];
    for (parts, expected) in cases {
        assert_eq!(parse(&parts.concat()), Err(expected));
    }
}

#[test]
fn malformed_toml_and_unknown_risks_are_syntax_errors() {
    assert!(matches!(
        parse("[[stage]\nid ="),
        Err(CatalogError::Syntax(_))
    ));
    let bad_risk = format!("{STAGE}{}", manual("a").replace("\"low\"", "\"urgent\""));
    assert!(matches!(parse(&bad_risk), Err(CatalogError::Syntax(m)) if m.contains("urgent")));
}
