{#-
  Names, labels and shared text of the postgres chart. Macros get everything they read as
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

{#- StatefulSet names stay within 52 characters: the controller-revision-hash label adds 11. -#}
{% macro primary_name(fullname) -%}
{{ fullname | trunc(52) | trim_suffix("-") }}
{%- endmacro %}

{% macro replica_name(fullname) -%}
{{ fullname | trunc(44) | trim_suffix("-") }}-replica
{%- endmacro %}

{% macro secret_name(fullname, values) -%}
{{ values.auth.existingSecret or (fullname | trunc(58) | trim_suffix("-")) ~ "-auth" }}
{%- endmacro %}

{% macro service_account_name(fullname, values) -%}
{%- if values.serviceAccount.create -%}
{{ values.serviceAccount.name or fullname }}
{%- else -%}
{{ values.serviceAccount.name or "default" }}
{%- endif -%}
{%- endmacro %}

{#- The label clients carry to pass the NetworkPolicy: chartroom.dev/postgres-client=<fullname>. -#}
{% macro client_label(fullname) -%}
chartroom.dev/postgres-client: {{ fullname }}
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

{#- One postgresql.conf value: booleans as on/off, numbers bare, strings single-quoted. -#}
{% macro conf_value(v) -%}
{%- if v is boolean -%}
{{ "on" if v else "off" }}
{%- elif v is number -%}
{{ v }}
{%- else -%}
'{{ v | string | replace("'", "''") }}'
{%- endif -%}
{%- endmacro %}

{% macro postgresql_conf(values) %}
{% filter trim %}
# Written by the chart. Settings come from postgresql.config in values.
listen_addresses = '*'
port = {{ values.postgresql.port }}
unix_socket_directories = '/var/run/postgresql'
{% for key, value in values.postgresql.config | dictsort %}
{{ key }} = {{ conf_value(value) }}
{% endfor %}
{% endfilter %}
{% endmacro %}

{% macro pg_hba(values) %}
{% filter trim %}
# Written by the chart. Rules from postgresql.hbaRules come first; the first match wins.
{% for rule in values.postgresql.hbaRules %}
{{ rule }}
{% endfor %}
# TYPE  DATABASE     USER  ADDRESS  METHOD
local   all          all            scram-sha-256
host    replication  {{ values.auth.replicationUsername }}  all  scram-sha-256
host    all          all   all      scram-sha-256
{% endfilter %}
{% endmacro %}

{#- The pg_isready command of the probes: a TCP check, so it passes only once the server listens. -#}
{% macro pg_isready(values) -%}
exec:
  command:
    - pg_isready
    - --host=127.0.0.1
    - --port={{ values.postgresql.port }}
    - --quiet
{%- endmacro %}

{% macro probes(values) -%}
startupProbe:
  {{ pg_isready(values) | indent(2) | trim }}
  periodSeconds: {{ values.probes.startup.periodSeconds }}
  timeoutSeconds: {{ values.probes.startup.timeoutSeconds }}
  failureThreshold: {{ values.probes.startup.failureThreshold }}
readinessProbe:
  {{ pg_isready(values) | indent(2) | trim }}
  periodSeconds: {{ values.probes.readiness.periodSeconds }}
  timeoutSeconds: {{ values.probes.readiness.timeoutSeconds }}
  failureThreshold: {{ values.probes.readiness.failureThreshold }}
livenessProbe:
  {{ pg_isready(values) | indent(2) | trim }}
  periodSeconds: {{ values.probes.liveness.periodSeconds }}
  timeoutSeconds: {{ values.probes.liveness.timeoutSeconds }}
  failureThreshold: {{ values.probes.liveness.failureThreshold }}
{%- endmacro %}

{#- The postgres_exporter sidecar (metrics.enabled). It reads the superuser password from the
    mounted Secret file, never from an environment variable. -#}
{% macro metrics_container(values) -%}
- name: metrics
  image: {{ image(values.metrics.image, "") }}
  imagePullPolicy: {{ values.metrics.image.pullPolicy }}
  args:
    - --web.listen-address=:{{ values.metrics.port }}
  env:
    - name: DATA_SOURCE_URI
      value: {{ ("127.0.0.1:" ~ values.postgresql.port ~ "/postgres?sslmode=disable") | quote }}
    - name: DATA_SOURCE_USER
      value: {{ values.auth.username | quote }}
    - name: DATA_SOURCE_PASS_FILE
      value: /etc/postgresql/secrets/postgres-password
  ports:
    - name: metrics
      containerPort: {{ values.metrics.port }}
      protocol: TCP
  readinessProbe:
    httpGet:
      path: /
      port: metrics
    periodSeconds: 10
    timeoutSeconds: 5
  livenessProbe:
    httpGet:
      path: /
      port: metrics
    periodSeconds: 20
    timeoutSeconds: 5
    failureThreshold: 6
  resources:
    {{- values.metrics.resources | to_yaml | nindent(4) }}
  securityContext:
    {{- values.containerSecurityContext | to_yaml | nindent(4) }}
  volumeMounts:
    - name: secrets
      mountPath: /etc/postgresql/secrets
      readOnly: true
{%- endmacro %}
