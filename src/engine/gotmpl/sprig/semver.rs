//! Sprig's `semver` and `semverCompare` on top of the shared Masterminds/semver v3 port in
//! `engine/gotmpl/semver.rs` (which also serves dependency ranges and `kubeVersion:`); this
//! file only adapts it to the template engine: errors as template errors and `*semver.Version`
//! as an object with Masterminds' methods.

use super::super::error::TemplateError;
use super::super::exec::FuncMap;
use super::super::semver::{Constraints, Version, parse_version};
use super::super::value::{Kind, Object, Param, Signature, Value};
use super::{def, s};
use std::rc::Rc;

fn err(e: impl std::fmt::Display) -> TemplateError {
    TemplateError::plain(e.to_string())
}

/// Sprig's `semverCompare`: Masterminds' `NewConstraint(c).Check(NewVersion(v))`.
pub(crate) fn semver_compare(constraint: &str, version: &str) -> Result<bool, TemplateError> {
    let cs = parse_constraints_cached(constraint)?;
    let v = parse_version(version).map_err(err)?;
    Ok(cs.check(&v))
}

/// Most constraint strings kept parsed per thread (charts test the same few constraints in
/// every template: kube-prometheus-stack calls `semverCompare ">=1.14.0-0"` ~170 times).
const CACHE_SIZE: usize = 256;

thread_local! {
    static CACHE: std::cell::RefCell<
        std::collections::HashMap<String, std::rc::Rc<Constraints>>,
    > = std::cell::RefCell::new(std::collections::HashMap::new());
}

fn parse_constraints_cached(s: &str) -> Result<std::rc::Rc<Constraints>, TemplateError> {
    if let Some(c) = CACHE.with(|c| c.borrow().get(s).cloned()) {
        return Ok(c);
    }
    let cs = std::rc::Rc::new(Constraints::parse(s).map_err(err)?);
    CACHE.with(|c| {
        let mut c = c.borrow_mut();
        if c.len() < CACHE_SIZE {
            c.insert(s.to_string(), cs.clone());
        }
    });
    Ok(cs)
}

/// `*semver.Version` in templates.
#[derive(Debug)]
struct SemverObject(Version);

impl Object for SemverObject {
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
        let v = &self.0;
        Ok(match name {
            "Major" => Value::Int64(v.major() as i64),
            "Minor" => Value::Int64(v.minor() as i64),
            "Patch" => Value::Int64(v.patch() as i64),
            "Prerelease" => Value::str(v.prerelease()),
            "Metadata" => Value::str(v.metadata()),
            "Original" => Value::str(v.original()),
            _ => Value::string(v.to_string()),
        })
    }
    fn format(&self) -> String {
        self.0.to_string()
    }
    fn to_json(&self) -> Option<serde_json::Value> {
        Some(serde_json::Value::String(self.0.to_string()))
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
        let v = parse_version(s(&a[0])).map_err(err)?;
        Ok(Value::Object(Rc::new(SemverObject(v))))
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
        // messages as helm 4.3.1 prints them
        assert_eq!(
            semver_compare("x y z", "1.0.0").unwrap_err().to_string(),
            "improper constraint: \"x y z\""
        );
        assert_eq!(
            semver_compare(">1", "nope").unwrap_err().to_string(),
            "invalid semantic version"
        );
    }

    #[test]
    fn version_object_methods() {
        let v = SemverObject(parse_version("v1.2.3-rc.1+b").unwrap());
        let call = |m: &str| v.call_method(m, vec![]).unwrap();
        assert!(matches!(call("Major"), Value::Int64(1)));
        assert!(matches!(call("Patch"), Value::Int64(3)));
        assert_eq!(call("Original").as_str(), Some("v1.2.3-rc.1+b"));
        assert_eq!(call("Prerelease").as_str(), Some("rc.1"));
        assert_eq!(v.format(), "1.2.3-rc.1+b");
        assert_eq!(
            parse_version("1.2.3-01").unwrap_err().to_string(),
            "version segment starts with 0"
        );
    }
}
