//! Env parity tests: staging, production and a sample file with one case
//! of every issue kind, a canary that must never surface, a malformed
//! line, and keys read by code in several languages.

use std::path::Path;

use handover_model::{EnvIssueKind as K, Severity as S};

use super::*;
use crate::secrets::code_refs::code_reads;

use crate::secrets::random_text as random;

fn write(dir: &Path, name: &str, text: &str) -> PathBuf {
    let path = dir.join(name);
    if let Some(parent) = path.parent() {
        std::fs::create_dir_all(parent).expect("dir");
    }
    std::fs::write(&path, text).expect("write");
    path
}

type Row = (K, String, Vec<String>, Option<(String, u32)>, S);

fn rows(parity: &EnvParity, dir: &Path) -> Vec<Row> {
    let prefix = format!("{}/", dir.display());
    parity
        .issues
        .iter()
        .map(|i| {
            let at = i
                .location
                .as_ref()
                .map(|l| (l.file.trim_start_matches(&prefix).to_owned(), l.line));
            (
                i.kind,
                i.key.clone(),
                i.environments.clone(),
                at,
                i.severity,
            )
        })
        .collect()
}

fn row(kind: K, key: &str, envs: &[&str], at: Option<(&str, u32)>, severity: S) -> Row {
    let envs = envs.iter().map(|e| (*e).to_owned()).collect();
    (
        kind,
        key.to_owned(),
        envs,
        at.map(|(f, l)| (f.to_owned(), l)),
        severity,
    )
}

#[test]
fn every_issue_kind_is_found_with_its_place_and_severity_and_no_value_leaks() {
    let dir = tempfile::tempdir().expect("tempdir");
    let d = dir.path();
    let (stripe, public, public2) = (random(32), random(32), random(32));
    let (session, session2, smtp, db, github) =
        (random(32), random(32), random(24), random(20), random(36));
    let anon = "eyJhbGciOiJIUzI1NiJ9.eyJyb2xlIjoiYW5vbiJ9.abcdefghijklmnopqrstuv";
    let staging = format!(
        "# Staging\nexport API_URL=https://staging.api.test\nSTRIPE_SECRET_KEY=sk_live_{stripe}\n\
SESSION_SECRET=\"{session}\"\nNEXT_PUBLIC_STRIPE_SECRET_KEY=sk_live_{public}\n\
NEXT_PUBLIC_SUPABASE_ANON_KEY={anon}\nNEXT_PUBLIC_STRIPE_PUBLISHABLE_KEY=pk_live_51abcdefghijklmnopqrstuvwxyz\n\
VITE_GA_ID=G-ABC123XYZ\nFEATURE_FLAG=\nSMTP_PASSWORD='{smtp}'\nCERT=\"-----BEGIN CERTIFICATE-----\n\
MIIBfake\n-----END CERTIFICATE-----\"\nSTAGING_ONLY=1   # a comment\n\
DATABASE_URL=postgres://app:{db}@db.internal:5432/app\n"
    );
    let production = format!(
        "API_URL=https://api.test\nSTRIPE_SECRET_KEY=sk_live_{stripe}\nSESSION_SECRET={session2}\n\
NEXT_PUBLIC_STRIPE_SECRET_KEY=sk_live_{public2}\nNEXT_PUBLIC_SUPABASE_ANON_KEY={anon}\n\
NEXT_PUBLIC_STRIPE_PUBLISHABLE_KEY=pk_live_51abcdefghijklmnopqrstuvwxyz\nVITE_GA_ID=G-ABC123XYZ\n\
FEATURE_FLAG=on\nSMTP_PASSWORD=\nCERT=\"-----BEGIN CERTIFICATE-----\\nMIIBfake\\n-----END CERTIFICATE-----\"\n\
DATABASE_URL=postgres://app:{db}@db.internal:5432/app\nPROD_ONLY=yes\n"
    );
    let example = format!(
        "API_URL=https://api.example.com\nSTRIPE_SECRET_KEY=\nSESSION_SECRET=changeme\n\
NEXT_PUBLIC_STRIPE_SECRET_KEY=\nNEXT_PUBLIC_SUPABASE_ANON_KEY=<anon-key>\n\
NEXT_PUBLIC_STRIPE_PUBLISHABLE_KEY=pk_test_xxx\nVITE_GA_ID=\nFEATURE_FLAG=\n\
SMTP_PASSWORD=your-smtp-password\nCERT=\nDATABASE_URL=postgres://app:password@localhost:5432/app\n\
GITHUB_TOKEN=ghp_{github}\n"
    );
    let sources = [
        EnvSource::file("staging", write(d, ".env.staging", &staging)),
        EnvSource::file("production", write(d, ".env.production", &production)),
        EnvSource::file("example", write(d, ".env.example", &example)),
    ];
    let code = d.join("code");
    write(&code, "src/app.ts", "const key = process.env.STRIPE_SECRET_KEY;\nconst env = process.env.NODE_ENV;\nconst w = process.env.ANALYTICS_WRITE_KEY;\n");
    let key = FingerprintKey::random();
    let parity = env_parity(&sources, Some(&code), Scanner::builtin(), &key);

    let (st, pr, ex) = (".env.staging", ".env.production", ".env.example");
    let all = ["staging", "production", "example"];
    let expected = vec![
        row(
            K::PublicSecret,
            "NEXT_PUBLIC_STRIPE_SECRET_KEY",
            &all,
            Some((st, 5)),
            S::Blocker,
        ),
        row(
            K::Missing,
            "GITHUB_TOKEN",
            &["staging", "production"],
            Some((ex, 12)),
            S::High,
        ),
        row(
            K::Missing,
            "STAGING_ONLY",
            &["production", "example"],
            Some((st, 14)),
            S::High,
        ),
        row(
            K::SharedSecret,
            "DATABASE_URL",
            &["staging", "production"],
            Some((pr, 11)),
            S::High,
        ),
        row(
            K::SharedSecret,
            "STRIPE_SECRET_KEY",
            &["staging", "production"],
            Some((pr, 2)),
            S::High,
        ),
        row(
            K::SampleValue,
            "GITHUB_TOKEN",
            &["example"],
            Some((ex, 12)),
            S::High,
        ),
        row(
            K::Missing,
            "PROD_ONLY",
            &["staging", "example"],
            Some((pr, 12)),
            S::Medium,
        ),
        row(
            K::Empty,
            "SMTP_PASSWORD",
            &["production"],
            Some((pr, 9)),
            S::Medium,
        ),
        row(
            K::Undefined,
            "ANALYTICS_WRITE_KEY",
            &all,
            Some(("src/app.ts", 3)),
            S::Medium,
        ),
        row(
            K::Empty,
            "FEATURE_FLAG",
            &["staging"],
            Some((st, 9)),
            S::Low,
        ),
    ];
    assert_eq!(rows(&parity, d), expected);

    let counts: Vec<(&str, u32, bool)> = parity
        .environments
        .iter()
        .map(|e| (e.name.as_str(), e.keys, e.sample))
        .collect();
    assert_eq!(
        counts,
        [
            ("staging", 12, false),
            ("production", 12, false),
            ("example", 12, true)
        ]
    );
    assert!(parity.environments.iter().all(|e| e.errors.is_empty()));
    assert_eq!((parity.code_files, parity.code_keys), (1, 3));

    let previews: Vec<Option<&str>> = parity.issues.iter().map(|i| i.preview.as_deref()).collect();
    assert_eq!(previews[0], Some("sk_l…"));
    assert_eq!(previews[5], Some("ghp_…"));
    assert!(previews
        .iter()
        .enumerate()
        .all(|(n, p)| p.is_none() || n == 0 || n == 5));

    let json = serde_json::to_string(&parity).expect("serialize");
    for (name, canary) in [
        ("stripe", &stripe),
        ("public", &public),
        ("public2", &public2),
        ("session", &session),
        ("session2", &session2),
        ("smtp", &smtp),
        ("db", &db),
        ("github", &github),
    ] {
        assert!(
            !json.contains(canary.as_str()),
            "the {name} canary is in the output"
        );
        assert!(
            !format!("{parity:?}").contains(canary.as_str()),
            "the {name} canary is in Debug"
        );
    }
}

#[test]
fn a_malformed_line_is_reported_by_file_and_line_and_everything_else_is_compared() {
    let dir = tempfile::tempdir().expect("tempdir");
    let canary = random(24);
    let staging = write(
        dir.path(),
        ".env.staging",
        &format!("A=1\nB=2\n\n# note\noops {canary}\nC=3\nD=\"never closed\nE=5\n"),
    );
    let sources = [
        EnvSource::file("staging", staging),
        EnvSource::text("production", ".env.production", "A=1\nB=2\nC=3\nF=6\n"),
        EnvSource::file("broken", dir.path().join("does-not-exist.env")),
    ];
    assert!(
        !format!("{sources:?}").contains("F=6"),
        "Debug shows no env text"
    );
    let parity = env_parity(
        &sources,
        None,
        Scanner::builtin(),
        &FingerprintKey::random(),
    );
    let staging = &parity.environments[0];
    assert_eq!(staging.keys, 3, "A, B and C still count");
    let lines: Vec<u32> = staging.errors.iter().map(|e| e.line).collect();
    assert_eq!(lines, [5, 7]);
    assert!(
        staging.errors[0].message.contains(".env.staging:5"),
        "{}",
        staging.errors[0].message
    );
    assert!(
        staging.errors[1].message.contains(".env.staging:7"),
        "{}",
        staging.errors[1].message
    );
    assert_eq!(parity.environments[1].keys, 4);
    let broken = &parity.environments[2];
    assert_eq!(
        (broken.keys, broken.errors.len(), broken.errors[0].line),
        (0, 1, 0)
    );
    assert!(broken.errors[0].message.contains("does-not-exist.env"));
    let missing: Vec<(&str, &[String])> = parity
        .issues
        .iter()
        .filter(|i| i.kind == K::Missing)
        .map(|i| (i.key.as_str(), i.environments.as_slice()))
        .collect();
    let broken_only = ["broken".to_owned()];
    let f_missing = ["staging".to_owned(), "broken".to_owned()];
    assert_eq!(
        missing,
        [
            ("A", &broken_only[..]),
            ("B", &broken_only[..]),
            ("C", &broken_only[..]),
            ("F", &f_missing[..])
        ]
    );
    let json = serde_json::to_string(&parity).expect("serialize");
    assert!(
        !json.contains(&canary),
        "the malformed line's text is in the output"
    );
}

#[test]
fn keys_read_by_code_are_found_in_each_language_with_their_first_place() {
    let dir = tempfile::tempdir().expect("tempdir");
    let d = dir.path();
    write(d, ".gitignore", "ignored/\n");
    write(
        d,
        "web/app.js",
        "// config\nconst a = process.env.JS_KEY;\nconst b = process.env[\"JS_BRACKET\"];\n",
    );
    write(
        d,
        "web/vite.ts",
        "\n\nexport const url = import.meta.env.VITE_API_URL ?? import.meta.env.MODE;\n",
    );
    write(d, "server/src/main.rs", "fn main() {\n    let k = std::env::var(\"RUST_KEY\");\n    let o = env::var_os(\"RUST_OS\");\n}\n");
    write(d, "worker/job.py", "import os\nA = os.environ[\"PY_ITEM\"]\nB = os.environ.get('PY_GET')\nC = os.getenv(\"PY_GETENV\")\n");
    write(d, "edge/fn.ts", "const t = Deno.env.get(\"DENO_KEY\");\n");
    write(
        d,
        "app/config.rb",
        "x = ENV[\"RUBY_KEY\"]\ny = ENV.fetch(\"RUBY_FETCH\")\n",
    );
    write(d, "web/later.js", "const again = process.env.JS_KEY;\n");
    write(d, "ignored/skip.js", "process.env.IGNORED_KEY\n");
    write(d, "node_modules/dep/index.js", "process.env.DEP_KEY\n");
    write(d, "README.md", "process.env.DOC_KEY\n");
    let reads = code_reads(d);
    let found: Vec<(&str, String, u32)> = reads
        .keys
        .iter()
        .map(|(k, at)| (k.as_str(), at.file.clone(), at.line))
        .collect();
    let expected = [
        ("DENO_KEY", "edge/fn.ts", 1),
        ("JS_BRACKET", "web/app.js", 3),
        ("JS_KEY", "web/app.js", 2),
        ("MODE", "web/vite.ts", 3),
        ("PY_GET", "worker/job.py", 3),
        ("PY_GETENV", "worker/job.py", 4),
        ("PY_ITEM", "worker/job.py", 2),
        ("RUBY_FETCH", "app/config.rb", 2),
        ("RUBY_KEY", "app/config.rb", 1),
        ("RUST_KEY", "server/src/main.rs", 2),
        ("RUST_OS", "server/src/main.rs", 3),
        ("VITE_API_URL", "web/vite.ts", 3),
    ];
    let expected: Vec<(&str, String, u32)> = expected
        .iter()
        .map(|(k, f, l)| (*k, (*f).to_owned(), *l))
        .collect();
    assert_eq!(found, expected);
    assert_eq!(reads.files, 7);

    let sources = [EnvSource::text(
        "production",
        ".env.production",
        "JS_KEY=1\nRUST_KEY=2\n",
    )];
    let parity = env_parity(
        &sources,
        Some(d),
        Scanner::builtin(),
        &FingerprintKey::random(),
    );
    let undefined: Vec<&str> = parity
        .issues
        .iter()
        .filter(|i| i.kind == K::Undefined)
        .map(|i| i.key.as_str())
        .collect();
    assert_eq!(
        undefined,
        [
            "DENO_KEY",
            "JS_BRACKET",
            "PY_GET",
            "PY_GETENV",
            "PY_ITEM",
            "RUBY_FETCH",
            "RUBY_KEY",
            "RUST_OS",
            "VITE_API_URL"
        ],
        "MODE is Vite's own"
    );
}

#[test]
fn names_and_values_are_classified_as_documented() {
    use crate::secrets::env_names::{publishable_name, sensitive_name};
    for name in [
        "STRIPE_SECRET_KEY",
        "GITHUB_TOKEN",
        "DB_PASSWORD",
        "OPENAI_API_KEY",
        "SENDGRID_APIKEY",
        "SUPABASE_SERVICE_ROLE_KEY",
        "JWT_SIGNING_KEY",
        "MY_KEY",
    ] {
        assert!(sensitive_name(name), "{name}");
    }
    for name in [
        "API_URL",
        "NODE_ENV",
        "PORT",
        "VITE_GA_ID",
        "LOG_LEVEL",
        "KEYCLOAK_REALM",
    ] {
        assert!(!sensitive_name(name), "{name}");
    }
    for name in [
        "NEXT_PUBLIC_SUPABASE_ANON_KEY",
        "NEXT_PUBLIC_STRIPE_PUBLISHABLE_KEY",
        "VITE_RECAPTCHA_SITE_KEY",
        "NEXT_PUBLIC_VAPID_PUBLIC_KEY",
        "NEXT_PUBLIC_FIREBASE_API_KEY",
    ] {
        assert!(publishable_name(name), "{name}");
    }
    for value in [
        "",
        "changeme",
        "your-api-key",
        "<token>",
        "xxxxxxxx",
        "...",
        "…",
        "${SECRET}",
        "sk_live_replace_me",
    ] {
        assert!(is_placeholder(value), "{value}");
    }
    for value in ["hunter2hunter2", "s3cr3t-Value-91"] {
        assert!(!is_placeholder(value), "{value}");
    }
}
