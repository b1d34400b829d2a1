//! From rendered files to sorted documents, as Helm's `SortManifests`: files in byte order of
//! their full names, partials and whitespace-only output skipped, each file split into documents,
//! each document parsed and classified as manifest or hook, both lists stably sorted by kind.
//! Parsing is the costly step: only the head of each document is read (its value is left
//! unbuilt), and large renders parse on all cores (order is kept).

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

/// Below this much rendered text one thread parses it all: a thread start (~0.5 ms on a small
/// VM) costs more than reading an ordinary chart's documents.
const PARALLEL_MIN_BYTES: usize = 256 * 1024;

pub fn documents(files: &BTreeMap<String, String>) -> Result<Sorted, DocumentError> {
    let mut pieces = Vec::new();
    for (name, content) in files {
        let base = name.rsplit('/').next().unwrap_or(name);
        if base.starts_with('_') || content.trim().is_empty() {
            continue;
        }
        for (index, piece) in split_documents(content).into_iter().enumerate() {
            pieces.push((name.as_str(), index, piece));
        }
    }
    let parse = |chunk: Vec<(&str, usize, crate::manifest::split::Piece)>| {
        chunk
            .into_iter()
            .map(|(name, index, piece)| Document::parse_head(name, piece.text, piece.line, index))
            .collect::<Vec<_>>()
    };
    // Cores are counted only for big outputs: asking reads the process's cgroup limits (a
    // dozen system calls).
    let big = pieces.iter().map(|p| p.2.text.len()).sum::<usize>() >= PARALLEL_MIN_BYTES;
    let threads = if big {
        std::thread::available_parallelism().map_or(1, |n| n.get())
    } else {
        1
    };
    let parsed: Vec<Result<Document, DocumentError>> = if threads < 2 {
        parse(pieces)
    } else {
        let per = pieces.len().div_ceil(threads);
        let mut chunks = Vec::new();
        let mut rest = pieces;
        while rest.len() > per {
            let tail = rest.split_off(per);
            chunks.push(rest);
            rest = tail;
        }
        // The last chunk is parsed on this thread: one thread fewer to start.
        std::thread::scope(|s| {
            let handles: Vec<_> = chunks
                .into_iter()
                .map(|chunk| s.spawn(move || parse(chunk)))
                .collect();
            let last = parse(rest);
            handles
                .into_iter()
                .flat_map(|h| h.join().unwrap_or_else(|e| std::panic::resume_unwind(e)))
                .chain(last)
                .collect()
        })
    };

    let mut sorted = Sorted::default();
    for doc in parsed {
        match doc?.classify() {
            Classified::Manifest(d) => sorted.manifests.push(d),
            Classified::Hook(d) => sorted.hooks.push(d),
            Classified::UnknownHook(d, events) => sorted.warnings.push(format!(
                "{}: document {} dropped: unknown hook event(s) in helm.sh/hook: {events:?}",
                d.source,
                d.index + 1
            )),
        }
    }
    sort_by_kind(&mut sorted.manifests, |d| &d.kind);
    sort_by_kind(&mut sorted.hooks, |d| &d.kind);
    Ok(sorted)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// `count` ConfigMaps of ~`pad` bytes each, one file per document (names sort in order).
    fn files(count: usize, pad: usize) -> BTreeMap<String, String> {
        (0..count)
            .map(|i| {
                (
                    format!("app/templates/cm{i:04}.yaml"),
                    format!(
                        "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: cm{i:04}\ndata:\n  pad: {}\n",
                        "x".repeat(pad)
                    ),
                )
            })
            .collect()
    }

    #[test]
    fn large_renders_parse_on_several_threads_in_order() {
        let big = files(300, 2000);
        let total: usize = big.values().map(String::len).sum();
        assert!(total >= PARALLEL_MIN_BYTES);
        let sorted = documents(&big).unwrap();
        let names: Vec<&str> = sorted.manifests.iter().map(|d| d.name.as_str()).collect();
        let expected: Vec<String> = (0..300).map(|i| format!("cm{i:04}")).collect();
        assert_eq!(names, expected);
    }

    #[test]
    fn the_first_invalid_document_is_reported_in_either_mode() {
        for count in [10, 300] {
            let mut f = files(count, 2000);
            for i in [count - 2, count - 1] {
                f.insert(
                    format!("app/templates/cm{i:04}.yaml"),
                    "kind: [unclosed\n".into(),
                );
            }
            let err = documents(&f).unwrap_err().to_string();
            assert!(
                err.contains(&format!("cm{:04}.yaml", count - 2)),
                "{count} documents: {err}"
            );
        }
    }
}
