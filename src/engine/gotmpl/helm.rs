//! Helm's template engine (`pkg/engine/engine.go`) over plain data: one shared template
//! namespace for a whole chart tree, Helm's parse order (deeper paths first, reverse lexical
//! within a depth, so a parent's `define`s win), partials (`_*`) parsed but not rendered,
//! `.Values .Release .Chart .Capabilities .Files .Template .Subcharts`, `include` (at most 1000
//! nested uses of one name), `tpl`, `required`, `fail`, `lookup` (empty offline), `<no value>`
//! removal and Helm's error texts. It knows nothing of chart loading or value merging: the
//! caller passes each chart's coalesced values.

use super::error::TemplateError;
use super::exec::{Ctx, Function, Limits, MissingKey, Options, Runtime};
use super::template::{Engine, TemplateSet};
use super::value::{Elem, Kind, Map, Object, Param, Signature, Value};
use base64::Engine as _;
use std::borrow::Cow;
use std::collections::BTreeMap;
use std::rc::Rc;

/// One chart of the tree, with its own templates, values and files.
#[derive(Clone, Debug, Default)]
pub struct HelmChart<'a> {
    /// `parent/charts/sub` (the root chart is its name).
    pub full_path: String,
    /// `templates/x.yaml` → text, for every file under `templates/` (borrowed from the loaded
    /// chart where it can be: big charts have megabytes of templates).
    pub templates: Vec<(String, Cow<'a, str>)>,
    /// This chart's values (already scoped and coalesced).
    pub values: serde_json::Value,
    /// `.Chart`: Chart.yaml under Go field names (`Name`, `Version`, `AppVersion`...) and
    /// `IsRoot`. `Type: library` charts contribute only their `_*` templates.
    pub chart: serde_json::Value,
    /// The chart's non-special files (`.Files`), name → bytes.
    pub files: Vec<(String, Cow<'a, [u8]>)>,
    /// Full paths of the direct children (for `.Subcharts`).
    pub subcharts: Vec<String>,
}

/// `.Release`.
#[derive(Clone, Debug)]
pub struct HelmRelease {
    pub name: String,
    pub namespace: String,
    pub revision: i64,
    pub is_install: bool,
    pub is_upgrade: bool,
    pub service: String,
}

impl Default for HelmRelease {
    fn default() -> Self {
        HelmRelease {
            name: "release-name".into(),
            namespace: "default".into(),
            revision: 1,
            is_install: true,
            is_upgrade: false,
            service: "Helm".into(),
        }
    }
}

/// `.Capabilities`.
#[derive(Clone, Debug)]
pub struct HelmCapabilities {
    /// `.Capabilities.KubeVersion.Version`, e.g. `v1.37.0` (or `v1.33.4-gke.1245000`).
    pub kube_version: String,
    pub major: String,
    pub minor: String,
    pub api_versions: Vec<String>,
    /// `.Capabilities.HelmVersion.Version`, e.g. `v4.3.1`.
    pub helm_version: String,
    /// `.Capabilities.KubeVersion` printed (`vX.Y.Z` without vendor suffixes); empty means
    /// the same as `kube_version`.
    pub kube_version_normalized: String,
    /// The rest of `.Capabilities.HelmVersion` (build details).
    pub helm_git_commit: String,
    pub helm_git_tree_state: String,
    pub helm_go_version: String,
    pub helm_kube_client_version: String,
}

impl Default for HelmCapabilities {
    fn default() -> Self {
        HelmCapabilities {
            kube_version: "v1.37.0".into(),
            major: "1".into(),
            minor: "37".into(),
            api_versions: Vec::new(),
            helm_version: "v4.3.1".into(),
            kube_version_normalized: String::new(),
            helm_git_commit: "c0d08d0d6d9424d4a14febb5e8a3e51b0dd00dff".into(),
            helm_git_tree_state: "clean".into(),
            helm_go_version: "go1.27.2".into(),
            helm_kube_client_version: "v1.37".into(),
        }
    }
}

/// Reads YAML into JSON data for `fromYaml` (Helm: YAML 1.1, numbers as float64).
pub type YamlReaderFn = fn(&str) -> Result<serde_json::Value, String>;

/// Everything one render needs.
#[derive(Clone, Debug, Default)]
pub struct HelmRenderInput<'a> {
    /// The root chart first is not required; order does not matter.
    pub charts: Vec<HelmChart<'a>>,
    pub release: HelmRelease,
    pub capabilities: HelmCapabilities,
    /// `--strict`: a missing map key is an error.
    pub strict: bool,
    /// Lint mode: `required` and `fail` do not fail.
    pub lint: bool,
    /// The YAML reader behind `fromYaml`/`fromYamlArray`.
    pub yaml_reader: Option<YamlReaderFn>,
    /// The calling thread's stack is at least 1 GiB: [`render`] runs on it instead of
    /// starting a thread of its own (starting one costs more than the render of a small
    /// chart, and on a busy VM it can wait a millisecond for a CPU).
    pub on_big_stack: bool,
    /// The process exits right after this render: the parse trees and the chart objects are
    /// left to the OS instead of being freed one node at a time (which costs 3–4% of a big
    /// chart's render).
    pub exiting: bool,
}

/// A render error, with Helm's message.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum HelmError {
    /// A template does not parse: `parse error at (<tpl>:<line>): <msg>`.
    #[error("{0}")]
    Parse(String),
    /// A template fails: `execution error at (<tpl>:<line>:<col>): <msg>` or Helm's
    /// multi-line trace.
    #[error("{0}")]
    Exec(String),
    /// The render could not run (e.g. its thread could not start).
    #[error("{0}")]
    Internal(String),
}

const WARN_START: &str = "HELM_ERR_START";
const WARN_END: &str = "HELM_ERR_END";
const RECURSION_MAX: usize = 1000;
/// Stack for the render thread: deep but legitimate `include` chains recurse deeply.
const RENDER_STACK: usize = 1024 * 1024 * 1024;

/// Renders every template of the tree like Helm's engine: full template name → output
/// (partials excluded). Runs on its own thread with a large stack, unless the caller's is one
/// ([`HelmRenderInput::on_big_stack`]).
pub fn render(input: &HelmRenderInput) -> Result<BTreeMap<String, String>, HelmError> {
    if input.on_big_stack {
        let run = std::panic::AssertUnwindSafe(|| render_here(input));
        return std::panic::catch_unwind(run).unwrap_or_else(|_| Err(panicked()));
    }
    std::thread::scope(|scope| {
        let handle = std::thread::Builder::new()
            .name("gotmpl-render".into())
            .stack_size(RENDER_STACK)
            .spawn_scoped(scope, || render_here(input))
            .map_err(|e| HelmError::Internal(format!("cannot start the render thread: {e}")))?;
        handle.join().unwrap_or_else(|_| Err(panicked()))
    })
}

/// The error for a render that panicked (a bug here, never the chart's fault).
fn panicked() -> HelmError {
    HelmError::Internal(
        "internal error: the template engine panicked; please report this chart".into(),
    )
}

struct Renderable<'a> {
    text: &'a str,
    vals: Map,
    base_path: String,
}

/// Renders on the current thread (see [`render`]).
pub fn render_here(input: &HelmRenderInput) -> Result<BTreeMap<String, String>, HelmError> {
    let caps: Rc<dyn Object> = Rc::new(Capabilities::new(&input.capabilities));
    let release = release_map(&input.release);
    let by_path: BTreeMap<&str, &HelmChart> = input
        .charts
        .iter()
        .map(|c| (c.full_path.as_str(), c))
        .collect();
    let mut templates: BTreeMap<String, Renderable> = BTreeMap::new();
    let mut built: BTreeMap<String, Map> = BTreeMap::new();
    for c in &input.charts {
        build_chart(c, &by_path, &caps, &release, &mut built, &mut templates, 0)?;
    }

    let mut engine = Engine::with_sprig();
    engine.set_name("gotpl");
    engine.set_options(Options {
        missing_key: if input.strict {
            MissingKey::Error
        } else {
            MissingKey::Zero
        },
        limits: Limits {
            max_depth: 20_000,
            ..Limits::default()
        },
    });
    if let Some(reader) = input.yaml_reader {
        engine.set_yaml_reader(Rc::new(reader));
    }
    add_helm_funcs(&mut engine, input.lint);

    let keys = sort_templates(templates.keys().cloned().collect());
    let texts: Vec<(&str, &str)> = keys
        .iter()
        .map(|name| (name.as_str(), templates[name].text))
        .collect();
    engine
        .parse_many(&texts)
        .map_err(|(i, e)| HelmError::Parse(cleanup_parse_error(texts[i].0, &e.message)))?;
    let rt: Runtime = engine.runtime();
    let set = engine.template_set();
    let out = execute_all(&rt, &set, &keys, &templates);
    if input.exiting {
        std::mem::forget((engine, rt, set, templates, built));
    }
    out
}

/// Executes every non-partial template in Helm's order (apart from parsing, so profiles can
/// tell the two apart).
#[inline(never)]
fn execute_all(
    rt: &Runtime,
    set: &Rc<TemplateSet>,
    keys: &[String],
    templates: &BTreeMap<String, Renderable<'_>>,
) -> Result<BTreeMap<String, String>, HelmError> {
    let mut out = BTreeMap::new();
    for name in keys {
        let base = name.rsplit('/').next().unwrap_or(name);
        if base.starts_with('_') {
            continue;
        }
        let r = &templates[name];
        let mut t = BTreeMap::new();
        t.insert("Name".to_string(), Value::str(name));
        t.insert("BasePath".to_string(), Value::str(&r.base_path));
        r.vals.insert(
            "Template",
            Value::Map(Map::with_type(t, Elem::Any, Some("common.Values"))),
        );
        match rt.execute(set, name, Value::Map(r.vals.clone()), 0) {
            Ok(s) => {
                out.insert(name.clone(), strip_no_value(s));
            }
            Err(e) => return Err(HelmError::Exec(reformat_exec_error(name, &e))),
        }
    }
    Ok(out)
}

/// Helm's `strings.ReplaceAll(out, "<no value>", "")`, without copying text that has none.
fn strip_no_value(s: String) -> String {
    if memchr::memmem::find(s.as_bytes(), b"<no value>").is_some() {
        s.replace("<no value>", "")
    } else {
        s
    }
}

fn release_map(r: &HelmRelease) -> Value {
    let mut m = BTreeMap::new();
    m.insert("Name".into(), Value::str(&r.name));
    m.insert("Namespace".into(), Value::str(&r.namespace));
    m.insert("IsUpgrade".into(), Value::Bool(r.is_upgrade));
    m.insert("IsInstall".into(), Value::Bool(r.is_install));
    m.insert("Revision".into(), Value::Int(r.revision));
    m.insert("Service".into(), Value::str(&r.service));
    Value::map(m)
}

#[allow(clippy::too_many_arguments)]
fn build_chart<'a>(
    c: &'a HelmChart<'a>,
    by_path: &BTreeMap<&str, &'a HelmChart<'a>>,
    caps: &Rc<dyn Object>,
    release: &Value,
    built: &mut BTreeMap<String, Map>,
    templates: &mut BTreeMap<String, Renderable<'a>>,
    depth: usize,
) -> Result<Map, HelmError> {
    if let Some(m) = built.get(&c.full_path) {
        return Ok(m.clone());
    }
    if depth > 100 {
        return Err(HelmError::Internal(format!(
            "chart {} is nested too deeply (or its subcharts form a cycle)",
            c.full_path
        )));
    }
    let next = Map::with_type(BTreeMap::new(), Elem::Any, Some("common.Values"));
    next.insert("Chart", Value::from_json(&c.chart));
    next.insert("Files", Value::Object(Rc::new(Files::new(&c.files))));
    next.insert("Release", release.clone());
    next.insert("Capabilities", Value::Object(caps.clone()));
    let values = match &c.values {
        serde_json::Value::Object(_) => Value::from_json_named(&c.values, "common.Values"),
        _ => Value::Map(Map::with_type(
            BTreeMap::new(),
            Elem::Any,
            Some("common.Values"),
        )),
    };
    next.insert("Values", values);
    let subcharts = Map::new();
    for child in &c.subcharts {
        let Some(cc) = by_path.get(child.as_str()) else {
            continue;
        };
        let cm = build_chart(cc, by_path, caps, release, built, templates, depth + 1)?;
        let name = child.rsplit('/').next().unwrap_or(child).to_string();
        subcharts.insert(name, Value::Map(cm));
    }
    next.insert("Subcharts", Value::Map(subcharts));
    let is_library = matches!(
        c.chart.get("Type").and_then(|t| t.as_str()),
        Some("library")
    );
    for (tname, text) in &c.templates {
        let base = tname.rsplit('/').next().unwrap_or(tname);
        if is_library && !base.starts_with('_') {
            continue;
        }
        templates.insert(
            format!("{}/{}", c.full_path, tname),
            Renderable {
                text: text.as_ref(),
                vals: next.clone(),
                base_path: format!("{}/templates", c.full_path),
            },
        );
    }
    built.insert(c.full_path.clone(), next.clone());
    Ok(next)
}

/// Helm's `sortTemplates`: deeper paths first, then reverse lexical order.
fn sort_templates(mut keys: Vec<String>) -> Vec<String> {
    // By name descending, then (stable) by depth descending: each name's depth is counted
    // once, not in every comparison.
    keys.sort_unstable_by(|a, b| b.cmp(a));
    keys.sort_by_cached_key(|k| std::cmp::Reverse(k.bytes().filter(|&b| b == b'/').count()));
    keys
}

fn warn_wrap(msg: &str) -> String {
    format!("{WARN_START}{msg}{WARN_END}")
}

fn add_helm_funcs(engine: &mut Engine, lint: bool) {
    use Param::*;
    engine.add_func(
        "include",
        Function::new(Signature::new(&[String, Any]), |ctx, a| {
            include(ctx, a[0].as_str().unwrap_or(""), a[1].clone())
        }),
    );
    engine.add_func(
        "tpl",
        Function::new(Signature::new(&[String, Any]), |ctx, a| {
            tpl(ctx, a[0].as_str().unwrap_or(""), a[1].clone())
        }),
    );
    engine.add_func(
        "required",
        Function::new(Signature::new(&[String, Any]), move |_, a| {
            let missing = match &a[1] {
                Value::Nil => true,
                Value::String(s) => s.is_empty(),
                _ => false,
            };
            if missing {
                if lint {
                    return Ok(Value::str(""));
                }
                return Err(TemplateError::plain(warn_wrap(a[0].as_str().unwrap_or(""))));
            }
            Ok(a[1].clone())
        }),
    );
    engine.add_func(
        "fail",
        Function::new(Signature::new(&[String]), move |_, a| {
            if lint {
                return Ok(Value::str(""));
            }
            Err(TemplateError::plain(warn_wrap(a[0].as_str().unwrap_or(""))))
        }),
    );
    engine.add_func(
        "lookup",
        Function::new(Signature::new(&[String, String, String, String]), |_, _| {
            Ok(Value::map(BTreeMap::new()))
        }),
    );
}

fn include(ctx: &mut Ctx<'_>, name: &str, data: Value) -> Result<Value, TemplateError> {
    // The runtime's counters hold only `include`'s nesting per template name.
    {
        let mut counters = ctx.rt.counters.borrow_mut();
        let n = match counters.get_mut(name) {
            Some(n) => n,
            None => counters.entry(name.to_string()).or_insert(0),
        };
        if *n > RECURSION_MAX {
            return Err(TemplateError::Wrapped {
                prefix: format!("rendering template has a nested reference name: {name}: "),
                inner: Box::new(TemplateError::plain("unable to execute template")),
            });
        }
        *n += 1;
    }
    let r = ctx.execute_template_value(name, data);
    if let Some(n) = ctx.rt.counters.borrow_mut().get_mut(name) {
        *n = n.saturating_sub(1);
    }
    r
}

fn tpl(ctx: &mut Ctx<'_>, text: &str, vals: Value) -> Result<Value, TemplateError> {
    // Text without an action prints itself (bitnami's `common.tplvalues.render` sends every
    // plain value through `tpl`): skip the parse and the execution.
    if !text.contains("{{") {
        return Ok(Value::string(strip_no_value(text.to_string())));
    }
    let mut child = TemplateSet::child(&ctx.set);
    let name = ctx.set.name().to_string();
    let parsed = {
        let funcs = ctx.rt.funcs.borrow();
        child.parse(&name, text, &|f| funcs.contains_key(f))
    };
    if let Err(e) = parsed {
        return Err(TemplateError::Wrapped {
            prefix: format!("cannot parse template {}: ", super::fmt::quote_go(text)),
            inner: Box::new(TemplateError::Parse(e)),
        });
    }
    let child = Rc::new(child);
    match ctx.execute_in(&child, &name, vals) {
        Ok(s) => Ok(Value::string(strip_no_value(s))),
        Err(e) => Err(TemplateError::Wrapped {
            prefix: format!(
                "error during tpl function execution for {}: ",
                super::fmt::quote_go(text)
            ),
            inner: Box::new(e),
        }),
    }
}

/// Helm's `cleanupParseError`.
fn cleanup_parse_error(filename: &str, msg: &str) -> String {
    let tokens: Vec<&str> = msg.split(": ").collect();
    if tokens.len() == 1 {
        return format!("parse error in ({filename}): {msg}");
    }
    format!(
        "parse error at ({}): {}",
        tokens[1],
        tokens[tokens.len() - 1]
    )
}

#[derive(PartialEq, Eq, Clone, Debug)]
struct Traceable {
    location: String,
    message: String,
    executed_function: String,
}

impl Traceable {
    fn render(&self) -> String {
        let mut s = String::new();
        if !self.location.is_empty() {
            s.push_str(&format!("{}\n  ", self.location));
        }
        if !self.executed_function.is_empty() {
            s.push_str(&format!("{}\n    ", self.executed_function));
        }
        if !self.message.is_empty() {
            s.push_str(&format!("{}\n", self.message));
        }
        s
    }
}

fn parse_exec_error_string(s: &str) -> Option<Traceable> {
    let remainder = s.strip_prefix("template: ")?;
    if remainder.starts_with("no template ") {
        return Some(Traceable {
            location: String::new(),
            message: s.to_string(),
            executed_function: String::new(),
        });
    }
    if let Some((tname, after)) = remainder.split_once(": executing ") {
        if let Some(rest) = after.strip_prefix('"')
            && let Some(end_quote) = rest.find('"')
        {
            let function_name = &rest[..end_quote];
            let after_func = &rest[end_quote + 1..];
            if let Some(after_at) = after_func.strip_prefix(" at <")
                && let Some((loc_name, err_msg)) = after_at.split_once(">: ")
            {
                let err_msg = match err_msg.find(" template:") {
                    Some(cut) => &err_msg[..cut],
                    None => err_msg,
                };
                return Some(Traceable {
                    location: tname.to_string(),
                    message: err_msg.to_string(),
                    executed_function: format!("executing \"{function_name}\" at <{loc_name}>:"),
                });
            }
        }
        return None;
    }
    if let Some(sep) = remainder.rfind(": ") {
        let tname = &remainder[..sep];
        let mut err_msg = &remainder[sep + 2..];
        if let Some(cut) = err_msg.find(" template:") {
            err_msg = &err_msg[..cut];
        }
        return Some(Traceable {
            location: tname.to_string(),
            message: err_msg.to_string(),
            executed_function: String::new(),
        });
    }
    None
}

/// Helm's `reformatExecErrorMsg`.
fn reformat_exec_error(filename: &str, err: &TemplateError) -> String {
    let text = err.to_string();
    if !err.is_exec() {
        return text;
    }
    let tokens: Vec<&str> = text.splitn(3, ": ").collect();
    if tokens.len() != 3 {
        return format!("execution error in ({filename}): {text}");
    }
    let location = tokens[1];
    if let Some(start) = tokens[2].find(WARN_START) {
        let after = &tokens[2][start + WARN_START.len()..];
        if let Some(end) = after.rfind(WARN_END) {
            return format!("execution error at ({location}): {}", &after[..end]);
        }
    }
    let mut locations: Vec<Traceable> = Vec::new();
    for s in err.unwrap_chain() {
        match parse_exec_error_string(&s) {
            Some(t) => {
                if locations.last() != Some(&t) {
                    locations.push(t);
                }
            }
            None => return text,
        }
    }
    let joined: String = locations.iter().map(Traceable::render).collect();
    joined.trim().to_string()
}

/// `.Files`: a chart's files (Go type `engine.files`, a `map[string][]byte` with methods).
#[derive(Debug)]
pub struct Files {
    files: BTreeMap<String, Rc<[u8]>>,
}

impl Files {
    pub fn new(files: &[(String, Cow<'_, [u8]>)]) -> Files {
        Files {
            files: files
                .iter()
                .map(|(k, v)| (k.clone(), Rc::from(v.as_ref())))
                .collect(),
        }
    }

    fn as_map(&self) -> Value {
        Value::map(
            self.files
                .iter()
                .map(|(k, v)| (k.clone(), Value::Bytes(v.clone())))
                .collect(),
        )
    }

    fn glob(&self, pattern: &str) -> Files {
        let re = glob_regex(pattern).unwrap_or_else(|| glob_regex("**").expect("valid"));
        Files {
            files: self
                .files
                .iter()
                .filter(|(k, _)| re.is_match(k))
                .map(|(k, v)| (k.clone(), v.clone()))
                .collect(),
        }
    }

    fn as_config(&self, secrets: bool) -> String {
        let mut m = BTreeMap::new();
        for (k, v) in &self.files {
            let base = k.rsplit('/').next().unwrap_or(k).to_string();
            let s = if secrets {
                base64::engine::general_purpose::STANDARD.encode(v)
            } else {
                String::from_utf8_lossy(v).into_owned()
            };
            m.insert(base, Value::string(s));
        }
        let Ok(mut y) = super::yaml_out::to_yaml(&Value::map(m)) else {
            return String::new();
        };
        if y.ends_with('\n') {
            y.pop();
        }
        y
    }
}

/// gobwas/glob with `/` as separator, as a regex: `*` and `?` stay within a path segment,
/// `**` crosses segments, `[...]`/`[!...]` classes, `{a,b}` alternatives, `\` escapes.
fn glob_regex(pattern: &str) -> Option<regex::Regex> {
    let mut re = String::from("^");
    let chars: Vec<char> = pattern.chars().collect();
    let mut i = 0;
    let mut alt_depth = 0;
    while i < chars.len() {
        let c = chars[i];
        match c {
            '*' => {
                if chars.get(i + 1) == Some(&'*') {
                    re.push_str(".*");
                    i += 1;
                } else {
                    re.push_str("[^/]*");
                }
            }
            '?' => re.push_str("[^/]"),
            '[' => {
                let mut j = i + 1;
                let mut class = String::from("[");
                if chars.get(j) == Some(&'!') {
                    class.push('^');
                    j += 1;
                }
                let start = j;
                while j < chars.len() && chars[j] != ']' {
                    let ch = chars[j];
                    if ch == '\\' || ch == '[' || ch == '^' || ch == '&' || ch == '~' {
                        class.push('\\');
                    }
                    class.push(ch);
                    j += 1;
                }
                if j >= chars.len() || j == start {
                    return None;
                }
                class.push(']');
                re.push_str(&class);
                i = j;
            }
            '{' => {
                alt_depth += 1;
                re.push_str("(?:");
            }
            '}' if alt_depth > 0 => {
                alt_depth -= 1;
                re.push(')');
            }
            ',' if alt_depth > 0 => re.push('|'),
            '\\' => {
                i += 1;
                let n = *chars.get(i)?;
                re.push_str(&regex::escape(&n.to_string()));
            }
            c => re.push_str(&regex::escape(&c.to_string())),
        }
        i += 1;
    }
    if alt_depth != 0 {
        return None;
    }
    re.push('$');
    regex::Regex::new(&re).ok()
}

impl Object for Files {
    fn type_name(&self) -> String {
        "engine.files".into()
    }
    fn kind(&self) -> Kind {
        Kind::Map
    }
    fn method(&self, name: &str) -> Option<Signature> {
        Some(match name {
            "Get" | "GetBytes" | "Glob" | "Lines" => Signature::new(&[Param::String]),
            "AsConfig" | "AsSecrets" => Signature::new(&[]),
            _ => return None,
        })
    }
    fn call_method(&self, name: &str, args: Vec<Value>) -> Result<Value, String> {
        let arg = args.first().and_then(|a| a.as_str()).unwrap_or("");
        Ok(match name {
            "Get" => Value::string(
                self.files
                    .get(arg)
                    .map(|b| String::from_utf8_lossy(b).into_owned())
                    .unwrap_or_default(),
            ),
            "GetBytes" => Value::Bytes(
                self.files
                    .get(arg)
                    .cloned()
                    .unwrap_or_else(|| Rc::from(&[][..])),
            ),
            "Glob" => Value::Object(Rc::new(self.glob(arg))),
            "AsConfig" => Value::string(self.as_config(false)),
            "AsSecrets" => Value::string(self.as_config(true)),
            "Lines" => {
                let Some(b) = self.files.get(arg).filter(|b| !b.is_empty()) else {
                    return Ok(Value::string_list(Vec::new()));
                };
                let mut s = String::from_utf8_lossy(b).into_owned();
                if s.ends_with('\n') {
                    s.pop();
                }
                Value::string_list(s.split('\n').map(str::to_string).collect())
            }
            _ => return Err(format!("no method {name}")),
        })
    }
    fn format(&self) -> String {
        super::fmt::format_v(&self.as_map())
    }
    fn as_collection(&self) -> Option<Value> {
        Some(self.as_map())
    }
    fn as_any(&self) -> &dyn std::any::Any {
        self
    }
}

/// `.Capabilities` (`*common.Capabilities`).
#[derive(Debug)]
struct Capabilities {
    kube: Rc<dyn Object>,
    api: Rc<dyn Object>,
    helm: Rc<dyn Object>,
}

impl Capabilities {
    fn new(c: &HelmCapabilities) -> Capabilities {
        let normalized = if c.kube_version_normalized.is_empty() {
            c.kube_version.clone()
        } else {
            c.kube_version_normalized.clone()
        };
        Capabilities {
            kube: Rc::new(KubeVersion {
                version: c.kube_version.clone(),
                normalized,
                major: c.major.clone(),
                minor: c.minor.clone(),
            }),
            api: Rc::new(VersionSet(c.api_versions.clone())),
            helm: Rc::new(BuildInfo {
                version: c.helm_version.clone(),
                git_commit: c.helm_git_commit.clone(),
                git_tree_state: c.helm_git_tree_state.clone(),
                go_version: c.helm_go_version.clone(),
                kube_client_version: c.helm_kube_client_version.clone(),
            }),
        }
    }
}

impl Object for Capabilities {
    fn type_name(&self) -> String {
        "*common.Capabilities".into()
    }
    fn kind(&self) -> Kind {
        Kind::Ptr
    }
    fn field(&self, name: &str) -> Option<Value> {
        Some(Value::Object(match name {
            "KubeVersion" => self.kube.clone(),
            "APIVersions" => self.api.clone(),
            "HelmVersion" => self.helm.clone(),
            _ => return None,
        }))
    }
    fn format(&self) -> String {
        let kube = self
            .kube
            .as_any()
            .downcast_ref::<KubeVersion>()
            .map(|k| format!("{{{} {} {} {}}}", k.version, k.normalized, k.major, k.minor))
            .unwrap_or_default();
        format!("{{{} {} {}}}", kube, self.api.format(), self.helm.format())
    }
    fn to_json(&self) -> Option<serde_json::Value> {
        Some(serde_json::json!({
            "KubeVersion": self.kube.to_json(),
            "APIVersions": self.api.to_json(),
            "HelmVersion": self.helm.to_json(),
        }))
    }
    fn as_any(&self) -> &dyn std::any::Any {
        self
    }
}

#[derive(Debug)]
struct KubeVersion {
    version: String,
    normalized: String,
    major: String,
    minor: String,
}

impl Object for KubeVersion {
    fn type_name(&self) -> String {
        "common.KubeVersion".into()
    }
    fn field(&self, name: &str) -> Option<Value> {
        Some(Value::str(match name {
            "Version" => &self.version,
            "Major" => &self.major,
            "Minor" => &self.minor,
            _ => return None,
        }))
    }
    fn method(&self, name: &str) -> Option<Signature> {
        matches!(name, "String" | "GitVersion").then(|| Signature::new(&[]))
    }
    fn call_method(&self, name: &str, _args: Vec<Value>) -> Result<Value, String> {
        Ok(Value::str(if name == "GitVersion" {
            &self.version
        } else {
            &self.normalized
        }))
    }
    fn format(&self) -> String {
        self.normalized.clone()
    }
    fn to_json(&self) -> Option<serde_json::Value> {
        Some(serde_json::json!({
            "Version": self.version, "Major": self.major, "Minor": self.minor
        }))
    }
    fn as_any(&self) -> &dyn std::any::Any {
        self
    }
}

#[derive(Debug)]
struct VersionSet(Vec<String>);

impl Object for VersionSet {
    fn type_name(&self) -> String {
        "common.VersionSet".into()
    }
    fn kind(&self) -> Kind {
        Kind::Slice
    }
    fn method(&self, name: &str) -> Option<Signature> {
        (name == "Has").then(|| Signature::new(&[Param::String]))
    }
    fn call_method(&self, _name: &str, args: Vec<Value>) -> Result<Value, String> {
        let want = args.first().and_then(|a| a.as_str()).unwrap_or("");
        Ok(Value::Bool(self.0.iter().any(|v| v == want)))
    }
    fn format(&self) -> String {
        format!("[{}]", self.0.join(" "))
    }
    fn as_collection(&self) -> Option<Value> {
        Some(Value::string_list(self.0.clone()))
    }
    fn as_any(&self) -> &dyn std::any::Any {
        self
    }
}

#[derive(Debug)]
struct BuildInfo {
    version: String,
    git_commit: String,
    git_tree_state: String,
    go_version: String,
    kube_client_version: String,
}

impl Object for BuildInfo {
    fn type_name(&self) -> String {
        "version.BuildInfo".into()
    }
    fn field(&self, name: &str) -> Option<Value> {
        Some(Value::str(match name {
            "Version" => &self.version,
            "GitCommit" => &self.git_commit,
            "GitTreeState" => &self.git_tree_state,
            "GoVersion" => &self.go_version,
            "KubeClientVersion" => &self.kube_client_version,
            _ => return None,
        }))
    }
    fn format(&self) -> String {
        format!(
            "{{{} {} {} {} {}}}",
            self.version,
            self.git_commit,
            self.git_tree_state,
            self.go_version,
            self.kube_client_version
        )
    }
    fn to_json(&self) -> Option<serde_json::Value> {
        Some(serde_json::json!({
            "version": self.version,
            "git_commit": self.git_commit,
            "git_tree_state": self.git_tree_state,
            "go_version": self.go_version,
            "kube_client_version": self.kube_client_version,
        }))
    }
    fn as_any(&self) -> &dyn std::any::Any {
        self
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn templates_sort_deepest_first_then_reverse_lexical_like_helm() {
        let keys = [
            "p/templates/a.yaml",
            "p/charts/c/templates/x.yaml",
            "p/templates/b.yaml",
            "p/charts/c/templates/sub/y.yaml",
            "p/charts/b/templates/z.yaml",
            "p/templates/_h.tpl",
        ];
        let sorted = sort_templates(keys.iter().map(|k| k.to_string()).collect());
        assert_eq!(
            sorted,
            [
                "p/charts/c/templates/sub/y.yaml",
                "p/charts/c/templates/x.yaml",
                "p/charts/b/templates/z.yaml",
                "p/templates/b.yaml",
                "p/templates/a.yaml",
                "p/templates/_h.tpl",
            ]
        );
    }

    fn chart(
        name: &str,
        templates: &[(&str, &str)],
        values: serde_json::Value,
    ) -> HelmChart<'static> {
        HelmChart {
            full_path: name.into(),
            templates: templates
                .iter()
                .map(|(n, t)| (n.to_string(), Cow::Owned(t.to_string())))
                .collect(),
            values,
            chart: json!({"Name": name, "Version": "0.1.0", "IsRoot": true}),
            files: vec![
                ("config/a.txt".into(), b"A".to_vec().into()),
                ("config/sub/b.txt".into(), b"B\nC\n".to_vec().into()),
            ],
            subcharts: vec![],
        }
    }

    fn render1(tpl: &str, values: serde_json::Value) -> Result<String, HelmError> {
        let input = HelmRenderInput {
            charts: vec![chart("c", &[("templates/t.yaml", tpl)], values)],
            ..Default::default()
        };
        render(&input).map(|m| m["c/templates/t.yaml"].clone())
    }

    #[test]
    fn objects() {
        let out = render1(
            "{{ .Release.Name }} {{ .Release.Revision }} {{ .Chart.Name }} {{ .Template.Name }} {{ .Template.BasePath }} {{ .Capabilities.KubeVersion }} {{ .Capabilities.KubeVersion.Minor }} {{ .Capabilities.HelmVersion.Version }}",
            json!({}),
        )
        .unwrap();
        assert_eq!(
            out,
            "release-name 1 c c/templates/t.yaml c/templates v1.37.0 37 v4.3.1"
        );
    }

    #[test]
    fn files_methods() {
        let out = render1(
            "{{ .Files.Get \"config/a.txt\" }}|{{ .Files.Glob \"config/**\" | len }}|{{ (.Files.Glob \"config/*\").AsConfig }}|{{ (.Files.Glob \"config/**\").AsSecrets }}|{{ .Files.Lines \"config/sub/b.txt\" }}|{{ .Files.GetBytes \"nope\" }}",
            json!({}),
        )
        .unwrap();
        assert_eq!(out, "A|2|a.txt: A|a.txt: QQ==\nb.txt: QgpDCg==|[B C]|[]");
    }

    #[test]
    fn include_tpl_required() {
        let out = render1(
            "{{ define \"x\" }}[{{ .a }}]{{ end }}{{ include \"x\" .Values }} {{ tpl \"{{ .Values.a }}-{{ .Release.Name }}\" . }} {{ .Values.missing }}",
            json!({"a": 1}),
        )
        .unwrap();
        assert_eq!(out, "[1] 1-release-name ");
        let err = render1("a: {{ required \"need a\" .Values.q }}", json!({})).unwrap_err();
        assert_eq!(
            err.to_string(),
            "execution error at (c/templates/t.yaml:1:6): need a"
        );
        let err = render1("{{ .Values.a.b }}", json!({})).unwrap_err();
        assert_eq!(
            err.to_string(),
            "c/templates/t.yaml:1:10\n  executing \"c/templates/t.yaml\" at <.Values.a.b>:\n    nil pointer evaluating interface {}.b"
        );
        let err = render1("{{ if }}", json!({})).unwrap_err();
        assert_eq!(
            err.to_string(),
            "parse error at (c/templates/t.yaml:1): missing value for if"
        );
    }

    #[test]
    fn include_recursion_is_bounded() {
        let err = render1(
            "{{ define \"r\" }}{{ include \"r\" . }}{{ end }}{{ include \"r\" . }}",
            json!({}),
        )
        .unwrap_err();
        assert!(
            err.to_string().contains(
                "rendering template has a nested reference name: r: unable to execute template"
            ),
            "{err}"
        );
    }

    #[test]
    fn parent_defines_win_and_partials_are_skipped() {
        let mut parent = chart(
            "p",
            &[
                ("templates/_h.tpl", "{{ define \"n\" }}parent{{ end }}"),
                ("templates/a.yaml", "{{ include \"n\" . }} {{ .Values.x }}"),
            ],
            json!({"x": "px"}),
        );
        parent.subcharts = vec!["p/charts/s".into()];
        let child = HelmChart {
            full_path: "p/charts/s".into(),
            templates: vec![
                (
                    "templates/_h.tpl".into(),
                    "{{ define \"n\" }}child{{ end }}".into(),
                ),
                (
                    "templates/b.yaml".into(),
                    "{{ include \"n\" . }} {{ .Values.x }}".into(),
                ),
            ],
            values: json!({"x": "sx"}),
            chart: json!({"Name": "s", "IsRoot": false}),
            ..Default::default()
        };
        let out = render(&HelmRenderInput {
            charts: vec![parent, child],
            ..Default::default()
        })
        .unwrap();
        assert_eq!(out.len(), 2);
        assert_eq!(out["p/templates/a.yaml"], "parent px");
        assert_eq!(out["p/charts/s/templates/b.yaml"], "parent sx");
    }

    #[test]
    fn globs() {
        let re = glob_regex("config/*").unwrap();
        assert!(re.is_match("config/a.txt") && !re.is_match("config/sub/b.txt"));
        let re = glob_regex("**/b.txt").unwrap();
        assert!(re.is_match("config/sub/b.txt"));
        let re = glob_regex("{a,b}.txt").unwrap();
        assert!(re.is_match("b.txt"));
        assert!(glob_regex("[").is_none());
    }
}
