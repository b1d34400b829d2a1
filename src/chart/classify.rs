//! Turns a chart's files (from a directory walk or an archive, already size-checked and
//! BOM-stripped) into a [`Chart`], as Helm's `LoadFiles` does: `Chart.yaml` first whatever
//! the order, then `Chart.lock`/`requirements.lock`, `values.yaml` (every document deep-merged,
//! numbers per the chart's engine), `values.schema.json`, `requirements.yaml`, `templates/**`,
//! `charts/<X>/…` as subcharts (directories recursively, `X.tgz` as archives, `_X`/`.X`
//! skipped), everything else as files. Then `Metadata::validate`. Output lists are sorted by
//! name so loading is deterministic (Helm keeps walk/archive order and loads subcharts in map
//! order). Must not touch the file system.

use crate::chart::error::LoadError;
use crate::chart::load_archive::load_archive_with;
use crate::chart::metadata::{
    apply_metadata, decode_lock, default_api_version, describe_yaml_error, engine_of, parse_yaml,
    yaml_hint,
};
use crate::chart::model::{Chart, Engine, File, Metadata};
use crate::yaml::NumberModel;
use crate::{Map, Value};
use std::collections::BTreeMap;

/// One file of a chart, by its `/`-separated path relative to the chart root.
#[derive(Clone, Debug)]
pub(crate) struct BufferedFile {
    pub name: String,
    pub data: Vec<u8>,
}

/// Decompression allowance shared by every archive of one load: the chart archive and every
/// `.tgz` subchart inside it (or inside a chart directory), recursively. Helm gives each nested
/// archive a fresh 100 MiB, so a small archive of archives can inflate without bound; sharing
/// one allowance keeps the whole load within Helm's per-archive limit.
#[derive(Clone, Debug)]
pub(crate) struct Budget {
    /// Largest decompressed size of one file.
    pub max_file: u64,
    /// Largest decompressed size of one load (Helm: of one archive).
    pub max_total: u64,
    /// What is left of `max_total`.
    pub remaining: u64,
    /// How many subchart levels deep the load currently is.
    pub depth: usize,
}

/// Deepest `charts/` nesting accepted (real charts use a handful of levels); bounds recursion
/// for archives whose entry names can be arbitrarily long.
pub(crate) const MAX_SUBCHART_DEPTH: usize = 64;

impl Budget {
    pub(crate) fn new(max_file: u64, max_total: u64) -> Self {
        Budget {
            max_file,
            max_total,
            remaining: max_total,
            depth: 0,
        }
    }
}

fn utf8<'a>(f: &'a BufferedFile, origin: &str) -> Result<&'a str, LoadError> {
    std::str::from_utf8(&f.data).map_err(|_| LoadError::NotText {
        file: format!("{origin}/{}", f.name),
    })
}

fn file_err(origin: &str, name: &str) -> impl Fn(crate::chart::MetadataError) -> LoadError {
    let file = format!("{origin}/{name}");
    move |inner| LoadError::File {
        file: file.clone(),
        inner,
    }
}

/// Loads a chart from in-memory files. `origin` names where they came from (a directory path
/// or an archive name) in errors.
pub(crate) fn load_files(
    files: Vec<BufferedFile>,
    origin: &str,
    budget: &mut Budget,
) -> Result<Chart, LoadError> {
    let mut metadata: Option<Metadata> = None;
    let mut raw_metadata = Map::new();

    // Chart.yaml first, whatever its position (several entries decode into one, as in Helm).
    for f in files.iter().filter(|f| f.name == "Chart.yaml") {
        let err = file_err(origin, &f.name);
        let doc = parse_yaml(utf8(f, origin)?).map_err(&err)?;
        let md = metadata.get_or_insert_with(Metadata::default);
        raw_metadata.extend(apply_metadata(md, &doc).map_err(&err)?);
        default_api_version(md).map_err(&err)?;
    }
    let engine = match &metadata {
        Some(md) => engine_of(md).map_err(file_err(origin, "Chart.yaml"))?,
        None => Engine::GoTemplate,
    };
    let model = match engine {
        Engine::Jinja => NumberModel::Exact,
        Engine::GoTemplate => NumberModel::Helm,
    };

    let mut chart = Chart {
        engine,
        ..Chart::default()
    };
    let mut subcharts: BTreeMap<String, Vec<BufferedFile>> = BTreeMap::new();
    for f in files {
        let owned_name = f.name.clone();
        let name = owned_name.as_str();
        match name {
            "Chart.yaml" => {}
            "Chart.lock" | "requirements.lock" => {
                let err = file_err(origin, name);
                let doc = parse_yaml(utf8(&f, origin)?).map_err(&err)?;
                chart.lock = Some(decode_lock(&doc).map_err(&err)?);
                if name == "requirements.lock" {
                    let md = metadata.get_or_insert_with(Metadata::default);
                    if md.api_version == "v1" {
                        chart.files.push(File {
                            name: f.name,
                            data: f.data,
                        });
                    }
                }
            }
            "values.yaml" => {
                chart.values =
                    load_values(utf8(&f, origin)?, model).map_err(|message| LoadError::Values {
                        file: format!("{origin}/{name}"),
                        message,
                    })?;
                chart.raw_values = f.data;
            }
            "values.schema.json" => chart.schema = Some(f.data),
            "requirements.yaml" => {
                let err = file_err(origin, name);
                let doc = parse_yaml(utf8(&f, origin)?).map_err(&err)?;
                let md = metadata.get_or_insert_with(Metadata::default);
                apply_metadata(md, &doc).map_err(&err)?;
                if md.api_version == "v1" {
                    chart.files.push(File {
                        name: f.name,
                        data: f.data,
                    });
                }
            }
            _ if name.starts_with("templates/") => chart.templates.push(File {
                name: f.name,
                data: f.data,
            }),
            _ if name.starts_with("charts/") => {
                if go_ext(name) == ".prov" {
                    chart.files.push(File {
                        name: f.name,
                        data: f.data,
                    });
                    continue;
                }
                let rel = &name["charts/".len()..];
                let cname = rel.split('/').next().unwrap_or(rel).to_string();
                subcharts.entry(cname).or_default().push(BufferedFile {
                    name: rel.to_string(),
                    data: f.data,
                });
            }
            _ => chart.files.push(File {
                name: f.name,
                data: f.data,
            }),
        }
    }

    let Some(mut metadata) = metadata else {
        return Err(LoadError::ChartYamlMissing {
            chart: origin.to_string(),
        });
    };
    metadata.validate().map_err(|inner| LoadError::Invalid {
        file: format!("{origin}/Chart.yaml"),
        inner,
    })?;
    chart.metadata = metadata;
    chart.raw_metadata = raw_metadata;
    chart.full_path = chart.metadata.name.clone();
    chart.templates.sort_by(|a, b| a.name.cmp(&b.name));
    chart.files.sort_by(|a, b| a.name.cmp(&b.name));

    let nested = subcharts
        .keys()
        .any(|n| !n.starts_with('_') && !n.starts_with('.'));
    if nested && budget.depth >= MAX_SUBCHART_DEPTH {
        return Err(LoadError::TooDeep {
            chart: origin.to_string(),
            limit: MAX_SUBCHART_DEPTH,
        });
    }
    for (n, files) in subcharts {
        if n.starts_with('_') || n.starts_with('.') {
            continue;
        }
        budget.depth += 1;
        let sub_origin = format!("{origin}/charts/{n}");
        let loaded = if go_ext(&n) == ".tgz" {
            let file = &files[0];
            if file.name != n {
                return Err(LoadError::SubchartTarName {
                    parent: chart.name().to_string(),
                    expected: n,
                    got: file.name.clone(),
                });
            }
            load_archive_with(&file.data, &sub_origin, budget)
        } else {
            let inner: Vec<BufferedFile> = files
                .into_iter()
                .filter_map(|f| {
                    let (_, rest) = f.name.split_once('/')?;
                    Some(BufferedFile {
                        name: rest.to_string(),
                        data: f.data,
                    })
                })
                .collect();
            load_files(inner, &sub_origin, budget)
        };
        budget.depth -= 1;
        let mut sub = loaded.map_err(|inner| {
            let hint = match &inner {
                LoadError::ChartYamlMissing { .. } if go_ext(&n) != ".tgz" => {
                    " (charts/ holds chart directories and .tgz archives; prefix other names with _ to keep them)"
                }
                _ => "",
            };
            LoadError::Subchart {
                name: n.clone(),
                parent: chart.name().to_string(),
                hint,
                inner: Box::new(inner),
            }
        })?;
        let path = format!("{}/charts/{}", chart.full_path, sub.name());
        set_full_paths(&mut sub, path);
        chart.dependencies.push(sub);
    }
    Ok(chart)
}

/// Sets `full_path` of a chart and, below it, of its subcharts (`<path>/charts/<name>`).
pub(crate) fn set_full_paths(chart: &mut Chart, path: String) {
    for sub in &mut chart.dependencies {
        let p = format!("{path}/charts/{}", sub.metadata.name);
        set_full_paths(sub, p);
    }
    chart.full_path = path;
}

/// Go's `filepath.Ext`: the suffix from the last `.` of the last path element.
fn go_ext(name: &str) -> &str {
    let base = name.rsplit('/').next().unwrap_or(name);
    match base.rfind('.') {
        Some(i) => &base[i..],
        None => "",
    }
}

/// Helm's `LoadValues`: every YAML document of the file deep-merged in order (maps merge,
/// anything else replaces); a document that is not a map is an error.
fn load_values(text: &str, model: NumberModel) -> Result<Map, String> {
    let docs = crate::yaml::parse_documents(text, model).map_err(|e| {
        let (at, message) = describe_yaml_error(&e);
        format!("{at}{message}; {}", yaml_hint(&message))
    })?;
    let mut values = Map::new();
    for (i, doc) in docs.into_iter().enumerate() {
        match doc {
            Value::Object(m) => merge_maps(&mut values, m),
            Value::Null => {}
            other => {
                let kind = match other {
                    Value::Array(_) => "a list",
                    Value::String(_) => "a string",
                    Value::Number(_) => "a number",
                    _ => "a boolean",
                };
                return Err(format!(
                    "YAML document {} is {kind}; values must be a map of keys to values",
                    i + 1
                ));
            }
        }
    }
    Ok(values)
}

/// Helm's `MergeMaps`: `b` into `a`, maps merged recursively, other values replacing.
fn merge_maps(a: &mut Map, b: Map) {
    for (k, v) in b {
        match (a.get_mut(&k), v) {
            (Some(Value::Object(old)), Value::Object(new)) => merge_maps(old, new),
            (_, v) => {
                a.insert(k, v);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn bf(name: &str, data: &str) -> BufferedFile {
        BufferedFile {
            name: name.into(),
            data: data.as_bytes().to_vec(),
        }
    }

    const FROBNITZ_CHART: &str = "apiVersion: v1\nname: frobnitz\ndescription: This is a frobnitz.\n\
        version: \"1.2.3\"\nkeywords:\n  - frobnitz\n  - sprocket\n  - dodad\nmaintainers:\n\
        \x20 - name: The Helm Team\n    email: helm@example.com\n  - name: Someone Else\n\
        \x20   email: nobody@example.com\nsources:\n  - https://example.com/foo/bar\n\
        home: http://example.com\nicon: https://example.com/64x64.png\n";

    fn load(files: Vec<BufferedFile>) -> Result<Chart, LoadError> {
        load_files(files, "test", &mut Budget::new(5 << 20, 100 << 20))
    }

    /// Helm `TestLoadFiles`.
    #[test]
    fn load_files_basic() {
        let c = load(vec![
            bf("Chart.yaml", FROBNITZ_CHART),
            bf("values.yaml", "var: some values"),
            bf("values.schema.json", "type: Values"),
            bf("templates/deployment.yaml", "some deployment"),
            bf("templates/service.yaml", "some service"),
        ])
        .unwrap();
        assert_eq!(c.name(), "frobnitz");
        assert_eq!(c.values["var"], json!("some values"));
        assert_eq!(c.schema.as_deref(), Some(&b"type: Values"[..]));
        assert_eq!(c.templates.len(), 2);
        assert!(c.files.is_empty());
        assert_eq!(c.full_path, "frobnitz");
        let err = load(vec![]).err().unwrap();
        assert_eq!(err.to_string(), "test: Chart.yaml file is missing");
    }

    /// Helm `TestLoadFilesOrder`: Chart.yaml last still decides the apiVersion first.
    #[test]
    fn chart_yaml_is_processed_first() {
        let c = load(vec![
            bf("requirements.yaml", "dependencies:"),
            bf("values.yaml", "var: some values"),
            bf("templates/deployment.yaml", "some deployment"),
            bf("templates/service.yaml", "some service"),
            bf("Chart.yaml", FROBNITZ_CHART),
        ])
        .unwrap();
        assert_eq!(c.metadata.api_version, "v1");
        // v1 charts keep requirements.yaml among their files.
        assert_eq!(c.files[0].name, "requirements.yaml");
    }

    /// Helm `TestLoadFiles_BadCases`.
    #[test]
    fn only_requirements_lock() {
        let err = load(vec![bf("requirements.lock", "")]).err().unwrap();
        assert!(
            err.to_string()
                .contains("validation: chart.metadata.apiVersion is required"),
            "{err}"
        );
    }

    /// Helm `TestLoadValues` and `TestMergeValuesV2` facts.
    #[test]
    fn values_documents_merge() {
        let v = load_values(
            "foo:\n  image: foo:v1\nbar:\n  version: v2\n---\nfoo:\n  image: foo:v2\n",
            NumberModel::Exact,
        )
        .unwrap();
        assert_eq!(
            Value::Object(v),
            json!({"foo": {"image": "foo:v2"}, "bar": {"version": "v2"}})
        );
        let mut a = json!({"foo": "bar", "baz": "stuff"})
            .as_object()
            .unwrap()
            .clone();
        merge_maps(
            &mut a,
            json!({"baz": {"cool": "things"}})
                .as_object()
                .unwrap()
                .clone(),
        );
        assert_eq!(
            Value::Object(a.clone()),
            json!({"foo": "bar", "baz": {"cool": "things"}})
        );
        merge_maps(&mut a, json!({"baz": "flat"}).as_object().unwrap().clone());
        assert_eq!(a["baz"], json!("flat"));
        // A 4096-byte single line without a newline is kept (Helm issue 32506).
        let line = format!("{{\"foo\":\"{}\"}}", "x".repeat(4096 - 10));
        assert_eq!(line.len(), 4096);
        assert_eq!(
            load_values(&line, NumberModel::Exact).unwrap()["foo"]
                .as_str()
                .unwrap()
                .len(),
            4086
        );
    }

    #[test]
    fn values_errors_name_the_file() {
        let err = load(vec![
            bf("Chart.yaml", "apiVersion: v2\nname: a\nversion: 1.0.0\n"),
            bf("values.yaml", "a: 1\n---\n- not a map\n"),
        ])
        .err()
        .unwrap()
        .to_string();
        assert!(
            err.starts_with("cannot load test/values.yaml: YAML document 2 is a list"),
            "{err}"
        );
        let err = load(vec![
            bf("Chart.yaml", "apiVersion: v2\nname: a\nversion: 1.0.0\n"),
            bf("values.yaml", "a: 1\nb: [1, 2\nc: 3\n"),
        ])
        .err()
        .unwrap()
        .to_string();
        assert!(
            err.starts_with("cannot load test/values.yaml: line "),
            "{err}"
        );
    }

    #[test]
    fn number_model_follows_engine() {
        let chart = |engine: &str| {
            load(vec![
                bf(
                    "Chart.yaml",
                    &format!("apiVersion: v2\nname: a\nversion: 1.0.0\n{engine}"),
                ),
                bf("values.yaml", "n: 1000000\n"),
            ])
            .unwrap()
        };
        assert!(chart("engine: jinja\n").values["n"].is_i64());
        assert!(chart("").values["n"].is_f64());
        assert_eq!(chart("engine: jinja\n").engine, Engine::Jinja);
    }

    #[test]
    fn classification() {
        let c = load(vec![
            bf("Chart.yaml", "apiVersion: v2\nname: p\nversion: 1.0.0\n"),
            bf("README.md", "r"),
            bf("crds/a.yaml", "c"),
            bf(".helmignore", "x"),
            bf("files/app.conf", "f"),
            bf("Chart.lock", "digest: d\n"),
            bf("requirements.yaml", "dependencies: []\n"),
            bf("templates/NOTES.txt", "n"),
            bf("templates/sub/x.yaml", "t"),
            bf(
                "charts/sub/Chart.yaml",
                "apiVersion: v2\nname: sub\nversion: 0.1.0\n",
            ),
            bf("charts/sub/templates/a.yaml", "a"),
            bf("charts/sub/README.md", "sr"),
            bf("charts/sub-1.0.0.tgz.prov", "prov"),
            bf("charts/_ignored/whatever", "x"),
            bf("charts/.hidden/whatever", "x"),
        ])
        .unwrap();
        let names = |fs: &[File]| fs.iter().map(|f| f.name.clone()).collect::<Vec<_>>();
        assert_eq!(
            names(&c.files),
            [
                ".helmignore",
                "README.md",
                "charts/sub-1.0.0.tgz.prov",
                "crds/a.yaml",
                "files/app.conf"
            ]
        );
        assert_eq!(
            names(&c.templates),
            ["templates/NOTES.txt", "templates/sub/x.yaml"]
        );
        assert_eq!(c.lock.as_ref().unwrap().digest, "d");
        assert_eq!(c.dependencies.len(), 1);
        let sub = &c.dependencies[0];
        assert_eq!(sub.full_path, "p/charts/sub");
        assert_eq!(names(&sub.templates), ["templates/a.yaml"]);
        assert_eq!(names(&sub.files), ["README.md"]);
    }

    #[test]
    fn stray_file_in_charts_breaks_loading_like_helm() {
        let err = load(vec![
            bf("Chart.yaml", "apiVersion: v2\nname: p\nversion: 1.0.0\n"),
            bf("charts/README.md", "x"),
        ])
        .err()
        .unwrap()
        .to_string();
        assert!(
            err.starts_with(
                "error unpacking subchart README.md in p: test/charts/README.md: Chart.yaml file is missing"
            ),
            "{err}"
        );
    }

    #[test]
    fn subchart_errors_are_wrapped() {
        let err = load(vec![
            bf("Chart.yaml", "apiVersion: v2\nname: p\nversion: 1.0.0\n"),
            bf("charts/sub/Chart.yaml", "apiVersion: v2\nversion: 0.1.0\n"),
        ])
        .err()
        .unwrap()
        .to_string();
        assert_eq!(
            err,
            "error unpacking subchart sub in p: test/charts/sub/Chart.yaml: validation: chart.metadata.name is required"
        );
        let err = load(vec![
            bf("Chart.yaml", "apiVersion: v2\nname: p\nversion: 1.0.0\n"),
            bf("charts/x.tgz/Chart.yaml", "name: x\n"),
        ])
        .err()
        .unwrap()
        .to_string();
        assert_eq!(
            err,
            "error unpacking subchart tar in p: expected x.tgz, got x.tgz/Chart.yaml"
        );
    }

    #[test]
    fn nesting_is_bounded() {
        let chart = "apiVersion: v2\nname: c\nversion: 1.0.0\n";
        let mut files = vec![];
        let mut prefix = String::new();
        for _ in 0..=MAX_SUBCHART_DEPTH + 1 {
            files.push(bf(&format!("{prefix}Chart.yaml"), chart));
            prefix.push_str("charts/c/");
        }
        let err = load(files).err().unwrap().to_string();
        assert!(
            err.contains("charts nested more than 64 levels deep"),
            "{}",
            &err[err.len() - 200..]
        );
    }

    #[test]
    fn engine_errors_name_the_file() {
        let err = load(vec![bf(
            "Chart.yaml",
            "apiVersion: v2\nname: p\nversion: 1.0.0\nengine: erb\n",
        )])
        .err()
        .unwrap()
        .to_string();
        assert!(
            err.starts_with("cannot load test/Chart.yaml: engine \"erb\""),
            "{err}"
        );
    }
}
