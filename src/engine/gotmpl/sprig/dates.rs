//! Sprig's date functions and Helm's duration helpers (to come: `now`, `date`, `toDate`...).

use super::super::exec::FuncMap;

pub(super) fn register(_m: &mut FuncMap) {}
