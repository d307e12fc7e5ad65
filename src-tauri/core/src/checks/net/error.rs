//! [`NetError`]: what can go wrong reaching a product, in words a founder
//! understands.

use std::time::Duration;

use hickory_resolver::net::{DnsError, NetError as DnsNetError};
use hickory_resolver::proto::op::ResponseCode;

/// Why the network context could not do what a check asked.
#[derive(Debug, Clone, thiserror::Error)]
pub enum NetError {
    /// The DNS settings could not be read or used.
    #[error("Handover could not set up DNS lookups: {0}")]
    ResolverSetup(String),
    /// The extra CA certificate is not a usable PEM certificate.
    #[error("The extra CA certificate could not be used: {0}")]
    ExtraCa(String),
    /// The TLS settings could not be built.
    #[error("Handover could not set up TLS: {0}")]
    TlsSetup(String),
    /// The name does not exist in DNS.
    #[error("{host} does not exist in DNS (NXDOMAIN)")]
    NoSuchHost {
        /// The name looked up.
        host: String,
    },
    /// The name exists but has no address records.
    #[error("{host} has no A or AAAA record")]
    NoAddress {
        /// The name looked up.
        host: String,
    },
    /// The DNS server answered with an error code (SERVFAIL, REFUSED…).
    #[error("the DNS server answered {code} for {host}")]
    DnsFailure {
        /// The name looked up.
        host: String,
        /// The response code, e.g. `Server Failure`.
        code: String,
    },
    /// No DNS server answered in time.
    #[error("no DNS server answered for {host} in time")]
    DnsTimeout {
        /// The name looked up.
        host: String,
    },
    /// Any other DNS trouble.
    #[error("looking up {host} failed: {reason}")]
    Dns {
        /// The name looked up.
        host: String,
        /// What went wrong.
        reason: String,
    },
    /// No address accepted a connection within the connect limit.
    #[error("{host}:{port} did not accept a connection within {} s", .after.as_secs())]
    ConnectTimeout {
        /// Host.
        host: String,
        /// Port.
        port: u16,
        /// The limit that ran out.
        after: Duration,
    },
    /// Every address refused or failed the connection.
    #[error("could not connect to {host}:{port}: {reason}")]
    Connect {
        /// Host.
        host: String,
        /// Port.
        port: u16,
        /// The host answered with a refusal: nothing listens on the port.
        refused: bool,
        /// The last error seen.
        reason: String,
    },
    /// The HTTP client could not be built.
    #[error("Handover could not set up its HTTP client: {0}")]
    HttpSetup(String),
}

impl NetError {
    /// Whether this is a DNS answer saying the name does not exist or has
    /// no address (as opposed to a server that failed or stayed silent).
    pub fn is_negative_answer(&self) -> bool {
        matches!(
            self,
            NetError::NoSuchHost { .. } | NetError::NoAddress { .. }
        )
    }

    /// Classifies a hickory error for `host` into a founder-readable one.
    pub fn from_dns(host: &str, err: &DnsNetError) -> Self {
        let host = host.to_string();
        match err {
            DnsNetError::Dns(DnsError::NoRecordsFound(none)) => {
                if none.response_code == ResponseCode::NXDomain {
                    NetError::NoSuchHost { host }
                } else {
                    NetError::NoAddress { host }
                }
            }
            DnsNetError::Dns(DnsError::ResponseCode(code)) => NetError::DnsFailure {
                host,
                code: code.to_string(),
            },
            DnsNetError::Timeout => NetError::DnsTimeout { host },
            other => {
                let reason = other.to_string();
                if reason.contains("timed out") {
                    NetError::DnsTimeout { host }
                } else {
                    NetError::Dns { host, reason }
                }
            }
        }
    }
}
