//! Sprig's string functions (`trunc`, `quote`, `indent`, `replace`, `trimSuffix`, `title`,
//! `wrap`, the hashes...), with Go's byte-based slicing where Sprig slices bytes.

use super::super::error::TemplateError;
use super::super::exec::FuncMap;
use super::super::fmt as gofmt;
use super::super::value::{Param, Value};
use super::conv::strval;
use super::{R, alias, def, defv, i, s, str_result};
use sha2::Digest;

/// A byte range of a string as Go would slice it, invalid UTF-8 replaced.
fn byte_slice(s: &str, a: usize, b: usize) -> String {
    String::from_utf8_lossy(&s.as_bytes()[a..b]).into_owned()
}

/// Go's runtime error for a bad slice expression.
fn bounds_err(a: i64, b: Option<i64>, len: usize) -> TemplateError {
    match b {
        Some(b) if b as i128 > len as i128 || b < 0 => TemplateError::plain(format!(
            "runtime error: slice bounds out of range [:{b}] with length {len}"
        )),
        Some(b) => TemplateError::plain(format!(
            "runtime error: slice bounds out of range [{a}:{b}]"
        )),
        None => TemplateError::plain(format!(
            "runtime error: slice bounds out of range [{a}:{len}]"
        )),
    }
}

/// Go's `strings.ToUpper`: rune by rune (no `ß` → `SS`).
pub(crate) fn go_upper(s: &str) -> String {
    s.chars().map(go_upper_char).collect()
}

/// Go's `strings.ToLower`: rune by rune.
pub(crate) fn go_lower(s: &str) -> String {
    s.chars().map(go_lower_char).collect()
}

pub(crate) fn go_upper_char(c: char) -> char {
    let mut it = c.to_uppercase();
    match (it.next(), it.next()) {
        (Some(u), None) => u,
        _ => c,
    }
}

pub(crate) fn go_lower_char(c: char) -> char {
    let mut it = c.to_lowercase();
    match (it.next(), it.next()) {
        (Some(u), None) => u,
        _ => c,
    }
}

fn trunc(c: i64, s: &str) -> String {
    let len = s.len() as i64;
    if c < 0 && len + c > 0 {
        return byte_slice(s, (len + c) as usize, s.len());
    }
    if c >= 0 && len > c {
        return byte_slice(s, 0, c as usize);
    }
    s.to_string()
}

fn substr(start: i64, end: i64, s: &str) -> R {
    let len = s.len();
    if start < 0 {
        if end < 0 || end as usize > len {
            return Err(bounds_err(0, Some(end), len));
        }
        return Ok(Value::string(byte_slice(s, 0, end as usize)));
    }
    if end < 0 || end as usize > len {
        if start as usize > len {
            return Err(bounds_err(start, None, len));
        }
        return Ok(Value::string(byte_slice(s, start as usize, len)));
    }
    if start > end {
        return Err(bounds_err(start, Some(end), len));
    }
    Ok(Value::string(byte_slice(s, start as usize, end as usize)))
}

fn abbreviate_full(s: &str, offset: i64, max_width: i64) -> String {
    if s.is_empty() || max_width < 4 {
        return String::new();
    }
    let len = s.len() as i64;
    if len <= max_width {
        return s.to_string();
    }
    let mut offset = offset.min(len);
    if len - offset < max_width - 3 {
        offset = len - (max_width - 3);
    }
    if offset <= 4 {
        return format!("{}...", byte_slice(s, 0, (max_width - 3) as usize));
    }
    if max_width < 7 {
        return String::new();
    }
    if offset + max_width - 3 < len {
        let rest = byte_slice(s, offset as usize, s.len());
        return format!("...{}", abbreviate_full(&rest, 0, max_width - 3));
    }
    format!(
        "...{}",
        byte_slice(s, (len - (max_width - 3)) as usize, s.len())
    )
}

fn wrap_custom(s: &str, wrap_length: i64, new_line: &str, wrap_long_words: bool) -> String {
    if s.is_empty() {
        return String::new();
    }
    let new_line = if new_line.is_empty() { "\n" } else { new_line };
    let wrap_length = wrap_length.max(1) as usize;
    let b = s.as_bytes();
    let input_len = b.len();
    let mut offset = 0usize;
    let mut out: Vec<u8> = Vec::new();
    while input_len - offset > wrap_length {
        if b[offset] == b' ' {
            offset += 1;
            continue;
        }
        let end = (wrap_length + offset + 1).min(input_len);
        let space = b[offset..end].iter().rposition(|c| *c == b' ');
        if let Some(sp) = space {
            let at = sp + offset;
            out.extend_from_slice(&b[offset..at]);
            out.extend_from_slice(new_line.as_bytes());
            offset = at + 1;
        } else if wrap_long_words {
            let end = wrap_length + offset;
            out.extend_from_slice(&b[offset..end]);
            out.extend_from_slice(new_line.as_bytes());
            offset += wrap_length;
        } else {
            let end = wrap_length + offset;
            match b[end..].iter().position(|c| *c == b' ') {
                None => {
                    out.extend_from_slice(&b[offset..]);
                    offset = input_len;
                }
                Some(idx) => {
                    let at = idx + end;
                    out.extend_from_slice(&b[offset..at]);
                    out.extend_from_slice(new_line.as_bytes());
                    offset = at + 1;
                }
            }
        }
    }
    out.extend_from_slice(&b[offset..]);
    String::from_utf8_lossy(&out).into_owned()
}

/// Go's `strings.Title` (deprecated, but what Sprig calls).
fn title(s: &str) -> String {
    let is_sep = |c: char| -> bool {
        if c.is_ascii() {
            return !(c.is_ascii_alphanumeric() || c == '_');
        }
        if c.is_alphabetic() || c.is_numeric() {
            return false;
        }
        c.is_whitespace()
    };
    let mut prev = ' ';
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        if is_sep(prev) {
            out.push(go_upper_char(c));
        } else {
            out.push(c);
        }
        prev = c;
    }
    out
}

fn untitle(s: &str) -> String {
    let mut next = true;
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        if c.is_whitespace() {
            next = true;
            out.push(c);
        } else if next {
            out.push(go_lower_char(c));
            next = false;
        } else {
            out.push(c);
        }
    }
    out
}

fn swapcase(s: &str) -> String {
    let mut ws = true;
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        if c.is_uppercase() {
            out.push(go_lower_char(c));
            ws = false;
        } else if c.is_lowercase() {
            if ws {
                out.push(go_upper_char(c));
                ws = false;
            } else {
                out.push(go_upper_char(c));
            }
        } else {
            out.push(c);
            ws = c.is_whitespace();
        }
    }
    out
}

fn initials(s: &str) -> String {
    // goutils iterates bytes, not runes.
    let mut out = String::new();
    let mut last_was_gap = true;
    for &b in s.as_bytes() {
        let c = b as char;
        if c.is_whitespace() {
            last_was_gap = true;
        } else if last_was_gap {
            out.push(c);
            last_was_gap = false;
        }
    }
    out
}

fn adler32(data: &[u8]) -> u32 {
    let (mut a, mut b) = (1u32, 0u32);
    for chunk in data.chunks(5552) {
        for &x in chunk {
            a += x as u32;
            b += a;
        }
        a %= 65521;
        b %= 65521;
    }
    (b << 16) | a
}

pub(super) fn register(m: &mut FuncMap) {
    use Param::*;
    def(m, "trunc", &[Int, String], |_, a| {
        Ok(Value::string(trunc(i(&a[0]), s(&a[1]))))
    });
    def(m, "trim", &[String], |_, a| Ok(Value::str(s(&a[0]).trim())));
    def(m, "upper", &[String], |_, a| {
        Ok(Value::string(go_upper(s(&a[0]))))
    });
    def(m, "lower", &[String], |_, a| {
        Ok(Value::string(go_lower(s(&a[0]))))
    });
    def(m, "title", &[String], |_, a| {
        Ok(Value::string(title(s(&a[0]))))
    });
    def(m, "untitle", &[String], |_, a| {
        Ok(Value::string(untitle(s(&a[0]))))
    });
    def(m, "substr", &[Int, Int, String], |_, a| {
        substr(i(&a[0]), i(&a[1]), s(&a[2]))
    });
    def(m, "repeat", &[Int, String], |_, a| {
        let n = i(&a[0]);
        if n < 0 {
            return Err(TemplateError::plain("strings: negative Repeat count"));
        }
        let unit = s(&a[1]);
        if (unit.len() as u128) * (n as u128) > super::MAX_STRING as u128 {
            return Err(TemplateError::plain(format!(
                "repeat: result would be larger than the limit of {} bytes",
                super::MAX_STRING
            )));
        }
        str_result(unit.repeat(n as usize))
    });
    def(m, "trimAll", &[String, String], |_, a| {
        let cut = s(&a[0]);
        Ok(Value::str(s(&a[1]).trim_matches(|c| cut.contains(c))))
    });
    alias(m, "trimall", "trimAll");
    def(m, "trimSuffix", &[String, String], |_, a| {
        let suf = s(&a[0]);
        let v = s(&a[1]);
        Ok(Value::str(v.strip_suffix(suf).unwrap_or(v)))
    });
    def(m, "trimPrefix", &[String, String], |_, a| {
        let pre = s(&a[0]);
        let v = s(&a[1]);
        Ok(Value::str(v.strip_prefix(pre).unwrap_or(v)))
    });
    def(m, "nospace", &[String], |_, a| {
        Ok(Value::string(
            s(&a[0]).chars().filter(|c| !c.is_whitespace()).collect(),
        ))
    });
    def(m, "initials", &[String], |_, a| {
        Ok(Value::string(initials(s(&a[0]))))
    });
    def(m, "swapcase", &[String], |_, a| {
        Ok(Value::string(swapcase(s(&a[0]))))
    });
    def(m, "abbrev", &[Int, String], |_, a| {
        let w = i(&a[0]);
        let v = s(&a[1]);
        if w < 4 {
            return Ok(Value::str(v));
        }
        Ok(Value::string(abbreviate_full(v, 0, w)))
    });
    def(m, "abbrevboth", &[Int, Int, String], |_, a| {
        let (l, r) = (i(&a[0]), i(&a[1]));
        let v = s(&a[2]);
        if r < 4 || (l > 0 && r < 7) {
            return Ok(Value::str(v));
        }
        Ok(Value::string(abbreviate_full(v, l, r)))
    });
    def(m, "wrap", &[Int, String], |_, a| {
        Ok(Value::string(wrap_custom(s(&a[1]), i(&a[0]), "", false)))
    });
    def(m, "wrapWith", &[Int, String, String], |_, a| {
        Ok(Value::string(wrap_custom(
            s(&a[2]),
            i(&a[0]),
            s(&a[1]),
            true,
        )))
    });
    def(m, "contains", &[String, String], |_, a| {
        Ok(Value::Bool(s(&a[1]).contains(s(&a[0]))))
    });
    def(m, "hasPrefix", &[String, String], |_, a| {
        Ok(Value::Bool(s(&a[1]).starts_with(s(&a[0]))))
    });
    def(m, "hasSuffix", &[String, String], |_, a| {
        Ok(Value::Bool(s(&a[1]).ends_with(s(&a[0]))))
    });
    defv(m, "quote", &[], Any, |_, a| {
        let parts: Vec<std::string::String> = a
            .iter()
            .filter(|v| !v.is_nil())
            .map(|v| gofmt::quote_go(&strval(v)))
            .collect();
        Ok(Value::string(parts.join(" ")))
    });
    defv(m, "squote", &[], Any, |_, a| {
        let parts: Vec<std::string::String> = a
            .iter()
            .filter(|v| !v.is_nil())
            .map(|v| format!("'{}'", gofmt::format_v(v)))
            .collect();
        Ok(Value::string(parts.join(" ")))
    });
    defv(m, "cat", &[], Any, |_, a| {
        let parts: Vec<std::string::String> = a
            .iter()
            .filter(|v| !v.is_nil())
            .map(gofmt::format_v)
            .collect();
        Ok(Value::string(parts.join(" ")))
    });
    def(m, "indent", &[Int, String], |_, a| {
        str_result(indent(i(&a[0]), s(&a[1]))?)
    });
    def(m, "nindent", &[Int, String], |_, a| {
        str_result(indent_after(i(&a[0]), s(&a[1]), "\n")?)
    });
    def(m, "replace", &[String, String, String], |_, a| {
        let (old, new, src) = (s(&a[0]), s(&a[1]), s(&a[2]));
        if old.is_empty() {
            // Go inserts `new` before every rune and at the end.
            let mut out = std::string::String::new();
            for c in src.chars() {
                out.push_str(new);
                out.push(c);
            }
            out.push_str(new);
            return str_result(out);
        }
        str_result(src.replace(old, new))
    });
    def(m, "plural", &[String, String, Int], |_, a| {
        Ok(if i(&a[2]) == 1 {
            a[0].clone()
        } else {
            a[1].clone()
        })
    });
    def(m, "sha1sum", &[String], |_, a| {
        Ok(Value::string(hex::encode(sha1_digest(s(&a[0]).as_bytes()))))
    });
    def(m, "sha256sum", &[String], |_, a| {
        Ok(Value::string(hex::encode(sha2::Sha256::digest(
            s(&a[0]).as_bytes(),
        ))))
    });
    def(m, "sha512sum", &[String], |_, a| {
        Ok(Value::string(hex::encode(sha2::Sha512::digest(
            s(&a[0]).as_bytes(),
        ))))
    });
    def(m, "adler32sum", &[String], |_, a| {
        Ok(Value::string(adler32(s(&a[0]).as_bytes()).to_string()))
    });
    def(m, "splitList", &[String, String], |_, a| {
        Ok(Value::string_list(go_split(s(&a[1]), s(&a[0]), -1)))
    });
    def(m, "split", &[String, String], |_, a| {
        Ok(split_map(go_split(s(&a[1]), s(&a[0]), -1)))
    });
    def(m, "splitn", &[String, Int, String], |_, a| {
        Ok(split_map(go_split(s(&a[2]), s(&a[0]), i(&a[1]))))
    });
    def(m, "join", &[String, Any], |_, a| {
        str_result(super::conv::strslice(&a[1]).join(s(&a[0])))
    });
}

fn indent(n: i64, v: &str) -> Result<std::string::String, TemplateError> {
    indent_after(n, v, "")
}

/// `lead` then Sprig's `indent n v` (every line of `v` after `n` spaces), built in one pass.
fn indent_after(n: i64, v: &str, lead: &str) -> Result<std::string::String, TemplateError> {
    if n < 0 {
        return Err(TemplateError::plain("strings: negative Repeat count"));
    }
    let breaks = memchr::memchr_iter(b'\n', v.as_bytes()).count();
    let lines = breaks as u128 + 1;
    if (n as u128) * lines + v.len() as u128 > super::MAX_STRING as u128 {
        return Err(TemplateError::plain(format!(
            "indent: result would be larger than the limit of {} bytes",
            super::MAX_STRING
        )));
    }
    let n = n as usize;
    let mut out = std::string::String::with_capacity(lead.len() + n * (breaks + 1) + v.len());
    out.push_str(lead);
    for (i, line) in v.split('\n').enumerate() {
        if i > 0 {
            out.push('\n');
        }
        out.extend(std::iter::repeat_n(' ', n));
        out.push_str(line);
    }
    Ok(out)
}

/// Go's `strings.SplitN` (n < 0: all).
pub(crate) fn go_split(s: &str, sep: &str, n: i64) -> Vec<std::string::String> {
    if n == 0 {
        return Vec::new();
    }
    if sep.is_empty() {
        // Split into UTF-8 sequences.
        let chars: Vec<std::string::String> = s.chars().map(|c| c.to_string()).collect();
        if n > 0 && (n as usize) < chars.len() {
            let mut out: Vec<std::string::String> = chars[..n as usize - 1].to_vec();
            let used: usize = out.iter().map(|x| x.len()).sum();
            out.push(s[used..].to_string());
            return out;
        }
        return chars;
    }
    if n < 0 {
        return s.split(sep).map(str::to_string).collect();
    }
    s.splitn(n as usize, sep).map(str::to_string).collect()
}

fn split_map(parts: Vec<std::string::String>) -> Value {
    let entries = parts
        .into_iter()
        .enumerate()
        .map(|(k, v)| (format!("_{k}"), Value::string(v)))
        .collect();
    Value::Map(super::super::value::Map::with_type(
        entries,
        super::super::value::Elem::String,
        None,
    ))
}

/// SHA-1 (FIPS 180-4), for Sprig's `sha1sum` (no extra dependency for one hash).
pub(crate) fn sha1_digest(data: &[u8]) -> [u8; 20] {
    let mut h: [u32; 5] = [0x67452301, 0xEFCDAB89, 0x98BADCFE, 0x10325476, 0xC3D2E1F0];
    let mut msg = data.to_vec();
    let bit_len = (data.len() as u64).wrapping_mul(8);
    msg.push(0x80);
    while msg.len() % 64 != 56 {
        msg.push(0);
    }
    msg.extend_from_slice(&bit_len.to_be_bytes());
    for block in msg.chunks(64) {
        let mut w = [0u32; 80];
        for t in 0..16 {
            w[t] = u32::from_be_bytes([
                block[4 * t],
                block[4 * t + 1],
                block[4 * t + 2],
                block[4 * t + 3],
            ]);
        }
        for t in 16..80 {
            w[t] = (w[t - 3] ^ w[t - 8] ^ w[t - 14] ^ w[t - 16]).rotate_left(1);
        }
        let (mut a, mut b, mut c, mut d, mut e) = (h[0], h[1], h[2], h[3], h[4]);
        for (t, wt) in w.iter().enumerate() {
            let (f, k) = match t {
                0..=19 => ((b & c) | (!b & d), 0x5A827999),
                20..=39 => (b ^ c ^ d, 0x6ED9EBA1),
                40..=59 => ((b & c) | (b & d) | (c & d), 0x8F1BBCDC),
                _ => (b ^ c ^ d, 0xCA62C1D6),
            };
            let temp = a
                .rotate_left(5)
                .wrapping_add(f)
                .wrapping_add(e)
                .wrapping_add(k)
                .wrapping_add(*wt);
            e = d;
            d = c;
            c = b.rotate_left(30);
            b = a;
            a = temp;
        }
        h[0] = h[0].wrapping_add(a);
        h[1] = h[1].wrapping_add(b);
        h[2] = h[2].wrapping_add(c);
        h[3] = h[3].wrapping_add(d);
        h[4] = h[4].wrapping_add(e);
    }
    let mut out = [0u8; 20];
    for (i, v) in h.iter().enumerate() {
        out[4 * i..4 * i + 4].copy_from_slice(&v.to_be_bytes());
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn indent_pads_every_line_like_sprig() {
        assert_eq!(indent(2, "a\nb").unwrap(), "  a\n  b");
        assert_eq!(indent(2, "").unwrap(), "  ");
        assert_eq!(indent(1, "a\n").unwrap(), " a\n ");
        assert_eq!(indent(0, "a\nb").unwrap(), "a\nb");
        assert_eq!(indent_after(2, "x\n\ny", "\n").unwrap(), "\n  x\n  \n  y");
        assert!(indent(-1, "a").is_err());
        assert!(indent(i64::MAX, "a").is_err());
    }

    #[test]
    fn truncation_and_substrings() {
        assert_eq!(trunc(3, "hello"), "hel");
        assert_eq!(trunc(-3, "hello"), "llo");
        assert_eq!(trunc(10, "hello"), "hello");
        assert!(matches!(substr(1, 3, "hello").unwrap(), Value::String(s) if &*s == "el"));
        assert!(matches!(substr(-1, 3, "hello").unwrap(), Value::String(s) if &*s == "hel"));
        assert!(matches!(substr(2, -1, "hello").unwrap(), Value::String(s) if &*s == "llo"));
        assert_eq!(
            substr(-1, 9, "hi").unwrap_err().to_string(),
            "runtime error: slice bounds out of range [:9] with length 2"
        );
    }

    #[test]
    fn words() {
        assert_eq!(title("hello world-foo bar_baz"), "Hello World-Foo Bar_baz");
        assert_eq!(untitle("Hello World"), "hello world");
        assert_eq!(initials("John Doe Foo"), "JDF");
        assert_eq!(swapcase("This Is A Test"), "tHIS iS a tEST");
        assert_eq!(abbreviate_full("abcdefghijklmno", 0, 10), "abcdefg...");
        assert_eq!(
            wrap_custom("Hello world, this is a test", 10, "", false),
            "Hello\nworld,\nthis is a\ntest"
        );
    }

    #[test]
    fn hashes() {
        assert_eq!(
            hex::encode(sha1_digest(b"abc")),
            "a9993e364706816aba3e25717850c26c9cd0d89d"
        );
        assert_eq!(
            hex::encode(sha1_digest(b"")),
            "da39a3ee5e6b4b0d3255bfef95601890afd80709"
        );
        assert_eq!(adler32(b"Wikipedia"), 300286872);
    }

    #[test]
    fn splitting() {
        assert_eq!(go_split("a,b,c", ",", -1), vec!["a", "b", "c"]);
        assert_eq!(go_split("a,b,c", ",", 2), vec!["a", "b,c"]);
        assert_eq!(go_split("abc", "", -1), vec!["a", "b", "c"]);
    }
}
