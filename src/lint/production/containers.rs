//! Rules on each container of a pod template: resources, probes, security context, image tag,
//! duplicate env names and ports.

use super::super::locate::Seg;
use super::super::object::{Container, Object, PodTemplate, containers, pod_template};
use super::{Issue, Level, issue};
use crate::Value;

/// Capabilities that give near-root power over the node when added.
const DANGEROUS_CAPS: &[&str] = &[
    "ALL",
    "SYS_ADMIN",
    "NET_ADMIN",
    "SYS_PTRACE",
    "SYS_MODULE",
    "SYS_RAWIO",
    "SYS_BOOT",
    "SYS_TIME",
    "BPF",
    "PERFMON",
    "DAC_READ_SEARCH",
    "MAC_ADMIN",
    "MAC_OVERRIDE",
];

fn cap_name(v: &Value) -> Option<String> {
    let s = v.as_str()?.trim().to_ascii_uppercase();
    Some(s.strip_prefix("CAP_").map(str::to_string).unwrap_or(s))
}

fn at(c: &Container, pod: &PodTemplate, tail: &[&str]) -> Vec<Seg> {
    let mut p = c.path(&pod.path);
    p.extend(tail.iter().map(|k| Seg::Key((*k).to_string())));
    p
}

/// The image's tag, `None` when pinned by digest; `Some("")` when there is no tag.
fn image_tag(image: &str) -> Option<&str> {
    if image.contains('@') {
        return None;
    }
    let last = image.rsplit('/').next().unwrap_or(image);
    Some(last.split_once(':').map_or("", |(_, t)| t))
}

pub fn check(i: usize, obj: &Object, _all: &[Object], out: &mut Vec<Issue>) {
    let Some(pod) = pod_template(obj.value(), obj.kind()) else {
        return;
    };
    let pod_sc = pod.spec.get("securityContext");
    for c in containers(pod.spec) {
        let who = if c.name.is_empty() {
            format!("{} {}", c.list, c.index)
        } else {
            format!("container {:?}", c.name)
        };
        let level = || Level::Container(c.name.to_string());

        // Resources.
        let missing = |kind: &str| -> Vec<&str> {
            ["cpu", "memory"]
                .into_iter()
                .filter(|r| {
                    c.get(&format!("resources.{kind}.{r}"))
                        .is_none_or(Value::is_null)
                })
                .collect()
        };
        let requests = missing("requests");
        let limits = missing("limits");
        // Kubernetes defaults missing requests to the limits.
        let requests: Vec<&str> = requests
            .into_iter()
            .filter(|r| {
                c.get(&format!("resources.limits.{r}"))
                    .is_none_or(Value::is_null)
            })
            .collect();
        if !requests.is_empty() {
            out.push(
                issue(
                    "no-resource-requests",
                    i,
                    at(&c, &pod, &["resources", "requests"]),
                    format!("{who} has no {} request", requests.join(" or ")),
                )
                .hint(
                    level(),
                    &["resources", "requests"],
                    "{cpu: 100m, memory: 128Mi}",
                ),
            );
        }
        // A memory limit protects the node's other pods; a CPU limit only throttles, which
        // many operators avoid on purpose, so it has its own opt-in rule.
        if limits.contains(&"memory") {
            out.push(
                issue(
                    "no-resource-limits",
                    i,
                    at(&c, &pod, &["resources", "limits"]),
                    format!("{who} has no memory limit"),
                )
                .hint(level(), &["resources", "limits", "memory"], "256Mi"),
            );
        }
        if limits.contains(&"cpu") {
            out.push(
                issue(
                    "no-cpu-limit",
                    i,
                    at(&c, &pod, &["resources", "limits"]),
                    format!("{who} has no cpu limit"),
                )
                .hint(level(), &["resources", "limits", "cpu"], "500m"),
            );
        }

        // Probes: containers of long-running workloads (sidecars included).
        if pod.long_running && c.long_running {
            if c.get("livenessProbe").is_none_or(Value::is_null) {
                out.push(
                    issue(
                        "no-liveness-probe",
                        i,
                        at(&c, &pod, &["livenessProbe"]),
                        format!("{who} has no liveness probe"),
                    )
                    .hint(
                        level(),
                        &["livenessProbe"],
                        "{httpGet: {path: /healthz, port: http}}",
                    ),
                );
            }
            let serves = c
                .get("ports")
                .and_then(Value::as_array)
                .is_some_and(|p| !p.is_empty());
            if serves && c.get("readinessProbe").is_none_or(Value::is_null) {
                out.push(
                    issue(
                        "no-readiness-probe",
                        i,
                        at(&c, &pod, &["readinessProbe"]),
                        format!("{who} serves ports but has no readiness probe"),
                    )
                    .hint(
                        level(),
                        &["readinessProbe"],
                        "{httpGet: {path: /ready, port: http}}",
                    ),
                );
            }
        }

        // Security context (the container's overrides the pod's for user settings).
        let sc = c.get("securityContext");
        let field = |name: &str| {
            sc.and_then(|s| s.get(name))
                .filter(|v| !v.is_null())
                .or_else(|| pod_sc.and_then(|s| s.get(name)).filter(|v| !v.is_null()))
        };
        let own = |name: &str| sc.and_then(|s| s.get(name)).filter(|v| !v.is_null());
        let uid = field("runAsUser").and_then(Value::as_i64);
        let non_root = field("runAsNonRoot").and_then(Value::as_bool);
        let root = match uid {
            Some(0) => Some("runs as UID 0 (runAsUser: 0)"),
            Some(_) => None,
            None if non_root == Some(true) => None,
            None if non_root == Some(false) => Some("may run as root (runAsNonRoot: false)"),
            None => Some("may run as root: neither runAsNonRoot nor a non-zero runAsUser is set"),
        };
        if let Some(why) = root {
            out.push(
                issue(
                    "run-as-root",
                    i,
                    at(&c, &pod, &["securityContext", "runAsNonRoot"]),
                    format!("{who} {why}"),
                )
                .hint(level(), &["securityContext", "runAsNonRoot"], "true"),
            );
        }
        if own("readOnlyRootFilesystem").and_then(Value::as_bool) != Some(true) {
            out.push(
                issue(
                    "no-read-only-root-fs",
                    i,
                    at(&c, &pod, &["securityContext", "readOnlyRootFilesystem"]),
                    format!("{who} has a writable root filesystem"),
                )
                .hint(
                    level(),
                    &["securityContext", "readOnlyRootFilesystem"],
                    "true",
                ),
            );
        }
        let privileged = own("privileged").and_then(Value::as_bool) == Some(true);
        if privileged {
            out.push(
                issue(
                    "privileged-container",
                    i,
                    at(&c, &pod, &["securityContext", "privileged"]),
                    format!("{who} is privileged"),
                )
                .hint(level(), &["securityContext", "privileged"], "false"),
            );
        }
        if !privileged && own("allowPrivilegeEscalation").and_then(Value::as_bool) != Some(false) {
            out.push(
                issue(
                    "privilege-escalation",
                    i,
                    at(&c, &pod, &["securityContext", "allowPrivilegeEscalation"]),
                    format!("{who} does not set allowPrivilegeEscalation: false"),
                )
                .hint(
                    level(),
                    &["securityContext", "allowPrivilegeEscalation"],
                    "false",
                ),
            );
        }
        let caps = |list: &str| -> Vec<String> {
            own("capabilities")
                .and_then(|c| c.get(list))
                .and_then(Value::as_array)
                .into_iter()
                .flatten()
                .filter_map(cap_name)
                .collect()
        };
        let added: Vec<String> = caps("add")
            .into_iter()
            .filter(|c| DANGEROUS_CAPS.contains(&c.as_str()))
            .collect();
        if !added.is_empty() {
            out.push(
                issue(
                    "dangerous-capabilities",
                    i,
                    at(&c, &pod, &["securityContext", "capabilities", "add"]),
                    format!("{who} adds capabilities {}", added.join(", ")),
                )
                .hint(level(), &["securityContext", "capabilities", "add"], "[]"),
            );
        }
        let dropped = caps("drop");
        if !privileged && !dropped.iter().any(|c| c == "ALL" || c == "NET_RAW") {
            out.push(
                issue(
                    "net-raw-not-dropped",
                    i,
                    at(&c, &pod, &["securityContext", "capabilities", "drop"]),
                    format!(
                        "{who} keeps NET_RAW (capabilities.drop lists neither ALL nor NET_RAW)"
                    ),
                )
                .hint(
                    level(),
                    &["securityContext", "capabilities", "drop"],
                    "[ALL]",
                ),
            );
        }

        // Image.
        if let Some(image) = c.get("image").and_then(Value::as_str)
            && !image.trim().is_empty()
            && let Some(tag) = image_tag(image.trim())
            && (tag.is_empty() || tag == "latest")
        {
            let what = if tag.is_empty() {
                "has no tag"
            } else {
                "is tagged latest"
            };
            out.push(
                issue(
                    "latest-tag",
                    i,
                    at(&c, &pod, &["image"]),
                    format!("{who}: image {image:?} {what}"),
                )
                .hint(level(), &["image", "tag"], "1.2.3"),
            );
        }

        // Duplicates that server-side apply rejects.
        let mut seen: Vec<&str> = Vec::new();
        for (n, env) in c
            .get("env")
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
            .enumerate()
        {
            let Some(name) = env.get("name").and_then(Value::as_str) else {
                continue;
            };
            if seen.contains(&name) {
                let mut p = c.path(&pod.path);
                p.push(Seg::Key("env".into()));
                p.push(Seg::Index(n));
                out.push(issue(
                    "duplicate-env-var",
                    i,
                    p,
                    format!("{who} sets environment variable {name:?} more than once"),
                ));
            } else {
                seen.push(name);
            }
        }
        let mut ports: Vec<(i64, String)> = Vec::new();
        for (n, port) in c
            .get("ports")
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
            .enumerate()
        {
            let Some(number) = port.get("containerPort").and_then(Value::as_i64) else {
                continue;
            };
            let proto = port
                .get("protocol")
                .and_then(Value::as_str)
                .unwrap_or("TCP")
                .to_string();
            let key = (number, proto);
            if ports.contains(&key) {
                let mut p = c.path(&pod.path);
                p.push(Seg::Key("ports".into()));
                p.push(Seg::Index(n));
                out.push(issue(
                    "duplicate-container-port",
                    i,
                    p,
                    format!(
                        "{who} lists containerPort {}/{} more than once",
                        key.0, key.1
                    ),
                ));
            } else {
                ports.push(key);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::super::testutil::{good, rules};
    use super::*;

    fn fires(container: &str, pod: &str) -> Vec<&'static str> {
        rules(&good(container, pod, ""))
    }

    #[test]
    fn the_hardened_deployment_is_clean() {
        assert_eq!(fires("", ""), Vec::<&str>::new());
    }

    /// Each rule: a patch that fires it (and nothing else).
    #[test]
    fn each_container_rule_fires() {
        let pod_root = "\n        runAsUser: 0";
        let cases: &[(&str, &str, &[&str])] = &[
            (
                "\n          resources: {limits: {cpu: 1}}",
                "",
                &["no-resource-requests", "no-resource-limits"],
            ),
            (
                "\n          resources: {requests: {cpu: 1, memory: 1Gi}, limits: {memory: 1Gi}}",
                "",
                &[],
            ),
            (
                "\n          resources: {requests: {cpu: 1, memory: 1Gi}}",
                "",
                &["no-resource-limits"],
            ),
            (
                "\n          livenessProbe: null",
                "",
                &["no-liveness-probe"],
            ),
            (
                "\n          readinessProbe: null",
                "",
                &["no-readiness-probe"],
            ),
            ("", pod_root, &["run-as-root"]),
            (
                "\n          securityContext: {allowPrivilegeEscalation: false, capabilities: {drop: [ALL]}}",
                "",
                &["no-read-only-root-fs"],
            ),
            (
                "\n          securityContext: {readOnlyRootFilesystem: true, capabilities: {drop: [ALL]}}",
                "",
                &["privilege-escalation"],
            ),
            (
                "\n          securityContext: {privileged: true, readOnlyRootFilesystem: true, capabilities: {drop: [ALL]}}",
                "",
                &["privileged-container"],
            ),
            (
                "\n          securityContext: {allowPrivilegeEscalation: false, readOnlyRootFilesystem: true, capabilities: {drop: [ALL], add: [cap_sys_admin, CHOWN]}}",
                "",
                &["dangerous-capabilities"],
            ),
            (
                "\n          securityContext: {allowPrivilegeEscalation: false, readOnlyRootFilesystem: true, capabilities: {drop: [MKNOD]}}",
                "",
                &["net-raw-not-dropped"],
            ),
            ("\n          image: nginx", "", &["latest-tag"]),
            (
                "\n          image: registry:5000/nginx:latest",
                "",
                &["latest-tag"],
            ),
            (
                "\n          env: [{name: A, value: x}, {name: B}, {name: A, value: y}]",
                "",
                &["duplicate-env-var"],
            ),
            (
                "\n          ports: [{containerPort: 80}, {containerPort: 80, protocol: UDP}, {containerPort: 80, protocol: TCP}]",
                "",
                &["duplicate-container-port"],
            ),
        ];
        for (container, pod, expected) in cases {
            assert_eq!(&fires(container, pod), expected, "{container}{pod}");
        }
    }

    #[test]
    fn rules_that_must_not_fire() {
        // Digests and registry ports are pinned; a container-level non-root UID wins.
        for c in [
            "\n          image: nginx@sha256:abcd",
            "\n          image: registry:5000/nginx:1.2",
            "\n          resources: {limits: {cpu: 1, memory: 1Gi}}",
        ] {
            assert_eq!(fires(c, ""), Vec::<&str>::new(), "{c}");
        }
        // Jobs need no probes; init containers neither.
        let job = "apiVersion: batch/v1\nkind: Job\nmetadata: {name: j}\nspec:\n  ttlSecondsAfterFinished: 60\n  template:\n    spec:\n      automountServiceAccountToken: false\n      securityContext: {runAsNonRoot: true}\n      containers:\n        - name: j\n          image: busybox:1.36\n          resources: {requests: {cpu: 1m, memory: 1Mi}, limits: {cpu: 1m, memory: 1Mi}}\n          securityContext: {allowPrivilegeEscalation: false, readOnlyRootFilesystem: true, capabilities: {drop: [ALL]}}\n";
        assert_eq!(rules(job), Vec::<&str>::new());
        let init = good(
            "",
            "\n      initContainers:\n        - name: init\n          image: busybox:1.36\n          resources: {requests: {cpu: 1m, memory: 1Mi}, limits: {cpu: 1m, memory: 1Mi}}\n          securityContext: {allowPrivilegeEscalation: false, readOnlyRootFilesystem: true, capabilities: {drop: [ALL]}}",
            "",
        );
        assert_eq!(rules(&init), Vec::<&str>::new());
        // A test hook is never checked.
        let test_pod = "apiVersion: v1\nkind: Pod\nmetadata:\n  name: t\n  annotations: {helm.sh/hook: test}\nspec:\n  containers: [{name: t, image: busybox}]\n";
        assert_eq!(rules(test_pod), Vec::<&str>::new());
    }

    #[test]
    fn image_tags() {
        assert_eq!(image_tag("nginx"), Some(""));
        assert_eq!(image_tag("nginx:1"), Some("1"));
        assert_eq!(image_tag("r:5000/a/b"), Some(""));
        assert_eq!(image_tag("r:5000/a/b:2"), Some("2"));
        assert_eq!(image_tag("a@sha256:x"), None);
    }
}
