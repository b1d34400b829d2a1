//! `chartroom lint` as a real process: exit codes (0 clean, 1 findings or failure, 2 usage),
//! every output format, the ways to switch rules off and on, values from standard input, and
//! hostile input.

mod common;

use serde_json::Value;
use std::io::Write;
use std::process::Stdio;

fn lint(args: &[&str]) -> (i32, String, String) {
    let mut cmd = common::chartroom();
    cmd.current_dir(common::fixture("lint"))
        .arg("lint")
        .args(args);
    common::run(cmd)
}

fn json(args: &[&str]) -> (i32, Value) {
    let mut all = args.to_vec();
    all.extend(["-o", "json"]);
    let (code, out, err) = lint(&all);
    let v = serde_json::from_str(&out).unwrap_or_else(|e| panic!("{e}: {out}{err}"));
    (code, v)
}

fn rules(v: &Value) -> Vec<String> {
    v["charts"]
        .as_array()
        .unwrap()
        .iter()
        .flat_map(|c| c["findings"].as_array().unwrap().iter())
        .map(|f| f["rule"].as_str().unwrap().to_string())
        .collect()
}

#[test]
fn clean_chart_exits_0_with_helms_summary() {
    let (code, out, err) = lint(&["helm/withsubchart"]);
    assert_eq!(code, 0, "{err}");
    assert_eq!(
        out,
        "==> Linting helm/withsubchart\n\n1 chart(s) linted, 0 chart(s) failed\n"
    );
    assert!(err.is_empty());
}

#[test]
fn errors_exit_1_and_the_summary_is_the_error() {
    let (code, out, err) = lint(&["insecure-go"]);
    assert_eq!(code, 1);
    assert!(out.starts_with("==> Linting insecure-go\n"), "{out}");
    assert!(
        out.contains("[ERROR] templates/deployment.yaml:26: Deployment/test-release-insecure-go: container \"web\" sets environment variable \"MODE\" more than once (duplicate-env-var)"),
        "{out}"
    );
    assert!(
        out.contains("[WARNING] templates/deployment.yaml:28: Deployment/test-release-insecure-go: container \"web\" has no memory limit (no-resource-limits)\n        fix: set resources.limits.memory=256Mi (--set or your values file)\n"),
        "{out}"
    );
    assert_eq!(err, "Error: 1 chart(s) linted, 1 chart(s) failed\n");
}

#[test]
fn strict_fails_on_warnings() {
    let (code, _, _) = lint(&["insecure-jinja"]);
    assert_eq!(code, 0, "warnings only");
    let (code, _, err) = lint(&["insecure-jinja", "--strict"]);
    assert_eq!(code, 1);
    assert!(err.contains("1 chart(s) failed"), "{err}");
    // Infos never fail.
    let (code, _, _) = lint(&["helm/missing-dep"]);
    assert_eq!(code, 0);
}

#[test]
fn usage_errors_exit_2() {
    for args in [
        &["insecure-go", "--disable", "no-such-rule"][..],
        &["insecure-go", "--enable", "host-pth"],
        &["insecure-go", "--kube-version", "one.two"],
        &["insecure-go", "-o", "xml"],
        &[],
    ] {
        let (code, _, err) = lint(args);
        assert_eq!(code, 2, "{args:?}: {err}");
    }
    let (_, _, err) = lint(&["insecure-go", "--enable", "host-pth"]);
    assert!(err.contains("did you mean \"host-path\""), "{err}");
    let (code, _, err) = lint(&["no/such/chart"]);
    assert_eq!(code, 1);
    assert!(err.contains("no/such/chart"), "{err}");
}

#[test]
fn json_report() {
    let (code, v) = json(&["insecure-go"]);
    assert_eq!(code, 1);
    assert_eq!(v["summary"]["charts"], 1);
    assert_eq!(v["summary"]["failed"], 1);
    assert_eq!(v["summary"]["kubeVersion"], "1.37");
    let f = &v["charts"][0]["findings"][0];
    for key in [
        "severity",
        "rule",
        "file",
        "line",
        "apiVersion",
        "kind",
        "name",
        "namespace",
        "path",
        "message",
        "fix",
    ] {
        assert!(f.get(key).is_some(), "{key}: {f}");
    }
    // Schema validation runs on every rendered object: the removed PDB API has no schema,
    // and the findings of the validate library carry their own rule ids.
    let r = rules(&v);
    assert!(r.contains(&"removed-api".to_string()), "{r:?}");
}

#[test]
fn junit_report() {
    let (code, out, _) = lint(&["insecure-go", "-o", "junit"]);
    assert_eq!(code, 1);
    assert!(
        out.starts_with(
            "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<testsuites name=\"chartroom lint\""
        ),
        "{out}"
    );
    assert!(out.contains("<testsuite name=\"insecure-go\""), "{out}");
    assert!(
        out.contains("<testcase classname=\"insecure-go\" name=\"templates/deployment.yaml\">"),
        "{out}"
    );
    assert!(out.contains("type=\"duplicate-env-var\""), "{out}");
    let (code, out, _) = lint(&["helm/withsubchart", "-o", "junit"]);
    assert_eq!(code, 0);
    assert!(out.contains("name=\"lint\"/>"), "{out}");
}

#[test]
fn sarif_report() {
    let (code, out, _) = lint(&["insecure-go", "-o", "sarif"]);
    assert_eq!(code, 1);
    let v: Value = serde_json::from_str(&out).unwrap();
    assert_eq!(v["version"], "2.1.0");
    let run = &v["runs"][0];
    let results = run["results"].as_array().unwrap();
    assert!(!results.is_empty());
    let dup = results
        .iter()
        .find(|r| r["ruleId"] == "duplicate-env-var")
        .unwrap();
    assert_eq!(dup["level"], "error");
    assert_eq!(
        dup["locations"][0]["physicalLocation"]["artifactLocation"]["uri"],
        "insecure-go/templates/deployment.yaml"
    );
    assert_eq!(
        dup["locations"][0]["physicalLocation"]["region"]["startLine"],
        26
    );
    let idx = dup["ruleIndex"].as_u64().unwrap() as usize;
    assert_eq!(
        run["tool"]["driver"]["rules"][idx]["id"],
        "duplicate-env-var"
    );
}

#[test]
fn rules_switched_off_per_run_chart_and_object() {
    // Per run.
    let (_, v) = json(&["insecure-go"]);
    assert!(rules(&v).contains(&"latest-tag".to_string()));
    let (_, v) = json(&["insecure-go", "--disable", "latest-tag,host-path"]);
    let r = rules(&v);
    assert!(!r.contains(&"latest-tag".to_string()) && !r.contains(&"host-path".to_string()));
    let accepted = v["charts"][0]["accepted"].as_array().unwrap();
    assert!(accepted.iter().any(|a| a["by"] == "--disable"));
    // Per chart (.chartroom-lint.yaml) and per object (annotation with a reason).
    let (_, v) = json(&["insecure-jinja"]);
    let by: Vec<(String, String)> = v["charts"][0]["accepted"]
        .as_array()
        .unwrap()
        .iter()
        .map(|a| {
            (
                a["finding"]["rule"].as_str().unwrap().to_string(),
                a["by"].as_str().unwrap().to_string(),
            )
        })
        .collect();
    assert!(
        by.contains(&(
            "network-policy-coverage".into(),
            ".chartroom-lint.yaml".into()
        )),
        "{by:?}"
    );
    assert!(
        by.contains(&(
            "service-account-token-automount".into(),
            "annotation: redis never calls the API".into()
        )),
        "{by:?}"
    );
    // An annotation without a reason is itself a finding and suppresses nothing.
    let r = rules(&v);
    assert!(r.contains(&"lint-ignore".to_string()), "{r:?}");
    assert!(
        r.contains(&"service-account-token-automount".to_string()),
        "{r:?}"
    );
}

#[test]
fn opt_in_rules_are_switched_on() {
    let (_, v) = json(&["insecure-go"]);
    assert!(!rules(&v).contains(&"no-network-policy".to_string()));
    let (_, v) = json(&["insecure-go", "--enable", "no-network-policy"]);
    assert!(rules(&v).contains(&"no-network-policy".to_string()));
}

#[test]
fn fixes_name_values_keys_across_subcharts() {
    let (_, v) = json(&["insecure-jinja"]);
    let fixes: Vec<(String, String)> = v["charts"][0]["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| {
            (
                f["rule"].as_str().unwrap().to_string(),
                f["fix"].as_str().unwrap().to_string(),
            )
        })
        .collect();
    for (rule, fix) in [
        (
            "no-read-only-root-fs",
            "set cache.securityContext.readOnlyRootFilesystem=true (--set or your values file)",
        ),
        (
            "no-pod-disruption-budget",
            "set pdb.enabled=true (--set or your values file)",
        ),
        (
            "no-resource-limits",
            "set web.resources.limits.memory=256Mi (--set or your values file)",
        ),
    ] {
        assert!(
            fixes.contains(&(rule.to_string(), fix.to_string())),
            "{rule}: {fixes:#?}"
        );
    }
    // With the values set as the fixes say, those findings are gone.
    let (_, v) = json(&[
        "insecure-jinja",
        "--set",
        "cache.securityContext.readOnlyRootFilesystem=true",
        "--set",
        "pdb.enabled=true",
        "--set",
        "web.resources.limits.cpu=500m",
        "--set",
        "web.resources.limits.memory=256Mi",
    ]);
    let r = rules(&v);
    for rule in ["no-read-only-root-fs", "no-resource-limits"] {
        assert!(!r.contains(&rule.to_string()), "{rule}: {r:?}");
    }
}

#[test]
fn values_from_stdin() {
    let mut cmd = common::chartroom();
    cmd.current_dir(common::fixture("lint"))
        .args(["lint", "required-go", "-f", "-", "-o", "json"])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped());
    let mut child = cmd.spawn().unwrap();
    child
        .stdin
        .take()
        .unwrap()
        .write_all(b"host: db.example.org\nhots: typo\n")
        .unwrap();
    let out = child.wait_with_output().unwrap();
    let v: Value = serde_json::from_slice(&out.stdout).unwrap();
    let findings = v["charts"][0]["findings"].as_array().unwrap();
    assert_eq!(findings.len(), 1, "{v}");
    assert_eq!(findings[0]["rule"], "unused-value");
    assert_eq!(findings[0]["fix"], "did you mean host?");
}

#[test]
fn several_charts_and_quiet() {
    let (code, out, err) = lint(&["helm/withsubchart", "insecure-go", "--quiet"]);
    assert_eq!(code, 1);
    assert!(!out.contains("withsubchart"), "{out}");
    assert!(out.contains("==> Linting insecure-go"), "{out}");
    assert_eq!(err, "Error: 2 chart(s) linted, 1 chart(s) failed\n");
}

#[test]
fn archives_lint_like_directories() {
    let dir = tempfile::tempdir().unwrap();
    let tgz = dir.path().join("required-go-0.1.0.tgz");
    let file = std::fs::File::create(&tgz).unwrap();
    let gz = flate2::write::GzEncoder::new(file, flate2::Compression::default());
    let mut tar = tar::Builder::new(gz);
    tar.append_dir_all("required-go", common::fixture("lint/required-go"))
        .unwrap();
    tar.into_inner().unwrap().finish().unwrap();
    let mut cmd = common::chartroom();
    cmd.args(["lint", "-o", "json"]).arg(&tgz);
    let (code, out, err) = common::run(cmd);
    assert_eq!(code, 0, "{err}");
    let v: Value = serde_json::from_str(&out).unwrap();
    assert_eq!(rules(&v), vec!["template-required"]);
}

/// Hostile charts end with findings, not hangs or crashes.
#[test]
fn hostile_charts() {
    let dir = tempfile::tempdir().unwrap();
    let chart = dir.path().join("hostile");
    std::fs::create_dir_all(chart.join("templates")).unwrap();
    std::fs::write(
        chart.join("Chart.yaml"),
        "apiVersion: v2\nname: hostile\nversion: 0.1.0\nicon: https://example.org/i.png\n",
    )
    .unwrap();
    // Deeply nested values, a template that loops on its own output, unclosed tags.
    let mut nested = String::new();
    for i in 0..100 {
        nested.push_str(&format!("{}k{i}:\n", "  ".repeat(i)));
    }
    std::fs::write(chart.join("values.yaml"), &nested).unwrap();
    std::fs::write(
        chart.join("templates/a.yaml"),
        "{{ range $i := until 100000 }}- {{ $i }}\n{{ end }}{{ .Values.k0 | toYaml }}\n",
    )
    .unwrap();
    std::fs::write(
        chart.join("templates/b.yaml"),
        "{{ .Values.x ".repeat(10_000),
    )
    .unwrap();
    std::fs::write(
        chart.join("templates/c.yaml"),
        format!("a:{}", " [".repeat(5_000)),
    )
    .unwrap();
    let mut cmd = common::chartroom();
    cmd.args(["lint", "-o", "json"]).arg(&chart);
    let (code, out, err) = common::run(cmd);
    assert_eq!(code, 1, "{err}");
    let v: Value = serde_json::from_str(&out).unwrap();
    let r = rules(&v);
    assert!(r.contains(&"template-render".to_string()), "{r:?}");
    // Many misspelt keys: bounded report.
    let many: Vec<String> = (0..5_000).map(|i| format!("--set=typo{i}=1")).collect();
    let mut cmd = common::chartroom();
    cmd.current_dir(common::fixture("lint"))
        .args(["lint", "required-go", "-o", "json", "--set", "host=x"])
        .args(&many);
    let (_, out, _) = common::run(cmd);
    let v: Value = serde_json::from_str(&out).unwrap();
    assert_eq!(
        rules(&v).iter().filter(|r| *r == "unused-value").count(),
        chartroom::lint::unused::MAX_REPORTED
    );
}
