//! Loading a chart from a `.tgz` held in memory, never unpacked to disk
//! (Helm's `pkg/chart/loader/archive/archive.go`).
//!
//! Follows Helm: the gzip sniff and its messages; directory and PAX header entries skipped;
//! the entry path rules in Helm's order (`\` as separator when present, first component dropped,
//! absolute paths, `path.Clean` giving `.`, a leading `..`, drive letters, `Chart.yaml/…` as
//! the top directory); 5 MiB per file and 100 MiB per chart, checked against the header and
//! enforced *while decompressing* (`Read::take` on the decompressed stream), so a small archive
//! that inflates to gigabytes fails after reading at most the limit; a UTF-8 BOM stripped;
//! `.helmignore` not applied.
//!
//! Stricter than Helm, on purpose: symlink, hardlink and other non-regular entries (devices,
//! FIFOs, sparse files) are rejected with an error, where Helm silently reads them as empty
//! files; and the 100 MiB allowance is shared with every `.tgz` subchart inside the archive,
//! where Helm grants each nested archive its own 100 MiB.
//!
//! Must not write to disk or classify files (see `classify`).

use crate::chart::classify::{Budget, BufferedFile, load_files};
use crate::chart::error::LoadError;
use crate::chart::model::Chart;
use flate2::read::MultiGzDecoder;
use std::io::Read;

/// Largest decompressed size of a chart archive (Helm's `MaxDecompressedChartSize`).
pub const MAX_CHART_SIZE: u64 = 100 * 1024 * 1024;
/// Largest decompressed size of one file (Helm's `MaxDecompressedFileSize`).
pub const MAX_FILE_SIZE: u64 = 5 * 1024 * 1024;

/// Loads a chart from the bytes of a `.tgz` archive; `display_name` names it in errors.
pub fn load_archive(bytes: &[u8], display_name: &str) -> Result<Chart, LoadError> {
    let mut budget = Budget::new(MAX_FILE_SIZE, MAX_CHART_SIZE);
    load_archive_with(bytes, display_name, &mut budget)
}

/// [`load_archive`] drawing on an existing allowance (nested archives, tests).
pub(crate) fn load_archive_with(
    bytes: &[u8],
    display_name: &str,
    budget: &mut Budget,
) -> Result<Chart, LoadError> {
    let files = read_archive(bytes, display_name, budget)?;
    load_files(files, display_name, budget)
}

/// Helm's `EnsureArchive`: the first 512 bytes (zero-padded) must sniff as gzip.
fn ensure_gzip(bytes: &[u8], name: &str) -> Result<(), LoadError> {
    let mut head = [0u8; 512];
    let n = bytes.len().min(512);
    head[..n].copy_from_slice(&bytes[..n]);
    if head.starts_with(b"\x1f\x8b\x08") {
        return Ok(());
    }
    if name.ends_with(".yml") || name.ends_with(".yaml") {
        return Err(LoadError::YamlNotArchive {
            name: name.to_string(),
        });
    }
    Err(LoadError::NotGzip {
        name: name.to_string(),
        detected: detect_content_type(&head).to_string(),
    })
}

/// The main signatures of Go's `http.DetectContentType`, enough for its answer in Helm's
/// "does not appear to be a gzipped archive; got '…'" message.
fn detect_content_type(head: &[u8; 512]) -> &'static str {
    let ws = head
        .iter()
        .position(|c| !matches!(c, b'\t' | b'\n' | b'\x0c' | b'\r' | b' '))
        .unwrap_or(head.len());
    let trimmed = &head[ws..];
    const HTML: [&[u8]; 17] = [
        b"<!DOCTYPE HTML",
        b"<HTML",
        b"<HEAD",
        b"<SCRIPT",
        b"<IFRAME",
        b"<H1",
        b"<DIV",
        b"<FONT",
        b"<TABLE",
        b"<A",
        b"<STYLE",
        b"<TITLE",
        b"<B",
        b"<BODY",
        b"<BR",
        b"<P",
        b"<!--",
    ];
    for tag in HTML {
        if trimmed.len() > tag.len()
            && trimmed[..tag.len()].eq_ignore_ascii_case(tag)
            && matches!(trimmed[tag.len()], b' ' | b'>')
        {
            return "text/html; charset=utf-8";
        }
    }
    if trimmed.starts_with(b"<?xml") {
        return "text/xml; charset=utf-8";
    }
    const EXACT: [(&[u8], &str); 17] = [
        (b"%PDF-", "application/pdf"),
        (b"%!PS-Adobe-", "application/postscript"),
        (b"\xfe\xff", "text/plain; charset=utf-16be"),
        (b"\xff\xfe", "text/plain; charset=utf-16le"),
        (b"\xef\xbb\xbf", "text/plain; charset=utf-8"),
        (b"\x00\x00\x01\x00", "image/x-icon"),
        (b"\x00\x00\x02\x00", "image/x-icon"),
        (b"BM", "image/bmp"),
        (b"GIF87a", "image/gif"),
        (b"GIF89a", "image/gif"),
        (b"\x89PNG\r\n\x1a\n", "image/png"),
        (b"\xff\xd8\xff", "image/jpeg"),
        (b"PK\x03\x04", "application/zip"),
        (b"Rar!\x1a\x07\x00", "application/x-rar-compressed"),
        (b"Rar!\x1a\x07\x01\x00", "application/x-rar-compressed"),
        (b"\x00asm", "application/wasm"),
        (b"OggS\x00", "application/ogg"),
    ];
    for (sig, mime) in EXACT {
        if head.starts_with(sig) {
            return mime;
        }
    }
    let binary = head.iter().any(|&c| {
        c <= 0x08 || c == 0x0b || (0x0e..=0x1a).contains(&c) || (0x1c..=0x1f).contains(&c)
    });
    if binary {
        "application/octet-stream"
    } else {
        "text/plain; charset=utf-8"
    }
}

/// What an archive entry is, for the decision to keep, skip or reject it.
enum Kind {
    File,
    Skip,
    Special(&'static str),
}

fn kind_of(header: &tar::Header, name: &str) -> Kind {
    let t = header.entry_type();
    let mode = header.mode().unwrap_or(0);
    let is_dir =
        t.is_dir() || (t.as_byte() == b'\0' && name.ends_with('/')) || mode & 0o170000 == 0o040000;
    if is_dir || t.is_pax_global_extensions() || t.is_pax_local_extensions() {
        return Kind::Skip;
    }
    match t.as_byte() {
        b'0' | b'\0' | b'7' => Kind::File,
        b'1' => Kind::Special("hard link"),
        b'2' => Kind::Special("symbolic link"),
        b'3' => Kind::Special("character device"),
        b'4' => Kind::Special("block device"),
        b'6' => Kind::Special("FIFO"),
        b'S' => Kind::Special("sparse file"),
        _ => Kind::Special("non-regular entry"),
    }
}

/// Go's `path.Clean` for a relative `/` path.
fn clean(path: &str) -> String {
    let rooted = path.starts_with('/');
    let mut out: Vec<&str> = Vec::new();
    for part in path.split('/') {
        match part {
            "" | "." => {}
            ".." => {
                if out.last().is_some_and(|p| *p != "..") {
                    out.pop();
                } else if !rooted {
                    out.push("..");
                }
            }
            p => out.push(p),
        }
    }
    let joined = out.join("/");
    match (rooted, joined.is_empty()) {
        (true, _) => format!("/{joined}"),
        (false, true) => ".".to_string(),
        (false, false) => joined,
    }
}

/// Helm's path rules for one entry name: the chart-relative path, or the error.
fn chart_path(entry: &str, archive: &str) -> Result<String, LoadError> {
    let delimiter = if entry.contains('\\') { '\\' } else { '/' };
    let parts: Vec<&str> = entry.split(delimiter).collect();
    let joined = parts[1..].join(&delimiter.to_string());
    let n = joined.replace(delimiter, "/");
    let e = |f: fn(String, String) -> LoadError| f(archive.to_string(), entry.to_string());
    if n.starts_with('/') {
        return Err(e(|archive, entry| LoadError::AbsolutePath {
            archive,
            entry,
        }));
    }
    let n = clean(&n);
    if n == "." {
        return Err(e(|archive, entry| LoadError::OutsideBase {
            archive,
            entry,
        }));
    }
    if n.starts_with("..") {
        return Err(e(|archive, entry| LoadError::ParentDirectory {
            archive,
            entry,
        }));
    }
    let b = n.as_bytes();
    if b.len() >= 3 && b[0].is_ascii_alphabetic() && b[1] == b':' && b[2] == b'/' {
        return Err(e(|archive, entry| LoadError::DriveLetter {
            archive,
            entry,
        }));
    }
    if parts[0] == "Chart.yaml" {
        return Err(e(|archive, entry| LoadError::ChartYamlNotInBase {
            archive,
            entry,
        }));
    }
    Ok(n)
}

/// Reads every regular file of the archive into memory, checking paths and sizes.
pub(crate) fn read_archive(
    bytes: &[u8],
    archive: &str,
    budget: &mut Budget,
) -> Result<Vec<BufferedFile>, LoadError> {
    ensure_gzip(bytes, archive)?;
    // The tar stream (headers and padding included) may not exceed twice the remaining
    // allowance: a bound on work and memory for entries that are skipped or rejected, and for
    // long-name records the tar reader buffers. File contents are counted exactly below.
    let stream_limit = budget.remaining.saturating_mul(2).saturating_add(1 << 20);
    let mut tar = tar::Archive::new(MultiGzDecoder::new(bytes).take(stream_limit));
    let result = read_entries(&mut tar, archive, budget);
    let exhausted = tar.into_inner().limit() == 0;
    match result {
        _ if exhausted => Err(LoadError::ChartTooLarge {
            archive: archive.to_string(),
            limit: budget.max_total,
        }),
        Ok(files) if files.is_empty() => Err(LoadError::NoFiles {
            archive: archive.to_string(),
        }),
        other => other,
    }
}

fn read_entries<R: Read>(
    tar: &mut tar::Archive<R>,
    archive: &str,
    budget: &mut Budget,
) -> Result<Vec<BufferedFile>, LoadError> {
    let io_err = |e: std::io::Error| {
        let details = e.to_string();
        if details.contains("gzip header") {
            LoadError::BadGzip {
                name: archive.to_string(),
                details: "gzip: invalid header".to_string(),
            }
        } else {
            LoadError::Corrupt {
                archive: archive.to_string(),
                details,
            }
        }
    };
    let too_large = || LoadError::ChartTooLarge {
        archive: archive.to_string(),
        limit: budget.max_total,
    };
    let mut files = Vec::new();
    for entry in tar.entries().map_err(io_err)? {
        let entry = entry.map_err(io_err)?;
        let raw = entry.path_bytes().into_owned();
        let name = String::from_utf8(raw).map_err(|e| LoadError::NonUtf8Entry {
            archive: archive.to_string(),
            entry: String::from_utf8_lossy(e.as_bytes()).into_owned(),
        })?;
        let kind = kind_of(entry.header(), &name);
        if let Kind::Skip = kind {
            continue;
        }
        let path = chart_path(&name, archive)?;
        if let Kind::Special(kind) = kind {
            return Err(LoadError::SpecialEntry {
                archive: archive.to_string(),
                entry: name,
                kind,
            });
        }
        let size = entry.size();
        if size > budget.remaining {
            return Err(too_large());
        }
        if size > budget.max_file {
            return Err(LoadError::ArchiveFileTooLarge {
                archive: archive.to_string(),
                entry: name,
                limit: budget.max_file,
            });
        }
        let mut data = Vec::with_capacity(size as usize);
        let read = entry
            .take(budget.remaining)
            .read_to_end(&mut data)
            .map_err(io_err)? as u64;
        budget.remaining -= read;
        if read < size || budget.remaining == 0 {
            return Err(too_large());
        }
        if data.starts_with(b"\xef\xbb\xbf") {
            data.drain(..3);
        }
        files.push(BufferedFile { name: path, data });
    }
    Ok(files)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::chart::test_support::*;
    use std::io::Write;

    const CHART: &str = "apiVersion: v2\nname: demo\nversion: 0.1.0\n";

    fn load(entries: &[Entry]) -> Result<Chart, LoadError> {
        load_archive(&tgz(entries), "demo.tgz")
    }

    fn err(entries: &[Entry]) -> String {
        fail(load(entries))
    }

    /// Helm `TestLoadInvalidArchive`: one crafted entry name (body `hello: world`) per row.
    #[test]
    fn malicious_entry_names() {
        let rows = [
            (
                "../../malformed-helm-test",
                "chart illegally references parent directory",
            ),
            (
                "/foo/../../malformed-helm-test",
                "chart illegally references parent directory",
            ),
            (
                "/../../malformed-helm-test",
                "chart illegally references parent directory",
            ),
            (
                "./../../malformed-helm-test",
                "chart illegally references parent directory",
            ),
            (
                "./.",
                "chart illegally contains content outside the base directory",
            ),
            (
                "/./.",
                "chart illegally contains content outside the base directory",
            ),
            (
                "missing-leading-slash",
                "chart illegally contains content outside the base directory",
            ),
            ("/missing-leading-slash", "Chart.yaml file is missing"),
            ("//foo", "chart illegally contains absolute paths"),
            ("///foo", "chart illegally contains absolute paths"),
            ("\\\\foo", "chart illegally contains absolute paths"),
            (
                "\\..\\..\\foo",
                "chart illegally references parent directory",
            ),
            ("\\.\\c:\\\\foo", "chart contains illegally named files"),
            ("/./c://foo", "chart contains illegally named files"),
            (
                "\\\\?\\Some\\windows\\magic",
                "chart illegally contains absolute paths",
            ),
        ];
        assert_eq!(rows.len(), 15);
        for (name, want) in rows {
            let got = err(&[file(name, "hello: world")]);
            assert!(got.contains(want), "{name:?}: {got}");
        }
        // An absolute path is read relative to the archive's top directory.
        assert_eq!(
            err(&[file("/Chart.yaml", "hello: world")]),
            "demo.tgz/Chart.yaml: validation: chart.metadata.name is required"
        );
        assert_eq!(
            err(&[file("files/whatever.yaml", "hello: world")]),
            "demo.tgz: Chart.yaml file is missing"
        );
        // A drive letter as the top directory is dropped like any other.
        assert_eq!(
            err(&[file("c:\\Chart.yaml", "hello: world")]),
            "demo.tgz/Chart.yaml: validation: chart.metadata.name is required"
        );
        assert!(err(&[file("Chart.yaml/x", "a")]).contains("chart yaml not in base directory"));
        assert!(
            err(&[file("x/..foo", "a")]).contains("chart illegally references parent directory")
        );
    }

    #[test]
    fn loads_a_packed_frobnitz() {
        let tmp = tempfile::tempdir().unwrap();
        let root = build_frobnitz(tmp.path());
        std::fs::remove_dir_all(root.join("ignore")).unwrap(); // packaging applies .helmignore
        let bytes = tgz_dir(&root, "frobnitz", vec![]);
        let c = load_archive(&bytes, "frobnitz-1.2.3.tgz").unwrap();
        verify_frobnitz(&c);
        // The same through chart::load on a file.
        let path = tmp.path().join("frobnitz-1.2.3.tgz");
        std::fs::write(&path, &bytes).unwrap();
        verify_frobnitz(&crate::chart::load(&path).unwrap());
    }

    #[test]
    fn v1_archive_with_requirements() {
        let tmp = tempfile::tempdir().unwrap();
        let root = build_overlay(tmp.path(), "frobnitz.v1");
        std::fs::remove_dir_all(root.join("ignore")).unwrap();
        let c = load_archive(&tgz_dir(&root, "frobnitz", vec![]), "frobnitz.v1.tgz").unwrap();
        verify_dependencies(&c);
        assert_eq!(c.lock.unwrap().dependencies.len(), 2);
    }

    /// Helm `TestLoadFileBackslash`: archives written on Windows use `\`.
    #[test]
    fn backslash_separators() {
        let c = load(&[
            file(
                "frobnitz_backslash\\Chart.yaml",
                "apiVersion: v2\nname: frobnitz_backslash\nversion: 1.2.3\n",
            ),
            file("frobnitz_backslash\\templates\\template.tpl", "hi"),
            file(
                "frobnitz_backslash\\charts\\alpine\\Chart.yaml",
                "apiVersion: v1\nname: alpine\nversion: 0.1.0\n",
            ),
            file(
                "frobnitz_backslash\\charts\\alpine\\templates\\pod.yaml",
                "pod",
            ),
        ])
        .unwrap();
        assert_eq!(c.name(), "frobnitz_backslash");
        assert_eq!(c.templates[0].name, "templates/template.tpl");
        assert_eq!(c.dependencies[0].templates[0].name, "templates/pod.yaml");
    }

    #[test]
    fn bom_is_stripped() {
        let bom = |s: &str| {
            let mut v = b"\xef\xbb\xbf".to_vec();
            v.extend_from_slice(s.as_bytes());
            v
        };
        let c = load(&[
            file("demo/Chart.yaml", bom(CHART)),
            file("demo/.helmignore", bom("x\n")),
            file("demo/templates/template.tpl", bom("hello")),
            file("demo/values.yaml", bom("a: 1\n")),
        ])
        .unwrap();
        assert_eq!(c.name(), "demo");
        assert_eq!(c.files[0].data, b"x\n");
        assert_eq!(c.templates[0].data, b"hello");
        assert_eq!(c.raw_values, b"a: 1\n");
    }

    #[test]
    fn no_helmignore_in_archives() {
        let c = load(&[
            file("demo/Chart.yaml", CHART),
            file("demo/.helmignore", "ignored.txt\n"),
            file("demo/ignored.txt", "still here"),
        ])
        .unwrap();
        assert!(c.files.iter().any(|f| f.name == "ignored.txt"));
    }

    #[test]
    fn links_and_special_entries_are_rejected() {
        let special = |name: &str, kind: u8, link: &'static str| Entry {
            name: name.into(),
            data: vec![],
            kind,
            link,
        };
        for (kind, label) in [
            (b'2', "symbolic link"),
            (b'1', "hard link"),
            (b'3', "character device"),
            (b'4', "block device"),
            (b'6', "FIFO"),
        ] {
            let got = err(&[
                file("demo/Chart.yaml", CHART),
                special("demo/templates/evil.yaml", kind, "/etc/passwd"),
            ]);
            assert!(
                got.contains(&format!("entry \"demo/templates/evil.yaml\" is a {label}")),
                "{got}"
            );
        }
        // Path rules come first, with Helm's message.
        let got = err(&[special("demo/../../x", b'2', "/etc/passwd")]);
        assert!(
            got.contains("chart illegally references parent directory"),
            "{got}"
        );
    }

    #[test]
    fn directory_and_pax_entries_are_skipped() {
        let dir = Entry {
            name: "demo/templates/".into(),
            data: vec![],
            kind: b'5',
            link: "",
        };
        let global = Entry {
            name: "pax_global_header".into(),
            data: b"52 comment=0123456789abcdef0123456789abcdef01234567\n".to_vec(),
            kind: b'g',
            link: "",
        };
        let c = load(&[
            global,
            dir,
            file("demo/Chart.yaml", CHART),
            file("demo/templates/a.yaml", "a"),
        ])
        .unwrap();
        assert_eq!(c.templates.len(), 1);
        assert!(c.files.is_empty());
    }

    /// Helm `archive_test.go`: an empty tar, and one holding only a pax global header.
    #[test]
    fn empty_archives() {
        assert_eq!(err(&[]), "demo.tgz: no files in chart archive");
        let global = Entry {
            name: "pax_global_header".into(),
            data: b"52 comment=0123456789abcdef0123456789abcdef01234567\n".to_vec(),
            kind: b'g',
            link: "",
        };
        assert_eq!(err(&[global]), "demo.tgz: no files in chart archive");
        assert_eq!(
            fail(load_archive(&gzip(b""), "demo.tgz")),
            "demo.tgz: no files in chart archive"
        );
    }

    #[test]
    fn not_gzip() {
        assert_eq!(
            fail(load_archive(b"a: b\n", "values.yaml")),
            "file 'values.yaml' seems to be a YAML file, but expected a gzipped archive"
        );
        assert_eq!(
            fail(load_archive(b"a: b\n", "chart.tgz")),
            "file 'chart.tgz' does not appear to be a gzipped archive; got 'application/octet-stream'"
        );
        assert_eq!(
            fail(load_archive(&[b'a'; 600], "chart.tgz")),
            "file 'chart.tgz' does not appear to be a gzipped archive; got 'text/plain; charset=utf-8'"
        );
    }

    #[test]
    fn corrupt_and_truncated() {
        let good = tgz(&[
            file("demo/Chart.yaml", CHART),
            file("demo/README.md", "r".repeat(10_000)),
        ]);
        for cut in [10, 20, good.len() / 2] {
            let got = fail(load_archive(&good[..cut], "demo.tgz"));
            assert!(
                got.starts_with("demo.tgz: the archive is corrupt or truncated"),
                "{got}"
            );
        }
        let mut bad = good.clone();
        bad[3] = 0xff; // reserved gzip flag bits
        let got = fail(load_archive(&bad, "demo.tgz"));
        assert!(
            got.starts_with("file 'demo.tgz' does not appear to be a valid chart file"),
            "{got}"
        );
    }

    /// A tar stream whose zero-filled body is `zeros` bytes long, gzip-compressed as repeated
    /// members so the test does not have to compress hundreds of MiB.
    fn zero_bomb(header: &tar::Header, zeros: u64) -> Vec<u8> {
        let mut out = gzip(header.as_bytes());
        let chunk = gzip(&vec![0u8; 1 << 20]);
        for _ in 0..zeros.div_ceil(1 << 20) {
            out.extend_from_slice(&chunk);
        }
        out.extend(gzip(&[0u8; 1024]));
        out
    }

    #[test]
    fn decompression_bomb_fails_on_the_header() {
        let size = 200 << 20;
        let bytes = zero_bomb(&header_for("demo/zeros", size, b'0', ""), size);
        assert!(bytes.len() < 1 << 20, "{} bytes", bytes.len());
        assert_eq!(
            fail(load_archive(&bytes, "bomb.tgz")),
            "bomb.tgz: decompressed chart is larger than the maximum size 104857600"
        );
        let bytes = zero_bomb(&header_for("demo/zeros", 6 << 20, b'0', ""), 6 << 20);
        assert_eq!(
            fail(load_archive(&bytes, "bomb.tgz")),
            "bomb.tgz: decompressed chart file \"demo/zeros\" is larger than the maximum file size 5242880"
        );
    }

    #[test]
    fn total_size_is_enforced_while_decompressing() {
        let mut budget = Budget::new(1 << 20, 4 << 20);
        let entries: Vec<Entry> = (0..5)
            .map(|i| file(&format!("demo/f{i}"), vec![0u8; 1 << 20]))
            .collect();
        let got = fail(load_archive_with(&tgz(&entries), "big.tgz", &mut budget));
        assert_eq!(
            got,
            "big.tgz: decompressed chart is larger than the maximum size 4194304"
        );
        // Bytes skipped (a directory entry with a 50 MiB body) count too.
        let mut budget = Budget::new(1 << 20, 2 << 20);
        let bytes = zero_bomb(&header_for("demo/dir/", 50 << 20, b'5', ""), 50 << 20);
        let got = fail(load_archive_with(&bytes, "skip.tgz", &mut budget));
        assert_eq!(
            got,
            "skip.tgz: decompressed chart is larger than the maximum size 2097152"
        );
    }

    #[test]
    fn nested_archives_share_the_allowance() {
        let sub = |name: &str| {
            tgz(&[
                file(
                    &format!("{name}/Chart.yaml"),
                    format!("apiVersion: v2\nname: {name}\nversion: 0.1.0\n"),
                ),
                file(&format!("{name}/blob"), vec![0u8; 3 << 20]),
            ])
        };
        let parent = tgz(&[
            file("demo/Chart.yaml", CHART),
            file("demo/charts/a-0.1.0.tgz", sub("a")),
            file("demo/charts/b-0.1.0.tgz", sub("b")),
        ]);
        // Each subchart alone fits in 4 MiB; both together do not.
        assert!(load_archive_with(&sub("a"), "a.tgz", &mut Budget::new(4 << 20, 4 << 20)).is_ok());
        let got = fail(load_archive_with(
            &parent,
            "demo.tgz",
            &mut Budget::new(4 << 20, 4 << 20),
        ));
        assert!(
            got.starts_with("error unpacking subchart b-0.1.0.tgz in demo: demo.tgz/charts/b-0.1.0.tgz: decompressed chart is larger"),
            "{got}"
        );
        let c = load_archive(&parent, "demo.tgz").unwrap();
        assert_eq!(c.dependencies[1].full_path, "demo/charts/b");
    }

    #[test]
    fn broken_yaml_names_entry_and_line() {
        let got = err(&[file("demo/Chart.yaml", "apiVersion: v2\nname: [x\n")]);
        assert!(
            got.starts_with("cannot load demo.tgz/Chart.yaml: line "),
            "{got}"
        );
        let got = err(&[
            file("demo/Chart.yaml", CHART),
            file("demo/values.yaml", "a:\n  - b\n c: d\n"),
        ]);
        assert!(
            got.starts_with("cannot load demo.tgz/values.yaml: line "),
            "{got}"
        );
    }

    #[test]
    fn entries_from_several_top_directories_merge_like_helm() {
        let c = load(&[file("a/Chart.yaml", CHART), file("b/README.md", "r")]).unwrap();
        assert_eq!(c.files[0].name, "README.md");
    }

    #[test]
    fn loading_writes_nothing() {
        // Loading an archive must not create files: the archive is only read in memory.
        let tmp = tempfile::tempdir().unwrap();
        let path = tmp.path().join("demo.tgz");
        let mut f = std::fs::File::create(&path).unwrap();
        f.write_all(&tgz(&[file("demo/Chart.yaml", CHART)]))
            .unwrap();
        crate::chart::load(&path).unwrap();
        assert_eq!(std::fs::read_dir(tmp.path()).unwrap().count(), 1);
    }

    #[test]
    fn go_path_clean() {
        for (i, o) in [
            ("", "."),
            ("a/./b", "a/b"),
            ("a/../..", ".."),
            ("../../x", "../../x"),
            ("foo/../../m", "../m"),
            ("./c://foo", "c:/foo"),
            ("a//b/", "a/b"),
        ] {
            assert_eq!(clean(i), o, "{i:?}");
        }
    }

    #[test]
    fn sniffing() {
        let pad = |b: &[u8]| {
            let mut h = [0u8; 512];
            h[..b.len()].copy_from_slice(b);
            h
        };
        assert_eq!(
            detect_content_type(&pad(b"a: b\n")),
            "application/octet-stream"
        );
        assert_eq!(
            detect_content_type(&[b'a'; 512]),
            "text/plain; charset=utf-8"
        );
        assert_eq!(
            detect_content_type(&pad(b"  <html>")),
            "text/html; charset=utf-8"
        );
        assert_eq!(detect_content_type(&pad(b"PK\x03\x04")), "application/zip");
    }
}
