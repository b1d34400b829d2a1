//! Writes a [`LintReport`] as text (Helm's `helm lint` layout, with rule ids and fixes), JSON,
//! JUnit XML or SARIF 2.1.0 (the same formats as `chartroom validate`). Output depends only on
//! the report: no timestamps, stable order.

use super::finding::{ChartLint, Finding, LintReport, Severity};
use super::rules;
use crate::validate::report::Format;
use crate::validate::report::xml_escape;
use serde_json::json;
use std::fmt::Write as _;

/// Writes `report` in `format`.
pub fn render(report: &LintReport, format: Format) -> String {
    match format {
        Format::Text => text(report),
        Format::Json => json(report),
        Format::Junit => junit(report),
        Format::Sarif => sarif(report),
    }
}

fn location(f: &Finding) -> String {
    if f.line > 0 {
        format!("{}:{}", f.file, f.line)
    } else {
        f.file.clone()
    }
}

/// One finding as Helm prints it, plus what chartroom adds: `[WARNING] file:line: Kind/name:
/// path: message (rule)` and an indented `fix:` line.
pub fn finding_line(f: &Finding) -> String {
    let mut s = format!("[{}] {}: ", f.severity.label(), location(f));
    let subject = f.subject();
    if !subject.is_empty() {
        let _ = write!(s, "{subject}: ");
    }
    if !f.path.is_empty() && f.kind.is_empty() {
        let _ = write!(s, "{}: ", f.path);
    }
    let message = f.message.trim_end();
    let (first, rest) = message.split_once('\n').unwrap_or((message, ""));
    let _ = write!(s, "{first} ({})", f.rule);
    for line in rest.lines() {
        let _ = write!(s, "\n    {line}");
    }
    if !f.fix.is_empty() {
        let _ = write!(s, "\n        fix: {}", f.fix);
    }
    s
}

/// The summary line: `N chart(s) linted, M chart(s) failed`.
pub fn summary(report: &LintReport) -> String {
    format!(
        "{} chart(s) linted, {} chart(s) failed",
        report.charts.len(),
        report.failed_charts()
    )
}

/// Helm's layout: `==> Linting <path>`, the findings, a blank line per chart; then the summary
/// line (the CLI prints it as an error when charts failed).
pub fn text(report: &LintReport) -> String {
    let mut s = String::new();
    for c in &report.charts {
        let _ = writeln!(s, "==> Linting {}", c.path);
        for f in &c.findings {
            let _ = writeln!(s, "{}", finding_line(f));
        }
        let accepted: Vec<_> = c
            .suppressed
            .iter()
            .filter(|x| x.by != "off by default")
            .collect();
        if !accepted.is_empty() {
            let _ = writeln!(
                s,
                "{} finding(s) accepted by annotations, .chartroom-lint.yaml or --disable (-o json lists them)",
                accepted.len()
            );
        }
        s.push('\n');
    }
    s
}

fn count(report: &LintReport, sev: Severity) -> usize {
    report.charts.iter().map(|c| c.count(sev)).sum()
}

/// `{"charts": [...], "summary": {...}}`, pretty-printed.
pub fn json(report: &LintReport) -> String {
    let charts: Vec<_> = report
        .charts
        .iter()
        .map(|c| {
            json!({
                "path": c.path,
                "failed": c.failed(report.strict),
                "objects": c.objects,
                "findings": c.findings,
                "accepted": c.suppressed.iter().filter(|x| x.by != "off by default").collect::<Vec<_>>(),
            })
        })
        .collect();
    let value = json!({
        "charts": charts,
        "summary": {
            "charts": report.charts.len(),
            "failed": report.failed_charts(),
            "errors": count(report, Severity::Error),
            "warnings": count(report, Severity::Warning),
            "infos": count(report, Severity::Info),
            "kubeVersion": report.kube_version,
            "strict": report.strict,
        }
    });
    let mut s = serde_json::to_string_pretty(&value).unwrap_or_default();
    s.push('\n');
    s
}

fn plain_line(f: &Finding) -> String {
    let mut s = format!("{}: {}: ", f.severity.as_str(), location(f));
    let subject = f.subject();
    if !subject.is_empty() {
        let _ = write!(s, "{subject}: ");
    }
    let _ = write!(s, "{} [{}]", f.message, f.rule);
    if !f.fix.is_empty() {
        let _ = write!(s, " (fix: {})", f.fix);
    }
    s
}

/// JUnit XML: one test suite per chart, one test case per file with findings (or one passing
/// `lint` case for a clean chart); failing findings (errors, and warnings with `--strict`) are
/// failures, the others `system-out` lines.
pub fn junit(report: &LintReport) -> String {
    let failing = |f: &Finding| {
        f.severity == Severity::Error || (report.strict && f.severity == Severity::Warning)
    };
    let mut s = String::from("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
    let cases = |c: &ChartLint| -> Vec<String> {
        let mut files: Vec<String> = Vec::new();
        for f in &c.findings {
            if !files.contains(&f.file) {
                files.push(f.file.clone());
            }
        }
        files
    };
    let total_cases: usize = report.charts.iter().map(|c| cases(c).len().max(1)).sum();
    let total_failures: usize = report
        .charts
        .iter()
        .map(|c| {
            cases(c)
                .iter()
                .filter(|file| c.findings.iter().any(|f| &f.file == *file && failing(f)))
                .count()
        })
        .sum();
    let _ = writeln!(
        s,
        "<testsuites name=\"chartroom lint\" tests=\"{total_cases}\" failures=\"{total_failures}\" errors=\"0\">"
    );
    for c in &report.charts {
        let files = cases(c);
        let failures = files
            .iter()
            .filter(|file| c.findings.iter().any(|f| &f.file == *file && failing(f)))
            .count();
        let _ = writeln!(
            s,
            "  <testsuite name=\"{}\" tests=\"{}\" failures=\"{failures}\" errors=\"0\">",
            xml_escape(&c.path),
            files.len().max(1)
        );
        if files.is_empty() {
            let _ = writeln!(
                s,
                "    <testcase classname=\"{}\" name=\"lint\"/>",
                xml_escape(&c.path)
            );
        }
        for file in &files {
            let mine: Vec<&Finding> = c.findings.iter().filter(|f| &f.file == file).collect();
            let _ = writeln!(
                s,
                "    <testcase classname=\"{}\" name=\"{}\">",
                xml_escape(&c.path),
                xml_escape(file)
            );
            let failed: Vec<&&Finding> = mine.iter().filter(|f| failing(f)).collect();
            if let Some(first) = failed.first() {
                let body: String = failed.iter().map(|f| plain_line(f) + "\n").collect();
                let _ = writeln!(
                    s,
                    "      <failure message=\"{}\" type=\"{}\">{}</failure>",
                    xml_escape(&first.message),
                    xml_escape(&first.rule),
                    xml_escape(&body)
                );
            }
            let others: String = mine
                .iter()
                .filter(|f| !failing(f))
                .map(|f| plain_line(f) + "\n")
                .collect();
            if !others.is_empty() {
                let _ = writeln!(s, "      <system-out>{}</system-out>", xml_escape(&others));
            }
            s.push_str("    </testcase>\n");
        }
        s.push_str("  </testsuite>\n");
    }
    s.push_str("</testsuites>\n");
    s
}

/// A path as a SARIF artifact URI (a relative reference; `\` becomes `/`).
fn artifact_uri(file: &str) -> String {
    let mut out = String::new();
    for b in file.replace('\\', "/").bytes() {
        if b.is_ascii_alphanumeric() || b"-._~/:".contains(&b) {
            out.push(b as char);
        } else {
            let _ = write!(out, "%{b:02X}");
        }
    }
    out
}

/// SARIF 2.1.0 with one run: every lint and schema rule with its rationale and fix, results
/// located at `<chart path>/<file>` and the line.
pub fn sarif(report: &LintReport) -> String {
    let mut ids: Vec<&str> = rules::RULES.iter().map(|r| r.id).collect();
    ids.extend(crate::validate::RULES.iter().map(|(id, _)| *id));
    let mut extra: Vec<String> = Vec::new();
    for c in &report.charts {
        for f in &c.findings {
            if !ids.contains(&f.rule.as_str()) && !extra.contains(&f.rule) {
                extra.push(f.rule.clone());
            }
        }
    }
    let mut all: Vec<String> = ids.iter().map(|s| s.to_string()).collect();
    all.extend(extra);
    let rules_json: Vec<_> = all
        .iter()
        .map(|id| {
            let r = rules::find(id);
            let mut v = json!({
                "id": id,
                "shortDescription": {"text": rules::description(id).unwrap_or(id)},
            });
            if let Some(r) = r {
                v["help"] = json!({"text": r.fix});
                v["defaultConfiguration"] = json!({
                    "level": sarif_level(r.severity),
                    "enabled": r.default_on,
                });
            }
            v
        })
        .collect();
    let mut results = Vec::new();
    for c in &report.charts {
        for f in &c.findings {
            let index = all.iter().position(|id| *id == f.rule).unwrap_or(0);
            let mut text = f.message.clone();
            if !f.path.is_empty() {
                text = format!("{}: {text}", f.path);
            }
            if !f.fix.is_empty() {
                text = format!("{text} Fix: {}", f.fix);
            }
            let uri = format!("{}/{}", c.path.trim_end_matches('/'), f.file);
            let mut loc = json!({
                "physicalLocation": {
                    "artifactLocation": {"uri": artifact_uri(&uri)},
                    "region": {"startLine": f.line.max(1)}
                }
            });
            let subject = f.subject();
            if !subject.is_empty() {
                loc["logicalLocations"] =
                    json!([{"fullyQualifiedName": subject, "kind": "object"}]);
            }
            results.push(json!({
                "ruleId": f.rule,
                "ruleIndex": index,
                "level": sarif_level(f.severity),
                "message": {"text": text},
                "locations": [loc],
            }));
        }
    }
    let value = json!({
        "$schema": "https://json.schemastore.org/sarif-2.1.0.json",
        "version": "2.1.0",
        "runs": [{
            "tool": {"driver": {
                "name": "chartroom",
                "version": env!("CARGO_PKG_VERSION"),
                "rules": rules_json
            }},
            "results": results
        }]
    });
    let mut s = serde_json::to_string_pretty(&value).unwrap_or_default();
    s.push('\n');
    s
}

fn sarif_level(s: Severity) -> &'static str {
    match s {
        Severity::Error => "error",
        Severity::Warning => "warning",
        Severity::Info => "note",
    }
}

#[cfg(test)]
mod tests {
    use super::super::finding::Suppressed;
    use super::*;

    fn sample() -> LintReport {
        let obj = Finding {
            severity: Severity::Warning,
            rule: "no-resource-limits".into(),
            file: "templates/deploy.yaml".into(),
            line: 12,
            api_version: "apps/v1".into(),
            kind: "Deployment".into(),
            name: "web".into(),
            namespace: String::new(),
            path: "spec.template.spec.containers[0].resources.limits".into(),
            message: "container \"web\" has no memory limit".into(),
            fix: "set resources.limits: {cpu: 500m, memory: 256Mi} in your values".into(),
        };
        LintReport {
            charts: vec![
                ChartLint {
                    path: "charts/a <&>".into(),
                    findings: vec![
                        Finding::file(
                            Severity::Info,
                            "chart-icon",
                            "Chart.yaml",
                            "icon is recommended",
                        ),
                        obj.clone(),
                    ],
                    suppressed: vec![Suppressed {
                        finding: obj,
                        by: "annotation: why".into(),
                    }],
                    objects: 3,
                },
                ChartLint {
                    path: "charts/b".into(),
                    findings: vec![
                        Finding::file(
                            Severity::Error,
                            "chart-yaml",
                            "Chart.yaml",
                            "name is required",
                        )
                        .at_line(2),
                    ],
                    ..ChartLint::default()
                },
                ChartLint {
                    path: "charts/c".into(),
                    ..ChartLint::default()
                },
            ],
            strict: false,
            kube_version: "1.37".into(),
        }
    }

    #[test]
    fn text_like_helm() {
        let t = text(&sample());
        let lines: Vec<&str> = t.lines().collect();
        assert_eq!(lines[0], "==> Linting charts/a <&>");
        assert_eq!(
            lines[1],
            "[INFO] Chart.yaml: icon is recommended (chart-icon)"
        );
        assert_eq!(
            lines[2],
            "[WARNING] templates/deploy.yaml:12: Deployment/web: container \"web\" has no memory limit (no-resource-limits)"
        );
        assert!(lines[3].starts_with("        fix: set resources.limits"));
        assert!(lines[4].starts_with("1 finding(s) accepted"));
        assert_eq!(lines[5], "");
        assert_eq!(
            lines[7],
            "[ERROR] Chart.yaml:2: name is required (chart-yaml)"
        );
        assert_eq!(summary(&sample()), "3 chart(s) linted, 1 chart(s) failed");
    }

    #[test]
    fn json_shape() {
        let v: serde_json::Value = serde_json::from_str(&json(&sample())).unwrap();
        assert_eq!(v["summary"]["failed"], 1);
        assert_eq!(v["summary"]["infos"], 1);
        assert_eq!(v["charts"][0]["findings"][1]["rule"], "no-resource-limits");
        assert_eq!(v["charts"][0]["findings"][1]["apiVersion"], "apps/v1");
        assert_eq!(v["charts"][0]["accepted"][0]["by"], "annotation: why");
        assert_eq!(v["charts"][1]["failed"], true);
    }

    #[test]
    fn junit_shape() {
        let x = junit(&sample());
        assert!(
            x.contains(
                "<testsuites name=\"chartroom lint\" tests=\"4\" failures=\"1\" errors=\"0\">"
            ),
            "{x}"
        );
        assert!(
            x.contains("<testsuite name=\"charts/a &lt;&amp;&gt;\""),
            "{x}"
        );
        assert!(
            x.contains("<testcase classname=\"charts/c\" name=\"lint\"/>"),
            "{x}"
        );
        assert!(
            x.contains("<failure message=\"name is required\" type=\"chart-yaml\">"),
            "{x}"
        );
        let mut strict = sample();
        strict.strict = true;
        assert!(junit(&strict).contains("failures=\"2\""));
    }

    #[test]
    fn sarif_shape() {
        let v: serde_json::Value = serde_json::from_str(&sarif(&sample())).unwrap();
        let run = &v["runs"][0];
        let results = run["results"].as_array().unwrap();
        assert_eq!(results.len(), 3);
        assert_eq!(results[0]["level"], "note");
        let idx = results[1]["ruleIndex"].as_u64().unwrap() as usize;
        assert_eq!(
            run["tool"]["driver"]["rules"][idx]["id"],
            "no-resource-limits"
        );
        assert_eq!(
            results[1]["locations"][0]["physicalLocation"]["artifactLocation"]["uri"],
            "charts/a%20%3C%26%3E/templates/deploy.yaml"
        );
        assert!(
            results[1]["message"]["text"]
                .as_str()
                .unwrap()
                .contains("Fix: set")
        );
        let nnp = run["tool"]["driver"]["rules"]
            .as_array()
            .unwrap()
            .iter()
            .find(|r| r["id"] == "no-network-policy")
            .unwrap();
        assert_eq!(nnp["defaultConfiguration"]["enabled"], false);
    }
}
