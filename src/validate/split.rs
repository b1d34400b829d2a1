//! Splits a multi-document YAML text at its `---` / `...` markers so that each document can be
//! parsed on its own (in parallel, with its own line numbers, and so that one broken document
//! does not hide the others). It does not parse YAML.
//!
//! A marker is `---` or `...` at column 0 followed by whitespace or the end of the line: YAML
//! forbids such a line inside any scalar, so splitting there is exact. Directive lines (`%YAML`)
//! stay with the document that follows them.

/// One document's text and where it starts.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct Chunk<'a> {
    /// The document's text, including its `---` line if it has one.
    pub text: &'a str,
    /// 0-based line offset of `text` within the whole input.
    pub first_line: usize,
    /// 0-based line offset of the first line with content (not blank, not a comment, not a bare
    /// marker); `None` for an empty document.
    pub content_line: Option<usize>,
}

fn is_marker(line: &str, marker: &str) -> bool {
    line.strip_prefix(marker)
        .is_some_and(|rest| rest.is_empty() || rest.starts_with([' ', '\t', '\r']))
}

fn has_content(line: &str) -> bool {
    let t = line.trim();
    !(t.is_empty() || t.starts_with('#') || t == "---" || t == "...")
}

/// Splits `text` into documents. Empty documents are kept (with `content_line: None`) so callers
/// can skip them; the chunks cover the whole text in order.
pub(crate) fn split_documents(text: &str) -> Vec<Chunk<'_>> {
    let mut chunks = Vec::new();
    let mut start = 0usize; // byte offset of the current chunk
    let mut start_line = 0usize;
    let mut content_line: Option<usize> = None;
    let mut pending_directives: Option<(usize, usize)> = None; // (byte, line) of a directive run
    let mut offset = 0usize;
    let mut after_end_marker = false;
    for (line_no, line) in text.split_inclusive('\n').enumerate() {
        let bare = line.trim_end_matches(['\n', '\r']);
        if is_marker(bare, "---") {
            let (cut, cut_line) = pending_directives.take().unwrap_or((offset, line_no));
            if cut > start || content_line.is_some() {
                chunks.push(Chunk {
                    text: &text[start..cut],
                    first_line: start_line,
                    content_line,
                });
            }
            start = cut;
            start_line = cut_line;
            content_line = has_content(&bare[3..]).then_some(line_no);
            after_end_marker = false;
        } else if is_marker(bare, "...") {
            let end = offset + line.len();
            chunks.push(Chunk {
                text: &text[start..end],
                first_line: start_line,
                content_line,
            });
            start = end;
            start_line = line_no + 1;
            content_line = None;
            pending_directives = None;
            after_end_marker = true;
        } else if bare.starts_with('%') && (content_line.is_none() || after_end_marker) {
            if pending_directives.is_none() {
                pending_directives = Some((offset, line_no));
            }
        } else if has_content(bare) {
            if content_line.is_none() {
                content_line = Some(line_no);
            }
            pending_directives = None;
            after_end_marker = false;
        }
        offset += line.len();
    }
    if start < text.len() || chunks.is_empty() {
        chunks.push(Chunk {
            text: &text[start..],
            first_line: start_line,
            content_line,
        });
    }
    chunks
}

/// The `apiVersion` and `kind` a block-style document declares at column 0, read from the text
/// without parsing it, so validators can be built while documents are still being parsed.
/// Only a hint: the parsed document decides.
pub(crate) fn type_meta_hint(text: &str) -> Option<(String, String)> {
    fn value(line: &str, key: &str) -> Option<String> {
        let rest = line.strip_prefix(key)?.strip_prefix(':')?;
        let v = rest.split(" #").next()?.trim().trim_matches(['"', '\'']);
        (!v.is_empty()
            && v.chars()
                .all(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '/' | '-' | '_')))
        .then(|| v.to_string())
    }
    let (mut api_version, mut kind) = (None, None);
    for line in text.lines() {
        let line = line.strip_suffix('\r').unwrap_or(line);
        if api_version.is_none() {
            api_version = value(line, "apiVersion");
        }
        if kind.is_none() {
            kind = value(line, "kind");
        }
        if api_version.is_some() && kind.is_some() {
            break;
        }
    }
    Some((api_version?, kind?))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn summary(text: &str) -> Vec<(String, usize, Option<usize>)> {
        split_documents(text)
            .into_iter()
            .map(|c| (c.text.to_string(), c.first_line, c.content_line))
            .collect()
    }

    #[test]
    fn splits_at_markers_with_lines() {
        let text = "a: 1\n---\nb: 2\n--- # comment\n\nc: 3\n";
        assert_eq!(
            summary(text),
            vec![
                ("a: 1\n".to_string(), 0, Some(0)),
                ("---\nb: 2\n".to_string(), 1, Some(2)),
                ("--- # comment\n\nc: 3\n".to_string(), 3, Some(5)),
            ]
        );
    }

    #[test]
    fn leading_marker_and_empty_documents() {
        let text = "---\n# only a comment\n---\n---\nx: 1\n";
        let s = summary(text);
        assert_eq!(s.len(), 3);
        assert_eq!(s[0].2, None);
        assert_eq!(s[1].2, None);
        assert_eq!(s[2], ("---\nx: 1\n".to_string(), 3, Some(4)));
    }

    #[test]
    fn marker_needs_column_zero_and_a_break() {
        let text = "a: |\n  ---\n  text\nb: ---x\n----\n";
        assert_eq!(split_documents(text).len(), 1);
    }

    #[test]
    fn content_on_the_marker_line() {
        let s = summary("--- {a: 1}\n--- !!str x\n");
        assert_eq!(s[0].2, Some(0));
        assert_eq!(s[1].2, Some(1));
    }

    #[test]
    fn document_end_marker_and_directives() {
        let text = "a: 1\n...\n%YAML 1.1\n---\nb: 2\n";
        let s = summary(text);
        assert_eq!(s.len(), 2);
        assert_eq!(s[0].0, "a: 1\n...\n");
        assert_eq!(s[1], ("%YAML 1.1\n---\nb: 2\n".to_string(), 2, Some(4)));
    }

    #[test]
    fn crlf_and_no_trailing_newline() {
        let s = summary("a: 1\r\n---\r\nb: 2");
        assert_eq!(s.len(), 2);
        assert_eq!(s[1].0, "---\r\nb: 2");
        assert_eq!(s[1].2, Some(2));
    }

    #[test]
    fn type_meta_hints() {
        let hint = |t: &str| type_meta_hint(t).map(|(a, k)| format!("{a} {k}"));
        assert_eq!(
            hint("---\nkind: Deployment # x\nmetadata:\n  kind: no\napiVersion: \"apps/v1\"\r\n"),
            Some("apps/v1 Deployment".to_string())
        );
        assert_eq!(hint("{\"kind\": \"Pod\", \"apiVersion\": \"v1\"}"), None);
        assert_eq!(hint("kind: Pod\n"), None);
        assert_eq!(hint("apiVersion: v1\nkind: {a: b}\n"), None);
    }

    #[test]
    fn empty_text_is_one_empty_chunk() {
        assert_eq!(summary(""), vec![(String::new(), 0, None)]);
    }
}
