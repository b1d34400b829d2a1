//! Output writers: the `helm template` stream (`---`, `# Source:`, CRDs first with
//! `--include-crds`, manifests, then hooks), `--show-only` filtering, and `--output-dir`.
//! Writers build bytes in memory; files are written whole through a temporary file and a rename.

use super::document::Document;
use super::split::split_documents;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

/// A CRD file to print whole (`crds/` files are never templated or split).
#[derive(Debug, Clone)]
pub struct CrdFile {
    /// `<chart full path>/crds/<file>`.
    pub source: String,
    pub content: String,
}

/// What goes into the `template` output.
pub struct TemplateStream<'a> {
    pub crds: &'a [CrdFile],
    pub manifests: &'a [Document],
    pub hooks: &'a [Document],
    pub skip_tests: bool,
    pub no_hooks: bool,
}

impl TemplateStream<'_> {
    fn visible_hooks(&self) -> impl Iterator<Item = &Document> {
        self.hooks
            .iter()
            .filter(move |h| !(self.no_hooks || self.skip_tests && h.is_test_hook()))
    }

    /// The exact bytes `helm template` prints to stdout.
    pub fn to_helm_text(&self) -> String {
        let mut body = String::new();
        for crd in self.crds {
            push_doc(&mut body, &crd.source, &crd.content);
        }
        for m in self.manifests {
            push_doc(&mut body, &m.source, &m.text);
        }
        let mut out = String::with_capacity(body.len() + 64);
        out.push_str(body.trim());
        out.push('\n');
        for h in self.visible_hooks() {
            push_doc(&mut out, &h.source, &h.text);
        }
        out
    }

    /// The files `--output-dir` writes: relative path → content, in write order.
    pub fn to_files(&self) -> Vec<(String, String)> {
        let mut files: Vec<(String, String)> = Vec::new();
        let mut index: BTreeMap<String, usize> = BTreeMap::new();
        let docs = self
            .crds
            .iter()
            .map(|c| (c.source.as_str(), c.content.as_str()))
            .chain(
                self.manifests
                    .iter()
                    .map(|m| (m.source.as_str(), m.text.as_str())),
            )
            .chain(
                self.visible_hooks()
                    .map(|h| (h.source.as_str(), h.text.as_str())),
            );
        for (source, text) in docs {
            let mut chunk = String::new();
            push_doc(&mut chunk, source, text);
            match index.get(source) {
                Some(&i) => files[i].1.push_str(&chunk),
                None => {
                    index.insert(source.to_string(), files.len());
                    files.push((source.to_string(), chunk));
                }
            }
        }
        files
    }
}

fn push_doc(out: &mut String, source: &str, text: &str) {
    out.push_str("---\n# Source: ");
    out.push_str(source);
    out.push('\n');
    out.push_str(text);
    out.push('\n');
}

/// `--show-only`: keeps the documents whose `# Source: <chart>/<path>` matches a glob (Go's
/// `filepath.Match`: `*` stays within a path segment), glob by glob, as Helm does.
pub fn show_only(output: &str, globs: &[String]) -> Result<String, String> {
    let pieces = split_documents(output);
    let mut out = String::new();
    for glob in globs {
        let pattern = glob.replace('\\', "/");
        let matcher = globset::GlobBuilder::new(&pattern)
            .literal_separator(true)
            .backslash_escape(true)
            .build()
            .map_err(|e| format!("invalid --show-only pattern {glob:?}: {e}"))?
            .compile_matcher();
        let mut found = false;
        for piece in &pieces {
            let Some(path) = source_path(&piece.text) else {
                continue;
            };
            if matcher.is_match(path) {
                out.push_str("---\n");
                out.push_str(&piece.text);
                out.push('\n');
                found = true;
            }
        }
        if !found {
            return Err(format!(
                "could not find template {glob} in chart (use a path relative to the chart, e.g. templates/service.yaml)"
            ));
        }
    }
    Ok(out)
}

/// The path after the chart name in a `# Source: chart/path` line.
fn source_path(doc: &str) -> Option<&str> {
    let start = doc.find("# Source: ")? + "# Source: ".len();
    let line = doc[start..].lines().next()?;
    let slash = line.find('/')?;
    if slash == 0 {
        return None;
    }
    Some(&line[slash + 1..])
}

/// Writes `files` under `dir` (each through a temporary file and a rename) and returns the paths
/// written, in order. Paths come from template names, which the loaders keep inside the chart.
pub fn write_files(dir: &Path, files: &[(String, String)]) -> std::io::Result<Vec<PathBuf>> {
    let mut written = Vec::new();
    for (name, content) in files {
        let path = dir.join(name);
        let parent = path.parent().unwrap_or(dir);
        std::fs::create_dir_all(parent)?;
        let mut tmp = tempfile::NamedTempFile::new_in(parent)?;
        std::io::Write::write_all(&mut tmp, content.as_bytes())?;
        tmp.persist(&path).map_err(|e| e.error)?;
        written.push(path);
    }
    Ok(written)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn doc(source: &str, text: &str) -> Document {
        Document::parse(source, text.to_string(), 1, 0).unwrap()
    }

    fn hook(source: &str, text: &str) -> Document {
        match doc(source, text).classify() {
            super::super::document::Classified::Hook(d) => d,
            _ => panic!("not a hook"),
        }
    }

    #[test]
    fn helm_template_layout() {
        let manifests = vec![
            doc(
                "c/templates/a.yaml",
                "kind: ServiceAccount\nmetadata:\n  name: a\n",
            ),
            doc(
                "c/templates/b.yaml",
                "kind: Service\nmetadata:\n  name: b\n",
            ),
        ];
        let hooks = vec![hook(
            "c/templates/t.yaml",
            "kind: Pod\nmetadata:\n  name: t\n  annotations:\n    helm.sh/hook: test\n",
        )];
        let stream = TemplateStream {
            crds: &[],
            manifests: &manifests,
            hooks: &hooks,
            skip_tests: false,
            no_hooks: false,
        };
        let text = stream.to_helm_text();
        assert_eq!(
            text,
            "---\n# Source: c/templates/a.yaml\nkind: ServiceAccount\nmetadata:\n  name: a\n\n---\n# Source: c/templates/b.yaml\nkind: Service\nmetadata:\n  name: b\n---\n# Source: c/templates/t.yaml\nkind: Pod\nmetadata:\n  name: t\n  annotations:\n    helm.sh/hook: test\n\n"
        );
        let skipped = TemplateStream {
            skip_tests: true,
            ..stream
        };
        assert!(!skipped.to_helm_text().contains("t.yaml"));
    }

    #[test]
    fn show_only_filters_by_glob() {
        let out = "---\n# Source: c/templates/a.yaml\nkind: A\n\n---\n# Source: c/charts/s/templates/b.yaml\nkind: B\n";
        assert_eq!(
            show_only(out, &["templates/a.yaml".into()]).unwrap(),
            "---\n# Source: c/templates/a.yaml\nkind: A\n\n\n"
        );
        assert!(
            show_only(out, &["charts/s/templates/*".into()])
                .unwrap()
                .contains("kind: B")
        );
        assert!(
            show_only(out, &["templates/*".into()])
                .unwrap()
                .contains("kind: A")
        );
        assert!(
            !show_only(out, &["templates/*".into()])
                .unwrap()
                .contains("kind: B")
        );
        let err = show_only(out, &["templates/zzz.yaml".into()]).unwrap_err();
        assert!(err.contains("could not find template templates/zzz.yaml"));
    }

    #[test]
    fn output_dir_groups_documents_per_file() {
        let manifests = vec![
            doc("c/templates/a.yaml", "kind: A\n"),
            doc("c/templates/b.yaml", "kind: B\n"),
            doc("c/templates/a.yaml", "kind: C\n"),
        ];
        let stream = TemplateStream {
            crds: &[],
            manifests: &manifests,
            hooks: &[],
            skip_tests: false,
            no_hooks: false,
        };
        let files = stream.to_files();
        assert_eq!(files.len(), 2);
        assert_eq!(
            files[0].1,
            "---\n# Source: c/templates/a.yaml\nkind: A\n\n---\n# Source: c/templates/a.yaml\nkind: C\n\n"
        );
        let dir = tempfile::tempdir().unwrap();
        let written = write_files(dir.path(), &files).unwrap();
        assert_eq!(std::fs::read_to_string(&written[1]).unwrap(), files[1].1);
    }
}
