//! The checks a match passes beyond its regex: entropy, plausible
//! assignment values, real database passwords, Supabase service roles,
//! PEM bodies, inline allow markers.

use super::MARKERS;

/// Shannon entropy of `value` in bits per char.
pub(super) fn entropy(value: &str) -> f64 {
    let mut counts = std::collections::HashMap::<char, u32>::new();
    let mut total = 0u32;
    for c in value.chars() {
        *counts.entry(c).or_default() += 1;
        total += 1;
    }
    if total == 0 {
        return 0.0;
    }
    let total = f64::from(total);
    counts
        .values()
        .map(|&n| {
            let p = f64::from(n) / total;
            -p * p.log2()
        })
        .sum()
}

/// An assigned value that could be a secret: not a reference to one
/// (`process.env.X`, `${X}`, `$X`, `os.environ`), a path, a URL without
/// credentials, an identifier or words (no digit and no `+/=`), or one
/// repeated char.
pub(super) fn plausible_value(value: &str) -> bool {
    let lower = value.to_ascii_lowercase();
    let references = [
        "process.env",
        "import.meta",
        "os.environ",
        "getenv",
        "env.",
        "%s",
        "{0}",
    ];
    if value.starts_with('$')
        || lower.starts_with("arn:")
        || references.iter().any(|r| lower.contains(r))
    {
        return false;
    }
    if lower.contains("://")
        || ["/", "./", "../", "~/"]
            .iter()
            .any(|p| value.starts_with(p))
    {
        return false;
    }
    if value.contains('/')
        && !value
            .bytes()
            .any(|b| b.is_ascii_uppercase() || b == b'+' || b == b'=')
    {
        return false;
    }
    let first = value.chars().next().unwrap_or(' ');
    if value.chars().all(|c| c == first) {
        return false;
    }
    if value.contains("::") || identifier(value) || member_access(value) {
        return false;
    }
    value.bytes().any(|b| {
        b.is_ascii_digit()
            || matches!(
                b,
                b'+' | b'/' | b'=' | b'!' | b'#' | b'%' | b'@' | b'^' | b'&' | b'*'
            )
    })
}

/// Whether an assignment's name says its value is no secret although the
/// name contains a secret word: `private_key_id`, `token_type`, `secret_name`.
pub(super) fn names_no_secret(caps: &regex::Captures<'_>) -> bool {
    const ENDINGS: &[&str] = &[
        "id", "ids", "name", "names", "url", "uri", "path", "file", "type", "hash", "version",
        "endpoint", "header", "length", "count", "expiry", "ttl",
    ];
    let whole = caps.get(0).map_or("", |m| m.as_str());
    let name: String = whole
        .chars()
        .take_while(|c| c.is_ascii_alphanumeric() || matches!(c, '_' | '.' | '-'))
        .collect::<String>()
        .to_ascii_lowercase();
    ENDINGS.iter().any(|e| name.ends_with(e))
}

/// A database password that is neither a placeholder nor a local default.
pub(super) fn real_password(user: &str, password: &str) -> bool {
    const DEFAULTS: &[&str] = &[
        "password",
        "pass",
        "passwd",
        "pwd",
        "secret",
        "changeme",
        "root",
        "admin",
        "postgres",
        "mysql",
        "mongo",
        "redis",
        "guest",
        "rabbitmq",
        "user",
        "username",
        "test",
        "dev",
        "local",
        "example",
        "xxx",
        "xxxx",
        "foo",
        "bar",
        "baz",
        "pw",
        "hunter2",
        "passw0rd",
        "password1",
        "password123",
        "123456",
        "12345678",
        "qwerty",
        "abc123",
        "letmein",
    ];
    let lower = password.to_ascii_lowercase();
    !(DEFAULTS.contains(&lower.as_str())
        || password == user
        || password.starts_with('$')
        || password.starts_with('%')
        || password.starts_with(':')
        || password.chars().all(|c| c == '*' || c == 'x' || c == 'X'))
}

/// Whether a JWT's payload claims `"role": "service_role"`.
pub(super) fn service_role(jwt: &str) -> bool {
    use base64::Engine as _;
    let Some(payload) = jwt.split('.').nth(1) else {
        return false;
    };
    let Ok(bytes) =
        base64::engine::general_purpose::URL_SAFE_NO_PAD.decode(payload.trim_end_matches('='))
    else {
        return false;
    };
    serde_json::from_slice::<serde_json::Value>(&bytes)
        .ok()
        .and_then(|v| {
            v.get("role")
                .and_then(|r| r.as_str())
                .map(|r| r == "service_role")
        })
        .unwrap_or(false)
}

/// Whether a PEM block's body (between its BEGIN and END lines) is real
/// key material: at least 64 base64 chars with high entropy, not
/// `\nXXXX\nXXXX\n` or `...`.
pub(super) fn pem_body(block: &str) -> bool {
    let Some(begin) = block.find("-----BEGIN") else {
        return false;
    };
    let after = &block[begin + 10..];
    let Some(open) = after.find("-----") else {
        return false;
    };
    let rest = &after[open + 5..];
    let body = rest.find("-----END").map_or(rest, |end| &rest[..end]);
    let body = body.replace("\\n", "").replace("\\r", "");
    let material: String = body
        .chars()
        .filter(|c| c.is_ascii_alphanumeric() || matches!(c, '+' | '/'))
        .collect();
    material.len() >= 64 && entropy(&material) >= 4.0
}

/// A single-case identifier with underscores: `MSV1_0_PROTOCOL_TYPE`,
/// `tokenizer_v2_config`.
fn identifier(value: &str) -> bool {
    value.contains('_')
        && value
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'_')
        && (!value.bytes().any(|b| b.is_ascii_lowercase())
            || !value.bytes().any(|b| b.is_ascii_uppercase()))
}

/// Member access: `this.config.apiKey2`, `settings.AUTH_TOKEN_V2` (short
/// identifier segments, unlike a JWT's long base64 ones).
fn member_access(value: &str) -> bool {
    let segments: Vec<&str> = value.split('.').collect();
    segments.len() >= 2
        && segments.iter().all(|s| {
            s.len() <= 32
                && s.chars()
                    .next()
                    .is_some_and(|c| c.is_ascii_alphabetic() || c == '_' || c == '$')
                && s.bytes()
                    .all(|b| b.is_ascii_alphanumeric() || b == b'_' || b == b'$')
        })
}

/// Whether an unquoted assigned value is code rather than a literal: a
/// type annotation (`token: TokenKind =`, `key: Flags,`), a variable
/// passed on (`{ token: accessToken2 }`), a path (`Secrets::Chacha`).
pub(super) fn reference(text: &str, start: usize, end: usize) -> bool {
    let before = text[..start].chars().next_back();
    if matches!(before, Some('"' | '\'' | '`')) {
        return false;
    }
    let after = text[end..].trim_start_matches([' ', '\t']);
    text[start..end].starts_with(':') || after.starts_with(['=', ',', ';', ')', '>', '{', '|', '}'])
}

/// Whether the line where the secret starts or ends carries an allow marker.
pub(super) fn marked(text: &str, start: usize, end: usize) -> bool {
    let line = line_of(text, start, start);
    let last = line_of(text, end, end);
    MARKERS.iter().any(|m| line.contains(m) || last.contains(m))
}

/// The line(s) around `text[start..end]`.
pub(super) fn line_of(text: &str, start: usize, end: usize) -> &str {
    let from = text[..start].rfind('\n').map_or(0, |i| i + 1);
    let to = text[end..].find('\n').map_or(text.len(), |i| end + i);
    &text[from..to]
}

pub(super) fn floor_char(text: &str, mut at: usize) -> usize {
    while !text.is_char_boundary(at) {
        at -= 1;
    }
    at
}

pub(super) fn ceil_char(text: &str, mut at: usize) -> usize {
    while !text.is_char_boundary(at) {
        at += 1;
    }
    at
}
