//! Fuzzes the `--set` family parsers on arbitrary UTF-8: every mode must return a value or an
//! error, never panic, overflow the stack or allocate without bound.
#![no_main]

use chartroom::values;
use chartroom::yaml::NumberModel;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &str| {
    let mut m = chartroom::Map::new();
    let _ = values::parse_into(data, &mut m);
    // Parse again into the result, as repeated --set flags do.
    let _ = values::parse_into(data, &mut m);
    let _ = values::parse_string(data);
    let _ = values::parse_literal(data);
    let mut j = chartroom::Map::new();
    let _ = values::parse_json(data, &mut j, NumberModel::Helm);
    let mut reader = |path: &str| -> Result<chartroom::Value, String> {
        if path.len() % 2 == 0 {
            Ok(chartroom::Value::String(path.to_string()))
        } else {
            Err(format!("no file {path:?}"))
        }
    };
    let _ = values::parse_file(data, &mut reader);
});
