//! `handover secrets`: a planted folder gives its secrets (never their
//! values), the pinned JSON shape and exit code 1; a clean folder exits 0;
//! bad input exits 2.

use std::path::Path;
use std::process::{Command, Output};

use handover_testbed::secrets::token;
use serde_json::Value;

fn handover(data: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_handover"))
        .arg("--data-dir")
        .arg(data)
        .args(args)
        .env("NO_COLOR", "1")
        .output()
        .unwrap()
}

fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

#[test]
fn a_planted_folder_exits_1_with_its_secrets_and_never_their_values() {
    let data = tempfile::tempdir().unwrap();
    let repo = tempfile::tempdir().unwrap();
    let root = repo.path();
    let stripe = token("stripe-secret-key", 7);
    let github = token("github-token", 8);
    std::fs::create_dir_all(root.join("src")).unwrap();
    std::fs::create_dir_all(root.join("dist")).unwrap();
    std::fs::write(root.join(".gitignore"), "dist/\n").unwrap();
    std::fs::write(
        root.join("src/pay.ts"),
        format!("import x from \"y\";\n\nconst key = \"{stripe}\";\n"),
    )
    .unwrap();
    std::fs::write(root.join("dist/app.js"), format!("var t=\"{github}\";")).unwrap();
    let dir = root.display().to_string();
    let build = root.join("dist").display().to_string();
    let out = handover(
        data.path(),
        &[
            "secrets",
            &dir,
            "--build",
            &build,
            "--history",
            "0",
            "--json",
        ],
    );
    assert_eq!(out.status.code(), Some(1), "{}", text(&out.stderr));
    let all = format!("{}{}", text(&out.stdout), text(&out.stderr));
    assert!(
        !all.contains(&stripe) && !all.contains(&github),
        "a value was printed"
    );
    let json: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(json["schema"], 1);
    let repo_findings = json["repo"]["findings"].as_array().unwrap();
    assert_eq!(repo_findings.len(), 1, "{repo_findings:#?}");
    let f = &repo_findings[0];
    assert_eq!(f["rule"], "stripe-secret-key");
    assert_eq!(f["location"], "src/pay.ts");
    assert_eq!(
        (f["line"].as_u64(), f["column"].as_u64()),
        (Some(3), Some(14))
    );
    assert_eq!(f["severity"], "high");
    assert!(f["preview"].as_str().unwrap().ends_with('…'));
    assert_eq!(f["fingerprint"].as_str().unwrap().len(), 32);
    let build_findings = json["build"]["findings"].as_array().unwrap();
    assert_eq!(build_findings.len(), 1, "{build_findings:#?}");
    assert_eq!(build_findings[0]["rule"], "github-token");
    assert_eq!(build_findings[0]["severity"], "blocker");
    let mut keys: Vec<&str> = json
        .as_object()
        .unwrap()
        .keys()
        .map(String::as_str)
        .collect();
    keys.sort_unstable();
    assert_eq!(
        keys,
        [
            "build",
            "elapsed_ms",
            "env",
            "history",
            "logs",
            "notes",
            "repo",
            "schema"
        ]
    );

    // The text form says the same, one line per secret, and the summary.
    let out = handover(
        data.path(),
        &["secrets", &dir, "--build", &build, "--history", "0"],
    );
    assert_eq!(out.status.code(), Some(1));
    let stdout = text(&out.stdout);
    assert!(
        stdout.contains("src/pay.ts:3:14  Stripe live secret key"),
        "{stdout}"
    );
    assert!(stdout.contains("blocker  app.js:1:8"), "{stdout}");
    assert!(
        stdout
            .lines()
            .last()
            .unwrap()
            .starts_with("secrets: 2 found"),
        "{stdout}"
    );
    assert!(!stdout.contains(&stripe));
}

#[test]
fn a_clean_folder_exits_0_and_bad_input_exits_2() {
    let data = tempfile::tempdir().unwrap();
    let repo = tempfile::tempdir().unwrap();
    std::fs::write(
        repo.path().join("main.rs"),
        "fn main() {\n    let id = \"3f1c2b9e-8d4a-4f6b-9c2e-1a7b5d3e9f00\";\n    println!(\"{id}\");\n}\n",
    )
    .unwrap();
    let dir = repo.path().display().to_string();
    let out = handover(data.path(), &["secrets", &dir]);
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}{}",
        text(&out.stdout),
        text(&out.stderr)
    );
    assert!(text(&out.stdout).contains("secrets: 0 found"));
    let missing = repo.path().join("nope").display().to_string();
    assert_eq!(
        handover(data.path(), &["secrets", &missing]).status.code(),
        Some(2)
    );
    assert_eq!(
        handover(data.path(), &["secrets", &dir, "--env", "production"])
            .status
            .code(),
        Some(2)
    );
    assert_eq!(handover(data.path(), &["secrets"]).status.code(), Some(2));
}

#[test]
fn a_project_baseline_ignores_a_fingerprint_until_it_is_taken_back() {
    let data = tempfile::tempdir().unwrap();
    let repo = tempfile::tempdir().unwrap();
    let stripe = token("stripe-secret-key", 11);
    std::fs::write(
        repo.path().join("pay.ts"),
        format!("const k = \"{stripe}\";\n"),
    )
    .unwrap();
    let file = repo.path().join("planted.toml");
    std::fs::write(
        &file,
        format!(
            "name = \"Planted\"\napex = \"example.test\"\nrepo_path = {:?}\n",
            repo.path().display().to_string()
        ),
    )
    .unwrap();
    let imported = handover(data.path(), &["project", "import", file.to_str().unwrap()]);
    assert!(imported.status.success(), "{}", text(&imported.stderr));

    let scan = handover(
        data.path(),
        &[
            "secrets",
            "--project",
            "Planted",
            "--history",
            "0",
            "--json",
        ],
    );
    assert_eq!(scan.status.code(), Some(1), "{}", text(&scan.stderr));
    let report: Value = serde_json::from_slice(&scan.stdout).unwrap();
    let fingerprint = report["repo"]["findings"][0]["fingerprint"]
        .as_str()
        .unwrap()
        .to_owned();

    let ignore = |args: &[&str]| {
        let mut all = vec!["secrets", "--project", "Planted", "--json"];
        all.extend_from_slice(args);
        handover(data.path(), &all)
    };
    let out = ignore(&["--ignore", &fingerprint[..10], "--reason", "test fixture"]);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    let view: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(view["ignores"][0]["fingerprint"], fingerprint.as_str());
    assert_eq!(view["ignores"][0]["reason"], "test fixture");
    assert_eq!(view["last"]["counts"]["open"], 0);
    assert_eq!(view["last"]["counts"]["ignored"], 1);
    assert_eq!(view["last"]["leaks"], false);

    let listed = handover(
        data.path(),
        &["secrets", "--project", "Planted", "--baseline"],
    );
    assert_eq!(listed.status.code(), Some(0));
    assert!(
        text(&listed.stdout).contains(&fingerprint),
        "{}",
        text(&listed.stdout)
    );
    assert!(!text(&listed.stdout).contains(&stripe));

    let out = ignore(&["--unignore", &fingerprint]);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    let view: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(view["ignores"].as_array().unwrap().len(), 0);
    assert_eq!(view["last"]["counts"]["open"], 1);

    assert_eq!(ignore(&["--ignore", "zz"]).status.code(), Some(2));
    assert_eq!(ignore(&["--unignore", &fingerprint]).status.code(), Some(2));
    let no_project = handover(data.path(), &["secrets", "--ignore", &fingerprint]);
    assert_eq!(no_project.status.code(), Some(2));
}
