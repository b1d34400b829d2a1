//! `semver_match(version, constraint)`: whether a version satisfies a Masterminds-style
//! constraint (`>=1.2.0 <2`, `^1.2`, `~1.2.3`, `1.2.x`, `1.0 - 2.0`, `a || b`), as Helm's
//! `semverCompare`.
//!
//! TODO(lead): switch [`matches`] to `crate::engine::gotmpl::semver::{parse_version,
//! Constraints}` once that module is merged; until then it is an interim translation onto the
//! `semver` crate that covers the common forms (no Masterminds prerelease special cases).

use super::text_of;
use minijinja::value::Value;
use minijinja::{Error, ErrorKind, State};

pub fn semver_match(state: &State, version: Value, constraint: String) -> Result<bool, Error> {
    let version = text_of(state, &version)?;
    matches(&version, &constraint)
        .map_err(|e| Error::new(ErrorKind::InvalidOperation, format!("semver_match: {e}")))
}

/// The one place that decides constraint matching (see the TODO above).
pub(crate) fn matches(version: &str, constraint: &str) -> Result<bool, String> {
    let v =
        parse_version(version).ok_or_else(|| format!("{version:?} is not a semantic version"))?;
    let mut any = false;
    for alt in constraint.split("||") {
        let req = translate(alt)
            .and_then(|r| semver::VersionReq::parse(&r).ok())
            .ok_or_else(|| format!("{constraint:?} is not a valid version constraint"))?;
        any |= req.matches(&v);
    }
    Ok(any)
}

fn parse_version(s: &str) -> Option<semver::Version> {
    let s = s.trim();
    let s = s.strip_prefix(['v', 'V']).unwrap_or(s);
    if let Ok(v) = semver::Version::parse(s) {
        return Some(v);
    }
    // Masterminds accepts "1" and "1.2": fill in zeros before any prerelease/build suffix.
    let split = s.find(['-', '+']).unwrap_or(s.len());
    let (core, rest) = s.split_at(split);
    let parts = core.split('.').count();
    let padded = match parts {
        1 => format!("{core}.0.0{rest}"),
        2 => format!("{core}.0{rest}"),
        _ => return None,
    };
    semver::Version::parse(&padded).ok()
}

/// Turns one `||` branch into the `semver` crate's comma-separated syntax.
fn translate(branch: &str) -> Option<String> {
    let branch = branch.trim();
    if branch.is_empty() || branch == "*" {
        return Some("*".into());
    }
    // hyphen range "a - b"
    if let Some((lo, hi)) = branch.split_once(" - ") {
        return Some(format!(">={}, <={}", bare(lo.trim())?, bare(hi.trim())?));
    }
    // join operators to their versions: ">= 1.2" -> ">=1.2"
    let mut tokens: Vec<String> = Vec::new();
    let mut pending_op: Option<String> = None;
    for tok in branch.split([' ', ',']).filter(|t| !t.is_empty()) {
        if tok.chars().all(|c| "<>=!~^".contains(c)) {
            pending_op = Some(tok.to_string());
            continue;
        }
        let tok = match pending_op.take() {
            Some(op) => format!("{op}{tok}"),
            None => tok.to_string(),
        };
        tokens.push(tok);
    }
    if pending_op.is_some() {
        return None;
    }
    let mut out = Vec::new();
    for t in tokens {
        let op_len = t.find(|c: char| !"<>=!~^".contains(c)).unwrap_or(t.len());
        let (op, ver) = t.split_at(op_len);
        let ver = ver.strip_prefix(['v', 'V']).unwrap_or(ver);
        let op = match op {
            "" | "=" => "=",
            "!=" => return None, // not expressible in the interim translation
            "~>" => "~",
            o => o,
        };
        if op == "=" && !ver.contains(['x', 'X', '*']) {
            // bare versions are exact in Masterminds (the semver crate reads them as ^)
            out.push(format!("={}", bare(ver)?));
        } else {
            out.push(format!("{op}{ver}"));
        }
    }
    Some(out.join(", "))
}

fn bare(v: &str) -> Option<String> {
    parse_version(v).map(|v| v.to_string())
}

#[cfg(test)]
mod tests {
    use super::super::testing::*;
    use super::matches;
    use serde_json::json;

    #[test]
    fn common_constraints() {
        // (version, constraint, expected) — forms whose meaning Masterminds and the interim agree on
        let cases: &[(&str, &str, bool)] = &[
            ("1.2.3", ">=1.2.0", true),
            ("1.1.9", ">=1.2.0", false),
            ("v1.25.3", ">=1.20.0 <1.30.0", true),
            ("1.30.0", ">= 1.20, < 1.30", false),
            ("1.2.3", "^1.2", true),
            ("2.0.0", "^1.2", false),
            ("1.2.9", "~1.2.3", true),
            ("1.3.0", "~1.2.3", false),
            ("1.2.7", "1.2.x", true),
            ("1.2.3", "1.2.3", true),
            ("1.2.4", "1.2.3", false),
            ("1.5.0", "1.0 - 2.0", true),
            ("3.0.0", "<2.0.0 || >=3.0.0", true),
            ("2.5.0", "<2.0.0 || >=3.0.0", false),
        ];
        for (v, c, want) in cases {
            assert_eq!(matches(v, c), Ok(*want), "{v} {c}");
        }
    }

    #[test]
    fn errors_name_the_input() {
        assert!(
            matches("not-a-version", ">=1")
                .unwrap_err()
                .contains("not-a-version")
        );
        assert!(matches("1.0.0", ">=>=").is_err());
        let e = render_err("{{ semver_match('1.0.0', '>= x y') }}", json!({}));
        assert!(e.contains("semver_match"), "{e}");
        assert_eq!(
            render(
                "{{ capabilities | semver_match('>=1.20.0') }}",
                json!({"capabilities": "v1.36.0"})
            ),
            "true"
        );
    }
}
