//! The engine against planted tokens, example values and clean code.
//! Assertion messages name rules, styles and seeds, never a token.

use handover_testbed::secrets::{planted_line, token, Prng, Style, PLANTED_RULES, STYLES};

use super::*;

fn key() -> FingerprintKey {
    FingerprintKey::new([7; 32])
}

fn summary(hits: &[Hit]) -> Vec<String> {
    hits.iter()
        .map(|h| format!("{}@{}:{}", h.rule, h.line, h.column))
        .collect()
}

const BEFORE: &str = "// settings\nfn main() {\n    println!(\"starting\");\n";
const AFTER: &str = "\n}\n";

#[test]
fn planted_rules_cover_every_builtin_rule() {
    let mut ours: Vec<&str> = rules::builtin().iter().map(|r| r.id).collect();
    let mut planted: Vec<&str> = PLANTED_RULES.to_vec();
    ours.sort_unstable();
    planted.sort_unstable();
    assert_eq!(ours, planted);
    assert_eq!(Scanner::builtin().rules().len(), rules::builtin().len());
}

#[test]
fn every_planted_token_is_found_once_with_its_rule_line_and_column() {
    let scanner = Scanner::builtin();
    let key = key();
    let mut failures = Vec::new();
    let mut checked = 0;
    for rule in PLANTED_RULES {
        for &style in STYLES {
            for seed in 0..50 {
                let line = planted_line(rule, seed, style);
                let secret = token(rule, seed);
                let at = line
                    .find(&secret)
                    .expect("the planted line holds its token");
                let column = line[..at].chars().count() as u32 + 1;
                let text = format!("{BEFORE}{line}{AFTER}");
                let hits = scanner.scan(&text, &key);
                checked += 1;
                let good = hits.len() == 1
                    && hits[0].rule == *rule
                    && hits[0].line == 4
                    && hits[0].column == column
                    && hits[0].offset == BEFORE.len() + at
                    && hits[0].fingerprint == key.fingerprint(rule, &secret);
                if !good {
                    failures.push(format!(
                        "{rule} {style:?} seed {seed} col {column}: {:?}",
                        summary(&hits)
                    ));
                }
            }
        }
    }
    assert_eq!(checked, PLANTED_RULES.len() * STYLES.len() * 50);
    assert!(
        failures.is_empty(),
        "{} of {checked} missed:\n{}",
        failures.len(),
        failures[..failures.len().min(40)].join("\n")
    );
}

#[test]
fn pem_blocks_over_several_lines_are_found() {
    let mut rng = Prng::new(3);
    let body: Vec<String> = (0..20)
        .map(|_| {
            rng.chars(
                b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/",
                64,
            )
        })
        .collect();
    for (label, rule) in [
        ("RSA ", "private-key"),
        ("", "private-key"),
        ("OPENSSH ", "private-key"),
        ("ENCRYPTED ", "private-key-encrypted"),
    ] {
        let text = format!(
            "key:\n-----BEGIN {label}PRIVATE KEY-----\n{}\n-----END {label}PRIVATE KEY-----\n",
            body.join("\n")
        );
        let hits = Scanner::builtin().scan(&text, &key());
        assert_eq!(summary(&hits), vec![format!("{rule}@2:1")], "{label}");
    }
    let legacy = format!(
        "-----BEGIN RSA PRIVATE KEY-----\nProc-Type: 4,ENCRYPTED\nDEK-Info: AES-128-CBC,0A1B2C3D4E5F60718293A4B5C6D7E8F9\n\n{}\n-----END RSA PRIVATE KEY-----\n",
        body.join("\n")
    );
    assert_eq!(
        summary(&Scanner::builtin().scan(&legacy, &key())),
        vec!["private-key-encrypted@1:1"]
    );
}

#[test]
fn inline_markers_silence_their_line_only() {
    let scanner = Scanner::builtin();
    for marker in [
        "// handover:allow",
        "// gitleaks:allow",
        "# pragma: allowlist secret",
    ] {
        let line = planted_line("github-token", 1, Style::Js);
        let column = line.find("gh").expect("token") + 1;
        let text = format!("{line} {marker}\n{line}\n");
        assert_eq!(
            summary(&scanner.scan(&text, &key())),
            vec![format!("github-token@2:{column}")],
            "{marker}"
        );
    }
}

#[test]
fn example_and_placeholder_values_give_nothing() {
    let lines = [
        "aws_access_key_id = AKIAIOSFODNN7EXAMPLE",
        "aws_secret_access_key = wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY",
        "OPENAI_API_KEY=sk-xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx",
        "OPENAI_API_KEY=sk-proj-xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx",
        "password = \"changeme\"",
        "password = \"${DB_PASSWORD}\"",
        "DATABASE_URL=postgres://postgres:postgres@localhost:5432/app",
        "DATABASE_URL=postgres://user:password@localhost:5432/app",
        "DATABASE_URL=postgres://app:${DB_PASSWORD}@db:5432/app",
        "DATABASE_URL=mysql://root:<password>@127.0.0.1/app",
        "AMQP_URL=amqp://guest:guest@localhost:5672",
        "api_key = \"your_api_key_here_1234\"",
        "STRIPE_SECRET_KEY=sk_live_xxxxxxxxxxxxxxxxxxxxxxxxxxxx",
        "token: \"{{ secrets.DEPLOY_TOKEN_2024 }}\"",
        "client_secret = \"****************************\"",
        "JWT_SECRET=<your-jwt-secret-at-least-32-chars>",
        "const apiKey = process.env.OPENAI_API_KEY_2;",
        "SECRET_KEY = os.environ['DJANGO_SECRET_KEY_1']",
        "STRIPE_KEY=sk_test_51HqLyBAbCdEfGhIjKlMnOpQrStUvWxYz0123456789",
        "token = \"0000000000000000000000000000\"",
        "key=\"-----BEGIN PRIVATE KEY-----\\nXXXX\\nXXXX\\n-----END PRIVATE KEY-----\"",
        "https://bucket.test/f?X-Amz-Credential=AKIA1&X-Amz-Signature=abc&v=1",
        "location: /cb?client_secret=…&refresh_token=…",
    ];
    for line in lines {
        let hits = Scanner::builtin().scan(line, &key());
        assert!(hits.is_empty(), "{line}: {:?}", summary(&hits));
    }
}

#[test]
fn a_specific_rule_beats_the_generic_one_on_the_same_value() {
    let line = planted_line("twilio-auth-token", 4, Style::Env);
    assert!(line.starts_with("TWILIO_AUTH_TOKEN="));
    assert_eq!(
        summary(&Scanner::builtin().scan(&line, &key())),
        vec!["twilio-auth-token@1:19"]
    );
}

#[test]
fn supabase_anon_keys_are_public_and_service_role_keys_are_not() {
    use handover_testbed::secrets::base64url;
    let jwt = |role: &str| {
        let payload = format!(
            r#"{{"iss":"supabase","ref":"abcdefghijklmnopqrst","role":"{role}","iat":1700000000}}"#
        );
        format!(
            "{}.{}.{}",
            base64url(br#"{"alg":"HS256","typ":"JWT"}"#),
            base64url(payload.as_bytes()),
            "Qm9vcC1iZWVwLXNpZ25hdHVyZS0xMjM0NTY3ODkw"
        )
    };
    let anon = format!("const supabaseAnonKey = \"{}\";", jwt("anon"));
    assert!(Scanner::builtin().scan(&anon, &key()).is_empty());
    let service = format!("SUPABASE_SERVICE_ROLE_KEY={}", jwt("service_role"));
    assert_eq!(
        summary(&Scanner::builtin().scan(&service, &key())),
        vec!["supabase-service-role-key@1:27"]
    );
}

#[test]
fn a_hit_never_holds_the_raw_token() {
    let scanner = Scanner::builtin();
    for rule in PLANTED_RULES {
        for seed in 0..5 {
            let secret = token(rule, seed);
            let hits = scanner.scan(&planted_line(rule, seed, Style::Env), &key());
            assert_eq!(hits.len(), 1, "{rule} seed {seed}");
            let hit = &hits[0];
            let shown = format!(
                "{hit:?}{}{}{}{}",
                hit.preview, hit.fingerprint, hit.title, hit.remedy
            );
            let canary = &secret[secret.len().saturating_sub(12)..];
            assert!(
                !shown.contains(canary),
                "{rule} seed {seed}: a part of the token leaked"
            );
            assert!(hit.preview.chars().count() <= 5, "{rule}: preview too long");
        }
    }
}

#[test]
fn binary_bytes_are_refused_and_text_bytes_scanned() {
    let scanner = Scanner::builtin();
    assert!(scanner
        .scan_bytes(b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR", &key())
        .is_none());
    let noise: Vec<u8> = (0..4000u32)
        .map(|i| 0x80 | (i.wrapping_mul(2_654_435_761) >> 25) as u8)
        .collect();
    assert!(scanner.scan_bytes(&noise, &key()).is_none());
    let text = planted_line("gitlab-token", 9, Style::Yaml);
    let hits = scanner
        .scan_bytes(text.as_bytes(), &key())
        .expect("text is scanned");
    assert_eq!(hits.len(), 1);
    let mut latin1 = b"caf\xe9 = 1\n".to_vec();
    latin1.extend_from_slice(text.as_bytes());
    assert_eq!(
        scanner
            .scan_bytes(&latin1, &key())
            .expect("mostly text")
            .len(),
        1
    );
    assert_eq!(scanner.scan_bytes(b"", &key()), Some(Vec::new()));
}

#[test]
fn columns_count_chars_not_bytes() {
    let line = format!(
        "const gruß = \"é\"; const k = \"{}\";",
        token("github-token", 2)
    );
    let hits = Scanner::builtin().scan(&format!("ünïcode\n{line}"), &key());
    let at = line.find("gh").expect("token");
    assert_eq!(
        summary(&hits),
        vec![format!("github-token@2:{}", line[..at].chars().count() + 1)]
    );
}

#[path = "clean_corpus.rs"]
mod clean_corpus;

#[test]
fn an_empty_assignment_never_takes_the_next_line_as_its_value() {
    let text = "STRIPE_WEBHOOK_SECRET=\nCHAT_MODEL=gpt-4o-mini-2024-07-18\napi_key:\n  region-eu-west-1-primary\n";
    let hits = Scanner::builtin().scan(text, &key());
    assert!(hits.is_empty(), "{:?}", summary(&hits));
    // A value on the same line is still found.
    let same = format!("SESSION_SECRET={}\n", Prng::new(3).mixed(40));
    let hits = Scanner::builtin().scan(&same, &key());
    assert_eq!(summary(&hits), ["generic-secret@1:16"]);
}
