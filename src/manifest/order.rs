//! Helm's install order (`InstallOrder` in Helm 4's kind sorter): a stable sort by kind; unknown
//! kinds go after all known ones, alphabetically among themselves.

use std::cmp::Ordering;

/// Kinds in the order Helm installs them.
pub const INSTALL_ORDER: &[&str] = &[
    "PriorityClass",
    "Namespace",
    "NetworkPolicy",
    "ResourceQuota",
    "LimitRange",
    "PodSecurityPolicy",
    "PodDisruptionBudget",
    "ServiceAccount",
    "Secret",
    "SecretList",
    "ConfigMap",
    "StorageClass",
    "PersistentVolume",
    "PersistentVolumeClaim",
    "CustomResourceDefinition",
    "ClusterRole",
    "ClusterRoleList",
    "ClusterRoleBinding",
    "ClusterRoleBindingList",
    "Role",
    "RoleList",
    "RoleBinding",
    "RoleBindingList",
    "Service",
    "DaemonSet",
    "Pod",
    "ReplicationController",
    "ReplicaSet",
    "Deployment",
    "HorizontalPodAutoscaler",
    "StatefulSet",
    "Job",
    "CronJob",
    "IngressClass",
    "Ingress",
    "APIService",
    "MutatingWebhookConfiguration",
    "ValidatingWebhookConfiguration",
];

fn rank(kind: &str) -> Option<usize> {
    INSTALL_ORDER.iter().position(|k| *k == kind)
}

/// Helm's `lessByKind` as an ordering.
pub fn compare_kinds(a: &str, b: &str) -> Ordering {
    match (rank(a), rank(b)) {
        (Some(x), Some(y)) => x.cmp(&y),
        (Some(_), None) => Ordering::Less,
        (None, Some(_)) => Ordering::Greater,
        (None, None) => a.cmp(b),
    }
}

/// Stable-sorts items by the kind `kind_of` gives, in install order.
pub fn sort_by_kind<T>(items: &mut [T], kind_of: impl Fn(&T) -> &str) {
    items.sort_by(|a, b| compare_kinds(kind_of(a), kind_of(b)));
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Helm's TestKindSorter: one letter per kind, expected install string.
    #[test]
    fn kind_sorter_table() {
        let kinds = [
            ("E", "SecretList"),
            ("i", "ClusterRole"),
            ("I", "ClusterRoleList"),
            ("j", "ClusterRoleBinding"),
            ("J", "ClusterRoleBindingList"),
            ("f", "ConfigMap"),
            ("u", "CronJob"),
            ("2", "CustomResourceDefinition"),
            ("n", "DaemonSet"),
            ("r", "Deployment"),
            ("!", "HonkyTonkSet"),
            ("v", "Ingress"),
            ("t", "Job"),
            ("c", "LimitRange"),
            ("a", "Namespace"),
            ("A", "NetworkPolicy"),
            ("g", "PersistentVolume"),
            ("h", "PersistentVolumeClaim"),
            ("o", "Pod"),
            ("3", "PodDisruptionBudget"),
            ("C", "PodSecurityPolicy"),
            ("q", "ReplicaSet"),
            ("p", "ReplicationController"),
            ("b", "ResourceQuota"),
            ("k", "Role"),
            ("K", "RoleList"),
            ("l", "RoleBinding"),
            ("L", "RoleBindingList"),
            ("e", "Secret"),
            ("m", "Service"),
            ("d", "ServiceAccount"),
            ("s", "StatefulSet"),
            ("1", "StorageClass"),
            ("w", "APIService"),
            ("x", "HorizontalPodAutoscaler"),
            ("F", "PriorityClass"),
            ("M", "MutatingWebhookConfiguration"),
            ("V", "ValidatingWebhookConfiguration"),
            ("U", "IngressClass"),
        ];
        let mut items: Vec<(&str, &str)> = kinds.to_vec();
        sort_by_kind(&mut items, |(_, k)| k);
        let got: String = items.iter().map(|(l, _)| *l).collect();
        // Helm's expected string, with the helm-4 webhook kinds (M, V) after APIService.
        assert_eq!(got, "FaAbcC3deEf1gh2iIjJkKlLmnopqrxstuUvwMV!");
    }

    #[test]
    fn unknown_kinds_sorted_alphabetically_and_stable() {
        let mut items = vec![("b", "Zed"), ("a", "Alpha"), ("c", "Zed"), ("d", "Service")];
        sort_by_kind(&mut items, |(_, k)| k);
        let got: Vec<&str> = items.iter().map(|(n, _)| *n).collect();
        assert_eq!(got, vec!["d", "a", "b", "c"]);
    }
}
