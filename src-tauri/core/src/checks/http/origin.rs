//! # Connections per origin: few, reused, polite
//!
//! A run's checks ask the same few origins dozens of questions within a
//! second; a connection for each would trip a WAF or rate limit into false
//! 429s. So every request to an origin (scheme, host, port) goes through
//! its [`Origin`]:
//!
//! - at most [`PER_ORIGIN`] requests are in flight at once, and the client
//!   keeps their connections alive and reuses them;
//! - the first request decides how the origin is spoken to: over the
//!   verifying client, or — when that refuses the certificate — over the
//!   unverified one ([`super::unverified`]), one request at a time, so the
//!   refused connection and the one behind it stay within the same budget;
//! - a new connection waits for a kept-alive one to come back
//!   ([`Budget`], a layer under the client's connector) unless one is known
//!   to have closed, so a request that finishes a moment before the next
//!   begins does not cost a second connection.
//!
//! With the two TLS inspections per host ([`crate::checks::tls::probe`])
//! a run opens at most four connections to each HTTPS host and port, and
//! two to each plain-HTTP one.

use std::collections::HashMap;
use std::future::Future;
use std::pin::Pin;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::task::{Context, Poll};
use std::time::Duration;

use tokio::sync::{watch, OwnedSemaphorePermit, Semaphore};
use tokio::time::error::Elapsed;
use tokio::time::Instant;
use url::Url;

use super::unverified::invalid_certificate;
use super::Request;
use crate::checks::net::Net;

/// Most requests in flight to one origin, and so most connections to it.
pub const PER_ORIGIN: u32 = 2;

/// How long a new connection waits for a kept-alive one to come back
/// before it is opened anyway (the old one may have closed unseen).
const GRACE: Duration = Duration::from_millis(250);

/// How the origin is spoken to, decided by its first answered request.
#[derive(Debug, Clone)]
enum Mode {
    Verified,
    /// The verifying client refused the certificate, for this reason.
    Unverified(String),
}

/// One origin's discipline (see the module docs).
#[derive(Debug)]
pub(crate) struct Origin {
    permits: Arc<Semaphore>,
    mode: tokio::sync::Mutex<Option<Mode>>,
    /// Connections opened and not known to have closed.
    live: AtomicUsize,
    /// How many may be open: [`PER_ORIGIN`], or one past an invalid
    /// certificate (the refused connection took the other's place).
    cap: AtomicUsize,
}

impl Default for Origin {
    fn default() -> Self {
        Self {
            permits: Arc::new(Semaphore::new(PER_ORIGIN as usize)),
            mode: tokio::sync::Mutex::new(None),
            live: AtomicUsize::new(0),
            cap: AtomicUsize::new(PER_ORIGIN as usize),
        }
    }
}

/// The origins of one run.
#[derive(Debug, Default)]
pub(crate) struct Origins(Mutex<HashMap<(String, String, u16), Arc<Origin>>>);

impl Origins {
    fn of(&self, url: &Url) -> Arc<Origin> {
        let key = (
            url.scheme().to_string(),
            url.host_str().unwrap_or_default().to_ascii_lowercase(),
            url.port_or_known_default().unwrap_or_default(),
        );
        let mut map = self.0.lock().unwrap_or_else(|e| e.into_inner());
        map.entry(key).or_default().clone()
    }
}

/// The right to use one of an origin's connections until dropped.
#[derive(Debug)]
pub(crate) struct Lease {
    origin: Arc<Origin>,
    _permits: OwnedSemaphorePermit,
    /// When the request got its place: its times are counted from here,
    /// not from when it started waiting for one.
    granted: Instant,
}

impl Lease {
    /// When the request got its place among the origin's connections.
    pub(crate) fn granted(&self) -> Instant {
        self.granted
    }

    /// The connection this request used closed (the server asked to, or
    /// the body was left unread): the next request may open another.
    pub(crate) fn closed(&self) {
        let _ = self
            .origin
            .live
            .fetch_update(Ordering::SeqCst, Ordering::SeqCst, |n| n.checked_sub(1));
    }
}

/// What [`send`] got: the response, why it came past an invalid
/// certificate (if it did), and the lease on its connection.
pub(crate) type Sent = (reqwest::Response, Option<String>, Lease);

/// Sends `request` to its origin within `deadline` under the origin's
/// discipline; when the verifying client refuses the server's certificate,
/// sends the very same request over the unverified client and says why.
pub(crate) async fn send(
    net: &Net,
    request: &Request,
    deadline: Instant,
) -> Result<Result<Sent, reqwest::Error>, Elapsed> {
    let origin = net.origins().of(&request.url);
    loop {
        let decided = origin.mode.lock().await.clone();
        if let Some(mode) = decided {
            let need = match mode {
                Mode::Verified => 1,
                Mode::Unverified(_) => PER_ORIGIN,
            };
            let permits = acquire(&origin, need, deadline).await?;
            let lease = Lease {
                origin: origin.clone(),
                _permits: permits,
                granted: Instant::now(),
            };
            return Ok(match mode {
                Mode::Verified => attempt(net.http_client(), request, &origin, deadline)
                    .await?
                    .map(|resp| (resp, None, lease)),
                Mode::Unverified(reason) => {
                    attempt(net.unverified_http_client(), request, &origin, deadline)
                        .await?
                        .map(|resp| (resp, Some(reason), lease))
                }
            });
        }
        let permits = acquire(&origin, 1, deadline).await?;
        let granted = Instant::now();
        let mut mode = origin.mode.lock().await;
        if mode.is_some() {
            continue; // decided while this one waited
        }
        // The first request: the others wait for its verdict.
        let err = match attempt(net.http_client(), request, &origin, deadline).await? {
            Ok(resp) => {
                *mode = Some(Mode::Verified);
                let lease = Lease {
                    origin: origin.clone(),
                    _permits: permits,
                    granted,
                };
                return Ok(Ok((resp, None, lease)));
            }
            Err(err) => err,
        };
        let Some(reason) = invalid_certificate(&err) else {
            return Ok(Err(err)); // undecided: the next request tries again
        };
        *mode = Some(Mode::Unverified(reason.clone()));
        origin.cap.store(1, Ordering::SeqCst);
        drop(mode);
        drop(permits);
        let permits = acquire(&origin, PER_ORIGIN, deadline).await?;
        let lease = Lease {
            origin: origin.clone(),
            _permits: permits,
            granted: Instant::now(),
        };
        return Ok(
            attempt(net.unverified_http_client(), request, &origin, deadline)
                .await?
                .map(|resp| (resp, Some(reason), lease)),
        );
    }
}

async fn acquire(
    origin: &Origin,
    n: u32,
    deadline: Instant,
) -> Result<OwnedSemaphorePermit, Elapsed> {
    let permits = origin.permits.clone();
    match tokio::time::timeout_at(deadline, permits.acquire_many_owned(n)).await? {
        Ok(permit) => Ok(permit),
        // The semaphore is never closed.
        Err(_) => unreachable!("origin semaphores stay open"),
    }
}

/// One try over `client`, telling the connector layer whom it connects
/// for (see [`Budget`]).
async fn attempt(
    client: reqwest::Client,
    request: &Request,
    origin: &Arc<Origin>,
    deadline: Instant,
) -> Result<Result<reqwest::Response, reqwest::Error>, Elapsed> {
    let mut builder = client
        .request(request.method.clone(), request.url.clone())
        .headers(request.headers.clone());
    if let Some(body) = &request.body {
        builder = builder.body(body.clone());
    }
    let (served, waiting) = watch::channel(false);
    let asking = Asking {
        origin: origin.clone(),
        served: waiting,
    };
    let outcome = ASKING
        .scope(asking, tokio::time::timeout_at(deadline, builder.send()))
        .await;
    let _ = served.send(true);
    if let Ok(Err(err)) = &outcome {
        if !err.is_connect() {
            // The connection broke under this request.
            let _ = origin
                .live
                .fetch_update(Ordering::SeqCst, Ordering::SeqCst, |n| n.checked_sub(1));
        }
    }
    outcome
}

/// Who a connection is being opened for.
#[derive(Clone)]
struct Asking {
    origin: Arc<Origin>,
    /// Turns true once the request got its answer some other way.
    served: watch::Receiver<bool>,
}

tokio::task_local! {
    static ASKING: Asking;
}

/// The connector layer that keeps an origin's connections within its
/// budget: when as many are open as requests may be in flight, a new one
/// waits [`GRACE`] for the pool to hand back a kept-alive connection, and
/// is not opened at all when it does (the client then uses that one).
#[derive(Debug, Clone, Copy, Default)]
pub(crate) struct Budget;

impl<S> tower_layer::Layer<S> for Budget {
    type Service = BudgetService<S>;

    fn layer(&self, inner: S) -> Self::Service {
        BudgetService { inner }
    }
}

/// [`Budget`] around the client's connector.
#[derive(Debug, Clone)]
pub(crate) struct BudgetService<S> {
    inner: S,
}

type BoxError = Box<dyn std::error::Error + Send + Sync>;

impl<S, R> tower_service::Service<R> for BudgetService<S>
where
    S: tower_service::Service<R, Error = BoxError> + Clone + Send + 'static,
    S::Future: Send + 'static,
    S::Response: Send + 'static,
    R: Send + 'static,
{
    type Response = S::Response;
    type Error = BoxError;
    type Future = Pin<Box<dyn Future<Output = Result<S::Response, BoxError>> + Send>>;

    fn poll_ready(&mut self, cx: &mut Context<'_>) -> Poll<Result<(), BoxError>> {
        self.inner.poll_ready(cx)
    }

    fn call(&mut self, dst: R) -> Self::Future {
        let asking = ASKING.try_with(Asking::clone).ok();
        // The service that was polled ready goes into the future.
        let clone = self.inner.clone();
        let mut inner = std::mem::replace(&mut self.inner, clone);
        Box::pin(async move {
            if let Some(mut asking) = asking.clone() {
                // A place among the origin's connections, taken before
                // connecting so that two connects at once count as two.
                let origin = asking.origin.clone();
                let cap = origin.cap.load(Ordering::SeqCst);
                let reserved = origin
                    .live
                    .fetch_update(Ordering::SeqCst, Ordering::SeqCst, |n| {
                        (n < cap).then_some(n + 1)
                    })
                    .is_ok();
                if !reserved {
                    let served = asking.served.wait_for(|served| *served);
                    if tokio::time::timeout(GRACE, served).await.is_ok() {
                        return Err("answered over a kept-alive connection".into());
                    }
                    origin.live.fetch_add(1, Ordering::SeqCst);
                }
                let conn = inner.call(dst).await;
                if conn.is_err() {
                    let _ = origin
                        .live
                        .fetch_update(Ordering::SeqCst, Ordering::SeqCst, |n| n.checked_sub(1));
                }
                return conn;
            }
            inner.call(dst).await
        })
    }
}
