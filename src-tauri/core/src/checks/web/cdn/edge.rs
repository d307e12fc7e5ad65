//! What a CDN's cache-status header (`cf-cache-status`, `x-cache`) says
//! about where a response came from.

/// Cloudflare `cf-cache-status` values for a response served from its
/// cache: `HIT`; `STALE` (expired, served because the origin did not
/// answer); `REVALIDATED` (expired, the origin confirmed it unchanged);
/// `UPDATING` (expired, served while one request refreshes it).
pub const CLOUDFLARE_SERVED: [&str; 4] = ["HIT", "STALE", "REVALIDATED", "UPDATING"];

/// Cloudflare values for a response fetched from the origin: `MISS` (not
/// in the cache), `BYPASS` (the origin's `Cache-Control` or a cookie said
/// not to cache), `DYNAMIC` (not eligible by default), `NONE` / `UNKNOWN`
/// (answered before the cache, e.g. by a Worker or a rule). `EXPIRED` is
/// apart: see [`EdgeCache::Expired`].
pub const CLOUDFLARE_ORIGIN: [&str; 5] = ["MISS", "BYPASS", "DYNAMIC", "NONE", "UNKNOWN"];

/// Where a CDN says a response came from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum EdgeCache {
    /// From the CDN's cache (fresh or stale).
    Served,
    /// From the origin, because the cached copy had expired (Cloudflare
    /// `EXPIRED`): the CDN had stored an earlier copy.
    Expired,
    /// From the origin.
    Origin,
    /// No status, or one Handover does not know.
    Unknown,
}

/// Classifies a cache-status value: Cloudflare's words exactly (case
/// aside), then other CDNs' `x-cache` phrases (`Hit from cloudfront`,
/// `RefreshHit from cloudfront`, Fastly's `MISS, HIT`: any hit is served
/// from a cache).
pub fn edge_cache(status: Option<&str>) -> EdgeCache {
    let Some(status) = status.map(str::trim).filter(|s| !s.is_empty()) else {
        return EdgeCache::Unknown;
    };
    let upper = status.to_ascii_uppercase();
    if CLOUDFLARE_SERVED.contains(&upper.as_str()) {
        EdgeCache::Served
    } else if upper == "EXPIRED" {
        EdgeCache::Expired
    } else if CLOUDFLARE_ORIGIN.contains(&upper.as_str()) {
        EdgeCache::Origin
    } else if upper.contains("HIT") {
        EdgeCache::Served
    } else if upper.contains("MISS") {
        EdgeCache::Origin
    } else {
        EdgeCache::Unknown
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cloudflare_statuses_as_documented() {
        for served in ["HIT", "STALE", "REVALIDATED", "UPDATING", "stale"] {
            assert_eq!(edge_cache(Some(served)), EdgeCache::Served, "{served}");
        }
        for origin in ["MISS", "BYPASS", "DYNAMIC", "NONE", "UNKNOWN"] {
            assert_eq!(edge_cache(Some(origin)), EdgeCache::Origin, "{origin}");
        }
        assert_eq!(edge_cache(Some("EXPIRED")), EdgeCache::Expired);
        assert_eq!(
            edge_cache(Some("RefreshHit from cloudfront")),
            EdgeCache::Served
        );
        assert_eq!(edge_cache(Some("Miss from cloudfront")), EdgeCache::Origin);
        assert_eq!(edge_cache(Some("MISS, HIT")), EdgeCache::Served);
        assert_eq!(
            edge_cache(Some("LambdaGeneratedResponse")),
            EdgeCache::Unknown
        );
        assert_eq!(edge_cache(None), EdgeCache::Unknown);
    }
}
