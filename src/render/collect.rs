//! From rendered files to sorted documents, as Helm's `SortManifests`: files in byte order of
//! their full names, partials and whitespace-only output skipped, each file split into documents,
//! each document parsed and classified as manifest or hook, both lists stably sorted by kind.

use crate::manifest::order::sort_by_kind;
use crate::manifest::split::split_documents;
use crate::manifest::{Classified, Document, DocumentError};
use std::collections::BTreeMap;

/// Rendered documents split into manifests and hooks, plus warnings about dropped documents.
#[derive(Debug, Default)]
pub struct Sorted {
    pub manifests: Vec<Document>,
    pub hooks: Vec<Document>,
    pub warnings: Vec<String>,
}

pub fn documents(files: &BTreeMap<String, String>) -> Result<Sorted, DocumentError> {
    let mut manifests = Vec::new();
    let mut hooks = Vec::new();
    let mut warnings = Vec::new();
    for (name, content) in files {
        let base = name.rsplit('/').next().unwrap_or(name);
        if base.starts_with('_') || content.trim().is_empty() {
            continue;
        }
        for (index, piece) in split_documents(content).into_iter().enumerate() {
            let doc = Document::parse(name, piece.text, piece.line, index)?;
            match doc.classify() {
                Classified::Manifest(d) => manifests.push(d),
                Classified::Hook(d) => hooks.push(d),
                Classified::UnknownHook(d, events) => warnings.push(format!(
                    "{}: document {} dropped: unknown hook event(s) in helm.sh/hook: {events:?}",
                    d.source,
                    d.index + 1
                )),
            }
        }
    }
    sort_by_kind(&mut manifests, |d| &d.kind);
    sort_by_kind(&mut hooks, |d| &d.kind);
    Ok(Sorted {
        manifests,
        hooks,
        warnings,
    })
}
