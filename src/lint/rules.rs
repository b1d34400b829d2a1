//! The catalogue of lint rules: id, default severity, whether it runs by default, a one-line
//! rationale and the generic fix. The checks themselves live in the other files of `lint/`;
//! the README's rule table and SARIF's rule list are made from this table. Schema findings
//! keep the ids of [`crate::validate::RULES`].

use super::finding::Severity;

/// Where a rule comes from (for the README table and SARIF tags).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Group {
    /// Helm's `helm lint` rules.
    Helm,
    /// Production readiness (kube-linter, Polaris, kube-score, Checkov).
    Production,
    /// chartroom's own: unused values, lint configuration.
    Chartroom,
}

/// One rule.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Rule {
    pub id: &'static str,
    pub severity: Severity,
    /// Runs unless disabled; `false` rules run only when enabled (`--enable`, `enable:`).
    pub default_on: bool,
    pub group: Group,
    /// What the rule checks and why it matters, one line.
    pub rationale: &'static str,
    /// What to do, generically (findings name the values key when one is found).
    pub fix: &'static str,
}

const fn rule(
    id: &'static str,
    severity: Severity,
    group: Group,
    rationale: &'static str,
    fix: &'static str,
) -> Rule {
    Rule {
        id,
        severity,
        default_on: true,
        group,
        rationale,
        fix,
    }
}

const fn opt_in(r: Rule) -> Rule {
    Rule {
        default_on: false,
        ..r
    }
}

use Group::{Chartroom, Helm, Production};
use Severity::{Error, Info, Warning};

/// Every lint rule, in report order of their groups.
pub const RULES: &[Rule] = &[
    // Helm's rules (pkg/chart/v2/lint/rules).
    rule(
        "chart-yaml",
        Error,
        Helm,
        "Chart.yaml must exist, parse, and carry a valid name, apiVersion, version, maintainers and URLs.",
        "Fix the field the message names in Chart.yaml.",
    ),
    rule(
        "chart-yaml-strict",
        Warning,
        Helm,
        "Chart.yaml has a field Helm does not know (often a misspelt one, which Helm then ignores).",
        "Remove or correct the field.",
    ),
    rule(
        "chart-version-semver2",
        Warning,
        Helm,
        "The chart version is not strict SemVer 2 (three numbers, no `v`); repositories and OCI tags expect it.",
        "Write the version as MAJOR.MINOR.PATCH, like 1.2.0.",
    ),
    rule(
        "chart-icon",
        Info,
        Helm,
        "Chart.yaml has no icon; chart repositories and UIs show one.",
        "Add `icon:` with an https URL.",
    ),
    rule(
        "values-yaml",
        Error,
        Helm,
        "values.yaml must parse as a YAML map (INFO when the chart has none).",
        "Fix the YAML syntax at the line given.",
    ),
    rule(
        "values-schema",
        Error,
        Helm,
        "The values (defaults plus -f/--set) must satisfy values.schema.json.",
        "Set the value the schema asks for, or fix the schema.",
    ),
    rule(
        "templates-dir",
        Warning,
        Helm,
        "A chart has a templates/ directory (ERROR when templates/ is a file or the chart cannot load).",
        "Create templates/ or fix the load error.",
    ),
    rule(
        "template-render",
        Error,
        Helm,
        "Every template renders without error with the chart's values.",
        "Fix the template or value at the file and line given.",
    ),
    rule(
        "template-required",
        Warning,
        Helm,
        "A `required`/`fail` call stops rendering: a value must be supplied (ERROR when the values given on the command line still fail).",
        "Pass the value the message names with --set or -f, or give it a default.",
    ),
    rule(
        "template-extension",
        Error,
        Helm,
        "Files under templates/ end in .yaml, .yml, .tpl or .txt.",
        "Rename the file, or move it out of templates/.",
    ),
    rule(
        "template-indent",
        Warning,
        Helm,
        "A rendered file starts with indented text, which YAML may read differently than intended.",
        "Trim the whitespace before the first line (`{{-` / `{%-`).",
    ),
    rule(
        "template-yaml",
        Error,
        Helm,
        "Each rendered document parses as YAML.",
        "Fix the template output at the line given (often indentation: use nindent).",
    ),
    rule(
        "object-name",
        Warning,
        Helm,
        "metadata.name follows Kubernetes naming (DNS-1123 subdomain; DNS-1035 label for Services; path segment for RBAC).",
        "Use lowercase letters, digits and '-' (at most 63 characters for labels, 253 for subdomains).",
    ),
    rule(
        "deprecated-api",
        Warning,
        Helm,
        "The apiVersion is deprecated at the target Kubernetes version and will be removed.",
        "Use the replacement apiVersion the message names (gate on capabilities if older clusters matter).",
    ),
    rule(
        "removed-api",
        Error,
        Helm,
        "The apiVersion no longer exists at the target Kubernetes version (--kube-version): apply fails.",
        "Use the replacement apiVersion the message names.",
    ),
    rule(
        "missing-selector",
        Error,
        Helm,
        "Deployments, ReplicaSets, DaemonSets and StatefulSets need spec.selector with matchLabels or matchExpressions.",
        "Add spec.selector.matchLabels matching the pod template's labels.",
    ),
    rule(
        "list-resource-policy",
        Error,
        Helm,
        "helm.sh/resource-policy inside a List's items is ignored.",
        "Put the object in its own document instead of a List.",
    ),
    rule(
        "dependencies",
        Error,
        Helm,
        "Subcharts in charts/ and Chart.yaml dependencies agree (WARNING for declared but missing ones); names and aliases are unique.",
        "Declare the subchart in Chart.yaml, or run `chartroom dependency build`.",
    ),
    rule(
        "crds",
        Error,
        Helm,
        "Files under crds/ hold only apiextensions.k8s.io CustomResourceDefinitions.",
        "Move other objects to templates/.",
    ),
    // Production readiness.
    rule(
        "no-resource-requests",
        Warning,
        Production,
        "A container without CPU and memory requests is scheduled blindly and is first to be evicted.",
        "Set resources.requests.cpu and resources.requests.memory.",
    ),
    rule(
        "no-resource-limits",
        Warning,
        Production,
        "A container without a memory limit can push the node's other pods out of memory.",
        "Set resources.limits.memory.",
    ),
    opt_in(rule(
        "no-cpu-limit",
        Warning,
        Production,
        "A container without a CPU limit may use every idle core (off by default: CPU limits throttle, and many operators leave them out on purpose).",
        "Set resources.limits.cpu.",
    )),
    rule(
        "no-liveness-probe",
        Warning,
        Production,
        "Without a liveness probe a hung container is never restarted.",
        "Add livenessProbe to the container.",
    ),
    rule(
        "no-readiness-probe",
        Warning,
        Production,
        "Without a readiness probe traffic reaches the container before it is ready and rollouts do not wait.",
        "Add readinessProbe to the container.",
    ),
    rule(
        "run-as-root",
        Warning,
        Production,
        "The container may run as UID 0: a container escape starts as root on the node.",
        "Set securityContext.runAsNonRoot: true and a non-zero runAsUser.",
    ),
    rule(
        "no-read-only-root-fs",
        Warning,
        Production,
        "A writable root filesystem lets an attacker change binaries and configuration.",
        "Set securityContext.readOnlyRootFilesystem: true and mount emptyDir volumes where the app writes.",
    ),
    rule(
        "privilege-escalation",
        Warning,
        Production,
        "allowPrivilegeEscalation is not false: setuid binaries can gain more privileges than the process has.",
        "Set securityContext.allowPrivilegeEscalation: false.",
    ),
    rule(
        "privileged-container",
        Warning,
        Production,
        "A privileged container has every capability and the host's devices: it is root on the node.",
        "Remove securityContext.privileged, add only the capabilities needed.",
    ),
    rule(
        "dangerous-capabilities",
        Warning,
        Production,
        "Capabilities like SYS_ADMIN, NET_ADMIN, SYS_PTRACE, SYS_MODULE, BPF or ALL give near-root power over the node.",
        "Remove the capability from securityContext.capabilities.add.",
    ),
    rule(
        "net-raw-not-dropped",
        Warning,
        Production,
        "NET_RAW (kept by default) allows ARP and DNS spoofing on the pod network.",
        "Set securityContext.capabilities.drop: [ALL] (or at least NET_RAW).",
    ),
    rule(
        "host-network",
        Warning,
        Production,
        "hostNetwork gives the pod the node's network stack, bypassing NetworkPolicies.",
        "Remove hostNetwork: true.",
    ),
    rule(
        "host-pid",
        Warning,
        Production,
        "hostPID shows and signals every process of the node.",
        "Remove hostPID: true.",
    ),
    rule(
        "host-ipc",
        Warning,
        Production,
        "hostIPC shares the node's IPC namespace with the pod.",
        "Remove hostIPC: true.",
    ),
    rule(
        "host-path",
        Warning,
        Production,
        "A hostPath volume exposes the node's filesystem to the pod.",
        "Use a persistentVolumeClaim, configMap, secret or emptyDir volume instead.",
    ),
    rule(
        "writable-host-mount",
        Warning,
        Production,
        "A hostPath volume mounted writable lets the pod change the node's files.",
        "Set readOnly: true on the volumeMount.",
    ),
    rule(
        "sensitive-host-mount",
        Warning,
        Production,
        "A hostPath volume of a system directory (/, /etc, /proc, /sys, /dev, /boot, /var/lib/kubelet...) exposes the node's secrets and control.",
        "Mount a narrower, non-system directory, read-only.",
    ),
    rule(
        "docker-sock",
        Warning,
        Production,
        "Mounting the container runtime socket gives full control over the node.",
        "Remove the volume of the runtime socket.",
    ),
    rule(
        "latest-tag",
        Warning,
        Production,
        "An image without a tag, or tagged `latest`, changes under you: rollouts and rollbacks are not reproducible.",
        "Pin the image to a version tag or a digest.",
    ),
    rule(
        "service-account-token-automount",
        Warning,
        Production,
        "The pod gets an API token mounted automatically; a compromised container can call the Kubernetes API with it.",
        "Set automountServiceAccountToken: false on the pod (or its ServiceAccount), and mount a projected token only where the API is used.",
    ),
    rule(
        "wildcard-in-rules",
        Warning,
        Production,
        "An RBAC rule with `*` grants every present and future verb, resource or API group.",
        "List the verbs, resources and apiGroups needed.",
    ),
    rule(
        "cluster-admin-role-binding",
        Warning,
        Production,
        "Binding cluster-admin gives unrestricted control of the cluster.",
        "Bind a Role or ClusterRole with only the permissions needed.",
    ),
    rule(
        "access-to-secrets",
        Warning,
        Production,
        "The role reads Secrets (get/list/watch): every credential in its scope.",
        "Limit the rule with resourceNames, or mount the Secrets the app needs.",
    ),
    rule(
        "access-to-create-pods",
        Warning,
        Production,
        "The role creates pods (or workloads): it can run any image with any service account of the namespace.",
        "Remove create on pods and workload resources, or narrow the role's namespace.",
    ),
    rule(
        "pod-exec",
        Warning,
        Production,
        "The role can exec or attach into pods: a shell in every container of its scope.",
        "Remove pods/exec and pods/attach from the role.",
    ),
    rule(
        "no-pod-disruption-budget",
        Warning,
        Production,
        "A workload with more than one replica and no PodDisruptionBudget can lose every replica at once during node drains.",
        "Add a PodDisruptionBudget selecting the workload's pods.",
    ),
    rule(
        "dangling-service",
        Warning,
        Production,
        "The Service's selector matches no pod template of the release: it has no endpoints.",
        "Make spec.selector match the workload's pod labels.",
    ),
    rule(
        "duplicate-env-var",
        Error,
        Production,
        "A container lists the same environment variable twice: the last wins silently, and server-side apply rejects the object.",
        "Remove the duplicate env entry.",
    ),
    rule(
        "duplicate-container-port",
        Error,
        Production,
        "A container lists the same containerPort and protocol twice; server-side apply rejects the object.",
        "Remove the duplicate port entry.",
    ),
    rule(
        "job-ttl-seconds-after-finished",
        Warning,
        Production,
        "A standalone Job without ttlSecondsAfterFinished stays in the cluster, with its pods, forever.",
        "Set spec.ttlSecondsAfterFinished (or make it a hook with a delete policy).",
    ),
    rule(
        "network-policy-coverage",
        Warning,
        Production,
        "The release ships NetworkPolicies, but this workload's listening pods are selected by none of them.",
        "Extend a NetworkPolicy's podSelector to the workload's pods.",
    ),
    opt_in(rule(
        "no-network-policy",
        Warning,
        Production,
        "No NetworkPolicy of the release selects the workload's listening pods: anything in the cluster can connect (off by default).",
        "Enable the chart's NetworkPolicy, or add one selecting the pods.",
    )),
    // chartroom's own.
    rule(
        "unused-value",
        Warning,
        Chartroom,
        "A value given with -f/--set is read by no template: usually a typo, which Helm ignores silently.",
        "Correct the key (the finding suggests the closest key the chart knows) or remove it.",
    ),
    rule(
        "lint-ignore",
        Warning,
        Chartroom,
        "A chartroom.dev/lint-ignore annotation or .chartroom-lint.yaml is malformed, lacks a reason, or names an unknown rule.",
        "Write `chartroom.dev/lint-ignore: \"<id>[,<id>]: <reason>\"` with known rule ids.",
    ),
];

/// The rule with this id, if it is a lint rule.
pub fn find(id: &str) -> Option<&'static Rule> {
    RULES.iter().find(|r| r.id == id)
}

/// Whether `id` names a lint rule or a schema-validation rule.
pub fn is_known(id: &str) -> bool {
    find(id).is_some() || crate::validate::RULES.iter().any(|(r, _)| *r == id)
}

/// The rationale of a lint or schema rule, for SARIF.
pub fn description(id: &str) -> Option<&'static str> {
    find(id).map(|r| r.rationale).or_else(|| {
        crate::validate::RULES
            .iter()
            .find(|(r, _)| *r == id)
            .map(|(_, d)| *d)
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_are_unique_kebab_case_and_documented() {
        let mut seen = std::collections::BTreeSet::new();
        for r in RULES {
            assert!(seen.insert(r.id), "duplicate {}", r.id);
            assert!(
                r.id.chars()
                    .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-'),
                "{}",
                r.id
            );
            assert!(r.rationale.ends_with('.') || r.rationale.ends_with(')'));
            assert!(r.fix.ends_with('.'), "{}", r.id);
        }
        for (id, _) in crate::validate::RULES {
            assert!(find(id).is_none(), "{id} clashes with a schema rule");
        }
    }

    /// The README's rule table lists every rule with its severity.
    #[test]
    fn readme_lists_every_rule() {
        let readme = include_str!("../../README.md");
        for r in RULES {
            let mut sev = r.severity.label().to_string();
            if !r.default_on {
                sev.push_str(" (opt-in)");
            }
            let row = format!("| `{}` | {sev} |", r.id);
            assert!(readme.contains(&row), "README lacks the row {row}");
        }
    }

    #[test]
    fn the_shipped_charts_exception_ids_exist() {
        for id in [
            "host-path",
            "run-as-root",
            "writable-host-mount",
            "access-to-create-pods",
            "pod-exec",
            "access-to-secrets",
        ] {
            assert!(find(id).is_some(), "{id}");
        }
        assert!(is_known("unknown-field"));
        assert!(!is_known("no-such-rule"));
    }
}
