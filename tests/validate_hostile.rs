//! Hostile input: binary junk, deep nesting, huge and numerous documents, alias bombs,
//! pathological schemas. Each gives findings or a clear error, never a panic or a hang.

use chartroom::validate::{
    Input, MAX_DOCUMENT_BYTES, MAX_FINDINGS_PER_DOCUMENT, Options, validate,
};

fn run(text: String) -> chartroom::validate::Report {
    validate(&[Input::file("hostile.yaml", text)], &Options::default()).unwrap()
}

fn rules(r: &chartroom::validate::Report) -> Vec<&str> {
    r.findings.iter().map(|f| f.rule.as_str()).collect()
}

#[test]
fn binary_junk() {
    // A deterministic byte soup with NULs, control characters and invalid UTF-8.
    let mut x: u32 = 12345;
    let bytes: Vec<u8> = (0..200_000)
        .map(|_| {
            x = x.wrapping_mul(1_103_515_245).wrapping_add(12_345);
            (x >> 16) as u8
        })
        .collect();
    let text = String::from_utf8_lossy(&bytes).into_owned();
    let r = run(text);
    assert!(!r.findings.is_empty());
    assert!(r.findings.iter().all(|f| f.line >= 1));
    let r = run("\u{0}\u{1}\u{2}apiVersion: v1\n".to_string());
    assert!(!r.findings.is_empty());
}

#[test]
fn deep_flow_nesting_is_a_finding() {
    let text = format!(
        "apiVersion: v1\nkind: ConfigMap\nmetadata: {{name: x}}\ndata: {}\n",
        "[".repeat(100_000)
    );
    let r = run(text);
    assert_eq!(rules(&r), vec!["invalid-yaml"]);
}

#[test]
fn deep_block_nesting_is_a_finding() {
    let mut text = String::from("apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: x\ndata:\n");
    for depth in 1..1_500 {
        text.push_str(&" ".repeat(depth * 2));
        text.push_str("a:\n");
    }
    let r = run(text);
    assert_eq!(rules(&r), vec!["invalid-yaml"]);
}

#[test]
fn deep_but_allowed_nesting_validates() {
    // 200 levels under a field that accepts anything (a CRD with preserve-unknown-fields).
    let crd = "apiVersion: apiextensions.k8s.io/v1\nkind: CustomResourceDefinition\nmetadata: {name: deeps.x.io}\nspec:\n  group: x.io\n  scope: Namespaced\n  names: {kind: Deep, plural: deeps}\n  versions:\n    - name: v1\n      served: true\n      storage: true\n      schema:\n        openAPIV3Schema:\n          type: object\n          properties:\n            spec: {type: object, x-kubernetes-preserve-unknown-fields: true}\n";
    let mut cr = String::from("apiVersion: x.io/v1\nkind: Deep\nmetadata: {name: d}\nspec:\n");
    for depth in 1..200 {
        cr.push_str(&" ".repeat(depth * 2));
        cr.push_str("a:\n");
    }
    cr.push_str(&" ".repeat(400));
    cr.push_str("b: 1\n");
    let r = validate(
        &[Input::file("crd.yaml", crd), Input::file("cr.yaml", cr)],
        &Options::default(),
    )
    .unwrap();
    assert!(r.findings.is_empty(), "{:#?}", r.findings);
    assert_eq!(r.validated, 2);
}

#[test]
fn recursive_schema_on_deep_document() {
    // JSONSchemaProps is recursive: a CRD whose own schema nests 120 levels.
    let mut schema = String::from("{type: string}");
    for _ in 0..120 {
        schema = format!("{{type: object, properties: {{a: {schema}}}}}");
    }
    let crd = format!(
        "apiVersion: apiextensions.k8s.io/v1\nkind: CustomResourceDefinition\nmetadata: {{name: nests.x.io}}\nspec:\n  group: x.io\n  scope: Namespaced\n  names: {{kind: Nest, plural: nests}}\n  versions:\n    - name: v1\n      served: true\n      storage: true\n      schema:\n        openAPIV3Schema: {schema}\n"
    );
    let r = run(crd);
    assert!(r.findings.is_empty(), "{:#?}", r.findings);
}

#[test]
fn huge_document_is_not_parsed() {
    let mut text =
        String::from("apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: big\ndata:\n  blob: ");
    text.push_str(&"x".repeat(MAX_DOCUMENT_BYTES + 10));
    text.push('\n');
    let r = run(text);
    assert_eq!(rules(&r), vec!["document-too-large"]);
    assert_eq!(r.findings[0].line, 1);
}

#[test]
fn large_allowed_document_validates() {
    let mut text =
        String::from("apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: many-keys\ndata:\n");
    for i in 0..100_000 {
        text.push_str(&format!("  key{i}: value-{i}\n"));
    }
    text.push_str("  key99999: dup\n");
    let r = run(text);
    assert_eq!(rules(&r), vec!["duplicate-key"]);
    assert_eq!(r.findings[0].line, 100_006);
}

#[test]
fn many_documents() {
    let mut text = String::new();
    for i in 0..20_000 {
        text.push_str(&format!(
            "---\napiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: c{i}\n"
        ));
    }
    text.push_str("---\nkind: Oops\n");
    let r = run(text);
    assert_eq!(r.documents, 20_001);
    assert_eq!(r.validated, 20_000);
    assert_eq!(rules(&r), vec!["missing-api-version"]);
    assert_eq!(r.findings[0].document, 20_000);
}

#[test]
fn alias_bomb_is_a_finding() {
    let mut s = String::from(
        "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: x}\na: &a [x,x,x,x,x,x,x,x,x,x]\n",
    );
    let mut prev = 'a';
    for c in 'b'..='m' {
        s.push_str(&format!("{c}: &{c} [*{prev},*{prev},*{prev},*{prev},*{prev},*{prev},*{prev},*{prev},*{prev},*{prev}]\n"));
        prev = c;
    }
    let r = run(s);
    assert_eq!(rules(&r), vec!["invalid-yaml"]);
}

#[test]
fn findings_per_document_are_capped() {
    let mut text =
        String::from("apiVersion: v1\nkind: Pod\nmetadata: {name: p}\nspec:\n  containers:\n");
    for _ in 0..5_000 {
        text.push_str("    - {name: 1, image: 2}\n");
    }
    let r = run(text);
    assert_eq!(r.findings.len(), MAX_FINDINGS_PER_DOCUMENT + 1);
    assert!(
        r.findings
            .iter()
            .any(|f| f.message.contains("only the first are shown"))
    );
}

fn crd_with_pattern(pattern: &str) -> String {
    format!(
        "apiVersion: apiextensions.k8s.io/v1\nkind: CustomResourceDefinition\nmetadata: {{name: regs.x.io}}\nspec:\n  group: x.io\n  scope: Namespaced\n  names: {{kind: Reg, plural: regs}}\n  versions:\n    - name: v1\n      served: true\n      storage: true\n      schema:\n        openAPIV3Schema:\n          type: object\n          properties:\n            spec:\n              type: object\n              properties:\n                s: {{type: string, pattern: '{pattern}'}}\n"
    )
}

#[test]
fn pathological_crd_patterns_run_in_linear_time() {
    // Catastrophic for a backtracking engine; the linear-time engine answers at once.
    let cr = format!(
        "apiVersion: x.io/v1\nkind: Reg\nmetadata: {{name: r}}\nspec:\n  s: {}b\n",
        "a".repeat(50_000)
    );
    let r = validate(
        &[
            Input::file("crd.yaml", crd_with_pattern("^(a+)+$")),
            Input::file("cr.yaml", cr.clone()),
        ],
        &Options::default(),
    )
    .unwrap();
    let got: Vec<(&str, &str)> = r
        .findings
        .iter()
        .map(|f| (f.rule.as_str(), f.path.as_str()))
        .collect();
    assert_eq!(got, vec![("invalid-value", "spec.s")]);
    // Look-behind is not RE2 (what Kubernetes uses): the CRD's schema is unusable.
    let r = validate(
        &[
            Input::file("crd.yaml", crd_with_pattern("(?<=x)y")),
            Input::file("cr.yaml", cr),
        ],
        &Options::default(),
    )
    .unwrap();
    assert_eq!(rules(&r), vec!["invalid-schema"]);
}

#[test]
fn schema_location_symlinks_cannot_escape() {
    let dir = tempfile::tempdir().unwrap();
    let outside = tempfile::tempdir().unwrap();
    std::fs::write(outside.path().join("secret.json"), "{\"type\": \"object\"}").unwrap();
    #[cfg(unix)]
    std::os::unix::fs::symlink(
        outside.path().join("secret.json"),
        dir.path().join("thing-x-v1.json"),
    )
    .unwrap();
    let opts = Options {
        schema_locations: vec![dir.path().to_path_buf()],
        ..Options::default()
    };
    let r = validate(
        &[Input::file(
            "t.yaml",
            "apiVersion: x.io/v1\nkind: Thing\nmetadata: {name: t}\n",
        )],
        &opts,
    )
    .unwrap();
    if cfg!(unix) {
        assert_eq!(rules(&r), vec!["invalid-schema"], "{:#?}", r.findings);
        assert!(
            r.findings[0]
                .message
                .contains("outside the schema location")
        );
    }
}
