use serde_json::Value;

use super::fixture::{bed, CANARY, DATE};
use super::schema_check::violations;
use super::*;
use crate::report::doc::{Block, Chart};
use crate::report::markdown;

const SCHEMA_FILE: &str = include_str!("../../../../../assets/report.schema.json");

const TOP_LEVEL: [&str; 13] = [
    "schema",
    "date",
    "meta",
    "verdict",
    "watch",
    "blockers",
    "checklist",
    "accounts",
    "evidence",
    "charts",
    "rollback",
    "limitations",
    "next_steps",
];

fn schema() -> Value {
    serde_json::from_str(SCHEMA_FILE).expect("assets/report.schema.json parses")
}

fn type_name(value: &Value) -> &'static str {
    match value {
        Value::Null => "null",
        Value::Bool(_) => "boolean",
        Value::Number(n) if n.is_i64() || n.is_u64() => "integer",
        Value::Number(_) => "number",
        Value::String(_) => "string",
        Value::Array(_) => "array",
        Value::Object(_) => "object",
    }
}

/// The type a top-level property of the schema declares (through `$ref`,
/// `const` counts as string).
fn declared_type(root: &Value, property: &Value) -> String {
    if let Some(r) = property.get("$ref").and_then(Value::as_str) {
        let name = r.trim_start_matches("#/$defs/");
        return declared_type(root, &root["$defs"][name]);
    }
    if property.get("const").is_some_and(Value::is_string) {
        return "string".into();
    }
    property["type"].as_str().unwrap_or("?").to_string()
}

#[test]
fn the_json_matches_the_schema_file() {
    let bed = bed();
    let data = gather(&bed.input()).unwrap();
    let text = json(&data);
    let value: Value = serde_json::from_str(&text).unwrap();
    let schema = schema();
    assert_eq!(
        schema["$schema"],
        "https://json-schema.org/draft/2020-12/schema"
    );

    // The pin: the top-level keys, their types, and `required`.
    let object = value.as_object().unwrap();
    let properties = schema["properties"].as_object().unwrap();
    let mut keys: Vec<&str> = object.keys().map(String::as_str).collect();
    let mut declared: Vec<&str> = properties.keys().map(String::as_str).collect();
    let mut required: Vec<&str> = schema["required"]
        .as_array()
        .unwrap()
        .iter()
        .map(|v| v.as_str().unwrap())
        .collect();
    keys.sort_unstable();
    declared.sort_unstable();
    required.sort_unstable();
    assert_eq!(keys, declared, "output keys = schema properties");
    assert_eq!(keys, required, "every key is required");
    for (key, v) in object {
        assert_eq!(
            type_name(v),
            declared_type(&schema, &properties[key]),
            "type of {key}"
        );
    }
    // Keys come in field order, as documented.
    let positions: Vec<usize> = TOP_LEVEL
        .iter()
        .map(|k| text.find(&format!("\n  \"{k}\":")).unwrap())
        .collect();
    assert!(positions.windows(2).all(|w| w[0] < w[1]), "{positions:?}");

    // And the whole document validates, nested objects included.
    let problems = violations(&schema, &schema, &value, "$");
    assert!(problems.is_empty(), "{problems:#?}");
    assert_eq!(value["schema"], SCHEMA);
    assert_eq!(value["meta"]["apex"], "bücher.example");
}

#[test]
fn the_schema_rejects_what_the_report_must_not_hold() {
    let bed = bed();
    let mut value: Value = serde_json::from_str(&json(&gather(&bed.input()).unwrap())).unwrap();
    let schema = schema();
    value["accounts"]["accounts"][0]["credentials"] = serde_json::json!([{
        "kind": "API key", "label": "live key", "kept": "kept in the OS keychain",
        "changed": "2026-08-30", "value": "sk_live_x"
    }]);
    value["watch"][0]["urgency"] = serde_json::json!(7);
    let problems = violations(&schema, &schema, &value, "$");
    assert!(
        problems.iter().any(|p| p.contains("unexpected key value")),
        "{problems:?}"
    );
    assert!(
        problems.iter().any(|p| p.contains("watch[0].urgency")),
        "{problems:?}"
    );
}

#[test]
fn the_same_data_gives_the_same_exports() {
    let bed = bed();
    let (a, b) = (gather(&bed.input()).unwrap(), gather(&bed.input()).unwrap());
    assert_eq!(a, b);
    assert_eq!(json(&a), json(&b));
    assert_eq!(document(&a), document(&b));
    assert_eq!(
        markdown::render(&document(&a)),
        markdown::render(&document(&b))
    );
}

#[test]
fn a_bad_date_is_refused() {
    let bed = bed();
    let mut input = bed.input();
    input.date = "2026-2-30";
    assert!(matches!(gather(&input), Err(ReportError::Date(d)) if d == "2026-2-30"));
}

#[test]
fn no_secret_reaches_the_report() {
    use std::sync::Arc;
    let bed = bed();
    // The canary lives where secrets live: in the keychain, under the
    // Stripe key's entry.
    let store: Arc<keyring_core::CredentialStore> = keyring_core::mock::Store::new().unwrap();
    let vault = crate::vault::Vault::with_store("mock store", store);
    let entry = crate::vault::EntryName {
        service: "dev.handover.workbench".into(),
        user: "credential-51".into(),
    };
    let canary = handover_model::SecretText::new(CANARY.to_string());
    vault.put(&entry, &canary).unwrap();
    assert_eq!(vault.get(&entry).unwrap().expose(), CANARY);

    let data = gather(&bed.input()).unwrap();
    let text = json(&data);
    let md = markdown::render(&document(&data));
    for (name, out) in [("JSON", &text), ("Markdown", &md)] {
        assert!(!out.contains(CANARY), "the canary reached the {name}");
        assert!(
            !out.contains("CANARY"),
            "part of the canary reached the {name}"
        );
    }
    // The credential is named, and where it is kept is said.
    let stripe = data
        .accounts
        .accounts
        .iter()
        .find(|a| a.provider == "Stripe")
        .unwrap();
    assert_eq!(stripe.credentials[0].label, "live key");
    assert_eq!(stripe.credentials[0].kept, "kept in the OS keychain");
    assert!(md.contains("API key “live key”: kept in the OS keychain"));
}

#[test]
fn page_one_holds_ten_and_the_appendix_the_rest() {
    let bed = bed();
    let data = gather(&bed.input()).unwrap();
    assert_eq!(data.watch.len(), 13);
    assert_eq!(data.watch.iter().filter(|w| w.page_one).count(), 10);
    assert!(data.watch[..10].iter().all(|w| w.page_one));
    assert_eq!(data.watch[10].rank, 11);
    let doc = document(&data);
    let ids: Vec<&str> = doc.sections.iter().map(|s| s.id.as_str()).collect();
    assert_eq!(
        ids,
        [
            "watch",
            "blockers",
            "checklist",
            "accounts",
            "evidence",
            "charts",
            "rollback",
            "limitations",
            "next",
            "appendix"
        ]
    );
    let rows = |blocks: &[Block]| {
        blocks
            .iter()
            .find_map(|b| match b {
                Block::Table { rows, .. } => Some(rows.len()),
                _ => None,
            })
            .unwrap()
    };
    assert_eq!(rows(&doc.sections[0].blocks), 10);
    assert!(doc.sections[0]
        .blocks
        .contains(&Block::Note("3 more in the appendix.".into())));
    assert_eq!(doc.sections[8].blocks.last(), Some(&Block::PageBreak));
    assert_eq!(doc.sections[9].title, "Appendix: more to watch");
    assert_eq!(rows(&doc.sections[9].blocks), 3);

    // Ten or fewer: no appendix, no page break.
    let mut few = data.clone();
    few.watch.truncate(10);
    let doc = document(&few);
    assert_eq!(doc.sections.len(), 9);
    assert!(!doc.sections[8].blocks.contains(&Block::PageBreak));
}

#[test]
fn the_cover_and_sections_say_what_the_data_says() {
    let bed = bed();
    let data = gather(&bed.input()).unwrap();
    let doc = document(&data);
    assert_eq!(doc.title, "Handover — Opsbot");
    assert_eq!(doc.date, DATE);
    assert_eq!(doc.cover.domain, "bücher.example");
    assert_eq!(doc.cover.verdict, "NO-GO");
    assert!(!doc.cover.go);
    let c = &data.verdict.counts;
    assert_eq!(
        (c.high_findings, c.could_not_check, c.checks_run),
        (3, 2, 8)
    );
    assert_eq!(doc.cover.counts[2], "2 could not be checked");
    assert_eq!(doc.cover.counts[3], "8 checks run");
    assert!(!doc.cover.reasons.is_empty());
    assert!(doc.sections[0].blocks.contains(&Block::Note(
        "2 findings of the latest run could not be checked: see Known limitations. None counts as fine."
            .into()
    )));

    // Inconclusive is shown as such, never as passed.
    let stage2 = data.checklist.iter().find(|s| s.number == 2).unwrap();
    let fallback = stage2
        .items
        .iter()
        .find(|i| i.id == "chat-timeout-fallback")
        .unwrap();
    assert_eq!(fallback.state, "could_not_check");
    assert!(data
        .blockers
        .iter()
        .any(|b| b.id == "chat-timeout-fallback" && !b.could_not_check.is_empty()));
    let evidence_api = data
        .evidence
        .iter()
        .find(|h| h.host == "api.bücher.example")
        .unwrap();
    let unchecked = evidence_api
        .findings
        .iter()
        .find(|f| f.check == "chat.fallback")
        .unwrap();
    assert_eq!(
        (unchecked.severity, unchecked.state.as_str()),
        (None, "could not check")
    );
    assert_eq!(data.limitations.could_not_check.len(), 2);
    assert_eq!(data.limitations.could_not_check[0].cause, "unreachable");

    // Charts: chat and login series over seven runs, oldest first, with targets.
    let chat = &data.charts.latency[0];
    assert_eq!((chat.name.as_str(), chat.points.len()), ("chat p95", 7));
    assert_eq!(chat.points[0].value, 1800.0);
    assert_eq!(chat.target_ms, Some(2500.0));
    assert!(chat.slope_ms_per_run.unwrap() > 0.0);
    let charts = &doc.sections[5];
    let target = charts.blocks.iter().find_map(|b| match b {
        Block::Chart(Chart::Lines { target, series, .. }) => Some((target.clone(), series.len())),
        _ => None,
    });
    assert_eq!(target, Some((Some(("target".to_string(), 2500.0)), 2)));
    assert_eq!(data.charts.severity.len(), 7);
}

#[test]
fn without_runs_the_report_says_there_is_no_data() {
    let mut bed = bed();
    bed.runs.clear();
    let data = gather(&bed.input()).unwrap();
    assert!(data.charts.latency.is_empty() && data.charts.severity.is_empty());
    assert!(data.evidence.is_empty());
    let doc = document(&data);
    let charts = &doc.sections[5];
    assert!(charts.blocks.iter().all(|b| matches!(b, Block::Note(_))));
    assert!(!data.rollback.recorded);
    let rollback = markdown::render(&doc);
    assert!(rollback.contains("Nothing is recorded about rollback or deployment yet"));
    assert!(rollback.contains("No live checks have run yet"));
}

#[test]
fn the_report_code_never_touches_a_secret() {
    // The report is built from metadata only: no file that makes it names
    // the secret type, reads the keychain or exposes a value.
    let sources = [
        ("content/mod.rs", include_str!("mod.rs")),
        ("content/data.rs", include_str!("data.rs")),
        ("content/gather.rs", include_str!("gather.rs")),
        ("content/live.rs", include_str!("live.rs")),
        ("content/document.rs", include_str!("document.rs")),
        (
            "content/document_accounts.rs",
            include_str!("document_accounts.rs"),
        ),
        ("content/document_live.rs", include_str!("document_live.rs")),
        ("watch/mod.rs", include_str!("../watch/mod.rs")),
        ("watch/live.rs", include_str!("../watch/live.rs")),
        ("watch/endpoints.rs", include_str!("../watch/endpoints.rs")),
        ("watch/people.rs", include_str!("../watch/people.rs")),
        ("markdown.rs", include_str!("../markdown.rs")),
    ];
    for (name, text) in sources {
        for word in ["SecretText", ".expose(", "vault::", "Vault"] {
            assert!(!text.contains(word), "{name} mentions {word}");
        }
    }
}
