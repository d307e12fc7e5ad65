//! The live-check engine: what is checked ([`CheckTarget`]), the [`Check`]
//! trait every check implements under its catalog id, and the runner that
//! runs them concurrently, each under its own deadline.

use std::future::Future;
use std::pin::Pin;
use std::sync::{Arc, OnceLock};
use std::time::Duration;

use handover_model::{Finding, Measure, ProjectSpec, Severity};

pub mod dns;
pub mod http;
pub mod net;
pub mod runner;
pub mod tls;
pub mod web;

pub use runner::{run_all, RunLimits};

/// Every live check Handover has: DNS, TLS, then the web edge.
pub fn all() -> Vec<Arc<dyn Check>> {
    let mut checks = dns::dns_checks();
    checks.extend(tls::tls_checks());
    checks.extend(web::web_checks());
    checks
}

/// A future a check returns.
pub type CheckFuture<'a> = Pin<Box<dyn Future<Output = Vec<Finding>> + Send + 'a>>;

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
    pub dns_server: Option<std::net::SocketAddr>,
    /// An extra CA certificate (PEM) trusted beside the system roots.
    pub extra_ca_pem: Option<String>,
    /// The run's network context, built on first use and shared by every check.
    pub net: SharedNet,
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

    /// The run's network context for check `check`, or the one finding
    /// that says why the check could not start.
    pub fn net_for(&self, check: &str) -> Result<net::Net, Vec<Finding>> {
        self.net().map_err(|err| {
            vec![finding(
                check,
                self.name(),
                Severity::Info,
                "The check could not start",
                err.to_string(),
            )]
        })
    }

    /// The run's network context, built on first use.
    pub fn net(&self) -> Result<net::Net, net::NetError> {
        if let Some(built) = self.net.0.get() {
            return Ok(built.clone());
        }
        let fresh = net::Net::new(self)?;
        Ok(self.net.0.get_or_init(|| fresh).clone())
    }

    /// The target of a stored project (its spec is already validated).
    pub fn from_project(spec: &ProjectSpec) -> Self {
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
            .find(|e| e.kind == handover_model::EnvironmentKind::Production)
            .and_then(|e| url::Url::parse(&e.base_url).ok());
        let port_of = |scheme: &str, default: u16| {
            production
                .as_ref()
                .filter(|u| u.scheme() == scheme)
                .and_then(|u| u.port())
                .unwrap_or(default)
        };
        Self {
            apex: spec.apex.clone(),
            hosts,
            https_port: port_of("https", 443),
            http_port: port_of("http", 80),
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
            dns_server: spec.dns_server.parse().ok(),
            extra_ca_pem: if spec.ca_file.is_empty() {
                None
            } else {
                std::fs::read_to_string(&spec.ca_file).ok()
            },
            net: SharedNet::default(),
        }
    }
}

/// One live check, registered under a catalog check id.
pub trait Check: Send + Sync {
    /// The catalog id, e.g. `tls.expiry`.
    fn id(&self) -> &'static str;

    /// How long this check may take in total before it is cut off.
    fn deadline(&self) -> Duration {
        Duration::from_secs(20)
    }

    /// Whether the check has anything to look at for this target.
    fn applies(&self, target: &CheckTarget) -> bool {
        !target.hosts.is_empty()
    }

    /// Runs the check; returns at least one finding per thing it looked at.
    fn run<'a>(&'a self, target: &'a CheckTarget) -> CheckFuture<'a>;
}

/// A finding with no evidence or measures yet.
pub fn finding(
    check: &str,
    target: impl Into<String>,
    severity: Severity,
    title: impl Into<String>,
    detail: impl Into<String>,
) -> Finding {
    Finding {
        check: check.to_string(),
        target: target.into(),
        severity,
        title: title.into(),
        detail: detail.into(),
        evidence: Vec::new(),
        measured: Vec::new(),
    }
}

/// A measured value.
pub fn measure(name: &str, value: f64, unit: &str) -> Measure {
    Measure {
        name: name.to_string(),
        value,
        unit: unit.to_string(),
    }
}

#[cfg(test)]
mod target_tests {
    use super::*;
    use handover_model::{Environment, EnvironmentKind, Subdomain, SubdomainPurpose};

    #[test]
    fn a_project_becomes_hosts_ports_and_paths() {
        let spec = ProjectSpec {
            apex: "example.test".into(),
            subdomains: vec![Subdomain {
                label: "api".into(),
                purpose: SubdomainPurpose::Api,
            }],
            environments: vec![Environment {
                kind: EnvironmentKind::Production,
                base_url: "https://example.test:8443".into(),
                env_file: String::new(),
            }],
            dns_server: "127.0.0.1:5353".into(),
            ..ProjectSpec::default()
        };
        let target = CheckTarget::from_project(&spec);
        assert_eq!(target.hosts, ["example.test", "api.example.test"]);
        assert_eq!((target.https_port, target.http_port), (8443, 80));
        assert_eq!(target.dns_server, Some("127.0.0.1:5353".parse().unwrap()));
        let plain = CheckTarget::from_project(&ProjectSpec {
            apex: "example.com".into(),
            ..ProjectSpec::default()
        });
        assert_eq!((plain.https_port, plain.http_port), (443, 80));
    }

    #[test]
    fn the_network_context_is_built_once_per_target() {
        let target = CheckTarget {
            apex: "example.test".into(),
            hosts: vec!["example.test".into()],
            ..CheckTarget::default()
        };
        let first = target.net().unwrap();
        let second = target.net().unwrap();
        assert!(first.same_context(&second));
    }
}
