//! `regex_match(value, pattern)` and `regex_replace(value, pattern, replacement)`, with the
//! `regex` crate (RE2-like syntax, as Go's regexp; `$1`/`${name}` in replacements, as Go).
//! Compiled patterns are size-limited so a hostile pattern fails fast instead of eating memory.

use super::{charge_output, text_of};
use minijinja::value::Value;
use minijinja::{Error, ErrorKind, State};

/// Compiled-program size limit for one pattern.
const REGEX_SIZE_LIMIT: usize = 1 << 20;

fn compile(what: &str, pattern: &str) -> Result<regex::Regex, Error> {
    regex::RegexBuilder::new(pattern)
        .size_limit(REGEX_SIZE_LIMIT)
        .dfa_size_limit(REGEX_SIZE_LIMIT)
        .build()
        .map_err(|e| {
            let reason = match e {
                regex::Error::CompiledTooBig(_) => "pattern is too large".to_string(),
                other => other.to_string(),
            };
            Error::new(
                ErrorKind::InvalidOperation,
                format!("{what}: invalid regular expression: {reason}"),
            )
        })
}

pub fn regex_match(state: &State, v: Value, pattern: String) -> Result<bool, Error> {
    let text = text_of(state, &v)?;
    state.consume_fuel((text.len() + pattern.len()) as u64 / 8)?;
    Ok(compile("regex_match", &pattern)?.is_match(&text))
}

pub fn regex_replace(
    state: &State,
    v: Value,
    pattern: String,
    replacement: String,
) -> Result<String, Error> {
    let text = text_of(state, &v)?;
    state.consume_fuel((text.len() + pattern.len()) as u64 / 8)?;
    let out = compile("regex_replace", &pattern)?
        .replace_all(&text, replacement.as_str())
        .into_owned();
    charge_output(state, "regex_replace", out.len())?;
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::super::testing::*;
    use serde_json::json;

    #[test]
    fn matching_and_replacing() {
        assert_eq!(
            render("{{ 'abc123' | regex_match('^[a-z]+[0-9]+$') }}", json!({})),
            "true"
        );
        assert_eq!(render("{{ regex_match('abc', '^b') }}", json!({})), "false");
        assert_eq!(
            render("{{ 'a.b.c' | regex_replace('\\\\.', '-') }}", json!({})),
            "a-b-c"
        );
        assert_eq!(
            render(
                "{{ 'v1.2.3' | regex_replace('^v([0-9]+)\\\\..*$', '${1}') }}",
                json!({})
            ),
            "1"
        );
    }

    #[test]
    fn bad_and_huge_patterns_fail_cleanly() {
        let e = render_err("{{ 'a' | regex_match('(') }}", json!({}));
        assert!(e.contains("invalid regular expression"), "{e}");
        let e = render_err("{{ 'a' | regex_match('(a{1000}){1000}') }}", json!({}));
        assert!(e.contains("invalid regular expression"), "{e}");
    }
}
