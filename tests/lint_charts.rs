//! chartroom's own charts (`charts/`) lint clean: with their defaults and with every toggle set
//! of `tests/common/chart_cases.rs`, no finding at all, INFO included; their documented
//! exceptions (`chartroom.dev/lint-ignore`) are accepted. And the typo Helm ignores is found.

mod common;

use serde_json::Value;

use common::chart_cases::CASES;

fn lint(args: &[&str]) -> (i32, Value, String) {
    let mut cmd = common::chartroom();
    cmd.current_dir(env!("CARGO_MANIFEST_DIR"))
        .args(["lint", "-o", "json"])
        .args(args);
    let (code, out, err) = common::run(cmd);
    let v: Value = serde_json::from_str(&out).unwrap_or_else(|e| panic!("{e}: {out}{err}"));
    (code, v, err)
}

fn findings(v: &Value) -> Vec<&Value> {
    v["charts"][0]["findings"]
        .as_array()
        .unwrap()
        .iter()
        .collect()
}

/// The documented exceptions of each chart (README "lint exceptions" sections).
fn allowed_exceptions(chart: &str) -> &'static [&'static str] {
    match chart {
        "fluent-bit" => &["host-path", "run-as-root", "writable-host-mount"],
        "jenkins" => &["access-to-create-pods", "pod-exec", "access-to-secrets"],
        _ => &[],
    }
}

#[test]
fn shipped_charts_lint_clean_with_every_toggle() {
    let mut problems = Vec::new();
    for c in CASES {
        let path = format!("charts/{}", c.chart);
        let mut args = vec![path.as_str(), "--namespace", c.namespace, "--strict"];
        args.extend_from_slice(c.flags);
        let (code, v, err) = lint(&args);
        let at = format!("{}/{}", c.chart, c.name);
        if code != 0 {
            problems.push(format!("{at}: exit {code} {err}"));
        }
        for f in findings(&v) {
            problems.push(format!("{at}: {f}"));
        }
        for a in v["charts"][0]["accepted"].as_array().unwrap() {
            let rule = a["finding"]["rule"].as_str().unwrap();
            let by = a["by"].as_str().unwrap();
            if !allowed_exceptions(c.chart).contains(&rule) || !by.starts_with("annotation: ") {
                problems.push(format!("{at}: accepted {rule} by {by}"));
            }
        }
        if v["charts"][0]["objects"].as_u64().unwrap_or(0) == 0 {
            problems.push(format!("{at}: no objects checked"));
        }
    }
    assert!(problems.is_empty(), "{problems:#?}");
}

/// The opt-in NetworkPolicy rule is clean too when the charts' policies are on (the default).
#[test]
fn network_policies_cover_every_listening_workload() {
    let runs: &[&[&str]] = &[
        &["charts/postgres", "--set", "readReplicas.enabled=true"],
        &["charts/jenkins"],
        &["charts/fluent-bit"],
    ];
    for args in runs {
        let chart = args[0];
        let mut args = args.to_vec();
        args.extend(["--enable", "no-network-policy"]);
        let (code, v, _) = lint(&args);
        assert_eq!(code, 0, "{chart}: {v}");
        assert!(findings(&v).is_empty(), "{chart}: {v}");
    }
    // Switched off, the workloads are reported when asked for.
    let (_, v, _) = lint(&[
        "charts/postgres",
        "--enable",
        "no-network-policy",
        "--set",
        "networkPolicy.enabled=false",
    ]);
    let rules: Vec<&str> = findings(&v)
        .iter()
        .filter_map(|f| f["rule"].as_str())
        .collect();
    assert!(rules.contains(&"no-network-policy"), "{rules:?}");
}

/// The typo Helm silently ignores: found, with the key the chart has.
#[test]
fn misspelt_values_are_reported_with_a_suggestion() {
    let (code, v, _) = lint(&[
        "charts/postgres",
        "--set",
        "readReplicas.replicaCuont=2",
        "--skip-schema-validation",
    ]);
    assert_eq!(code, 0, "a warning");
    let unused: Vec<&Value> = findings(&v)
        .into_iter()
        .filter(|f| f["rule"] == "unused-value")
        .collect();
    assert_eq!(unused.len(), 1, "{v}");
    assert_eq!(
        unused[0]["message"],
        "value readReplicas.replicaCuont is set but no template of chart postgres reads it"
    );
    assert_eq!(unused[0]["fix"], "did you mean readReplicas.replicaCount?");
    // At the top level too, and alongside the schema's own complaint when it has one.
    let (code, v, _) = lint(&["charts/postgres", "--set", "replicaCuont=2"]);
    assert_eq!(code, 1, "the schema rejects the key");
    let rules: Vec<&str> = findings(&v)
        .iter()
        .filter_map(|f| f["rule"].as_str())
        .collect();
    assert!(rules.contains(&"values-schema"), "{rules:?}");
    let unused = findings(&v)
        .into_iter()
        .find(|f| f["rule"] == "unused-value")
        .unwrap();
    assert_eq!(unused["fix"], "did you mean readReplicas.replicaCount?");
    for chart in ["jenkins", "fluent-bit"] {
        let path = format!("charts/{chart}");
        let (_, v, _) = lint(&[&path, "--set", "image.tagg=1", "--skip-schema-validation"]);
        let unused = findings(&v)
            .into_iter()
            .find(|f| f["rule"] == "unused-value")
            .unwrap_or_else(|| panic!("{chart}: {v}"));
        assert_eq!(unused["fix"], "did you mean image.tag?", "{chart}");
    }
}

/// `template --strict` fails on the same typo, naming the key and the suggestion.
#[test]
fn template_strict_rejects_unused_values() {
    let mut cmd = common::chartroom();
    cmd.current_dir(env!("CARGO_MANIFEST_DIR")).args([
        "template",
        "charts/postgres",
        "--strict",
        "--skip-schema-validation",
        "--set",
        "image.tagg=1",
    ]);
    let (code, out, err) = common::run(cmd);
    assert_eq!(code, 1);
    assert!(out.is_empty());
    assert!(
        err.contains("value image.tagg is set but no template"),
        "{err}"
    );
    assert!(err.contains("did you mean image.tag?"), "{err}");
}
