//! Sprig's random functions (`randAlphaNum`, `randAlpha`, `randNumeric`, `randAscii`,
//! `randBytes`, `uuidv4`, `shuffle`), from the OS generator like Go's `crypto/rand`, with the
//! alphabets of goutils' `CryptoRandom*`.

use super::super::error::TemplateError;
use super::super::exec::FuncMap;
use super::super::random::{below, fill};
use super::super::value::{Param, Value};
use super::{def, i, str_result};
use base64::Engine as _;

const ALPHA: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";
const DIGITS: &[u8] = b"0123456789";

fn random_from(alphabet: &[u8], count: i64) -> Result<String, TemplateError> {
    if count < 0 {
        return Err(TemplateError::plain(format!(
            "requested random string length {count} is less than 0."
        )));
    }
    if count as usize > super::MAX_STRING {
        return Err(TemplateError::plain("requested random string is too long"));
    }
    Ok((0..count)
        .map(|_| alphabet[below(alphabet.len() as u64) as usize] as char)
        .collect())
}

/// A random (version 4) UUID in lower-case hex, like google/uuid.
pub(crate) fn uuidv4() -> String {
    let mut b = [0u8; 16];
    fill(&mut b);
    b[6] = (b[6] & 0x0f) | 0x40;
    b[8] = (b[8] & 0x3f) | 0x80;
    let h = hex::encode(b);
    format!(
        "{}-{}-{}-{}-{}",
        &h[0..8],
        &h[8..12],
        &h[12..16],
        &h[16..20],
        &h[20..32]
    )
}

pub(super) fn register(m: &mut FuncMap) {
    use Param::*;
    def(m, "randAlphaNum", &[Int], |_, a| {
        let alnum: Vec<u8> = [ALPHA, DIGITS].concat();
        str_result(random_from(&alnum, i(&a[0]))?)
    });
    def(m, "randAlpha", &[Int], |_, a| {
        str_result(random_from(ALPHA, i(&a[0]))?)
    });
    def(m, "randNumeric", &[Int], |_, a| {
        str_result(random_from(DIGITS, i(&a[0]))?)
    });
    def(m, "randAscii", &[Int], |_, a| {
        let ascii: Vec<u8> = (32u8..127).collect();
        str_result(random_from(&ascii, i(&a[0]))?)
    });
    def(m, "randBytes", &[Int], |_, a| {
        let n = i(&a[0]);
        if n < 0 {
            return Err(TemplateError::plain(
                "runtime error: makeslice: len out of range",
            ));
        }
        if n as usize > super::MAX_STRING {
            return Err(TemplateError::plain("randBytes: count is too large"));
        }
        let mut b = vec![0u8; n as usize];
        fill(&mut b);
        Ok(Value::string(
            base64::engine::general_purpose::STANDARD.encode(b),
        ))
    });
    def(m, "uuidv4", &[], |_, _| Ok(Value::string(uuidv4())));
    def(m, "shuffle", &[String], |_, a| {
        let mut chars: Vec<char> = a[0].as_str().unwrap_or("").chars().collect();
        for k in (1..chars.len()).rev() {
            let j = below(k as u64 + 1) as usize;
            chars.swap(k, j);
        }
        Ok(Value::string(chars.into_iter().collect()))
    });
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn properties() {
        let s = random_from(ALPHA, 1000).unwrap();
        assert_eq!(s.len(), 1000);
        assert!(s.bytes().all(|b| b.is_ascii_alphabetic()));
        assert_ne!(
            random_from(ALPHA, 32).unwrap(),
            random_from(ALPHA, 32).unwrap()
        );
        let u = uuidv4();
        assert_eq!(u.len(), 36);
        assert_eq!(&u[14..15], "4");
        assert!(matches!(&u[19..20], "8" | "9" | "a" | "b"));
        assert!(random_from(ALPHA, -1).is_err());
    }
}
