//! Small helpers that reproduce Go's text for error messages Helm users see: `%q` quoting
//! (`strconv.Quote`), `%T` type names of decoded values, and `strconv.Atoi`/`ParseInt` base-10
//! integer parsing with Go's error wording. Pure functions; no knowledge of values semantics.

use crate::Value;

/// Go's `strconv.Quote`: double-quoted, with `\"`, `\\`, the short C escapes, and `\x`/`\u`/`\U`
/// escapes for characters Go does not consider printable.
pub(crate) fn quote(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 2);
    out.push('"');
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\u{7}' => out.push_str("\\a"),
            '\u{8}' => out.push_str("\\b"),
            '\u{c}' => out.push_str("\\f"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            '\u{b}' => out.push_str("\\v"),
            c if is_go_printable(c) => out.push(c),
            c if (c as u32) < 0x80 => out.push_str(&format!("\\x{:02x}", c as u32)),
            c if (c as u32) < 0x10000 => out.push_str(&format!("\\u{:04x}", c as u32)),
            c => out.push_str(&format!("\\U{:08x}", c as u32)),
        }
    }
    out.push('"');
    out
}

/// Go's `%q` of a `[]rune`: each rune single-quoted (`strconv.QuoteRune`), space-separated,
/// in brackets, e.g. `['x' 'y']`.
pub(crate) fn quote_runes(s: &str) -> String {
    let runes: Vec<String> = s
        .chars()
        .map(|c| {
            let inner = match c {
                '\'' => "\\'".to_string(),
                '"' => "\"".to_string(),
                c => {
                    let q = quote(&c.to_string());
                    q[1..q.len() - 1].to_string()
                }
            };
            format!("'{inner}'")
        })
        .collect();
    format!("[{}]", runes.join(" "))
}

/// An approximation of Go's `unicode.IsPrint`: graphic characters and the ASCII space; no
/// control, format or non-ASCII space characters.
fn is_go_printable(c: char) -> bool {
    if c == ' ' {
        return true;
    }
    if c.is_control() || c.is_whitespace() {
        return false;
    }
    !matches!(c as u32,
        0xAD | 0x600..=0x605 | 0x61C | 0x6DD | 0x70F | 0x180E | 0x200B..=0x200F | 0x202A..=0x202E
        | 0x2060..=0x2064 | 0x2066..=0x206F | 0xFEFF | 0xFFF9..=0xFFFB | 0xE000..=0xF8FF)
}

/// Go's `%T` of the value a Go program would hold after decoding (used in messages that mirror
/// Helm's `interface conversion` panics and schema type errors).
pub(crate) fn type_name(v: &Value) -> &'static str {
    match v {
        Value::Null => "nil",
        Value::Bool(_) => "bool",
        Value::Number(n) if n.is_f64() => "float64",
        Value::Number(_) => "int64",
        Value::String(_) => "string",
        Value::Array(_) => "[]interface {}",
        Value::Object(_) => "map[string]interface {}",
    }
}

/// Why a base-10 integer did not parse, in Go's words.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum IntError {
    Syntax,
    Range,
}

impl IntError {
    pub(crate) fn text(self) -> &'static str {
        match self {
            IntError::Syntax => "invalid syntax",
            IntError::Range => "value out of range",
        }
    }
}

/// Go's `strconv.ParseInt(s, 10, 64)` (and `Atoi` on 64-bit platforms): an optional `+`/`-`,
/// then ASCII digits only; no underscores, no spaces. Overflow is reported as soon as it happens.
pub(crate) fn parse_int(s: &str) -> Result<i64, IntError> {
    let (neg, digits) = match s.as_bytes().first() {
        Some(b'+') => (false, &s[1..]),
        Some(b'-') => (true, &s[1..]),
        _ => (false, s),
    };
    if digits.is_empty() {
        return Err(IntError::Syntax);
    }
    let mut n: u64 = 0;
    for b in digits.bytes() {
        if !b.is_ascii_digit() {
            return Err(IntError::Syntax);
        }
        n = n
            .checked_mul(10)
            .and_then(|n| n.checked_add(u64::from(b - b'0')))
            .ok_or(IntError::Range)?;
    }
    const CUTOFF: u64 = 1 << 63;
    if neg {
        if n > CUTOFF {
            return Err(IntError::Range);
        }
        Ok((n as i64).wrapping_neg())
    } else {
        if n >= CUTOFF {
            return Err(IntError::Range);
        }
        Ok(n as i64)
    }
}

/// Go's `strings.EqualFold` against an ASCII word (`true`, `false`, `null`): ASCII case folding
/// plus the one non-ASCII fold that can reach these letters (`ſ` folds to `s`).
pub(crate) fn equal_fold_ascii(s: &str, word: &str) -> bool {
    let mut chars = s.chars();
    for w in word.chars() {
        match chars.next() {
            Some(c) if c.to_ascii_lowercase() == w => {}
            Some('\u{17F}') if w == 's' => {}
            Some('\u{212A}') if w == 'k' => {}
            _ => return false,
        }
    }
    chars.next().is_none()
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn quotes_like_go() {
        assert_eq!(quote("abc"), "\"abc\"");
        assert_eq!(quote("a\"b\\c"), "\"a\\\"b\\\\c\"");
        assert_eq!(quote("\n\t\u{1}"), "\"\\n\\t\\x01\"");
        assert_eq!(quote("é\u{a0}"), "\"é\\u00a0\"");
        assert_eq!(quote_runes("xy"), "['x' 'y']");
        assert_eq!(quote_runes("'\"\n"), "['\\'' '\"' '\\n']");
    }

    #[test]
    fn parses_ints_like_go() {
        assert_eq!(parse_int("42"), Ok(42));
        assert_eq!(parse_int("+5"), Ok(5));
        assert_eq!(parse_int("-0"), Ok(0));
        assert_eq!(parse_int("-9223372036854775808"), Ok(i64::MIN));
        assert_eq!(parse_int("9223372036854775807"), Ok(i64::MAX));
        assert_eq!(parse_int("9223372036854775808"), Err(IntError::Range));
        assert_eq!(parse_int("99999999999999999999x"), Err(IntError::Range));
        assert_eq!(parse_int("1_000"), Err(IntError::Syntax));
        assert_eq!(parse_int(""), Err(IntError::Syntax));
        assert_eq!(parse_int("-"), Err(IntError::Syntax));
        assert_eq!(parse_int(" 1"), Err(IntError::Syntax));
    }

    #[test]
    fn folds_like_go() {
        assert!(equal_fold_ascii("TrUe", "true"));
        assert!(equal_fold_ascii("fal\u{17F}e", "false"));
        assert!(!equal_fold_ascii("truee", "true"));
        assert!(!equal_fold_ascii("tru", "true"));
    }

    #[test]
    fn type_names() {
        assert_eq!(type_name(&json!(1)), "int64");
        assert_eq!(type_name(&json!(1.5)), "float64");
        assert_eq!(type_name(&json!([])), "[]interface {}");
        assert_eq!(type_name(&json!(null)), "nil");
    }
}
