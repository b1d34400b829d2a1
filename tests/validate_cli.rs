//! `chartroom validate` run as a real process: every output format and every exit code.

use std::path::{Path, PathBuf};

use assert_cmd::cargo::cargo_bin_cmd;

fn fixtures() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/validate")
}

fn cmd() -> assert_cmd::Command {
    let mut c = cargo_bin_cmd!("chartroom");
    c.current_dir(fixtures());
    c
}

fn stdout_of(out: &std::process::Output) -> String {
    String::from_utf8(out.stdout.clone()).unwrap()
}

#[test]
fn clean_input_exits_0_with_a_summary() {
    let out = cmd()
        .args(["validate", "clean.yaml"])
        .assert()
        .code(0)
        .get_output()
        .clone();
    let text = stdout_of(&out);
    assert_eq!(
        text,
        "13 documents checked against Kubernetes 1.37 schemas (strict): 13 validated, 0 skipped (no schema); 0 errors, 0 warnings\n"
    );
}

#[test]
fn findings_exit_1_in_text() {
    let out = cmd()
        .args(["validate", "wrong-type.yaml"])
        .assert()
        .code(1)
        .get_output()
        .clone();
    let text = stdout_of(&out);
    assert!(
        text.starts_with("wrong-type.yaml:6: Deployment/web: spec.replicas: expected integer, got string; remove the quotes around the value [wrong-type]\n"),
        "{text}"
    );
    assert!(text.ends_with("3 errors, 0 warnings\n"), "{text}");
}

#[test]
fn json_output() {
    let out = cmd()
        .args(["validate", "-o", "json", "unknown-field.yaml"])
        .assert()
        .code(1)
        .get_output()
        .clone();
    let v: serde_json::Value = serde_json::from_str(&stdout_of(&out)).unwrap();
    let findings = v["findings"].as_array().unwrap();
    assert_eq!(findings.len(), 2);
    let f = &findings[0];
    for key in [
        "severity",
        "file",
        "line",
        "document",
        "kind",
        "name",
        "namespace",
        "path",
        "message",
        "rule",
    ] {
        assert!(f.get(key).is_some(), "missing {key}");
    }
    assert_eq!(f["path"], "metadata.lables");
    assert_eq!(f["line"], 5);
    assert_eq!(v["summary"]["errors"], 2);
}

#[test]
fn junit_output() {
    let out = cmd()
        .args([
            "validate",
            "--output",
            "junit",
            "invalid-yaml.yaml",
            "clean.yaml",
        ])
        .assert()
        .code(1)
        .get_output()
        .clone();
    let x = stdout_of(&out);
    assert!(
        x.starts_with("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<testsuites "),
        "{x}"
    );
    assert!(x.contains("tests=\"16\" failures=\"1\""), "{x}");
    assert!(
        x.contains("<testsuite name=\"clean.yaml\" tests=\"13\" failures=\"0\""),
        "{x}"
    );
    assert!(x.contains("<failure message=\"invalid YAML: "), "{x}");
    assert!(x.trim_end().ends_with("</testsuites>"));
}

#[test]
fn sarif_output() {
    let out = cmd()
        .args(["validate", "-o", "sarif", "missing-required.yaml"])
        .assert()
        .code(1)
        .get_output()
        .clone();
    let v: serde_json::Value = serde_json::from_str(&stdout_of(&out)).unwrap();
    assert_eq!(v["version"], "2.1.0");
    let results = v["runs"][0]["results"].as_array().unwrap();
    assert_eq!(results.len(), 2);
    assert_eq!(results[0]["ruleId"], "required-field");
    assert_eq!(
        results[0]["locations"][0]["physicalLocation"]["region"]["startLine"],
        5
    );
    assert_eq!(
        results[0]["locations"][0]["physicalLocation"]["artifactLocation"]["uri"],
        "missing-required.yaml"
    );
}

#[test]
fn stdin_and_directories() {
    let out = cmd()
        .args(["validate", "-"])
        .write_stdin("apiVersion: v1\nkind: ConfigMap\nmetadata: {name: x}\ndata: {a: 1}\n")
        .assert()
        .code(1)
        .get_output()
        .clone();
    let text = stdout_of(&out);
    assert!(
        text.starts_with("<stdin>:4: ConfigMap/x: data.a: expected string, got integer"),
        "{text}"
    );

    let dir = tempfile::tempdir().unwrap();
    std::fs::create_dir_all(dir.path().join("sub")).unwrap();
    std::fs::copy(fixtures().join("clean.yaml"), dir.path().join("b.yaml")).unwrap();
    std::fs::copy(
        fixtures().join("wrong-type.yaml"),
        dir.path().join("sub/a.yml"),
    )
    .unwrap();
    std::fs::write(dir.path().join("notes.txt"), "not: [yaml").unwrap();
    let out = cmd()
        .arg("validate")
        .arg(dir.path())
        .assert()
        .code(1)
        .get_output()
        .clone();
    let text = stdout_of(&out);
    assert!(text.contains("sub/a.yml:6: Deployment/web"), "{text}");
    assert!(text.ends_with("14 documents checked against Kubernetes 1.37 schemas (strict): 14 validated, 0 skipped (no schema); 3 errors, 0 warnings\n"), "{text}");
}

#[test]
fn flags_change_the_outcome() {
    cmd()
        .args(["validate", "--no-strict", "unknown-field.yaml"])
        .assert()
        .code(0);
    cmd().args(["validate", "bad-enum.yaml"]).assert().code(0);
    cmd()
        .args(["validate", "--fail-on-missing-schema", "bad-enum.yaml"])
        .assert()
        .code(1);
    cmd()
        .args([
            "validate",
            "--schema-location",
            "schemas",
            "schema-location.yaml",
        ])
        .assert()
        .code(1);
    cmd()
        .args(["validate", "--kube-version", "1.25", "clean.yaml"])
        .assert()
        .code(0);
}

#[test]
fn usage_errors_exit_2() {
    let out = cmd()
        .args(["validate", "--kube-version", "1.99", "clean.yaml"])
        .assert()
        .code(2)
        .get_output()
        .clone();
    let err = String::from_utf8(out.stderr).unwrap();
    assert!(err.contains("1.25 to 1.37"), "{err}");
    assert!(out.stdout.is_empty());
    cmd()
        .args(["validate", "--schema-location", "no-such-dir", "clean.yaml"])
        .assert()
        .code(2);
    cmd()
        .args(["validate", "-o", "xml", "clean.yaml"])
        .assert()
        .code(2);
    cmd().args(["validate"]).assert().code(2);
}

#[test]
fn unreadable_input_exits_1() {
    let out = cmd()
        .args(["validate", "no-such-file.yaml"])
        .assert()
        .code(1)
        .get_output()
        .clone();
    assert!(
        String::from_utf8(out.stderr)
            .unwrap()
            .contains("no-such-file.yaml")
    );
    let dir = tempfile::tempdir().unwrap();
    let p = dir.path().join("utf16.yaml");
    std::fs::write(&p, [0xff, 0xfe, b'a', 0, b':', 0]).unwrap();
    let out = cmd()
        .arg("validate")
        .arg(&p)
        .assert()
        .code(1)
        .get_output()
        .clone();
    assert!(String::from_utf8(out.stderr).unwrap().contains("UTF-16"));
}
