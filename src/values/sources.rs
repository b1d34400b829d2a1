//! User value sources (Helm's `pkg/cli/values/options.go`): `-f` files, then `--set-json`,
//! `--set`, `--set-string`, `--set-file`, `--set-literal`, always in that fixed order whatever
//! the order on the command line. Owns reading the files those flags name (local paths and `-`
//! for stdin; URLs are refused for now) and deep-merging the results. Must not know about
//! charts, coalescing or schemas, and never prints.

use super::error::{ValuesError, kind_of};
use super::strvals::{self, Budget, Mode};
use crate::yaml::{self, NumberModel};
use crate::{Map, Value};
use std::io::Read;

/// The largest file `-f` or `--set-file` reads (stdin included).
pub const MAX_VALUES_FILE_BYTES: u64 = 64 * 1024 * 1024;

/// The value flags of one command, each as given (one entry per flag occurrence).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct ValueSources {
    /// `-f/--values`: each entry may hold several comma-separated files (`-f a.yaml,b.yaml`);
    /// `-` is stdin.
    pub values_files: Vec<String>,
    /// `--set`
    pub set: Vec<String>,
    /// `--set-string`
    pub set_string: Vec<String>,
    /// `--set-json`: a JSON object, or `key=<json>` pairs.
    pub set_json: Vec<String>,
    /// `--set-file`: `key=path` pairs; the file contents become string values.
    pub set_file: Vec<String>,
    /// `--set-literal`: `key=value`, the value taken verbatim.
    pub set_literal: Vec<String>,
}

/// Builds the user-supplied values from all flags, as Helm's `MergeValues` does. With
/// [`NumberModel::Helm`], numbers from YAML files and JSON become float64 like Helm's;
/// `--set` integers are int64 under both models.
pub fn merge_user_values(
    src: &ValueSources,
    model: NumberModel,
    stdin: &mut dyn Read,
) -> Result<Map, ValuesError> {
    let mut base = Map::new();
    let mut budget = Budget::default();

    for arg in &src.values_files {
        let files = split_file_list(arg).map_err(|reason| ValuesError::BadFileList {
            flag: "-f/--values",
            reason,
        })?;
        for file in files {
            let file_values = read_values_file(&file, model, stdin)?;
            merge_maps(&mut base, file_values);
        }
    }

    for value in &src.set_json {
        let trimmed = value.trim();
        if trimmed.starts_with('{') {
            let object: Map =
                serde_json::from_str(trimmed).map_err(|e| ValuesError::SetJsonObject {
                    reason: format!("not one valid JSON object ({e})"),
                })?;
            let object = match model {
                NumberModel::Helm => match yaml::to_helm_numbers(Value::Object(object)) {
                    Value::Object(m) => m,
                    _ => Map::new(),
                },
                NumberModel::Exact => object,
            };
            merge_maps(&mut base, object);
        } else {
            strvals::run(value, &mut base, Mode::Json(model), &mut budget).map_err(|source| {
                ValuesError::SetFlag {
                    flag: "--set-json",
                    source,
                }
            })?;
        }
    }

    for value in &src.set {
        strvals::run(value, &mut base, Mode::Typed, &mut budget).map_err(|source| {
            ValuesError::SetFlag {
                flag: "--set",
                source,
            }
        })?;
    }

    for value in &src.set_string {
        strvals::run(value, &mut base, Mode::Strings, &mut budget).map_err(|source| {
            ValuesError::SetFlag {
                flag: "--set-string",
                source,
            }
        })?;
    }

    for value in &src.set_file {
        let mut reader = |path: &str| -> Result<Value, String> {
            let bytes = read_source(path, &mut *stdin).map_err(|e| match e {
                SourceError::Remote => format!(
                    "{path}: reading values from a URL is not supported yet; download the file and pass its local path"
                ),
                SourceError::Io(reason) => format!("reading file {path:?}: {reason}"),
            })?;
            String::from_utf8(bytes).map(Value::String).map_err(|_| {
                format!("file {path:?} is not UTF-8 text; --set-file stores text (base64-encode binary data first)")
            })
        };
        strvals::run(value, &mut base, Mode::File(&mut reader), &mut budget).map_err(|source| {
            ValuesError::SetFlag {
                flag: "--set-file",
                source,
            }
        })?;
    }

    for value in &src.set_literal {
        strvals::run(value, &mut base, Mode::Literal, &mut budget).map_err(|source| {
            ValuesError::SetFlag {
                flag: "--set-literal",
                source,
            }
        })?;
    }

    Ok(base)
}

/// Helm's `MergeMaps`: maps merge recursively; anything else in `src` (scalars, lists, `null`)
/// replaces what `dst` held. Nothing is deleted.
pub(crate) fn merge_maps(dst: &mut Map, src: Map) {
    for (k, v) in src {
        match (dst.get_mut(&k), v) {
            (Some(Value::Object(d)), Value::Object(s)) => merge_maps(d, s),
            (_, v) => {
                dst.insert(k, v);
            }
        }
    }
}

/// Reads one `-f` file: every YAML document in it, merged in order (Helm 4's `LoadValues`).
fn read_values_file(
    file: &str,
    model: NumberModel,
    stdin: &mut dyn Read,
) -> Result<Map, ValuesError> {
    let bytes = read_source(file, stdin).map_err(|e| match e {
        SourceError::Remote => ValuesError::RemoteValues {
            flag: "-f/--values",
            location: file.to_string(),
        },
        SourceError::Io(reason) => ValuesError::ReadValuesFile {
            file: file.to_string(),
            reason,
        },
    })?;
    let parse_err = |reason: String| ValuesError::ParseValuesFile {
        file: file.to_string(),
        reason,
    };
    let text = String::from_utf8(bytes).map_err(|e| {
        parse_err(format!(
            "the file is not UTF-8 text (invalid byte at offset {})",
            e.utf8_error().valid_up_to()
        ))
    })?;
    let docs = yaml::parse_documents(&text, model).map_err(|e| {
        parse_err(match (e.line, e.column) {
            (Some(l), Some(c)) => format!("{} (line {l}, column {c})", e.message),
            _ => e.message,
        })
    })?;
    let mut values = Map::new();
    for (i, doc) in docs.into_iter().enumerate() {
        match doc {
            Value::Object(m) => merge_maps(&mut values, m),
            Value::Null => {}
            other => {
                return Err(parse_err(format!(
                    "YAML document {} is {}, not a map of values",
                    i + 1,
                    kind_of(&other)
                )));
            }
        }
    }
    Ok(values)
}

enum SourceError {
    Remote,
    Io(String),
}

/// Reads a local file, or stdin for `-`, at most [`MAX_VALUES_FILE_BYTES`].
fn read_source(path: &str, stdin: &mut dyn Read) -> Result<Vec<u8>, SourceError> {
    if path.trim() == "-" {
        return read_bounded(stdin).map_err(SourceError::Io);
    }
    let lower = path.to_ascii_lowercase();
    if ["http://", "https://", "oci://"]
        .iter()
        .any(|scheme| lower.starts_with(scheme))
    {
        return Err(SourceError::Remote);
    }
    let mut f = std::fs::File::open(path).map_err(|e| SourceError::Io(e.to_string()))?;
    read_bounded(&mut f).map_err(SourceError::Io)
}

fn read_bounded(r: &mut dyn Read) -> Result<Vec<u8>, String> {
    let mut buf = Vec::new();
    r.take(MAX_VALUES_FILE_BYTES + 1)
        .read_to_end(&mut buf)
        .map_err(|e| e.to_string())?;
    if buf.len() as u64 > MAX_VALUES_FILE_BYTES {
        return Err(format!(
            "larger than the {} MiB limit for values files",
            MAX_VALUES_FILE_BYTES / (1024 * 1024)
        ));
    }
    Ok(buf)
}

/// Splits one `-f` flag value into paths the way Helm's string-slice flag does (a CSV record:
/// commas separate, `"..."` quotes a path holding commas, `""` inside quotes is one quote).
fn split_file_list(arg: &str) -> Result<Vec<String>, String> {
    let mut out = Vec::new();
    if arg.is_empty() {
        return Ok(out);
    }
    let mut chars = arg.chars().peekable();
    loop {
        let mut field = String::new();
        if chars.peek() == Some(&'"') {
            chars.next();
            loop {
                match chars.next() {
                    None => return Err(format!("unterminated quote in {arg:?}")),
                    Some('"') if chars.peek() == Some(&'"') => {
                        chars.next();
                        field.push('"');
                    }
                    Some('"') => break,
                    Some(c) => field.push(c),
                }
            }
            match chars.next() {
                None => {
                    out.push(field);
                    return Ok(out);
                }
                Some(',') => out.push(field),
                Some(_) => return Err(format!("extraneous or missing \" in {arg:?}")),
            }
        } else {
            loop {
                match chars.next() {
                    None => {
                        out.push(field);
                        return Ok(out);
                    }
                    Some(',') => {
                        out.push(field);
                        break;
                    }
                    Some('"') => return Err(format!("bare \" in non-quoted path in {arg:?}")),
                    Some(c) => field.push(c),
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;
    use std::io::Cursor;

    fn merge(src: &ValueSources) -> Result<Map, ValuesError> {
        merge_user_values(src, NumberModel::Helm, &mut Cursor::new(Vec::new()))
    }

    /// TestMergeValuesCLI: 7 rows.
    #[test]
    fn merge_values_cli_table() {
        let rows: Vec<(&str, ValueSources, Option<Value>)> = vec![
            (
                "set-json object",
                ValueSources {
                    set_json: vec![r#"{"foo": {"bar": "baz"}}"#.into()],
                    ..Default::default()
                },
                Some(json!({"foo": {"bar": "baz"}})),
            ),
            (
                "set-json key=value",
                ValueSources {
                    set_json: vec!["foo.bar=[1,2,3]".into()],
                    ..Default::default()
                },
                Some(json!({"foo": {"bar": [1.0, 2.0, 3.0]}})),
            ),
            (
                "set regular value",
                ValueSources {
                    set: vec!["foo=bar".into()],
                    ..Default::default()
                },
                Some(json!({"foo": "bar"})),
            ),
            (
                "set string value",
                ValueSources {
                    set_string: vec!["foo=123".into()],
                    ..Default::default()
                },
                Some(json!({"foo": "123"})),
            ),
            (
                "set literal value",
                ValueSources {
                    set_literal: vec!["foo=true".into()],
                    ..Default::default()
                },
                Some(json!({"foo": "true"})),
            ),
            (
                "multiple options",
                ValueSources {
                    set: vec!["a=foo".into()],
                    set_string: vec!["b=bar".into()],
                    set_json: vec![r#"{"c": "foo1"}"#.into()],
                    set_literal: vec!["d=bar1".into()],
                    ..Default::default()
                },
                Some(json!({"c": "foo1", "a": "foo", "b": "bar", "d": "bar1"})),
            ),
            (
                "invalid json",
                ValueSources {
                    set_json: vec!["{invalid".into()],
                    ..Default::default()
                },
                None,
            ),
        ];
        for (name, src, expect) in rows {
            let got = merge(&src);
            match expect {
                Some(e) => {
                    let got = Value::Object(got.unwrap_or_else(|e| panic!("{name}: {e}")));
                    assert_eq!(got, e, "{name}");
                    if name == "set-json key=value" {
                        assert!(
                            got["foo"]["bar"][0].is_f64(),
                            "{name}: JSON numbers are float64"
                        );
                    }
                }
                None => assert!(got.is_err(), "{name}: expected an error"),
            }
        }
    }

    fn write(dir: &tempfile::TempDir, name: &str, text: &str) -> String {
        let p = dir.path().join(name);
        std::fs::write(&p, text).unwrap();
        p.to_string_lossy().into_owned()
    }

    #[test]
    fn files_merge_in_order_with_all_documents() {
        let dir = tempfile::tempdir().unwrap();
        let a = write(
            &dir,
            "a.yaml",
            "image: {repo: nginx, tag: '1.0'}\nlist: [1, 2]\nkeep: yes\n---\nimage: {pull: Always}\n",
        );
        let b = write(
            &dir,
            "b.yaml",
            "image: {tag: '2.0'}\nlist: [3]\n---\n# only a comment\n",
        );
        let src = ValueSources {
            values_files: vec![format!("{a},{b}")],
            ..Default::default()
        };
        let got = merge(&src).unwrap();
        assert_eq!(
            Value::Object(got),
            json!({"image": {"repo": "nginx", "tag": "2.0", "pull": "Always"}, "list": [3.0], "keep": true})
        );
    }

    #[test]
    fn documents_of_one_file_merge_before_the_base() {
        // Helm merges a file's documents first, then the file into the base.
        let dir = tempfile::tempdir().unwrap();
        let a = write(&dir, "a.yaml", "a: {x: 1}\n");
        let b = write(&dir, "b.yaml", "a: 5\n---\na: {z: 2}\n");
        let src = ValueSources {
            values_files: vec![a, b],
            ..Default::default()
        };
        assert_eq!(
            Value::Object(merge(&src).unwrap()),
            json!({"a": {"x": 1.0, "z": 2.0}})
        );
    }

    #[test]
    fn fixed_order_and_number_models() {
        let dir = tempfile::tempdir().unwrap();
        let f = write(&dir, "v.yaml", "n: 1000000\nbig: 5\n");
        let text = write(&dir, "t.txt", "line1\nline2\n");
        let src = ValueSources {
            values_files: vec![f.clone()],
            set: vec!["n=7,s=1".into()],
            set_string: vec!["s=2".into()],
            set_json: vec!["s=0".into(), "j=1".into()],
            set_file: vec![format!("s={text}")],
            set_literal: vec!["lit=a,b=c".into()],
        };
        let got = merge(&src).unwrap();
        assert_eq!(got["n"], json!(7));
        assert!(
            got["n"].is_i64(),
            "--set integers stay int64 under the Helm model"
        );
        assert!(
            got["big"].is_f64(),
            "YAML numbers are float64 under the Helm model"
        );
        assert!(
            got["j"].is_f64(),
            "JSON numbers are float64 under the Helm model"
        );
        assert_eq!(got["s"], json!("line1\nline2\n"));
        assert_eq!(got["lit"], json!("a,b=c"));

        let exact = merge_user_values(
            &ValueSources {
                values_files: vec![f],
                set_json: vec!["j=1".into()],
                ..Default::default()
            },
            NumberModel::Exact,
            &mut Cursor::new(Vec::new()),
        )
        .unwrap();
        assert!(exact["big"].is_i64());
        assert!(exact["j"].is_i64());
    }

    #[test]
    fn stdin_for_values_and_set_file() {
        let src = ValueSources {
            values_files: vec!["-".into()],
            ..Default::default()
        };
        let got = merge_user_values(
            &src,
            NumberModel::Exact,
            &mut Cursor::new(b"a: 1\n".to_vec()),
        )
        .unwrap();
        assert_eq!(Value::Object(got), json!({"a": 1}));
        let src = ValueSources {
            set_file: vec!["cert= - ".into()],
            ..Default::default()
        };
        let got =
            merge_user_values(&src, NumberModel::Exact, &mut Cursor::new(b"PEM".to_vec())).unwrap();
        assert_eq!(Value::Object(got), json!({"cert": "PEM"}));
    }

    #[test]
    fn error_wrappers_name_the_flag_or_file() {
        let dir = tempfile::tempdir().unwrap();
        let list = write(&dir, "list.yaml", "- a\n- b\n");
        let bad = write(&dir, "bad.yaml", "a: [1, 2\nb: 3\n");
        let missing = dir.path().join("nope.yaml").to_string_lossy().into_owned();
        let cases: Vec<(ValueSources, String)> = vec![
            (
                ValueSources {
                    set: vec!["a".into()],
                    ..Default::default()
                },
                "failed parsing --set data: key \"a\" has no value".into(),
            ),
            (
                ValueSources {
                    set_string: vec!["a.=x".into()],
                    ..Default::default()
                },
                "failed parsing --set-string data: key map \"a\" has no value".into(),
            ),
            (
                ValueSources {
                    set_literal: vec!["a[-1]=x".into()],
                    ..Default::default()
                },
                "failed parsing --set-literal data: negative -1 index not allowed".into(),
            ),
            (
                ValueSources {
                    set: vec!["a=1".into()],
                    set_string: vec!["a.b=2".into()],
                    ..Default::default()
                },
                "failed parsing --set-string data: unable to parse key: interface conversion: interface {} is int64, not map[string]interface {}".into(),
            ),
            (
                ValueSources {
                    set_json: vec!["a=tru".into()],
                    ..Default::default()
                },
                "failed parsing --set-json data: invalid JSON value: invalid literal (expected true, false or null)".into(),
            ),
            (
                ValueSources {
                    values_files: vec![list.clone()],
                    ..Default::default()
                },
                format!("failed to parse {list}: YAML document 1 is a list, not a map of values"),
            ),
            (
                ValueSources {
                    values_files: vec!["https://example.com/v.yaml".into()],
                    ..Default::default()
                },
                "-f/--values https://example.com/v.yaml: reading values from a URL is not supported yet; download the file and pass its local path".into(),
            ),
        ];
        for (src, msg) in cases {
            assert_eq!(merge(&src).unwrap_err().to_string(), msg);
        }

        let err = merge(&ValueSources {
            values_files: vec![missing.clone()],
            ..Default::default()
        })
        .unwrap_err()
        .to_string();
        assert!(
            err.starts_with(&format!("failed to read values file {missing}: ")),
            "{err}"
        );

        let err = merge(&ValueSources {
            values_files: vec![bad.clone()],
            ..Default::default()
        })
        .unwrap_err()
        .to_string();
        assert!(
            err.starts_with(&format!("failed to parse {bad}: ")),
            "{err}"
        );
        assert!(err.contains("line"), "{err}");

        let err = merge(&ValueSources {
            set_file: vec![format!("k={missing}")],
            ..Default::default()
        })
        .unwrap_err()
        .to_string();
        assert!(
            err.starts_with(&format!(
                "failed parsing --set-file data: reading file {missing:?}: "
            )),
            "{err}"
        );

        let err = merge(&ValueSources {
            set_json: vec![r#"{"password": "hunter2""#.into()],
            ..Default::default()
        })
        .unwrap_err()
        .to_string();
        assert!(
            err.starts_with("failed parsing --set-json data JSON: "),
            "{err}"
        );
        assert!(
            !err.contains("hunter2"),
            "values must not appear in errors: {err}"
        );
    }

    #[test]
    fn file_lists_split_like_helm() {
        assert_eq!(
            split_file_list("a.yaml,b.yaml").unwrap(),
            ["a.yaml", "b.yaml"]
        );
        assert_eq!(split_file_list("").unwrap(), Vec::<String>::new());
        assert_eq!(
            split_file_list("\"a,b.yaml\",c").unwrap(),
            ["a,b.yaml", "c"]
        );
        assert_eq!(
            split_file_list("\"say \"\"hi\"\"\"").unwrap(),
            ["say \"hi\""]
        );
        assert_eq!(split_file_list("a,").unwrap(), ["a", ""]);
        assert!(split_file_list("a\"b").is_err());
        assert!(split_file_list("\"ab").is_err());
        assert!(split_file_list("\"a\"b").is_err());
    }

    #[test]
    fn hostile_sources_are_bounded() {
        // An endless stdin stops at the size limit with a clear error.
        let src = ValueSources {
            values_files: vec!["-".into()],
            ..Default::default()
        };
        let mut endless = std::io::repeat(b'a');
        let err = merge_user_values(&src, NumberModel::Exact, &mut endless)
            .unwrap_err()
            .to_string();
        assert!(err.contains("MiB limit"), "{err}");

        // Many flags share one list-element budget.
        let src = ValueSources {
            set: (0..40).map(|i| format!("k{i}[65536]=1")).collect(),
            ..Default::default()
        };
        let err = merge(&src).unwrap_err().to_string();
        assert!(err.contains("list elements"), "{err}");
    }
}
