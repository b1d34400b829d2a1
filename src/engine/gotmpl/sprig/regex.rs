//! Sprig's regular-expression functions, with Go's RE2 dialect differences bridged: `\d`,
//! `\w`, `\s`, `\b` are ASCII-only in Go, so patterns are translated before compiling; `Split`
//! and `QuoteMeta` follow Go's definitions.
//!
//! Two engines: a pattern without flags or Unicode classes compiles with `regex-lite`, whose
//! set-up is a fraction of `regex`'s (`regex` builds forward and reverse automata and, for a
//! negated class like Bitnami's `[^}]`, a 320 KB table of UTF-8 ranges; about 0.2M instructions a
//! pattern, where the inputs matched are a few dozen bytes). `regex-lite` matches codepoint by
//! codepoint with ASCII Perl classes and word boundaries, as Go does; what it lacks (Unicode case
//! folding, `\p{..}` classes) stays with `regex`, as does every pattern it cannot compile (so
//! error messages come from one engine).

use super::super::error::TemplateError;
use super::super::exec::FuncMap;
use super::super::value::{Param, Value};
use super::{def, i, s, str_result};
use std::rc::Rc;

/// Rewrites Go-only semantics of a pattern for the `regex` crate (`lite`: for `regex-lite`,
/// whose word boundaries are ASCII already).
pub(crate) fn translate(pat: &str, lite: bool) -> String {
    let mut out = String::with_capacity(pat.len() + 8);
    let mut chars = pat.chars().peekable();
    let mut in_class = 0usize;
    while let Some(c) = chars.next() {
        match c {
            '\\' => {
                let Some(n) = chars.next() else {
                    out.push('\\');
                    break;
                };
                let (inside, outside): (&str, &str) = match n {
                    'd' => ("0-9", "[0-9]"),
                    'D' => ("[^0-9]", "[^0-9]"),
                    'w' => ("0-9A-Za-z_", "[0-9A-Za-z_]"),
                    'W' => ("[^0-9A-Za-z_]", "[^0-9A-Za-z_]"),
                    's' => ("\\t\\n\\f\\r ", "[\\t\\n\\f\\r ]"),
                    'S' => ("[^\\t\\n\\f\\r ]", "[^\\t\\n\\f\\r ]"),
                    'b' if in_class == 0 && !lite => ("", "(?-u:\\b)"),
                    'B' if in_class == 0 && !lite => ("", "(?-u:\\B)"),
                    _ => {
                        out.push('\\');
                        out.push(n);
                        // A Unicode class name in braces (`\p{Greek}`) is copied as it is.
                        if matches!(n, 'p' | 'P') && chars.peek() == Some(&'{') {
                            for c in chars.by_ref() {
                                out.push(c);
                                if c == '}' {
                                    break;
                                }
                            }
                        }
                        continue;
                    }
                };
                out.push_str(if in_class > 0 { inside } else { outside });
                // In Go a '-' after a class escape is a literal ('[\w-.]' is \w, '-' and '.'),
                // where the regex crate would read a range.
                if in_class > 0 && chars.peek() == Some(&'-') {
                    chars.next();
                    out.push_str("\\-");
                }
            }
            '[' => {
                in_class += 1;
                out.push('[');
                // A leading ']' or '^]' is literal inside the class.
                if chars.peek() == Some(&'^') {
                    out.push('^');
                    chars.next();
                }
                if chars.peek() == Some(&']') {
                    out.push_str("\\]");
                    chars.next();
                }
            }
            ']' if in_class > 0 => {
                in_class -= 1;
                out.push(']');
            }
            // In Go a '{' that does not start a repetition (`{n}`, `{n,}`, `{n,m}`) is literal.
            '{' if in_class == 0 && !starts_repetition(chars.clone()) => out.push_str("\\{"),
            c => out.push(c),
        }
    }
    out
}

/// Whether a pattern uses what only `regex` has: Unicode classes (`\p{..}`) or case-insensitive
/// matching (`(?i)`, which folds case by Unicode rules in Go). Conservative: a `\\p` (an escaped
/// backslash, then `p`) counts too.
fn needs_unicode(pat: &str) -> bool {
    if pat.contains("\\p") || pat.contains("\\P") {
        return true;
    }
    pat.match_indices("(?").any(|(i, _)| {
        let flags = &pat[i + 2..];
        let end = flags.find([':', ')']).unwrap_or(flags.len());
        !flags.starts_with("P<") && flags[..end].contains('i')
    })
}

/// Whether the characters after a '{' complete a repetition: digits, optionally a comma and
/// more digits, then '}'.
fn starts_repetition(mut rest: impl Iterator<Item = char>) -> bool {
    let mut digits = 0;
    let mut comma = false;
    for c in rest.by_ref() {
        match c {
            '0'..='9' => digits += 1,
            ',' if digits > 0 && !comma => comma = true,
            '}' => return digits > 0,
            _ => return false,
        }
    }
    false
}

/// Most patterns compiled per thread that are kept for reuse (charts call `regexMatch` with
/// the same few patterns hundreds of times; compiling dominates matching).
const CACHE_SIZE: usize = 256;

thread_local! {
    static CACHE: std::cell::RefCell<std::collections::HashMap<String, Rc<Re>>> =
        std::cell::RefCell::new(std::collections::HashMap::new());
}

/// A compiled pattern, by the engine that compiled it (see the module doc).
#[derive(Debug)]
pub(crate) enum Re {
    Lite(regex_lite::Regex),
    Full(regex::Regex),
}

impl Re {
    pub(crate) fn is_match(&self, s: &str) -> bool {
        match self {
            Re::Lite(re) => re.is_match(s),
            Re::Full(re) => re.is_match(s),
        }
    }

    /// The first match, as a byte range of `s`.
    pub(crate) fn find(&self, s: &str) -> Option<(usize, usize)> {
        match self {
            Re::Lite(re) => re.find(s).map(|m| (m.start(), m.end())),
            Re::Full(re) => re.find(s).map(|m| (m.start(), m.end())),
        }
    }

    /// The byte ranges of the first `limit` successive matches (all of them if `None`).
    fn find_all(&self, s: &str, limit: Option<usize>) -> Vec<(usize, usize)> {
        let limit = limit.unwrap_or(usize::MAX);
        match self {
            Re::Lite(re) => re
                .find_iter(s)
                .take(limit)
                .map(|m| (m.start(), m.end()))
                .collect(),
            Re::Full(re) => re
                .find_iter(s)
                .take(limit)
                .map(|m| (m.start(), m.end()))
                .collect(),
        }
    }

    /// Replaces every match; `$1`/`${name}` in `rep` expand unless `literal`.
    pub(crate) fn replace_all(&self, s: &str, rep: &str, literal: bool) -> String {
        match (self, literal) {
            (Re::Lite(re), false) => re.replace_all(s, rep).into_owned(),
            (Re::Lite(re), true) => re.replace_all(s, regex_lite::NoExpand(rep)).into_owned(),
            (Re::Full(re), false) => re.replace_all(s, rep).into_owned(),
            (Re::Full(re), true) => re.replace_all(s, regex::NoExpand(rep)).into_owned(),
        }
    }

    fn is_empty_pattern(&self) -> bool {
        match self {
            Re::Lite(re) => re.as_str().is_empty(),
            Re::Full(re) => re.as_str().is_empty(),
        }
    }
}

/// Compiles a Go pattern (or reuses this thread's compiled copy); the error reads like Go's
/// `regexp.Compile`. Shared, not cloned: a cloned `Regex` starts with an empty match cache,
/// whose set-up costs more than a short match.
pub(crate) fn compile(pat: &str) -> Result<Rc<Re>, TemplateError> {
    if let Some(re) = CACHE.with(|c| c.borrow().get(pat).cloned()) {
        return Ok(re);
    }
    let re = Rc::new(compile_uncached(pat)?);
    CACHE.with(|c| {
        let mut c = c.borrow_mut();
        if c.len() < CACHE_SIZE {
            c.insert(pat.to_string(), re.clone());
        }
    });
    Ok(re)
}

/// Largest compiled program either engine may build for one pattern.
const SIZE_LIMIT: usize = 10 << 20;

fn compile_uncached(pat: &str) -> Result<Re, TemplateError> {
    if !needs_unicode(pat)
        && let Ok(re) = regex_lite::RegexBuilder::new(&translate(pat, true))
            .size_limit(SIZE_LIMIT)
            .build()
    {
        return Ok(Re::Lite(re));
    }
    regex::RegexBuilder::new(&translate(pat, false))
        .size_limit(SIZE_LIMIT)
        .build()
        .map(Re::Full)
        .map_err(|e| {
            let msg = e.to_string();
            let detail = msg
                .lines()
                .rev()
                .find(|l| l.starts_with("error:"))
                .map(|l| l.trim_start_matches("error:").trim().to_string())
                .unwrap_or_else(|| msg.lines().next().unwrap_or("invalid pattern").to_string());
            TemplateError::plain(format!("error parsing regexp: {detail}: `{pat}`"))
        })
}

/// `regexp.MustCompile`'s panic text.
fn must_compile(pat: &str) -> Result<Rc<Re>, TemplateError> {
    compile(pat).map_err(|e| {
        let q = if !pat.contains('`') && !pat.contains(|c: char| c < ' ' && c != '\t') {
            format!("`{pat}`")
        } else {
            super::super::fmt::quote_go(pat)
        };
        TemplateError::plain(format!("regexp: Compile({q}): {e}"))
    })
}

fn find_all(re: &Re, s: &str, n: i64) -> Vec<String> {
    if n == 0 {
        return Vec::new();
    }
    let limit = (n > 0).then_some(n as usize);
    re.find_all(s, limit)
        .into_iter()
        .map(|(a, b)| s[a..b].to_string())
        .collect()
}

/// Go's `Regexp.Split`.
fn split(re: &Re, s: &str, n: i64) -> Vec<String> {
    if n == 0 {
        return Vec::new();
    }
    if !re.is_empty_pattern() && s.is_empty() {
        return vec![String::new()];
    }
    let matches = re.find_all(s, (n > 0).then_some(n as usize));
    let mut out = Vec::new();
    let (mut beg, mut end) = (0, 0);
    for (a, b) in matches {
        if n > 0 && out.len() as i64 == n - 1 {
            break;
        }
        end = a;
        if b != 0 {
            out.push(s[beg..end].to_string());
        }
        beg = b;
    }
    if end != s.len() {
        out.push(s[beg..].to_string());
    }
    out
}

/// Go's `regexp.QuoteMeta`.
fn quote_meta(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        if "\\.+*?()|[]{}^$".contains(c) {
            out.push('\\');
        }
        out.push(c);
    }
    out
}

pub(super) fn register(m: &mut FuncMap) {
    use Param::*;
    def(m, "regexMatch", &[String, String], |_, a| {
        Ok(Value::Bool(
            compile(s(&a[0])).is_ok_and(|re| re.is_match(s(&a[1]))),
        ))
    });
    def(m, "mustRegexMatch", &[String, String], |_, a| {
        Ok(Value::Bool(compile(s(&a[0]))?.is_match(s(&a[1]))))
    });
    def(m, "regexFindAll", &[String, String, Int], |_, a| {
        let re = must_compile(s(&a[0]))?;
        Ok(Value::string_list(find_all(&re, s(&a[1]), i(&a[2]))))
    });
    def(m, "mustRegexFindAll", &[String, String, Int], |_, a| {
        let re = compile(s(&a[0]))?;
        Ok(Value::string_list(find_all(&re, s(&a[1]), i(&a[2]))))
    });
    def(m, "regexFind", &[String, String], |_, a| {
        let re = must_compile(s(&a[0]))?;
        Ok(Value::str(
            re.find(s(&a[1])).map_or("", |(x, y)| &s(&a[1])[x..y]),
        ))
    });
    def(m, "mustRegexFind", &[String, String], |_, a| {
        let re = compile(s(&a[0]))?;
        Ok(Value::str(
            re.find(s(&a[1])).map_or("", |(x, y)| &s(&a[1])[x..y]),
        ))
    });
    def(m, "regexReplaceAll", &[String, String, String], |_, a| {
        let re = must_compile(s(&a[0]))?;
        str_result(re.replace_all(s(&a[1]), s(&a[2]), false))
    });
    def(
        m,
        "mustRegexReplaceAll",
        &[String, String, String],
        |_, a| {
            let re = compile(s(&a[0]))?;
            str_result(re.replace_all(s(&a[1]), s(&a[2]), false))
        },
    );
    def(
        m,
        "regexReplaceAllLiteral",
        &[String, String, String],
        |_, a| {
            let re = must_compile(s(&a[0]))?;
            str_result(re.replace_all(s(&a[1]), s(&a[2]), true))
        },
    );
    def(
        m,
        "mustRegexReplaceAllLiteral",
        &[String, String, String],
        |_, a| {
            let re = compile(s(&a[0]))?;
            str_result(re.replace_all(s(&a[1]), s(&a[2]), true))
        },
    );
    def(m, "regexSplit", &[String, String, Int], |_, a| {
        let re = must_compile(s(&a[0]))?;
        Ok(Value::string_list(split(&re, s(&a[1]), i(&a[2]))))
    });
    def(m, "mustRegexSplit", &[String, String, Int], |_, a| {
        let re = compile(s(&a[0]))?;
        Ok(Value::string_list(split(&re, s(&a[1]), i(&a[2]))))
    });
    def(m, "regexQuoteMeta", &[String], |_, a| {
        Ok(Value::string(quote_meta(s(&a[0]))))
    });
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ascii_classes_like_go() {
        let re = compile(r"^\w+$").unwrap();
        assert!(re.is_match("abc_1"));
        assert!(!re.is_match("é"));
        let re = compile(r"[\d.]+").unwrap();
        assert_eq!(re.find("v1.20.3"), Some((1, 7)));
        assert!(compile("[").is_err());
    }

    #[test]
    fn dash_after_a_class_escape_is_literal_like_go() {
        // redis-ha's masterGroupName check: ^[\w-\.]+$
        let re = compile(r"^[\w-\.]+$").unwrap();
        assert!(re.is_match("my-master.1"));
        assert!(!re.is_match("a b"));
        let re = compile(r"^[\d-]+$").unwrap();
        assert!(re.is_match("1-2"));
    }

    #[test]
    fn brace_without_a_repetition_is_literal_like_go() {
        let re = compile("a{,3}").unwrap();
        assert!(re.is_match("a{,3}") && !re.is_match("aaa"));
        assert!(compile("^x{2}$").unwrap().is_match("xx"));
        assert!(compile("^x{1,}$").unwrap().is_match("xxx"));
        assert!(compile("{v}").unwrap().is_match("{v}"));
        assert!(compile(r"^\p{Lu}{2}$").unwrap().is_match("ÀB"));
    }

    #[test]
    fn split_like_go() {
        let re = compile("a").unwrap();
        assert_eq!(split(&re, "banana", -1), vec!["b", "n", "n", ""]);
        assert_eq!(split(&re, "banana", 2), vec!["b", "nana"]);
        let re = compile("").unwrap();
        assert_eq!(split(&re, "abc", -1), vec!["a", "b", "c"]);
    }

    #[test]
    fn replace_expands_like_go() {
        let re = compile("a(x*)b").unwrap();
        assert_eq!(re.replace_all("-ab-axxb-", "${1}W", false), "-W-xxW-");
        assert_eq!(re.replace_all("-ab-axxb-", "$1W", false), "---");
        assert_eq!(re.replace_all("-ab-axxb-", "$1W", true), "-$1W-$1W-");
        assert_eq!(quote_meta("a.b*c"), "a\\.b\\*c");
    }

    /// Where a pattern goes to `regex-lite`, it finds and replaces exactly what `regex` does.
    #[test]
    fn lite_and_full_agree() {
        let patterns = [
            r"{(v[0-9])*[^}]*}}$",
            r"^([0-9]+)(\.[0-9]+)?(\.[0-9]+)?(-([0-9A-Za-z\-]+(\.[0-9A-Za-z\-]+)*))?(\+([0-9A-Za-z\-]+(\.[0-9A-Za-z\-]+)*))?$",
            r"[^A-Za-z0-9]+$",
            r"(-?[^a-z\d\-])+-?",
            r"\W",
            r"-r\d+$|sha256:",
            r"^[\w-\.]+$",
            r"\bfoo\b",
            r"a*",
            r"",
            r"(a|ab)(c|bcd)(d*)",
            r".",
            r"[^x]",
            r"^$",
            r"(?P<word>\w+)@(\w+)\.com",
            r"x{2,3}?",
            r"\s+",
            r"[[:alpha:]]+",
        ];
        let haystacks = [
            "",
            "abc",
            "v1.2.3-r10",
            "{v1}}",
            "Hello, wörld! ß ✓ é",
            "release-NAME_x.y",
            "foo food foo",
            "abcd abbcd",
            "sha256:abc xxx xxxx",
            "tab\tand  spaces\n",
            "me@example.com you@test.com",
            "😀a😀",
        ];
        for pat in patterns {
            let (lite, full) = (translate(pat, true), translate(pat, false));
            let (Ok(lite), Ok(full)) = (regex_lite::Regex::new(&lite), regex::Regex::new(&full))
            else {
                panic!("{pat} should compile with both engines");
            };
            let (lite, full) = (Re::Lite(lite), Re::Full(full));
            for h in haystacks {
                assert_eq!(lite.is_match(h), full.is_match(h), "{pat} on {h:?}");
                assert_eq!(
                    lite.find_all(h, None),
                    full.find_all(h, None),
                    "{pat} on {h:?}"
                );
                for rep in ["<$1>", "${word}", "$$", "x"] {
                    for literal in [false, true] {
                        assert_eq!(
                            lite.replace_all(h, rep, literal),
                            full.replace_all(h, rep, literal),
                            "{pat} on {h:?} with {rep}"
                        );
                    }
                }
            }
            assert!(matches!(*compile(pat).unwrap(), Re::Lite(_)), "{pat}");
        }
        // Flags and Unicode classes stay with `regex`; so do errors.
        assert!(matches!(*compile("(?i)k").unwrap(), Re::Full(_)));
        assert!(compile("(?i)k").unwrap().is_match("\u{212A}"));
        assert!(matches!(*compile(r"\p{Lu}+").unwrap(), Re::Full(_)));
        assert!(matches!(*compile("(?m:^a$)").unwrap(), Re::Lite(_)));
        assert!(matches!(*compile("(?mi)^a$").unwrap(), Re::Full(_)));
        assert!(compile("a(").is_err());
    }
}
