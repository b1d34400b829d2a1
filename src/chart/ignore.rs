//! `.helmignore` rules, exactly as Helm applies them (`pkg/ignore/rules.go`).
//!
//! Hand-written because `.helmignore` is not gitignore and no crate
//! implements its rules: patterns are Go `filepath.Match` globs (`*` and `?` never cross `/`,
//! classes are `[...]`/`[^...]`, `\` escapes, no `{a,b}`), `**` is an error, a pattern without
//! `/` matches the basename only, a leading `/` anchors it at the chart root, a trailing `/`
//! makes it apply to directories only, the **first** matching rule wins, and a negated rule
//! `!p` *ignores every path that does not match `p`* (and lets matching paths fall through to
//! the next rule). `ignore::gitignore` gives different answers for all of these. Each Go glob
//! is checked with Go's syntax rules, split into tokens once, and matched with Go's own
//! chunk-by-chunk algorithm (compiling globs into `globset` regexes cost more than a whole
//! small chart's render).
//!
//! Owns: parsing rules and answering "is this path ignored". Must not walk directories or read
//! files (the directory loader does that).

/// Go's `bufio.Scanner` refuses longer lines, so Helm does too.
const MAX_LINE_LEN: usize = 64 * 1024;

/// The rule Helm appends after the user's rules: dotfiles directly inside `templates/`.
const DEFAULT_RULE: &str = "templates/.?*";

/// A `.helmignore` line that is not a valid rule.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum IgnoreError {
    #[error(
        "line {line}: {rule:?}: double-star (**) syntax is not supported; .helmignore patterns without a slash already match a name at any depth"
    )]
    DoubleStar { line: usize, rule: String },
    #[error(
        "line {line}: {rule:?}: syntax error in pattern (Go filepath.Match syntax: `*`, `?`, `[a-z]`, `[^a-z]`, `\\` escapes)"
    )]
    BadPattern { line: usize, rule: String },
    #[error("line {line} is longer than {MAX_LINE_LEN} bytes")]
    LineTooLong { line: usize },
}

/// Which part of a path a rule looks at.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Scope {
    /// Leading `/`: the whole path relative to the chart root.
    Rooted,
    /// Contains `/`: the whole path.
    Path,
    /// No `/`: the last path component.
    Basename,
}

#[derive(Clone, Debug)]
struct Pattern {
    raw: String,
    negate: bool,
    must_dir: bool,
    scope: Scope,
    /// The glob, as Go tokens.
    tokens: Vec<Tok>,
    /// The same glob when it has a common shape that string comparison decides.
    shortcut: Shortcut,
}

/// Common globs that need no matcher (most `.helmignore` rules are one of these).
#[derive(Clone, Debug, PartialEq, Eq)]
enum Shortcut {
    /// No wildcard: the text must be equal.
    Literal(String),
    /// `*` then a wildcard-free suffix without `/`: the text ends with the suffix and has no
    /// `/` before it (Go's `*` does not cross a separator).
    StarSuffix(String),
    None,
}

impl Shortcut {
    fn of(tokens: &[Tok]) -> Shortcut {
        let literal = |toks: &[Tok]| -> Option<String> {
            toks.iter()
                .map(|t| match t {
                    Tok::Lit(c) => Some(*c),
                    _ => None,
                })
                .collect()
        };
        match tokens.split_first() {
            Some((Tok::Star, rest)) => match literal(rest) {
                Some(suffix) if !suffix.contains('/') => Shortcut::StarSuffix(suffix),
                _ => Shortcut::None,
            },
            _ => literal(tokens).map_or(Shortcut::None, Shortcut::Literal),
        }
    }

    /// Whether `text` matches, when the shortcut decides it.
    fn matches(&self, text: &str) -> Option<bool> {
        match self {
            Shortcut::Literal(lit) => Some(text == lit),
            Shortcut::StarSuffix(suffix) => Some(
                text.strip_suffix(suffix.as_str())
                    .is_some_and(|head| !head.contains('/')),
            ),
            Shortcut::None => None,
        }
    }
}

impl Pattern {
    fn matches(&self, path: &str) -> bool {
        let text = match self.scope {
            Scope::Rooted | Scope::Path => path,
            Scope::Basename => go_base(path),
        };
        self.shortcut
            .matches(text)
            .unwrap_or_else(|| go_match(&self.tokens, text.as_bytes()))
    }
}

/// An ordered set of `.helmignore` rules.
#[derive(Clone, Debug, Default)]
pub struct Rules {
    patterns: Vec<Pattern>,
}

impl Rules {
    /// No rules: nothing is ignored.
    pub fn empty() -> Self {
        Rules::default()
    }

    /// Parses a `.helmignore` file: one rule per line, blank lines and `#` comments skipped,
    /// surrounding whitespace trimmed, a UTF-8 BOM on the first line dropped.
    pub fn parse(text: &str) -> Result<Self, IgnoreError> {
        let mut rules = Rules::empty();
        let text = text.strip_prefix('\u{feff}').unwrap_or(text);
        for (i, line) in text.split('\n').enumerate() {
            if line.len() > MAX_LINE_LEN {
                return Err(IgnoreError::LineTooLong { line: i + 1 });
            }
            rules.parse_rule(line, i + 1)?;
        }
        Ok(rules)
    }

    /// Appends Helm's default rule `templates/.?*` (dotfiles directly inside `templates/`).
    pub fn add_defaults(&mut self) {
        // The default rule is valid; an error here would be a bug in this module.
        let _ = self.parse_rule(DEFAULT_RULE, 0);
    }

    /// The number of rules (default rule included once added).
    pub fn len(&self) -> usize {
        self.patterns.len()
    }

    pub fn is_empty(&self) -> bool {
        self.patterns.is_empty()
    }

    /// The rules as written (without trimmed whitespace), in order.
    pub fn raw_rules(&self) -> impl Iterator<Item = &str> {
        self.patterns.iter().map(|p| p.raw.as_str())
    }

    /// Whether `path` (relative to the chart root, `/`-separated) is ignored. `is_dir` says
    /// whether it names a directory. `""`, `.` and `./` are never ignored.
    pub fn ignore(&self, path: &str, is_dir: bool) -> bool {
        if path.is_empty() || path == "." || path == "./" {
            return false;
        }
        for p in &self.patterns {
            if p.negate {
                // A negated rule ignores what it does not match.
                if (p.must_dir && !is_dir) || !p.matches(path) {
                    return true;
                }
                continue;
            }
            if p.must_dir && !is_dir {
                continue;
            }
            if p.matches(path) {
                return true;
            }
        }
        false
    }

    fn parse_rule(&mut self, line: &str, line_no: usize) -> Result<(), IgnoreError> {
        let rule = line.trim();
        if rule.is_empty() || rule.starts_with('#') {
            return Ok(());
        }
        if rule.contains("**") {
            return Err(IgnoreError::DoubleStar {
                line: line_no,
                rule: rule.to_string(),
            });
        }
        let bad = || IgnoreError::BadPattern {
            line: line_no,
            rule: rule.to_string(),
        };
        // Helm validates the whole rule (with its `!` and `/`) as a Go glob first.
        go_glob_tokens(rule).ok_or_else(bad)?;

        let mut body = rule;
        let negate = body.starts_with('!');
        if negate {
            body = &body[1..];
        }
        let must_dir = body.ends_with('/');
        if must_dir {
            body = &body[..body.len() - 1];
        }
        let (scope, glob) = if let Some(rest) = body.strip_prefix('/') {
            (Scope::Rooted, rest)
        } else if body.contains('/') {
            (Scope::Path, body)
        } else {
            (Scope::Basename, body)
        };
        let tokens = go_glob_tokens(glob).ok_or_else(bad)?;
        self.patterns.push(Pattern {
            raw: rule.to_string(),
            negate,
            must_dir,
            scope,
            shortcut: Shortcut::of(&tokens),
            tokens,
        });
        Ok(())
    }
}

/// Go's `filepath.Base` for `/`-separated paths.
fn go_base(path: &str) -> &str {
    if path.is_empty() {
        return ".";
    }
    let trimmed = path.trim_end_matches('/');
    if trimmed.is_empty() {
        return "/";
    }
    match trimmed.rfind('/') {
        Some(i) => &trimmed[i + 1..],
        None => trimmed,
    }
}

/// One element of a Go glob.
#[derive(Clone, Debug, PartialEq, Eq)]
enum Tok {
    Star,
    Any,
    Lit(char),
    Class {
        negated: bool,
        ranges: Vec<(char, char)>,
    },
}

/// Splits a Go `filepath.Match` pattern (Unix rules) into tokens; `None` where Go reports
/// `ErrBadPattern`: an unclosed or empty class, a class item starting with `-` or `]`, a
/// dangling `\`.
fn go_glob_tokens(p: &str) -> Option<Vec<Tok>> {
    let chars: Vec<char> = p.chars().collect();
    let mut out = Vec::new();
    let mut i = 0;
    // Go's getEsc: one (possibly escaped) class character, which must be followed by more.
    let esc = |i: &mut usize| -> Option<char> {
        let c = *chars.get(*i)?;
        if c == '-' || c == ']' {
            return None;
        }
        let c = if c == '\\' {
            *i += 1;
            *chars.get(*i)?
        } else {
            c
        };
        *i += 1;
        (*i < chars.len()).then_some(c)
    };
    while i < chars.len() {
        match chars[i] {
            '*' => {
                out.push(Tok::Star);
                i += 1;
            }
            '?' => {
                out.push(Tok::Any);
                i += 1;
            }
            '\\' => {
                out.push(Tok::Lit(*chars.get(i + 1)?));
                i += 2;
            }
            '[' => {
                i += 1;
                let negated = chars.get(i) == Some(&'^');
                if negated {
                    i += 1;
                }
                let mut ranges = Vec::new();
                let mut n = 0;
                loop {
                    if chars.get(i) == Some(&']') && n > 0 {
                        i += 1;
                        break;
                    }
                    let lo = esc(&mut i)?;
                    let mut hi = lo;
                    if chars[i] == '-' {
                        i += 1;
                        hi = esc(&mut i)?;
                    }
                    // Go accepts reversed ranges; they match nothing.
                    if lo <= hi {
                        ranges.push((lo, hi));
                    }
                    n += 1;
                }
                out.push(Tok::Class { negated, ranges });
            }
            c => {
                out.push(Tok::Lit(c));
                i += 1;
            }
        }
    }
    Some(out)
}

/// Go's `filepath.Match` on Unix, over a pre-tokenized pattern: the pattern is a series of
/// chunks, each after an optional run of stars; a chunk is matched at the current position,
/// or — after a star — at each later position that does not skip a `/`; the last chunk must
/// end the name; a trailing star matches the rest of the name unless it holds a `/`. Works on
/// bytes, decoding runes as Go does, so a star may resume inside a multi-byte character.
fn go_match(tokens: &[Tok], mut name: &[u8]) -> bool {
    let mut pattern = tokens;
    'chunks: while !pattern.is_empty() {
        let stars = pattern.iter().take_while(|t| **t == Tok::Star).count();
        let star = stars > 0;
        pattern = &pattern[stars..];
        let len = pattern
            .iter()
            .position(|t| *t == Tok::Star)
            .unwrap_or(pattern.len());
        let (chunk, rest) = pattern.split_at(len);
        pattern = rest;
        if star && chunk.is_empty() {
            return !name.contains(&b'/');
        }
        if let Some(t) = match_chunk(chunk, name)
            && (t.is_empty() || !pattern.is_empty())
        {
            name = t;
            continue;
        }
        if star {
            let mut i = 0;
            while i < name.len() && name[i] != b'/' {
                if let Some(t) = match_chunk(chunk, &name[i + 1..]) {
                    if pattern.is_empty() && !t.is_empty() {
                        i += 1;
                        continue;
                    }
                    name = t;
                    continue 'chunks;
                }
                i += 1;
            }
        }
        return false;
    }
    name.is_empty()
}

/// Go's `matchChunk`: matches a star-free chunk at the start of `s`, returning the rest.
fn match_chunk<'a>(chunk: &[Tok], mut s: &'a [u8]) -> Option<&'a [u8]> {
    for t in chunk {
        match t {
            Tok::Lit(c) => {
                let (r, n) = decode_rune(s)?;
                if r != *c {
                    return None;
                }
                s = &s[n..];
            }
            Tok::Any => {
                if s.first() == Some(&b'/') {
                    return None;
                }
                let (_, n) = decode_rune(s)?;
                s = &s[n..];
            }
            Tok::Class { negated, ranges } => {
                let (r, n) = decode_rune(s)?;
                let hit = ranges.iter().any(|&(lo, hi)| lo <= r && r <= hi);
                if hit == *negated {
                    return None;
                }
                s = &s[n..];
            }
            Tok::Star => return None,
        }
    }
    Some(s)
}

/// Go's `utf8.DecodeRuneInString`: the first rune and its width; an invalid byte is U+FFFD of
/// width 1; `None` at the end of the input.
fn decode_rune(s: &[u8]) -> Option<(char, usize)> {
    let &first = s.first()?;
    if first.is_ascii() {
        return Some((first as char, 1));
    }
    let head = &s[..s.len().min(4)];
    let valid = match std::str::from_utf8(head) {
        Ok(v) => v,
        Err(e) => std::str::from_utf8(&head[..e.valid_up_to()]).unwrap_or(""),
    };
    match valid.chars().next() {
        Some(c) => Some((c, c.len_utf8())),
        None => Some((char::REPLACEMENT_CHARACTER, 1)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::path::Path;

    /// Helm's `pkg/ignore/testdata` tree, rebuilt (empty files).
    fn fixture_tree() -> tempfile::TempDir {
        let dir = tempfile::tempdir().unwrap();
        for f in [
            ".helmignore",
            ".joonix",
            "a.txt",
            "cargo/a.txt",
            "cargo/b.txt",
            "cargo/c.txt",
            "helm.txt",
            "mast/a.txt",
            "mast/b.txt",
            "mast/c.txt",
            "rudder.txt",
            "templates/.dotfile",
            "tiller.txt",
        ] {
            let p = dir.path().join(f);
            std::fs::create_dir_all(p.parent().unwrap()).unwrap();
            std::fs::write(&p, "").unwrap();
        }
        std::fs::write(
            dir.path().join(".helmignore"),
            "mast/a.txt\n.DS_Store\n.git\n",
        )
        .unwrap();
        dir
    }

    /// `TestIgnore`: (pattern, path, ignored).
    const IGNORE: &[(&str, &str, bool)] = &[
        // Globs
        ("helm.txt", "helm.txt", true),
        ("helm.*", "helm.txt", true),
        ("helm.*", "rudder.txt", false),
        ("*.txt", "tiller.txt", true),
        ("*.txt", "cargo/a.txt", true),
        ("cargo/*.txt", "cargo/a.txt", true),
        ("cargo/*.*", "cargo/a.txt", true),
        ("cargo/*.txt", "mast/a.txt", false),
        ("ru[c-e]?er.txt", "rudder.txt", true),
        ("templates/.?*", "templates/.dotfile", true),
        // "." is never ignored (helm issue 1776)
        (".*", ".", false),
        (".*", "./", false),
        (".*", ".joonix", true),
        (".*", "helm.txt", false),
        (".*", "", false),
        // Directories
        ("cargo/", "cargo", true),
        ("cargo/", "cargo/", true),
        ("cargo/", "mast/", false),
        ("helm.txt/", "helm.txt", false),
        // Negation
        ("!helm.txt", "helm.txt", false),
        ("!helm.txt", "tiller.txt", true),
        ("!*.txt", "cargo", true),
        ("!cargo/", "mast/", true),
        // Anchored
        ("/a.txt", "a.txt", true),
        ("/a.txt", "cargo/a.txt", false),
        ("/cargo/a.txt", "cargo/a.txt", true),
    ];

    #[test]
    fn helm_ignore_table() {
        let tree = fixture_tree();
        for &(pattern, name, want) in IGNORE {
            let rules = Rules::parse(pattern).unwrap();
            let is_dir = Path::new(&tree.path().join(name)).is_dir();
            assert!(tree.path().join(name).exists(), "fixture missing: {name:?}");
            assert_eq!(
                rules.ignore(name, is_dir),
                want,
                "{name:?} with pattern {pattern:?}"
            );
        }
    }

    #[test]
    fn parse_skips_comments_and_blanks() {
        let rules = Rules::parse("#ignore\n\n\t#ignore\nfoo\nbar/*\nbaz/bar/foo.txt\n\none/more\n")
            .unwrap();
        let raw: Vec<&str> = rules.raw_rules().collect();
        assert_eq!(raw, ["foo", "bar/*", "baz/bar/foo.txt", "one/more"]);
    }

    #[test]
    fn parse_failures() {
        assert!(matches!(
            Rules::parse("foo/**/bar"),
            Err(IgnoreError::DoubleStar { line: 1, .. })
        ));
        assert!(matches!(
            Rules::parse("ok\n[z-"),
            Err(IgnoreError::BadPattern { line: 2, .. })
        ));
        let msg = Rules::parse("foo/**/bar").unwrap_err().to_string();
        assert!(
            msg.contains("double-star (**) syntax is not supported"),
            "{msg}"
        );
        let long = "a".repeat(MAX_LINE_LEN + 1);
        assert!(matches!(
            Rules::parse(&long),
            Err(IgnoreError::LineTooLong { line: 1 })
        ));
    }

    #[test]
    fn parse_fixture_file_and_defaults() {
        let tree = fixture_tree();
        let text = std::fs::read_to_string(tree.path().join(".helmignore")).unwrap();
        let mut rules = Rules::parse(&text).unwrap();
        assert_eq!(rules.len(), 3);
        rules.add_defaults();
        assert_eq!(rules.len(), 4);
        let mut only_defaults = Rules::empty();
        only_defaults.add_defaults();
        assert_eq!(only_defaults.len(), 1);
        assert!(only_defaults.ignore("templates/.dotfile", false));
        assert!(!only_defaults.ignore("templates/sub/.dotfile", false));
        assert!(!only_defaults.ignore("templates/x.yaml", false));
    }

    #[test]
    fn bom_and_crlf() {
        let rules = Rules::parse("\u{feff}*.bak\r\nsecret.txt\r\n").unwrap();
        assert!(rules.ignore("a.bak", false));
        assert!(rules.ignore("dir/secret.txt", false));
    }

    #[test]
    fn first_match_wins_and_negation_is_inverted() {
        // Unlike git, `!` does not re-include: it ignores everything it does not match.
        let rules = Rules::parse("!*.yaml\n*.txt\n").unwrap();
        assert!(rules.ignore("README.md", false));
        assert!(!rules.ignore("values.yaml", false));
        assert!(rules.ignore("templates", true));
        let rules = Rules::parse("*.txt\n!keep.txt\n").unwrap();
        assert!(rules.ignore("keep.txt", false));
    }

    /// Go `filepath.Match` facts for patterns where `globset` syntax differs.
    #[test]
    fn go_glob_semantics() {
        let cases: &[(&str, &str, bool)] = &[
            ("[!a]", "!", true),
            ("[!a]", "b", false),
            ("[^a]", "b", true),
            ("[^a]", "a", false),
            ("{a,b}", "{a,b}", true),
            ("{a,b}", "a", false),
            ("a\\*b", "a*b", true),
            ("a\\*b", "axb", false),
            ("[\\]]", "]", true),
            ("[\\-]", "-", true),
            ("[\\-]", "a", false),
            ("[+-\\-]", ",", true),
            ("[+-\\-]", "-", true),
            ("[+-\\-]", ".", false),
            ("[z-a]", "m", false),
            ("[^z-a]", "m", true),
            ("[!^]", "^", true),
            ("[!^]", "!", true),
            ("[!^]", "a", false),
            ("[\\]-a]", "^", true),
            ("[\\]-a]", "]", true),
            ("[\\]-a]", "b", false),
            ("a?c", "abc", true),
            ("x[/]y", "x/y", true),
            ("*", "a/b", false),
            ("a/*", "a/b", true),
            ("a/*", "a/b/c", false),
            ("*.swp", "x.swp", true),
            ("*.swp", "d/x.swp", false),
            ("*x*y", "axbyc", false),
            ("*x*y", "axbxy", true),
            ("a*b*c", "abcbc", true),
            ("a*b?", "abxbyb", false),
            ("*[b]*a", "cba", true),
            ("*?", "\u{e9}", true),
            ("?", "\u{e9}", true),
            ("??", "\u{e9}", false),
            ("\u{e9}*", "\u{e9}t\u{e9}", true),
            ("*\u{e9}", "t\u{e9}", true),
            ("[\u{e0}-\u{ff}]", "\u{e9}", true),
            ("[^\u{e0}-\u{ff}]", "\u{e9}", false),
        ];
        for &(pattern, path, want) in cases {
            let rules =
                Rules::parse(&format!("/{pattern}")).unwrap_or_else(|e| panic!("{pattern}: {e}"));
            assert_eq!(rules.ignore(path, false), want, "{pattern:?} vs {path:?}");
        }
        for bad in [
            "[]a]", "[]-a]", "[+--]", "[a-]", "[-a]", "[", "[a", "a\\", "[^]",
        ] {
            assert!(Rules::parse(bad).is_err(), "{bad:?} should be rejected");
        }
    }

    #[test]
    fn shortcuts_agree_with_go_match() {
        let patterns = [
            "OWNERS",
            ".DS_Store",
            "*.swp",
            "*~",
            "*",
            "*/x",
            "a\\*b",
            "*.t?p",
            "ci",
            "*a/b",
            "\u{e9}t\u{e9}",
            "*\u{e9}",
        ];
        let texts = [
            "",
            "OWNERS",
            "OWNERSx",
            "x.swp",
            ".swp",
            "d/x.swp",
            "x.swpx",
            "a~",
            "~",
            "a/b~",
            "a/x",
            "a*b",
            "axb",
            "x.tmp",
            "ci",
            "ci/",
            "xa/b",
            "\u{e9}t\u{e9}",
            "t\u{e9}",
        ];
        for p in patterns {
            let tokens = go_glob_tokens(p).unwrap_or_else(|| panic!("{p}"));
            let shortcut = Shortcut::of(&tokens);
            for t in texts {
                if let Some(got) = shortcut.matches(t) {
                    assert_eq!(got, go_match(&tokens, t.as_bytes()), "{p:?} vs {t:?}");
                }
            }
        }
        let shape = |p: &str| Shortcut::of(&go_glob_tokens(p).unwrap());
        assert_eq!(shape("OWNERS"), Shortcut::Literal("OWNERS".into()));
        assert_eq!(shape("a\\*b"), Shortcut::Literal("a*b".into()));
        assert_eq!(shape("*.swp"), Shortcut::StarSuffix(".swp".into()));
        assert_eq!(shape("*.t?p"), Shortcut::None);
        assert_eq!(shape("*a/b"), Shortcut::None);
    }

    #[test]
    fn basename_like_go() {
        assert_eq!(go_base(""), ".");
        assert_eq!(go_base("a/b/"), "b");
        assert_eq!(go_base("///"), "/");
        assert_eq!(go_base("a"), "a");
    }
}
