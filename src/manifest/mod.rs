//! A rendered document (kind, apiVersion, name, namespace, source template and line), Helm's
//! install order, and the output writers (`helm template` format, `--show-only`,
//! `--output-dir`). Must not render templates or read charts.

pub mod document;
pub mod order;
pub mod output;
pub mod split;

pub use document::{Classified, Document, DocumentError};
