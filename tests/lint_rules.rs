//! Every production rule, end to end through `chartroom lint`: a fixture that fires it
//! (`tests/fixtures/lint/rules/<id>.fires.yaml`) and one that does not and is clean of every
//! other rule too (`<id>.passes.yaml`). Each fixture becomes the only template of a small
//! chart; opt-in rules are switched on with `--enable`.

mod common;

use chartroom::lint::rules::{Group, RULES};
use serde_json::Value;
use std::path::Path;

fn lint_fixture(file: &Path, enable: &[&str]) -> (i32, Value) {
    let dir = tempfile::tempdir().unwrap();
    let chart = dir.path().join("fixture");
    std::fs::create_dir_all(chart.join("templates")).unwrap();
    std::fs::write(
        chart.join("Chart.yaml"),
        "apiVersion: v2\nname: fixture\nversion: 0.1.0\nicon: https://example.org/icon.png\n",
    )
    .unwrap();
    std::fs::write(chart.join("values.yaml"), "{}\n").unwrap();
    std::fs::copy(file, chart.join("templates/objects.yaml")).unwrap();
    let mut cmd = common::chartroom();
    cmd.arg("lint").arg(&chart).args(["-o", "json"]);
    for e in enable {
        cmd.args(["--enable", e]);
    }
    let (code, out, err) = common::run(cmd);
    let json: Value = serde_json::from_str(&out).unwrap_or_else(|e| panic!("{e}: {out}{err}"));
    (code, json)
}

fn rules_of(report: &Value) -> Vec<String> {
    report["charts"][0]["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["rule"].as_str().unwrap().to_string())
        .collect()
}

#[test]
fn each_production_rule_fires_on_its_fixture_and_not_on_the_fixed_one() {
    let dir = common::fixture("lint/rules");
    let mut problems = Vec::new();
    for rule in RULES.iter().filter(|r| r.group == Group::Production) {
        let enable: &[&str] = if rule.default_on { &[] } else { &[rule.id] };
        let fires = dir.join(format!("{}.fires.yaml", rule.id));
        let passes = dir.join(format!("{}.passes.yaml", rule.id));
        if !fires.is_file() || !passes.is_file() {
            problems.push(format!("{}: fixture missing", rule.id));
            continue;
        }
        let (code, report) = lint_fixture(&fires, enable);
        let found = rules_of(&report);
        if !found.iter().any(|r| r == rule.id) {
            problems.push(format!("{}: does not fire; found {found:?}", rule.id));
        }
        let fails = rule.severity == chartroom::lint::Severity::Error;
        if fails != (code == 1) {
            problems.push(format!("{}: exit {code} with the firing fixture", rule.id));
        }
        let (code, report) = lint_fixture(&passes, enable);
        let found = rules_of(&report);
        if !found.is_empty() || code != 0 {
            problems.push(format!(
                "{}: the fixed fixture is not clean (exit {code}): {found:?}",
                rule.id
            ));
        }
    }
    assert!(problems.is_empty(), "{problems:#?}");
}

#[test]
fn findings_name_the_field_line_and_a_fix() {
    let file = common::fixture("lint/rules/no-resource-limits.fires.yaml");
    let (_, report) = lint_fixture(&file, &[]);
    let f = report["charts"][0]["findings"]
        .as_array()
        .unwrap()
        .iter()
        .find(|f| f["rule"] == "no-resource-limits")
        .unwrap()
        .clone();
    assert_eq!(f["file"], "templates/objects.yaml");
    assert_eq!(f["kind"], "Deployment");
    assert_eq!(f["name"], "web");
    assert_eq!(
        f["path"],
        "spec.template.spec.containers[0].resources.limits"
    );
    // The line of the container's `limits:` (the fixture's comment is line 1).
    let text = std::fs::read_to_string(&file).unwrap();
    let line = text.lines().position(|l| l.trim() == "limits:").unwrap() + 1;
    assert_eq!(f["line"], line);
    // No value of the chart renders it: the fix says to change the template.
    assert!(
        f["fix"]
            .as_str()
            .unwrap()
            .contains("change templates/objects.yaml"),
        "{f}"
    );
}
