//! Benchmark of YAML reading: `chartroom::yaml` (fast reader with serde-saphyr fallback) against
//! serde-saphyr alone (the previous path, same options), on the generated 1,000-manifest
//! corpus (one call per document, as `chartroom template`/`validate` do, and the whole stream in
//! one call) and on a generated ~1 MB values file. Plain `harness = false`, std::time, medians.
//!
//! `cargo bench --bench yaml` prints the medians and the speedup of each case.
//! `cargo bench --bench yaml -- --once CASE fast|saphyr` runs one case once, for instruction
//! counts: `valgrind --tool=callgrind --collect-atstart=no --toggle-collect=yaml::measured
//! target/release/deps/yaml-HASH --once 0 fast`.

#[path = "../tests/fixtures/validate/corpus.rs"]
mod corpus;

use std::hint::black_box;
use std::time::{Duration, Instant};

use chartroom::Value;
use chartroom::yaml::{NumberModel, parse_documents, parse_stream};
use serde_saphyr::options::AliasLimits;
use serde_saphyr::{Budget, DuplicateKeyPolicy, NonFiniteFloatPolicy, Options};

/// serde-saphyr's options as `chartroom::yaml` sets them (kept in step by the equality checks
/// in `main`).
fn saphyr_options(stream: bool) -> Options {
    let mut b = Budget::default();
    let mut alias = AliasLimits::default();
    if stream {
        b.max_nodes = 20_000_000;
        b.max_events = 80_000_000;
        b.max_depth = 256;
        b.max_documents = 1_000_000;
        b.max_reader_input_bytes = Some(512 * 1024 * 1024);
    } else {
        b.max_nodes = 1_000_000;
        b.max_events = 4_000_000;
        b.max_depth = 128;
        b.max_documents = 4_096;
        b.max_recorded_anchor_events = 50_000;
        alias.max_total_replayed_events = 250_000;
    }
    b.enforce_alias_anchor_ratio = false;
    let mut o = Options::default();
    o.budget = Some(b);
    o.alias_limits = alias;
    o.duplicate_keys = DuplicateKeyPolicy::LastWins;
    o.legacy_octal_numbers = true;
    o.non_finite_float_policy = NonFiniteFloatPolicy::AsString;
    o
}

fn saphyr(text: &str, stream: bool) -> Vec<Value> {
    serde_saphyr::from_multiple_with_options(text, saphyr_options(stream)).expect("serde-saphyr")
}

/// A values file in the shape of large Helm charts: nested maps, lists of maps, every scalar
/// type, block literals, comments, and anchors with merge keys.
fn values_file(services: usize) -> String {
    let mut s = String::from(
        "# Default values.\nglobal:\n  imageRegistry: registry.example.com\n  pullSecrets: []\n  \
         storageClass: \"\"\ncommonLabels: &labels\n  team: platform\n  tier: backend\n  \
         managed: \"true\"\nresourcesDefault: &res\n  limits:\n    cpu: 500m\n    memory: 512Mi\n  \
         requests:\n    cpu: 100m\n    memory: 128Mi\n",
    );
    for i in 0..services {
        s.push_str(&format!(
            "service{i}:\n  enabled: {}\n  replicaCount: {}\n  image:\n    repository: org/app-{i}\n    \
             tag: \"1.{i}.0\"\n    pullPolicy: IfNotPresent\n  labels:\n    <<: *labels\n    app: app-{i}\n  \
             resources: *res\n  ports:\n    - name: http\n      containerPort: {}\n      protocol: TCP\n    \
             - name: metrics\n      containerPort: 9090\n  env:\n    - name: LOG_LEVEL\n      value: info\n    \
             - name: RATIO\n      value: \"0.{i}\"\n  probes:\n    initialDelaySeconds: 10\n    \
             periodSeconds: 15\n    threshold: 0.75\n  annotations:\n    prometheus.io/scrape: \"true\"\n    \
             note: some text with spaces # a comment\n  config: |\n    [server]\n    port = {}\n    \
             name = \"app-{i}\"\n  nodeSelector: {{}}\n  tolerations: []\n  extra: ~\n",
            if i % 3 == 0 { "yes" } else { "false" },
            i % 5 + 1,
            8000 + i,
            8000 + i,
        ));
    }
    s
}

/// A benchmark case: name, input size, the `chartroom::yaml` run and the serde-saphyr run.
type Case<'a> = (
    &'a str,
    usize,
    Box<dyn Fn() -> usize + 'a>,
    Box<dyn Fn() -> usize + 'a>,
);

fn median(mut v: Vec<Duration>) -> Duration {
    v.sort();
    v[v.len() / 2]
}

/// Runs the two sides alternately (so that load from other processes hits both alike) and
/// returns the median and minimum of each.
fn time_pair(
    runs: usize,
    fast: &dyn Fn() -> usize,
    reference: &dyn Fn() -> usize,
) -> [(Duration, Duration); 2] {
    let mut times = [Vec::with_capacity(runs), Vec::with_capacity(runs)];
    for _ in 0..runs {
        for (side, f) in [fast, reference].into_iter().enumerate() {
            let t = Instant::now();
            black_box(f());
            times[side].push(t.elapsed());
        }
    }
    times.map(|v| {
        let min = *v.iter().min().expect("runs");
        (median(v), min)
    })
}

fn main() {
    let args: Vec<String> = std::env::args().collect();
    let (stream, _) = corpus::generate(1000);
    // The corpus plants one syntax error; drop that document so both paths read everything.
    let docs: Vec<&str> = stream
        .split("\n---\n")
        .filter(|d| !d.contains("[unclosed"))
        .collect();
    let clean_stream = docs.join("\n---\n");
    let values = values_file(600);

    // Same answers from both paths (this also keeps `saphyr_options` honest).
    let json = |v: &[Value]| serde_json::to_string(v).unwrap();
    let once = args.iter().any(|a| a == "--once");
    assert!(
        once || json(&parse_stream(&clean_stream, NumberModel::Exact).unwrap())
            == json(&saphyr(&clean_stream, true))
    );
    assert!(
        once || json(&parse_documents(&values, NumberModel::Exact).unwrap())
            == json(&saphyr(&values, false))
    );

    let runs = 21;
    let cases: [Case; 3] = [
        (
            "1,000 manifests, one call per document",
            clean_stream.len(),
            Box::new(|| {
                docs.iter()
                    .map(|d| parse_stream(d, NumberModel::Exact).unwrap().len())
                    .sum()
            }),
            Box::new(|| docs.iter().map(|d| saphyr(d, true).len()).sum()),
        ),
        (
            "1,000 manifests, one stream",
            clean_stream.len(),
            Box::new(|| {
                parse_stream(&clean_stream, NumberModel::Exact)
                    .unwrap()
                    .len()
            }),
            Box::new(|| saphyr(&clean_stream, true).len()),
        ),
        (
            "values file (600 services, anchors, merges)",
            values.len(),
            Box::new(|| parse_documents(&values, NumberModel::Exact).unwrap().len()),
            Box::new(|| saphyr(&values, false).len()),
        ),
    ];
    // `--once CASE fast|saphyr`: one run of one case, for instruction counts with
    // `valgrind --tool=callgrind --toggle-collect='*measured*'`.
    if let Some(i) = args.iter().position(|a| a == "--once") {
        let case: usize = args[i + 1].parse().expect("case number");
        let (_, _, fast, reference) = &cases[case];
        let f = if args[i + 2] == "fast" {
            fast
        } else {
            reference
        };
        black_box(measured(f.as_ref()));
        return;
    }
    let ms = |d: Duration| format!("{:.2} ms", d.as_secs_f64() * 1e3);
    for (name, bytes, fast, reference) in &cases {
        let [(fast_median, fast_min), (ref_median, ref_min)] =
            time_pair(runs, fast.as_ref(), reference.as_ref());
        println!(
            "{name} ({} KB): chartroom::yaml median {} (min {}) | serde-saphyr median {} (min {}) \
             | speedup {:.2}x (min {:.2}x)",
            bytes / 1024,
            ms(fast_median),
            ms(fast_min),
            ms(ref_median),
            ms(ref_min),
            ref_median.as_secs_f64() / fast_median.as_secs_f64(),
            ref_min.as_secs_f64() / fast_min.as_secs_f64(),
        );
    }
}

#[inline(never)]
fn measured(f: &dyn Fn() -> usize) -> usize {
    f()
}
