//! Loading a chart from a directory (Helm's `pkg/chart/v2/loader/directory.go` and
//! `internal/sympath`): a lexical walk that follows symbolic links, `.helmignore` plus Helm's
//! default rule applied (an ignored directory is skipped whole), irregular files (devices,
//! sockets, FIFOs) rejected, files over 5 MiB rejected, a UTF-8 BOM stripped from every file.
//! Unlike Helm, a symbolic-link loop is reported instead of recursing until the OS gives up.
//! Must not classify files (see `classify`).

use crate::chart::classify::{Budget, BufferedFile, load_files};
use crate::chart::error::LoadError;
use crate::chart::ignore::Rules;
use crate::chart::load_archive::{MAX_CHART_SIZE, MAX_FILE_SIZE};
use crate::chart::model::Chart;
use std::fs;
use std::io::Read;
use std::path::{Path, PathBuf};

/// Loads a chart from a directory.
pub fn load_dir(path: &Path) -> Result<Chart, LoadError> {
    let io = |path: &Path| {
        let path = path.to_path_buf();
        move |inner| LoadError::Io { path, inner }
    };
    let top = std::path::absolute(path).map_err(io(path))?;
    let meta = fs::metadata(&top).map_err(io(&top))?;
    if !meta.is_dir() {
        return Err(LoadError::NotADirectory { path: top });
    }

    let ignore_file = top.join(".helmignore");
    let mut rules = if ignore_file.exists() {
        let text = fs::read(&ignore_file).map_err(io(&ignore_file))?;
        Rules::parse(&String::from_utf8_lossy(&text)).map_err(|inner| LoadError::Ignore {
            path: ignore_file.clone(),
            inner,
        })?
    } else {
        Rules::empty()
    };
    rules.add_defaults();

    let mut walker = Walker {
        rules,
        files: Vec::new(),
        ancestors: Vec::new(),
    };
    walker.walk_dir(&top, "")?;
    let origin = top.display().to_string();
    load_files(
        walker.files,
        &origin,
        &mut Budget::new(MAX_FILE_SIZE, MAX_CHART_SIZE),
    )
}

struct Walker {
    rules: Rules,
    files: Vec<BufferedFile>,
    /// Canonical paths of the directories being walked, to detect symlink loops.
    ancestors: Vec<PathBuf>,
}

impl Walker {
    fn walk_dir(&mut self, dir: &Path, rel: &str) -> Result<(), LoadError> {
        let canonical = fs::canonicalize(dir).map_err(|inner| LoadError::Io {
            path: dir.to_path_buf(),
            inner,
        })?;
        if self.ancestors.contains(&canonical) {
            return Err(LoadError::SymlinkLoop {
                path: dir.to_path_buf(),
            });
        }
        let mut names = Vec::new();
        let entries = fs::read_dir(dir).map_err(|inner| LoadError::Io {
            path: dir.to_path_buf(),
            inner,
        })?;
        for entry in entries {
            let entry = entry.map_err(|inner| LoadError::Io {
                path: dir.to_path_buf(),
                inner,
            })?;
            let name = entry.file_name();
            let Some(name) = name.to_str() else {
                return Err(LoadError::NonUtf8Name { path: entry.path() });
            };
            names.push(name.to_string());
        }
        names.sort();
        self.ancestors.push(canonical);
        for name in names {
            let child_rel = if rel.is_empty() {
                name.clone()
            } else {
                format!("{rel}/{name}")
            };
            self.visit(&dir.join(&name), &child_rel)?;
        }
        self.ancestors.pop();
        Ok(())
    }

    fn visit(&mut self, path: &Path, rel: &str) -> Result<(), LoadError> {
        let io = |inner| LoadError::Io {
            path: path.to_path_buf(),
            inner,
        };
        let mut meta = fs::symlink_metadata(path).map_err(io)?;
        if meta.file_type().is_symlink() {
            // Helm follows links (and logs them); the walk continues under the link's name.
            meta = fs::metadata(path).map_err(io)?;
        }
        if meta.is_dir() {
            if self.rules.ignore(rel, true) {
                return Ok(());
            }
            return self.walk_dir(path, rel);
        }
        if self.rules.ignore(rel, false) {
            return Ok(());
        }
        if !meta.is_file() {
            return Err(LoadError::Irregular {
                path: path.to_path_buf(),
            });
        }
        let too_large = || LoadError::DirFileTooLarge {
            name: rel.to_string(),
            limit: MAX_FILE_SIZE,
        };
        if meta.len() > MAX_FILE_SIZE {
            return Err(too_large());
        }
        let mut data = Vec::with_capacity(meta.len() as usize);
        fs::File::open(path)
            .and_then(|f| f.take(MAX_FILE_SIZE + 1).read_to_end(&mut data))
            .map_err(io)?;
        if data.len() as u64 > MAX_FILE_SIZE {
            return Err(too_large());
        }
        if data.starts_with(b"\xef\xbb\xbf") {
            data.drain(..3);
        }
        self.files.push(BufferedFile {
            name: rel.to_string(),
            data,
        });
        Ok(())
    }
}
