//! Writes a [`Report`] as text (the default), JSON, JUnit XML or SARIF 2.1.0. Output depends
//! only on the report: no timestamps, no host names, stable order.

use std::fmt::Write as _;
use std::io::{self, Write};
use std::str::FromStr;

use serde_json::json;

use super::finding::{Finding, Outcome, RULES, Report, Severity};

/// An output format.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Format {
    Text,
    Json,
    Junit,
    Sarif,
}

impl Format {
    /// Accepted names, for help texts.
    pub const NAMES: &'static [&'static str] = &["text", "json", "junit", "sarif"];
}

impl FromStr for Format {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match s {
            "text" => Ok(Format::Text),
            "json" => Ok(Format::Json),
            "junit" => Ok(Format::Junit),
            "sarif" => Ok(Format::Sarif),
            other => Err(format!(
                "unknown output format {other:?}; use one of {}",
                Format::NAMES.join(", ")
            )),
        }
    }
}

/// Writes `report` in `format`.
pub fn write(report: &Report, format: Format, out: &mut dyn Write) -> io::Result<()> {
    match format {
        Format::Text => out.write_all(text(report).as_bytes()),
        Format::Json => out.write_all(json(report).as_bytes()),
        Format::Junit => out.write_all(junit(report).as_bytes()),
        Format::Sarif => out.write_all(sarif(report).as_bytes()),
    }
}

fn plural(n: usize, one: &str, many: &str) -> String {
    format!("{n} {}", if n == 1 { one } else { many })
}

fn subject(f: &Finding) -> String {
    match (f.kind.as_str(), f.name.as_str()) {
        ("", _) => format!("document {}", f.document + 1),
        (kind, "") => kind.to_string(),
        (kind, name) => format!("{kind}/{name}"),
    }
}

/// `file:line: Kind/name: path: message [rule]`, one line per finding, then a summary line.
pub fn text(report: &Report) -> String {
    let mut s = String::new();
    for f in &report.findings {
        let _ = write!(s, "{}:{}: ", f.file, f.line);
        if f.severity == Severity::Warning {
            s.push_str("warning: ");
        }
        let _ = write!(s, "{}: ", subject(f));
        if !f.path.is_empty() {
            let _ = write!(s, "{}: ", f.path);
        }
        let _ = writeln!(s, "{} [{}]", f.message, f.rule);
    }
    let _ = writeln!(
        s,
        "{} checked against Kubernetes {} schemas ({}): {} validated, {} skipped (no schema); {}, {}",
        plural(report.documents, "document", "documents"),
        report.kube_version,
        if report.strict {
            "strict"
        } else {
            "not strict"
        },
        report.validated,
        report.skipped,
        plural(report.errors(), "error", "errors"),
        plural(report.warnings(), "warning", "warnings"),
    );
    s
}

/// `{"findings": [...], "documents": [...], "summary": {...}}`, pretty-printed.
pub fn json(report: &Report) -> String {
    let value = json!({
        "findings": report.findings,
        "documents": report.document_list,
        "summary": {
            "documents": report.documents,
            "validated": report.validated,
            "skipped": report.skipped,
            "errors": report.errors(),
            "warnings": report.warnings(),
            "kubeVersion": report.kube_version,
            "strict": report.strict,
        }
    });
    let mut s = serde_json::to_string_pretty(&value).unwrap_or_default();
    s.push('\n');
    s
}

/// Escapes text for XML 1.0 (JUnit reports); also used by the lint reports.
pub(crate) fn xml_escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&apos;"),
            // Characters XML 1.0 cannot carry at all.
            c if (c as u32) < 0x20 && !matches!(c, '\t' | '\n' | '\r') => {
                let _ = write!(out, "\\u{{{:x}}}", c as u32);
            }
            c => out.push(c),
        }
    }
    out
}

/// JUnit XML: one test suite per file, one test case per document; findings are failures
/// (errors) or `system-out` lines (warnings); documents without a schema are skipped.
pub fn junit(report: &Report) -> String {
    let mut files: Vec<&str> = Vec::new();
    for d in &report.document_list {
        if !files.contains(&d.file.as_str()) {
            files.push(&d.file);
        }
    }
    for f in &report.findings {
        if !files.contains(&f.file.as_str()) {
            files.push(&f.file);
        }
    }
    let failed = |file: &str, doc: usize| {
        report
            .findings
            .iter()
            .any(|f| f.file == file && f.document == doc && f.severity == Severity::Error)
    };
    let total_failures = report
        .document_list
        .iter()
        .filter(|d| failed(&d.file, d.document))
        .count();
    let total_skipped = report
        .document_list
        .iter()
        .filter(|d| d.outcome == Outcome::Skipped && !failed(&d.file, d.document))
        .count();
    let mut s = String::from("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
    let _ = writeln!(
        s,
        "<testsuites name=\"chartroom validate\" tests=\"{}\" failures=\"{}\" errors=\"0\" skipped=\"{}\">",
        report.document_list.len(),
        total_failures,
        total_skipped
    );
    for file in files {
        let docs: Vec<_> = report
            .document_list
            .iter()
            .filter(|d| d.file == file)
            .collect();
        let failures = docs.iter().filter(|d| failed(file, d.document)).count();
        let skipped = docs
            .iter()
            .filter(|d| d.outcome == Outcome::Skipped && !failed(file, d.document))
            .count();
        let _ = writeln!(
            s,
            "  <testsuite name=\"{}\" tests=\"{}\" failures=\"{}\" errors=\"0\" skipped=\"{}\">",
            xml_escape(file),
            docs.len(),
            failures,
            skipped
        );
        for d in docs {
            let name = match (d.kind.as_str(), d.name.as_str()) {
                ("", _) => format!("document {}", d.document + 1),
                (k, "") => format!("document {} {k}", d.document + 1),
                (k, n) => format!("document {} {k}/{n}", d.document + 1),
            };
            let _ = write!(
                s,
                "    <testcase classname=\"{}\" name=\"{}\"",
                xml_escape(file),
                xml_escape(&name)
            );
            let mine: Vec<&Finding> = report
                .findings
                .iter()
                .filter(|f| f.file == file && f.document == d.document)
                .collect();
            if mine.is_empty() && d.outcome != Outcome::Skipped {
                s.push_str("/>\n");
                continue;
            }
            s.push_str(">\n");
            let errors: Vec<&&Finding> = mine
                .iter()
                .filter(|f| f.severity == Severity::Error)
                .collect();
            if let Some(first) = errors.first() {
                let mut body = String::new();
                for f in &errors {
                    let _ = writeln!(body, "{}", finding_line(f));
                }
                let _ = writeln!(
                    s,
                    "      <failure message=\"{}\" type=\"{}\">{}</failure>",
                    xml_escape(&first.message),
                    xml_escape(&first.rule),
                    xml_escape(&body)
                );
            } else if d.outcome == Outcome::Skipped {
                s.push_str("      <skipped message=\"no schema for this kind\"/>\n");
            }
            let warnings: Vec<&&Finding> = mine
                .iter()
                .filter(|f| f.severity == Severity::Warning)
                .collect();
            if !warnings.is_empty() {
                let mut body = String::new();
                for f in &warnings {
                    let _ = writeln!(body, "warning: {}", finding_line(f));
                }
                let _ = writeln!(s, "      <system-out>{}</system-out>", xml_escape(&body));
            }
            s.push_str("    </testcase>\n");
        }
        s.push_str("  </testsuite>\n");
    }
    s.push_str("</testsuites>\n");
    s
}

fn finding_line(f: &Finding) -> String {
    if f.path.is_empty() {
        format!("{}:{}: {} [{}]", f.file, f.line, f.message, f.rule)
    } else {
        format!(
            "{}:{}: {}: {} [{}]",
            f.file, f.line, f.path, f.message, f.rule
        )
    }
}

/// A file name as a SARIF artifact URI (a relative reference; `\` becomes `/`).
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

/// SARIF 2.1.0 with one run; rules are the validation rules plus any other rule id used.
pub fn sarif(report: &Report) -> String {
    let mut rule_ids: Vec<(String, String)> = RULES
        .iter()
        .map(|(id, text)| (id.to_string(), text.to_string()))
        .collect();
    for f in &report.findings {
        if !rule_ids.iter().any(|(id, _)| *id == f.rule) {
            rule_ids.push((f.rule.clone(), f.rule.clone()));
        }
    }
    let rules: Vec<_> = rule_ids
        .iter()
        .map(|(id, text)| json!({"id": id, "shortDescription": {"text": text}}))
        .collect();
    let results: Vec<_> = report
        .findings
        .iter()
        .map(|f| {
            let index = rule_ids.iter().position(|(id, _)| *id == f.rule).unwrap_or(0);
            let mut logical = subject(f);
            if !f.path.is_empty() {
                logical.push_str(": ");
                logical.push_str(&f.path);
            }
            json!({
                "ruleId": f.rule,
                "ruleIndex": index,
                "level": match f.severity { Severity::Error => "error", Severity::Warning => "warning" },
                "message": {"text": if f.path.is_empty() { f.message.clone() } else { format!("{}: {}", f.path, f.message) }},
                "locations": [{
                    "physicalLocation": {
                        "artifactLocation": {"uri": artifact_uri(&f.file)},
                        "region": {"startLine": f.line.max(1)}
                    },
                    "logicalLocations": [{"fullyQualifiedName": logical, "kind": "object"}]
                }]
            })
        })
        .collect();
    let value = json!({
        "$schema": "https://json.schemastore.org/sarif-2.1.0.json",
        "version": "2.1.0",
        "runs": [{
            "tool": {"driver": {
                "name": "chartroom",
                "version": env!("CARGO_PKG_VERSION"),
                "rules": rules
            }},
            "results": results
        }]
    });
    let mut s = serde_json::to_string_pretty(&value).unwrap_or_default();
    s.push('\n');
    s
}

#[cfg(test)]
mod tests {
    use super::super::finding::DocumentSummary;
    use super::*;

    fn finding(
        severity: Severity,
        file: &str,
        document: usize,
        line: usize,
        path: &str,
        rule: &str,
    ) -> Finding {
        Finding {
            severity,
            file: file.to_string(),
            line,
            document,
            api_version: "apps/v1".to_string(),
            kind: "Deployment".to_string(),
            name: "web".to_string(),
            namespace: String::new(),
            path: path.to_string(),
            message: "expected integer, got string".to_string(),
            rule: rule.to_string(),
        }
    }

    fn doc(file: &str, document: usize, outcome: Outcome) -> DocumentSummary {
        DocumentSummary {
            file: file.to_string(),
            document,
            line: 1,
            api_version: "apps/v1".to_string(),
            kind: "Deployment".to_string(),
            name: "web".to_string(),
            namespace: String::new(),
            outcome,
        }
    }

    fn sample() -> Report {
        Report {
            findings: vec![
                finding(
                    Severity::Error,
                    "a.yaml",
                    0,
                    7,
                    "spec.replicas",
                    "wrong-type",
                ),
                finding(
                    Severity::Warning,
                    "a.yaml",
                    0,
                    9,
                    "metadata.labels.x",
                    "duplicate-key",
                ),
                finding(Severity::Error, "b <&>.yaml", 1, 3, "", "invalid-yaml"),
            ],
            documents: 4,
            document_list: vec![
                doc("a.yaml", 0, Outcome::Validated),
                doc("a.yaml", 1, Outcome::Skipped),
                doc("b <&>.yaml", 0, Outcome::Validated),
                doc("b <&>.yaml", 1, Outcome::Unchecked),
            ],
            validated: 2,
            skipped: 1,
            kube_version: "1.37".to_string(),
            strict: true,
        }
    }

    #[test]
    fn text_lines_and_summary() {
        let t = text(&sample());
        let lines: Vec<&str> = t.lines().collect();
        assert_eq!(
            lines[0],
            "a.yaml:7: Deployment/web: spec.replicas: expected integer, got string [wrong-type]"
        );
        assert!(lines[1].starts_with("a.yaml:9: warning: Deployment/web: metadata.labels.x: "));
        assert_eq!(
            lines[3],
            "4 documents checked against Kubernetes 1.37 schemas (strict): 2 validated, 1 skipped (no schema); 2 errors, 1 warning"
        );
    }

    #[test]
    fn json_has_the_required_fields() {
        let v: serde_json::Value = serde_json::from_str(&json(&sample())).unwrap();
        let f = &v["findings"][0];
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
            assert!(f.get(key).is_some(), "{key}");
        }
        assert_eq!(f["severity"], "error");
        assert_eq!(f["apiVersion"], "apps/v1");
        assert_eq!(v["summary"]["errors"], 2);
        assert_eq!(v["documents"][1]["outcome"], "skipped");
    }

    #[test]
    fn junit_is_escaped_and_counts() {
        let x = junit(&sample());
        assert!(x.contains("<testsuites name=\"chartroom validate\" tests=\"4\" failures=\"2\" errors=\"0\" skipped=\"1\">"), "{x}");
        assert!(
            x.contains("<testsuite name=\"b &lt;&amp;&gt;.yaml\""),
            "{x}"
        );
        assert!(x.contains("<skipped message="), "{x}");
        assert!(x.contains("<system-out>warning: a.yaml:9:"), "{x}");
        assert_eq!(x.matches("<testcase").count(), 4);
        assert_eq!(xml_escape("a\u{1}b"), "a\\u{1}b");
    }

    #[test]
    fn sarif_shape() {
        let v: serde_json::Value = serde_json::from_str(&sarif(&sample())).unwrap();
        assert_eq!(v["version"], "2.1.0");
        let run = &v["runs"][0];
        assert_eq!(run["tool"]["driver"]["name"], "chartroom");
        let results = run["results"].as_array().unwrap();
        assert_eq!(results.len(), 3);
        assert_eq!(results[1]["level"], "warning");
        let idx = results[0]["ruleIndex"].as_u64().unwrap() as usize;
        assert_eq!(run["tool"]["driver"]["rules"][idx]["id"], "wrong-type");
        assert_eq!(
            results[2]["locations"][0]["physicalLocation"]["artifactLocation"]["uri"],
            "b%20%3C%26%3E.yaml"
        );
    }

    #[test]
    fn formats_parse() {
        assert_eq!("sarif".parse::<Format>().unwrap(), Format::Sarif);
        assert!(
            "xml"
                .parse::<Format>()
                .unwrap_err()
                .contains("text, json, junit, sarif")
        );
    }
}
