//! Finds source lines for field paths, and duplicate keys, in a YAML document's text.
//!
//! The YAML crate gives values without positions, so this module reads the block structure
//! of the text itself: an "outline" of mapping keys and sequence dashes with their columns
//! (block scalars, multi-line quoted scalars and multi-line flow collections are skipped).
//! It is only used to *point at* lines and to spot duplicate keys after the YAML crate has
//! parsed the document; it never decides what a document means. Anything it cannot follow
//! (flow collections, complex keys) makes it fall back to the nearest enclosing line.
//! Work is linear in the text size.

use std::borrow::Cow;
use std::collections::HashSet;

/// One step of a field path.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) enum Segment {
    Key(String),
    Index(usize),
}

#[derive(Clone, Debug, PartialEq, Eq)]
enum TokenKind<'a> {
    Key(Cow<'a, str>),
    Dash,
}

#[derive(Clone, Debug)]
struct Token<'a> {
    line: usize,
    col: usize,
    kind: TokenKind<'a>,
}

/// The block outline of one document (keys borrow from its text).
pub(crate) struct Outline<'a> {
    tokens: Vec<Token<'a>>,
    /// `ends[i]`: index of the first token after token `i`'s subtree.
    ends: Vec<usize>,
    /// `parents[i]`: the token whose subtree directly holds token `i`.
    parents: Vec<Option<usize>>,
}

/// A duplicate key: where its second occurrence is and the key path to it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct Duplicate {
    pub line: usize,
    pub path: Vec<Segment>,
}

impl<'a> Outline<'a> {
    pub(crate) fn new(text: &'a str) -> Outline<'a> {
        let tokens = scan(text);
        let (ends, parents) = subtree_ends(&tokens);
        Outline {
            tokens,
            ends,
            parents,
        }
    }

    fn children(&self, parent: Option<usize>) -> Vec<usize> {
        let (mut j, end) = match parent {
            Some(p) => (p + 1, self.ends[p]),
            None => (0, self.tokens.len()),
        };
        let mut out = Vec::new();
        while j < end {
            out.push(j);
            j = self.ends[j];
        }
        out
    }

    /// 0-based line (within the document text) of the deepest part of `path` that could be
    /// found; `None` if not even the first segment was found.
    pub(crate) fn locate(&self, path: &[Segment]) -> Option<usize> {
        let mut parent: Option<usize> = None;
        let mut found = None;
        for seg in path {
            let kids = self.children(parent);
            let next =
                match seg {
                    Segment::Key(k) => kids.iter().copied().rev().find(
                        |&i| matches!(&self.tokens[i].kind, TokenKind::Key(name) if name == k),
                    ),
                    Segment::Index(n) => kids
                        .iter()
                        .copied()
                        .filter(|&i| self.tokens[i].kind == TokenKind::Dash)
                        .nth(*n),
                };
            match next {
                Some(i) => {
                    found = Some(self.tokens[i].line);
                    parent = Some(i);
                }
                None => break,
            }
        }
        found
    }

    /// The path from the root to token `i`.
    fn path_to(&self, i: usize) -> Vec<Segment> {
        let mut out = Vec::new();
        let mut cur = Some(i);
        while let Some(t) = cur {
            let parent = self.parents[t];
            match &self.tokens[t].kind {
                TokenKind::Key(k) => out.push(Segment::Key(k.to_string())),
                TokenKind::Dash => {
                    let index = self
                        .children(parent)
                        .into_iter()
                        .take_while(|&c| c != t)
                        .filter(|&c| self.tokens[c].kind == TokenKind::Dash)
                        .count();
                    out.push(Segment::Index(index));
                }
            }
            cur = parent;
        }
        out.reverse();
        out
    }

    /// Keys that appear twice in the same block mapping (the `<<` merge key is exempt).
    pub(crate) fn duplicates(&self) -> Vec<Duplicate> {
        let mut out = Vec::new();
        let mut seen: Vec<&str> = Vec::new();
        let mut seen_large: HashSet<&str> = HashSet::new();
        // Every token with children, plus the root.
        let parents = std::iter::once(None).chain(
            (0..self.tokens.len())
                .filter(|&i| self.ends[i] > i + 1)
                .map(Some),
        );
        for parent in parents {
            seen.clear();
            seen_large.clear();
            let (mut j, end) = match parent {
                Some(p) => (p + 1, self.ends[p]),
                None => (0, self.tokens.len()),
            };
            let mut count = 0usize;
            while j < end {
                if let TokenKind::Key(name) = &self.tokens[j].kind {
                    let name: &str = name;
                    if name != "<<" {
                        count += 1;
                        let dup = if count <= 32 {
                            let d = seen.contains(&name);
                            seen.push(name);
                            if count == 32 {
                                seen_large.extend(seen.iter().copied());
                            }
                            d
                        } else {
                            !seen_large.insert(name)
                        };
                        if dup {
                            out.push(Duplicate {
                                line: self.tokens[j].line,
                                path: self.path_to(j),
                            });
                        }
                    }
                }
                j = self.ends[j];
            }
        }
        out.sort_by_key(|d| d.line);
        out
    }
}

/// Computes, for every token, where its subtree ends. A token's subtree holds the following
/// tokens with a larger column; a key whose first child is a dash in the same column (an
/// "indentless" sequence, `key:\n- a`) also holds the following dashes of that column.
fn subtree_ends(tokens: &[Token<'_>]) -> (Vec<usize>, Vec<Option<usize>>) {
    let n = tokens.len();
    let mut ends = vec![n; n];
    let mut parents = vec![None; n];
    let mut indentless = vec![false; n];
    let mut stack: Vec<usize> = Vec::new();
    for i in 0..n {
        let t = &tokens[i];
        if i > 0 {
            let p = i - 1;
            if matches!(tokens[p].kind, TokenKind::Key(_))
                && t.kind == TokenKind::Dash
                && t.col == tokens[p].col
                && t.line > tokens[p].line
            {
                indentless[p] = true;
            }
        }
        while let Some(&p) = stack.last() {
            let pt = &tokens[p];
            let inside =
                t.col > pt.col || (indentless[p] && t.kind == TokenKind::Dash && t.col == pt.col);
            if inside {
                break;
            }
            ends[p] = i;
            stack.pop();
        }
        parents[i] = stack.last().copied();
        stack.push(i);
    }
    (ends, parents)
}

/// What the rest of a line after a key or dash opens.
enum Opens<'a> {
    Nothing,
    BlockScalar,
    Quote(char),
    /// A flow collection starting at this slice's first byte.
    Flow(&'a str),
}

/// Scans the block outline of `text`.
fn scan(text: &str) -> Vec<Token<'_>> {
    let mut tokens = Vec::new();
    // Skip state.
    let mut block_scalar_parent: Option<usize> = None; // column that content must exceed
    let mut in_quote: Option<char> = None;
    let mut skip_through_line: Option<usize> = None; // lines a flow collection covered
    for (line_no, raw) in text.lines().enumerate() {
        let line = raw.strip_suffix('\r').unwrap_or(raw);
        let indent = line.len() - line.trim_start_matches(' ').len();
        let rest = &line[indent..];
        if let Some(parent_col) = block_scalar_parent {
            if rest.trim().is_empty() || indent > parent_col {
                continue;
            }
            block_scalar_parent = None;
        }
        if let Some(q) = in_quote {
            if closes_quote(line, q) {
                in_quote = None;
            }
            continue;
        }
        if let Some(end) = skip_through_line {
            if line_no <= end {
                continue;
            }
            skip_through_line = None;
        }
        if rest.is_empty() || rest.starts_with('#') {
            continue;
        }
        if line.starts_with("---") || line.starts_with("...") || line.starts_with('%') {
            // Markers and directives: content after `--- ` is rare in manifests; skip it.
            continue;
        }
        // Dashes, then an optional key, on this line.
        let mut col = indent;
        let mut rest = rest;
        let mut owner_col = indent; // column a block scalar's content must exceed
        loop {
            if rest == "-" || rest.starts_with("- ") || rest.starts_with("-\t") {
                tokens.push(Token {
                    line: line_no,
                    col,
                    kind: TokenKind::Dash,
                });
                owner_col = col;
                let after = &rest[1..];
                let skip = after.len() - after.trim_start().len();
                col += 1 + skip;
                rest = after.trim_start();
                if rest.is_empty() {
                    break;
                }
            } else {
                break;
            }
        }
        let value = match parse_key(rest) {
            Some((key, value)) => {
                tokens.push(Token {
                    line: line_no,
                    col,
                    kind: TokenKind::Key(key),
                });
                owner_col = col;
                value
            }
            None => rest,
        };
        match opens(value) {
            Opens::Nothing => {}
            Opens::BlockScalar => block_scalar_parent = Some(owner_col),
            Opens::Quote(q) => in_quote = Some(q),
            Opens::Flow(flow) => {
                let start = flow.as_ptr() as usize - text.as_ptr() as usize;
                let end_line = scan_flow(text, start, line_no, owner_col, &mut tokens);
                if end_line > line_no {
                    skip_through_line = Some(end_line);
                }
            }
        }
    }
    tokens
}

/// Splits `key: value` / `"key": value` / `key:` into the key and the value text.
fn parse_key(s: &str) -> Option<(Cow<'_, str>, &str)> {
    let first = s.chars().next()?;
    if first == '"' || first == '\'' {
        let (key, len) = read_quoted(s, first)?;
        let key = Cow::Owned(key);
        let after = &s[len..];
        let after_trim = after.trim_start_matches([' ', '\t']);
        let value = after_trim.strip_prefix(':')?;
        if !(value.is_empty() || value.starts_with([' ', '\t'])) {
            return None;
        }
        return Some((key, value.trim_start()));
    }
    if matches!(
        first,
        '[' | '{' | '#' | '&' | '*' | '!' | '|' | '>' | '?' | '@' | '`'
    ) {
        return None;
    }
    let bytes = s.as_bytes();
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b':'
            && (i + 1 == bytes.len() || bytes[i + 1] == b' ' || bytes[i + 1] == b'\t')
        {
            let key = s[..i].trim_end();
            if key.is_empty() {
                return None;
            }
            return Some((Cow::Borrowed(key), s[i + 1..].trim_start()));
        }
        if bytes[i] == b'#' && i > 0 && (bytes[i - 1] == b' ' || bytes[i - 1] == b'\t') {
            return None;
        }
        i += 1;
    }
    None
}

/// Reads a quoted scalar at the start of `s`; returns its value and byte length.
fn read_quoted(s: &str, q: char) -> Option<(String, usize)> {
    let mut out = String::new();
    let mut chars = s.char_indices().skip(1).peekable();
    while let Some((i, c)) = chars.next() {
        if q == '\'' && c == '\'' {
            if let Some(&(_, '\'')) = chars.peek() {
                chars.next();
                out.push('\'');
                continue;
            }
            return Some((out, i + 1));
        }
        if q == '"' && c == '\\' {
            match chars.next() {
                Some((_, 'n')) => out.push('\n'),
                Some((_, 't')) => out.push('\t'),
                Some((_, e)) => out.push(e),
                None => return None,
            }
            continue;
        }
        if q == '"' && c == '"' {
            return Some((out, i + 1));
        }
        out.push(c);
    }
    None
}

/// What a value text opens that continues on the next lines.
fn opens(value: &str) -> Opens<'_> {
    let v = strip_props(value);
    let Some(first) = v.chars().next() else {
        return Opens::Nothing;
    };
    match first {
        '|' | '>' => {
            // `|`, `|-`, `>+2`, optionally followed by a comment.
            let head = v.split('#').next().unwrap_or("").trim_end();
            if head[1..]
                .chars()
                .all(|c| matches!(c, '-' | '+' | '1'..='9'))
            {
                Opens::BlockScalar
            } else {
                Opens::Nothing
            }
        }
        '"' | '\'' => {
            if read_quoted(v, first).is_some() {
                Opens::Nothing
            } else {
                Opens::Quote(first)
            }
        }
        '[' | '{' => Opens::Flow(v),
        _ => Opens::Nothing,
    }
}

/// Drops leading anchors and tags (`&a !!str value` → `value`).
fn strip_props(mut v: &str) -> &str {
    loop {
        v = v.trim_start();
        if v.starts_with('&') || v.starts_with('!') {
            match v.find([' ', '\t']) {
                Some(i) => v = &v[i..],
                None => return "",
            }
        } else {
            return v;
        }
    }
}

/// Records the keys and items of the flow collection that starts at byte `start` (on line
/// `line`) as tokens whose columns are `base_col` + nesting depth, so that they nest under the
/// block key or dash that owns them. Returns the line where the collection ends (the end of
/// the text if it never closes). Iterative; quoted scalars and comments are skipped.
fn scan_flow<'a>(
    text: &'a str,
    start: usize,
    mut line: usize,
    base_col: usize,
    tokens: &mut Vec<Token<'a>>,
) -> usize {
    let bytes = text.as_bytes();
    let mut stack: Vec<u8> = Vec::new(); // b'{' or b'['
    let mut expect_entry = false; // at the start of a mapping key or sequence item
    let mut i = start;
    while i < bytes.len() {
        let c = bytes[i];
        match c {
            b'\n' => {
                line += 1;
                i += 1;
                continue;
            }
            b' ' | b'\t' | b'\r' => {
                i += 1;
                continue;
            }
            b'#' if i > start && matches!(bytes[i - 1], b' ' | b'\t' | b'\n') => {
                while i < bytes.len() && bytes[i] != b'\n' {
                    i += 1;
                }
                continue;
            }
            b'{' | b'[' => {
                if expect_entry && stack.last() == Some(&b'[') {
                    tokens.push(Token {
                        line,
                        col: base_col + stack.len(),
                        kind: TokenKind::Dash,
                    });
                }
                stack.push(c);
                expect_entry = true;
                i += 1;
                continue;
            }
            b'}' | b']' => {
                stack.pop();
                expect_entry = false;
                i += 1;
                if stack.is_empty() {
                    return line;
                }
                continue;
            }
            b',' => {
                expect_entry = true;
                i += 1;
                continue;
            }
            _ => {}
        }
        // A scalar: quoted or plain.
        let scalar_start = i;
        let key: Cow<'a, str> = if c == b'"' || c == b'\'' {
            match read_quoted(&text[i..], c as char) {
                Some((value, len)) => {
                    line += text[i..i + len].matches('\n').count();
                    i += len;
                    Cow::Owned(value)
                }
                None => return line + text[i..].matches('\n').count(),
            }
        } else {
            while i < bytes.len() {
                let b = bytes[i];
                if matches!(b, b',' | b'[' | b']' | b'{' | b'}' | b'\n')
                    || (b == b':'
                        && matches!(
                            bytes.get(i + 1),
                            None | Some(b' ' | b'\t' | b'\n' | b',' | b']' | b'}')
                        ))
                {
                    break;
                }
                i += 1;
            }
            Cow::Borrowed(text[scalar_start..i].trim_end())
        };
        let mut j = i;
        while j < bytes.len() && matches!(bytes[j], b' ' | b'\t') {
            j += 1;
        }
        let is_key = j < bytes.len() && bytes[j] == b':';
        if expect_entry {
            match stack.last() {
                Some(b'{') if is_key => tokens.push(Token {
                    line,
                    col: base_col + stack.len(),
                    kind: TokenKind::Key(key),
                }),
                Some(b'[') => tokens.push(Token {
                    line,
                    col: base_col + stack.len(),
                    kind: TokenKind::Dash,
                }),
                _ => {}
            }
        }
        expect_entry = false;
        if is_key {
            i = j + 1;
        }
        if i == scalar_start {
            i += 1; // a stray character: never loop in place
        }
    }
    line
}

/// Whether a continuation line of a multi-line quoted scalar closes it.
fn closes_quote(line: &str, q: char) -> bool {
    let mut chars = line.chars().peekable();
    while let Some(c) = chars.next() {
        if q == '"' && c == '\\' {
            chars.next();
            continue;
        }
        if c == q {
            if q == '\'' && chars.peek() == Some(&'\'') {
                chars.next();
                continue;
            }
            return true;
        }
    }
    false
}

/// Parses a JSON pointer (`/spec/containers/0/image`) against the instance it points into, so
/// that array indices and keys that look like numbers are told apart.
pub(crate) fn pointer_segments(pointer: &str, instance: &crate::Value) -> Vec<Segment> {
    let mut out = Vec::new();
    let mut cur = Some(instance);
    if pointer.is_empty() {
        return out;
    }
    for raw in pointer.split('/').skip(1) {
        let key = raw.replace("~1", "/").replace("~0", "~");
        match cur {
            Some(crate::Value::Array(items)) => match key.parse::<usize>() {
                Ok(i) => {
                    cur = items.get(i);
                    out.push(Segment::Index(i));
                }
                Err(_) => {
                    cur = None;
                    out.push(Segment::Key(key));
                }
            },
            Some(crate::Value::Object(map)) => {
                cur = map.get(&key);
                out.push(Segment::Key(key));
            }
            _ => {
                cur = None;
                out.push(Segment::Key(key));
            }
        }
    }
    out
}

/// Formats a path as `spec.template.spec.containers[0].image`; keys that are not plain
/// identifiers are quoted: `metadata.annotations["example.com/x"]`.
pub(crate) fn format_path(path: &[Segment]) -> String {
    let mut out = String::new();
    for seg in path {
        match seg {
            Segment::Index(i) => {
                out.push('[');
                out.push_str(&i.to_string());
                out.push(']');
            }
            Segment::Key(k) => {
                let plain = !k.is_empty()
                    && k.chars()
                        .all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-')
                    && !k.starts_with(|c: char| c.is_ascii_digit() || c == '-');
                if plain {
                    if !out.is_empty() {
                        out.push('.');
                    }
                    out.push_str(k);
                } else {
                    out.push('[');
                    out.push_str(&serde_json::Value::String(k.clone()).to_string());
                    out.push(']');
                }
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn k(s: &str) -> Segment {
        Segment::Key(s.to_string())
    }
    fn i(n: usize) -> Segment {
        Segment::Index(n)
    }

    const DEPLOY: &str = "\
apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
  annotations:
    note: |
      image: not-a-key
      spec: neither
spec:
  template:
    spec:
      containers:
        - name: a
          image: nginx
        - name: b
          image: redis
          ports:
          - containerPort: 80
          - containerPort: 81
      volumes: [{name: x}]
";

    #[test]
    fn locates_keys_and_indices() {
        let o = Outline::new(DEPLOY);
        let at = |p: &[Segment]| o.locate(p);
        assert_eq!(at(&[k("kind")]), Some(1));
        assert_eq!(at(&[k("metadata"), k("name")]), Some(3));
        let c = [k("spec"), k("template"), k("spec"), k("containers")];
        assert_eq!(at(&[&c[..], &[i(0), k("image")]].concat()), Some(13));
        assert_eq!(at(&[&c[..], &[i(1), k("image")]].concat()), Some(15));
        assert_eq!(
            at(&[&c[..], &[i(1), k("ports"), i(1), k("containerPort")]].concat()),
            Some(18)
        );
        // Flow collections: fall back to the key line.
        assert_eq!(
            at(&[
                k("spec"),
                k("template"),
                k("spec"),
                k("volumes"),
                i(0),
                k("name")
            ]),
            Some(19)
        );
        // Missing parts stop at the deepest known one.
        assert_eq!(at(&[k("spec"), k("replicas")]), Some(8));
        assert_eq!(at(&[k("nope")]), None);
        // Block scalar content is not structure.
        assert_eq!(at(&[k("spec")]), Some(8));
    }

    #[test]
    fn finds_duplicate_keys_only_in_the_same_mapping() {
        let text = "a: 1\nb:\n  x: 1\n  y: 2\n  x: 3\nc:\n  - x: 1\n  - x: 2\n    x: 3\na: 2\nd: |\n  a: 1\n  a: 1\n<<: {}\n<<: {}\n";
        let d = Outline::new(text).duplicates();
        let got: Vec<(usize, String)> = d.iter().map(|d| (d.line, format_path(&d.path))).collect();
        assert_eq!(
            got,
            vec![
                (4, "b.x".to_string()),
                (8, "c[1].x".to_string()),
                (9, "a".to_string())
            ]
        );
    }

    #[test]
    fn quoted_and_json_keys() {
        let text = "{\n  \"metadata\": {\n    \"name\": \"x\",\n    \"labels\": {\"a\": \"b\"}\n  },\n  'kind': Pod\n}\n";
        let o = Outline::new(text);
        // JSON documents are one flow collection.
        assert_eq!(o.locate(&[k("metadata"), k("name")]), Some(2));
        assert_eq!(o.locate(&[k("metadata"), k("labels"), k("a")]), Some(3));
        assert_eq!(o.locate(&[k("kind")]), Some(5));
        let yaml = "\"metadata\":\n  'na''me': x\n  \"a\\\"b\": 1\n";
        let o = Outline::new(yaml);
        assert_eq!(o.locate(&[k("metadata"), k("na'me")]), Some(1));
        assert_eq!(o.locate(&[k("metadata"), k("a\"b")]), Some(2));
    }

    #[test]
    fn multi_line_quotes_and_flows_are_skipped() {
        let text =
            "a: \"line one\n  b: not a key\n  end\"\nc: [1,\n  d: 2]\ne: 1\nurl: http://x:80\n";
        let o = Outline::new(text);
        assert_eq!(o.locate(&[k("e")]), Some(5));
        assert_eq!(o.locate(&[k("b")]), None);
        assert_eq!(o.locate(&[k("d")]), None);
        assert_eq!(o.locate(&[k("url")]), Some(6));
        assert!(o.duplicates().is_empty());
    }

    #[test]
    fn flow_collections_inside_block_documents() {
        let text = "metadata:\n  labels: {app: web, \"tier\": db, app: again}\nspec:\n  args: [\"a\", 'b',\n    c]\n  ports: [{port: 80}, {port: 81, name: x}]\n  after: 1\n- [a, [b, {c: d}]]\n";
        let o = Outline::new(text);
        assert_eq!(o.locate(&[k("metadata"), k("labels"), k("tier")]), Some(1));
        assert_eq!(o.locate(&[k("spec"), k("args"), i(2)]), Some(4));
        assert_eq!(o.locate(&[k("spec"), k("ports"), i(1), k("name")]), Some(5));
        assert_eq!(o.locate(&[k("spec"), k("after")]), Some(6));
        let d = o.duplicates();
        assert_eq!(d.len(), 1);
        assert_eq!(format_path(&d[0].path), "metadata.labels.app");
        // Unclosed or odd flows end at the end of the text without looping.
        let o = Outline::new("a: {b: [c, {d: \"e\n");
        assert_eq!(o.locate(&[k("a"), k("b")]), Some(0));
        let o = Outline::new("a: [:, ::, {:}, '', \"\"]\nb: 1\n");
        assert_eq!(o.locate(&[k("b")]), Some(1));
    }

    #[test]
    fn pointer_segments_use_the_instance() {
        let v = serde_json::json!({"a": [{"0": {"b~/": 1}}]});
        assert_eq!(
            pointer_segments("/a/0/0/b~0~1", &v),
            vec![k("a"), i(0), k("0"), k("b~/")]
        );
        assert_eq!(
            format_path(&pointer_segments("/a/0/0/b~0~1", &v)),
            "a[0][\"0\"][\"b~/\"]"
        );
    }

    #[test]
    fn path_formatting() {
        assert_eq!(
            format_path(&[k("metadata"), k("annotations"), k("example.com/x")]),
            "metadata.annotations[\"example.com/x\"]"
        );
        assert_eq!(format_path(&[i(2), k("a-b"), k("c_d")]), "[2].a-b.c_d");
        assert_eq!(format_path(&[]), "");
    }

    #[test]
    fn large_flat_and_deep_inputs_are_linear() {
        let mut text = String::new();
        for n in 0..20_000 {
            text.push_str(&format!("k{n}: v\n"));
        }
        let o = Outline::new(&text);
        assert_eq!(o.locate(&[k("k19999")]), Some(19_999));
        let mut deep = String::new();
        for d in 0..2_000 {
            deep.push_str(&" ".repeat(d));
            deep.push_str("a:\n");
        }
        let o = Outline::new(&deep);
        assert!(o.duplicates().is_empty());
        assert_eq!(o.locate(&vec![k("a"); 2_000]), Some(1_999));
    }
}
