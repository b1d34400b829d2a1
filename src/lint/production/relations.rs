//! Rules across objects of the release: PodDisruptionBudgets for replicated workloads, Services
//! that select nothing, NetworkPolicy coverage, and Job TTLs (which need the hook status).

use super::super::locate::keys;
use super::super::object::{Object, PodTemplate, pod_template, same_namespace, selects};
use super::{Issue, Level, issue};
use crate::Value;

/// Whether a pod template has a container that declares a port.
fn listens(t: &PodTemplate) -> bool {
    super::super::object::containers(t.spec).iter().any(|c| {
        c.long_running
            && c.get("ports")
                .and_then(Value::as_array)
                .is_some_and(|p| !p.is_empty())
    })
}

/// Whether a NetworkPolicy restricts ingress (policyTypes absent means Ingress).
fn restricts_ingress(np: &Value) -> bool {
    match np.pointer("/spec/policyTypes").and_then(Value::as_array) {
        Some(types) => types.iter().any(|t| t.as_str() == Some("Ingress")),
        None => true,
    }
}

pub fn check(objects: &[Object], out: &mut Vec<Issue>) {
    let live: Vec<(usize, &Object)> = objects
        .iter()
        .enumerate()
        .filter(|(_, o)| !o.test && o.value().is_object())
        .collect();
    let templates: Vec<(usize, &Object, PodTemplate)> = live
        .iter()
        .filter_map(|&(i, o)| pod_template(o.value(), o.kind()).map(|t| (i, o, t)))
        .collect();
    let of_kind = |kind: &str| -> Vec<&Object> {
        live.iter()
            .map(|(_, o)| *o)
            .filter(|o| o.kind() == kind)
            .collect()
    };
    let pdbs = of_kind("PodDisruptionBudget");
    let policies: Vec<&Object> = of_kind("NetworkPolicy")
        .into_iter()
        .filter(|np| restricts_ingress(np.value()))
        .collect();

    for (i, obj, t) in &templates {
        // PDB for replicated workloads.
        if t.replicas.is_some_and(|r| r > 1) {
            let covered = pdbs.iter().any(|pdb| {
                same_namespace(pdb, obj)
                    && pdb
                        .value()
                        .pointer("/spec/selector")
                        .is_some_and(|s| selects(s, t.labels, false))
            });
            if !covered {
                out.push(
                    issue(
                        "no-pod-disruption-budget",
                        *i,
                        keys("spec.replicas"),
                        format!(
                            "{} replicas and no PodDisruptionBudget selects their pods",
                            t.replicas.unwrap_or(0)
                        ),
                    )
                    .hint(Level::Object, &["pdb", "enabled"], "true"),
                );
            }
        }
        // NetworkPolicy coverage of pods that listen.
        if t.long_running && listens(t) {
            let same_ns: Vec<&&Object> = policies
                .iter()
                .filter(|np| same_namespace(np, obj))
                .collect();
            let covered = same_ns.iter().any(|np| {
                np.value()
                    .pointer("/spec/podSelector")
                    .is_some_and(|s| selects(s, t.labels, false))
            });
            if !covered {
                let (rule, message) = if policies.is_empty() {
                    (
                        "no-network-policy",
                        "no NetworkPolicy of the release selects its pods, which accept connections from anywhere",
                    )
                } else {
                    (
                        "network-policy-coverage",
                        "its pods listen on ports but none of the release's NetworkPolicies selects them",
                    )
                };
                out.push(
                    issue(
                        rule,
                        *i,
                        keys("spec.template.metadata.labels"),
                        message.to_string(),
                    )
                    .hint(Level::Object, &["networkPolicy", "enabled"], "true"),
                );
            }
        }
        // TTL of standalone Jobs.
        if obj.kind() == "Job"
            && !obj.hook
            && obj
                .value()
                .pointer("/spec/ttlSecondsAfterFinished")
                .is_none_or(Value::is_null)
        {
            out.push(issue(
                "job-ttl-seconds-after-finished",
                *i,
                keys("spec.ttlSecondsAfterFinished"),
                "the Job and its pods are never cleaned up (no ttlSecondsAfterFinished)"
                    .to_string(),
            ));
        }
    }

    // Services whose selector matches no pod template of the release.
    for &(i, svc) in &live {
        if svc.kind() != "Service" {
            continue;
        }
        let Some(selector) = svc
            .value()
            .pointer("/spec/selector")
            .filter(|s| s.as_object().is_some_and(|m| !m.is_empty()))
        else {
            continue;
        };
        if svc.value().pointer("/spec/type").and_then(Value::as_str) == Some("ExternalName") {
            continue;
        }
        let matched = templates
            .iter()
            .any(|(_, o, t)| same_namespace(o, svc) && selects(selector, t.labels, true));
        if !matched {
            out.push(issue(
                "dangling-service",
                i,
                keys("spec.selector"),
                "the selector matches no pod template of the release".to_string(),
            ));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::super::testutil::{all_rules, good, rules};

    const PDB: &str = "apiVersion: policy/v1\nkind: PodDisruptionBudget\nmetadata: {name: p}\nspec:\n  maxUnavailable: 1\n  selector: {matchLabels: {app: web}}\n";
    const NP: &str = "apiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\nmetadata: {name: n}\nspec:\n  podSelector: {matchLabels: {app: web}}\n  policyTypes: [Ingress]\n";
    const OTHER_NP: &str = "apiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\nmetadata: {name: o}\nspec:\n  podSelector: {matchLabels: {app: other}}\n";

    fn stream(parts: &[&str]) -> String {
        parts.join("---\n")
    }

    #[test]
    fn pdbs_for_replicated_workloads() {
        let three = good("", "", "\n  replicas: 3");
        assert_eq!(rules(&three), vec!["no-pod-disruption-budget"]);
        assert_eq!(rules(&stream(&[&three, PDB])), Vec::<&str>::new());
        assert_eq!(
            rules(&stream(&[&three, &PDB.replace("app: web", "app: db")])),
            vec!["no-pod-disruption-budget"]
        );
        assert_eq!(rules(&good("", "", "")), Vec::<&str>::new());
    }

    #[test]
    fn network_policy_coverage() {
        let web = good("", "", "");
        // No policy at all: the opt-in rule (off by default).
        assert_eq!(rules(&web), Vec::<&str>::new());
        assert_eq!(all_rules(&web), vec!["no-network-policy"]);
        assert_eq!(rules(&stream(&[&web, NP])), Vec::<&str>::new());
        assert_eq!(
            rules(&stream(&[&web, OTHER_NP])),
            vec!["network-policy-coverage"]
        );
        // Pods without ports need no policy.
        let worker = good(
            "\n          ports: []\n          readinessProbe: null",
            "",
            "",
        );
        assert_eq!(rules(&stream(&[&worker, OTHER_NP])), Vec::<&str>::new());
    }

    #[test]
    fn dangling_services_and_job_ttls() {
        let svc = |sel: &str| {
            format!(
                "apiVersion: v1\nkind: Service\nmetadata: {{name: s}}\nspec:\n  selector: {sel}\n  ports: [{{port: 80}}]\n"
            )
        };
        let web = good("", "", "");
        assert_eq!(
            rules(&stream(&[&web, NP, &svc("{app: web}")])),
            Vec::<&str>::new()
        );
        assert_eq!(
            rules(&stream(&[&web, NP, &svc("{app: wbe}")])),
            vec!["dangling-service"]
        );
        assert_eq!(rules(&stream(&[&web, NP, &svc("{}")])), Vec::<&str>::new());
        let job = "apiVersion: batch/v1\nkind: Job\nmetadata: {name: j}\nspec:\n  template:\n    spec:\n      automountServiceAccountToken: false\n      securityContext: {runAsNonRoot: true}\n      containers:\n        - name: j\n          image: busybox:1.36\n          resources: {requests: {cpu: 1m, memory: 1Mi}, limits: {cpu: 1m, memory: 1Mi}}\n          securityContext: {allowPrivilegeEscalation: false, readOnlyRootFilesystem: true, capabilities: {drop: [ALL]}}\n";
        assert_eq!(rules(job), vec!["job-ttl-seconds-after-finished"]);
        let hook = job.replace(
            "metadata: {name: j}",
            "metadata: {name: j, annotations: {helm.sh/hook: pre-install}}",
        );
        assert_eq!(rules(&hook), Vec::<&str>::new());
    }
}
