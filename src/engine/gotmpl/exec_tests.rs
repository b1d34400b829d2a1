//! Table tests for the executor, ported as facts from Go's `text/template` documentation and
//! exec tests (template text, data → output or error).

use super::*;
use serde_json::json;

fn data() -> Value {
    Value::from_json(&json!({
        "True": true,
        "False": false,
        "I": 17,
        "F": 1.5,
        "Big": 1000000.0,
        "S": "xyz",
        "Empty": "",
        "SI": [3, 4, 5],
        "SS": ["a", "b"],
        "SEmpty": [],
        "MSI": {"one": 1, "two": 2, "three": 3},
        "MEmpty": {},
        "Nested": {"a": {"b": "deep"}},
        "Nil": null,
        "NilList": [null, 1]
    }))
}

fn run_opts(text: &str, missing: MissingKey) -> Result<String, String> {
    let mut e = Engine::new();
    e.set_options(Options {
        missing_key: missing,
        ..Options::default()
    });
    e.parse("t", text).map_err(|e| e.to_string())?;
    e.execute("t", &data()).map_err(|e| e.to_string())
}

fn run(text: &str) -> Result<String, String> {
    run_opts(text, MissingKey::Zero)
}

#[test]
fn exec_table() {
    let table: &[(&str, &str)] = &[
        // Text, fields, printing.
        ("hello", "hello"),
        ("{{.S}}", "xyz"),
        ("{{.I}}", "17"),
        ("{{.F}}", "1.5"),
        ("{{.Big}}", "1e+06"),
        ("{{.SI}}", "[3 4 5]"),
        ("{{.MSI}}", "map[one:1 three:3 two:2]"),
        ("{{.Nested.a.b}}", "deep"),
        ("{{.Missing}}", "<no value>"),
        ("{{.Nil}}", "<no value>"),
        ("{{.NilList}}", "[<nil> 1]"),
        ("{{.True}} {{.False}}", "true false"),
        (
            "{{1.5}} {{3}} {{0x10}} {{'a'}} {{1e3}} {{-7}}",
            "1.5 3 16 97 1000 -7",
        ),
        ("{{`raw\\n`}}", "raw\\n"),
        ("{{\"q\\t\"}}", "q\t"),
        // Variables.
        ("{{$x := 1}}{{$x}}", "1"),
        ("{{$x := 1}}{{$x = 2}}{{$x}}", "2"),
        (
            "{{$}}",
            "map[Big:1e+06 Empty: F:1.5 False:false I:17 MEmpty:map[] MSI:map[one:1 three:3 two:2] Nested:map[a:map[b:deep]] Nil:<nil> NilList:[<nil> 1] S:xyz SEmpty:[] SI:[3 4 5] SS:[a b] True:true]",
        ),
        ("{{with $x := .S}}{{$x}}{{end}}", "xyz"),
        ("{{$.S}}", "xyz"),
        ("{{$x := .Nested}}{{$x.a.b}}", "deep"),
        ("{{$x := 1}}{{if true}}{{$x = 2}}{{end}}{{$x}}", "2"),
        ("{{if true}}{{$x := 3}}{{end}}{{$x := 4}}{{$x}}", "4"),
        // if/else.
        ("{{if .True}}T{{else}}F{{end}}", "T"),
        ("{{if .False}}T{{else}}F{{end}}", "F"),
        ("{{if .Empty}}T{{else}}F{{end}}", "F"),
        ("{{if .SEmpty}}T{{else}}F{{end}}", "F"),
        ("{{if .MEmpty}}T{{else}}F{{end}}", "F"),
        ("{{if .Missing}}T{{else}}F{{end}}", "F"),
        ("{{if 0}}T{{else if 1}}one{{else}}F{{end}}", "one"),
        ("{{if 0.0}}T{{else}}F{{end}}", "F"),
        // with.
        ("{{with .S}}{{.}}{{end}}", "xyz"),
        ("{{with .Empty}}{{.}}{{else}}empty{{end}}", "empty"),
        ("{{with .Empty}}a{{else with .S}}{{.}}{{end}}", "xyz"),
        ("{{with .Missing}}a{{else with .Nil}}b{{else}}c{{end}}", "c"),
        // range.
        ("{{range .SI}}<{{.}}>{{end}}", "<3><4><5>"),
        (
            "{{range $i, $v := .SI}}{{$i}}={{$v}} {{end}}",
            "0=3 1=4 2=5 ",
        ),
        ("{{range $v := .SI}}{{$v}}{{end}}", "345"),
        ("{{range .MSI}}{{.}}{{end}}", "132"),
        (
            "{{range $k, $v := .MSI}}{{$k}}={{$v}};{{end}}",
            "one=1;three=3;two=2;",
        ),
        ("{{range .SEmpty}}x{{else}}empty{{end}}", "empty"),
        ("{{range .MEmpty}}x{{else}}empty{{end}}", "empty"),
        ("{{range .Missing}}x{{else}}none{{end}}", "none"),
        ("{{range 3}}{{.}}{{end}}", "012"),
        ("{{range $i := 3}}{{$i}}{{end}}", "012"),
        ("{{range 0}}x{{else}}zero{{end}}", "zero"),
        (
            "{{range .SI}}{{if eq . 4}}{{break}}{{end}}{{.}}{{end}}",
            "3",
        ),
        (
            "{{range .SI}}{{if eq . 4}}{{continue}}{{end}}{{.}}{{end}}",
            "35",
        ),
        ("{{$x := 0}}{{range .SI}}{{$x = .}}{{end}}{{$x}}", "5"),
        ("{{range $i, $e := .SS}}{{$i}}{{$e}}{{end}}", "0a1b"),
        // Pipelines and parentheses.
        ("{{.S | printf \"%s!\"}}", "xyz!"),
        ("{{printf \"%d-%s\" 3 \"x\" | printf \"[%s]\"}}", "[3-x]"),
        ("{{(printf \"%d\" 5)}}", "5"),
        ("{{(.Nested).a.b}}", "deep"),
        ("{{(index .Nested \"a\").b}}", "deep"),
        // Builtins.
        ("{{and 1 0 2}}", "0"),
        ("{{and 1 2}}", "2"),
        ("{{or 0 \"\" 3}}", "3"),
        ("{{or 0 \"\"}}", ""),
        ("{{not 0}} {{not 1}}", "true false"),
        ("{{len .SI}} {{len .S}} {{len .MSI}}", "3 3 3"),
        ("{{index .SI 1}}", "4"),
        ("{{index .MSI \"two\"}}", "2"),
        ("{{index .MSI \"nope\"}}", "<no value>"),
        ("{{index .S 0}}", "120"),
        ("{{slice .SI 1}} {{slice .S 1 2}}", "[4 5] y"),
        ("{{print 1 2 \"a\"}}", "1 2a"),
        ("{{println 1 2}}", "1 2\n"),
        ("{{html \"<a>\"}}", "&lt;a&gt;"),
        ("{{js \"it's\"}}", "it\\'s"),
        ("{{urlquery \"a b\"}}", "a+b"),
        (
            "{{eq .I 17}} {{ne .S \"xyz\"}} {{lt 1 2}} {{le 2 2}} {{gt 3 2}} {{ge 1 2}}",
            "true false true true true false",
        ),
        ("{{eq .S \"a\" \"xyz\"}}", "true"),
        ("{{eq .Missing nil}}", "true"),
        ("{{and .False .Missing.x}}", "false"),
        ("{{or .True .Missing.x}}", "true"),
        // Templates.
        ("{{define \"x\"}}X{{.}}{{end}}{{template \"x\" 1}}", "X1"),
        (
            "{{define \"x\"}}{{.}}{{end}}{{template \"x\"}}",
            "<no value>",
        ),
        ("{{block \"b\" .S}}[{{.}}]{{end}}", "[xyz]"),
        ("{{define \"v\"}}{{$}}{{end}}{{template \"v\" .I}}", "17"),
        // Trimming and comments.
        ("a  {{- 1 -}}  b", "a1b"),
        ("a {{/* c */}} b", "a  b"),
        ("a {{- /* c */ -}} b", "ab"),
    ];
    for (text, want) in table {
        match run(text) {
            Ok(got) => assert_eq!(&got, want, "template {text:?}"),
            Err(e) => panic!("template {text:?} failed: {e}"),
        }
    }
}

#[test]
fn exec_errors() {
    let table: &[(&str, &str)] = &[
        (
            "{{.Missing.x}}",
            "template: t:1:10: executing \"t\" at <.Missing.x>: nil pointer evaluating interface {}.x",
        ),
        (
            "{{.Nil.x}}",
            "template: t:1:6: executing \"t\" at <.Nil.x>: nil pointer evaluating interface {}.x",
        ),
        (
            "{{.S.x}}",
            "template: t:1:4: executing \"t\" at <.S.x>: can't evaluate field x in type interface {}",
        ),
        (
            "{{$x := \"s\"}}{{$x.y}}",
            "template: t:1:17: executing \"t\" at <$x.y>: can't evaluate field y in type string",
        ),
        (
            "{{index .SI 5}}",
            "template: t:1:2: executing \"t\" at <index .SI 5>: error calling index: index out of range: 5",
        ),
        (
            "{{eq 1 1.5}}",
            "template: t:1:2: executing \"t\" at <eq 1 1.5>: error calling eq: incompatible types for comparison: int and float64",
        ),
        (
            "{{lt .Missing 1}}",
            "template: t:1:2: executing \"t\" at <lt .Missing 1>: error calling lt: invalid type for comparison",
        ),
        (
            "{{range .F}}{{end}}",
            "template: t:1:8: executing \"t\" at <.F>: range can't iterate over 1.5",
        ),
        (
            "{{range $i, $v := 3}}{{end}}",
            "template: t:1:18: executing \"t\" at <3>: can't use 3 to iterate over more than one variable",
        ),
        (
            "{{template \"nope\"}}",
            "template: t:1:11: executing \"t\" at <{{template \"nope\"}}>: template \"nope\" not defined",
        ),
        (
            "{{printf 3}}",
            "template: t:1:9: executing \"t\" at <3>: expected string; found 3",
        ),
        (
            "{{printf .I}}",
            "template: t:1:9: executing \"t\" at <.I>: wrong type for value; expected string; got int64",
        ),
        (
            "{{printf .Missing}}",
            "template: t:1:9: executing \"t\" at <.Missing>: wrong type for value; expected string; got interface {}",
        ),
        (
            "{{$x := .Missing}}{{printf $x}}",
            "template: t:1:27: executing \"t\" at <$x>: invalid value; expected string",
        ),
        (
            "{{len 3}}",
            "template: t:1:2: executing \"t\" at <len 3>: error calling len: len of type int",
        ),
        (
            "{{.S 1}}",
            "template: t:1:2: executing \"t\" at <.S>: S is not a method but has arguments",
        ),
        (
            "{{1 2}}",
            "template: t:1:2: executing \"t\" at <1>: can't give argument to non-function 1",
        ),
        (
            "{{nil}}",
            "template: t:1:2: executing \"t\" at <nil>: nil is not a command",
        ),
        (
            "{{not}}",
            "template: t:1:2: executing \"t\" at <not>: wrong number of args for not: want 1 got 0",
        ),
        (
            "{{and}}",
            "template: t:1:2: executing \"t\" at <and>: wrong number of args for and: want at least 1 got 0",
        ),
    ];
    for (text, want) in table {
        match run(text) {
            Ok(got) => panic!("template {text:?} should fail, gave {got:?}"),
            Err(e) => assert_eq!(&e, want, "template {text:?}"),
        }
    }
}

#[test]
fn missing_key_modes() {
    assert_eq!(
        run_opts("{{.Missing}}", MissingKey::Invalid).unwrap(),
        "<no value>"
    );
    // Go's default gives an invalid value, so a chain through it does not fail.
    assert_eq!(
        run_opts("{{.Missing.x}}", MissingKey::Invalid).unwrap(),
        "<no value>"
    );
    assert_eq!(
        run_opts("{{.Missing}}", MissingKey::Error).unwrap_err(),
        "template: t:1:2: executing \"t\" at <.Missing>: map has no entry for key \"Missing\""
    );
}

#[test]
fn parse_errors_come_back() {
    assert_eq!(
        run("{{if}}").unwrap_err(),
        "template: t:1: missing value for if"
    );
}

#[test]
fn redefinition_later_wins() {
    let mut e = Engine::new();
    e.parse("a", "{{define \"x\"}}A{{end}}").unwrap();
    e.parse("b", "{{define \"x\"}}B{{end}}{{template \"x\"}}")
        .unwrap();
    e.parse("c", "{{define \"x\"}}  {{end}}").unwrap();
    assert_eq!(e.execute("b", &Value::Nil).unwrap(), "B");
}

#[test]
fn hostile_templates_fail_cleanly() {
    // Infinite recursion.
    let mut e = Engine::new();
    e.set_options(Options {
        limits: Limits {
            max_depth: 200,
            ..Limits::default()
        },
        ..Options::default()
    });
    e.parse(
        "t",
        "{{define \"r\"}}{{template \"r\" .}}{{end}}{{template \"r\" .}}",
    )
    .unwrap();
    let err = e.execute("t", &Value::Nil).unwrap_err().to_string();
    assert!(
        err.contains("exceeded maximum template depth (200)"),
        "{err}"
    );
    // Unbounded work.
    let mut e = Engine::new();
    e.set_options(Options {
        limits: Limits {
            max_steps: 10_000,
            ..Limits::default()
        },
        ..Options::default()
    });
    e.parse("t", "{{range 1000000}}{{range 1000000}}x{{end}}{{end}}")
        .unwrap();
    let err = e.execute("t", &Value::Nil).unwrap_err().to_string();
    assert!(err.contains("exceeded 10000 steps"), "{err}");
    // Huge output.
    let mut e = Engine::new();
    e.set_options(Options {
        limits: Limits {
            max_output: 1000,
            ..Limits::default()
        },
        ..Options::default()
    });
    e.parse("t", "{{range 100000}}xxxxxxxx{{end}}").unwrap();
    let err = e.execute("t", &Value::Nil).unwrap_err().to_string();
    assert!(err.contains("output exceeds 1000 bytes"), "{err}");
    // Garbage never panics.
    for text in [
        "{{",
        "}}",
        "{{{{",
        "{{.a.}}",
        "{{$}}{{$$}}",
        "{{(}}",
        "{{)}}",
        "{{\"}}",
        "{{'}}",
        "{{`}}",
        "{{- -}}",
        "{{/*}}",
        "\u{0}{{\u{0}}}",
    ] {
        let mut e = Engine::new();
        if e.parse("t", text).is_ok() {
            let _ = e.execute("t", &Value::Nil);
        }
    }
}
