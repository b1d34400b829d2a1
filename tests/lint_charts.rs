//! chartroom's own charts (`charts/`) lint clean: with their defaults and with every toggle set
//! of `tests/charts_render.rs` (copied here), no finding at all, INFO included; their documented
//! exceptions (`chartroom.dev/lint-ignore`) are accepted. And the typo Helm ignores is found.

mod common;

use serde_json::Value;

/// One toggle set: chart, case name, namespace, flags (as in `tests/charts_render.rs`).
struct Case {
    chart: &'static str,
    name: &'static str,
    namespace: &'static str,
    flags: &'static [&'static str],
}

const fn case(
    chart: &'static str,
    name: &'static str,
    namespace: &'static str,
    flags: &'static [&'static str],
) -> Case {
    Case {
        chart,
        name,
        namespace,
        flags,
    }
}

const CASES: &[Case] = &[
    // postgres
    case("postgres", "defaults", "default", &[]),
    case("postgres", "namespace", "databases", &[]),
    case(
        "postgres",
        "read-replicas",
        "db",
        &[
            "--set",
            "readReplicas.enabled=true",
            "--set",
            "readReplicas.replicaCount=2",
        ],
    ),
    case(
        "postgres",
        "metrics",
        "db",
        &[
            "--set",
            "metrics.enabled=true",
            "--set",
            "metrics.serviceMonitor.enabled=true",
            "--set",
            "networkPolicy.metricsNamespaces={monitoring}",
        ],
    ),
    case(
        "postgres",
        "explicit-password",
        "db",
        &[
            "--set",
            "auth.password=from-values",
            "--set",
            "readReplicas.enabled=true",
            "--set",
            "auth.replicationPassword=also-from-values",
        ],
    ),
    case(
        "postgres",
        "toggles-off",
        "db",
        &[
            "--set",
            "backup.enabled=false",
            "--set",
            "pdb.enabled=false",
            "--set",
            "networkPolicy.enabled=false",
            "--set",
            "serviceAccount.create=false",
        ],
    ),
    case(
        "postgres",
        "everything",
        "db",
        &[
            "--set",
            "readReplicas.enabled=true",
            "--set",
            "metrics.enabled=true",
            "--set",
            "metrics.serviceMonitor.enabled=true",
            "--set",
            "backup.persistence.existingClaim=nightly",
            "--set",
            "backup.databases={app,audit}",
            "--set",
            "networkPolicy.allowedNamespaces={web}",
            "--set",
            "commonLabels.team=data",
            "--set",
            "nodeSelector.disk=ssd",
            "--set",
            "tolerations[0].key=dedicated",
            "--set",
            "tolerations[0].operator=Exists",
            "--set",
            "priorityClassName=high",
            "--set",
            "imagePullSecrets={regcred}",
            "--set",
            "postgresql.hbaRules={hostssl all all 10.0.0.0/8 scram-sha-256}",
            "--set",
            "postgresql.config.max_connections=300",
            "--set",
            "primary.persistence.storageClass=fast",
        ],
    ),
    // jenkins
    case("jenkins", "defaults", "default", &[]),
    case("jenkins", "namespace", "ci", &[]),
    case(
        "jenkins",
        "ingress",
        "ci",
        &[
            "--set",
            "ingress.enabled=true",
            "--set",
            "ingress.className=nginx",
            "--set",
            "ingress.host=ci.example.org",
            "--set",
            "ingress.tls.enabled=true",
        ],
    ),
    case(
        "jenkins",
        "read-secrets",
        "ci",
        &[
            "--set",
            "rbac.readSecrets=true",
            "--set",
            "rbac.secretNames={git-credentials}",
        ],
    ),
    case(
        "jenkins",
        "explicit-admin",
        "ci",
        &[
            "--set",
            "admin.username=admin",
            "--set",
            "admin.password=from-values",
        ],
    ),
    case(
        "jenkins",
        "toggles-off",
        "ci",
        &[
            "--set",
            "agents.enabled=false",
            "--set",
            "casc.defaultConfig=false",
            "--set",
            "pdb.enabled=false",
            "--set",
            "networkPolicy.enabled=false",
            "--set",
            "serviceAccount.create=false",
            "--set-json",
            "plugins.install=[]",
        ],
    ),
    case(
        "jenkins",
        "everything",
        "ci",
        &[
            "--set",
            "ingress.enabled=true",
            "--set",
            "rbac.readSecrets=true",
            "--set",
            "plugins.extra={job-dsl:1.93}",
            "--set-json",
            r#"casc.configScripts={"jobs":"jobs:\n  - script: pipelineJob('hello')\n"}"#,
            "--set",
            "networkPolicy.httpNamespaces={ingress-nginx}",
            "--set",
            "commonLabels.team=ci",
            "--set",
            "nodeSelector.pool=ci",
            "--set",
            "controller.url=https://jenkins.example.org/",
        ],
    ),
    // fluent-bit
    case("fluent-bit", "defaults", "default", &[]),
    case("fluent-bit", "namespace", "logging", &[]),
    case(
        "fluent-bit",
        "ephemeral-offsets",
        "logging",
        &[
            "--set",
            "positionDb.hostPath=false",
            "--set",
            "dockerContainerLogs=true",
        ],
    ),
    case(
        "fluent-bit",
        "toggles-off",
        "logging",
        &[
            "--set",
            "rbac.create=false",
            "--set-json",
            "config.filters=[]",
            "--set",
            "service.enabled=false",
            "--set",
            "networkPolicy.enabled=false",
            "--set",
            "serviceAccount.create=false",
        ],
    ),
    case(
        "fluent-bit",
        "everything",
        "logging",
        &[
            "--set",
            "networkPolicy.metricsNamespaces={monitoring}",
            "--set",
            "priorityClassName=system-node-critical",
            "--set-json",
            r#"config.outputs=[{"name":"loki","match":"kube.*","host":"loki.logging.svc","port":3100}]"#,
            "--set",
            "commonLabels.team=platform",
        ],
    ),
];

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
