//! Test helpers for the loaders: the fixture charts under `tests/fixtures/charts/loader/`, and
//! `.tgz` archives built in memory with `flate2` + `tar`, including entries no well-behaved
//! tool would write (raw names, links, devices). Test-only.

use crate::chart::model::{Chart, File};
use serde_json::json;
use std::io::Write;
use std::path::{Path, PathBuf};

pub(crate) fn fixture(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/charts/loader")
        .join(name)
}

pub(crate) fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for entry in std::fs::read_dir(from).unwrap() {
        let entry = entry.unwrap();
        let target = to.join(entry.file_name());
        if entry.file_type().unwrap().is_dir() {
            copy_dir(&entry.path(), &target);
        } else {
            std::fs::copy(entry.path(), &target).unwrap();
        }
    }
}

/// One tar entry, written with its name as raw bytes (no sanitising).
pub(crate) struct Entry {
    pub name: String,
    pub data: Vec<u8>,
    /// Tar type flag (`b'0'` file, `b'5'` directory, `b'2'` symlink, ...).
    pub kind: u8,
    pub link: &'static str,
}

pub(crate) fn file(name: &str, data: impl AsRef<[u8]>) -> Entry {
    Entry {
        name: name.to_string(),
        data: data.as_ref().to_vec(),
        kind: b'0',
        link: "",
    }
}

pub(crate) fn header_for(name: &str, size: u64, kind: u8, link: &str) -> tar::Header {
    let mut h = tar::Header::new_gnu();
    {
        let gnu = h.as_gnu_mut().unwrap();
        assert!(name.len() <= gnu.name.len(), "test entry name too long");
        gnu.name[..name.len()].copy_from_slice(name.as_bytes());
        gnu.linkname[..link.len()].copy_from_slice(link.as_bytes());
    }
    h.set_size(size);
    h.set_mode(0o644);
    h.set_entry_type(tar::EntryType::new(kind));
    h.set_cksum();
    h
}

pub(crate) fn tar_bytes(entries: &[Entry]) -> Vec<u8> {
    let mut b = tar::Builder::new(Vec::new());
    for e in entries {
        let h = header_for(&e.name, e.data.len() as u64, e.kind, e.link);
        b.append(&h, e.data.as_slice()).unwrap();
    }
    b.into_inner().unwrap()
}

pub(crate) fn gzip(bytes: &[u8]) -> Vec<u8> {
    let mut gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
    gz.write_all(bytes).unwrap();
    gz.finish().unwrap()
}

pub(crate) fn tgz(entries: &[Entry]) -> Vec<u8> {
    gzip(&tar_bytes(entries))
}

/// Packs a directory as `top/<relative path>` entries, in sorted order, plus `extra` entries.
pub(crate) fn tgz_dir(dir: &Path, top: &str, extra: Vec<Entry>) -> Vec<u8> {
    fn walk(dir: &Path, rel: &str, out: &mut Vec<Entry>) {
        let mut names: Vec<_> = std::fs::read_dir(dir)
            .unwrap()
            .map(|e| e.unwrap().file_name().into_string().unwrap())
            .collect();
        names.sort();
        for n in names {
            let p = dir.join(&n);
            let r = format!("{rel}/{n}");
            if p.is_dir() {
                walk(&p, &r, out);
            } else {
                out.push(file(&r, std::fs::read(&p).unwrap()));
            }
        }
    }
    let mut entries = Vec::new();
    walk(dir, top, &mut entries);
    entries.extend(extra);
    tgz(&entries)
}

/// Builds the full frobnitz fixture in `dst` (packing `mariner` with `albatross` inside, and
/// `mast2` into `alpine`) and returns its path.
pub(crate) fn build_frobnitz(dst: &Path) -> PathBuf {
    let root = dst.join("frobnitz");
    copy_dir(&fixture("frobnitz"), &root);
    let albatross = tgz_dir(&fixture("albatross"), "albatross", vec![]);
    let mariner = tgz_dir(
        &fixture("mariner"),
        "mariner",
        vec![file("mariner/charts/albatross-0.1.0.tgz", albatross)],
    );
    std::fs::write(root.join("charts/mariner-4.3.2.tgz"), mariner).unwrap();
    let mast2 = tgz_dir(&fixture("mast2"), "mast2", vec![]);
    std::fs::write(root.join("charts/alpine/charts/mast2-0.1.0.tgz"), mast2).unwrap();
    root
}

/// `build_frobnitz` with the files of an overlay fixture replacing `Chart.yaml`/`Chart.lock`.
pub(crate) fn build_overlay(dst: &Path, overlay: &str) -> PathBuf {
    let root = build_frobnitz(dst);
    std::fs::remove_file(root.join("Chart.yaml")).unwrap();
    std::fs::remove_file(root.join("Chart.lock")).unwrap();
    copy_dir(&fixture(overlay), &root);
    root
}

/// The error text of a load that must fail (never prints a chart's bytes).
pub(crate) fn fail<E: std::fmt::Display>(r: Result<Chart, E>) -> String {
    match r {
        Ok(c) => panic!("loaded {:?} but expected an error", c.name()),
        Err(e) => e.to_string(),
    }
}

pub(crate) fn names(files: &[File]) -> Vec<&str> {
    files.iter().map(|f| f.name.as_str()).collect()
}

/// Helm's `verifyFrobnitz` + `verifyChart` + `verifyDependencies(Lock)` facts.
pub(crate) fn verify_frobnitz(c: &Chart) {
    assert_eq!(c.name(), "frobnitz");
    assert_eq!(names(&c.templates), ["templates/template.tpl"]);
    assert!(!c.templates[0].data.is_empty());
    assert_eq!(
        names(&c.files),
        [
            ".helmignore",
            "INSTALL.txt",
            "LICENSE",
            "README.md",
            "docs/README.md",
            "icon.svg"
        ]
    );
    let deps: Vec<(&str, &str)> = c
        .dependencies
        .iter()
        .map(|d| (d.name(), d.metadata.version.as_str()))
        .collect();
    assert_eq!(deps, [("alpine", "0.1.0"), ("mariner", "4.3.2")]);
    verify_dependencies(c);
    assert_eq!(c.lock.as_ref().unwrap().dependencies.len(), 2);
    let alpine = &c.dependencies[0];
    assert_eq!(names(&alpine.templates), ["templates/alpine-pod.yaml"]);
    assert_eq!(names(&alpine.files), ["README.md"]);
    let sub: Vec<&str> = alpine.dependencies.iter().map(|d| d.name()).collect();
    assert_eq!(sub, ["mast1", "mast2"]);
    assert_eq!(alpine.full_path, "frobnitz/charts/alpine");
    assert_eq!(
        alpine.dependencies[1].full_path,
        "frobnitz/charts/alpine/charts/mast2"
    );
    let mariner = &c.dependencies[1];
    assert_eq!(mariner.dependencies[0].name(), "albatross");
    assert_eq!(
        mariner.dependencies[0].full_path,
        "frobnitz/charts/mariner/charts/albatross"
    );
    assert_eq!(c.values["section"], json!({"name": "Name in a section"}));
}

pub(crate) fn verify_dependencies(c: &Chart) {
    let deps: Vec<(&str, &str, &str)> = c
        .metadata
        .dependencies
        .iter()
        .map(|d| (d.name.as_str(), d.version.as_str(), d.repository.as_str()))
        .collect();
    assert_eq!(
        deps,
        [
            ("alpine", "0.1.0", "https://example.com/charts"),
            ("mariner", "4.3.2", "https://example.com/charts"),
        ]
    );
}
