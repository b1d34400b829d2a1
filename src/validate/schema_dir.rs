//! `--schema-location DIR`: JSON schema files on disk, in the layouts kubeconform users have.
//!
//! For a document with `apiVersion: GROUP/VERSION` (`VERSION` alone for the core group) and
//! `kind: KIND`, each folder is searched for these files, first match wins (`kind` lowercased):
//! 1. `KIND-GROUPLABEL-VERSION.json`, where GROUPLABEL is the group's first dot-separated label
//!    (`deployment-apps-v1.json`, `certificate-cert-manager-v1.json`); `KIND-VERSION.json` for
//!    the core group (`pod-v1.json`). This is kubeconform's and kubernetes-json-schema's naming.
//! 2. `GROUP/KIND_VERSION.json` (the CRDs-catalog layout: `cert-manager.io/certificate_v1.json`).
//! 3. `KIND_VERSION.json` (openapi2jsonschema's output for CRDs: `certificate_v1.json`).
//!
//! Relative `$ref`s (`_definitions.json#/definitions/...`) are read from files inside the same
//! folder; any other reference fails (no network, nothing outside the folder). The draft comes
//! from `$schema`; a missing or version-less `$schema` means draft 4, as kubeconform assumes.
//! These schemas are used as they are: `--no-strict` does not relax them.

use std::fs;
use std::io::Read;
use std::path::{Path, PathBuf};

use jsonschema::{Draft, Retrieve, Uri};

use super::ValidateError;
use crate::Value;

/// Largest schema file read (a kubeconform standalone schema is under 1 MiB).
pub(crate) const MAX_SCHEMA_FILE_BYTES: u64 = 64 * 1024 * 1024;

/// A checked schema folder.
#[derive(Clone, Debug)]
pub(crate) struct SchemaDir {
    root: PathBuf,
}

/// A schema file found for a kind.
pub(crate) struct DirSchema {
    pub path: PathBuf,
    pub schema: Value,
    pub draft: Draft,
    pub base_uri: String,
    pub retriever: DirRetriever,
}

impl SchemaDir {
    pub(crate) fn open(path: &Path) -> Result<SchemaDir, ValidateError> {
        let root = fs::canonicalize(path).map_err(|e| ValidateError::SchemaLocation {
            path: path.to_path_buf(),
            reason: e.to_string(),
        })?;
        if !root.is_dir() {
            return Err(ValidateError::SchemaLocation {
                path: path.to_path_buf(),
                reason: "not a directory".to_string(),
            });
        }
        Ok(SchemaDir { root })
    }

    /// Candidate relative file names for a kind, in search order.
    pub(crate) fn candidates(api_version: &str, kind: &str) -> Vec<PathBuf> {
        let kind = kind.to_lowercase();
        let (group, version) = match api_version.split_once('/') {
            Some((g, v)) => (g, v),
            None => ("", api_version),
        };
        let safe = |s: &str| {
            !s.is_empty()
                && s.chars()
                    .all(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '-' | '_'))
                && !s.starts_with('.')
        };
        if !safe(&kind) || !safe(version) || !(group.is_empty() || safe(group)) {
            return Vec::new();
        }
        let mut out = Vec::new();
        if group.is_empty() {
            out.push(PathBuf::from(format!("{kind}-{version}.json")));
        } else {
            let label = group.split('.').next().unwrap_or(group);
            out.push(PathBuf::from(format!("{kind}-{label}-{version}.json")));
            out.push(Path::new(group).join(format!("{kind}_{version}.json")));
        }
        out.push(PathBuf::from(format!("{kind}_{version}.json")));
        out
    }

    /// Reads the schema for a kind, if this folder has one. A file that exists but cannot be
    /// read or parsed is `Some(Err(reason))`.
    pub(crate) fn find(&self, api_version: &str, kind: &str) -> Option<Result<DirSchema, String>> {
        for rel in Self::candidates(api_version, kind) {
            let path = self.root.join(&rel);
            if !path.is_file() {
                continue;
            }
            return Some(self.load(&path));
        }
        None
    }

    fn load(&self, path: &Path) -> Result<DirSchema, String> {
        let schema = read_json(path, &self.root)?;
        let draft = draft_of(&schema);
        let base_uri = file_uri(path);
        Ok(DirSchema {
            path: path.to_path_buf(),
            schema,
            draft,
            base_uri,
            retriever: DirRetriever {
                root: self.root.clone(),
            },
        })
    }
}

fn read_json(path: &Path, root: &Path) -> Result<Value, String> {
    let canonical = fs::canonicalize(path).map_err(|e| format!("{}: {e}", path.display()))?;
    if !canonical.starts_with(root) {
        return Err(format!(
            "{} is outside the schema location {}",
            path.display(),
            root.display()
        ));
    }
    let file = fs::File::open(&canonical).map_err(|e| format!("{}: {e}", path.display()))?;
    let mut text = String::new();
    file.take(MAX_SCHEMA_FILE_BYTES + 1)
        .read_to_string(&mut text)
        .map_err(|e| format!("{}: {e}", path.display()))?;
    if text.len() as u64 > MAX_SCHEMA_FILE_BYTES {
        return Err(format!(
            "{} is larger than {} MiB",
            path.display(),
            MAX_SCHEMA_FILE_BYTES / 1024 / 1024
        ));
    }
    serde_json::from_str(&text).map_err(|e| format!("{} is not valid JSON: {e}", path.display()))
}

/// The draft a schema declares; draft 4 when it declares none or a version-less URI.
fn draft_of(schema: &Value) -> Draft {
    let uri = schema.get("$schema").and_then(Value::as_str).unwrap_or("");
    if uri.contains("2020-12") {
        Draft::Draft202012
    } else if uri.contains("2019-09") {
        Draft::Draft201909
    } else if uri.contains("draft-07") {
        Draft::Draft7
    } else if uri.contains("draft-06") {
        Draft::Draft6
    } else {
        Draft::Draft4
    }
}

fn file_uri(path: &Path) -> String {
    let mut out = String::from("file://");
    for (i, part) in path.to_string_lossy().split('/').enumerate() {
        if i > 0 {
            out.push('/');
        }
        for b in part.bytes() {
            if b.is_ascii_alphanumeric() || matches!(b, b'-' | b'.' | b'_' | b'~') {
                out.push(b as char);
            } else {
                out.push_str(&format!("%{b:02X}"));
            }
        }
    }
    out
}

fn percent_decode(s: &str) -> Option<String> {
    let bytes = s.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%' {
            let hex = s.get(i + 1..i + 3)?;
            out.push(u8::from_str_radix(hex, 16).ok()?);
            i += 3;
        } else {
            out.push(bytes[i]);
            i += 1;
        }
    }
    String::from_utf8(out).ok()
}

/// Serves `file://` references from inside one schema folder and refuses everything else.
#[derive(Clone, Debug)]
pub(crate) struct DirRetriever {
    root: PathBuf,
}

impl Retrieve for DirRetriever {
    fn retrieve(
        &self,
        uri: &Uri<String>,
    ) -> Result<Value, Box<dyn std::error::Error + Send + Sync>> {
        if uri.scheme().as_str() != "file" {
            return Err(format!(
                "reference {uri} is not a file in the schema location (no network access)"
            )
            .into());
        }
        let path = percent_decode(uri.path().as_str())
            .ok_or_else(|| format!("reference {uri} has a malformed path"))?;
        read_json(Path::new(&path), &self.root).map_err(Into::into)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn candidate_names() {
        let names = |av: &str, k: &str| -> Vec<String> {
            SchemaDir::candidates(av, k)
                .iter()
                .map(|p| p.to_string_lossy().into_owned())
                .collect()
        };
        assert_eq!(names("v1", "Pod"), ["pod-v1.json", "pod_v1.json"]);
        assert_eq!(
            names("cert-manager.io/v1", "Certificate"),
            [
                "certificate-cert-manager-v1.json",
                "cert-manager.io/certificate_v1.json",
                "certificate_v1.json"
            ]
        );
        assert!(names("../../etc/v1", "Pod").is_empty());
        assert!(names("v1", "../passwd").is_empty());
        assert!(names("g/v1", "").is_empty());
    }

    #[test]
    fn finds_and_resolves_inside_the_folder_only() {
        let dir = tempfile::tempdir().unwrap();
        fs::write(
            dir.path().join("widget-example-v1.json"),
            r#"{"$schema":"http://json-schema.org/schema#","type":"object",
                "properties":{"spec":{"$ref":"_definitions.json#/definitions/spec"}}}"#,
        )
        .unwrap();
        fs::write(
            dir.path().join("_definitions.json"),
            r#"{"definitions":{"spec":{"type":"object","required":["size"]}}}"#,
        )
        .unwrap();
        let d = SchemaDir::open(dir.path()).unwrap();
        let found = d.find("example.com/v1", "Widget").unwrap().unwrap();
        assert_eq!(found.draft, Draft::Draft4);
        let v = jsonschema::options()
            .with_draft(found.draft)
            .with_base_uri(found.base_uri.clone())
            .with_retriever(found.retriever)
            .build(&found.schema)
            .unwrap();
        assert!(!v.is_valid(&serde_json::json!({"spec": {}})));
        assert!(v.is_valid(&serde_json::json!({"spec": {"size": 1}})));
        assert!(d.find("example.com/v1", "Gadget").is_none());
    }

    #[test]
    fn refuses_refs_outside_and_bad_files() {
        let dir = tempfile::tempdir().unwrap();
        let outside = tempfile::tempdir().unwrap();
        fs::write(outside.path().join("x.json"), "{}").unwrap();
        let target = format!("{}#", file_uri(&outside.path().join("x.json")));
        fs::write(
            dir.path().join("a-v1.json"),
            format!(r#"{{"$ref":"{target}"}}"#),
        )
        .unwrap();
        fs::write(dir.path().join("b-v1.json"), "not json").unwrap();
        let d = SchemaDir::open(dir.path()).unwrap();
        let a = d.find("v1", "A").unwrap().unwrap();
        let built = jsonschema::options()
            .with_draft(a.draft)
            .with_base_uri(a.base_uri.clone())
            .with_retriever(a.retriever)
            .build(&a.schema);
        assert!(built.is_err());
        let b = d.find("v1", "B").unwrap();
        assert!(b.err().unwrap().contains("not valid JSON"));
        assert!(SchemaDir::open(&dir.path().join("missing")).is_err());
        assert!(SchemaDir::open(&dir.path().join("a-v1.json")).is_err());
    }

    #[test]
    fn file_uris_round_trip() {
        let p = Path::new("/tmp/a b/c%d.json");
        let uri = file_uri(p);
        assert_eq!(uri, "file:///tmp/a%20b/c%25d.json");
        assert_eq!(
            percent_decode(uri.strip_prefix("file://").unwrap()).unwrap(),
            "/tmp/a b/c%d.json"
        );
    }
}
