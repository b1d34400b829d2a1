//! A rendered document: its text as rendered, the template that produced it and where, and the
//! head fields Helm reads (apiVersion, kind, metadata.name/namespace/annotations), plus the hook
//! classification (`helm.sh/hook` annotations).

use crate::Value;
use crate::yaml::{self, NumberModel};

/// Helm hook events (`helm.sh/hook`), lower-cased; `test-success` is the legacy name of `test`.
pub const HOOK_EVENTS: &[&str] = &[
    "pre-install",
    "post-install",
    "pre-delete",
    "post-delete",
    "pre-upgrade",
    "post-upgrade",
    "pre-rollback",
    "post-rollback",
    "test",
];

/// One YAML document of the rendered output.
#[derive(Debug, Clone, PartialEq)]
pub struct Document {
    /// Template name as in `# Source:` (`mychart/templates/deployment.yaml`).
    pub source: String,
    /// The document text as rendered (leading whitespace trimmed, trailing kept).
    pub text: String,
    /// 1-based line in the rendered file where the document starts.
    pub line: usize,
    /// Position of the document within its file (0-based).
    pub index: usize,
    /// The parsed document (null for a comment-only document, and when read with
    /// [`Document::parse_head`]).
    pub value: Value,
    /// `metadata.annotations` (string values).
    pub annotations: indexmap::IndexMap<String, String>,
    pub api_version: String,
    pub kind: String,
    pub name: String,
    pub namespace: String,
    /// Hook events when the document is a Helm hook (`pre-install`, `test`, ...).
    pub hook_events: Vec<String>,
    /// `helm.sh/hook-weight` (0 when absent or not a number).
    pub hook_weight: i64,
}

/// Why a rendered document could not be read.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error(
    "YAML parse error in the output of {template} (line {line} of the rendered file): {message}"
)]
pub struct DocumentError {
    pub template: String,
    pub line: usize,
    pub message: String,
}

impl DocumentError {
    /// A YAML error in a document that starts at `line` of the rendered `template`.
    fn at(template: &str, line: usize, e: yaml::YamlError) -> DocumentError {
        DocumentError {
            template: template.to_string(),
            line: line + e.line.unwrap_or(1) - 1,
            message: e.message,
        }
    }
}

/// What a document turned out to be.
pub enum Classified {
    Manifest(Document),
    Hook(Document),
    /// A hook annotation naming an unknown event: Helm drops such documents (logged).
    UnknownHook(Document, String),
}

impl Document {
    /// Parses a document's text and reads its head fields.
    pub fn parse(
        source: &str,
        text: String,
        line: usize,
        index: usize,
    ) -> Result<Document, DocumentError> {
        let value = yaml::parse_stream(&text, NumberModel::Exact)
            .map_err(|e| DocumentError::at(source, line, e))?
            .into_iter()
            .next()
            .unwrap_or(Value::Null);
        let head = yaml::head_of(&value);
        Ok(Document::from_head(source, text, line, index, head, value))
    }

    /// Like [`Document::parse`] for callers that need only the head (sorting and printing a
    /// render): the same errors, but `value` is left `Null` and never built, which saves a
    /// good part of the cost. Readers of the object (validation, lint) parse `text` themselves.
    pub fn parse_head(
        source: &str,
        text: String,
        line: usize,
        index: usize,
    ) -> Result<Document, DocumentError> {
        let head = yaml::head_of_text(&text).map_err(|e| DocumentError::at(source, line, e))?;
        Ok(Document::from_head(
            source,
            text,
            line,
            index,
            head,
            Value::Null,
        ))
    }

    fn from_head(
        source: &str,
        text: String,
        line: usize,
        index: usize,
        head: yaml::Head,
        value: Value,
    ) -> Document {
        let meta = head.metadata.unwrap_or_default();
        Document {
            api_version: head.api_version.unwrap_or_default(),
            kind: head.kind.unwrap_or_default(),
            name: meta.name.unwrap_or_default(),
            namespace: meta.namespace.unwrap_or_default(),
            annotations: meta.annotations.unwrap_or_default(),
            value,
            source: source.to_string(),
            text,
            line,
            index,
            hook_events: Vec::new(),
            hook_weight: 0,
        }
    }

    /// An annotation value.
    pub fn annotation(&self, key: &str) -> Option<&str> {
        self.annotations.get(key).map(String::as_str)
    }

    /// Splits documents into manifests and hooks as Helm's `SortManifests` does.
    pub fn classify(mut self) -> Classified {
        let Some(hooks) = self.annotation("helm.sh/hook").map(str::to_string) else {
            return Classified::Manifest(self);
        };
        let mut events = Vec::new();
        for event in hooks.split(',') {
            let mut event = event.trim().to_ascii_lowercase();
            if event == "test-success" {
                event = "test".into();
            }
            if !HOOK_EVENTS.contains(&event.as_str()) {
                return Classified::UnknownHook(self, hooks);
            }
            events.push(event);
        }
        self.hook_weight = self
            .annotation("helm.sh/hook-weight")
            .and_then(|w| w.trim().parse().ok())
            .unwrap_or(0);
        self.hook_events = events;
        Classified::Hook(self)
    }

    pub fn is_test_hook(&self) -> bool {
        self.hook_events.iter().any(|e| e == "test")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn doc(text: &str) -> Document {
        Document::parse("c/templates/x.yaml", text.to_string(), 1, 0).unwrap()
    }

    #[test]
    fn head_fields() {
        let d = doc("apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: a\n  namespace: ns\n");
        assert_eq!(
            (
                d.api_version.as_str(),
                d.kind.as_str(),
                d.name.as_str(),
                d.namespace.as_str()
            ),
            ("v1", "ConfigMap", "a", "ns")
        );
    }

    #[test]
    fn hooks_are_classified() {
        let text = "kind: Pod\nmetadata:\n  name: t\n  annotations:\n    helm.sh/hook: \" Test-Success \"\n    helm.sh/hook-weight: \"-5\"\n";
        match doc(text).classify() {
            Classified::Hook(d) => {
                assert_eq!(d.hook_events, vec!["test"]);
                assert_eq!(d.hook_weight, -5);
                assert!(d.is_test_hook());
            }
            _ => panic!("expected a hook"),
        }
        let unknown = "kind: Pod\nmetadata:\n  annotations:\n    helm.sh/hook: pre-install,bogus\n";
        assert!(matches!(
            doc(unknown).classify(),
            Classified::UnknownHook(..)
        ));
        assert!(matches!(
            doc("kind: Pod\nmetadata:\n  name: x\n").classify(),
            Classified::Manifest(_)
        ));
    }

    #[test]
    fn parse_head_reads_the_head_and_reports_like_parse() {
        let text = "apiVersion: v1\nkind: Pod\nmetadata:\n  name: a\n  annotations:\n    helm.sh/hook: test\n";
        let full = doc(text);
        let head = Document::parse_head("c/templates/x.yaml", text.to_string(), 1, 0).unwrap();
        assert_eq!(head.value, Value::Null);
        assert_eq!(
            Document {
                value: full.value.clone(),
                ..head
            },
            full
        );
        let bad = "a: 1\nb: [\n";
        assert_eq!(
            Document::parse_head("c/templates/x.yaml", bad.into(), 10, 0).unwrap_err(),
            Document::parse("c/templates/x.yaml", bad.into(), 10, 0).unwrap_err()
        );
    }

    #[test]
    fn parse_errors_point_into_the_file() {
        let err = Document::parse("c/templates/x.yaml", "a: 1\nb: [\n".into(), 10, 0).unwrap_err();
        assert!(err.line >= 10, "{err:?}");
        assert!(err.to_string().contains("c/templates/x.yaml"));
    }
}
