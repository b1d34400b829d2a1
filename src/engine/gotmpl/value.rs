//! The values a Go template works on, with the distinctions of Go's types that show in output:
//! `int` vs `int64` vs `float64`, `[]interface {}` vs `[]string`, maps (which Go always iterates
//! and prints in sorted key order, and which are shared references, so `set` mutates them), and
//! objects with fields and methods (`.Files.Get`, `.Capabilities.APIVersions.Has`).
//! Conversion from/to `serde_json::Value` lives here too. No formatting (see `fmt.rs`).

use std::cell::RefCell;
use std::collections::BTreeMap;
use std::fmt::Debug;
use std::rc::Rc;

/// A Go value as a template sees it.
#[derive(Clone, Debug, Default)]
pub enum Value {
    /// Go's untyped nil / an invalid `reflect.Value` (prints `<no value>` in an action).
    #[default]
    Nil,
    Bool(bool),
    /// Go `int`.
    Int(i64),
    /// Go `int64`.
    Int64(i64),
    /// Go `uint8` (a byte: `index "abc" 0`).
    Uint8(u8),
    /// Go `float64`.
    Float(f64),
    String(Rc<str>),
    /// Go `[]byte`.
    Bytes(Rc<[u8]>),
    List(Rc<List>),
    Map(Map),
    Object(Rc<dyn Object>),
}

/// The Go element type of a slice or map, for `typeOf` and friends.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Default)]
pub enum Elem {
    /// `interface {}`
    #[default]
    Any,
    String,
    Int,
    Int64,
    Float64,
}

impl Elem {
    fn go_name(self) -> &'static str {
        match self {
            Elem::Any => "interface {}",
            Elem::String => "string",
            Elem::Int => "int",
            Elem::Int64 => "int64",
            Elem::Float64 => "float64",
        }
    }
}

/// A Go slice. Immutable once built: Sprig's list functions return new slices.
#[derive(Debug, Default)]
pub struct List {
    pub items: Vec<Value>,
    pub elem: Elem,
}

/// The entries of a Go map: hashed for lookups (templates look keys up far more often than
/// they list them), put in key order lazily, when something lists them.
pub type Entries = indexmap::IndexMap<String, Value, super::fxhash::FxBuildHasher>;

/// The contents of a Go map with string keys.
#[derive(Debug, Default)]
pub struct MapData {
    /// The entries; in key order whenever `sorted` is true (see [`Map::sorted`]).
    pub entries: Entries,
    /// Whether `entries` is in key order.
    pub sorted: bool,
    pub elem: Elem,
    /// A named map type (`common.Values`), or `None` for `map[string]<elem>`.
    pub named: Option<&'static str>,
}

impl MapData {
    fn new(entries: Entries, sorted: bool, elem: Elem, named: Option<&'static str>) -> MapData {
        let sorted = sorted || entries.len() < 2;
        MapData {
            entries,
            sorted,
            elem,
            named,
        }
    }

    fn from_btree(
        entries: BTreeMap<String, Value>,
        elem: Elem,
        named: Option<&'static str>,
    ) -> MapData {
        let mut e = Entries::with_capacity_and_hasher(entries.len(), Default::default());
        e.extend(entries);
        MapData::new(e, true, elem, named)
    }

    fn insert(&mut self, key: String, v: Value) {
        let (i, _) = self.entries.insert_full(key, v);
        // A new key lands at the end: still in order only if it sorts after the one before.
        if self.sorted && i > 0 && i + 1 == self.entries.len() {
            let before = self.entries.get_index(i - 1).map(|(k, _)| k.as_str());
            let this = self.entries.get_index(i).map(|(k, _)| k.as_str());
            if before > this {
                self.sorted = false;
            }
        }
    }

    fn remove(&mut self, key: &str) {
        if self.entries.swap_remove(key).is_some() && self.entries.len() > 1 {
            self.sorted = false;
        }
    }
}

/// A Go map: a shared, mutable reference (Sprig's `set`, `unset` and `merge` mutate it).
#[derive(Clone, Debug, Default)]
pub struct Map(pub Rc<RefCell<MapData>>);

impl Map {
    pub fn new() -> Map {
        Map::default()
    }

    pub fn from_entries(entries: BTreeMap<String, Value>) -> Map {
        Map(Rc::new(RefCell::new(MapData::from_btree(
            entries,
            Elem::Any,
            None,
        ))))
    }

    pub fn with_type(
        entries: BTreeMap<String, Value>,
        elem: Elem,
        named: Option<&'static str>,
    ) -> Map {
        Map(Rc::new(RefCell::new(MapData::from_btree(
            entries, elem, named,
        ))))
    }

    /// A map over entries in any order (put in key order when listed).
    pub fn from_unordered(entries: Entries, elem: Elem, named: Option<&'static str>) -> Map {
        Map(Rc::new(RefCell::new(MapData::new(
            entries, false, elem, named,
        ))))
    }

    /// A new map with the same entries (shared values), element type and name.
    pub fn shallow_copy(&self, named: Option<&'static str>) -> Map {
        let d = self.0.borrow();
        Map(Rc::new(RefCell::new(MapData::new(
            d.entries.clone(),
            d.sorted,
            d.elem,
            named,
        ))))
    }

    pub fn get(&self, key: &str) -> Option<Value> {
        self.0.borrow().entries.get(key).cloned()
    }

    /// The element type and the entry for `key`, under one borrow (field lookups).
    pub fn elem_and_get(&self, key: &str) -> (Elem, Option<Value>) {
        let d = self.0.borrow();
        (d.elem, d.entries.get(key).cloned())
    }

    pub fn contains_key(&self, key: &str) -> bool {
        self.0.borrow().entries.contains_key(key)
    }

    pub fn insert(&self, key: impl Into<String>, v: Value) {
        self.0.borrow_mut().insert(key.into(), v);
    }

    pub fn remove(&self, key: &str) {
        self.0.borrow_mut().remove(key);
    }

    pub fn len(&self) -> usize {
        self.0.borrow().entries.len()
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// The map's data with its entries in key order (sorting them first if needed).
    pub fn sorted(&self) -> std::cell::Ref<'_, MapData> {
        if !self.0.borrow().sorted {
            let mut d = self.0.borrow_mut();
            d.entries.sort_unstable_keys();
            d.sorted = true;
        }
        self.0.borrow()
    }

    /// A sorted snapshot of the entries (safe to use while the map is mutated).
    pub fn entries(&self) -> Vec<(String, Value)> {
        self.sorted()
            .entries
            .iter()
            .map(|(k, v)| (k.clone(), v.clone()))
            .collect()
    }

    pub fn keys(&self) -> Vec<String> {
        self.sorted().entries.keys().cloned().collect()
    }

    pub fn elem(&self) -> Elem {
        self.0.borrow().elem
    }

    pub fn ptr_eq(&self, other: &Map) -> bool {
        Rc::ptr_eq(&self.0, &other.0)
    }

    pub fn type_name(&self) -> String {
        let d = self.0.borrow();
        match d.named {
            Some(n) => n.to_string(),
            None => format!("map[string]{}", d.elem.go_name()),
        }
    }
}

/// The signature of a method or function parameter, for Go's argument type checks.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Param {
    /// `interface {}`: anything.
    Any,
    /// `reflect.Value`: anything, nil included (the builtins).
    Reflect,
    String,
    Int,
    Int64,
    Float64,
    Bool,
    /// `[]interface {}`
    List,
    /// `[]string`
    StringList,
    /// `map[string]interface {}`
    Map,
    /// `[]byte`
    Bytes,
    /// `uint32`
    Uint32,
    /// A struct type by its Go name (`time.Time`, `sprig.certificate`).
    Object(&'static str),
}

impl Param {
    pub fn go_name(self) -> &'static str {
        match self {
            Param::Any => "interface {}",
            Param::Reflect => "reflect.Value",
            Param::String => "string",
            Param::Int => "int",
            Param::Int64 => "int64",
            Param::Float64 => "float64",
            Param::Bool => "bool",
            Param::List => "[]interface {}",
            Param::StringList => "[]string",
            Param::Map => "map[string]interface {}",
            Param::Bytes => "[]uint8",
            Param::Uint32 => "uint32",
            Param::Object(n) => n,
        }
    }
}

/// Parameter types of a function or method.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Signature {
    pub params: Vec<Param>,
    /// The element type of a trailing `...` parameter.
    pub variadic: Option<Param>,
}

impl Signature {
    pub fn new(params: &[Param]) -> Signature {
        Signature {
            params: params.to_vec(),
            variadic: None,
        }
    }

    pub fn variadic(params: &[Param], rest: Param) -> Signature {
        Signature {
            params: params.to_vec(),
            variadic: Some(rest),
        }
    }
}

/// Go's reflect kinds that Sprig's `kindOf` reports.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Kind {
    Invalid,
    Bool,
    Int,
    Int64,
    Uint8,
    Float64,
    String,
    Slice,
    Map,
    Struct,
    Ptr,
}

impl Kind {
    pub fn name(self) -> &'static str {
        match self {
            Kind::Invalid => "invalid",
            Kind::Bool => "bool",
            Kind::Int => "int",
            Kind::Int64 => "int64",
            Kind::Uint8 => "uint8",
            Kind::Float64 => "float64",
            Kind::String => "string",
            Kind::Slice => "slice",
            Kind::Map => "map",
            Kind::Struct => "struct",
            Kind::Ptr => "ptr",
        }
    }
}

/// A Go struct or named type with fields and methods, provided by the embedder
/// (Helm's `.Files`, `.Capabilities`) or by functions (`now`, `semver`).
pub trait Object: Debug {
    /// Go's `%T`, e.g. `*common.Capabilities`.
    fn type_name(&self) -> String;
    /// Go's reflect kind.
    fn kind(&self) -> Kind {
        Kind::Struct
    }
    /// An exported field or map entry (`.Field`), without arguments.
    fn field(&self, _name: &str) -> Option<Value> {
        None
    }
    /// The signature of a method, if the object has one by that name.
    fn method(&self, _name: &str) -> Option<Signature> {
        None
    }
    /// Calls a method (arguments already checked against [`Object::method`]).
    fn call_method(&self, name: &str, _args: Vec<Value>) -> Result<Value, String> {
        Err(format!("no method {name}"))
    }
    /// `%v` formatting (Go's `String()` method, or its struct form `{a b}`).
    fn format(&self) -> String;
    /// The object seen as a plain collection (for `range`, `len`, `index`, JSON), if it is one.
    fn as_collection(&self) -> Option<Value> {
        None
    }
    /// The JSON form (`toJson`/`toYaml`), if different from its collection form.
    fn to_json(&self) -> Option<serde_json::Value> {
        None
    }
    /// For downcasting in functions that accept specific objects (`date`, semver).
    fn as_any(&self) -> &dyn std::any::Any;
}

impl Value {
    pub fn str(s: &str) -> Value {
        Value::String(Rc::from(s))
    }

    pub fn string(s: String) -> Value {
        Value::String(Rc::from(s))
    }

    pub fn list(items: Vec<Value>) -> Value {
        Value::List(Rc::new(List {
            items,
            elem: Elem::Any,
        }))
    }

    pub fn string_list(items: Vec<String>) -> Value {
        Value::List(Rc::new(List {
            items: items.into_iter().map(Value::string).collect(),
            elem: Elem::String,
        }))
    }

    pub fn typed_list(items: Vec<Value>, elem: Elem) -> Value {
        Value::List(Rc::new(List { items, elem }))
    }

    pub fn map(m: BTreeMap<String, Value>) -> Value {
        Value::Map(Map::from_entries(m))
    }

    pub fn is_nil(&self) -> bool {
        matches!(self, Value::Nil)
    }

    /// Go's `%T`.
    pub fn type_name(&self) -> String {
        match self {
            Value::Nil => "<nil>".into(),
            Value::Bool(_) => "bool".into(),
            Value::Int(_) => "int".into(),
            Value::Int64(_) => "int64".into(),
            Value::Uint8(_) => "uint8".into(),
            Value::Float(_) => "float64".into(),
            Value::String(_) => "string".into(),
            Value::Bytes(_) => "[]uint8".into(),
            Value::List(l) => format!("[]{}", l.elem.go_name()),
            Value::Map(m) => m.type_name(),
            Value::Object(o) => o.type_name(),
        }
    }

    pub fn kind(&self) -> Kind {
        match self {
            Value::Nil => Kind::Invalid,
            Value::Bool(_) => Kind::Bool,
            Value::Int(_) => Kind::Int,
            Value::Int64(_) => Kind::Int64,
            Value::Uint8(_) => Kind::Uint8,
            Value::Float(_) => Kind::Float64,
            Value::String(_) => Kind::String,
            Value::Bytes(_) | Value::List(_) => Kind::Slice,
            Value::Map(_) => Kind::Map,
            Value::Object(o) => o.kind(),
        }
    }

    /// Go's `template.IsTrue`: the zero value of its type is false; structs are true.
    pub fn truthy(&self) -> bool {
        match self {
            Value::Nil => false,
            Value::Bool(b) => *b,
            Value::Int(i) | Value::Int64(i) => *i != 0,
            Value::Uint8(u) => *u != 0,
            Value::Float(f) => *f != 0.0,
            Value::String(s) => !s.is_empty(),
            Value::Bytes(b) => !b.is_empty(),
            Value::List(l) => !l.items.is_empty(),
            Value::Map(m) => !m.is_empty(),
            Value::Object(o) => match o.as_collection() {
                Some(c) => c.truthy(),
                None => true,
            },
        }
    }

    /// The value as a string, if it is one.
    pub fn as_str(&self) -> Option<&str> {
        match self {
            Value::String(s) => Some(s),
            _ => None,
        }
    }

    /// A collection view: objects that are maps or slices underneath show as such.
    pub fn collection(&self) -> Value {
        match self {
            Value::Object(o) => o.as_collection().unwrap_or_else(|| self.clone()),
            _ => self.clone(),
        }
    }

    /// Integer value of any integer kind.
    pub fn as_int(&self) -> Option<i64> {
        match self {
            Value::Int(i) | Value::Int64(i) => Some(*i),
            Value::Uint8(u) => Some(*u as i64),
            _ => None,
        }
    }

    /// From JSON with Helm's number model: integers become `int64`, others `float64`.
    pub fn from_json(v: &serde_json::Value) -> Value {
        Self::from_json_with(v, None)
    }

    /// From JSON; maps at the top get the given named type (`common.Values`).
    pub fn from_json_named(v: &serde_json::Value, named: &'static str) -> Value {
        Self::from_json_with(v, Some(named))
    }

    fn from_json_with(v: &serde_json::Value, named: Option<&'static str>) -> Value {
        match v {
            serde_json::Value::Null => Value::Nil,
            serde_json::Value::Bool(b) => Value::Bool(*b),
            serde_json::Value::Number(n) => {
                if let Some(i) = n.as_i64() {
                    Value::Int64(i)
                } else if let Some(f) = n.as_f64() {
                    Value::Float(f)
                } else {
                    Value::Nil
                }
            }
            serde_json::Value::String(s) => Value::str(s),
            serde_json::Value::Array(a) => Value::list(a.iter().map(Value::from_json).collect()),
            serde_json::Value::Object(o) => {
                let mut entries = Entries::with_capacity_and_hasher(o.len(), Default::default());
                entries.extend(o.iter().map(|(k, v)| (k.clone(), Value::from_json(v))));
                Value::Map(Map::from_unordered(entries, Elem::Any, named))
            }
        }
    }

    /// From JSON where every number is a float64 (how Go's `encoding/json` decodes into
    /// `interface{}`: `fromJson`, Helm's values from YAML).
    pub fn from_json_floats(v: &serde_json::Value) -> Value {
        match v {
            serde_json::Value::Number(n) => match n.as_f64() {
                Some(f) => Value::Float(f),
                None => Value::Nil,
            },
            serde_json::Value::Array(a) => {
                Value::list(a.iter().map(Value::from_json_floats).collect())
            }
            serde_json::Value::Object(o) => {
                let mut entries = Entries::with_capacity_and_hasher(o.len(), Default::default());
                entries.extend(
                    o.iter()
                        .map(|(k, v)| (k.clone(), Value::from_json_floats(v))),
                );
                Value::Map(Map::from_unordered(entries, Elem::Any, None))
            }
            other => Value::from_json(other),
        }
    }
}

/// Go's `reflect.DeepEqual` over template values (depth-limited).
pub fn deep_equal(a: &Value, b: &Value) -> bool {
    deep_equal_depth(a, b, 0)
}

fn deep_equal_depth(a: &Value, b: &Value, depth: usize) -> bool {
    if depth > 1000 {
        return false;
    }
    match (a, b) {
        (Value::Nil, Value::Nil) => true,
        (Value::Bool(x), Value::Bool(y)) => x == y,
        (Value::Int(x), Value::Int(y)) | (Value::Int64(x), Value::Int64(y)) => x == y,
        (Value::Uint8(x), Value::Uint8(y)) => x == y,
        (Value::Float(x), Value::Float(y)) => x == y,
        (Value::String(x), Value::String(y)) => x == y,
        (Value::Bytes(x), Value::Bytes(y)) => x == y,
        (Value::List(x), Value::List(y)) => {
            x.elem == y.elem
                && x.items.len() == y.items.len()
                && x.items
                    .iter()
                    .zip(y.items.iter())
                    .all(|(p, q)| deep_equal_depth(p, q, depth + 1))
        }
        (Value::Map(x), Value::Map(y)) => {
            if x.ptr_eq(y) {
                return true;
            }
            if x.type_name() != y.type_name() || x.len() != y.len() {
                return false;
            }
            let ex = x.entries();
            let ey = y.entries();
            ex.iter()
                .zip(ey.iter())
                .all(|((k1, v1), (k2, v2))| k1 == k2 && deep_equal_depth(v1, v2, depth + 1))
        }
        (Value::Object(x), Value::Object(y)) => {
            Rc::ptr_eq(x, y) || (x.type_name() == y.type_name() && x.format() == y.format())
        }
        _ => false,
    }
}

/// A deep copy (Sprig's `deepCopy`): maps and slices are duplicated, objects shared.
pub fn deep_copy(v: &Value, depth: usize) -> Result<Value, String> {
    if depth > 10_000 {
        return Err("value is nested too deeply (or contains itself) to copy".into());
    }
    Ok(match v {
        Value::List(l) => Value::List(Rc::new(List {
            items: l
                .items
                .iter()
                .map(|x| deep_copy(x, depth + 1))
                .collect::<Result<_, _>>()?,
            elem: l.elem,
        })),
        Value::Map(m) => {
            let d = m.sorted();
            let mut entries =
                Entries::with_capacity_and_hasher(d.entries.len(), Default::default());
            for (k, x) in d.entries.iter() {
                entries.insert(k.clone(), deep_copy(x, depth + 1)?);
            }
            Value::Map(Map(Rc::new(RefCell::new(MapData::new(
                entries, true, d.elem, d.named,
            )))))
        }
        other => other.clone(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn type_names() {
        assert_eq!(Value::Nil.type_name(), "<nil>");
        assert_eq!(Value::Int(1).type_name(), "int");
        assert_eq!(Value::Int64(1).type_name(), "int64");
        assert_eq!(Value::list(vec![]).type_name(), "[]interface {}");
        assert_eq!(Value::string_list(vec![]).type_name(), "[]string");
        assert_eq!(
            Value::map(BTreeMap::new()).type_name(),
            "map[string]interface {}"
        );
        let v = Value::from_json_named(&serde_json::json!({"a": 1}), "common.Values");
        assert_eq!(v.type_name(), "common.Values");
    }

    #[test]
    fn truthiness() {
        assert!(!Value::Nil.truthy());
        assert!(!Value::Int(0).truthy());
        assert!(Value::Float(0.5).truthy());
        assert!(!Value::str("").truthy());
        assert!(!Value::list(vec![]).truthy());
        assert!(Value::list(vec![Value::Nil]).truthy());
    }

    #[test]
    fn json_numbers() {
        let v = Value::from_json(&serde_json::json!({"i": 3, "f": 1.5}));
        let Value::Map(m) = v else { panic!() };
        assert!(matches!(m.get("i"), Some(Value::Int64(3))));
        assert!(matches!(m.get("f"), Some(Value::Float(f)) if f == 1.5));
    }

    #[test]
    fn maps_are_shared_references() {
        let m = Map::new();
        let v = Value::Map(m.clone());
        m.insert("a", Value::Int(1));
        let Value::Map(m2) = v else { panic!() };
        assert_eq!(m2.len(), 1);
    }

    #[test]
    fn map_entries_list_in_key_order_whatever_the_insertion_order() {
        let m = Map::new();
        for k in ["b", "a", "d", "c"] {
            m.insert(k, Value::str(k));
        }
        assert_eq!(m.keys(), ["a", "b", "c", "d"]);
        m.insert("aa", Value::Nil);
        m.remove("b");
        assert_eq!(m.keys(), ["a", "aa", "c", "d"]);
        m.insert("c", Value::Int(3)); // replacing keeps the order
        assert_eq!(m.keys(), ["a", "aa", "c", "d"]);
        assert!(matches!(m.get("c"), Some(Value::Int(3))));
        assert!(m.get("b").is_none());
        let j = Value::from_json(&serde_json::json!({"z": 1, "y": {"q": 1, "p": 2}}));
        let Value::Map(j) = j else { panic!() };
        assert_eq!(j.keys(), ["y", "z"]);
        let Some(Value::Map(y)) = j.get("y") else {
            panic!()
        };
        assert_eq!(y.keys(), ["p", "q"]);
    }

    #[test]
    fn deep_equal_and_copy() {
        let a = Value::from_json(&serde_json::json!({"a": [1, {"b": "c"}]}));
        let b = deep_copy(&a, 0).unwrap();
        assert!(deep_equal(&a, &b));
        let Value::Map(m) = &b else { panic!() };
        m.insert("x", Value::Nil);
        assert!(!deep_equal(&a, &b));
    }
}
