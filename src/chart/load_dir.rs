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
use std::path::Path;

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
        buf: Vec::new(),
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
    /// Identities of the directories being walked, to detect symlink loops.
    ancestors: Vec<DirId>,
    /// Reused read buffer (see [`Walker::read_file`]).
    buf: Vec<u8>,
}

/// Size of the walker's read buffer: a chart file this size or smaller is read with two
/// `read` calls (the data, then end of file) and copied out.
const READ_BUF: usize = 64 * 1024;

/// A directory's identity: device and inode on Unix, the canonical path elsewhere.
#[cfg(unix)]
type DirId = (u64, u64);
#[cfg(not(unix))]
type DirId = std::path::PathBuf;

#[cfg(unix)]
fn dir_id(dir: &Path) -> std::io::Result<DirId> {
    use std::os::unix::fs::MetadataExt;
    let m = fs::metadata(dir)?;
    Ok((m.dev(), m.ino()))
}

#[cfg(not(unix))]
fn dir_id(dir: &Path) -> std::io::Result<DirId> {
    fs::canonicalize(dir)
}

/// Deepest directory nesting walked (bounds recursion; real charts are a few levels deep).
const MAX_DIR_DEPTH: usize = 256;

impl Walker {
    fn walk_dir(&mut self, dir: &Path, rel: &str) -> Result<(), LoadError> {
        let id = dir_id(dir).map_err(|inner| LoadError::Io {
            path: dir.to_path_buf(),
            inner,
        })?;
        if self.ancestors.contains(&id) {
            return Err(LoadError::SymlinkLoop {
                path: dir.to_path_buf(),
            });
        }
        if self.ancestors.len() >= MAX_DIR_DEPTH {
            return Err(LoadError::DirTooDeep {
                path: dir.to_path_buf(),
                limit: MAX_DIR_DEPTH,
            });
        }
        let mut names = Vec::new();
        // The listing is closed before the walk goes down: an open one holds a 32 KB buffer.
        for entry in fs::read_dir(dir).map_err(|inner| LoadError::Io {
            path: dir.to_path_buf(),
            inner,
        })? {
            let entry = entry.map_err(|inner| LoadError::Io {
                path: dir.to_path_buf(),
                inner,
            })?;
            let name = entry.file_name();
            let Some(name) = name.to_str() else {
                return Err(LoadError::NonUtf8Name { path: entry.path() });
            };
            // The type from the directory listing (no syscall where the file system gives it).
            names.push((name.to_string(), entry.file_type().ok()));
        }
        names.sort_by(|a, b| a.0.cmp(&b.0));
        self.ancestors.push(id);
        for (name, file_type) in names {
            let child_rel = if rel.is_empty() {
                name.clone()
            } else {
                format!("{rel}/{name}")
            };
            self.visit(&dir.join(&name), &child_rel, file_type)?;
        }
        self.ancestors.pop();
        Ok(())
    }

    /// Reads a file (at most [`MAX_FILE_SIZE`] + 1 bytes, so an oversized file is detected
    /// without reading it all). Through the reused buffer, not a buffer sized from the file's
    /// metadata: a chart has dozens of small files, and asking each one's size is one system
    /// call more per file than reading until the end. A file that fills the buffer is the
    /// exception (READMEs, CHANGELOGs, big values files): its size is asked then, and the rest
    /// is read into a vector of that size, so the buffer never grows (growing it copied a
    /// 200 KB README three times, and its 256 KB stayed allocated for the rest of the run).
    fn read_file(&mut self, path: &Path) -> std::io::Result<Vec<u8>> {
        let mut file = fs::File::open(path)?.take(MAX_FILE_SIZE + 1);
        self.buf.clear();
        self.buf.reserve_exact(READ_BUF);
        (&mut file)
            .take(READ_BUF as u64)
            .read_to_end(&mut self.buf)?;
        if self.buf.len() < READ_BUF {
            return Ok(self.buf.to_vec());
        }
        let size = file.get_ref().metadata()?.len().min(MAX_FILE_SIZE + 1);
        let mut data = Vec::with_capacity((size as usize).max(READ_BUF));
        data.extend_from_slice(&self.buf);
        file.read_to_end(&mut data)?;
        Ok(data)
    }

    /// Visits one directory entry; `listed` is its type from the directory listing, when the
    /// file system gave one (a regular file then costs no path lookup before it is opened).
    fn visit(
        &mut self,
        path: &Path,
        rel: &str,
        listed: Option<fs::FileType>,
    ) -> Result<(), LoadError> {
        let io = |inner| LoadError::Io {
            path: path.to_path_buf(),
            inner,
        };
        let listed = match listed {
            Some(t) => t,
            None => fs::symlink_metadata(path).map_err(io)?.file_type(),
        };
        let file_type = if listed.is_symlink() {
            // Helm follows links (and logs them); the walk continues under the link's name.
            fs::metadata(path).map_err(io)?.file_type()
        } else {
            listed
        };
        if file_type.is_dir() {
            if self.rules.ignore(rel, true) {
                return Ok(());
            }
            return self.walk_dir(path, rel);
        }
        if self.rules.ignore(rel, false) {
            return Ok(());
        }
        if !file_type.is_file() {
            return Err(LoadError::Irregular {
                path: path.to_path_buf(),
            });
        }
        let too_large = || LoadError::DirFileTooLarge {
            name: rel.to_string(),
            limit: MAX_FILE_SIZE,
        };
        let mut data = self.read_file(path).map_err(io)?;
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::chart::test_support::*;
    use serde_json::json;

    #[test]
    fn load_frobnitz_dir() {
        let tmp = tempfile::tempdir().unwrap();
        let root = build_frobnitz(tmp.path());
        let c = load_dir(&root).unwrap();
        verify_frobnitz(&c);
        assert_eq!(c.full_path, "frobnitz");
        assert_eq!(c.metadata.annotations["secondkey"], "secondvalue");
        assert_eq!(c.raw_metadata["name"], json!("frobnitz"));
        // The same chart through chart::load.
        assert_eq!(crate::chart::load(&root).unwrap().files.len(), 6);
    }

    #[test]
    fn load_v1_and_v2_with_requirements() {
        let tmp = tempfile::tempdir().unwrap();
        let v1 = build_overlay(tmp.path(), "frobnitz.v1");
        let c = load_dir(&v1).unwrap();
        verify_dependencies(&c);
        assert_eq!(c.lock.as_ref().unwrap().dependencies.len(), 2);
        // v1 charts keep requirements.* among their files.
        assert!(c.files.iter().any(|f| f.name == "requirements.yaml"));
        assert!(c.files.iter().any(|f| f.name == "requirements.lock"));

        let tmp = tempfile::tempdir().unwrap();
        let v2 = build_overlay(tmp.path(), "frobnitz.v2.reqs");
        let c = load_dir(&v2).unwrap();
        verify_dependencies(&c);
        assert!(!c.files.iter().any(|f| f.name.starts_with("requirements")));
    }

    #[test]
    fn symlinks_are_followed() {
        let tmp = tempfile::tempdir().unwrap();
        let root = build_frobnitz(tmp.path());
        let licence = tmp.path().join("LICENSE.outside");
        std::fs::write(&licence, "outside licence").unwrap();
        std::fs::remove_file(root.join("LICENSE")).unwrap();
        std::os::unix::fs::symlink(&licence, root.join("LICENSE")).unwrap();
        // A linked directory is walked under the link's name.
        std::os::unix::fs::symlink(root.join("docs"), root.join("linked-docs")).unwrap();
        let c = load_dir(&root).unwrap();
        let lic = c.files.iter().find(|f| f.name == "LICENSE").unwrap();
        assert_eq!(lic.data, b"outside licence");
        assert!(c.files.iter().any(|f| f.name == "linked-docs/README.md"));
    }

    #[test]
    fn irregular_file_is_rejected() {
        let tmp = tempfile::tempdir().unwrap();
        let root = build_frobnitz(tmp.path());
        std::os::unix::fs::symlink("/dev/null", root.join("null")).unwrap();
        let err = fail(load_dir(&root));
        assert!(err.starts_with("cannot load irregular file "), "{err}");
        assert!(err.contains("/null"), "{err}");
    }

    #[test]
    fn symlink_loop_is_reported() {
        let tmp = tempfile::tempdir().unwrap();
        let root = build_frobnitz(tmp.path());
        std::os::unix::fs::symlink(&root, root.join("docs/loop")).unwrap();
        let err = load_dir(&root).err().unwrap();
        assert!(matches!(err, LoadError::SymlinkLoop { .. }), "{err}");
    }

    #[test]
    fn bom_is_stripped() {
        let tmp = tempfile::tempdir().unwrap();
        let root = build_frobnitz(tmp.path());
        for f in [
            ".helmignore",
            "templates/template.tpl",
            "Chart.yaml",
            "values.yaml",
        ] {
            let p = root.join(f);
            let mut data = b"\xef\xbb\xbf".to_vec();
            data.extend(std::fs::read(&p).unwrap());
            std::fs::write(&p, data).unwrap();
        }
        let c = load_dir(&root).unwrap();
        verify_frobnitz(&c);
        for f in c.files.iter().chain(&c.templates) {
            assert!(!f.data.starts_with(b"\xef\xbb\xbf"), "{}", f.name);
        }
        assert!(!c.raw_values.starts_with(b"\xef\xbb\xbf"));
    }

    #[test]
    fn files_bigger_than_the_read_buffer_are_read_whole() {
        let tmp = tempfile::tempdir().unwrap();
        let root = build_frobnitz(tmp.path());
        let big: Vec<u8> = (0..3 * READ_BUF + 17).map(|i| (i % 251) as u8).collect();
        std::fs::write(root.join("docs/big.bin"), &big).unwrap();
        let c = load_dir(&root).unwrap();
        let f = c.files.iter().find(|f| f.name == "docs/big.bin").unwrap();
        assert_eq!(f.data, big);
    }

    #[test]
    fn files_the_size_of_the_read_buffer_are_read_whole() {
        let tmp = tempfile::tempdir().unwrap();
        let root = build_frobnitz(tmp.path());
        for n in [READ_BUF - 1, READ_BUF, READ_BUF + 1, 2 * READ_BUF] {
            let data: Vec<u8> = (0..n).map(|i| (i % 253) as u8).collect();
            std::fs::write(root.join("docs/edge.bin"), &data).unwrap();
            let c = load_dir(&root).unwrap();
            let f = c.files.iter().find(|f| f.name == "docs/edge.bin").unwrap();
            assert_eq!(f.data, data, "{n} bytes");
        }
    }

    #[test]
    fn file_size_limit() {
        let tmp = tempfile::tempdir().unwrap();
        let root = build_frobnitz(tmp.path());
        let f = std::fs::File::create(root.join("docs/huge.bin")).unwrap();
        f.set_len(MAX_FILE_SIZE + 1).unwrap();
        let err = fail(load_dir(&root));
        assert_eq!(
            err,
            "chart file \"docs/huge.bin\" is larger than the maximum file size 5242880"
        );
    }

    #[test]
    fn helmignore_errors_name_the_file() {
        let tmp = tempfile::tempdir().unwrap();
        let root = build_frobnitz(tmp.path());
        std::fs::write(root.join(".helmignore"), "ok\ndocs/**/x\n").unwrap();
        let err = fail(load_dir(&root));
        assert!(err.contains(".helmignore: line 2: "), "{err}");
        assert!(
            err.contains("double-star (**) syntax is not supported"),
            "{err}"
        );
    }

    #[test]
    fn default_rule_drops_template_dotfiles() {
        let tmp = tempfile::tempdir().unwrap();
        let root = build_frobnitz(tmp.path());
        std::fs::write(root.join("templates/.swp"), "x").unwrap();
        std::fs::create_dir(root.join("templates/sub")).unwrap();
        std::fs::write(root.join("templates/sub/.kept"), "x").unwrap();
        let c = load_dir(&root).unwrap();
        assert_eq!(
            names(&c.templates),
            ["templates/sub/.kept", "templates/template.tpl"]
        );
    }

    /// `.Files` that helm 4.3.1 kept for each `.helmignore` (checked with `helm template` on the
    /// same tree: Chart.yaml, templates/l.yaml, sub/x.txt and the files below).
    #[test]
    fn helmignore_matches_helm() {
        let rows: &[(&str, Option<&str>)] = &[
            (
                "[!a]",
                Some(", - .helmignore README.md ] ^ a*b axb b keep.txt sub/x.txt {a,b}"),
            ),
            (
                "{a,b}",
                Some("! , - .helmignore README.md ] ^ a*b axb b keep.txt sub/x.txt"),
            ),
            (
                "a\\*b",
                Some("! , - .helmignore README.md ] ^ axb b keep.txt sub/x.txt {a,b}"),
            ),
            (
                "[\\]-a]",
                Some("! , - .helmignore README.md a*b axb b keep.txt sub/x.txt {a,b}"),
            ),
            (
                "[+-\\-]",
                Some("! .helmignore README.md ] ^ a*b axb b keep.txt sub/x.txt {a,b}"),
            ),
            (
                "[!^]",
                Some(", - .helmignore README.md ] a*b axb b keep.txt sub/x.txt {a,b}"),
            ),
            (
                "sub/",
                Some("! , - .helmignore README.md ] ^ a*b axb b keep.txt {a,b}"),
            ),
            ("!*.txt", None),
            ("*.txt\n!keep.txt", None),
            ("!sub/", None),
            ("/[^a-z]*", None),
        ];
        for (rules, want) in rows {
            let tmp = tempfile::tempdir().unwrap();
            let root = tmp.path().join("ig");
            std::fs::create_dir_all(root.join("templates")).unwrap();
            std::fs::create_dir_all(root.join("sub")).unwrap();
            std::fs::write(
                root.join("Chart.yaml"),
                "apiVersion: v2\nname: ig\nversion: 0.1.0\n",
            )
            .unwrap();
            std::fs::write(root.join("templates/l.yaml"), "# list\n").unwrap();
            for f in [
                "!",
                "b",
                "{a,b}",
                "a*b",
                "axb",
                "]",
                "^",
                ",",
                "-",
                "keep.txt",
                "README.md",
                "sub/x.txt",
            ] {
                std::fs::write(root.join(f), "x\n").unwrap();
            }
            std::fs::write(root.join(".helmignore"), format!("{rules}\n")).unwrap();
            match (load_dir(&root), want) {
                (Ok(c), Some(want)) => {
                    let mut got: Vec<&str> = names(&c.files);
                    got.sort();
                    assert_eq!(got.join(" "), *want, "rules {rules:?}");
                }
                (Err(e), None) => {
                    assert!(e.to_string().ends_with("Chart.yaml file is missing"), "{e}")
                }
                (got, want) => panic!("rules {rules:?}: got {got:?}, want {want:?}"),
            }
        }
    }

    #[test]
    fn broken_yaml_names_file_and_line() {
        let tmp = tempfile::tempdir().unwrap();
        let root = build_frobnitz(tmp.path());
        std::fs::write(root.join("values.yaml"), "a: 1\nb: [1, 2\nc: 3\n").unwrap();
        let err = fail(load_dir(&root));
        assert!(err.starts_with("cannot load "), "{err}");
        assert!(err.contains("frobnitz/values.yaml: "), "{err}");
        assert!(err.contains("line "), "{err}");

        std::fs::write(root.join("values.yaml"), "a: 1\n").unwrap();
        std::fs::write(
            root.join("Chart.yaml"),
            "apiVersion: v2\nname: [x\nversion: 1\n",
        )
        .unwrap();
        let err = fail(load_dir(&root));
        assert!(err.contains("frobnitz/Chart.yaml: "), "{err}");
        assert!(err.contains("line "), "{err}");
    }

    #[test]
    fn alias_bomb_in_values_is_rejected() {
        let tmp = tempfile::tempdir().unwrap();
        let root = build_frobnitz(tmp.path());
        let mut s = String::from("a: &a [x,x,x,x,x,x,x,x,x,x]\n");
        let mut prev = 'a';
        for c in 'b'..='k' {
            let refs = vec![format!("*{prev}"); 10].join(",");
            s.push_str(&format!("{c}: &{c} [{refs}]\n"));
            prev = c;
        }
        std::fs::write(root.join("values.yaml"), s).unwrap();
        let err = fail(load_dir(&root));
        assert!(err.contains("frobnitz/values.yaml: "), "{err}");
        assert!(err.contains("budget"), "{err}");
    }

    #[test]
    fn directory_depth_is_bounded() {
        let tmp = tempfile::tempdir().unwrap();
        let root = build_frobnitz(tmp.path());
        let deep: std::path::PathBuf = std::iter::repeat_n("d", MAX_DIR_DEPTH + 1).collect();
        std::fs::create_dir_all(root.join("docs").join(deep)).unwrap();
        let err = load_dir(&root).err().unwrap();
        assert!(matches!(err, LoadError::DirTooDeep { .. }), "{err}");
    }

    #[test]
    fn not_a_directory_or_missing() {
        let tmp = tempfile::tempdir().unwrap();
        let f = tmp.path().join("file");
        std::fs::write(&f, "x").unwrap();
        assert!(matches!(load_dir(&f), Err(LoadError::NotADirectory { .. })));
        let err = crate::chart::load(&tmp.path().join("missing"))
            .err()
            .unwrap();
        assert!(matches!(err, LoadError::NotFound { .. }), "{err}");
    }
}
