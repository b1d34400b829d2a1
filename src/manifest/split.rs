//! Splitting a rendered template file into YAML documents, as Helm's `SplitManifests` does:
//! a line starting with `---` (then optional spaces/tabs) separates documents, even `---foo`
//! (real charts rely on that), leading whitespace of the file and of each document is dropped,
//! trailing whitespace kept, whitespace-only documents dropped.
//!
//! A `---` inside a block scalar (a PEM certificate, a script in a ConfigMap) never splits: block
//! scalar content is always indented, and only a `---` at the start of a line separates.

/// One document of a rendered file: its text and the 1-based line where it starts in the file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Piece {
    pub text: String,
    pub line: usize,
}

/// Splits a rendered file into documents (see the module doc).
pub fn split_documents(file: &str) -> Vec<Piece> {
    let mut pieces = Vec::new();
    let mut current = String::new();
    let mut current_line = 1usize;
    let mut line_no = 0usize;
    for raw in file.split_inclusive('\n') {
        line_no += 1;
        if let Some(after) = raw.strip_prefix("---") {
            push_piece(&mut pieces, &current, current_line);
            current.clear();
            current_line = line_no;
            // The separator and following spaces/tabs go; the rest of the line (`---foo`) stays.
            let rest = after.trim_start_matches([' ', '\t']);
            current.push_str(rest);
            continue;
        }
        current.push_str(raw);
    }
    push_piece(&mut pieces, &current, current_line);
    pieces
}

fn push_piece(pieces: &mut Vec<Piece>, text: &str, start_line: usize) {
    if text.trim().is_empty() {
        return;
    }
    let trimmed = text.trim_start();
    let skipped_lines = text[..text.len() - trimmed.len()].matches('\n').count();
    pieces.push(Piece {
        text: trimmed.to_string(),
        line: start_line + skipped_lines,
    });
}

#[cfg(test)]
mod tests {
    use super::*;

    fn texts(s: &str) -> Vec<String> {
        split_documents(s).into_iter().map(|p| p.text).collect()
    }

    #[test]
    fn splits_like_helm() {
        assert_eq!(texts("a: 1\n---\nb: 2\n"), vec!["a: 1\n", "b: 2\n"]);
        assert_eq!(texts("\n\n---\na: 1\n---   \n\n---\n"), vec!["a: 1\n"]);
        assert_eq!(
            texts("---apiVersion: v1\nkind: X\n"),
            vec!["apiVersion: v1\nkind: X\n"]
        );
        assert_eq!(texts("a: 1   \n\n"), vec!["a: 1   \n\n"]);
        assert_eq!(
            texts("# comment\napiVersion: v1\n"),
            vec!["# comment\napiVersion: v1\n"]
        );
    }

    #[test]
    fn indented_separators_never_split() {
        let doc = "kind: Secret\ndata:\n  script: |\n    echo a\n---\n";
        // `---` at column 0 ends the block scalar (YAML requires more indentation inside).
        assert_eq!(texts(doc).len(), 1);
        let root = "--- |\n  line\n  ---\n  more\n---\nb: 1\n";
        assert_eq!(texts(root), vec!["|\n  line\n  ---\n  more\n", "b: 1\n"]);
        let script =
            "data:\n  run.sh: |-\n    #!/bin/sh\n\n    ---\n    echo\nkind: X\n---\nk: 2\n";
        assert_eq!(texts(script).len(), 2);
    }

    #[test]
    fn start_lines() {
        let pieces = split_documents("\n---\n\na: 1\n---\nb: 2\n");
        assert_eq!(pieces[0].line, 4);
        assert_eq!(pieces[1].line, 6);
    }
}
