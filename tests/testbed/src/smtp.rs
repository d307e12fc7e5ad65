//! An SMTP server on loopback, enough of RFC 5321 and RFC 3207 (STARTTLS)
//! for a checker to greet it, read its EHLO keywords, upgrade to TLS and
//! quit — and the broken kinds a real MX can be.

use std::net::{Ipv4Addr, SocketAddr};
use std::sync::Arc;
use std::time::Duration;

use rustls::ServerConfig;
use tokio::io::{AsyncBufReadExt, AsyncRead, AsyncReadExt, AsyncWrite, AsyncWriteExt, BufReader};
use tokio::net::{TcpListener, TcpStream};
use tokio_rustls::TlsAcceptor;

use crate::pki::Leaf;
use crate::{BedError, Tasks};

/// How long the server waits for the client's next command.
const IDLE: Duration = Duration::from_secs(10);

/// Longest command line read (RFC 5321 §4.5.3.1.4 allows 512 octets).
const MAX_LINE: usize = 1000;

/// What kind of mail host it is.
#[derive(Clone)]
pub enum SmtpKind {
    /// Greets, offers STARTTLS and upgrades with this certificate.
    StartTls(Leaf),
    /// Like [`SmtpKind::StartTls`], but accepts only TLS 1.2.
    StartTls12(Leaf),
    /// Greets, but offers no STARTTLS (mail travels in clear text).
    Plain,
    /// Accepts the connection and closes it without a greeting.
    Closes,
    /// Greets with 554: "no SMTP service here" (RFC 5321 §3.1).
    Refuses,
}

impl std::fmt::Debug for SmtpKind {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(match self {
            SmtpKind::StartTls(_) => "StartTls",
            SmtpKind::StartTls12(_) => "StartTls12",
            SmtpKind::Plain => "Plain",
            SmtpKind::Closes => "Closes",
            SmtpKind::Refuses => "Refuses",
        })
    }
}

/// An SMTP server on 127.0.0.1; stops when dropped.
pub struct SmtpServer {
    port: u16,
    _tasks: Tasks,
}

impl SmtpServer {
    /// Starts a server of `kind` that calls itself `name` in its replies.
    pub async fn start(kind: SmtpKind, name: &str) -> Result<Self, BedError> {
        let tls = match &kind {
            SmtpKind::StartTls(leaf) => Some(acceptor(leaf, false)?),
            SmtpKind::StartTls12(leaf) => Some(acceptor(leaf, true)?),
            _ => None,
        };
        let listener = TcpListener::bind((Ipv4Addr::LOCALHOST, 0)).await?;
        let port = listener.local_addr()?.port();
        let name = name.to_string();
        let mut tasks = Tasks::default();
        tasks.spawn(async move {
            let mut sessions = tokio::task::JoinSet::new();
            while let Ok((tcp, _)) = listener.accept().await {
                let (kind, tls, name) = (kind.clone(), tls.clone(), name.clone());
                sessions.spawn(async move {
                    let _ = session(tcp, kind, tls, &name).await;
                });
                while sessions.try_join_next().is_some() {}
            }
        });
        Ok(Self {
            port,
            _tasks: tasks,
        })
    }

    /// The port it listens on.
    pub fn port(&self) -> u16 {
        self.port
    }

    /// `127.0.0.1:port`.
    pub fn addr(&self) -> SocketAddr {
        SocketAddr::from((Ipv4Addr::LOCALHOST, self.port))
    }
}

fn acceptor(leaf: &Leaf, tls12_only: bool) -> Result<TlsAcceptor, BedError> {
    let provider = Arc::new(rustls::crypto::ring::default_provider());
    let versions: &[&'static rustls::SupportedProtocolVersion] = if tls12_only {
        &[&rustls::version::TLS12]
    } else {
        &[&rustls::version::TLS13, &rustls::version::TLS12]
    };
    let config = ServerConfig::builder_with_provider(provider)
        .with_protocol_versions(versions)?
        .with_no_client_auth()
        .with_single_cert(leaf.chain.clone(), leaf.key.clone_key())?;
    Ok(TlsAcceptor::from(Arc::new(config)))
}

async fn session(
    mut tcp: TcpStream,
    kind: SmtpKind,
    tls: Option<TlsAcceptor>,
    name: &str,
) -> std::io::Result<()> {
    match kind {
        SmtpKind::Closes => return tcp.shutdown().await,
        SmtpKind::Refuses => {
            tcp.write_all(format!("554 5.3.2 {name} accepts no mail\r\n").as_bytes())
                .await?;
            // Then, as RFC 5321 §3.1 allows, wait for QUIT.
            return commands(tcp, name, None).await.map(|_| ());
        }
        _ => {}
    }
    tcp.write_all(format!("220 {name} ESMTP test bed\r\n").as_bytes())
        .await?;
    let Some(upgrade) = commands(tcp, name, tls.as_ref()).await? else {
        return Ok(());
    };
    // After STARTTLS: the same conversation over TLS, STARTTLS no more offered.
    let Some(acceptor) = tls else { return Ok(()) };
    if let Ok(Ok(stream)) = tokio::time::timeout(IDLE, acceptor.accept(upgrade)).await {
        commands(stream, name, None).await?;
    }
    Ok(())
}

/// Answers commands until QUIT, EOF or idleness; returns the raw stream
/// when the client asked for STARTTLS (and `tls` allows it).
async fn commands<S>(stream: S, name: &str, tls: Option<&TlsAcceptor>) -> std::io::Result<Option<S>>
where
    S: AsyncRead + AsyncWrite + Unpin,
{
    let mut reader = BufReader::new(stream);
    loop {
        let mut line = String::new();
        let read = tokio::time::timeout(
            IDLE,
            (&mut reader).take(MAX_LINE as u64).read_line(&mut line),
        )
        .await;
        let Ok(Ok(n)) = read else { return Ok(None) };
        if n == 0 {
            return Ok(None);
        }
        let verb = line
            .split_whitespace()
            .next()
            .unwrap_or_default()
            .to_ascii_uppercase();
        let reply = match verb.as_str() {
            "EHLO" => {
                let mut lines = vec![format!("250-{name} greets you")];
                lines.push("250-PIPELINING".into());
                if tls.is_some() {
                    lines.push("250-STARTTLS".into());
                }
                lines.push("250 8BITMIME".into());
                lines.join("\r\n") + "\r\n"
            }
            "HELO" => format!("250 {name}\r\n"),
            "NOOP" | "RSET" => "250 2.0.0 OK\r\n".into(),
            "STARTTLS" if tls.is_some() => {
                reader
                    .get_mut()
                    .write_all(b"220 2.0.0 Ready to start TLS\r\n")
                    .await?;
                return Ok(Some(reader.into_inner()));
            }
            "QUIT" => {
                reader.get_mut().write_all(b"221 2.0.0 Bye\r\n").await?;
                let _ = reader.get_mut().shutdown().await;
                return Ok(None);
            }
            _ => "502 5.5.2 Command not recognised\r\n".into(),
        };
        reader.get_mut().write_all(reply.as_bytes()).await?;
    }
}
