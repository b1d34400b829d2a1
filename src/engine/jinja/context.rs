//! The Jinja context (snake_case names): `values`, `release`, `chart`, `capabilities`, `files`
//! and `template`, built from the render inputs. `capabilities.kube_version` prints as the
//! version string (`v1.36.0`) and has `version`/`major`/`minor`; `capabilities.api_versions`
//! works with `in` and has a `has(...)` method. Must not evaluate templates.

use super::files::Files;
use crate::chart::Chart;
use crate::engine::context::{Capabilities, Release};
use minijinja::value::{Enumerator, Object, ObjectRepr, Serde, Value};
use minijinja::{Error, ErrorKind, State};
use std::fmt;
use std::sync::Arc;

/// The names every template sees at the top level (`tpl` passes exactly these on).
pub const ROOT_NAMES: [&str; 6] = [
    "values",
    "release",
    "chart",
    "capabilities",
    "files",
    "template",
];

/// The parts of the context that are the same for every template of a chart.
#[derive(Clone, Debug)]
pub struct ChartContext {
    values: Value,
    release: Value,
    chart: Value,
    capabilities: Value,
    files: Value,
    base_path: String,
}

impl ChartContext {
    /// `prefix` is the chart's full path (`parent/charts/sub`).
    pub fn new(
        chart: &Chart,
        values: &crate::Map,
        release: &Release,
        capabilities: &Capabilities,
        prefix: &str,
    ) -> ChartContext {
        ChartContext {
            values: Value::from(Serde(values)),
            release: release_value(release),
            chart: Value::from(Serde(&chart.raw_metadata)),
            capabilities: capabilities_value(capabilities),
            files: Value::from_object(Files::from_chart_files(&chart.files)),
            base_path: format!("{prefix}/templates"),
        }
    }

    /// The full context for the template with internal (display) name `name`.
    pub fn for_template(&self, name: &str) -> Value {
        let template = Value::from_iter_pairs([
            ("name", Value::from(name)),
            ("base_path", Value::from(self.base_path.as_str())),
        ]);
        Value::from_iter_pairs([
            ("values", self.values.clone()),
            ("release", self.release.clone()),
            ("chart", self.chart.clone()),
            ("capabilities", self.capabilities.clone()),
            ("files", self.files.clone()),
            ("template", template),
        ])
    }
}

/// Small helper: a map value with insertion order kept.
trait FromPairs {
    fn from_iter_pairs<const N: usize>(pairs: [(&'static str, Value); N]) -> Value;
}

impl FromPairs for Value {
    fn from_iter_pairs<const N: usize>(pairs: [(&'static str, Value); N]) -> Value {
        let map: indexmap::IndexMap<Value, Value> = pairs
            .into_iter()
            .map(|(k, v)| (Value::from(k), v))
            .collect();
        Value::from(map)
    }
}

fn release_value(r: &Release) -> Value {
    Value::from_iter_pairs([
        ("name", Value::from(r.name.as_str())),
        ("namespace", Value::from(r.namespace.as_str())),
        ("revision", Value::from(r.revision)),
        ("is_install", Value::from(r.is_install)),
        ("is_upgrade", Value::from(r.is_upgrade)),
        ("service", Value::from(r.service.as_str())),
    ])
}

fn capabilities_value(c: &Capabilities) -> Value {
    Value::from_iter_pairs([
        (
            "kube_version",
            Value::from_object(KubeVersion {
                version: c.kube_version.clone(),
                major: c.kube_major.clone(),
                minor: c.kube_minor.clone(),
            }),
        ),
        (
            "api_versions",
            Value::from_object(ApiVersions(c.api_versions.clone())),
        ),
        (
            "helm_version",
            Value::from_iter_pairs([("version", Value::from(c.helm_version.as_str()))]),
        ),
    ])
}

/// `capabilities.kube_version`: prints as `vX.Y.Z`, with `version`, `major`, `minor`.
#[derive(Debug)]
struct KubeVersion {
    version: String,
    major: String,
    minor: String,
}

impl Object for KubeVersion {
    fn repr(self: &Arc<Self>) -> ObjectRepr {
        ObjectRepr::Map
    }

    fn get_value(self: &Arc<Self>, key: &Value) -> Option<Value> {
        Some(Value::from(match key.as_str()? {
            "version" => self.version.as_str(),
            "major" => self.major.as_str(),
            "minor" => self.minor.as_str(),
            _ => return None,
        }))
    }

    fn enumerate(self: &Arc<Self>) -> Enumerator {
        Enumerator::Str(&["version", "major", "minor"])
    }

    fn render(self: &Arc<Self>, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.version)
    }
}

/// `capabilities.api_versions`: a list of group/versions; `"apps/v1" in api_versions` and
/// `api_versions.has("apps/v1")` both work.
#[derive(Debug)]
struct ApiVersions(Vec<String>);

impl Object for ApiVersions {
    fn repr(self: &Arc<Self>) -> ObjectRepr {
        ObjectRepr::Seq
    }

    fn get_value(self: &Arc<Self>, key: &Value) -> Option<Value> {
        self.0.get(key.as_usize()?).map(|s| Value::from(s.as_str()))
    }

    fn enumerate(self: &Arc<Self>) -> Enumerator {
        Enumerator::Seq(self.0.len())
    }

    fn call_method(
        self: &Arc<Self>,
        _state: &mut State<'_, '_>,
        method: &str,
        args: &[Value],
    ) -> Result<Value, Error> {
        if method != "has" {
            return Err(Error::from(ErrorKind::UnknownMethod));
        }
        match args {
            [v] => Ok(Value::from(
                v.as_str().is_some_and(|s| self.0.iter().any(|a| a == s)),
            )),
            _ => Err(Error::new(
                ErrorKind::InvalidOperation,
                "api_versions.has takes exactly one argument",
            )),
        }
    }
}
