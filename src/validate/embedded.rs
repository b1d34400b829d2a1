//! The embedded Kubernetes schemas (`schemas/kubernetes.json.gz`, built by
//! `scripts/gen-schemas.sh`): decompressing the blob, choosing a Kubernetes version, finding
//! the definition of an apiVersion/kind, and building the `$defs` document a run needs.
//!
//! Only the strict layout is stored; the non-strict layout is derived here by dropping
//! `additionalProperties: false`. Kind schemas are derived from their definition the way
//! kubernetes-validate's kind files are: `type: object` and nullable top-level fields.
//! This module reads no files and touches no network.

use std::collections::{BTreeSet, HashMap};
use std::io::Read;
use std::sync::OnceLock;

use serde::Deserialize;

use super::ValidateError;
use crate::{Map, Value};

static BLOB: &[u8] = include_bytes!("../../schemas/kubernetes.json.gz");

/// Limit on the decompressed blob, against a damaged build (the real one is under 1 MiB).
const MAX_BLOB_BYTES: u64 = 64 * 1024 * 1024;

/// URI under which a version's `$defs` document is registered (never fetched).
pub(crate) fn defs_uri(version: &str) -> String {
    format!("https://chartroom.invalid/kubernetes/v{version}/_definitions.json")
}

#[derive(Deserialize)]
struct Header {
    format: u32,
    versions: Vec<String>,
    names: Vec<String>,
    defs: HashMap<String, Vec<i64>>,
    kinds: HashMap<String, Vec<(String, String, usize)>>,
}

/// The decompressed blob, parsed lazily: pool entries stay text until a run needs them.
pub(crate) struct Embedded {
    text: String,
    header: Header,
    /// Byte ranges of the pool lines in `text`.
    pool: Vec<(usize, usize)>,
    name_index: HashMap<String, usize>,
}

/// The embedded schema set, decompressed once per process.
pub(crate) fn embedded() -> Result<&'static Embedded, ValidateError> {
    static CELL: OnceLock<Result<Embedded, String>> = OnceLock::new();
    CELL.get_or_init(|| load(BLOB))
        .as_ref()
        .map_err(|e| ValidateError::EmbeddedSchemas(e.clone()))
}

fn load(blob: &[u8]) -> Result<Embedded, String> {
    let mut text = String::new();
    flate2::read::GzDecoder::new(blob)
        .take(MAX_BLOB_BYTES)
        .read_to_string(&mut text)
        .map_err(|e| format!("cannot decompress: {e}"))?;
    let header_end = text.find('\n').ok_or("no header line")?;
    let header: Header =
        serde_json::from_str(&text[..header_end]).map_err(|e| format!("bad header: {e}"))?;
    if header.format != 1 {
        return Err(format!("unknown format {}", header.format));
    }
    let mut pool = Vec::new();
    let mut start = header_end + 1;
    while start < text.len() {
        let end = text[start..].find('\n').map_or(text.len(), |i| start + i);
        pool.push((start, end));
        start = end + 1;
    }
    let name_index = header
        .names
        .iter()
        .enumerate()
        .map(|(i, n)| (n.clone(), i))
        .collect();
    Ok(Embedded {
        text,
        header,
        pool,
        name_index,
    })
}

/// One Kubernetes version of the embedded set.
pub(crate) struct VersionSchemas {
    pub version: String,
    embedded: &'static Embedded,
    defs: &'static [i64],
    kinds: HashMap<(&'static str, &'static str), usize>,
}

impl Embedded {
    pub(crate) fn versions(&self) -> &[String] {
        &self.header.versions
    }

    /// Picks the schemas for `requested` (`1.30`, `v1.30.2`, `1.30.0-rc.1`); `None` = newest.
    pub(crate) fn version(
        &'static self,
        requested: Option<&str>,
    ) -> Result<VersionSchemas, ValidateError> {
        let versions = &self.header.versions;
        let oldest = versions.first().cloned().unwrap_or_default();
        let newest = versions.last().cloned().unwrap_or_default();
        let version = match requested {
            None => newest.clone(),
            Some(given) => {
                let (major, minor) =
                    parse_major_minor(given).ok_or_else(|| ValidateError::InvalidKubeVersion {
                        given: given.to_string(),
                    })?;
                let wanted = format!("{major}.{minor}");
                if !versions.contains(&wanted) {
                    return Err(ValidateError::UnsupportedKubeVersion {
                        given: given.to_string(),
                        oldest,
                        newest,
                    });
                }
                wanted
            }
        };
        let defs = self
            .header
            .defs
            .get(&version)
            .ok_or_else(|| ValidateError::EmbeddedSchemas(format!("no defs for {version}")))?;
        let kinds = self
            .header
            .kinds
            .get(&version)
            .map(|list| {
                list.iter()
                    .map(|(av, k, i)| ((av.as_str(), k.as_str()), *i))
                    .collect()
            })
            .unwrap_or_default();
        Ok(VersionSchemas {
            version,
            embedded: self,
            defs,
            kinds,
        })
    }
}

/// `1.30`, `v1.30`, `1.30.2`, `v1.30.0-rc.1+meta` → (1, 30).
fn parse_major_minor(s: &str) -> Option<(u64, u64)> {
    let s = s.trim();
    let s = s.strip_prefix('v').unwrap_or(s);
    let core = s.split(['-', '+']).next()?;
    let mut parts = core.split('.');
    let major: u64 = parts.next()?.parse().ok()?;
    let minor: u64 = parts.next()?.parse().ok()?;
    if let Some(patch) = parts.next() {
        patch.parse::<u64>().ok()?;
    }
    if parts.next().is_some() {
        return None;
    }
    Some((major, minor))
}

impl VersionSchemas {
    /// The definition name index for an apiVersion/kind, if the version has it.
    pub(crate) fn lookup(&self, api_version: &str, kind: &str) -> Option<usize> {
        self.kinds.get(&(api_version, kind)).copied()
    }

    fn def_text(&self, name: usize) -> Option<&'static str> {
        let pool = usize::try_from(*self.defs.get(name)?).ok()?;
        let (s, e) = *self.embedded.pool.get(pool)?;
        Some(&self.embedded.text[s..e])
    }

    pub(crate) fn name(&self, index: usize) -> &'static str {
        &self.embedded.header.names[index]
    }

    /// Every definition reachable from `roots` through `$ref`s (found in the raw text, so
    /// definitions that aren't needed are never parsed).
    fn closure(&self, roots: &[usize]) -> BTreeSet<usize> {
        const REF: &str = "\"$ref\":\"#/$defs/";
        let mut seen: BTreeSet<usize> = BTreeSet::new();
        let mut todo: Vec<usize> = roots.to_vec();
        while let Some(n) = todo.pop() {
            if !seen.insert(n) {
                continue;
            }
            let Some(text) = self.def_text(n) else {
                continue;
            };
            let mut rest = text;
            while let Some(i) = rest.find(REF) {
                rest = &rest[i + REF.len()..];
                let end = rest.find('"').unwrap_or(rest.len());
                if let Some(&idx) = self.embedded.name_index.get(&rest[..end])
                    && !seen.contains(&idx)
                {
                    todo.push(idx);
                }
                rest = &rest[end..];
            }
        }
        seen
    }

    /// The `{"$defs": {...}}` document holding what `roots` need, in the strict or loose layout.
    pub(crate) fn defs_document(
        &self,
        roots: &[usize],
        strict: bool,
    ) -> Result<Value, ValidateError> {
        let mut defs = Map::new();
        for n in self.closure(roots) {
            let Some(text) = self.def_text(n) else {
                continue;
            };
            let mut value: Value = serde_json::from_str(text).map_err(|e| {
                ValidateError::EmbeddedSchemas(format!("definition {}: {e}", self.name(n)))
            })?;
            if !strict {
                strip_additional_properties_false(&mut value);
            }
            defs.insert(self.name(n).to_string(), value);
        }
        let mut doc = Map::new();
        doc.insert("$defs".to_string(), Value::Object(defs));
        Ok(Value::Object(doc))
    }

    /// The root schema for a kind: its definition as an object type, with nullable top-level
    /// fields and `$ref`s pointing at the registered `$defs` document.
    pub(crate) fn kind_schema(&self, name: usize, strict: bool) -> Result<Value, ValidateError> {
        let text = self.def_text(name).ok_or_else(|| {
            ValidateError::EmbeddedSchemas(format!("definition {} missing", self.name(name)))
        })?;
        let mut value: Value = serde_json::from_str(text).map_err(|e| {
            ValidateError::EmbeddedSchemas(format!("definition {}: {e}", self.name(name)))
        })?;
        if !strict {
            strip_additional_properties_false(&mut value);
        }
        let base = defs_uri(&self.version);
        absolutize_refs(&mut value, &base);
        if let Value::Object(map) = &mut value {
            map.insert("type".to_string(), Value::String("object".to_string()));
            if let Some(Value::Object(props)) = map.get_mut("properties") {
                for (_, prop) in props.iter_mut() {
                    if let Some(Value::String(t)) = prop.get("type").cloned() {
                        prop["type"] = serde_json::json!([t, "null"]);
                    }
                }
            }
        }
        Ok(value)
    }
}

/// `additionalProperties: false` removed everywhere: the non-strict layout.
pub(crate) fn strip_additional_properties_false(value: &mut Value) {
    match value {
        Value::Object(map) => {
            if map.get("additionalProperties") == Some(&Value::Bool(false)) {
                map.remove("additionalProperties");
            }
            for (_, v) in map.iter_mut() {
                strip_additional_properties_false(v);
            }
        }
        Value::Array(items) => items.iter_mut().for_each(strip_additional_properties_false),
        _ => {}
    }
}

fn absolutize_refs(value: &mut Value, base: &str) {
    match value {
        Value::Object(map) => {
            for (k, v) in map.iter_mut() {
                match v {
                    Value::String(s) if k == "$ref" && s.starts_with('#') => {
                        *s = format!("{base}{s}");
                    }
                    _ => absolutize_refs(v, base),
                }
            }
        }
        Value::Array(items) => items.iter_mut().for_each(|v| absolutize_refs(v, base)),
        _ => {}
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn blob_has_thirteen_versions_and_core_kinds() {
        let e = embedded().unwrap();
        let v: Vec<&str> = e.versions().iter().map(String::as_str).collect();
        assert_eq!(v.first(), Some(&"1.25"));
        assert_eq!(v.last(), Some(&"1.37"));
        assert_eq!(v.len(), 13);
        for version in e.versions() {
            let s = e.version(Some(version)).unwrap();
            for (av, kind) in [
                ("v1", "Pod"),
                ("v1", "Service"),
                ("v1", "ConfigMap"),
                ("apps/v1", "Deployment"),
                ("rbac.authorization.k8s.io/v1", "Role"),
                ("apiextensions.k8s.io/v1", "CustomResourceDefinition"),
            ] {
                assert!(s.lookup(av, kind).is_some(), "{version} {av} {kind}");
            }
        }
        let s = e.version(Some("1.25")).unwrap();
        assert!(s.lookup("policy/v1beta1", "PodSecurityPolicy").is_none());
        assert!(s.lookup("apps/v1", "Nope").is_none());
    }

    #[test]
    fn version_selection() {
        let e = embedded().unwrap();
        assert_eq!(e.version(None).unwrap().version, "1.37");
        for given in ["1.30", "v1.30", "1.30.4", "v1.30.0-rc.1", " 1.30 "] {
            assert_eq!(e.version(Some(given)).unwrap().version, "1.30", "{given}");
        }
        for given in ["1.24", "1.38", "2.0"] {
            assert!(
                matches!(
                    e.version(Some(given)),
                    Err(ValidateError::UnsupportedKubeVersion { .. })
                ),
                "{given}"
            );
        }
        for given in ["", "latest", "1", "1.x", "1.30.1.2"] {
            assert!(
                matches!(
                    e.version(Some(given)),
                    Err(ValidateError::InvalidKubeVersion { .. })
                ),
                "{given}"
            );
        }
    }

    #[test]
    fn closure_and_layouts() {
        let s = embedded().unwrap().version(None).unwrap();
        let dep = s.lookup("apps/v1", "Deployment").unwrap();
        let closure = s.closure(&[dep]);
        let names: Vec<&str> = closure.iter().map(|&n| s.name(n)).collect();
        assert!(names.contains(&"io.k8s.api.core.v1.Container"));
        assert!(names.contains(&"io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta"));
        assert!(!names.contains(&"io.k8s.api.core.v1.Service"));

        let strict = s.defs_document(&[dep], true).unwrap().to_string();
        let loose = s.defs_document(&[dep], false).unwrap().to_string();
        assert!(strict.contains("\"additionalProperties\":false"));
        assert!(!loose.contains("\"additionalProperties\":false"));

        let root = s.kind_schema(dep, true).unwrap();
        assert_eq!(root["type"], "object");
        assert_eq!(root["additionalProperties"], false);
        assert_eq!(
            root["properties"]["kind"]["type"],
            serde_json::json!(["string", "null"])
        );
        assert!(
            root["properties"]["spec"]["$ref"]
                .as_str()
                .unwrap()
                .starts_with("https://chartroom.invalid/kubernetes/v1.37/")
        );
    }

    #[test]
    fn int_or_string_accepts_null_in_the_blob() {
        let s = embedded().unwrap().version(None).unwrap();
        let doc = s
            .defs_document(&[s.lookup("apps/v1", "Deployment").unwrap()], true)
            .unwrap();
        assert_eq!(
            doc["$defs"]["io.k8s.apimachinery.pkg.util.intstr.IntOrString"],
            serde_json::json!({"type": ["string", "integer", "null"]})
        );
    }

    #[test]
    fn damaged_blobs_are_errors() {
        assert!(load(b"not gzip").is_err());
        let mut gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::fast());
        std::io::Write::write_all(&mut gz, b"{\"format\":2}\n").unwrap();
        assert!(load(&gz.finish().unwrap()).is_err());
    }
}
