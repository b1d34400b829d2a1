//! Sprig v3.3.0's functions as Helm registers them (without `env` and `expandenv`), each with
//! Go's parameter types so argument errors match Helm's, plus Helm's own serialisation and
//! duration helpers (`toYaml`, `fromYaml`, `toJson`, `toToml`, `durationSeconds`...).
//! `include`, `tpl`, `required`, `fail` and `lookup` need the render loop and live in
//! `helm.rs`. Nothing here reads the environment, the network or the clock, except the
//! functions whose purpose is to (`now`, `rand*`, `uuidv4`, key generation).

mod certs;
mod conv;
mod crypto;
mod dates;
mod dicts;
mod encoding;
mod keys;
mod lists;
mod math;
mod misc;
mod random;
mod regex;
mod semver;
mod serialize;
mod strings;

use super::error::TemplateError;
use super::exec::{Ctx, FuncMap, Function};
use super::value::{Param, Signature, Value};
use std::rc::Rc;

/// Largest string a function may build (`repeat`, `indent`...).
pub(crate) const MAX_STRING: usize = 256 * 1024 * 1024;
/// Largest list a function may build (`until`, `seq`...).
pub(crate) const MAX_LIST: usize = 10_000_000;

pub(crate) type R = Result<Value, TemplateError>;

/// Registers a function with a fixed list of Go parameter types.
pub(crate) fn def(
    m: &mut FuncMap,
    name: &str,
    params: &[Param],
    f: impl Fn(&mut Ctx<'_>, Vec<Value>) -> R + 'static,
) {
    m.insert(
        name.to_string(),
        Function {
            sig: Signature::new(params),
            f: Rc::new(f),
            builtin: false,
        },
    );
}

/// Registers a function whose last parameter is `...T`.
pub(crate) fn defv(
    m: &mut FuncMap,
    name: &str,
    params: &[Param],
    rest: Param,
    f: impl Fn(&mut Ctx<'_>, Vec<Value>) -> R + 'static,
) {
    m.insert(
        name.to_string(),
        Function {
            sig: Signature::variadic(params, rest),
            f: Rc::new(f),
            builtin: false,
        },
    );
}

/// Registers `alias` as another name for `name`.
pub(crate) fn alias(m: &mut FuncMap, alias: &str, name: &str) {
    if let Some(f) = m.get(name).cloned() {
        m.insert(alias.to_string(), f);
    }
}

/// The string in an argument already checked to be a Go `string`.
pub(crate) fn s(v: &Value) -> &str {
    v.as_str().unwrap_or("")
}

/// The integer in an argument already checked to be a Go integer.
pub(crate) fn i(v: &Value) -> i64 {
    v.as_int().unwrap_or(0)
}

/// A string result, bounded in size.
pub(crate) fn str_result(out: String) -> R {
    if out.len() > MAX_STRING {
        return Err(TemplateError::plain(format!(
            "result of {} bytes is larger than the limit of {MAX_STRING} bytes",
            out.len()
        )));
    }
    Ok(Value::string(out))
}

/// Go's message for a nil pointer dereference panic inside a function.
pub(crate) fn nil_deref() -> TemplateError {
    TemplateError::plain("runtime error: invalid memory address or nil pointer dereference")
}

/// Adds Sprig's functions and Helm's helpers to `funcs`.
pub fn register(funcs: &mut FuncMap) {
    strings::register(funcs);
    conv::register(funcs);
    math::register(funcs);
    lists::register(funcs);
    dicts::register(funcs);
    encoding::register(funcs);
    regex::register(funcs);
    dates::register(funcs);
    random::register(funcs);
    semver::register(funcs);
    crypto::register(funcs);
    misc::register(funcs);
    serialize::register(funcs);
}
