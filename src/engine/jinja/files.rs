//! The `files` context object: read access to a chart's non-template files with Helm's `.Files`
//! semantics (`get`, `get_bytes`, `glob`, `lines`, `as_config`, `as_secrets`). It sees only the
//! files it was built from (`chart.files`, minus the special files Helm hides), so no path can
//! reach outside the chart; absolute paths and `..` segments are rejected with an error so the
//! author learns why. Iterating `files` (or a `glob` result) yields the paths in sorted order;
//! `files["path"]` gives the content. Must not touch the filesystem.

use super::glob::Glob;
use base64::Engine as _;
use minijinja::value::{Enumerator, Object, ObjectExt as _, ObjectRepr, Value};
use minijinja::{Error, ErrorKind, State};
use std::collections::BTreeMap;
use std::sync::Arc;

/// Files Helm keeps out of `.Files` (chart metadata and values), by exact root-level name.
const HIDDEN_ROOT_FILES: &[&str] = &[
    "Chart.yaml",
    "values.yaml",
    "values.schema.json",
    "Chart.lock",
    "requirements.yaml",
    "requirements.lock",
];

/// A set of chart files by relative path (sorted, so every output is deterministic).
#[derive(Debug, Clone, Default)]
pub struct Files {
    entries: BTreeMap<String, Arc<[u8]>>,
}

impl Files {
    /// Builds the object from a chart's files, dropping what Helm's `.Files` does not show:
    /// `templates/`, `charts/` and the chart's metadata/values files.
    pub fn from_chart_files(files: &[crate::chart::File]) -> Files {
        let entries = files
            .iter()
            .filter(|f| {
                !HIDDEN_ROOT_FILES.contains(&f.name.as_str())
                    && !f.name.starts_with("templates/")
                    && !f.name.starts_with("charts/")
            })
            .map(|f| (f.name.clone(), Arc::from(f.data.as_slice())))
            .collect();
        Files { entries }
    }

    /// Bytes of a file; empty if it does not exist (Helm's rule).
    pub fn get_bytes(&self, path: &str) -> &[u8] {
        self.entries.get(path).map(|d| &d[..]).unwrap_or(&[])
    }

    /// Content as text (invalid UTF-8 replaced); empty if the file does not exist.
    pub fn get(&self, path: &str) -> String {
        String::from_utf8_lossy(self.get_bytes(path)).into_owned()
    }

    /// The files whose path matches `pattern` (see [`Glob`]).
    pub fn glob(&self, pattern: &str) -> Files {
        let g = Glob::new(pattern);
        Files {
            entries: self
                .entries
                .iter()
                .filter(|(name, _)| g.is_match(name))
                .map(|(k, v)| (k.clone(), v.clone()))
                .collect(),
        }
    }

    /// Lines of a file: one trailing `\n` dropped, then split on `\n`. A missing or empty file
    /// gives no lines; a file holding only `"\n"` gives one empty line.
    pub fn lines(&self, path: &str) -> Vec<String> {
        let text = self.get(path);
        if text.is_empty() {
            return Vec::new();
        }
        let text = text.strip_suffix('\n').unwrap_or(&text);
        text.split('\n').map(str::to_string).collect()
    }

    /// YAML map of basename → content, keys sorted, no trailing newline. When two files share a
    /// basename, the one whose full path sorts last wins (Helm leaves this to map order).
    pub fn as_config(&self) -> String {
        self.as_map(|data| String::from_utf8_lossy(data).into_owned())
    }

    /// Like [`Files::as_config`] with base64-encoded contents.
    pub fn as_secrets(&self) -> String {
        self.as_map(|data| base64::engine::general_purpose::STANDARD.encode(data))
    }

    fn as_map(&self, conv: impl Fn(&[u8]) -> String) -> String {
        let mut by_base: BTreeMap<&str, &[u8]> = BTreeMap::new();
        for (name, data) in &self.entries {
            let base = name.rsplit('/').next().unwrap_or(name);
            by_base.insert(base, data);
        }
        let map: crate::Map = by_base
            .into_iter()
            .map(|(k, v)| (k.to_string(), crate::Value::String(conv(v))))
            .collect();
        let out = crate::yaml::to_string(&crate::Value::Object(map));
        out.trim_end_matches('\n').to_string()
    }

    #[cfg(test)]
    pub fn len(&self) -> usize {
        self.entries.len()
    }
}

/// Checks a path given to a `files` method: relative, `/`-separated, no `..` segment.
fn check_path(method: &str, path: &str) -> Result<(), Error> {
    let bad = path.starts_with('/')
        || path.starts_with('\\')
        || path.contains('\\')
        || path.as_bytes().get(1) == Some(&b':')
        || path.split('/').any(|seg| seg == "..");
    if bad {
        return Err(Error::new(
            ErrorKind::InvalidOperation,
            format!(
                "files.{method}: path {path:?} leaves the chart; use a path relative to the chart \
                 root without '..' (e.g. \"files/app.conf\")"
            ),
        ));
    }
    Ok(())
}

fn one_string_arg<'a>(method: &str, args: &'a [Value]) -> Result<&'a str, Error> {
    match args {
        [v] => v.as_str().ok_or_else(|| {
            Error::new(
                ErrorKind::InvalidOperation,
                format!("files.{method} expects a string path, got {}", v.kind()),
            )
        }),
        _ => Err(Error::new(
            ErrorKind::InvalidOperation,
            format!(
                "files.{method} takes exactly one argument, got {}",
                args.len()
            ),
        )),
    }
}

fn no_args(method: &str, args: &[Value]) -> Result<(), Error> {
    if args.is_empty() {
        Ok(())
    } else {
        Err(Error::new(
            ErrorKind::InvalidOperation,
            format!("files.{method} takes no arguments"),
        ))
    }
}

impl Object for Files {
    fn repr(self: &Arc<Self>) -> ObjectRepr {
        ObjectRepr::Map
    }

    fn get_value(self: &Arc<Self>, key: &Value) -> Option<Value> {
        let key = key.as_str()?;
        self.entries
            .get(key)
            .map(|d| Value::from(String::from_utf8_lossy(d).into_owned()))
    }

    fn enumerate(self: &Arc<Self>) -> Enumerator {
        self.mapped_enumerator(|this| {
            Box::new(this.entries.keys().map(|k| Value::from(k.as_str())))
        })
    }

    fn enumerator_len(self: &Arc<Self>) -> Option<usize> {
        Some(self.entries.len())
    }

    fn call_method(
        self: &Arc<Self>,
        state: &mut State<'_, '_>,
        method: &str,
        args: &[Value],
    ) -> Result<Value, Error> {
        match method {
            "get" => {
                let path = one_string_arg(method, args)?;
                check_path(method, path)?;
                Ok(Value::from(self.get(path)))
            }
            "get_bytes" => {
                let path = one_string_arg(method, args)?;
                check_path(method, path)?;
                Ok(Value::from_bytes(self.get_bytes(path).to_vec()))
            }
            "glob" => {
                let pattern = one_string_arg(method, args)?;
                state.consume_fuel(self.entries.len() as u64)?;
                Ok(Value::from_object(self.glob(pattern)))
            }
            "lines" => {
                let path = one_string_arg(method, args)?;
                check_path(method, path)?;
                Ok(Value::from(self.lines(path)))
            }
            "as_config" => {
                no_args(method, args)?;
                Ok(Value::from(self.as_config()))
            }
            "as_secrets" => {
                no_args(method, args)?;
                Ok(Value::from(self.as_secrets()))
            }
            _ => Err(Error::from(ErrorKind::UnknownMethod)),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::chart::File;

    /// The file set of Helm's `pkg/engine/files_test.go`, as facts.
    fn helm_cases() -> Files {
        let cases = [
            ("ship/captain.txt", "The Captain"),
            ("ship/stowaway.txt", "Legatt"),
            ("story/name.txt", "The Secret Sharer"),
            ("story/author.txt", "Joseph Conrad"),
            ("multiline/test.txt", "bar\nfoo\n"),
            ("multiline/test_with_blank_lines.txt", "bar\nfoo\n\n\n"),
            ("empty/empty.txt", ""),
            ("empty/newline_only.txt", "\n"),
        ];
        let files: Vec<File> = cases
            .iter()
            .map(|(n, d)| File {
                name: n.to_string(),
                data: d.as_bytes().to_vec(),
            })
            .collect();
        Files::from_chart_files(&files)
    }

    #[test]
    fn get_and_get_bytes() {
        let f = helm_cases();
        assert_eq!(f.len(), 8);
        assert_eq!(f.get("ship/captain.txt"), "The Captain");
        assert_eq!(f.get_bytes("story/author.txt"), b"Joseph Conrad");
        assert_eq!(f.get("missing.txt"), "");
        assert!(f.get_bytes("missing.txt").is_empty());
    }

    #[test]
    fn glob_like_helm() {
        let f = helm_cases();
        let m = f.glob("story/**");
        assert_eq!(m.len(), 2);
        assert_eq!(m.get("story/author.txt"), "Joseph Conrad");
    }

    #[test]
    fn as_config_and_secrets_like_helm() {
        let f = helm_cases();
        assert_eq!(
            f.glob("**/captain.txt").as_config(),
            "captain.txt: The Captain"
        );
        assert_eq!(
            f.glob("ship/**").as_config(),
            "captain.txt: The Captain\nstowaway.txt: Legatt"
        );
        assert_eq!(
            f.glob("ship/**").as_secrets(),
            "captain.txt: VGhlIENhcHRhaW4=\nstowaway.txt: TGVnYXR0"
        );
    }

    #[test]
    fn lines_like_helm() {
        let f = helm_cases();
        let l = f.lines("multiline/test.txt");
        assert_eq!(l, vec!["bar", "foo"]);
        let l = f.lines("multiline/test_with_blank_lines.txt");
        assert_eq!(l.len(), 4);
        assert_eq!(l[0], "bar");
        assert_eq!(l[3], "");
        assert!(f.lines("empty/empty.txt").is_empty());
        assert_eq!(f.lines("empty/newline_only.txt"), vec![""]);
        assert!(f.lines("nonexistent.txt").is_empty());
    }

    #[test]
    fn special_files_are_hidden() {
        let files = vec![
            File {
                name: "Chart.yaml".into(),
                data: b"name: x".to_vec(),
            },
            File {
                name: "values.yaml".into(),
                data: b"a: 1".to_vec(),
            },
            File {
                name: "templates/x.yaml".into(),
                data: b"x".to_vec(),
            },
            File {
                name: "charts/sub/Chart.yaml".into(),
                data: b"x".to_vec(),
            },
            File {
                name: "crds/crd.yaml".into(),
                data: b"kind: CRD".to_vec(),
            },
            File {
                name: ".helmignore".into(),
                data: b"*.tmp".to_vec(),
            },
        ];
        let f = Files::from_chart_files(&files);
        let names: Vec<&str> = f.entries.keys().map(String::as_str).collect();
        assert_eq!(names, vec![".helmignore", "crds/crd.yaml"]);
    }

    #[test]
    fn escaping_paths_are_rejected() {
        for p in ["../secret", "/etc/passwd", "a/../../b", "C:/x", "a\\b"] {
            let err = check_path("get", p).unwrap_err();
            assert!(err.to_string().contains("leaves the chart"), "{p}: {err}");
        }
        for p in ["files/a.conf", "a..b", ".hidden", "x/.../y"] {
            assert!(check_path("get", p).is_ok(), "{p}");
        }
    }
}
