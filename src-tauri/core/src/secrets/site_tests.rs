//! The deployed-site scan against the test bed's leaking bundle site
//! ([`handover_testbed::bundle_site`]), over the bed's own DNS and CA.

use handover_model::{SecretFinding, Severity, SkipReason};
use handover_testbed::bundle_site::{
    bundle_site, BundleSite, CONFIG_SOURCE, HUGE_BYTES, PAYMENTS_SOURCE, THIRD_PARTY_SCRIPT,
};
use handover_testbed::{handler, Response, TestBed};
use url::Url;

use super::site::{scan_site, AssetKind, Site, SiteLimits, SiteScan, PUBLIC_SOURCE_MAP};
use super::{FingerprintKey, Scanner};
use crate::checks::net::{bed::target, Net};

fn key() -> FingerprintKey {
    FingerprintKey::new([42; 32])
}

/// A bed serving the bundle site on the apex and on `app.` (where the
/// login role lives), plus `/old` → `/` and `/away` → another site.
async fn bed() -> (TestBed, BundleSite) {
    let site = bundle_site();
    let inner = site.handler.clone();
    let served = handler(move |req| match req.path() {
        "/old" => Response::redirect(301, "/"),
        "/away" => Response::redirect(302, "https://elsewhere.test/"),
        _ => inner(req),
    });
    let bed = TestBed::builder()
        .site("example.test", served.clone())
        .site("app.example.test", served)
        .start()
        .await
        .unwrap();
    (bed, site)
}

fn site_of(bed: &TestBed, paths: &[&str]) -> Site {
    let pages = paths
        .iter()
        .map(|p| Url::parse(&format!("https://example.test:{}{p}", bed.https_port())).unwrap())
        .collect();
    Site {
        pages,
        apex: bed.apex().to_string(),
        hosts: bed.hosts(),
    }
}

async fn scan_bed(bed: &TestBed, site: &Site, limits: SiteLimits) -> SiteScan {
    let net = Net::new(&target(bed)).unwrap();
    scan_site(&net, site, Scanner::builtin(), &key(), limits).await
}

/// The finding of `secret` (matched by fingerprint, never by value).
fn of<'a>(scan: &'a SiteScan, secret: &str, location_end: &str) -> Option<&'a SecretFinding> {
    let key = key();
    scan.scan.findings.iter().find(|f| {
        f.fingerprint == key.fingerprint(&f.rule, secret) && f.location.ends_with(location_end)
    })
}

fn no_raw_secret(scan: &SiteScan, planted: &[&str]) {
    let json = serde_json::to_string(&scan.scan).unwrap();
    let debug = format!("{scan:?}");
    for (i, secret) in planted.iter().enumerate() {
        assert!(!json.contains(secret), "planted secret #{i} is in the JSON");
        assert!(!debug.contains(secret), "planted secret #{i} is in Debug");
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_deployed_site_scan_finds_the_planted_keys_and_names_the_original_files() {
    let (bed, leaking) = bed().await;
    let planted = &leaking.planted;
    let mut target = target(&bed);
    target.paths = vec![
        ("homepage".into(), "/".into()),
        ("login".into(), "/login".into()),
    ];
    let site = Site::of(&target);
    assert_eq!(site.pages.len(), 2);
    let scan = scan_bed(&bed, &site, SiteLimits::default()).await;
    assert!(scan.conclusive());
    assert_eq!(scan.pages_fetched, 2);

    // The Stripe key in the source map, named by its original file.
    let in_map = of(&scan, &planted.payments, "/static/app.js.map").expect("found in the map");
    assert_eq!(in_map.original.as_deref(), Some(PAYMENTS_SOURCE));
    assert_eq!(
        (in_map.line, in_map.column),
        (planted.payments_line, planted.payments_column)
    );
    assert_eq!(in_map.rule, "stripe-secret-key");
    assert_eq!(in_map.severity, Severity::Blocker);
    assert!(in_map.preview.ends_with('…'));
    // …and in the (gzip-served) minified bundle itself.
    let in_bundle = of(&scan, &planted.payments, "/static/app.js").expect("found in app.js");
    assert_eq!(in_bundle.original, None);
    assert_eq!(in_bundle.line, 1);

    // The map itself is public with its sources.
    let public: Vec<&SecretFinding> = scan
        .scan
        .findings
        .iter()
        .filter(|f| f.rule == PUBLIC_SOURCE_MAP)
        .collect();
    let map_url = format!(
        "https://example.test:{}/static/app.js.map",
        bed.https_port()
    );
    let app_map = public
        .iter()
        .find(|f| f.location == map_url)
        .expect("app.js.map");
    assert_eq!(app_map.severity, Severity::High);
    assert_eq!(app_map.title, "Public source map with the original source");
    assert_eq!((app_map.line, app_map.column), (1, 1));
    assert!(app_map.preview.is_empty());
    assert_eq!(
        app_map.fingerprint,
        key().fingerprint(PUBLIC_SOURCE_MAP, &map_url)
    );
    // The login page's chunk carries its map inline (base64), clean but public.
    assert!(
        public.iter().any(|f| f
            .location
            .ends_with("/static/chunk-auth.js (inline source map)")),
        "{public:?}"
    );

    // The framework payload of the page.
    let home = format!("https://example.test:{}/", bed.https_port());
    let payload = of(&scan, &planted.next_data, &home).expect("found in __NEXT_DATA__");
    assert_eq!(payload.location, home);
    assert_eq!(payload.rule, "sendgrid-api-key");
    assert_eq!(payload.severity, Severity::Blocker);
    assert!(scan.payloads.iter().any(|p| p == "__NEXT_DATA__"));

    // Found through the `SourceMap` header only.
    let config = of(&scan, &planted.config, "/static/maps/vendor.js.map").expect("header map");
    assert_eq!(config.original.as_deref(), Some(CONFIG_SOURCE));
    assert_eq!(config.line, 3);

    // A missing script is skipped with its reason; the scan went on.
    let missing = scan
        .scan
        .skipped
        .iter()
        .find(|s| s.location.ends_with("/static/missing.js"))
        .expect("missing.js skipped");
    assert!(
        matches!(&missing.reason, SkipReason::Unreadable { error } if error.contains("404")),
        "{missing:?}"
    );

    // The third-party script is listed, never fetched.
    assert_eq!(
        scan.third_party,
        vec![Url::parse(THIRD_PARTY_SCRIPT).unwrap()]
    );
    assert!(!scan
        .scan
        .skipped
        .iter()
        .any(|s| s.location.contains("thirdparty")));
    assert!(!scan
        .assets
        .iter()
        .any(|a| a.location.contains("thirdparty")));

    // The clean stylesheet was read and found clean; the huge script too.
    let css = scan
        .assets
        .iter()
        .find(|a| a.location.ends_with("/static/site.css"));
    assert_eq!(css.map(|a| a.kind), Some(AssetKind::Style));
    assert!(!scan
        .scan
        .findings
        .iter()
        .any(|f| f.location.ends_with(".css")));
    assert!(scan.assets.iter().any(|a| a.location.ends_with("/huge.js")));
    assert_eq!(scan.scan.files, scan.assets.len() as u64);
    assert!(scan.scan.bytes > HUGE_BYTES as u64);
    assert_eq!(scan.over_limit, 0);

    no_raw_secret(
        &scan,
        &[&planted.payments, &planted.next_data, &planted.config],
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_file_over_the_byte_cap_is_skipped_as_too_large() {
    let (bed, leaking) = bed().await;
    let limits = SiteLimits {
        asset_bytes: 256 * 1024,
        ..SiteLimits::default()
    };
    let scan = scan_bed(&bed, &site_of(&bed, &["/"]), limits).await;
    let huge = scan
        .scan
        .skipped
        .iter()
        .find(|s| s.location.ends_with("/static/huge.js"))
        .expect("huge.js skipped");
    match huge.reason {
        SkipReason::TooLarge { bytes, limit } => {
            assert_eq!(limit, 256 * 1024);
            assert!(bytes >= limit, "{bytes}");
        }
        ref other => panic!("not TooLarge: {other:?}"),
    }
    assert!(of(&scan, &leaking.planted.payments, "/static/app.js.map").is_some());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_count_and_total_limits_leave_files_out_and_say_how_many() {
    let (bed, _leaking) = bed().await;
    let site = site_of(&bed, &["/"]);
    let limits = SiteLimits {
        max_assets: 1,
        ..SiteLimits::default()
    };
    let scan = scan_bed(&bed, &site, limits).await;
    // Five scripts and styles of its own: the first (site.css) is read.
    assert_eq!(scan.over_limit, 4);
    assert_eq!(scan.assets.len(), 2, "{:?}", scan.assets);

    let limits = SiteLimits {
        total_bytes: 200 * 1024,
        ..SiteLimits::default()
    };
    let scan = scan_bed(&bed, &site, limits).await;
    assert!(scan.over_limit >= 1, "huge.js does not fit the total");
    assert!(scan.scan.bytes <= 200 * 1024);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn same_site_redirects_are_followed_and_others_are_not() {
    let (bed, leaking) = bed().await;
    let scan = scan_bed(
        &bed,
        &site_of(&bed, &["/old", "/away"]),
        SiteLimits::default(),
    )
    .await;
    assert!(scan.conclusive(), "/old leads to the homepage");
    assert_eq!(scan.pages_fetched, 1);
    let home = format!("https://example.test:{}/", bed.https_port());
    assert!(of(&scan, &leaking.planted.next_data, &home).is_some());
    let away = scan
        .scan
        .skipped
        .iter()
        .find(|s| s.location.ends_with("/away"))
        .expect("/away skipped");
    assert!(
        matches!(&away.reason, SkipReason::Unreadable { error } if error.contains("another site")),
        "{away:?}"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_homepage_that_cannot_be_fetched_makes_the_scan_inconclusive() {
    let (bed, _leaking) = bed().await;
    let scan = scan_bed(
        &bed,
        &site_of(&bed, &["/nowhere", "/login"]),
        SiteLimits::default(),
    )
    .await;
    assert!(!scan.conclusive());
    assert_eq!(scan.pages_fetched, 1, "the login page was still read");
    let home = &scan.scan.skipped[0];
    assert!(home.location.ends_with("/nowhere"), "{home:?}");
    assert!(matches!(&home.reason, SkipReason::Unreadable { error } if error.contains("404")));

    let mut site = site_of(&bed, &["/"]);
    site.pages = vec![Url::parse("https://nohost.example.test/").unwrap()];
    let scan = scan_bed(&bed, &site, SiteLimits::default()).await;
    assert!(!scan.conclusive());
    assert!(matches!(
        &scan.scan.skipped[0].reason,
        SkipReason::Unreadable { .. }
    ));
}
