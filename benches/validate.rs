//! Benchmark of `chartroom::validate::validate` on the generated 1,000-manifest corpus
//! (~1.5 MB, shared with the tests). Plain `harness = false`, std::time, medians.
//!
//! `cargo bench --bench validate` prints timings; `cargo bench --bench validate -- --write FILE`
//! only writes the corpus (used by scripts/bench-validate.sh for whole-process timing).

#[path = "../tests/fixtures/validate/corpus.rs"]
mod corpus;

use std::time::{Duration, Instant};

use chartroom::validate::{Input, Options, validate};

fn median(mut v: Vec<Duration>) -> Duration {
    v.sort();
    v[v.len() / 2]
}

fn main() {
    let args: Vec<String> = std::env::args().collect();
    let (text, planted) = corpus::generate(1000);
    if let Some(i) = args.iter().position(|a| a == "--write") {
        let path = args.get(i + 1).expect("--write FILE");
        std::fs::write(path, &text).expect("write corpus");
        return;
    }
    let inputs = [Input::file("corpus.yaml", text.clone())];
    let opts = Options::default();
    // Warm-up (also decompresses the embedded schemas once, as a process would).
    let first = Instant::now();
    let report = validate(&inputs, &opts).expect("validate");
    let cold = first.elapsed();
    assert_eq!(report.findings.len(), planted.len());

    let runs = 15;
    let mut whole = Vec::new();
    for _ in 0..runs {
        let t = Instant::now();
        let r = validate(&inputs, &opts).expect("validate");
        whole.push(t.elapsed());
        assert_eq!(r.documents, 1000);
    }
    let mut parse_only = Vec::new();
    for _ in 0..runs {
        let t = Instant::now();
        let mut n = 0;
        for doc in text.split("\n---\n") {
            n += chartroom::yaml::parse_stream(doc, chartroom::yaml::NumberModel::Exact)
                .map_or(1, |d| d.len());
        }
        parse_only.push(t.elapsed());
        assert_eq!(n, 1000);
    }
    println!(
        "validate 1,000 manifests ({} KB): first run {:.1} ms, median {:.1} ms over {runs} runs",
        text.len() / 1024,
        cold.as_secs_f64() * 1e3,
        median(whole).as_secs_f64() * 1e3
    );
    println!(
        "for comparison, one-thread YAML parse of the same stream: median {:.1} ms",
        median(parse_only).as_secs_f64() * 1e3
    );
}
