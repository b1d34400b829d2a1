//! RBAC rules: wildcards, Secret reading, pod creation, exec/attach, cluster-admin bindings.

use super::super::locate::{Seg, keys};
use super::super::object::Object;
use super::{Issue, issue};
use crate::Value;

/// Resources whose `create` runs arbitrary pods.
const WORKLOADS: &[&str] = &[
    "pods",
    "deployments",
    "replicasets",
    "statefulsets",
    "daemonsets",
    "jobs",
    "cronjobs",
    "replicationcontrollers",
];

fn strings(v: Option<&Value>) -> Vec<&str> {
    v.and_then(Value::as_array)
        .into_iter()
        .flatten()
        .filter_map(Value::as_str)
        .collect()
}

pub fn check(i: usize, obj: &Object, out: &mut Vec<Issue>) {
    match obj.kind() {
        "Role" | "ClusterRole" => {}
        "RoleBinding" | "ClusterRoleBinding" => {
            let role = obj.value().get("roleRef");
            let kind = role.and_then(|r| r.get("kind")).and_then(Value::as_str);
            let name = role.and_then(|r| r.get("name")).and_then(Value::as_str);
            if kind == Some("ClusterRole") && name == Some("cluster-admin") {
                out.push(issue(
                    "cluster-admin-role-binding",
                    i,
                    keys("roleRef.name"),
                    "binds the cluster-admin ClusterRole".to_string(),
                ));
            }
            return;
        }
        _ => return,
    }
    for (n, rule) in obj
        .value()
        .get("rules")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
        .enumerate()
    {
        let path = vec![Seg::Key("rules".into()), Seg::Index(n)];
        let verbs = strings(rule.get("verbs"));
        let resources = strings(rule.get("resources"));
        let groups = strings(rule.get("apiGroups"));
        let wild: Vec<&str> = [
            ("verbs", &verbs),
            ("resources", &resources),
            ("apiGroups", &groups),
        ]
        .into_iter()
        .filter(|(_, list)| list.contains(&"*"))
        .map(|(name, _)| name)
        .collect();
        if !wild.is_empty() {
            out.push(issue(
                "wildcard-in-rules",
                i,
                path.clone(),
                format!("rule {} uses `*` in {}", n + 1, wild.join(", ")),
            ));
        }
        let core = groups.iter().any(|g| g.is_empty() || *g == "*");
        let any = |want: &[&str]| verbs.iter().any(|v| *v == "*" || want.contains(v));
        if core && resources.contains(&"secrets") && any(&["get", "list", "watch"]) {
            out.push(issue(
                "access-to-secrets",
                i,
                path.clone(),
                format!("rule {} reads Secrets", n + 1),
            ));
        }
        let creates: Vec<&str> = resources
            .iter()
            .copied()
            .filter(|r| WORKLOADS.contains(r))
            .collect();
        if !creates.is_empty() && any(&["create"]) {
            out.push(issue(
                "access-to-create-pods",
                i,
                path.clone(),
                format!("rule {} creates {}", n + 1, creates.join(", ")),
            ));
        }
        let exec: Vec<&str> = resources
            .iter()
            .copied()
            .filter(|r| *r == "pods/exec" || *r == "pods/attach")
            .collect();
        if core && !exec.is_empty() && any(&["create", "get"]) {
            out.push(issue(
                "pod-exec",
                i,
                path,
                format!("rule {} allows {}", n + 1, exec.join(" and ")),
            ));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::super::testutil::rules;

    fn role(rules_yaml: &str) -> String {
        format!(
            "apiVersion: rbac.authorization.k8s.io/v1\nkind: Role\nmetadata: {{name: r}}\nrules:\n{rules_yaml}"
        )
    }

    #[test]
    fn rbac_rules() {
        let cases: &[(&str, &[&str])] = &[
            (
                "  - {apiGroups: [\"\"], resources: [configmaps], verbs: [get]}\n",
                &[],
            ),
            (
                "  - {apiGroups: [\"*\"], resources: [\"*\"], verbs: [\"*\"]}\n",
                &["wildcard-in-rules"],
            ),
            (
                "  - {apiGroups: [\"\"], resources: [secrets], verbs: [list]}\n",
                &["access-to-secrets"],
            ),
            (
                "  - {apiGroups: [\"\"], resources: [secrets], verbs: [create, delete]}\n",
                &[],
            ),
            (
                "  - {apiGroups: [apps], resources: [deployments], verbs: [create]}\n",
                &["access-to-create-pods"],
            ),
            (
                "  - {apiGroups: [\"\"], resources: [pods/exec], verbs: [create]}\n",
                &["pod-exec"],
            ),
            (
                "  - {apiGroups: [\"\"], resources: [pods, pods/attach], verbs: [get, create]}\n",
                &["access-to-create-pods", "pod-exec"],
            ),
        ];
        for (r, expected) in cases {
            assert_eq!(&rules(&role(r)), expected, "{r}");
        }
        let binding = "apiVersion: rbac.authorization.k8s.io/v1\nkind: ClusterRoleBinding\nmetadata: {name: b}\nroleRef: {apiGroup: rbac.authorization.k8s.io, kind: ClusterRole, name: cluster-admin}\nsubjects: []\n";
        assert_eq!(rules(binding), vec!["cluster-admin-role-binding"]);
        assert_eq!(
            rules(&binding.replace("cluster-admin", "view")),
            Vec::<&str>::new()
        );
    }
}
