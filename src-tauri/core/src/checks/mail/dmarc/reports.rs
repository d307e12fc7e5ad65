//! External report destinations (RFC 9989 §3 and RFC 9990): a receiver
//! sends reports to an address outside the policy's Organizational Domain
//! only when the destination agrees, by publishing exactly one
//! `v=DMARC1` TXT record at `<policy-domain>._report._dmarc.<dest-host>`.
//!
//! "Outside" is judged by name: a destination host is inside when it is
//! the Organizational Domain or a name under it. (A receiver may also walk
//! the destination's tree to find its Organizational Domain; two names in
//! the same Organizational Domain are then treated alike. Handover asks
//! for the authorisation whenever the name is outside, the stricter
//! reading.)

use crate::checks::mail::{answered, txt};
use crate::checks::net::{Net, NetError};

use super::record::is_dmarc;

/// What a destination's authorisation lookup found.
#[derive(Debug, Clone)]
pub enum Authorisation {
    /// Exactly one `v=DMARC1` record: reports are delivered.
    Granted(String),
    /// None, or more than one: receivers drop the reports.
    Refused(String),
    /// Nothing answered: unknown.
    Unanswered(NetError),
}

/// Whether `host` is `org` or a name under it.
pub fn within(host: &str, org: &str) -> bool {
    host == org || host.ends_with(&format!(".{org}"))
}

/// The name a destination publishes its consent at.
pub fn consent_name(policy_domain: &str, dest_host: &str) -> String {
    format!("{policy_domain}._report._dmarc.{dest_host}")
}

/// Looks up whether `dest_host` accepts reports about `policy_domain`.
pub async fn authorisation(net: &Net, policy_domain: &str, dest_host: &str) -> Authorisation {
    let name = consent_name(policy_domain, dest_host);
    match txt(net, &name).await {
        Ok(all) => {
            let dmarc: Vec<&String> = all.iter().filter(|t| is_dmarc(t)).collect();
            match dmarc.as_slice() {
                [one] => Authorisation::Granted(format!("{name} TXT \"{one}\"")),
                [] => Authorisation::Refused(format!("{name}: no v=DMARC1 record")),
                many => Authorisation::Refused(format!(
                    "{name}: {} v=DMARC1 records (exactly one is needed)",
                    many.len()
                )),
            }
        }
        Err(err) if answered(&err) => Authorisation::Refused(format!("{name}: {err}")),
        Err(err) => Authorisation::Unanswered(err),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn destinations_under_the_organizational_domain_are_inside() {
        assert!(within("example.test", "example.test"));
        assert!(within("mail.example.test", "example.test"));
        assert!(!within("badexample.test", "example.test"));
        assert!(!within("reports.test", "example.test"));
        assert_eq!(
            consent_name("example.test", "reports.test"),
            "example.test._report._dmarc.reports.test"
        );
    }
}
