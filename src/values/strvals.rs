//! Helm's `--set` grammar (`pkg/strvals`), written from its rules and tests: `a.b=v`, `l[0]=v`,
//! `{x,y}` lists, backslash escapes, type inference for `--set`, all-strings for `--set-string`,
//! file contents for `--set-file`, one JSON value per key for `--set-json key=value`, and the
//! escape-free `--set-literal` form (public functions in [`super::literal`]). Limits and error
//! texts are Helm's; where Go would panic on a type conflict this returns Helm's
//! `unable to parse key: interface conversion: …` error instead.
//!
//! Owns: turning one flag value into writes on a [`Map`]. Must not read files itself (the caller
//! passes a reader for `--set-file`), merge whole maps, or print. Beyond Helm, the parser also
//! bounds nesting depth ([`MAX_DEPTH`]) and the number of list elements a flag may create
//! ([`MAX_LIST_ELEMENTS`]) so hostile input fails fast instead of exhausting memory or stack.

use super::gofmt::{self, IntError};
use crate::yaml::NumberModel;
use crate::{Map, Value};

/// The largest list index accepted (Helm's `MaxIndex`).
pub const MAX_INDEX: i64 = 65536;
/// The most `.` separators a key path may have (Helm's `MaxNestedNameLevel`).
pub const MAX_NESTED_NAME_LEVEL: usize = 30;
/// chartroom's own bound on map + list nesting in one key path (Helm has none for `[i]` and
/// for dots after `]`, which lets a crafted flag overflow the stack).
pub const MAX_DEPTH: usize = 256;
/// chartroom's own bound on list elements created by growing lists (`a[65536]` creates 65,537),
/// counted over one parse call, or over all flags of one [`super::merge_user_values`] call.
pub const MAX_LIST_ELEMENTS: usize = 1 << 20;

/// A `--set`-family parse error. The message is Helm's text; a few errors that wrap Go's
/// `io.EOF` end parsing quietly, as in Helm (`noval[0]` yields `{noval: []}` without error).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{message}")]
pub struct ParseError {
    message: String,
    eof: bool,
}

impl ParseError {
    fn msg(message: impl Into<String>) -> Self {
        ParseError {
            message: message.into(),
            eof: false,
        }
    }

    fn eof() -> Self {
        ParseError {
            message: "EOF".into(),
            eof: true,
        }
    }

    fn wrap(prefix: &str, inner: ParseError) -> Self {
        ParseError {
            message: format!("{prefix}{}", inner.message),
            eof: inner.eof,
        }
    }

    /// Helm's error text.
    pub fn message(&self) -> &str {
        &self.message
    }
}

/// Reads the file a `--set-file` value names and returns the value to store (Helm stores the
/// contents as a string). The error text is shown after `failed parsing --set-file data: `.
pub type FileReader<'r> = dyn FnMut(&str) -> Result<Value, String> + 'r;

/// The remaining budget of list elements a parse may create; shared across flags by the caller.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Budget {
    list_elements: usize,
}

impl Default for Budget {
    fn default() -> Self {
        Budget {
            list_elements: MAX_LIST_ELEMENTS,
        }
    }
}

/// How values after `=` are read.
pub(crate) enum Mode<'r> {
    /// `--set`: type inference.
    Typed,
    /// `--set-string`: every scalar is a string.
    Strings,
    /// `--set-file`: each value is a path handed to the reader.
    File(&'r mut FileReader<'r>),
    /// `--set-json key=value`: one JSON value per key.
    Json(NumberModel),
    /// `--set-literal`: no escapes, no lists; the value is the rest of the input.
    Literal,
}

/// Parses `--set` data into a new map.
pub fn parse(s: &str) -> Result<Map, ParseError> {
    let mut m = Map::new();
    parse_into(s, &mut m)?;
    Ok(m)
}

/// Parses `--set-string` data into a new map.
pub fn parse_string(s: &str) -> Result<Map, ParseError> {
    let mut m = Map::new();
    parse_into_string(s, &mut m)?;
    Ok(m)
}

/// Parses `--set` data into `dest`, overwriting the keys it names (Helm's `ParseInto`).
pub fn parse_into(s: &str, dest: &mut Map) -> Result<(), ParseError> {
    run(s, dest, Mode::Typed, &mut Budget::default())
}

/// Parses `--set-string` data into `dest` (Helm's `ParseIntoString`).
pub fn parse_into_string(s: &str, dest: &mut Map) -> Result<(), ParseError> {
    run(s, dest, Mode::Strings, &mut Budget::default())
}

/// Parses `--set-file` data into a new map, reading each value with `reader`.
pub fn parse_file(s: &str, reader: &mut FileReader<'_>) -> Result<Map, ParseError> {
    let mut m = Map::new();
    parse_into_file(s, &mut m, reader)?;
    Ok(m)
}

/// Parses `--set-file` data into `dest` (Helm's `ParseIntoFile`).
pub fn parse_into_file(
    s: &str,
    dest: &mut Map,
    reader: &mut FileReader<'_>,
) -> Result<(), ParseError> {
    run(s, dest, Mode::File(reader), &mut Budget::default())
}

/// Parses `--set-json` `key=<json>` data into `dest` (Helm's `ParseJSON`). An empty value is
/// `null`; the JSON value replaces what the path held. With [`NumberModel::Helm`] JSON numbers
/// become float64 as in Helm.
pub fn parse_json(s: &str, dest: &mut Map, model: NumberModel) -> Result<(), ParseError> {
    run(s, dest, Mode::Json(model), &mut Budget::default())
}

/// Runs one parse over `s` (the whole flag value) in the given mode.
pub(crate) fn run(
    s: &str,
    dest: &mut Map,
    mode: Mode<'_>,
    budget: &mut Budget,
) -> Result<(), ParseError> {
    let mut p = Parser {
        src: s,
        pos: 0,
        mode,
        budget,
    };
    loop {
        match p.key(dest, 0, 0) {
            Ok(()) => continue,
            Err(e) if e.eof => return Ok(()),
            Err(e) => return Err(e),
        }
    }
}

/// The outcome of reading up to a stop character.
enum Until {
    Stop(String, char),
    Eof(String),
}

/// Why `{a,b}` list syntax did not give a list.
enum ListErr {
    Eof,
    NotList,
    Failed(ParseError),
}

struct Parser<'s, 'r, 'b> {
    src: &'s str,
    pos: usize,
    mode: Mode<'r>,
    budget: &'b mut Budget,
}

/// Helm's panic message when a path goes through a value of the wrong type.
fn conversion(found: &Value, wanted: &str) -> ParseError {
    ParseError::msg(format!(
        "unable to parse key: interface conversion: interface {{}} is {}, not {wanted}",
        gofmt::type_name(found)
    ))
}

const MAP_TYPE: &str = "map[string]interface {}";
const LIST_TYPE: &str = "[]interface {}";

fn set(data: &mut Map, key: &str, val: Value) {
    if !key.is_empty() {
        data.insert(key.to_string(), val);
    }
}

impl Parser<'_, '_, '_> {
    fn literal(&self) -> bool {
        matches!(self.mode, Mode::Literal)
    }

    fn read(&mut self) -> Option<char> {
        let c = self.src[self.pos..].chars().next()?;
        self.pos += c.len_utf8();
        Some(c)
    }

    fn unread(&mut self, c: char) {
        self.pos -= c.len_utf8();
    }

    /// Reads runes up to one of `stop`; in the escaping modes a backslash makes the next rune
    /// literal (a lone trailing backslash is dropped).
    fn until(&mut self, stop: &[char]) -> Until {
        let escapes = !self.literal();
        let mut v = String::new();
        loop {
            match self.read() {
                None => return Until::Eof(v),
                Some(c) if stop.contains(&c) => return Until::Stop(v, c),
                Some('\\') if escapes => match self.read() {
                    None => return Until::Eof(v),
                    Some(next) => v.push(next),
                },
                Some(c) => v.push(c),
            }
        }
    }

    fn rest(&mut self) -> String {
        let v = self.src[self.pos..].to_string();
        self.pos = self.src.len();
        v
    }

    fn check_depth(depth: usize) -> Result<(), ParseError> {
        if depth > MAX_DEPTH {
            return Err(ParseError::msg(format!(
                "key path nests maps and lists deeper than the maximum supported depth of {MAX_DEPTH}"
            )));
        }
        Ok(())
    }

    fn key(&mut self, data: &mut Map, level: usize, depth: usize) -> Result<(), ParseError> {
        Self::check_depth(depth)?;
        let stop: &[char] = if self.literal() {
            &['=', '[', '.']
        } else {
            &['=', '[', ',', '.']
        };
        match self.until(stop) {
            Until::Eof(k) => {
                if k.is_empty() {
                    Err(ParseError::eof())
                } else {
                    Err(ParseError::msg(format!(
                        "key {} has no value",
                        gofmt::quote(&k)
                    )))
                }
            }
            Until::Stop(k, '[') => {
                let i = self
                    .key_index()
                    .map_err(|e| ParseError::wrap("error parsing index: ", e))?;
                let list = match data.get_mut(&k) {
                    None => Vec::new(),
                    Some(Value::Array(a)) if !k.is_empty() => std::mem::take(a),
                    Some(Value::Array(a)) => a.clone(),
                    Some(other) => return Err(conversion(other, LIST_TYPE)),
                };
                let (list, result) = self.list_item(list, i, level, depth + 1);
                set(data, &k, Value::Array(list));
                result
            }
            Until::Stop(k, '=') => self.assign(data, &k),
            Until::Stop(k, ',') => {
                set(data, &k, Value::String(String::new()));
                Err(ParseError::msg(format!(
                    "key {} has no value (cannot end with ,)",
                    gofmt::quote(&k)
                )))
            }
            Until::Stop(k, _dot) => {
                let level = level + 1;
                if level > MAX_NESTED_NAME_LEVEL {
                    return Err(ParseError::msg(format!(
                        "value name nested level is greater than maximum supported nested level of {MAX_NESTED_NAME_LEVEL}"
                    )));
                }
                match data.get_mut(&k) {
                    Some(Value::Object(inner)) => {
                        // An existing map is written in place, as Go's shared maps are.
                        let e = self.key(inner, level, depth + 1);
                        if e.is_ok() && inner.is_empty() {
                            return Err(ParseError::msg(format!(
                                "key map {} has no value",
                                gofmt::quote(&k)
                            )));
                        }
                        e
                    }
                    Some(other) => Err(conversion(other, MAP_TYPE)),
                    None => {
                        let mut inner = Map::new();
                        let e = self.key(&mut inner, level, depth + 1);
                        if e.is_ok() && inner.is_empty() {
                            return Err(ParseError::msg(format!(
                                "key map {} has no value",
                                gofmt::quote(&k)
                            )));
                        }
                        if !inner.is_empty() {
                            set(data, &k, Value::Object(inner));
                        }
                        e
                    }
                }
            }
        }
    }

    /// `key=` seen: read and store the value.
    fn assign(&mut self, data: &mut Map, k: &str) -> Result<(), ParseError> {
        match self.mode {
            Mode::Literal => {
                let v = self.rest();
                set(data, k, Value::String(v));
                Ok(())
            }
            Mode::Json(model) => {
                if self.empty_val() {
                    set(data, k, Value::Null);
                    return Ok(());
                }
                let v = self.json_value(model)?;
                set(data, k, v);
                self.empty_val();
                Ok(())
            }
            _ => match self.val_list() {
                Ok(list) => {
                    set(data, k, Value::Array(list));
                    Ok(())
                }
                Err(ListErr::Eof) => {
                    set(data, k, Value::String(String::new()));
                    Err(ParseError::eof())
                }
                Err(ListErr::NotList) => {
                    let raw = self.val();
                    match self.convert(&raw) {
                        Ok(v) => {
                            set(data, k, v);
                            Ok(())
                        }
                        Err(e) => {
                            set(data, k, Value::Null);
                            Err(e)
                        }
                    }
                }
                Err(ListErr::Failed(e)) => Err(e),
            },
        }
    }

    fn key_index(&mut self) -> Result<i64, ParseError> {
        match self.until(&[']']) {
            Until::Eof(_) => Err(ParseError::eof()),
            Until::Stop(v, _) => gofmt::parse_int(&v).map_err(|e: IntError| {
                ParseError::msg(format!(
                    "strconv.Atoi: parsing {}: {}",
                    gofmt::quote(&v),
                    e.text()
                ))
            }),
        }
    }

    /// Sets `list[index] = val`, growing the list with nulls (Helm's `setIndex`).
    fn set_index(
        &mut self,
        mut list: Vec<Value>,
        index: i64,
        val: Value,
    ) -> (Vec<Value>, Result<(), ParseError>) {
        if index < 0 {
            return (
                list,
                Err(ParseError::msg(format!(
                    "negative {index} index not allowed"
                ))),
            );
        }
        if index > MAX_INDEX {
            return (
                list,
                Err(ParseError::msg(format!(
                    "index of {index} is greater than maximum supported index of {MAX_INDEX}"
                ))),
            );
        }
        let index = index as usize;
        if list.len() <= index {
            let grow = index + 1 - list.len();
            if grow > self.budget.list_elements {
                return (
                    list,
                    Err(ParseError::msg(format!(
                        "list indexes would create more than {MAX_LIST_ELEMENTS} list elements in total; use smaller indexes"
                    ))),
                );
            }
            self.budget.list_elements -= grow;
            list.resize(index + 1, Value::Null);
        }
        list[index] = val;
        (list, Ok(()))
    }

    /// After `name[i]`: what follows the index (Helm's `listItem`).
    fn list_item(
        &mut self,
        mut list: Vec<Value>,
        i: i64,
        level: usize,
        depth: usize,
    ) -> (Vec<Value>, Result<(), ParseError>) {
        if i < 0 {
            return (
                list,
                Err(ParseError::msg(format!("negative {i} index not allowed"))),
            );
        }
        if let Err(e) = Self::check_depth(depth) {
            return (list, Err(e));
        }
        match self.until(&['[', '.', '=']) {
            Until::Stop(k, _) | Until::Eof(k) if !k.is_empty() => (
                list,
                Err(ParseError::msg(format!(
                    "unexpected data at end of array index: {}",
                    gofmt::quote_runes(&k)
                ))),
            ),
            Until::Eof(_) => (list, Err(ParseError::eof())),
            Until::Stop(_, '=') => match self.mode {
                Mode::Literal => {
                    let v = self.rest();
                    self.set_index(list, i, Value::String(v))
                }
                Mode::Json(model) => {
                    if self.empty_val() {
                        return self.set_index(list, i, Value::Null);
                    }
                    let v = match self.json_value(model) {
                        Ok(v) => v,
                        Err(e) => return (list, Err(e)),
                    };
                    let (list, r) = self.set_index(list, i, v);
                    if r.is_ok() {
                        self.empty_val();
                    }
                    (list, r)
                }
                _ => match self.val_list() {
                    Ok(vl) => self.set_index(list, i, Value::Array(vl)),
                    Err(ListErr::Eof) => self.set_index(list, i, Value::String(String::new())),
                    Err(ListErr::NotList) => {
                        let raw = self.val();
                        match self.convert(&raw) {
                            Ok(v) => self.set_index(list, i, v),
                            Err(e) => (list, Err(e)),
                        }
                    }
                    Err(ListErr::Failed(e)) => (list, Err(e)),
                },
            },
            Until::Stop(_, '[') => {
                let next = match self.key_index() {
                    Ok(n) => n,
                    Err(e) => return (list, Err(ParseError::wrap("error parsing index: ", e))),
                };
                let idx = i as usize;
                let current = if list.len() > idx {
                    match &mut list[idx] {
                        Value::Null => Vec::new(),
                        Value::Array(a) => std::mem::take(a),
                        other => {
                            let e = conversion(other, LIST_TYPE);
                            return (list, Err(e));
                        }
                    }
                } else {
                    Vec::new()
                };
                let existed = list.len() > idx && list[idx].is_array();
                let (inner, r) = self.list_item(current, next, level, depth + 1);
                match r {
                    Ok(()) => self.set_index(list, i, Value::Array(inner)),
                    Err(e) => {
                        // Go shares the nested list's storage: in-place edits stay visible.
                        if existed {
                            list[idx] = Value::Array(inner);
                        }
                        (list, Err(e))
                    }
                }
            }
            Until::Stop(_, _dot) => {
                let idx = i as usize;
                if list.len() > idx {
                    if !list[idx].is_object() {
                        list[idx] = Value::Object(Map::new());
                    }
                    let r = match &mut list[idx] {
                        Value::Object(inner) => self.key(inner, level, depth + 1),
                        _ => Ok(()),
                    };
                    // The element was edited in place; setIndex would store the same map.
                    (list, r)
                } else {
                    let mut inner = Map::new();
                    match self.key(&mut inner, level, depth + 1) {
                        Ok(()) => self.set_index(list, i, Value::Object(inner)),
                        Err(e) => (list, Err(e)),
                    }
                }
            }
        }
    }

    /// Consumes spaces; true (and consumes the comma) when the value is empty.
    fn empty_val(&mut self) -> bool {
        loop {
            match self.read() {
                None | Some(',') => return true,
                Some(c) if c.is_whitespace() => {}
                Some(c) => {
                    self.unread(c);
                    return false;
                }
            }
        }
    }

    fn val(&mut self) -> String {
        match self.until(&[',']) {
            Until::Stop(v, _) | Until::Eof(v) => v,
        }
    }

    /// `{a,b,c}` list syntax (Helm's `valList`).
    fn val_list(&mut self) -> Result<Vec<Value>, ListErr> {
        match self.read() {
            None => return Err(ListErr::Eof),
            Some('{') => {}
            Some(c) => {
                self.unread(c);
                return Err(ListErr::NotList);
            }
        }
        let mut list = Vec::new();
        loop {
            match self.until(&[',', '}']) {
                Until::Eof(_) => {
                    return Err(ListErr::Failed(ParseError::msg(
                        "list must terminate with '}'",
                    )));
                }
                Until::Stop(raw, '}') => {
                    if let Some(c) = self.read()
                        && c != ','
                    {
                        self.unread(c);
                    }
                    let v = self.convert(&raw).map_err(ListErr::Failed)?;
                    list.push(v);
                    return Ok(list);
                }
                Until::Stop(raw, _comma) => {
                    let v = self.convert(&raw).map_err(ListErr::Failed)?;
                    list.push(v);
                }
            }
        }
    }

    /// Converts raw value text according to the mode.
    fn convert(&mut self, raw: &str) -> Result<Value, ParseError> {
        match &mut self.mode {
            Mode::Typed => Ok(typed_val(raw)),
            Mode::File(reader) => reader(raw).map_err(ParseError::msg),
            Mode::Strings | Mode::Json(_) | Mode::Literal => Ok(Value::String(raw.to_string())),
        }
    }

    /// Decodes one JSON value at the current position and moves past it, as Go's
    /// `json.Decoder` + `InputOffset` do: numbers and `true`/`false`/`null` end where their
    /// grammar ends; strings, arrays and objects end at their closing character.
    fn json_value(&mut self, model: NumberModel) -> Result<Value, ParseError> {
        let rest = &self.src[self.pos..];
        let body = rest.trim_start_matches([' ', '\t', '\n', '\r']);
        let skipped = rest.len() - body.len();
        let bad = |detail: String| ParseError::msg(format!("invalid JSON value: {detail}"));
        let (value, used) = match body.as_bytes().first() {
            Some(b'{' | b'[' | b'"') => {
                let mut stream = serde_json::Deserializer::from_str(body).into_iter::<Value>();
                match stream.next() {
                    Some(Ok(v)) => (v, stream.byte_offset()),
                    Some(Err(e)) => return Err(bad(e.to_string())),
                    None => return Err(bad("unexpected end of input".into())),
                }
            }
            Some(b't' | b'f' | b'n') => {
                let found = [("true", Value::Bool(true)), ("false", Value::Bool(false))]
                    .into_iter()
                    .chain(std::iter::once(("null", Value::Null)))
                    .find(|(lit, _)| body.starts_with(lit));
                match found {
                    Some((lit, v)) => (v, lit.len()),
                    None => {
                        return Err(bad("invalid literal (expected true, false or null)".into()));
                    }
                }
            }
            Some(b'-' | b'0'..=b'9') => {
                let len = json_number_len(body).ok_or_else(|| bad("invalid number".into()))?;
                let v: Value =
                    serde_json::from_str(&body[..len]).map_err(|e| bad(e.to_string()))?;
                (v, len)
            }
            Some(_) => {
                return Err(bad(
                    "invalid character looking for beginning of value".into()
                ));
            }
            None => return Err(ParseError::eof()),
        };
        self.pos += skipped + used;
        Ok(match model {
            NumberModel::Helm => crate::yaml::to_helm_numbers(value),
            NumberModel::Exact => value,
        })
    }
}

/// The length of the JSON number at the start of `s` by JSON's grammar (maximal munch, as Go's
/// scanner ends a top-level number), or `None` when the number is incomplete.
fn json_number_len(s: &str) -> Option<usize> {
    let b = s.as_bytes();
    let mut i = 0;
    let digits = |i: &mut usize| {
        let start = *i;
        while *i < b.len() && b[*i].is_ascii_digit() {
            *i += 1;
        }
        *i > start
    };
    if b.get(i) == Some(&b'-') {
        i += 1;
    }
    match b.get(i) {
        Some(b'0') => i += 1,
        Some(b'1'..=b'9') => {
            digits(&mut i);
        }
        _ => return None,
    }
    if b.get(i) == Some(&b'.') {
        i += 1;
        if !digits(&mut i) {
            return None;
        }
    }
    if matches!(b.get(i), Some(b'e' | b'E')) {
        i += 1;
        if matches!(b.get(i), Some(b'+' | b'-')) {
            i += 1;
        }
        if !digits(&mut i) {
            return None;
        }
    }
    Some(i)
}

/// `--set` type inference (Helm's `typedVal`): `true`/`false`/`null` in any case, `0`, and
/// base-10 int64 that does not start with `0`; everything else (floats included) is a string.
pub fn typed_val(s: &str) -> Value {
    if gofmt::equal_fold_ascii(s, "true") {
        return Value::Bool(true);
    }
    if gofmt::equal_fold_ascii(s, "false") {
        return Value::Bool(false);
    }
    if gofmt::equal_fold_ascii(s, "null") {
        return Value::Null;
    }
    if s == "0" {
        return Value::from(0i64);
    }
    if !s.is_empty()
        && !s.starts_with('0')
        && let Ok(i) = gofmt::parse_int(s)
    {
        return Value::from(i);
    }
    Value::String(s.to_string())
}

#[cfg(test)]
#[path = "strvals_tests.rs"]
mod tests;
