//! `create`: writes a new Jinja chart directory (`chartroom create NAME`), the native-engine
//! counterpart of `helm create`. The scaffold is production-minded: non-root, read-only root
//! filesystem, no privilege escalation, all capabilities dropped, resources and probes set,
//! service account token not mounted, a closed `values.schema.json` that types and describes
//! every value. Ingress and autoscaling are present but off.
//!
//! Names are validated like `helm create` (`^[a-zA-Z0-9._-]+$`, 1–250 characters; names made
//! only of dots are refused too). An existing path is never overwritten. Files are written into
//! a temporary directory beside the target and renamed into place at the end, so a failure
//! leaves nothing behind. Must not render or print.

use std::fs;
use std::io;
use std::path::{Path, PathBuf};

/// Longest chart name accepted (Helm's limit, below common filesystem limits).
pub const MAX_CHART_NAME_LEN: usize = 250;

/// Why a chart could not be created.
#[derive(Debug, thiserror::Error)]
pub enum CreateError {
    #[error(
        "invalid chart name {name:?}: {reason}; use 1-{MAX_CHART_NAME_LEN} characters from a-z, A-Z, 0-9, '.', '_' and '-'"
    )]
    InvalidName { name: String, reason: &'static str },
    #[error("{path} already exists; choose another name or remove it first")]
    Exists { path: PathBuf },
    #[error("cannot create a chart in {path}: it is not an existing directory")]
    NoParent { path: PathBuf },
    #[error("could not write the chart into {path}: {source}")]
    Io {
        path: PathBuf,
        #[source]
        source: io::Error,
    },
}

/// Checks a chart name the way `helm create` does.
pub fn validate_name(name: &str) -> Result<(), CreateError> {
    let invalid = |reason| CreateError::InvalidName {
        name: name.to_string(),
        reason,
    };
    if name.is_empty() || name.len() > MAX_CHART_NAME_LEN {
        return Err(invalid("the length must be between 1 and 250"));
    }
    if !name
        .bytes()
        .all(|b| b.is_ascii_alphanumeric() || b == b'.' || b == b'_' || b == b'-')
    {
        return Err(invalid("it must match ^[a-zA-Z0-9._-]+$"));
    }
    if name.bytes().all(|b| b == b'.') {
        return Err(invalid("a name made only of dots is not a directory name"));
    }
    Ok(())
}

/// Creates `parent_dir/name/` holding a new Jinja chart; returns its absolute path.
pub fn create(parent_dir: &Path, name: &str) -> Result<PathBuf, CreateError> {
    validate_name(name)?;
    if !parent_dir.is_dir() {
        return Err(CreateError::NoParent {
            path: parent_dir.to_path_buf(),
        });
    }
    let target = std::path::absolute(parent_dir.join(name)).map_err(|source| CreateError::Io {
        path: parent_dir.join(name),
        source,
    })?;
    if fs::symlink_metadata(&target).is_ok() {
        return Err(CreateError::Exists { path: target });
    }
    let staging = tempfile::Builder::new()
        .prefix(".chartroom-create-")
        .tempdir_in(parent_dir)
        .map_err(io_err(parent_dir))?;
    for (rel, content) in scaffold(name) {
        let path = staging.path().join(rel);
        if let Some(dir) = path.parent() {
            fs::create_dir_all(dir).map_err(io_err(dir))?;
        }
        fs::write(&path, content).map_err(io_err(&target.join(rel)))?;
    }
    fs::create_dir_all(staging.path().join("charts")).map_err(io_err(&target.join("charts")))?;
    // Re-check just before the rename: never replace something that appeared meanwhile.
    if fs::symlink_metadata(&target).is_ok() {
        return Err(CreateError::Exists { path: target });
    }
    let staged = staging.keep();
    if let Err(source) = fs::rename(&staged, &target) {
        let _ = fs::remove_dir_all(&staged);
        return Err(CreateError::Io {
            path: target,
            source,
        });
    }
    Ok(target)
}

fn io_err(path: &Path) -> impl FnOnce(io::Error) -> CreateError + use<> {
    let path = path.to_path_buf();
    move |source| CreateError::Io { path, source }
}

/// The files of a new chart: (path relative to the chart, content).
pub fn scaffold(name: &str) -> Vec<(&'static str, String)> {
    vec![
        ("Chart.yaml", chart_yaml(name)),
        ("values.yaml", VALUES_YAML.replace("<CHARTNAME>", name)),
        ("values.schema.json", VALUES_SCHEMA_JSON.to_string()),
        (".helmignore", HELMIGNORE.to_string()),
        ("templates/_helpers.tpl", HELPERS_TPL.to_string()),
        ("templates/deployment.yaml", DEPLOYMENT_YAML.to_string()),
        ("templates/service.yaml", SERVICE_YAML.to_string()),
        (
            "templates/serviceaccount.yaml",
            SERVICEACCOUNT_YAML.to_string(),
        ),
        ("templates/ingress.yaml", INGRESS_YAML.to_string()),
        ("templates/hpa.yaml", HPA_YAML.to_string()),
        ("templates/NOTES.txt", NOTES_TXT.to_string()),
    ]
}

fn chart_yaml(name: &str) -> String {
    // The name goes through the YAML writer so names like `true` or `1.0` stay strings.
    let mut m = crate::Map::new();
    m.insert("name".into(), crate::Value::String(name.to_string()));
    let name_line = crate::yaml::to_string(&crate::Value::Object(m));
    format!(
        "apiVersion: v2\n{name_line}description: A Kubernetes application chart written in Jinja\n\
         # application (renders manifests) or library (only macros for other charts)\n\
         type: application\n\
         # The chart's version; bump it on every change to the chart.\n\
         version: 0.1.0\n\
         # The version of the application this chart deploys (the default image tag).\n\
         appVersion: \"1.27\"\n\
         # Rendered by chartroom's native Jinja engine.\n\
         engine: jinja\n"
    )
}

const HELMIGNORE: &str = r#"# Patterns to ignore when packaging the chart (Helm's .helmignore rules).
.DS_Store
# VCS directories
.git/
.gitignore
.bzr/
.bzrignore
.hg/
.hgignore
.svn/
# Backup and editor files
*.swp
*.bak
*.tmp
*.orig
*~
# IDE directories
.project
.idea/
*.tmproj
.vscode/
"#;

const VALUES_YAML: &str = r#"# Default values for <CHARTNAME>. values.schema.json describes and types every key;
# unknown keys are rejected.

replicaCount: 1

image:
  # An image that runs as a non-root user and listens on 8080.
  repository: nginxinc/nginx-unprivileged
  pullPolicy: IfNotPresent
  # Overrides the image tag; empty means the chart's appVersion.
  tag: ""

# Secrets for pulling from private registries, e.g. [{name: regcred}].
imagePullSecrets: []
# Replaces the chart name in resource names.
nameOverride: ""
# Replaces the whole generated resource name.
fullnameOverride: ""

serviceAccount:
  # Create a service account for the pods.
  create: true
  # Mount the service account token into pods (off: most apps never call the API).
  automount: false
  annotations: {}
  # Name to use; empty means the generated full name.
  name: ""

podAnnotations: {}
podLabels: {}

podSecurityContext:
  runAsNonRoot: true
  runAsUser: 101
  runAsGroup: 101
  fsGroup: 101
  seccompProfile:
    type: RuntimeDefault

securityContext:
  allowPrivilegeEscalation: false
  readOnlyRootFilesystem: true
  runAsNonRoot: true
  capabilities:
    drop:
      - ALL

# Port the container listens on.
containerPort: 8080

service:
  type: ClusterIP
  port: 80

ingress:
  enabled: false
  className: ""
  annotations: {}
  hosts:
    - host: chart-example.local
      paths:
        - path: /
          pathType: ImplementationSpecific
  tls: []

resources:
  requests:
    cpu: 100m
    memory: 128Mi
  limits:
    memory: 128Mi

livenessProbe:
  httpGet:
    path: /
    port: http
readinessProbe:
  httpGet:
    path: /
    port: http

autoscaling:
  enabled: false
  minReplicas: 1
  maxReplicas: 10
  targetCPUUtilizationPercentage: 80

# A writable /tmp, since the root filesystem is read-only.
volumes:
  - name: tmp
    emptyDir: {}
volumeMounts:
  - name: tmp
    mountPath: /tmp

nodeSelector: {}
tolerations: []
affinity: {}
"#;

const VALUES_SCHEMA_JSON: &str = r##"{
  "$schema": "https://json-schema.org/draft/2020-12/schema",
  "title": "Values",
  "description": "Values of this chart. Unknown keys are errors.",
  "type": "object",
  "additionalProperties": false,
  "$defs": {
    "stringMap": {
      "description": "A map of string keys to string values.",
      "type": "object",
      "additionalProperties": { "type": "string", "description": "A string value." }
    },
    "quantityMap": {
      "description": "Resource name (cpu, memory, ...) to a quantity such as 100m or 128Mi.",
      "type": "object",
      "additionalProperties": {
        "type": ["string", "integer", "number"],
        "description": "A Kubernetes quantity."
      }
    },
    "k8sObject": {
      "description": "A Kubernetes object passed through as written; the manifest validator checks it.",
      "type": "object"
    },
    "probe": {
      "description": "A Kubernetes container probe.",
      "type": "object",
      "additionalProperties": false,
      "properties": {
        "httpGet": {
          "description": "Probe with an HTTP GET.",
          "type": "object",
          "additionalProperties": false,
          "properties": {
            "path": { "type": "string", "description": "Path to request." },
            "port": { "type": ["string", "integer"], "description": "Port name or number." },
            "scheme": { "type": "string", "enum": ["HTTP", "HTTPS"], "description": "HTTP or HTTPS." },
            "httpHeaders": {
              "type": "array",
              "description": "Extra request headers.",
              "items": {
                "type": "object",
                "description": "One header.",
                "additionalProperties": false,
                "required": ["name", "value"],
                "properties": {
                  "name": { "type": "string", "description": "Header name." },
                  "value": { "type": "string", "description": "Header value." }
                }
              }
            }
          }
        },
        "tcpSocket": {
          "description": "Probe by opening a TCP connection.",
          "type": "object",
          "additionalProperties": false,
          "properties": {
            "port": { "type": ["string", "integer"], "description": "Port name or number." }
          }
        },
        "exec": {
          "description": "Probe by running a command in the container.",
          "type": "object",
          "additionalProperties": false,
          "properties": {
            "command": { "type": "array", "description": "Command and arguments.", "items": { "type": "string", "description": "One argument." } }
          }
        },
        "initialDelaySeconds": { "type": "integer", "minimum": 0, "description": "Seconds before the first probe." },
        "periodSeconds": { "type": "integer", "minimum": 1, "description": "Seconds between probes." },
        "timeoutSeconds": { "type": "integer", "minimum": 1, "description": "Seconds before a probe times out." },
        "successThreshold": { "type": "integer", "minimum": 1, "description": "Successes needed after a failure." },
        "failureThreshold": { "type": "integer", "minimum": 1, "description": "Failures before giving up." }
      }
    }
  },
  "properties": {
    "global": {
      "description": "Values shared with subcharts (Helm's global values).",
      "type": "object"
    },
    "replicaCount": { "type": "integer", "minimum": 0, "description": "Pod replicas when autoscaling is off." },
    "image": {
      "description": "The container image.",
      "type": "object",
      "additionalProperties": false,
      "required": ["repository"],
      "properties": {
        "repository": { "type": "string", "minLength": 1, "description": "Image repository." },
        "pullPolicy": { "type": "string", "enum": ["Always", "IfNotPresent", "Never"], "description": "When to pull the image." },
        "tag": { "type": "string", "description": "Image tag; empty means the chart's appVersion." }
      }
    },
    "imagePullSecrets": {
      "description": "Secrets for pulling images from private registries.",
      "type": "array",
      "items": {
        "type": "object",
        "description": "A reference to a Secret.",
        "additionalProperties": false,
        "required": ["name"],
        "properties": { "name": { "type": "string", "description": "Secret name." } }
      }
    },
    "nameOverride": { "type": "string", "description": "Replaces the chart name in resource names." },
    "fullnameOverride": { "type": "string", "description": "Replaces the whole generated resource name." },
    "serviceAccount": {
      "description": "The pods' service account.",
      "type": "object",
      "additionalProperties": false,
      "properties": {
        "create": { "type": "boolean", "description": "Create a service account." },
        "automount": { "type": "boolean", "description": "Mount the service account token into pods." },
        "annotations": { "$ref": "#/$defs/stringMap", "description": "Annotations on the service account." },
        "name": { "type": "string", "description": "Name to use; empty means the generated full name." }
      }
    },
    "podAnnotations": { "$ref": "#/$defs/stringMap", "description": "Annotations on the pods." },
    "podLabels": { "$ref": "#/$defs/stringMap", "description": "Extra labels on the pods." },
    "podSecurityContext": {
      "description": "The pod security context.",
      "type": "object",
      "additionalProperties": false,
      "properties": {
        "runAsNonRoot": { "type": "boolean", "description": "Refuse to start containers as root." },
        "runAsUser": { "type": "integer", "minimum": 0, "description": "User id of the container processes." },
        "runAsGroup": { "type": "integer", "minimum": 0, "description": "Group id of the container processes." },
        "fsGroup": { "type": "integer", "minimum": 0, "description": "Group that owns mounted volumes." },
        "seccompProfile": {
          "description": "The seccomp profile.",
          "type": "object",
          "additionalProperties": false,
          "properties": {
            "type": { "type": "string", "enum": ["RuntimeDefault", "Localhost", "Unconfined"], "description": "Profile kind." },
            "localhostProfile": { "type": "string", "description": "Profile file, for type Localhost." }
          }
        }
      }
    },
    "securityContext": {
      "description": "The container security context.",
      "type": "object",
      "additionalProperties": false,
      "properties": {
        "allowPrivilegeEscalation": { "type": "boolean", "description": "Allow gaining more privileges than the parent process." },
        "readOnlyRootFilesystem": { "type": "boolean", "description": "Mount the root filesystem read-only." },
        "runAsNonRoot": { "type": "boolean", "description": "Refuse to start as root." },
        "runAsUser": { "type": "integer", "minimum": 0, "description": "User id of the process." },
        "privileged": { "type": "boolean", "description": "Run privileged (avoid)." },
        "capabilities": {
          "description": "Linux capabilities to add or drop.",
          "type": "object",
          "additionalProperties": false,
          "properties": {
            "add": { "type": "array", "description": "Capabilities to add.", "items": { "type": "string", "description": "A capability." } },
            "drop": { "type": "array", "description": "Capabilities to drop.", "items": { "type": "string", "description": "A capability." } }
          }
        }
      }
    },
    "containerPort": { "type": "integer", "minimum": 1, "maximum": 65535, "description": "Port the container listens on." },
    "service": {
      "description": "The Service in front of the pods.",
      "type": "object",
      "additionalProperties": false,
      "properties": {
        "type": { "type": "string", "enum": ["ClusterIP", "NodePort", "LoadBalancer"], "description": "Service type." },
        "port": { "type": "integer", "minimum": 1, "maximum": 65535, "description": "Service port." }
      }
    },
    "ingress": {
      "description": "An optional Ingress.",
      "type": "object",
      "additionalProperties": false,
      "properties": {
        "enabled": { "type": "boolean", "description": "Create the Ingress." },
        "className": { "type": "string", "description": "IngressClass name; empty means the cluster default." },
        "annotations": { "$ref": "#/$defs/stringMap", "description": "Annotations on the Ingress." },
        "hosts": {
          "description": "Hosts and paths routed to the Service.",
          "type": "array",
          "items": {
            "type": "object",
            "description": "One host.",
            "additionalProperties": false,
            "required": ["host"],
            "properties": {
              "host": { "type": "string", "description": "Host name." },
              "paths": {
                "type": "array",
                "description": "Paths on this host.",
                "items": {
                  "type": "object",
                  "description": "One path.",
                  "additionalProperties": false,
                  "required": ["path"],
                  "properties": {
                    "path": { "type": "string", "description": "URL path." },
                    "pathType": { "type": "string", "enum": ["Exact", "Prefix", "ImplementationSpecific"], "description": "How the path matches." }
                  }
                }
              }
            }
          }
        },
        "tls": {
          "description": "TLS settings.",
          "type": "array",
          "items": {
            "type": "object",
            "description": "A certificate and the hosts it covers.",
            "additionalProperties": false,
            "properties": {
              "secretName": { "type": "string", "description": "Secret holding the certificate." },
              "hosts": { "type": "array", "description": "Hosts covered.", "items": { "type": "string", "description": "A host." } }
            }
          }
        }
      }
    },
    "resources": {
      "description": "Container resource requests and limits.",
      "type": "object",
      "additionalProperties": false,
      "properties": {
        "requests": { "$ref": "#/$defs/quantityMap", "description": "Resources reserved for the container." },
        "limits": { "$ref": "#/$defs/quantityMap", "description": "Resource ceilings for the container." }
      }
    },
    "livenessProbe": { "$ref": "#/$defs/probe", "description": "Restart the container when this fails." },
    "readinessProbe": { "$ref": "#/$defs/probe", "description": "Send traffic only when this succeeds." },
    "autoscaling": {
      "description": "An optional HorizontalPodAutoscaler.",
      "type": "object",
      "additionalProperties": false,
      "properties": {
        "enabled": { "type": "boolean", "description": "Create the autoscaler (replicaCount is then ignored)." },
        "minReplicas": { "type": "integer", "minimum": 1, "description": "Fewest replicas." },
        "maxReplicas": { "type": "integer", "minimum": 1, "description": "Most replicas." },
        "targetCPUUtilizationPercentage": { "type": "integer", "minimum": 1, "maximum": 100, "description": "Average CPU use to aim for, in percent." },
        "targetMemoryUtilizationPercentage": { "type": "integer", "minimum": 1, "maximum": 100, "description": "Average memory use to aim for, in percent." }
      }
    },
    "volumes": {
      "description": "Extra pod volumes (Kubernetes Volume objects).",
      "type": "array",
      "items": { "$ref": "#/$defs/k8sObject", "description": "A Volume." }
    },
    "volumeMounts": {
      "description": "Extra container volume mounts.",
      "type": "array",
      "items": {
        "type": "object",
        "description": "A VolumeMount.",
        "additionalProperties": false,
        "required": ["name", "mountPath"],
        "properties": {
          "name": { "type": "string", "description": "Volume name." },
          "mountPath": { "type": "string", "description": "Where to mount it." },
          "subPath": { "type": "string", "description": "Sub-path of the volume to mount." },
          "readOnly": { "type": "boolean", "description": "Mount read-only." }
        }
      }
    },
    "nodeSelector": { "$ref": "#/$defs/stringMap", "description": "Node labels the pods must match." },
    "tolerations": {
      "description": "Taints the pods tolerate (Kubernetes Toleration objects).",
      "type": "array",
      "items": { "$ref": "#/$defs/k8sObject", "description": "A Toleration." }
    },
    "affinity": {
      "description": "Pod scheduling affinity.",
      "type": "object",
      "additionalProperties": false,
      "properties": {
        "nodeAffinity": { "$ref": "#/$defs/k8sObject", "description": "Node affinity rules." },
        "podAffinity": { "$ref": "#/$defs/k8sObject", "description": "Pod affinity rules." },
        "podAntiAffinity": { "$ref": "#/$defs/k8sObject", "description": "Pod anti-affinity rules." }
      }
    }
  }
}
"##;

const HELPERS_TPL: &str = r#"{# Helpers for this chart. Use them with {% import "_helpers.tpl" as h %}. #}

{# The chart name, or values.nameOverride. #}
{% macro name() -%}
{{ (values.nameOverride or chart.name) | trunc(63) | trim_suffix("-") }}
{%- endmacro %}

{# A DNS-safe name for resources: "<release>-<chart>", or the release name when it already
   contains the chart name, or values.fullnameOverride. #}
{% macro fullname() -%}
{% if values.fullnameOverride %}
{{ values.fullnameOverride | trunc(63) | trim_suffix("-") }}
{%- elif (values.nameOverride or chart.name) in release.name %}
{{ release.name | trunc(63) | trim_suffix("-") }}
{%- else %}
{{ (release.name ~ "-" ~ (values.nameOverride or chart.name)) | trunc(63) | trim_suffix("-") }}
{%- endif %}
{%- endmacro %}

{# "<chart>-<version>" for the helm.sh/chart label. #}
{% macro chart_label() -%}
{{ (chart.name ~ "-" ~ chart.version) | replace("+", "_") | trunc(63) | trim_suffix("-") }}
{%- endmacro %}

{# Labels that select this release's pods; never change them after the first install. #}
{% macro selector_labels() -%}
app.kubernetes.io/name: {{ name() }}
app.kubernetes.io/instance: {{ release.name }}
{%- endmacro %}

{# Labels for every resource. #}
{% macro labels() -%}
helm.sh/chart: {{ chart_label() }}
{{ selector_labels() }}
app.kubernetes.io/version: {{ chart.appVersion | quote }}
app.kubernetes.io/managed-by: {{ release.service }}
{%- endmacro %}

{# The service account the pods run as. #}
{% macro service_account_name() -%}
{% if values.serviceAccount.create %}
{{ values.serviceAccount.name or fullname() }}
{%- else %}
{{ values.serviceAccount.name or "default" }}
{%- endif %}
{%- endmacro %}
"#;

const DEPLOYMENT_YAML: &str = r#"{% import "_helpers.tpl" as h %}
apiVersion: apps/v1
kind: Deployment
metadata:
  name: {{ h.fullname() }}
  labels:
    {{- h.labels() | nindent(4) }}
spec:
  {% if not values.autoscaling.enabled %}
  replicas: {{ values.replicaCount }}
  {% endif %}
  selector:
    matchLabels:
      {{- h.selector_labels() | nindent(6) }}
  template:
    metadata:
      {% if values.podAnnotations %}
      annotations:
        {{- values.podAnnotations | to_yaml | nindent(8) }}
      {% endif %}
      labels:
        {{- h.labels() | nindent(8) }}
        {% if values.podLabels %}
        {{- values.podLabels | to_yaml | nindent(8) }}
        {% endif %}
    spec:
      {% if values.imagePullSecrets %}
      imagePullSecrets:
        {{- values.imagePullSecrets | to_yaml | nindent(8) }}
      {% endif %}
      serviceAccountName: {{ h.service_account_name() }}
      automountServiceAccountToken: {{ values.serviceAccount.automount }}
      securityContext:
        {{- values.podSecurityContext | to_yaml | nindent(8) }}
      containers:
        - name: {{ chart.name }}
          image: "{{ values.image.repository }}:{{ values.image.tag or chart.appVersion }}"
          imagePullPolicy: {{ values.image.pullPolicy }}
          securityContext:
            {{- values.securityContext | to_yaml | nindent(12) }}
          ports:
            - name: http
              containerPort: {{ values.containerPort }}
              protocol: TCP
          livenessProbe:
            {{- values.livenessProbe | to_yaml | nindent(12) }}
          readinessProbe:
            {{- values.readinessProbe | to_yaml | nindent(12) }}
          resources:
            {{- values.resources | to_yaml | nindent(12) }}
          {% if values.volumeMounts %}
          volumeMounts:
            {{- values.volumeMounts | to_yaml | nindent(12) }}
          {% endif %}
      {% if values.volumes %}
      volumes:
        {{- values.volumes | to_yaml | nindent(8) }}
      {% endif %}
      {% if values.nodeSelector %}
      nodeSelector:
        {{- values.nodeSelector | to_yaml | nindent(8) }}
      {% endif %}
      {% if values.affinity %}
      affinity:
        {{- values.affinity | to_yaml | nindent(8) }}
      {% endif %}
      {% if values.tolerations %}
      tolerations:
        {{- values.tolerations | to_yaml | nindent(8) }}
      {% endif %}
"#;

const SERVICE_YAML: &str = r#"{% import "_helpers.tpl" as h %}
apiVersion: v1
kind: Service
metadata:
  name: {{ h.fullname() }}
  labels:
    {{- h.labels() | nindent(4) }}
spec:
  type: {{ values.service.type }}
  ports:
    - port: {{ values.service.port }}
      targetPort: http
      protocol: TCP
      name: http
  selector:
    {{- h.selector_labels() | nindent(4) }}
"#;

const SERVICEACCOUNT_YAML: &str = r#"{% import "_helpers.tpl" as h %}
{% if values.serviceAccount.create %}
apiVersion: v1
kind: ServiceAccount
metadata:
  name: {{ h.service_account_name() }}
  labels:
    {{- h.labels() | nindent(4) }}
  {% if values.serviceAccount.annotations %}
  annotations:
    {{- values.serviceAccount.annotations | to_yaml | nindent(4) }}
  {% endif %}
automountServiceAccountToken: {{ values.serviceAccount.automount }}
{% endif %}
"#;

const INGRESS_YAML: &str = r#"{% import "_helpers.tpl" as h %}
{% if values.ingress.enabled %}
apiVersion: networking.k8s.io/v1
kind: Ingress
metadata:
  name: {{ h.fullname() }}
  labels:
    {{- h.labels() | nindent(4) }}
  {% if values.ingress.annotations %}
  annotations:
    {{- values.ingress.annotations | to_yaml | nindent(4) }}
  {% endif %}
spec:
  {% if values.ingress.className %}
  ingressClassName: {{ values.ingress.className }}
  {% endif %}
  {% if values.ingress.tls %}
  tls:
    {% for t in values.ingress.tls %}
    - hosts:
        {% for host in t.hosts %}
        - {{ host | quote }}
        {% endfor %}
      secretName: {{ t.secretName }}
    {% endfor %}
  {% endif %}
  rules:
    {% for rule in values.ingress.hosts %}
    - host: {{ rule.host | quote }}
      http:
        paths:
          {% for p in rule.paths %}
          - path: {{ p.path }}
            pathType: {{ p.pathType | default("ImplementationSpecific") }}
            backend:
              service:
                name: {{ h.fullname() }}
                port:
                  number: {{ values.service.port }}
          {% endfor %}
    {% endfor %}
{% endif %}
"#;

const HPA_YAML: &str = r#"{% import "_helpers.tpl" as h %}
{% if values.autoscaling.enabled %}
apiVersion: autoscaling/v2
kind: HorizontalPodAutoscaler
metadata:
  name: {{ h.fullname() }}
  labels:
    {{- h.labels() | nindent(4) }}
spec:
  scaleTargetRef:
    apiVersion: apps/v1
    kind: Deployment
    name: {{ h.fullname() }}
  minReplicas: {{ values.autoscaling.minReplicas }}
  maxReplicas: {{ values.autoscaling.maxReplicas }}
  metrics:
    {% if values.autoscaling.targetCPUUtilizationPercentage %}
    - type: Resource
      resource:
        name: cpu
        target:
          type: Utilization
          averageUtilization: {{ values.autoscaling.targetCPUUtilizationPercentage }}
    {% endif %}
    {% if values.autoscaling.targetMemoryUtilizationPercentage %}
    - type: Resource
      resource:
        name: memory
        target:
          type: Utilization
          averageUtilization: {{ values.autoscaling.targetMemoryUtilizationPercentage }}
    {% endif %}
{% endif %}
"#;

const NOTES_TXT: &str = r#"{% import "_helpers.tpl" as h %}
{{ chart.name }} {{ chart.appVersion }} is installed as "{{ release.name }}" in namespace "{{ release.namespace }}".

{% if values.ingress.enabled %}
Open the application at:
{% for rule in values.ingress.hosts %}
{% for p in rule.paths %}
  http{{ "s" if values.ingress.tls else "" }}://{{ rule.host }}{{ p.path }}
{% endfor %}
{% endfor %}
{% else %}
Reach the application from your machine with:
  kubectl --namespace {{ release.namespace }} port-forward service/{{ h.fullname() }} 8080:{{ values.service.port }}
and open http://127.0.0.1:8080/
{% endif %}
"#;

#[cfg(test)]
mod tests {
    use super::*;
    use crate::engine::jinja::testutil::{load_dir, merged, render};
    use serde_json::json;

    #[test]
    fn names_are_validated_like_helm() {
        for ok in ["app", "my-chart", "my_chart.v2", "A1", &"a".repeat(250)] {
            assert!(validate_name(ok).is_ok(), "{ok}");
        }
        for bad in [
            "",
            "has space",
            "slash/name",
            "back\\slash",
            "ümlaut",
            ".",
            "..",
            &"a".repeat(251),
        ] {
            let err = validate_name(bad).unwrap_err();
            assert!(
                err.to_string().contains("invalid chart name"),
                "{bad}: {err}"
            );
        }
    }

    #[test]
    fn refuses_existing_path_and_bad_parent() {
        let tmp = tempfile::tempdir().unwrap();
        fs::create_dir(tmp.path().join("taken")).unwrap();
        fs::write(tmp.path().join("taken/keep.txt"), "mine").unwrap();
        let err = create(tmp.path(), "taken").unwrap_err();
        assert!(matches!(err, CreateError::Exists { .. }), "{err}");
        assert_eq!(
            fs::read_to_string(tmp.path().join("taken/keep.txt")).unwrap(),
            "mine"
        );
        fs::write(tmp.path().join("file"), "x").unwrap();
        assert!(matches!(
            create(tmp.path(), "file").unwrap_err(),
            CreateError::Exists { .. }
        ));
        assert!(matches!(
            create(&tmp.path().join("missing"), "app").unwrap_err(),
            CreateError::NoParent { .. }
        ));
        assert!(matches!(
            create(tmp.path(), "bad name").unwrap_err(),
            CreateError::InvalidName { .. }
        ));
        // nothing else was left behind (no staging directories)
        let mut names: Vec<String> = fs::read_dir(tmp.path())
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .collect();
        names.sort();
        assert_eq!(names, vec!["file", "taken"]);
    }

    #[test]
    fn creates_the_scaffold_and_nothing_else() {
        let tmp = tempfile::tempdir().unwrap();
        let path = create(tmp.path(), "web").unwrap();
        assert!(path.is_absolute());
        assert_eq!(path, std::path::absolute(tmp.path().join("web")).unwrap());
        for (rel, _) in scaffold("web") {
            assert!(path.join(rel).is_file(), "{rel}");
        }
        assert!(path.join("charts").is_dir());
        let entries: Vec<_> = fs::read_dir(tmp.path()).unwrap().collect();
        assert_eq!(entries.len(), 1, "staging directory left behind");
        let chart_yaml = fs::read_to_string(path.join("Chart.yaml")).unwrap();
        let meta = crate::yaml::parse_value(&chart_yaml, crate::yaml::NumberModel::Exact).unwrap();
        assert_eq!(meta["apiVersion"], "v2");
        assert_eq!(meta["name"], "web");
        assert_eq!(meta["version"], "0.1.0");
        assert_eq!(meta["engine"], "jinja");
        assert_eq!(meta["appVersion"], "1.27");
        assert_eq!(meta["type"], "application");
    }

    #[test]
    fn yaml_like_names_stay_strings() {
        for name in ["true", "1.0", "yes", "null"] {
            let meta = crate::yaml::parse_value(&chart_yaml(name), crate::yaml::NumberModel::Exact)
                .unwrap();
            assert_eq!(meta["name"], json!(name), "{name}");
        }
    }

    fn created(name: &str) -> (tempfile::TempDir, crate::chart::Chart) {
        let tmp = tempfile::tempdir().unwrap();
        let path = create(tmp.path(), name).unwrap();
        let chart = load_dir(&path);
        (tmp, chart)
    }

    /// Renders and parses every manifest; returns (template name, document) pairs.
    fn render_docs(
        chart: &crate::chart::Chart,
        values: &crate::Map,
    ) -> Vec<(String, crate::Value)> {
        let report = render(chart, values).unwrap_or_else(|e| panic!("{e}"));
        let mut docs = Vec::new();
        for r in &report.rendered {
            if r.name.ends_with("NOTES.txt") {
                assert!(!r.content.trim().is_empty());
                continue;
            }
            let parsed = crate::yaml::parse_stream(&r.content, crate::yaml::NumberModel::Exact)
                .unwrap_or_else(|e| panic!("{}: {e}\n{}", r.name, r.content));
            for d in parsed {
                docs.push((r.name.clone(), d));
            }
        }
        docs
    }

    fn kinds(docs: &[(String, crate::Value)]) -> Vec<String> {
        docs.iter()
            .map(|(_, d)| d["kind"].as_str().unwrap_or("?").to_string())
            .collect()
    }

    #[test]
    fn created_chart_renders_with_defaults() {
        let (_tmp, chart) = created("web");
        let docs = render_docs(&chart, &chart.values);
        assert_eq!(
            kinds(&docs),
            vec!["Deployment", "Service", "ServiceAccount"]
        );
        let dep = &docs[0].1;
        assert_eq!(dep["metadata"]["name"], "release-name-web");
        assert_eq!(dep["spec"]["replicas"], 1);
        let pod = &dep["spec"]["template"]["spec"];
        assert_eq!(pod["automountServiceAccountToken"], false);
        assert_eq!(pod["serviceAccountName"], "release-name-web");
        assert_eq!(pod["securityContext"]["runAsNonRoot"], true);
        let c = &pod["containers"][0];
        assert_eq!(c["image"], "nginxinc/nginx-unprivileged:1.27");
        assert_eq!(c["securityContext"]["readOnlyRootFilesystem"], true);
        assert_eq!(c["securityContext"]["allowPrivilegeEscalation"], false);
        assert_eq!(c["securityContext"]["capabilities"]["drop"], json!(["ALL"]));
        assert!(c["resources"]["requests"]["memory"].is_string());
        assert!(c["resources"]["limits"]["memory"].is_string());
        assert_eq!(c["livenessProbe"]["httpGet"]["port"], "http");
        assert_eq!(c["readinessProbe"]["httpGet"]["path"], "/");
        assert_eq!(c["ports"][0]["containerPort"], 8080);
        assert_eq!(c["volumeMounts"][0]["mountPath"], "/tmp");
        assert_eq!(
            dep["spec"]["selector"]["matchLabels"],
            json!({"app.kubernetes.io/name": "web", "app.kubernetes.io/instance": "release-name"})
        );
        let sa = &docs[2].1;
        assert_eq!(sa["automountServiceAccountToken"], false);
    }

    #[test]
    fn created_chart_renders_with_ingress_and_hpa() {
        let (_tmp, chart) = created("web");
        let values = merged(
            &chart.values,
            json!({
                "ingress": {"enabled": true, "className": "nginx",
                            "annotations": {"a/b": "c"},
                            "tls": [{"secretName": "web-tls", "hosts": ["chart-example.local"]}]},
                "autoscaling": {"enabled": true, "targetMemoryUtilizationPercentage": 70},
                "podLabels": {"team": "x"},
                "serviceAccount": {"create": false}
            }),
        );
        let docs = render_docs(&chart, &values);
        assert_eq!(
            kinds(&docs),
            vec![
                "Deployment",
                "HorizontalPodAutoscaler",
                "Ingress",
                "Service"
            ]
        );
        let dep = &docs[0].1;
        assert!(
            dep["spec"].get("replicas").is_none(),
            "replicas set with HPA on"
        );
        assert_eq!(dep["spec"]["template"]["metadata"]["labels"]["team"], "x");
        assert_eq!(
            dep["spec"]["template"]["spec"]["serviceAccountName"],
            "default"
        );
        let hpa = &docs[1].1;
        assert_eq!(hpa["spec"]["maxReplicas"], 10);
        assert_eq!(hpa["spec"]["metrics"].as_array().unwrap().len(), 2);
        let ing = &docs[2].1;
        assert_eq!(ing["spec"]["ingressClassName"], "nginx");
        assert_eq!(ing["spec"]["tls"][0]["secretName"], "web-tls");
        assert_eq!(
            ing["spec"]["rules"][0]["http"]["paths"][0]["backend"]["service"]["port"]["number"],
            80
        );
    }

    #[test]
    fn created_chart_renders_in_strict_mode() {
        let (_tmp, chart) = created("web");
        let options = crate::engine::jinja::JinjaOptions {
            strict: true,
            ..Default::default()
        };
        crate::engine::jinja::testutil::render_with(
            &chart,
            &chart.values,
            options,
            crate::engine::jinja::Limits::default(),
        )
        .unwrap_or_else(|e| panic!("{e}"));
    }

    #[test]
    fn schema_is_closed_typed_described_and_accepts_defaults() {
        let schema: crate::Value = serde_json::from_str(VALUES_SCHEMA_JSON).unwrap();
        fn walk(path: &str, node: &crate::Value, defs: &crate::Value) {
            let obj = node.as_object().unwrap();
            assert!(obj.contains_key("description"), "{path}: no description");
            if let Some(r) = obj.get("$ref") {
                let name = r.as_str().unwrap().trim_start_matches("#/$defs/");
                assert!(defs.get(name).is_some(), "{path}: dangling {r}");
                return;
            }
            assert!(obj.contains_key("type"), "{path}: no type");
            if let Some(props) = obj.get("properties") {
                assert_eq!(
                    obj.get("additionalProperties"),
                    Some(&json!(false)),
                    "{path}: not closed"
                );
                for (k, v) in props.as_object().unwrap() {
                    walk(&format!("{path}.{k}"), v, defs);
                }
            }
            if let Some(items) = obj.get("items") {
                walk(&format!("{path}[]"), items, defs);
            }
            if let Some(ap) = obj.get("additionalProperties").filter(|v| v.is_object()) {
                walk(&format!("{path}.*"), ap, defs);
            }
        }
        let defs = schema["$defs"].clone();
        walk("values", &schema, &defs);
        for (name, d) in defs.as_object().unwrap() {
            walk(&format!("$defs.{name}"), d, &defs);
        }
        // defaults validate; an unknown key and a wrong type do not
        let values =
            crate::yaml::parse_value(VALUES_YAML, crate::yaml::NumberModel::Exact).unwrap();
        let v = jsonschema::validator_for(&schema).unwrap();
        assert!(v.is_valid(&values), "defaults rejected");
        let mut bad = values.clone();
        bad["imagePullPolicy"] = json!("Always");
        assert!(!v.is_valid(&bad));
        let mut bad = values.clone();
        bad["service"]["port"] = json!("80");
        assert!(!v.is_valid(&bad));
        let mut bad = values;
        bad["securityContext"]["unknown"] = json!(true);
        assert!(!v.is_valid(&bad));
    }
}
