//! X.509 certificates for Sprig's `genCA`, `genSelfSignedCert`, `genSignedCert` (and their
//! `WithKey` forms) and `buildCustomCert`, following Sprig v3.3.0's `crypto.go` and the template
//! Go's `x509.CreateCertificate` fills in: version 3, a random serial below 2^128, subject
//! `CN=<cn>`, validity from now for `days` days, key usage digital signature + key
//! encipherment (+ cert sign for a CA), extended key usage server + client auth, basic
//! constraints (critical), a subject key id on CA certificates, the issuer's key id as authority
//! key id, and the DNS names and IP addresses as subject alternative names. Signatures:
//! SHA-256 with RSA (PKCS #1 v1.5), ECDSA P-256 with SHA-256, or Ed25519. Built with the
//! `x509-cert` crate.

use super::keys::{CERT_RSA_KEY_BITS, PrivateKey, pem_decode, pem_encode};
use std::net::IpAddr;
use std::time::{Duration, SystemTime};
use x509_cert::Certificate as X509;
use x509_cert::builder::profile::BuilderProfile;
use x509_cert::builder::{Builder, CertificateBuilder};
use x509_cert::certificate::TbsCertificate;
use x509_cert::der::asn1::{Ia5String, OctetString};
use x509_cert::der::{Decode, Encode};
use x509_cert::ext::pkix::name::GeneralName;
use x509_cert::ext::pkix::{
    AuthorityKeyIdentifier, BasicConstraints, ExtendedKeyUsage, KeyUsage, KeyUsages,
    SubjectAltName, SubjectKeyIdentifier,
};
use x509_cert::ext::{Extension, ToExtension};
use x509_cert::name::Name;
use x509_cert::serial_number::SerialNumber;
use x509_cert::spki::{SubjectPublicKeyInfoOwned, SubjectPublicKeyInfoRef};
use x509_cert::time::{Time, Validity};

/// A certificate and its key, PEM-encoded (Sprig's `certificate` struct).
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct CertPair {
    pub cert: String,
    pub key: String,
}

/// `genCA` / `genCAWithKey`: a self-signed CA certificate (a new RSA 2048 key unless given).
pub(crate) fn gen_ca(cn: &str, days: i64, key_pem: Option<&str>) -> Result<CertPair, String> {
    let key = key_or_new(key_pem)?;
    let template = Template::new(cn, &[], &[], days, true)?;
    issue(&template, &key, None)
}

/// `genSelfSignedCert` / `genSelfSignedCertWithKey`.
pub(crate) fn gen_self_signed(
    cn: &str,
    ips: &[String],
    dns: &[String],
    days: i64,
    key_pem: Option<&str>,
) -> Result<CertPair, String> {
    let key = key_or_new(key_pem)?;
    let template = Template::new(cn, ips, dns, days, false)?;
    issue(&template, &key, None)
}

/// `genSignedCert` / `genSignedCertWithKey`: a certificate signed by `ca`.
pub(crate) fn gen_signed(
    cn: &str,
    ips: &[String],
    dns: &[String],
    days: i64,
    ca: &CertPair,
    key_pem: Option<&str>,
) -> Result<CertPair, String> {
    let key = key_or_new(key_pem)?;
    let Some((_, ca_der)) = pem_decode(&ca.cert) else {
        return Err("unable to decode certificate".into());
    };
    let ca_cert = X509::from_der(&ca_der).map_err(|e| {
        format!(
            "error parsing certificate: decodedSignerCert.Bytes: x509: malformed certificate ({e})"
        )
    })?;
    let ca_key =
        PrivateKey::from_pem(&ca.key).map_err(|e| format!("error parsing private key: {e}"))?;
    let template = Template::new(cn, ips, dns, days, false)?;
    issue(&template, &key, Some((&ca_cert, &ca_key)))
}

/// `buildCustomCert`: checks a base64 PEM certificate and key and returns them decoded.
pub(crate) fn build_custom(b64cert: &str, b64key: &str) -> Result<CertPair, String> {
    use base64::Engine;
    let engine = base64::engine::general_purpose::STANDARD;
    let cert = engine
        .decode(b64cert)
        .map_err(|_| "unable to decode base64 certificate".to_string())?;
    let key = engine
        .decode(b64key)
        .map_err(|_| "unable to decode base64 private key".to_string())?;
    let cert = String::from_utf8_lossy(&cert).into_owned();
    let key = String::from_utf8_lossy(&key).into_owned();
    let Some((_, der)) = pem_decode(&cert) else {
        return Err("unable to decode certificate".into());
    };
    X509::from_der(&der).map_err(|e| {
        format!("error parsing certificate: decodedCert.Bytes: x509: malformed certificate ({e})")
    })?;
    PrivateKey::from_pem(&key).map_err(|e| format!("error parsing private key: {e}"))?;
    Ok(CertPair { cert, key })
}

fn key_or_new(key_pem: Option<&str>) -> Result<PrivateKey, String> {
    match key_pem {
        Some(pem) => PrivateKey::from_pem(pem).map_err(|e| format!("parsing private key: {e}")),
        None => {
            PrivateKey::rsa(CERT_RSA_KEY_BITS).map_err(|e| format!("error generating rsa key: {e}"))
        }
    }
}

/// Sprig's `getBaseCertTemplate` (plus `IsCA` for the CA functions).
struct Template {
    cn: String,
    ips: Vec<IpAddr>,
    dns: Vec<Ia5String>,
    not_before: SystemTime,
    not_after: SystemTime,
    is_ca: bool,
}

impl Template {
    fn new(
        cn: &str,
        ips: &[String],
        dns: &[String],
        days: i64,
        is_ca: bool,
    ) -> Result<Template, String> {
        let ips = ips
            .iter()
            .map(|s| parse_ip(s).ok_or_else(|| format!("error parsing ip: {s}")))
            .collect::<Result<Vec<_>, _>>()?;
        let dns = dns
            .iter()
            .map(|s| {
                Ia5String::new(s).map_err(|_| {
                    format!(
                        "error creating certificate: x509: {s:?} cannot be encoded as an IA5String"
                    )
                })
            })
            .collect::<Result<Vec<_>, _>>()?;
        let now = SystemTime::now();
        let span = Duration::from_secs(days.unsigned_abs().saturating_mul(86_400));
        let not_after = if days >= 0 {
            now.checked_add(span)
        } else {
            now.checked_sub(span)
        }
        .ok_or_else(|| format!("error creating certificate: {days} days is out of range"))?;
        Ok(Template {
            cn: cn.to_string(),
            ips,
            dns,
            not_before: now,
            not_after,
            is_ca,
        })
    }
}

/// Go's `net.ParseIP`: IPv4 (dotted decimal) or IPv6; IPv4-mapped IPv6 becomes IPv4 (Go
/// marshals the 4-byte form).
fn parse_ip(s: &str) -> Option<IpAddr> {
    let ip: IpAddr = s.parse().ok()?;
    Some(match ip {
        IpAddr::V6(v6) => v6.to_ipv4_mapped().map(IpAddr::V4).unwrap_or(ip),
        v4 => v4,
    })
}

/// The subject `CN=<cn>` as Go encodes it (PrintableString when it can, else UTF8String; an
/// empty CN gives an empty name).
fn subject_name(cn: &str) -> Result<Name, String> {
    let mut der = Vec::new();
    if !cn.is_empty() {
        let printable = cn
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b" '()+,-./:=?*".contains(&b));
        let mut atv = vec![0x06, 0x03, 0x55, 0x04, 0x03];
        atv.push(if printable { 0x13 } else { 0x0c });
        push_len(&mut atv, cn.len());
        atv.extend_from_slice(cn.as_bytes());
        let mut seq = vec![0x30];
        push_len(&mut seq, atv.len());
        seq.extend_from_slice(&atv);
        let mut set = vec![0x31];
        push_len(&mut set, seq.len());
        set.extend_from_slice(&seq);
        der = set;
    }
    let mut name = vec![0x30];
    push_len(&mut name, der.len());
    name.extend_from_slice(&der);
    Name::from_der(&name).map_err(|e| format!("error creating certificate: {e}"))
}

fn push_len(out: &mut Vec<u8>, len: usize) {
    if len < 0x80 {
        out.push(len as u8);
    } else {
        let bytes = len.to_be_bytes();
        let skip = bytes.iter().take_while(|b| **b == 0).count();
        out.push(0x80 | (bytes.len() - skip) as u8);
        out.extend_from_slice(&bytes[skip..]);
    }
}

/// The extensions Go's `CreateCertificate` writes for Sprig's template.
struct GoProfile {
    subject: Name,
    issuer: Name,
    is_ca: bool,
    ips: Vec<IpAddr>,
    dns: Vec<Ia5String>,
    /// The issuer's subject key id (for a certificate signed by a CA).
    authority_key_id: Option<Vec<u8>>,
}

impl BuilderProfile for GoProfile {
    fn get_issuer(&self, _subject: &Name) -> Name {
        self.issuer.clone()
    }

    fn get_subject(&self) -> Name {
        self.subject.clone()
    }

    fn build_extensions(
        &self,
        spk: SubjectPublicKeyInfoRef<'_>,
        _issuer_spk: SubjectPublicKeyInfoRef<'_>,
        tbs: &TbsCertificate,
    ) -> x509_cert::builder::Result<Vec<Extension>> {
        let mut exts: Vec<Extension> = Vec::new();
        let mut usage = KeyUsages::DigitalSignature | KeyUsages::KeyEncipherment;
        if self.is_ca {
            usage |= KeyUsages::KeyCertSign;
        }
        let subject = tbs.subject();
        exts.push(KeyUsage(usage).to_extension(subject, &exts)?);
        let eku = ExtendedKeyUsage(vec![const_oid_server_auth(), const_oid_client_auth()]);
        exts.push(eku.to_extension(subject, &exts)?);
        let bc = BasicConstraints {
            ca: self.is_ca,
            path_len_constraint: None,
        };
        exts.push(bc.to_extension(subject, &exts)?);
        if self.is_ca {
            let ski = SubjectKeyIdentifier::try_from(spk)?;
            exts.push(ski.to_extension(subject, &exts)?);
        }
        if let Some(id) = &self.authority_key_id
            && self.issuer != self.subject
        {
            let akid = AuthorityKeyIdentifier {
                key_identifier: Some(OctetString::new(id.clone())?),
                ..Default::default()
            };
            exts.push(akid.to_extension(subject, &exts)?);
        }
        if !self.ips.is_empty() || !self.dns.is_empty() {
            let mut names: Vec<GeneralName> = self
                .dns
                .iter()
                .map(|d| GeneralName::DnsName(d.clone()))
                .collect();
            for ip in &self.ips {
                let bytes = match ip {
                    IpAddr::V4(v4) => v4.octets().to_vec(),
                    IpAddr::V6(v6) => v6.octets().to_vec(),
                };
                names.push(GeneralName::IpAddress(OctetString::new(bytes)?));
            }
            exts.push(SubjectAltName(names).to_extension(subject, &exts)?);
        }
        Ok(exts)
    }
}

fn const_oid_server_auth() -> x509_cert::der::oid::ObjectIdentifier {
    x509_cert::der::oid::ObjectIdentifier::new_unwrap("1.3.6.1.5.5.7.3.1")
}

fn const_oid_client_auth() -> x509_cert::der::oid::ObjectIdentifier {
    x509_cert::der::oid::ObjectIdentifier::new_unwrap("1.3.6.1.5.5.7.3.2")
}

/// The subject key id of a parsed certificate, if it has one.
fn subject_key_id(cert: &X509) -> Option<Vec<u8>> {
    let exts = cert.tbs_certificate().extensions()?;
    let oid = x509_cert::der::oid::ObjectIdentifier::new_unwrap("2.5.29.14");
    let ext = exts.iter().find(|e| e.extn_id == oid)?;
    let ski = SubjectKeyIdentifier::from_der(ext.extn_value.as_bytes()).ok()?;
    Some(ski.0.as_bytes().to_vec())
}

/// Go's `getCertAndKey`: the certificate for `key`'s public key, signed by the CA (or by `key`
/// itself), both as PEM.
fn issue(
    t: &Template,
    key: &PrivateKey,
    signer: Option<(&X509, &PrivateKey)>,
) -> Result<CertPair, String> {
    let fail = |e: String| format!("error creating certificate: {e}");
    let signing_key = signer.map(|(_, k)| k).unwrap_or(key);
    if matches!(signing_key, PrivateKey::Dsa(_)) {
        return Err(fail(
            "x509: certificate private key does not implement crypto.Signer".into(),
        ));
    }
    let spki: SubjectPublicKeyInfoOwned = key.public_key_info().map_err(fail)?;
    let subject = subject_name(&t.cn)?;
    let (issuer, authority_key_id) = match signer {
        Some((ca, _)) => (ca.tbs_certificate().subject().clone(), subject_key_id(ca)),
        None => (subject.clone(), None),
    };
    let profile = GoProfile {
        subject,
        issuer,
        is_ca: t.is_ca,
        ips: t.ips.clone(),
        dns: t.dns.clone(),
        authority_key_id,
    };
    let validity = Validity::new(
        Time::try_from(t.not_before).map_err(|e| fail(e.to_string()))?,
        Time::try_from(t.not_after).map_err(|e| fail(e.to_string()))?,
    );
    let builder = CertificateBuilder::new(profile, random_serial()?, validity, spki)
        .map_err(|e| fail(e.to_string()))?;
    let built = match signing_key {
        PrivateKey::Rsa(k) => {
            let s = rsa::pkcs1v15::SigningKey::<sha2::Sha256>::new((**k).clone());
            builder.build::<_, rsa::pkcs1v15::Signature>(&s)
        }
        PrivateKey::Ecdsa(k) => {
            let s = p256::ecdsa::SigningKey::from(k);
            builder.build::<_, p256::ecdsa::DerSignature>(&s)
        }
        PrivateKey::Ed25519(k) => builder.build::<_, ed25519_dalek::Signature>(k),
        PrivateKey::Dsa(_) => return Err(fail("x509: DSA signing is not supported".into())),
    };
    let cert = built.map_err(|e| fail(e.to_string()))?;
    let der = cert.to_der().map_err(|e| fail(e.to_string()))?;
    Ok(CertPair {
        cert: pem_encode("CERTIFICATE", &der),
        key: key
            .to_pem()
            .map_err(|e| format!("error pem-encoding key: {e}"))?,
    })
}

/// Go's `rand.Int(rand.Reader, 2^128)`.
fn random_serial() -> Result<SerialNumber, String> {
    let mut bytes = [0u8; 16];
    super::super::random::fill(&mut bytes);
    let mut trimmed: Vec<u8> = bytes.iter().copied().skip_while(|b| *b == 0).collect();
    if trimmed.is_empty() {
        trimmed.push(1);
    }
    if trimmed[0] & 0x80 != 0 {
        trimmed.insert(0, 0);
    }
    SerialNumber::new(&trimmed).map_err(|e| format!("error creating certificate: {e}"))
}

#[cfg(test)]
mod tests {
    use super::*;
    use x509_cert::der::oid::ObjectIdentifier;

    fn parse(pem: &str) -> X509 {
        let (label, der) = pem_decode(pem).expect("PEM");
        assert_eq!(label, "CERTIFICATE");
        X509::from_der(&der).expect("DER certificate")
    }

    fn ext<'a>(c: &'a X509, oid: &str) -> Option<&'a Extension> {
        let oid = ObjectIdentifier::new_unwrap(oid);
        c.tbs_certificate()
            .extensions()?
            .iter()
            .find(|e| e.extn_id == oid)
    }

    fn basic_constraints(c: &X509) -> BasicConstraints {
        let e = ext(c, "2.5.29.19").expect("basic constraints");
        assert!(e.critical);
        BasicConstraints::from_der(e.extn_value.as_bytes()).unwrap()
    }

    fn sans(c: &X509) -> Vec<GeneralName> {
        match ext(c, "2.5.29.17") {
            Some(e) => SubjectAltName::from_der(e.extn_value.as_bytes()).unwrap().0,
            None => Vec::new(),
        }
    }

    fn cn(c: &X509) -> String {
        let oid = ObjectIdentifier::new_unwrap("2.5.4.3");
        c.tbs_certificate()
            .subject()
            .iter()
            .find(|atv| atv.oid == oid)
            .map(|atv| String::from_utf8(atv.value.value().to_vec()).unwrap())
            .unwrap_or_default()
    }

    /// Checks `cert`'s signature with `issuer`'s RSA public key.
    fn verify_rsa(cert: &X509, issuer: &X509) {
        use rsa::pkcs1v15::{Signature, VerifyingKey};
        use rsa::pkcs8::DecodePublicKey;
        use rsa::signature::Verifier;
        let spki_der = issuer
            .tbs_certificate()
            .subject_public_key_info()
            .to_der()
            .unwrap();
        let public = rsa::PublicKey::from_public_key_der(&spki_der).unwrap();
        let vk = VerifyingKey::<sha2::Sha256>::new(public);
        let tbs = cert.tbs_certificate().to_der().unwrap();
        let sig = Signature::try_from(cert.signature().raw_bytes()).unwrap();
        vk.verify(&tbs, &sig).expect("signature verifies");
    }

    fn days_valid(c: &X509) -> u64 {
        let v = c.tbs_certificate().validity();
        let from = v.not_before.to_unix_duration().as_secs();
        let to = v.not_after.to_unix_duration().as_secs();
        let now = SystemTime::now()
            .duration_since(SystemTime::UNIX_EPOCH)
            .unwrap()
            .as_secs();
        assert!(from <= now && now - from < 600, "not before is now");
        (to - from) / 86_400
    }

    #[test]
    fn ca_signs_a_certificate_with_sans_and_ips() {
        let ca = gen_ca("my-ca", 365, None).unwrap();
        let ca_cert = parse(&ca.cert);
        assert_eq!(cn(&ca_cert), "my-ca");
        assert!(basic_constraints(&ca_cert).ca);
        assert_eq!(days_valid(&ca_cert), 365);
        assert!(ca.key.starts_with("-----BEGIN RSA PRIVATE KEY-----\n"));
        verify_rsa(&ca_cert, &ca_cert);
        {
            use rsa::traits::PublicKeyParts;
            let PrivateKey::Rsa(k) = PrivateKey::from_pem(&ca.key).unwrap() else {
                panic!("rsa key")
            };
            assert_eq!(k.n().bit_width(), 2048);
        }

        let ips = vec!["10.0.0.1".to_string(), "::1".to_string()];
        let dns = vec!["svc.ns.svc".to_string(), "localhost".to_string()];
        let leaf = gen_signed("leaf", &ips, &dns, 30, &ca, None).unwrap();
        let leaf_cert = parse(&leaf.cert);
        assert_eq!(cn(&leaf_cert), "leaf");
        assert_eq!(
            leaf_cert.tbs_certificate().issuer(),
            ca_cert.tbs_certificate().subject()
        );
        assert!(!basic_constraints(&leaf_cert).ca);
        assert_eq!(days_valid(&leaf_cert), 30);
        verify_rsa(&leaf_cert, &ca_cert);
        let names = sans(&leaf_cert);
        assert!(names.contains(&GeneralName::DnsName(Ia5String::new("svc.ns.svc").unwrap())));
        assert!(names.contains(&GeneralName::DnsName(Ia5String::new("localhost").unwrap())));
        assert!(names.contains(&GeneralName::IpAddress(
            OctetString::new(vec![10, 0, 0, 1]).unwrap()
        )));
        let mut v6 = vec![0u8; 16];
        v6[15] = 1;
        assert!(names.contains(&GeneralName::IpAddress(OctetString::new(v6).unwrap())));
        // the leaf names its issuer's key
        assert_eq!(
            subject_key_id(&ca_cert).unwrap(),
            AuthorityKeyIdentifier::from_der(
                ext(&leaf_cert, "2.5.29.35").unwrap().extn_value.as_bytes()
            )
            .unwrap()
            .key_identifier
            .unwrap()
            .as_bytes()
        );
    }

    #[test]
    fn self_signed_certificates_with_given_keys_of_each_type() {
        for typ in ["ecdsa", "ed25519"] {
            let key = PrivateKey::generate(typ).unwrap().to_pem().unwrap();
            let c = gen_self_signed("me", &[], &["me.example".into()], 10, Some(&key)).unwrap();
            assert_eq!(c.key, key, "{typ}: the given key comes back");
            let cert = parse(&c.cert);
            assert_eq!(cn(&cert), "me");
            assert_eq!(days_valid(&cert), 10);
            assert_eq!(sans(&cert).len(), 1);
            let spki = cert
                .tbs_certificate()
                .subject_public_key_info()
                .to_der()
                .unwrap();
            let own = PrivateKey::from_pem(&key)
                .unwrap()
                .public_key_info()
                .unwrap()
                .to_der()
                .unwrap();
            assert_eq!(
                spki, own,
                "{typ}: certificate carries the key's public half"
            );
            // the CA form works with the same key
            let ca = gen_ca("ca", 1, Some(&key)).unwrap();
            assert!(basic_constraints(&parse(&ca.cert)).ca);
        }
    }

    #[test]
    fn errors_use_sprigs_texts() {
        assert_eq!(
            gen_self_signed("x", &["300.1.1.1".into()], &[], 1, None).unwrap_err(),
            "error parsing ip: 300.1.1.1"
        );
        assert_eq!(
            gen_ca("x", 1, Some("not a key")).unwrap_err(),
            "parsing private key: no PEM data in input"
        );
        let bad_ca = CertPair {
            cert: "nope".into(),
            key: String::new(),
        };
        assert_eq!(
            gen_signed("x", &[], &[], 1, &bad_ca, None).unwrap_err(),
            "unable to decode certificate"
        );
        assert_eq!(
            build_custom("!!", "").unwrap_err(),
            "unable to decode base64 certificate"
        );
    }

    #[test]
    fn build_custom_cert_accepts_a_generated_pair() {
        use base64::Engine;
        let e = base64::engine::general_purpose::STANDARD;
        let key = PrivateKey::generate("ecdsa").unwrap().to_pem().unwrap();
        let c = gen_self_signed("c", &[], &[], 1, Some(&key)).unwrap();
        let back = build_custom(&e.encode(&c.cert), &e.encode(&c.key)).unwrap();
        assert_eq!(back, c);
        let err = build_custom(&e.encode(&c.cert), &e.encode("junk")).unwrap_err();
        assert_eq!(err, "error parsing private key: no PEM data in input");
    }

    #[test]
    fn ipv4_mapped_addresses_become_ipv4_and_leading_zeros_are_rejected() {
        assert_eq!(parse_ip("::ffff:1.2.3.4"), Some("1.2.3.4".parse().unwrap()));
        assert_eq!(parse_ip("01.2.3.4"), None);
        assert_eq!(parse_ip("fe80::1%eth0"), None);
    }
}
