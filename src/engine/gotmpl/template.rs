//! Template sets (Go's `*template.Template` family sharing one namespace) and the public
//! [`Engine`]: parse named texts into one namespace, then execute any template by name.
//! A set can be layered over a parent (how Helm's `tpl` sees the chart's templates plus the
//! `define`s of its own text) without copying the parent.

use super::error::TemplateError;
use super::exec::{FuncMap, Function, Options, Runtime, YamlReader};
use super::node::{Tree, is_empty_list};
use super::parse::{ParseError, parse};
use super::value::Value;
use std::collections::HashMap;
use std::rc::Rc;

/// A namespace of templates, optionally layered over a parent namespace.
#[derive(Debug, Default)]
pub struct TemplateSet {
    name: String,
    trees: HashMap<String, Rc<Tree>>,
    parent: Option<Rc<TemplateSet>>,
}

impl TemplateSet {
    /// An empty set; `name` is the name Go's root template would have (used in
    /// "no template X associated with template NAME").
    pub fn new(name: &str) -> TemplateSet {
        TemplateSet {
            name: name.to_string(),
            trees: HashMap::new(),
            parent: None,
        }
    }

    /// A new empty layer over `parent`: lookups fall through to the parent.
    pub fn child(parent: &Rc<TemplateSet>) -> TemplateSet {
        TemplateSet {
            name: parent.name.clone(),
            trees: HashMap::new(),
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
        for t in trees {
            if is_empty_list(&t.root) && self.lookup(&t.name).is_some() {
                continue;
            }
            self.trees.insert(t.name.clone(), Rc::new(t));
        }
        Ok(())
    }

    /// Names of the templates defined in this layer (not the parents), sorted.
    pub fn own_names(&self) -> Vec<String> {
        let mut v: Vec<String> = self.trees.keys().cloned().collect();
        v.sort();
        v
    }
}

/// A Go template engine: functions, options and one template namespace.
pub struct Engine {
    set: Rc<TemplateSet>,
    funcs: FuncMap,
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
            funcs: super::builtins::builtins(),
            options: Options::default(),
            yaml_reader: None,
        }
    }

    /// An engine with Go's builtins, Sprig's functions (as Helm registers them, without
    /// `env`/`expandenv`) and Helm's serialisation helpers; `include`/`tpl`/`required` are
    /// added by the Helm layer.
    pub fn with_sprig() -> Engine {
        let mut e = Engine::new();
        super::sprig::register(&mut e.funcs);
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
        self.funcs.insert(name.to_string(), f);
    }

    pub fn funcs(&self) -> &FuncMap {
        &self.funcs
    }

    fn set_mut(&mut self) -> &mut TemplateSet {
        if Rc::get_mut(&mut self.set).is_none() {
            let old = &self.set;
            let copy = TemplateSet {
                name: old.name.clone(),
                trees: old.trees.clone(),
                parent: old.parent.clone(),
            };
            self.set = Rc::new(copy);
        }
        Rc::get_mut(&mut self.set).expect("unique after copy")
    }

    /// Parses `text` as template `name` (Go's `t.New(name).Parse(text)`).
    pub fn parse(&mut self, name: &str, text: &str) -> Result<(), ParseError> {
        let funcs = std::mem::take(&mut self.funcs);
        let r = self
            .set_mut()
            .parse(name, text, &|f: &str| funcs.contains_key(f));
        self.funcs = funcs;
        r
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
        let mut rt = Runtime::new(Rc::new(self.funcs.clone()), self.options);
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
