{#-
  Names, labels and shared text of the fluent-bit chart. Macros get everything they read as
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

{#- Cluster-scoped objects carry the namespace in their name: two releases of the same name in
    different namespaces must not share them. -#}
{% macro cluster_name(fullname, release) -%}
{{ release.namespace }}-{{ fullname }}
{%- endmacro %}

{% macro service_account_name(fullname, values) -%}
{%- if values.serviceAccount.create -%}
{{ values.serviceAccount.name or fullname }}
{%- else -%}
{{ values.serviceAccount.name or "default" }}
{%- endif -%}
{%- endmacro %}

{% macro selector_labels(chart, release, values) %}
{% filter trim %}
app.kubernetes.io/name: {{ name(chart, values) }}
app.kubernetes.io/instance: {{ release.name | trunc(63) | trim_suffix("-") }}
{% endfilter %}
{% endmacro %}

{% macro labels(chart, release, values) %}
{% filter trim %}
{{ selector_labels(chart, release, values) }}
app.kubernetes.io/component: log-shipper
app.kubernetes.io/version: {{ (values.image.tag or chart.appVersion) | trunc(63) | trim_suffix("-") | quote }}
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

{#- One list of plugin sections (inputs, filters, outputs) as YAML list items. Tail inputs
    without a db get the chart's offset database. -#}
{% macro sections(items, with_db) %}
{% filter trim %}
{% for item in items %}
- {{ item | to_yaml | indent(2) | trim }}
{% if with_db and item.name == "tail" and "db" not in item %}
  db: /var/lib/fluent-bit/state/tail.db
  db.locking: true
{% endif %}
{% endfor %}
{% endfilter %}
{% endmacro %}

{% macro fluent_bit_yaml(values) %}
{% filter trim %}
# Written by the chart from config in values.
service:
{% if values.config.service %}
  {{ values.config.service | to_yaml | indent(2) | trim }}
{% endif %}
  http_server: true
  http_listen: 0.0.0.0
  http_port: {{ values.httpPort }}
  health_check: true
pipeline:
  inputs:
    {{ sections(values.config.inputs, true) | indent(4) | trim }}
{% if values.config.filters %}
  filters:
    {{ sections(values.config.filters, false) | indent(4) | trim }}
{% endif %}
  outputs:
    {{ sections(values.config.outputs, false) | indent(4) | trim }}
{% endfilter %}
{% endmacro %}

{#- The lint exceptions of the DaemonSet, with the reason (chartroom.dev/lint-ignore). -#}
{% macro lint_exceptions(values) -%}
host-path,run-as-root{{ ",writable-host-mount" if values.positionDb.hostPath else "" }}: a log shipper reads the node's log files through read-only hostPath mounts{{ " and keeps its read offsets in a node directory so restarts neither lose nor repeat lines" if values.positionDb.hostPath else "" }}; node log files are root-owned with mode 0640, so it runs as UID 0, with every capability dropped, no privilege escalation and a read-only root filesystem
{%- endmacro %}
