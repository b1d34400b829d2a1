//! `Chart.yaml`, `requirements.yaml` and `Chart.lock`/`requirements.lock` read the way Helm
//! reads them, and `Metadata::validate` with Helm's checks (`pkg/chart/v2/metadata.go`).
//!
//! Helm decodes these files with sigs.k8s.io/yaml: YAML 1.1 → JSON → Go struct. That path has
//! visible effects this module reproduces: an unquoted number or boolean in a string field
//! becomes a string (`version: 1.10` → `"1.1"`, floats through Go's
//! `FormatFloat(v, 'g', -1, 32)`), keys match field names case-insensitively (exact match
//! preferred, keys applied in sorted order), a wrong type (a list for `name`) is an error, a
//! null leaves a field unchanged, and decoding into an existing `Metadata` merges (which is how
//! `requirements.yaml` adds dependencies). Must not read files or classify them.

use crate::chart::model::{Dependency, Engine, ImportValue, Lock, Maintainer, Metadata};
use crate::engine::gotmpl::semver;
use crate::{Map, Value};
use std::sync::LazyLock;

/// What is wrong with a `Chart.yaml`, `requirements.yaml` or lock file (the caller names the
/// file).
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum MetadataError {
    #[error("{location}{message}; {}", yaml_hint(message))]
    Yaml { location: String, message: String },
    #[error("the file must hold a map of fields, not {got}")]
    NotMap { got: &'static str },
    #[error("`{field}` must be {expected}, not {got}")]
    Type {
        field: String,
        expected: &'static str,
        got: &'static str,
    },
    #[error("engine {0:?} is not supported; use `engine: jinja`, `engine: gotpl`, or leave it out")]
    Engine(String),
    #[error("`generated` must be an RFC 3339 time such as 2024-01-31T12:00:00Z")]
    LockTime,
    #[error(
        "apiVersion {0:?} is not supported; chartroom reads apiVersion v1 and v2 charts (Helm's v3 is experimental)"
    )]
    ApiVersion(String),
}

/// A `Metadata::validate` failure; the text is Helm's, prefixed `validation: `.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error("validation: {0}")]
pub struct ValidationError(pub String);

/// Parses YAML text for one of these files into its first document.
pub(crate) fn parse_yaml(text: &str) -> Result<Value, MetadataError> {
    crate::yaml::parse_value(text, crate::yaml::NumberModel::Exact).map_err(|e| {
        let (location, message) = describe_yaml_error(&e);
        MetadataError::Yaml { location, message }
    })
}

/// What to do about a YAML error: fix the syntax, or (for the reader's safety budgets) shrink
/// the file or its aliases.
pub(crate) fn yaml_hint(message: &str) -> &'static str {
    if message.contains("budget") || message.contains("limit") || message.contains("too large") {
        "the document is too large or expands too many aliases to be read safely"
    } else {
        "fix the YAML syntax"
    }
}

/// Splits a YAML error into "line L, column C: " and the message without the YAML crate's own
/// `error: line L column C:` prefix.
pub(crate) fn describe_yaml_error(e: &crate::yaml::YamlError) -> (String, String) {
    let location = match (e.line, e.column) {
        (Some(l), Some(c)) => format!("line {l}, column {c}: "),
        (Some(l), None) => format!("line {l}: "),
        _ => String::new(),
    };
    let mut message = e.message.trim_start_matches("error:").trim_start();
    if let Some(rest) = message.strip_prefix("line ")
        && let Some((_, after)) = rest.split_once(": ")
    {
        message = after;
    }
    (location, message.to_string())
}

/// Decodes a `Chart.yaml` (or `requirements.yaml`) document into `md`, as Go's JSON decoder
/// would into an existing struct. Returns the document's map (empty for an empty file).
pub(crate) fn apply_metadata(md: &mut Metadata, doc: &Value) -> Result<Map, MetadataError> {
    let map = match doc {
        Value::Null => return Ok(Map::new()),
        Value::Object(m) => m,
        other => {
            return Err(MetadataError::NotMap { got: kind(other) });
        }
    };
    for (key, v) in sorted_entries(map) {
        let Some(field) = find_field(METADATA_FIELDS, key) else {
            continue;
        };
        let f = |e: TypeErr| e.at(field);
        match field {
            "name" => set_string(&mut md.name, v).map_err(f)?,
            "home" => set_string(&mut md.home, v).map_err(f)?,
            "sources" => set_strings(&mut md.sources, v).map_err(f)?,
            "version" => set_string(&mut md.version, v).map_err(f)?,
            "description" => set_string(&mut md.description, v).map_err(f)?,
            "keywords" => set_strings(&mut md.keywords, v).map_err(f)?,
            "maintainers" => set_maintainers(md, v)?,
            "icon" => set_string(&mut md.icon, v).map_err(f)?,
            "apiVersion" => set_string(&mut md.api_version, v).map_err(f)?,
            // Legacy Helm 2 strings: type-checked like Helm, not kept.
            "condition" | "tags" => set_string(&mut String::new(), v).map_err(f)?,
            "appVersion" => set_string(&mut md.app_version, v).map_err(f)?,
            "deprecated" => set_bool(&mut md.deprecated, v).map_err(f)?,
            "annotations" => set_annotations(md, v)?,
            "kubeVersion" => set_string(&mut md.kube_version, v).map_err(f)?,
            "dependencies" => {
                let (deps, null_at) = decode_dependencies(v, "dependencies")?;
                md.dependencies = deps;
                md.null_entries.dependency_at = null_at;
            }
            "type" => set_string(&mut md.chart_type, v).map_err(f)?,
            "engine" => set_string(&mut md.engine, v).map_err(f)?,
            _ => {}
        }
    }
    Ok(map.clone())
}

/// Helm's default for a chart without `apiVersion` (Helm 2 charts), then chartroom's check
/// that the chart is a v1/v2 chart.
pub(crate) fn default_api_version(md: &mut Metadata) -> Result<(), MetadataError> {
    if md.api_version.is_empty() {
        md.api_version = "v1".to_string();
    }
    match md.api_version.as_str() {
        "v1" | "v2" => Ok(()),
        other => Err(MetadataError::ApiVersion(other.to_string())),
    }
}

/// The engine `engine:` selects: absent or `gotpl` → Go templates, `jinja` → Jinja.
pub(crate) fn engine_of(md: &Metadata) -> Result<Engine, MetadataError> {
    match md.engine.as_str() {
        "" | "gotpl" => Ok(Engine::GoTemplate),
        "jinja" => Ok(Engine::Jinja),
        other => Err(MetadataError::Engine(other.to_string())),
    }
}

/// Decodes a `Chart.lock`/`requirements.lock` document.
pub(crate) fn decode_lock(doc: &Value) -> Result<Lock, MetadataError> {
    let mut lock = Lock::default();
    let map = match doc {
        Value::Null => return Ok(lock),
        Value::Object(m) => m,
        other => {
            return Err(MetadataError::NotMap { got: kind(other) });
        }
    };
    for (key, v) in sorted_entries(map) {
        match find_field(&["generated", "digest", "dependencies"], key) {
            Some("generated") => match v {
                Value::Null => {}
                Value::String(s) if is_rfc3339(s) => lock.generated = s.clone(),
                _ => return Err(MetadataError::LockTime),
            },
            Some("digest") => {
                set_string(&mut lock.digest, v).map_err(|e| e.at("digest"))?;
            }
            Some("dependencies") => lock.dependencies = decode_dependencies(v, "dependencies")?.0,
            _ => {}
        }
    }
    Ok(lock)
}

/// The shape Go's `time.Parse(time.RFC3339, ..)` accepts for `generated`:
/// `YYYY-MM-DDTHH:MM:SS[.frac](Z|±HH:MM)`, ASCII digits only. Hand-checked: the equivalent
/// Unicode-aware regex cost ~5M instructions to compile on every run.
fn is_rfc3339(s: &str) -> bool {
    let b = s.as_bytes();
    let digits =
        |r: std::ops::Range<usize>| b.get(r).is_some_and(|d| d.iter().all(u8::is_ascii_digit));
    let at = |i: usize, set: &[u8]| b.get(i).is_some_and(|c| set.contains(c));
    if !(digits(0..4)
        && at(4, b"-")
        && digits(5..7)
        && at(7, b"-")
        && digits(8..10)
        && at(10, b"Tt")
        && digits(11..13)
        && at(13, b":")
        && digits(14..16)
        && at(16, b":")
        && digits(17..19))
    {
        return false;
    }
    let mut i = 19;
    if at(i, b".") {
        let frac = b[i + 1..].iter().take_while(|c| c.is_ascii_digit()).count();
        if frac == 0 {
            return false;
        }
        i += 1 + frac;
    }
    match b.get(i) {
        Some(b'Z' | b'z') => i + 1 == b.len(),
        Some(b'+' | b'-') => {
            i + 6 == b.len() && digits(i + 1..i + 3) && at(i + 3, b":") && digits(i + 4..i + 6)
        }
        _ => false,
    }
}

/// Top-level fields Helm's `Metadata` knows, plus chartroom's `engine`.
pub(crate) const METADATA_FIELDS: &[&str] = &[
    "name",
    "home",
    "sources",
    "version",
    "description",
    "keywords",
    "maintainers",
    "icon",
    "apiVersion",
    "condition",
    "tags",
    "appVersion",
    "deprecated",
    "annotations",
    "kubeVersion",
    "dependencies",
    "type",
    "engine",
];

const DEPENDENCY_FIELDS: &[&str] = &[
    "name",
    "version",
    "repository",
    "condition",
    "tags",
    "enabled",
    "import-values",
    "alias",
];

const MAINTAINER_FIELDS: &[&str] = &["name", "email", "url"];

/// Map entries in the order Go's JSON round trip applies them (keys sorted bytewise).
fn sorted_entries(map: &Map) -> Vec<(&String, &Value)> {
    let mut entries: Vec<_> = map.iter().collect();
    entries.sort_by(|a, b| a.0.as_bytes().cmp(b.0.as_bytes()));
    entries
}

/// The field a key decodes into: an exact match, else a case-insensitive one (Go's
/// `encoding/json` rule, including its folding of `ſ` to `s` and the Kelvin sign to `k`).
fn find_field(fields: &[&'static str], key: &str) -> Option<&'static str> {
    if let Some(f) = fields.iter().find(|f| **f == key) {
        return Some(f);
    }
    let fold = |s: &str| -> String {
        s.chars()
            .map(|c| match c {
                'ſ' => 's',
                '\u{212A}' => 'k',
                c => c.to_ascii_lowercase(),
            })
            .collect()
    };
    let key = fold(key);
    fields.iter().find(|f| fold(f) == key).copied()
}

fn kind(v: &Value) -> &'static str {
    match v {
        Value::Null => "null",
        Value::Bool(_) => "a boolean",
        Value::Number(_) => "a number",
        Value::String(_) => "a string",
        Value::Array(_) => "a list",
        Value::Object(_) => "a map",
    }
}

/// A type mismatch below a field; `at` adds the field path.
struct TypeErr {
    sub: String,
    expected: &'static str,
    got: &'static str,
}

impl TypeErr {
    fn at(self, field: &str) -> MetadataError {
        MetadataError::Type {
            field: format!("{field}{}", self.sub),
            expected: self.expected,
            got: self.got,
        }
    }
}

fn type_err(expected: &'static str, v: &Value) -> TypeErr {
    TypeErr {
        sub: String::new(),
        expected,
        got: kind(v),
    }
}

/// A scalar as the string sigs.k8s.io/yaml turns it into for a string field; `None` for null.
fn go_string(v: &Value) -> Result<Option<String>, TypeErr> {
    match v {
        Value::Null => Ok(None),
        Value::String(s) => Ok(Some(s.clone())),
        Value::Bool(b) => Ok(Some(b.to_string())),
        Value::Number(n) => Ok(Some(if let Some(i) = n.as_i64() {
            i.to_string()
        } else if let Some(u) = n.as_u64() {
            u.to_string()
        } else {
            format_float32_g(n.as_f64().unwrap_or(0.0))
        })),
        other => Err(type_err("a string", other)),
    }
}

fn set_string(slot: &mut String, v: &Value) -> Result<(), TypeErr> {
    if let Some(s) = go_string(v)? {
        *slot = s;
    }
    Ok(())
}

fn set_strings(slot: &mut Vec<String>, v: &Value) -> Result<(), TypeErr> {
    match v {
        Value::Null => slot.clear(),
        Value::Array(items) => {
            let mut out = Vec::with_capacity(items.len());
            for (i, item) in items.iter().enumerate() {
                out.push(
                    go_string(item)
                        .map_err(|mut e| {
                            e.sub = format!("[{i}]");
                            e
                        })?
                        .unwrap_or_default(),
                );
            }
            *slot = out;
        }
        other => return Err(type_err("a list of strings", other)),
    }
    Ok(())
}

fn set_bool(slot: &mut bool, v: &Value) -> Result<(), TypeErr> {
    match v {
        Value::Null => {}
        Value::Bool(b) => *slot = *b,
        other => return Err(type_err("true or false", other)),
    }
    Ok(())
}

fn set_annotations(md: &mut Metadata, v: &Value) -> Result<(), MetadataError> {
    match v {
        Value::Null => md.annotations.clear(),
        Value::Object(m) => {
            for (k, item) in sorted_entries(m) {
                let s = go_string(item).map_err(|e| e.at(&format!("annotations.{k}")))?;
                md.annotations.insert(k.clone(), s.unwrap_or_default());
            }
        }
        other => return Err(type_err("a map of strings", other).at("annotations")),
    }
    Ok(())
}

fn set_maintainers(md: &mut Metadata, v: &Value) -> Result<(), MetadataError> {
    match v {
        Value::Null => {
            md.maintainers.clear();
            md.null_entries.maintainer = false;
        }
        Value::Array(items) => {
            let mut out = Vec::with_capacity(items.len());
            let mut null = false;
            for (i, item) in items.iter().enumerate() {
                let path = format!("maintainers[{i}]");
                match item {
                    Value::Null => null = true,
                    Value::Object(m) => {
                        let mut mt = Maintainer::default();
                        for (key, fv) in sorted_entries(m) {
                            let slot = match find_field(MAINTAINER_FIELDS, key) {
                                Some("name") => &mut mt.name,
                                Some("email") => &mut mt.email,
                                Some("url") => &mut mt.url,
                                _ => continue,
                            };
                            set_string(slot, fv).map_err(|e| e.at(&format!("{path}.{key}")))?;
                        }
                        out.push(mt);
                    }
                    other => return Err(type_err("a map", other).at(&path)),
                }
            }
            md.maintainers = out;
            md.null_entries.maintainer = null;
        }
        other => return Err(type_err("a list", other).at("maintainers")),
    }
    Ok(())
}

/// A `dependencies` list (null clears it, as Go's decoder does): the entries and the index
/// before which the first null entry stood.
fn decode_dependencies(
    v: &Value,
    field: &str,
) -> Result<(Vec<Dependency>, Option<usize>), MetadataError> {
    let items = match v {
        Value::Null => return Ok((Vec::new(), None)),
        Value::Array(items) => items,
        other => return Err(type_err("a list", other).at(field)),
    };
    let mut out = Vec::with_capacity(items.len());
    let mut null_at = None;
    for (i, item) in items.iter().enumerate() {
        let path = format!("{field}[{i}]");
        match item {
            Value::Null => {
                null_at.get_or_insert(out.len());
            }
            Value::Object(m) => out.push(decode_dependency(m, &path)?),
            other => return Err(type_err("a map", other).at(&path)),
        }
    }
    Ok((out, null_at))
}

fn decode_dependency(m: &Map, path: &str) -> Result<Dependency, MetadataError> {
    let mut d = Dependency::default();
    for (key, v) in sorted_entries(m) {
        let Some(field) = find_field(DEPENDENCY_FIELDS, key) else {
            continue;
        };
        let at = |e: TypeErr| e.at(&format!("{path}.{field}"));
        match field {
            "name" => set_string(&mut d.name, v).map_err(at)?,
            "version" => set_string(&mut d.version, v).map_err(at)?,
            "repository" => set_string(&mut d.repository, v).map_err(at)?,
            "condition" => set_string(&mut d.condition, v).map_err(at)?,
            "tags" => set_strings(&mut d.tags, v).map_err(at)?,
            "enabled" => {
                let mut b = d.enabled.unwrap_or(false);
                set_bool(&mut b, v).map_err(at)?;
                if !v.is_null() {
                    d.enabled = Some(b);
                }
            }
            "import-values" => match v {
                Value::Null => d.import_values.clear(),
                Value::Array(items) => {
                    d.import_values = items.iter().filter_map(import_value).collect()
                }
                other => return Err(at(type_err("a list", other))),
            },
            "alias" => set_string(&mut d.alias, v).map_err(at)?,
            _ => {}
        }
    }
    Ok(d)
}

/// An `import-values` entry as Helm's `processImportValues` reads it: a string, or a map whose
/// `child`/`parent` are formatted with Go's `%v`; anything else is ignored, as in Helm.
fn import_value(v: &Value) -> Option<ImportValue> {
    match v {
        Value::String(s) => Some(ImportValue::Name(s.clone())),
        Value::Object(m) => Some(ImportValue::Map {
            child: go_v(m.get("child")),
            parent: go_v(m.get("parent")),
        }),
        _ => None,
    }
}

/// Go's `fmt.Sprintf("%v", x)` for a decoded JSON value (numbers are float64 in Helm).
fn go_v(v: Option<&Value>) -> String {
    match v {
        None | Some(Value::Null) => "<nil>".to_string(),
        Some(Value::String(s)) => s.clone(),
        Some(Value::Bool(b)) => b.to_string(),
        Some(Value::Number(n)) => format_float64_v(n.as_f64().unwrap_or(0.0)),
        Some(other) => other.to_string(),
    }
}

/// Go's `strconv.FormatFloat(v, 'g', -1, 32)`: shortest float32 digits, exponent form when the
/// exponent is below -4 or at least 6 (`1.1`, `1e+06`, `1.234567e+06`).
pub(crate) fn format_float32_g(v: f64) -> String {
    go_g(&format!("{:e}", v as f32), 6)
}

/// Go's `%v` for a float64 (`'g'` with the shortest digits, exponent from 21 digits).
fn format_float64_v(v: f64) -> String {
    go_g(&format!("{v:e}"), 21)
}

/// Rewrites Rust's shortest `{:e}` output (`-1.2345e6`) in Go's `%g` layout.
fn go_g(sci: &str, eprec: i32) -> String {
    let (neg, rest) = match sci.strip_prefix('-') {
        Some(r) => (true, r),
        None => (false, sci),
    };
    let Some((mant, exp)) = rest.split_once('e') else {
        return sci.to_string(); // inf / NaN
    };
    let exp: i32 = exp.parse().unwrap_or(0);
    let digits: String = mant.chars().filter(|c| *c != '.').collect();
    let nd = digits.len() as i32;
    let mut out = String::new();
    if neg {
        out.push('-');
    }
    if exp < -4 || exp >= eprec {
        out.push_str(&digits[..1]);
        if nd > 1 {
            out.push('.');
            out.push_str(&digits[1..]);
        }
        out.push('e');
        out.push(if exp < 0 { '-' } else { '+' });
        out.push_str(&format!("{:02}", exp.abs()));
    } else {
        let dp = exp + 1;
        if dp <= 0 {
            out.push_str("0.");
            out.push_str(&"0".repeat((-dp) as usize));
            out.push_str(&digits);
        } else if dp >= nd {
            out.push_str(&digits);
            out.push_str(&"0".repeat((dp - nd) as usize));
        } else {
            out.push_str(&digits[..dp as usize]);
            out.push('.');
            out.push_str(&digits[dp as usize..]);
        }
    }
    out
}

/// Helm's `sanitizeString`: every Unicode space becomes ' ', non-printable characters go.
fn sanitize(s: &mut String) {
    if s.chars()
        .all(|c| c == ' ' || !(c.is_whitespace() || is_non_printable(c)))
    {
        return;
    }
    *s = s
        .chars()
        .filter_map(|c| {
            if c.is_whitespace() {
                Some(' ')
            } else if is_non_printable(c) {
                None
            } else {
                Some(c)
            }
        })
        .collect();
}

/// Is `c` in Unicode's general category C (control, format, surrogate, private use,
/// unassigned)? With spaces already handled, that is exactly what Go's `unicode.IsPrint`
/// rejects. ASCII is answered directly; other characters by a binary search in the ranges of
/// `\p{C}`, taken from regex-syntax's Unicode tables once (compiling the class into a regex
/// automaton cost ~5M instructions, a millisecond of every run).
fn is_non_printable(c: char) -> bool {
    if c.is_ascii() {
        return c.is_ascii_control();
    }
    static CATEGORY_C: LazyLock<Vec<(char, char)>> = LazyLock::new(|| {
        let hir = regex_syntax::Parser::new()
            .parse(r"\p{C}")
            .expect("valid class");
        match hir.kind() {
            regex_syntax::hir::HirKind::Class(regex_syntax::hir::Class::Unicode(class)) => class
                .ranges()
                .iter()
                .map(|r| (r.start(), r.end()))
                .collect(),
            _ => Vec::new(),
        }
    });
    CATEGORY_C
        .binary_search_by(|&(lo, hi)| {
            if hi < c {
                std::cmp::Ordering::Less
            } else if lo > c {
                std::cmp::Ordering::Greater
            } else {
                std::cmp::Ordering::Equal
            }
        })
        .is_ok()
}

/// Go's `filepath.Base` for `/` paths.
fn go_base(path: &str) -> &str {
    if path.is_empty() {
        return ".";
    }
    let t = path.trim_end_matches('/');
    if t.is_empty() {
        return "/";
    }
    t.rsplit('/').next().unwrap_or(t)
}

/// Helm's alias rule `^[a-zA-Z0-9_-]+$`.
fn is_valid_alias(alias: &str) -> bool {
    !alias.is_empty()
        && alias
            .bytes()
            .all(|c| c.is_ascii_alphanumeric() || c == b'_' || c == b'-')
}

impl Metadata {
    /// Helm's `Metadata.Validate`: sanitizes the strings (Unicode spaces to ' ', non-printable
    /// characters dropped), then checks, in Helm's order: apiVersion, name (present, not `.`
    /// or `..`, no path separator), version (present, a loose semantic version), type,
    /// maintainers and dependencies (no null entries, aliases `^[a-zA-Z0-9_-]+$`, names or
    /// aliases unique). Errors read `validation: …` exactly as Helm's.
    pub fn validate(&mut self) -> Result<(), ValidationError> {
        for s in [
            &mut self.name,
            &mut self.description,
            &mut self.home,
            &mut self.icon,
            &mut self.app_version,
            &mut self.kube_version,
        ] {
            sanitize(s);
        }
        self.sources.iter_mut().for_each(sanitize);
        self.keywords.iter_mut().for_each(sanitize);

        let fail = |m: String| Err(ValidationError(m));
        if self.api_version.is_empty() {
            return fail("chart.metadata.apiVersion is required".into());
        }
        if self.name.is_empty() {
            return fail("chart.metadata.name is required".into());
        }
        if self.name == "." || self.name == ".." {
            return fail(format!(
                "chart.metadata.name {:?} is not allowed",
                self.name
            ));
        }
        if self.name != go_base(&self.name) {
            return fail(format!("chart.metadata.name {:?} is invalid", self.name));
        }
        if self.version.is_empty() {
            return fail("chart.metadata.version is required".into());
        }
        if semver::parse_version(&self.version).is_err() {
            return fail(format!(
                "chart.metadata.version {:?} is invalid",
                self.version
            ));
        }
        if !matches!(self.chart_type.as_str(), "" | "application" | "library") {
            return fail("chart.metadata.type must be application or library".into());
        }
        if self.null_entries.maintainer {
            return fail("maintainers must not contain empty or null nodes".into());
        }
        for m in &mut self.maintainers {
            sanitize(&mut m.name);
            sanitize(&mut m.email);
            sanitize(&mut m.url);
        }
        let mut seen = std::collections::HashSet::new();
        let null_at = self.null_entries.dependency_at;
        for (i, d) in self.dependencies.iter_mut().enumerate() {
            if null_at == Some(i) {
                return fail("dependencies must not contain empty or null nodes".into());
            }
            sanitize(&mut d.name);
            sanitize(&mut d.version);
            sanitize(&mut d.repository);
            sanitize(&mut d.condition);
            d.tags.iter_mut().for_each(sanitize);
            if !d.alias.is_empty() && !is_valid_alias(&d.alias) {
                return fail(format!(
                    "dependency {:?} has disallowed characters in the alias",
                    d.name
                ));
            }
            let key = if d.alias.is_empty() {
                &d.name
            } else {
                &d.alias
            };
            if !seen.insert(key.clone()) {
                return fail(format!(
                    "more than one dependency with name or alias {key:?}"
                ));
            }
        }
        if null_at.is_some_and(|i| i >= self.dependencies.len()) {
            return fail("dependencies must not contain empty or null nodes".into());
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn md(api: &str, name: &str, version: &str) -> Metadata {
        Metadata {
            api_version: api.into(),
            name: name.into(),
            version: version.into(),
            ..Default::default()
        }
    }

    fn dep(name: &str, alias: &str) -> Dependency {
        Dependency {
            name: name.into(),
            alias: alias.into(),
            ..Default::default()
        }
    }

    fn with_deps(deps: Vec<Dependency>) -> Metadata {
        Metadata {
            chart_type: "application".into(),
            dependencies: deps,
            ..md("v2", "test", "1.0")
        }
    }

    /// Helm's `TestValidate` rows (the nil-metadata row has no Rust counterpart).
    #[test]
    fn helm_validate_table() {
        let null_dep = Metadata {
            null_entries: crate::chart::model::NullEntries {
                dependency_at: Some(0),
                ..Default::default()
            },
            ..with_deps(vec![])
        };
        let null_maintainer = Metadata {
            null_entries: crate::chart::model::NullEntries {
                maintainer: true,
                ..Default::default()
            },
            ..with_deps(vec![])
        };
        let two_versions = with_deps(vec![
            Dependency {
                version: "1.2.3".into(),
                ..dep("foo", "")
            },
            Dependency {
                version: "1.0.0".into(),
                ..dep("foo", "")
            },
        ]);
        let two_repos = with_deps(vec![
            Dependency {
                repository: "repo-0".into(),
                ..dep("foo", "")
            },
            Dependency {
                repository: "repo-1".into(),
                ..dep("foo", "")
            },
        ]);
        let rows: Vec<(&str, Metadata, Option<&str>)> = vec![
            (
                "chart without apiVersion",
                md("", "test", "1.0"),
                Some("chart.metadata.apiVersion is required"),
            ),
            (
                "chart without name",
                md("v2", "", "1.0"),
                Some("chart.metadata.name is required"),
            ),
            (
                "chart with dot name",
                md("v2", ".", "1.0"),
                Some("chart.metadata.name \".\" is not allowed"),
            ),
            (
                "chart with dotdot name",
                md("v2", "..", "1.0"),
                Some("chart.metadata.name \"..\" is not allowed"),
            ),
            (
                "chart with path name",
                md("v2", "../../test", "1.0"),
                Some("chart.metadata.name \"../../test\" is invalid"),
            ),
            (
                "chart without version",
                md("v2", "test", ""),
                Some("chart.metadata.version is required"),
            ),
            (
                "chart with bad type",
                Metadata {
                    chart_type: "test".into(),
                    ..md("v2", "test", "1.0")
                },
                Some("chart.metadata.type must be application or library"),
            ),
            ("chart without dependency", with_deps(vec![]), None),
            (
                "dependency with valid alias",
                with_deps(vec![dep("dependency", "legal-alias")]),
                None,
            ),
            (
                "dependency with bad characters in alias",
                with_deps(vec![dep("bad", "illegal alias")]),
                Some("dependency \"bad\" has disallowed characters in the alias"),
            ),
            (
                "same dependency twice",
                with_deps(vec![dep("foo", ""), dep("foo", "")]),
                Some("more than one dependency with name or alias \"foo\""),
            ),
            (
                "alias of the second shadows the first",
                with_deps(vec![dep("foo", ""), dep("bar", "foo")]),
                Some("more than one dependency with name or alias \"foo\""),
            ),
            (
                "same dependency twice with different version",
                two_versions,
                Some("more than one dependency with name or alias \"foo\""),
            ),
            (
                "same name, different repos",
                two_repos,
                Some("more than one dependency with name or alias \"foo\""),
            ),
            (
                "dependencies has nil",
                null_dep,
                Some("dependencies must not contain empty or null nodes"),
            ),
            (
                "maintainer not empty",
                null_maintainer,
                Some("maintainers must not contain empty or null nodes"),
            ),
            (
                "version invalid",
                md("v2", "test", "1.2.3.4"),
                Some("chart.metadata.version \"1.2.3.4\" is invalid"),
            ),
        ];
        assert_eq!(rows.len(), 17);
        for (name, mut m, want) in rows {
            let got = m.validate().err().map(|e| e.to_string());
            assert_eq!(got, want.map(|w| format!("validation: {w}")), "{name}");
        }
    }

    #[test]
    fn rfc3339_shapes() {
        for ok in [
            "2024-01-02T03:04:05Z",
            "2024-01-02t03:04:05z",
            "2024-01-02T03:04:05.123456789+01:00",
            "2024-01-02T03:04:05-07:30",
        ] {
            assert!(is_rfc3339(ok), "{ok}");
        }
        for bad in [
            "",
            "2024-01-02",
            "2024-01-02 03:04:05Z",
            "2024-01-02T03:04:05",
            "2024-01-02T03:04:05.Z",
            "2024-01-02T03:04:05+0100",
            "2024-01-02T03:04:05Zx",
            "\u{661}024-01-02T03:04:05Z",
        ] {
            assert!(!is_rfc3339(bad), "{bad}");
        }
        assert!(is_valid_alias("my_sub-chart2"));
        assert!(!is_valid_alias("") && !is_valid_alias("a.b") && !is_valid_alias("\u{e9}"));
    }

    #[test]
    fn sanitize_follows_go_isspace_and_isprint() {
        for (input, want) in [
            ("plain ascii", "plain ascii"),
            ("tab\there\u{b}\u{c}", "tab here  "),
            ("bell\u{7}del\u{7f}", "belldel"),
            (
                "caf\u{e9} \u{2014} \u{1f680}",
                "caf\u{e9} \u{2014} \u{1f680}",
            ),
            ("lrm\u{200e}shy\u{ad}bom\u{feff}", "lrmshybom"),
            ("private\u{e000}unassigned\u{378}", "privateunassigned"),
            (
                "nbsp\u{a0}line\u{2028}para\u{2029}ideo\u{3000}",
                "nbsp line para ideo ",
            ),
            ("c1\u{85}\u{80}", "c1 "),
        ] {
            let mut s = input.to_string();
            sanitize(&mut s);
            assert_eq!(s, want, "{input:?}");
        }
    }

    #[test]
    fn validate_sanitizes() {
        let mut m = Metadata {
            description: "\u{7}descr\u{81}iption\rtest".into(),
            maintainers: vec![Maintainer {
                name: "\r".into(),
                ..Default::default()
            }],
            ..md("v2", "test", "1.0")
        };
        m.validate().unwrap();
        assert_eq!(m.description, "description test");
        assert_eq!(m.maintainers[0].name, " ");
        let mut m = Metadata {
            description: "multi\nline\u{200b} text\u{a0}here".into(),
            ..md("v2", "test", "1.0")
        };
        m.validate().unwrap();
        assert_eq!(m.description, "multi line text here");
    }

    /// Helm's `TestValidateDependency` alias rows.
    #[test]
    fn dependency_alias_table() {
        let rows = [
            ("abcdefghijklmenopQRSTUVWXYZ-0123456780_", false),
            ("-okay", false),
            ("_okay", false),
            ("- bad", true),
            (" bad", true),
            ("bad\nvalue", true),
            ("bad ", true),
            ("bad$", true),
        ];
        for (alias, fails) in rows {
            let mut m = with_deps(vec![dep("example", alias)]);
            assert_eq!(m.validate().is_err(), fails, "{alias:?}");
        }
    }

    #[test]
    fn null_dependency_position_matters() {
        // A bad alias before the null entry is reported first, as in Helm's loop.
        let mut m = with_deps(vec![dep("a", "bad alias")]);
        m.null_entries.dependency_at = Some(1);
        assert!(m.validate().unwrap_err().0.contains("alias"));
        let mut m = with_deps(vec![dep("a", "bad alias")]);
        m.null_entries.dependency_at = Some(0);
        assert!(m.validate().unwrap_err().0.contains("null nodes"));
    }

    fn decode(yaml: &str) -> Result<Metadata, MetadataError> {
        let mut m = Metadata::default();
        apply_metadata(&mut m, &parse_yaml(yaml)?)?;
        default_api_version(&mut m)?;
        Ok(m)
    }

    #[test]
    fn numbers_in_string_fields_like_helm() {
        // helm 4.3.1 prints these for the same Chart.yaml (checked with `helm template`).
        let m = decode(
            "apiVersion: v2\nName: c1\nversion: 1.10\nappVersion: 1234567.0\ndescription: yes\n\
             keywords: [1.5, true, 7]\nmaintainers:\n  - name: 2.50\nannotations:\n  a: 1.0\n  b: 1e6\n\
             dependencies:\n  - name: d\n    version: 1.2\n    repository: \"\"\n",
        )
        .unwrap();
        assert_eq!(m.name, "c1");
        assert_eq!(m.version, "1.1");
        assert_eq!(m.app_version, "1.234567e+06");
        assert_eq!(m.description, "true");
        assert_eq!(m.keywords, ["1.5", "true", "7"]);
        assert_eq!(m.maintainers[0].name, "2.5");
        assert_eq!(m.annotations["a"], "1");
        assert_eq!(m.annotations["b"], "1e+06");
        assert_eq!(m.dependencies[0].version, "1.2");
    }

    #[test]
    fn float32_g_formatting() {
        let rows = [
            (1.1, "1.1"),
            (1.0, "1"),
            (0.0, "0"),
            (100000.0, "100000"),
            (1e6, "1e+06"),
            (1234567.0, "1.234567e+06"),
            (0.0001, "0.0001"),
            (0.00001, "1e-05"),
            (1.123456789, "1.1234568"),
            (-2.5, "-2.5"),
            (2.71, "2.71"),
        ];
        for (v, want) in rows {
            assert_eq!(format_float32_g(v), want, "{v}");
        }
        assert_eq!(format_float64_v(1e21), "1e+21");
        assert_eq!(format_float64_v(123456789.0), "123456789");
    }

    #[test]
    fn api_version_defaults_to_v1() {
        assert_eq!(
            decode("name: x\nversion: 1.0.0\n").unwrap().api_version,
            "v1"
        );
        assert_eq!(decode("").unwrap().api_version, "v1");
        assert!(matches!(
            decode("apiVersion: v3\n"),
            Err(MetadataError::ApiVersion(_))
        ));
    }

    #[test]
    fn wrong_types_are_errors() {
        let cases = [
            ("name: [a]\n", "`name` must be a string, not a list"),
            (
                "deprecated: \"yes\"\n",
                "`deprecated` must be true or false, not a string",
            ),
            (
                "sources: x\n",
                "`sources` must be a list of strings, not a string",
            ),
            (
                "maintainers: [x]\n",
                "`maintainers[0]` must be a map, not a string",
            ),
            (
                "dependencies:\n  - name: {a: 1}\n",
                "`dependencies[0].name` must be a string, not a map",
            ),
            ("tags: [a]\n", "`tags` must be a string, not a list"),
            ("- a\n", "the file must hold a map of fields, not a list"),
        ];
        for (yaml, want) in cases {
            assert_eq!(decode(yaml).unwrap_err().to_string(), want, "{yaml}");
        }
    }

    #[test]
    fn nulls_and_merging() {
        let mut m = Metadata::default();
        apply_metadata(
            &mut m,
            &parse_yaml(
                "name: a\nversion: ~\nmaintainers: [~, {name: x}]\ndependencies: [{name: a}, ~]\n",
            )
            .unwrap(),
        )
        .unwrap();
        assert_eq!(m.version, "");
        assert!(m.null_entries.maintainer);
        assert_eq!(m.maintainers.len(), 1);
        assert_eq!(m.null_entries.dependency_at, Some(1));
        // requirements.yaml decodes into the same metadata: dependencies replaced, name kept.
        apply_metadata(
            &mut m,
            &parse_yaml("dependencies:\n  - name: b\n    import-values: [x, {child: c, parent: p}, {child: 1}, 7]\n")
                .unwrap(),
        )
        .unwrap();
        assert_eq!(m.name, "a");
        assert_eq!(m.dependencies.len(), 1);
        assert_eq!(m.null_entries.dependency_at, None);
        assert_eq!(
            m.dependencies[0].import_values,
            [
                ImportValue::Name("x".into()),
                ImportValue::Map {
                    child: "c".into(),
                    parent: "p".into()
                },
                ImportValue::Map {
                    child: "1".into(),
                    parent: "<nil>".into()
                },
            ]
        );
    }

    #[test]
    fn engine_field() {
        assert_eq!(
            engine_of(&decode("engine: jinja\n").unwrap()),
            Ok(Engine::Jinja)
        );
        assert_eq!(
            engine_of(&decode("engine: gotpl\n").unwrap()),
            Ok(Engine::GoTemplate)
        );
        assert_eq!(
            engine_of(&decode("name: x\n").unwrap()),
            Ok(Engine::GoTemplate)
        );
        assert_eq!(
            engine_of(&decode("engine: Jinja2\n").unwrap()),
            Err(MetadataError::Engine("Jinja2".into()))
        );
    }

    #[test]
    fn raw_map_is_kept_as_written() {
        let mut m = Metadata::default();
        let raw = apply_metadata(
            &mut m,
            &parse_yaml("name: x\nappVersion: 1.10\ncustom: {a: 1}\n").unwrap(),
        )
        .unwrap();
        assert_eq!(raw["appVersion"], json!(1.1));
        assert_eq!(raw["custom"], json!({"a": 1}));
        assert_eq!(m.app_version, "1.1");
    }

    #[test]
    fn lock_files() {
        let lock = decode_lock(
            &parse_yaml(
                "generated: \"2019-10-10T10:10:10.123Z\"\ndigest: sha256:abc\ndependencies:\n  - name: alpine\n    version: 0.1.0\n    repository: https://example.com/charts\n",
            )
            .unwrap(),
        )
        .unwrap();
        assert_eq!(lock.dependencies[0].name, "alpine");
        assert_eq!(lock.digest, "sha256:abc");
        assert_eq!(
            decode_lock(&parse_yaml("generated: yesterday\n").unwrap()),
            Err(MetadataError::LockTime)
        );
        assert!(decode_lock(&parse_yaml("").unwrap()).is_ok());
    }

    #[test]
    fn yaml_errors_carry_positions() {
        let err = parse_yaml("name: x\nversion: [1, 2\n").unwrap_err();
        assert!(err.to_string().starts_with("line "), "{err}");
    }
}
