//! `LoadError`: every way loading a chart can fail, each message naming the file (or archive
//! entry) at fault and, where it helps, what to do. Helm's own wording is kept inside the
//! messages so people and scripts that know Helm's errors recognise them. Messages are complete
//! on their own (wrapped errors are part of the text, as in Helm), so no `source()` chain is
//! exposed. Holds no logic.

use crate::chart::ignore::IgnoreError;
use crate::chart::metadata::{MetadataError, ValidationError};
use std::path::PathBuf;

/// Why a chart could not be loaded.
#[derive(Debug, thiserror::Error)]
pub enum LoadError {
    #[error("{}: no such file or directory; give a chart directory or a chart archive (.tgz)", path.display())]
    NotFound { path: PathBuf },

    #[error("cannot read {}: {inner}", path.display())]
    Io {
        path: PathBuf,
        inner: std::io::Error,
    },

    #[error("{}: file name is not valid UTF-8; rename it or add it to .helmignore", path.display())]
    NonUtf8Name { path: PathBuf },

    #[error(
        "cannot load irregular file {} as it has file mode type bits set (devices, sockets and pipes cannot be part of a chart); remove it or add it to .helmignore",
        path.display()
    )]
    Irregular { path: PathBuf },

    #[error("{}: symbolic link loop; a chart cannot contain itself", path.display())]
    SymlinkLoop { path: PathBuf },

    #[error("{}: {inner}", path.display())]
    Ignore { path: PathBuf, inner: IgnoreError },

    #[error("chart file {name:?} is larger than the maximum file size {limit}")]
    DirFileTooLarge { name: String, limit: u64 },

    #[error("file '{name}' seems to be a YAML file, but expected a gzipped archive")]
    YamlNotArchive { name: String },

    #[error("file '{name}' does not appear to be a gzipped archive; got '{detected}'")]
    NotGzip { name: String, detected: String },

    #[error("file '{name}' does not appear to be a valid chart file (details: {details})")]
    BadGzip { name: String, details: String },

    #[error("{archive}: the archive is corrupt or truncated: {details}")]
    Corrupt { archive: String, details: String },

    #[error("{archive}: chart illegally contains absolute paths (entry {entry:?})")]
    AbsolutePath { archive: String, entry: String },

    #[error("{archive}: chart illegally contains content outside the base directory: {entry:?}")]
    OutsideBase { archive: String, entry: String },

    #[error("{archive}: chart illegally references parent directory (entry {entry:?})")]
    ParentDirectory { archive: String, entry: String },

    #[error("{archive}: chart contains illegally named files (entry {entry:?})")]
    DriveLetter { archive: String, entry: String },

    #[error(
        "{archive}: chart yaml not in base directory (entry {entry:?}); a chart archive holds one top-level directory"
    )]
    ChartYamlNotInBase { archive: String, entry: String },

    #[error(
        "{archive}: entry {entry:?} is a {kind}; chartroom does not load links or special files from archives (Helm reads them as empty files): package the chart without them"
    )]
    SpecialEntry {
        archive: String,
        entry: String,
        kind: &'static str,
    },

    #[error("{archive}: decompressed chart is larger than the maximum size {limit}")]
    ChartTooLarge { archive: String, limit: u64 },

    #[error(
        "{archive}: decompressed chart file {entry:?} is larger than the maximum file size {limit}"
    )]
    ArchiveFileTooLarge {
        archive: String,
        entry: String,
        limit: u64,
    },

    #[error("{archive}: no files in chart archive")]
    NoFiles { archive: String },

    #[error("{archive}: entry {entry:?} has a name that is not valid UTF-8")]
    NonUtf8Entry { archive: String, entry: String },

    #[error("{chart}: Chart.yaml file is missing")]
    ChartYamlMissing { chart: String },

    #[error("cannot load {file}: {inner}")]
    File { file: String, inner: MetadataError },

    #[error("cannot load {file}: {message}")]
    Values { file: String, message: String },

    #[error("cannot load {file}: the file is not UTF-8 text")]
    NotText { file: String },

    #[error("{}: not a directory", path.display())]
    NotADirectory { path: PathBuf },

    #[error("{file}: {inner}")]
    Invalid {
        file: String,
        inner: ValidationError,
    },

    #[error("{chart}: charts nested more than {limit} levels deep")]
    TooDeep { chart: String, limit: usize },

    #[error("{}: directories nested more than {limit} levels deep", path.display())]
    DirTooDeep { path: PathBuf, limit: usize },

    #[error("error unpacking subchart tar in {parent}: expected {expected}, got {got}")]
    SubchartTarName {
        parent: String,
        expected: String,
        got: String,
    },

    #[error("error unpacking subchart {name} in {parent}: {inner}{hint}")]
    Subchart {
        name: String,
        parent: String,
        hint: &'static str,
        inner: Box<LoadError>,
    },
}
