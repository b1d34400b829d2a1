//! Sprig's crypto functions. `bcrypt` and `htpasswd` use the `bcrypt` crate (`$2a$`, cost 10,
//! like Go's `bcrypt.DefaultCost`); `derivePassword` is Sprig's Master Password algorithm
//! (scrypt N=32768 r=8 p=2, HMAC-SHA256, the same templates); `encryptAES`/`decryptAES` are
//! Sprig's AES-256-CBC with a zero-padded password as key, a random IV in front and PKCS#7
//! padding (and Sprig's unchecked unpadding); keys and certificates are in `keys.rs` and
//! `certs.rs`.

use super::super::error::TemplateError;
use super::super::exec::FuncMap;
use super::super::fmt::format_v;
use super::super::random;
use super::super::value::{Kind, Object, Param, Value};
use super::certs::{self, CertPair};
use super::keys::PrivateKey;
use super::{R, def, i, s};
use std::rc::Rc;

/// Sprig's `bcrypt`: a `$2a$10$` hash, or Sprig's error text.
fn bcrypt_hash(input: &str) -> String {
    match bcrypt::hash_with_result(input, 10) {
        Ok(h) => h.format_for_version(bcrypt::Version::TwoA),
        Err(e) => format!("failed to encrypt string with bcrypt: {e}"),
    }
}

/// Sprig's `certificate` (fields `Cert` and `Key`, PEM text).
#[derive(Debug)]
pub(crate) struct Certificate {
    pub cert: String,
    pub key: String,
}

impl Object for Certificate {
    fn type_name(&self) -> String {
        "sprig.certificate".into()
    }
    fn kind(&self) -> Kind {
        Kind::Struct
    }
    fn field(&self, name: &str) -> Option<Value> {
        match name {
            "Cert" => Some(Value::str(&self.cert)),
            "Key" => Some(Value::str(&self.key)),
            _ => None,
        }
    }
    fn format(&self) -> String {
        format!("{{{} {}}}", self.cert, self.key)
    }
    fn to_json(&self) -> Option<serde_json::Value> {
        Some(serde_json::json!({"Cert": self.cert, "Key": self.key}))
    }
    fn as_any(&self) -> &dyn std::any::Any {
        self
    }
}

fn cert_value(r: Result<CertPair, String>) -> R {
    let pair = r.map_err(TemplateError::plain)?;
    Ok(Value::Object(Rc::new(Certificate {
        cert: pair.cert,
        key: pair.key,
    })))
}

/// The `[]interface{}` argument of IPs or DNS names as strings, with Sprig's messages for
/// elements that are not strings.
fn strings_of(v: &Value, what: &str) -> Result<Vec<String>, TemplateError> {
    let Value::List(l) = v else {
        return Ok(Vec::new());
    };
    l.items
        .iter()
        .map(|item| match item {
            Value::String(s) => Ok(s.to_string()),
            other => Err(TemplateError::plain(format!(
                "{what}: {} is not a string",
                format_v(other)
            ))),
        })
        .collect()
}

fn ips_of(v: &Value) -> Result<Vec<String>, TemplateError> {
    strings_of(v, "error parsing ip")
}

fn dns_of(v: &Value) -> Result<Vec<String>, TemplateError> {
    strings_of(v, "error processing alternate dns name")
}

fn ca_of(v: &Value) -> CertPair {
    match v {
        Value::Object(o) => match o.as_any().downcast_ref::<Certificate>() {
            Some(c) => CertPair {
                cert: c.cert.clone(),
                key: c.key.clone(),
            },
            None => CertPair {
                cert: String::new(),
                key: String::new(),
            },
        },
        _ => CertPair {
            cert: String::new(),
            key: String::new(),
        },
    }
}

const MASTER_PASSWORD_SEED: &str = "com.lyndir.masterpassword";

/// Sprig's `passwordTypeTemplates`.
fn password_templates(kind: &str) -> Option<&'static [&'static str]> {
    Some(match kind {
        "maximum" => &["anoxxxxxxxxxxxxxxxxx", "axxxxxxxxxxxxxxxxxno"],
        "long" => &[
            "CvcvnoCvcvCvcv",
            "CvcvCvcvnoCvcv",
            "CvcvCvcvCvcvno",
            "CvccnoCvcvCvcv",
            "CvccCvcvnoCvcv",
            "CvccCvcvCvcvno",
            "CvcvnoCvccCvcv",
            "CvcvCvccnoCvcv",
            "CvcvCvccCvcvno",
            "CvcvnoCvcvCvcc",
            "CvcvCvcvnoCvcc",
            "CvcvCvcvCvccno",
            "CvccnoCvccCvcv",
            "CvccCvccnoCvcv",
            "CvccCvccCvcvno",
            "CvcvnoCvccCvcc",
            "CvcvCvccnoCvcc",
            "CvcvCvccCvccno",
            "CvccnoCvcvCvcc",
            "CvccCvcvnoCvcc",
            "CvccCvcvCvccno",
        ],
        "medium" => &["CvcnoCvc", "CvcCvcno"],
        "short" => &["Cvcn"],
        "basic" => &["aaanaaan", "aannaaan", "aaannaaa"],
        "pin" => &["nnnn"],
        _ => return None,
    })
}

/// Sprig's `templateCharacters`.
fn template_chars(c: u8) -> &'static [u8] {
    match c {
        b'V' => b"AEIOU",
        b'C' => b"BCDFGHJKLMNPQRSTVWXYZ",
        b'v' => b"aeiou",
        b'c' => b"bcdfghjklmnpqrstvwxyz",
        b'A' => b"AEIOUBCDFGHJKLMNPQRSTVWXYZ",
        b'a' => b"AEIOUaeiouBCDFGHJKLMNPQRSTVWXYZbcdfghjklmnpqrstvwxyz",
        b'n' => b"0123456789",
        b'o' => b"@&%?,=[]_:-+*$#!'^~;()/.",
        _ => b"AEIOUaeiouBCDFGHJKLMNPQRSTVWXYZbcdfghjklmnpqrstvwxyz0123456789!@#$%^&*()",
    }
}

/// Sprig's `derivePassword` (the Master Password algorithm); errors are returned as the text.
fn derive_password(counter: u32, kind: &str, password: &str, user: &str, site: &str) -> String {
    use hmac::{KeyInit, Mac};
    let Some(templates) = password_templates(kind) else {
        return format!("cannot find password template {kind}");
    };
    let mut salt = MASTER_PASSWORD_SEED.as_bytes().to_vec();
    salt.extend_from_slice(&(user.len() as u32).to_be_bytes());
    salt.extend_from_slice(user.as_bytes());
    let mut key = [0u8; 64];
    let params = match scrypt::Params::new(15, 8, 2) {
        Ok(p) => p,
        Err(e) => return format!("failed to derive password: {e}"),
    };
    if let Err(e) = scrypt::scrypt(password.as_bytes(), &salt, &params, &mut key) {
        return format!("failed to derive password: {e}");
    }
    let mut message = MASTER_PASSWORD_SEED.as_bytes().to_vec();
    message.extend_from_slice(&(site.len() as u32).to_be_bytes());
    message.extend_from_slice(site.as_bytes());
    message.extend_from_slice(&counter.to_be_bytes());
    let Ok(mut mac) = <hmac::Hmac<sha2::Sha256> as KeyInit>::new_from_slice(&key) else {
        return "failed to derive password: bad key".into();
    };
    mac.update(&message);
    let seed = mac.finalize().into_bytes();
    let template = templates[seed[0] as usize % templates.len()].as_bytes();
    template
        .iter()
        .enumerate()
        .map(|(i, c)| {
            let chars = template_chars(*c);
            chars[seed[i + 1] as usize % chars.len()] as char
        })
        .collect()
}

/// Sprig's key: the password's bytes in a zeroed 32-byte buffer (longer ones cut).
fn aes_key(password: &str) -> aes::Aes256 {
    use aes::cipher::KeyInit;
    let mut key = [0u8; 32];
    let n = password.len().min(32);
    key[..n].copy_from_slice(&password.as_bytes()[..n]);
    aes::Aes256::new(&key.into())
}

/// Sprig's `encryptAES`: base64(IV ‖ AES-256-CBC(PKCS#7-padded plaintext)).
fn encrypt_aes(password: &str, plaintext: &str) -> String {
    use aes::cipher::BlockCipherEncrypt;
    use base64::Engine;
    if plaintext.is_empty() {
        return String::new();
    }
    let cipher = aes_key(password);
    let mut content = plaintext.as_bytes().to_vec();
    let padding = 16 - content.len() % 16;
    content.extend(std::iter::repeat_n(padding as u8, padding));
    let mut out = vec![0u8; 16];
    random::fill(&mut out);
    let mut prev: [u8; 16] = out[..16].try_into().unwrap_or([0; 16]);
    for chunk in content.chunks(16) {
        let mut block = [0u8; 16];
        for i in 0..16 {
            block[i] = chunk[i] ^ prev[i];
        }
        let mut b = block.into();
        cipher.encrypt_block(&mut b);
        prev = b.into();
        out.extend_from_slice(&prev);
    }
    base64::engine::general_purpose::STANDARD.encode(out)
}

/// Sprig's `decryptAES`, with the errors Go reports where Sprig's code panics.
fn decrypt_aes(password: &str, crypt64: &str) -> Result<String, String> {
    use aes::cipher::BlockCipherDecrypt;
    use base64::Engine;
    if crypt64.is_empty() {
        return Ok(String::new());
    }
    let crypt = base64::engine::general_purpose::STANDARD
        .decode(crypt64)
        .map_err(|e| base64_error(crypt64, &e))?;
    let cipher = aes_key(password);
    if crypt.len() < 16 {
        return Err(format!(
            "runtime error: slice bounds out of range [:16] with capacity {}",
            crypt.len()
        ));
    }
    let (iv, body) = crypt.split_at(16);
    if body.len() % 16 != 0 {
        return Err("crypto/cipher: input not full blocks".into());
    }
    let mut prev: [u8; 16] = iv.try_into().unwrap_or([0; 16]);
    let mut plain = Vec::with_capacity(body.len());
    for chunk in body.chunks(16) {
        let mut b: [u8; 16] = chunk.try_into().unwrap_or([0; 16]);
        let mut block = b.into();
        cipher.decrypt_block(&mut block);
        let dec: [u8; 16] = block.into();
        for i in 0..16 {
            plain.push(dec[i] ^ prev[i]);
        }
        b.copy_from_slice(chunk);
        prev = b;
    }
    let Some(&last) = plain.last() else {
        return Err("runtime error: index out of range [-1]".into());
    };
    let keep = plain.len() as i64 - last as i64;
    if keep < 0 {
        return Err(format!(
            "runtime error: slice bounds out of range [:{keep}]"
        ));
    }
    plain.truncate(keep as usize);
    Ok(String::from_utf8_lossy(&plain).into_owned())
}

/// Go's `base64.CorruptInputError` text.
fn base64_error(input: &str, e: &base64::DecodeError) -> String {
    let offset = match e {
        base64::DecodeError::InvalidByte(o, _) => *o,
        base64::DecodeError::InvalidLastSymbol(o, _) => *o,
        _ => input.len(),
    };
    format!("illegal base64 data at input byte {offset}")
}

pub(super) fn register(m: &mut FuncMap) {
    use Param::*;
    def(m, "bcrypt", &[String], |_, a| {
        Ok(Value::string(bcrypt_hash(s(&a[0]))))
    });
    def(m, "htpasswd", &[String, String], |_, a| {
        let user = s(&a[0]);
        if user.contains(':') {
            return Ok(Value::string(format!("invalid username: {user}")));
        }
        Ok(Value::string(format!("{user}:{}", bcrypt_hash(s(&a[1])))))
    });
    def(m, "genPrivateKey", &[String], |_, a| {
        let pem = PrivateKey::generate(s(&a[0])).and_then(|k| k.to_pem());
        Ok(Value::string(pem.unwrap_or_else(|e| e)))
    });
    def(
        m,
        "derivePassword",
        &[Uint32, String, String, String, String],
        |_, a| {
            let counter = a[0].as_int().unwrap_or(0) as u32;
            Ok(Value::string(derive_password(
                counter,
                s(&a[1]),
                s(&a[2]),
                s(&a[3]),
                s(&a[4]),
            )))
        },
    );
    def(m, "buildCustomCert", &[String, String], |_, a| {
        cert_value(certs::build_custom(s(&a[0]), s(&a[1])))
    });
    def(m, "genCA", &[String, Int], |_, a| {
        cert_value(certs::gen_ca(s(&a[0]), i(&a[1]), None))
    });
    def(m, "genCAWithKey", &[String, Int, String], |_, a| {
        cert_value(certs::gen_ca(s(&a[0]), i(&a[1]), Some(s(&a[2]))))
    });
    def(
        m,
        "genSelfSignedCert",
        &[String, List, List, Int],
        |_, a| {
            let (ips, dns) = (ips_of(&a[1])?, dns_of(&a[2])?);
            cert_value(certs::gen_self_signed(s(&a[0]), &ips, &dns, i(&a[3]), None))
        },
    );
    def(
        m,
        "genSelfSignedCertWithKey",
        &[String, List, List, Int, String],
        |_, a| {
            let (ips, dns) = (ips_of(&a[1])?, dns_of(&a[2])?);
            cert_value(certs::gen_self_signed(
                s(&a[0]),
                &ips,
                &dns,
                i(&a[3]),
                Some(s(&a[4])),
            ))
        },
    );
    let cert = Object("sprig.certificate");
    def(
        m,
        "genSignedCert",
        &[String, List, List, Int, cert],
        |_, a| {
            let (ips, dns) = (ips_of(&a[1])?, dns_of(&a[2])?);
            cert_value(certs::gen_signed(
                s(&a[0]),
                &ips,
                &dns,
                i(&a[3]),
                &ca_of(&a[4]),
                None,
            ))
        },
    );
    def(
        m,
        "genSignedCertWithKey",
        &[String, List, List, Int, cert, String],
        |_, a| {
            let (ips, dns) = (ips_of(&a[1])?, dns_of(&a[2])?);
            cert_value(certs::gen_signed(
                s(&a[0]),
                &ips,
                &dns,
                i(&a[3]),
                &ca_of(&a[4]),
                Some(s(&a[5])),
            ))
        },
    );
    def(m, "encryptAES", &[String, String], |_, a| {
        Ok(Value::string(encrypt_aes(s(&a[0]), s(&a[1]))))
    });
    def(m, "decryptAES", &[String, String], |_, a| {
        decrypt_aes(s(&a[0]), s(&a[1]))
            .map(Value::string)
            .map_err(TemplateError::plain)
    });
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bcrypt_hashes_verify() {
        let h = bcrypt_hash("secret");
        assert!(h.starts_with("$2a$10$"), "{h}");
        assert!(bcrypt::verify("secret", &h).unwrap());
    }

    #[test]
    fn derive_password_matches_sprigs_documented_example() {
        // Sprig's docs (and helm 4.3.1): derivePassword 1 "long" "password" "user" "example.com"
        assert_eq!(
            derive_password(1, "long", "password", "user", "example.com"),
            "ZedaFaxcZaso9*"
        );
        assert_eq!(
            derive_password(1, "nope", "p", "u", "s"),
            "cannot find password template nope"
        );
    }

    #[test]
    fn aes_round_trips_and_reports_go_errors() {
        for text in [
            "x",
            "exactly sixteen!",
            "a longer text that spans several blocks",
        ] {
            let enc = encrypt_aes("secretkey", text);
            assert_ne!(enc, encrypt_aes("secretkey", text), "random IV");
            assert_eq!(decrypt_aes("secretkey", &enc).unwrap(), text);
        }
        assert_eq!(encrypt_aes("k", ""), "");
        assert_eq!(decrypt_aes("k", "").unwrap(), "");
        assert_eq!(
            decrypt_aes("k", "AAAA").unwrap_err(),
            "runtime error: slice bounds out of range [:16] with capacity 3"
        );
        assert!(
            decrypt_aes("k", "%%%")
                .unwrap_err()
                .starts_with("illegal base64 data")
        );
    }

    #[test]
    fn aes_decrypts_ciphertexts_made_by_helm() {
        // made with helm 4.3.1 (Sprig v3.3.0): encryptAES KEY TEXT
        let cases = [
            (
                "secretkey",
                "jtysPwsaSV+5Lvm/7Kzl4wc1KPb062aYsdpxKVEBQfQ=",
                "plaintext",
            ),
            (
                "a-key-longer-than-thirty-two-bytes-for-sure",
                "EYlz7+Hlk4Fs/Rkw7hkPvWyzDhwSlEX7kGLTzg6HEjwJmgEUsExxs/rF9eoC+1ahc2sfYN3V+sl5Znr/chmhHA==",
                "some longer text spanning more than one block",
            ),
        ];
        for (key, crypt, plain) in cases {
            assert_eq!(decrypt_aes(key, crypt).unwrap(), plain);
        }
    }

    #[test]
    fn derive_password_matches_helm_for_other_templates() {
        // values printed by helm 4.3.1
        assert_eq!(
            derive_password(3, "maximum", "pässword", "üser", "site"),
            "m5])PEypj5jh2YRFqmMv"
        );
        assert_eq!(derive_password(0, "pin", "p", "", ""), "8457");
    }
}
