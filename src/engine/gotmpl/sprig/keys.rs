//! Private keys for Sprig's `genPrivateKey` and the `*WithKey` certificate functions: generation
//! (RSA 4096, ECDSA P-256, Ed25519, DSA L2048N256, as Sprig v3.3.0's `generatePrivateKey`),
//! PEM encoding in the formats Go's `crypto/x509` writes (PKCS#1 `RSA PRIVATE KEY`, SEC 1
//! `EC PRIVATE KEY`, PKCS#8 `PRIVATE KEY` for Ed25519, Sprig's own ASN.1 `DSA PRIVATE KEY`)
//! and parsing of the same formats with Sprig's error texts. The arithmetic is RustCrypto's
//! (`rsa`, `p256`, `ed25519-dalek`, `dsa`); randomness is the operating system's.

use dsa::BoxedUint;
use getrandom::SysRng;
use getrandom::rand_core::UnwrapErr;
use rsa::pkcs1::{DecodeRsaPrivateKey, EncodeRsaPrivateKey};
use rsa::pkcs8::{DecodePrivateKey, EncodePrivateKey};
use x509_cert::spki::SubjectPublicKeyInfoOwned;

/// A private key of one of the types Sprig generates and reads.
pub(crate) enum PrivateKey {
    Rsa(Box<rsa::PrivateKey>),
    Ecdsa(p256::SecretKey),
    Ed25519(ed25519_dalek::SigningKey),
    Dsa(Box<dsa::SigningKey>),
}

/// RSA modulus size of `genPrivateKey "rsa"`.
const RSA_KEY_BITS: usize = 4096;
/// RSA modulus size of the keys `genCA`, `genSelfSignedCert` and `genSignedCert` make.
pub(crate) const CERT_RSA_KEY_BITS: usize = 2048;

impl PrivateKey {
    /// A new RSA key of `bits` bits.
    pub(crate) fn rsa(bits: usize) -> Result<PrivateKey, String> {
        rsa::PrivateKey::new(&mut SysRng, bits)
            .map(|k| PrivateKey::Rsa(Box::new(k)))
            .map_err(|e| e.to_string())
    }

    /// Sprig's `generatePrivateKey`: `""`/`rsa`, `dsa`, `ecdsa` or `ed25519`; the error is the
    /// text Sprig returns in place of the key.
    pub(crate) fn generate(typ: &str) -> Result<PrivateKey, String> {
        let fail = |e: String| format!("failed to generate private key: {e}");
        match typ {
            "" | "rsa" => PrivateKey::rsa(RSA_KEY_BITS).map_err(fail),
            "dsa" => {
                let components = dsa::Components::try_generate_from_rng_with_key_size(
                    &mut SysRng,
                    dsa::KeySize::DSA_2048_256,
                )
                .map_err(|e| format!("failed to generate dsa params: {e}"))?;
                dsa::SigningKey::try_generate_from_rng_with_components(&mut SysRng, components)
                    .map(|k| PrivateKey::Dsa(Box::new(k)))
                    .map_err(|e| fail(e.to_string()))
            }
            "ecdsa" => {
                use p256::elliptic_curve::Generate;
                Ok(PrivateKey::Ecdsa(p256::SecretKey::generate_from_rng(
                    &mut UnwrapErr(SysRng),
                )))
            }
            "ed25519" => {
                let mut seed = [0u8; 32];
                super::super::random::fill(&mut seed);
                Ok(PrivateKey::Ed25519(ed25519_dalek::SigningKey::from_bytes(
                    &seed,
                )))
            }
            other => Err(format!("Unknown type {other}")),
        }
    }

    /// The key as PEM text, in the block type Go's `pemBlockForKey` uses.
    pub(crate) fn to_pem(&self) -> Result<String, String> {
        let (label, der): (&str, Vec<u8>) = match self {
            PrivateKey::Rsa(k) => (
                "RSA PRIVATE KEY",
                k.to_pkcs1_der()
                    .map_err(|e| e.to_string())?
                    .as_bytes()
                    .to_vec(),
            ),
            PrivateKey::Ecdsa(k) => (
                "EC PRIVATE KEY",
                k.to_sec1_der().map_err(|e| e.to_string())?.to_vec(),
            ),
            PrivateKey::Ed25519(k) => {
                // PKCS#8 v1 (no embedded public key), as Go's MarshalPKCS8PrivateKey.
                let bytes = ed25519_dalek::pkcs8::KeypairBytes {
                    secret_key: k.to_bytes(),
                    public_key: None,
                };
                (
                    "PRIVATE KEY",
                    bytes
                        .to_pkcs8_der()
                        .map_err(|e| e.to_string())?
                        .as_bytes()
                        .to_vec(),
                )
            }
            PrivateKey::Dsa(k) => ("DSA PRIVATE KEY", dsa_to_der(k)),
        };
        Ok(pem_encode(label, &der))
    }

    /// Sprig's `parsePrivateKeyPEM`: the first PEM block of `text`, by its type.
    pub(crate) fn from_pem(text: &str) -> Result<PrivateKey, String> {
        let Some((label, der)) = pem_decode(text) else {
            return Err("no PEM data in input".into());
        };
        if label == "PRIVATE KEY" {
            return parse_pkcs8(&der).map_err(|e| format!("decoding PEM as PKCS#8: {e}"));
        }
        let Some(kind) = label.strip_suffix(" PRIVATE KEY") else {
            return Err(format!("no private key data in PEM block of type {label}"));
        };
        match kind {
            "RSA" => rsa::PrivateKey::from_pkcs1_der(&der)
                .map(|k| PrivateKey::Rsa(Box::new(k)))
                .map_err(|e| format!("parsing RSA private key from PEM: {e}")),
            "EC" => p256::SecretKey::from_sec1_der(&der)
                .map(PrivateKey::Ecdsa)
                .map_err(|e| format!("parsing EC private key from PEM: {e}")),
            "DSA" => dsa_from_der(&der)
                .map(|k| PrivateKey::Dsa(Box::new(k)))
                .map_err(|e| format!("parsing DSA private key from PEM: {e}")),
            _ => Err(format!("invalid private key type {label}")),
        }
    }

    /// The public key as a SubjectPublicKeyInfo (DSA keys have none Go can put in a
    /// certificate).
    pub(crate) fn public_key_info(&self) -> Result<SubjectPublicKeyInfoOwned, String> {
        let info = match self {
            PrivateKey::Rsa(k) => SubjectPublicKeyInfoOwned::from_key(&k.to_public_key()),
            PrivateKey::Ecdsa(k) => SubjectPublicKeyInfoOwned::from_key(&k.public_key()),
            PrivateKey::Ed25519(k) => SubjectPublicKeyInfoOwned::from_key(&k.verifying_key()),
            PrivateKey::Dsa(_) => {
                return Err("x509: unsupported public key type: *dsa.PublicKey".into());
            }
        };
        info.map_err(|e| e.to_string())
    }
}

/// A PKCS#8 key of a type Go's `ParsePKCS8PrivateKey` reads (RSA, P-256, Ed25519).
fn parse_pkcs8(der: &[u8]) -> Result<PrivateKey, String> {
    if let Ok(k) = rsa::PrivateKey::from_pkcs8_der(der) {
        return Ok(PrivateKey::Rsa(Box::new(k)));
    }
    if let Ok(k) = p256::SecretKey::from_pkcs8_der(der) {
        return Ok(PrivateKey::Ecdsa(k));
    }
    if let Ok(k) = ed25519_dalek::SigningKey::from_pkcs8_der(der) {
        return Ok(PrivateKey::Ed25519(k));
    }
    Err("x509: PKCS#8 wrapping contained private key with unknown algorithm".into())
}

/// Go's `pem.Encode`: base64 in lines of 64 characters between BEGIN and END lines.
pub(crate) fn pem_encode(label: &str, der: &[u8]) -> String {
    use base64::Engine;
    let b64 = base64::engine::general_purpose::STANDARD.encode(der);
    let mut out = format!("-----BEGIN {label}-----\n");
    for chunk in b64.as_bytes().chunks(64) {
        out.push_str(std::str::from_utf8(chunk).unwrap_or_default());
        out.push('\n');
    }
    out.push_str(&format!("-----END {label}-----\n"));
    out
}

/// Go's `pem.Decode` (without headers): the type and bytes of the first PEM block in `text`.
pub(crate) fn pem_decode(text: &str) -> Option<(String, Vec<u8>)> {
    use base64::Engine;
    let mut rest = text;
    loop {
        let start = rest.find("-----BEGIN ")?;
        let after = &rest[start + 11..];
        let end_of_label = after.find("-----")?;
        let label = &after[..end_of_label];
        let body_start = &after[end_of_label + 5..];
        let (first_line, body) = body_start.split_once('\n').unwrap_or((body_start, ""));
        let end_marker = format!("-----END {label}-----");
        if label.contains('\n') || !first_line.trim().is_empty() {
            rest = after;
            continue;
        }
        let end = body.find(&end_marker)?;
        let b64: String = body[..end]
            .chars()
            .filter(|c| !c.is_ascii_whitespace())
            .collect();
        let der = base64::engine::general_purpose::STANDARD
            .decode(b64.as_bytes())
            .ok()?;
        return Some((label.to_string(), der));
    }
}

/// Sprig's `DSAKeyFormat`: SEQUENCE { version, P, Q, G, Y, X } of INTEGERs.
fn dsa_to_der(k: &dsa::SigningKey) -> Vec<u8> {
    let vk = k.verifying_key();
    let c = vk.components();
    let ints: [Vec<u8>; 6] = [
        vec![0],
        c.p().to_be_bytes_trimmed_vartime().to_vec(),
        c.q().to_be_bytes_trimmed_vartime().to_vec(),
        c.g().to_be_bytes_trimmed_vartime().to_vec(),
        vk.y().to_be_bytes_trimmed_vartime().to_vec(),
        k.x().to_be_bytes_trimmed_vartime().to_vec(),
    ];
    let mut body = Vec::new();
    for int in &ints {
        let mut bytes: &[u8] = int;
        while bytes.len() > 1 && bytes[0] == 0 {
            bytes = &bytes[1..];
        }
        let mut content = Vec::with_capacity(bytes.len() + 1);
        if bytes.is_empty() || bytes[0] & 0x80 != 0 {
            content.push(0);
        }
        content.extend_from_slice(bytes);
        if content.is_empty() {
            content.push(0);
        }
        body.push(0x02);
        der_len(&mut body, content.len());
        body.extend_from_slice(&content);
    }
    let mut out = vec![0x30];
    der_len(&mut out, body.len());
    out.extend_from_slice(&body);
    out
}

fn der_len(out: &mut Vec<u8>, len: usize) {
    if len < 0x80 {
        out.push(len as u8);
    } else {
        let bytes = len.to_be_bytes();
        let skip = bytes.iter().take_while(|b| **b == 0).count();
        out.push(0x80 | (bytes.len() - skip) as u8);
        out.extend_from_slice(&bytes[skip..]);
    }
}

/// One DER element at the start of `input`: (tag, content, rest).
fn der_element(input: &[u8]) -> Result<(u8, &[u8], &[u8]), String> {
    let short = || "asn1: syntax error: data truncated".to_string();
    let (&tag, rest) = input.split_first().ok_or_else(short)?;
    let (&first, mut rest) = rest.split_first().ok_or_else(short)?;
    let len = if first < 0x80 {
        first as usize
    } else {
        let n = (first & 0x7f) as usize;
        if n == 0 || n > 4 || rest.len() < n {
            return Err("asn1: structure error: length too large".into());
        }
        let mut len = 0usize;
        for b in &rest[..n] {
            len = (len << 8) | *b as usize;
        }
        rest = &rest[n..];
        len
    };
    if rest.len() < len {
        return Err(short());
    }
    Ok((tag, &rest[..len], &rest[len..]))
}

fn dsa_from_der(der: &[u8]) -> Result<dsa::SigningKey, String> {
    let (tag, mut body, _) = der_element(der)?;
    if tag != 0x30 {
        return Err("asn1: structure error: tags don't match".into());
    }
    let mut ints: Vec<&[u8]> = Vec::with_capacity(6);
    for _ in 0..6 {
        let (tag, content, rest) = der_element(body)?;
        if tag != 0x02 {
            return Err("asn1: structure error: tags don't match".into());
        }
        let start = content.iter().take_while(|b| **b == 0).count();
        ints.push(&content[start..]);
        body = rest;
    }
    // p, g and y share p's precision, q and x q's (the crate's arithmetic needs that).
    let p = BoxedUint::from_be_slice_vartime(ints[1]);
    let q = BoxedUint::from_be_slice_vartime(ints[2]);
    let sized = |bytes: &[u8], like: &BoxedUint| {
        BoxedUint::from_be_slice(bytes, like.bits_precision())
            .map_err(|_| "invalid DSA key".to_string())
    };
    let g = sized(ints[3], &p)?;
    let y = sized(ints[4], &p)?;
    let x = sized(ints[5], &q)?;
    let bad = |_| "invalid DSA key".to_string();
    let components = dsa::Components::from_components(p, q, g).map_err(bad)?;
    let vk = dsa::VerifyingKey::from_components(components, y).map_err(bad)?;
    dsa::SigningKey::from_components(vk, x).map_err(bad)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ecdsa_and_ed25519_keys_round_trip_through_pem() {
        for (typ, label) in [("ecdsa", "EC PRIVATE KEY"), ("ed25519", "PRIVATE KEY")] {
            let pem = PrivateKey::generate(typ).unwrap().to_pem().unwrap();
            assert!(
                pem.starts_with(&format!("-----BEGIN {label}-----\n")),
                "{pem}"
            );
            assert!(pem.ends_with(&format!("-----END {label}-----\n")), "{pem}");
            assert!(pem.lines().all(|l| l.len() <= 64));
            let again = PrivateKey::from_pem(&pem).unwrap().to_pem().unwrap();
            assert_eq!(pem, again, "{typ}");
        }
    }

    #[test]
    fn rsa_key_has_4096_bits_and_round_trips() {
        use rsa::traits::PublicKeyParts;
        let key = PrivateKey::generate("rsa").unwrap();
        let PrivateKey::Rsa(k) = &key else {
            panic!("not rsa")
        };
        assert_eq!(k.n().bit_width(), 4096);
        let pem = key.to_pem().unwrap();
        assert!(pem.starts_with("-----BEGIN RSA PRIVATE KEY-----\n"));
        assert_eq!(PrivateKey::from_pem(&pem).unwrap().to_pem().unwrap(), pem);
        // the default type is rsa as well
        assert!(matches!(PrivateKey::generate(""), Ok(PrivateKey::Rsa(_))));
    }

    #[test]
    fn dsa_key_has_2048_256_parameters_and_round_trips() {
        let key = PrivateKey::generate("dsa").unwrap();
        let PrivateKey::Dsa(k) = &key else {
            panic!("not dsa")
        };
        let c = k.verifying_key().components();
        assert_eq!(c.p().bit_width_vartime(), 2048);
        assert_eq!(c.q().bit_width_vartime(), 256);
        let pem = key.to_pem().unwrap();
        assert!(pem.starts_with("-----BEGIN DSA PRIVATE KEY-----\n"));
        assert_eq!(PrivateKey::from_pem(&pem).unwrap().to_pem().unwrap(), pem);
    }

    #[test]
    fn unknown_types_and_bad_pem_give_sprigs_messages() {
        assert_eq!(
            PrivateKey::generate("rot13").err().unwrap(),
            "Unknown type rot13"
        );
        let msg = |t: &str| PrivateKey::from_pem(t).err().unwrap();
        assert_eq!(msg("nothing here"), "no PEM data in input");
        assert_eq!(
            msg("-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n"),
            "no private key data in PEM block of type CERTIFICATE"
        );
        assert_eq!(
            msg("-----BEGIN FOO PRIVATE KEY-----\nAAAA\n-----END FOO PRIVATE KEY-----\n"),
            "invalid private key type FOO PRIVATE KEY"
        );
        assert!(
            msg("-----BEGIN RSA PRIVATE KEY-----\nAAAA\n-----END RSA PRIVATE KEY-----\n")
                .starts_with("parsing RSA private key from PEM: ")
        );
        assert!(
            msg("-----BEGIN DSA PRIVATE KEY-----\nMAA=\n-----END DSA PRIVATE KEY-----\n")
                .starts_with("parsing DSA private key from PEM: ")
        );
    }

    #[test]
    fn pem_decode_skips_leading_text_and_finds_the_first_block() {
        let text = "junk\n-----BEGIN A-----\nAQI=\n-----END A-----\n-----BEGIN B-----\nAw==\n-----END B-----\n";
        assert_eq!(pem_decode(text), Some(("A".into(), vec![1, 2])));
        assert_eq!(pem_decode("-----BEGIN A-----\nAQI=\n"), None);
        assert_eq!(
            pem_encode("X", &[1, 2]),
            "-----BEGIN X-----\nAQI=\n-----END X-----\n"
        );
    }
}
