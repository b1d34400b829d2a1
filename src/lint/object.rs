//! A rendered object as lint sees it (the document, the chart file that produced it, whether it
//! is a hook) and the Kubernetes shapes the production rules read: pod templates of workloads,
//! label selectors. Reads values only; makes no judgements.

use super::locate::{Seg, keys};
use crate::manifest::Document;
use crate::{Map, Value};

/// One rendered object.
#[derive(Clone, Debug)]
pub struct Object {
    pub doc: Document,
    /// The producing template relative to the linted chart (`templates/x.yaml`,
    /// `charts/sub/templates/y.yaml`).
    pub file: String,
    /// Full path of the chart that rendered it (`parent/charts/sub`).
    pub chart: String,
    /// A Helm hook (`helm.sh/hook`).
    pub hook: bool,
    /// A test hook (`helm.sh/hook: test`).
    pub test: bool,
}

impl Object {
    pub fn kind(&self) -> &str {
        &self.doc.kind
    }

    pub fn value(&self) -> &Value {
        &self.doc.value
    }

    /// Namespace as written ("" when the object has none: the release namespace).
    pub fn namespace(&self) -> &str {
        &self.doc.namespace
    }
}

/// A pod template inside a workload (or a bare Pod's spec).
#[derive(Clone, Debug)]
pub struct PodTemplate<'a> {
    /// The pod spec.
    pub spec: &'a Value,
    /// `metadata.labels` of the template (a bare Pod's own labels).
    pub labels: Option<&'a Map>,
    /// Path of the pod spec in the object.
    pub path: Vec<Seg>,
    /// A controller that keeps pods running (Deployment, StatefulSet, DaemonSet, ReplicaSet,
    /// ReplicationController), as opposed to Jobs, CronJobs and bare Pods.
    pub long_running: bool,
    /// `spec.replicas` of scalable controllers (default 1); `None` for the others.
    pub replicas: Option<i64>,
}

/// The pod template of a workload object, if it has one.
pub fn pod_template<'a>(value: &'a Value, kind: &str) -> Option<PodTemplate<'a>> {
    let (path, long_running, scalable) = match kind {
        "Deployment" | "StatefulSet" | "ReplicaSet" | "ReplicationController" => {
            ("spec.template", true, true)
        }
        "DaemonSet" => ("spec.template", true, false),
        "Job" => ("spec.template", false, false),
        "CronJob" => ("spec.jobTemplate.spec.template", false, false),
        "Pod" => ("", false, false),
        _ => return None,
    };
    let template = if path.is_empty() {
        value
    } else {
        path.split('.').try_fold(value, |v, k| v.get(k))?
    };
    let spec = template.get("spec").filter(|s| s.is_object())?;
    let mut spec_path = keys(path);
    spec_path.push(Seg::Key("spec".into()));
    let replicas = scalable.then(|| {
        value
            .pointer("/spec/replicas")
            .and_then(Value::as_i64)
            .unwrap_or(1)
    });
    Some(PodTemplate {
        spec,
        labels: template
            .get("metadata")
            .and_then(|m| m.get("labels"))
            .and_then(Value::as_object),
        path: spec_path,
        long_running,
        replicas,
    })
}

/// One container of a pod spec.
#[derive(Clone, Debug)]
pub struct Container<'a> {
    pub value: &'a Value,
    pub name: &'a str,
    /// `containers` or `initContainers`.
    pub list: &'static str,
    pub index: usize,
    /// A regular container, or a native sidecar (an init container with `restartPolicy: Always`).
    pub long_running: bool,
}

impl Container<'_> {
    /// Path of the container inside the pod spec.
    pub fn path(&self, base: &[Seg]) -> Vec<Seg> {
        let mut p = base.to_vec();
        p.push(Seg::Key(self.list.into()));
        p.push(Seg::Index(self.index));
        p
    }

    pub fn get(&self, dotted: &str) -> Option<&Value> {
        dotted.split('.').try_fold(self.value, |v, k| v.get(k))
    }
}

/// The containers and init containers of a pod spec.
pub fn containers(spec: &Value) -> Vec<Container<'_>> {
    let mut out = Vec::new();
    for list in ["containers", "initContainers"] {
        for (index, value) in spec
            .get(list)
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
            .enumerate()
        {
            if !value.is_object() {
                continue;
            }
            let sidecar = list == "initContainers"
                && value.get("restartPolicy").and_then(Value::as_str) == Some("Always");
            out.push(Container {
                value,
                name: value.get("name").and_then(Value::as_str).unwrap_or(""),
                list,
                index,
                long_running: list == "containers" || sidecar,
            });
        }
    }
    out
}

/// Whether a label selector (`matchLabels`/`matchExpressions`, or a plain map as in Services)
/// selects `labels`. An empty selector selects everything; a malformed one nothing.
pub fn selects(selector: &Value, labels: Option<&Map>, plain: bool) -> bool {
    let empty = Map::new();
    let labels = labels.unwrap_or(&empty);
    let label = |k: &str| labels.get(k).and_then(Value::as_str);
    let Some(sel) = selector.as_object() else {
        return selector.is_null() && !plain;
    };
    if plain {
        return sel
            .iter()
            .all(|(k, v)| v.as_str().is_some_and(|v| label(k) == Some(v)));
    }
    if let Some(ml) = sel.get("matchLabels") {
        let Some(ml) = ml.as_object() else {
            return ml.is_null();
        };
        if !ml
            .iter()
            .all(|(k, v)| v.as_str().is_some_and(|v| label(k) == Some(v)))
        {
            return false;
        }
    }
    for expr in sel
        .get("matchExpressions")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
    {
        let key = expr.get("key").and_then(Value::as_str).unwrap_or("");
        let values: Vec<&str> = expr
            .get("values")
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
            .filter_map(Value::as_str)
            .collect();
        let ok = match expr.get("operator").and_then(Value::as_str) {
            Some("In") => label(key).is_some_and(|v| values.contains(&v)),
            Some("NotIn") => label(key).is_none_or(|v| !values.contains(&v)),
            Some("Exists") => label(key).is_some(),
            Some("DoesNotExist") => label(key).is_none(),
            _ => false,
        };
        if !ok {
            return false;
        }
    }
    true
}

/// Whether two objects share a namespace (an empty namespace is the release's).
pub fn same_namespace(a: &Object, b: &Object) -> bool {
    a.namespace() == b.namespace()
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn pod_templates_of_workloads() {
        let d = json!({"spec": {"replicas": 3, "template": {"metadata": {"labels": {"a": "b"}}, "spec": {"containers": []}}}});
        let t = pod_template(&d, "Deployment").unwrap();
        assert_eq!(t.replicas, Some(3));
        assert!(t.long_running);
        assert_eq!(super::super::locate::format(&t.path), "spec.template.spec");
        let cj =
            json!({"spec": {"jobTemplate": {"spec": {"template": {"spec": {"containers": []}}}}}});
        let t = pod_template(&cj, "CronJob").unwrap();
        assert!(!t.long_running);
        assert_eq!(t.replicas, None);
        let pod = json!({"metadata": {"labels": {"x": "y"}}, "spec": {"containers": []}});
        assert!(pod_template(&pod, "Pod").unwrap().labels.is_some());
        assert!(pod_template(&json!({"spec": {}}), "Deployment").is_none());
        assert!(pod_template(&d, "Service").is_none());
        let no_replicas = json!({"spec": {"template": {"spec": {}}}});
        assert_eq!(
            pod_template(&no_replicas, "StatefulSet").unwrap().replicas,
            Some(1)
        );
    }

    #[test]
    fn containers_and_sidecars() {
        let spec = json!({"containers": [{"name": "a"}], "initContainers": [{"name": "i"}, {"name": "s", "restartPolicy": "Always"}, "junk"]});
        let c = containers(&spec);
        assert_eq!(c.len(), 3);
        assert!(c[0].long_running && !c[1].long_running && c[2].long_running);
        assert_eq!(
            super::super::locate::format(&c[2].path(&keys("spec"))),
            "spec.initContainers[1]"
        );
    }

    #[test]
    fn selectors() {
        let labels = json!({"app": "web", "tier": "front"});
        let labels = labels.as_object();
        assert!(selects(
            &json!({"matchLabels": {"app": "web"}}),
            labels,
            false
        ));
        assert!(!selects(
            &json!({"matchLabels": {"app": "db"}}),
            labels,
            false
        ));
        assert!(selects(&json!({}), labels, false));
        assert!(selects(
            &json!({"matchExpressions": [{"key": "tier", "operator": "In", "values": ["front", "back"]}]}),
            labels,
            false
        ));
        assert!(!selects(
            &json!({"matchExpressions": [{"key": "tier", "operator": "NotIn", "values": ["front"]}]}),
            labels,
            false
        ));
        assert!(selects(
            &json!({"matchExpressions": [{"key": "x", "operator": "DoesNotExist"}]}),
            labels,
            false
        ));
        assert!(!selects(
            &json!({"matchExpressions": [{"key": "x", "operator": "Bogus"}]}),
            labels,
            false
        ));
        assert!(selects(&json!({"app": "web"}), labels, true));
        assert!(!selects(&json!({"app": "web", "x": "y"}), labels, true));
        assert!(!selects(&json!({"app": 1}), labels, true));
    }
}
