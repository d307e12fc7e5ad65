//! The load runner: N requests from C virtual users, a closed model (each
//! user sends its next request when the last answer is in, as five people
//! clicking would), each user over a kept-alive connection of its own
//! ([`super::conn`], opened by hand so its phases can be timed).
//!
//! Times are measured from the moment a request is handed to the
//! connection (or, when it needs one, to its opening) to the last body
//! byte; the time to the response head is kept as well, and so is how the
//! request got its connection: reused, or opened in timed phases (DNS,
//! TCP connect, TLS handshake). A closed model cannot suffer coordinated
//! omission the way a fixed-rate one does: no request has an intended send
//! time it could be late for. Bounded by count and by a total duration; a
//! failed request is counted, never retried (a POST must not be sent
//! twice).

use std::collections::BTreeMap;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use http_body_util::BodyExt;
use hyper::body::{Bytes, Incoming};
use reqwest::Method;
use url::Url;

pub use super::conn::{Connection, Phases, RequestError};
use super::conn::{Destination, KeptAlive};
use super::stats::{percentiles, Percentiles};
use crate::checks::http::redact::cut;
use crate::checks::http::HeaderMap;
use crate::checks::net::Net;

/// Requests sent unless the plan says otherwise.
pub const DEFAULT_REQUESTS: usize = 100;
/// Concurrent virtual users unless the plan says otherwise.
pub const DEFAULT_USERS: usize = 5;
/// Most requests one probe may send.
pub const MAX_REQUESTS: usize = 2_000;
/// Most concurrent users.
pub const MAX_USERS: usize = 50;
/// Most body bytes read per answer (the rest is not waited for).
pub const BODY_CAP: usize = 1024 * 1024;

/// What to measure.
#[derive(Debug, Clone)]
pub struct Plan {
    /// The method.
    pub method: Method,
    /// The URL.
    pub url: Url,
    /// Headers sent with each request.
    pub headers: HeaderMap,
    /// The body sent with each request, if any.
    pub body: Option<Vec<u8>>,
    /// How many requests in all (at most [`MAX_REQUESTS`]).
    pub requests: usize,
    /// How many users send at once (at most [`MAX_USERS`]).
    pub users: usize,
    /// Deadline of one request.
    pub timeout: Duration,
    /// Deadline of the whole probe: requests not started by then are not sent.
    pub budget: Duration,
}

impl Plan {
    /// A GET of `url` with the defaults: 100 requests, 5 users, 30 s per
    /// request, 120 s in all.
    pub fn get(url: Url) -> Self {
        Self {
            method: Method::GET,
            url,
            headers: HeaderMap::new(),
            body: None,
            requests: DEFAULT_REQUESTS,
            users: DEFAULT_USERS,
            timeout: Duration::from_secs(30),
            budget: Duration::from_secs(120),
        }
    }
}

/// One request's outcome.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Sample {
    /// When it was sent, from the start of the probe.
    pub sent_at: Duration,
    /// Until the response head arrived (`None` when none did).
    pub ttfb: Option<Duration>,
    /// Until the body was read, or the request failed.
    pub total: Duration,
    /// The status, when an answer came.
    pub status: Option<u16>,
    /// Why no answer came, when none did.
    pub error: Option<String>,
    /// How it got its connection: reused, or opened (and in what phases).
    pub connection: Connection,
}

/// What a probe measured.
#[derive(Debug, Clone)]
pub struct Report {
    /// Every request, in the order they finished.
    pub samples: Vec<Sample>,
    /// From the first request to the last answer.
    pub elapsed: Duration,
    /// Percentiles of the answered requests' total times (`None` below
    /// the minimum sample count).
    pub percentiles: Option<Percentiles>,
    /// Answers by status.
    pub statuses: BTreeMap<u16, usize>,
    /// Requests that got no answer (timeouts, refused connections).
    pub failed: usize,
    /// Requests not sent because the probe's budget ran out.
    pub not_sent: usize,
}

impl Report {
    /// Share of requests that failed or answered 5xx, 0–1.
    pub fn error_rate(&self) -> f64 {
        let sent = self.samples.len();
        if sent == 0 {
            return 0.0;
        }
        let server_errors: usize = self
            .statuses
            .iter()
            .filter(|(s, _)| **s >= 500)
            .map(|(_, n)| n)
            .sum();
        (self.failed + server_errors) as f64 / sent as f64
    }
}

/// Runs `plan` against its URL.
pub async fn run(net: &Net, plan: &Plan) -> Result<Report, RequestError> {
    let requests = plan.requests.clamp(1, MAX_REQUESTS);
    let users = plan.users.clamp(1, MAX_USERS).min(requests);
    let to = Destination::of(&plan.url)?;
    let body = Bytes::from(plan.body.clone().unwrap_or_default());
    let next = Arc::new(AtomicUsize::new(0));
    let samples = Arc::new(Mutex::new(Vec::with_capacity(requests)));
    let started = Instant::now();
    let mut tasks = tokio::task::JoinSet::new();
    for _ in 0..users {
        let (net, to, body) = (net.clone(), to.clone(), body.clone());
        let (next, samples, plan) = (next.clone(), samples.clone(), plan.clone());
        tasks.spawn(async move {
            let mut conn = KeptAlive::default();
            while next.fetch_add(1, Ordering::SeqCst) < requests {
                if started.elapsed() >= plan.budget {
                    break;
                }
                let sample = one(&mut conn, &net, &to, &plan, &body, started).await;
                samples
                    .lock()
                    .unwrap_or_else(|e| e.into_inner())
                    .push(sample);
            }
        });
    }
    while tasks.join_next().await.is_some() {}
    let elapsed = started.elapsed();
    let samples = std::mem::take(&mut *samples.lock().unwrap_or_else(|e| e.into_inner()));
    let mut statuses = BTreeMap::new();
    for s in samples.iter().filter_map(|s| s.status) {
        *statuses.entry(s).or_insert(0) += 1;
    }
    let answered: Vec<Duration> = samples
        .iter()
        .filter(|s| s.status.is_some())
        .map(|s| s.total)
        .collect();
    Ok(Report {
        percentiles: percentiles(&answered),
        failed: samples.iter().filter(|s| s.status.is_none()).count(),
        not_sent: requests - samples.len(),
        statuses,
        samples,
        elapsed,
    })
}

/// One request over `conn`, within the plan's timeout (head and body).
async fn one(
    conn: &mut KeptAlive,
    net: &Net,
    to: &Destination,
    plan: &Plan,
    body: &Bytes,
    started: Instant,
) -> Sample {
    let sent = Instant::now();
    let sent_at = sent - started;
    let deadline = tokio::time::Instant::from_std(sent + plan.timeout);
    let mut connection = Connection::NotOpened;
    let head = conn.send(net, to, plan, body, &mut connection);
    let failed = |error: String, connection| Sample {
        sent_at,
        ttfb: None,
        total: sent.elapsed(),
        status: None,
        error: Some(cut(&error)),
        connection,
    };
    let outcome = tokio::time::timeout_at(deadline, head).await;
    let mut response = match outcome {
        Ok(Ok(response)) => response,
        Ok(Err(err)) => return failed(err.to_string(), connection),
        Err(_) => {
            conn.close();
            let error = format!("no answer within {} s", plan.timeout.as_secs_f64());
            return failed(error, connection);
        }
    };
    let ttfb = sent.elapsed();
    let status = response.status().as_u16();
    let (whole, error) = match tokio::time::timeout_at(deadline, drain(&mut response)).await {
        Ok(read) => read,
        Err(_) => (
            false,
            Some(format!(
                "the body did not arrive within {} s",
                plan.timeout.as_secs_f64()
            )),
        ),
    };
    if !whole {
        // Bytes left unread on the connection: it cannot carry another.
        conn.close();
    }
    Sample {
        sent_at,
        ttfb: Some(ttfb),
        total: sent.elapsed(),
        status: Some(status),
        error,
        connection,
    }
}

/// Reads `response`'s body up to [`BODY_CAP`]: whether it was read to its
/// end, and what broke it if something did.
async fn drain(response: &mut hyper::Response<Incoming>) -> (bool, Option<String>) {
    let body = response.body_mut();
    let mut read = 0;
    loop {
        match body.frame().await {
            Some(Ok(frame)) => {
                if let Some(data) = frame.data_ref() {
                    read += data.len();
                    if read > BODY_CAP {
                        return (false, None);
                    }
                }
            }
            Some(Err(err)) => return (false, Some(cut(&err.to_string()))),
            None => return (true, None),
        }
    }
}
