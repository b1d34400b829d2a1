//! Errors that stop a validation run as a whole (bad options, unreadable schema folders).
//! Problems inside the validated documents are never errors: they are findings.

use std::path::PathBuf;

/// A validation run could not start.
#[derive(Debug, thiserror::Error)]
pub enum ValidateError {
    #[error(
        "unsupported Kubernetes version {given:?}: chartroom embeds schemas for {oldest} to {newest}; pass --kube-version with a version in that range"
    )]
    UnsupportedKubeVersion {
        given: String,
        oldest: String,
        newest: String,
    },
    #[error(
        "invalid Kubernetes version {given:?}: expected MAJOR.MINOR like 1.30 (a leading v and a patch are allowed)"
    )]
    InvalidKubeVersion { given: String },
    #[error("schema location {}: {reason}; pass a readable directory to --schema-location", path.display())]
    SchemaLocation { path: PathBuf, reason: String },
    #[error(
        "the embedded Kubernetes schemas are damaged ({0}); this is a bug in the chartroom build"
    )]
    EmbeddedSchemas(String),
}
