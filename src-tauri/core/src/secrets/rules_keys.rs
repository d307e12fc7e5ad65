//! Rules for keys and credentials that belong to no single provider's
//! token format: Supabase service keys, PEM blocks, JWT signing secrets,
//! database URLs, and the generic assignment rule.

use super::{Check, Rule, GENERIC, ROTATE};

/// The rules of this file.
pub(super) static KEYS: &[Rule] = &[
    Rule {
        id: "supabase-service-role-key",
        title: "Supabase service-role key",
        keywords: &["eyj", "sb_secret_"],
        pattern: r"(?:^|[^A-Za-z0-9_/+-])(eyJ[A-Za-z0-9_-]{10,}\.eyJ[A-Za-z0-9_-]{10,}\.[A-Za-z0-9_-]{16,}|sb_secret_[A-Za-z0-9_-]{20,})",
        secret_group: 1,
        min_entropy: None,
        remedy:
            "Rotate the JWT secret or the secret key in Supabase (Project settings → API); the \
service-role key bypasses row-level security and belongs on servers only.",
        check: Check::SupabaseServiceRole,
    },
    Rule {
        id: "private-key",
        title: "Private key (PEM)",
        keywords: &["-----begin"],
        pattern: concat!(
            r"(-----BEGIN (?:(?:RSA|EC|DSA|OPENSSH|PGP|ED25519) )?PRIVATE KEY(?: BLOCK)?-----",
            pem_body!(),
            r"-----END (?:(?:RSA|EC|DSA|OPENSSH|PGP|ED25519) )?PRIVATE KEY(?: BLOCK)?-----)"
        ),
        secret_group: 1,
        min_entropy: None,
        remedy: "Treat the key as compromised: replace it (new key pair or certificate), revoke \
the old one, and load keys from a secret store.",
        check: Check::PlainPem,
    },
    Rule {
        id: "private-key-encrypted",
        title: "Encrypted private key (PEM)",
        keywords: &["-----begin"],
        pattern: concat!(
            r"(-----BEGIN ENCRYPTED PRIVATE KEY-----",
            pem_body!(),
            r"-----END ENCRYPTED PRIVATE KEY-----",
            r"|-----BEGIN (?:RSA|EC|DSA) PRIVATE KEY-----(?:\\n|\s)*Proc-Type: 4,ENCRYPTED(?:\\n|\s)*DEK-Info: [A-Z0-9,-]+",
            pem_body!(),
            r"-----END (?:RSA|EC|DSA) PRIVATE KEY-----)"
        ),
        secret_group: 1,
        min_entropy: None,
        remedy: "Move the key out of the repository; its passphrase is the only protection, so \
replace the key if the passphrase is weak or stored nearby.",
        check: Check::None,
    },
    Rule {
        id: "jwt-secret",
        title: "JWT signing secret",
        keywords: &["jwt"],
        pattern: concat!(
            r"(?i:jwt[\w.-]*?(?:secret|key))[\w.-]*",
            assign!(),
            r#"([^\s"'`,;<>(){}\[\]\\]{12,})"#
        ),
        secret_group: 1,
        min_entropy: Some(3.0),
        remedy: "Replace the signing secret (every issued token becomes invalid), keep it in \
server-side environment variables, and use at least 32 random bytes.",
        check: Check::Value,
    },
    Rule {
        id: "database-url-password",
        title: "Database URL with a password",
        keywords: &[
            "postgres://",
            "postgresql://",
            "mysql://",
            "mariadb://",
            "mongodb://",
            "mongodb+srv://",
            "redis://",
            "rediss://",
            "amqp://",
            "amqps://",
            "mssql://",
        ],
        pattern: r"((?:postgres(?:ql)?|mysql|mariadb|mongodb(?:\+srv)?|rediss?|amqps?|mssql)://([^\s:/@'`]*):([^\s@/'`]+)@[A-Za-z0-9.-]+)",
        secret_group: 1,
        min_entropy: None,
        remedy: "Change the database user's password, then keep the URL in server-side \
environment variables only.",
        check: Check::DbPassword,
    },
    Rule {
        id: GENERIC,
        title: "Secret in an assignment",
        keywords: &[
            "secret",
            "token",
            "api_key",
            "apikey",
            "api-key",
            "password",
            "passwd",
            "private_key",
            "privatekey",
            "access_key",
            "accesskey",
            "auth_key",
            "authkey",
            "encryption_key",
            "encryptionkey",
            "signing_key",
            "signingkey",
            "master_key",
            "masterkey",
            "credential",
        ],
        pattern: concat!(
            r"[\w.-]*(?i:secret|token|api[_.-]?key|auth[_.-]?key|access[_.-]?key|private[_.-]?key",
            r"|encryption[_.-]?key|signing[_.-]?key|master[_.-]?key|passw(?:or)?d|credential)[\w.-]*",
            assign!(),
            r#"([^\s"'`,;&<>(){}\[\]\\]{16,256})(?:["'`\s,;&)}\]\\]|$)"#
        ),
        secret_group: 1,
        min_entropy: Some(3.5),
        remedy: ROTATE,
        check: Check::Value,
    },
];
