//! The project's extra CA file: read with a size cap and parsed as PEM
//! certificates (each one decoded as X.509), never sniffed for a marker.
//! The form checks it when a project is saved and every run checks it again
//! when it starts, because the file can change or vanish in between.

use std::io::Read;
use std::path::Path;

use rustls_pki_types::pem::{PemObject, SectionKind};
use rustls_pki_types::CertificateDer;

/// A CA file larger than this is not a CA bundle.
pub const MAX_CA_FILE: u64 = 1024 * 1024;

/// Why a CA file cannot be used.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum CaFileError {
    /// The file could not be opened or read.
    #[error("cannot read {path}: {reason}")]
    Unreadable {
        /// The file.
        path: String,
        /// The operating system's words.
        reason: String,
    },
    /// The path names a directory or something else that is not a file.
    #[error("{path} is not a file")]
    NotAFile {
        /// The path.
        path: String,
    },
    /// Over [`MAX_CA_FILE`].
    #[error("{path} is larger than 1 MiB; that is not a CA certificate")]
    TooLarge {
        /// The file.
        path: String,
    },
    /// The PEM framing or its base64 is broken.
    #[error("{path} is not valid PEM: {reason}")]
    BadPem {
        /// The file.
        path: String,
        /// What the PEM parser said.
        reason: String,
    },
    /// A section decoded but is not an X.509 certificate.
    #[error("certificate {index} in {path} is not a valid X.509 certificate: {reason}")]
    BadCertificate {
        /// The file.
        path: String,
        /// 1-based position in the file.
        index: usize,
        /// What the X.509 parser said.
        reason: String,
    },
    /// A private key sits in the file; it must not be shared as a CA file.
    #[error(
        "{path} holds a private key; a CA file holds certificates only (keep the key elsewhere)"
    )]
    HoldsPrivateKey {
        /// The file.
        path: String,
    },
    /// No certificate section at all.
    #[error("{path} holds no PEM certificate (-----BEGIN CERTIFICATE-----)")]
    NoCertificate {
        /// The file.
        path: String,
    },
}

/// The certificates of a CA file, in file order.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CaBundle {
    /// The file's text (PEM), as trusted by the run's TLS context.
    pub pem: String,
    /// The subject of each certificate, for messages.
    pub subjects: Vec<String>,
}

/// Reads and parses the CA file at `path`.
pub fn ca_bundle(path: &Path) -> Result<CaBundle, CaFileError> {
    let shown = path.display().to_string();
    let unreadable = |e: std::io::Error| CaFileError::Unreadable {
        path: shown.clone(),
        reason: e.to_string(),
    };
    let file = std::fs::File::open(path).map_err(unreadable)?;
    let meta = file.metadata().map_err(unreadable)?;
    if !meta.is_file() {
        return Err(CaFileError::NotAFile { path: shown });
    }
    if meta.len() > MAX_CA_FILE {
        return Err(CaFileError::TooLarge { path: shown });
    }
    let mut bytes = Vec::new();
    file.take(MAX_CA_FILE + 1)
        .read_to_end(&mut bytes)
        .map_err(unreadable)?;
    if bytes.len() as u64 > MAX_CA_FILE {
        return Err(CaFileError::TooLarge { path: shown });
    }
    parse(&shown, &bytes)
}

/// Parses CA file contents; `path` only names the file in errors.
pub fn parse(path: &str, bytes: &[u8]) -> Result<CaBundle, CaFileError> {
    let mut subjects = Vec::new();
    for section in <(SectionKind, Vec<u8>)>::pem_slice_iter(bytes) {
        let (kind, der) = section.map_err(|e| CaFileError::BadPem {
            path: path.to_string(),
            reason: e.to_string(),
        })?;
        match kind {
            SectionKind::Certificate => {
                let index = subjects.len() + 1;
                let cert = CertificateDer::from(der);
                let (_, parsed) =
                    x509_parser::parse_x509_certificate(cert.as_ref()).map_err(|e| {
                        CaFileError::BadCertificate {
                            path: path.to_string(),
                            index,
                            reason: e.to_string(),
                        }
                    })?;
                subjects.push(parsed.subject().to_string());
            }
            SectionKind::PrivateKey | SectionKind::RsaPrivateKey | SectionKind::EcPrivateKey => {
                return Err(CaFileError::HoldsPrivateKey {
                    path: path.to_string(),
                })
            }
            _ => {}
        }
    }
    if subjects.is_empty() {
        return Err(CaFileError::NoCertificate {
            path: path.to_string(),
        });
    }
    Ok(CaBundle {
        pem: String::from_utf8_lossy(bytes).into_owned(),
        subjects,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_fake_certificate_body_is_refused() {
        let fake = b"-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n";
        let err = parse("ca.pem", fake).unwrap_err();
        assert!(
            matches!(
                err,
                CaFileError::BadCertificate { index: 1, .. } | CaFileError::BadPem { .. }
            ),
            "{err:?}"
        );
    }

    #[test]
    fn text_without_a_certificate_is_refused() {
        assert_eq!(
            parse("ca.pem", b"hello").unwrap_err(),
            CaFileError::NoCertificate {
                path: "ca.pem".into()
            }
        );
        // The marker alone in prose is not a certificate.
        let prose = b"paste the -----BEGIN CERTIFICATE----- block here";
        assert!(parse("ca.pem", prose).is_err());
    }

    #[test]
    fn a_real_ca_parses_and_a_private_key_is_refused() {
        let pki = handover_testbed::Pki::new().unwrap();
        let bundle = parse("ca.pem", pki.ca_pem().as_bytes()).unwrap();
        assert_eq!(bundle.subjects.len(), 1);
        let with_key = format!(
            "{}-----BEGIN PRIVATE KEY-----\nMC4CAQAwBQYDK2VwBCIEIA==\n-----END PRIVATE KEY-----\n",
            pki.ca_pem()
        );
        assert!(matches!(
            parse("ca.pem", with_key.as_bytes()),
            Err(CaFileError::HoldsPrivateKey { .. })
        ));
    }

    #[test]
    fn files_are_size_capped_and_directories_refused() {
        let dir = tempfile::tempdir().unwrap();
        assert!(matches!(
            ca_bundle(dir.path()),
            Err(CaFileError::NotAFile { .. })
        ));
        let big = dir.path().join("big.pem");
        std::fs::write(&big, vec![b'a'; (MAX_CA_FILE + 1) as usize]).unwrap();
        assert!(matches!(ca_bundle(&big), Err(CaFileError::TooLarge { .. })));
        assert!(matches!(
            ca_bundle(&dir.path().join("missing.pem")),
            Err(CaFileError::Unreadable { .. })
        ));
    }
}
