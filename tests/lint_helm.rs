//! Helm's lint rules through `chartroom lint`, on fixture charts that reproduce the cases of
//! Helm's `pkg/chart/v2/lint/lint_test.go` and `rules/*_test.go` (messages, severities, order).

mod common;

use serde_json::Value;

/// (exit code, findings as (severity, rule, file, message)).
fn lint(chart: &str, extra: &[&str]) -> (i32, Vec<(String, String, String, String)>) {
    let mut cmd = common::chartroom();
    cmd.current_dir(common::fixture("lint/helm"))
        .args(["lint", chart, "-o", "json"])
        .args(extra);
    let (code, out, err) = common::run(cmd);
    let v: Value = serde_json::from_str(&out).unwrap_or_else(|e| panic!("{e}: {out}{err}"));
    let findings = v["charts"]
        .as_array()
        .unwrap()
        .iter()
        .flat_map(|c| c["findings"].as_array().unwrap().iter())
        .map(|f| {
            (
                f["severity"].as_str().unwrap().to_string(),
                f["rule"].as_str().unwrap().to_string(),
                f["file"].as_str().unwrap().to_string(),
                f["message"].as_str().unwrap().to_string(),
            )
        })
        .collect();
    (code, findings)
}

fn has(findings: &[(String, String, String, String)], severity: &str, text: &str) -> bool {
    findings
        .iter()
        .any(|(s, _, _, m)| s == severity && m.contains(text))
}

/// Helm's `TestBadChart`: the Chart.yaml messages with their severities.
#[test]
fn bad_chart_file() {
    let (code, f) = lint("badchartfile", &[]);
    assert_eq!(code, 1);
    for (sev, text) in [
        ("info", "icon is recommended"),
        ("error", "version '0.0.0.0' is not a valid SemVer"),
        ("error", "name is required"),
        (
            "error",
            "apiVersion is required. The value must be either \"v1\" or \"v2\"",
        ),
        ("error", "chart type is not valid in apiVersion"),
        (
            "error",
            "dependencies are not valid in the Chart file with apiVersion",
        ),
        ("warning", "version '0.0.0.0' is not a valid SemVerV2"),
    ] {
        assert!(has(&f, sev, text), "{sev} {text}: {f:#?}");
    }
    assert!(
        f.iter().all(|(_, _, file, _)| file == "Chart.yaml"),
        "{f:#?}"
    );
}

/// Helm's `TestBadValues`.
#[test]
fn bad_values_file() {
    let (code, f) = lint("badvaluesfile", &[]);
    assert_eq!(code, 1);
    assert_eq!(f.len(), 1, "{f:#?}");
    assert_eq!(f[0].1, "values-yaml");
    assert!(f[0].3.contains("unable to parse YAML"), "{f:#?}");
    assert!(f[0].3.contains("line 3"), "{f:#?}");
}

/// Helm's `TestBadCrdFile`: exactly the two CRD errors.
#[test]
fn bad_crd_file() {
    let (code, f) = lint("badcrdfile", &[]);
    assert_eq!(code, 1);
    let crd: Vec<&str> = f
        .iter()
        .filter(|x| x.1 == "crds")
        .map(|x| x.3.as_str())
        .collect();
    assert_eq!(
        crd,
        vec![
            "apiVersion is not in 'apiextensions.k8s.io'",
            "object kind is not 'CustomResourceDefinition'"
        ]
    );
}

/// Helm's `TestInvalidYaml`/`TestMalformedTemplate`: the template error names the template,
/// its line and the cause.
#[test]
fn malformed_template() {
    let (code, f) = lint("malformed-template", &[]);
    assert_eq!(code, 1);
    let render: Vec<_> = f.iter().filter(|x| x.1 == "template-render").collect();
    assert_eq!(render.len(), 1, "{f:#?}");
    assert_eq!(render[0].2, "templates/bad.yaml");
    assert!(render[0].3.contains("deliberateSyntaxError"), "{f:#?}");
}

/// Helm's `TestMultiTemplateFail`: one naming warning for the second document.
#[test]
fn multi_template_fail() {
    let (code, f) = lint("multi-template-fail", &[]);
    assert_eq!(code, 0, "naming is a warning");
    let names: Vec<_> = f.iter().filter(|x| x.1 == "object-name").collect();
    assert_eq!(names.len(), 1, "{f:#?}");
    assert!(names[0].3.starts_with(
        "object name does not conform to Kubernetes naming requirements: \"-this:name-is-not_valid$\""
    ));
    let (code, _) = lint("multi-template-fail", &["--strict"]);
    assert_eq!(code, 1, "--strict fails on warnings");
}

/// Helm's `TestDeprecatedAPIFails`: apps/v1beta1 Deployment, and nothing about the Secret.
#[test]
fn deprecated_and_removed_apis() {
    let (code, f) = lint("deprecated", &[]);
    assert_eq!(
        code, 1,
        "removed at the default (newest) Kubernetes version"
    );
    let api: Vec<_> = f
        .iter()
        .filter(|x| x.1.ends_with("-api"))
        .map(|x| (x.0.as_str(), x.1.as_str(), x.2.as_str()))
        .collect();
    assert_eq!(
        api,
        vec![("error", "removed-api", "templates/baddeployment.yaml")]
    );
    let (code, f) = lint("deprecated", &["--kube-version", "1.15"]);
    assert_eq!(code, 0);
    assert!(
        has(
            &f,
            "warning",
            "apps/v1beta1 Deployment is deprecated in v1.8+, unavailable in v1.16+; use apps/v1 Deployment"
        ),
        "{f:#?}"
    );
}

/// Helm's dependency rule cases.
#[test]
fn dependencies() {
    let (code, f) = lint("undeclared-dep", &[]);
    assert_eq!(code, 1);
    assert!(
        has(
            &f,
            "error",
            "chart metadata is missing these dependencies: extra"
        ),
        "{f:#?}"
    );
    let (code, f) = lint("missing-dep", &[]);
    assert_eq!(code, 0);
    assert!(
        has(
            &f,
            "warning",
            "chart directory is missing these dependencies: redis"
        ),
        "{f:#?}"
    );
}

/// Extensions and the indentation warning.
#[test]
fn extensions_and_indentation() {
    let (_, f) = lint("bad-extension", &[]);
    assert!(
        has(
            &f,
            "error",
            "file extension '.toml' not valid. Valid extensions are .yaml, .yml, .tpl, or .txt"
        ),
        "{f:#?}"
    );
    assert!(
        has(
            &f,
            "warning",
            "document starts with an illegal indent: \"  apiVersion: v1\", which may cause parsing problems"
        ),
        "{f:#?}"
    );
}

/// Helm's `TestSubChartValuesChart` and `--with-subcharts`.
#[test]
fn subcharts() {
    let (code, f) = lint("withsubchart", &[]);
    assert_eq!((code, f.len()), (0, 0), "{f:#?}");
    let mut cmd = common::chartroom();
    cmd.current_dir(common::fixture("lint/helm")).args([
        "lint",
        "withsubchart",
        "--with-subcharts",
    ]);
    let (code, out, _) = common::run(cmd);
    assert_eq!(code, 0);
    assert!(out.contains("==> Linting withsubchart\n"), "{out}");
    assert!(
        out.contains("==> Linting withsubchart/charts/subchart\n"),
        "{out}"
    );
    assert!(
        out.ends_with("2 chart(s) linted, 0 chart(s) failed\n"),
        "{out}"
    );
}

/// `required`/`fail` in lint mode, for both engines: a warning with the chart's defaults
/// (the value is the user's to give), an error when the values given still miss it, and the
/// rest of the chart is still checked.
#[test]
fn required_values() {
    for chart in ["required-go", "required-jinja"] {
        let path = format!("../{chart}");
        let (code, f) = lint(&path, &[]);
        assert_eq!(code, 0, "{chart}: {f:#?}");
        let req: Vec<_> = f.iter().filter(|x| x.1 == "template-required").collect();
        assert_eq!(req.len(), 1, "{chart}: {f:#?}");
        assert_eq!(req[0].0, "warning");
        assert_eq!(req[0].2, "templates/cm.yaml");
        assert!(req[0].3.starts_with("host is required"), "{f:#?}");
        let (code, f) = lint(&path, &["--set", "other=1"]);
        assert_eq!(code, 1, "{chart}: {f:#?}");
        assert!(has(&f, "error", "host is required"), "{f:#?}");
        let (code, f) = lint(&path, &["--set", "host=db.example.org"]);
        assert_eq!((code, f.len()), (0, 0), "{chart}: {f:#?}");
    }
}
