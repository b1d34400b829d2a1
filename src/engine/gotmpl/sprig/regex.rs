//! Sprig's regular-expression functions over the `regex` crate, with Go's RE2 dialect
//! differences bridged: `\d`, `\w`, `\s`, `\b` are ASCII-only in Go, so patterns are
//! translated before compiling; `Split` and `QuoteMeta` follow Go's definitions.

use super::super::error::TemplateError;
use super::super::exec::FuncMap;
use super::super::value::{Param, Value};
use super::{def, i, s, str_result};
use std::rc::Rc;

/// Rewrites Go-only semantics of a pattern for the `regex` crate.
pub(crate) fn translate(pat: &str) -> String {
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
                    'b' if in_class == 0 => ("", "(?-u:\\b)"),
                    'B' if in_class == 0 => ("", "(?-u:\\B)"),
                    _ => {
                        out.push('\\');
                        out.push(n);
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
            c => out.push(c),
        }
    }
    out
}

/// Most patterns compiled per thread that are kept for reuse (charts call `regexMatch` with
/// the same few patterns hundreds of times; compiling dominates matching).
const CACHE_SIZE: usize = 256;

thread_local! {
    static CACHE: std::cell::RefCell<std::collections::HashMap<String, Rc<regex::Regex>>> =
        std::cell::RefCell::new(std::collections::HashMap::new());
}

/// Compiles a Go pattern (or reuses this thread's compiled copy); the error reads like Go's
/// `regexp.Compile`. Shared, not cloned: a cloned `Regex` starts with an empty match cache,
/// whose set-up costs more than a short match.
pub(crate) fn compile(pat: &str) -> Result<Rc<regex::Regex>, TemplateError> {
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

fn compile_uncached(pat: &str) -> Result<regex::Regex, TemplateError> {
    regex::RegexBuilder::new(&translate(pat))
        .size_limit(10 * (1 << 20))
        .build()
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
fn must_compile(pat: &str) -> Result<Rc<regex::Regex>, TemplateError> {
    compile(pat).map_err(|e| {
        let q = if !pat.contains('`') && !pat.contains(|c: char| c < ' ' && c != '\t') {
            format!("`{pat}`")
        } else {
            super::super::fmt::quote_go(pat)
        };
        TemplateError::plain(format!("regexp: Compile({q}): {e}"))
    })
}

fn find_all(re: &regex::Regex, s: &str, n: i64) -> Vec<String> {
    if n == 0 {
        return Vec::new();
    }
    let it = re.find_iter(s).map(|m| m.as_str().to_string());
    if n < 0 {
        it.collect()
    } else {
        it.take(n as usize).collect()
    }
}

/// Go's `Regexp.Split`.
fn split(re: &regex::Regex, s: &str, n: i64) -> Vec<String> {
    if n == 0 {
        return Vec::new();
    }
    if !re.as_str().is_empty() && s.is_empty() {
        return vec![String::new()];
    }
    let matches: Vec<(usize, usize)> = if n < 0 {
        re.find_iter(s).map(|m| (m.start(), m.end())).collect()
    } else {
        re.find_iter(s)
            .take(n as usize)
            .map(|m| (m.start(), m.end()))
            .collect()
    };
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
            re.find(s(&a[1])).map(|m| m.as_str()).unwrap_or(""),
        ))
    });
    def(m, "mustRegexFind", &[String, String], |_, a| {
        let re = compile(s(&a[0]))?;
        Ok(Value::str(
            re.find(s(&a[1])).map(|m| m.as_str()).unwrap_or(""),
        ))
    });
    def(m, "regexReplaceAll", &[String, String, String], |_, a| {
        let re = must_compile(s(&a[0]))?;
        str_result(re.replace_all(s(&a[1]), s(&a[2])).into_owned())
    });
    def(
        m,
        "mustRegexReplaceAll",
        &[String, String, String],
        |_, a| {
            let re = compile(s(&a[0]))?;
            str_result(re.replace_all(s(&a[1]), s(&a[2])).into_owned())
        },
    );
    def(
        m,
        "regexReplaceAllLiteral",
        &[String, String, String],
        |_, a| {
            let re = must_compile(s(&a[0]))?;
            str_result(
                re.replace_all(s(&a[1]), regex::NoExpand(s(&a[2])))
                    .into_owned(),
            )
        },
    );
    def(
        m,
        "mustRegexReplaceAllLiteral",
        &[String, String, String],
        |_, a| {
            let re = compile(s(&a[0]))?;
            str_result(
                re.replace_all(s(&a[1]), regex::NoExpand(s(&a[2])))
                    .into_owned(),
            )
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
        assert_eq!(re.find("v1.20.3").unwrap().as_str(), "1.20.3");
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
        assert_eq!(re.replace_all("-ab-axxb-", "${1}W").into_owned(), "-W-xxW-");
        assert_eq!(re.replace_all("-ab-axxb-", "$1W").into_owned(), "---");
        assert_eq!(quote_meta("a.b*c"), "a\\.b\\*c");
    }
}
