//! The native Jinja engine (minijinja): the chart context (`values`, `release`, `chart`,
//! `capabilities`, `files`, `template`), filters and functions, imports across a chart and its
//! library dependencies, fuel and recursion limits. Must not read the filesystem or print.
//!
//! The dialect, in short:
//! - every file under `templates/` whose basename does not start with `_` renders
//!   (`NOTES.txt` included; the caller separates it); `_` files hold macros and emit nothing;
//!   a library chart renders nothing on its own;
//! - `trim_blocks` + `lstrip_blocks`, trailing newline kept, no auto-escaping;
//! - printing or iterating an undefined value is an error naming the template, line and
//!   missing path; `{% if values.x %}` on a missing key is allowed unless `strict`;
//! - booleans print as `true`/`false` and none prints as nothing (YAML-friendly, like Helm);
//! - `{% import "_helpers.tpl" as h %}` resolves in the chart's `templates/`,
//!   `{% import "common/_names.tpl" as n %}` in the dependency named `common`.
//!
//! Module map: `environment` (minijinja setup), `names` (template names and imports),
//! `context` (context objects), `files` + `glob` (the `files` object), `filters` (the dialect's
//! filters and functions), `error` (`TemplateError`).

mod context;
mod environment;
mod error;
mod files;
mod filters;
mod glob;
mod names;

#[cfg(test)]
mod tests;
#[cfg(test)]
pub(crate) mod testutil;

pub use environment::Limits;
pub use error::{TemplateError, TemplateErrorInfo, TemplateErrorKind};
pub use filters::Finding;

use crate::Map;
use crate::chart::Chart;
use crate::engine::context::{Capabilities, Release};
use context::ChartContext;
use filters::LintSink;

/// How to render.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct JinjaOptions {
    /// Undefined values are errors in conditions too (`{% if values.missing %}` fails).
    pub strict: bool,
    /// Errors carry minijinja's debug report (source context and the variables in scope, which
    /// may include secrets from values).
    pub debug: bool,
    /// Lint mode: `required`/`fail` record findings and rendering continues.
    pub lint: bool,
}

/// One chart of the tree, ready to render.
#[derive(Clone, Copy, Debug)]
pub struct ChartRenderInput<'a> {
    /// `chart.full_path` is set: `parent/charts/sub` (root: its name).
    pub chart: &'a Chart,
    /// This chart's coalesced values (already scoped).
    pub values: &'a Map,
    pub release: &'a Release,
    pub capabilities: &'a Capabilities,
    pub options: &'a JinjaOptions,
}

/// One rendered template.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Rendered {
    /// `<full_path>/templates/<rel>`.
    pub name: String,
    pub content: String,
}

/// Everything a render produced: the rendered templates and, in lint mode, the
/// `required`/`fail` findings that did not stop it.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct ChartReport {
    pub rendered: Vec<Rendered>,
    pub findings: Vec<Finding>,
}

/// Renders every non-`_` template of one chart, in template-name order.
pub fn render_chart(input: &ChartRenderInput) -> Result<Vec<Rendered>, TemplateError> {
    Ok(render_chart_report(input)?.rendered)
}

/// Like [`render_chart`], also returning lint-mode findings.
pub fn render_chart_report(input: &ChartRenderInput) -> Result<ChartReport, TemplateError> {
    render_chart_with_limits(input, Limits::default())
}

/// The output buffer of one template, refusing to grow past a limit.
struct CappedOutput {
    buf: Vec<u8>,
    cap: usize,
    overflowed: bool,
}

impl CappedOutput {
    fn new(cap: usize) -> Self {
        CappedOutput {
            buf: Vec::new(),
            cap,
            overflowed: false,
        }
    }
}

impl std::io::Write for CappedOutput {
    fn write(&mut self, data: &[u8]) -> std::io::Result<usize> {
        if self.buf.len().saturating_add(data.len()) > self.cap {
            self.overflowed = true;
            return Err(std::io::Error::other("template output limit reached"));
        }
        self.buf.extend_from_slice(data);
        Ok(data.len())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

/// Stack of the render thread. Deep (but limited) macro/include/tpl nesting needs more stack
/// than a default thread has, in debug builds especially; this is address space reserved, not
/// memory used.
const RENDER_STACK_BYTES: usize = 128 << 20;

/// From this much template source on, a chart renders on two threads. Below it a second thread
/// costs more than it saves: starting one takes ~0.5 ms on a small VM, where the second CPU is
/// often not there at once (an 80-document chart with 30 KB of templates rendered ~10% faster
/// on one thread). Go-template parsing uses the same threshold.
const PARALLEL_MIN_SOURCE_BYTES: usize = 384 * 1024;

/// Like [`render_chart_report`] with explicit work/depth limits. Renders on a thread of its own
/// with a large stack (or on this one when it runs on [`crate::stack`]'s big stack), so the
/// recursion limits end in an error rather than a stack overflow.
pub fn render_chart_with_limits(
    input: &ChartRenderInput,
    limits: Limits,
) -> Result<ChartReport, TemplateError> {
    let chart_name = || {
        if input.chart.full_path.is_empty() {
            input.chart.name().to_string()
        } else {
            input.chart.full_path.clone()
        }
    };
    let panicked = || {
        TemplateError::file(
            TemplateErrorKind::Other,
            &chart_name(),
            &chart_name(),
            "internal error: the template engine panicked; please report this chart".into(),
        )
    };
    if crate::stack::on_big_stack() {
        let run = std::panic::AssertUnwindSafe(|| render_on_this_thread(input, limits));
        return std::panic::catch_unwind(run).unwrap_or_else(|_| Err(panicked()));
    }
    std::thread::scope(|scope| {
        let handle = std::thread::Builder::new()
            .name("chartroom-jinja".into())
            .stack_size(RENDER_STACK_BYTES)
            .spawn_scoped(scope, || render_on_this_thread(input, limits))
            .map_err(|e| {
                TemplateError::file(
                    TemplateErrorKind::Other,
                    &chart_name(),
                    &chart_name(),
                    format!("could not start the template render thread: {e}"),
                )
            })?;
        handle.join().unwrap_or_else(|_| Err(panicked()))
    })
}

fn render_on_this_thread(
    input: &ChartRenderInput,
    limits: Limits,
) -> Result<ChartReport, TemplateError> {
    let chart = input.chart;
    if chart.is_library() {
        return Ok(ChartReport::default());
    }
    let prefix = if chart.full_path.is_empty() {
        chart.name().to_string()
    } else {
        chart.full_path.clone()
    };
    let sink = LintSink::default();
    let cenv = environment::build(chart, &prefix, input.options, limits, sink.clone())?;
    let base = ChartContext::new(
        chart,
        input.values,
        input.release,
        input.capabilities,
        &prefix,
    );
    let names: Vec<&String> = cenv
        .own_sources
        .keys()
        .filter(|name| {
            let basename = name.rsplit('/').next().unwrap_or(name);
            !basename.starts_with('_')
        })
        .collect();
    let render_one = |name: &String| -> Result<Rendered, TemplateError> {
        let to_error = |e: &minijinja::Error| {
            TemplateError::from_minijinja(
                e,
                &prefix,
                name,
                |n| cenv.source_of(n),
                input.options.debug,
                limits.fuel,
            )
        };
        let tmpl = cenv.env.get_template(name).map_err(|e| to_error(&e))?;
        let mut out = CappedOutput::new(limits.max_output_bytes);
        if let Err(e) = tmpl.render_captured_to(base.for_template(name), &mut out) {
            if out.overflowed {
                return Err(TemplateError::file(
                    TemplateErrorKind::TooMuchWork,
                    &prefix,
                    name,
                    format!(
                        "the template's output grew past {} bytes; a loop probably repeats too \
                         much",
                        limits.max_output_bytes
                    ),
                ));
            }
            return Err(to_error(&e));
        }
        let content = String::from_utf8(out.buf)
            .unwrap_or_else(|e| String::from_utf8_lossy(e.as_bytes()).into_owned());
        Ok(Rendered {
            name: name.clone(),
            content,
        })
    };
    // Many templates render on two threads (the environment is shared, read-only); results
    // keep name order, and the first error in name order is the one reported, as when serial.
    let source_bytes: usize = names.iter().map(|n| cenv.own_sources[*n].len()).sum();
    let parallel = names.len() >= 2
        && source_bytes >= PARALLEL_MIN_SOURCE_BYTES
        && std::thread::available_parallelism().is_ok_and(|n| n.get() > 1);
    let results: Vec<Result<Rendered, TemplateError>> = if parallel {
        let (first, second) = names.split_at(names.len() / 2);
        std::thread::scope(|scope| {
            let other = std::thread::Builder::new()
                .stack_size(RENDER_STACK_BYTES)
                .spawn_scoped(scope, || {
                    second.iter().map(|n| render_one(n)).collect::<Vec<_>>()
                });
            let mut results: Vec<_> = first.iter().map(|n| render_one(n)).collect();
            match other {
                Ok(handle) => match handle.join() {
                    Ok(rest) => results.extend(rest),
                    Err(panic) => std::panic::resume_unwind(panic),
                },
                Err(_) => results.extend(second.iter().map(|n| render_one(n))),
            }
            results
        })
    } else {
        names.iter().map(|n| render_one(n)).collect()
    };
    // Every template of the chart must compile, partials no template imported included; a
    // syntax error is reported before any render error, in name order (compiled templates
    // are cached, so this only compiles what no render touched).
    for name in cenv.own_sources.keys() {
        if let Err(e) = cenv.env.get_template(name) {
            return Err(TemplateError::from_minijinja(
                &e,
                &prefix,
                name,
                |n| cenv.source_of(n),
                input.options.debug,
                limits.fuel,
            ));
        }
    }
    let rendered = results.into_iter().collect::<Result<Vec<_>, _>>()?;
    let mut findings = sink.take();
    findings.sort_by(|a, b| a.template.cmp(&b.template));
    Ok(ChartReport { rendered, findings })
}
