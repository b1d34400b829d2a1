//! `TemplateError`: what went wrong while compiling or rendering a Jinja chart, naming the
//! chart, the template file, the line, a short excerpt of that template line and what is
//! missing. minijinja's dump of the variables in scope (which may hold secrets from values) is
//! kept only when the `debug` option asks for it. Must not print.

use std::fmt;

/// Longest template excerpt shown (characters).
const EXCERPT_CHARS: usize = 160;

/// What kind of failure a [`TemplateError`] is.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum TemplateErrorKind {
    /// The template does not parse.
    Syntax,
    /// An undefined value was printed, iterated or (in strict mode) tested.
    Undefined,
    /// `required` found no value.
    Required,
    /// The template called `fail`.
    Fail,
    /// The template did too much work (fuel ran out).
    TooMuchWork,
    /// Macro, include or `tpl` recursion went too deep.
    TooDeep,
    /// An imported or included template does not exist.
    NotFound,
    /// A template file is not UTF-8.
    NotUtf8,
    /// Anything else (bad filter arguments, type errors, ...).
    Other,
}

/// A template failure, located. Boxed so `Result`s stay small; the fields are read through
/// `Deref` (`err.kind`, `err.template`, `err.line`...).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct TemplateError(Box<TemplateErrorInfo>);

impl std::ops::Deref for TemplateError {
    type Target = TemplateErrorInfo;

    fn deref(&self) -> &TemplateErrorInfo {
        &self.0
    }
}

impl From<TemplateErrorInfo> for TemplateError {
    fn from(info: TemplateErrorInfo) -> Self {
        TemplateError(Box::new(info))
    }
}

impl TemplateError {
    /// The error's details, owned.
    pub fn into_info(self) -> TemplateErrorInfo {
        *self.0
    }
}

/// What a [`TemplateError`] says.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct TemplateErrorInfo {
    pub kind: TemplateErrorKind,
    /// The chart being rendered (its full path, `parent/charts/sub`).
    pub chart: String,
    /// The template where the error happened (display name, `<chart>/templates/<file>`).
    pub template: String,
    /// The template being rendered when the error happened, if different from `template`
    /// (the error was inside an imported macro or an include).
    pub rendering: Option<String>,
    /// 1-based line in `template`.
    pub line: Option<usize>,
    /// The template source line, trimmed and shortened.
    pub excerpt: Option<String>,
    /// What went wrong.
    pub message: String,
    /// minijinja's debug report (source context and variables in scope); only with `debug`.
    pub debug: Option<String>,
}

impl std::error::Error for TemplateError {}

impl fmt::Display for TemplateError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Display::fmt(&*self.0, f)
    }
}

impl fmt::Display for TemplateErrorInfo {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "chart {:?}: {}", self.chart, self.template)?;
        if let Some(line) = self.line {
            write!(f, ":{line}")?;
        }
        write!(f, ": {}", self.message)?;
        if let Some(r) = &self.rendering {
            write!(f, " (while rendering {r})")?;
        }
        if let (Some(line), Some(ex)) = (self.line, &self.excerpt) {
            write!(f, "\n  {line} | {ex}")?;
        }
        if let Some(hint) = self.hint() {
            write!(f, "\n  hint: {hint}")?;
        }
        if let Some(d) = &self.debug {
            write!(f, "\n{d}")?;
        }
        Ok(())
    }
}

impl TemplateErrorInfo {
    fn hint(&self) -> Option<&'static str> {
        match self.kind {
            TemplateErrorKind::Undefined => Some(
                "set the value, give a default (`x | default(...)`), or guard it with \
                 `{% if x is defined %}`",
            ),
            TemplateErrorKind::TooMuchWork => Some(
                "a loop or recursion in this template does too much work; check loop bounds and \
                 recursive macros",
            ),
            TemplateErrorKind::TooDeep => Some(
                "macros, includes or tpl call themselves too deeply; look for a macro or value \
                 that renders itself",
            ),
            TemplateErrorKind::NotFound => Some(
                "imports are relative to templates/ (\"_helpers.tpl\"), or start with a \
                 dependency's name (\"common/_names.tpl\"); '..' and absolute paths are refused",
            ),
            _ => None,
        }
    }
}

impl TemplateError {
    /// An error about a whole template file (no line), e.g. not UTF-8.
    pub(crate) fn file(
        kind: TemplateErrorKind,
        chart: &str,
        template: &str,
        message: String,
    ) -> TemplateError {
        TemplateErrorInfo {
            kind,
            chart: chart.to_string(),
            template: template.to_string(),
            rendering: None,
            line: None,
            excerpt: None,
            message,
            debug: None,
        }
        .into()
    }

    /// Converts a minijinja error. `rendering` is the template being rendered (or compiled);
    /// `source_of` finds a template's source by display name, for the excerpt.
    pub(crate) fn from_minijinja<'a>(
        err: &minijinja::Error,
        chart: &str,
        rendering: &str,
        source_of: impl Fn(&str) -> Option<&'a str>,
        debug: bool,
        fuel: u64,
    ) -> TemplateError {
        // Errors from includes carry the inner error as source; report the innermost located one.
        let mut located = err;
        let mut cur: &dyn std::error::Error = err;
        while let Some(next) = cur.source() {
            if let Some(e) = next.downcast_ref::<minijinja::Error>()
                && e.line().is_some()
            {
                located = e;
            }
            cur = next;
        }
        let marker = find_marker(err);
        let kind = match (marker, err.kind()) {
            (Some(Marker::Required), _) => TemplateErrorKind::Required,
            (Some(Marker::Fail), _) => TemplateErrorKind::Fail,
            (Some(Marker::TplTooDeep), _) => TemplateErrorKind::TooDeep,
            (_, minijinja::ErrorKind::SyntaxError) => TemplateErrorKind::Syntax,
            (_, minijinja::ErrorKind::UndefinedError) => TemplateErrorKind::Undefined,
            (_, minijinja::ErrorKind::TemplateNotFound) => TemplateErrorKind::NotFound,
            (_, minijinja::ErrorKind::OutOfFuel) => TemplateErrorKind::TooMuchWork,
            _ if [err, located]
                .iter()
                .any(|e| e.detail().is_some_and(|d| d.contains("recursion limit"))) =>
            {
                TemplateErrorKind::TooDeep
            }
            _ => match located.kind() {
                minijinja::ErrorKind::UndefinedError => TemplateErrorKind::Undefined,
                minijinja::ErrorKind::TemplateNotFound => TemplateErrorKind::NotFound,
                minijinja::ErrorKind::OutOfFuel => TemplateErrorKind::TooMuchWork,
                _ => TemplateErrorKind::Other,
            },
        };
        let message = match kind {
            TemplateErrorKind::Required | TemplateErrorKind::Fail => {
                located.detail().unwrap_or("failed").to_string()
            }
            TemplateErrorKind::TooMuchWork => {
                format!("rendering stopped after using its work budget ({fuel} fuel units)")
            }
            _ => {
                let inner = match located.detail() {
                    Some(d) => format!("{}: {d}", located.kind()),
                    None => located.kind().to_string(),
                };
                if !std::ptr::eq(located, err)
                    && let Some(d) = err.detail()
                    && !inner.contains(d)
                {
                    format!("{inner} ({}: {d})", err.kind())
                } else {
                    inner
                }
            }
        };
        let template = located
            .name()
            .or(err.name())
            .unwrap_or(rendering)
            .to_string();
        let line = located.line().or(err.line());
        let excerpt = line.and_then(|l| {
            let src = source_of(&template).or_else(|| located.template_source())?;
            excerpt_of(src, l)
        });
        let debug = if debug {
            let mut s = String::new();
            let mut cur: Option<&dyn std::error::Error> = Some(err);
            while let Some(e) = cur {
                if let Some(me) = e.downcast_ref::<minijinja::Error>() {
                    let info = me.display_debug_info().to_string();
                    if !info.trim().is_empty() {
                        s.push_str(&info);
                    }
                }
                cur = e.source();
            }
            (!s.trim().is_empty()).then_some(s)
        } else {
            None
        };
        TemplateErrorInfo {
            kind,
            chart: chart.to_string(),
            rendering: (template != rendering).then(|| rendering.to_string()),
            template,
            line,
            excerpt,
            message,
            debug,
        }
        .into()
    }
}

/// The trimmed source line `line` (1-based), shortened to [`EXCERPT_CHARS`].
fn excerpt_of(src: &str, line: usize) -> Option<String> {
    let text = src.lines().nth(line.checked_sub(1)?)?.trim();
    if text.is_empty() {
        return None;
    }
    let mut out: String = text.chars().take(EXCERPT_CHARS).collect();
    if text.chars().count() > EXCERPT_CHARS {
        out.push('…');
    }
    Some(out)
}

/// Errors raised on purpose by our functions, recognised through the error's source chain.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Marker {
    Required,
    Fail,
    TplTooDeep,
}

impl fmt::Display for Marker {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Marker::Required => "required value missing",
            Marker::Fail => "fail called",
            Marker::TplTooDeep => "tpl nested too deeply",
        })
    }
}

impl std::error::Error for Marker {}

impl Marker {
    /// A minijinja error carrying this marker.
    pub(crate) fn error(self, detail: String) -> minijinja::Error {
        minijinja::Error::new(minijinja::ErrorKind::InvalidOperation, detail).with_source(self)
    }
}

pub(crate) fn find_marker(err: &minijinja::Error) -> Option<Marker> {
    let mut cur: Option<&dyn std::error::Error> = Some(err);
    while let Some(e) = cur {
        if let Some(m) = e.downcast_ref::<Marker>() {
            return Some(*m);
        }
        cur = e.source();
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn excerpt_is_trimmed_and_short() {
        assert_eq!(
            excerpt_of("a\n   b: {{ x }}  \nc", 2).as_deref(),
            Some("b: {{ x }}")
        );
        assert_eq!(excerpt_of("a", 5), None);
        assert_eq!(excerpt_of("a", 0), None);
        let long = "x".repeat(500);
        assert_eq!(
            excerpt_of(&long, 1).unwrap().chars().count(),
            EXCERPT_CHARS + 1
        );
    }

    #[test]
    fn display_names_everything() {
        let e = TemplateErrorInfo {
            kind: TemplateErrorKind::Undefined,
            chart: "app".into(),
            template: "app/templates/d.yaml".into(),
            rendering: None,
            line: Some(3),
            excerpt: Some("image: {{ values.image.tag }}".into()),
            message: "undefined value: `values.image.tag` is undefined".into(),
            debug: None,
        };
        let s = e.to_string();
        assert!(s.contains("chart \"app\""), "{s}");
        assert!(s.contains("app/templates/d.yaml:3"), "{s}");
        assert!(s.contains("values.image.tag"), "{s}");
        assert!(s.contains("3 | image:"), "{s}");
        assert!(s.contains("hint:"), "{s}");
    }
}
