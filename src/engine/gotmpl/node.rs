//! Parse-tree nodes of a Go template and their `String()` forms, which Go prints in error
//! messages (`executing "x" at <.Values.a.b>: ...`). Plain data: no evaluation here.

use std::fmt::{self, Display, Formatter, Write};
use std::rc::Rc;

/// Byte position in the text the template was parsed from.
pub(crate) type Pos = usize;

/// A name or literal from the template text, shared by every node of one parse that uses the
/// same text (the parser interns them: one allocation per distinct name, not per use).
pub(crate) type Name = Rc<str>;

/// A field chain (`.a.b` is `["a", "b"]`) or a variable with its fields (`$x.a` is
/// `["$x", "a"]`), shared by every use of the same chain in one parse.
pub(crate) type Path = Rc<[Name]>;

/// One parsed template: a file's main body, or a `define`/`block`.
#[derive(Debug)]
pub(crate) struct Tree {
    /// The template's name (`define "name"`, or the file name).
    pub name: String,
    /// The name of the top-level template being parsed (the file), for error locations.
    pub parse_name: Rc<str>,
    /// The full text that was parsed (for line/column of errors).
    pub text: Rc<str>,
    pub root: ListNode,
}

impl Tree {
    /// Go's `ErrorContext`: `name:line:col` (col is a 0-based byte offset in the line) and the
    /// node's text.
    pub fn location(&self, pos: Pos) -> String {
        let pos = pos.min(self.text.len());
        let before = &self.text.as_bytes()[..pos];
        let line = 1 + before.iter().filter(|b| **b == b'\n').count();
        let col = match before.iter().rposition(|b| *b == b'\n') {
            None => pos,
            Some(nl) => pos - (nl + 1),
        };
        format!("{}:{}:{}", self.parse_name, line, col)
    }
}

/// Is the tree empty of everything but space (Go's `IsEmptyTree`)?
pub(crate) fn is_empty_list(list: &ListNode) -> bool {
    list.nodes.iter().all(|n| match n {
        Node::Text(t) => t.text().trim_matches(is_go_space).is_empty(),
        _ => false,
    })
}

fn is_go_space(c: char) -> bool {
    // bytes.TrimSpace: Unicode white space.
    c.is_whitespace()
}

#[derive(Debug, Default)]
pub(crate) struct ListNode {
    pub nodes: Vec<Node>,
}

#[derive(Debug)]
pub(crate) enum Node {
    Text(TextNode),
    Action(ActionNode),
    If(BranchNode),
    Range(BranchNode),
    With(BranchNode),
    Template(TemplateNode),
    Break(Pos),
    Continue(Pos),
}

impl Node {
    pub fn pos(&self) -> Pos {
        match self {
            Node::Text(t) => t.pos,
            Node::Action(a) => a.pos,
            Node::If(b) | Node::Range(b) | Node::With(b) => b.pos,
            Node::Template(t) => t.pos,
            Node::Break(p) | Node::Continue(p) => *p,
        }
    }
}

#[derive(Debug)]
pub(crate) struct TextNode {
    pub pos: Pos,
    /// The whole template text this node is a slice of (shared, not copied per node).
    pub src: Rc<str>,
    pub len: usize,
}

impl TextNode {
    /// The text this node prints.
    pub fn text(&self) -> &str {
        self.src.get(self.pos..self.pos + self.len).unwrap_or("")
    }
}

#[derive(Debug)]
pub(crate) struct ActionNode {
    pub pos: Pos,
    pub pipe: PipeNode,
}

#[derive(Debug)]
pub(crate) struct BranchNode {
    pub pos: Pos,
    pub pipe: PipeNode,
    pub list: ListNode,
    pub else_list: Option<ListNode>,
}

#[derive(Debug)]
pub(crate) struct TemplateNode {
    pub pos: Pos,
    pub name: String,
    pub pipe: Option<PipeNode>,
}

#[derive(Debug)]
pub(crate) struct PipeNode {
    pub pos: Pos,
    pub is_assign: bool,
    pub decl: Vec<VariableNode>,
    pub cmds: Vec<CommandNode>,
}

#[derive(Debug)]
pub(crate) struct CommandNode {
    pub pos: Pos,
    pub args: Vec<Arg>,
}

#[derive(Debug)]
pub(crate) struct VariableNode {
    pub pos: Pos,
    /// `$x`, then fields: `$x.a.b` is `["$x", "a", "b"]`.
    pub ident: Path,
}

/// A number literal, stored under every Go type that can hold it (Go's ideal constants).
#[derive(Debug, Clone)]
pub(crate) struct NumberNode {
    pub pos: Pos,
    pub is_int: bool,
    pub is_uint: bool,
    pub is_float: bool,
    pub is_complex: bool,
    pub int64: i64,
    pub uint64: u64,
    pub float64: f64,
    pub imag: f64,
    pub text: String,
}

/// An operand of a command.
#[derive(Debug)]
pub(crate) enum Arg {
    Field {
        pos: Pos,
        ident: Path,
    },
    Chain {
        pos: Pos,
        node: Box<Arg>,
        field: Vec<Name>,
    },
    Identifier {
        pos: Pos,
        name: Name,
    },
    Variable(VariableNode),
    Dot(Pos),
    Nil(Pos),
    Bool(Pos, bool),
    Number(Box<NumberNode>),
    String {
        pos: Pos,
        quoted: Name,
        text: Name,
    },
    Pipe(Box<PipeNode>),
}

impl Arg {
    pub fn pos(&self) -> Pos {
        match self {
            Arg::Field { pos, .. }
            | Arg::Chain { pos, .. }
            | Arg::Identifier { pos, .. }
            | Arg::String { pos, .. } => *pos,
            Arg::Variable(v) => v.pos,
            Arg::Dot(p) | Arg::Nil(p) | Arg::Bool(p, _) => *p,
            Arg::Number(n) => n.pos,
            Arg::Pipe(p) => p.pos,
        }
    }
}

impl Display for ListNode {
    fn fmt(&self, f: &mut Formatter<'_>) -> fmt::Result {
        for n in &self.nodes {
            write!(f, "{n}")?;
        }
        Ok(())
    }
}

impl Display for Node {
    fn fmt(&self, f: &mut Formatter<'_>) -> fmt::Result {
        match self {
            Node::Text(t) => f.write_str(t.text()),
            Node::Action(a) => write!(f, "{{{{{}}}}}", a.pipe),
            Node::If(b) => write_branch(f, "if", b),
            Node::Range(b) => write_branch(f, "range", b),
            Node::With(b) => write_branch(f, "with", b),
            Node::Template(t) => {
                write!(f, "{{{{template {}", super::fmt::quote_go(&t.name))?;
                if let Some(p) = &t.pipe {
                    write!(f, " {p}")?;
                }
                f.write_str("}}")
            }
            Node::Break(_) => f.write_str("{{break}}"),
            Node::Continue(_) => f.write_str("{{continue}}"),
        }
    }
}

fn write_branch(f: &mut Formatter<'_>, name: &str, b: &BranchNode) -> fmt::Result {
    write!(f, "{{{{{name} {}}}}}{}", b.pipe, b.list)?;
    if let Some(e) = &b.else_list {
        write!(f, "{{{{else}}}}{e}")?;
    }
    f.write_str("{{end}}")
}

impl Display for PipeNode {
    fn fmt(&self, f: &mut Formatter<'_>) -> fmt::Result {
        if !self.decl.is_empty() {
            for (i, v) in self.decl.iter().enumerate() {
                if i > 0 {
                    f.write_str(", ")?;
                }
                write!(f, "{v}")?;
            }
            f.write_str(if self.is_assign { " = " } else { " := " })?;
        }
        for (i, c) in self.cmds.iter().enumerate() {
            if i > 0 {
                f.write_str(" | ")?;
            }
            write!(f, "{c}")?;
        }
        Ok(())
    }
}

impl Display for CommandNode {
    fn fmt(&self, f: &mut Formatter<'_>) -> fmt::Result {
        for (i, a) in self.args.iter().enumerate() {
            if i > 0 {
                f.write_char(' ')?;
            }
            if let Arg::Pipe(p) = a {
                write!(f, "({p})")?;
            } else {
                write!(f, "{a}")?;
            }
        }
        Ok(())
    }
}

impl Display for VariableNode {
    fn fmt(&self, f: &mut Formatter<'_>) -> fmt::Result {
        f.write_str(&self.ident.join("."))
    }
}

impl Display for Arg {
    fn fmt(&self, f: &mut Formatter<'_>) -> fmt::Result {
        match self {
            Arg::Field { ident, .. } => {
                for id in ident.iter() {
                    write!(f, ".{id}")?;
                }
                Ok(())
            }
            Arg::Chain { node, field, .. } => {
                if let Arg::Pipe(p) = node.as_ref() {
                    write!(f, "({p})")?;
                } else {
                    write!(f, "{node}")?;
                }
                for id in field {
                    write!(f, ".{id}")?;
                }
                Ok(())
            }
            Arg::Identifier { name, .. } => f.write_str(name),
            Arg::Variable(v) => write!(f, "{v}"),
            Arg::Dot(_) => f.write_str("."),
            Arg::Nil(_) => f.write_str("nil"),
            Arg::Bool(_, b) => f.write_str(if *b { "true" } else { "false" }),
            Arg::Number(n) => f.write_str(&n.text),
            Arg::String { quoted, .. } => f.write_str(quoted),
            Arg::Pipe(p) => write!(f, "{p}"),
        }
    }
}
