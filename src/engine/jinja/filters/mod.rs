//! The filters and functions of the Jinja dialect, registered on an environment. Most are
//! registered both as a filter (`x | quote`) and as a function (`quote(x)`); the value comes
//! first in both forms. Each submodule owns one group: `serial` (YAML/JSON), `text` (indent,
//! quoting, trimming, encoding), `patterns` (regular expressions), `dicts` (merging and map
//! helpers), `control` (`required`, `fail`, `tpl`, `lookup`), `semver`. None of them reads the
//! clock, randomness or the environment, so the same inputs always give the same output.
//! Must not print.

mod control;
mod dicts;
mod patterns;
mod semver;
mod serial;
mod text;

pub use control::Finding;
pub(crate) use control::LintSink;

use minijinja::value::{StringInput, Value};
use minijinja::{Environment, Error, ErrorKind, State};

/// Largest string one of our filters produces (bytes); beyond it the filter fails instead of
/// allocating. Fuel bounds the total work; this bounds a single allocation.
pub(crate) const MAX_OUTPUT_BYTES: usize = 64 * 1024 * 1024;

/// What the filters need to know about the render they serve.
#[derive(Clone, Debug)]
pub(crate) struct FilterConfig {
    /// Lint mode: `required`/`fail` record a finding and render on.
    pub lint: bool,
    /// Debug mode: parse errors of `from_yaml`/`from_json` may show the input.
    pub debug: bool,
    /// Where lint-mode findings go.
    pub sink: LintSink,
}

/// Registers every filter and function of the dialect.
pub(crate) fn register(env: &mut Environment<'_>, config: &FilterConfig) {
    macro_rules! both {
        ($name:literal, $f:expr) => {{
            let f = $f;
            env.add_filter($name, f.clone());
            env.add_function($name, f);
        }};
    }
    both!("to_yaml", serial::to_yaml);
    both!("to_json", serial::to_json);
    let debug = config.debug;
    both!("from_yaml", move |s: &State, v: Value| serial::from_yaml(
        s, v, debug
    ));
    both!("from_json", move |s: &State, v: Value| serial::from_json(
        s, v, debug
    ));

    // `string` prints scalars like the output formatter does (`true`, not Python's `True`).
    env.add_filter("string", |v: Value| -> Value {
        if v.kind() == minijinja::value::ValueKind::Bool || v.is_none() || v.is_undefined() {
            Value::from(plain_text(&v))
        } else if v.as_str().is_some() {
            v
        } else {
            Value::from(v.to_string())
        }
    });
    both!("indent", text::indent);
    both!("nindent", text::nindent);
    both!("quote", text::quote);
    both!("squote", text::squote);
    both!("trunc", text::trunc);
    both!("trim_suffix", text::trim_suffix);
    both!("trim_prefix", text::trim_prefix);
    both!("b64encode", text::b64encode);
    both!("b64decode", text::b64decode);
    both!("sha256", text::sha256);

    both!("regex_match", patterns::regex_match);
    both!("regex_replace", patterns::regex_replace);
    both!("semver_match", semver::semver_match);

    both!("merge", dicts::merge);
    both!("deep_merge", dicts::deep_merge);
    both!("with_key", dicts::with_key);
    both!("omit", dicts::omit);
    both!("pick", dicts::pick);
    both!("keys", dicts::keys);
    both!("has_key", dicts::has_key);

    let sink = config.sink.clone();
    let lint = config.lint;
    both!(
        "required",
        move |s: &State, v: Value, msg: Option<String>| {
            control::required(s, v, msg, lint, &sink)
        }
    );
    let sink = config.sink.clone();
    env.add_function("fail", move |s: &State, msg: Option<String>| {
        control::fail(s, msg, lint, &sink)
    });
    both!("tpl", control::tpl);
    env.add_function("lookup", control::lookup);
}

/// Fails (with minijinja's own undefined error, which names the missing path) when `v` is
/// undefined under the strict behaviours we use.
pub(crate) fn ensure_defined(state: &State, v: &Value) -> Result<(), Error> {
    if v.is_undefined() {
        StringInput::new(state, v)?;
    }
    Ok(())
}

/// Text of a scalar the way Helm prints it: none → `""`, booleans `true`/`false`, numbers and
/// strings as written; other values use minijinja's representation.
pub(crate) fn text_of(state: &State, v: &Value) -> Result<String, Error> {
    ensure_defined(state, v)?;
    Ok(plain_text(v))
}

/// Like [`text_of`] without the undefined check (undefined prints as empty).
pub(crate) fn plain_text(v: &Value) -> String {
    if v.is_none() || v.is_undefined() {
        return String::new();
    }
    if let Some(s) = v.as_str() {
        return s.to_string();
    }
    if let Some(b) = v.as_bytes() {
        return String::from_utf8_lossy(b).into_owned();
    }
    if v.kind() == minijinja::value::ValueKind::Bool {
        return if v.is_true() { "true" } else { "false" }.to_string();
    }
    v.to_string()
}

/// Converts a template value to our data model.
pub(crate) fn to_data(v: &Value) -> Result<crate::Value, Error> {
    serde_json::to_value(v).map_err(|e| {
        Error::new(
            ErrorKind::InvalidOperation,
            format!("value cannot be converted to data: {e}"),
        )
    })
}

/// Converts data to a template value (map order kept).
pub(crate) fn from_data(v: &crate::Value) -> Value {
    Value::from(minijinja::value::Serde(v))
}

/// Charges fuel for producing `bytes` bytes and refuses sizes above [`MAX_OUTPUT_BYTES`].
pub(crate) fn charge_output(state: &State, what: &str, bytes: usize) -> Result<(), Error> {
    if bytes > MAX_OUTPUT_BYTES {
        return Err(Error::new(
            ErrorKind::InvalidOperation,
            format!(
                "{what} would produce {bytes} bytes, more than the limit of {MAX_OUTPUT_BYTES}"
            ),
        ));
    }
    state.consume_fuel(bytes as u64 / 64)
}

/// The output formatter: booleans print as `true`/`false` and none as an empty string (Helm
/// prints nil as empty), so values land in YAML the way Kubernetes reads them.
pub(crate) fn format_value(
    out: &mut minijinja::Output,
    state: &mut State,
    value: &Value,
) -> Result<(), Error> {
    if value.kind() == minijinja::value::ValueKind::Bool {
        return out
            .write_str(if value.is_true() { "true" } else { "false" })
            .map_err(Error::from);
    }
    if value.is_none() {
        return Ok(());
    }
    minijinja::escape_formatter(out, state, value)
}

#[cfg(test)]
pub(crate) mod testing {
    //! A bare environment with the dialect registered, for filter unit tests.
    use super::*;

    pub fn env() -> (Environment<'static>, LintSink) {
        env_with(false)
    }

    pub fn env_with(lint: bool) -> (Environment<'static>, LintSink) {
        let mut env = Environment::new();
        env.set_auto_escape_callback(|_| minijinja::AutoEscape::None);
        env.set_undefined_behavior(minijinja::UndefinedBehavior::SemiStrict);
        env.set_debug(true);
        env.set_formatter(format_value);
        env.set_fuel(Some(1_000_000));
        let sink = LintSink::default();
        register(
            &mut env,
            &FilterConfig {
                lint,
                debug: false,
                sink: sink.clone(),
            },
        );
        (env, sink)
    }

    /// Renders `src` with `ctx`; panics with the error on failure.
    pub fn render(src: &str, ctx: serde_json::Value) -> String {
        let (env, _) = env();
        env.render_str(src, from_data(&ctx))
            .unwrap_or_else(|e| panic!("{src}: {e:#}"))
    }

    /// Renders `src` and returns the error text.
    pub fn render_err(src: &str, ctx: serde_json::Value) -> String {
        let (env, _) = env();
        match env.render_str(src, from_data(&ctx)) {
            Ok(out) => panic!("{src}: expected an error, got {out:?}"),
            Err(e) => e.to_string(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::testing::*;
    use serde_json::json;

    #[test]
    fn string_filter_prints_yaml_scalars() {
        let out = render(
            "{{ true | string }} {{ (1 > 2) | string }} {{ 3 | string }} {{ 'x' | string }}",
            serde_json::json!({}),
        );
        assert_eq!(out, "true false 3 x");
    }

    #[test]
    fn formatter_prints_yaml_scalars() {
        assert_eq!(
            render(
                "{{ t }} {{ f }} [{{ n }}] {{ i }} {{ s }}",
                json!({"t": true, "f": false, "n": null, "i": 3, "s": "x"})
            ),
            "true false [] 3 x"
        );
    }

    #[test]
    fn undefined_argument_names_the_path() {
        let e = render_err("{{ values.missing | quote }}", json!({"values": {}}));
        assert!(e.contains("values.missing"), "{e}");
    }
}
