//! Rules on a pod spec as a whole: host namespaces, hostPath volumes (writable, sensitive,
//! runtime sockets) and the automatic service-account token.

use super::super::locate::Seg;
use super::super::object::{Object, containers, pod_template, same_namespace};
use super::{Issue, Level, issue};
use crate::Value;

/// Host directories whose exposure hands over the node (compared without trailing `/`).
const SENSITIVE: &[&str] = &[
    "/",
    "/boot",
    "/dev",
    "/etc",
    "/lib",
    "/proc",
    "/sys",
    "/usr",
    "/bin",
    "/sbin",
    "/root",
    "/var/run",
    "/run",
    "/var/lib/kubelet",
    "/var/lib/docker",
    "/var/lib/containerd",
    "/etc/kubernetes",
];

const RUNTIME_SOCKETS: &[&str] = &[
    "docker.sock",
    "containerd.sock",
    "crio.sock",
    "cri-dockerd.sock",
];

fn normalize(path: &str) -> String {
    let trimmed = path.trim().trim_end_matches('/');
    if trimmed.is_empty() {
        "/".to_string()
    } else {
        trimmed.to_string()
    }
}

pub fn check(i: usize, obj: &Object, all: &[Object], out: &mut Vec<Issue>) {
    let Some(pod) = pod_template(obj.value(), obj.kind()) else {
        return;
    };
    let spec = pod.spec;
    let at = |tail: &[Seg]| {
        let mut p = pod.path.clone();
        p.extend_from_slice(tail);
        p
    };
    let key = |k: &str| Seg::Key(k.to_string());

    for (field, rule, what) in [
        (
            "hostNetwork",
            "host-network",
            "uses the node's network namespace",
        ),
        ("hostPID", "host-pid", "uses the node's process namespace"),
        ("hostIPC", "host-ipc", "uses the node's IPC namespace"),
    ] {
        if spec.get(field).and_then(Value::as_bool) == Some(true) {
            out.push(
                issue(
                    rule,
                    i,
                    at(&[key(field)]),
                    format!("the pod {what} ({field}: true)"),
                )
                .hint(Level::Pod, &[field], "false"),
            );
        }
    }

    let mut host_volumes: Vec<(&str, String)> = Vec::new();
    for (n, vol) in spec
        .get("volumes")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
        .enumerate()
    {
        let Some(path) = vol
            .get("hostPath")
            .and_then(|h| h.get("path"))
            .and_then(Value::as_str)
        else {
            continue;
        };
        let name = vol.get("name").and_then(Value::as_str).unwrap_or("");
        let vpath = at(&[key("volumes"), Seg::Index(n), key("hostPath")]);
        let norm = normalize(path);
        out.push(issue(
            "host-path",
            i,
            vpath.clone(),
            format!("volume {name:?} mounts the node's {path}"),
        ));
        if RUNTIME_SOCKETS
            .iter()
            .any(|s| norm.rsplit('/').next() == Some(s))
        {
            out.push(issue(
                "docker-sock",
                i,
                vpath.clone(),
                format!("volume {name:?} mounts the container runtime socket {path}"),
            ));
        } else if SENSITIVE.contains(&norm.as_str()) {
            out.push(issue(
                "sensitive-host-mount",
                i,
                vpath,
                format!("volume {name:?} mounts the node's system directory {path}"),
            ));
        }
        host_volumes.push((name, path.to_string()));
    }
    for c in containers(spec) {
        for (m, mount) in c
            .get("volumeMounts")
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
            .enumerate()
        {
            let name = mount.get("name").and_then(Value::as_str).unwrap_or("");
            let Some((_, host)) = host_volumes.iter().find(|(v, _)| *v == name) else {
                continue;
            };
            if mount.get("readOnly").and_then(Value::as_bool) != Some(true) {
                let mut p = c.path(&pod.path);
                p.push(key("volumeMounts"));
                p.push(Seg::Index(m));
                out.push(issue(
                    "writable-host-mount",
                    i,
                    p,
                    format!(
                        "container {:?} mounts the node's {host} (volume {name:?}) writable",
                        c.name
                    ),
                ));
            }
        }
    }

    // The API token: off on the pod, or on its ServiceAccount when the release renders it.
    if spec
        .get("automountServiceAccountToken")
        .and_then(Value::as_bool)
        != Some(false)
    {
        let sa_name = spec
            .get("serviceAccountName")
            .or_else(|| spec.get("serviceAccount"))
            .and_then(Value::as_str)
            .filter(|s| !s.is_empty())
            .unwrap_or("default");
        let sa_off = all.iter().any(|o| {
            o.kind() == "ServiceAccount"
                && o.doc.name == sa_name
                && same_namespace(o, obj)
                && o.value()
                    .get("automountServiceAccountToken")
                    .and_then(Value::as_bool)
                    == Some(false)
        });
        let explicit = spec
            .get("automountServiceAccountToken")
            .and_then(Value::as_bool)
            == Some(true);
        if !sa_off || explicit {
            out.push(
                issue(
                    "service-account-token-automount",
                    i,
                    at(&[key("automountServiceAccountToken")]),
                    format!(
                        "the pod gets service account {sa_name:?}'s API token mounted automatically"
                    ),
                )
                .hint(Level::Pod, &["automountServiceAccountToken"], "false"),
            );
        }
    }
}

#[cfg(test)]
mod tests {
    use super::super::testutil::{good, rules};

    #[test]
    fn each_pod_rule_fires() {
        let cases: &[(&str, &str, &[&str])] = &[
            ("", "\n      hostNetwork: true", &["host-network"]),
            (
                "",
                "\n      hostPID: true\n      hostIPC: true",
                &["host-pid", "host-ipc"],
            ),
            (
                "\n          volumeMounts: [{name: logs, mountPath: /l, readOnly: true}]",
                "\n      volumes: [{name: logs, hostPath: {path: /var/log}}]",
                &["host-path"],
            ),
            (
                "\n          volumeMounts: [{name: logs, mountPath: /l}]",
                "\n      volumes: [{name: logs, hostPath: {path: /var/log}}]",
                &["host-path", "writable-host-mount"],
            ),
            (
                "\n          volumeMounts: [{name: s, mountPath: /s, readOnly: true}]",
                "\n      volumes: [{name: s, hostPath: {path: /var/run/docker.sock}}]",
                &["host-path", "docker-sock"],
            ),
            (
                "\n          volumeMounts: [{name: e, mountPath: /e, readOnly: true}]",
                "\n      volumes: [{name: e, hostPath: {path: /etc/}}]",
                &["host-path", "sensitive-host-mount"],
            ),
            (
                "",
                "\n      automountServiceAccountToken: true",
                &["service-account-token-automount"],
            ),
            (
                "",
                "\n      automountServiceAccountToken: null",
                &["service-account-token-automount"],
            ),
        ];
        for (container, pod, expected) in cases {
            assert_eq!(&rules(&good(container, pod, "")), expected, "{pod}");
        }
        // Other volumes are fine.
        let empty_dir = good(
            "\n          volumeMounts: [{name: t, mountPath: /tmp}]",
            "\n      volumes: [{name: t, emptyDir: {}}]",
            "",
        );
        assert_eq!(rules(&empty_dir), Vec::<&str>::new());
    }

    #[test]
    fn token_off_on_the_service_account_counts() {
        let pod = "\n      automountServiceAccountToken: null\n      serviceAccountName: app";
        let sa = |automount: &str| {
            format!(
                "apiVersion: v1\nkind: ServiceAccount\nmetadata: {{name: app}}\nautomountServiceAccountToken: {automount}\n---\n{}",
                good("", pod, "")
            )
        };
        assert_eq!(rules(&sa("false")), Vec::<&str>::new());
        assert_eq!(rules(&sa("true")), vec!["service-account-token-automount"]);
    }
}
