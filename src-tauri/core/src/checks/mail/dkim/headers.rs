//! DKIM selectors read from a real message: each `DKIM-Signature` header
//! names the signing domain (`d=`) and the selector (`s=`) whose key
//! verifies it. DNS cannot list a domain's selectors, so a pasted message
//! is the surest way to learn them.

use mail_auth::dkim::Signature;

use super::key::tags;

/// The header that carries a DKIM signature (RFC 6376 §3.5).
const HEADER: &str = "dkim-signature";

/// The `(d, s)` of each `DKIM-Signature:` header in `text` (pasted message
/// headers, or a whole message), in order and without repeats, lowercase.
///
/// Headers may be folded across lines (a line starting with a space or tab
/// continues the one before, RFC 5322 §2.2.3). Each value is read with
/// `mail-auth`; a signature it rejects (an unknown algorithm, a missing
/// tag) still gives its `d=` and `s=` when the tag list holds them.
pub fn selectors_from_headers(text: &str) -> Vec<(String, String)> {
    let mut found: Vec<(String, String)> = Vec::new();
    for value in signature_values(text) {
        let pair = match Signature::parse(value.as_bytes()) {
            Ok(sig) if !sig.d.is_empty() && !sig.s.is_empty() => Some((sig.d, sig.s)),
            _ => by_hand(&value),
        };
        if let Some((d, s)) = pair {
            let pair = (
                d.trim().trim_end_matches('.').to_ascii_lowercase(),
                s.trim().to_ascii_lowercase(),
            );
            if !found.contains(&pair) {
                found.push(pair);
            }
        }
    }
    found
}

/// The unfolded values of every `DKIM-Signature` header in `text`.
fn signature_values(text: &str) -> Vec<String> {
    let mut headers: Vec<(String, String)> = Vec::new();
    for line in text.lines() {
        let line = line.trim_end_matches('\r');
        if line.starts_with([' ', '\t']) {
            if let Some((_, value)) = headers.last_mut() {
                value.push(' ');
                value.push_str(line.trim());
            }
            continue;
        }
        match line.split_once(':') {
            Some((name, value)) if !name.is_empty() && !name.contains(' ') => {
                headers.push((name.to_ascii_lowercase(), value.trim().to_string()));
            }
            // A blank line or body text: nothing continues it.
            _ => headers.push((String::new(), String::new())),
        }
    }
    headers
        .into_iter()
        .filter(|(name, _)| name == HEADER)
        .map(|(_, value)| value)
        .collect()
}

/// `d=` and `s=` read from the tag list without judging the rest.
fn by_hand(value: &str) -> Option<(String, String)> {
    let pairs = tags(value).ok()?;
    let get = |tag: &str| {
        pairs
            .iter()
            .find(|(n, v)| n == tag && !v.is_empty())
            .map(|(_, v)| v.clone())
    };
    Some((get("d")?, get("s")?))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Two signatures, folded the way mail servers fold them, around the
    /// headers a real message carries.
    const HEADERS: &str = "Return-Path: <bounce@mail.example.test>\r\n\
Received: from mail.example.test (mail.example.test [192.0.2.10])\r\n\
\tby mx.recipient.test with ESMTPS id abc123\r\n\
\tfor <ada@recipient.test>; Tue, 1 Dec 2026 09:30:00 +0000\r\n\
DKIM-Signature: v=1; a=rsa-sha256; c=relaxed/relaxed; d=Example.test;\r\n\
\ts=s1; t=1764581400; h=from:to:subject:date:message-id;\r\n\
\tbh=47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU=;\r\n\
\tb=dGhpcyBpcyBub3QgYSByZWFsIHNpZ25hdHVyZSBidXQgaXQgaXMgYmFzZTY0\r\n\
\t IGFsbCB0aGUgc2FtZQ==\r\n\
dkim-signature: v=1; a=rsa-sha256; c=relaxed/simple; d=sendgrid.info;\r\n\
\x20s=smtpapi; h=from:subject:to; bh=47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU=;\r\n\
\x20b=c2Vjb25kIGZha2Ugc2lnbmF0dXJl\r\n\
From: Example <hello@example.test>\r\n\
To: ada@recipient.test\r\n\
Subject: Welcome\r\n\
\r\n\
Hello! DKIM-Signature: d=body.test; s=nope; is body text.\r\n";

    #[test]
    fn folded_signature_headers_give_their_domains_and_selectors() {
        // Both unfold into values mail-auth reads itself.
        let values = signature_values(HEADERS);
        assert_eq!(values.len(), 2, "{values:?}");
        for value in &values {
            assert!(Signature::parse(value.as_bytes()).is_ok(), "{value}");
        }
        assert_eq!(
            selectors_from_headers(HEADERS),
            [
                ("example.test".to_string(), "s1".to_string()),
                ("sendgrid.info".to_string(), "smtpapi".to_string()),
            ]
        );
    }

    #[test]
    fn a_signature_mail_auth_rejects_still_names_its_selector() {
        // No b= or bh=, an algorithm mail-auth does not know.
        let text = "DKIM-Signature: v=1; a=rsa-sha512; d=example.test; s=k2; h=from\n";
        assert_eq!(
            selectors_from_headers(text),
            [("example.test".to_string(), "k2".to_string())]
        );
        assert_eq!(selectors_from_headers("Subject: hi\n\nbody"), []);
        // A repeated signature is listed once.
        let twice = format!("{HEADERS}{HEADERS}");
        assert_eq!(selectors_from_headers(&twice).len(), 2);
    }
}
