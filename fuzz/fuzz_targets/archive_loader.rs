//! Fuzz target: `chartroom::chart::load_archive` on arbitrary bytes must return (a chart or an
//! error) without panicking, hanging or exhausting memory. Half of the inputs are wrapped in a
//! gzip member first so the fuzzer reaches the tar and chart layers instead of stopping at the
//! gzip sniff.
#![no_main]

use libfuzzer_sys::fuzz_target;
use std::io::Write;

fuzz_target!(|data: &[u8]| {
    let _ = chartroom::chart::load_archive(data, "fuzz.tgz");
    if let Some((&first, rest)) = data.split_first()
        && first & 1 == 1
    {
        let mut gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::fast());
        if gz.write_all(rest).is_ok()
            && let Ok(wrapped) = gz.finish()
        {
            let _ = chartroom::chart::load_archive(&wrapped, "fuzz.tgz");
        }
    }
});
