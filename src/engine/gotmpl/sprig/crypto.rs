//! Sprig's crypto functions. `bcrypt` and `htpasswd` use the `bcrypt` crate (`$2a$`, cost 10,
//! like Go's `bcrypt.DefaultCost`). Key and certificate generation, `derivePassword` and
//! AES are registered (so charts that mention them parse) but not implemented yet: calling
//! them is an error that says so.

use super::super::error::TemplateError;
use super::super::exec::FuncMap;
use super::super::value::{Kind, Object, Param, Value};
use super::{def, s};

/// Sprig's `bcrypt`: a `$2a$10$` hash, or Sprig's error text.
fn bcrypt_hash(input: &str) -> String {
    match bcrypt::hash_with_result(input, 10) {
        Ok(h) => h.format_for_version(bcrypt::Version::TwoA),
        Err(e) => format!("failed to encrypt string with bcrypt: {e}"),
    }
}

/// Sprig's `certificate` (fields `Cert` and `Key`, PEM text).
#[derive(Debug)]
#[allow(dead_code)] // built by the certificate functions (next layer)
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

fn unsupported(name: &str) -> TemplateError {
    TemplateError::plain(format!("{name} is not supported by this renderer yet"))
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
    let cert = Object("sprig.certificate");
    let table: Vec<(&str, Vec<Param>)> = vec![
        ("genPrivateKey", vec![String]),
        (
            "derivePassword",
            vec![Uint32, String, String, String, String],
        ),
        ("buildCustomCert", vec![String, String]),
        ("genCA", vec![String, Int]),
        ("genCAWithKey", vec![String, Int, String]),
        ("genSelfSignedCert", vec![String, List, List, Int]),
        (
            "genSelfSignedCertWithKey",
            vec![String, List, List, Int, String],
        ),
        ("genSignedCert", vec![String, List, List, Int, cert]),
        (
            "genSignedCertWithKey",
            vec![String, List, List, Int, cert, String],
        ),
        ("encryptAES", vec![String, String]),
        ("decryptAES", vec![String, String]),
    ];
    for (name, params) in table {
        let n = name.to_string();
        def(m, name, &params, move |_, _| Err(unsupported(&n)));
    }
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
}
