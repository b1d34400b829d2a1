//! `required`, `fail`, `tpl` and `lookup`.
//!
//! - `value | required("msg")` fails when the value is undefined, none or `""` (Helm's rule);
//!   `fail("msg")` always fails. In lint mode both record a [`Finding`] and render `""`.
//! - `tpl(text)` renders a string as a template with the current top-level context (`values`,
//!   `release`, ...; not loop or `set` variables), so imports in it resolve from the current
//!   template's chart. Nesting is limited to [`MAX_TPL_DEPTH`], and the work done inside is
//!   charged to the calling template's fuel.
//! - `lookup(...)` always returns an empty map: rendering is offline.

use super::super::context::ROOT_NAMES;
use super::super::error::{Marker, find_marker};
use super::ensure_defined;
use minijinja::value::{Rest, Value};
use minijinja::{Error, ErrorKind, State};
use std::cell::Cell;
use std::sync::{Arc, Mutex};

/// How deeply `tpl` may call itself (a value that renders itself stops here).
pub const MAX_TPL_DEPTH: usize = 10;

/// A `required`/`fail` that lint mode recorded instead of failing.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Finding {
    /// Display name of the template that called `required`/`fail`.
    pub template: String,
    pub message: String,
}

/// Collects lint-mode findings of one render.
#[derive(Clone, Debug, Default)]
pub(crate) struct LintSink(Arc<Mutex<Vec<Finding>>>);

impl LintSink {
    fn push(&self, f: Finding) {
        if let Ok(mut v) = self.0.lock() {
            v.push(f);
        }
    }

    /// The findings recorded so far, in order.
    pub fn take(&self) -> Vec<Finding> {
        self.0
            .lock()
            .map(|mut v| std::mem::take(&mut *v))
            .unwrap_or_default()
    }
}

pub fn required(
    state: &State,
    v: Value,
    msg: Option<String>,
    lint: bool,
    sink: &LintSink,
) -> Result<Value, Error> {
    let missing = v.is_undefined() || v.is_none() || v.as_str() == Some("");
    if !missing {
        return Ok(v);
    }
    let msg = msg.unwrap_or_else(|| "a required value is missing".to_string());
    if lint {
        sink.push(Finding {
            template: state.name().to_string(),
            message: msg,
        });
        return Ok(Value::from(""));
    }
    Err(Marker::Required.error(msg))
}

pub fn fail(
    state: &State,
    msg: Option<String>,
    lint: bool,
    sink: &LintSink,
) -> Result<Value, Error> {
    let msg = msg.unwrap_or_else(|| "the template called fail()".to_string());
    if lint {
        sink.push(Finding {
            template: state.name().to_string(),
            message: msg,
        });
        return Ok(Value::from(""));
    }
    Err(Marker::Fail.error(msg))
}

thread_local! {
    static TPL_DEPTH: Cell<usize> = const { Cell::new(0) };
}

struct DepthGuard;

impl DepthGuard {
    fn enter() -> Option<DepthGuard> {
        TPL_DEPTH.with(|d| {
            if d.get() >= MAX_TPL_DEPTH {
                None
            } else {
                d.set(d.get() + 1);
                Some(DepthGuard)
            }
        })
    }
}

impl Drop for DepthGuard {
    fn drop(&mut self) {
        TPL_DEPTH.with(|d| d.set(d.get().saturating_sub(1)));
    }
}

pub fn tpl(state: &State, text: Value) -> Result<String, Error> {
    ensure_defined(state, &text)?;
    if text.is_none() {
        return Ok(String::new());
    }
    let Some(source) = text.as_str() else {
        return Err(Error::new(
            ErrorKind::InvalidOperation,
            format!("tpl expects a string, got {}", text.kind()),
        ));
    };
    if !source.contains("{{") && !source.contains("{%") && !source.contains("{#") {
        return Ok(source.to_string());
    }
    let Some(_guard) = DepthGuard::enter() else {
        return Err(Marker::TplTooDeep.error(format!(
            "tpl nested more than {MAX_TPL_DEPTH} levels deep (a value probably renders itself)"
        )));
    };
    let ctx: indexmap::IndexMap<Value, Value> = ROOT_NAMES
        .iter()
        .filter_map(|n| state.lookup(n).map(|v| (Value::from(*n), v)))
        .collect();
    let name = state.name().to_string();
    let env = state.env();
    let wrap = |e: Error| -> Error {
        if let Some(m) = find_marker(&e) {
            // keep required/fail/too-deep recognisable through nesting, prefixed once
            let detail = e.detail().unwrap_or_default();
            return m.error(if detail.starts_with("in tpl text: ") {
                detail.to_string()
            } else {
                format!("in tpl text: {detail}")
            });
        }
        let line = e
            .line()
            .map(|l| format!(" (line {l} of the tpl text)"))
            .unwrap_or_default();
        let detail = match e.detail() {
            Some(d) => format!("{}: {d}", e.kind()),
            None => e.kind().to_string(),
        };
        Error::new(ErrorKind::InvalidOperation, format!("tpl: {detail}{line}"))
    };
    let tmpl = env.template_from_named_str(&name, source).map_err(wrap)?;
    let captured = tmpl.render_captured(Value::from(ctx)).map_err(wrap)?;
    if let Some((consumed, _)) = captured.state().fuel_levels() {
        state.consume_fuel(consumed)?;
    }
    Ok(captured.into_output())
}

pub fn lookup(_state: &State, _args: Rest<Value>) -> Result<Value, Error> {
    Ok(Value::from(indexmap::IndexMap::<Value, Value>::new()))
}

#[cfg(test)]
mod tests {
    use super::super::from_data;
    use super::super::testing::*;
    use serde_json::json;

    #[test]
    fn required_fails_on_missing_none_and_empty() {
        for ctx in [
            json!({"v": {}}),
            json!({"v": {"x": null}}),
            json!({"v": {"x": ""}}),
        ] {
            let e = render_err("{{ v.x | required('x is required') }}", ctx);
            assert!(e.contains("x is required"), "{e}");
        }
        assert_eq!(
            render("{{ v.x | required('m') }}", json!({"v": {"x": 0}})),
            "0"
        );
        assert_eq!(
            render("{{ required(v.x, 'm') }}", json!({"v": {"x": "a"}})),
            "a"
        );
        let e = render_err("{{ v.x | required }}", json!({"v": {}}));
        assert!(e.contains("required value is missing"), "{e}");
    }

    #[test]
    fn fail_fails() {
        let e = render_err("{{ fail('bad config: pick one of a, b') }}", json!({}));
        assert!(e.contains("bad config: pick one of a, b"), "{e}");
    }

    #[test]
    fn lint_mode_records_and_continues() {
        let (env, sink) = env_with(true);
        let out = env
            .render_named_str(
                "c/templates/x.yaml",
                "a: {{ v.x | required('need x') }}\n{{ fail('nope') }}b",
                from_data(&json!({"v": {}})),
            )
            .unwrap();
        assert_eq!(out, "a: \nb");
        let f = sink.take();
        assert_eq!(f.len(), 2);
        assert_eq!(f[0].message, "need x");
        assert_eq!(f[0].template, "c/templates/x.yaml");
        assert_eq!(f[1].message, "nope");
    }

    #[test]
    fn tpl_renders_with_root_context() {
        let ctx = json!({"values": {"name": "web", "greeting": "hi {{ values.name }}"}});
        assert_eq!(render("{{ tpl(values.greeting) }}", ctx.clone()), "hi web");
        assert_eq!(render("{{ values.greeting | tpl }}", ctx.clone()), "hi web");
        assert_eq!(render("{{ tpl('plain') }}", ctx.clone()), "plain");
        // locals are not visible inside tpl
        let e = render_err("{% set name = 'x' %}{{ tpl('{{ name }}') }}", ctx);
        assert!(e.contains("tpl:") && e.contains("name"), "{e}");
    }

    #[test]
    fn tpl_self_reference_stops() {
        let ctx = json!({"values": {"a": "{{ tpl(values.a) }}"}});
        let e = render_err("{{ tpl(values.a) }}", ctx);
        assert!(e.contains("nested more than"), "{e}");
    }

    #[test]
    fn tpl_errors_are_wrapped() {
        let ctx = json!({"values": {"t": "ok\n{{ values.nope }}"}});
        let e = render_err("{{ tpl(values.t) }}", ctx);
        assert!(
            e.contains("tpl:") && e.contains("line 2 of the tpl text"),
            "{e}"
        );
        let ctx = json!({"values": {"t": "{{ unclosed"}});
        let e = render_err("{{ tpl(values.t) }}", ctx);
        assert!(e.contains("syntax error"), "{e}");
    }

    #[test]
    fn lookup_is_empty_offline() {
        assert_eq!(
            render(
                "{{ lookup('v1', 'Secret', 'ns', 'name') | length }}",
                json!({})
            ),
            "0"
        );
    }
}
