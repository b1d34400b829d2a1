//! `semver` and `semverCompare` with Masterminds/semver v3's rules (loose versions with an
//! optional `v`, missing minor/patch, `x`/`*` wildcards, `=`, `!=`, `>`, `<`, `>=`, `<=`,
//! `~`, `^`, hyphen ranges, `,`/space for AND and `||` for OR, and prereleases matching only
//! constraints that have one). Self-contained here because this module must not import the
//! rest of the crate.

use super::super::error::TemplateError;
use super::super::exec::FuncMap;
use super::super::value::{Kind, Object, Param, Signature, Value};
use super::{def, s};
use std::cmp::Ordering;
use std::rc::Rc;

#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Version {
    major: u64,
    minor: u64,
    patch: u64,
    pre: String,
    meta: String,
    original: String,
}

fn ident_ok(s: &str) -> bool {
    !s.is_empty()
        && s.split('.')
            .all(|p| !p.is_empty() && p.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-'))
}

fn num(s: &str) -> Option<u64> {
    if s.is_empty() || !s.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    s.parse().ok()
}

impl Version {
    /// Masterminds `NewVersion` (loose).
    pub(crate) fn parse(text: &str) -> Result<Version, TemplateError> {
        let bad = || TemplateError::plain("invalid semantic version");
        let t = text.strip_prefix('v').unwrap_or(text);
        let (t, meta) = match t.split_once('+') {
            Some((a, m)) => {
                if !ident_ok(m) {
                    return Err(bad());
                }
                (a, m.to_string())
            }
            None => (t, String::new()),
        };
        let (core, pre) = match t.split_once('-') {
            Some((a, p)) => {
                if !ident_ok(p) {
                    return Err(bad());
                }
                (a, p.to_string())
            }
            None => (t, String::new()),
        };
        let parts: Vec<&str> = core.split('.').collect();
        if parts.is_empty() || parts.len() > 3 {
            return Err(bad());
        }
        let major = num(parts[0]).ok_or_else(bad)?;
        let minor = match parts.get(1) {
            Some(p) => num(p).ok_or_else(bad)?,
            None => 0,
        };
        let patch = match parts.get(2) {
            Some(p) => num(p).ok_or_else(bad)?,
            None => 0,
        };
        Ok(Version {
            major,
            minor,
            patch,
            pre,
            meta,
            original: text.to_string(),
        })
    }

    fn compare(&self, o: &Version) -> Ordering {
        let c = (self.major, self.minor, self.patch).cmp(&(o.major, o.minor, o.patch));
        if c != Ordering::Equal {
            return c;
        }
        match (self.pre.is_empty(), o.pre.is_empty()) {
            (true, true) => Ordering::Equal,
            (true, false) => Ordering::Greater,
            (false, true) => Ordering::Less,
            (false, false) => compare_pre(&self.pre, &o.pre),
        }
    }

    fn to_text(&self) -> String {
        let mut s = format!("{}.{}.{}", self.major, self.minor, self.patch);
        if !self.pre.is_empty() {
            s.push('-');
            s.push_str(&self.pre);
        }
        if !self.meta.is_empty() {
            s.push('+');
            s.push_str(&self.meta);
        }
        s
    }
}

fn compare_pre(a: &str, b: &str) -> Ordering {
    let (pa, pb): (Vec<&str>, Vec<&str>) = (a.split('.').collect(), b.split('.').collect());
    for (x, y) in pa.iter().zip(pb.iter()) {
        let c = match (num(x), num(y)) {
            (Some(i), Some(j)) => i.cmp(&j),
            (Some(_), None) => Ordering::Less,
            (None, Some(_)) => Ordering::Greater,
            (None, None) => x.cmp(y),
        };
        if c != Ordering::Equal {
            return c;
        }
    }
    pa.len().cmp(&pb.len())
}

#[derive(Debug)]
struct Constraint {
    op: String,
    con: Version,
    dirty: bool,
    minor_dirty: bool,
    patch_dirty: bool,
}

fn is_x(s: &str) -> bool {
    matches!(s, "x" | "X" | "*")
}

fn parse_one(op: &str, ver: &str, whole: &str) -> Result<Constraint, TemplateError> {
    let improper = || TemplateError::plain(format!("improper constraint: {whole}"));
    let v = ver.strip_prefix('v').unwrap_or(ver);
    let (v, meta) = match v.split_once('+') {
        Some((a, m)) => (a, format!("+{m}")),
        None => (v, String::new()),
    };
    let (core, pre) = match v.split_once('-') {
        Some((a, p)) => (a, format!("-{p}")),
        None => (v, String::new()),
    };
    let parts: Vec<&str> = core.split('.').collect();
    if parts.is_empty() || parts.len() > 3 || parts.iter().any(|p| p.is_empty()) {
        return Err(improper());
    }
    for p in &parts {
        if !is_x(p) && num(p).is_none() {
            return Err(improper());
        }
    }
    let (mut dirty, mut minor_dirty, mut patch_dirty) = (false, false, false);
    let text = if is_x(parts[0]) {
        dirty = true;
        format!("0.0.0{pre}{meta}")
    } else if parts.len() < 2 || is_x(parts[1]) {
        dirty = true;
        minor_dirty = true;
        format!("{}.0.0{pre}{meta}", parts[0])
    } else if parts.len() < 3 || is_x(parts[2]) {
        dirty = true;
        patch_dirty = true;
        format!("{}.{}.0{pre}{meta}", parts[0], parts[1])
    } else {
        format!("{}{pre}{meta}", core)
    };
    let con = Version::parse(&text).map_err(|_| improper())?;
    Ok(Constraint {
        op: op.to_string(),
        con,
        dirty,
        minor_dirty,
        patch_dirty,
    })
}

fn parse_constraints(text: &str) -> Result<Vec<Vec<Constraint>>, TemplateError> {
    let mut ors = Vec::new();
    for or in text.split("||") {
        let or = or.trim();
        let mut ands = Vec::new();
        // Hyphen ranges: "a - b".
        let tokens: Vec<String> = tokenize(or);
        let mut i = 0;
        while i < tokens.len() {
            if i + 2 < tokens.len() && tokens[i + 1] == "-" {
                ands.push(parse_one(">=", &tokens[i], text)?);
                ands.push(parse_one("<=", &tokens[i + 2], text)?);
                i += 3;
                continue;
            }
            let t = &tokens[i];
            let op_len = t
                .find(|c: char| c.is_ascii_alphanumeric() || c == '*')
                .unwrap_or(t.len());
            let (op, ver) = t.split_at(op_len);
            if !matches!(
                op,
                "" | "=" | "!=" | ">" | "<" | ">=" | "=>" | "<=" | "=<" | "~" | "~>" | "^"
            ) {
                return Err(TemplateError::plain(format!("improper constraint: {text}")));
            }
            ands.push(parse_one(op, ver, text)?);
            i += 1;
        }
        if ands.is_empty() {
            return Err(TemplateError::plain(format!("improper constraint: {text}")));
        }
        ors.push(ands);
    }
    Ok(ors)
}

/// Splits an AND group on commas and spaces, keeping an operator with its version.
fn tokenize(s: &str) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    let mut pending_op = String::new();
    for raw in s.split([',', ' ']).filter(|t| !t.is_empty()) {
        if raw.chars().all(|c| "=!<>~^".contains(c)) {
            pending_op.push_str(raw);
            continue;
        }
        if raw == "-" {
            out.push(raw.to_string());
            continue;
        }
        out.push(format!("{pending_op}{raw}"));
        pending_op.clear();
    }
    out
}

fn check_one(v: &Version, c: &Constraint) -> bool {
    if !v.pre.is_empty() && c.con.pre.is_empty() {
        return false;
    }
    let cmp = v.compare(&c.con);
    match c.op.as_str() {
        "" | "=" => {
            if c.dirty {
                tilde(v, c)
            } else {
                cmp == Ordering::Equal
            }
        }
        "!=" => {
            if c.dirty {
                !tilde(v, c)
            } else {
                cmp != Ordering::Equal
            }
        }
        ">" => {
            if !c.dirty {
                return cmp == Ordering::Greater;
            }
            if v.major != c.con.major {
                return v.major > c.con.major;
            }
            if c.minor_dirty {
                return false;
            }
            if v.minor != c.con.minor {
                return v.minor > c.con.minor;
            }
            // >1.2.x: a later minor is needed.
            false
        }
        "<" => cmp == Ordering::Less,
        ">=" | "=>" => cmp != Ordering::Less,
        "<=" | "=<" => {
            if !c.dirty {
                return cmp != Ordering::Greater;
            }
            if v.major > c.con.major {
                return false;
            }
            !(v.major == c.con.major && v.minor > c.con.minor && !c.minor_dirty)
        }
        "~" | "~>" => tilde(v, c),
        "^" => {
            if cmp == Ordering::Less {
                return false;
            }
            if c.con.major > 0 || c.minor_dirty {
                return v.major == c.con.major;
            }
            if v.major > 0 {
                return false;
            }
            if c.con.minor > 0 || c.patch_dirty {
                return v.minor == c.con.minor;
            }
            if v.minor > 0 {
                return false;
            }
            c.con.patch == v.patch
        }
        _ => false,
    }
}

fn tilde(v: &Version, c: &Constraint) -> bool {
    if v.compare(&c.con) == Ordering::Less {
        return false;
    }
    if c.con.major == 0 && c.con.minor == 0 && c.con.patch == 0 && !c.minor_dirty && !c.patch_dirty
    {
        return true;
    }
    if v.major != c.con.major {
        return false;
    }
    if v.minor != c.con.minor && !c.minor_dirty {
        return false;
    }
    true
}

/// Sprig's `semverCompare`.
pub(crate) fn semver_compare(constraint: &str, version: &str) -> Result<bool, TemplateError> {
    let cs = parse_constraints(constraint)?;
    let v = Version::parse(version)?;
    Ok(cs.iter().any(|ands| ands.iter().all(|c| check_one(&v, c))))
}

impl Object for Version {
    fn type_name(&self) -> String {
        "*semver.Version".into()
    }
    fn kind(&self) -> Kind {
        Kind::Ptr
    }
    fn method(&self, name: &str) -> Option<Signature> {
        match name {
            "Major" | "Minor" | "Patch" | "Prerelease" | "Metadata" | "Original" | "String" => {
                Some(Signature::new(&[]))
            }
            _ => None,
        }
    }
    fn call_method(&self, name: &str, _args: Vec<Value>) -> Result<Value, String> {
        Ok(match name {
            "Major" => Value::Int64(self.major as i64),
            "Minor" => Value::Int64(self.minor as i64),
            "Patch" => Value::Int64(self.patch as i64),
            "Prerelease" => Value::str(&self.pre),
            "Metadata" => Value::str(&self.meta),
            "Original" => Value::str(&self.original),
            _ => Value::string(self.to_text()),
        })
    }
    fn format(&self) -> String {
        self.to_text()
    }
    fn to_json(&self) -> Option<serde_json::Value> {
        Some(serde_json::Value::String(self.to_text()))
    }
    fn as_any(&self) -> &dyn std::any::Any {
        self
    }
}

pub(super) fn register(m: &mut FuncMap) {
    use Param::*;
    def(m, "semverCompare", &[String, String], |_, a| {
        semver_compare(s(&a[0]), s(&a[1])).map(Value::Bool)
    });
    def(m, "semver", &[String], |_, a| {
        Ok(Value::Object(Rc::new(Version::parse(s(&a[0]))?)))
    });
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn masterminds_rules() {
        let table: &[(&str, &str, bool)] = &[
            (">=1.19-0", "v1.37.0", true),
            ("<1.14-0", "v1.37.0", false),
            (">=1.19-0", "1.19.0-gke.1", true),
            (">=1.19", "1.19.0-gke.1", false),
            ("1.2.x", "1.2.9", true),
            ("1.2.x", "1.3.0", false),
            ("~1.2.3", "1.2.9", true),
            ("~1.2.3", "1.3.0", false),
            ("^1.2.3", "1.9.0", true),
            ("^1.2.3", "2.0.0", false),
            ("^0.2.3", "0.2.9", true),
            ("^0.2.3", "0.3.0", false),
            (">1.0 <2.0", "1.5.0", true),
            (">1.0, <2.0", "2.5.0", false),
            ("<1.0 || >=3.0", "3.1.0", true),
            ("1.1 - 1.3", "1.2.0", true),
            ("!=1.2.3", "1.2.3", false),
            ("*", "4.5.6", true),
            ("=1.2.3", "1.2.3", true),
            (">=1.20.0-0", "v1.37.0", true),
        ];
        for (c, v, want) in table {
            assert_eq!(semver_compare(c, v).unwrap(), *want, "{c} vs {v}");
        }
        assert_eq!(
            semver_compare("x y z", "1.0.0").unwrap_err().to_string(),
            "improper constraint: x y z"
        );
        assert_eq!(
            semver_compare(">1", "nope").unwrap_err().to_string(),
            "invalid semantic version"
        );
    }
}
