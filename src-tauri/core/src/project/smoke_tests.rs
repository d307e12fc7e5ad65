//! The smoke sequence on the project form: each step's problems on its own
//! field, and the canonical form of a good sequence.

use handover_model::{EndpointRole, Method, SmokeStep};

use super::*;

fn spec(steps: Vec<SmokeStep>) -> ProjectSpec {
    let endpoint = |role, method, path: &str| Endpoint {
        role,
        method,
        path: path.into(),
        body: String::new(),
        headers: Vec::new(),
        expected_status: 200,
        auth: None,
    };
    ProjectSpec {
        name: "Opsbot".into(),
        apex: "example.com".into(),
        endpoints: vec![
            endpoint(EndpointRole::Homepage, Method::Get, "/"),
            endpoint(EndpointRole::ApiHealth, Method::Get, "/health"),
        ],
        smoke_steps: steps,
        ..ProjectSpec::default()
    }
}

fn step(role: EndpointRole) -> SmokeStep {
    SmokeStep::for_role(role)
}

fn problems(steps: Vec<SmokeStep>) -> Vec<(String, String)> {
    match validate(&spec(steps)) {
        Ok(_) => Vec::new(),
        Err(errors) => errors.into_iter().map(|e| (e.field, e.message)).collect(),
    }
}

#[test]
fn a_good_sequence_is_kept_with_names_and_pointers_trimmed() {
    let mut health = step(EndpointRole::ApiHealth);
    health.name = "  API health  ".into();
    health.expect_status = Some(204);
    health.json_pointer = Some(" /checks/db ".into());
    health.body_contains = vec![" ok ".into()];
    health.max_ms = Some(120_000);
    let mut home = step(EndpointRole::Homepage);
    home.name = String::new();
    home.json_pointer = Some(String::new());
    home.max_ms = Some(1);
    let valid = validate(&spec(vec![health, home])).expect("valid");
    assert_eq!(valid.smoke_steps[0].name, "API health");
    assert_eq!(
        valid.smoke_steps[0].json_pointer.as_deref(),
        Some("/checks/db")
    );
    assert_eq!(
        valid.smoke_steps[0].body_contains,
        [" ok "],
        "kept as typed"
    );
    assert_eq!(valid.smoke_steps[1].display_name(), "homepage");
    assert_eq!(valid.smoke_steps[1].json_pointer.as_deref(), Some(""));
    assert_eq!(validate(&valid).unwrap(), valid, "canonical already");
    assert!(validate(&spec(Vec::new())).unwrap().smoke_steps.is_empty());
}

#[test]
fn each_bad_step_value_is_reported_on_its_field() {
    type Edit = fn(&mut SmokeStep);
    let table: &[(&str, Edit, &str)] = &[
        (
            "a role with no endpoint",
            |s| s.role = EndpointRole::Chat,
            "smoke_steps.1.role",
        ),
        (
            "a pointer without its slash",
            |s| s.json_pointer = Some("data/id".into()),
            "smoke_steps.1.json_pointer",
        ),
        (
            "a pointer with a bare tilde",
            |s| s.json_pointer = Some("/a~b".into()),
            "smoke_steps.1.json_pointer",
        ),
        (
            "no time at all",
            |s| s.max_ms = Some(0),
            "smoke_steps.1.max_ms",
        ),
        (
            "over two minutes",
            |s| s.max_ms = Some(120_001),
            "smoke_steps.1.max_ms",
        ),
        (
            "a blank text",
            |s| s.body_contains = vec!["ok".into(), "  ".into()],
            "smoke_steps.1.body_contains.1",
        ),
        (
            "a long text",
            |s| s.body_contains = vec!["x".repeat(201)],
            "smoke_steps.1.body_contains.0",
        ),
        (
            "a text over two lines",
            |s| s.body_contains = vec!["a\nb".into()],
            "smoke_steps.1.body_contains.0",
        ),
        (
            "a long name",
            |s| s.name = "n".repeat(81),
            "smoke_steps.1.name",
        ),
        (
            "a status that is not HTTP",
            |s| s.expect_status = Some(42),
            "smoke_steps.1.expect_status",
        ),
    ];
    for (what, edit, field) in table {
        let mut bad = step(EndpointRole::ApiHealth);
        edit(&mut bad);
        let found = problems(vec![step(EndpointRole::Homepage), bad]);
        let fields: Vec<&str> = found.iter().map(|(f, _)| f.as_str()).collect();
        assert_eq!(fields, [*field], "{what}: {found:?}");
        assert!(found[0].1.ends_with('.'), "{what}: {found:?}");
    }
}

#[test]
fn the_edges_of_each_limit_are_accepted() {
    let mut edge = step(EndpointRole::ApiHealth);
    edge.name = "n".repeat(80);
    edge.body_contains = vec!["x".repeat(200), "ü".repeat(200)];
    edge.json_pointer = Some("/a~0b/c~1d/0".into());
    edge.max_ms = Some(120_000);
    assert_eq!(problems(vec![edge]), Vec::<(String, String)>::new());
}

#[test]
fn messages_say_what_to_do() {
    let mut bad = step(EndpointRole::Chat);
    bad.json_pointer = Some("reply".into());
    let found = problems(vec![bad]);
    assert_eq!(
        found,
        [
            (
                "smoke_steps.0.role".to_string(),
                "No endpoint has the role \"Chat send\"; add one under Endpoints or pick \
                 another role."
                    .to_string()
            ),
            (
                "smoke_steps.0.json_pointer".to_string(),
                "A JSON pointer starts with /, e.g. /reply; leave it empty to only require JSON."
                    .to_string()
            ),
        ]
    );
}

#[test]
fn a_sequence_is_capped() {
    let found = problems(vec![step(EndpointRole::Homepage); MAX_SMOKE_STEPS + 1]);
    assert_eq!(
        found.iter().map(|(f, _)| f.as_str()).collect::<Vec<_>>(),
        ["smoke_steps"]
    );
}
