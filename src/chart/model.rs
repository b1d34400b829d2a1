//! The in-memory chart: metadata, values, schema, templates, other files and loaded subcharts.
//! Filled by the loaders; read by values, render and the engines. Holds data only.

use crate::Map;
use serde::{Deserialize, Serialize};

/// Which template engine renders a chart (`engine:` in `Chart.yaml`).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Default, Serialize, Deserialize)]
pub enum Engine {
    /// Go `text/template` (Helm's engine): `engine` absent or `gotpl`.
    #[default]
    GoTemplate,
    /// The native minijinja engine: `engine: jinja`.
    Jinja,
}

/// One file of a chart, by its path relative to the chart root with `/` separators
/// (`templates/deployment.yaml`, `files/app.conf`). A UTF-8 BOM is already stripped.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct File {
    pub name: String,
    pub data: Vec<u8>,
}

/// A maintainer entry of `Chart.yaml`.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct Maintainer {
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub name: String,
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub email: String,
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub url: String,
}

/// An `import-values` entry: `"name"` (child `exports.name` into the parent root) or
/// `{child, parent}`.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(untagged)]
pub enum ImportValue {
    Name(String),
    Map { child: String, parent: String },
}

/// A dependency entry of `Chart.yaml` (or v1 `requirements.yaml`).
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct Dependency {
    #[serde(default)]
    pub name: String,
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub version: String,
    #[serde(default)]
    pub repository: String,
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub condition: String,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub tags: Vec<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub enabled: Option<bool>,
    #[serde(
        default,
        rename = "import-values",
        skip_serializing_if = "Vec::is_empty"
    )]
    pub import_values: Vec<ImportValue>,
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub alias: String,
}

/// `Chart.yaml`, typed. Field names follow Helm's YAML keys.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Metadata {
    #[serde(default)]
    pub api_version: String,
    #[serde(default)]
    pub name: String,
    #[serde(default)]
    pub version: String,
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub kube_version: String,
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub description: String,
    #[serde(default, rename = "type", skip_serializing_if = "String::is_empty")]
    pub chart_type: String,
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub home: String,
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub icon: String,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub sources: Vec<String>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub keywords: Vec<String>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub maintainers: Vec<Maintainer>,
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub app_version: String,
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub deprecated: bool,
    #[serde(default, skip_serializing_if = "indexmap::IndexMap::is_empty")]
    pub annotations: indexmap::IndexMap<String, String>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub dependencies: Vec<Dependency>,
    /// chartroom's addition (Helm 2 had it): `jinja` or `gotpl`/absent.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub engine: String,
    /// Null entries the loader found in `maintainers`/`dependencies` (left out of the lists
    /// above); `Metadata::validate` rejects them as Helm does.
    #[serde(skip)]
    pub null_entries: NullEntries,
}

/// Where `Chart.yaml` had null list entries (`maintainers: [~]`).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct NullEntries {
    /// `maintainers` held a null entry.
    pub maintainer: bool,
    /// The first null `dependencies` entry stood before this index of `dependencies`.
    pub dependency_at: Option<usize>,
}

/// `Chart.lock` / `requirements.lock`.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct Lock {
    #[serde(default)]
    pub generated: String,
    #[serde(default)]
    pub digest: String,
    #[serde(default)]
    pub dependencies: Vec<Dependency>,
}

/// A loaded chart and its subcharts.
#[derive(Clone, Debug, Default)]
pub struct Chart {
    pub metadata: Metadata,
    /// `Chart.yaml` as written (keys and values as in the file), for Jinja's `chart` object.
    pub raw_metadata: Map,
    pub engine: Engine,
    pub lock: Option<Lock>,
    /// `values.yaml`, parsed with the number model of this chart's engine.
    pub values: Map,
    /// `values.yaml` bytes as read (for `show values` and packaging).
    pub raw_values: Vec<u8>,
    /// `values.schema.json` bytes, if present.
    pub schema: Option<Vec<u8>>,
    /// Files under `templates/`, sorted by name.
    pub templates: Vec<File>,
    /// Every other file (README, crds/, files/, .helmignore...), sorted by name.
    pub files: Vec<File>,
    /// Subcharts loaded from `charts/` (directories and `.tgz`), sorted by directory name.
    pub dependencies: Vec<Chart>,
    /// Path of this chart from the root: `parent/charts/sub` (the root is its own name).
    /// Set by the render step once aliases are known.
    pub full_path: String,
}

impl Chart {
    /// The chart's name (the alias once render has applied one).
    pub fn name(&self) -> &str {
        &self.metadata.name
    }

    pub fn is_library(&self) -> bool {
        self.metadata.chart_type == "library"
    }

    /// The CRD files of this chart (under `crds/`, `.yaml`/`.yml`/`.json`, case-insensitive).
    pub fn crd_files(&self) -> impl Iterator<Item = &File> {
        self.files.iter().filter(|f| {
            let lower = f.name.to_ascii_lowercase();
            lower.starts_with("crds/")
                && (lower.ends_with(".yaml") || lower.ends_with(".yml") || lower.ends_with(".json"))
        })
    }

    /// The CRD files of this chart and then of each dependency, recursively in dependency
    /// order (Helm's `CRDObjects` order), with the chart each belongs to.
    pub fn crd_files_in_tree(&self) -> Vec<(&Chart, &File)> {
        let mut out: Vec<(&Chart, &File)> = self.crd_files().map(|f| (self, f)).collect();
        for dep in &self.dependencies {
            out.extend(dep.crd_files_in_tree());
        }
        out
    }

    /// A file of the chart (any file, templates included) by its relative name.
    pub fn file(&self, name: &str) -> Option<&File> {
        self.files
            .iter()
            .chain(self.templates.iter())
            .find(|f| f.name == name)
    }
}
