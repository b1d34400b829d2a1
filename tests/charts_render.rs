//! Renders chartroom's own charts (`charts/`) with the real binary (`chartroom template`), with
//! defaults and with every documented toggle, and checks the output: golden snapshots under
//! `tests/snapshots/charts/` (rewritten with `UPDATE_SNAPSHOTS=1`), YAML that parses, the
//! release namespace on every namespaced object, production defaults on every pod (pinned
//! images, requests and limits, no service links, no automatic token), byte-reproducible
//! output, and value typos or conflicting values failing with a message naming them.

mod common;

use assert_cmd::Command;
use chartroom::yaml::{NumberModel, parse_stream};
use serde_json::Value;
use std::path::{Path, PathBuf};

use common::chart_cases::{CASES, Case};

/// Kinds without a namespace.
const CLUSTER_SCOPED: &[&str] = &["ClusterRole", "ClusterRoleBinding", "Namespace"];

fn repo() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

fn chart_path(chart: &str) -> PathBuf {
    repo().join("charts").join(chart)
}

fn template(args: &[&str]) -> std::process::Output {
    Command::cargo_bin("chartroom")
        .expect("the chartroom binary is built")
        .current_dir(repo())
        .arg("template")
        .args(args)
        .output()
        .expect("chartroom runs")
}

fn render(c: &Case) -> String {
    let chart = format!("charts/{}", c.chart);
    let mut args = vec![c.release, chart.as_str(), "--namespace", c.namespace];
    args.extend_from_slice(c.flags);
    let out = template(&args);
    assert!(
        out.status.success(),
        "{}/{}: exit {:?}\n{}",
        c.chart,
        c.name,
        out.status.code(),
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).expect("UTF-8 output")
}

/// Compares `actual` with the snapshot file, or rewrites it with `UPDATE_SNAPSHOTS=1`.
fn snapshot(c: &Case, actual: &str) -> Option<String> {
    let path = repo()
        .join("tests/snapshots/charts")
        .join(c.chart)
        .join(format!("{}.yaml", c.name));
    if std::env::var_os("UPDATE_SNAPSHOTS").is_some() {
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(&path, actual).unwrap();
        return None;
    }
    let expected = std::fs::read_to_string(&path).unwrap_or_default();
    (expected != actual).then(|| {
        let line = expected
            .lines()
            .zip(actual.lines())
            .position(|(a, b)| a != b)
            .map_or_else(
                || expected.lines().count().min(actual.lines().count()) + 1,
                |i| i + 1,
            );
        format!(
            "{}: differs from the snapshot from line {line} (rerun with UPDATE_SNAPSHOTS=1 and review the diff)",
            path.display()
        )
    })
}

/// Every pod template of a workload document (Deployment/StatefulSet/DaemonSet/Job/CronJob).
fn pod_specs(doc: &Value) -> Vec<&Value> {
    let spec = &doc["spec"];
    match doc["kind"].as_str() {
        Some("StatefulSet" | "Deployment" | "DaemonSet" | "Job") => vec![&spec["template"]["spec"]],
        Some("CronJob") => vec![&spec["jobTemplate"]["spec"]["template"]["spec"]],
        _ => vec![],
    }
}

/// Production checks on one rendered document; returns the problems found.
fn check_document(c: &Case, doc: &Value) -> Vec<String> {
    let mut problems = Vec::new();
    let kind = doc["kind"].as_str().unwrap_or("");
    let name = doc["metadata"]["name"].as_str().unwrap_or("");
    let at = format!("{}/{} {kind} {name}", c.chart, c.name);
    if kind.is_empty() || name.is_empty() || doc["apiVersion"].as_str().is_none() {
        problems.push(format!(
            "{at}: kind, apiVersion and metadata.name are required"
        ));
    }
    if name.len() > 63 && kind != "ClusterRole" && kind != "ClusterRoleBinding" {
        problems.push(format!("{at}: name longer than 63 characters"));
    }
    let ns = doc["metadata"]["namespace"].as_str();
    if CLUSTER_SCOPED.contains(&kind) {
        if ns.is_some() {
            problems.push(format!("{at}: cluster-scoped object with a namespace"));
        }
    } else if ns != Some(c.namespace) {
        problems.push(format!("{at}: namespace {ns:?}, expected {}", c.namespace));
    }
    let labels = &doc["metadata"]["labels"];
    for label in [
        "app.kubernetes.io/name",
        "app.kubernetes.io/instance",
        "app.kubernetes.io/managed-by",
    ] {
        if !labels[label].is_string() {
            problems.push(format!("{at}: label {label} missing"));
        }
    }
    problems.extend(check_lint_exceptions(&at, doc));
    for pod in pod_specs(doc) {
        if pod["enableServiceLinks"] != false {
            problems.push(format!("{at}: enableServiceLinks is not false"));
        }
        if pod["automountServiceAccountToken"] != false {
            problems.push(format!("{at}: automountServiceAccountToken is not false"));
        }
        if pod["securityContext"]["seccompProfile"]["type"] != "RuntimeDefault" {
            problems.push(format!("{at}: pod seccompProfile is not RuntimeDefault"));
        }
        let containers = pod["containers"].as_array().into_iter().flatten();
        let init = pod["initContainers"].as_array().into_iter().flatten();
        for container in containers.chain(init) {
            let cname = container["name"].as_str().unwrap_or("?");
            let image = container["image"].as_str().unwrap_or("");
            let tag = image.rsplit_once(':').map_or("", |(_, t)| t);
            if tag.is_empty() || tag == "latest" || tag.contains('/') {
                problems.push(format!(
                    "{at}: container {cname}: image {image} is not pinned"
                ));
            }
            if container["imagePullPolicy"] != "IfNotPresent" {
                problems.push(format!("{at}: container {cname}: imagePullPolicy"));
            }
            for kind in ["requests", "limits"] {
                for res in ["cpu", "memory"] {
                    if container["resources"][kind][res].is_null() {
                        problems.push(format!("{at}: container {cname}: no {kind}.{res}"));
                    }
                }
            }
            let sc = &container["securityContext"];
            if sc["allowPrivilegeEscalation"] != false
                || sc["readOnlyRootFilesystem"] != true
                || sc["capabilities"]["drop"] != serde_json::json!(["ALL"])
                || !sc["runAsUser"].is_u64()
            {
                problems.push(format!(
                    "{at}: container {cname}: securityContext not hardened"
                ));
            }
            if c.chart != "fluent-bit" && sc["runAsNonRoot"] != true {
                problems.push(format!("{at}: container {cname}: may run as root"));
            }
            for env in container["env"].as_array().into_iter().flatten() {
                let var = env["name"].as_str().unwrap_or("");
                if var.contains("PASSWORD") && !var.ends_with("_FILE") {
                    problems.push(format!("{at}: container {cname}: secret in env {var}"));
                }
            }
        }
    }
    problems
}

/// The rule ids an object declares in `chartroom.dev/lint-ignore: "<id>[,<id>]: <reason>"`.
fn lint_exceptions(doc: &Value) -> Result<Vec<String>, String> {
    let Some(text) = doc["metadata"]["annotations"]["chartroom.dev/lint-ignore"].as_str() else {
        return Ok(Vec::new());
    };
    let (ids, reason) = text
        .split_once(": ")
        .ok_or_else(|| format!("lint-ignore without a reason: {text:?}"))?;
    if reason.trim().len() < 20 {
        return Err(format!("lint-ignore reason too short: {text:?}"));
    }
    let ids: Vec<String> = ids.split(',').map(str::to_string).collect();
    match ids.iter().find(|id| {
        id.is_empty()
            || !id
                .chars()
                .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-')
    }) {
        Some(bad) => Err(format!("lint-ignore rule id {bad:?} is not kebab-case")),
        None => Ok(ids),
    }
}

/// Host paths, root UIDs and writable host mounts appear only where the object declares the
/// matching exception (`host-path`, `run-as-root`, `writable-host-mount`).
fn check_lint_exceptions(at: &str, doc: &Value) -> Vec<String> {
    let ids = match lint_exceptions(doc) {
        Ok(ids) => ids,
        Err(e) => return vec![format!("{at}: {e}")],
    };
    let declared = |id: &str| ids.iter().any(|d| d == id);
    let mut problems = Vec::new();
    for pod in pod_specs(doc) {
        let host_volumes: Vec<&str> = pod["volumes"]
            .as_array()
            .into_iter()
            .flatten()
            .filter(|v| v["hostPath"].is_object())
            .filter_map(|v| v["name"].as_str())
            .collect();
        if !host_volumes.is_empty() && !declared("host-path") {
            problems.push(format!(
                "{at}: hostPath volumes without a host-path exception"
            ));
        }
        let root = |sc: &Value| sc["runAsUser"] == 0 || sc["runAsNonRoot"] == false;
        let mut runs_as_root = root(&pod["securityContext"]);
        let containers = pod["containers"].as_array().into_iter().flatten();
        let init = pod["initContainers"].as_array().into_iter().flatten();
        for container in containers.chain(init) {
            runs_as_root |= root(&container["securityContext"]);
            for mount in container["volumeMounts"].as_array().into_iter().flatten() {
                let volume = mount["name"].as_str().unwrap_or("");
                if host_volumes.contains(&volume)
                    && mount["readOnly"] != true
                    && !declared("writable-host-mount")
                {
                    problems.push(format!(
                        "{at}: writable host mount {volume} without a writable-host-mount exception"
                    ));
                }
            }
        }
        if runs_as_root && !declared("run-as-root") {
            problems.push(format!(
                "{at}: runs as root without a run-as-root exception"
            ));
        }
    }
    problems
}

#[test]
fn charts_render_with_defaults_and_every_toggle_like_their_snapshots() {
    let mut problems = Vec::new();
    for c in CASES {
        let out = render(c);
        if let Some(diff) = snapshot(c, &out) {
            problems.push(diff);
        }
        let docs = match parse_stream(&out, NumberModel::Exact) {
            Ok(docs) => docs,
            Err(e) => {
                problems.push(format!("{}/{}: output is not YAML: {e}", c.chart, c.name));
                continue;
            }
        };
        if docs.is_empty() {
            problems.push(format!("{}/{}: no documents", c.chart, c.name));
        }
        for doc in &docs {
            problems.extend(check_document(c, doc));
        }
    }
    assert!(problems.is_empty(), "{problems:#?}");
}

#[test]
fn output_is_byte_reproducible() {
    for c in CASES.iter().filter(|c| c.name == "everything") {
        assert_eq!(render(c), render(c), "{}", c.chart);
    }
}

#[test]
fn secrets_stay_out_of_the_output_unless_passed_explicitly() {
    for c in CASES {
        let out = render(c);
        let secrets = out.matches("\nkind: Secret\n").count();
        let explicit = c.name.starts_with("explicit-");
        assert_eq!(secrets, usize::from(explicit), "{}/{}", c.chart, c.name);
    }
}

#[test]
fn value_typos_fail_naming_the_key() {
    for chart in ["postgres", "jenkins", "fluent-bit"] {
        for (flag, key) in [("replicaCuont=2", "replicaCuont"), ("image.tagg=1", "tagg")] {
            let out = template(&[&format!("charts/{chart}"), "--set", flag]);
            let stderr = String::from_utf8_lossy(&out.stderr);
            assert!(!out.status.success(), "{chart} --set {flag} rendered");
            assert!(
                out.stdout.is_empty(),
                "{chart} --set {flag} printed manifests"
            );
            assert!(stderr.contains(key), "{chart} --set {flag}: {stderr}");
        }
    }
}

#[test]
fn conflicting_or_missing_values_fail_with_the_reason() {
    let cases: &[(&str, &[&str], &str)] = &[
        (
            "postgres",
            &["--set", "auth.password=a", "--set", "auth.existingSecret=b"],
            "auth.password and auth.existingSecret are both set",
        ),
        (
            "postgres",
            &[
                "--set",
                "auth.password=a",
                "--set",
                "readReplicas.enabled=true",
            ],
            "auth.replicationPassword is required",
        ),
        (
            "jenkins",
            &["--set", "admin.password=a"],
            "admin.username is required",
        ),
        (
            "jenkins",
            &[
                "--set",
                "admin.username=a",
                "--set",
                "admin.password=b",
                "--set",
                "admin.existingSecret=c",
            ],
            "admin.password and admin.existingSecret are both set",
        ),
        (
            "fluent-bit",
            &["--set", "config.service.http_port=1"],
            "http_port",
        ),
    ];
    for (chart, flags, reason) in cases {
        let path = format!("charts/{chart}");
        let mut args = vec![path.as_str()];
        args.extend_from_slice(flags);
        let out = template(&args);
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert!(!out.status.success(), "{chart} {flags:?} rendered");
        assert!(stderr.contains(reason), "{chart} {flags:?}: {stderr}");
        assert!(
            !stderr.contains("from-values"),
            "{chart}: a value's content leaked into the error: {stderr}"
        );
    }
}

#[test]
fn notes_tell_how_to_create_the_secrets() {
    let expectations: &[(&str, &[&str])] = &[
        (
            "postgres",
            &[
                "kubectl create secret generic rel-postgres-auth --namespace default",
                "postgres-password",
            ],
        ),
        (
            "jenkins",
            &[
                "kubectl create secret generic rel-jenkins-admin --namespace default",
                "jenkins-admin-password",
            ],
        ),
        ("fluent-bit", &["config.outputs"]),
    ];
    for (chart, needles) in expectations {
        let out = template(&["rel", &format!("charts/{chart}"), "--notes"]);
        assert!(
            out.status.success(),
            "{chart}: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        let text = String::from_utf8_lossy(&out.stdout);
        for needle in *needles {
            assert!(text.contains(needle), "{chart}: NOTES lack {needle:?}");
        }
    }
}

#[test]
fn every_chart_path_exists() {
    for c in CASES {
        assert!(
            chart_path(c.chart).join("Chart.yaml").is_file(),
            "{}",
            c.chart
        );
    }
}

/// `--strict` rejects undefined values in conditions too: the charts never rely on them.
#[test]
fn charts_render_in_strict_mode_with_notes() {
    for c in CASES
        .iter()
        .filter(|c| c.name == "defaults" || c.name == "everything")
    {
        let chart = format!("charts/{}", c.chart);
        let mut args = vec![c.release, chart.as_str(), "--strict", "--notes"];
        args.extend_from_slice(c.flags);
        let out = template(&args);
        assert!(
            out.status.success(),
            "{}/{}: {}",
            c.chart,
            c.name,
            String::from_utf8_lossy(&out.stderr)
        );
    }
}

/// Every case passes strict offline schema validation for the oldest and the newest shipped
/// Kubernetes versions (`template --validate`). ServiceMonitor (a CRD the charts do not ship)
/// is the only object allowed to go unchecked.
#[test]
fn every_case_passes_strict_schema_validation_on_oldest_and_newest_kubernetes() {
    let mut failures = Vec::new();
    for c in CASES {
        for kube in ["1.25", "1.37"] {
            let mut args = vec![
                c.release,
                chart_path(c.chart).to_str().unwrap().to_string().leak() as &str,
                "-n",
                c.namespace,
                "--validate",
                "--kube-version",
                kube,
            ];
            args.extend_from_slice(c.flags);
            let out = template(&args);
            let err = String::from_utf8_lossy(&out.stderr).into_owned();
            if !out.status.success() || !err.contains(" 0 errors, 0 warnings") {
                failures.push(format!("{}/{} on {kube}:\n{err}", c.chart, c.name));
            }
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

/// An independent check: the Python `kubernetes-validate` tool (PyPI, the source of the
/// embedded schemas) accepts every rendered object of every case, strictly, on 1.37. Runs when
/// the tool is installed (`.ci/run` installs it); says so when skipped.
#[test]
fn kubernetes_validate_accepts_every_case() {
    let available = std::process::Command::new("kubernetes-validate")
        .arg("--version")
        .output()
        .is_ok_and(|o| o.status.success());
    if !available {
        eprintln!(
            "SKIPPED kubernetes_validate_accepts_every_case: kubernetes-validate is not installed (pip install kubernetes-validate==1.37.0)"
        );
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let mut failures = Vec::new();
    for c in CASES {
        let path = dir.path().join(format!("{}-{}.yaml", c.chart, c.name));
        std::fs::write(&path, render(c)).unwrap();
        let out = std::process::Command::new("kubernetes-validate")
            .args(["--strict", "--quiet", "-k", "1.37.0"])
            .arg(&path)
            .output()
            .unwrap();
        let text = String::from_utf8_lossy(&out.stdout).into_owned()
            + &String::from_utf8_lossy(&out.stderr);
        // ServiceMonitor has no schema there (a CRD); that is a warning, not a failure.
        let real: Vec<&str> = text
            .lines()
            .filter(|l| l.contains("ERROR") || l.contains("INVALID") || l.contains("FAIL"))
            .collect();
        if !out.status.success() || !real.is_empty() {
            failures.push(format!("{}/{}:\n{text}", c.chart, c.name));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

/// Failed Checkov checks that the charts accept on purpose, with the reason (also in each
/// chart's README under "Security and policy checks").
const CHECKOV_EXCEPTIONS: &[(&str, &str, &str)] = &[
    (
        "*",
        "CKV_K8S_43",
        "images are pinned by tag; a digest can be set in image.tag as tag@sha256:...",
    ),
    (
        "*",
        "CKV_K8S_15",
        "IfNotPresent with pinned tags avoids a registry round-trip on every start",
    ),
    (
        "*",
        "CKV_K8S_40",
        "the official images run as their own UID (postgres 999, jenkins 1000, fluent-bit root); podSecurityContext can change it",
    ),
    (
        "fluent-bit",
        "CKV_K8S_23",
        "reads root-owned node log files (mode 0640); all capabilities dropped, read-only mounts",
    ),
    (
        "jenkins",
        "CKV2_K8S_5",
        "only with rbac.readSecrets=true, an explicit opt-in (narrow it with rbac.secretNames)",
    ),
];

/// An independent check: Checkov's Kubernetes policies (PyPI `checkov`) on every case. Only the
/// documented exceptions above may fail, and "default namespace" only for cases rendered into
/// `default`. Runs when checkov is installed; says so when skipped.
#[test]
fn checkov_finds_nothing_beyond_documented_exceptions() {
    let available = std::process::Command::new("checkov")
        .arg("--version")
        .output()
        .is_ok_and(|o| o.status.success());
    if !available {
        eprintln!(
            "SKIPPED checkov_finds_nothing_beyond_documented_exceptions: checkov is not installed (pip install checkov)"
        );
        return;
    }
    // Checkov skips hidden directories, and tempfile's default names start with a dot.
    let dir = tempfile::Builder::new()
        .prefix("checkov-")
        .tempdir()
        .unwrap();
    for c in CASES {
        let path = dir.path().join(format!("{}--{}.yaml", c.chart, c.name));
        std::fs::write(&path, render(c)).unwrap();
    }
    let out = std::process::Command::new("checkov")
        .args(["--framework", "kubernetes", "-o", "json", "--quiet", "-d"])
        .arg(dir.path())
        .output()
        .unwrap();
    let report: Value = serde_json::from_slice(&out.stdout).expect("checkov JSON output");
    let failed = report["results"]["failed_checks"]
        .as_array()
        .cloned()
        .unwrap_or_default();
    let mut unexpected = Vec::new();
    for f in &failed {
        let id = f["check_id"].as_str().unwrap_or_default();
        let file = f["file_path"].as_str().unwrap_or_default();
        let chart = file
            .trim_start_matches('/')
            .split("--")
            .next()
            .unwrap_or_default();
        let case = CASES
            .iter()
            .find(|c| file.ends_with(&format!("{}--{}.yaml", c.chart, c.name)));
        let allowed = CHECKOV_EXCEPTIONS
            .iter()
            .any(|(c, i, _)| *i == id && (*c == "*" || *c == chart))
            || (id == "CKV_K8S_21" && case.is_some_and(|c| c.namespace == "default"));
        if !allowed {
            unexpected.push(format!(
                "{id} {} in {file}: {}",
                f["resource"], f["check_name"]
            ));
        }
    }
    assert!(
        report["summary"]["passed"].as_u64().unwrap_or(0) > 100,
        "checkov ran no checks: {} {}",
        report["summary"],
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(
        unexpected.is_empty(),
        "undocumented Checkov failures:\n{}",
        unexpected.join("\n")
    );
}
