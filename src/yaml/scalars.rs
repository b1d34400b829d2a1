//! Scalar resolution for the fast YAML reader: how a plain or tagged scalar becomes a
//! [`crate::Value`] (null, YAML 1.1 boolean, integer with legacy octal, float, string, base64
//! `!!binary`), mirroring serde-saphyr 2.1.1's typeless path (`deserialize_any` in
//! `de/deserializer.rs`, `parse_scalars.rs`, `de/base64.rs`; MIT OR Apache-2.0) under the options
//! `crate::yaml` uses. It must not decide anything serde-saphyr would decide differently: a
//! scalar it cannot resolve exactly (a tagged scalar serde-saphyr rejects) reads as `None`,
//! which makes the caller fall back to serde-saphyr for the whole input.

use crate::Value;
use serde_saphyr::granit_parser::{ScalarStyle, Tag};

/// The explicit tags the fast reader resolves; any other tag makes it fall back.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) enum TagKind {
    None,
    Str,
    Int,
    Float,
    Bool,
    Null,
    Binary,
}

/// The YAML core-schema tag namespace (`!!` resolves to it).
const CORE: &str = "tag:yaml.org,2002:";

/// Classifies a parser tag; `None` for tags the fast reader does not handle.
pub(super) fn tag_kind(tag: Option<&Tag>) -> Option<TagKind> {
    let Some(tag) = tag else {
        return Some(TagKind::None);
    };
    if tag.handle() != CORE {
        return None;
    }
    match tag.suffix() {
        "str" => Some(TagKind::Str),
        "int" => Some(TagKind::Int),
        "float" => Some(TagKind::Float),
        "bool" => Some(TagKind::Bool),
        "null" => Some(TagKind::Null),
        "binary" => Some(TagKind::Binary),
        _ => None,
    }
}

/// Trims the ASCII padding serde-saphyr ignores when converting scalars.
pub(super) fn yaml_trim(s: &str) -> &str {
    s.trim_matches([' ', '\t', '\r', '\n'])
}

/// Plain `""`, `~`, `null`, `Null`, `NULL`.
pub(super) fn is_nullish(value: &str, style: ScalarStyle) -> bool {
    style == ScalarStyle::Plain && matches!(value, "" | "~" | "null" | "Null" | "NULL")
}

/// serde-saphyr's `scalar_is_null` restricted to the tags handled here.
pub(super) fn is_null(tag: TagKind, value: &str, style: ScalarStyle) -> bool {
    match tag {
        TagKind::Null => true,
        TagKind::None => is_nullish(value, style),
        _ => false,
    }
}

/// YAML 1.1 booleans: `y yes true on` / `n no false off`, any ASCII case.
pub(super) fn yaml11_bool(s: &str) -> Option<bool> {
    let t = yaml_trim(s);
    let any = |words: &[&str]| words.iter().any(|w| t.eq_ignore_ascii_case(w));
    if t.len() > 5 {
        None
    } else if any(&["true", "yes", "y", "on"]) {
        Some(true)
    } else if any(&["false", "no", "n", "off"]) {
        Some(false)
    } else {
        None
    }
}

/// Digits in `radix` with single underscores between digits; `None` on overflow or junk.
fn digits_u128(digits: &str, radix: u32) -> Option<u128> {
    let bytes = digits.as_bytes();
    let mut val: u128 = 0;
    let mut saw = false;
    for (i, &b) in bytes.iter().enumerate() {
        let d = match b {
            b'_' => {
                let prev_ok = i > 0 && bytes[i - 1] != b'_';
                let next_ok = i + 1 < bytes.len() && bytes[i + 1] != b'_';
                if !prev_ok || !next_ok {
                    return None;
                }
                continue;
            }
            b'0'..=b'9' => u32::from(b - b'0'),
            b'a'..=b'f' if radix > 10 => 10 + u32::from(b - b'a'),
            b'A'..=b'F' if radix > 10 => 10 + u32::from(b - b'A'),
            _ => return None,
        };
        if d >= radix {
            return None;
        }
        val = val.checked_mul(u128::from(radix))?;
        val = val.checked_add(u128::from(d))?;
        saw = true;
    }
    saw.then_some(val)
}

/// Radix prefix (`0x`, `0o`, `0b`, legacy `0`) and the digits after it.
fn radix_and_digits(rest: &str) -> (u32, &str) {
    fn strip(r: &str) -> &str {
        r.strip_prefix('_').unwrap_or(r)
    }
    if let Some(r) = rest.strip_prefix("0x").or_else(|| rest.strip_prefix("0X")) {
        (16, strip(r))
    } else if let Some(r) = rest.strip_prefix("0o").or_else(|| rest.strip_prefix("0O")) {
        (8, strip(r))
    } else if let Some(r) = rest.strip_prefix("0b").or_else(|| rest.strip_prefix("0B")) {
        (2, strip(r))
    } else if rest == "0" {
        (8, "0")
    } else if let Some(r) = rest.strip_prefix('0') {
        (8, strip(r))
    } else {
        (10, rest)
    }
}

/// A signed integer in the range of i128 (legacy octal on), as `(negative, magnitude)` with
/// `i128` semantics: the result fits in i128.
pub(super) fn parse_signed_i128(s: &str) -> Option<i128> {
    let t = yaml_trim(s);
    let (neg, rest) = match t.strip_prefix('+') {
        Some(r) => (false, r),
        None => match t.strip_prefix('-') {
            Some(r) => (true, r),
            None => (false, t),
        },
    };
    let (radix, digits) = radix_and_digits(rest);
    let mag = digits_u128(digits, radix)?;
    // Decimal digits accumulate as i128 in serde-saphyr, so only i128 magnitudes are valid;
    // other radices allow |i128::MIN| for negative numbers. Both come to the same set.
    if neg {
        if mag == (i128::MAX as u128) + 1 {
            Some(i128::MIN)
        } else {
            i128::try_from(mag).ok().map(|m| -m)
        }
    } else {
        i128::try_from(mag).ok()
    }
}

/// An unsigned integer (legacy octal on): no leading `-`, optional `+`.
pub(super) fn parse_unsigned_u128(s: &str) -> Option<u128> {
    let t = yaml_trim(s);
    if t.starts_with('-') {
        return None;
    }
    let rest = t.strip_prefix('+').unwrap_or(t);
    let (radix, digits) = radix_and_digits(rest);
    digits_u128(digits, radix)
}

/// The integer identity serde-saphyr gives a plain mapping key (`KeyFingerprint::Integer`).
pub(super) fn integer_fingerprint(value: &str) -> Option<(bool, u128)> {
    if yaml_trim(value).starts_with('-') {
        let v = parse_signed_i128(value)?;
        Some((v < 0, v.unsigned_abs()))
    } else {
        parse_unsigned_u128(value).map(|m| (false, m))
    }
}

/// `.nan`, `.inf` with optional sign, in the three spellings YAML 1.2 allows.
fn non_finite(t: &str) -> Option<f64> {
    let (negative, unsigned) = match t.strip_prefix('-') {
        Some(rest) => (true, rest),
        None => (false, t.strip_prefix('+').unwrap_or(t)),
    };
    match unsigned {
        ".nan" | ".NaN" | ".NAN" => Some(f64::NAN),
        ".inf" | ".Inf" | ".INF" if negative => Some(f64::NEG_INFINITY),
        ".inf" | ".Inf" | ".INF" => Some(f64::INFINITY),
        _ => None,
    }
}

/// serde-saphyr's `try_parse_float_incl_overflow`: YAML non-finite spellings, Rust's float
/// syntax for finite values, and numeral-shaped literals that overflow to infinity.
pub(super) fn parse_float(s: &str) -> Option<f64> {
    let t = yaml_trim(s);
    if let Some(v) = non_finite(t) {
        return Some(v);
    }
    match t.parse::<f64>() {
        Ok(v) if v.is_finite() => Some(v),
        Ok(v) if v.is_infinite() => {
            let unsigned = t.strip_prefix(['+', '-']).unwrap_or(t);
            unsigned
                .as_bytes()
                .first()
                .is_some_and(u8::is_ascii_digit)
                .then_some(v)
        }
        _ => None,
    }
}

/// A float as `Value`, non-finite values as their canonical strings
/// (`NonFiniteFloatPolicy::AsString`).
fn float_value(v: f64) -> Value {
    if v.is_finite() {
        return serde_json::Number::from_f64(v).map_or(Value::Null, Value::Number);
    }
    let canonical = if v.is_nan() {
        ".nan"
    } else if v.is_sign_negative() {
        "-.inf"
    } else {
        ".inf"
    };
    Value::String(canonical.to_string())
}

/// An explicit `!!int`: signed i64 when it starts with `-`, else u64.
fn tagged_int(text: &str) -> Option<Value> {
    if yaml_trim(text).starts_with('-') {
        let v = i64::try_from(parse_signed_i128(text)?).ok()?;
        Some(Value::Number(v.into()))
    } else {
        let v = u64::try_from(parse_unsigned_u128(text)?).ok()?;
        Some(Value::Number(v.into()))
    }
}

/// Decodes YAML `!!binary` (standard alphabet, `=` padding, ASCII whitespace ignored).
pub(super) fn decode_base64(s: &str) -> Option<Vec<u8>> {
    fn val(b: u8) -> Option<u32> {
        Some(u32::from(match b {
            b'A'..=b'Z' => b - b'A',
            b'a'..=b'z' => b - b'a' + 26,
            b'0'..=b'9' => b - b'0' + 52,
            b'+' => 62,
            b'/' => 63,
            _ => return None,
        }))
    }
    let cleaned: Vec<u8> = s.bytes().filter(|b| !b.is_ascii_whitespace()).collect();
    if !cleaned.len().is_multiple_of(4) {
        return None;
    }
    let mut out = Vec::with_capacity(cleaned.len() / 4 * 3);
    let total = cleaned.len() / 4;
    for (idx, chunk) in cleaned.chunks_exact(4).enumerate() {
        let pad = chunk.iter().rev().take_while(|&&c| c == b'=').count();
        if pad > 2 || (pad > 0 && idx + 1 != total) {
            return None;
        }
        let a = val(chunk[0])?;
        let b = val(chunk[1])?;
        let c = if chunk[2] == b'=' {
            if pad < 2 {
                return None;
            }
            0
        } else {
            val(chunk[2])?
        };
        let d = if chunk[3] == b'=' { 0 } else { val(chunk[3])? };
        if (pad == 2 && (b & 0x0F) != 0) || (pad == 1 && (c & 0x03) != 0) {
            return None;
        }
        let triple = (a << 18) | (b << 12) | (c << 6) | d;
        out.push(((triple >> 16) & 0xFF) as u8);
        if pad < 2 {
            out.push(((triple >> 8) & 0xFF) as u8);
        }
        if pad == 0 {
            out.push((triple & 0xFF) as u8);
        }
    }
    Some(out)
}

/// The value of a scalar node in value position, as serde-saphyr's `deserialize_any` gives
/// it to `serde_json::Value`; `None` when serde-saphyr would reject it.
pub(super) fn resolve(
    text: std::borrow::Cow<'_, str>,
    style: ScalarStyle,
    tag: TagKind,
) -> Option<Value> {
    match tag {
        TagKind::Null => Some(Value::Null),
        TagKind::Bool => yaml11_bool(&text).map(Value::Bool),
        TagKind::Int => tagged_int(&text),
        TagKind::Float => parse_float(&text).map(float_value),
        TagKind::Str => Some(Value::String(text.into_owned())),
        TagKind::Binary => {
            let bytes = decode_base64(&text)?;
            String::from_utf8(bytes).ok().map(Value::String)
        }
        TagKind::None if style != ScalarStyle::Plain => Some(Value::String(text.into_owned())),
        TagKind::None => Some(resolve_plain(text)),
    }
}

/// An untagged plain scalar: null, then YAML 1.1 boolean, then integer, then float, else the
/// text itself.
fn resolve_plain(text: std::borrow::Cow<'_, str>) -> Value {
    match plain_value(&text) {
        Some(value) => value,
        None => Value::String(text.into_owned()),
    }
}

/// Whether an untagged scalar reads as a string (not null, a boolean or a number), without
/// building it.
pub(super) fn is_string(text: &str, style: ScalarStyle) -> bool {
    style != ScalarStyle::Plain || plain_value(text).is_none()
}

/// The value of an untagged plain scalar that does not read as a string.
fn plain_value(s: &str) -> Option<Value> {
    if is_nullish(s, ScalarStyle::Plain) {
        return Some(Value::Null);
    }
    // Cheap pre-check: every non-string form starts with a sign, digit, `.` or a letter
    // of a boolean word; most text does not.
    let first = s.as_bytes()[0];
    let maybe_number = matches!(
        first,
        b'0'..=b'9' | b'+' | b'-' | b'.' | b' ' | b'\t' | b'\r' | b'\n'
    );
    if !maybe_number {
        // Rust's float parser also reads `inf`/`nan`/`infinity`, which stay strings: only a
        // finite parse counts, and those need a leading digit, sign or dot.
        return yaml11_bool(s).map(Value::Bool);
    }
    if let Some(b) = yaml11_bool(s) {
        return Some(Value::Bool(b));
    }
    let t = yaml_trim(s);
    if t.starts_with('-') {
        if let Some(v) = parse_signed_i128(t).and_then(|v| i64::try_from(v).ok()) {
            return Some(Value::Number(v.into()));
        }
    } else if let Some(v) = parse_unsigned_u128(t).and_then(|v| u64::try_from(v).ok()) {
        return Some(Value::Number(v.into()));
    }
    parse_float(s).map(float_value)
}
