//! A throwaway certificate authority (rcgen, ECDSA P-256) and leaf
//! certificates in every state a TLS check must tell apart.

use rcgen::{
    BasicConstraints, CertificateParams, CustomExtension, DistinguishedName, DnType,
    ExtendedKeyUsagePurpose, IsCa, Issuer, KeyPair, KeyUsagePurpose, SigningKey,
};
use rustls::pki_types::{CertificateDer, PrivateKeyDer, PrivatePkcs8KeyDer};
use time::{Duration, OffsetDateTime};

use crate::BedError;

/// The common name of the test bed's CA.
pub const CA_NAME: &str = "Handover Test Bed CA";

/// The organisation of the test bed's CA. It names Let's Encrypt so that
/// the CAA check's issuer heuristic maps the bed's certificates to
/// `letsencrypt.org`, the issuer the bed's CAA record allows — the same in
/// the core's tests, the integration tests and the app.
pub const CA_ORGANIZATION: &str = "Handover Test Bed (stands in for Let's Encrypt)";

/// The state of a leaf certificate to issue.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CertKind {
    /// Issued by the CA, valid from a day ago for 90 days.
    Valid,
    /// Issued by the CA, expired yesterday.
    Expired,
    /// Issued by the CA, valid only from tomorrow.
    NotYetValid,
    /// Issued by the CA a year ago (a long-lived certificate), expiring in
    /// this many days (plus an hour, so a whole-day count is stable).
    ExpiresIn(i64),
    /// Issued by the CA, valid for `days` in all with `left` days (plus an
    /// hour) to go: a short-lived ACME-style certificate when `days` ≤ 100.
    Lifetime {
        /// Total validity, in days.
        days: i64,
        /// Days left before it expires.
        left: i64,
    },
    /// A valid leaf through a valid intermediate, followed by an *expired*
    /// cross-sign of the CA by a retired root (as Let's Encrypt served ISRG
    /// Root X1 cross-signed by the expired DST Root CA X3). Presented: leaf,
    /// intermediate, cross-sign; the path to the trusted CA skips the last.
    ExpiredCrossSign,
    /// A valid leaf through an intermediate of the CA that is NOT presented
    /// (the leaf names it in its AIA caIssuers, [`AIA_URL`]): leaf only.
    Incomplete,
    /// A valid leaf through an intermediate of a root nobody trusts (not the
    /// CA); presented: leaf, intermediate and that self-signed root.
    UntrustedRoot,
    /// Issued by the CA for `wrong-host.invalid` only.
    WrongHost,
    /// Self-signed, not from the CA.
    SelfSigned,
}

/// The caIssuers URL in the AIA extension of [`CertKind::Incomplete`] and
/// [`CertKind::UntrustedRoot`] leaves (nothing serves it).
pub const AIA_URL: &str = "http://ca.example.test/intermediate.der";

/// The common name of the intermediates of the composite kinds.
pub const INTERMEDIATE_NAME: &str = "Handover Test Bed Intermediate";

/// A certificate chain (leaf first) and its private key, ready for a server.
#[derive(Debug)]
pub struct Leaf {
    /// Leaf first, then any intermediates.
    pub chain: Vec<CertificateDer<'static>>,
    /// The leaf's private key (PKCS#8).
    pub key: PrivateKeyDer<'static>,
    /// The leaf in PEM.
    pub pem: String,
}

impl Clone for Leaf {
    fn clone(&self) -> Self {
        Self {
            chain: self.chain.clone(),
            key: self.key.clone_key(),
            pem: self.pem.clone(),
        }
    }
}

/// The test bed's CA.
pub struct Pki {
    params: CertificateParams,
    key: KeyPair,
    der: CertificateDer<'static>,
    pem: String,
}

impl std::fmt::Debug for Pki {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Pki").field("ca", &CA_NAME).finish()
    }
}

impl Pki {
    /// A new CA, valid from a year ago for ten years.
    pub fn new() -> Result<Self, BedError> {
        let now = OffsetDateTime::now_utc();
        let mut params = CertificateParams::new(Vec::<String>::new())?;
        params.distinguished_name = name(CA_NAME);
        params.is_ca = IsCa::Ca(BasicConstraints::Unconstrained);
        params.key_usages = vec![
            KeyUsagePurpose::KeyCertSign,
            KeyUsagePurpose::CrlSign,
            KeyUsagePurpose::DigitalSignature,
        ];
        params.not_before = now - Duration::days(365);
        params.not_after = now + Duration::days(3650);
        let key = KeyPair::generate()?;
        let cert = params.self_signed(&key)?;
        Ok(Self {
            params,
            key,
            der: cert.der().clone(),
            pem: cert.pem(),
        })
    }

    /// The CA certificate in PEM (what a project's "extra CA" file holds).
    pub fn ca_pem(&self) -> &str {
        &self.pem
    }

    /// The CA certificate in DER.
    pub fn ca_der(&self) -> &CertificateDer<'static> {
        &self.der
    }

    /// A leaf of `kind` for `names` (DNS names; the first is also the CN).
    pub fn issue(&self, names: &[&str], kind: CertKind) -> Result<Leaf, BedError> {
        match kind {
            CertKind::ExpiredCrossSign => return self.expired_cross_sign(names),
            CertKind::Incomplete => return self.incomplete(names),
            CertKind::UntrustedRoot => return untrusted_root(names),
            _ => {}
        }
        let now = OffsetDateTime::now_utc();
        let (from, until) = match kind {
            CertKind::Valid | CertKind::WrongHost | CertKind::SelfSigned => {
                (now - Duration::days(1), now + Duration::days(90))
            }
            CertKind::Expired => (now - Duration::days(90), now - Duration::days(1)),
            CertKind::NotYetValid => (now + Duration::days(1), now + Duration::days(91)),
            CertKind::ExpiresIn(days) => (
                now - Duration::days(365),
                now + Duration::days(days) + Duration::hours(1),
            ),
            CertKind::Lifetime { days, left } => {
                let until = now + Duration::days(left) + Duration::hours(1);
                (until - Duration::days(days), until)
            }
            CertKind::ExpiredCrossSign | CertKind::Incomplete | CertKind::UntrustedRoot => {
                unreachable!("issued above")
            }
        };
        let names: Vec<String> = match kind {
            CertKind::WrongHost => vec!["wrong-host.invalid".to_string()],
            _ => names.iter().map(|n| n.to_string()).collect(),
        };
        let mut params = CertificateParams::new(names.clone())?;
        params.distinguished_name = name(names.first().map(String::as_str).unwrap_or("leaf"));
        params.not_before = from;
        params.not_after = until;
        params.key_usages = vec![KeyUsagePurpose::DigitalSignature];
        params.extended_key_usages = vec![ExtendedKeyUsagePurpose::ServerAuth];
        params.use_authority_key_identifier_extension = kind != CertKind::SelfSigned;
        let key = KeyPair::generate()?;
        let cert = if kind == CertKind::SelfSigned {
            params.self_signed(&key)?
        } else {
            let issuer = Issuer::from_params(&self.params, &self.key);
            params.signed_by(&key, &issuer)?
        };
        Ok(Leaf {
            chain: vec![cert.der().clone()],
            key: PrivateKeyDer::Pkcs8(PrivatePkcs8KeyDer::from(key.serialize_der())),
            pem: cert.pem(),
        })
    }

    /// A valid leaf for `names`.
    pub fn valid(&self, names: &[&str]) -> Result<Leaf, BedError> {
        self.issue(names, CertKind::Valid)
    }

    /// A valid leaf for `names` issued through an intermediate CA that
    /// expires in `intermediate_days` days; the chain carries both.
    pub fn via_intermediate(
        &self,
        names: &[&str],
        intermediate_days: i64,
    ) -> Result<Leaf, BedError> {
        let (inter, inter_key, inter_der) =
            ca_cert(INTERMEDIATE_NAME, intermediate_days, &self.issuer())?;
        let (cert, key) = leaf_cert(names, None, &Issuer::from_params(&inter, &inter_key))?;
        Ok(Leaf {
            chain: vec![cert.der().clone(), inter_der],
            key: PrivateKeyDer::Pkcs8(PrivatePkcs8KeyDer::from(key.serialize_der())),
            pem: cert.pem(),
        })
    }
}

impl Pki {
    fn issuer(&self) -> Issuer<'_, &KeyPair> {
        Issuer::from_params(&self.params, &self.key)
    }

    /// [`CertKind::ExpiredCrossSign`].
    fn expired_cross_sign(&self, names: &[&str]) -> Result<Leaf, BedError> {
        let now = OffsetDateTime::now_utc();
        let (inter, inter_key, inter_der) = ca_cert(INTERMEDIATE_NAME, 365, &self.issuer())?;
        let (leaf, key) = leaf_cert(names, None, &Issuer::from_params(&inter, &inter_key))?;
        // The retired root, and the CA (same name, same key) signed by it.
        let (old, old_key) = self_signed_ca("Handover Test Bed Retired Root", now)?;
        let mut cross = self.params.clone();
        cross.not_before = now - Duration::days(3 * 365);
        cross.not_after = now - Duration::days(30);
        cross.use_authority_key_identifier_extension = true;
        let cross = cross.signed_by(&self.key, &Issuer::from_params(&old, &old_key))?;
        Ok(Leaf {
            chain: vec![leaf.der().clone(), inter_der, cross.der().clone()],
            key: pkcs8(&key),
            pem: leaf.pem(),
        })
    }

    /// [`CertKind::Incomplete`].
    fn incomplete(&self, names: &[&str]) -> Result<Leaf, BedError> {
        let (inter, inter_key, _) = ca_cert(INTERMEDIATE_NAME, 365, &self.issuer())?;
        let (leaf, key) = leaf_cert(
            names,
            Some(AIA_URL),
            &Issuer::from_params(&inter, &inter_key),
        )?;
        Ok(Leaf {
            chain: vec![leaf.der().clone()],
            key: pkcs8(&key),
            pem: leaf.pem(),
        })
    }
}

/// [`CertKind::UntrustedRoot`].
fn untrusted_root(names: &[&str]) -> Result<Leaf, BedError> {
    let now = OffsetDateTime::now_utc();
    let (root, root_key) = self_signed_ca("Untrusted Test Root", now)?;
    let root_der = root.self_signed(&root_key)?.der().clone();
    let (inter, inter_key, inter_der) = ca_cert(
        INTERMEDIATE_NAME,
        365,
        &Issuer::from_params(&root, &root_key),
    )?;
    let (leaf, key) = leaf_cert(
        names,
        Some(AIA_URL),
        &Issuer::from_params(&inter, &inter_key),
    )?;
    Ok(Leaf {
        chain: vec![leaf.der().clone(), inter_der, root_der],
        key: pkcs8(&key),
        pem: leaf.pem(),
    })
}

fn pkcs8(key: &KeyPair) -> PrivateKeyDer<'static> {
    PrivateKeyDer::Pkcs8(PrivatePkcs8KeyDer::from(key.serialize_der()))
}

/// A self-signed CA named `cn`, valid from five years ago for ten years.
fn self_signed_ca(cn: &str, now: OffsetDateTime) -> Result<(CertificateParams, KeyPair), BedError> {
    let mut params = CertificateParams::new(Vec::<String>::new())?;
    params.distinguished_name = name(cn);
    params.is_ca = IsCa::Ca(BasicConstraints::Unconstrained);
    params.key_usages = vec![KeyUsagePurpose::KeyCertSign, KeyUsagePurpose::CrlSign];
    params.not_before = now - Duration::days(5 * 365);
    params.not_after = now + Duration::days(5 * 365);
    Ok((params, KeyPair::generate()?))
}

/// An intermediate CA named `cn`, valid from 30 days ago until `days`
/// (plus an hour) from now, signed by `issuer`.
fn ca_cert(
    cn: &str,
    days: i64,
    issuer: &Issuer<'_, impl SigningKey>,
) -> Result<(CertificateParams, KeyPair, CertificateDer<'static>), BedError> {
    let now = OffsetDateTime::now_utc();
    let mut params = CertificateParams::new(Vec::<String>::new())?;
    params.distinguished_name = name(cn);
    params.is_ca = IsCa::Ca(BasicConstraints::Constrained(0));
    params.key_usages = vec![KeyUsagePurpose::KeyCertSign, KeyUsagePurpose::CrlSign];
    params.not_before = now - Duration::days(30);
    params.not_after = now + Duration::days(days) + Duration::hours(1);
    params.use_authority_key_identifier_extension = true;
    let key = KeyPair::generate()?;
    let der = params.signed_by(&key, issuer)?.der().clone();
    Ok((params, key, der))
}

/// A leaf for `names`, valid from a day ago for 90 days, signed by
/// `issuer`, with an AIA caIssuers URL when given.
fn leaf_cert(
    names: &[&str],
    aia: Option<&str>,
    issuer: &Issuer<'_, impl SigningKey>,
) -> Result<(rcgen::Certificate, KeyPair), BedError> {
    let now = OffsetDateTime::now_utc();
    let mut params =
        CertificateParams::new(names.iter().map(|n| n.to_string()).collect::<Vec<_>>())?;
    params.distinguished_name = name(names.first().copied().unwrap_or("leaf"));
    params.not_before = now - Duration::days(1);
    params.not_after = now + Duration::days(90);
    params.key_usages = vec![KeyUsagePurpose::DigitalSignature];
    params.extended_key_usages = vec![ExtendedKeyUsagePurpose::ServerAuth];
    params.use_authority_key_identifier_extension = true;
    if let Some(url) = aia {
        params.custom_extensions.push(aia_ca_issuers(url));
    }
    let key = KeyPair::generate()?;
    let cert = params.signed_by(&key, issuer)?;
    Ok((cert, key))
}

/// The Authority Information Access extension (RFC 5280 §4.2.2.1) with one
/// caIssuers URL.
fn aia_ca_issuers(url: &str) -> CustomExtension {
    // id-ad-caIssuers, 1.3.6.1.5.5.7.48.2
    let mut description = vec![0x06, 0x08, 0x2b, 0x06, 0x01, 0x05, 0x05, 0x07, 0x30, 0x02];
    // uniformResourceIdentifier [6] IA5String
    description.extend(tlv(0x86, url.as_bytes()));
    let content = tlv(0x30, &tlv(0x30, &description));
    CustomExtension::from_oid_content(&[1, 3, 6, 1, 5, 5, 7, 1, 1], content)
}

/// One DER tag-length-value (values under 64 KiB).
fn tlv(tag: u8, value: &[u8]) -> Vec<u8> {
    let len = value.len();
    let mut out = vec![tag];
    match len {
        0..=127 => out.push(len as u8),
        128..=255 => out.extend([0x81, len as u8]),
        _ => out.extend([0x82, (len >> 8) as u8, len as u8]),
    }
    out.extend_from_slice(value);
    out
}

fn name(common_name: &str) -> DistinguishedName {
    let mut dn = DistinguishedName::new();
    dn.push(DnType::CommonName, common_name);
    let organization = if common_name == CA_NAME {
        CA_ORGANIZATION
    } else {
        "Handover Test Bed"
    };
    dn.push(DnType::OrganizationName, organization);
    dn
}
