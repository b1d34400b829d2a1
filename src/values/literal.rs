//! `--set-literal` (Helm's `literal_parser.go`): the key grammar of `--set` without escapes (a
//! `,` in a key is an ordinary character), and the value is everything after the first `=` up
//! to the end of the flag, kept verbatim as a string. The parser itself lives in
//! [`super::strvals`]; this file holds the public entry points and Helm's literal test tables.

use super::strvals::{self, Budget, Mode, ParseError};
use crate::Map;

/// Parses `--set-literal` data into a new map.
pub fn parse_literal(s: &str) -> Result<Map, ParseError> {
    let mut m = Map::new();
    parse_literal_into(s, &mut m)?;
    Ok(m)
}

/// Parses `--set-literal` data into `dest` (Helm's `ParseLiteralInto`).
pub fn parse_literal_into(s: &str, dest: &mut Map) -> Result<(), ParseError> {
    strvals::run(s, dest, Mode::Literal, &mut Budget::default())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::Value;
    use serde_json::json;

    /// TestParseLiteral: 47 rows. `None` = an error is expected.
    fn literal_rows() -> Vec<(String, Option<Value>)> {
        let fixed: Vec<(&str, Option<Value>)> = vec![
            ("name", None),
            ("name=", Some(json!({"name": ""}))),
            ("name=value", Some(json!({"name": "value"}))),
            (
                "long_int_string=1234567890",
                Some(json!({"long_int_string": "1234567890"})),
            ),
            ("boolean=true", Some(json!({"boolean": "true"}))),
            ("is_null=null", Some(json!({"is_null": "null"}))),
            ("zero=0", Some(json!({"zero": "0"}))),
            (
                "name1=null,name2=value2",
                Some(json!({"name1": "null,name2=value2"})),
            ),
            ("name1=value,,,tail", Some(json!({"name1": "value,,,tail"}))),
            (
                "leading_zeros=00009",
                Some(json!({"leading_zeros": "00009"})),
            ),
            ("name=one two three", Some(json!({"name": "one two three"}))),
            (
                "outer.inner=value",
                Some(json!({"outer": {"inner": "value"}})),
            ),
            (
                "outer.middle.inner=value",
                Some(json!({"outer": {"middle": {"inner": "value"}}})),
            ),
            ("name1.name2", None),
            ("name1.name2=", Some(json!({"name1": {"name2": ""}}))),
            ("name1.=name2", None),
            ("name1.,name2", None),
            (
                "name1={value1,value2}",
                Some(json!({"name1": "{value1,value2}"})),
            ),
            ("list[0]=foo", Some(json!({"list": ["foo"]}))),
            ("list[0].foo=bar", Some(json!({"list": [{"foo": "bar"}]}))),
            ("list[-30].hello=world", None),
            (
                "list[3]=bar",
                Some(json!({"list": [null, null, null, "bar"]})),
            ),
            ("illegal[0]name.foo=bar", None),
            ("noval[0]", Some(json!({"noval": []}))),
            ("noval[0]=", Some(json!({"noval": [""]}))),
            ("nested[0][0]=1", Some(json!({"nested": [["1"]]}))),
            (
                "nested[1][1]=1",
                Some(json!({"nested": [null, [null, "1"]]})),
            ),
            (
                "name1.name2[0].foo=bar",
                Some(json!({"name1": {"name2": [{"foo": "bar"}]}})),
            ),
            (
                "name1.name2[1].foo=bar",
                Some(json!({"name1": {"name2": [null, {"foo": "bar"}]}})),
            ),
            (
                "name1.name2[1].foo=bar",
                Some(json!({"name1": {"name2": [null, {"foo": "bar"}]}})),
            ),
            ("]={}].", Some(json!({"]": "{}]."}))),
        ];
        let mut rows: Vec<(String, Option<Value>)> =
            fixed.into_iter().map(|(s, v)| (s.to_string(), v)).collect();
        // The "special characters" rows: the value is kept verbatim.
        for value in [
            "val,val",
            "val.val",
            "val=val",
            "val$val",
            "(value",
            "value)",
            "(value)",
            "{value",
            "value}",
            "{value}",
            "{value1,value2}",
            r"val\val",
            r"val\\val",
            r"val\\\val",
            r"{val,.?*v\0a!l)some",
            r"em%GT)tqUDqz,i-\h+Mbqs-!:.m\\rE=mkbM#rR}@{-k@",
        ] {
            rows.push((format!("name={value}"), Some(json!({ "name": value }))));
        }
        rows
    }

    #[test]
    fn parse_literal_table() {
        let rows = literal_rows();
        assert_eq!(rows.len(), 47);
        for (input, expect) in rows {
            let got = parse_literal(&input);
            match expect {
                Some(e) => assert_eq!(got.map(Value::Object), Ok(e), "{input}"),
                None => assert!(got.is_err(), "{input}: expected an error, got {got:?}"),
            }
        }
    }

    /// TestParseLiteralInto: like TestParseInto, but the first value swallows the rest.
    #[test]
    fn parse_literal_into_table() {
        let rows: Vec<(&str, &str, Value, Value)> = vec![
            (
                "outer.inner1=value1,outer.inner3=value3,outer.inner4=4",
                "",
                json!({"outer": {"inner1": "overwrite", "inner2": "value2"}}),
                json!({"outer": {"inner1": "value1,outer.inner3=value3,outer.inner4=4", "inner2": "value2"}}),
            ),
            (
                "listOuter[0][0].type=listValue",
                "listOuter[0][0].status=alive",
                json!({}),
                json!({"listOuter": [[{"type": "listValue", "status": "alive"}]]}),
            ),
            (
                "listOuter[0][0].type=listValue",
                "listOuter[1][0].status=alive",
                json!({}),
                json!({"listOuter": [[{"type": "listValue"}], [{"status": "alive"}]]}),
            ),
            (
                "listOuter[0][1][0].type=listValue",
                "listOuter[0][0][1].status=alive",
                json!({"listOuter": [[[{"exited": "old"}]]]}),
                json!({"listOuter": [[[{"exited": "old"}, {"status": "alive"}], [{"type": "listValue"}]]]}),
            ),
        ];
        for (input, input2, start, expect) in rows {
            let Value::Object(mut got) = start else {
                unreachable!()
            };
            parse_literal_into(input, &mut got).unwrap();
            if !input2.is_empty() {
                parse_literal_into(input2, &mut got).unwrap();
            }
            assert_eq!(Value::Object(got), expect, "{input} / {input2}");
        }
    }

    /// TestParseLiteralNestedLevels.
    #[test]
    fn literal_nested_levels() {
        assert_eq!(
            parse_literal("outer.middle.inner=value").map(Value::Object),
            Ok(json!({"outer": {"middle": {"inner": "value"}}}))
        );
        let key: Vec<String> = (1..=strvals::MAX_NESTED_NAME_LEVEL + 2)
            .map(|i| format!("name{i}"))
            .collect();
        let err = parse_literal(&format!("{}=value", key.join("."))).unwrap_err();
        assert_eq!(
            err.message(),
            "value name nested level is greater than maximum supported nested level of 30"
        );
    }

    #[test]
    fn literal_keys_have_no_escapes_and_commas_are_plain() {
        assert_eq!(
            parse_literal(r"a\b,c=x").map(Value::Object),
            Ok(json!({r"a\b,c": "x"}))
        );
        assert_eq!(
            parse_literal("a=1")
                .and_then(|mut m| parse_literal_into("a.b=2", &mut m).map(|()| m))
                .unwrap_err()
                .message(),
            "unable to parse key: interface conversion: interface {} is string, not map[string]interface {}"
        );
    }
}
