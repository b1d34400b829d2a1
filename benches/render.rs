//! In-process render benchmark: load + values + render + sort for shipped and fixture charts.
//! `cargo bench --bench render` prints the median and spread of repeated runs; it asserts
//! nothing about speed (whole-process comparisons with helm live in scripts/bench.sh).

use chartroom::render::{RenderOptions, render};
use chartroom::values::{ValueSources, merge_user_values};
use chartroom::yaml::NumberModel;
use std::path::Path;
use std::time::{Duration, Instant};

fn bench(name: &str, chart_dir: &Path, runs: usize) {
    if !chart_dir.is_dir() {
        println!("{name}: skipped ({} not found)", chart_dir.display());
        return;
    }
    let mut times: Vec<Duration> = Vec::with_capacity(runs);
    let mut docs = 0;
    for _ in 0..runs {
        let start = Instant::now();
        let chart = chartroom::chart::load(chart_dir).expect("chart loads");
        let user = merge_user_values(
            &ValueSources::default(),
            NumberModel::Exact,
            &mut std::io::empty(),
        )
        .expect("values");
        let out = render(chart, &user, &RenderOptions::default()).expect("renders");
        docs = out.manifests.len() + out.hooks.len();
        times.push(start.elapsed());
    }
    times.sort();
    let median = times[times.len() / 2];
    println!(
        "{name}: {docs} documents, median {:.3} ms (min {:.3}, max {:.3}) over {runs} runs",
        median.as_secs_f64() * 1e3,
        times[0].as_secs_f64() * 1e3,
        times[times.len() - 1].as_secs_f64() * 1e3
    );
}

fn main() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    for chart in ["postgres", "jenkins", "fluent-bit"] {
        bench(
            &format!("charts/{chart}"),
            &root.join("charts").join(chart),
            200,
        );
    }
    bench(
        "fixture cli/app",
        &root.join("tests/fixtures/charts/cli/app"),
        200,
    );
}
