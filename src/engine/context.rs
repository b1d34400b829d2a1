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
    /// Normalised `vMAJOR.MINOR.PATCH`, e.g. `v1.36.0`.
    pub kube_version: String,
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
            kube_version: "v1.36.0".into(),
            kube_major: "1".into(),
            kube_minor: "36".into(),
            api_versions: Vec::new(),
            helm_version: "v4.3.1".into(),
        }
    }
}
