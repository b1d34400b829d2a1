//! Template errors, shaped like Go's so their text matches (`template: x.yaml:3:5: executing
//! "x.yaml" at <.Values.a.b>: nil pointer evaluating interface {}.b`) and so a caller can walk
//! the chain of wrapped errors the way Helm does to build its own messages.

use super::parse::ParseError;

/// An error from parsing or executing a template, or returned by a template function.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum TemplateError {
    /// A parse error (`template: name:line: message`).
    Parse(ParseError),
    /// Go's `ExecError`: an error while executing template `name`.
    Exec {
        /// The executing template's name.
        name: String,
        /// `name:line:col` and the text of the node being evaluated; `None` before any node.
        at: Option<(String, String)>,
        /// The message after the location (includes the text of `cause`, when there is one).
        message: String,
        /// The wrapped error (`error calling include: <cause>`).
        cause: Option<Box<TemplateError>>,
    },
    /// A plain error message (Go's `errors.New`), e.g. from a function.
    Plain(String),
    /// `fmt.Errorf("<prefix>%w", inner)`.
    Wrapped {
        prefix: String,
        inner: Box<TemplateError>,
    },
}

impl TemplateError {
    pub fn plain(msg: impl Into<String>) -> TemplateError {
        TemplateError::Plain(msg.into())
    }

    /// The chain of errors Go's `errors.Unwrap` would visit, starting with this one, as
    /// their `Error()` strings. An `Exec` error contributes its own text twice (the
    /// `ExecError` and the `fmt` error it holds), like Go.
    pub fn unwrap_chain(&self) -> Vec<String> {
        let mut out = Vec::new();
        let mut cur = Some(self);
        while let Some(e) = cur {
            out.push(e.to_string());
            cur = match e {
                TemplateError::Exec { cause, .. } => {
                    out.push(e.to_string());
                    cause.as_deref()
                }
                TemplateError::Wrapped { inner, .. } => Some(inner),
                _ => None,
            };
        }
        out
    }

    /// Is this (or does it wrap) an execution error (Go's `errors.As(err, &ExecError{})`)?
    pub fn is_exec(&self) -> bool {
        match self {
            TemplateError::Exec { .. } => true,
            TemplateError::Wrapped { inner, .. } => inner.is_exec(),
            _ => false,
        }
    }
}

impl std::fmt::Display for TemplateError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            TemplateError::Parse(p) => write!(f, "{p}"),
            TemplateError::Exec {
                name, at, message, ..
            } => match at {
                None => write!(f, "template: {name}: {message}"),
                Some((loc, ctx)) => write!(
                    f,
                    "template: {loc}: executing {} at <{ctx}>: {message}",
                    super::fmt::quote_go(name)
                ),
            },
            TemplateError::Plain(m) => f.write_str(m),
            TemplateError::Wrapped { prefix, inner } => write!(f, "{prefix}{inner}"),
        }
    }
}

impl std::error::Error for TemplateError {}

impl From<ParseError> for TemplateError {
    fn from(p: ParseError) -> Self {
        TemplateError::Parse(p)
    }
}

impl From<String> for TemplateError {
    fn from(s: String) -> Self {
        TemplateError::Plain(s)
    }
}

impl From<&str> for TemplateError {
    fn from(s: &str) -> Self {
        TemplateError::Plain(s.to_string())
    }
}
