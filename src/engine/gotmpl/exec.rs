//! The executor: walks a parsed [`Tree`] over a [`Value`] with Go `text/template` semantics
//! (truthiness, field chains, `missingkey`, pipelines, variables, `range` over lists, sorted
//! maps and integers, `break`/`continue`, template calls) and Go's argument type checks for
//! function calls. Errors carry Go's location and node text. Output size, total work and
//! template nesting are bounded so hostile templates fail cleanly.

use super::error::TemplateError;
use super::fmt as gofmt;
use super::node::*;
use super::template::TemplateSet;
use super::value::{Elem, Param, Signature, Value};
use std::cell::{Cell, RefCell};
use std::collections::HashMap;
use std::rc::Rc;

/// What a missing map key evaluates to (Go's `missingkey` option).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Default)]
pub enum MissingKey {
    /// Go's default: an invalid value (prints `<no value>`).
    #[default]
    Invalid,
    /// `missingkey=zero`: the zero value of the map's element type (Helm's default).
    Zero,
    /// `missingkey=error`: execution stops (Helm's `--strict`).
    Error,
}

/// Bounds on one execution, so hostile templates end with an error.
#[derive(Clone, Copy, Debug)]
pub struct Limits {
    /// Maximum nesting of template calls (`template`, `include`, `tpl`).
    pub max_depth: usize,
    /// Maximum bytes of output of one execution.
    pub max_output: usize,
    /// Maximum evaluation steps over the whole runtime.
    pub max_steps: u64,
}

impl Default for Limits {
    fn default() -> Self {
        Limits {
            max_depth: 10_000,
            max_output: 256 * 1024 * 1024,
            max_steps: 2_000_000_000,
        }
    }
}

/// Options of an execution.
#[derive(Clone, Copy, Debug, Default)]
pub struct Options {
    pub missing_key: MissingKey,
    pub limits: Limits,
}

/// The implementation of a template function.
pub type FuncImpl = dyn Fn(&mut Ctx<'_>, Vec<Value>) -> Result<Value, TemplateError>;

/// A template function: Go-style parameter types and its implementation.
#[derive(Clone)]
pub struct Function {
    pub sig: Signature,
    pub f: Rc<FuncImpl>,
    /// Go's builtins (`and`/`or` short-circuit only as builtins).
    pub builtin: bool,
}

impl Function {
    pub fn new(
        sig: Signature,
        f: impl Fn(&mut Ctx<'_>, Vec<Value>) -> Result<Value, TemplateError> + 'static,
    ) -> Function {
        Function {
            sig,
            f: Rc::new(f),
            builtin: false,
        }
    }
}

impl std::fmt::Debug for Function {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "Function({:?})", self.sig)
    }
}

/// Named functions available to templates (looked up on every call: a fast hasher).
pub type FuncMap = HashMap<String, Function, super::fxhash::FxBuildHasher>;

/// Reads YAML into JSON data for `fromYaml`/`fromYamlArray` (the embedder decides which YAML
/// reader and number model; Helm's reads YAML 1.1 with every number a float64).
pub type YamlReader = dyn Fn(&str) -> Result<serde_json::Value, String>;

/// State shared by every execution of one render: functions, options, counters for
/// functions such as `include`, and the step budget.
pub struct Runtime {
    pub funcs: RefCell<Rc<FuncMap>>,
    pub options: Options,
    /// Free-form counters for functions (Helm's `include` recursion counts).
    pub counters: RefCell<HashMap<String, usize, super::fxhash::FxBuildHasher>>,
    /// The YAML reader for `fromYaml`, if the embedder gave one.
    pub yaml_reader: Option<Rc<YamlReader>>,
    /// Texts already read by `yaml_reader` (charts send the same `toYaml` output back
    /// through `fromYaml` in every template), with the bytes of text they hold.
    yaml_cache: RefCell<(YamlCache, usize)>,
    /// Spare output buffers: each execution writes into one, so nested `include`s do not
    /// grow a new string from nothing every time.
    buffers: RefCell<Vec<String>>,
    steps: Cell<u64>,
}

/// Most spare output buffers kept, and the largest kept.
const SPARE_BUFFERS: usize = 32;
const SPARE_BUFFER_BYTES: usize = 1 << 20;

type YamlCache =
    HashMap<String, Rc<Result<serde_json::Value, String>>, super::fxhash::FxBuildHasher>;

/// Most bytes of YAML text the `fromYaml` cache keeps.
const YAML_CACHE_BYTES: usize = 4 << 20;

impl Runtime {
    pub fn new(funcs: Rc<FuncMap>, options: Options) -> Runtime {
        Runtime {
            funcs: RefCell::new(funcs),
            options,
            counters: RefCell::new(HashMap::default()),
            yaml_reader: None,
            yaml_cache: RefCell::default(),
            buffers: RefCell::default(),
            steps: Cell::new(0),
        }
    }

    /// Reads YAML text with the embedder's reader, once per distinct text (the reader is a
    /// pure function of the text). `None` without a reader.
    pub fn read_yaml(&self, text: &str) -> Option<Rc<Result<serde_json::Value, String>>> {
        let reader = self.yaml_reader.as_ref()?;
        if let Some(r) = self.yaml_cache.borrow().0.get(text) {
            return Some(r.clone());
        }
        let r = Rc::new(reader(text));
        let mut cache = self.yaml_cache.borrow_mut();
        if cache.1 + text.len() <= YAML_CACHE_BYTES {
            cache.1 += text.len();
            cache.0.insert(text.to_string(), r.clone());
        }
        Some(r)
    }

    /// The current function map (shared: looking a function up copies nothing).
    fn func_map(&self) -> Rc<FuncMap> {
        self.funcs.borrow().clone()
    }

    /// Executes template `name` of `set` on `data`: Go's `ExecuteTemplate`.
    pub fn execute(
        &self,
        set: &Rc<TemplateSet>,
        name: &str,
        data: Value,
        depth: usize,
    ) -> Result<String, TemplateError> {
        self.execute_with(set, name, data, depth, str::to_string)
    }

    /// [`Runtime::execute`], handing the output to `finish` (which copies what it keeps).
    fn execute_with<T>(
        &self,
        set: &Rc<TemplateSet>,
        name: &str,
        data: Value,
        depth: usize,
        finish: impl FnOnce(&str) -> T,
    ) -> Result<T, TemplateError> {
        let Some(tree) = set.lookup(name) else {
            return Err(TemplateError::plain(format!(
                "template: no template {} associated with template {}",
                gofmt::quote_go(name),
                gofmt::quote_go(set.name())
            )));
        };
        let mut out = self.buffers.borrow_mut().pop().unwrap_or_default();
        let mut st = State {
            rt: self,
            set: set.clone(),
            tree: &tree,
            node: NodeRef::None,
            vars: vec![("$", V::concrete(data.clone()))],
            depth,
            out: &mut out,
        };
        let r = st.walk_list(&V::concrete(data), &tree.root);
        let r = r.map(|_| finish(&out));
        if out.capacity() <= SPARE_BUFFER_BYTES {
            let mut spare = self.buffers.borrow_mut();
            if spare.len() < SPARE_BUFFERS {
                out.clear();
                spare.push(out);
            }
        }
        r
    }
}

/// Access for functions to the running execution: templates, options, counters.
pub struct Ctx<'a> {
    pub rt: &'a Runtime,
    pub set: Rc<TemplateSet>,
    pub depth: usize,
}

impl Ctx<'_> {
    /// A nested execution must stay within the depth limit.
    fn check_depth(&self) -> Result<(), TemplateError> {
        if self.depth >= self.rt.options.limits.max_depth {
            return Err(TemplateError::plain(format!(
                "exceeded maximum template depth ({})",
                self.rt.options.limits.max_depth
            )));
        }
        Ok(())
    }

    /// Executes a template of the current set (Go's `ExecuteTemplate`).
    pub fn execute_template(&mut self, name: &str, data: Value) -> Result<String, TemplateError> {
        self.check_depth()?;
        self.rt.execute(&self.set, name, data, self.depth + 1)
    }

    /// [`Ctx::execute_template`] with the output as a string value.
    pub fn execute_template_value(
        &mut self,
        name: &str,
        data: Value,
    ) -> Result<Value, TemplateError> {
        self.check_depth()?;
        self.rt
            .execute_with(&self.set, name, data, self.depth + 1, Value::str)
    }

    /// Executes a template of another set (one made by [`TemplateSet::child`]).
    pub fn execute_in(
        &mut self,
        set: &Rc<TemplateSet>,
        name: &str,
        data: Value,
    ) -> Result<String, TemplateError> {
        self.check_depth()?;
        self.rt.execute(set, name, data, self.depth + 1)
    }

    /// Names of functions currently available (for parsing new text).
    pub fn has_function(&self, name: &str) -> bool {
        self.rt.funcs.borrow().contains_key(name)
    }

    pub fn options(&self) -> Options {
        self.rt.options
    }
}

/// A value as evaluation sees it: `iface` is true when its static Go type is `interface {}`
/// (map elements, slice elements), which changes nil handling and error texts.
#[derive(Clone, Debug)]
pub(crate) struct V {
    pub val: Value,
    pub iface: bool,
}

impl V {
    fn concrete(val: Value) -> V {
        V { val, iface: false }
    }
    fn is_invalid(&self) -> bool {
        self.val.is_nil() && !self.iface
    }
    fn is_nil_iface(&self) -> bool {
        self.val.is_nil() && self.iface
    }
    /// `reflect.Value.Type()` as Go would name it.
    fn type_name(&self) -> String {
        if self.iface {
            "interface {}".into()
        } else {
            self.val.type_name()
        }
    }
}

#[derive(Clone, Copy)]
enum NodeRef<'t> {
    None,
    Node(&'t Node),
    Pipe(&'t PipeNode),
    Cmd(&'t CommandNode),
    Arg(&'t Arg),
}

impl NodeRef<'_> {
    fn pos(&self) -> Option<Pos> {
        match self {
            NodeRef::None => None,
            NodeRef::Node(n) => Some(n.pos()),
            NodeRef::Pipe(p) => Some(p.pos),
            NodeRef::Cmd(c) => Some(c.pos),
            NodeRef::Arg(a) => Some(a.pos()),
        }
    }
    fn text(&self) -> String {
        match self {
            NodeRef::None => String::new(),
            NodeRef::Node(n) => n.to_string(),
            NodeRef::Pipe(p) => p.to_string(),
            NodeRef::Cmd(c) => c.to_string(),
            NodeRef::Arg(a) => a.to_string(),
        }
    }
}

enum Flow {
    Normal,
    Break,
    Continue,
}

type R<T> = Result<T, TemplateError>;

struct State<'t, 'o> {
    rt: &'t Runtime,
    set: Rc<TemplateSet>,
    tree: &'t Tree,
    node: NodeRef<'t>,
    vars: Vec<(&'t str, V)>,
    depth: usize,
    out: &'o mut String,
}

impl<'t> State<'t, '_> {
    fn at(&mut self, n: NodeRef<'t>) {
        self.node = n;
    }

    fn errorf<T>(&self, msg: impl Into<String>) -> R<T> {
        Err(self.make_error(msg.into(), None))
    }

    fn make_error(&self, message: String, cause: Option<Box<TemplateError>>) -> TemplateError {
        let at = self
            .node
            .pos()
            .map(|p| (self.tree.location(p), self.node.text()));
        TemplateError::Exec {
            name: self.tree.name.clone(),
            at,
            message,
            cause,
        }
    }

    fn step(&self) -> R<()> {
        let s = self.rt.steps.get() + 1;
        self.rt.steps.set(s);
        if s > self.rt.options.limits.max_steps {
            return self.errorf(format!(
                "template execution exceeded {} steps",
                self.rt.options.limits.max_steps
            ));
        }
        Ok(())
    }

    fn write(&mut self, s: &str) -> R<()> {
        if self.out.len() + s.len() > self.rt.options.limits.max_output {
            return self.errorf(format!(
                "template output exceeds {} bytes",
                self.rt.options.limits.max_output
            ));
        }
        self.out.push_str(s);
        Ok(())
    }

    // ----- variables -----

    fn mark(&self) -> usize {
        self.vars.len()
    }

    fn pop(&mut self, mark: usize) {
        self.vars.truncate(mark);
    }

    fn set_var(&mut self, name: &str, v: V) -> R<()> {
        for i in (0..self.vars.len()).rev() {
            if self.vars[i].0 == name {
                self.vars[i].1 = v;
                return Ok(());
            }
        }
        self.errorf(format!("undefined variable: {name}"))
    }

    fn set_top_var(&mut self, n: usize, v: V) {
        let len = self.vars.len();
        if n <= len {
            self.vars[len - n].1 = v;
        }
    }

    fn var_value(&self, name: &str) -> R<V> {
        for i in (0..self.vars.len()).rev() {
            if self.vars[i].0 == name {
                return Ok(self.vars[i].1.clone());
            }
        }
        self.errorf(format!("undefined variable: {name}"))
    }

    // ----- walking -----

    fn walk_list(&mut self, dot: &V, list: &'t ListNode) -> R<Flow> {
        for n in &list.nodes {
            match self.walk(dot, n)? {
                Flow::Normal => {}
                other => return Ok(other),
            }
        }
        Ok(Flow::Normal)
    }

    fn walk(&mut self, dot: &V, node: &'t Node) -> R<Flow> {
        self.step()?;
        self.at(NodeRef::Node(node));
        match node {
            Node::Action(a) => {
                let val = self.eval_pipeline(dot, Some(&a.pipe))?;
                if a.pipe.decl.is_empty() {
                    self.at(NodeRef::Node(node));
                    self.print_value(&val)?;
                }
            }
            Node::Break(_) => return Ok(Flow::Break),
            Node::Continue(_) => return Ok(Flow::Continue),
            Node::If(b) => return self.walk_if_or_with(false, dot, b),
            Node::With(b) => return self.walk_if_or_with(true, dot, b),
            Node::Range(b) => return self.walk_range(dot, node, b),
            Node::Template(t) => self.walk_template(dot, node, t)?,
            Node::Text(t) => self.write(t.text())?,
        }
        Ok(Flow::Normal)
    }

    fn walk_if_or_with(&mut self, with: bool, dot: &V, b: &'t BranchNode) -> R<Flow> {
        let mark = self.mark();
        let r = (|| {
            let val = self.eval_pipeline(dot, Some(&b.pipe))?;
            if val.val.truthy() {
                if with {
                    self.walk_list(&val, &b.list)
                } else {
                    self.walk_list(dot, &b.list)
                }
            } else if let Some(e) = &b.else_list {
                self.walk_list(dot, e)
            } else {
                Ok(Flow::Normal)
            }
        })();
        self.pop(mark);
        r
    }

    fn walk_range(&mut self, dot: &V, node: &'t Node, r: &'t BranchNode) -> R<Flow> {
        self.at(NodeRef::Node(node));
        let outer = self.mark();
        let res = self.walk_range_inner(dot, r);
        self.pop(outer);
        res.map(|_| Flow::Normal)
    }

    fn one_iteration(&mut self, r: &'t BranchNode, mark: usize, index: V, elem: V) -> R<bool> {
        let decl = &r.pipe.decl;
        if !decl.is_empty() {
            if r.pipe.is_assign {
                if decl.len() > 1 {
                    self.set_var(&decl[0].ident[0], index.clone())?;
                } else {
                    self.set_var(&decl[0].ident[0], elem.clone())?;
                }
            } else {
                self.set_top_var(1, elem.clone());
            }
        }
        if decl.len() > 1 {
            if r.pipe.is_assign {
                self.set_var(&decl[1].ident[0], elem.clone())?;
            } else {
                self.set_top_var(2, index);
            }
        }
        let flow = self.walk_list(&elem, &r.list);
        self.pop(mark);
        match flow? {
            Flow::Break => Ok(false),
            _ => Ok(true),
        }
    }

    fn walk_range_inner(&mut self, dot: &V, r: &'t BranchNode) -> R<()> {
        let val = self.eval_pipeline(dot, Some(&r.pipe))?;
        let mark = self.mark();
        let coll = val.val.collection();
        let mut ran = false;
        match &coll {
            Value::Int(_) | Value::Int64(_) | Value::Uint8(_) => {
                if r.pipe.decl.len() > 1 {
                    let shown = gofmt::format_v(&val.val);
                    return self.errorf(format!(
                        "can't use {shown} to iterate over more than one variable"
                    ));
                }
                let n = coll.as_int().unwrap_or(0);
                for i in 0..n.max(0) {
                    self.step()?;
                    ran = true;
                    let elem = match coll {
                        Value::Int64(_) => Value::Int64(i),
                        Value::Uint8(_) => Value::Uint8(i as u8),
                        _ => Value::Int(i),
                    };
                    if !self.one_iteration(r, mark, V::concrete(Value::Nil), V::concrete(elem))? {
                        break;
                    }
                }
            }
            Value::List(l) => {
                let iface = l.elem == Elem::Any;
                for (i, item) in l.items.iter().enumerate() {
                    self.step()?;
                    ran = true;
                    let elem = V {
                        val: item.clone(),
                        iface,
                    };
                    if !self.one_iteration(r, mark, V::concrete(Value::Int(i as i64)), elem)? {
                        break;
                    }
                }
            }
            Value::Bytes(b) => {
                for (i, item) in b.iter().enumerate() {
                    self.step()?;
                    ran = true;
                    let elem = V::concrete(Value::Uint8(*item));
                    if !self.one_iteration(r, mark, V::concrete(Value::Int(i as i64)), elem)? {
                        break;
                    }
                }
            }
            Value::Map(m) => {
                let iface = m.elem() == Elem::Any;
                for (k, v) in m.entries() {
                    self.step()?;
                    ran = true;
                    let elem = V { val: v, iface };
                    if !self.one_iteration(r, mark, V::concrete(Value::string(k)), elem)? {
                        break;
                    }
                }
            }
            Value::Nil => {}
            _ => {
                let shown = gofmt::format_v(&val.val);
                return self.errorf(format!("range can't iterate over {shown}"));
            }
        }
        if !ran && let Some(e) = &r.else_list {
            self.walk_list(dot, e)?;
        }
        Ok(())
    }

    fn walk_template(&mut self, dot: &V, node: &'t Node, t: &'t TemplateNode) -> R<()> {
        self.at(NodeRef::Node(node));
        let Some(tree) = self.set.lookup(&t.name) else {
            return self.errorf(format!("template {} not defined", gofmt::quote_go(&t.name)));
        };
        if self.depth >= self.rt.options.limits.max_depth {
            return self.errorf(format!(
                "exceeded maximum template depth ({})",
                self.rt.options.limits.max_depth
            ));
        }
        let new_dot = self.eval_pipeline(dot, t.pipe.as_ref())?;
        let out: &mut String = self.out;
        let mut st = State {
            rt: self.rt,
            set: self.set.clone(),
            tree: &tree,
            node: NodeRef::None,
            vars: vec![("$", new_dot.clone())],
            depth: self.depth + 1,
            out,
        };
        st.walk_list(&new_dot, &tree.root)?;
        Ok(())
    }

    // ----- evaluation -----

    fn eval_pipeline(&mut self, dot: &V, pipe: Option<&'t PipeNode>) -> R<V> {
        let Some(pipe) = pipe else {
            return Ok(V::concrete(Value::Nil));
        };
        self.at(NodeRef::Pipe(pipe));
        let mut value: Option<V> = None;
        for cmd in &pipe.cmds {
            let v = self.eval_command(dot, cmd, value.take())?;
            // Drop the interface{} wrapper, as Go does after each command.
            value = Some(V::concrete(v.val));
        }
        let value = value.unwrap_or(V::concrete(Value::Nil));
        for var in &pipe.decl {
            if pipe.is_assign {
                self.set_var(&var.ident[0], value.clone())?;
            } else {
                self.vars.push((&var.ident[0], value.clone()));
            }
        }
        Ok(value)
    }

    fn not_a_function(&self, args: &'t [Arg], final_: &Option<V>) -> R<()> {
        if args.len() > 1 || final_.is_some() {
            return self.errorf(format!("can't give argument to non-function {}", args[0]));
        }
        Ok(())
    }

    fn eval_command(&mut self, dot: &V, cmd: &'t CommandNode, final_: Option<V>) -> R<V> {
        self.step()?;
        let first = &cmd.args[0];
        match first {
            Arg::Field { .. } => return self.eval_field_node(dot, first, &cmd.args, final_),
            Arg::Chain { .. } => return self.eval_chain_node(dot, first, &cmd.args, final_),
            Arg::Identifier { name, .. } => {
                return self.eval_function(dot, first, name, NodeRef::Cmd(cmd), &cmd.args, final_);
            }
            Arg::Pipe(p) => {
                self.not_a_function(&cmd.args, &final_)?;
                return self.eval_pipeline(dot, Some(p));
            }
            Arg::Variable(v) => return self.eval_variable_node(dot, first, v, &cmd.args, final_),
            _ => {}
        }
        self.at(NodeRef::Arg(first));
        self.not_a_function(&cmd.args, &final_)?;
        match first {
            Arg::Bool(_, b) => Ok(V::concrete(Value::Bool(*b))),
            Arg::Dot(_) => Ok(dot.clone()),
            Arg::Nil(_) => self.errorf("nil is not a command"),
            Arg::Number(n) => self.ideal_constant(first, n).map(V::concrete),
            Arg::String { text, .. } => Ok(V::concrete(Value::String(text.clone()))),
            _ => self.errorf(format!(
                "can't evaluate command {}",
                gofmt::quote_go(&first.to_string())
            )),
        }
    }

    fn ideal_constant(&mut self, arg: &'t Arg, n: &NumberNode) -> R<Value> {
        self.at(NodeRef::Arg(arg));
        if n.is_complex && !n.is_float {
            return self.errorf(format!("complex constant {} is not supported", n.text));
        }
        let is_hex_int = n.text.len() > 2
            && n.text.starts_with('0')
            && matches!(n.text.as_bytes()[1], b'x' | b'X')
            && !n.text.contains(['p', 'P']);
        let is_rune = n.text.starts_with('\'');
        if n.is_float && !is_hex_int && !is_rune && n.text.contains(['.', 'e', 'E', 'p', 'P']) {
            return Ok(Value::Float(n.float64));
        }
        if n.is_int {
            return Ok(Value::Int(n.int64));
        }
        if n.is_uint {
            return self.errorf(format!("{} overflows int", n.text));
        }
        if n.is_float {
            return Ok(Value::Float(n.float64));
        }
        Ok(Value::Nil)
    }

    fn eval_field_node(
        &mut self,
        dot: &V,
        arg: &'t Arg,
        args: &'t [Arg],
        final_: Option<V>,
    ) -> R<V> {
        self.at(NodeRef::Arg(arg));
        let Arg::Field { ident, .. } = arg else {
            return self.errorf("internal error: not a field");
        };
        self.eval_field_chain(dot, dot.clone(), arg, ident, args, final_)
    }

    fn eval_chain_node(
        &mut self,
        dot: &V,
        arg: &'t Arg,
        args: &'t [Arg],
        final_: Option<V>,
    ) -> R<V> {
        self.at(NodeRef::Arg(arg));
        let Arg::Chain { node, field, .. } = arg else {
            return self.errorf("internal error: not a chain");
        };
        if field.is_empty() {
            return self.errorf("internal error: no fields in evalChainNode");
        }
        if let Arg::Nil(_) = node.as_ref() {
            return self.errorf(format!("indirection through explicit nil in {arg}"));
        }
        let pipe = self.eval_arg_untyped(dot, node)?;
        self.eval_field_chain(dot, pipe, arg, field, args, final_)
    }

    fn eval_variable_node(
        &mut self,
        dot: &V,
        arg: &'t Arg,
        v: &'t VariableNode,
        args: &'t [Arg],
        final_: Option<V>,
    ) -> R<V> {
        self.at(NodeRef::Arg(arg));
        let value = self.var_value(&v.ident[0])?;
        if v.ident.len() == 1 {
            self.not_a_function(args, &final_)?;
            return Ok(value);
        }
        self.eval_field_chain(dot, value, arg, &v.ident[1..], args, final_)
    }

    fn eval_field_chain(
        &mut self,
        dot: &V,
        mut receiver: V,
        node: &'t Arg,
        ident: &'t [super::node::Name],
        args: &'t [Arg],
        final_: Option<V>,
    ) -> R<V> {
        let n = ident.len();
        for id in &ident[..n - 1] {
            receiver = self.eval_field(dot, id, node, &[], None, receiver)?;
        }
        self.eval_field(dot, &ident[n - 1], node, args, final_, receiver)
    }

    fn eval_function(
        &mut self,
        dot: &V,
        ident: &'t Arg,
        name: &str,
        cmd: NodeRef<'t>,
        args: &'t [Arg],
        final_: Option<V>,
    ) -> R<V> {
        self.at(NodeRef::Arg(ident));
        let funcs = self.rt.func_map();
        let Some(f) = funcs.get(name) else {
            return self.errorf(format!(
                "{} is not a defined function",
                gofmt::quote_go(name)
            ));
        };
        self.eval_call(dot, Callee::Func(f), f.builtin, cmd, name, args, final_)
    }

    #[allow(clippy::too_many_arguments)]
    fn eval_field(
        &mut self,
        dot: &V,
        field: &str,
        node: &'t Arg,
        args: &'t [Arg],
        final_: Option<V>,
        receiver: V,
    ) -> R<V> {
        if receiver.is_invalid() {
            if self.rt.options.missing_key == MissingKey::Error {
                return self.errorf(format!(
                    "nil data; no entry for key {}",
                    gofmt::quote_go(field)
                ));
            }
            return Ok(V::concrete(Value::Nil));
        }
        if receiver.is_nil_iface() {
            let typ = receiver.type_name();
            return self.errorf(format!("nil pointer evaluating {typ}.{field}"));
        }
        // Methods first, as Go does.
        if let Value::Object(o) = &receiver.val
            && let Some(sig) = o.method(field)
        {
            let o = o.clone();
            return self.eval_call(
                dot,
                Callee::Method(&o, &sig),
                false,
                NodeRef::Arg(node),
                field,
                args,
                final_,
            );
        }
        if let Value::Map(m) = &receiver.val
            && let Some(sig) = named_map_method(m, field)
        {
            let m = m.clone();
            return self.eval_call(
                dot,
                Callee::MapMethod(&m, &sig),
                false,
                NodeRef::Arg(node),
                field,
                args,
                final_,
            );
        }
        let has_args = args.len() > 1 || final_.is_some();
        if let Value::Object(o) = &receiver.val
            && let Some(v) = o.field(field)
        {
            if has_args {
                return self.errorf(format!(
                    "{field} has arguments but cannot be invoked as function"
                ));
            }
            return Ok(V::concrete(v));
        }
        // Objects that are maps underneath show as such; plain maps need no copy.
        let coll;
        let map = match &receiver.val {
            Value::Map(m) => Some(m),
            Value::Object(_) => {
                coll = receiver.val.collection();
                match &coll {
                    Value::Map(m) => Some(m),
                    _ => None,
                }
            }
            _ => None,
        };
        if let Some(m) = map {
            if has_args {
                return self.errorf(format!("{field} is not a method but has arguments"));
            }
            let (elem, found) = m.elem_and_get(field);
            let iface = elem == Elem::Any && !matches!(receiver.val, Value::Object(_));
            return match found {
                Some(v) => Ok(V { val: v, iface }),
                None => match self.rt.options.missing_key {
                    MissingKey::Invalid => Ok(V::concrete(Value::Nil)),
                    MissingKey::Zero => Ok(V {
                        val: zero_of(elem, &receiver.val),
                        iface,
                    }),
                    MissingKey::Error => self.errorf(format!(
                        "map has no entry for key {}",
                        gofmt::quote_go(field)
                    )),
                },
            };
        }
        let typ = receiver.type_name();
        self.errorf(format!("can't evaluate field {field} in type {typ}"))
    }

    #[allow(clippy::too_many_arguments)]
    fn eval_call(
        &mut self,
        dot: &V,
        callee: Callee<'_>,
        is_builtin: bool,
        node: NodeRef<'t>,
        name: &str,
        args: &'t [Arg],
        final_: Option<V>,
    ) -> R<V> {
        let args: &'t [Arg] = if args.is_empty() { args } else { &args[1..] };
        let sig = callee.sig();
        let num_in = args.len() + usize::from(final_.is_some());
        let mut num_fixed = args.len();
        if sig.variadic.is_some() {
            num_fixed = sig.params.len();
            if num_in < num_fixed {
                return self.errorf(format!(
                    "wrong number of args for {name}: want at least {} got {}",
                    sig.params.len(),
                    args.len()
                ));
            }
        } else if num_in != sig.params.len() {
            return self.errorf(format!(
                "wrong number of args for {name}: want {} got {num_in}",
                sig.params.len()
            ));
        }

        // and/or short-circuit.
        if is_builtin && (name == "and" || name == "or") {
            let is_or = name == "or";
            let mut v = V::concrete(Value::Nil);
            for a in args {
                v = self.eval_arg(dot, Param::Reflect, a)?;
                v = V::concrete(v.val);
                if v.val.truthy() == is_or {
                    return Ok(v);
                }
            }
            if let Some(f) = final_ {
                v = V::concrete(self.validate_type(f, Param::Reflect)?);
            }
            return Ok(v);
        }

        let mut argv: Vec<Value> = Vec::with_capacity(num_in);
        let mut i = 0;
        while i < num_fixed && i < args.len() {
            let v = self.eval_arg_keep(dot, sig.params[i], &args[i])?;
            if is_builtin && name == "len" && v.is_invalid() {
                // Go's length() calls Type() on the invalid reflect.Value.
                self.at(node);
                let msg = "reflect: call of reflect.Value.Type on zero Value".to_string();
                return Err(self.make_error(
                    format!("error calling len: {msg}"),
                    Some(Box::new(TemplateError::Plain(msg))),
                ));
            }
            argv.push(v.val);
            i += 1;
        }
        if let Some(vt) = sig.variadic {
            while i < args.len() {
                argv.push(self.eval_arg(dot, vt, &args[i])?.val);
                i += 1;
            }
        }
        if let Some(f) = final_ {
            let t = match sig.variadic {
                Some(vt) => {
                    if num_in - 1 < num_fixed {
                        sig.params[num_in - 1]
                    } else {
                        vt
                    }
                }
                None => *sig.params.last().unwrap_or(&Param::Any),
            };
            argv.push(self.validate_type(f, t)?);
        }

        if is_builtin && name == "call" {
            // We have no function values: the callee is whatever was given.
            let callee_name = match args.first() {
                Some(a) => a.to_string(),
                None => gofmt::format_v(argv.first().unwrap_or(&Value::Nil)),
            };
            let msg = match argv.first() {
                None | Some(Value::Nil) => "call of nil".to_string(),
                Some(v) => format!("non-function {callee_name} of type {}", v.type_name()),
            };
            self.at(node);
            return Err(self.make_error(
                format!("error calling call: {msg}"),
                Some(Box::new(TemplateError::Plain(msg))),
            ));
        }

        let result = match callee {
            Callee::Func(f) => {
                let mut ctx = Ctx {
                    rt: self.rt,
                    set: self.set.clone(),
                    depth: self.depth,
                };
                (f.f)(&mut ctx, argv)
            }
            Callee::Method(o, _) => o.call_method(name, argv).map_err(TemplateError::Plain),
            Callee::MapMethod(m, _) => call_named_map_method(m, name, argv),
        };
        match result {
            Ok(v) => Ok(V::concrete(v)),
            Err(e) => {
                self.at(node);
                Err(self.make_error(format!("error calling {name}: {e}"), Some(Box::new(e))))
            }
        }
    }

    fn can_be_nil(t: Param) -> bool {
        matches!(
            t,
            Param::Any
                | Param::Reflect
                | Param::List
                | Param::StringList
                | Param::Map
                | Param::Bytes
        )
    }

    fn validate_type(&self, value: V, typ: Param) -> R<Value> {
        if value.is_invalid() {
            if Self::can_be_nil(typ) {
                return Ok(Value::Nil);
            }
            return self.errorf(format!("invalid value; expected {}", typ.go_name()));
        }
        if matches!(typ, Param::Any | Param::Reflect) {
            return Ok(value.val);
        }
        let ok = match (typ, &value.val) {
            (Param::String, Value::String(_)) => true,
            (Param::Int, Value::Int(_)) => true,
            (Param::Int64, Value::Int64(_)) => true,
            (Param::Float64, Value::Float(_)) => true,
            (Param::Bool, Value::Bool(_)) => true,
            (Param::Bytes, Value::Bytes(_)) => true,
            (Param::List, Value::List(l)) => l.elem == Elem::Any,
            (Param::StringList, Value::List(l)) => l.elem == Elem::String,
            (Param::Map, Value::Map(m)) => m.elem() == Elem::Any,
            (Param::Object(n), Value::Object(o)) => o.type_name() == n,
            _ => false,
        };
        if ok {
            return Ok(value.val);
        }
        if value.is_nil_iface() && Self::can_be_nil(typ) {
            return Ok(Value::Nil);
        }
        let got = if value.is_nil_iface() {
            "interface {}".to_string()
        } else {
            value.val.type_name()
        };
        self.errorf(format!(
            "wrong type for value; expected {}; got {got}",
            typ.go_name()
        ))
    }

    /// `evalArg` with a nil type: the operand's value as is.
    fn eval_arg_untyped(&mut self, dot: &V, n: &'t Arg) -> R<V> {
        self.at(NodeRef::Arg(n));
        match n {
            Arg::Dot(_) => Ok(dot.clone()),
            Arg::Field { .. } => self.eval_field_node(dot, n, std::slice::from_ref(n), None),
            Arg::Variable(v) => self.eval_variable_node(dot, n, v, &[], None),
            Arg::Pipe(p) => self.eval_pipeline(dot, Some(p)),
            Arg::Identifier { name, .. } => {
                self.eval_function(dot, n, name, NodeRef::Arg(n), &[], None)
            }
            Arg::Chain { .. } => self.eval_chain_node(dot, n, &[], None),
            Arg::Bool(_, b) => Ok(V::concrete(Value::Bool(*b))),
            Arg::Number(num) => self.ideal_constant(n, num).map(V::concrete),
            Arg::String { text, .. } => Ok(V::concrete(Value::String(text.clone()))),
            Arg::Nil(_) => Ok(V::concrete(Value::Nil)),
        }
    }

    /// `eval_arg`, but keeping whether the value was invalid (for `reflect.Value` params).
    fn eval_arg_keep(&mut self, dot: &V, typ: Param, n: &'t Arg) -> R<V> {
        let v = self.eval_arg(dot, typ, n)?;
        Ok(v)
    }

    fn eval_arg(&mut self, dot: &V, typ: Param, n: &'t Arg) -> R<V> {
        self.at(NodeRef::Arg(n));
        let evaluated = match n {
            Arg::Dot(_) => Some(dot.clone()),
            Arg::Nil(_) => {
                if Self::can_be_nil(typ) {
                    return Ok(V::concrete(Value::Nil));
                }
                return self.errorf(format!("cannot assign nil to {}", typ.go_name()));
            }
            Arg::Field { .. } => {
                Some(self.eval_field_node(dot, n, std::slice::from_ref(n), None)?)
            }
            Arg::Variable(v) => Some(self.eval_variable_node(dot, n, v, &[], None)?),
            Arg::Pipe(p) => Some(self.eval_pipeline(dot, Some(p))?),
            Arg::Identifier { name, .. } => {
                Some(self.eval_function(dot, n, name, NodeRef::Arg(n), &[], None)?)
            }
            Arg::Chain { .. } => Some(self.eval_chain_node(dot, n, &[], None)?),
            _ => None,
        };
        if let Some(v) = evaluated {
            if typ == Param::Reflect {
                // reflect.Value parameters see the value as is (nil interface or invalid).
                return Ok(v);
            }
            return self.validate_type(v, typ).map(V::concrete);
        }
        self.at(NodeRef::Arg(n));
        let v = match typ {
            Param::Bool => match n {
                Arg::Bool(_, b) => Value::Bool(*b),
                _ => return self.errorf(format!("expected bool; found {n}")),
            },
            Param::Float64 => match n {
                Arg::Number(num) if num.is_float => Value::Float(num.float64),
                _ => return self.errorf(format!("expected float; found {n}")),
            },
            Param::Uint32 => match n {
                Arg::Number(num) if num.is_uint && num.uint64 <= u32::MAX as u64 => {
                    Value::Int64(num.uint64 as i64)
                }
                Arg::Number(num) if num.is_uint => {
                    return self.errorf(format!("{} overflows uint32", num.text));
                }
                _ => return self.errorf(format!("expected unsigned integer; found {n}")),
            },
            Param::Int | Param::Int64 => match n {
                Arg::Number(num) if num.is_int => {
                    if typ == Param::Int {
                        Value::Int(num.int64)
                    } else {
                        Value::Int64(num.int64)
                    }
                }
                _ => return self.errorf(format!("expected integer; found {n}")),
            },
            Param::String => match n {
                Arg::String { text, .. } => Value::String(text.clone()),
                _ => return self.errorf(format!("expected string; found {n}")),
            },
            Param::Any | Param::Reflect => match n {
                Arg::Bool(_, b) => Value::Bool(*b),
                Arg::Number(num) => self.ideal_constant(n, num)?,
                Arg::String { text, .. } => Value::String(text.clone()),
                _ => {
                    return self.errorf(format!(
                        "can't handle assignment of {n} to empty interface argument"
                    ));
                }
            },
            _ => {
                return self.errorf(format!(
                    "can't handle {n} for arg of type {}",
                    typ.go_name()
                ));
            }
        };
        Ok(V::concrete(v))
    }

    fn print_value(&mut self, v: &V) -> R<()> {
        let s = match &v.val {
            Value::Nil => "<no value>".to_string(),
            Value::String(s) => {
                let s = s.clone();
                return self.write(&s);
            }
            other => gofmt::format_v(other),
        };
        self.write(&s)
    }
}

enum Callee<'a> {
    Func(&'a Function),
    Method(&'a Rc<dyn super::value::Object>, &'a Signature),
    MapMethod(&'a super::value::Map, &'a Signature),
}

impl Callee<'_> {
    fn sig(&self) -> &Signature {
        match self {
            Callee::Func(f) => &f.sig,
            Callee::Method(_, s) | Callee::MapMethod(_, s) => s,
        }
    }
}

/// The zero value of a map's element type (`missingkey=zero`).
fn zero_of(elem: Elem, receiver: &Value) -> Value {
    if let Value::Object(_) = receiver {
        // Helm's `.Files` is map[string][]byte: a missing file is a nil []byte.
        return Value::Bytes(Rc::from(&[][..]));
    }
    match elem {
        Elem::Any => Value::Nil,
        Elem::String => Value::str(""),
        Elem::Int => Value::Int(0),
        Elem::Int64 => Value::Int64(0),
        Elem::Float64 => Value::Float(0.0),
    }
}

/// Methods of Helm's `common.Values` map type, found before map keys as Go does.
fn named_map_method(m: &super::value::Map, name: &str) -> Option<Signature> {
    let named = m.0.borrow().named;
    if named != Some("common.Values") {
        return None;
    }
    match name {
        "AsMap" | "YAML" => Some(Signature::new(&[])),
        "Table" | "PathValue" => Some(Signature::new(&[Param::String])),
        _ => None,
    }
}

fn call_named_map_method(m: &super::value::Map, name: &str, args: Vec<Value>) -> R<Value> {
    match name {
        "AsMap" => Ok(Value::Map(m.shallow_copy(None))),
        "YAML" => super::yaml_out::to_yaml(&Value::Map(m.clone()))
            .map(Value::string)
            .map_err(TemplateError::Plain),
        "Table" | "PathValue" => {
            let path = args
                .first()
                .and_then(|a| a.as_str())
                .unwrap_or("")
                .to_string();
            let mut cur = Value::Map(m.clone());
            let parts: Vec<&str> = path.split('.').collect();
            for (i, p) in parts.iter().enumerate() {
                let next = match &cur {
                    Value::Map(mm) => mm.get(p),
                    _ => None,
                };
                match next {
                    Some(v) => cur = v,
                    None => {
                        return Err(TemplateError::plain(if name == "Table" {
                            format!("no table named {:?}", parts[..=i].join("."))
                        } else {
                            format!("{path:?} is not a value")
                        }));
                    }
                }
            }
            if name == "Table" {
                match cur {
                    Value::Map(mm) => Ok(Value::Map(mm.shallow_copy(Some("common.Values")))),
                    _ => Err(TemplateError::plain(format!("no table named {path:?}"))),
                }
            } else {
                Ok(cur)
            }
        }
        _ => Err(TemplateError::plain(format!("no method {name}"))),
    }
}
