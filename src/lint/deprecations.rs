//! Kubernetes API deprecations: which apiVersion/kind pairs are deprecated or removed at a given
//! Kubernetes version, and the message Helm's lint prints for them (the apiserver's
//! `deprecation.WarningMessage` wording). The table holds facts from Kubernetes' API
//! prerelease-lifecycle declarations (`k8s.io/api/*/zz_generated.prerelease-lifecycle.go`),
//! plus the types since deleted from that repository (PodSecurityPolicy, autoscaling v2beta*,
//! apiextensions and apiregistration v1beta1). Kinds that charts never create (reviews,
//! `Scale`, `Eviction`) are left out.

/// One deprecated apiVersion/kind: deprecated in 1.`deprecated`, removed in 1.`removed`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Deprecation {
    pub api_version: &'static str,
    pub kind: &'static str,
    pub deprecated: u32,
    pub removed: u32,
    /// `group/version Kind` to use instead; empty when there is none.
    pub replacement: &'static str,
}

const fn dep(
    api_version: &'static str,
    kind: &'static str,
    deprecated: u32,
    removed: u32,
    replacement: &'static str,
) -> Deprecation {
    Deprecation {
        api_version,
        kind,
        deprecated,
        removed,
        replacement,
    }
}

/// All Kubernetes 1.x minor versions; sorted by apiVersion, then kind.
pub const TABLE: &[Deprecation] = &[
    dep(
        "admissionregistration.k8s.io/v1alpha1",
        "MutatingAdmissionPolicy",
        35,
        38,
        "",
    ),
    dep(
        "admissionregistration.k8s.io/v1alpha1",
        "MutatingAdmissionPolicyBinding",
        35,
        38,
        "",
    ),
    dep(
        "admissionregistration.k8s.io/v1alpha1",
        "ValidatingAdmissionPolicy",
        29,
        32,
        "",
    ),
    dep(
        "admissionregistration.k8s.io/v1alpha1",
        "ValidatingAdmissionPolicyBinding",
        29,
        32,
        "",
    ),
    dep(
        "admissionregistration.k8s.io/v1beta1",
        "MutatingAdmissionPolicy",
        37,
        40,
        "admissionregistration.k8s.io/v1 MutatingAdmissionPolicy",
    ),
    dep(
        "admissionregistration.k8s.io/v1beta1",
        "MutatingAdmissionPolicyBinding",
        37,
        40,
        "admissionregistration.k8s.io/v1 MutatingAdmissionPolicyBinding",
    ),
    dep(
        "admissionregistration.k8s.io/v1beta1",
        "MutatingWebhookConfiguration",
        16,
        22,
        "admissionregistration.k8s.io/v1 MutatingWebhookConfiguration",
    ),
    dep(
        "admissionregistration.k8s.io/v1beta1",
        "ValidatingAdmissionPolicy",
        31,
        34,
        "",
    ),
    dep(
        "admissionregistration.k8s.io/v1beta1",
        "ValidatingAdmissionPolicyBinding",
        31,
        34,
        "",
    ),
    dep(
        "admissionregistration.k8s.io/v1beta1",
        "ValidatingWebhookConfiguration",
        16,
        22,
        "admissionregistration.k8s.io/v1 ValidatingWebhookConfiguration",
    ),
    dep(
        "apiextensions.k8s.io/v1beta1",
        "CustomResourceDefinition",
        16,
        22,
        "apiextensions.k8s.io/v1 CustomResourceDefinition",
    ),
    dep(
        "apiregistration.k8s.io/v1beta1",
        "APIService",
        19,
        22,
        "apiregistration.k8s.io/v1 APIService",
    ),
    dep(
        "apps/v1beta1",
        "ControllerRevision",
        8,
        16,
        "apps/v1 ControllerRevision",
    ),
    dep("apps/v1beta1", "Deployment", 8, 16, "apps/v1 Deployment"),
    dep("apps/v1beta1", "StatefulSet", 8, 16, "apps/v1 StatefulSet"),
    dep(
        "apps/v1beta2",
        "ControllerRevision",
        9,
        16,
        "apps/v1 ControllerRevision",
    ),
    dep("apps/v1beta2", "DaemonSet", 9, 16, "apps/v1 DaemonSet"),
    dep("apps/v1beta2", "Deployment", 9, 16, "apps/v1 Deployment"),
    dep("apps/v1beta2", "ReplicaSet", 9, 16, "apps/v1 ReplicaSet"),
    dep("apps/v1beta2", "StatefulSet", 9, 16, "apps/v1 StatefulSet"),
    dep(
        "autoscaling/v2beta1",
        "HorizontalPodAutoscaler",
        22,
        25,
        "autoscaling/v2 HorizontalPodAutoscaler",
    ),
    dep(
        "autoscaling/v2beta2",
        "HorizontalPodAutoscaler",
        23,
        26,
        "autoscaling/v2 HorizontalPodAutoscaler",
    ),
    dep("batch/v1beta1", "CronJob", 21, 25, "batch/v1 CronJob"),
    dep(
        "certificates.k8s.io/v1alpha1",
        "ClusterTrustBundle",
        34,
        37,
        "",
    ),
    dep(
        "certificates.k8s.io/v1beta1",
        "CertificateSigningRequest",
        19,
        22,
        "certificates.k8s.io/v1 CertificateSigningRequest",
    ),
    dep(
        "certificates.k8s.io/v1beta1",
        "ClusterTrustBundle",
        37,
        40,
        "certificates.k8s.io/v1 ClusterTrustBundle",
    ),
    dep(
        "certificates.k8s.io/v1beta1",
        "PodCertificateRequest",
        37,
        40,
        "certificates.k8s.io/v1 PodCertificateRequest",
    ),
    dep("coordination.k8s.io/v1alpha2", "LeaseCandidate", 35, 38, ""),
    dep(
        "coordination.k8s.io/v1beta1",
        "Lease",
        19,
        22,
        "coordination.k8s.io/v1 Lease",
    ),
    dep("coordination.k8s.io/v1beta1", "LeaseCandidate", 36, 39, ""),
    dep(
        "discovery.k8s.io/v1beta1",
        "EndpointSlice",
        21,
        25,
        "discovery.k8s.io/v1 EndpointSlice",
    ),
    dep("events.k8s.io/v1beta1", "Event", 22, 25, ""),
    dep(
        "extensions/v1beta1",
        "DaemonSet",
        8,
        16,
        "apps/v1 DaemonSet",
    ),
    dep(
        "extensions/v1beta1",
        "Deployment",
        8,
        16,
        "apps/v1 Deployment",
    ),
    dep(
        "extensions/v1beta1",
        "Ingress",
        14,
        22,
        "networking.k8s.io/v1 Ingress",
    ),
    dep(
        "extensions/v1beta1",
        "NetworkPolicy",
        9,
        16,
        "networking.k8s.io/v1 NetworkPolicy",
    ),
    dep(
        "extensions/v1beta1",
        "PodSecurityPolicy",
        11,
        16,
        "policy/v1beta1 PodSecurityPolicy",
    ),
    dep(
        "extensions/v1beta1",
        "ReplicaSet",
        8,
        16,
        "apps/v1 ReplicaSet",
    ),
    dep(
        "flowcontrol.apiserver.k8s.io/v1beta1",
        "FlowSchema",
        23,
        26,
        "flowcontrol.apiserver.k8s.io/v1beta3 FlowSchema",
    ),
    dep(
        "flowcontrol.apiserver.k8s.io/v1beta1",
        "PriorityLevelConfiguration",
        23,
        26,
        "flowcontrol.apiserver.k8s.io/v1beta3 PriorityLevelConfiguration",
    ),
    dep(
        "flowcontrol.apiserver.k8s.io/v1beta2",
        "FlowSchema",
        26,
        29,
        "flowcontrol.apiserver.k8s.io/v1beta3 FlowSchema",
    ),
    dep(
        "flowcontrol.apiserver.k8s.io/v1beta2",
        "PriorityLevelConfiguration",
        26,
        29,
        "flowcontrol.apiserver.k8s.io/v1beta3 PriorityLevelConfiguration",
    ),
    dep(
        "flowcontrol.apiserver.k8s.io/v1beta3",
        "FlowSchema",
        29,
        32,
        "flowcontrol.apiserver.k8s.io/v1 FlowSchema",
    ),
    dep(
        "flowcontrol.apiserver.k8s.io/v1beta3",
        "PriorityLevelConfiguration",
        29,
        32,
        "flowcontrol.apiserver.k8s.io/v1 PriorityLevelConfiguration",
    ),
    dep("lifecycle.k8s.io/v1alpha1", "EvictionRequest", 40, 43, ""),
    dep("networking.k8s.io/v1beta1", "IPAddress", 34, 37, ""),
    dep(
        "networking.k8s.io/v1beta1",
        "Ingress",
        19,
        22,
        "networking.k8s.io/v1 Ingress",
    ),
    dep(
        "networking.k8s.io/v1beta1",
        "IngressClass",
        19,
        22,
        "networking.k8s.io/v1 IngressClass",
    ),
    dep("networking.k8s.io/v1beta1", "ServiceCIDR", 34, 37, ""),
    dep("node.k8s.io/v1beta1", "RuntimeClass", 22, 25, ""),
    dep(
        "policy/v1beta1",
        "PodDisruptionBudget",
        21,
        25,
        "policy/v1 PodDisruptionBudget",
    ),
    dep("policy/v1beta1", "PodSecurityPolicy", 21, 25, ""),
    dep(
        "rbac.authorization.k8s.io/v1beta1",
        "ClusterRole",
        17,
        22,
        "rbac.authorization.k8s.io/v1 ClusterRole",
    ),
    dep(
        "rbac.authorization.k8s.io/v1beta1",
        "ClusterRoleBinding",
        17,
        22,
        "rbac.authorization.k8s.io/v1 ClusterRoleBinding",
    ),
    dep(
        "rbac.authorization.k8s.io/v1beta1",
        "Role",
        17,
        22,
        "rbac.authorization.k8s.io/v1 Role",
    ),
    dep(
        "rbac.authorization.k8s.io/v1beta1",
        "RoleBinding",
        17,
        22,
        "rbac.authorization.k8s.io/v1 RoleBinding",
    ),
    dep("resource.k8s.io/v1alpha3", "DeviceTaintRule", 36, 39, ""),
    dep(
        "resource.k8s.io/v1alpha3",
        "ResourcePoolStatusRequest",
        39,
        42,
        "",
    ),
    dep("resource.k8s.io/v1beta1", "DeviceClass", 35, 38, ""),
    dep("resource.k8s.io/v1beta1", "ResourceClaim", 35, 38, ""),
    dep(
        "resource.k8s.io/v1beta1",
        "ResourceClaimTemplate",
        35,
        38,
        "",
    ),
    dep("resource.k8s.io/v1beta1", "ResourceSlice", 35, 38, ""),
    dep("resource.k8s.io/v1beta2", "DeviceClass", 36, 39, ""),
    dep("resource.k8s.io/v1beta2", "DeviceTaintRule", 39, 42, ""),
    dep("resource.k8s.io/v1beta2", "ResourceClaim", 36, 39, ""),
    dep(
        "resource.k8s.io/v1beta2",
        "ResourceClaimTemplate",
        36,
        39,
        "",
    ),
    dep("resource.k8s.io/v1beta2", "ResourceSlice", 36, 39, ""),
    dep("scheduling.k8s.io/v1beta1", "PodGroup", 40, 43, ""),
    dep(
        "scheduling.k8s.io/v1beta1",
        "PriorityClass",
        14,
        22,
        "scheduling.k8s.io/v1 PriorityClass",
    ),
    dep("scheduling.k8s.io/v1beta1", "Workload", 40, 43, ""),
    dep(
        "storage.k8s.io/v1alpha1",
        "CSIStorageCapacity",
        21,
        24,
        "storage.k8s.io/v1beta1 CSIStorageCapacity",
    ),
    dep(
        "storage.k8s.io/v1alpha1",
        "VolumeAttachment",
        21,
        24,
        "storage.k8s.io/v1 VolumeAttachment",
    ),
    dep(
        "storage.k8s.io/v1alpha1",
        "VolumeAttributesClass",
        32,
        35,
        "storage.k8s.io/v1 VolumeAttributesClass",
    ),
    dep(
        "storage.k8s.io/v1beta1",
        "CSIDriver",
        19,
        22,
        "storage.k8s.io/v1 CSIDriver",
    ),
    dep(
        "storage.k8s.io/v1beta1",
        "CSINode",
        17,
        22,
        "storage.k8s.io/v1 CSINode",
    ),
    dep(
        "storage.k8s.io/v1beta1",
        "CSIStorageCapacity",
        24,
        27,
        "storage.k8s.io/v1 CSIStorageCapacity",
    ),
    dep(
        "storage.k8s.io/v1beta1",
        "StorageClass",
        19,
        22,
        "storage.k8s.io/v1 StorageClass",
    ),
    dep(
        "storage.k8s.io/v1beta1",
        "VolumeAttachment",
        19,
        22,
        "storage.k8s.io/v1 VolumeAttachment",
    ),
    dep(
        "storage.k8s.io/v1beta1",
        "VolumeAttributesClass",
        34,
        37,
        "storage.k8s.io/v1 VolumeAttributesClass",
    ),
    dep(
        "storagemigration.k8s.io/v1beta1",
        "StorageVersionMigration",
        37,
        40,
        "storagemigration.k8s.io/v1 StorageVersionMigration",
    ),
];

/// What the target Kubernetes version makes of an apiVersion/kind.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Status {
    /// Still served but deprecated.
    Deprecated(String),
    /// No longer served.
    Removed(String),
}

/// The deprecation status of `api_version`/`kind` at Kubernetes 1.`minor`, with Helm's message
/// (`extensions/v1beta1 Ingress is deprecated in v1.14+, unavailable in v1.22+; use
/// networking.k8s.io/v1 Ingress`); `None` when it is current (or unknown).
pub fn status(api_version: &str, kind: &str, minor: u32) -> Option<Status> {
    let d = TABLE
        .iter()
        .find(|d| d.api_version == api_version && d.kind == kind)?;
    if minor < d.deprecated {
        return None;
    }
    let mut msg = format!(
        "{} {} is deprecated in v1.{}+, unavailable in v1.{}+",
        d.api_version, d.kind, d.deprecated, d.removed
    );
    if !d.replacement.is_empty() {
        msg.push_str("; use ");
        msg.push_str(d.replacement);
    }
    Some(if minor >= d.removed {
        Status::Removed(msg)
    } else {
        Status::Deprecated(msg)
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn table_is_sorted_and_consistent() {
        for w in TABLE.windows(2) {
            assert!(
                (w[0].api_version, w[0].kind) < (w[1].api_version, w[1].kind),
                "{w:?}"
            );
        }
        for d in TABLE {
            assert!(d.deprecated < d.removed, "{d:?}");
        }
    }

    /// The cases the brief and Helm's `deprecations_test.go` care about.
    #[test]
    fn common_deprecations() {
        let msg = |s: Option<Status>| match s {
            Some(Status::Deprecated(m) | Status::Removed(m)) => m,
            None => String::new(),
        };
        assert_eq!(
            msg(status("extensions/v1beta1", "Deployment", 20)),
            "extensions/v1beta1 Deployment is deprecated in v1.8+, unavailable in v1.16+; use apps/v1 Deployment"
        );
        assert_eq!(
            status("policy/v1beta1", "PodDisruptionBudget", 22),
            Some(Status::Deprecated(
                "policy/v1beta1 PodDisruptionBudget is deprecated in v1.21+, unavailable in v1.25+; use policy/v1 PodDisruptionBudget".into()
            ))
        );
        assert!(matches!(
            status("policy/v1beta1", "PodDisruptionBudget", 25),
            Some(Status::Removed(_))
        ));
        assert_eq!(status("policy/v1beta1", "PodDisruptionBudget", 20), None);
        assert!(matches!(
            status("batch/v1beta1", "CronJob", 30),
            Some(Status::Removed(_))
        ));
        assert!(matches!(
            status("autoscaling/v2beta2", "HorizontalPodAutoscaler", 24),
            Some(Status::Deprecated(_))
        ));
        assert!(
            msg(status("networking.k8s.io/v1beta1", "IngressClass", 30))
                .ends_with("use networking.k8s.io/v1 IngressClass")
        );
        assert!(msg(status("policy/v1beta1", "PodSecurityPolicy", 30)).ends_with("v1.25+"));
        for (api, kind) in [
            ("apps/v1beta2", "StatefulSet"),
            ("rbac.authorization.k8s.io/v1beta1", "ClusterRole"),
            ("storage.k8s.io/v1beta1", "StorageClass"),
            ("flowcontrol.apiserver.k8s.io/v1beta3", "FlowSchema"),
            ("networking.k8s.io/v1beta1", "Ingress"),
            ("apiextensions.k8s.io/v1beta1", "CustomResourceDefinition"),
        ] {
            assert!(status(api, kind, 37).is_some(), "{api} {kind}");
        }
        assert_eq!(status("apps/v1", "Deployment", 37), None);
        assert_eq!(status("example.com/v1", "Widget", 37), None);
    }
}
