//! Clean text shaped like real projects (generated), and this
//! repository's own sources: no finding at all.

use handover_testbed::secrets::{base64url, uuid, Prng};

use super::super::*;
use super::{key, summary};

const HEX: &[u8] = b"0123456789abcdef";
const B64: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
const B62: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";

/// One chunk of clean, realistic code.
fn chunk(r: &mut Prng) -> String {
    let words = [
        "user", "account", "session", "invoice", "order", "product", "cart", "auth", "token",
        "password",
    ];
    let w = r.pick(&words);
    match r.below(24) {
        0 => "import { useState, useEffect, useCallback } from \"react\";\nimport type { AppProps } from \"next/app\";\n".to_owned(),
        1 => "use std::collections::HashMap;\nuse serde::{Deserialize, Serialize};\n".to_owned(),
        2 => format!("const requestId = \"{}\";\n  \"id\": \"{}\",\nuser_id = '{}'\n", uuid(r), uuid(r), uuid(r)),
        3 => format!("commit {}\n  \"gitHead\": \"{}\",\nrev = \"{}\"\n", r.chars(HEX, 40), r.chars(HEX, 40), r.chars(HEX, 40)),
        4 => format!(
            "[[package]]\nname = \"serde-{w}\"\nversion = \"1.0.{}\"\nsource = \"registry+https://github.com/rust-lang/crates.io-index\"\nchecksum = \"{}\"\n",
            r.below(300),
            r.chars(HEX, 64)
        ),
        5 => format!(
            "    \"node_modules/{w}-lib\": {{\n      \"version\": \"2.{}.1\",\n      \"resolved\": \"https://registry.npmjs.org/{w}-lib/-/{w}-lib-2.1.1.tgz\",\n      \"integrity\": \"sha512-{}==\"\n    }},\n",
            r.below(9),
            r.chars(B64, 86)
        ),
        6 => format!("<img alt=\"logo\" src=\"data:image/png;base64,{}=\">\n", r.chars(B64, 600)),
        7 => format!(
            "<script src=\"https://cdn.jsdelivr.net/npm/lib@1/dist/lib.min.js\" integrity=\"sha384-{}\" crossorigin=\"anonymous\"></script>\n",
            r.chars(B64, 64)
        ),
        8 => "const handleUserAuthenticationTokenRefreshCallback = useCallback(() => refreshAccessTokenIfExpired(session), [session]);\nlet passwordResetConfirmationDialogVisible = usePasswordResetConfirmationDialogState();\n".to_owned(),
        9 => format!(".btn-{w} {{ color: #{}; background-color: #{}; border: 1px solid #ffffff; }}\n", r.chars(HEX, 6), r.chars(HEX, 6)),
        10 => "!function(e,t){var n=e.length,r=t[n];function o(e){return e&&e.__esModule?e:{default:e}}r&&o(r)}(window,[]);\n".to_owned(),
        11 => "  \"resetPassword\": \"Reset your password\",\n  \"tokenExpired\": \"Your session has expired, please sign in again\",\n  \"passwordHint\": \"At least 12 characters, one digit\",\n  password: \"Password\",\n".to_owned(),
        12 => format!(
            "const stripe = Stripe(\"pk_live_51{}\");\nNEXT_PUBLIC_STRIPE_PUBLISHABLE_KEY=pk_test_51{}\n",
            r.chars(B62, 97),
            r.chars(B62, 97)
        ),
        13 => format!("gtag('config', 'G-{}');\n", r.chars(b"ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789", 10)),
        14 => {
            let payload = format!(r#"{{"iss":"supabase","ref":"{}","role":"anon","iat":1700000000,"exp":2000000000}}"#, r.chars(b"abcdefghijklmnopqrstuvwxyz", 20));
            format!(
                "const supabaseAnonKey = \"{}.{}.{}\";\n",
                base64url(br#"{"alg":"HS256","typ":"JWT"}"#),
                base64url(payload.as_bytes()),
                r.chars(B62, 43)
            )
        }
        15 => "const tokenType = \"Bearer\";\ntoken_endpoint = \"https://oauth2.googleapis.com/token\"\nPASSWORD_MIN_LENGTH = 12\nconst csrfTokenHeaderName = \"X-CSRF-Token-Header-Name\";\n".to_owned(),
        16 => "const apiKey = process.env.OPENAI_API_KEY;\nSECRET_KEY = os.environ[\"DJANGO_SECRET_KEY\"]\nlet api_token = std::env::var_os(\"API_TOKEN\");\nconst { data: sessionToken } = await supabase.auth.getSession();\n".to_owned(),
        17 => format!("secretsManagerArn: \"arn:aws:secretsmanager:us-east-1:{}:secret:prod/db-AbC123\",\n", r.chars(b"0123456789", 12)),
        18 => "  \"@types/node\": \"^20.11.5\",\n  \"typescript\": \"5.4.2\",\nsecret_key_base: <%= ENV[\"SECRET_KEY_BASE\"] %>\nJWT_SECRET=\nDATABASE_URL=postgres://localhost:5432/app\n".to_owned(),
        19 => format!("const PASSWORD_RESET_TOKEN_LIFETIME_MS = {};\nfn verify_token_signature(token: &str) -> bool {{ !token.is_empty() }}\n", r.below(1 << 40)),
        20 => format!("  sha256: \"{}\"\n  \"sha1\": \"{}\",\n", r.chars(HEX, 64), r.chars(HEX, 40)),
        21 => format!("private_key_id = \"{}\"\ntoken_id: {}\nsecret_name = \"prod/{w}/credentials-2024\"\n", r.chars(HEX, 40), uuid(r), ),
        22 => "The task-list and monkey-patch helpers; ask-for-key-rotation docs; msg.reply(\"ok\"); sg.add(node);\n".to_owned(),
        _ => format!("// {w} handling\nexport function get{w}Label(id: string): string {{\n  return t(`{w}.label.${{id}}`);\n}}\n"),
    }
}

#[test]
fn a_clean_corpus_of_realistic_code_gives_no_finding() {
    let mut r = Prng::new(2026);
    let mut text = String::new();
    while text.len() < 2_000_000 {
        text.push_str(&chunk(&mut r));
    }
    let hits = Scanner::builtin().scan(&text, &key());
    let lines: Vec<&str> = text.lines().collect();
    let context: Vec<String> = hits
        .iter()
        .take(10)
        .map(|h| {
            let l = lines[h.line as usize - 1];
            format!("{} on: {}", h.rule, &l[..l.len().min(60)])
        })
        .collect();
    assert!(
        hits.is_empty(),
        "{} hits: {:?}\n{}",
        hits.len(),
        summary(&hits[..hits.len().min(20)]),
        context.join("\n")
    );
}

#[test]
fn hashes_in_lockfiles_do_not_fire_the_generic_rule() {
    let mut r = Prng::new(11);
    let mut lock =
        String::from("# This file is automatically @generated by Cargo.\nversion = 4\n\n");
    for i in 0..500 {
        lock.push_str(&format!(
            "[[package]]\nname = \"secret-token-{i}\"\nversion = \"0.{i}.0\"\nsource = \"registry+https://github.com/rust-lang/crates.io-index\"\nchecksum = \"{}\"\n\n",
            r.chars(HEX, 64)
        ));
    }
    assert!(Scanner::builtin().scan(&lock, &key()).is_empty());
}

/// Files under `dir` with one of `extensions`, recursively.
fn sources(dir: &std::path::Path, out: &mut Vec<std::path::PathBuf>) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    for entry in entries.flatten() {
        let path = entry.path();
        if path.is_dir() {
            if path.file_name().is_some_and(|n| n != "node_modules") {
                sources(&path, out);
            }
        } else if path.extension().is_some_and(|e| {
            ["rs", "ts", "tsx", "js", "svelte", "css", "html", "json"]
                .iter()
                .any(|x| e == *x)
        }) {
            out.push(path);
        }
    }
}

#[test]
fn this_repository_s_own_sources_give_no_finding() {
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../..");
    let mut files = Vec::new();
    for dir in ["src-tauri/src", "src-tauri/model/src", "ui/src"] {
        sources(&root.join(dir), &mut files);
    }
    assert!(files.len() > 10, "found {} source files", files.len());
    let mut noisy = Vec::new();
    for file in &files {
        let name = file.file_name().and_then(|n| n.to_str()).unwrap_or("");
        if name.ends_with("_tests.rs") || name == "tests.rs" {
            continue;
        }
        let bytes = std::fs::read(file).expect("readable");
        let hits = Scanner::builtin()
            .scan_bytes(&bytes, &key())
            .unwrap_or_default();
        if !hits.is_empty() {
            noisy.push(format!("{}: {:?}", file.display(), summary(&hits)));
        }
    }
    assert!(noisy.is_empty(), "{}", noisy.join("\n"));
}

/// Throughput on generated clean code (`--ignored --nocapture`; build with
/// `--release` for a real figure).
#[test]
#[ignore = "a measurement, not a check"]
fn throughput_on_clean_code() {
    let mut r = Prng::new(7);
    let mut files = Vec::new();
    let mut total = 0;
    while total < 50_000_000 {
        let mut file = String::new();
        while file.len() < 20_000 {
            file.push_str(&chunk(&mut r));
        }
        total += file.len();
        files.push(file);
    }
    let started = std::time::Instant::now();
    let mut hits = 0;
    for file in &files {
        for hit in Scanner::builtin().scan(file, &key()) {
            hits += 1;
            let line = file.lines().nth(hit.line as usize - 1).unwrap_or("");
            let from = line
                .char_indices()
                .nth((hit.column as usize).saturating_sub(40))
                .map_or(0, |(i, _)| i);
            println!(
                "{} at {}:{}: {}",
                hit.rule,
                hit.line,
                hit.column,
                &line[from..(from + 50).min(line.len())]
            );
        }
    }
    let seconds = started.elapsed().as_secs_f64();
    println!(
        "{:.1} MB in {seconds:.2} s: {:.0} MB/s, {hits} hits",
        total as f64 / 1e6,
        total as f64 / 1e6 / seconds
    );
}
