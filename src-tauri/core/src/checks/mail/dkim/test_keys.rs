//! Test keys for the DKIM checks, generated once with openssl and pasted
//! here (the private halves were thrown away):
//!
//! ```text
//! openssl genrsa BITS | openssl rsa -pubout -outform DER | base64 -w0
//! openssl genrsa 2048 | openssl rsa -RSAPublicKey_out -outform DER | base64 -w0
//! openssl genpkey -algorithm ed25519 | openssl pkey -pubout -outform DER | tail -c 32 | base64
//! ```

/// A 2048-bit RSA SubjectPublicKeyInfo.
pub(crate) const RSA_2048: &str =
    "MIIBIjANBgkqhkiG9w0BAQEFAAOCAQ8AMIIBCgKCAQEAuRIOe60NAADqIhq28zqC\
qjhqr1DDCWvBHQYhzJjNOkfekGK36HyREXXGhnLkNC1UWXzxjQyRDcOF4ggbZhmH\
xVWl2kIEiUyBa4LmjUFmisvYmwFBJt/OQT+fEYTmi8a21ao9RKhJt9RrpN/T9t/g\
5waTF6eFbKfOe4e+HI9hWhN4OW1w8tAHWdApO7A57vqaq52heMYDkqJWylsoDTC1\
KIVbFhab29GfidQ5V51sM1Anb9x/ou5eGfb1+SRg1FeQBWcsculiP4dUxvAiOVs9\
1REuklmUIJQG9KDdvrjLR1I0m02Xyah/ZeTglkvxlPAmSBOFfZVLLNr2NNi50DXU\
+QIDAQAB";

/// A 1024-bit RSA SubjectPublicKeyInfo.
pub(crate) const RSA_1024: &str =
    "MIGfMA0GCSqGSIb3DQEBAQUAA4GNADCBiQKBgQClwKm7RQdR/UtbzjEcHV+U7Iue\
TwF6rItjYVTKJxvlSZwUjYm/jd0zhSVZnVBn4ULo78gQrK43MAOkGXgnWrRZkTGe\
NlY3eAbSiaXbicGHhsUlCK1pECQEJL6de+GJ5pLUpAllH6h6Iarf+CBEpTfBkVwV\
23X3CVHPM5WwxlqlUwIDAQAB";

/// A 512-bit RSA SubjectPublicKeyInfo.
pub(crate) const RSA_512: &str = "MFwwDQYJKoZIhvcNAQEBBQADSwAwSAJBAMX8jafBBDEFuUZeRLBVS+sXNvaJeTIy\
g2y4KSdR64S/4wl6BB344RdS77wzwX9thv5ZdyalN7Gkhq2Gg/SKGrcCAwEAAQ==";

/// A 2048-bit bare PKCS#1 RSAPublicKey (as some providers publish).
pub(crate) const PKCS1_2048: &str =
    "MIIBCgKCAQEAvL1VdPjU3qGoS+6UTHkrAxK8e+NpmmA47alo2RQU5Vygmpw+xkzz\
eUjqoNir3QUi0VGc3eECs0hvSRibdnPHdBSZPsXlkqcvjIDZAvknW49bLm7PwRVz\
7AUbvnHX9uUFYAHj7SByxQ5hch5Pt4Vdoao8exPmcszvh/uW+sAgYFXcXvk9Euxv\
viJbiF/AIULOBBTXMyCmJQcE6Obf2EzmSvhTpY9zQFx3Ps9QfkIROlxyDBtnPXMq\
q/KYgHqrSohclgdWz5O989sxGKVCk8waYgpL/HssonCiE785+FDf1cZw7vBCsa5I\
pGzn5UcHopiLQCpRbkVGw6c4e+HYeDb6eQIDAQAB";

/// A raw 32-byte Ed25519 public key (RFC 8463).
pub(crate) const ED25519: &str = "qXGUAJzTLJv4BmaSUUn3zFHBFaeQYPBwTrZjII8qrnQ=";
