//! String filters with Helm/Sprig semantics: `indent` pads every line including the first (and
//! lines after a trailing newline, exactly like Sprig), `nindent` is `"\n" + indent`, `quote`
//! uses Go's `%q` escaping and skips none, `squote` wraps in single quotes, `trunc(n)` keeps the
//! first n characters (last -n for negative n; characters, not bytes, so UTF-8 is never cut),
//! `trim_prefix`/`trim_suffix` remove one occurrence, `b64encode`/`b64decode`, `sha256` (hex).

use super::{charge_output, ensure_defined, text_of};
use base64::Engine as _;
use minijinja::value::{Rest, Value};
use minijinja::{Error, ErrorKind, State};
use sha2::Digest as _;
use std::fmt::Write as _;

pub fn indent(state: &State, v: Value, width: i64) -> Result<String, Error> {
    let text = text_of(state, &v)?;
    let width = usize::try_from(width).map_err(|_| {
        Error::new(
            ErrorKind::InvalidOperation,
            format!("indent: width must not be negative, got {width}"),
        )
    })?;
    let lines = text.bytes().filter(|&b| b == b'\n').count() + 1;
    let size = lines
        .checked_mul(width)
        .and_then(|p| p.checked_add(text.len()))
        .unwrap_or(usize::MAX);
    charge_output(state, "indent", size)?;
    let pad = " ".repeat(width);
    let mut out = String::with_capacity(size);
    out.push_str(&pad);
    out.push_str(&text.replace('\n', &format!("\n{pad}")));
    Ok(out)
}

pub fn nindent(state: &State, v: Value, width: i64) -> Result<String, Error> {
    Ok(format!("\n{}", indent(state, v, width)?))
}

/// Go's `%q`: `"` and `\` escaped, `\n`-style escapes for control characters, `\x`/`\u`/`\U`
/// for other characters Go does not consider printable (approximated: controls, format
/// characters, non-ASCII spaces, private use).
pub fn go_quote(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 2);
    out.push('"');
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\u{07}' => out.push_str("\\a"),
            '\u{08}' => out.push_str("\\b"),
            '\u{0c}' => out.push_str("\\f"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            '\u{0b}' => out.push_str("\\v"),
            c if (c as u32) < 0x20 || c == '\u{7f}' => {
                let _ = write!(out, "\\x{:02x}", c as u32);
            }
            c if !go_printable(c) => {
                if (c as u32) < 0x10000 {
                    let _ = write!(out, "\\u{:04x}", c as u32);
                } else {
                    let _ = write!(out, "\\U{:08x}", c as u32);
                }
            }
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

fn go_printable(c: char) -> bool {
    let u = c as u32;
    !(c.is_control()
        || u == 0xAD
        || u == 0xA0
        || u == 0x1680
        || (0x2000..=0x200F).contains(&u)
        || (0x2028..=0x202F).contains(&u)
        || (0x205F..=0x2064).contains(&u)
        || u == 0x3000
        || u == 0xFEFF
        || (0xE000..=0xF8FF).contains(&u)
        || (0xFFF9..=0xFFFB).contains(&u)
        || u >= 0xF0000)
}

fn quote_with(state: &State, args: &[Value], q: impl Fn(&str) -> String) -> Result<String, Error> {
    let mut parts = Vec::with_capacity(args.len());
    for v in args {
        ensure_defined(state, v)?;
        if v.is_none() {
            continue;
        }
        parts.push(q(&text_of(state, v)?));
    }
    let out = parts.join(" ");
    charge_output(state, "quote", out.len())?;
    Ok(out)
}

pub fn quote(state: &State, args: Rest<Value>) -> Result<String, Error> {
    quote_with(state, &args, go_quote)
}

pub fn squote(state: &State, args: Rest<Value>) -> Result<String, Error> {
    quote_with(state, &args, |s| format!("'{s}'"))
}

pub fn trunc(state: &State, v: Value, n: i64) -> Result<String, Error> {
    let text = text_of(state, &v)?;
    let count = text.chars().count();
    let out = if n >= 0 {
        let n = usize::try_from(n).unwrap_or(usize::MAX);
        text.chars().take(n).collect()
    } else {
        let keep = usize::try_from(n.unsigned_abs()).unwrap_or(usize::MAX);
        if keep < count {
            text.chars().skip(count - keep).collect()
        } else {
            text
        }
    };
    Ok(out)
}

pub fn trim_suffix(state: &State, v: Value, suffix: String) -> Result<String, Error> {
    let text = text_of(state, &v)?;
    Ok(text
        .strip_suffix(suffix.as_str())
        .unwrap_or(&text)
        .to_string())
}

pub fn trim_prefix(state: &State, v: Value, prefix: String) -> Result<String, Error> {
    let text = text_of(state, &v)?;
    Ok(text
        .strip_prefix(prefix.as_str())
        .unwrap_or(&text)
        .to_string())
}

fn bytes_of(state: &State, v: &Value) -> Result<Vec<u8>, Error> {
    ensure_defined(state, v)?;
    match v.as_bytes() {
        Some(b) if v.as_str().is_none() => Ok(b.to_vec()),
        _ => Ok(text_of(state, v)?.into_bytes()),
    }
}

pub fn b64encode(state: &State, v: Value) -> Result<String, Error> {
    let data = bytes_of(state, &v)?;
    charge_output(state, "b64encode", data.len() / 3 * 4 + 4)?;
    Ok(base64::engine::general_purpose::STANDARD.encode(data))
}

pub fn b64decode(state: &State, v: Value) -> Result<String, Error> {
    let text = text_of(state, &v)?;
    let data = base64::engine::general_purpose::STANDARD
        .decode(text.trim_end_matches(['\n', '\r']).as_bytes())
        .map_err(|_| {
            Error::new(
                ErrorKind::InvalidOperation,
                "b64decode: input is not valid base64 (standard alphabet, with padding)",
            )
        })?;
    Ok(String::from_utf8_lossy(&data).into_owned())
}

pub fn sha256(state: &State, v: Value) -> Result<String, Error> {
    let data = bytes_of(state, &v)?;
    state.consume_fuel(data.len() as u64 / 16)?;
    Ok(hex::encode(sha2::Sha256::digest(&data)))
}

#[cfg(test)]
mod tests {
    use super::super::testing::*;
    use super::go_quote;
    use serde_json::json;

    #[test]
    fn indent_like_sprig() {
        // (input, width, expected) — Sprig: pad + replace("\n", "\n" + pad)
        let cases: &[(&str, i64, &str)] = &[
            ("a", 2, "  a"),
            ("a\nb", 2, "  a\n  b"),
            ("a\n", 2, "  a\n  "),
            ("a\n\nb", 1, " a\n \n b"),
            ("", 3, "   "),
            ("a", 0, "a"),
        ];
        for (input, width, want) in cases {
            let out = render("{{ s | indent(w) }}", json!({"s": input, "w": width}));
            assert_eq!(&out, want, "indent({input:?}, {width})");
            let out = render("{{ s | nindent(w) }}", json!({"s": input, "w": width}));
            assert_eq!(out, format!("\n{want}"), "nindent({input:?}, {width})");
        }
        assert_eq!(render("{{ 5 | indent(2) }}", json!({})), "  5");
        assert!(render_err("{{ 'a' | indent(-1) }}", json!({})).contains("negative"));
    }

    #[test]
    fn indent_huge_width_is_refused() {
        let e = render_err("{{ 'a\\nb' | indent(100000000000) }}", json!({}));
        assert!(e.contains("limit") || e.contains("fuel"), "{e}");
    }

    #[test]
    fn quote_like_go() {
        assert_eq!(go_quote("plain"), "\"plain\"");
        assert_eq!(go_quote("a\"b\\c"), r#""a\"b\\c""#);
        assert_eq!(go_quote("l1\nl2\t"), r#""l1\nl2\t""#);
        assert_eq!(go_quote("\u{1}"), r#""\x01""#);
        assert_eq!(go_quote("héllo ✓"), "\"héllo ✓\"");
        assert_eq!(go_quote("\u{feff}"), r#""\ufeff""#);
        // checked against helm 4.3.1: {{ "l1\nl2\t\"q\" \u00a0 \u200b é" | quote }}
        assert_eq!(
            go_quote("l1\nl2\t\"q\" \u{a0} \u{200b} é"),
            r#""l1\nl2\t\"q\" \u00a0 \u200b é""#
        );
        assert_eq!(render("{{ s | quote }}", json!({"s": "x"})), "\"x\"");
        assert_eq!(render("{{ n | quote }}", json!({"n": 8080})), "\"8080\"");
        assert_eq!(render("{{ b | quote }}", json!({"b": true})), "\"true\"");
        assert_eq!(render("{{ n | quote }}", json!({"n": null})), "");
        assert_eq!(render("{{ quote('a', 'b') }}", json!({})), "\"a\" \"b\"");
        assert_eq!(render("{{ s | squote }}", json!({"s": "x"})), "'x'");
    }

    #[test]
    fn trunc_like_sprig() {
        // (input, n, expected)
        let cases: &[(&str, i64, &str)] = &[
            ("hello world", 5, "hello"),
            ("short", 63, "short"),
            ("hello world", -5, "world"),
            ("abc", -10, "abc"),
            ("abc", 0, ""),
            ("", 3, ""),
            ("héllo", 2, "hé"),
        ];
        for (input, n, want) in cases {
            assert_eq!(
                render("{{ s | trunc(n) }}", json!({"s": input, "n": n})),
                *want,
                "trunc({input:?}, {n})"
            );
        }
    }

    #[test]
    fn trims() {
        assert_eq!(render("{{ 'a-b-' | trim_suffix('-') }}", json!({})), "a-b");
        assert_eq!(render("{{ 'a--' | trim_suffix('-') }}", json!({})), "a-");
        assert_eq!(render("{{ 'vv1' | trim_prefix('v') }}", json!({})), "v1");
        assert_eq!(render("{{ 'x' | trim_prefix('y') }}", json!({})), "x");
    }

    #[test]
    fn base64_and_sha256() {
        assert_eq!(
            render("{{ 'The Captain' | b64encode }}", json!({})),
            "VGhlIENhcHRhaW4="
        );
        assert_eq!(
            render("{{ 'VGhlIENhcHRhaW4=' | b64decode }}", json!({})),
            "The Captain"
        );
        assert!(render_err("{{ '%%%' | b64decode }}", json!({})).contains("not valid base64"));
        assert_eq!(
            render("{{ 'abc' | sha256 }}", json!({})),
            "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"
        );
    }
}
