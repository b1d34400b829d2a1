//! Sprig's encodings (`b64enc`/`b64dec`, `b32enc`/`b32dec`), path functions (`base`, `dir`,
//! `clean`, `ext`, `isAbs` and the `os*` variants, which are the same on Unix) and the
//! network stub `getHostByName` (Helm returns "" unless DNS is enabled).

use super::super::exec::FuncMap;
use super::super::value::{Param, Value};
use super::{R, alias, def, s};
use base64::Engine as _;

fn b64dec(v: &str) -> String {
    match base64::engine::general_purpose::STANDARD.decode(v) {
        Ok(d) => String::from_utf8_lossy(&d).into_owned(),
        Err(e) => {
            let at = match e {
                base64::DecodeError::InvalidByte(i, _) => i,
                base64::DecodeError::InvalidLastSymbol(i, _) => i,
                _ => v.len() - v.len() % 4,
            };
            format!("illegal base64 data at input byte {at}")
        }
    }
}

const B32: &[u8; 32] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";

fn b32enc(data: &[u8]) -> String {
    let mut out = String::new();
    for chunk in data.chunks(5) {
        let mut buf = [0u8; 5];
        buf[..chunk.len()].copy_from_slice(chunk);
        let bits = u64::from_be_bytes([0, 0, 0, buf[0], buf[1], buf[2], buf[3], buf[4]]);
        let n = match chunk.len() {
            1 => 2,
            2 => 4,
            3 => 5,
            4 => 7,
            _ => 8,
        };
        for k in 0..8 {
            if k < n {
                let idx = (bits >> (35 - 5 * k)) & 31;
                out.push(B32[idx as usize] as char);
            } else {
                out.push('=');
            }
        }
    }
    out
}

fn b32dec(v: &str) -> Result<Vec<u8>, usize> {
    let b = v.as_bytes();
    if !b.len().is_multiple_of(8) {
        return Err(b.len() - b.len() % 8);
    }
    let mut out = Vec::new();
    for (ci, chunk) in b.chunks(8).enumerate() {
        let mut bits: u64 = 0;
        let mut n = 0;
        let mut pad = false;
        for (k, &c) in chunk.iter().enumerate() {
            if c == b'=' {
                pad = true;
                continue;
            }
            if pad {
                return Err(ci * 8 + k);
            }
            let Some(p) = B32.iter().position(|x| *x == c) else {
                return Err(ci * 8 + k);
            };
            bits |= (p as u64) << (35 - 5 * k);
            n += 1;
        }
        let bytes = match n {
            8 => 5,
            7 => 4,
            5 => 3,
            4 => 2,
            2 => 1,
            0 => 0,
            _ => return Err(ci * 8 + n),
        };
        let all = bits.to_be_bytes();
        out.extend_from_slice(&all[3..3 + bytes]);
        if pad && ci + 1 != b.len() / 8 {
            return Err(ci * 8 + n);
        }
    }
    Ok(out)
}

/// Go's `path.Clean`.
pub(crate) fn clean(p: &str) -> String {
    if p.is_empty() {
        return ".".into();
    }
    let rooted = p.starts_with('/');
    let mut parts: Vec<&str> = Vec::new();
    for seg in p.split('/') {
        match seg {
            "" | "." => {}
            ".." => {
                if parts.last().is_some_and(|l| *l != "..") {
                    parts.pop();
                } else if !rooted {
                    parts.push("..");
                }
            }
            s => parts.push(s),
        }
    }
    let body = parts.join("/");
    if rooted {
        format!("/{body}")
    } else if body.is_empty() {
        ".".into()
    } else {
        body
    }
}

/// Go's `path.Base`.
pub(crate) fn base(p: &str) -> String {
    if p.is_empty() {
        return ".".into();
    }
    let t = p.trim_end_matches('/');
    if t.is_empty() {
        return "/".into();
    }
    match t.rfind('/') {
        Some(i) => t[i + 1..].to_string(),
        None => t.to_string(),
    }
}

/// Go's `path.Dir`.
pub(crate) fn dir(p: &str) -> String {
    let i = p.rfind('/').map(|i| i + 1).unwrap_or(0);
    clean(&p[..i])
}

/// Go's `path.Ext`.
pub(crate) fn ext(p: &str) -> String {
    for (i, c) in p.char_indices().rev() {
        if c == '/' {
            break;
        }
        if c == '.' {
            return p[i..].to_string();
        }
    }
    String::new()
}

pub(super) fn register(m: &mut FuncMap) {
    use Param::*;
    def(m, "b64enc", &[String], |_, a| {
        Ok(Value::string(
            base64::engine::general_purpose::STANDARD.encode(s(&a[0])),
        ))
    });
    def(m, "b64dec", &[String], |_, a| {
        Ok(Value::string(b64dec(s(&a[0]))))
    });
    def(m, "b32enc", &[String], |_, a| {
        Ok(Value::string(b32enc(s(&a[0]).as_bytes())))
    });
    def(m, "b32dec", &[String], |_, a| {
        Ok(Value::string(match b32dec(s(&a[0])) {
            Ok(d) => std::string::String::from_utf8_lossy(&d).into_owned(),
            Err(at) => format!("illegal base32 data at input byte {at}"),
        }))
    });
    def(m, "base", &[String], |_, a| {
        Ok(Value::string(base(s(&a[0]))))
    });
    def(m, "dir", &[String], |_, a| Ok(Value::string(dir(s(&a[0])))));
    def(m, "clean", &[String], |_, a| {
        Ok(Value::string(clean(s(&a[0]))))
    });
    def(m, "ext", &[String], |_, a| Ok(Value::string(ext(s(&a[0])))));
    def(m, "isAbs", &[String], |_, a| {
        Ok(Value::Bool(s(&a[0]).starts_with('/')))
    });
    alias(m, "osBase", "base");
    alias(m, "osDir", "dir");
    alias(m, "osClean", "clean");
    alias(m, "osExt", "ext");
    alias(m, "osIsAbs", "isAbs");
    def(m, "getHostByName", &[String], |_, _| -> R {
        Ok(Value::str(""))
    });
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths_like_go() {
        assert_eq!(clean("a/../../b/./c//"), "../b/c");
        assert_eq!(clean("/../a"), "/a");
        assert_eq!(clean(""), ".");
        assert_eq!(base("/a/b.txt/"), "b.txt");
        assert_eq!(base(""), ".");
        assert_eq!(dir("a/b/c"), "a/b");
        assert_eq!(dir("c"), ".");
        assert_eq!(ext("a/b.tar.gz"), ".gz");
        assert_eq!(ext("a.b/c"), "");
    }

    #[test]
    fn base32_round_trip() {
        for s in ["", "f", "fo", "foo", "foob", "fooba", "foobar"] {
            let e = b32enc(s.as_bytes());
            assert_eq!(b32dec(&e).unwrap(), s.as_bytes());
        }
        assert_eq!(b32enc(b"foobar"), "MZXW6YTBOI======");
        assert_eq!(b64dec("!!!!"), "illegal base64 data at input byte 0");
    }
}
