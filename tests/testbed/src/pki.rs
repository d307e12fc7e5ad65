//! A throwaway certificate authority (rcgen, ECDSA P-256) and leaf
//! certificates in every state a TLS check must tell apart.

use rcgen::{
    BasicConstraints, CertificateParams, DistinguishedName, DnType, ExtendedKeyUsagePurpose, IsCa,
    Issuer, KeyPair, KeyUsagePurpose,
};
use rustls::pki_types::{CertificateDer, PrivateKeyDer, PrivatePkcs8KeyDer};
use time::{Duration, OffsetDateTime};

use crate::BedError;

/// The common name of the test bed's CA.
pub const CA_NAME: &str = "Handover Test Bed CA";

/// The state of a leaf certificate to issue.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CertKind {
    /// Issued by the CA, valid from a day ago for 90 days.
    Valid,
    /// Issued by the CA, expired yesterday.
    Expired,
    /// Issued by the CA, valid only from tomorrow.
    NotYetValid,
    /// Issued by the CA, expiring in this many days (plus an hour, so a
    /// whole-day count is stable).
    ExpiresIn(i64),
    /// Issued by the CA for `wrong-host.invalid` only.
    WrongHost,
    /// Self-signed, not from the CA.
    SelfSigned,
}

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
        let now = OffsetDateTime::now_utc();
        let (from, until) = match kind {
            CertKind::Valid | CertKind::WrongHost | CertKind::SelfSigned => {
                (now - Duration::days(1), now + Duration::days(90))
            }
            CertKind::Expired => (now - Duration::days(90), now - Duration::days(1)),
            CertKind::NotYetValid => (now + Duration::days(1), now + Duration::days(91)),
            CertKind::ExpiresIn(days) => (
                now - Duration::days(30),
                now + Duration::days(days) + Duration::hours(1),
            ),
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
        let now = OffsetDateTime::now_utc();
        let mut inter = CertificateParams::new(Vec::<String>::new())?;
        inter.distinguished_name = name("Handover Test Bed Intermediate");
        inter.is_ca = IsCa::Ca(BasicConstraints::Constrained(0));
        inter.key_usages = vec![KeyUsagePurpose::KeyCertSign, KeyUsagePurpose::CrlSign];
        inter.not_before = now - Duration::days(30);
        inter.not_after = now + Duration::days(intermediate_days) + Duration::hours(1);
        inter.use_authority_key_identifier_extension = true;
        let inter_key = KeyPair::generate()?;
        let inter_cert =
            inter.signed_by(&inter_key, &Issuer::from_params(&self.params, &self.key))?;

        let mut params =
            CertificateParams::new(names.iter().map(|n| n.to_string()).collect::<Vec<_>>())?;
        params.distinguished_name = name(names.first().copied().unwrap_or("leaf"));
        params.not_before = now - Duration::days(1);
        params.not_after = now + Duration::days(90);
        params.extended_key_usages = vec![ExtendedKeyUsagePurpose::ServerAuth];
        params.use_authority_key_identifier_extension = true;
        let key = KeyPair::generate()?;
        let cert = params.signed_by(&key, &Issuer::from_params(&inter, &inter_key))?;
        Ok(Leaf {
            chain: vec![cert.der().clone(), inter_cert.der().clone()],
            key: PrivateKeyDer::Pkcs8(PrivatePkcs8KeyDer::from(key.serialize_der())),
            pem: cert.pem(),
        })
    }
}

fn name(common_name: &str) -> DistinguishedName {
    let mut dn = DistinguishedName::new();
    dn.push(DnType::CommonName, common_name);
    dn.push(DnType::OrganizationName, "Handover Test Bed");
    dn
}
