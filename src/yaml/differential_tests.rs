//! Differential tests of the fast YAML reader against serde-saphyr: for every input of a large
//! table of tricky YAML and of generated random documents, the fast reader must give exactly
//! serde-saphyr's documents (compared as JSON text, so number types and map order count) or
//! decline, and must decline every input serde-saphyr rejects. Inputs marked `FAST` must not
//! fall back (they are the common shapes the fast reader exists for).

use super::{AliasLimits, Budget, parse_saphyr, small_alias_limits, small_budget, stream_budget};
use crate::Value;

/// The fast reader with `crate::yaml`'s options for `budget` and `limits`.
mod fast {
    pub(super) use super::super::fast::Fallback;
    use super::super::{AliasLimits, Budget, Value};

    pub(super) fn parse(
        text: &str,
        budget: &Budget,
        limits: &AliasLimits,
    ) -> Result<Vec<Value>, Fallback> {
        super::super::fast::parse(text, &super::super::options(budget.clone(), *limits))
    }
}

#[path = "../../tests/fixtures/validate/corpus.rs"]
pub(super) mod corpus;

/// Expectation for one input.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub(super) enum Want {
    /// Must be read by the fast reader (and match).
    Fast,
    /// May fall back (rare construct or error); if read fast, must match.
    Any,
    /// serde-saphyr rejects it; the fast reader must decline.
    Reject,
}
use Want::{Any, Fast, Reject};

fn budgets() -> [(&'static str, Budget, AliasLimits); 2] {
    [
        ("small", small_budget(), small_alias_limits()),
        ("stream", stream_budget(), AliasLimits::default()),
    ]
}

fn json(docs: &[Value]) -> String {
    serde_json::to_string(docs).expect("JSON")
}

/// Runs one input through both readers; returns whether the fast reader read it, or what
/// went wrong.
fn compare(text: &str, budget: &Budget, limits: &AliasLimits) -> Result<bool, String> {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let reference = parse_saphyr(text, budget.clone(), *limits);
    match fast::parse(text, budget, limits) {
        Ok(docs) => match reference {
            Ok(expected) if json(&docs) == json(&expected) => Ok(true),
            Ok(expected) => Err(format!(
                "fast reader differs from serde-saphyr for {text:?}:\n fast: {}\n saphyr: {}",
                json(&docs),
                json(&expected)
            )),
            Err(e) => Err(format!(
                "fast reader accepted {text:?}, serde-saphyr rejects it: {e:?}"
            )),
        },
        Err(fast::Fallback(_)) => Ok(false),
    }
}

/// Checks one input against its expectation under both budgets.
fn check(text: &str, want: Want) -> Result<bool, String> {
    let mut all_fast = true;
    for (name, budget, limits) in budgets() {
        let read = compare(text, &budget, &limits).map_err(|e| format!("[{name}] {e}"))?;
        all_fast &= read;
        let t = text.strip_prefix('\u{feff}').unwrap_or(text);
        let reference = || parse_saphyr(t, budget.clone(), limits).map(|d| json(&d));
        match want {
            Fast if !read => {
                return Err(format!(
                    "[{name}] fell back for {text:?}; serde-saphyr: {:?}",
                    reference()
                ));
            }
            Reject if reference().is_ok() => {
                return Err(format!(
                    "[{name}] expected serde-saphyr to reject {text:?}: {:?}",
                    reference()
                ));
            }
            _ => {}
        }
    }
    Ok(all_fast)
}

fn run(text: &str, want: Want) -> bool {
    check(text, want).unwrap_or_else(|e| panic!("{e}"))
}

/// The table: (input, expectation).
pub(super) const CASES: &[(&str, Want)] = &[
    // Integers: signs, underscores, radices, legacy octal, leading zeros, ranges.
    ("a: 0\nb: -0\nc: +0\nd: 7\ne: -7\nf: +7\n", Fast),
    ("a: 1_000\nb: 1__0\nc: _1\nd: 1_\ne: -1_000_000\n", Fast),
    (
        "a: 0x1F\nb: 0X1f\nc: -0x10\nd: +0x10\ne: 0x_10\nf: 0xG\ng: 0x\n",
        Fast,
    ),
    ("a: 0o17\nb: 0O17\nc: -0o17\nd: 0o8\ne: 0o_7\n", Fast),
    ("a: 0b101\nb: 0B11\nc: -0b1\nd: 0b2\ne: 0b_1\n", Fast),
    (
        "a: 0777\nb: 0778\nc: -0777\nd: +0777\ne: 00\nf: 0_7\ng: 09\n",
        Fast,
    ),
    ("a: 007.5\nb: 0.5\nc: 00.5\nd: 01e3\n", Fast),
    (
        "a: 9223372036854775807\nb: 9223372036854775808\nc: -9223372036854775808\nd: -9223372036854775809\n",
        Fast,
    ),
    (
        "a: 18446744073709551615\nb: 18446744073709551616\nc: 340282366920938463463374607431768211456\n",
        Fast,
    ),
    (
        "a: 0xFFFFFFFFFFFFFFFF\nb: 0x10000000000000000\nc: -0x8000000000000000\nd: -0x8000000000000001\n",
        Fast,
    ),
    (
        "a: 1e3\nb: 1E3\nc: 1e+3\nd: 1e-3\ne: -1.5e10\nf: .5\ng: 5.\nh: +.5\n",
        Fast,
    ),
    (
        "a: 1.0\nb: -0.0\nc: 0.0\nd: 3.14159\ne: 1_000.5\nf: 1.5_0\n",
        Fast,
    ),
    (
        "a: .inf\nb: -.inf\nc: +.inf\nd: .Inf\ne: .INF\nf: .nan\ng: .NaN\nh: .NAN\n",
        Fast,
    ),
    (
        "a: inf\nb: nan\nc: infinity\nd: -inf\ne: NaN\nf: .iNf\ng: +.nan\nh: -.nan\n",
        Fast,
    ),
    (
        "a: 1e999\nb: -1e999\nc: 9e400\nd: 1e-999\ne: 1.7976931348623157e308\n",
        Fast,
    ),
    (
        "a: 1.2.3\nb: 1,000\nc: 1 000\nd: 12:30\ne: 2001-12-14\nf: 1:2:3\n",
        Fast,
    ),
    ("- 1\n- -1\n- 1.5\n- 0x1\n- 0o1\n- 01\n- 1e1\n", Fast),
    // Booleans in every YAML 1.1 spelling; look-alikes stay strings.
    (
        "a: yes\nb: Yes\nc: YES\nd: yEs\ne: no\nf: No\ng: NO\nh: nO\n",
        Fast,
    ),
    ("a: on\nb: On\nc: ON\nd: off\ne: Off\nf: OFF\ng: oN\n", Fast),
    (
        "a: y\nb: Y\nc: n\nd: N\ne: true\nf: True\ng: TRUE\nh: tRuE\ni: false\nj: FALSE\n",
        Fast,
    ),
    (
        "a: yess\nb: 'yes'\nc: \"no\"\nd: t\ne: f\nf: enabled\ng: nope\n",
        Fast,
    ),
    // Null forms.
    (
        "a: ~\nb: null\nc: Null\nd: NULL\ne:\nf: nULL\ng: 'null'\nh: \"~\"\ni: ''\n",
        Fast,
    ),
    ("- ~\n- null\n-\n- NULL\n", Fast),
    ("a: {b: , c: ~}\nd: [~, null, ]\n", Fast),
    // Quoted versus plain.
    (
        "a: '1'\nb: \"1\"\nc: '1.5'\nd: \"true\"\ne: 'it''s'\nf: \"tab\\there\"\n",
        Fast,
    ),
    (
        "a: \"\\u00e9\\x41\\n\"\nb: 'multi\n  line'\nc: \"multi\n  line\"\nd: plain\n  continued\n",
        Fast,
    ),
    (
        "a: \"\\\"quoted\\\"\"\nb: 'a # not a comment'\nc: a#b\nd: a #comment\n",
        Fast,
    ),
    (
        "a: -x\nb: --\nc: -a\nd: +\ne: .\nf: ..\ng: -.\nh: +.\n",
        Fast,
    ),
    ("a: :b\nb: a:b\nc: 'a: b'\nd: ?x\ne: x?\n", Fast),
    // Block literal and folded scalars with chomping and indentation indicators.
    (
        "a: |\n  line1\n  line2\nb: |-\n  strip\nc: |+\n  keep\n\nd: end\n",
        Fast,
    ),
    (
        "a: >\n  folded\n  text\n\n  para\nb: >-\n  x\n  y\nc: >+\n  z\n\n",
        Fast,
    ),
    ("a: |2\n   indented\n  less\nb: >1\n  x\n", Fast),
    ("a: |\n  123\nb: >\n  true\nc: |\n  ~\n", Fast),
    ("a: |\n\n  leading blank\n", Fast),
    ("a: |\n", Fast),
    ("- |\n  in a list\n- >\n  folded in a list\n", Fast),
    // Tags on scalars.
    (
        "a: !!str 123\nb: !!str true\nc: !!str ~\nd: !!str\ne: !!str 0x10\n",
        Fast,
    ),
    (
        "a: !!int 123\nb: !!int -5\nc: !!int 0x10\nd: !!int 0777\ne: !!int '42'\nf: !!int +3\n",
        Fast,
    ),
    (
        "a: !!float 1\nb: !!float 1.5\nc: !!float .inf\nd: !!float -.inf\ne: !!float .nan\nf: !!float '2'\ng: !!float 1e999\n",
        Fast,
    ),
    (
        "a: !!bool yes\nb: !!bool 'off'\nc: !!bool TRUE\nd: !!bool n\n",
        Fast,
    ),
    (
        "a: !!null ~\nb: !!null whatever\nc: !!null ''\nd: !!null\n",
        Fast,
    ),
    (
        "a: !!binary aGVsbG8=\nb: !!binary |\n  aGVs\n  bG8=\nc: !!binary ''\n",
        Fast,
    ),
    ("a: !!int 1.5\n", Reject),
    ("a: !!int 99999999999999999999\n", Reject),
    ("a: !!int -9223372036854775809\n", Reject),
    ("a: !!bool maybe\n", Reject),
    ("a: !!float abc\n", Reject),
    ("a: !!float 0x10\n", Reject),
    ("a: !!binary 'not base64!'\n", Reject),
    ("a: !!binary aGVsbG8\n", Reject),
    ("a: !!binary //79\n", Reject),
    ("a: !!binary /w==\n", Reject),
    (
        "a: !!binary 'aGk='\nb: !!binary \"aGk=\"\nc: !!binary aG k=\n",
        Fast,
    ),
    ("a: !!int\n", Reject),
    ("a: !custom 1\nb: !custom ~\n", Any),
    ("a: ! 1\nb: ! ~\n", Any),
    ("a: !!timestamp 2001-12-14\n", Any),
    ("a: !!map {b: 1}\nb: !!seq [1]\n", Any),
    ("a: !<tag:yaml.org,2002:str> 1\n", Any),
    (
        "%TAG !e! tag:yaml.org,2002:\n---\na: !e!str 1\nb: !e!int '2'\n",
        Any,
    ),
    ("%YAML 1.2\n---\na: yes\n", Any),
    ("!!str root\n", Fast),
    ("!!null root\n---\na: 1\n", Fast),
    ("!custom ~\n", Any),
    ("!!str\n", Fast),
    ("!!int 5\n", Fast),
    // Anchors and aliases.
    (
        "a: &x 1\nb: *x\nc: &y [1, 2]\nd: *y\ne: &z {k: v}\nf: *z\n",
        Fast,
    ),
    ("a: &x yes\nb: *x\nc: &q '1'\nd: *q\ne: &n ~\nf: *n\n", Fast),
    ("- &a\n  x: 1\n- *a\n- *a\n", Fast),
    ("&k key: value\nother: *k\n", Fast),
    ("a: &x 1\nb: &x 2\nc: *x\n", Fast),
    ("a: &x [1, &y 2, *y]\nb: *x\nc: *y\n", Fast),
    ("a: *undefined\n", Reject),
    ("a: &r [1, *r]\n", Any),
    ("&a [*a]\n", Any),
    ("a: &x 1\n---\nb: *x\n", Reject),
    ("a: &x !!str 5\nb: *x\n", Fast),
    ("a: &x !!int '5'\nb: *x\n", Fast),
    ("*x : 1\n", Reject),
    ("a: &k b\n*k : 1\n", Any),
    ("a: &k [1]\n*k : 1\n", Any),
    // Merge keys: single map, list of maps, overriding, nested, aliases, nulls.
    ("base: &b {x: 1, y: 2}\nk:\n  <<: *b\n  y: 3\n", Fast),
    (
        "base: &b {x: 1, y: 2}\nk:\n  y: 3\n  <<: *b\n  z: 4\n",
        Fast,
    ),
    (
        "a: &a {x: 1, y: 1}\nb: &b {y: 2, z: 2}\nc:\n  <<: [*a, *b]\n  w: 0\nd:\n  <<: [*b, *a]\n",
        Fast,
    ),
    (
        "a: &a {x: 1}\nb: &b\n  <<: *a\n  y: 2\nc:\n  <<: *b\n  z: 3\n",
        Fast,
    ),
    (
        "a: &a {x: 1}\nb: &b\n  y: 2\n  <<: *a\n  x: 5\nc:\n  <<: *b\n  x: 9\nd:\n  <<: *b\n",
        Fast,
    ),
    ("k:\n  <<: {x: 1, y: 2}\n  <<: {y: 3, z: 4}\n", Fast),
    ("k:\n  <<: [{x: 1}, {x: 2, y: 2}]\n", Fast),
    (
        "k:\n  <<: ~\n  a: 1\nl:\n  <<:\n  b: 2\nm:\n  <<: [~, {c: 3}]\n",
        Fast,
    ),
    ("k:\n  <<: 1\n", Reject),
    ("k:\n  <<: [1]\n", Reject),
    ("k:\n  <<: [[{a: 1}]]\n", Any),
    ("k:\n  <<: 'x'\n", Reject),
    ("k:\n  '<<': {a: 1}\n", Fast),
    ("k:\n  \"<<\": 1\n", Fast),
    ("k:\n  !!merge <<: {a: 1}\n", Any),
    ("k:\n  <<: {a: 1, a: 2}\n", Any),
    ("a: &a {x: 1, x: 2}\nk:\n  <<: *a\n", Any),
    ("a: &a {1: x, 2: y}\nk:\n  <<: *a\n", Any),
    ("k:\n  <<: {a: 1}\n  1: x\n", Any),
    ("k:\n  1: x\n  <<: {a: 1}\n", Any),
    (
        "a: &a {x: {deep: 1}}\nk:\n  <<: *a\n  x: {other: 2}\n",
        Fast,
    ),
    ("- <<: {a: 1}\n  b: 2\n- <<: {a: 3}\n", Fast),
    ("<<: {a: 1}\nb: 2\n", Fast),
    ("a: &s [&m {x: 1}, {y: 2}]\nk:\n  <<: *s\n", Fast),
    ("a: &e {}\nk:\n  <<: *e\n  b: 1\n", Fast),
    ("k:\n  &m <<: {a: 1}\n  b: 2\nl:\n  *m : {c: 3}\n", Any),
    ("k:\n  !!str <<: {a: 1}\n", Fast),
    ("k:\n  <<: !!null x\n  a: 1\n", Fast),
    (
        "k: &k\n  a: 1\n  <<: {b: 2}\nl: *k\nm:\n  <<: [*k, {c: 3}]\n",
        Fast,
    ),
    ("a: &n ~\nk:\n  <<: *n\n  b: 1\n", Fast),
    ("a: &s x\nk:\n  <<: *s\n", Reject),
    ("a: &l [{x: 1}, ~]\nk:\n  <<: *l\n", Fast),
    ("a: &m {1: x}\nb: *m\nc: [*m, *m]\n", Fast),
    // Duplicate keys: last wins, first position.
    ("a: 1\nb: 2\na: 3\n", Fast),
    ("a: 1\na: 2\na: 3\nb: {c: 1, c: 2}\n", Fast),
    ("'a': 1\na: 2\n\"a\": 3\n", Fast),
    ("a: {x: 1}\na: [1]\n", Fast),
    // Non-string keys: integers, booleans, null, floats.
    ("1: one\n2: two\n", Fast),
    ("1: one\n01: octal-one\n0x1: hex-one\n'1': quoted\n", Fast),
    ("a: first\n1: x\nb: y\na: second\n1: z\n", Fast),
    ("1: x\nb: y\n1: z\n", Fast),
    ("1: a\n'1': b\n1: c\n", Fast),
    ("'1': a\n1: b\n'1': c\nx: d\n", Fast),
    ("0o7: a\n07: b\n7: c\n0x7: d\n+7: e\n", Fast),
    ("a: {1: x, 1: y, b: z}\nb: [{2: p, '2': q}]\n", Fast),
    ("-1: neg\n+1: pos\n1: plain\n-0: negzero\n0: zero\n", Fast),
    (
        "99999999999999999999999999999999999999999: big\n1_0: ten\n10: ten-again\n",
        Fast,
    ),
    ("true: t\nyes: y\nfalse: f\n", Fast),
    ("1.5: a\n.inf: b\n1e3: c\n", Fast),
    ("~: null-key\n", Reject),
    ("null: x\n", Reject),
    ("? \n: empty-key\n", Reject),
    ("'': quoted-empty\n\"~\": tilde\n", Fast),
    ("!!str ~: x\n", Fast),
    ("!!int 1: x\n", Reject),
    ("!!binary aGk=: x\n", Any),
    ("? [a, b]\n: seq-key\n", Reject),
    ("? {a: 1}\n: map-key\n", Reject),
    ("[a]: x\n", Reject),
    ("{a: 1}: x\n", Reject),
    ("? a\n: explicit\n? b\n", Any),
    // Flow collections.
    (
        "a: [1, 'two', \"three\", 4.0, yes, ~, [nested], {k: v}]\n",
        Fast,
    ),
    ("{a: 1, b: [x, y], c: {d: e}}\n", Fast),
    ("[1, 2, 3]\n", Fast),
    ("a: []\nb: {}\nc: [[]]\nd: [{}]\n", Fast),
    ("a: [a: 1, b: 2]\n", Fast),
    ("a: {b, c: 1}\n", Any),
    ("a: [1, 2,]\nb: {x: 1,}\n", Fast),
    ("a: [1, 2\n", Reject),
    ("a: {b: 1\n", Reject),
    ("a: ]\n", Reject),
    // Multi-document streams, empty documents, comments.
    ("a: 1\n---\nb: 2\n", Fast),
    ("---\na: 1\n...\n---\nb: 2\n...\n", Fast),
    ("a: 1\n---\n---\n# only a comment\n---\nb: 2\n", Fast),
    ("---\n", Fast),
    ("--- ~\n--- null\n---\n", Fast),
    ("# comment only\n", Fast),
    ("--- 1\n--- two\n--- [3]\n", Fast),
    ("--- |\n  text\n--- >\n  folded\n", Fast),
    ("a: 1 # trailing\n# between\nb: 2\n", Fast),
    ("a: 1\n...\nb: 2\n", Fast),
    ("a: 1\n--- \nb: 2\n", Fast),
    // BOM, CRLF, tabs, unicode.
    ("\u{feff}a: 1\n", Fast),
    ("a: 1\r\nb: [1, 2]\r\nc: |\r\n  x\r\n  y\r\n", Fast),
    ("a: 1\r\n---\r\nb: 2\r\n", Fast),
    ("a:\tb\n", Any),
    ("a: ünïcödé\nß: 1\n\"\\U0001F600\": smile\n", Fast),
    ("a: \"\u{feff}x\"\n", Any),
    // Structure: nesting, indentation, sequences in maps.
    ("a:\n  b:\n    c:\n      d: 1\n", Fast),
    ("a:\n- 1\n- 2\nb:\n  - x\n  - y\n", Fast),
    ("- - 1\n  - 2\n- - 3\n", Fast),
    ("- a: 1\n  b: 2\n- c: 3\n", Fast),
    ("a: b: c\n", Reject),
    ("a:\n  - 1\n  b: 2\n", Reject),
    ("  a: 1\n b: 2\n", Reject),
    ("a: 'unterminated\n", Reject),
    ("a: \"bad \\q escape\"\n", Reject),
    ("@a: 1\n", Reject),
    ("a: `b\n", Reject),
    ("key: value\n\tbad: tab\n", Any),
    // Documents that are scalars.
    ("42\n", Fast),
    ("yes\n", Fast),
    ("'quoted'\n", Fast),
    (".inf\n", Fast),
    ("~\n", Fast),
    ("", Fast),
];

#[test]
fn table_matches_serde_saphyr() {
    let mut fast = 0;
    let mut failures = Vec::new();
    for (text, want) in CASES {
        match check(text, *want) {
            Ok(true) => fast += 1,
            Ok(false) => {
                if std::env::var_os("YAML_FAST_DEBUG").is_some() {
                    eprintln!("falls back: {text:?} ({want:?})");
                }
            }
            Err(e) => failures.push(e),
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
    let must = CASES.iter().filter(|(_, w)| *w == Fast).count();
    assert!(fast >= must, "{fast} read fast, {must} must be");
}

/// A small deterministic generator of YAML text (xorshift), mixing every construct of the
/// table, so the comparison also covers combinations nobody wrote down.
pub(super) struct Gen(pub(super) u64);

impl Gen {
    pub(super) fn next(&mut self) -> u64 {
        let mut x = self.0;
        x ^= x << 13;
        x ^= x >> 7;
        x ^= x << 17;
        self.0 = x;
        x
    }

    pub(super) fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }

    pub(super) fn pick<'s>(&mut self, items: &[&'s str]) -> &'s str {
        items[self.below(items.len())]
    }
}

const SCALARS: &[&str] = &[
    "0",
    "-0",
    "7",
    "-7",
    "+7",
    "0x1F",
    "0o17",
    "0b11",
    "0777",
    "09",
    "1_000",
    "1e3",
    "1.5",
    "-0.0",
    ".5",
    ".inf",
    "-.inf",
    ".nan",
    "1e999",
    "9223372036854775808",
    "-9223372036854775809",
    "18446744073709551616",
    "yes",
    "No",
    "on",
    "OFF",
    "y",
    "n",
    "true",
    "False",
    "~",
    "null",
    "NULL",
    "''",
    "'yes'",
    "\"1\"",
    "\"a\\tb\"",
    "plain text",
    "a#b",
    "'x: y'",
    "'it''s'",
    "!!str 5",
    "!!int '6'",
    "!!float 1",
    "!!bool on",
    "!!null x",
    "!!binary aGk=",
    "2001-12-14",
    "inf",
    "nan",
    "é",
    "'<<'",
    "-x",
    "",
];

/// Scalars serde-saphyr rejects (or the fast reader leaves to it), used sparingly.
const ODD_SCALARS: &[&str] = &["!!int x", "!foo 1", "! 5", "!!binary '!'", "!!timestamp 1"];

const KEYS: &[&str] = &[
    "a", "b", "c", "a", "key", "'a'", "\"b\"", "1", "01", "0x1", "'1'", "-1", "yes", "true", "1.5",
    "!!str k", "''", "a b", "b",
];

const ODD_KEYS: &[&str] = &["~", "?", "!!int 1", "[k]", "*n0"];

impl Gen {
    fn scalar(&mut self) -> String {
        if self.below(60) == 0 {
            return self.pick(ODD_SCALARS).to_string();
        }
        self.pick(SCALARS).to_string()
    }

    fn key(&mut self) -> String {
        if self.below(80) == 0 {
            return self.pick(ODD_KEYS).to_string();
        }
        self.pick(KEYS).to_string()
    }

    fn alias(&mut self, anchors: &[String]) -> Option<String> {
        if anchors.is_empty() {
            return None;
        }
        Some(format!("*{}", anchors[self.below(anchors.len())]))
    }

    /// The value of a `<<` key: mostly maps (aliases or inline), sometimes lists or nulls.
    fn merge_value(&mut self, anchors: &mut Vec<String>) -> String {
        match self.below(6) {
            0 | 1 => self.alias(anchors).unwrap_or_else(|| "{m: 1}".to_string()),
            2 => {
                let a = self.alias(anchors).unwrap_or_else(|| "{x: 1}".to_string());
                let b = self.flow_map(2, anchors);
                format!("[{a}, {b}]")
            }
            3 => "~".to_string(),
            _ => self.flow_map(2, anchors),
        }
    }

    fn flow_map(&mut self, depth: usize, anchors: &mut Vec<String>) -> String {
        let n = self.below(4);
        let items: Vec<String> = (0..n)
            .map(|_| {
                let k = self.key();
                format!("{k}: {}", self.flow(depth + 1, anchors))
            })
            .collect();
        format!("{{{}}}", items.join(", "))
    }

    /// A node in flow style.
    fn flow(&mut self, depth: usize, anchors: &mut Vec<String>) -> String {
        let choice = if depth > 2 { 0 } else { self.below(6) };
        let mut node = match choice {
            0..=2 => {
                if self.below(6) == 0
                    && let Some(alias) = self.alias(anchors)
                {
                    return alias;
                }
                let s = self.scalar();
                if s.contains('#') || s.is_empty() || s.starts_with('-') {
                    format!("'{}'", s.replace('\'', "''"))
                } else {
                    s
                }
            }
            3 | 4 => {
                let n = self.below(4);
                let items: Vec<String> = (0..n).map(|_| self.flow(depth + 1, anchors)).collect();
                format!("[{}]", items.join(", "))
            }
            _ => self.flow_map(depth, anchors),
        };
        if self.below(8) == 0 {
            let name = format!("n{}", self.below(4));
            node = format!("&{name} {node}");
            anchors.push(name);
        }
        node
    }

    /// A node in block style at `indent`, written after `key:` or `-`.
    fn block(&mut self, indent: usize, depth: usize, anchors: &mut Vec<String>) -> String {
        let pad = " ".repeat(indent);
        let choice = if depth > 3 { 0 } else { self.below(7) };
        match choice {
            0 | 1 => format!(" {}\n", self.flow(depth, anchors)),
            2 => {
                let style = self.pick(&["|", "|-", "|+", ">", ">-", ">+"]);
                let mut s = format!(" {style}\n");
                for _ in 0..self.below(3) + 1 {
                    let line = self.pick(&["text", "123", "yes", "", "a: b"]);
                    s.push_str(&format!("{pad}  {line}\n"));
                }
                s
            }
            3 | 4 => {
                let mut s = String::new();
                if self.below(5) == 0 {
                    let name = format!("m{}", self.below(4));
                    s.push_str(&format!(" &{name}"));
                    anchors.push(name);
                }
                s.push('\n');
                for _ in 0..self.below(3) + 1 {
                    if self.below(6) == 0 {
                        let v = self.merge_value(anchors);
                        s.push_str(&format!("{pad}  <<: {v}\n"));
                    } else {
                        let k = self.key();
                        let v = self.block(indent + 2, depth + 1, anchors);
                        s.push_str(&format!("{pad}  {k}:{v}"));
                    }
                }
                s
            }
            _ => {
                let mut s = String::from("\n");
                for _ in 0..self.below(3) + 1 {
                    let v = self.block(indent + 2, depth + 1, anchors);
                    s.push_str(&format!("{pad}  -{v}"));
                }
                s
            }
        }
    }

    fn document(&mut self) -> String {
        let mut anchors = Vec::new();
        let mut s = String::new();
        for _ in 0..self.below(4) + 1 {
            let k = self.key();
            let v = self.block(0, 0, &mut anchors);
            s.push_str(&format!("{k}:{v}"));
            if self.below(10) == 0 {
                s.push_str("# a comment\n");
            }
        }
        s
    }

    pub(super) fn stream(&mut self) -> String {
        let docs: Vec<String> = (0..self.below(3) + 1).map(|_| self.document()).collect();
        let mut s = docs.join(self.pick(&["---\n", "\n---\n", "...\n---\n"]));
        if self.below(8) == 0 {
            s = s.replace('\n', "\r\n");
        }
        s
    }
}

#[test]
fn generated_documents_match_serde_saphyr() {
    let mut generator = Gen(0x9E37_79B9_7F4A_7C15);
    let (mut fast, mut accepted, mut total) = (0, 0, 0);
    let mut reasons = std::collections::BTreeMap::new();
    let stream = stream_budget();
    for _ in 0..3000 {
        let text = generator.stream();
        total += 1;
        if run(&text, Any) {
            fast += 1;
        }
        if parse_saphyr(&text, stream.clone(), AliasLimits::default()).is_ok() {
            accepted += 1;
            if let Err(fast::Fallback(why)) = fast::parse(&text, &stream, &AliasLimits::default()) {
                *reasons.entry(why).or_insert(0) += 1;
                if std::env::var("YAML_FAST_DEBUG").is_ok_and(|v| v == why) {
                    eprintln!("example: {text:?}");
                }
            }
        } else if std::env::var_os("YAML_FAST_DEBUG").is_some() {
            eprintln!("rejected: {text:?}");
        }
    }
    if std::env::var_os("YAML_FAST_DEBUG").is_some() {
        eprintln!("{fast} of {accepted} accepted streams read fast ({total} generated)");
        eprintln!("fallbacks of accepted streams: {reasons:?}");
    }
    // The generator mixes in rare constructs on purpose; most accepted streams are plain
    // enough for the fast reader, and none of the rejected ones may be read.
    assert!(
        fast * 10 >= accepted * 6 && accepted * 3 >= total,
        "{fast} of {accepted} accepted streams read fast ({total} generated)"
    );
}

#[test]
fn hostile_inputs_fall_back_and_are_rejected() {
    // Alias bomb: the fast reader stops before copying much; serde-saphyr rejects it.
    let mut s = String::from("a: &a [x,x,x,x,x,x,x,x,x,x]\n");
    let mut prev = 'a';
    for c in 'b'..='k' {
        s.push_str(&format!(
            "{c}: &{c} [*{prev},*{prev},*{prev},*{prev},*{prev},*{prev},*{prev},*{prev},*{prev},*{prev}]\n"
        ));
        prev = c;
    }
    for (name, budget, limits) in budgets() {
        let start = std::time::Instant::now();
        assert!(
            fast::parse(&s, &budget, &limits).is_err(),
            "[{name}] bomb read"
        );
        assert!(
            start.elapsed().as_secs() < 3,
            "[{name}] took {:?}",
            start.elapsed()
        );
    }
    assert!(super::parse_value(&s, super::NumberModel::Exact).is_err());

    // Deep nesting, block and flow; unbalanced and truncated input.
    let deep_block: String = (0..400)
        .map(|i| format!("{}k{i}:\n", "  ".repeat(i)))
        .collect();
    run(&deep_block, Reject);
    let deep_flow = format!("{}{}", "[".repeat(300), "]".repeat(300));
    run(&deep_flow, Reject);
    run(&"[".repeat(100_000), Reject);
    run(&"- ".repeat(10_000), Reject);
    // Nesting just under the budgets is either read exactly or left to serde-saphyr.
    let nested: String = (0..120)
        .map(|i| format!("{}k{i}:\n", "  ".repeat(i)))
        .collect();
    run(&nested, Any);
    // Many documents and many anchors: near the budgets the decision is serde-saphyr's.
    run(&"---\na: 1\n".repeat(5000), Any);
    let anchors: String = (0..60_000).map(|i| format!("- &a{i} {i}\n")).collect();
    run(&anchors, Any);
}

#[test]
fn real_anchor_reuse_is_read_fast() {
    let mut s = String::from("defaults: &d\n");
    for i in 0..200 {
        s.push_str(&format!("  k{i}: v{i}\n"));
    }
    for j in 0..100 {
        s.push_str(&format!("svc{j}:\n  <<: *d\n  own: {j}\n"));
    }
    run(&s, Fast);
}

#[test]
fn manifest_corpus_is_read_fast_and_matches() {
    let (text, _) = corpus::generate(200);
    let mut fell_back = 0;
    let stream = stream_budget();
    for doc in text.split("\n---\n") {
        if !run(doc, Any) {
            fell_back += 1;
            if std::env::var_os("YAML_FAST_DEBUG").is_some() {
                let why = fast::parse(doc, &stream, &AliasLimits::default()).err();
                eprintln!("corpus fallback {why:?}: {doc:?}");
            }
        }
    }
    // The corpus plants one syntax error (and a few odd documents); everything else is fast.
    assert!(fell_back <= 2, "{fell_back} corpus documents fell back");
}

#[test]
fn deep_documents_read_on_a_small_stack() {
    // The fast reader and granit's parser do not recurse per level: a document nested close
    // to the stream depth budget is read on a 256 KiB thread stack (serde-saphyr would need
    // `stacker`), and dropping it is shallow enough too.
    let depth = 200;
    let block: String = (0..depth)
        .map(|i| format!("{}k{i}:\n", "  ".repeat(i)))
        .collect::<String>()
        + &format!("{}leaf\n", "  ".repeat(depth));
    let flow = format!("{}1{}", "[".repeat(depth), "]".repeat(depth));
    let handle = std::thread::Builder::new()
        .stack_size(256 * 1024)
        .spawn(move || {
            let budget = stream_budget();
            let limits = AliasLimits::default();
            let a = fast::parse(&block, &budget, &limits).map(|d| d.len());
            let b = fast::parse(&flow, &budget, &limits).map(|d| d.len());
            (a, b)
        })
        .expect("thread");
    let (a, b) = handle.join().expect("no stack overflow");
    assert_eq!(a, Ok(1));
    assert_eq!(b, Ok(1));
}

#[test]
fn other_options_fall_back() {
    let mut strict = super::options(stream_budget(), AliasLimits::default());
    strict.strict_booleans = true;
    assert_eq!(
        super::fast::parse("a: yes\n", &strict).unwrap_err(),
        fast::Fallback("options")
    );
    let mut first_wins = super::options(stream_budget(), AliasLimits::default());
    first_wins.duplicate_keys = serde_saphyr::DuplicateKeyPolicy::FirstWins;
    assert!(super::fast::parse("a: 1\n", &first_wins).is_err());
    let mut ratio = stream_budget();
    ratio.enforce_alias_anchor_ratio = true;
    assert!(super::fast::parse("a: 1\n", &super::options(ratio, AliasLimits::default())).is_err());
    let plain = super::options(stream_budget(), AliasLimits::default());
    assert!(super::fast::parse("a: 1\n", &plain).is_ok());
}
