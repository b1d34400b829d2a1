//! Cross-check against the Python `kubernetes-validate` CLI (the source of the embedded
//! schemas) when it is installed: `pip install kubernetes-validate==1.37.0`. Otherwise the test
//! says it skipped.
//!
//! The Python tool reports only the first error of each resource, so the comparison is: the
//! same resources pass and fail, and the Python error's path is one of ours (or the object
//! holding it). Known, deliberate differences: chartroom accepts an explicit null in
//! int-or-string fields, and reports duplicate keys (PyYAML keeps the last value silently).

#[path = "fixtures/validate/corpus.rs"]
mod corpus;

use std::process::Command;

use chartroom::validate::{Input, Options, validate};

fn python_tool() -> Option<&'static str> {
    let ok = Command::new("kubernetes-validate")
        .arg("--version")
        .output()
        .is_ok_and(|o| o.status.success());
    ok.then_some("kubernetes-validate")
}

/// `spec.template.spec.containers.0` → `spec.template.spec.containers[0]`.
fn python_path(p: &str) -> String {
    let mut out = String::new();
    for part in p.split('.') {
        if !part.is_empty() && part.chars().all(|c| c.is_ascii_digit()) {
            out.push_str(&format!("[{part}]"));
        } else {
            if !out.is_empty() {
                out.push('.');
            }
            out.push_str(part);
        }
    }
    out
}

#[test]
fn agrees_with_python_kubernetes_validate() {
    let Some(tool) = python_tool() else {
        println!(
            "skipped: the kubernetes-validate CLI is not installed (pip install kubernetes-validate==1.37.0)"
        );
        return;
    };
    // Built-in kinds only (the Python tool has no CRD support), every document parseable and
    // with a kind, so both tools see the same resources.
    let (text, _) = corpus::generate(300);
    let fixtures = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/validate");
    let mut docs: Vec<String> = text.split("\n---\n").map(str::to_string).collect();
    for f in [
        "clean.yaml",
        "wrong-type.yaml",
        "unknown-field.yaml",
        "missing-required.yaml",
    ] {
        let t = std::fs::read_to_string(fixtures.join(f)).unwrap();
        docs.extend(t.split("\n---\n").map(str::to_string));
    }
    docs.retain(|d| {
        !d.contains("example.com/v1")
            && !d.contains("[unclosed")
            && d.contains("\nkind:")
            && d.contains("name:")
    });
    let stream = docs.join("\n---\n");

    let report = validate(
        &[Input::file("x.yaml", stream.clone())],
        &Options::default(),
    )
    .unwrap();
    // Per document, in order: "kind/name" (kind lowercased, as the Python tool prints it) and
    // our findings (rule, path).
    let mut ours: Vec<(String, Vec<(String, String)>)> = report
        .document_list
        .iter()
        .map(|d| (format!("{}/{}", d.kind.to_lowercase(), d.name), Vec::new()))
        .collect();
    for f in &report.findings {
        if f.rule != "duplicate-key" {
            ours[f.document].1.push((f.rule.clone(), f.path.clone()));
        }
    }

    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("x.yaml");
    std::fs::write(&file, &stream).unwrap();
    let out = Command::new(tool)
        .arg("--strict")
        .arg("-k")
        .arg("1.37.0")
        .arg(&file)
        .output()
        .unwrap();
    let stdout =
        String::from_utf8_lossy(&out.stdout).into_owned() + &String::from_utf8_lossy(&out.stderr);
    let lines: Vec<&str> = stdout
        .lines()
        .filter(|l| l.contains(" for resource "))
        .collect();
    assert_eq!(
        lines.len(),
        ours.len(),
        "one verdict per document:\n{stdout}"
    );
    let mut compared = 0;
    let mut failures = 0;
    for (line, (resource, mine)) in lines.iter().zip(&ours) {
        let theirs = line
            .split(" for resource ")
            .nth(1)
            .unwrap()
            .split(' ')
            .next()
            .unwrap();
        assert_eq!(theirs, resource, "documents out of step: {line}");
        compared += 1;
        if line.starts_with("INFO") {
            assert!(
                mine.is_empty(),
                "Python passed {resource}, chartroom reported {mine:?}"
            );
        } else if line.starts_with("ERROR") {
            let detail = line.split(": ").skip(1).collect::<Vec<_>>().join(": ");
            if detail.contains("is valid under each of") {
                // Explicit null in an int-or-string field: accepted by design.
                assert!(mine.is_empty(), "{resource}: {mine:?}");
                continue;
            }
            failures += 1;
            let path = python_path(detail.split(": ").next().unwrap_or(""));
            assert!(
                mine.iter().any(|(_, p)| p.starts_with(&path)),
                "Python: {line}\nchartroom: {mine:?}"
            );
        } else {
            panic!("unexpected verdict: {line}");
        }
    }
    assert!(
        compared > 250,
        "compared only {compared} resources:\n{stdout}"
    );
    assert!(
        failures >= 8,
        "expected the planted errors, got {failures}:\n{stdout}"
    );
    println!("compared {compared} resources with kubernetes-validate, {failures} failing in both");
}
