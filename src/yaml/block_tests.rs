//! Differential tests of the block fast path (`block.rs`) against granit-parser 2.2.0: whenever
//! the fast path accepts a text, its events must equal granit's exactly (with the parser options
//! of both budgets) and granit must accept the text. Inputs: hand-written edge cases, every YAML
//! file of the repository's fixtures and charts, the fast reader's table and generated streams,
//! generated block YAML aimed at the subset, mutations of all of these (to reach the decline
//! paths), and random text (which must never panic). Typical manifests and values files must
//! be accepted, so that the fast path is really taken.

use super::block;
use super::differential_tests::{CASES, Gen, corpus};
use super::fast::parser_options;
use super::{Budget, small_budget, stream_budget};
use serde_saphyr::granit_parser::{Event, Parser};
use std::path::{Path, PathBuf};

fn granit<'a>(text: &'a str, budget: &Budget) -> Result<Vec<Event<'a>>, String> {
    Parser::new_from_str_with_options(text, parser_options(budget))
        .map(|item| item.map(|(event, _span)| event).map_err(|e| e.to_string()))
        .collect()
}

/// Whether the fast path accepted `text`; panics when its events differ from granit's.
fn check(text: &str) -> bool {
    let Some(events) = block::events(text) else {
        return false;
    };
    let events: Vec<Event<'_>> = events.collect();
    for budget in [small_budget(), stream_budget()] {
        match granit(text, &budget) {
            Ok(expected) => assert_eq!(
                events, expected,
                "the fast path's events differ from granit's for {text:?}"
            ),
            Err(e) => panic!("the fast path accepted {text:?}, granit rejects it: {e}"),
        }
    }
    true
}

impl Gen {
    fn chance(&mut self, one_in: usize) -> bool {
        self.below(one_in) == 0
    }
}

/// Edge cases; `true`: must be accepted (and match), `false`: may decline.
const EDGES: &[(&str, bool)] = &[
    ("", true),
    ("# only a comment\n", true),
    ("\n\n   \n# c\n  # c\n", true),
    ("---\n", true),
    ("---", true),
    ("--- # c\n", true),
    ("---   \n# c\n", true),
    ("# head\n---\na: 1\n", true),
    ("---\na: 1\n", true),
    ("a: 1", true),
    ("a: 1\nb: 2\n", true),
    ("a:\n", true),
    ("a:", true),
    ("a: # c\n", true),
    ("a:\nb:\n", true),
    ("a:\n  b:\nc: 1\n", true),
    ("a:\n  b:\n    c:\nd:\n", true),
    ("a:\n  b: 1\n  c:\n    d: 2\ne: 3\n", true),
    ("a:\n- 1\n- 2\nb: 3\n", true),
    ("a:\n  - 1\n  - 2\nb: 3\n", true),
    ("a:\n    - 1\n    -\n    - x\n", true),
    ("- a\n- b\n", true),
    ("-\n- b\n-\n", true),
    ("- # c\n  a: 1\n", true),
    ("-\n  a: 1\n  b: 2\n-\n  - x\n", true),
    ("- a: 1\n  b: 2\n- c: 3\n", true),
    ("- a:\n  - x\n  b: 1\n", true),
    ("- a:\n    b: 1\n  c: 2\n", true),
    ("- a:\n  b: 2\n", true),
    ("- a:\n- b\n", true),
    ("- - a\n  - b\n- - - c\n", true),
    ("- - \n- -\n", true),
    ("-   a: 1\n    b: 2\n", true),
    ("k:\n- a: 1\n  b: 2\n- c\nz: 1\n", true),
    ("  a: 1\n  b: 2\n", true),
    ("  - a\n  - b\n", true),
    ("a: b#c\n", true),
    ("a: b #c\n", true),
    ("a: b  # c  \n", true),
    ("a: -1\nb: -foo\nc: :x\nd: a:b\ne: http://x:80/y\n", true),
    ("- -1\n- -foo\n- :x\n", true),
    ("a: 'it''s'\nb: ''''\nc: ''\n", true),
    ("'it''s': x\n", true),
    ("a: \"x\"\nb: \"\"\nc: \"a b\"   # c\n", true),
    (
        "a: \"\\n\\t\\\\\\\"\\/\\0\\a\\b\\e\\f\\v\\r\\ \\_\\N\\L\\P\"\n",
        true,
    ),
    ("a: \"\\x41\\u00e9\\U0001F600\"\n", true),
    ("a: \"\\\t\"\n", true),
    ("a: \"tab\there\"\nb: 'tab\there'\n", true),
    ("\"a b\": 1\n'c: d': 2\n\"e\" : 3\n", true),
    ("a: \"b\": c\n", false),
    ("a: 'b' c\n", false),
    ("a: 'x'#c\n", false),
    ("\"a\":b\n", false),
    ("a: \"\\uD83D\\uDE00\"\n", false),
    ("a: \"\\q\"\n", false),
    ("a: \"\\x4\"\n", false),
    ("a: \"multi\n  line\"\n", false),
    ("a: 'multi\n  line'\n", false),
    ("a: \"end\\\n  x\"\n", false),
    ("a: []\nb: {}\n- c\n", false),
    ("a: []\nb: {}\n", true),
    ("- []\n- {}\n", true),
    ("a: [] # c\n", true),
    ("a: [ ]\n", true),
    ("a: [1]\n", true),
    (
        "drop: [\"ALL\"]\nb: ['x', \"y\" ,z-1.2/3_4 ]\nc: [ \"a\" ]   # c\n",
        true,
    ),
    ("- [\"a\", 'b''c', \"\\t\"]\n- [a]\n", true),
    ("a:\n  [\"x\"]\nb: 1\n", true),
    ("a: [a b]\n", false),
    ("a: [a, ]\n", false),
    ("a: [a,]\n", false),
    ("a: [,a]\n", false),
    ("a: [\"a\": b]\n", false),
    ("a: [a:b]\n", false),
    ("a: [-a]\n", false),
    ("a: [a]b\n", false),
    ("a: [a]#c\n", false),
    ("a: [a\n  , b]\n", false),
    ("a: [[a]]\n", false),
    ("a: [{}]\n", false),
    ("a: [\"a\"\t]\n", false),
    ("[a]: b\n", false),
    ("a: [a] : b\n", false),
    ("a: {b: 1}\n", false),
    ("[]: x\n", false),
    ("a: |\n  text\n", true),
    ("a: |\n  text", true),
    ("a: |-\n  text\n", true),
    ("a: |+\n  text\n", true),
    ("a: |+\n  text\n\n", true),
    ("a: |+\n  text\n\n\n", true),
    ("a: |+\n  text\n\n  \n", true),
    ("a: |+\n  text\n   \n", true),
    ("a: |\n  text\n   ", true),
    ("a: |\n  text\n  ", true),
    ("a: |+\n  text\n  ", true),
    ("a: |+\n  text\n\n  ", true),
    ("a: |\n  one\n\n  two\n\n\nb: 1\n", true),
    ("a: |\n    deeper\n  less\n", false),
    ("a: |\n  one\n    two\n  three\n", true),
    ("a: |\n  one\n  # not a comment\n# comment\nb: 1\n", true),
    ("a: |+\n  one\n# comment\n\nb: 1\n", true),
    ("a: |\n\n  after blank\n", true),
    ("a: |\n  \n  after spaces\n", true),
    ("a: |\n    \n  under\n", false),
    ("a: |\n", true),
    ("a: |", true),
    ("a: |+", true),
    ("a: |-\n\n", true),
    ("a: |+\n\n  \n", true),
    ("a: |+\n   ", true),
    ("a: |+\n\n   ", true),
    ("a: |+\nb: 1\n", true),
    ("a: |+\n\nb: 1\n", true),
    ("a: |\n\nb: 1\n", true),
    ("a: |\n     \nb: 1\n", true),
    ("a: | # c\n  x\n", true),
    ("a: |-  # c\n  x\n", true),
    ("a: |#c\n  x\n", false),
    ("a: |2\n   x\n", false),
    ("a: |-2\n   x\n", false),
    ("a: >\n  folded\n", true),
    ("a: >-\n  -Dx=1\n  -Dy=2 -Dz\nb: 1\n", true),
    ("a: >+\n  one\n  two\n\n\nb: 1\n", true),
    ("a: >\n  one\n  two\n\n", true),
    ("- >-\n  x\n  y\n- z\n", true),
    ("a: >\n  one\n\n  two\n", false),
    ("a: >\n\n  after blank\n", false),
    ("a: >\n  one\n    more\n  two\n", false),
    ("a: >\n  trailing \n  x\n", false),
    ("a: >-\n   one line, trailing space \nb: 1\n", true),
    ("a: >\n  last line trailing \n", true),
    ("a: >+\n  x \n\n", true),
    ("a: >\n  one\n  two", true),
    ("a: >-\n", true),
    ("a: >2\n   x\n", false),
    ("- |\n  x\n- |-\n  y\n", true),
    ("- a: |\n    x\n  b: 1\n", true),
    ("- a: |\n  x\n", false),
    ("k:\n- |\n  x\n- |\n y\n", true),
    ("a: |\n  x\tand tab\n  \ttab first\n", true),
    ("a: |\n\tx\n", false),
    ("a: |\n  x\n\ty\n", false),
    ("a: b\n  c\n", false),
    ("- a\n  b\n", false),
    ("- a\n b\n", false),
    ("a: b: c\n", false),
    ("a: b:\n", false),
    ("a: b : c\n", false),
    ("a: - b\n", false),
    ("a: -\n", false),
    ("a:\tb\n", false),
    ("a: b\tc\n", false),
    ("\ta: b\n", false),
    ("a: b\r\n", false),
    ("a: &x b\n", false),
    ("a: *x\n", false),
    ("a: !t b\n", false),
    ("? a\n: b\n", false),
    ("a: ?x\n", false),
    ("%YAML 1.2\n---\na: 1\n", false),
    ("a: 1\n---\nb: 2\n", false),
    ("a: 1\n...\n", false),
    ("---a: 1\n", false),
    ("--- a\n", false),
    ("a: @x\n", false),
    ("a: `x\n", false),
    ("a: ,x\n", false),
    ("x\n", false),
    ("\"x\"\n", false),
    ("[]\n", false),
    ("|\n x\n", false),
    ("a:\n  x\n", true),
    ("a:\n  x\n  y\n", false),
    ("a:\n  x # c\n  y\n", false),
    ("a:\n  x\nb: 1\n", true),
    ("a:\n  {}\nb:\n  []\n", true),
    ("a:\n    {}\n  b: 1\n", false),
    ("a:\n  'q'\n  \"d\"\n", false),
    ("- a:\n    \"q\"\n  b: 1\n", true),
    ("-\n  x\n-\n  {}\n", true),
    ("-\n  x\n   y\n", false),
    ("a:\n  |\n    text\nb: 1\n", true),
    ("a:\n  |\n  text\n", false),
    ("-\n  |-\n   text\n", true),
    ("a:\n  - x\n  -\n    y\n", true),
    ("a: 1\n b: 2\n", false),
    ("a:\n  b: 1\n c: 2\n", false),
    ("- a\nb: 1\n", false),
    ("a: 1\n- b\n", false),
    ("a:\n  - b\n  c: 1\n", false),
    ("a:\n  - x\n  -y\n", false),
    ("a: b\n\n  c\n", false),
    ("a: b # c\n  d\n", false),
    ("key with spaces: value with spaces\n", true),
    ("a  : b\n", true),
    ("-a: 1\n", true),
    (":a: 1\n", false),
    ("a:b: c\n", true),
    ("é: ü\nkey: 日本語 # コメント\n", true),
    ("a: b\u{85}c\n", false),
    ("a: \u{feff}b\n", false),
    ("a: b\u{2028}\n", false),
    ("a: \u{1}\n", false),
    ("a: \u{7f}\n", false),
    ("a: ~\nb: null\nc:\n", true),
    ("<<: {}\n", true),
    ("a: 0777\nb: 1e3\nc: .inf\nd: yes\n", true),
];

#[test]
fn edge_cases_match_granit() {
    // Long scalars (granit's implicit keys stop at 1024 characters).
    let long = "x".repeat(1500);
    let quoted = format!("\"{long}\"");
    for text in [
        format!("a: {long}\n- {long}\n"),
        format!("a: {long}\nb: {quoted}\n"),
        format!("- {long}\n- {quoted}\n- k: {long}\n"),
        format!("a:\n  {long}\nb:\n  {quoted}\n"),
        format!("{long}: 1\n"),
        format!("{quoted}: 1\n"),
        format!("a:\n  - [{quoted}, {long}]\n"),
    ] {
        check(&text);
    }
    assert!(check(&format!("- {long}\n- {quoted}\n- k: {long}\n")));
    let mut missing = Vec::new();
    for &(text, must) in EDGES {
        if !check(text) && must {
            missing.push(format!("{text:?}: {:?}", block::scan(text).err()));
        }
    }
    assert!(missing.is_empty(), "declined:\n{}", missing.join("\n"));
}

#[test]
fn fast_reader_table_and_streams_match_granit() {
    for (text, _) in CASES {
        check(text.strip_prefix('\u{feff}').unwrap_or(text));
    }
    let mut generator = Gen(0x2545_F491_4F6C_DD1D);
    for _ in 0..2000 {
        check(&generator.stream());
    }
}

fn yaml_files(dir: &Path, out: &mut Vec<PathBuf>) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    for entry in entries.flatten() {
        let path = entry.path();
        if path.is_dir() {
            yaml_files(&path, out);
        } else if path.extension().is_some_and(|e| e == "yaml" || e == "yml") {
            out.push(path);
        }
    }
}

fn repository_yaml() -> Vec<(PathBuf, String)> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut paths = Vec::new();
    yaml_files(&root.join("tests/fixtures"), &mut paths);
    yaml_files(&root.join("charts"), &mut paths);
    paths.sort();
    assert!(paths.len() > 50, "only {} YAML files found", paths.len());
    paths
        .into_iter()
        .filter_map(|p| {
            let text = std::fs::read_to_string(&p).ok()?;
            let text = text.strip_prefix('\u{feff}').unwrap_or(&text).to_string();
            Some((p, text))
        })
        .collect()
}

#[test]
fn repository_yaml_files_match_granit() {
    let files = repository_yaml();
    let mut accepted = 0;
    for (_, text) in &files {
        if check(text) {
            accepted += 1;
        }
        // Rendered-manifest style: every `---`-separated document on its own.
        for doc in text.split("\n---\n") {
            check(doc);
        }
    }
    assert!(accepted > 0);
    // The charts' values files are plain block YAML.
    for (path, text) in &files {
        let p = path.to_string_lossy();
        if p.contains("/charts/") && p.ends_with("/values.yaml") && !p.contains("fixtures") {
            assert!(check(text), "{p} declined: {:?}", block::scan(text).err());
        }
    }
}

/// Indicator and structure characters the mutations insert.
const NOISE: &[&str] = &[
    "-", "- ", "?", ":", ": ", ",", "[", "]", "{", "}", "#", " #", "&", "*", "!", "|", ">", "'",
    "\"", "%", "@", "`", "\t", "\r", "~", "\\", " ", "  ", "\n", "---", "...", "|-", "|+", "é",
    "\u{85}", "\u{feff}", "[]", "{}", "''", "\\n", "\\x4", "\\u00e9",
];

/// One random change to `text`: lines deleted, duplicated, swapped, re-indented by one,
/// joined; characters inserted or replaced; the text cut short.
fn mutate(rng: &mut Gen, text: &str) -> String {
    let mut lines: Vec<String> = text.split('\n').map(str::to_string).collect();
    let n = lines.len();
    let i = rng.below(n);
    match rng.below(9) {
        0 => {
            lines.remove(i);
        }
        1 => {
            let line = lines[i].clone();
            lines.insert(i, line);
        }
        2 => {
            if lines[i].starts_with(' ') && rng.chance(2) {
                lines[i].remove(0);
            } else {
                lines[i].insert(0, ' ');
            }
        }
        3 if n > 1 => {
            let j = (i + 1) % n;
            lines.swap(i, j);
        }
        4 if i + 1 < n => {
            let next = lines.remove(i + 1);
            lines[i].push_str(&next);
        }
        5 | 6 => {
            let noise = rng.pick(NOISE);
            let line = &mut lines[i];
            let at = floor_boundary(line, rng.below(line.len() + 1));
            line.insert_str(at, noise);
        }
        7 => {
            let noise = rng.pick(NOISE);
            let line = &mut lines[i];
            if !line.is_empty() {
                let at = floor_boundary(line, rng.below(line.len()));
                let len = line[at..].chars().next().map_or(0, char::len_utf8);
                line.replace_range(at..at + len, noise);
            }
        }
        _ => {
            let joined = lines.join("\n");
            let at = floor_boundary(&joined, rng.below(joined.len() + 1));
            return joined[..at].to_string();
        }
    }
    lines.join("\n")
}

fn floor_boundary(s: &str, mut i: usize) -> usize {
    while !s.is_char_boundary(i) {
        i -= 1;
    }
    i
}

/// A window of at most 40 lines of `text`, from a random line.
fn window(rng: &mut Gen, text: &str) -> String {
    let lines: Vec<&str> = text.split('\n').collect();
    let start = rng.below(lines.len());
    let len = 1 + rng.below(40);
    lines[start..(start + len).min(lines.len())].join("\n")
}

#[test]
fn mutations_match_granit() {
    let mut rng = Gen(0x853C_49E6_748F_EA9B);
    let files = repository_yaml();
    let mut sources: Vec<String> = EDGES.iter().map(|(t, _)| t.to_string()).collect();
    sources.extend(files.iter().map(|(_, t)| t.clone()));
    let (mut total, mut accepted) = (0, 0);
    for source in &sources {
        for _ in 0..12 {
            let base = if source.len() > 2000 {
                window(&mut rng, source)
            } else {
                source.clone()
            };
            let mut text = mutate(&mut rng, &base);
            if rng.chance(3) {
                text = mutate(&mut rng, &text);
            }
            total += 1;
            if check(&text) {
                accepted += 1;
            }
        }
    }
    if std::env::var_os("BLOCK_DEBUG").is_some() {
        eprintln!("{accepted} of {total} mutants accepted");
    }
    // Both paths are exercised: many mutants stay in the subset, many leave it.
    assert!(
        accepted * 5 > total && accepted * 10 < total * 9,
        "{accepted} of {total} mutants accepted"
    );
}

const GEN_SCALARS: &[&str] = &[
    "x",
    "hello world",
    "-1",
    "-foo",
    ":x",
    "a:b",
    "a#b",
    "1.5",
    "0777",
    "~",
    "null",
    "true",
    "yes",
    "http://h:8080/p?q=1&r=[2]",
    "a, b",
    "a]b",
    "é ü",
    "'q'",
    "'it''s'",
    "''",
    "\"d\"",
    "\"\"",
    "\"a\\tb\\n\\\"c\\\"\"",
    "\"\\x41\\u00e9\"",
    "[]",
    "{}",
    "a  b",
    "x  ",
    "x # c",
    "x #c",
    "'a' # c",
];

/// Scalars outside the subset (or not YAML), picked now and then.
const GEN_ODD_SCALARS: &[&str] = &[
    "!t x",
    "&a x",
    "*a",
    "a: b",
    "- a",
    ">",
    "? x",
    "[a b]",
    "{a: 1}",
    "[a,]",
    "[\"a\": 1]",
    "\"open",
    "x\ty",
    "a:",
];

const GEN_KEYS: &[&str] = &[
    "a", "key", "some key", "k-1", "-k", "\"q k\"", "'s k'", "'it''s'", "\"a: b\"", "<<", "1", "é",
    "a#b", "a:b",
];

const GEN_ODD_KEYS: &[&str] = &["? k", "&a k", "[k]", ":k", "\"k\"x", "k\t"];

fn gen_key<'s>(rng: &mut Gen) -> &'s str {
    if rng.chance(40) {
        rng.pick(GEN_ODD_KEYS)
    } else {
        rng.pick(GEN_KEYS)
    }
}

/// Lines of a block scalar body.
fn block_body(rng: &mut Gen, indent: usize) -> String {
    let mut s = String::new();
    for _ in 0..rng.below(5) {
        match rng.below(6) {
            0 => s.push('\n'),
            1 => {
                s.push_str(&" ".repeat(rng.below(indent + 3)));
                s.push('\n');
            }
            2 => {
                s.push_str(&" ".repeat(indent + 1 + rng.below(3)));
                s.push_str("deeper text\n");
            }
            3 => {
                s.push_str(&" ".repeat(indent));
                s.push_str("# not a comment\n");
            }
            _ => {
                s.push_str(&" ".repeat(indent));
                s.push_str(rng.pick(&["line", "line two", "a: b", "- x", "\tt", "'q'"]));
                s.push('\n');
            }
        }
    }
    s
}

fn noise_lines(rng: &mut Gen, out: &mut String) {
    while rng.chance(5) {
        match rng.below(3) {
            0 => out.push('\n'),
            1 => {
                out.push_str(&" ".repeat(rng.below(6)));
                out.push('\n');
            }
            _ => {
                out.push_str(&" ".repeat(rng.below(6)));
                out.push_str("# comment: - | x\n");
            }
        }
    }
}

/// A value after `key:` or `- ` on the same line, or a nested block on the next lines.
fn gen_value(rng: &mut Gen, out: &mut String, indent: usize, depth: usize, in_map: bool) {
    let nested = depth < 5 && rng.chance(3);
    if nested {
        if rng.chance(4) {
            out.push_str(" # c");
        }
        out.push('\n');
        noise_lines(rng, out);
        let step = match rng.below(6) {
            0 if in_map => 0,
            1 => 1,
            2 => 4,
            _ => 2,
        };
        let child = indent + step;
        if step > 0 && rng.chance(5) {
            // A scalar on its own line.
            out.push_str(&" ".repeat(child));
            out.push_str(rng.pick(GEN_SCALARS));
            out.push('\n');
        } else if step == 0 || rng.chance(2) {
            gen_seq(rng, out, child, depth + 1);
        } else {
            gen_map(rng, out, child, depth + 1);
        }
        return;
    }
    match rng.below(8) {
        0 => out.push('\n'),
        1 => {
            let header = rng.pick(&["|", "|-", "|+", "| # c", "|2", ">"]);
            out.push(' ');
            out.push_str(header);
            out.push('\n');
            let body_indent = indent + 1 + rng.below(3);
            out.push_str(&block_body(rng, body_indent));
        }
        _ => {
            out.push(' ');
            let scalar = if rng.chance(40) {
                rng.pick(GEN_ODD_SCALARS)
            } else {
                rng.pick(GEN_SCALARS)
            };
            out.push_str(scalar);
            if rng.chance(6) {
                out.push_str("  ");
            }
            out.push('\n');
        }
    }
}

fn gen_map(rng: &mut Gen, out: &mut String, indent: usize, depth: usize) {
    for _ in 0..1 + rng.below(4) {
        out.push_str(&" ".repeat(indent));
        out.push_str(gen_key(rng));
        out.push(':');
        gen_value(rng, out, indent, depth, true);
        noise_lines(rng, out);
    }
}

fn gen_seq(rng: &mut Gen, out: &mut String, indent: usize, depth: usize) {
    for _ in 0..1 + rng.below(4) {
        out.push_str(&" ".repeat(indent));
        out.push('-');
        if depth < 5 && rng.chance(4) {
            // A compact mapping: its keys line up after `- `.
            let pad = 1 + rng.below(3);
            out.push_str(&" ".repeat(pad));
            let inner = indent + 1 + pad;
            out.push_str(gen_key(rng));
            out.push(':');
            gen_value(rng, out, inner, depth + 1, true);
            if rng.chance(2) {
                gen_map(rng, out, inner, depth + 1);
            }
        } else if depth < 5 && rng.chance(6) {
            out.push(' ');
            let inner = indent + 2;
            out.push('-');
            gen_value(rng, out, inner, depth + 1, false);
        } else {
            gen_value(rng, out, indent, depth, false);
        }
        noise_lines(rng, out);
    }
}

fn gen_document(rng: &mut Gen) -> String {
    let mut out = String::new();
    if rng.chance(4) {
        out.push_str("# Source: chart/templates/x.yaml\n");
    }
    if rng.chance(3) {
        out.push_str("---\n");
    }
    noise_lines(rng, &mut out);
    let indent = if rng.chance(10) { 2 } else { 0 };
    if rng.chance(4) {
        gen_seq(rng, &mut out, indent, 0);
    } else {
        gen_map(rng, &mut out, indent, 0);
    }
    if rng.chance(5) {
        out.pop();
    }
    out
}

#[test]
fn generated_block_yaml_matches_granit() {
    let mut rng = Gen(0xDA94_2042_E4DD_58B5);
    let (mut total, mut accepted) = (0, 0);
    let mut reasons = std::collections::BTreeMap::new();
    for _ in 0..20_000 {
        let text = gen_document(&mut rng);
        total += 1;
        if check(&text) {
            accepted += 1;
        } else if let Err(block::Declined(why)) = block::scan(&text) {
            *reasons.entry(why).or_insert(0) += 1;
            if std::env::var("BLOCK_DEBUG").is_ok_and(|v| v == why) {
                eprintln!("{why}: {text:?}");
            }
        }
        let mutant = mutate(&mut rng, &text);
        check(&mutant);
    }
    if std::env::var_os("BLOCK_DEBUG").is_some() {
        eprintln!("{accepted} of {total} generated documents accepted; declined: {reasons:?}");
    }
    assert!(
        accepted * 3 > total,
        "{accepted} of {total} generated documents accepted; declined: {reasons:?}"
    );
}

#[test]
fn random_text_never_panics() {
    const PIECES: &[&str] = &[
        "a", "b1", " ", "  ", "\n", "\n  ", ":", ": ", "-", "- ", "#", " #", "'", "\"", "|", "|-",
        "|+", ">", "[", "]", "{", "}", "[]", "{}", "\\", "\\x", "\\u", "\t", "\r", "\0", "é", "日",
        "\u{85}", "\u{feff}", "---", "...", "?", "&", "*", "!", "%", ",", "9",
    ];
    let mut rng = Gen(0x9E37_79B9_7F4A_7C15);
    for _ in 0..20_000 {
        let mut text = String::new();
        for _ in 0..rng.below(40) {
            text.push_str(rng.pick(PIECES));
        }
        check(&text);
    }
    // Arbitrary bytes, made UTF-8.
    for _ in 0..5_000 {
        let bytes: Vec<u8> = (0..rng.below(64)).map(|_| rng.next() as u8).collect();
        check(&String::from_utf8_lossy(&bytes));
    }
}

/// A values file in the style of big charts.
const VALUES: &str = r#"## @section Global parameters
## Global Docker image parameters
## @param global.imageRegistry Global Docker image registry
##
global:
  imageRegistry: ""
  ## E.g.
  ## imagePullSecrets:
  ##   - myRegistryKeySecretName
  ##
  imagePullSecrets: []
  storageClass: ""
  postgresql:
    auth:
      postgresPassword: ""
      username: ""
## @param kubeVersion Override Kubernetes version
kubeVersion: ""
commonLabels: {}
image:
  registry: docker.io
  repository: bitnami/postgresql
  tag: 16.2.0-debian-12-r6
  digest: ""
  ## Specify a imagePullPolicy
  ## ref: https://kubernetes.io/docs/concepts/containers/images/#pre-pulled-images
  pullPolicy: IfNotPresent
  pullSecrets: []
  debug: false
auth:
  enablePostgresUser: true
  postgresPassword: ""
  replicationUsername: repl_user
  usePasswordFiles: false
primary:
  name: primary
  configuration: ""
  initdb:
    scripts: {}
    #   my_init_script.sh: |
    #      #!/bin/sh
    #      echo "Do something."
  extendedConfiguration: |
    max_connections = 200
    shared_buffers = 128MB

    # a comment inside the block
    log_min_duration_statement = 500
  resources:
    limits: {}
    requests:
      memory: 256Mi
      cpu: 250m
  podSecurityContext:
    enabled: true
    fsGroup: 1001
  containerSecurityContext:
    enabled: true
    runAsUser: 1001
    capabilities:
      drop: ["ALL"]
  affinity: {}
  nodeSelector: {}
  tolerations: []
  extraVolumes:
  - name: data
    emptyDir: {}
  - name: 'config'
    configMap:
      name: "my-config"
  service:
    type: ClusterIP
    ports:
      postgresql: 5432
    annotations: {}
  persistence:
    enabled: true
    accessModes:
      - ReadWriteOnce
    size: 8Gi
metrics:
  enabled: false
  customMetrics: {}
  ## e.g:
  ## customMetrics:
  ##   pg_database:
  ##     query: "SELECT d.datname AS name FROM pg_database d"
  prometheusRule:
    rules:
      - alert: HugeReplicationLag
        expr: pg_replication_lag{service="{{ printf "%s-metrics" (include "common.names.fullname" .) }}"} / 3600 > 1
        for: 1m
        labels:
          severity: critical
        annotations:
          description: replication for {{ include "common.names.fullname" . }} PostgreSQL is lagging by {{ "{{ $value }}" }} hour(s).
          summary: PostgreSQL replication is lagging by {{ "{{ $value }}" }} hour(s).
"#;

#[test]
fn typical_inputs_are_accepted() {
    // `drop: ["ALL"]` is a flow sequence: without it the values file is in the subset.
    let values = VALUES.replace("drop: [\"ALL\"]", "drop:\n        - ALL");
    assert!(
        check(&values),
        "values declined: {:?}",
        block::scan(&values).err()
    );
    // The corpus plants a syntax error, and some of its documents hold flow sequences
    // (`args: ["--port=8080"]`), outside the subset; the others must all be accepted.
    let has_flow = |doc: &str| {
        let b = doc.as_bytes();
        b.iter().enumerate().any(|(i, &c)| {
            (c == b'[' && b.get(i + 1) != Some(&b']')) || (c == b'{' && b.get(i + 1) != Some(&b'}'))
        })
    };
    let (stream, _) = corpus::generate(200);
    let (mut block_docs, mut declined) = (0, Vec::new());
    for doc in stream.split("\n---\n") {
        let accepted = check(doc);
        if !has_flow(doc) {
            block_docs += 1;
            if !accepted {
                declined.push(format!("{:?}: {doc:?}", block::scan(doc).err()));
            }
        }
    }
    assert!(block_docs >= 60, "only {block_docs} block-only manifests");
    assert!(
        declined.len() <= 1,
        "{} of {block_docs} manifests declined:\n{}",
        declined.len(),
        declined.join("\n")
    );
    let manifest = "---\n# Source: app/templates/deployment.yaml\napiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: release-app\n  labels:\n    app.kubernetes.io/name: app\n    helm.sh/chart: app-1.2.3\n  annotations:\n    checksum/config: 3b4c5d\nspec:\n  replicas: 1\n  selector:\n    matchLabels:\n      app.kubernetes.io/name: app\n  template:\n    spec:\n      containers:\n        - name: app\n          image: \"nginx:1.25\"\n          args:\n            - --port=8080\n            - -v\n          env:\n            - name: A\n              value: \"1\"\n          ports:\n            - containerPort: 8080\n              protocol: TCP\n          resources: {}\n      volumes: []\n";
    assert!(
        check(manifest),
        "manifest declined: {:?}",
        block::scan(manifest).err()
    );
}

#[test]
fn word_at_a_time_scans_match_byte_loops() {
    let mut rng = Gen(0x2F69_3A1D_44C8_0B57);
    const BYTES: &[u8] = b"  a:#\t\n x-_";
    for _ in 0..20_000 {
        let len = rng.below(40);
        let b: Vec<u8> = (0..len).map(|_| BYTES[rng.below(BYTES.len())]).collect();
        let end = rng.below(len + 1);
        let from = rng.below(end + 1);
        let spaces = (from..end).find(|&i| b[i] != b' ').unwrap_or(end);
        assert_eq!(block::spaces(&b, from, end), spaces, "{b:?} {from}..{end}");
        let stop = (from..end)
            .find(|&i| matches!(b[i], b':' | b'#' | b'\t'))
            .unwrap_or(end);
        assert_eq!(
            block::plain_stop(&b, from, end),
            stop,
            "{b:?} {from}..{end}"
        );
    }
}
