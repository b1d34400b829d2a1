//! Differential tests: for many value-flag combinations, the merged values chartroom gives a
//! Jinja chart equal the values `helm` gives the same chart written in Go templates (parent and
//! subcharts, aliases, globals, conditions, tags, import-values), and chartroom prints the Go
//! chart byte for byte like helm. Runs when `helm` is on PATH.

mod common;

use common::*;
use serde_json::Value;
use std::collections::BTreeMap;
use std::path::Path;

const GO_TEMPLATE: &str = "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: {{ .Chart.Name }}-values\ndata:\n  values.json: |-\n    {{ toJson .Values }}\n";
const JINJA_TEMPLATE: &str = "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: {{ chart.name }}-values\ndata:\n  values.json: |-\n    {{ values | to_json }}\n";

/// Materialises the fixture twice: once as a Go-template chart, once as a Jinja chart.
fn twins(dir: &Path) -> (std::path::PathBuf, std::path::PathBuf) {
    let src = fixture("charts/diff/parent");
    let go = dir.join("go/parent");
    let jinja = dir.join("jinja/parent");
    copy_tree(&src, &go);
    copy_tree(&src, &jinja);
    for (root, template, jinja_engine) in
        [(&go, GO_TEMPLATE, false), (&jinja, JINJA_TEMPLATE, true)]
    {
        for chart in [root.clone(), root.join("charts/child")] {
            std::fs::create_dir_all(chart.join("templates")).unwrap();
            std::fs::write(chart.join("templates/values.yaml"), template).unwrap();
            if jinja_engine {
                let path = chart.join("Chart.yaml");
                let mut text = std::fs::read_to_string(&path).unwrap();
                text.push_str("engine: jinja\n");
                std::fs::write(path, text).unwrap();
            }
        }
    }
    (go, jinja)
}

/// ConfigMap name → the values it dumped, numbers normalised to f64 (Helm's model).
fn dumped_values(stream: &str) -> BTreeMap<String, Value> {
    let mut out = BTreeMap::new();
    for doc in stream.split("\n---\n") {
        let Some(name_line) = doc.lines().find(|l| l.starts_with("  name: ")) else {
            continue;
        };
        let name = name_line.trim_start_matches("  name: ").to_string();
        let Some(json_line) = doc
            .lines()
            .skip_while(|l| !l.contains("values.json"))
            .nth(1)
        else {
            continue;
        };
        let value: Value = serde_json::from_str(json_line.trim()).unwrap_or_else(|e| {
            panic!("not JSON in {name}: {e}\n{json_line}");
        });
        out.insert(name, normalise(value));
    }
    out
}

fn normalise(v: Value) -> Value {
    match v {
        Value::Number(n) => serde_json::Number::from_f64(n.as_f64().unwrap())
            .map(Value::Number)
            .unwrap(),
        Value::Array(a) => Value::Array(a.into_iter().map(normalise).collect()),
        Value::Object(m) => Value::Object(m.into_iter().map(|(k, v)| (k, normalise(v))).collect()),
        other => other,
    }
}

#[test]
fn merged_values_match_helm() {
    let Some(_) = helm() else {
        skip(
            "merged_values_match_helm",
            "helm is not on PATH (bash ../shared/tools/install-helm.sh installs it)",
        );
        return;
    };
    let dir = tempfile::tempdir().unwrap();
    let (go, jinja) = twins(dir.path());
    let override_a = dir.path().join("a.yaml");
    std::fs::write(
        &override_a,
        "replicaCount: 2\nnested:\n  deep:\n    key: from-a\n    other: null\nlist: [x]\nchild:\n  replicas: 5\n  resources:\n    limits:\n      memory: null\n---\nname: second-doc\n",
    )
    .unwrap();
    let override_b = dir.path().join("b.yaml");
    std::fs::write(
        &override_b,
        "replicaCount: 3\nimage:\n  tag: b-tag\nglobal:\n  env: staging\n",
    )
    .unwrap();
    let file_value = dir.path().join("value.txt");
    std::fs::write(&file_value, "line one\nline two\n").unwrap();
    let a = override_a.to_str().unwrap();
    let b = override_b.to_str().unwrap();
    let f = file_value.to_str().unwrap();

    let cases: Vec<Vec<String>> = vec![
        vec![],
        vec!["--set", "replicaCount=4,image.tag=17.2"],
        vec!["--set", "list[0]=x,list[3]=y"],
        vec!["--set", "nested.list[1].port=8443"],
        vec!["--set", "name=one\\,two,path=a\\=b"],
        vec!["--set", "dotted\\.key=v"],
        vec!["--set", "nothing=null,resources.limits.cpu=null"],
        vec!["--set", "child.resources.limits.memory=null"],
        vec!["--set", "child.replicas=3,twin.own=twin-override"],
        vec!["--set", "global.env=prod,global.newKey=1"],
        vec!["--set", "tags.extra=true"],
        vec!["--set", "child.enabled=false"],
        vec![
            "--set",
            "big=12345678901,float=1.5,exp=1e3,zero=0,lead=007,t=TRUE,n=NULL",
        ],
        vec!["--set", "braces={a,b,c}"],
        vec!["--set-string", "build=007,flag=true"],
        vec!["--set-json", "obj={\"x\":[1,2,{\"y\":null}]}"],
        vec!["--set-json", "{\"nested\":{\"deep\":{\"json\":true}}}"],
        vec!["--set-literal", "lit=a,b=c{}\\"],
        vec!["--set-file", &format!("fileValue={f}")],
        vec!["-f", a],
        vec!["-f", &format!("{a},{b}")],
        vec![
            "-f",
            b,
            "-f",
            a,
            "--set",
            "replicaCount=9",
            "--set-string",
            "replicaCount=10",
        ],
        vec![
            "--set-literal",
            "image.tag=lit",
            "--set",
            "image.tag=set",
            "-f",
            b,
        ],
        vec!["--set", "image=flat"],
        vec!["--set", "child=null"],
    ]
    .into_iter()
    .map(|c| c.into_iter().map(String::from).collect())
    .collect();

    let mut failures = Vec::new();
    let mut compared = 0;
    for case in &cases {
        let mut h = helm().unwrap();
        h.arg("template").arg("rel").arg(&go).args(case);
        let (hcode, hout, herr) = run(h);
        let mut c = chartroom();
        c.arg("template").arg("rel").arg(&jinja).args(case);
        let (ccode, cout, cerr) = run(c);
        if hcode != 0 || ccode != 0 {
            if (hcode == 0) != (ccode == 0) {
                failures.push(format!(
                    "{case:?}: helm exit {hcode} ({herr}), chartroom exit {ccode} ({cerr})"
                ));
            }
            continue;
        }
        // The Go twin through chartroom's own Go-template engine: byte for byte like helm.
        let mut g = chartroom();
        g.arg("template").arg("rel").arg(&go).args(case);
        let (gcode, gout, gerr) = run(g);
        if gcode != 0 || gout != hout {
            failures.push(format!(
                "{case:?}: chartroom on the Go chart differs from helm (exit {gcode}, {gerr}):\n--- helm\n{hout}\n--- chartroom\n{gout}"
            ));
        }
        let (hv, cv) = (dumped_values(&hout), dumped_values(&cout));
        assert!(
            !hv.is_empty(),
            "{case:?}: helm output has no value dumps:\n{hout}"
        );
        compared += 1;
        if hv != cv {
            failures.push(format!(
                "{case:?}:\n helm:      {}\n chartroom: {}",
                serde_json::to_string(&hv).unwrap(),
                serde_json::to_string(&cv).unwrap()
            ));
        }
    }
    assert!(
        compared >= cases.len() - 3,
        "only {compared} cases rendered with both tools"
    );
    assert!(
        failures.is_empty(),
        "{} of {} cases differ:\n{}",
        failures.len(),
        cases.len(),
        failures.join("\n")
    );
}
