//! `.helmignore` rules, exactly as Helm applies them (`pkg/ignore/rules.go`).
//!
//! Hand-written (on top of `globset`) because `.helmignore` is not gitignore and no crate
//! implements its rules: patterns are Go `filepath.Match` globs (`*` and `?` never cross `/`,
//! classes are `[...]`/`[^...]`, `\` escapes, no `{a,b}`), `**` is an error, a pattern without
//! `/` matches the basename only, a leading `/` anchors it at the chart root, a trailing `/`
//! makes it apply to directories only, the **first** matching rule wins, and a negated rule
//! `!p` *ignores every path that does not match `p`* (and lets matching paths fall through to
//! the next rule). `ignore::gitignore` gives different answers for all of these. Each Go glob
//! is checked with Go's syntax rules and rewritten into an equivalent `globset` glob
//! (`literal_separator`, backslash escapes), which does the matching.
//!
//! Owns: parsing rules and answering "is this path ignored". Must not walk directories or read
//! files (the directory loader does that).

use globset::{GlobBuilder, GlobMatcher};

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
    /// `None` when the glob can match nothing (an empty character class).
    matcher: Option<GlobMatcher>,
}

impl Pattern {
    fn matches(&self, path: &str) -> bool {
        let Some(m) = &self.matcher else {
            return false;
        };
        match self.scope {
            Scope::Rooted | Scope::Path => m.is_match(path),
            Scope::Basename => m.is_match(go_base(path)),
        }
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
        let matcher = match to_globset(&tokens) {
            Some(g) => Some(
                GlobBuilder::new(&g)
                    .literal_separator(true)
                    .backslash_escape(true)
                    .build()
                    .map_err(|_| bad())?
                    .compile_matcher(),
            ),
            None => None,
        };
        self.patterns.push(Pattern {
            raw: rule.to_string(),
            negate,
            must_dir,
            scope,
            matcher,
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

/// Rewrites Go glob tokens as a `globset` glob with the same meaning, or `None` if the glob
/// can never match (a non-negated class with no usable range).
fn to_globset(tokens: &[Tok]) -> Option<String> {
    let mut g = String::new();
    for t in tokens {
        match t {
            Tok::Star => g.push('*'),
            Tok::Any => g.push('?'),
            Tok::Lit(c) => {
                if !c.is_alphanumeric() {
                    g.push('\\');
                }
                g.push(*c);
            }
            Tok::Class { negated, ranges } => g.push_str(&class_to_globset(*negated, ranges)?),
        }
    }
    Some(g)
}

/// A Go class as a `globset` class. `globset` reads `]` as literal only first, `-` as literal
/// only first or last, a leading `!`/`^` as negation, and has no escapes inside classes; so
/// `]` and `-` are split out of ranges and placed where they are literal, and a leading
/// `!`/`^` is moved away from the front.
fn class_to_globset(negated: bool, ranges: &[(char, char)]) -> Option<String> {
    let mut rbracket = false;
    let mut dash = false;
    let mut pieces: Vec<(char, char)> = Vec::new();
    for &(lo, hi) in ranges {
        let mut parts = vec![(lo, hi)];
        for special in [']', '-'] {
            let mut next = Vec::new();
            for (a, b) in parts {
                if a <= special && special <= b {
                    if special == ']' {
                        rbracket = true;
                    } else {
                        dash = true;
                    }
                    if a < special {
                        next.push((a, prev_char(special)));
                    }
                    if special < b {
                        next.push((next_char(special), b));
                    }
                } else {
                    next.push((a, b));
                }
            }
            parts = next;
        }
        pieces.extend(parts);
    }
    if pieces.is_empty() && !rbracket && !dash {
        return if negated {
            // Go's `[^]`-style class with nothing usable matches any one character.
            Some(format!("[{}-{}]", '\u{1}', char::MAX))
        } else {
            None
        };
    }
    // Split single leading characters `!`/`^` off ranges so a safe piece can go first.
    let mut split = Vec::new();
    for (a, b) in pieces {
        if (a == '!' || a == '^') && a < b {
            split.push((a, a));
            split.push((next_char(a), b));
        } else {
            split.push((a, b));
        }
    }
    let bang = |p: &(char, char)| p.0 == '!' || p.0 == '^';
    split.sort_by_key(|p| bang(p));
    let mut out = String::from("[");
    if negated {
        out.push('!');
    }
    let needs_guard = !negated && !rbracket && split.first().is_some_and(bang);
    if needs_guard {
        if dash {
            // A leading `-` is literal and protects the `!`/`^` after it.
            out.push('-');
        } else {
            // Only `!` and/or `^`: spell the class as alternatives.
            let alts: Vec<String> = split.iter().map(|p| format!("\\{}", p.0)).collect();
            return Some(format!("{{{}}}", alts.join(",")));
        }
    }
    if rbracket {
        out.push(']');
    }
    for (a, b) in &split {
        out.push(*a);
        if a != b {
            out.push('-');
            out.push(*b);
        }
    }
    if dash && !needs_guard {
        out.push('-');
    }
    out.push(']');
    Some(out)
}

fn prev_char(c: char) -> char {
    char::from_u32(c as u32 - 1).unwrap_or(c)
}

fn next_char(c: char) -> char {
    char::from_u32(c as u32 + 1).unwrap_or(c)
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
    fn basename_like_go() {
        assert_eq!(go_base(""), ".");
        assert_eq!(go_base("a/b/"), "b");
        assert_eq!(go_base("///"), "/");
        assert_eq!(go_base("a"), "a");
    }
}
