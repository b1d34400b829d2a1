//! Engine-level tests: whole charts rendered through `render_chart`.

use super::testutil::{chart, merged, render, render_with};
use super::*;
use serde_json::json;

fn values(v: serde_json::Value) -> Map {
    v.as_object().cloned().unwrap()
}

fn content<'a>(report: &'a ChartReport, name: &str) -> &'a str {
    report
        .rendered
        .iter()
        .find(|r| r.name == name)
        .map(|r| r.content.as_str())
        .unwrap_or_else(|| panic!("{name} not rendered: {:?}", report.rendered))
}

#[test]
fn renders_every_non_partial_template_in_name_order() {
    let c = chart(
        "app",
        &[
            (
                "templates/_helpers.tpl",
                "{% macro x() %}X{% endmacro %}junk",
            ),
            ("templates/b.yaml", "b: 1\n"),
            ("templates/a.yaml", "a: 1\n"),
            ("templates/sub/_p.tpl", "nothing"),
            ("templates/sub/c.yaml", "c: 1\n"),
            (
                "templates/NOTES.txt",
                "Thanks for installing {{ chart.name }}.\n",
            ),
        ],
    );
    let r = render(&c, &Map::new()).unwrap();
    let names: Vec<&str> = r.rendered.iter().map(|r| r.name.as_str()).collect();
    assert_eq!(
        names,
        vec![
            "app/templates/NOTES.txt",
            "app/templates/a.yaml",
            "app/templates/b.yaml",
            "app/templates/sub/c.yaml"
        ]
    );
    assert_eq!(
        content(&r, "app/templates/NOTES.txt"),
        "Thanks for installing app.\n"
    );
}

#[test]
fn subchart_names_use_full_path() {
    let mut c = chart(
        "sub",
        &[(
            "templates/x.yaml",
            "{{ template.name }} {{ template.base_path }}",
        )],
    );
    c.full_path = "parent/charts/sub".into();
    let r = render(&c, &Map::new()).unwrap();
    assert_eq!(
        content(&r, "parent/charts/sub/templates/x.yaml"),
        "parent/charts/sub/templates/x.yaml parent/charts/sub/templates"
    );
}

#[test]
fn whitespace_control_and_no_escaping() {
    let c = chart(
        "app",
        &[(
            "templates/cm.yaml",
            "name: {{ release.name }}-{{ chart.name }}\nitems:\n{% for i in values.items %}\n  - {{ i }}\n{% endfor %}\n{% if values.on %}\non: yes\n{% endif %}\nquote: \"{{ values.q }}\" <&>\n",
        )],
    );
    let r = render(
        &c,
        &values(json!({"items": [1, 2], "on": true, "q": "a&b"})),
    )
    .unwrap();
    assert_eq!(
        content(&r, "app/templates/cm.yaml"),
        "name: release-name-app\nitems:\n  - 1\n  - 2\non: yes\nquote: \"a&b\" <&>\n"
    );
}

#[test]
fn integers_stay_integers() {
    let c = chart(
        "app",
        &[(
            "templates/a.yaml",
            "n: {{ values.n }}\nf: {{ values.f }}\nbig: {{ values.big }}",
        )],
    );
    let r = render(
        &c,
        &values(json!({"n": 1000000, "f": 1.5, "big": 12345678901234u64})),
    )
    .unwrap();
    assert_eq!(
        content(&r, "app/templates/a.yaml"),
        "n: 1000000\nf: 1.5\nbig: 12345678901234"
    );
}

#[test]
fn context_objects() {
    let mut c = chart(
        "app",
        &[
            (
                "templates/ctx.txt",
                "{{ release.name }}|{{ release.namespace }}|{{ release.revision }}|{{ release.is_install }}|{{ release.is_upgrade }}|{{ release.service }}\n\
                 {{ chart.name }}|{{ chart.version }}|{{ chart.appVersion }}|{{ chart.annotations['x/y'] }}\n\
                 {{ capabilities.kube_version }}|{{ capabilities.kube_version.major }}.{{ capabilities.kube_version.minor }}|{{ capabilities.kube_version.version }}\n\
                 {{ 'apps/v1' in capabilities.api_versions }}|{{ 'nope/v9' in capabilities.api_versions }}|{{ capabilities.api_versions.has('autoscaling/v2') }}\n\
                 {{ capabilities.helm_version.version }}\n\
                 {{ files.get('files/a.txt') }}|{{ files.get('files/missing') }}|{{ files.lines('files/a.txt') | length }}\n\
                 {% for path in files.glob('files/*.txt') %}{{ path }};{% endfor %}\n\
                 {{ files.glob('files/*.txt').as_config() }}\n\
                 {{ files['files/b.txt'] }}\n",
            ),
            ("files/a.txt", "alpha\n"),
            ("files/b.txt", "beta"),
        ],
    );
    c.raw_metadata
        .insert("annotations".into(), json!({"x/y": "z"}));
    let r = render(&c, &Map::new()).unwrap();
    assert_eq!(
        content(&r, "app/templates/ctx.txt"),
        "release-name|default|1|true|false|Helm\n\
         app|0.1.0|1.0.0|z\n\
         v1.37.0|1.37|v1.37.0\n\
         true|false|true\n\
         v4.3.1\n\
         alpha\n||1\n\
         files/a.txt;files/b.txt;a.txt: |\n  alpha\nb.txt: beta\n\
         beta\n"
    );
}

#[test]
fn undefined_value_error_names_template_line_and_path() {
    let c = chart(
        "app",
        &[(
            "templates/deployment.yaml",
            "kind: Deployment\nspec:\n  image: \"{{ values.image.repository }}:{{ values.image.tag }}\"\n",
        )],
    );
    let err = render(&c, &values(json!({"image": {"repository": "nginx"}}))).unwrap_err();
    assert_eq!(err.kind, TemplateErrorKind::Undefined);
    assert_eq!(err.chart, "app");
    assert_eq!(err.template, "app/templates/deployment.yaml");
    assert_eq!(err.line, Some(3));
    assert!(err.message.contains("values.image.tag"), "{err}");
    assert_eq!(
        err.excerpt.as_deref(),
        Some("image: \"{{ values.image.repository }}:{{ values.image.tag }}\"")
    );
    let text = err.to_string();
    assert!(text.contains("app/templates/deployment.yaml:3"), "{text}");
    assert!(text.contains("values.image.tag"), "{text}");
}

#[test]
fn iterating_undefined_is_an_error() {
    let c = chart(
        "app",
        &[(
            "templates/a.yaml",
            "{% for x in values.list %}{{ x }}{% endfor %}",
        )],
    );
    let err = render(&c, &Map::new()).unwrap_err();
    assert_eq!(err.kind, TemplateErrorKind::Undefined);
    assert!(err.message.contains("values.list"), "{err}");
}

#[test]
fn conditions_on_missing_keys_semi_strict_and_strict() {
    let c = chart(
        "app",
        &[(
            "templates/a.yaml",
            "{% if values.missing %}yes{% else %}no{% endif %}",
        )],
    );
    let r = render(&c, &Map::new()).unwrap();
    assert_eq!(content(&r, "app/templates/a.yaml"), "no");
    let strict = JinjaOptions {
        strict: true,
        ..Default::default()
    };
    let err = render_with(&c, &Map::new(), strict, Limits::default()).unwrap_err();
    assert_eq!(err.kind, TemplateErrorKind::Undefined);
    assert!(err.message.contains("values.missing"), "{err}");
    // `is defined` and `default` work in both modes
    let c = chart(
        "app",
        &[(
            "templates/a.yaml",
            "{{ values.missing is defined }} {{ values.missing | default('d') }}",
        )],
    );
    for options in [JinjaOptions::default(), strict] {
        let r = render_with(&c, &Map::new(), options, Limits::default()).unwrap();
        assert_eq!(content(&r, "app/templates/a.yaml"), "false d");
    }
}

#[test]
fn value_contents_only_in_debug() {
    let c = chart(
        "app",
        &[(
            "templates/s.yaml",
            "password: {{ values.password }}\nother: {{ values.password ~ values.missing.deeper }}\n",
        )],
    );
    let vals = values(json!({"password": "hunter2"}));
    let err = render(&c, &vals).unwrap_err();
    assert!(!err.to_string().contains("hunter2"), "{err}");
    assert!(err.debug.is_none());
    let debug = JinjaOptions {
        debug: true,
        ..Default::default()
    };
    let err = render_with(&c, &vals, debug, Limits::default()).unwrap_err();
    let d = err.debug.as_deref().unwrap_or_default();
    assert!(
        d.contains("hunter2"),
        "debug report should show the variables: {d}"
    );
}

#[test]
fn syntax_errors_are_located() {
    let c = chart(
        "app",
        &[
            (
                "templates/_helpers.tpl",
                "{% macro x() %}\n{{ unclosed\n{% endmacro %}",
            ),
            ("templates/a.yaml", "a: 1\n"),
        ],
    );
    let err = render(&c, &Map::new()).unwrap_err();
    assert_eq!(err.kind, TemplateErrorKind::Syntax);
    assert_eq!(err.template, "app/templates/_helpers.tpl");
    assert!(err.line.is_some(), "{err}");
}

#[test]
fn non_utf8_template_is_named() {
    let mut c = chart("app", &[]);
    c.templates.push(crate::chart::File {
        name: "templates/bad.yaml".into(),
        data: vec![b'a', 0xff, 0xfe],
    });
    let err = render(&c, &Map::new()).unwrap_err();
    assert_eq!(err.kind, TemplateErrorKind::NotUtf8);
    assert_eq!(err.template, "app/templates/bad.yaml");
}

fn library_common() -> Chart {
    let mut common = chart(
        "common",
        &[
            (
                "templates/_names.tpl",
                "{% import '_util.tpl' as u %}\n{% macro fullname(release, chart) %}{{ u.dns(release.name ~ '-' ~ chart.name) }}{% endmacro %}\n",
            ),
            (
                "templates/_util.tpl",
                "{% macro dns(s) %}{{ s | lower | trunc(63) | trim_suffix('-') }}{% endmacro %}\n",
            ),
            (
                "templates/never.yaml",
                "library: renders nothing on its own\n",
            ),
        ],
    );
    common.metadata.chart_type = "library".into();
    common
}

#[test]
fn imports_within_chart_and_from_dependency() {
    let mut c = chart(
        "app",
        &[
            (
                "templates/_helpers.tpl",
                "{% macro labels(chart) %}app: {{ chart.name }}{% endmacro %}\n",
            ),
            (
                "templates/sub/deploy.yaml",
                "{% import '_helpers.tpl' as h %}\n{% import 'common/_names.tpl' as names %}\n{% from '_helpers.tpl' import labels %}\nname: {{ names.fullname(release, chart) }}\n{{ h.labels(chart) }}\n{{ labels(chart) }}\n",
            ),
        ],
    );
    c.dependencies.push(library_common());
    let r = render(&c, &Map::new()).unwrap();
    assert_eq!(
        content(&r, "app/templates/sub/deploy.yaml"),
        "name: release-name-app\napp: app\napp: app\n"
    );
    // the library chart itself renders nothing
    let lib = library_common();
    assert!(render(&lib, &Map::new()).unwrap().rendered.is_empty());
}

#[test]
fn macros_see_the_full_context() {
    let c = chart(
        "app",
        &[
            (
                "templates/_h.tpl",
                "{% macro image() %}{{ values.image }}:{{ chart.appVersion }}{% endmacro %}",
            ),
            (
                "templates/a.yaml",
                "{% import '_h.tpl' as h %}image: {{ h.image() }}",
            ),
        ],
    );
    let r = render(&c, &values(json!({"image": "nginx"}))).unwrap();
    assert_eq!(content(&r, "app/templates/a.yaml"), "image: nginx:1.0.0");
}

#[test]
fn error_inside_imported_macro_names_both_templates() {
    let c = chart(
        "app",
        &[
            (
                "templates/_h.tpl",
                "{% macro tag() %}\n{{ values.image.tag }}\n{% endmacro %}",
            ),
            (
                "templates/a.yaml",
                "{% import '_h.tpl' as h %}\nimage: {{ h.tag() }}",
            ),
        ],
    );
    let err = render(&c, &values(json!({"image": {}}))).unwrap_err();
    assert_eq!(err.kind, TemplateErrorKind::Undefined, "{err}");
    assert!(err.message.contains("values.image.tag"), "{err}");
    let text = err.to_string();
    assert!(text.contains("_h.tpl"), "{text}");
    assert!(text.contains("a.yaml"), "{text}");
}

#[test]
fn missing_and_escaping_imports() {
    let c = chart(
        "app",
        &[("templates/a.yaml", "{% import '_nope.tpl' as h %}x")],
    );
    let err = render(&c, &Map::new()).unwrap_err();
    assert_eq!(err.kind, TemplateErrorKind::NotFound, "{err}");
    assert!(err.to_string().contains("_nope.tpl"), "{err}");
    let mut c = chart(
        "app",
        &[("templates/a.yaml", "{% include '../Chart.yaml' %}")],
    );
    c.files.push(crate::chart::File {
        name: "Chart.yaml".into(),
        data: b"name: app".to_vec(),
    });
    let err = render(&c, &Map::new()).unwrap_err();
    assert_eq!(err.kind, TemplateErrorKind::NotFound, "{err}");
    assert!(err.to_string().contains("../Chart.yaml"), "{err}");
    // a sibling subchart is not importable from a dependency-less chart
    let c = chart(
        "app",
        &[("templates/a.yaml", "{% import 'common/_names.tpl' as n %}x")],
    );
    let err = render(&c, &Map::new()).unwrap_err();
    assert_eq!(err.kind, TemplateErrorKind::NotFound, "{err}");
}

#[test]
fn tpl_uses_chart_context_and_imports() {
    let c = chart(
        "app",
        &[
            (
                "templates/_h.tpl",
                "{% macro up(s) %}{{ s | upper }}{% endmacro %}",
            ),
            (
                "templates/a.yaml",
                "host: {{ tpl(values.host) }}\nx: {{ tpl(values.withimport) }}",
            ),
        ],
    );
    let vals = values(json!({
        "domain": "example.com",
        "host": "{{ release.name }}.{{ values.domain }}",
        "withimport": "{% import '_h.tpl' as h %}{{ h.up(values.domain) }}"
    }));
    let r = render(&c, &vals).unwrap();
    assert_eq!(
        content(&r, "app/templates/a.yaml"),
        "host: release-name.example.com\nx: EXAMPLE.COM"
    );
}

#[test]
fn required_and_fail_normal_and_lint() {
    let c = chart(
        "app",
        &[(
            "templates/a.yaml",
            "a: 1\nimage: {{ values.image.tag | required('image.tag is required') }}\n{% if values.mode not in ['a', 'b'] %}{{ fail('mode must be a or b') }}{% endif %}\nend: 1\n",
        )],
    );
    let vals = values(json!({"image": {}, "mode": "c"}));
    let err = render(&c, &vals).unwrap_err();
    assert_eq!(err.kind, TemplateErrorKind::Required);
    assert_eq!(err.line, Some(2));
    assert_eq!(err.template, "app/templates/a.yaml");
    assert!(err.to_string().contains("image.tag is required"), "{err}");

    let vals2 = values(json!({"image": {"tag": "1"}, "mode": "c"}));
    let err = render(&c, &vals2).unwrap_err();
    assert_eq!(err.kind, TemplateErrorKind::Fail);
    assert_eq!(err.line, Some(3));
    assert!(err.to_string().contains("mode must be a or b"), "{err}");

    let lint = JinjaOptions {
        lint: true,
        ..Default::default()
    };
    let r = render_with(&c, &vals, lint, Limits::default()).unwrap();
    assert_eq!(
        content(&r, "app/templates/a.yaml"),
        "a: 1\nimage: \nend: 1\n"
    );
    let msgs: Vec<&str> = r.findings.iter().map(|f| f.message.as_str()).collect();
    assert_eq!(msgs, vec!["image.tag is required", "mode must be a or b"]);
    assert_eq!(r.findings[0].template, "app/templates/a.yaml");
}

#[test]
fn runaway_macro_recursion_stops() {
    let c = chart(
        "app",
        &[(
            "templates/a.yaml",
            "{% macro f(n) %}{{ f(n + 1) }}{% endmacro %}{{ f(0) }}",
        )],
    );
    let err = render(&c, &Map::new()).unwrap_err();
    assert_eq!(err.kind, TemplateErrorKind::TooDeep, "{err}");
    assert_eq!(err.template, "app/templates/a.yaml");
}

#[test]
fn runaway_include_recursion_stops() {
    let c = chart(
        "app",
        &[
            ("templates/_loop.tpl", "{% include '_loop.tpl' %}"),
            ("templates/a.yaml", "{% include '_loop.tpl' %}"),
        ],
    );
    let err = render(&c, &Map::new()).unwrap_err();
    assert_eq!(err.kind, TemplateErrorKind::TooDeep, "{err}");
}

#[test]
fn runaway_loops_stop_with_fuel() {
    let c = chart(
        "app",
        &[(
            "templates/a.yaml",
            "{% for i in range(100000) %}{% for j in range(100000) %}{{ i }}{% endfor %}{% endfor %}",
        )],
    );
    let small = Limits {
        fuel: 200_000,
        ..Limits::default()
    };
    let err = render_with(&c, &Map::new(), JinjaOptions::default(), small).unwrap_err();
    assert_eq!(err.kind, TemplateErrorKind::TooMuchWork, "{err}");
    assert_eq!(err.template, "app/templates/a.yaml");
    assert!(err.to_string().contains("work budget"), "{err}");
}

#[test]
fn default_fuel_stops_a_runaway_loop() {
    // The real limit, to show it holds in bounded time (about a second in debug builds).
    let c = chart(
        "app",
        &[(
            "templates/a.yaml",
            "{% for i in range(100000) %}{% for j in range(100000) %}{% endfor %}{% endfor %}",
        )],
    );
    let err = render(&c, &Map::new()).unwrap_err();
    assert_eq!(err.kind, TemplateErrorKind::TooMuchWork, "{err}");
}

#[test]
fn huge_output_is_refused() {
    let c = chart(
        "app",
        &[(
            "templates/a.yaml",
            "{% for i in range(100) %}{{ 'x' * 1000000 }}{% endfor %}",
        )],
    );
    let err = render(&c, &Map::new()).unwrap_err();
    assert_eq!(err.kind, TemplateErrorKind::TooMuchWork, "{err}");
    assert!(err.to_string().contains("output grew past"), "{err}");
    assert_eq!(err.template, "app/templates/a.yaml");
}

#[test]
fn huge_strings_are_refused() {
    let c = chart("app", &[("templates/a.yaml", "{{ 'x' * 1000000000 }}")]);
    let err = render(&c, &Map::new()).unwrap_err();
    assert_eq!(err.kind, TemplateErrorKind::TooMuchWork, "{err}");
    let c = chart(
        "app",
        &[("templates/a.yaml", "{{ ('x\n' * 1000000) | indent(100) }}")],
    );
    let err = render(&c, &Map::new()).unwrap_err();
    assert!(err.to_string().contains("limit"), "{err}");
}

#[test]
fn files_path_escape_is_rejected() {
    let c = chart(
        "app",
        &[
            (
                "templates/a.yaml",
                "{{ files.get('../parent/values.yaml') }}",
            ),
            ("files/x", "x"),
        ],
    );
    let err = render(&c, &Map::new()).unwrap_err();
    assert!(err.to_string().contains("leaves the chart"), "{err}");
    assert_eq!(err.line, Some(1));
    let c = chart(
        "app",
        &[("templates/a.yaml", "{{ files.get('/etc/passwd') }}")],
    );
    assert!(render(&c, &Map::new()).is_err());
}

#[test]
fn pycompat_methods_and_contrib() {
    let c = chart(
        "app",
        &[(
            "templates/a.yaml",
            "{{ 'Hello'.upper() }} {{ values.m.items() | list | length }} {{ 'a,b'.split(',') | join('+') }} {{ values.m.get('x', 'dflt') }}",
        )],
    );
    let r = render(&c, &values(json!({"m": {"a": 1, "b": 2}}))).unwrap();
    assert_eq!(content(&r, "app/templates/a.yaml"), "HELLO 2 a+b dflt");
}

#[test]
fn same_inputs_same_bytes() {
    let c = chart(
        "app",
        &[
            (
                "templates/a.yaml",
                "{{ values | to_yaml }}\n{{ values | to_json }}\n{{ files.as_config() }}\n{{ files.as_secrets() }}",
            ),
            ("files/z.txt", "z"),
            ("files/a.txt", "a"),
        ],
    );
    let vals = values(json!({"z": 1, "a": {"y": [1, 2], "b": "yes"}}));
    let first = render(&c, &vals).unwrap();
    for _ in 0..5 {
        assert_eq!(render(&c, &vals).unwrap(), first);
    }
}

#[test]
fn values_overrides_helper_merges() {
    let base = values(json!({"a": {"b": 1, "c": 2}}));
    let m = merged(&base, json!({"a": {"c": 3}}));
    assert_eq!(serde_json::Value::Object(m), json!({"a": {"b": 1, "c": 3}}));
}

#[test]
fn tpl_and_macro_recursion_together_stay_bounded() {
    // Each tpl level recurses through macros close to the recursion limit, then calls tpl
    // again: the total depth is tpl depth × macro depth, and must end in an error, not a stack
    // overflow (the engine renders on its own thread with a large stack).
    for depth in [10, 60] {
        let c = chart("app", &[("templates/a.yaml", "{{ tpl(values.a) }}")]);
        let vals = values(json!({
            "a": format!("{{% macro f(n) %}}{{% if n < {depth} %}}{{{{ f(n + 1) }}}}{{% else %}}{{{{ tpl(values.a) }}}}{{% endif %}}{{% endmacro %}}{{{{ f(0) }}}}")
        }));
        let err = render(&c, &vals).unwrap_err();
        assert_eq!(err.kind, TemplateErrorKind::TooDeep, "{err}");
        assert!(err.to_string().len() < 2000, "{err}");
    }
}

fn fixture(name: &str) -> Chart {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/charts/jinja")
        .join(name);
    super::testutil::load_dir(&dir)
}

/// All rendered templates as one text: `# Source: <name>` then the content.
fn joined(r: &ChartReport) -> String {
    let mut out = String::new();
    for x in &r.rendered {
        out.push_str(&format!("# Source: {}\n{}", x.name, x.content));
        if !x.content.ends_with('\n') {
            out.push('\n');
        }
    }
    out
}

/// The showcase fixture renders to its golden output (regenerate with
/// `UPDATE_JINJA_GOLDEN=1 cargo test --lib engine::jinja::tests::showcase`, then review the diff).
#[test]
fn showcase_fixture_matches_golden_output() {
    let c = fixture("showcase");
    let r = render(&c, &c.values).unwrap_or_else(|e| panic!("{e}"));
    let golden = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/charts/jinja/showcase.expected.txt");
    let got = joined(&r);
    if std::env::var_os("UPDATE_JINJA_GOLDEN").is_some() {
        std::fs::write(&golden, &got).unwrap();
    }
    let want = std::fs::read_to_string(&golden).unwrap();
    assert_eq!(got, want);
    // the library dependency rendered nothing; NOTES.txt is in the result
    assert!(r.rendered.iter().all(|x| !x.name.contains("/charts/")));
    assert!(
        r.rendered
            .iter()
            .any(|x| x.name == "showcase/templates/NOTES.txt")
    );
}

#[test]
fn showcase_fixture_output_is_yaml() {
    let c = fixture("showcase");
    let r = render(&c, &c.values).unwrap();
    for x in r.rendered.iter().filter(|x| x.name.ends_with(".yaml")) {
        let docs = crate::yaml::parse_stream(&x.content, crate::yaml::NumberModel::Exact)
            .unwrap_or_else(|e| panic!("{}: {e}\n{}", x.name, x.content));
        assert_eq!(docs.len(), 1, "{}", x.name);
        assert!(docs[0].get("kind").is_some(), "{}", x.name);
    }
    let cm = r
        .rendered
        .iter()
        .find(|x| x.name.ends_with("configmap.yaml"))
        .unwrap();
    let doc = crate::yaml::parse_value(&cm.content, crate::yaml::NumberModel::Exact).unwrap();
    // YAML-1.1-sensitive strings survive to_yaml; integers stay integers
    let settings = crate::yaml::parse_value(
        doc["data"]["settings.yaml"].as_str().unwrap(),
        crate::yaml::NumberModel::Exact,
    )
    .unwrap();
    assert_eq!(
        settings,
        json!({"feature_flags": {"beta": "yes", "legacy": false}, "max_connections": 1000000})
    );
}

#[test]
fn showcase_fixture_with_overrides() {
    let c = fixture("showcase");
    let vals = merged(
        &c.values,
        json!({"ingress": {"enabled": false}, "image": {"tag": "1.27"}, "nameOverride": "Web_App"}),
    );
    let r = render(&c, &vals).unwrap();
    let ing = content(&r, "showcase/templates/ingress.yaml");
    assert!(ing.trim().is_empty(), "{ing:?}");
    let dep = content(&r, "showcase/templates/deployment.yaml");
    assert!(dep.contains("image: \"nginx:1.27\""), "{dep}");
    assert!(dep.contains("name: release-name-web-app\n"), "{dep}");
    // strict mode renders the fixture too (it guards nothing with missing keys)
    let strict = JinjaOptions {
        strict: true,
        ..Default::default()
    };
    render_with(&c, &c.values, strict, Limits::default()).unwrap();
}

#[test]
fn showcase_fixture_missing_required_value() {
    let c = fixture("showcase");
    let vals = merged(&c.values, json!({"password": null}));
    let err = render(&c, &vals).unwrap_err();
    assert_eq!(err.kind, TemplateErrorKind::Required);
    assert_eq!(err.template, "showcase/templates/secret.yaml");
    assert_eq!(err.line, Some(10));
    assert!(err.to_string().contains("password is required"), "{err}");
    let lint = JinjaOptions {
        lint: true,
        ..Default::default()
    };
    let r = render_with(&c, &vals, lint, Limits::default()).unwrap();
    assert_eq!(r.findings.len(), 1);
    assert_eq!(r.findings[0].message, "password is required");
}

#[test]
fn hostile_template_nesting_is_a_syntax_error() {
    let src = format!("{{{{ {}1{} }}}}", "(".repeat(5000), ")".repeat(5000));
    let c = chart("app", &[("templates/a.yaml", src.as_str())]);
    let err = render(&c, &Map::new()).unwrap_err();
    assert_eq!(err.kind, TemplateErrorKind::Syntax, "{err}");
    // the excerpt stays short even for a huge line
    assert!(err.to_string().len() < 1000);
}

#[test]
fn hostile_deeply_nested_values_do_not_crash() {
    // Values deeper than any YAML file may be (the reader stops at 256 levels). Building and
    // dropping such a serde_json value recurses, so the test body gets a big stack too.
    std::thread::Builder::new()
        .stack_size(256 << 20)
        .spawn(|| {
            let mut v = json!("leaf");
            for _ in 0..1000 {
                v = json!({ "k": v });
            }
            let c = chart(
                "app",
                &[(
                    "templates/a.yaml",
                    "{{ values | to_yaml | length > 0 }} {{ values | to_json | length > 0 }}",
                )],
            );
            match render(&c, &values(json!({ "deep": v }))) {
                Ok(r) => assert_eq!(content(&r, "app/templates/a.yaml"), "true true"),
                Err(e) => assert_ne!(e.kind, TemplateErrorKind::Other, "{e}"),
            }
        })
        .unwrap()
        .join()
        .unwrap();
}

#[test]
fn large_template_renders() {
    let mut src = String::new();
    for i in 0..50_000 {
        src.push_str(&format!("key{i}: {{{{ values.v }}}}\n"));
    }
    let c = chart("app", &[("templates/a.yaml", src.as_str())]);
    let r = render(&c, &values(json!({"v": 1}))).unwrap();
    assert_eq!(content(&r, "app/templates/a.yaml").lines().count(), 50_000);
}

#[test]
fn large_charts_render_on_two_threads_in_name_order() {
    // Enough template source for two threads; every template pads itself with a comment.
    let pad = format!("{{# {} #}}", "x".repeat(PARALLEL_MIN_SOURCE_BYTES / 4));
    let sources: Vec<(String, String)> = (0..6)
        .map(|i| {
            let body = if i == 2 || i == 4 {
                format!("{pad}{{{{ fail('broken {i}') }}}}")
            } else {
                format!("{pad}n: {i}\n")
            };
            (format!("templates/t{i}.yaml"), body)
        })
        .collect();
    let files: Vec<(&str, &str)> = sources
        .iter()
        .map(|(n, s)| (n.as_str(), s.as_str()))
        .collect();
    // The first failure in name order is reported, from either half.
    let err = render(&chart("app", &files), &Map::new()).unwrap_err();
    assert!(err.to_string().contains("broken 2"), "{err}");

    let ok: Vec<(&str, &str)> = files
        .iter()
        .copied()
        .filter(|(n, _)| !n.ends_with("t2.yaml") && !n.ends_with("t4.yaml"))
        .collect();
    let r = render(&chart("app", &ok), &Map::new()).unwrap();
    let names: Vec<&str> = r.rendered.iter().map(|r| r.name.as_str()).collect();
    assert_eq!(
        names,
        [0, 1, 3, 5]
            .iter()
            .map(|i| format!("app/templates/t{i}.yaml"))
            .collect::<Vec<_>>()
    );
    for i in [0, 1, 3, 5] {
        assert_eq!(
            content(&r, &format!("app/templates/t{i}.yaml")),
            format!("n: {i}\n")
        );
    }
}
