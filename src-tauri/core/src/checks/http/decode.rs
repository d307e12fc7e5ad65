//! Content decoding with a ceiling.
//!
//! The HTTP client never decompresses, so a body arrives as sent. When a
//! check needs the text (to scan HTML), it is decoded here, and the output
//! is capped: a 1 MB gzip bomb that expands to gigabytes stops at the cap
//! instead of filling memory.

use std::io::Read;

/// Why a body could not be decoded.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum DecodeError {
    /// The server used an encoding Handover does not decode.
    #[error("the body is encoded as {0}, which Handover does not decode")]
    Unsupported(String),
    /// Not a byte of the body could be decoded.
    #[error("the {encoding} body is corrupt: {reason}")]
    Corrupt {
        /// The content encoding.
        encoding: String,
        /// What the decoder said.
        reason: String,
    },
}

/// A decoded body.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Decoded {
    /// The bytes, at most the cap.
    pub bytes: Vec<u8>,
    /// Whether decoding stopped at the cap (or the encoded body was cut).
    pub capped: bool,
}

/// Decodes `body` sent with `Content-Encoding: encoding` (possibly a list,
/// applied in order), producing at most `cap` bytes.
pub fn decode(body: &[u8], encoding: Option<&str>, cap: usize) -> Result<Decoded, DecodeError> {
    let codings: Vec<String> = encoding
        .unwrap_or_default()
        .split(',')
        .map(|c| c.trim().to_ascii_lowercase())
        .filter(|c| !c.is_empty() && c != "identity")
        .collect();
    let mut current = Decoded {
        bytes: body.to_vec(),
        capped: false,
    };
    // Codings are listed in the order they were applied: undo the last first.
    for coding in codings.iter().rev() {
        let next = decode_one(&current.bytes, coding, cap)?;
        current = Decoded {
            bytes: next.bytes,
            capped: current.capped || next.capped,
        };
    }
    if current.bytes.len() > cap {
        current.bytes.truncate(cap);
        current.capped = true;
    }
    Ok(current)
}

fn decode_one(body: &[u8], coding: &str, cap: usize) -> Result<Decoded, DecodeError> {
    match coding {
        "gzip" | "x-gzip" => read_capped(flate2::read::MultiGzDecoder::new(body), coding, cap),
        "deflate" => {
            // Servers disagree on whether "deflate" has a zlib wrapper.
            read_capped(flate2::read::ZlibDecoder::new(body), coding, cap)
                .or_else(|_| read_capped(flate2::read::DeflateDecoder::new(body), coding, cap))
        }
        "br" => read_capped(
            brotli_decompressor::Decompressor::new(body, 8192),
            coding,
            cap,
        ),
        other => Err(DecodeError::Unsupported(other.to_string())),
    }
}

/// Reads at most `cap` bytes; a decoder error after some output (a body cut
/// at the download cap) keeps what was decoded.
fn read_capped(mut reader: impl Read, coding: &str, cap: usize) -> Result<Decoded, DecodeError> {
    let mut out = Vec::new();
    let mut buf = [0u8; 16 * 1024];
    loop {
        match reader.read(&mut buf) {
            Ok(0) => {
                return Ok(Decoded {
                    bytes: out,
                    capped: false,
                })
            }
            Ok(n) => {
                let room = cap - out.len();
                if n > room {
                    out.extend_from_slice(&buf[..room]);
                    return Ok(Decoded {
                        bytes: out,
                        capped: true,
                    });
                }
                out.extend_from_slice(&buf[..n]);
            }
            Err(err) if err.kind() == std::io::ErrorKind::Interrupted => continue,
            Err(err) if out.is_empty() => {
                return Err(DecodeError::Corrupt {
                    encoding: coding.to_string(),
                    reason: err.to_string(),
                })
            }
            Err(_) => {
                return Ok(Decoded {
                    bytes: out,
                    capped: true,
                })
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::Write;

    fn gzip(data: &[u8]) -> Vec<u8> {
        let mut enc = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::best());
        enc.write_all(data).unwrap();
        enc.finish().unwrap()
    }

    #[test]
    fn identity_passes_through() {
        let out = decode(b"hello", None, 100).unwrap();
        assert_eq!(out.bytes, b"hello");
        assert!(!out.capped);
        assert_eq!(decode(b"hello", Some("identity"), 3).unwrap().bytes, b"hel");
    }

    #[test]
    fn gzip_is_decoded() {
        let out = decode(&gzip(b"<html>hi</html>"), Some("gzip"), 1000).unwrap();
        assert_eq!(out.bytes, b"<html>hi</html>");
    }

    #[test]
    fn a_gzip_bomb_stops_at_the_cap() {
        let bomb = gzip(&vec![0u8; 50 * 1024 * 1024]);
        assert!(bomb.len() < 100 * 1024);
        let out = decode(&bomb, Some("gzip"), 64 * 1024).unwrap();
        assert_eq!(out.bytes.len(), 64 * 1024);
        assert!(out.capped);
    }

    #[test]
    fn a_cut_gzip_body_keeps_what_decoded() {
        let body = gzip(&b"abcdefgh".repeat(10_000));
        let out = decode(&body[..body.len() / 2], Some("gzip"), 1 << 20).unwrap();
        assert!(out.capped);
        assert!(out.bytes.starts_with(b"abcdefgh"));
    }

    #[test]
    fn unknown_and_corrupt_encodings_are_errors() {
        assert_eq!(
            decode(b"x", Some("zstd"), 10),
            Err(DecodeError::Unsupported("zstd".into()))
        );
        assert!(matches!(
            decode(b"not gzip", Some("gzip"), 10),
            Err(DecodeError::Corrupt { .. })
        ));
    }
}
