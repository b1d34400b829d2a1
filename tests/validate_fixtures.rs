//! Fixture files, one per class of finding, validated through the library API; every finding
//! is listed (nothing else may be reported).

use std::path::{Path, PathBuf};

use chartroom::validate::{Input, Options, Report, Severity, validate};

fn fixture_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/validate")
}

fn input(name: &str) -> Input {
    let text = std::fs::read_to_string(fixture_dir().join(name)).unwrap();
    Input::file(name, text)
}

fn run(files: &[&str], opts: &Options) -> Report {
    let inputs: Vec<Input> = files.iter().map(|f| input(f)).collect();
    validate(&inputs, opts).unwrap()
}

/// (file, line, rule, path) of every finding.
fn summary(r: &Report) -> Vec<(String, usize, String, String)> {
    r.findings
        .iter()
        .map(|f| (f.file.clone(), f.line, f.rule.clone(), f.path.clone()))
        .collect()
}

fn expect(list: &[(&str, usize, &str, &str)]) -> Vec<(String, usize, String, String)> {
    list.iter()
        .map(|(f, l, r, p)| (f.to_string(), *l, r.to_string(), p.to_string()))
        .collect()
}

/// Expected (file, line, rule, path) findings.
type Expected<'a> = &'a [(&'a str, usize, &'a str, &'a str)];

#[test]
fn each_class_of_finding() {
    let strict = Options::default();
    let cases: &[(&[&str], Expected)] = &[
        (&["clean.yaml"], &[]),
        (
            &["wrong-type.yaml"],
            &[
                ("wrong-type.yaml", 6, "wrong-type", "spec.replicas"),
                (
                    "wrong-type.yaml",
                    19,
                    "wrong-type",
                    "spec.template.spec.containers[0].ports[0].containerPort",
                ),
                (
                    "wrong-type.yaml",
                    20,
                    "wrong-type",
                    "spec.template.spec.hostNetwork",
                ),
            ],
        ),
        (
            &["unknown-field.yaml"],
            &[
                ("unknown-field.yaml", 5, "unknown-field", "metadata.lables"),
                (
                    "unknown-field.yaml",
                    12,
                    "unknown-field",
                    "spec.ports[0].targetport",
                ),
            ],
        ),
        (
            &["missing-required.yaml"],
            &[
                ("missing-required.yaml", 5, "required-field", "spec"),
                (
                    "missing-required.yaml",
                    9,
                    "required-field",
                    "spec.template.spec.containers[0]",
                ),
            ],
        ),
        (
            &["invalid-yaml.yaml"],
            &[("invalid-yaml.yaml", 11, "invalid-yaml", "")],
        ),
        (
            &["missing-kind.yaml"],
            &[
                ("missing-kind.yaml", 1, "missing-kind", "kind"),
                ("missing-kind.yaml", 5, "missing-api-version", "apiVersion"),
                ("missing-kind.yaml", 9, "missing-api-version", "apiVersion"),
                ("missing-kind.yaml", 9, "missing-kind", "kind"),
                ("missing-kind.yaml", 12, "not-an-object", ""),
                ("missing-kind.yaml", 15, "not-an-object", ""),
            ],
        ),
        (
            &["duplicate-key.yaml"],
            &[(
                "duplicate-key.yaml",
                8,
                "duplicate-key",
                "metadata.labels.app",
            )],
        ),
        (&["widget-crd.yaml", "crd-clean.yaml"], &[]),
        (
            &["widget-crd.yaml", "crd-errors.yaml"],
            &[
                ("crd-errors.yaml", 6, "invalid-value", "spec.size"),
                ("crd-errors.yaml", 7, "invalid-enum", "spec.color"),
                ("crd-errors.yaml", 8, "wrong-type", "spec.port"),
                ("crd-errors.yaml", 9, "invalid-value", "spec.name"),
                ("crd-errors.yaml", 10, "unknown-field", "spec.colour"),
                ("crd-errors.yaml", 16, "required-field", "spec"),
            ],
        ),
        (
            // The CRD may come after the custom resource.
            &["bad-enum.yaml", "widget-crd.yaml"],
            &[("bad-enum.yaml", 7, "invalid-enum", "spec.color")],
        ),
    ];
    for (files, expected) in cases {
        let report = run(files, &strict);
        assert_eq!(
            summary(&report),
            expect(expected),
            "{files:?}\n{:#?}",
            report.findings
        );
        for f in &report.findings {
            assert_eq!(f.severity, Severity::Error);
            assert!(!f.message.is_empty());
        }
    }
}

#[test]
fn counts_and_metadata() {
    let r = run(
        &["clean.yaml", "invalid-yaml.yaml", "bad-enum.yaml"],
        &Options::default(),
    );
    assert_eq!(r.documents, 13 + 3 + 1);
    assert_eq!(r.validated, 13 + 2);
    assert_eq!(r.skipped, 1); // Widget without its CRD
    assert_eq!(r.kube_version, "1.37");
    assert_eq!(r.findings.len(), 1);
    let f = &r.findings[0];
    assert_eq!((f.kind.as_str(), f.document), ("", 1));

    let r = run(&["wrong-type.yaml"], &Options::default());
    let f = &r.findings[0];
    assert_eq!(f.api_version, "apps/v1");
    assert_eq!(f.kind, "Deployment");
    assert_eq!(f.name, "web");
    assert_eq!(f.document, 0);
}

#[test]
fn no_strict_accepts_unknown_fields_and_warns_on_duplicates() {
    let opts = Options {
        strict: false,
        ..Options::default()
    };
    let r = run(&["unknown-field.yaml", "duplicate-key.yaml"], &opts);
    assert_eq!(r.findings.len(), 1, "{:#?}", r.findings);
    assert_eq!(r.findings[0].rule, "duplicate-key");
    assert_eq!(r.findings[0].severity, Severity::Warning);
    assert!(!r.has_errors());
    assert!(!r.strict);

    let r = run(&["widget-crd.yaml", "crd-errors.yaml"], &opts);
    assert!(!r.findings.iter().any(|f| f.rule == "unknown-field"));
    assert_eq!(r.findings.len(), 5);
}

#[test]
fn missing_schemas_skip_or_fail() {
    let r = run(&["bad-enum.yaml"], &Options::default());
    assert!(r.findings.is_empty());
    assert_eq!((r.validated, r.skipped), (0, 1));
    let opts = Options {
        fail_on_missing_schema: true,
        ..Options::default()
    };
    let r = run(&["bad-enum.yaml"], &opts);
    assert_eq!(
        summary(&r),
        expect(&[("bad-enum.yaml", 2, "missing-schema", "")])
    );
    assert!(r.findings[0].message.contains("--schema-location"));
}

#[test]
fn schema_locations() {
    let opts = Options {
        schema_locations: vec![fixture_dir().join("schemas")],
        ..Options::default()
    };
    let r = run(&["schema-location.yaml"], &opts);
    assert_eq!(
        summary(&r),
        expect(&[
            ("schema-location.yaml", 6, "invalid-value", "spec.speed"),
            ("schema-location.yaml", 12, "required-field", "spec"),
        ])
    );
    assert_eq!(r.validated, 3);

    let missing = Options {
        schema_locations: vec![fixture_dir().join("no-such-dir")],
        ..Options::default()
    };
    let err = validate(&[input("clean.yaml")], &missing).unwrap_err();
    assert!(err.to_string().contains("no-such-dir"), "{err}");
}

#[test]
fn kube_versions_change_what_exists() {
    let hpa = "apiVersion: autoscaling/v2beta2\nkind: HorizontalPodAutoscaler\nmetadata:\n  name: h\nspec:\n  scaleTargetRef: {kind: Deployment, name: web}\n  maxReplicas: 3\n";
    let at = |v: &str| {
        validate(
            &[Input::file("hpa.yaml", hpa)],
            &Options {
                kube_version: Some(v.to_string()),
                ..Options::default()
            },
        )
        .unwrap()
    };
    let old = at("1.25");
    assert_eq!((old.validated, old.skipped), (1, 0), "{:#?}", old.findings);
    assert!(old.findings.is_empty(), "{:#?}", old.findings);
    let new = at("v1.37.1");
    assert_eq!((new.validated, new.skipped), (0, 1));

    for bad in ["1.24", "1.38", "nope"] {
        let opts = Options {
            kube_version: Some(bad.to_string()),
            ..Options::default()
        };
        let err = validate(&[Input::file("x.yaml", "a: 1\n")], &opts).unwrap_err();
        assert!(err.to_string().contains(bad), "{err}");
    }
}

#[test]
fn values_stay_out_of_messages_unless_asked() {
    let text = "apiVersion: v1\nkind: Pod\nmetadata:\n  name: p\nspec:\n  containers:\n    - name: c\n      image: img\n      env:\n        - name: TOKEN\n          value: 12345\n";
    let r = validate(&[Input::file("pod.yaml", text)], &Options::default()).unwrap();
    assert_eq!(r.findings.len(), 1);
    assert_eq!(r.findings[0].line, 11);
    assert!(!r.findings[0].message.contains("12345"));
    let shown = validate(
        &[Input::file("pod.yaml", text)],
        &Options {
            show_values: true,
            ..Options::default()
        },
    )
    .unwrap();
    assert!(shown.findings[0].message.contains("12345"));
}

#[test]
fn inputs_carry_their_own_line_and_document_offsets() {
    // As `template --validate` hands over single rendered documents.
    let doc =
        "apiVersion: v1\nkind: Service\nmetadata:\n  name: s\nspec:\n  ports:\n    - port: http\n";
    let input = Input {
        file: "mychart/templates/service.yaml".to_string(),
        line: 40,
        document_index: 3,
        text: doc.to_string(),
    };
    let r = validate(&[input], &Options::default()).unwrap();
    assert_eq!(r.findings.len(), 1);
    let f = &r.findings[0];
    assert_eq!((f.line, f.document), (46, 3));
    assert_eq!(f.path, "spec.ports[0].port");
}

#[test]
fn null_in_int_or_string_fields_is_accepted() {
    let text = "apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: d}\nspec:\n  selector: {matchLabels: {a: b}}\n  strategy:\n    rollingUpdate: {maxSurge: null, maxUnavailable: null}\n  template:\n    metadata: {labels: {a: b}}\n    spec:\n      containers: [{name: c, image: i, resources: {limits: {cpu: null}}}]\n";
    let r = validate(&[Input::file("d.yaml", text)], &Options::default()).unwrap();
    assert!(r.findings.is_empty(), "{:#?}", r.findings);
    assert_eq!(r.validated, 1);
}

#[test]
fn broken_crd_schemas_are_findings() {
    let crd = "apiVersion: apiextensions.k8s.io/v1\nkind: CustomResourceDefinition\nmetadata: {name: things.x.io}\nspec:\n  group: x.io\n  scope: Namespaced\n  names: {kind: Thing, plural: things}\n  versions:\n    - name: v1\n      served: true\n      storage: true\n      schema:\n        openAPIV3Schema:\n          type: object\n          properties:\n            spec: {$ref: 'http://example.com/remote.json'}\n";
    let cr = "apiVersion: x.io/v1\nkind: Thing\nmetadata: {name: t}\nspec: {}\n";
    let r = validate(
        &[Input::file("crd.yaml", crd), Input::file("cr.yaml", cr)],
        &Options::default(),
    )
    .unwrap();
    let rules: Vec<&str> = r.findings.iter().map(|f| f.rule.as_str()).collect();
    assert!(rules.contains(&"invalid-schema"), "{:#?}", r.findings);
    let f = r
        .findings
        .iter()
        .find(|f| f.rule == "invalid-schema")
        .unwrap();
    assert_eq!(f.file, "cr.yaml");
    assert!(f.message.contains("x.io/v1 Thing"), "{}", f.message);
}

#[test]
fn list_items_are_validated() {
    let text = "apiVersion: v1\nkind: List\nmetadata: {}\nitems:\n  - apiVersion: v1\n    kind: ConfigMap\n    metadata:\n      name: a\n    data:\n      n: 1\n  - apiVersion: apps/v1\n    kind: Deployment\n    metadata:\n      name: web\n    spec:\n      replicas: two\n      selector: {matchLabels: {a: b}}\n      template: {metadata: {labels: {a: b}}, spec: {containers: [{name: c, image: i}]}}\n  - apiVersion: example.com/v1\n    kind: Widget\n    metadata: {name: w}\n  - kind: NoVersion\n";
    let r = validate(&[Input::file("list.yaml", text)], &Options::default()).unwrap();
    let got: Vec<(usize, &str, &str, &str)> = r
        .findings
        .iter()
        .map(|f| (f.line, f.rule.as_str(), f.path.as_str(), f.kind.as_str()))
        .collect();
    assert_eq!(
        got,
        vec![
            (10, "wrong-type", "items[0].data.n", "ConfigMap"),
            (16, "wrong-type", "items[1].spec.replicas", "Deployment"),
            (
                22,
                "missing-api-version",
                "items[3].apiVersion",
                "NoVersion"
            ),
        ]
    );
    assert_eq!(r.findings[1].name, "web");
    assert_eq!((r.documents, r.validated), (1, 1));
}

#[test]
fn json_documents_get_field_lines() {
    let text = "{\n  \"apiVersion\": \"v1\",\n  \"kind\": \"Service\",\n  \"metadata\": {\"name\": \"s\"},\n  \"spec\": {\n    \"ports\": [\n      {\"port\": 80},\n      {\"port\": \"http\", \"bogus\": true}\n    ]\n  }\n}\n";
    let r = validate(&[Input::file("svc.json", text)], &Options::default()).unwrap();
    let got: Vec<(usize, &str, &str)> = r
        .findings
        .iter()
        .map(|f| (f.line, f.rule.as_str(), f.path.as_str()))
        .collect();
    assert_eq!(
        got,
        vec![
            (8, "unknown-field", "spec.ports[1].bogus"),
            (8, "wrong-type", "spec.ports[1].port"),
        ]
    );
}

#[test]
fn unknown_fields_suggest_the_closest_known_one() {
    let r = run(&["unknown-field.yaml"], &Options::default());
    let messages: Vec<&str> = r.findings.iter().map(|f| f.message.as_str()).collect();
    assert_eq!(
        messages,
        vec![
            "unknown field \"lables\"; did you mean \"labels\"?",
            "unknown field \"targetport\"; did you mean \"targetPort\"?",
        ]
    );
    let r = run(&["widget-crd.yaml", "crd-errors.yaml"], &Options::default());
    let colour = r.findings.iter().find(|f| f.path == "spec.colour").unwrap();
    assert!(
        colour.message.ends_with("did you mean \"color\"?"),
        "{}",
        colour.message
    );
    // Nothing close: the general advice.
    let text = "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: x\n  zzzzzz: 1\n";
    let r = validate(&[Input::file("c.yaml", text)], &Options::default()).unwrap();
    assert!(
        r.findings[0].message.contains("--no-strict"),
        "{}",
        r.findings[0].message
    );
}
