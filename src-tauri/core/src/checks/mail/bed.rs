//! Running a mail check against the test bed, for the mail checks' tests.

use handover_model::{Finding, Severity};
use handover_testbed::{TestBed, TestBedBuilder};

use crate::checks::http::bed_tests::target_of;
use crate::checks::net::Net;
use crate::checks::CheckTarget;

/// A started bed, the target pointed at it (sending domain `example.test`)
/// and its network context.
pub(crate) struct MailBed {
    pub bed: TestBed,
    pub target: CheckTarget,
    pub net: Net,
}

impl MailBed {
    /// Starts `builder` and points a target at it.
    pub async fn start(builder: TestBedBuilder) -> Self {
        let bed = builder.start().await.expect("the bed starts");
        let mut target = target_of(&bed);
        target.mail_domain = bed.apex().to_string();
        let net = Net::new(&target).unwrap();
        Self { bed, target, net }
    }

    /// Runs check `id` (every finding it makes).
    pub async fn run(&self, id: &str) -> Vec<Finding> {
        crate::checks::run_with(id, &self.net, &self.target)
            .await
            .expect("a check id")
    }
}

/// `(check, target, severity, title)` of each finding, in the order made.
pub(crate) fn in_order(findings: &[Finding]) -> Vec<(String, String, Severity, String)> {
    findings
        .iter()
        .map(|f| {
            (
                f.check.clone(),
                f.target.clone(),
                f.severity,
                f.title.clone(),
            )
        })
        .collect()
}

/// What [`in_order`] should give: `(target, severity, title)` of `check`.
pub(crate) fn expected(
    check: &str,
    list: &[(&str, Severity, &str)],
) -> Vec<(String, String, Severity, String)> {
    list.iter()
        .map(|(target, severity, title)| {
            (
                check.to_string(),
                target.to_string(),
                *severity,
                title.to_string(),
            )
        })
        .collect()
}

/// `(target, severity, title)` of each finding, sorted; each must be `check`'s.
pub(crate) fn sorted(check: &str, findings: &[Finding]) -> Vec<(String, Severity, String)> {
    let mut v: Vec<_> = findings
        .iter()
        .map(|f| {
            assert_eq!(f.check, check, "{f:?}");
            (f.target.clone(), f.severity, f.title.clone())
        })
        .collect();
    v.sort();
    v
}

/// One `(target, severity, title)` for [`sorted`].
pub(crate) fn v(target: &str, severity: Severity, title: &str) -> (String, Severity, String) {
    (target.to_string(), severity, title.to_string())
}
