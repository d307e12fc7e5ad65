//! Planted secrets: random but well-formed tokens for every rule of the
//! secret scanner, deterministic from a seed, and the token in context
//! (a source assignment, a JSON field, minified JS, an env line, YAML).
//!
//! Rule ids are plain strings: this crate knows nothing of handover-core.
//! Every token is fake (random), never a working credential.

/// Every rule id [`token`] can make a token for.
pub const PLANTED_RULES: &[&str] = &[
    "openai-api-key",
    "anthropic-api-key",
    "aws-access-key-id",
    "aws-secret-access-key",
    "gcp-service-account",
    "google-api-key",
    "azure-storage-key",
    "stripe-secret-key",
    "stripe-restricted-key",
    "github-token",
    "github-fine-grained-token",
    "gitlab-token",
    "slack-token",
    "slack-webhook",
    "discord-webhook",
    "twilio-api-key",
    "twilio-auth-token",
    "sendgrid-api-key",
    "mailgun-api-key",
    "postmark-server-token",
    "supabase-service-role-key",
    "private-key",
    "private-key-encrypted",
    "jwt-secret",
    "database-url-password",
    "generic-secret",
];

/// How a planted token is written down.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Style {
    /// `let name = "value";`
    Rust,
    /// `const name = "value";`
    Js,
    /// `NAME = "value"`
    Python,
    /// `  "name": "value",`
    Json,
    /// `!function(){var e={name:"value",n:1};…}();`
    MinifiedJs,
    /// `NAME=value`
    Env,
    /// `  name: value`
    Yaml,
}

/// Every style.
pub const STYLES: &[Style] = &[
    Style::Rust,
    Style::Js,
    Style::Python,
    Style::Json,
    Style::MinifiedJs,
    Style::Env,
    Style::Yaml,
];

/// A tiny deterministic generator (SplitMix64).
#[derive(Debug, Clone)]
pub struct Prng(u64);

const UPPER: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZ";
const LOWER: &[u8] = b"abcdefghijklmnopqrstuvwxyz";
const DIGITS: &[u8] = b"0123456789";
const HEX: &[u8] = b"0123456789abcdef";
const B62: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
const B64: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
const B64URL: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
const BASE32: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";

impl Prng {
    /// A generator from a seed.
    pub fn new(seed: u64) -> Self {
        Self(seed ^ 0x5EC2_E75E_ED00_0014)
    }

    /// The next 64 random bits.
    pub fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    /// A number below `n` (n > 0).
    pub fn below(&mut self, n: u64) -> u64 {
        self.next_u64() % n
    }

    /// `len` chars drawn from `alphabet`.
    pub fn chars(&mut self, alphabet: &[u8], len: usize) -> String {
        (0..len)
            .map(|_| char::from(alphabet[self.below(alphabet.len() as u64) as usize]))
            .collect()
    }

    /// `len` base-62 chars with at least one digit, upper and lower letter.
    pub fn mixed(&mut self, len: usize) -> String {
        let mut s = self.chars(B62, len).into_bytes();
        let picks = [(UPPER, 0), (LOWER, 1), (DIGITS, 2)];
        for (alphabet, at) in picks {
            let i = (at * len / 3 + self.below((len / 3).max(1) as u64) as usize).min(len - 1);
            s[i] = alphabet[self.below(alphabet.len() as u64) as usize];
        }
        String::from_utf8(s).expect("ASCII")
    }

    /// One of `items`.
    pub fn pick<'a>(&mut self, items: &[&'a str]) -> &'a str {
        items[self.below(items.len() as u64) as usize]
    }
}

/// Unpadded base64url of `bytes`.
pub fn base64url(bytes: &[u8]) -> String {
    let mut out = String::new();
    for chunk in bytes.chunks(3) {
        let n = chunk
            .iter()
            .enumerate()
            .fold(0u32, |n, (i, &b)| n | u32::from(b) << (16 - 8 * i));
        for i in 0..=chunk.len() {
            out.push(char::from(B64URL[((n >> (18 - 6 * i)) & 63) as usize]));
        }
    }
    out
}

/// A PEM body of `lines` lines of 64 base64 chars, joined by `\n` escapes.
fn pem_body(rng: &mut Prng, lines: usize) -> String {
    let mut body: Vec<String> = (0..lines).map(|_| rng.chars(B64, 64)).collect();
    body.push(format!("{}==", rng.chars(B64, 22)));
    body.join("\\n")
}

/// A random, well-formed token for `rule` (see [`PLANTED_RULES`]).
/// Multi-line values (PEM blocks) use `\n` escapes so they fit on a line.
pub fn token(rule: &str, seed: u64) -> String {
    let mut rng = Prng::new(seed.wrapping_mul(31).wrapping_add(rule.len() as u64));
    let r = &mut rng;
    match rule {
        "openai-api-key" => match r.below(4) {
            0 => format!("sk-{}T3BlbkFJ{}", r.mixed(20), r.mixed(20)),
            n => {
                let kind = ["proj", "svcacct", "admin"][n as usize - 1];
                format!(
                    "sk-{kind}-{}T3BlbkFJ{}",
                    r.chars(B64URL, 74),
                    r.chars(B64URL, 74)
                )
            }
        },
        "anthropic-api-key" => {
            let kind = r.pick(&["api03", "admin01"]);
            format!("sk-ant-{kind}-{}AA", r.chars(B64URL, 93))
        }
        "aws-access-key-id" => format!("{}{}", r.pick(&["AKIA", "ASIA"]), r.chars(BASE32, 16)),
        "aws-secret-access-key" => r.chars(B64, 40),
        "gcp-service-account" | "private-key" | "private-key-encrypted" => {
            let body = pem_body(r, 6);
            let label = match rule {
                "gcp-service-account" => "",
                "private-key-encrypted" => "ENCRYPTED ",
                _ => r.pick(&["", "RSA ", "EC ", "OPENSSH "]),
            };
            let tail = if rule == "gcp-service-account" {
                "\\n"
            } else {
                ""
            };
            format!("-----BEGIN {label}PRIVATE KEY-----\\n{body}\\n-----END {label}PRIVATE KEY-----{tail}")
        }
        "google-api-key" => format!("AIza{}", r.chars(B64URL, 35)),
        "azure-storage-key" => format!("{}==", r.chars(B64, 86)),
        "stripe-secret-key" => format!("sk_live_51{}", r.mixed(97)),
        "stripe-restricted-key" => format!("rk_live_51{}", r.mixed(97)),
        "github-token" => format!(
            "{}_{}",
            r.pick(&["ghp", "gho", "ghu", "ghs", "ghr"]),
            r.mixed(36)
        ),
        "github-fine-grained-token" => format!("github_pat_{}_{}", r.mixed(22), r.mixed(59)),
        "gitlab-token" => format!("glpat-{}", r.chars(B64URL, 20)),
        "slack-token" => match r.below(3) {
            0 => format!(
                "xoxb-{}-{}-{}",
                r.chars(DIGITS, 12),
                r.chars(DIGITS, 13),
                r.mixed(24)
            ),
            1 => format!(
                "xoxp-{}-{}-{}-{}",
                r.chars(DIGITS, 12),
                r.chars(DIGITS, 12),
                r.chars(DIGITS, 13),
                r.chars(HEX, 32)
            ),
            _ => format!(
                "xapp-1-A{}-{}-{}",
                r.chars(b"ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789", 10),
                r.chars(DIGITS, 13),
                r.chars(HEX, 64)
            ),
        },
        "slack-webhook" => format!(
            "https://hooks.slack.com/services/T{}/B{}/{}",
            r.chars(b"ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789", 10),
            r.chars(b"ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789", 10),
            r.mixed(24)
        ),
        "discord-webhook" => format!(
            "https://{}/api/webhooks/1{}/{}",
            r.pick(&["discord.com", "discordapp.com"]),
            r.chars(DIGITS, 17),
            r.chars(B64URL, 68)
        ),
        "twilio-api-key" => format!("SK{}", r.chars(HEX, 32)),
        "twilio-auth-token" => r.chars(HEX, 32),
        "sendgrid-api-key" => format!("SG.{}.{}", r.chars(B64URL, 22), r.chars(B64URL, 43)),
        "mailgun-api-key" => match r.below(2) {
            0 => format!("key-{}", r.chars(HEX, 32)),
            _ => format!(
                "{}-{}-{}",
                r.chars(HEX, 32),
                r.chars(HEX, 8),
                r.chars(HEX, 8)
            ),
        },
        "postmark-server-token" => uuid(r),
        "supabase-service-role-key" => match r.below(4) {
            0 => format!("sb_secret_{}", r.chars(B64URL, 31)),
            _ => {
                let header = base64url(br#"{"alg":"HS256","typ":"JWT"}"#);
                let payload = format!(
                    r#"{{"iss":"supabase","ref":"{}","role":"service_role","iat":{},"exp":{}}}"#,
                    r.chars(LOWER, 20),
                    1_700_000_000 + r.below(50_000_000),
                    2_000_000_000 + r.below(50_000_000)
                );
                format!(
                    "{header}.{}.{}",
                    base64url(payload.as_bytes()),
                    r.chars(B64URL, 43)
                )
            }
        },
        "jwt-secret" => format!("{}{}", r.mixed(40), r.chars(b"!#%^&*+=", 2)),
        "database-url-password" => {
            let scheme = r.pick(&[
                "postgres",
                "postgresql",
                "mysql",
                "mongodb+srv",
                "mongodb",
                "redis",
                "rediss",
                "amqp",
            ]);
            format!(
                "{scheme}://{}:{}@db-{}.prod.internal",
                r.chars(LOWER, 8),
                r.mixed(20),
                r.chars(HEX, 6)
            )
        }
        "generic-secret" => r.mixed(32),
        other => panic!("no planted token for rule {other}"),
    }
}

/// A random version-4 UUID.
pub fn uuid(r: &mut Prng) -> String {
    format!(
        "{}-{}-4{}-a{}-{}",
        r.chars(HEX, 8),
        r.chars(HEX, 4),
        r.chars(HEX, 3),
        r.chars(HEX, 3),
        r.chars(HEX, 12)
    )
}

/// The variable name a rule's token is assigned to (snake case), and the
/// value holding the token (most are the token itself).
fn named(rule: &str, token: &str, seed: u64) -> (&'static str, String) {
    match rule {
        "aws-secret-access-key" => ("aws_secret_access_key", token.to_owned()),
        "twilio-api-key" => ("twilio_api_key", token.to_owned()),
        "twilio-auth-token" => ("twilio_auth_token", token.to_owned()),
        "postmark-server-token" => ("postmark_server_token", token.to_owned()),
        "jwt-secret" => ("jwt_secret", token.to_owned()),
        "generic-secret" => (["client_secret", "api_token", "signing_key"][(seed % 3) as usize], token.to_owned()),
        "database-url-password" => ("database_url", format!("{token}:5432/app")),
        "azure-storage-key" => (
            "storage_connection",
            format!("DefaultEndpointsProtocol=https;AccountName=acct{seed};AccountKey={token};EndpointSuffix=core.windows.net"),
        ),
        "gcp-service-account" => (
            "google_credentials",
            format!(
                r#"{{"type": "service_account", "project_id": "shop-{seed}", "private_key_id": "{:040x}", "private_key": "{token}", "client_email": "ci@shop-{seed}.iam.gserviceaccount.com"}}"#,
                u128::from(seed.wrapping_mul(0x9E37_79B9_7F4A_7C15)) << 40 | u128::from(seed)
            ),
        ),
        "private-key" | "private-key-encrypted" => ("tls_key_pem", token.to_owned()),
        "mailgun-api-key" => ("mailgun_api_key", token.to_owned()),
        "supabase-service-role-key" => ("supabase_service_role_key", token.to_owned()),
        "slack-webhook" | "discord-webhook" => ("alert_webhook_url", token.to_owned()),
        _ => ("provider_key", token.to_owned()),
    }
}

fn camel(snake: &str) -> String {
    let mut out = String::new();
    let mut upper = false;
    for c in snake.chars() {
        if c == '_' {
            upper = true;
        } else if upper {
            out.push(c.to_ascii_uppercase());
            upper = false;
        } else {
            out.push(c);
        }
    }
    out
}

/// The token of `rule` for `seed` in context, written in `style`: one line,
/// with the wording the rule needs (e.g. `aws_secret_access_key`).
pub fn planted_line(rule: &str, seed: u64, style: Style) -> String {
    let token = token(rule, seed);
    let (name, value) = named(rule, &token, seed);
    let quoted = value.contains('"');
    match style {
        Style::Rust if quoted => format!("    let {name} = r#\"{value}\"#;"),
        Style::Rust => format!("    let {name} = \"{value}\";"),
        Style::Js if quoted => format!("const {} = '{value}';", camel(name)),
        Style::Js => format!("const {} = \"{value}\";", camel(name)),
        Style::Python if quoted => format!("{} = '{value}'", name.to_ascii_uppercase()),
        Style::Python => format!("{} = \"{value}\"", name.to_ascii_uppercase()),
        Style::Json => format!("  \"{}\": \"{}\",", camel(name), value.replace('"', "\\\"")),
        Style::MinifiedJs if quoted => {
            format!(
                "!function(){{var e={{n:1,{}:'{value}',t:!0}};window.__c=e}}();",
                camel(name)
            )
        }
        Style::MinifiedJs => {
            format!(
                "!function(){{var e={{n:1,{}:\"{value}\",t:!0}};window.__c=e}}();",
                camel(name)
            )
        }
        Style::Env if quoted => format!("{}='{value}'", name.to_ascii_uppercase()),
        Style::Env => format!("{}={value}", name.to_ascii_uppercase()),
        Style::Yaml if quoted || value.contains("\\n") => format!("  {name}: '{value}'"),
        Style::Yaml => format!("  {name}: {value}"),
    }
}
