//! Builds the minijinja `Environment` for one chart: syntax (trim_blocks, lstrip_blocks,
//! trailing newline kept), no auto-escaping (minijinja would JSON-escape `.yaml` files), the
//! undefined behaviour (SemiStrict, or Strict with `strict`), debug info on (for error messages
//! that name the missing path; the variable dump is shown only with `debug`), fuel and
//! recursion limits, import resolution (`names`), the chart's own templates compiled up front
//! and its dependencies' templates loaded on demand. Must not read files or render.

use super::JinjaOptions;
use super::error::{TemplateError, TemplateErrorKind};
use super::filters::{self, FilterConfig, LintSink};
use super::names::{DependencySources, TemplateTree};
use crate::chart::Chart;
use minijinja::syntax::SyntaxConfig;
use minijinja::{AutoEscape, Environment, Error, ErrorKind, UndefinedBehavior};
use std::collections::BTreeMap;
use std::sync::Arc;

/// Work and depth limits for one render.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Limits {
    /// minijinja fuel per template render (one unit ≈ one instruction or 64 bytes produced).
    /// It bounds time and, since allocations are checked against it, memory (fuel × 64 bytes).
    pub fuel: u64,
    /// minijinja's recursion budget: a macro call costs about 6, an include about 12, so 400
    /// allows roughly 65 nested macro calls or 30 nested includes.
    pub recursion: usize,
    /// Largest output of one template, in bytes.
    pub max_output_bytes: usize,
}

impl Default for Limits {
    fn default() -> Self {
        Limits {
            // Real templates use well under 1M; 10M stops a runaway loop in about a second
            // (release build) and caps a single string at 640 MB.
            fuel: 10_000_000,
            recursion: 400,
            max_output_bytes: 64 << 20,
        }
    }
}

/// A chart's environment plus what error reporting needs.
pub struct ChartEnv<'a> {
    pub env: Environment<'a>,
    /// Display name → source, for the chart's own templates.
    pub own_sources: BTreeMap<String, &'a str>,
    /// Dependencies' templates (display name → source).
    pub deps: Arc<DependencySources>,
}

impl<'a> ChartEnv<'a> {
    /// Source of any template known to this environment, by display name.
    pub fn source_of(&self, name: &str) -> Option<&str> {
        self.own_sources
            .get(name)
            .copied()
            .or_else(|| self.deps.sources.get(name).map(String::as_str))
    }
}

/// Builds the environment and compiles the chart's own templates (a syntax error in any of
/// them, `_` files included, fails here).
pub fn build<'a>(
    chart: &'a Chart,
    prefix: &str,
    options: &JinjaOptions,
    limits: Limits,
    sink: LintSink,
) -> Result<ChartEnv<'a>, TemplateError> {
    let mut env = Environment::new();
    let syntax = SyntaxConfig::builder()
        .trim_blocks(true)
        .lstrip_blocks(true)
        .keep_trailing_newline(true)
        .build()
        .map_err(|e| {
            TemplateError::file(
                TemplateErrorKind::Other,
                prefix,
                prefix,
                format!("internal: syntax configuration rejected: {e}"),
            )
        })?;
    env.set_syntax(syntax);
    env.set_auto_escape_callback(|_| AutoEscape::None);
    env.set_undefined_behavior(if options.strict {
        UndefinedBehavior::Strict
    } else {
        UndefinedBehavior::SemiStrict
    });
    env.set_debug(true);
    env.set_fuel(Some(limits.fuel));
    env.set_recursion_limit(limits.recursion);
    env.set_formatter(filters::format_value);
    env.set_auto_reload(false);

    let (tree, deps) = TemplateTree::build(chart, prefix);
    let tree = Arc::new(tree);
    env.set_path_join_callback(move |name, parent| tree.join(name, parent));

    minijinja_contrib::add_to_environment(&mut env);
    env.set_unknown_method_callback(minijinja_contrib::pycompat::unknown_method_callback);
    filters::register(
        &mut env,
        &FilterConfig {
            lint: options.lint,
            debug: options.debug,
            sink,
        },
    );

    let mut own_sources = BTreeMap::new();
    for f in &chart.templates {
        let Some(rel) = f.name.strip_prefix("templates/") else {
            continue;
        };
        let display = format!("{prefix}/templates/{rel}");
        let source = std::str::from_utf8(&f.data).map_err(|e| {
            TemplateError::file(
                TemplateErrorKind::NotUtf8,
                prefix,
                &display,
                format!(
                    "template is not valid UTF-8 (first bad byte at offset {}); save it as UTF-8",
                    e.valid_up_to()
                ),
            )
        })?;
        own_sources.insert(display.clone(), source);
    }
    // The chart's own templates compile lazily, on first use, through the loader: the render
    // threads then compile in parallel (a syntax error surfaces when its template renders,
    // and results are reported in name order, so the first error is the same as before).
    let deps = Arc::new(deps);
    let loader_deps = deps.clone();
    let own: Arc<BTreeMap<String, String>> = Arc::new(
        own_sources
            .iter()
            .map(|(k, v)| (k.clone(), v.to_string()))
            .collect(),
    );
    env.set_loader(move |name: &str| -> Result<Option<String>, Error> {
        if let Some(source) = own.get(name) {
            return Ok(Some(source.clone()));
        }
        if loader_deps.not_utf8.contains(name) {
            return Err(Error::new(
                ErrorKind::InvalidOperation,
                format!("template {name} is not valid UTF-8"),
            ));
        }
        Ok(loader_deps.sources.get(name).cloned())
    });
    Ok(ChartEnv {
        env,
        own_sources,
        deps,
    })
}
