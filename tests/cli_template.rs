//! CLI tests for `template`, `show`, `create`, `version` and `completion`, running the real
//! binary on the fixture charts under tests/fixtures/charts/cli.

mod common;

use common::*;

fn app() -> String {
    fixture("charts/cli/app").to_str().unwrap().to_string()
}

/// Golden output of the fixture chart; `UPDATE_GOLDEN=1 cargo test` rewrites it.
fn golden(name: &str, actual: &str) {
    let path = fixture(&format!("charts/cli/{name}"));
    if std::env::var_os("UPDATE_GOLDEN").is_some() {
        std::fs::write(&path, actual).unwrap();
    }
    let expected = std::fs::read_to_string(&path).unwrap_or_default();
    assert_eq!(actual, expected, "output differs from {}", path.display());
}

fn template(args: &[&str]) -> (i32, String, String) {
    let mut c = chartroom();
    c.arg("template").args(args);
    run(c)
}

#[test]
fn renders_the_fixture_like_helm_template() {
    let (code, out, err) = template(&["my", &app(), "--include-crds", "-n", "apps"]);
    assert_eq!(code, 0, "{err}");
    golden("app.expected.yaml", &out);
    // Subchart scoping, aliases, conditions, tags, globals, import-values, library macros:
    assert!(out.contains("# Source: app/charts/worker-a/templates/configmap.yaml"));
    assert!(
        !out.contains("worker-b"),
        "worker-b is disabled by its condition"
    );
    assert!(out.contains("name: my-worker-a"));
    assert!(
        out.contains("value: \"db.internal\""),
        "import-values from db"
    );
    assert!(out.contains("team: platform"), "globals flow down");
    assert!(out.contains("namespace: apps"));
    // CRDs first, hooks last.
    assert!(out.starts_with("---\n# Source: app/crds/crontab.yaml\n"));
    let hook = out.find("helm.sh/hook: pre-install").unwrap();
    assert!(out.find("kind: StatefulSet").unwrap() < hook);
}

#[test]
fn tags_conditions_and_value_flags() {
    let (code, out, err) = template(&[&app(), "--set", "tags.workers=false,db.enabled=false"]);
    assert_eq!(code, 0, "{err}");
    assert!(!out.contains("worker-a"), "tag disables worker-a");
    assert!(!out.contains("StatefulSet"), "condition disables db");
    assert!(out.contains("value: \"none\""), "no import without db");
    assert!(
        out.contains("name: release-name-app"),
        "default release name"
    );

    let (code, out, _) = template(&[&app(), "--set", "worker-b.enabled=true"]);
    assert_eq!(code, 0);
    assert!(out.contains("# Source: app/charts/worker-b/templates/configmap.yaml"));

    let dir = tempfile::tempdir().unwrap();
    let values = dir.path().join("v.yaml");
    std::fs::write(
        &values,
        "replicaCount: 5\n---\nimage:\n  tag: from-second-doc\n",
    )
    .unwrap();
    let (code, out, _) = template(&[
        &app(),
        "-f",
        values.to_str().unwrap(),
        "--set-string",
        "service.port=9090",
    ]);
    assert_eq!(code, 0);
    assert!(out.contains("replicas: 5"));
    assert!(out.contains("example/app:from-second-doc"));
    assert!(out.contains("containerPort: 9090"));
}

#[test]
fn show_only_skip_tests_and_notes() {
    let (code, out, _) = template(&[&app(), "-s", "templates/service.yaml"]);
    assert_eq!(code, 0);
    assert_eq!(out.matches("# Source:").count(), 1);
    assert!(out.contains("kind: Service"));

    let (code, out, _) = template(&[&app(), "-s", "charts/*/templates/*"]);
    assert_eq!(code, 0);
    assert!(out.contains("StatefulSet") && !out.contains("kind: Service"));

    let (code, _, err) = template(&[&app(), "-s", "templates/nope.yaml"]);
    assert_eq!(code, 1);
    assert!(
        err.contains("could not find template templates/nope.yaml"),
        "{err}"
    );

    let (_, out, _) = template(&[&app(), "--skip-tests"]);
    assert!(!out.contains("my-test") && !out.contains("release-name-test"));
    let (_, out, _) = template(&[&app(), "--no-hooks"]);
    assert!(!out.contains("helm.sh/hook"));

    let (_, out, _) = template(&["db", &app(), "--notes"]);
    assert!(
        out.ends_with("---\n# NOTES:\n# app 4.5.6 is installed as db in default.\n"),
        "{out}"
    );
    let (_, out, _) = template(&["db", &app()]);
    assert!(!out.contains("NOTES"));
}

#[test]
fn capabilities_and_upgrade_flags() {
    let (code, out, _) = template(&[
        &app(),
        "--kube-version",
        "1.30",
        "--is-upgrade",
        "-a",
        "example.com/v1",
    ]);
    assert_eq!(code, 0);
    assert!(out.contains("kube: \"v1.30\""));
    assert!(out.contains("upgrade: \"true\""));
    let (code, _, err) = template(&[&app(), "--kube-version", "banana"]);
    assert_eq!(code, 2, "{err}");
}

#[test]
fn output_dir_writes_files_and_nothing_on_stdout() {
    let dir = tempfile::tempdir().unwrap();
    let out_dir = dir.path().join("out");
    let (code, out, err) = template(&["rel", &app(), "--output-dir", out_dir.to_str().unwrap()]);
    assert_eq!(code, 0, "{err}");
    assert!(out.lines().all(|l| l.starts_with("wrote ")), "{out}");
    let cm = std::fs::read_to_string(out_dir.join("app/templates/configmap.yaml")).unwrap();
    assert_eq!(
        cm.matches("# Source: app/templates/configmap.yaml").count(),
        2
    );
    assert!(
        out_dir
            .join("app/charts/db/templates/statefulset.yaml")
            .is_file()
    );

    let (code, _, _) = template(&[
        "rel",
        &app(),
        "--output-dir",
        out_dir.to_str().unwrap(),
        "--release-name",
    ]);
    assert_eq!(code, 0);
    assert!(out_dir.join("rel/app/templates/service.yaml").is_file());
}

#[test]
fn renders_a_packaged_chart() {
    let dir = tempfile::tempdir().unwrap();
    let tgz = dir.path().join("app-1.2.3.tgz");
    let file = std::fs::File::create(&tgz).unwrap();
    let gz = flate2::write::GzEncoder::new(file, flate2::Compression::default());
    let mut tar = tar::Builder::new(gz);
    tar.append_dir_all("app", fixture("charts/cli/app"))
        .unwrap();
    tar.into_inner().unwrap().finish().unwrap();
    let (code, from_tgz, err) =
        template(&["my", tgz.to_str().unwrap(), "--include-crds", "-n", "apps"]);
    assert_eq!(code, 0, "{err}");
    let (_, from_dir, _) = template(&["my", &app(), "--include-crds", "-n", "apps"]);
    assert_eq!(from_tgz, from_dir);
}

#[test]
fn user_errors_are_clear_and_exit_1_or_2() {
    let (code, _, err) = template(&["Bad_Name", &app()]);
    assert_eq!(code, 2);
    assert!(err.contains("invalid release name"), "{err}");

    let (code, _, err) = template(&["x", "/nonexistent/chart"]);
    assert_eq!(code, 1);
    assert!(err.contains("/nonexistent/chart"), "{err}");

    let (code, _, err) = template(&[&app(), "--set", "a,,b=1"]);
    assert_eq!(code, 1);
    assert!(err.contains("--set"), "{err}");

    let (code, _, err) = template(&[&app(), "-f", "/nonexistent/values.yaml"]);
    assert_eq!(code, 1);
    assert!(err.contains("/nonexistent/values.yaml"), "{err}");

    let (code, _, err) = template(&[]);
    assert_eq!(code, 2, "{err}");
    assert!(!err.contains("panicked"));
}

#[test]
fn template_errors_name_the_file_and_line() {
    let dir = tempfile::tempdir().unwrap();
    let chart = dir.path().join("broken");
    copy_tree(&fixture("charts/cli/app"), &chart);
    std::fs::write(
        chart.join("templates/service.yaml"),
        "apiVersion: v1\nkind: Service\nmetadata:\n  name: {{ values.service.nmae }}\n",
    )
    .unwrap();
    let (code, out, err) = template(&[chart.to_str().unwrap(), "--set", "service.port=12345"]);
    assert_eq!(code, 1);
    assert!(out.is_empty(), "nothing printed on failure");
    assert!(err.contains("templates/service.yaml"), "{err}");
    assert!(err.contains(":4"), "{err}");
    assert!(err.contains("service.nmae"), "{err}");
    assert!(!err.contains("panicked"));

    std::fs::write(
        chart.join("templates/service.yaml"),
        "a: [1, 2\nb: {{ 1 }}\n",
    )
    .unwrap();
    let (code, _, err) = template(&[chart.to_str().unwrap()]);
    assert_eq!(code, 1);
    assert!(err.contains("templates/service.yaml"), "{err}");
}

#[test]
fn show_commands() {
    let mut c = chartroom();
    c.args(["show", "values", &app()]);
    let (code, out, _) = run(c);
    assert_eq!(code, 0);
    assert_eq!(
        out,
        format!(
            "{}\n",
            std::fs::read_to_string(fixture("charts/cli/app/values.yaml")).unwrap()
        )
    );

    let mut c = chartroom();
    c.args(["show", "chart", &app()]);
    let (code, out, _) = run(c);
    assert_eq!(code, 0);
    assert!(out.contains("name: app") && out.contains("1.2.3"));
    let api = out.find("apiVersion").unwrap();
    let version = out.rfind("\nversion:").unwrap();
    assert!(api < version, "keys sorted");

    let mut c = chartroom();
    c.args(["show", "crds", &app()]);
    let (_, out, _) = run(c);
    assert!(out.starts_with("---\napiVersion: apiextensions.k8s.io/v1"));

    let mut c = chartroom();
    c.args(["show", "all", &app()]);
    let (code, out, _) = run(c);
    assert_eq!(code, 0);
    assert!(out.contains("---\nreplicaCount: 2"));
}

#[test]
fn create_then_template() {
    let dir = tempfile::tempdir().unwrap();
    let target = dir.path().join("mychart");
    let mut c = chartroom();
    c.arg("create").arg(&target);
    let (code, _, err) = run(c);
    assert_eq!(code, 0, "{err}");
    let (code, out, err) = template(&[target.to_str().unwrap()]);
    assert_eq!(code, 0, "{err}");
    assert!(out.contains("kind: Deployment"));
    let (code, _, err) = template(&[target.to_str().unwrap(), "--set", "replicaCuont=2"]);
    assert_eq!(code, 1, "closed schema rejects typos");
    assert!(err.contains("replicaCuont"), "{err}");
    let mut c = chartroom();
    c.arg("create").arg(&target);
    let (code, _, err) = run(c);
    assert_eq!(code, 1, "refuses to overwrite");
    assert!(err.contains("exists"), "{err}");
}

#[test]
fn version_and_completion() {
    let mut c = chartroom();
    c.args(["version", "--short"]);
    let (code, out, _) = run(c);
    assert_eq!(code, 0);
    assert!(out.starts_with('v'));
    let mut c = chartroom();
    c.args(["completion", "bash"]);
    let (code, out, _) = run(c);
    assert_eq!(code, 0);
    assert!(out.contains("chartroom"));
}

#[test]
fn validate_flag_checks_rendered_objects() {
    let (code, out, err) = template(&[&app(), "--validate"]);
    assert_eq!(code, 0, "{err}");
    assert!(out.contains("kind: Deployment"));
    assert!(err.contains("0 errors"), "{err}");

    let dir = tempfile::tempdir().unwrap();
    let chart = dir.path().join("app");
    copy_tree(&fixture("charts/cli/app"), &chart);
    std::fs::write(
        chart.join("templates/service.yaml"),
        "apiVersion: v1\nkind: Service\nmetadata:\n  name: s\nspec:\n  ports:\n    - port: \"eighty\"\n  selectr: {}\n",
    )
    .unwrap();
    let (code, _, err) = template(&[
        chart.to_str().unwrap(),
        "--validate",
        "--kube-version",
        "1.29",
    ]);
    assert_eq!(code, 1, "{err}");
    assert!(err.contains("app/templates/service.yaml"), "{err}");
    assert!(err.contains("selectr"), "{err}");
    assert!(err.contains("1.29"), "{err}");
}

/// `show` prints what `helm show` prints (for a Jinja chart the only addition is `engine: jinja`).
#[test]
fn show_matches_helm() {
    if helm().is_none() {
        skip("show_matches_helm", "helm is not on PATH");
        return;
    }
    for chart in ["gotmpl/basics", "gotmpl/subcharts", "charts/cli/app"] {
        let path = fixture(chart);
        for what in ["chart", "values", "readme", "crds", "all"] {
            let mut h = helm().unwrap();
            h.args(["show", what]).arg(&path);
            let (_, expected, _) = run(h);
            let mut c = chartroom();
            c.args(["show", what]).arg(&path);
            let (code, actual, err) = run(c);
            assert_eq!(code, 0, "{chart} {what}: {err}");
            let actual = actual.replace("engine: jinja\n", "");
            assert_eq!(actual, expected, "show {what} {chart}");
        }
    }
}
