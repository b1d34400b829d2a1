//! Parser for Go `text/template`: items from [`super::lex`] into [`Tree`]s, one for the parsed
//! text and one per `define`/`block`. Errors read like Go's
//! (`template: <name>:<line>: <message>`). It checks that functions and variables exist, as
//! Go does at parse time, but evaluates nothing.

use super::fxhash::FxBuildHasher;
use super::lex::{Item, ItemKind, ItemStream, line_at};
use super::node::*;
use std::collections::hash_map::Entry;
use std::collections::{HashMap, HashSet};
use std::rc::Rc;

/// A template parse error, formatted like Go's (`template: name:line: message`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ParseError {
    /// The whole message, as Go prints it.
    pub message: String,
}

impl std::fmt::Display for ParseError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for ParseError {}

/// Maximum nesting of parenthesised pipelines (Go's `maxStackDepth`, lowered so the parser's
/// recursion stays well inside a thread stack).
const MAX_STACK_DEPTH: usize = 200;
/// Maximum nesting of control structures (`if`/`range`/`with`/`block`); Go has no limit but
/// recurses on the goroutine's growable stack.
const MAX_CONTROL_DEPTH: usize = 200;
const MAX_PIPELINE_CMDS: usize = 100_000;

type PResult<T> = Result<T, ParseError>;

/// Parses `text` as the template `name`; returns every tree it defines (the main one under
/// `name`), in the order they were completed. `has_function` tells which identifiers are
/// functions.
pub(crate) fn parse(
    name: &str,
    text: &str,
    has_function: &dyn Fn(&str) -> bool,
) -> Result<Vec<Tree>, ParseError> {
    parse_with(
        name,
        text,
        has_function,
        &mut Tables::for_text_len(text.len()),
    )
}

/// The names, field chains and literals interned by the parses that share these tables: a
/// chart's templates use the same few hundred names, chains and strings across dozens of
/// files, and each is allocated once, not once per file. Keys borrow the parsed texts.
#[derive(Default)]
pub(crate) struct Tables<'a> {
    /// Interned names and literals (see [`Name`]).
    names: HashSet<Name, FxBuildHasher>,
    /// Field chains and variables by their text (`.a.b`, `$x.a`).
    paths: HashMap<&'a str, Path, FxBuildHasher>,
    /// Identifiers already found to be functions, by their text.
    functions: HashMap<&'a str, Name, FxBuildHasher>,
    /// String literals by their quoted text: (quoted, unquoted).
    strings: HashMap<&'a str, (Name, Name), FxBuildHasher>,
}

impl Tables<'_> {
    /// Tables sized for parsing `bytes` of template text: growing them one doubling at a time
    /// costs more than the memory, and every size they pass through is a separate block.
    /// (Names run at about one per 160 bytes of a chart's templates, chains and literals at
    /// half that.)
    pub(crate) fn for_text_len(bytes: usize) -> Self {
        let n = (bytes / 160).clamp(8, 1 << 16);
        Tables {
            names: HashSet::with_capacity_and_hasher(n, FxBuildHasher::default()),
            paths: HashMap::with_capacity_and_hasher(n / 2, FxBuildHasher::default()),
            functions: HashMap::with_capacity_and_hasher(n / 8, FxBuildHasher::default()),
            strings: HashMap::with_capacity_and_hasher(n / 2, FxBuildHasher::default()),
        }
    }
}

/// [`parse`] with interning `tables` shared with other parses (see [`Tables`]). Every `Rc` in
/// the result is owned by these trees, the tables, or trees of other parses that used them.
pub(crate) fn parse_with<'a>(
    name: &str,
    text: &'a str,
    has_function: &'a dyn Fn(&str) -> bool,
    tables: &mut Tables<'a>,
) -> Result<Vec<Tree>, ParseError> {
    let items = ItemStream::new(text);
    let src = text;
    let text: Rc<str> = Rc::from(text);
    let parse_name: Rc<str> = Rc::from(name);
    let mut p = Parser {
        items,
        token: [blank_item(), blank_item()],
        peek_count: 0,
        vars: vec!["$"],
        range_depth: 0,
        stack_depth: 0,
        control_depth: 0,
        action_pos: None,
        parse_name: parse_name.clone(),
        text: text.clone(),
        has_function,
        trees: Vec::new(),
        tree_index: HashMap::new(),
        src,
        tables: std::mem::take(tables),
        scratch: Vec::new(),
        node_stack: Vec::with_capacity(64),
        cmd_stack: Vec::with_capacity(16),
        arg_stack: Vec::with_capacity(16),
    };
    let parsed = p.parse_top().and_then(|root| {
        p.add(Tree {
            name: name.to_string(),
            parse_name,
            text,
            root,
        })
    });
    *tables = std::mem::take(&mut p.tables);
    parsed.map(|()| p.trees)
}

/// The outcomes of [`parse_with`] calls on one thread, with their indexes, movable to another
/// thread as a whole.
pub(crate) struct SendParsed(Vec<(usize, Result<Vec<Tree>, ParseError>)>);

// SAFETY: the only non-`Send` parts of a `Tree` are its `Rc`s (parsed texts, parse names,
// names, paths and literals). Each was created by one of the parses bundled here or by the
// `tables` they shared, on the thread that calls `new`; `new` takes the tables by value and
// drops them, and the parsers that held other clones ended with their calls. Every owner of
// each reference count is therefore inside the bundle, and moving the bundle moves them all
// together: no count is ever touched from two threads. It is unwrapped only on the receiving
// thread.
unsafe impl Send for SendParsed {}

impl SendParsed {
    /// Bundles every outcome of the parses that used `tables` (and nothing else).
    pub(crate) fn new(
        results: Vec<(usize, Result<Vec<Tree>, ParseError>)>,
        tables: Tables<'_>,
    ) -> SendParsed {
        drop(tables);
        SendParsed(results)
    }

    pub(crate) fn into_inner(self) -> Vec<(usize, Result<Vec<Tree>, ParseError>)> {
        self.0
    }
}

/// The shared copy of `s` in `names` (added if new).
fn intern_in(names: &mut HashSet<Name, FxBuildHasher>, s: &str) -> Name {
    if let Some(n) = names.get(s) {
        return n.clone();
    }
    let n: Name = Rc::from(s);
    names.insert(n.clone());
    n
}

fn blank_item<'a>() -> Item<'a> {
    Item {
        kind: ItemKind::Eof,
        space: false,
        pos: 0,
        val: "",
    }
}

struct Parser<'a> {
    items: ItemStream<'a>,
    token: [Item<'a>; 2],
    peek_count: usize,
    vars: Vec<&'a str>,
    range_depth: usize,
    stack_depth: usize,
    control_depth: usize,
    /// Position of the `{{` of the action being parsed (Go's `actionLine`, as a position).
    action_pos: Option<Pos>,
    parse_name: Rc<str>,
    text: Rc<str>,
    has_function: &'a dyn Fn(&str) -> bool,
    trees: Vec<Tree>,
    tree_index: HashMap<String, usize>,
    /// The text being parsed, borrowed: the keys of the tables are slices of it.
    src: &'a str,
    tables: Tables<'a>,
    /// Reused buffer for building paths.
    scratch: Vec<Name>,
    /// Stacks the nodes, commands and arguments being collected by the (nested) lists,
    /// pipelines and commands under construction; each is moved out into a vector of exactly
    /// its size when complete (one allocation, no regrowth).
    node_stack: Vec<Node>,
    cmd_stack: Vec<CommandNode>,
    arg_stack: Vec<Arg>,
}

/// What one item of a list was. A node is pushed onto `node_stack` where it is made, not
/// returned: moving nodes (over 100 bytes each) up through the calls cost more than making them.
enum Parsed {
    /// A node, now on top of `node_stack`.
    Pushed,
    End,
    Else(Pos),
}

impl Parsed {
    /// How an `{{end}}` or `{{else}}` reads in an error message.
    fn describe(&self) -> String {
        match self {
            Parsed::Pushed => "node".into(),
            Parsed::End => "{{end}}".into(),
            Parsed::Else(_) => "{{else}}".into(),
        }
    }
}

impl<'a> Parser<'a> {
    /// Pushes a finished node for the list being collected (see [`Parsed`]).
    fn push(&mut self, node: Node) -> Parsed {
        self.node_stack.push(node);
        Parsed::Pushed
    }

    /// The shared copy of `s` for this parse.
    fn intern(&mut self, s: &str) -> Name {
        intern_in(&mut self.tables.names, s)
    }

    fn new_variable(&mut self, pos: Pos, ident: &'a str) -> VariableNode {
        VariableNode {
            pos,
            ident: self.path(ident),
        }
    }

    /// The shared path of a variable (`$x.a`) or field chain (`.a.b`, without the first dot).
    fn path(&mut self, text: &'a str) -> Path {
        // One lookup of `text` whether or not it is new.
        match self.tables.paths.entry(text) {
            Entry::Occupied(e) => e.get().clone(),
            Entry::Vacant(e) => {
                let body = text.strip_prefix('.').unwrap_or(text);
                let names = &mut self.tables.names;
                let scratch = &mut self.scratch;
                scratch.extend(body.split('.').map(|s| intern_in(names, s)));
                let p: Path = Rc::from(&scratch[..]);
                scratch.clear();
                e.insert(p).clone()
            }
        }
    }

    /// After a field or variable item `first`, consumes the field items that follow it
    /// directly (`.a` `.b` of `$x.a.b`); returns the text of the whole chain and the position
    /// Go gives the chain (that of the first following field, if any).
    fn chain_text(&mut self, first: Item<'a>) -> (&'a str, Pos) {
        let mut end = first.pos + first.val.len();
        let mut pos = first.pos;
        if self.at_chained_field() {
            pos = self.peek().pos;
            while self.at_chained_field() {
                let f = self.next();
                end = f.pos + f.val.len();
            }
        }
        (&self.src[first.pos..end], pos)
    }

    fn lex_next(&mut self) -> Item<'a> {
        self.items.next_item()
    }

    fn next(&mut self) -> Item<'a> {
        if self.peek_count > 0 {
            self.peek_count -= 1;
        } else {
            self.token[0] = self.lex_next();
        }
        self.token[self.peek_count]
    }

    fn backup(&mut self) {
        self.peek_count += 1;
    }

    fn backup2(&mut self, t1: Item<'a>) {
        self.token[1] = t1;
        self.peek_count = 2;
    }

    /// Whether a field comes next directly, with no space: it chains onto what came before
    /// (`$x.a.b`, `(f).a`).
    fn at_chained_field(&mut self) -> bool {
        let t = self.peek();
        t.kind == ItemKind::Field && !t.space
    }

    fn peek(&mut self) -> Item<'a> {
        if self.peek_count > 0 {
            return self.token[self.peek_count - 1];
        }
        self.peek_count = 1;
        self.token[0] = self.lex_next();
        self.token[0]
    }

    /// The line of byte `pos` of the text (worked out only for error messages).
    fn line(&self, pos: Pos) -> usize {
        line_at(&self.text, pos)
    }

    fn errorf<T>(&self, msg: impl std::fmt::Display) -> PResult<T> {
        Err(ParseError {
            message: format!(
                "template: {}:{}: {}",
                self.parse_name,
                self.line(self.token[0].pos),
                msg
            ),
        })
    }

    fn expect(&mut self, kind: ItemKind, context: &str) -> PResult<Item<'a>> {
        let t = self.next();
        if t.kind != kind {
            return self.unexpected(&t, context);
        }
        Ok(t)
    }

    fn unexpected<T>(&self, token: &Item, context: &str) -> PResult<T> {
        if token.kind == ItemKind::Error {
            let message = self.items.error();
            let mut extra = String::new();
            if let Some(action_pos) = self.action_pos {
                let action_line = self.line(action_pos);
                if action_line != self.line(token.pos) {
                    extra = format!(" in action started at {}:{}", self.parse_name, action_line);
                    if message.ends_with(" action") {
                        extra = extra[" in action".len()..].to_string();
                    }
                }
            }
            return self.errorf(format!("{message}{extra}"));
        }
        self.errorf(format!("unexpected {token} in {context}"))
    }

    /// Adds a finished tree, with Go's rules for redefinition within one parse.
    fn add(&mut self, tree: Tree) -> PResult<()> {
        match self.tree_index.get(&tree.name) {
            None => {
                self.tree_index.insert(tree.name.clone(), self.trees.len());
                self.trees.push(tree);
            }
            Some(&i) => {
                if is_empty_list(&self.trees[i].root) {
                    self.trees[i] = tree;
                } else if !is_empty_list(&tree.root) {
                    return self.errorf(format!(
                        "template: multiple definition of template {}",
                        super::fmt::quote_go(&tree.name)
                    ));
                }
            }
        }
        Ok(())
    }

    fn parse_top(&mut self) -> PResult<ListNode> {
        let start = self.node_stack.len();
        while self.peek().kind != ItemKind::Eof {
            if self.peek().kind == ItemKind::LeftDelim {
                let delim = self.next();
                if self.next().kind == ItemKind::Define {
                    self.parse_definition()?;
                    continue;
                }
                self.backup2(delim);
            }
            match self.text_or_action()? {
                Parsed::Pushed => {}
                other => return self.errorf(format!("unexpected {}", other.describe())),
            }
        }
        Ok(ListNode {
            nodes: self.node_stack.split_off(start),
        })
    }

    /// Saves the per-tree parser state before parsing a nested definition.
    fn enter_tree(&mut self) -> (Vec<&'a str>, usize, usize) {
        let saved = (
            std::mem::replace(&mut self.vars, vec!["$"]),
            self.range_depth,
            self.stack_depth,
        );
        self.range_depth = 0;
        self.stack_depth = 0;
        saved
    }

    fn leave_tree(&mut self, saved: (Vec<&'a str>, usize, usize)) {
        self.vars = saved.0;
        self.range_depth = saved.1;
        self.stack_depth = saved.2;
    }

    fn parse_definition(&mut self) -> PResult<()> {
        let context = "define clause";
        let saved = self.enter_tree();
        let name_tok = self.next();
        if name_tok.kind != ItemKind::String && name_tok.kind != ItemKind::RawString {
            return self.unexpected(&name_tok, context);
        }
        let name = match unquote(name_tok.val) {
            Some(s) => s,
            None => return self.errorf("invalid syntax"),
        };
        self.expect(ItemKind::RightDelim, context)?;
        let (root, end) = self.item_list()?;
        if !matches!(end, Parsed::End) {
            return self.errorf(format!("unexpected {} in {}", end.describe(), context));
        }
        let tree = Tree {
            name,
            parse_name: self.parse_name.clone(),
            text: self.text.clone(),
            root,
        };
        self.add(tree)?;
        self.leave_tree(saved);
        Ok(())
    }

    fn item_list(&mut self) -> PResult<(ListNode, Parsed)> {
        let start = self.node_stack.len();
        while self.peek().kind != ItemKind::Eof {
            let n = self.text_or_action()?;
            match n {
                Parsed::End | Parsed::Else(_) => {
                    let list = ListNode {
                        nodes: self.node_stack.split_off(start),
                    };
                    return Ok((list, n));
                }
                Parsed::Pushed => {}
            }
        }
        self.errorf("unexpected EOF")
    }

    fn text_or_action(&mut self) -> PResult<Parsed> {
        let token = self.next();
        match token.kind {
            ItemKind::Text => Ok(self.push(Node::Text(TextNode {
                pos: token.pos,
                src: self.text.clone(),
                len: token.val.len(),
            }))),
            ItemKind::LeftDelim => {
                self.action_pos = Some(token.pos);
                let r = self.action();
                self.action_pos = None;
                r
            }
            _ => self.unexpected(&token, "input"),
        }
    }

    fn action(&mut self) -> PResult<Parsed> {
        let token = self.next();
        match token.kind {
            ItemKind::Block => return self.block_control(),
            ItemKind::Break => return self.break_control(token.pos, "{{break}}", true),
            ItemKind::Continue => return self.break_control(token.pos, "{{continue}}", false),
            ItemKind::Else => return self.else_control(),
            ItemKind::End => {
                let t = self.expect(ItemKind::RightDelim, "end")?;
                let _ = t;
                return Ok(Parsed::End);
            }
            ItemKind::If => {
                let node = self.if_control()?;
                return Ok(self.push(node));
            }
            ItemKind::Range => {
                let node = self.range_control()?;
                return Ok(self.push(node));
            }
            ItemKind::Template => return self.template_control(),
            ItemKind::With => {
                let node = self.with_control()?;
                return Ok(self.push(node));
            }
            _ => {}
        }
        self.backup();
        let token = self.peek();
        let pipe = self.pipeline("command", ItemKind::RightDelim)?;
        Ok(self.push(Node::Action(ActionNode {
            pos: token.pos,
            pipe,
        })))
    }

    fn break_control(&mut self, pos: Pos, what: &str, is_break: bool) -> PResult<Parsed> {
        let token = self.next();
        if token.kind != ItemKind::RightDelim {
            return self.unexpected(&token, what);
        }
        if self.range_depth == 0 {
            return self.errorf(format!("{what} outside {{{{range}}}}"));
        }
        Ok(self.push(if is_break {
            Node::Break(pos)
        } else {
            Node::Continue(pos)
        }))
    }

    fn pipeline(&mut self, context: &str, end: ItemKind) -> PResult<PipeNode> {
        let token = self.peek();
        let mut pipe = PipeNode {
            pos: token.pos,
            is_assign: false,
            decl: Vec::new(),
            cmds: Vec::new(),
        };
        let start = self.cmd_stack.len();
        'decls: loop {
            let v = self.peek();
            if v.kind != ItemKind::Variable {
                break 'decls;
            }
            self.next();
            let next = self.peek();
            if next.kind == ItemKind::Assign || next.kind == ItemKind::Declare {
                pipe.is_assign = next.kind == ItemKind::Assign;
                self.next();
                pipe.decl.push(self.new_variable(v.pos, v.val));
                self.vars.push(v.val);
            } else if next.kind == ItemKind::Char && next.val == "," {
                self.next();
                pipe.decl.push(self.new_variable(v.pos, v.val));
                self.vars.push(v.val);
                if context == "range" && pipe.decl.len() < 2 {
                    match self.peek().kind {
                        ItemKind::Variable | ItemKind::RightDelim | ItemKind::RightParen => {
                            continue 'decls;
                        }
                        _ => return self.errorf("range can only initialize variables"),
                    }
                }
                return self.errorf(format!("too many declarations in {context}"));
            } else {
                self.backup2(v);
            }
            break 'decls;
        }
        loop {
            let token = self.next();
            match token.kind {
                k if k == end => {
                    pipe.cmds = self.cmd_stack.split_off(start);
                    self.check_pipeline(&pipe, context)?;
                    return Ok(pipe);
                }
                ItemKind::Bool
                | ItemKind::CharConstant
                | ItemKind::Complex
                | ItemKind::Dot
                | ItemKind::Field
                | ItemKind::Identifier
                | ItemKind::Number
                | ItemKind::Nil
                | ItemKind::RawString
                | ItemKind::String
                | ItemKind::Variable
                | ItemKind::LeftParen => {
                    self.backup();
                    let cmd = self.command()?;
                    self.cmd_stack.push(cmd);
                    if self.cmd_stack.len() - start > MAX_PIPELINE_CMDS {
                        return self.errorf("pipeline too long");
                    }
                }
                _ => return self.unexpected(&token, context),
            }
        }
    }

    fn check_pipeline(&self, pipe: &PipeNode, context: &str) -> PResult<()> {
        if pipe.cmds.is_empty() {
            return self.errorf(format!("missing value for {context}"));
        }
        for (i, c) in pipe.cmds.iter().enumerate().skip(1) {
            if matches!(
                c.args.first(),
                Some(
                    Arg::Bool(..) | Arg::Dot(_) | Arg::Nil(_) | Arg::Number(_) | Arg::String { .. }
                )
            ) {
                return self.errorf(format!(
                    "non executable command in pipeline stage {}",
                    i + 1
                ));
            }
        }
        Ok(())
    }

    fn parse_control(
        &mut self,
        context: &str,
    ) -> PResult<(Pos, PipeNode, ListNode, Option<ListNode>)> {
        if self.control_depth >= MAX_CONTROL_DEPTH {
            return self.errorf("max control structure depth exceeded");
        }
        self.control_depth += 1;
        let nvars = self.vars.len();
        let r = self.parse_control_inner(context);
        self.vars.truncate(nvars);
        self.control_depth -= 1;
        r
    }

    fn parse_control_inner(
        &mut self,
        context: &str,
    ) -> PResult<(Pos, PipeNode, ListNode, Option<ListNode>)> {
        let pipe = self.pipeline(context, ItemKind::RightDelim)?;
        if context == "range" {
            self.range_depth += 1;
        }
        let (list, next) = self.item_list()?;
        if context == "range" {
            self.range_depth -= 1;
        }
        let mut else_list = None;
        if let Parsed::Else(else_pos) = next {
            if context == "if" && self.peek().kind == ItemKind::If {
                self.next();
                else_list = Some(ListNode {
                    nodes: vec![self.if_control()?],
                });
            } else if context == "with" && self.peek().kind == ItemKind::With {
                self.next();
                else_list = Some(ListNode {
                    nodes: vec![self.with_control()?],
                });
            } else {
                let _ = else_pos;
                let (el, next) = self.item_list()?;
                if !matches!(next, Parsed::End) {
                    return self.errorf(format!("expected end; found {}", next.describe()));
                }
                else_list = Some(el);
            }
        }
        Ok((pipe.pos, pipe, list, else_list))
    }

    fn if_control(&mut self) -> PResult<Node> {
        let (pos, pipe, list, else_list) = self.parse_control("if")?;
        Ok(Node::If(BranchNode {
            pos,
            pipe,
            list,
            else_list,
        }))
    }

    fn range_control(&mut self) -> PResult<Node> {
        let (pos, pipe, list, else_list) = self.parse_control("range")?;
        Ok(Node::Range(BranchNode {
            pos,
            pipe,
            list,
            else_list,
        }))
    }

    fn with_control(&mut self) -> PResult<Node> {
        let (pos, pipe, list, else_list) = self.parse_control("with")?;
        Ok(Node::With(BranchNode {
            pos,
            pipe,
            list,
            else_list,
        }))
    }

    fn else_control(&mut self) -> PResult<Parsed> {
        let peek = self.peek();
        if peek.kind == ItemKind::If || peek.kind == ItemKind::With {
            return Ok(Parsed::Else(peek.pos));
        }
        let token = self.expect(ItemKind::RightDelim, "else")?;
        Ok(Parsed::Else(token.pos))
    }

    fn block_control(&mut self) -> PResult<Parsed> {
        let context = "block clause";
        let token = self.next();
        let name = self.parse_template_name(&token, context)?;
        let pipe = self.pipeline(context, ItemKind::RightDelim)?;
        if self.control_depth >= MAX_CONTROL_DEPTH {
            return self.errorf("max control structure depth exceeded");
        }
        self.control_depth += 1;
        let saved = self.enter_tree();
        let (root, end) = self.item_list()?;
        if !matches!(end, Parsed::End) {
            return self.errorf(format!("unexpected {} in {}", end.describe(), context));
        }
        self.add(Tree {
            name: name.clone(),
            parse_name: self.parse_name.clone(),
            text: self.text.clone(),
            root,
        })?;
        self.leave_tree(saved);
        self.control_depth -= 1;
        Ok(self.push(Node::Template(TemplateNode {
            pos: token.pos,
            name,
            pipe: Some(pipe),
        })))
    }

    fn template_control(&mut self) -> PResult<Parsed> {
        let context = "template clause";
        let token = self.next();
        let name = self.parse_template_name(&token, context)?;
        let mut pipe = None;
        if self.next().kind != ItemKind::RightDelim {
            self.backup();
            pipe = Some(self.pipeline(context, ItemKind::RightDelim)?);
        }
        Ok(self.push(Node::Template(TemplateNode {
            pos: token.pos,
            name,
            pipe,
        })))
    }

    fn parse_template_name(&self, token: &Item, context: &str) -> PResult<String> {
        match token.kind {
            ItemKind::String | ItemKind::RawString => match unquote(token.val) {
                Some(s) => Ok(s),
                None => self.errorf("invalid syntax"),
            },
            _ => self.unexpected(token, context),
        }
    }

    fn command(&mut self) -> PResult<CommandNode> {
        let pos = self.peek().pos;
        let start = self.arg_stack.len();
        loop {
            self.operand()?;
            let token = self.next();
            match token.kind {
                ItemKind::RightDelim | ItemKind::RightParen => self.backup(),
                ItemKind::Pipe => {}
                // Space ends the operand; what follows it is the next one (or, if it is none,
                // unexpected: the space is taken off so the next round says so).
                _ if token.space => {
                    self.backup();
                    self.token[self.peek_count - 1].space = false;
                    continue;
                }
                _ => return self.unexpected(&token, "operand"),
            }
            break;
        }
        if self.arg_stack.len() == start {
            return self.errorf("empty command");
        }
        Ok(CommandNode {
            pos,
            args: self.arg_stack.split_off(start),
        })
    }

    /// Parses an operand onto `arg_stack`, if one comes next. (Operands and terms are pushed,
    /// not returned: moving `PResult<Option<Arg>>` up through the calls cost more than the
    /// parsing itself, in partial-word copies the CPU cannot forward.)
    fn operand(&mut self) -> PResult<()> {
        let token = self.next();
        match token.kind {
            ItemKind::Field => {
                let (text, pos) = self.chain_text(token);
                let ident = self.path(text);
                self.arg_stack.push(Arg::Field { pos, ident });
                return Ok(());
            }
            ItemKind::Variable => {
                if !self.vars.contains(&token.val) {
                    return self.errorf(format!(
                        "undefined variable {}",
                        super::fmt::quote_go(token.val)
                    ));
                }
                let (text, pos) = self.chain_text(token);
                let ident = self.path(text);
                self.arg_stack
                    .push(Arg::Variable(VariableNode { pos, ident }));
                return Ok(());
            }
            _ => self.backup(),
        }
        if !self.term()? {
            return Ok(());
        }
        if self.at_chained_field() {
            let pos = self.peek().pos;
            let mut fields = Vec::new();
            while self.at_chained_field() {
                let f = self.next().val;
                let f = self.intern(&f[1..]);
                fields.push(f);
            }
            let node = self.arg_stack.pop().expect("term pushed its operand");
            let chained = match node {
                Arg::Field { ident, .. } => {
                    let ident = ident.iter().cloned().chain(fields).collect();
                    Arg::Field { pos, ident }
                }
                Arg::Variable(v) => {
                    let ident = v.ident.iter().cloned().chain(fields).collect();
                    Arg::Variable(VariableNode { pos, ident })
                }
                Arg::Bool(..) | Arg::String { .. } | Arg::Number(_) | Arg::Nil(_) | Arg::Dot(_) => {
                    return self.errorf(format!(
                        "unexpected . after term {}",
                        super::fmt::quote_go(&node.to_string())
                    ));
                }
                other => Arg::Chain {
                    pos,
                    node: Box::new(other),
                    field: fields,
                },
            };
            self.arg_stack.push(chained);
        }
        Ok(())
    }

    /// Parses a term onto `arg_stack`; `false` (nothing pushed) when none comes next.
    fn term(&mut self) -> PResult<bool> {
        let token = self.next();
        let arg = match token.kind {
            ItemKind::Identifier => {
                if let Some(name) = self.tables.functions.get(token.val) {
                    let name = name.clone();
                    self.arg_stack.push(Arg::Identifier {
                        pos: token.pos,
                        name,
                    });
                    return Ok(true);
                }
                if !(self.has_function)(token.val) {
                    return self.errorf(format!(
                        "function {} not defined",
                        super::fmt::quote_go(token.val)
                    ));
                }
                let name = self.intern(token.val);
                self.tables.functions.insert(token.val, name.clone());
                Arg::Identifier {
                    pos: token.pos,
                    name,
                }
            }
            ItemKind::Dot => Arg::Dot(token.pos),
            ItemKind::Nil => Arg::Nil(token.pos),
            ItemKind::Variable => {
                let v = self.new_variable(token.pos, token.val);
                if !self.vars.iter().any(|n| **n == *v.ident[0]) {
                    return self.errorf(format!(
                        "undefined variable {}",
                        super::fmt::quote_go(&v.ident[0])
                    ));
                }
                Arg::Variable(v)
            }
            ItemKind::Field => Arg::Field {
                pos: token.pos,
                ident: self.path(token.val),
            },
            ItemKind::Bool => Arg::Bool(token.pos, token.val == "true"),
            ItemKind::CharConstant | ItemKind::Complex | ItemKind::Number => {
                match new_number(token.pos, token.val, token.kind) {
                    Ok(n) => Arg::Number(Box::new(n)),
                    Err(e) => return self.errorf(e),
                }
            }
            ItemKind::LeftParen => {
                if self.stack_depth >= MAX_STACK_DEPTH {
                    return self.errorf("max expression depth exceeded");
                }
                self.stack_depth += 1;
                let r = self.pipeline("parenthesized pipeline", ItemKind::RightParen);
                self.stack_depth -= 1;
                Arg::Pipe(Box::new(r?))
            }
            ItemKind::String | ItemKind::RawString => {
                if let Some((quoted, text)) = self.tables.strings.get(token.val) {
                    let (quoted, text) = (quoted.clone(), text.clone());
                    self.arg_stack.push(Arg::String {
                        pos: token.pos,
                        quoted,
                        text,
                    });
                    return Ok(true);
                }
                let v = token.val;
                // Without escapes the text is the inside of the quotes (the lexer checked
                // the closing quote); otherwise Go's unquoting decides.
                let plain = v.len() >= 2
                    && (token.kind == ItemKind::RawString && !v.contains('\r')
                        || token.kind == ItemKind::String && !v.contains(['\\', '\n']));
                let text = if plain {
                    self.intern(&v[1..v.len() - 1])
                } else {
                    match unquote(v) {
                        Some(s) => self.intern(&s),
                        None => return self.errorf("invalid syntax"),
                    }
                };
                let quoted = self.intern(v);
                self.tables
                    .strings
                    .insert(v, (quoted.clone(), text.clone()));
                Arg::String {
                    pos: token.pos,
                    quoted,
                    text,
                }
            }
            _ => {
                self.backup();
                return Ok(false);
            }
        };
        self.arg_stack.push(arg);
        Ok(true)
    }
}

/// Go's `strconv.Unquote` for `"..."` and `` `...` `` literals.
pub(crate) fn unquote(s: &str) -> Option<String> {
    let b = s.as_bytes();
    if b.len() < 2 {
        return None;
    }
    let q = b[0];
    if b[b.len() - 1] != q {
        return None;
    }
    let inner = &s[1..s.len() - 1];
    match q {
        b'`' => {
            if inner.contains('`') {
                return None;
            }
            Some(inner.replace('\r', ""))
        }
        b'"' => {
            // Without a backslash, quote or newline inside, every character stands for itself.
            if memchr::memchr3(b'\\', b'"', b'\n', inner.as_bytes()).is_none() {
                return Some(inner.to_string());
            }
            if inner.contains('\n') {
                return None;
            }
            let mut out = String::with_capacity(inner.len());
            let mut rest = inner;
            while !rest.is_empty() {
                let (c, tail) = unquote_char(rest, '"')?;
                match c {
                    Unq::Char(c) => out.push(c),
                    Unq::Byte(byte) => {
                        // A \x or octal escape produces a raw byte; Go strings hold bytes.
                        // Keep valid UTF-8 by pushing the byte as a char when ASCII,
                        // otherwise as U+FFFD (Go would keep the raw byte).
                        if byte < 0x80 {
                            out.push(byte as char);
                        } else {
                            out.push('\u{FFFD}');
                        }
                    }
                }
                rest = tail;
            }
            Some(out)
        }
        _ => None,
    }
}

pub(crate) enum Unq {
    Char(char),
    Byte(u8),
}

/// Go's `strconv.UnquoteChar`: decodes one (possibly escaped) character.
pub(crate) fn unquote_char(s: &str, quote: char) -> Option<(Unq, &str)> {
    let mut chars = s.chars();
    let c = chars.next()?;
    if c == quote && (quote == '\'' || quote == '"') {
        return None;
    }
    if c != '\\' {
        return Some((Unq::Char(c), chars.as_str()));
    }
    let e = chars.next()?;
    let rest = chars.as_str();
    let simple = match e {
        'a' => Some('\u{7}'),
        'b' => Some('\u{8}'),
        'f' => Some('\u{c}'),
        'n' => Some('\n'),
        'r' => Some('\r'),
        't' => Some('\t'),
        'v' => Some('\u{b}'),
        '\\' => Some('\\'),
        '\'' | '"' => {
            if e != quote {
                return None;
            }
            Some(e)
        }
        _ => None,
    };
    if let Some(c) = simple {
        return Some((Unq::Char(c), rest));
    }
    match e {
        'x' | 'u' | 'U' => {
            let n = match e {
                'x' => 2,
                'u' => 4,
                _ => 8,
            };
            if rest.len() < n || !rest.is_char_boundary(n) {
                return None;
            }
            let v = u32::from_str_radix(&rest[..n], 16).ok()?;
            if rest[..n].starts_with(['+', '-']) {
                return None;
            }
            if e == 'x' {
                return Some((Unq::Byte(v as u8), &rest[n..]));
            }
            let c = char::from_u32(v)?;
            Some((Unq::Char(c), &rest[n..]))
        }
        '0'..='7' => {
            if rest.len() < 2 || !rest.is_char_boundary(2) {
                return None;
            }
            let digits = format!("{e}{}", &rest[..2]);
            if !digits.bytes().all(|b| (b'0'..=b'7').contains(&b)) {
                return None;
            }
            let v = u32::from_str_radix(&digits, 8).ok()?;
            if v > 255 {
                return None;
            }
            Some((Unq::Byte(v as u8), &rest[2..]))
        }
        _ => None,
    }
}

fn new_number(pos: Pos, text: &str, kind: ItemKind) -> Result<NumberNode, String> {
    let mut n = NumberNode {
        pos,
        is_int: false,
        is_uint: false,
        is_float: false,
        is_complex: false,
        int64: 0,
        uint64: 0,
        float64: 0.0,
        imag: 0.0,
        text: text.to_string(),
    };
    match kind {
        ItemKind::CharConstant => {
            let inner = &text[1..];
            let (c, tail) =
                unquote_char(inner, '\'').ok_or_else(|| "invalid syntax".to_string())?;
            if tail != "'" {
                return Err(format!("malformed character constant: {text}"));
            }
            let v = match c {
                Unq::Char(c) => c as i64,
                Unq::Byte(b) => b as i64,
            };
            n.int64 = v;
            n.is_int = true;
            n.uint64 = v as u64;
            n.is_uint = true;
            n.float64 = v as f64;
            n.is_float = true;
            return Ok(n);
        }
        ItemKind::Complex => {
            // Real part, then a signed imaginary part ending in 'i'.
            let bytes = text.as_bytes();
            let split = (1..bytes.len())
                .rev()
                .find(|&i| {
                    (bytes[i] == b'+' || bytes[i] == b'-')
                        && !matches!(bytes[i - 1], b'e' | b'E' | b'p' | b'P')
                })
                .ok_or_else(|| format!("illegal number syntax: {}", super::fmt::quote_go(text)))?;
            let re = parse_float(&text[..split])
                .ok_or_else(|| format!("illegal number syntax: {}", super::fmt::quote_go(text)))?;
            let im = parse_float(&text[split..text.len() - 1])
                .ok_or_else(|| format!("illegal number syntax: {}", super::fmt::quote_go(text)))?;
            n.is_complex = true;
            n.float64 = re;
            n.imag = im;
            simplify_complex(&mut n);
            return Ok(n);
        }
        _ => {}
    }
    if let Some(im) = text.strip_suffix('i')
        && let Some(f) = parse_float(im)
    {
        n.is_complex = true;
        n.float64 = 0.0;
        n.imag = f;
        simplify_complex(&mut n);
        return Ok(n);
    }
    let u =
        parse_int_base0(text).and_then(|(neg, mag)| if neg && mag != 0 { None } else { Some(mag) });
    if let Some(u) = u {
        n.is_uint = true;
        n.uint64 = u;
    }
    if let Some((neg, mag)) = parse_int_base0(text) {
        let i = if neg {
            if mag <= i64::MAX as u64 + 1 {
                Some((mag as i128).wrapping_neg() as i64)
            } else {
                None
            }
        } else if mag <= i64::MAX as u64 {
            Some(mag as i64)
        } else {
            None
        };
        if let Some(i) = i {
            n.is_int = true;
            n.int64 = i;
            if i == 0 {
                n.is_uint = true;
                n.uint64 = 0;
            }
        }
    }
    if n.is_int {
        n.is_float = true;
        n.float64 = n.int64 as f64;
    } else if n.is_uint {
        n.is_float = true;
        n.float64 = n.uint64 as f64;
    } else if let Some(f) = parse_float(text) {
        if !text.contains(['.', 'e', 'E', 'p', 'P']) {
            return Err(format!("integer overflow: {}", super::fmt::quote_go(text)));
        }
        n.is_float = true;
        n.float64 = f;
        if !n.is_int && (f as i64) as f64 == f && f.is_finite() && f.abs() < 9.3e18 {
            n.is_int = true;
            n.int64 = f as i64;
        }
        if !n.is_uint && f >= 0.0 && (f as u64) as f64 == f && f < 1.8e19 {
            n.is_uint = true;
            n.uint64 = f as u64;
        }
    }
    if !n.is_int && !n.is_uint && !n.is_float {
        return Err(format!(
            "illegal number syntax: {}",
            super::fmt::quote_go(text)
        ));
    }
    Ok(n)
}

fn simplify_complex(n: &mut NumberNode) {
    n.is_float = n.imag == 0.0;
    if n.is_float {
        let f = n.float64;
        n.is_int = f.is_finite() && (f as i64) as f64 == f;
        if n.is_int {
            n.int64 = f as i64;
        }
        n.is_uint = f.is_finite() && f >= 0.0 && (f as u64) as f64 == f;
        if n.is_uint {
            n.uint64 = f as u64;
        }
    }
}

/// Go's underscore rule: only between digits, or between a base prefix and a digit.
fn underscore_ok(s: &str) -> bool {
    let b = s.as_bytes();
    let mut saw = b'^';
    let mut i = 0;
    if !b.is_empty() && (b[0] == b'-' || b[0] == b'+') {
        i = 1;
    }
    let mut hex = false;
    if b.len() - i >= 2 && b[i] == b'0' && matches!(b[i + 1] | 0x20, b'b' | b'o' | b'x') {
        hex = (b[i + 1] | 0x20) == b'x';
        i += 2;
        saw = b'0';
    }
    while i < b.len() {
        let c = b[i];
        if c.is_ascii_digit() || (hex && c.is_ascii_hexdigit()) {
            saw = b'0';
        } else if c == b'_' {
            if saw != b'0' {
                return false;
            }
            saw = b'_';
        } else {
            if saw == b'_' {
                return false;
            }
            saw = b'!';
        }
        i += 1;
    }
    saw != b'_'
}

/// `strconv.ParseInt/ParseUint(s, 0, 64)` magnitude: returns (negative, magnitude).
fn parse_int_base0(s: &str) -> Option<(bool, u64)> {
    let (neg, body) = match s.as_bytes().first()? {
        b'-' => (true, &s[1..]),
        b'+' => (false, &s[1..]),
        _ => (false, s),
    };
    if body.is_empty() {
        return None;
    }
    let (radix, digits) = if body.len() >= 2 && body.as_bytes()[0] == b'0' {
        match body.as_bytes()[1] | 0x20 {
            b'x' => (16, &body[2..]),
            b'o' => (8, &body[2..]),
            b'b' => (2, &body[2..]),
            _ => (8, &body[1..]),
        }
    } else {
        (10, body)
    };
    if digits.contains('_') && !underscore_ok(s) {
        return None;
    }
    let cleaned: String = digits.chars().filter(|c| *c != '_').collect();
    if cleaned.is_empty() {
        return None;
    }
    let v = u64::from_str_radix(&cleaned, radix).ok()?;
    Some((neg, v))
}

/// `strconv.ParseFloat(s, 64)`, including hex floats and underscores.
pub(crate) fn parse_float(s: &str) -> Option<f64> {
    if s.contains('_') {
        if !underscore_ok(s) {
            return None;
        }
        return parse_float(&s.replace('_', ""));
    }
    let (neg, body) = match s.as_bytes().first()? {
        b'-' => (true, &s[1..]),
        b'+' => (false, &s[1..]),
        _ => (false, s),
    };
    let lower = body.to_ascii_lowercase();
    let v = if lower == "inf" || lower == "infinity" {
        f64::INFINITY
    } else if lower == "nan" {
        f64::NAN
    } else if let Some(hex) = lower.strip_prefix("0x") {
        parse_hex_float(hex)?
    } else {
        if !body
            .bytes()
            .all(|b| b.is_ascii_digit() || matches!(b, b'.' | b'e' | b'E' | b'+' | b'-'))
        {
            return None;
        }
        body.parse::<f64>().ok()?
    };
    Some(if neg { -v } else { v })
}

fn parse_hex_float(s: &str) -> Option<f64> {
    let (mant, exp) = match s.find('p') {
        Some(i) => (&s[..i], s[i + 1..].parse::<i32>().ok()?),
        None => (s, 0),
    };
    let (int_part, frac_part) = match mant.find('.') {
        Some(i) => (&mant[..i], &mant[i + 1..]),
        None => (mant, ""),
    };
    if int_part.is_empty() && frac_part.is_empty() {
        return None;
    }
    let mut v = 0f64;
    for c in int_part.chars() {
        v = v * 16.0 + c.to_digit(16)? as f64;
    }
    let mut scale = 1.0 / 16.0;
    for c in frac_part.chars() {
        v += c.to_digit(16)? as f64 * scale;
        scale /= 16.0;
    }
    Some(v * 2f64.powi(exp))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn funcs(name: &str) -> bool {
        matches!(
            name,
            "printf" | "len" | "index" | "and" | "or" | "not" | "eq"
        )
    }

    fn ok(text: &str) -> Vec<Tree> {
        parse("t", text, &funcs).unwrap_or_else(|e| panic!("{text}: {e}"))
    }

    fn err(text: &str) -> String {
        parse("t", text, &funcs).unwrap_err().message
    }

    /// Port of Go's parse_test.go table: template text → String() of the tree.
    #[test]
    fn round_trips() {
        let table: &[(&str, &str)] = &[
            ("", ""),
            ("{{/*\n\n\n*/}}", ""),
            (" \t\n", " \t\n"),
            ("some text", "some text"),
            ("{{.X}}", "{{.X}}"),
            ("{{printf}}", "{{printf}}"),
            ("{{$}}", "{{$}}"),
            (
                "{{with $x := 3}}{{$x 23}}{{end}}",
                "{{with $x := 3}}{{$x 23}}{{end}}",
            ),
            ("{{$.I}}", "{{$.I}}"),
            ("{{printf `%d` 23}}", "{{printf `%d` 23}}"),
            ("{{.X|.Y}}", "{{.X | .Y}}"),
            ("{{$x := .X|.Y}}", "{{$x := .X | .Y}}"),
            ("{{$x := .X}}{{$x = .Y}}", "{{$x := .X}}{{$x = .Y}}"),
            ("{{(.X).Y}}", "{{(.X).Y}}"),
            ("{{.X.Y}}", "{{.X.Y}}"),
            ("{{if .X}}hello{{end}}", "{{if .X}}hello{{end}}"),
            (
                "{{if .X}}true{{else}}false{{end}}",
                "{{if .X}}true{{else}}false{{end}}",
            ),
            (
                "{{if .X}}true{{else if .Y}}false{{end}}",
                "{{if .X}}true{{else}}{{if .Y}}false{{end}}{{end}}",
            ),
            (
                "{{with .X}}a{{else with .Y}}b{{end}}",
                "{{with .X}}a{{else}}{{with .Y}}b{{end}}{{end}}",
            ),
            ("{{range .X}}hello{{end}}", "{{range .X}}hello{{end}}"),
            (
                "{{range $x := .SI}}{{.}}{{end}}",
                "{{range $x := .SI}}{{.}}{{end}}",
            ),
            (
                "{{range $x, $y := .SI}}{{.}}{{end}}",
                "{{range $x, $y := .SI}}{{.}}{{end}}",
            ),
            (
                "{{range .X}}{{break}}{{end}}",
                "{{range .X}}{{break}}{{end}}",
            ),
            (
                "{{range .X}}{{continue}}{{end}}",
                "{{range .X}}{{continue}}{{end}}",
            ),
            (
                "{{range .SI 1 -3.5 2i 1+2i 'a'}}{{end}}",
                "{{range .SI 1 -3.5 2i 1+2i 'a'}}{{end}}",
            ),
            ("{{template `x`}}", "{{template \"x\"}}"),
            ("{{template `x` .Y}}", "{{template \"x\" .Y}}"),
            ("{{with .X}}hello{{end}}", "{{with .X}}hello{{end}}"),
            (
                "{{with .X}}hello{{else}}goodbye{{end}}",
                "{{with .X}}hello{{else}}goodbye{{end}}",
            ),
            ("{{.X | printf `%s` \"23\"}}", "{{.X | printf `%s` \"23\"}}"),
            ("{{(printf .Field1.Field2)}}", "{{(printf .Field1.Field2)}}"),
            ("{{printf \"%d\" ( 1 ) }}", "{{printf \"%d\" (1)}}"),
            ("{{- 3 }}", "{{3}}"),
            ("{{ 3 -}}", "{{3}}"),
            ("{{- 3 -}}", "{{3}}"),
            ("{{(.X).Y.Z}}", "{{(.X).Y.Z}}"),
            ("{{block \"foo\" .}}hello{{end}}", "{{template \"foo\" .}}"),
            ("{{$x := 1}}{{$x}}", "{{$x := 1}}{{$x}}"),
            ("{{.X\n}}", "{{.X}}"),
        ];
        for (input, want) in table {
            let trees = ok(input);
            let main = trees.iter().find(|t| t.name == "t").unwrap();
            assert_eq!(main.root.to_string(), *want, "input {input:?}");
        }
    }

    #[test]
    fn errors_like_go() {
        let table: &[(&str, &str)] = &[
            ("{{.X", "template: t:1: unclosed action"),
            ("{{.X\n", "template: t:2: unclosed action started at t:1"),
            ("{{end}}", "template: t:1: unexpected {{end}}"),
            ("{{else}}", "template: t:1: unexpected {{else}}"),
            ("{{if .X}}", "template: t:1: unexpected EOF"),
            (
                "{{range .X}}{{else}}{{else}}{{end}}",
                "template: t:1: expected end; found {{else}}",
            ),
            ("{{nope}}", "template: t:1: function \"nope\" not defined"),
            ("{{$x}}", "template: t:1: undefined variable \"$x\""),
            ("{{break}}", "template: t:1: {{break}} outside {{range}}"),
            (
                "{{continue}}",
                "template: t:1: {{continue}} outside {{range}}",
            ),
            ("{{if}}{{end}}", "template: t:1: missing value for if"),
            (
                "{{.X | 3}}",
                "template: t:1: non executable command in pipeline stage 2",
            ),
            ("{{3.X}}", "template: t:1: bad number syntax: \"3.X\""),
            (
                "{{\"x\".X}}",
                "template: t:1: unexpected . after term \"\\\"x\\\"\"",
            ),
            (
                "{{define \"a\"}}a{{end}}{{define \"a\"}}b{{end}}",
                "template: t:1: template: multiple definition of template \"a\"",
            ),
            (
                "{{range $a, $b, $c := .X}}{{end}}",
                "template: t:1: too many declarations in range",
            ),
            (
                "{{$a, $b := 1}}",
                "template: t:1: too many declarations in command",
            ),
            ("{{ 08 }}", "template: t:1: integer overflow: \"08\""),
            (
                "{{ 99999999999999999999 }}",
                "template: t:1: integer overflow: \"99999999999999999999\"",
            ),
            ("{{ .X }", "template: t:1: unexpected \"}\" in operand"),
            ("{{\n.X\n", "template: t:3: unclosed action started at t:1"),
        ];
        for (input, want) in table {
            assert_eq!(err(input), *want, "input {input:?}");
        }
    }

    #[test]
    fn defines_and_blocks() {
        let trees = ok("a{{define \"x\"}}X{{end}}b{{block \"y\" .}}Y{{end}}");
        let names: Vec<&str> = trees.iter().map(|t| t.name.as_str()).collect();
        assert_eq!(names, vec!["x", "y", "t"]);
        // An empty redefinition does not replace a real one.
        let trees = ok("{{define \"x\"}}X{{end}}{{define \"x\"}} {{end}}");
        assert_eq!(trees[0].root.to_string(), "X");
    }

    #[test]
    fn numbers() {
        let n = new_number(0, "0x1F", ItemKind::Number).unwrap();
        assert!(n.is_int && n.int64 == 31);
        let n = new_number(0, "017", ItemKind::Number).unwrap();
        assert_eq!(n.int64, 15);
        let n = new_number(0, "1_000", ItemKind::Number).unwrap();
        assert_eq!(n.int64, 1000);
        let n = new_number(0, "1e3", ItemKind::Number).unwrap();
        assert!(n.is_float && n.is_int && n.int64 == 1000);
        let n = new_number(0, "'a'", ItemKind::CharConstant).unwrap();
        assert_eq!(n.int64, 97);
        let n = new_number(0, "0x1p-2", ItemKind::Number).unwrap();
        assert_eq!(n.float64, 0.25);
        assert!(new_number(0, "1__0", ItemKind::Number).is_err());
    }

    #[test]
    fn deep_nesting_is_an_error_not_a_crash() {
        let text = format!("{{{{{}1{}}}}}", "(".repeat(500), ")".repeat(500));
        assert!(err(&text).contains("max expression depth exceeded"));
        let text = format!("{}{}", "{{if 1}}".repeat(500), "{{end}}".repeat(500));
        assert!(err(&text).contains("depth exceeded"));
    }

    #[test]
    fn unquoting() {
        assert_eq!(unquote(r#""a\tb\x41\u00e9\101""#).unwrap(), "a\tbAéA");
        assert_eq!(unquote("`a\r\nb`").unwrap(), "a\nb");
        assert!(unquote(r#""\q""#).is_none());
        assert!(unquote(r#""\'""#).is_none());
    }
}
