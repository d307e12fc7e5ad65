//! `handover smoke` against the loopback test bed: one line per step, the
//! JUnit and JSON reports CI reads, and the exit codes 0, 1 and 2.

use std::path::Path;
use std::process::{Command, Output};

use handover_testbed::{handler, Response, TestBed};

/// The bed's product: a home page, a chat that answers a POSTed `ping`,
/// and a health probe that is down.
async fn bed() -> TestBed {
    TestBed::builder()
        .site(
            "example.test",
            handler(|req| match req.path() {
                "/" => Response::html("<h1>Welcome</h1>"),
                _ => Response::not_found(),
            }),
        )
        .site(
            "api.example.test",
            handler(|req| match (req.method.as_str(), req.path()) {
                ("POST", "/chat") if req.body == b"{\"message\":\"ping\"}" => Response::new(200)
                    .header("Content-Type", "application/json")
                    .body("{\"reply\":\"pong\"}"),
                ("GET", "/health") => Response::new(503)
                    .header("Content-Type", "application/json")
                    .body("{\"status\":\"down\"}"),
                _ => Response::not_found(),
            }),
        )
        .start()
        .await
        .unwrap()
}

/// A project file for the bed with `steps` as its smoke sequence.
fn project_toml(bed: &TestBed, steps: &str) -> String {
    format!(
        r#"name = "Bed <smoke> & co"
apex = "example.test"
subdomains = [{{ label = "api", purpose = "api" }}]
environments = [{{ kind = "production", base_url = "https://example.test:{port}" }}]
dns_server = "{dns}"
ca_file = "ca.pem"

[[endpoints]]
role = "homepage"
method = "GET"
path = "/"
expected_status = 200

[[endpoints]]
role = "chat"
method = "POST"
path = "/chat"
body = '{{"message":"ping"}}'
expected_status = 200
[[endpoints.headers]]
name = "Content-Type"
value = "application/json"

[[endpoints]]
role = "api_health"
method = "GET"
path = "/health"
expected_status = 200
{steps}"#,
        port = bed.https_port(),
        dns = bed.dns_server()
    )
}

fn handover(data_dir: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_handover"))
        .arg("--data-dir")
        .arg(data_dir)
        .args(args)
        .output()
        .unwrap()
}

/// Times vary from run to run: `time="0.012"` reads `time="T"`.
fn steady(xml: &str) -> String {
    let mut out = String::new();
    let mut rest = xml;
    while let Some(at) = rest.find("time=\"") {
        out.push_str(&rest[..at]);
        out.push_str("time=\"T\"");
        let after = &rest[at + 6..];
        rest = &after[after.find('"').map_or(after.len(), |end| end + 1)..];
    }
    out.push_str(rest);
    out
}

#[test]
fn smoke_with_a_config_writes_junit_and_exits_by_the_steps() {
    let runtime = tokio::runtime::Runtime::new().unwrap();
    let bed = runtime.block_on(bed());
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("ca.pem"), bed.ca_pem()).unwrap();
    let port = bed.https_port();

    // The default sequence: homepage, chat, API health (which is down).
    let file = dir.path().join("bed.toml");
    std::fs::write(&file, project_toml(&bed, "")).unwrap();
    let junit = dir.path().join("smoke.xml");
    let json = dir.path().join("smoke.json");
    let out = handover(
        dir.path(),
        &[
            "smoke",
            "--config",
            file.to_str().unwrap(),
            "--junit",
            junit.to_str().unwrap(),
            "--json",
            json.to_str().unwrap(),
        ],
    );
    let stdout = String::from_utf8_lossy(&out.stdout);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(1), "{stdout}\n{stderr}");
    let states: Vec<String> = stdout
        .lines()
        .map(|l| l.split_whitespace().take(3).collect::<Vec<_>>().join(" "))
        .collect();
    assert_eq!(
        states,
        ["passed 1 homepage", "passed 2 chat", "failed 3 api_health"],
        "{stdout}"
    );
    assert!(
        stderr.contains("3 steps: 2 passed, 1 failed, 0 could not run, 0 skipped"),
        "{stderr}"
    );
    let xml = std::fs::read_to_string(&junit).unwrap();
    let expected = format!(
        r#"<?xml version="1.0" encoding="UTF-8"?>
<testsuite name="Bed &lt;smoke&gt; &amp; co" tests="3" failures="1" errors="0" skipped="0" time="T">
  <testcase name="homepage" classname="smoke.endpoints" time="T"/>
  <testcase name="chat" classname="smoke.endpoints" time="T"/>
  <testcase name="api_health" classname="smoke.endpoints" time="T">
    <failure message="Smoke step &quot;api_health&quot; failed: status 503, expected 200" type="high">step 3 of 3: api_health
GET https://api.example.test:{port}/health
→ 503 in T
content-type: application/json
✗ status 503 (expected 200)</failure>
  </testcase>
</testsuite>
"#
    );
    let xml = steady(&xml);
    let xml = regex_free_ms(&xml);
    assert_eq!(xml, expected, "{xml}");
    let report: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(&json).unwrap()).unwrap();
    assert_eq!(
        (&report["passed"], &report["failures"]),
        (&serde_json::json!(false), &serde_json::json!(1))
    );
    let posts = bed
        .https
        .requests()
        .iter()
        .filter(|r| r.method == "POST" && r.path() == "/chat")
        .count();
    assert_eq!(posts, 1, "the chat message is sent once");

    // Steps of its own that all hold: exit 0.
    let steps = r#"
[[smoke_steps]]
role = "homepage"
body_contains = ["Welcome"]

[[smoke_steps]]
name = "health says down"
role = "api_health"
expect_status = 503
json_pointer = "/status"
"#;
    std::fs::write(&file, project_toml(&bed, steps)).unwrap();
    let out = handover(
        dir.path(),
        &[
            "smoke",
            "--config",
            file.to_str().unwrap(),
            "--junit",
            junit.to_str().unwrap(),
        ],
    );
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}\n{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    let xml = std::fs::read_to_string(&junit).unwrap();
    assert!(
        xml.contains("tests=\"2\" failures=\"0\" errors=\"0\" skipped=\"0\""),
        "{xml}"
    );
    assert!(xml.contains("<testcase name=\"health says down\""), "{xml}");

    // A typo in the file is bad input: exit 2, no report written.
    std::fs::remove_file(&junit).unwrap();
    let typo = steps.replace("body_contains", "body_contain");
    std::fs::write(&file, project_toml(&bed, &typo)).unwrap();
    let out = handover(
        dir.path(),
        &[
            "smoke",
            "--config",
            file.to_str().unwrap(),
            "--junit",
            junit.to_str().unwrap(),
        ],
    );
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "{stderr}");
    assert!(stderr.contains("smoke_steps.0.body_contain"), "{stderr}");
    assert!(!junit.exists());
}

#[test]
fn smoke_with_a_stored_project_stores_the_run_and_an_unreachable_step_is_an_error() {
    let runtime = tokio::runtime::Runtime::new().unwrap();
    let bed = runtime.block_on(bed());
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("ca.pem"), bed.ca_pem()).unwrap();
    let file = dir.path().join("bed.toml");
    let steps = "\n[[smoke_steps]]\nrole = \"homepage\"\n";
    std::fs::write(&file, project_toml(&bed, steps)).unwrap();
    let import = handover(dir.path(), &["project", "import", file.to_str().unwrap()]);
    assert_eq!(
        import.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&import.stderr)
    );
    let junit = dir.path().join("smoke.xml");
    let args = [
        "smoke",
        "--project",
        "Bed <smoke> & co",
        "--junit",
        junit.to_str().unwrap(),
    ];
    let out = handover(dir.path(), &args);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(0), "{stderr}");
    assert!(stderr.contains("run 1 stored"), "{stderr}");
    let runs = handover(
        dir.path(),
        &["runs", "--project", "Bed <smoke> & co", "--json"],
    );
    let runs: serde_json::Value = serde_json::from_slice(&runs.stdout).unwrap();
    assert_eq!(runs.as_array().map(Vec::len), Some(1), "{runs}");

    // With the bed gone the step cannot run: an <error>, never a <failure>.
    drop(bed);
    let out = handover(dir.path(), &args);
    assert_eq!(out.status.code(), Some(1));
    let xml = std::fs::read_to_string(&junit).unwrap();
    assert!(
        xml.contains("tests=\"1\" failures=\"0\" errors=\"1\" skipped=\"0\""),
        "{xml}"
    );
    assert!(!xml.contains("<failure"), "{xml}");

    let out = handover(dir.path(), &["smoke", "--project", "No such project"]);
    assert_eq!(out.status.code(), Some(2));
}

/// `→ 503 in 4 ms` reads `→ 503 in T`.
fn regex_free_ms(xml: &str) -> String {
    xml.lines()
        .map(
            |line| match line.find(" in ").filter(|_| line.starts_with('→')) {
                Some(at) if line.ends_with(" ms") => format!("{} in T", &line[..at]),
                _ => line.to_string(),
            },
        )
        .collect::<Vec<_>>()
        .join("\n")
        + "\n"
}
