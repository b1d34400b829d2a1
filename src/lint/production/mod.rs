//! Production-readiness rules over the rendered objects: the common core of kube-linter,
//! Polaris, kube-score and Checkov (see the rule table in `rules.rs`). Each check reports an
//! [`Issue`] naming the object, the field path and, where a values key could set the field, a
//! [`Hint`] the caller turns into a concrete fix. Test hooks (`helm.sh/hook: test`) are not
//! checked: they are short-lived and never part of the running release.
//!
//! Calibrated against the noise the established linters are known for: probes only on
//! containers of long-running workloads (readiness only where the container serves ports),
//! TTLs only on standalone Jobs (CronJobs have history limits, hooks delete policies),
//! NetworkPolicy coverage only for pods that listen, PDBs only above one replica.

mod containers;
mod pods;
mod rbac;
mod relations;

use super::locate::Path;
use super::object::Object;

/// Which part of the object a fix sets.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Level {
    /// A container (by name): `resources`, `securityContext`, probes, image.
    Container(String),
    /// The pod spec: `securityContext` (pod level), `hostNetwork`, volumes.
    Pod,
    /// The object itself (`spec.replicas`, a Job's TTL).
    Object,
}

/// The field a fix sets, for finding the values key that renders it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Hint {
    pub level: Level,
    /// Field path below the level (`["resources", "limits"]`).
    pub field: Vec<&'static str>,
    /// An example value for the field (`{cpu: 500m, memory: 512Mi}`, `true`).
    pub example: &'static str,
}

/// One problem found by a production rule.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Issue {
    pub rule: &'static str,
    /// Index into the objects given to [`check`].
    pub object: usize,
    pub path: Path,
    pub message: String,
    pub hint: Option<Hint>,
}

/// Runs every production rule over `objects`.
pub fn check(objects: &[Object]) -> Vec<Issue> {
    let mut out = Vec::new();
    for (i, obj) in objects.iter().enumerate() {
        if obj.test || !obj.value().is_object() {
            continue;
        }
        containers::check(i, obj, objects, &mut out);
        pods::check(i, obj, objects, &mut out);
        rbac::check(i, obj, &mut out);
    }
    relations::check(objects, &mut out);
    out
}

fn issue(rule: &'static str, object: usize, path: Path, message: String) -> Issue {
    Issue {
        rule,
        object,
        path,
        message,
        hint: None,
    }
}

impl Issue {
    fn hint(mut self, level: Level, field: &[&'static str], example: &'static str) -> Self {
        self.hint = Some(Hint {
            level,
            field: field.to_vec(),
            example,
        });
        self
    }
}

#[cfg(test)]
pub(crate) mod testutil {
    use super::super::object::Object;
    use crate::manifest::{Classified, Document};

    /// Objects from a YAML stream, as if rendered from `templates/test.yaml`.
    pub fn objects(yaml: &str) -> Vec<Object> {
        crate::manifest::split::split_documents(yaml)
            .into_iter()
            .enumerate()
            .map(|(i, p)| {
                let doc = Document::parse("c/templates/test.yaml", p.text, p.line, i).unwrap();
                let (doc, hook, test) = match doc.classify() {
                    Classified::Manifest(d) => (d, false, false),
                    Classified::Hook(d) | Classified::UnknownHook(d, _) => {
                        let t = d.is_test_hook();
                        (d, true, t)
                    }
                };
                Object {
                    doc,
                    file: "templates/test.yaml".into(),
                    chart: "c".into(),
                    hook,
                    test,
                }
            })
            .collect()
    }

    /// The rule ids `check` reports for a YAML stream, in order, default rules only.
    pub fn rules(yaml: &str) -> Vec<&'static str> {
        all_rules(yaml)
            .into_iter()
            .filter(|id| crate::lint::rules::find(id).is_some_and(|r| r.default_on))
            .collect()
    }

    /// Like [`rules`], opt-in rules included.
    pub fn all_rules(yaml: &str) -> Vec<&'static str> {
        super::check(&objects(yaml))
            .into_iter()
            .map(|i| i.rule)
            .collect()
    }

    /// A Deployment with one container, hardened so that no rule fires; `patch` replaces
    /// `$CONTAINER` (extra container fields), `$POD` (extra pod fields) and `$SPEC`.
    pub const GOOD: &str = "apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
spec:
  replicas: 1$SPEC
  selector:
    matchLabels: {app: web}
  template:
    metadata:
      labels: {app: web}
    spec:
      automountServiceAccountToken: false
      securityContext:
        runAsNonRoot: true
        runAsUser: 1000$POD
      containers:
        - name: web
          image: nginx:1.27.0
          ports:
            - containerPort: 8080
          readinessProbe: {httpGet: {path: /, port: 8080}}
          livenessProbe: {httpGet: {path: /, port: 8080}}
          resources:
            requests: {cpu: 100m, memory: 128Mi}
            limits: {cpu: 500m, memory: 256Mi}
          securityContext:
            allowPrivilegeEscalation: false
            readOnlyRootFilesystem: true
            capabilities: {drop: [ALL]}$CONTAINER
";

    pub fn good(container: &str, pod: &str, spec: &str) -> String {
        GOOD.replace("$CONTAINER", container)
            .replace("$POD", pod)
            .replace("$SPEC", spec)
    }
}
