{#-
  Names, labels and shared text of the jenkins chart. Macros get everything they read as
  arguments (an imported template does not see the render context).
-#}

{% macro name(chart, values) -%}
{{ (values.nameOverride or chart.name) | trunc(63) | trim_suffix("-") }}
{%- endmacro %}

{% macro fullname(chart, release, values) -%}
{%- if values.fullnameOverride -%}
{{ values.fullnameOverride | trunc(63) | trim_suffix("-") }}
{%- else -%}
{%- set n = values.nameOverride or chart.name -%}
{%- if n in release.name -%}
{{ release.name | trunc(63) | trim_suffix("-") }}
{%- else -%}
{{ (release.name ~ "-" ~ n) | trunc(63) | trim_suffix("-") }}
{%- endif -%}
{%- endif -%}
{%- endmacro %}

{#- The StatefulSet name stays within 52 characters: the controller-revision-hash label adds 11. -#}
{% macro controller_name(fullname) -%}
{{ fullname | trunc(52) | trim_suffix("-") }}
{%- endmacro %}

{% macro suffixed(fullname, suffix) -%}
{{ fullname | trunc(62 - suffix | length) | trim_suffix("-") }}-{{ suffix }}
{%- endmacro %}

{% macro admin_secret_name(fullname, values) -%}
{{ values.admin.existingSecret or suffixed(fullname, "admin") }}
{%- endmacro %}

{% macro service_account_name(fullname, values) -%}
{%- if values.serviceAccount.create -%}
{{ values.serviceAccount.name or fullname }}
{%- else -%}
{{ values.serviceAccount.name or "default" }}
{%- endif -%}
{%- endmacro %}

{#- Agent pods carry chartroom.dev/jenkins-agent=<fullname>; the NetworkPolicy admits them. -#}
{% macro agent_label(fullname) -%}
chartroom.dev/jenkins-agent: {{ fullname }}
{%- endmacro %}

{% macro selector_labels(chart, release, values, component) %}
{% filter trim %}
app.kubernetes.io/name: {{ name(chart, values) }}
app.kubernetes.io/instance: {{ release.name | trunc(63) | trim_suffix("-") }}
{% if component %}
app.kubernetes.io/component: {{ component }}
{% endif %}
{% endfilter %}
{% endmacro %}

{% macro labels(chart, release, values, component) %}
{% filter trim %}
{{ selector_labels(chart, release, values, component) }}
app.kubernetes.io/version: {{ chart.appVersion | trunc(63) | trim_suffix("-") | quote }}
app.kubernetes.io/part-of: {{ name(chart, values) }}
app.kubernetes.io/managed-by: {{ release.service }}
helm.sh/chart: {{ (chart.name ~ "-" ~ chart.version) | replace("+", "_") | trunc(63) | trim_suffix("-") }}
{% for key, value in values.commonLabels | dictsort %}
{{ key }}: {{ value | quote }}
{% endfor %}
{% endfilter %}
{% endmacro %}

{% macro image(img, default_tag) -%}
{% if img.registry %}{{ img.registry }}/{% endif %}{{ img.repository }}{% if img.digest %}@{{ img.digest }}{% else %}:{{ img.tag or default_tag }}{% endif %}
{%- endmacro %}

{% macro controller_image(chart, values) -%}
{{ image(values.image, chart.appVersion ~ ("-" ~ values.image.tagLabel if values.image.tagLabel else "")) }}
{%- endmacro %}

{#- Jenkins' public URL: controller.url, else from the Ingress, else the in-cluster Service. -#}
{% macro jenkins_url(fullname, release, values) -%}
{%- if values.controller.url -%}
{{ values.controller.url }}
{%- elif values.ingress.enabled -%}
{{ "https" if values.ingress.tls.enabled else "http" }}://{{ values.ingress.host }}{{ values.ingress.path | trim_suffix("/") }}/
{%- else -%}
http://{{ fullname }}.{{ release.namespace }}.svc:{{ values.service.port }}/
{%- endif -%}
{%- endmacro %}

{% macro plugins_txt(values) %}
{% filter trim %}
{% for plugin in values.plugins.install %}
{{ plugin }}
{% endfor %}
{% for plugin in values.plugins.extra %}
{{ plugin }}
{% endfor %}
{% endfilter %}
{% endmacro %}

{#- The chart's base configuration as code (casc.defaultConfig). ${jenkins-admin-*} are read by
    the configuration-as-code plugin from the files of the admin Secret (SECRETS directory). -#}
{% macro casc_default(chart, release, values, fullname) %}
{% filter trim %}
jenkins:
  systemMessage: {{ values.controller.systemMessage | quote }}
  numExecutors: {{ values.controller.numExecutors }}
  mode: NORMAL
  slaveAgentPort: {{ values.service.agentPort }}
  securityRealm:
    local:
      allowsSignup: false
      users:
        - id: "${jenkins-admin-user}"
          password: "${jenkins-admin-password}"
  authorizationStrategy:
    loggedInUsersCanDoAnything:
      allowAnonymousRead: false
{% if values.agents.enabled %}
  clouds:
    - kubernetes:
        name: kubernetes
        serverUrl: https://kubernetes.default.svc
        namespace: {{ release.namespace }}
        jenkinsUrl: http://{{ fullname }}.{{ release.namespace }}.svc:{{ values.service.port }}
        jenkinsTunnel: {{ suffixed(fullname, "agent") }}.{{ release.namespace }}.svc:{{ values.service.agentPort }}
        containerCapStr: {{ values.agents.containerCap | string | quote }}
        podLabels:
          - key: chartroom.dev/jenkins-agent
            value: {{ fullname }}
        templates:
          - name: default
            label: {{ values.agents.label | quote }}
            nodeUsageMode: NORMAL
            serviceAccount: default
            containers:
              - name: jnlp
                image: {{ image(values.agents.image, "") }}
                alwaysPullImage: {{ "true" if values.agents.image.pullPolicy == "Always" else "false" }}
                resourceRequestCpu: {{ values.agents.resources.requests.cpu | string | quote }}
                resourceRequestMemory: {{ values.agents.resources.requests.memory | string | quote }}
                resourceLimitCpu: {{ values.agents.resources.limits.cpu | string | quote }}
                resourceLimitMemory: {{ values.agents.resources.limits.memory | string | quote }}
            yamlMergeStrategy: merge
            yaml: |
              spec:
                automountServiceAccountToken: false
                enableServiceLinks: false
                securityContext:
                  runAsNonRoot: true
                  runAsUser: 1000
                  runAsGroup: 1000
                  seccompProfile:
                    type: RuntimeDefault
                containers:
                  - name: jnlp
                    securityContext:
                      allowPrivilegeEscalation: false
                      capabilities:
                        drop:
                          - ALL
{% endif %}
unclassified:
  location:
    url: {{ jenkins_url(fullname, release, values) | quote }}
{% endfilter %}
{% endmacro %}

{% macro probe(values, kind) -%}
httpGet:
  path: /login
  port: http
periodSeconds: {{ values.probes[kind].periodSeconds }}
timeoutSeconds: {{ values.probes[kind].timeoutSeconds }}
failureThreshold: {{ values.probes[kind].failureThreshold }}
{%- endmacro %}
