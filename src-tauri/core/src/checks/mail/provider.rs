//! Mail providers recognised from a domain's MX hosts and SPF record, and
//! the DKIM selectors each usually publishes.
//!
//! DNS cannot list the selectors under `_domainkey`, so knowing who sends
//! a domain's mail is the next best guess. The table is small and
//! deliberately conservative: a provider is recognised only by host names
//! it alone runs.

/// One mail provider.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Provider {
    /// The provider's name, as founders know it.
    pub name: &'static str,
    /// Domains whose hosts (the domain itself or names under it) receive
    /// mail for the provider's customers.
    pub mx: &'static [&'static str],
    /// Domains an SPF `include:` or `redirect=` names for the provider.
    pub spf: &'static [&'static str],
    /// The selectors it usually signs with.
    pub selectors: &'static [&'static str],
    /// What else to know about its selectors (where to find them when
    /// they cannot be guessed).
    pub note: Option<&'static str>,
}

/// The providers Handover recognises.
pub const PROVIDERS: &[Provider] = &[
    Provider {
        name: "Google Workspace",
        mx: &["google.com", "googlemail.com"],
        spf: &["_spf.google.com"],
        selectors: &["google"],
        note: Some("a custom selector set in the Admin console (Apps › Gmail › Authenticate email) cannot be guessed"),
    },
    Provider {
        name: "Microsoft 365",
        mx: &["mail.protection.outlook.com"],
        spf: &["spf.protection.outlook.com"],
        selectors: &["selector1", "selector2"],
        note: None,
    },
    Provider {
        name: "SendGrid",
        mx: &["sendgrid.net"],
        spf: &["sendgrid.net"],
        selectors: &["s1", "s2", "smtpapi"],
        note: None,
    },
    Provider {
        name: "Mailgun",
        mx: &["mailgun.org"],
        spf: &["mailgun.org"],
        selectors: &["mx", "k1", "smtp"],
        note: None,
    },
    Provider {
        name: "Amazon SES",
        mx: &["amazonses.com"],
        spf: &["amazonses.com"],
        selectors: &[],
        note: Some("its selectors are random tokens that cannot be guessed: copy the three DKIM CNAME names from the SES console into the project"),
    },
    Provider {
        name: "Postmark",
        mx: &["mtasv.net"],
        spf: &["spf.mtasv.net", "mtasv.net"],
        selectors: &["pm"],
        note: Some("its dated selectors (e.g. 20240101pm) cannot be guessed: copy yours from Postmark's DNS settings into the project"),
    },
    Provider {
        name: "Mailchimp / Mandrill",
        mx: &["mandrillapp.com"],
        spf: &["servers.mcsv.net", "spf.mandrillapp.com", "mandrillapp.com"],
        selectors: &["k1", "k2", "k3"],
        note: None,
    },
];

/// Whether `host` is `domain` or a name under it (both lowercase).
fn under(host: &str, domain: &str) -> bool {
    host == domain
        || host
            .strip_suffix(domain)
            .is_some_and(|rest| rest.ends_with('.'))
}

/// The domains an SPF record's `include:` and `redirect=` terms name,
/// lowercase (qualifiers and macros left as written).
pub fn spf_targets(spf: &str) -> Vec<String> {
    spf.split_ascii_whitespace()
        .filter_map(|term| {
            let term = term.trim_start_matches(['+', '-', '~', '?']);
            let lower = term.to_ascii_lowercase();
            lower
                .strip_prefix("include:")
                .or_else(|| lower.strip_prefix("redirect="))
                .map(|d| d.trim_end_matches('.').to_string())
        })
        .collect()
}

/// The providers `mx_hosts` (exchanges, lowercase, no final dot) and the
/// domain's SPF record (if any) point at, in table order.
pub fn recognise(mx_hosts: &[String], spf: Option<&str>) -> Vec<&'static Provider> {
    let includes = spf.map(spf_targets).unwrap_or_default();
    PROVIDERS
        .iter()
        .filter(|p| {
            let by_mx = mx_hosts
                .iter()
                .any(|h| p.mx.iter().any(|d| under(&h.to_ascii_lowercase(), d)));
            let by_spf = includes.iter().any(|i| p.spf.iter().any(|d| under(i, d)));
            by_mx || by_spf
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn names(mx: &[&str], spf: Option<&str>) -> Vec<&'static str> {
        let mx: Vec<String> = mx.iter().map(|h| h.to_string()).collect();
        recognise(&mx, spf).iter().map(|p| p.name).collect()
    }

    #[test]
    fn providers_are_recognised_by_mx_and_spf() {
        assert_eq!(
            names(&["aspmx.l.google.com", "alt1.aspmx.l.google.com"], None),
            ["Google Workspace"]
        );
        assert_eq!(
            names(&["example-test.mail.protection.outlook.com"], None),
            ["Microsoft 365"]
        );
        assert_eq!(
            names(
                &[],
                Some("v=spf1 include:_spf.google.com include:sendgrid.net ~all")
            ),
            ["Google Workspace", "SendGrid"]
        );
        assert_eq!(
            names(&[], Some("v=spf1 include:amazonses.com -all")),
            ["Amazon SES"]
        );
        assert_eq!(
            names(&[], Some("v=spf1 redirect=spf.mtasv.net")),
            ["Postmark"]
        );
        assert_eq!(
            names(&[], Some("v=spf1 include:servers.mcsv.net ?all")),
            ["Mailchimp / Mandrill"]
        );
        assert_eq!(
            names(
                &["mxa.mailgun.org"],
                Some("v=spf1 include:mailgun.org -all")
            ),
            ["Mailgun"]
        );
    }

    #[test]
    fn look_alike_names_are_not_providers() {
        assert!(names(&["notgoogle.com", "google.com.evil.test"], None).is_empty());
        assert!(names(&[], Some("v=spf1 include:spf.example.test -all")).is_empty());
        assert!(names(&[], Some("v=spf1 a:sendgrid.net -all")).is_empty());
    }
}
