//! The chart model and its loaders: `Chart.yaml` (typed and validated as Helm does), files,
//! `.helmignore`, subcharts, loading from a directory or from a `.tgz` read in memory with Helm's
//! size and path limits. Must not coalesce values, render, or print.

mod classify;
pub mod create;
mod error;
pub mod ignore;
mod load_archive;
mod load_dir;
pub(crate) mod metadata;
pub mod model;
#[cfg(test)]
mod test_support;

pub use error::LoadError;
pub use load_archive::{MAX_CHART_SIZE, MAX_FILE_SIZE, load_archive};
pub use load_dir::load_dir;
pub use metadata::{MetadataError, ValidationError};
pub use model::{
    Chart, Dependency, Engine, File, ImportValue, Lock, Maintainer, Metadata, NullEntries,
};

use std::io::Read;
use std::path::Path;

/// Decodes `Chart.yaml` text into [`Metadata`] exactly as the loaders do (Helm's
/// `LoadChartfile`), without `Metadata::validate` and without defaults, for `chartroom lint`,
/// which reports each problem itself. Returns the metadata and the file's map as written.
pub fn decode_chart_yaml(text: &str) -> Result<(Metadata, crate::Map), MetadataError> {
    let doc = metadata::parse_yaml(text)?;
    let mut md = Metadata::default();
    let raw = metadata::apply_metadata(&mut md, &doc)?;
    Ok((md, raw))
}

/// Loads a chart from a directory or from a chart archive (`.tgz`), as `helm` does for a local
/// chart path. Archives are read into memory (compressed size capped at the decompressed
/// limit) and never unpacked to disk.
pub fn load(path: &Path) -> Result<Chart, LoadError> {
    let meta = std::fs::metadata(path).map_err(|inner| match inner.kind() {
        std::io::ErrorKind::NotFound => LoadError::NotFound {
            path: path.to_path_buf(),
        },
        _ => LoadError::Io {
            path: path.to_path_buf(),
            inner,
        },
    })?;
    if meta.is_dir() {
        return load_dir(path);
    }
    let name = path.display().to_string();
    let mut bytes = Vec::new();
    std::fs::File::open(path)
        .and_then(|f| f.take(MAX_CHART_SIZE + 1).read_to_end(&mut bytes))
        .map_err(|inner| LoadError::Io {
            path: path.to_path_buf(),
            inner,
        })?;
    if bytes.len() as u64 > MAX_CHART_SIZE {
        return Err(LoadError::ChartTooLarge {
            archive: name,
            limit: MAX_CHART_SIZE,
        });
    }
    load_archive(&bytes, &name)
}
