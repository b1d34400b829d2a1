//! Fuzzes the Go-template engine: any text must parse or fail with an error, and any parsed
//! template must execute or fail with an error, in bounded time, never panicking.
#![no_main]

use chartroom::engine::gotmpl::{Engine, Limits, MissingKey, Options, Value};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let mut engine = Engine::with_sprig();
    engine.set_options(Options {
        missing_key: MissingKey::Zero,
        limits: Limits {
            max_depth: 50,
            max_output: 1 << 20,
            max_steps: 100_000,
        },
    });
    if engine.parse("fuzz", text).is_ok() {
        let mut values = std::collections::BTreeMap::new();
        values.insert("a".to_string(), Value::Int64(1));
        values.insert("b".to_string(), Value::str("x"));
        values.insert("l".to_string(), Value::list(vec![Value::Int(1), Value::Nil]));
        let mut top = std::collections::BTreeMap::new();
        top.insert("Values".to_string(), Value::map(values));
        let data = Value::map(top);
        let _ = engine.execute("fuzz", &data);
    }
});
