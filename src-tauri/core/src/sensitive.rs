//! The one list of names that carry credentials — request and response
//! headers, URL query and fragment parameters — shared by the project form
//! (which refuses credential headers: they belong in the keychain) and by
//! evidence redaction (which masks their values).

/// Header names that always carry a credential.
pub const CREDENTIAL_HEADERS: &[&str] = &[
    "authorization",
    "proxy-authorization",
    "cookie",
    "x-api-key",
    "api-key",
    "apikey",
    "x-auth-token",
    "x-csrf-token",
    "x-amz-security-token",
    "x-goog-api-key",
];

/// Words that mark a header or parameter name as a credential carrier,
/// wherever they stand in it (`x-service-token`, `stripe_secret`).
pub const CREDENTIAL_WORDS: &[&str] = &[
    "token",
    "secret",
    "password",
    "passwd",
    "api-key",
    "api_key",
    "apikey",
    "signature",
    "credential",
];

/// Query and fragment parameters whose values are credentials, matched whole.
pub const SECRET_PARAMS: &[&str] = &[
    "access_token",
    "id_token",
    "refresh_token",
    "token",
    "code",
    "key",
    "api_key",
    "apikey",
    "secret",
    "client_secret",
    "password",
    "sig",
    "signature",
    "jwt",
    "auth",
    "x-amz-signature",
    "x-amz-credential",
    "x-amz-security-token",
    "x-goog-signature",
    "x-goog-credential",
];

fn has_word(lower: &str) -> bool {
    CREDENTIAL_WORDS.iter().any(|word| lower.contains(word))
}

/// Whether a header name is one that carries credentials.
pub fn is_credential_header(name: &str) -> bool {
    let lower = name.trim().to_ascii_lowercase();
    CREDENTIAL_HEADERS.contains(&lower.as_str()) || has_word(&lower)
}

/// Whether a (decoded) query or fragment parameter name carries a credential.
pub fn is_secret_param(name: &str) -> bool {
    let lower = name.trim().to_ascii_lowercase();
    SECRET_PARAMS.contains(&lower.as_str()) || has_word(&lower)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn credential_headers_are_recognised_by_name_and_word() {
        for name in [
            "Authorization",
            "COOKIE",
            "x-api-key",
            "X-Service-Token",
            "x-amz-security-token",
            "stripe-secret",
        ] {
            assert!(is_credential_header(name), "{name}");
        }
        for name in ["Content-Type", "Accept", "X-Request-Id", "User-Agent"] {
            assert!(!is_credential_header(name), "{name}");
        }
    }

    #[test]
    fn secret_params_include_cloud_signatures_and_oauth_tokens() {
        for name in [
            "client_secret",
            "refresh_token",
            "X-Amz-Signature",
            "X-Amz-Credential",
            "signature",
            "jwt",
            "access_token",
            "my_api_key",
        ] {
            assert!(is_secret_param(name), "{name}");
        }
        for name in ["page", "next", "q", "lang", "utm_source"] {
            assert!(!is_secret_param(name), "{name}");
        }
    }
}
