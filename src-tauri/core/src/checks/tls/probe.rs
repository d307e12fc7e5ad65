//! One TLS handshake that accepts whatever certificate the server presents,
//! so the checks can judge the chain themselves (see [`super::inspect`]).
//! Handshake signatures are still verified: only the certificate
//! verdict is deferred.

use std::sync::Arc;
use std::time::{Duration, Instant};

use rustls::{ClientConfig, SupportedProtocolVersion};
use rustls_pki_types::{CertificateDer, ServerName};
use tokio_rustls::TlsConnector;

use crate::checks::net::{permissive, Net, NetError};

/// How long one probe (connect and handshake) may take.
pub const HANDSHAKE_TIMEOUT: Duration = Duration::from_secs(8);

/// What a server presented in a completed handshake.
#[derive(Debug, Clone)]
pub struct Presented {
    /// The certificates as sent, leaf first.
    pub chain: Vec<CertificateDer<'static>>,
    /// The negotiated version, e.g. `TLSv1_3`.
    pub version: String,
    /// The negotiated cipher suite.
    pub cipher: String,
    /// The negotiated ALPN protocol, if any.
    pub alpn: Option<String>,
    /// Connect plus handshake time.
    pub elapsed: Duration,
}

/// Why a probe got no completed handshake.
#[derive(Debug, thiserror::Error)]
pub enum ProbeError {
    /// The host could not be resolved or reached.
    #[error(transparent)]
    Net(#[from] NetError),
    /// Connect and handshake together took too long.
    #[error("no TLS handshake within {} s", .0.as_secs())]
    Timeout(Duration),
    /// The server refused or broke off the handshake.
    #[error("the TLS handshake failed: {0}")]
    Handshake(String),
    /// The host is not a name TLS can ask for.
    #[error("{0} is not a valid TLS server name")]
    BadName(String),
}

/// Which protocol versions a probe offers (only the single versions open
/// a connection; see [`shared`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Offer {
    /// TLS 1.3 and 1.2, as a browser would.
    Both,
    /// TLS 1.3 alone.
    Tls13,
    /// TLS 1.2 alone.
    Tls12,
}

static BOTH: [&SupportedProtocolVersion; 2] = [&rustls::version::TLS13, &rustls::version::TLS12];
static TLS13: [&SupportedProtocolVersion; 1] = [&rustls::version::TLS13];
static TLS12: [&SupportedProtocolVersion; 1] = [&rustls::version::TLS12];

impl Offer {
    fn versions(self) -> &'static [&'static SupportedProtocolVersion] {
        match self {
            Offer::Both => &BOTH,
            Offer::Tls13 => &TLS13,
            Offer::Tls12 => &TLS12,
        }
    }
}

/// One probe's outcome, shared by every check that asks for it.
pub type Shared = Arc<Result<Presented, ProbeError>>;

/// The TLS inspections of one run, one per host, port and offer: the TLS
/// checks and the CAA issuer comparison judge the same handshake instead of
/// each opening a connection of its own.
pub type Inspections =
    crate::checks::memo::Memo<(String, u16, Offer), Result<Presented, ProbeError>>;

/// The run's handshake with `host:port` offering `offer`, made at most
/// once per run (see [`Inspections`]); later callers wait for the first.
///
/// [`Offer::Both`] costs no connection of its own: a server that speaks
/// TLS 1.3 negotiates it when a browser offers both, so its answer is the
/// TLS 1.3 handshake's, else the TLS 1.2 one's. Two connections a host,
/// then, for every TLS check and the CAA issuer comparison together.
pub async fn shared(net: &Net, host: &str, port: u16, offer: Offer) -> Shared {
    let key = (host.to_ascii_lowercase(), port, offer);
    if offer == Offer::Both {
        return net
            .inspections()
            .get_or_run(key, || async {
                let (v13, v12) = tokio::join!(
                    single(net, host, port, Offer::Tls13),
                    single(net, host, port, Offer::Tls12)
                );
                as_browser(&v13, &v12)
            })
            .await;
    }
    single(net, host, port, offer).await
}

async fn single(net: &Net, host: &str, port: u16, offer: Offer) -> Shared {
    net.inspections()
        .get_or_run((host.to_ascii_lowercase(), port, offer), || {
            probe(net, host, port, offer)
        })
        .await
}

/// What a browser offering both versions gets, from the two single-version
/// handshakes: TLS 1.3's, else TLS 1.2's; when neither completed, the
/// network's error if the host could not be reached, else both reasons.
fn as_browser(
    v13: &Result<Presented, ProbeError>,
    v12: &Result<Presented, ProbeError>,
) -> Result<Presented, ProbeError> {
    match (v13, v12) {
        (Ok(presented), _) | (Err(_), Ok(presented)) => Ok(presented.clone()),
        (Err(e13), Err(e12)) => Err(match e13 {
            ProbeError::Net(err) => ProbeError::Net(err.clone()),
            ProbeError::Timeout(after) => ProbeError::Timeout(*after),
            ProbeError::BadName(name) => ProbeError::BadName(name.clone()),
            ProbeError::Handshake(r13) => match e12 {
                ProbeError::Handshake(r12) => {
                    ProbeError::Handshake(format!("TLS 1.3: {r13}; TLS 1.2: {r12}"))
                }
                _ => ProbeError::Handshake(r13.clone()),
            },
        }),
    }
}

/// Connects to `host:port` and completes a handshake offering `offer`,
/// accepting any certificate; all within [`HANDSHAKE_TIMEOUT`].
pub async fn probe(
    net: &Net,
    host: &str,
    port: u16,
    offer: Offer,
) -> Result<Presented, ProbeError> {
    match tokio::time::timeout(HANDSHAKE_TIMEOUT, handshake(net, host, port, offer)).await {
        Ok(outcome) => outcome,
        Err(_) => Err(ProbeError::Timeout(HANDSHAKE_TIMEOUT)),
    }
}

async fn handshake(
    net: &Net,
    host: &str,
    port: u16,
    offer: Offer,
) -> Result<Presented, ProbeError> {
    let started = Instant::now();
    let name = ServerName::try_from(host.to_string())
        .map_err(|_| ProbeError::BadName(host.to_string()))?;
    let config = accept_any_config(offer).map_err(|e| ProbeError::Handshake(e.to_string()))?;
    let tcp = net.connect(host, port).await?;
    let tls = TlsConnector::from(config)
        .connect(name, tcp)
        .await
        .map_err(|e| ProbeError::Handshake(e.to_string()))?;
    let conn = tls.get_ref().1;
    Ok(Presented {
        chain: conn
            .peer_certificates()
            .map(|certs| certs.iter().map(|c| c.clone().into_owned()).collect())
            .unwrap_or_default(),
        version: conn
            .protocol_version()
            .map_or_else(|| "unknown".to_string(), |v| format!("{v:?}")),
        cipher: conn
            .negotiated_cipher_suite()
            .map_or_else(|| "unknown".to_string(), |c| format!("{:?}", c.suite())),
        alpn: conn
            .alpn_protocol()
            .map(|p| String::from_utf8_lossy(p).into_owned()),
        elapsed: started.elapsed(),
    })
}

fn accept_any_config(offer: Offer) -> Result<Arc<ClientConfig>, rustls::Error> {
    permissive::accept_any_config(offer.versions()).map(Arc::new)
}
