//! The deployed-site half of `secrets.bundle`: the homepage and login page
//! with what they load, over the run's network context.

use handover_model::{Cause, Finding, SkipReason};

use super::{findings_of, key_of, BUNDLE};
use crate::checks::{inconclusive, net::Net, CheckTarget};
use crate::secrets::site::{scan_site, Site, SiteLimits};
use crate::secrets::Scanner;

/// The site's findings about its homepage; inconclusive when the homepage
/// could not be read.
pub(super) async fn site(net: &Net, target: &CheckTarget) -> Vec<Finding> {
    let site = Site::of(target);
    let Some(home) = site.pages.first() else {
        return Vec::new();
    };
    let name = crate::checks::http::redact_url(home);
    let key = key_of(target);
    let mut scan = scan_site(net, &site, Scanner::builtin(), &key, SiteLimits::default()).await;
    if !scan.conclusive() {
        let why = scan
            .scan
            .skipped
            .iter()
            .find(|s| s.location == crate::checks::http::redact_url(home))
            .map(|s| match &s.reason {
                SkipReason::Unreadable { error } => error.clone(),
                SkipReason::TooLarge { bytes, limit } => {
                    format!("the page is {bytes} bytes, over the {limit} read")
                }
                SkipReason::Binary => "the page is not text".to_owned(),
            })
            .unwrap_or_else(|| "the homepage could not be read".to_owned());
        return vec![inconclusive(BUNDLE, &name, Cause::Unreachable, why)];
    }
    crate::secrets::hygiene::mark(&mut scan.scan, &target.secret_ignores);
    findings_of(BUNDLE, &name, &scan.scan, "the deployed site")
}
