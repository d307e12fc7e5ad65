//! A step's one request, through the fetcher ([`fetch`]) like every other
//! check's: the endpoint's method, headers and body, one deadline for the
//! whole exchange, the answer's body capped. Sent once: nothing here
//! retries, and the fetcher only repeats a request over the unverified
//! client when the certificate was refused, before anything was sent.

use std::time::Duration;

use handover_model::Endpoint;
use url::Url;

use crate::checks::http::{
    fetch, FetchError, HeaderMap, Method, Request, Response, ACCEPT_ENCODING,
};
use crate::checks::net::Net;

/// Most body bytes read from an answer (the rest is not waited for).
pub const BODY_CAP: usize = 1024 * 1024;

/// Sends the endpoint's request to `url` once, with `headers` (its own and
/// its credential's), within `timeout`.
pub(super) async fn once(
    net: &Net,
    endpoint: &Endpoint,
    headers: HeaderMap,
    url: Url,
    timeout: Duration,
) -> Result<Response, FetchError> {
    let method = Method::from_bytes(endpoint.method.as_str().as_bytes()).unwrap_or(Method::GET);
    let mut request = Request::new(method, url)
        .timeout(timeout)
        .body_limit(BODY_CAP)
        .header("accept-encoding", ACCEPT_ENCODING);
    request.headers.extend(headers);
    if !endpoint.body.is_empty() {
        request = request.body(endpoint.body.as_bytes().to_vec());
    }
    fetch(net, request).await
}
