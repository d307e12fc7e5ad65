//! Running a mail check against the test bed, for the mail checks' tests.

use handover_model::Finding;
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
