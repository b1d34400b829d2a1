//! The render-time objects every engine exposes: the release being rendered and the cluster
//! capabilities assumed (offline, Helm's `helm template` defaults unless flags say otherwise).
//! Plain data; engines turn these into their own context objects.

/// `.Release` / `release`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Release {
    pub name: String,
    pub namespace: String,
    pub revision: u64,
    pub is_install: bool,
    pub is_upgrade: bool,
    /// Always `Helm` in Helm; kept for chart compatibility.
    pub service: String,
}

impl Default for Release {
    fn default() -> Self {
        Release {
            name: "release-name".into(),
            namespace: "default".into(),
            revision: 1,
            is_install: true,
            is_upgrade: false,
            service: "Helm".into(),
        }
    }
}

/// `.Capabilities` / `capabilities`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Capabilities {
    /// The version as given, with a `v` prefix (`v1.37.0`, `v1.29`, `v1.33.4-gke.1`).
    pub kube_version: String,
    /// Without vendor suffixes, for constraint checks (`v1.33.4`).
    pub kube_version_normalized: String,
    pub kube_major: String,
    pub kube_minor: String,
    /// Group/versions (`apps/v1`, `v1`) and any `--api-versions` given.
    pub api_versions: Vec<String>,
    /// Helm version reported to charts (`v4.3.1`).
    pub helm_version: String,
}

impl Default for Capabilities {
    fn default() -> Self {
        Capabilities {
            kube_version: "v1.37.0".into(),
            kube_version_normalized: "v1.37.0".into(),
            kube_major: "1".into(),
            kube_minor: "37".into(),
            api_versions: DEFAULT_API_VERSIONS.iter().map(|s| s.to_string()).collect(),
            helm_version: "v4.3.1".into(),
        }
    }
}

/// The group/versions `helm template` (Helm 4.3.1) reports without a cluster, in its order
/// (read from `.Capabilities.APIVersions` of the real binary).
pub const DEFAULT_API_VERSIONS: &[&str] = &[
    "v1",
    "admissionregistration.k8s.io/v1",
    "admissionregistration.k8s.io/v1alpha1",
    "admissionregistration.k8s.io/v1beta1",
    "internal.apiserver.k8s.io/v1alpha1",
    "apps/v1",
    "apps/v1beta1",
    "apps/v1beta2",
    "authentication.k8s.io/v1",
    "authentication.k8s.io/v1alpha1",
    "authentication.k8s.io/v1beta1",
    "authorization.k8s.io/v1",
    "authorization.k8s.io/v1beta1",
    "autoscaling/v1",
    "autoscaling/v2",
    "batch/v1",
    "batch/v1beta1",
    "certificates.k8s.io/v1",
    "certificates.k8s.io/v1beta1",
    "certificates.k8s.io/v1alpha1",
    "coordination.k8s.io/v1alpha2",
    "coordination.k8s.io/v1beta1",
    "coordination.k8s.io/v1",
    "discovery.k8s.io/v1",
    "discovery.k8s.io/v1beta1",
    "events.k8s.io/v1",
    "events.k8s.io/v1beta1",
    "extensions/v1beta1",
    "flowcontrol.apiserver.k8s.io/v1",
    "flowcontrol.apiserver.k8s.io/v1beta1",
    "flowcontrol.apiserver.k8s.io/v1beta2",
    "flowcontrol.apiserver.k8s.io/v1beta3",
    "lifecycle.k8s.io/v1alpha1",
    "networking.k8s.io/v1",
    "networking.k8s.io/v1beta1",
    "node.k8s.io/v1",
    "node.k8s.io/v1alpha1",
    "node.k8s.io/v1beta1",
    "policy/v1",
    "policy/v1beta1",
    "rbac.authorization.k8s.io/v1",
    "rbac.authorization.k8s.io/v1beta1",
    "rbac.authorization.k8s.io/v1alpha1",
    "resource.k8s.io/v1",
    "resource.k8s.io/v1beta2",
    "resource.k8s.io/v1beta1",
    "resource.k8s.io/v1alpha3",
    "scheduling.k8s.io/v1alpha3",
    "scheduling.k8s.io/v1beta1",
    "scheduling.k8s.io/v1",
    "storage.k8s.io/v1beta1",
    "storage.k8s.io/v1",
    "storage.k8s.io/v1alpha1",
    "storagemigration.k8s.io/v1",
    "storagemigration.k8s.io/v1beta1",
    "apiextensions.k8s.io/v1beta1",
    "apiextensions.k8s.io/v1",
];

/// The Kubernetes version `helm template` assumes without `--kube-version` (Helm 4.3.1).
pub const DEFAULT_KUBE_VERSION: &str = "v1.37.0";

impl Capabilities {
    /// Capabilities for `--kube-version` (`1.29`, `v1.30.2`, `1.33.4-gke.1`), as Helm parses it
    /// (Kubernetes' ParseGeneric: two or three numeric parts, anything after them ignored).
    pub fn with_kube_version(mut self, version: &str) -> Result<Self, String> {
        let trimmed = version.trim();
        let bare = trimmed.strip_prefix('v').unwrap_or(trimmed);
        let numeric_end = bare
            .find(|c: char| !(c.is_ascii_digit() || c == '.'))
            .unwrap_or(bare.len());
        let numeric = &bare[..numeric_end];
        let parts: Vec<&str> = numeric.split('.').collect();
        let valid = (2..=3).contains(&parts.len())
            && parts
                .iter()
                .all(|p| !p.is_empty() && p.parse::<u64>().is_ok())
            && (numeric_end == bare.len() || matches!(bare.as_bytes()[numeric_end], b'-' | b'+'));
        if !valid {
            return Err(format!(
                "invalid kube version '{version}': expected MAJOR.MINOR or MAJOR.MINOR.PATCH, e.g. 1.30 or v1.30.2"
            ));
        }
        let nums: Vec<u64> = parts.iter().map(|p| p.parse().unwrap_or(0)).collect();
        self.kube_version = if trimmed.starts_with('v') {
            trimmed.to_string()
        } else {
            format!("v{trimmed}")
        };
        self.kube_version_normalized = format!(
            "v{}",
            nums.iter()
                .map(u64::to_string)
                .collect::<Vec<_>>()
                .join(".")
        );
        self.kube_major = nums[0].to_string();
        self.kube_minor = nums[1].to_string();
        Ok(self)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn kube_version_like_helm() {
        let c = Capabilities::default().with_kube_version("1.29").unwrap();
        assert_eq!(c.kube_version, "v1.29");
        assert_eq!(c.kube_version_normalized, "v1.29");
        assert_eq!((c.kube_major.as_str(), c.kube_minor.as_str()), ("1", "29"));
        let c = Capabilities::default()
            .with_kube_version("v1.33.4-gke.1245000")
            .unwrap();
        assert_eq!(c.kube_version, "v1.33.4-gke.1245000");
        assert_eq!(c.kube_version_normalized, "v1.33.4");
        assert!(Capabilities::default().with_kube_version("1").is_err());
        assert!(Capabilities::default().with_kube_version("abc").is_err());
        assert_eq!(
            Capabilities::default().api_versions.len(),
            DEFAULT_API_VERSIONS.len()
        );
    }
}
