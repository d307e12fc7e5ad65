//! The secrets a run's signed-in probes send, read once when the run starts
//! and kept in memory only.
//!
//! A project names where each secret is kept ([`EndpointAuth`]): a stored
//! credential, whose secret is in the OS keychain (the workbench reads it),
//! or for headless runs of a project file an environment variable. The
//! values travel inside [`SecretText`] (redacted `Debug`, wiped on drop)
//! and reach the wire as a header marked sensitive, so they never appear
//! in evidence, logs or stored findings. A secret that could not be read is
//! kept as its reason: the probes that need it say they could not run,
//! never that the endpoint failed.

use std::collections::HashMap;
use std::sync::Arc;

use handover_model::{AuthScheme, Endpoint, EndpointAuth, ProjectSpec, SecretText};
use reqwest::header::{HeaderName, HeaderValue, AUTHORIZATION, COOKIE};

use super::http::HeaderMap;

/// Where one secret is kept.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum Source {
    /// A stored credential (its secret is in the keychain).
    Keychain(i64),
    /// An environment variable of the process running the checks.
    Env(String),
}

impl Source {
    /// The source an auth names (the credential when it names both).
    pub fn of(auth: &EndpointAuth) -> Self {
        match auth.credential_id {
            Some(id) => Source::Keychain(id),
            None => Source::Env(auth.env.trim().to_string()),
        }
    }
}

/// Why a probe's credential could not be used.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum CredentialError {
    /// The secret was not read (keychain locked, entry or variable missing).
    #[error("the credential ({source_label}) could not be read: {reason}")]
    Unreadable {
        /// `credential 3` or `$NAME`.
        source_label: String,
        /// What went wrong.
        reason: String,
    },
    /// The secret cannot go in a header (a line break, a control character).
    #[error("the credential ({source_label}) holds characters a {scheme} header cannot carry")]
    NotAHeader {
        /// `credential 3` or `$NAME`.
        source_label: String,
        /// The scheme it was meant for.
        scheme: &'static str,
    },
}

/// The secrets of one run, by where they are kept. Two sets compare equal
/// whatever they hold (a target's equality is about what is checked).
#[derive(Clone, Default)]
pub struct Credentials(Arc<HashMap<Source, Result<SecretText, String>>>);

impl std::fmt::Debug for Credentials {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "Credentials({} sources, redacted)", self.0.len())
    }
}

impl PartialEq for Credentials {
    fn eq(&self, _: &Self) -> bool {
        true
    }
}

impl Eq for Credentials {}

impl Credentials {
    /// Reads every secret `auths` name: environment variables here, stored
    /// credentials through `keychain` (called once per credential).
    pub fn read<'a>(
        auths: impl IntoIterator<Item = &'a EndpointAuth>,
        mut keychain: impl FnMut(i64) -> Result<SecretText, String>,
    ) -> Self {
        let mut map = HashMap::new();
        for auth in auths {
            let source = Source::of(auth);
            if map.contains_key(&source) {
                continue;
            }
            let value = match &source {
                Source::Keychain(id) => keychain(*id),
                Source::Env(name) => read_env(name),
            };
            map.insert(source, value);
        }
        Self(Arc::new(map))
    }

    /// Whether no secret is held (or failed).
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    /// The header that carries `auth`'s secret, marked sensitive.
    pub fn header(
        &self,
        auth: &EndpointAuth,
    ) -> Result<(HeaderName, HeaderValue), CredentialError> {
        let source = Source::of(auth);
        let label = auth.source_label();
        let secret = match self.0.get(&source) {
            Some(Ok(secret)) => secret,
            Some(Err(reason)) => {
                return Err(CredentialError::Unreadable {
                    source_label: label,
                    reason: reason.clone(),
                })
            }
            None => {
                return Err(CredentialError::Unreadable {
                    source_label: label,
                    reason: "it was not read when the run started".into(),
                })
            }
        };
        let not_a_header = || CredentialError::NotAHeader {
            source_label: label.clone(),
            scheme: auth.scheme.as_str(),
        };
        let value = secret.expose().trim();
        let (name, text) = match auth.scheme {
            AuthScheme::Bearer => (AUTHORIZATION, format!("Bearer {value}")),
            AuthScheme::Header => (
                HeaderName::from_bytes(auth.name.trim().as_bytes()).map_err(|_| not_a_header())?,
                value.to_string(),
            ),
            AuthScheme::Cookie => (COOKIE, format!("{}={value}", auth.name.trim())),
        };
        let mut header = HeaderValue::from_str(&text).map_err(|_| not_a_header())?;
        header.set_sensitive(true);
        Ok((name, header))
    }

    /// The headers `endpoint` is sent with: its configured ones, then its
    /// credential's (replacing a configured header of the same name).
    pub fn request_headers(&self, endpoint: &Endpoint) -> Result<HeaderMap, CredentialError> {
        let mut headers = configured_headers(endpoint);
        if let Some(auth) = &endpoint.auth {
            let (name, value) = self.header(auth)?;
            headers.insert(name, value);
        }
        Ok(headers)
    }
}

/// The headers `endpoint` is configured with (no credential). A header
/// HTTP cannot carry is left out (project headers are validated on save).
pub fn configured_headers(endpoint: &Endpoint) -> HeaderMap {
    let mut headers = HeaderMap::new();
    for header in &endpoint.headers {
        if let (Ok(name), Ok(value)) = (
            HeaderName::from_bytes(header.name.as_bytes()),
            HeaderValue::from_str(&header.value),
        ) {
            headers.append(name, value);
        }
    }
    headers
}

/// Every auth a project names: its endpoints', the cross-tenant probe's
/// and the chat adapter's.
pub fn auths_of(spec: &ProjectSpec) -> Vec<&EndpointAuth> {
    spec.endpoints
        .iter()
        .filter_map(|e| e.auth.as_ref())
        .chain(spec.tenant_probe.as_ref().map(|t| &t.auth))
        .chain(spec.eval.adapter.as_ref().and_then(|a| a.auth.as_ref()))
        .collect()
}

fn read_env(name: &str) -> Result<SecretText, String> {
    match std::env::var(name) {
        Ok(value) if !value.trim().is_empty() => Ok(SecretText::new(value)),
        Ok(_) => Err(format!("${name} is empty")),
        Err(std::env::VarError::NotPresent) => Err(format!("${name} is not set")),
        Err(std::env::VarError::NotUnicode(_)) => Err(format!("${name} is not valid UTF-8")),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn auth(scheme: AuthScheme, name: &str, id: i64) -> EndpointAuth {
        EndpointAuth {
            scheme,
            name: name.into(),
            credential_id: Some(id),
            env: String::new(),
        }
    }

    #[test]
    fn each_scheme_puts_the_secret_where_it_belongs_and_marks_it_sensitive() {
        let bearer = auth(AuthScheme::Bearer, "", 1);
        let header = auth(AuthScheme::Header, "X-Api-Key", 2);
        let cookie = auth(AuthScheme::Cookie, "sid", 3);
        let mut asked = Vec::new();
        let creds = Credentials::read([&bearer, &header, &cookie, &bearer], |id| {
            asked.push(id);
            Ok(SecretText::new(format!("s3cret-{id}")))
        });
        assert_eq!(asked, [1, 2, 3], "each credential is read once");
        let (n, v) = creds.header(&bearer).unwrap();
        assert_eq!(
            (n.as_str(), v.to_str().unwrap()),
            ("authorization", "Bearer s3cret-1")
        );
        assert!(v.is_sensitive());
        let (n, v) = creds.header(&header).unwrap();
        assert_eq!((n.as_str(), v.to_str().unwrap()), ("x-api-key", "s3cret-2"));
        let (n, v) = creds.header(&cookie).unwrap();
        assert_eq!(
            (n.as_str(), v.to_str().unwrap()),
            ("cookie", "sid=s3cret-3")
        );
        assert!(!format!("{creds:?}").contains("s3cret"));
    }

    #[test]
    fn an_unreadable_or_unusable_secret_is_a_reason_not_a_header() {
        let locked = auth(AuthScheme::Bearer, "", 1);
        let broken = auth(AuthScheme::Bearer, "", 2);
        let creds = Credentials::read([&locked, &broken], |id| {
            if id == 1 {
                Err("the keychain is locked".into())
            } else {
                Ok(SecretText::new("two\nlines".into()))
            }
        });
        let err = creds.header(&locked).unwrap_err().to_string();
        assert_eq!(
            err,
            "the credential (credential 1) could not be read: the keychain is locked"
        );
        let err = creds.header(&broken).unwrap_err().to_string();
        assert!(err.contains("cannot carry"), "{err}");
        assert!(
            !err.contains("two"),
            "the secret is never in the message: {err}"
        );
        let unread = auth(AuthScheme::Bearer, "", 9);
        assert!(creds
            .header(&unread)
            .unwrap_err()
            .to_string()
            .contains("not read"));
    }

    #[test]
    fn an_environment_variable_that_is_missing_says_so() {
        let missing = EndpointAuth {
            env: "HANDOVER_TEST_SURELY_UNSET_VARIABLE".into(),
            ..EndpointAuth::default()
        };
        let creds = Credentials::read([&missing], |_| unreachable!("no keychain source"));
        let err = creds.header(&missing).unwrap_err().to_string();
        assert!(
            err.ends_with("$HANDOVER_TEST_SURELY_UNSET_VARIABLE is not set"),
            "{err}"
        );
    }
}
