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
