//! What a run looks at ([`CheckTarget`]), built only here: from a stored
//! project or from a quick-audit spec (`handover check DOMAIN …`). Every
//! input is parsed again when a run starts — a CA file can vanish or change
//! after the project was saved — and a bad one is an error naming its field,
//! never dropped.

use std::net::SocketAddr;
use std::path::PathBuf;
use std::sync::{Arc, OnceLock};

use handover_model::{EnvironmentKind, ProjectSpec};

use super::net;
use crate::input::{self, CaFileError};

/// What a run looks at: the product's hosts and endpoints, and how to reach them.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct CheckTarget {
    /// The apex domain (ASCII).
    pub apex: String,
    /// Every host to check: the apex first, then each subdomain (ASCII).
    pub hosts: Vec<String>,
    /// HTTPS port (443 unless a test bed says otherwise).
    pub https_port: u16,
    /// HTTP port (80 unless a test bed says otherwise).
    pub http_port: u16,
    /// Origins the API must accept in CORS.
    pub cors_origins: Vec<String>,
    /// Paths to probe per role, e.g. `("login", "/login")`.
    pub paths: Vec<(String, String)>,
    /// Old → new URL pairs that must redirect.
    pub legacy_urls: Vec<(String, String)>,
    /// DNS server (`ip:port`) to use instead of the system resolver.
    pub dns_server: Option<SocketAddr>,
    /// An extra CA certificate (PEM, already parsed once) trusted beside the system roots.
    pub extra_ca_pem: Option<String>,
    /// The domain in the product's From address (ASCII); empty when it
    /// sends no mail (a quick audit uses the apex).
    pub mail_domain: String,
    /// DKIM selectors the project names (more are discovered).
    pub dkim_selectors: Vec<String>,
    /// The SMTP port of the mail hosts (25 unless a test bed says otherwise).
    pub smtp_port: u16,
    /// The project's endpoints as configured (method, body, headers).
    pub endpoints: Vec<handover_model::Endpoint>,
    /// The p95 each endpoint role must stay under.
    pub latency_targets: Vec<handover_model::LatencyTarget>,
    /// The smoke sequence as configured (empty: the default sequence for
    /// the endpoints, see `smoke::default_smoke_steps`).
    pub smoke_steps: Vec<handover_model::SmokeStep>,
    /// Whether the person running the audit agreed to the load probes
    /// (the latency probe's hundreds of requests); off unless asked for.
    pub load_probes: bool,
    /// Requests per endpoint for the latency probe (0: the default, 100).
    pub load_requests: usize,
    /// The optional cross-tenant probe.
    pub tenant_probe: Option<handover_model::TenantProbe>,
    /// What makes the chat's model call fail on purpose (`None`: the
    /// `x-handover-fault` convention).
    pub chat_failure: Option<handover_model::FailureTrigger>,
    /// The secrets the signed-in probes send, read when the run starts.
    pub credentials: super::credentials::Credentials,
    /// The source repository's folder, for the secret scan and env parity.
    pub repo_path: Option<PathBuf>,
    /// The build output (what ships to browsers), scanned even when ignored.
    pub build_output: Option<PathBuf>,
    /// The env file each environment names, by environment (`production`,
    /// `staging`), compared with those in the repository's folder.
    pub env_files: Vec<(String, PathBuf)>,
    /// The key of the project's secret fingerprints (from the keychain);
    /// `None` gives each run a fresh key (fingerprints then hold for that
    /// run only).
    pub secrets_key: Option<crate::secrets::FingerprintKey>,
    /// The fingerprints the project's baseline ignores: their secrets are
    /// reported as ignored, not as findings.
    pub secret_ignores: std::sync::Arc<std::collections::HashSet<String>>,
    /// The evaluation set and its chat adapter (`None`: no adapter set up).
    pub eval: Option<crate::eval::EvalInput>,
    /// The run's network context, built on first use and shared by every check.
    pub net: SharedNet,
}

/// A quick audit with no stored project: what `handover check DOMAIN …` names.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct QuickAudit {
    /// The apex domain as typed (Unicode or ASCII).
    pub domain: String,
    /// Subdomain labels, e.g. `app`, `api`.
    pub subdomains: Vec<String>,
    /// DNS server as typed, `ip[:port]`.
    pub dns_server: Option<String>,
    /// Extra CA file.
    pub ca_file: Option<PathBuf>,
    /// HTTPS port (0 or 443 for the default).
    pub https_port: u16,
    /// HTTP port (0 or 80 for the default).
    pub http_port: u16,
    /// Old → new addresses, each side a path on the apex or a full URL.
    pub legacy: Vec<(String, String)>,
}

/// Why a target could not be built; each names the field (or option) at fault.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum TargetError {
    /// The apex domain is not a domain.
    #[error("{field}: {reason}")]
    Domain {
        /// `apex` or `DOMAIN`.
        field: String,
        /// What is wrong.
        reason: String,
    },
    /// A subdomain label does not make a valid host.
    #[error("{field}: {label:?} {reason}")]
    Subdomain {
        /// `subdomains.N.label` or `--subdomains`.
        field: String,
        /// The label.
        label: String,
        /// What is wrong.
        reason: String,
    },
    /// The DNS server is not `ip[:port]`.
    #[error("{field}: {reason}")]
    DnsServer {
        /// `dns_server` or `--dns-server`.
        field: String,
        /// What is wrong.
        reason: String,
    },
    /// The CA file is missing, unreadable or not PEM certificates.
    #[error("{field}: {source}")]
    CaFile {
        /// `ca_file` or `--ca`.
        field: String,
        /// What is wrong with the file.
        source: CaFileError,
    },
    /// An old → new address is not usable.
    #[error("{field}: {reason}")]
    Legacy {
        /// `legacy_urls.N` or `--legacy`.
        field: String,
        /// What is wrong.
        reason: String,
    },
}

impl TargetError {
    /// The field (or command-line option) the error is about.
    pub fn field(&self) -> &str {
        match self {
            TargetError::Domain { field, .. }
            | TargetError::Subdomain { field, .. }
            | TargetError::DnsServer { field, .. }
            | TargetError::CaFile { field, .. }
            | TargetError::Legacy { field, .. } => field,
        }
    }
}

/// A [`net::Net`] built once per target (resolver, roots and HTTP client are
/// not cheap) and shared by every check of the run. Two targets compare
/// equal whatever their cached context.
#[derive(Clone, Default)]
pub struct SharedNet(Arc<OnceLock<net::Net>>);

impl PartialEq for SharedNet {
    fn eq(&self, _: &Self) -> bool {
        true
    }
}

impl Eq for SharedNet {}

impl std::fmt::Debug for SharedNet {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(if self.0.get().is_some() {
            "SharedNet(built)"
        } else {
            "SharedNet(not yet)"
        })
    }
}

fn dns_server(field: &str, typed: &str) -> Result<Option<SocketAddr>, TargetError> {
    if typed.trim().is_empty() {
        return Ok(None);
    }
    input::dns_server(typed)
        .map(Some)
        .map_err(|e| TargetError::DnsServer {
            field: field.into(),
            reason: e.to_string(),
        })
}

fn ca_pem(field: &str, path: &std::path::Path) -> Result<String, TargetError> {
    input::ca_bundle(path)
        .map(|bundle| bundle.pem)
        .map_err(|source| TargetError::CaFile {
            field: field.into(),
            source,
        })
}

fn or_default(port: u16, default: u16) -> u16 {
    if port == 0 {
        default
    } else {
        port
    }
}

impl CheckTarget {
    /// The name findings about the whole target are filed under: the apex,
    /// or the first host when there is no apex.
    pub fn name(&self) -> String {
        if self.apex.is_empty() {
            self.hosts.first().cloned().unwrap_or_default()
        } else {
            self.apex.clone()
        }
    }

    /// The SMTP port to probe: the target's, or 25 when it names none.
    pub fn smtp_port(&self) -> u16 {
        or_default(self.smtp_port, 25)
    }

    /// The HTTPS port to probe: the target's, or 443 when it names none.
    pub fn tls_port(&self) -> u16 {
        or_default(self.https_port, 443)
    }

    /// The run's network context, built on first use.
    pub fn net(&self) -> Result<net::Net, net::NetError> {
        if let Some(built) = self.net.0.get() {
            return Ok(built.clone());
        }
        let fresh = net::Net::new(self)?;
        Ok(self.net.0.get_or_init(|| fresh).clone())
    }

    /// The target of a stored (already validated) project. Its DNS server
    /// and CA file are parsed again: a file that changed since it was saved
    /// is an error naming `ca_file`, not a silently weaker run.
    pub fn from_project(spec: &ProjectSpec) -> Result<Self, TargetError> {
        let mut hosts = vec![spec.apex.clone()];
        hosts.extend(
            spec.subdomains
                .iter()
                .map(|s| format!("{}.{}", s.label, spec.apex)),
        );
        // A production base URL with an explicit port moves the checks there
        // (internal setups, test beds); otherwise the standard ports.
        let production = spec
            .environments
            .iter()
            .find(|e| e.kind == EnvironmentKind::Production)
            .and_then(|e| url::Url::parse(&e.base_url).ok());
        let port_of = |scheme: &str, default: u16| {
            production
                .as_ref()
                .filter(|u| u.scheme() == scheme)
                .and_then(|u| u.port())
                .unwrap_or(default)
        };
        let extra_ca_pem = if spec.ca_file.trim().is_empty() {
            None
        } else {
            Some(ca_pem("ca_file", std::path::Path::new(&spec.ca_file))?)
        };
        Ok(Self {
            apex: spec.apex.clone(),
            hosts,
            https_port: port_of("https", 443),
            http_port: match spec.ports.http {
                0 => port_of("http", 80),
                port => port,
            },
            cors_origins: spec.cors_origins.clone(),
            paths: spec
                .endpoints
                .iter()
                .map(|e| (e.role.as_str().to_string(), e.path.clone()))
                .collect(),
            legacy_urls: spec
                .legacy_urls
                .iter()
                .map(|l| (l.from.clone(), l.to.clone()))
                .collect(),
            dns_server: dns_server("dns_server", &spec.dns_server)?,
            extra_ca_pem,
            mail_domain: spec.email.sending_domain.trim().to_ascii_lowercase(),
            dkim_selectors: spec.email.dkim_selectors.clone(),
            smtp_port: or_default(spec.ports.smtp, 25),
            endpoints: spec.endpoints.clone(),
            latency_targets: spec.latency_targets.clone(),
            smoke_steps: spec.smoke_steps.clone(),
            load_probes: false,
            load_requests: 0,
            tenant_probe: spec.tenant_probe.clone(),
            chat_failure: spec.chat_failure.clone(),
            // Environment variables are read here; stored credentials only
            // when a stored project's run starts (see `Workbench`).
            credentials: super::credentials::Credentials::read(
                super::credentials::auths_of(spec),
                |_| {
                    Err(
                        "stored credentials are read from the keychain only for a stored \
                     project; a project file names an environment variable instead \
                     (env = \"NAME\")"
                            .into(),
                    )
                },
            ),
            repo_path: local_path(&spec.repo_path),
            build_output: local_path(&spec.build_output),
            env_files: spec
                .environments
                .iter()
                .filter_map(|e| Some((e.kind.as_str().to_owned(), local_path(&e.env_file)?)))
                .collect(),
            secrets_key: None,
            secret_ignores: Default::default(),
            eval: crate::eval::EvalInput::of(spec),
            net: SharedNet::default(),
        })
    }

    /// The target of a quick audit; errors name the command-line option.
    pub fn from_quick(spec: &QuickAudit) -> Result<Self, TargetError> {
        let apex = input::domain(&spec.domain)
            .map_err(|e| TargetError::Domain {
                field: "DOMAIN".into(),
                reason: format!("{:?} {e}", spec.domain),
            })?
            .ascii;
        let mut hosts = vec![apex.clone()];
        for label in spec.subdomains.iter().map(|l| l.trim()) {
            if label.is_empty() {
                continue;
            }
            let host =
                input::domain(&format!("{label}.{apex}")).map_err(|e| TargetError::Subdomain {
                    field: "--subdomains".into(),
                    label: label.into(),
                    reason: e.to_string(),
                })?;
            if !hosts.contains(&host.ascii) {
                hosts.push(host.ascii);
            }
        }
        let mut legacy_urls = Vec::new();
        for (old, new) in &spec.legacy {
            let side = |typed: &str| {
                crate::project::legacy_address(typed).map_err(|reason| TargetError::Legacy {
                    field: "--legacy".into(),
                    reason: format!("{old}={new}: {reason}"),
                })
            };
            legacy_urls.push((side(old)?, side(new)?));
        }
        let extra_ca_pem = match &spec.ca_file {
            Some(path) => Some(ca_pem("--ca", path)?),
            None => None,
        };
        let mail_domain = apex.clone();
        Ok(Self {
            apex,
            hosts,
            https_port: or_default(spec.https_port, 443),
            http_port: or_default(spec.http_port, 80),
            legacy_urls,
            dns_server: dns_server("--dns-server", spec.dns_server.as_deref().unwrap_or(""))?,
            extra_ca_pem,
            mail_domain,
            smtp_port: 25,
            ..Self::default()
        })
    }
}

/// A project's local path, `None` when it is not set.
fn local_path(typed: &str) -> Option<PathBuf> {
    let typed = typed.trim();
    (!typed.is_empty()).then(|| PathBuf::from(typed))
}

#[cfg(test)]
#[path = "target_tests.rs"]
mod tests;
