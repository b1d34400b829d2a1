//! 1,000 generated realistic manifests with planted errors: every planted error is found, at
//! a line that holds the offending field, and nothing else is reported.

#[path = "fixtures/validate/corpus.rs"]
mod corpus;

use chartroom::validate::{Input, Options, validate};

#[test]
fn thousand_manifests_exactly_the_planted_errors() {
    let (text, planted) = corpus::generate(1000);
    assert!(text.len() > 1_000_000, "corpus is {} bytes", text.len());
    assert_eq!(planted.len(), 14);
    let report = validate(
        &[Input::file("corpus.yaml", text.clone())],
        &Options::default(),
    )
    .unwrap();
    assert_eq!(report.documents, 1000);
    let mut got: Vec<corpus::Planted> = report
        .findings
        .iter()
        .map(|f| {
            let rule: &'static str = Box::leak(f.rule.clone().into_boxed_str());
            let path: &'static str = Box::leak(f.path.clone().into_boxed_str());
            corpus::Planted {
                document: f.document,
                rule,
                path,
            }
        })
        .collect();
    got.sort();
    assert_eq!(got, planted, "{:#?}", report.findings);
    // Every document but the broken ones was checked against a schema.
    assert_eq!(report.validated, 1000 - 2);
    assert_eq!(report.skipped, 0);

    // Lines point at the field (or its parent for missing fields).
    let lines: Vec<&str> = text.lines().collect();
    for f in &report.findings {
        let line = lines[f.line - 1];
        let last_key = f
            .path
            .rsplit(['.', ']'])
            .find(|s| !s.is_empty() && !s.starts_with('['))
            .unwrap_or("");
        match f.rule.as_str() {
            "invalid-yaml" => assert!(line.contains("[unclosed"), "{f:?} -> {line}"),
            "missing-kind" => assert!(line.starts_with("apiVersion"), "{f:?} -> {line}"),
            "required-field" if f.path.ends_with(']') => {
                assert!(line.trim_start().starts_with("- "), "{f:?} -> {line}")
            }
            _ => assert!(line.contains(&format!("{last_key}:")), "{f:?} -> {line}"),
        }
    }
}

#[test]
fn same_input_same_report() {
    let (text, _) = corpus::generate(300);
    let inputs = [
        Input::file("a.yaml", text.clone()),
        Input::file("b.yaml", text),
    ];
    let a = validate(&inputs, &Options::default()).unwrap();
    let b = validate(&inputs, &Options::default()).unwrap();
    assert_eq!(a, b);
    assert_eq!(
        chartroom::validate::report::json(&a),
        chartroom::validate::report::json(&b)
    );
    // Findings come in input order.
    let files: Vec<&str> = a.findings.iter().map(|f| f.file.as_str()).collect();
    let mut sorted = files.clone();
    sorted.sort();
    assert_eq!(files, sorted);
}

#[test]
fn corpus_is_typical_size() {
    let (text, _) = corpus::generate(1000);
    // ~1.5 MB for 1,000 documents, as the performance budget assumes.
    assert!(
        (1_200_000..1_800_000).contains(&text.len()),
        "{}",
        text.len()
    );
}
