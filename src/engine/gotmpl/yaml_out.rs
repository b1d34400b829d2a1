//! YAML output exactly as Helm's `toYaml` writes it. Helm calls sigs.k8s.io/yaml, which
//! marshals to JSON, reads that JSON back with go-yaml v2 and emits it with go-yaml v2's
//! emitter. This module reproduces that pipeline's result directly from a value: go-yaml's
//! scalar typing of the JSON text (so `"true"`, `"1.0"`, `"2021-01-01"` stay quoted), its
//! "natural" key order (`a2` before `a10`), its scalar style choice (plain, single-quoted,
//! double-quoted, literal `|-`) and its folding of long plain and quoted strings at 80
//! columns. Hand-written: no Rust YAML emitter reproduces go-yaml v2 byte for byte.

use super::json_out::json_float;
use super::value::Value;
use base64::Engine as _;

const MAX_DEPTH: usize = 1000;
const BEST_INDENT: i64 = 2;
const BEST_WIDTH: i64 = 80;

/// Helm's `toYaml` before it trims the final newline (so this ends with `\n`), or the JSON
/// error that makes Helm's `toYaml` return an empty string.
pub fn to_yaml(v: &Value) -> Result<String, String> {
    let mut suspect_key = false;
    let node = to_node(v, 0, false, &mut suspect_key)?;
    if suspect_key {
        json_round_trip_error(&super::json_out::to_json(v, true, None)?)?;
    }
    emit(node, false)
}

/// Helm's `toYamlPretty` before trimming: go-yaml v3 with indent 2 over the Go value itself
/// (no JSON step, so floats print as `1e+06`), sequences indented, no line folding.
pub fn to_yaml_pretty(v: &Value) -> Result<String, String> {
    emit(to_node(v, 0, true, &mut false)?, true)
}

fn emit(node: Node, pretty: bool) -> Result<String, String> {
    let mut e = Emitter {
        pretty,
        out: String::new(),
        indent: -1,
        indents: Vec::new(),
        column: 0,
        whitespace: true,
        indention: true,
        flow_level: 0,
        root_context: false,
        sequence_context: false,
        mapping_context: false,
        simple_key_context: false,
        chars: Vec::new(),
    };
    e.emit_node(&node, true, false, false, false);
    // Document end: implicit, but the last line is terminated.
    e.write_indent();
    Ok(e.out)
}

/// A YAML node after go-yaml's typing of the JSON text.
#[derive(Debug)]
enum Node {
    /// A scalar and the style the encoder asks for.
    Scalar(String, Style),
    Seq(Vec<Node>),
    Map(Vec<(Node, Node)>),
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Style {
    Plain,
    Single,
    Double,
    Literal,
}

/// `suspect_key` is set when a map key might break go-yaml's reading of the JSON text (see
/// [`json_round_trip_error`]).
fn to_node(v: &Value, depth: usize, pretty: bool, suspect_key: &mut bool) -> Result<Node, String> {
    if depth > MAX_DEPTH {
        return Err(format!(
            "json: unsupported value: encountered a cycle via {}",
            v.type_name()
        ));
    }
    Ok(match v {
        Value::Nil => Node::Scalar("null".into(), Style::Plain),
        Value::Bool(b) => Node::Scalar(if *b { "true" } else { "false" }.into(), Style::Plain),
        Value::Int(i) | Value::Int64(i) => Node::Scalar(i.to_string(), Style::Plain),
        Value::Uint8(u) => Node::Scalar(u.to_string(), Style::Plain),
        Value::Float(f) => {
            if pretty {
                let s = match super::fmt::format_float(*f, 'g', None).as_str() {
                    "+Inf" => ".inf".to_string(),
                    "-Inf" => "-.inf".to_string(),
                    "NaN" => ".nan".to_string(),
                    other => other.to_string(),
                };
                Node::Scalar(s, Style::Plain)
            } else {
                Node::Scalar(number_from_json(&json_float(*f)?), Style::Plain)
            }
        }
        Value::String(s) if pretty => string_node(s),
        Value::String(s) => string_node(&fold_json_breaks(s)),
        Value::Bytes(b) => string_node(&base64::engine::general_purpose::STANDARD.encode(b)),
        Value::List(l) => Node::Seq(
            l.items
                .iter()
                .map(|x| to_node(x, depth + 1, pretty, suspect_key))
                .collect::<Result<_, _>>()?,
        ),
        Value::Map(m) => {
            let mut entries = m.entries();
            if !pretty {
                for (k, _) in entries.iter_mut() {
                    // A JSON-escaped character takes at most 6 characters.
                    *suspect_key |= k.len() > (MAX_SIMPLE_KEY - 2) / 6 || k.contains('\u{85}');
                    if let std::borrow::Cow::Owned(f) = fold_json_breaks(k) {
                        *k = f;
                    }
                }
            }
            merge_sort_by(&mut entries, &|a: &(String, Value), b: &(String, Value)| {
                natural_less(&a.0, &b.0)
            });
            let mut out = Vec::with_capacity(entries.len());
            for (k, x) in entries {
                out.push((
                    string_node(&k),
                    to_node(&x, depth + 1, pretty, suspect_key)?,
                ));
            }
            Node::Map(out)
        }
        Value::Object(o) => {
            if let Some(j) = o.to_json() {
                return to_node(&Value::from_json(&j), depth + 1, pretty, suspect_key);
            }
            if let Some(c) = o.as_collection() {
                return to_node(&c, depth + 1, pretty, suspect_key);
            }
            string_node(&o.format())
        }
    })
}

/// What go-yaml makes of an unquoted JSON number: an int as is, else a float re-formatted
/// with `%g`-shortest (`1e+21`, `1e-07`).
fn number_from_json(text: &str) -> String {
    if let Some(i) = parse_go_int(text) {
        return i.to_string();
    }
    if let Ok(u) = text.parse::<u64>() {
        return u.to_string();
    }
    match text.parse::<f64>() {
        Ok(f) => super::fmt::format_float(f, 'g', None),
        Err(_) => text.to_string(),
    }
}

/// What go-yaml v2 reads back from a JSON string holding a raw NEL (U+0085): Go's JSON
/// encoder escapes every other line break, but leaves NEL as is, and go-yaml (YAML 1.1) takes
/// it for a line break inside a double-quoted scalar and folds it: a run of spaces and NELs
/// with one NEL becomes one space, with n > 1 NELs n - 1 newlines.
fn fold_json_breaks(s: &str) -> std::borrow::Cow<'_, str> {
    if !s.contains('\u{85}') {
        return std::borrow::Cow::Borrowed(s);
    }
    let chars: Vec<char> = s.chars().collect();
    let mut out = String::with_capacity(s.len());
    let mut i = 0;
    while i < chars.len() {
        if chars[i] != ' ' && chars[i] != '\u{85}' {
            out.push(chars[i]);
            i += 1;
            continue;
        }
        let start = i;
        let mut breaks = 0;
        while i < chars.len() && (chars[i] == ' ' || chars[i] == '\u{85}') {
            breaks += usize::from(chars[i] == '\u{85}');
            i += 1;
        }
        match breaks {
            0 => out.extend(&chars[start..i]),
            1 => out.push(' '),
            n => out.extend(std::iter::repeat_n('\n', n - 1)),
        }
    }
    std::borrow::Cow::Owned(out)
}

/// go-yaml's limit on the length of a simple key (in characters, from its first character to
/// the `:`).
const MAX_SIMPLE_KEY: usize = 1024;

/// The error go-yaml v2 gives when it reads back the JSON text of a value whose map key holds
/// a NEL (a line break for YAML 1.1, and a simple key must stay on one line) or whose quoted,
/// JSON-escaped form is longer than 1024 characters: it then reads the key as a key without
/// value, finds the `:` and fails. The line is go-yaml's 0-based line of that `:`, counted in
/// NELs; line 0 is not named.
fn json_round_trip_error(json: &str) -> Result<(), String> {
    let mut line = 0usize;
    let mut chars = json.chars();
    while let Some(c) = chars.next() {
        if c != '"' {
            continue;
        }
        let (mut len, mut nel, mut escaped) = (2usize, false, false);
        for c in chars.by_ref() {
            if !escaped && c == '"' {
                break;
            }
            escaped = !escaped && c == '\\';
            nel |= c == '\u{85}';
            line += usize::from(c == '\u{85}');
            len += 1;
        }
        let is_key = chars.clone().next() == Some(':');
        if is_key && (nel || len > MAX_SIMPLE_KEY) {
            let at = if line == 0 {
                String::new()
            } else {
                format!("line {line}: ")
            };
            return Err(format!("yaml: {at}did not find expected ',' or '}}'"));
        }
    }
    Ok(())
}

fn string_node(s: &str) -> Node {
    let style = if s.contains('\n') {
        Style::Literal
    } else if resolves_to_str(s) && !is_base60_float(s) {
        Style::Plain
    } else {
        Style::Double
    };
    Node::Scalar(s.to_string(), style)
}

/// A stable merge sort that accepts any "less" function without panicking (Rust's own sorts
/// may panic when a comparison is not a total order).
pub(crate) fn merge_sort_by<T: Clone>(v: &mut [T], less: &dyn Fn(&T, &T) -> bool) {
    let n = v.len();
    if n <= 1 {
        return;
    }
    if n <= 16 {
        for i in 1..n {
            let mut j = i;
            while j > 0 && less(&v[j], &v[j - 1]) {
                v.swap(j, j - 1);
                j -= 1;
            }
        }
        return;
    }
    let mid = n / 2;
    merge_sort_by(&mut v[..mid], less);
    merge_sort_by(&mut v[mid..], less);
    let mut merged = Vec::with_capacity(n);
    let (mut i, mut j) = (0, mid);
    while i < mid && j < n {
        if less(&v[j], &v[i]) {
            merged.push(v[j].clone());
            j += 1;
        } else {
            merged.push(v[i].clone());
            i += 1;
        }
    }
    merged.extend_from_slice(&v[i..mid]);
    merged.extend_from_slice(&v[j..n]);
    v.clone_from_slice(&merged);
}

/// go-yaml v2's key order: numbers in keys compare numerically, non-letters before letters.
pub(crate) fn natural_less(a: &str, b: &str) -> bool {
    if a.is_ascii() && b.is_ascii() {
        // Bytes are the runes: no need to decode (the common case, and allocation-free).
        return natural_less_runes(a.as_bytes(), b.as_bytes());
    }
    let ar: Vec<char> = a.chars().collect();
    let br: Vec<char> = b.chars().collect();
    natural_less_runes(&ar, &br)
}

/// A rune of a key for [`natural_less`]: a `char`, or a byte of an ASCII string.
trait Rune: Copy + PartialOrd {
    fn is_alphabetic(self) -> bool;
    fn is_ascii_digit(self) -> bool;
    fn is_zero(self) -> bool;
    fn digit(self) -> i64;
}

impl Rune for char {
    fn is_alphabetic(self) -> bool {
        char::is_alphabetic(self)
    }
    fn is_ascii_digit(self) -> bool {
        char::is_ascii_digit(&self)
    }
    fn is_zero(self) -> bool {
        self == '0'
    }
    fn digit(self) -> i64 {
        self as i64 - '0' as i64
    }
}

impl Rune for u8 {
    fn is_alphabetic(self) -> bool {
        self.is_ascii_alphabetic()
    }
    fn is_ascii_digit(self) -> bool {
        u8::is_ascii_digit(&self)
    }
    fn is_zero(self) -> bool {
        self == b'0'
    }
    fn digit(self) -> i64 {
        self as i64 - b'0' as i64
    }
}

fn natural_less_runes<R: Rune>(ar: &[R], br: &[R]) -> bool {
    let mut i = 0;
    while i < ar.len() && i < br.len() {
        if ar[i] == br[i] {
            i += 1;
            continue;
        }
        let al = ar[i].is_alphabetic();
        let bl = br[i].is_alphabetic();
        if al && bl {
            return ar[i] < br[i];
        }
        if al || bl {
            return bl;
        }
        let mut an: i64 = 0;
        let mut bn: i64 = 0;
        if ar[i].is_zero() || br[i].is_zero() {
            let mut j = i as i64 - 1;
            while j >= 0 && ar[j as usize].is_ascii_digit() {
                if !ar[j as usize].is_zero() {
                    an = 1;
                    bn = 1;
                    break;
                }
                j -= 1;
            }
        }
        let mut ai = i;
        while ai < ar.len() && ar[ai].is_ascii_digit() {
            an = an.wrapping_mul(10).wrapping_add(ar[ai].digit());
            ai += 1;
        }
        let mut bi = i;
        while bi < br.len() && br[bi].is_ascii_digit() {
            bn = bn.wrapping_mul(10).wrapping_add(br[bi].digit());
            bi += 1;
        }
        if an != bn {
            return an < bn;
        }
        if ai != bi {
            return ai < bi;
        }
        return ar[i] < br[i];
    }
    ar.len() < br.len()
}

/// Would go-yaml v2 read this unquoted text back as a string (not bool/int/float/null/
/// timestamp/merge key)?
pub(crate) fn resolves_to_str(s: &str) -> bool {
    let hint = match s.as_bytes().first() {
        None => return false, // "" is null
        Some(b'+' | b'-') => 'S',
        Some(b'0'..=b'9') => 'D',
        Some(b'y' | b'Y' | b'n' | b'N' | b't' | b'T' | b'f' | b'F' | b'o' | b'O' | b'~') => 'M',
        Some(b'.') => '.',
        _ => return true,
    };
    const SPECIAL: &[&str] = &[
        "y", "Y", "yes", "Yes", "YES", "true", "True", "TRUE", "on", "On", "ON", "n", "N", "no",
        "No", "NO", "false", "False", "FALSE", "off", "Off", "OFF", "", "~", "null", "Null",
        "NULL", ".nan", ".NaN", ".NAN", ".inf", ".Inf", ".INF", "+.inf", "+.Inf", "+.INF", "-.inf",
        "-.Inf", "-.INF", "<<",
    ];
    if SPECIAL.contains(&s) {
        return false;
    }
    match hint {
        'M' => true,
        '.' => super::parse::parse_float(s).is_none(),
        _ => {
            if is_timestamp(s) {
                return false;
            }
            let plain = s.replace('_', "");
            if parse_go_int(&plain).is_some() || parse_go_uint(&plain).is_some() {
                return false;
            }
            if is_yaml_style_float(&plain) && super::parse::parse_float(&plain).is_some() {
                return false;
            }
            if let Some(rest) = plain.strip_prefix("0b") {
                if i64::from_str_radix(rest, 2).is_ok() || u64::from_str_radix(rest, 2).is_ok() {
                    return false;
                }
            } else if let Some(rest) = plain.strip_prefix("-0b")
                && i64::from_str_radix(&format!("-{rest}"), 2).is_ok()
            {
                return false;
            }
            true
        }
    }
}

/// `strconv.ParseInt(s, 0, 64)` (no underscores).
fn parse_go_int(s: &str) -> Option<i64> {
    let (neg, body) = match s.as_bytes().first()? {
        b'-' => (true, &s[1..]),
        b'+' => (false, &s[1..]),
        _ => (false, s),
    };
    let mag = parse_go_uint(body)?;
    if body.starts_with(['+', '-']) {
        return None;
    }
    if neg {
        if mag <= i64::MAX as u64 + 1 {
            Some((mag as i128).wrapping_neg() as i64)
        } else {
            None
        }
    } else if mag <= i64::MAX as u64 {
        Some(mag as i64)
    } else {
        None
    }
}

/// `strconv.ParseUint(s, 0, 64)` (no sign, no underscores).
fn parse_go_uint(s: &str) -> Option<u64> {
    if s.is_empty() || s.contains('_') {
        return None;
    }
    let b = s.as_bytes();
    let (radix, digits) = if b.len() >= 2 && b[0] == b'0' {
        match b[1] | 0x20 {
            b'x' => (16, &s[2..]),
            b'o' => (8, &s[2..]),
            b'b' => (2, &s[2..]),
            _ => (8, &s[1..]),
        }
    } else {
        (10, s)
    };
    if digits.is_empty() || digits.starts_with(['+', '-']) {
        return None;
    }
    u64::from_str_radix(digits, radix).ok()
}

/// `^[-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?$`
fn is_yaml_style_float(s: &str) -> bool {
    let b = s.as_bytes();
    let mut i = 0;
    if i < b.len() && (b[i] == b'+' || b[i] == b'-') {
        i += 1;
    }
    let digits = |i: &mut usize| {
        let start = *i;
        while *i < b.len() && b[*i].is_ascii_digit() {
            *i += 1;
        }
        *i - start
    };
    if i < b.len() && b[i] == b'.' {
        i += 1;
        if digits(&mut i) == 0 {
            return false;
        }
    } else {
        if digits(&mut i) == 0 {
            return false;
        }
        if i < b.len() && b[i] == b'.' {
            i += 1;
            digits(&mut i);
        }
    }
    if i < b.len() && (b[i] == b'e' || b[i] == b'E') {
        i += 1;
        if i < b.len() && (b[i] == b'+' || b[i] == b'-') {
            i += 1;
        }
        if digits(&mut i) == 0 {
            return false;
        }
    }
    i == b.len()
}

/// `^[-+]?[0-9][0-9_]*(?::[0-5]?[0-9])+(?:\.[0-9_]*)?$`
fn is_base60_float(s: &str) -> bool {
    let b = s.as_bytes();
    if b.is_empty() || !(b[0] == b'+' || b[0] == b'-' || b[0].is_ascii_digit()) || !s.contains(':')
    {
        return false;
    }
    let mut i = 0;
    if b[i] == b'+' || b[i] == b'-' {
        i += 1;
    }
    if i >= b.len() || !b[i].is_ascii_digit() {
        return false;
    }
    i += 1;
    while i < b.len() && (b[i].is_ascii_digit() || b[i] == b'_') {
        i += 1;
    }
    let mut groups = 0;
    while i < b.len() && b[i] == b':' {
        i += 1;
        // [0-5]?[0-9]
        let start = i;
        while i < b.len() && b[i].is_ascii_digit() && i - start < 2 {
            i += 1;
        }
        let n = i - start;
        if n == 0 {
            return false;
        }
        if n == 2 && b[start] > b'5' {
            // "[0-5]?[0-9]" cannot match two digits starting above 5; try one digit.
            i = start + 1;
        }
        groups += 1;
    }
    if groups == 0 {
        return false;
    }
    if i < b.len() && b[i] == b'.' {
        i += 1;
        while i < b.len() && (b[i].is_ascii_digit() || b[i] == b'_') {
            i += 1;
        }
    }
    i == b.len()
}

/// go-yaml's timestamp check (formats `2006-1-2T15:4:5.999999999Z07:00`, with lower-case `t`,
/// `2006-1-2 15:4:5.999999999` and `2006-1-2`), with Go's range checks.
fn is_timestamp(s: &str) -> bool {
    let b = s.as_bytes();
    let mut i = 0;
    while i < b.len() && b[i].is_ascii_digit() {
        i += 1;
    }
    if i != 4 || i == b.len() || b[i] != b'-' {
        return false;
    }
    let year: i64 = s[..4].parse().unwrap_or(0);
    let mut p = 5;
    let num = |p: &mut usize, max_digits: usize| -> Option<i64> {
        let start = *p;
        while *p < b.len() && b[*p].is_ascii_digit() && *p - start < max_digits {
            *p += 1;
        }
        if *p == start {
            return None;
        }
        s[start..*p].parse().ok()
    };
    let Some(month) = num(&mut p, 2) else {
        return false;
    };
    if p >= b.len() || b[p] != b'-' {
        return false;
    }
    p += 1;
    let Some(day) = num(&mut p, 2) else {
        return false;
    };
    if !(1..=12).contains(&month) || day < 1 || day > days_in(month, year) {
        return false;
    }
    if p == b.len() {
        return true;
    }
    let with_zone = match b[p] {
        b'T' | b't' => true,
        b' ' => false,
        _ => return false,
    };
    p += 1;
    let Some(h) = num(&mut p, 2) else {
        return false;
    };
    if p >= b.len() || b[p] != b':' {
        return false;
    }
    p += 1;
    let Some(m) = num(&mut p, 2) else {
        return false;
    };
    if p >= b.len() || b[p] != b':' {
        return false;
    }
    p += 1;
    let Some(sec) = num(&mut p, 2) else {
        return false;
    };
    if h > 23 || m > 59 || sec > 59 {
        return false;
    }
    if p < b.len() && b[p] == b'.' {
        let start = p + 1;
        p += 1;
        while p < b.len() && b[p].is_ascii_digit() {
            p += 1;
        }
        if p == start {
            return false;
        }
    }
    if !with_zone {
        return p == b.len();
    }
    if p < b.len() && b[p] == b'Z' {
        return p + 1 == b.len();
    }
    if p < b.len() && (b[p] == b'+' || b[p] == b'-') {
        let z = &s[p + 1..];
        let zb = z.as_bytes();
        return zb.len() == 5
            && zb[0].is_ascii_digit()
            && zb[1].is_ascii_digit()
            && zb[2] == b':'
            && zb[3].is_ascii_digit()
            && zb[4].is_ascii_digit();
    }
    false
}

fn days_in(month: i64, year: i64) -> i64 {
    match month {
        2 => {
            if (year % 4 == 0 && year % 100 != 0) || year % 400 == 0 {
                29
            } else {
                28
            }
        }
        4 | 6 | 9 | 11 => 30,
        _ => 31,
    }
}

#[derive(Default)]
struct Analysis {
    multiline: bool,
    flow_plain_allowed: bool,
    block_plain_allowed: bool,
    single_quoted_allowed: bool,
    block_allowed: bool,
}

fn is_printable(c: char) -> bool {
    let u = c as u32;
    u == 0x0A
        || (0x20..=0x7E).contains(&u)
        || (0xA0..=0xD7FF).contains(&u)
        || ((0xE000..=0xFFFD).contains(&u) && u != 0xFEFF)
}

fn is_break(c: char) -> bool {
    matches!(c, '\r' | '\n' | '\u{85}' | '\u{2028}' | '\u{2029}')
}

fn is_blank(c: char) -> bool {
    c == ' ' || c == '\t'
}

/// go-yaml's `yaml_emitter_analyze_scalar`. `v3` is go-yaml v3's version (for
/// `toYamlPretty`), where a tab only rules out plain and single-quoted styles (a literal block
/// may hold it); for v2 a tab is not printable and forces double quotes.
fn analyze(value: &[char], v3: bool) -> Analysis {
    if value.is_empty() {
        return Analysis {
            multiline: false,
            flow_plain_allowed: false,
            block_plain_allowed: true,
            single_quoted_allowed: true,
            block_allowed: false,
        };
    }
    let mut block_indicators = false;
    let mut flow_indicators = false;
    let mut line_breaks = false;
    let mut special_characters = false;
    let mut tab_characters = false;
    let mut leading_space = false;
    let mut leading_break = false;
    let mut trailing_space = false;
    let mut trailing_break = false;
    let mut break_space = false;
    let mut space_break = false;
    let mut previous_space = false;
    let mut previous_break = false;

    if value.len() >= 3 && (value[..3] == ['-', '-', '-'] || value[..3] == ['.', '.', '.']) {
        block_indicators = true;
        flow_indicators = true;
    }
    let mut preceded_by_whitespace = true;
    let n = value.len();
    for i in 0..n {
        let c = value[i];
        let followed_by_whitespace = i + 1 >= n || is_blank(value[i + 1]) || is_break(value[i + 1]);
        if i == 0 {
            match c {
                '#' | ',' | '[' | ']' | '{' | '}' | '&' | '*' | '!' | '|' | '>' | '\'' | '"'
                | '%' | '@' | '`' => {
                    flow_indicators = true;
                    block_indicators = true;
                }
                '?' | ':' => {
                    flow_indicators = true;
                    if followed_by_whitespace {
                        block_indicators = true;
                    }
                }
                '-' if followed_by_whitespace => {
                    flow_indicators = true;
                    block_indicators = true;
                }
                _ => {}
            }
        } else {
            match c {
                ',' | '?' | '[' | ']' | '{' | '}' => flow_indicators = true,
                ':' => {
                    flow_indicators = true;
                    if followed_by_whitespace {
                        block_indicators = true;
                    }
                }
                '#' if preceded_by_whitespace => {
                    flow_indicators = true;
                    block_indicators = true;
                }
                _ => {}
            }
        }
        if v3 && c == '\t' {
            tab_characters = true;
        } else if !is_printable(c) {
            special_characters = true;
        }
        if c == ' ' {
            if i == 0 {
                leading_space = true;
            }
            if i + 1 == n {
                trailing_space = true;
            }
            if previous_break {
                break_space = true;
            }
            previous_space = true;
            previous_break = false;
        } else if is_break(c) {
            line_breaks = true;
            if i == 0 {
                leading_break = true;
            }
            if i + 1 == n {
                trailing_break = true;
            }
            if previous_space {
                space_break = true;
            }
            previous_space = false;
            previous_break = true;
        } else {
            previous_space = false;
            previous_break = false;
        }
        preceded_by_whitespace = is_blank(c) || is_break(c) || c == '\0';
    }
    let mut a = Analysis {
        multiline: line_breaks,
        flow_plain_allowed: true,
        block_plain_allowed: true,
        single_quoted_allowed: true,
        block_allowed: true,
    };
    if leading_space || leading_break || trailing_space || trailing_break {
        a.flow_plain_allowed = false;
        a.block_plain_allowed = false;
    }
    if trailing_space {
        a.block_allowed = false;
    }
    if break_space {
        a.flow_plain_allowed = false;
        a.block_plain_allowed = false;
        a.single_quoted_allowed = false;
    }
    if space_break || tab_characters || special_characters {
        a.flow_plain_allowed = false;
        a.block_plain_allowed = false;
        a.single_quoted_allowed = false;
    }
    if space_break || special_characters {
        a.block_allowed = false;
    }
    if line_breaks {
        a.flow_plain_allowed = false;
        a.block_plain_allowed = false;
    }
    if flow_indicators {
        a.flow_plain_allowed = false;
    }
    if block_indicators {
        a.block_plain_allowed = false;
    }
    a
}

struct Emitter {
    /// go-yaml v3 style (`toYamlPretty`): indented sequences, no folding.
    pretty: bool,
    out: String,
    indent: i64,
    indents: Vec<i64>,
    column: i64,
    whitespace: bool,
    indention: bool,
    flow_level: i64,
    root_context: bool,
    sequence_context: bool,
    mapping_context: bool,
    simple_key_context: bool,
    /// The characters of the scalar being written (one buffer reused for every scalar).
    chars: Vec<char>,
}

impl Emitter {
    fn width(&self) -> i64 {
        if self.pretty { i64::MAX } else { BEST_WIDTH }
    }

    fn put(&mut self, c: char) {
        self.out.push(c);
        self.column += 1;
    }

    fn put_break(&mut self) {
        self.out.push('\n');
        self.column = 0;
    }

    fn write_char(&mut self, c: char) {
        self.out.push(c);
        self.column += 1;
    }

    fn write_break_char(&mut self, c: char) {
        if c == '\n' {
            self.put_break();
        } else {
            self.out.push(c);
            self.column = 0;
        }
    }

    fn increase_indent(&mut self, flow: bool, indentless: bool) {
        self.indents.push(self.indent);
        if self.indent < 0 {
            self.indent = if flow { BEST_INDENT } else { 0 };
        } else if !indentless {
            self.indent += BEST_INDENT;
        }
    }

    fn pop_indent(&mut self) {
        self.indent = self.indents.pop().unwrap_or(-1);
    }

    fn write_indent(&mut self) {
        let indent = self.indent.max(0);
        if !self.indention || self.column > indent || (self.column == indent && !self.whitespace) {
            self.put_break();
        }
        while self.column < indent {
            self.put(' ');
        }
        self.whitespace = true;
        self.indention = true;
    }

    fn write_indicator(&mut self, ind: &str, need_ws: bool, is_ws: bool, is_indention: bool) {
        if need_ws && !self.whitespace {
            self.put(' ');
        }
        for c in ind.chars() {
            self.write_char(c);
        }
        self.whitespace = is_ws;
        self.indention = self.indention && is_indention;
    }

    fn emit_node(&mut self, node: &Node, root: bool, seq: bool, map: bool, simple_key: bool) {
        self.root_context = root;
        self.sequence_context = seq;
        self.mapping_context = map;
        self.simple_key_context = simple_key;
        match node {
            Node::Scalar(s, style) => self.emit_scalar(s, *style),
            Node::Seq(items) => {
                if self.flow_level > 0 || items.is_empty() {
                    self.write_indicator("[", true, true, false);
                    self.increase_indent(true, false);
                    self.flow_level += 1;
                    // Only empty sequences are written in flow style here.
                    self.flow_level -= 1;
                    self.pop_indent();
                    self.write_indicator("]", false, false, false);
                } else {
                    let indentless = !self.pretty && self.mapping_context && !self.indention;
                    self.increase_indent(false, indentless);
                    for item in items {
                        self.write_indent();
                        self.write_indicator("-", true, false, true);
                        self.emit_node(item, false, true, false, false);
                    }
                    self.pop_indent();
                }
            }
            Node::Map(entries) => {
                if self.flow_level > 0 || entries.is_empty() {
                    self.write_indicator("{", true, true, false);
                    self.increase_indent(true, false);
                    self.pop_indent();
                    self.write_indicator("}", false, false, false);
                } else {
                    self.increase_indent(false, false);
                    for (k, v) in entries {
                        self.write_indent();
                        if check_simple_key(k) {
                            self.emit_node(k, false, false, true, true);
                            self.write_indicator(":", false, false, false);
                        } else {
                            self.write_indicator("?", true, false, true);
                            self.emit_node(k, false, false, true, false);
                            self.write_indent();
                            self.write_indicator(":", true, false, true);
                        }
                        self.emit_node(v, false, false, true, false);
                    }
                    self.pop_indent();
                }
            }
        }
    }

    fn emit_scalar(&mut self, value: &str, requested: Style) {
        let mut chars = std::mem::take(&mut self.chars);
        chars.clear();
        chars.extend(value.chars());
        let a = analyze(&chars, self.pretty);
        let mut style = requested;
        if self.simple_key_context && a.multiline {
            style = Style::Double;
        }
        if style == Style::Plain {
            if (self.flow_level > 0 && !a.flow_plain_allowed)
                || (self.flow_level == 0 && !a.block_plain_allowed)
            {
                style = Style::Single;
            }
            if chars.is_empty() && (self.flow_level > 0 || self.simple_key_context) {
                style = Style::Single;
            }
        }
        if style == Style::Single && !a.single_quoted_allowed {
            style = Style::Double;
        }
        if style == Style::Literal
            && (!a.block_allowed || self.flow_level > 0 || self.simple_key_context)
        {
            style = Style::Double;
        }
        self.increase_indent(true, false);
        let allow_breaks = !self.simple_key_context;
        match style {
            Style::Plain => self.write_plain(&chars, value, allow_breaks),
            Style::Single => self.write_single(&chars, allow_breaks),
            Style::Double => self.write_double(&chars, allow_breaks),
            Style::Literal => self.write_literal(&chars),
        }
        self.chars = chars;
        self.pop_indent();
    }

    /// `v` is the characters of `text`.
    fn write_plain(&mut self, v: &[char], text: &str, allow_breaks: bool) {
        if !self.whitespace {
            self.put(' ');
        }
        if !v.iter().any(|&c| c == ' ' || is_break(c)) {
            // No place to fold and no line breaks: the text as it is.
            self.out.push_str(text);
            self.column += v.len() as i64;
            self.whitespace = false;
            self.indention = false;
            return;
        }
        let mut spaces = false;
        let mut breaks = false;
        let mut i = 0;
        while i < v.len() {
            let c = v[i];
            if c == ' ' {
                let next_space = v.get(i + 1) == Some(&' ');
                if allow_breaks && !spaces && self.column > self.width() && !next_space {
                    self.write_indent();
                } else {
                    self.write_char(c);
                }
                i += 1;
                spaces = true;
            } else if is_break(c) {
                if !breaks && c == '\n' {
                    self.put_break();
                }
                self.write_break_char(c);
                i += 1;
                self.indention = true;
                breaks = true;
            } else {
                if breaks {
                    self.write_indent();
                }
                self.write_char(c);
                i += 1;
                self.indention = false;
                spaces = false;
                breaks = false;
            }
        }
        self.whitespace = false;
        self.indention = false;
    }

    fn write_single(&mut self, v: &[char], allow_breaks: bool) {
        self.write_indicator("'", true, false, false);
        let mut spaces = false;
        let mut breaks = false;
        let mut i = 0;
        while i < v.len() {
            let c = v[i];
            if c == ' ' {
                let next_space = v.get(i + 1) == Some(&' ');
                if allow_breaks
                    && !spaces
                    && self.column > self.width()
                    && i > 0
                    && i < v.len() - 1
                    && !next_space
                {
                    self.write_indent();
                } else {
                    self.write_char(c);
                }
                i += 1;
                spaces = true;
            } else if is_break(c) {
                if !breaks && c == '\n' {
                    self.put_break();
                }
                self.write_break_char(c);
                i += 1;
                self.indention = true;
                breaks = true;
            } else {
                if breaks {
                    self.write_indent();
                }
                if c == '\'' {
                    self.put('\'');
                }
                self.write_char(c);
                i += 1;
                self.indention = false;
                spaces = false;
                breaks = false;
            }
        }
        self.write_indicator("'", false, false, false);
        self.whitespace = false;
        self.indention = false;
    }

    fn write_double(&mut self, v: &[char], allow_breaks: bool) {
        let starts_with_bom = v.first() == Some(&'\u{FEFF}');
        let mut spaces = false;
        self.write_indicator("\"", true, false, false);
        let mut i = 0;
        while i < v.len() {
            let c = v[i];
            if !is_printable(c) || starts_with_bom || is_break(c) || c == '"' || c == '\\' {
                i += 1;
                self.put('\\');
                match c as u32 {
                    0x00 => self.put('0'),
                    0x07 => self.put('a'),
                    0x08 => self.put('b'),
                    0x09 => self.put('t'),
                    0x0A => self.put('n'),
                    0x0B => self.put('v'),
                    0x0C => self.put('f'),
                    0x0D => self.put('r'),
                    0x1B => self.put('e'),
                    0x22 => self.put('"'),
                    0x5C => self.put('\\'),
                    0x85 => self.put('N'),
                    0xA0 => self.put('_'),
                    0x2028 => self.put('L'),
                    0x2029 => self.put('P'),
                    u => {
                        let (letter, w) = if u <= 0xFF {
                            ('x', 2)
                        } else if u <= 0xFFFF {
                            ('u', 4)
                        } else {
                            ('U', 8)
                        };
                        self.put(letter);
                        let hex = format!("{u:0w$X}");
                        for h in hex.chars() {
                            self.put(h);
                        }
                    }
                }
                spaces = false;
            } else if c == ' ' {
                if allow_breaks && !spaces && self.column > self.width() && i > 0 && i < v.len() - 1
                {
                    self.write_indent();
                    if v.get(i + 1) == Some(&' ') {
                        self.put('\\');
                    }
                    i += 1;
                } else {
                    self.write_char(c);
                    i += 1;
                }
                spaces = true;
            } else {
                self.write_char(c);
                i += 1;
                spaces = false;
            }
        }
        self.write_indicator("\"", false, false, false);
        self.whitespace = false;
        self.indention = false;
    }

    fn write_literal(&mut self, v: &[char]) {
        self.write_indicator("|", true, false, false);
        // Block scalar hints.
        if v.first().is_some_and(|c| *c == ' ' || is_break(*c)) {
            self.write_indicator(&BEST_INDENT.to_string(), false, false, false);
        }
        let chomp = match v.last() {
            None => Some("-"),
            Some(&last) if !is_break(last) => Some("-"),
            Some(_) if v.len() == 1 => Some("+"),
            Some(_) => {
                if is_break(v[v.len() - 2]) {
                    Some("+")
                } else {
                    None
                }
            }
        };
        if let Some(ch) = chomp {
            self.write_indicator(ch, false, false, false);
        }
        self.put_break();
        self.indention = true;
        self.whitespace = true;
        let mut breaks = true;
        for &c in v {
            if is_break(c) {
                self.write_break_char(c);
                self.indention = true;
                breaks = true;
            } else {
                if breaks {
                    self.write_indent();
                }
                self.write_char(c);
                self.indention = false;
                breaks = false;
            }
        }
    }
}

fn check_simple_key(k: &Node) -> bool {
    match k {
        Node::Scalar(s, _) => {
            if s.contains(is_break) {
                return false;
            }
            s.len() <= 128
        }
        Node::Seq(items) => items.is_empty(),
        Node::Map(entries) => entries.is_empty(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn pretty_indents_sequences_and_keeps_floats() {
        let v = Value::from_json_floats(&json!({"x": [1, {"a": 1, "b": [3]}], "n": 1000000}));
        assert_eq!(
            to_yaml_pretty(&v).unwrap(),
            "\"n\": 1e+06\nx:\n  - 1\n  - a: 1\n    b:\n      - 3\n"
        );
    }

    fn y(v: serde_json::Value) -> String {
        to_yaml(&Value::from_json_floats(&v)).unwrap()
    }

    #[test]
    fn maps_lists_and_scalars() {
        assert_eq!(
            y(json!({"b": 1, "a": [1, 2, "x"], "m": {"k": true, "n": null}})),
            "a:\n- 1\n- 2\n- x\nb: 1\nm:\n  k: true\n  \"n\": null\n"
        );
        assert_eq!(y(json!([])), "[]\n");
        assert_eq!(y(json!({})), "{}\n");
        assert_eq!(y(json!({"e": [], "f": {}})), "e: []\nf: {}\n");
        assert_eq!(
            y(json!([[1, 2], {"a": 1, "b": 2}])),
            "- - 1\n  - 2\n- a: 1\n  b: 2\n"
        );
        assert_eq!(y(json!("foo")), "foo\n");
        assert_eq!(y(json!(null)), "null\n");
    }

    #[test]
    fn numbers_like_go_yaml() {
        assert_eq!(y(json!(1000000.0)), "1000000\n");
        assert_eq!(y(json!(1.5)), "1.5\n");
        assert_eq!(y(json!(1e21)), "1e+21\n");
        assert_eq!(y(json!(0.000001)), "1e-06\n");
        assert_eq!(y(json!(2.0)), "2\n");
    }

    #[test]
    fn quoting_like_go_yaml() {
        let table: &[(&str, &str)] = &[
            ("true", "\"true\""),
            ("yes", "\"yes\""),
            ("on", "\"on\""),
            ("null", "\"null\""),
            ("~", "\"~\""),
            ("", "\"\""),
            ("123", "\"123\""),
            ("1.5", "\"1.5\""),
            ("0x1F", "\"0x1F\""),
            ("1e3", "\"1e3\""),
            ("08", "\"08\""),
            ("1_000", "\"1_000\""),
            ("2021-01-01", "\"2021-01-01\""),
            ("1:20", "\"1:20\""),
            ("*", "'*'"),
            ("a: b", "'a: b'"),
            ("a #b", "'a #b'"),
            (" lead", "' lead'"),
            ("trail ", "'trail '"),
            ("-", "'-'"),
            ("- x", "'- x'"),
            ("it's", "it's"),
            ("@x", "'@x'"),
            ("tab\there", "\"tab\\there\""),
            ("é", "é"),
            ("😀", "\"\\U0001F600\""),
            ("hello world", "hello world"),
            ("a:b", "a:b"),
            ("http://x", "http://x"),
        ];
        for (s, want) in table {
            assert_eq!(y(json!(s)), format!("{want}\n"), "string {s:?}");
        }
    }

    #[test]
    fn literal_blocks() {
        assert_eq!(y(json!({"a": "x\ny"})), "a: |-\n  x\n  y\n");
        assert_eq!(y(json!({"a": "x\ny\n"})), "a: |\n  x\n  y\n");
        assert_eq!(y(json!({"a": "x\n\n"})), "a: |+\n  x\n\n");
        assert_eq!(y(json!({"a": " x\ny"})), "a: |2-\n   x\n  y\n");
        assert_eq!(y(json!({"a": "x \ny"})), "a: \"x \\ny\"\n");
    }

    #[test]
    fn nel_folds_like_the_json_round_trip() {
        assert_eq!(y(json!("x\u{85}y")), "x y\n");
        assert_eq!(y(json!("x  \u{85}  y")), "x y\n");
        assert_eq!(y(json!("x\u{85}\u{85}\u{85}y")), "|-\n  x\n\n  y\n");
        assert_eq!(y(json!({"b a0": [{"a": "c\u{85}"}]})), "b a0:\n- a: 'c '\n");
        assert_eq!(y(json!("x  y")), "x  y\n");
        let v = Value::from_json_floats(&json!("x\u{85}y"));
        assert_eq!(to_yaml_pretty(&v).unwrap(), "\"x\\Ny\"\n");
    }

    #[test]
    fn keys_go_yaml_cannot_read_back_are_errors() {
        let err = |v: serde_json::Value| to_yaml(&Value::from_json_floats(&v)).unwrap_err();
        let no_line = "yaml: did not find expected ',' or '}'";
        assert_eq!(
            err(json!({"x": {"a\u{85}": 1}})),
            "yaml: line 1: did not find expected ',' or '}'"
        );
        assert_eq!(
            err(json!({"a": "\u{85}\u{85}", "b\u{85}": 1})),
            "yaml: line 3: did not find expected ',' or '}'"
        );
        assert_eq!(err(json!({"a".repeat(1023): 1})), no_line);
        assert_eq!(err(json!({"<".repeat(200): 1})), no_line);
        assert_eq!(err(json!([{"é".repeat(1023): 1}])), no_line);
        assert!(to_yaml(&Value::from_json_floats(&json!({"a".repeat(1022): 1}))).is_ok());
        assert!(
            to_yaml(&Value::from_json_floats(
                &json!({"é".repeat(1022): "\u{85}".repeat(2000)})
            ))
            .is_ok()
        );
        assert!(to_yaml(&Value::from_json_floats(&json!(["a".repeat(5000)]))).is_ok());
        let pretty = to_yaml_pretty(&Value::from_json_floats(&json!({"a".repeat(1023): 1})));
        assert!(pretty.is_ok());
    }

    #[test]
    fn tabs_allow_literal_blocks_only_in_pretty() {
        let v = Value::from_json_floats(&json!({"l": "x\n\ttab\n", "t": "a\tb"}));
        assert_eq!(
            to_yaml_pretty(&v).unwrap(),
            "l: |\n  x\n  \ttab\nt: \"a\\tb\"\n"
        );
        assert_eq!(to_yaml(&v).unwrap(), "l: \"x\\n\\ttab\\n\"\nt: \"a\\tb\"\n");
    }

    #[test]
    fn long_strings_fold_at_80() {
        let long = "aaaa bbbb cccc dddd eeee ffff gggg hhhh iiii jjjj kkkk llll mmmm nnnn oooo pppp qqqq rrrr ssss tttt";
        assert_eq!(
            y(json!({"long": long})),
            "long: aaaa bbbb cccc dddd eeee ffff gggg hhhh iiii jjjj kkkk llll mmmm nnnn oooo pppp\n  qqqq rrrr ssss tttt\n"
        );
    }

    #[test]
    fn natural_key_order() {
        let mut keys = vec!["a10", "a2", "b", "A", "_x", "1", "10", "9", "a01", "a1"];
        merge_sort_by(&mut keys, &|a: &&str, b: &&str| natural_less(a, b));
        assert_eq!(
            keys,
            vec!["_x", "1", "9", "10", "A", "a1", "a01", "a2", "a10", "b"]
        );
    }

    #[test]
    fn natural_order_of_ascii_bytes_is_that_of_runes() {
        let keys = [
            "a10", "a2", "b", "A", "_x", "1", "10", "09", "a01", "a1", "a-1", "", "x0y",
        ];
        for a in keys {
            for b in keys {
                let (ar, br): (Vec<char>, Vec<char>) = (a.chars().collect(), b.chars().collect());
                assert_eq!(
                    natural_less(a, b),
                    natural_less_runes(&ar, &br),
                    "{a} < {b}"
                );
            }
        }
        assert!(natural_less("é1", "é2") && natural_less("é2", "é10"));
    }

    #[test]
    fn plain_scalars_without_spaces_print_as_they_are() {
        let v = Value::from_json(&serde_json::json!({"k": "abc:def", "l": ["x", "a b"]}));
        assert_eq!(to_yaml(&v).unwrap(), "k: abc:def\nl:\n- x\n- a b\n");
    }
}
