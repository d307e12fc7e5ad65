//! The burst: a fixed number of requests sent on a fixed schedule (an open
//! model — request *i* leaves at *i*·window/count whatever the earlier ones
//! are doing, as a script in a loop would), spread over a few kept-alive
//! connections of their own ([`Net::load_client`]).
//!
//! The burst stops sending at the first 429 or 5xx: the verdict is known
//! then, and a limiter or a failing server gets no more than it must. A
//! request that fails is recorded, never retried (a POST must not be sent
//! twice).

use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

use reqwest::Method;
use url::Url;

use crate::checks::http::redact::cut;
use crate::checks::http::HeaderMap;
use crate::checks::net::{Net, NetError};

/// Most body bytes read per answer (the rest is not waited for).
pub const BODY_CAP: usize = 64 * 1024;
/// Most bytes of a body kept for evidence (a 429's message).
pub const KEPT_BODY: usize = 512;

/// What to send.
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
    /// How many requests at most.
    pub requests: usize,
    /// Over how long they are spread.
    pub window: Duration,
    /// How many connections carry them.
    pub connections: usize,
    /// Deadline of one request, connect to last body byte.
    pub timeout: Duration,
}

/// One request's outcome.
#[derive(Debug, Clone)]
pub struct Shot {
    /// Its place in the schedule, from 0.
    pub index: usize,
    /// When it left, from the start of the burst.
    pub sent_at: Duration,
    /// The status, when an answer came.
    pub status: Option<u16>,
    /// The response headers (empty when no answer came).
    pub headers: HeaderMap,
    /// The start of the body, lossy UTF-8, at most [`KEPT_BODY`] bytes.
    pub body: String,
    /// Why no answer came, when none did.
    pub error: Option<String>,
}

impl Shot {
    /// Whether the answer was a 5xx.
    pub fn is_server_error(&self) -> bool {
        self.status.is_some_and(|s| s >= 500)
    }
}

/// What a burst got, in schedule order.
#[derive(Debug, Clone)]
pub struct Report {
    /// Every request sent, by index.
    pub shots: Vec<Shot>,
    /// From the first request to the last answer.
    pub elapsed: Duration,
}

impl Report {
    /// The first 429 in schedule order.
    pub fn first_429(&self) -> Option<&Shot> {
        self.shots.iter().find(|s| s.status == Some(429))
    }

    /// The answers by status, e.g. `200×10, 429×1`.
    pub fn statuses(&self) -> String {
        let mut counts = std::collections::BTreeMap::new();
        for s in &self.shots {
            *counts.entry(s.status).or_insert(0usize) += 1;
        }
        counts
            .iter()
            .map(|(s, n)| match s {
                Some(s) => format!("{s}×{n}"),
                None => format!("no answer×{n}"),
            })
            .collect::<Vec<_>>()
            .join(", ")
    }
}

/// Sends `plan`'s burst and gathers every answer.
pub async fn run(net: &Net, plan: &Plan) -> Result<Report, NetError> {
    let requests = plan.requests.max(1);
    let connections = plan.connections.clamp(1, requests);
    let clients = (0..connections)
        .map(|_| net.load_client())
        .collect::<Result<Vec<_>, _>>()?;
    let stop = Arc::new(AtomicBool::new(false));
    let started = Instant::now();
    let step = plan.window / requests as u32;
    let mut tasks = tokio::task::JoinSet::new();
    for index in 0..requests {
        tokio::time::sleep_until((started + step * index as u32).into()).await;
        if stop.load(Ordering::SeqCst) {
            break;
        }
        let (client, plan, stop) = (
            clients[index % connections].clone(),
            plan.clone(),
            stop.clone(),
        );
        tasks.spawn(async move {
            let shot = send(&client, &plan, index, started).await;
            if matches!(shot.status, Some(429) | Some(500..)) {
                stop.store(true, Ordering::SeqCst);
            }
            shot
        });
    }
    let mut shots = Vec::with_capacity(requests);
    while let Some(done) = tasks.join_next().await {
        if let Ok(shot) = done {
            shots.push(shot);
        }
    }
    shots.sort_by_key(|s| s.index);
    Ok(Report {
        shots,
        elapsed: started.elapsed(),
    })
}

/// Sends one request of `plan` (never retried) and reads its answer.
pub async fn send(client: &reqwest::Client, plan: &Plan, index: usize, started: Instant) -> Shot {
    let sent_at = started.elapsed();
    let mut request = client
        .request(plan.method.clone(), plan.url.clone())
        .headers(plan.headers.clone())
        .timeout(plan.timeout);
    if let Some(body) = &plan.body {
        request = request.body(body.clone());
    }
    let mut shot = Shot {
        index,
        sent_at,
        status: None,
        headers: HeaderMap::new(),
        body: String::new(),
        error: None,
    };
    let mut response = match request.send().await {
        Ok(r) => r,
        Err(err) => {
            shot.error = Some(cut(&describe(&err)));
            return shot;
        }
    };
    shot.status = Some(response.status().as_u16());
    shot.headers = response.headers().clone();
    let mut body = Vec::new();
    let mut read = 0;
    while let Ok(Some(chunk)) = response.chunk().await {
        read += chunk.len();
        if body.len() < KEPT_BODY {
            let room = KEPT_BODY - body.len();
            body.extend_from_slice(&chunk[..chunk.len().min(room)]);
        }
        if read > BODY_CAP {
            break;
        }
    }
    shot.body = String::from_utf8_lossy(&body).into_owned();
    shot
}

/// The client's error with its causes, e.g. `error sending request: …:
/// Connection refused`.
pub fn describe(err: &reqwest::Error) -> String {
    let mut text = err.to_string();
    let mut source = std::error::Error::source(err);
    while let Some(cause) = source {
        let more = cause.to_string();
        if !text.contains(&more) {
            text = format!("{text}: {more}");
        }
        source = cause.source();
    }
    text
}

/// Whether the client's error is a refused connection.
pub fn refused(err: &reqwest::Error) -> bool {
    let mut source: Option<&(dyn std::error::Error + 'static)> = std::error::Error::source(err);
    while let Some(cause) = source {
        if let Some(io) = cause.downcast_ref::<std::io::Error>() {
            if io.kind() == std::io::ErrorKind::ConnectionRefused {
                return true;
            }
        }
        if let Some(NetError::Connect { refused: true, .. }) = cause.downcast_ref::<NetError>() {
            return true;
        }
        source = cause.source();
    }
    false
}
