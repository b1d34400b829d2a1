//! Builds one `jsonschema` validator per (apiVersion, kind) per run, from the first source that
//! has a schema: a CRD in the input, then the `--schema-location` folders in order, then the
//! embedded Kubernetes schemas. Every validator is built offline (a reference that is not in
//! the registry or the schema folder fails the build) with its draft forced explicitly, format
//! checks off (Kubernetes formats like `int-or-string` are not JSON Schema formats) and the
//! linear-time regex engine (patterns in CRDs are untrusted input).

use std::collections::HashMap;
use std::sync::Arc;

use jsonschema::{Draft, PatternOptions, Registry, Validator};

use super::ValidateError;
use super::crd::CrdSchema;
use super::embedded::{VersionSchemas, defs_uri};
use super::parallel::par_map;
use super::schema_dir::SchemaDir;
use crate::Value;

/// (apiVersion, kind).
pub(crate) type KindKey = (String, String);

/// Where a kind's schema comes from.
enum Source<'a> {
    Crd(&'a CrdSchema),
    Dir(super::schema_dir::DirSchema),
    DirBroken(String),
    Embedded(usize),
    Missing,
}

/// A built validator and the schema it came from (for "did you mean" hints).
pub(crate) struct Ready {
    pub validator: Validator,
    /// The kind's root schema.
    pub root: Value,
    /// The `{"$defs": ...}` document its `$ref`s point into, if any.
    pub defs: Option<Arc<Value>>,
}

/// A kind's validator, or why there is none.
pub(crate) enum Compiled {
    Ready(Box<Ready>),
    /// No schema anywhere.
    Missing,
    /// A schema exists but cannot be used; the reason names its source.
    Broken(String),
}

fn base_options<'i>(draft: Draft) -> jsonschema::ValidationOptions<'i> {
    jsonschema::options()
        .with_draft(draft)
        .offline()
        .should_validate_formats(false)
        .with_pattern_options(PatternOptions::regex())
}

fn first_line(s: &str) -> String {
    s.lines().next().unwrap_or("").to_string()
}

/// Builds validators for `keys` (in parallel when there are several).
pub(crate) fn compile_all(
    keys: &[KindKey],
    crds: &HashMap<KindKey, CrdSchema>,
    dirs: &[SchemaDir],
    schemas: &VersionSchemas,
    strict: bool,
) -> Result<HashMap<KindKey, Compiled>, ValidateError> {
    // Decide sources (sequential: cheap lookups and small file reads).
    let sources: Vec<Source<'_>> = keys
        .iter()
        .map(|key| {
            if let Some(c) = crds.get(key) {
                return Source::Crd(c);
            }
            for dir in dirs {
                match dir.find(&key.0, &key.1) {
                    Some(Ok(found)) => return Source::Dir(found),
                    Some(Err(reason)) => return Source::DirBroken(reason),
                    None => {}
                }
            }
            match schemas.lookup(&key.0, &key.1) {
                Some(n) => Source::Embedded(n),
                None => Source::Missing,
            }
        })
        .collect();

    // One registry with every embedded definition the run needs.
    let roots: Vec<usize> = sources
        .iter()
        .filter_map(|s| match s {
            Source::Embedded(n) => Some(*n),
            _ => None,
        })
        .collect();
    let mut defs_doc: Option<Arc<Value>> = None;
    let registry = if roots.is_empty() {
        None
    } else {
        let defs = Arc::new(schemas.defs_document(&roots, strict)?);
        defs_doc = Some(Arc::clone(&defs));
        let registry = Registry::new()
            .draft(Draft::Draft202012)
            .add(defs_uri(&schemas.version), defs)
            .and_then(|b| b.prepare())
            .map_err(|e| ValidateError::EmbeddedSchemas(first_line(&e.to_string())))?;
        Some(registry)
    };
    let mut roots_schemas: HashMap<usize, Value> = HashMap::new();
    for n in &roots {
        if !roots_schemas.contains_key(n) {
            roots_schemas.insert(*n, schemas.kind_schema(*n, strict)?);
        }
    }

    let indexed: Vec<(usize, &Source<'_>)> = sources.iter().enumerate().collect();
    let built = par_map(&indexed, 4, |(i, source)| {
        let key = &keys[*i];
        match source {
            Source::Missing => Compiled::Missing,
            Source::DirBroken(reason) => Compiled::Broken(reason.clone()),
            Source::Crd(c) => match base_options(Draft::Draft4).build(&c.schema) {
                Ok(v) => Compiled::Ready(Box::new(Ready {
                    validator: v,
                    root: c.schema.clone(),
                    defs: None,
                })),
                Err(e) => Compiled::Broken(format!(
                    "the openAPIV3Schema of the CustomResourceDefinition for {} {} is not a usable schema: {}",
                    key.0,
                    key.1,
                    first_line(&e.masked().to_string())
                )),
            },
            Source::Dir(found) => {
                let retriever = found.retriever.clone();
                match base_options(found.draft)
                    .with_base_uri(found.base_uri.clone())
                    .with_retriever(retriever)
                    .build(&found.schema)
                {
                    Ok(v) => Compiled::Ready(Box::new(Ready {
                        validator: v,
                        root: found.schema.clone(),
                        defs: None,
                    })),
                    Err(e) => Compiled::Broken(format!(
                        "schema file {} is not usable: {}",
                        found.path.display(),
                        first_line(&e.masked().to_string())
                    )),
                }
            }
            Source::Embedded(n) => {
                let Some(registry) = registry.as_ref() else {
                    return Compiled::Broken("internal: no registry".to_string());
                };
                match base_options(Draft::Draft202012)
                    .with_registry(registry)
                    .build(&roots_schemas[n])
                {
                    Ok(v) => Compiled::Ready(Box::new(Ready {
                        validator: v,
                        root: roots_schemas[n].clone(),
                        defs: defs_doc.clone(),
                    })),
                    Err(e) => Compiled::Broken(format!(
                        "embedded schema for {} {} failed to build: {}",
                        key.0,
                        key.1,
                        first_line(&e.to_string())
                    )),
                }
            }
        }
    });
    Ok(keys.iter().cloned().zip(built).collect())
}

impl Ready {
    /// The schema that applies at `path` inside an instance (following `properties`, `items`,
    /// `additionalProperties` and `$ref`s into the definitions); `None` where it can't tell.
    pub(crate) fn schema_at(&self, path: &[super::locate::Segment]) -> Option<&Value> {
        use super::locate::Segment;
        let mut cur = self.resolve(&self.root)?;
        for seg in path {
            let next = match seg {
                Segment::Key(k) => cur
                    .get("properties")
                    .and_then(|p| p.get(k))
                    .or_else(|| cur.get("additionalProperties").filter(|v| v.is_object())),
                Segment::Index(_) => cur.get("items"),
            }?;
            cur = self.resolve(next)?;
        }
        Some(cur)
    }

    fn resolve<'a>(&'a self, mut v: &'a Value) -> Option<&'a Value> {
        for _ in 0..32 {
            let Some(r) = v.get("$ref").and_then(Value::as_str) else {
                return Some(v);
            };
            let name = r.split_once("#/$defs/")?.1;
            v = self.defs.as_ref()?.get("$defs")?.get(name)?;
        }
        None
    }

    /// The closest known field name to an unknown `field` of the object at `parent`.
    pub(crate) fn suggest(&self, parent: &[super::locate::Segment], field: &str) -> Option<String> {
        let props = self.schema_at(parent)?.get("properties")?.as_object()?;
        let lower = field.to_lowercase();
        let mut best: Option<(usize, &String)> = None;
        for name in props.keys() {
            let d = if name.to_lowercase() == lower {
                0
            } else {
                edit_distance(&lower, &name.to_lowercase())
            };
            if best.is_none_or(|(bd, _)| d < bd) {
                best = Some((d, name));
            }
        }
        let (d, name) = best?;
        let limit = (field.chars().count() / 3).max(1);
        (d <= limit).then(|| name.clone())
    }
}

/// Levenshtein distance over chars (inputs are field names: short).
fn edit_distance(a: &str, b: &str) -> usize {
    let a: Vec<char> = a.chars().take(256).collect();
    let b: Vec<char> = b.chars().take(256).collect();
    let mut prev: Vec<usize> = (0..=b.len()).collect();
    let mut cur = vec![0; b.len() + 1];
    for (i, ca) in a.iter().enumerate() {
        cur[0] = i + 1;
        for (j, cb) in b.iter().enumerate() {
            let cost = usize::from(ca != cb);
            cur[j + 1] = (prev[j] + cost).min(prev[j + 1] + 1).min(cur[j] + 1);
        }
        std::mem::swap(&mut prev, &mut cur);
    }
    prev[b.len()]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn distances() {
        assert_eq!(edit_distance("targetport", "targetport"), 0);
        assert_eq!(edit_distance("lables", "labels"), 2);
        assert_eq!(edit_distance("", "abc"), 3);
        assert_eq!(edit_distance("imagepullpolicyy", "imagepullpolicy"), 1);
    }
}
