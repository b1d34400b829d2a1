//! Template sets (Go's `*template.Template` family sharing one namespace) and the public
//! [`Engine`]: parse named texts into one namespace, then execute any template by name.
//! A set can be layered over a parent (how Helm's `tpl` sees the chart's templates plus the
//! `define`s of its own text) without copying the parent.

use super::error::TemplateError;
use super::exec::{FuncMap, Function, Options, Runtime, YamlReader};
use super::fxhash::FxBuildHasher;
use super::node::{Tree, is_empty_list};
use super::parse::{ParseError, SendParsed, Tables, parse, parse_with};
use super::value::Value;
use std::collections::{HashMap, HashSet};
use std::rc::Rc;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};

/// A namespace of templates, optionally layered over a parent namespace.
#[derive(Debug, Default)]
pub struct TemplateSet {
    name: String,
    trees: HashMap<String, Rc<Tree>, FxBuildHasher>,
    parent: Option<Rc<TemplateSet>>,
}

impl TemplateSet {
    /// An empty set; `name` is the name Go's root template would have (used in
    /// "no template X associated with template NAME").
    pub fn new(name: &str) -> TemplateSet {
        TemplateSet {
            name: name.to_string(),
            trees: HashMap::default(),
            parent: None,
        }
    }

    /// A new empty layer over `parent`: lookups fall through to the parent.
    pub fn child(parent: &Rc<TemplateSet>) -> TemplateSet {
        TemplateSet {
            name: parent.name.clone(),
            trees: HashMap::default(),
            parent: Some(parent.clone()),
        }
    }

    pub fn name(&self) -> &str {
        &self.name
    }

    pub(crate) fn lookup(&self, name: &str) -> Option<Rc<Tree>> {
        let mut cur = Some(self);
        while let Some(s) = cur {
            if let Some(t) = s.trees.get(name) {
                return Some(t.clone());
            }
            cur = s.parent.as_deref();
        }
        None
    }

    /// Is a template of this name defined?
    pub fn has(&self, name: &str) -> bool {
        self.lookup(name).is_some()
    }

    /// Parses `text` as template `name` and adds it and its `define`s, with Go's rule that an
    /// empty definition never replaces a non-empty one.
    pub fn parse(
        &mut self,
        name: &str,
        text: &str,
        has_function: &dyn Fn(&str) -> bool,
    ) -> Result<(), ParseError> {
        let trees = parse(name, text, has_function)?;
        self.insert_trees(trees);
        Ok(())
    }

    /// Adds the trees of one parsed text, with Go's rule that an empty definition never
    /// replaces a non-empty one.
    fn insert_trees(&mut self, trees: Vec<Tree>) {
        for t in trees {
            if is_empty_list(&t.root) && self.lookup(&t.name).is_some() {
                continue;
            }
            self.trees.insert(t.name.clone(), Rc::new(t));
        }
    }

    /// Names of the templates defined in this layer (not the parents), sorted.
    pub fn own_names(&self) -> Vec<String> {
        let mut v: Vec<String> = self.trees.keys().cloned().collect();
        v.sort();
        v
    }
}

/// Below this many bytes of template text, [`Engine::parse_many`] stays on one thread. A
/// second thread costs about half a millisecond on a small VM (its start, its own allocator
/// pages, waiting for a CPU): whole-process medians were even for bitnami postgresql (240 KB
/// of templates), 7% better on one thread for jenkins (100 KB) and 4% better on two for
/// kube-prometheus-stack (1.6 MB).
const PARALLEL_PARSE_MIN_BYTES: usize = 384 * 1024;
/// Stack of the helper parse thread (the parser recurses on nested actions; reserved, not
/// committed, memory).
const PARSE_STACK: usize = 256 * 1024 * 1024;

/// The set behind `set`, copied first if it is shared (copy on write).
fn unique(set: &mut Rc<TemplateSet>) -> &mut TemplateSet {
    if Rc::get_mut(set).is_none() {
        let old = &**set;
        let copy = TemplateSet {
            name: old.name.clone(),
            trees: old.trees.clone(),
            parent: old.parent.clone(),
        };
        *set = Rc::new(copy);
    }
    Rc::get_mut(set).expect("unique after copy")
}

/// A Go template engine: functions, options and one template namespace.
pub struct Engine {
    set: Rc<TemplateSet>,
    /// Shared with the runtimes made from this engine (copied only if changed after).
    funcs: Rc<FuncMap>,
    options: Options,
    yaml_reader: Option<Rc<YamlReader>>,
}

impl Default for Engine {
    fn default() -> Self {
        Engine::new()
    }
}

impl Engine {
    /// An engine with Go's builtin functions only.
    pub fn new() -> Engine {
        Engine {
            set: Rc::new(TemplateSet::new("")),
            funcs: Rc::new(super::builtins::builtins()),
            options: Options::default(),
            yaml_reader: None,
        }
    }

    /// An engine with Go's builtins, Sprig's functions (as Helm registers them, without
    /// `env`/`expandenv`) and Helm's serialisation helpers; `include`/`tpl`/`required` are
    /// added by the Helm layer.
    pub fn with_sprig() -> Engine {
        let mut e = Engine::new();
        super::sprig::register(Rc::make_mut(&mut e.funcs));
        e
    }

    /// Names the root of the namespace (Go's `template.New(name)`).
    pub fn set_name(&mut self, name: &str) {
        self.set_mut().name = name.to_string();
    }

    pub fn options(&self) -> Options {
        self.options
    }

    pub fn set_options(&mut self, options: Options) {
        self.options = options;
    }

    /// Adds or replaces a function (user functions override Go's builtins, as in Go).
    pub fn add_func(&mut self, name: &str, f: Function) {
        Rc::make_mut(&mut self.funcs).insert(name.to_string(), f);
    }

    pub fn funcs(&self) -> &FuncMap {
        &self.funcs
    }

    fn set_mut(&mut self) -> &mut TemplateSet {
        unique(&mut self.set)
    }

    /// Parses `text` as template `name` (Go's `t.New(name).Parse(text)`).
    pub fn parse(&mut self, name: &str, text: &str) -> Result<(), ParseError> {
        let funcs = self.funcs.clone();
        self.set_mut()
            .parse(name, text, &|f: &str| funcs.contains_key(f))
    }

    /// Parses many `(name, text)` pairs into the namespace, with the result of parsing them
    /// one by one in the given order (later texts' definitions win, the first error in order is
    /// returned with its index). Big inputs are parsed on two threads; the trees are added in
    /// order afterwards, so the result never depends on timing.
    pub fn parse_many(&mut self, texts: &[(&str, &str)]) -> Result<(), (usize, ParseError)> {
        let total: usize = texts.iter().map(|(_, t)| t.len()).sum();
        let threads = if total >= PARALLEL_PARSE_MIN_BYTES {
            std::thread::available_parallelism().map_or(1, |n| n.get())
        } else {
            1
        };
        if threads < 2 {
            // One set of tables for all texts (see `Tables`); trees are added text by text, so
            // a later text's definitions replace earlier ones as when parsing one by one.
            let funcs = self.funcs.clone();
            let has = |f: &str| funcs.contains_key(f);
            let mut tables = Tables::for_text_len(total);
            for (i, (name, text)) in texts.iter().enumerate() {
                let trees = parse_with(name, text, &has, &mut tables).map_err(|e| (i, e))?;
                unique(&mut self.set).insert_trees(trees);
            }
            return Ok(());
        }
        // Both threads take the next unparsed text from a shared counter (so a few big files
        // cannot unbalance the split). Results carry their index and are added in order.
        // After an error no thread takes new texts; every text before the first error has
        // been taken (the counter only grows) and finished, so the error reported is always
        // the first in order, as when parsing one by one. Each thread interns into tables of
        // its own and hands its results over as one bundle (see `SendParsed`).
        let next = AtomicUsize::new(0);
        let failed = AtomicBool::new(false);
        // The function map holds `Rc`s: the threads share a set of its names instead.
        let names: HashSet<&str, FxBuildHasher> = self.funcs.keys().map(String::as_str).collect();
        let has = |f: &str| names.contains(f);
        let work = || -> SendParsed {
            let mut tables = Tables::for_text_len(total / 2);
            let mut out = Vec::new();
            while !failed.load(Ordering::Relaxed) {
                let i = next.fetch_add(1, Ordering::Relaxed);
                let Some((name, text)) = texts.get(i) else {
                    break;
                };
                let r = parse_with(name, text, &has, &mut tables);
                if r.is_err() {
                    failed.store(true, Ordering::Relaxed);
                }
                out.push((i, r));
            }
            SendParsed::new(out, tables)
        };
        let mut results = std::thread::scope(|scope| {
            let helper = std::thread::Builder::new()
                .name("gotmpl-parse".into())
                .stack_size(PARSE_STACK)
                .spawn_scoped(scope, work);
            let mut mine = work().into_inner();
            // A helper that could not start or failed leaves its texts to this thread.
            if let Ok(Ok(other)) = helper.map(|h| h.join()) {
                mine.extend(other.into_inner());
            }
            mine
        });
        // A helper that failed loses its results: parse here whatever is missing before the
        // first error (or all of it), so the outcome is still that of parsing in order.
        let first_err = results
            .iter()
            .filter(|(_, r)| r.is_err())
            .map(|(i, _)| *i)
            .min()
            .unwrap_or(texts.len());
        if results.iter().filter(|(i, _)| *i < first_err).count() < first_err {
            let done: HashSet<usize> = results.iter().map(|(i, _)| *i).collect();
            for i in (0..first_err).filter(|i| !done.contains(i)) {
                let (name, text) = texts[i];
                results.push((i, parse(name, text, &has)));
            }
        }
        results.sort_unstable_by_key(|(i, _)| *i);
        let set = unique(&mut self.set);
        for (i, r) in results {
            match r {
                Ok(trees) => set.insert_trees(trees),
                Err(e) => return Err((i, e)),
            }
        }
        Ok(())
    }

    /// Is a template of this name defined?
    pub fn has_template(&self, name: &str) -> bool {
        self.set.has(name)
    }

    /// The namespace, for executing with a shared [`Runtime`].
    pub fn template_set(&self) -> Rc<TemplateSet> {
        self.set.clone()
    }

    /// A runtime for executing this engine's templates (shared counters and step budget).
    pub fn runtime(&self) -> Runtime {
        let mut rt = Runtime::new(self.funcs.clone(), self.options);
        rt.yaml_reader = self.yaml_reader.clone();
        rt
    }

    /// Sets the YAML reader `fromYaml` and `fromYamlArray` use.
    pub fn set_yaml_reader(&mut self, reader: Rc<YamlReader>) {
        self.yaml_reader = Some(reader);
    }

    /// Executes template `name` on `data` and returns its output.
    pub fn execute(&self, name: &str, data: &Value) -> Result<String, TemplateError> {
        let rt = self.runtime();
        rt.execute(&self.set, name, data.clone(), 0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Texts big enough for `parse_many` to use its helper thread, with `define`s that later
    /// texts override (and one empty definition that must not replace a non-empty one).
    fn texts() -> Vec<(String, String)> {
        let filler = "x: {{ .Values.a | default \"b\" | quote }}\n".repeat(1000);
        let mut v = Vec::new();
        for i in 0..12 {
            let body = format!(
                "{{{{- define \"shared\" }}}}from {i}{{{{ end }}}}{{{{ define \"own{i}\" }}}}{i}{{{{ end }}}}{filler}"
            );
            v.push((format!("t{i:02}"), body));
        }
        v.push(("t99".into(), "{{ define \"own3\" }}{{ end }}".into()));
        v
    }

    fn render_all(e: &Engine) -> Vec<String> {
        let mut names = e.template_set().own_names();
        names.retain(|n| !n.starts_with('t'));
        names
            .iter()
            .map(|n| e.execute(n, &Value::Nil).unwrap_or_else(|x| x.to_string()))
            .collect()
    }

    #[test]
    fn parse_many_matches_parsing_one_by_one() {
        let owned = texts();
        let texts: Vec<(&str, &str)> = owned
            .iter()
            .map(|(a, b)| (a.as_str(), b.as_str()))
            .collect();
        assert!(texts.iter().map(|t| t.1.len()).sum::<usize>() >= PARALLEL_PARSE_MIN_BYTES);
        let mut one = Engine::with_sprig();
        for (n, t) in &texts {
            one.parse(n, t).unwrap();
        }
        let mut many = Engine::with_sprig();
        many.parse_many(&texts).unwrap();
        assert_eq!(
            one.template_set().own_names(),
            many.template_set().own_names()
        );
        let out = render_all(&many);
        assert_eq!(render_all(&one), out);
        assert!(out.contains(&"from 11".to_string()));
        assert!(out.contains(&"3".to_string()));
    }

    #[test]
    fn parse_many_reports_the_first_error_in_order() {
        let owned = texts();
        let mut texts: Vec<(&str, &str)> = owned
            .iter()
            .map(|(a, b)| (a.as_str(), b.as_str()))
            .collect();
        texts[4].1 = "{{ nosuchfunc }}";
        texts[10].1 = "{{ if }}";
        let mut e = Engine::with_sprig();
        let (i, err) = e.parse_many(&texts).unwrap_err();
        assert_eq!(i, 4);
        assert!(
            err.message.contains("function \"nosuchfunc\" not defined"),
            "{err}"
        );
        texts[4] = texts[3];
        let (i, err) = Engine::with_sprig().parse_many(&texts).unwrap_err();
        assert_eq!(i, 10);
        assert!(err.message.contains("missing value for if"), "{err}");
    }
}
