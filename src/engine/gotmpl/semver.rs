//! Masterminds/semver v3 versions and constraints, as Helm uses them: dependency `version:`
//! ranges, `kubeVersion:`, chart version validation and Sprig's `semverCompare`.
//!
//! Hand-written because no crate implements this grammar: the `semver` crate is Cargo's flavour
//! (a bare `1.2.3` means `^1.2.3`, no `||`, no space-separated AND, no hyphen ranges, no `v`
//! prefix, a different prerelease rule). This module follows Masterminds' `NewVersion` (loose:
//! optional `v`, optional minor/patch, leading zeros coerced as in v3.4+), `NewConstraint` and
//! `Constraints.Check` rule for rule, including its regular expressions, which are re-expressed
//! as small hand parsers here (their greedy matches are the only ones that can succeed).
//!
//! Owns: parsing and comparing versions, parsing and checking constraints. Must not import
//! anything from the rest of the crate (only `std` and the `semver` crate): the Go-template
//! engine is self-contained and the rest of the crate reuses this module.

use std::cmp::Ordering;
use std::fmt;
use std::str::FromStr;

/// Longest constraint string accepted. Masterminds has no limit (Go's regexps are linear); this
/// port bounds its quadratic worst case instead. Real constraints are a few dozen characters.
const MAX_CONSTRAINT_LEN: usize = 4096;

/// Why a version or constraint did not parse. The messages are Masterminds' own.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum SemverError {
    /// The text is not a (loose) semantic version.
    InvalidVersion,
    /// A prerelease identifier is empty or has characters outside `[0-9A-Za-z-]`.
    InvalidPrerelease,
    /// A build metadata identifier is empty or has characters outside `[0-9A-Za-z-]`.
    InvalidMetadata,
    /// A numeric prerelease identifier has a leading zero (`1.2.3-beta.01`).
    SegmentStartsZero,
    /// A major/minor/patch number does not fit in 64 bits.
    SegmentOverflow(String),
    /// An OR-group of a constraint does not follow the grammar.
    ImproperConstraint(String),
    /// A constraint matched the grammar but its version did not parse (`1x.2`).
    ConstraintParser,
    /// The constraint is longer than this port accepts.
    ConstraintTooLong(usize),
}

impl fmt::Display for SemverError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            SemverError::InvalidVersion => f.write_str("invalid semantic version"),
            SemverError::InvalidPrerelease => f.write_str("invalid prerelease string"),
            SemverError::InvalidMetadata => f.write_str("invalid metadata string"),
            SemverError::SegmentStartsZero => f.write_str("version segment starts with 0"),
            SemverError::SegmentOverflow(s) => write!(
                f,
                "error parsing version segment: strconv.ParseUint: parsing {s:?}: value out of range"
            ),
            SemverError::ImproperConstraint(s) => write!(f, "improper constraint: {s:?}"),
            SemverError::ConstraintParser => f.write_str("constraint parser error"),
            SemverError::ConstraintTooLong(n) => write!(
                f,
                "improper constraint: {n} characters long; at most {MAX_CONSTRAINT_LEN} are supported"
            ),
        }
    }
}

impl std::error::Error for SemverError {}

/// A version as Masterminds' `NewVersion` reads it. Equality and order ignore build metadata.
#[derive(Clone, Debug)]
pub struct Version {
    major: u64,
    minor: u64,
    patch: u64,
    pre: String,
    metadata: String,
    original: String,
}

impl Version {
    /// A release version `major.minor.patch`.
    pub fn new(major: u64, minor: u64, patch: u64) -> Self {
        Version {
            major,
            minor,
            patch,
            pre: String::new(),
            metadata: String::new(),
            original: format!("{major}.{minor}.{patch}"),
        }
    }

    pub fn major(&self) -> u64 {
        self.major
    }

    pub fn minor(&self) -> u64 {
        self.minor
    }

    pub fn patch(&self) -> u64 {
        self.patch
    }

    /// The prerelease without its `-` (empty for a release).
    pub fn prerelease(&self) -> &str {
        &self.pre
    }

    /// The build metadata without its `+` (empty if none).
    pub fn metadata(&self) -> &str {
        &self.metadata
    }

    /// The text this version was parsed from (`v1.2`), where `Display` gives `1.2.0`.
    pub fn original(&self) -> &str {
        &self.original
    }

    /// Masterminds' `Compare`: numbers, then prerelease (a release sorts after its
    /// prereleases); build metadata is ignored.
    pub fn compare(&self, other: &Version) -> Ordering {
        self.major
            .cmp(&other.major)
            .then(self.minor.cmp(&other.minor))
            .then(self.patch.cmp(&other.patch))
            .then_with(|| match (self.pre.is_empty(), other.pre.is_empty()) {
                (true, true) => Ordering::Equal,
                (true, false) => Ordering::Greater,
                (false, true) => Ordering::Less,
                (false, false) => compare_prerelease(&self.pre, &other.pre),
            })
    }

    /// The same version as a `semver::Version`, when its identifiers fit that crate's rules.
    pub fn to_semver(&self) -> Option<semver::Version> {
        let mut v = semver::Version::new(self.major, self.minor, self.patch);
        if !self.pre.is_empty() {
            v.pre = semver::Prerelease::new(&self.pre).ok()?;
        }
        if !self.metadata.is_empty() {
            v.build = semver::BuildMetadata::new(&self.metadata).ok()?;
        }
        Some(v)
    }
}

impl fmt::Display for Version {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}.{}.{}", self.major, self.minor, self.patch)?;
        if !self.pre.is_empty() {
            write!(f, "-{}", self.pre)?;
        }
        if !self.metadata.is_empty() {
            write!(f, "+{}", self.metadata)?;
        }
        Ok(())
    }
}

impl PartialEq for Version {
    fn eq(&self, other: &Self) -> bool {
        self.compare(other) == Ordering::Equal
    }
}

impl Eq for Version {}

impl PartialOrd for Version {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}

impl Ord for Version {
    fn cmp(&self, other: &Self) -> Ordering {
        self.compare(other)
    }
}

impl FromStr for Version {
    type Err = SemverError;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        parse_version(s)
    }
}

/// Masterminds `NewVersion` (with its default `CoerceNewVersion`): `v` prefix optional, minor
/// and patch optional (`1.2` is `1.2.0`), leading zeros in numbers accepted (`01.2.3`),
/// prerelease and metadata validated. `1.2.3.4` and surrounding whitespace are rejected.
pub fn parse_version(s: &str) -> Result<Version, SemverError> {
    let b = s.as_bytes();
    let mut i = usize::from(b.first() == Some(&b'v'));
    let (maj_s, maj_e) = run(b, i, |c| c.is_ascii_digit()).ok_or(SemverError::InvalidVersion)?;
    i = maj_e;
    let mut minor = None;
    let mut patch = None;
    for slot in [&mut minor, &mut patch] {
        if b.get(i) == Some(&b'.')
            && let Some((s2, e2)) = run(b, i + 1, |c| c.is_ascii_digit())
        {
            *slot = Some(&s[s2..e2]);
            i = e2;
        }
    }
    let mut pre = "";
    if b.get(i) == Some(&b'-')
        && let Some(e) = dotted_idents(b, i + 1)
    {
        pre = &s[i + 1..e];
        i = e;
    }
    let mut metadata = "";
    if b.get(i) == Some(&b'+')
        && let Some(e) = dotted_idents(b, i + 1)
    {
        metadata = &s[i + 1..e];
        i = e;
    }
    if i != b.len() {
        return Err(SemverError::InvalidVersion);
    }
    let num = |t: &str| {
        t.parse::<u64>()
            .map_err(|_| SemverError::SegmentOverflow(t.to_string()))
    };
    let v = Version {
        major: num(&s[maj_s..maj_e])?,
        minor: minor.map(num).transpose()?.unwrap_or(0),
        patch: patch.map(num).transpose()?.unwrap_or(0),
        pre: pre.to_string(),
        metadata: metadata.to_string(),
        original: s.to_string(),
    };
    if !v.pre.is_empty() {
        validate_prerelease(&v.pre)?;
    }
    if !v.metadata.is_empty() {
        validate_metadata(&v.metadata)?;
    }
    Ok(v)
}

fn is_ident_char(c: u8) -> bool {
    c.is_ascii_alphanumeric() || c == b'-'
}

/// `[0-9A-Za-z-]+(\.[0-9A-Za-z-]+)*` from `i`, greedy; the end, if at least one char matched.
fn dotted_idents(b: &[u8], i: usize) -> Option<usize> {
    let (_, mut e) = run(b, i, is_ident_char)?;
    while b.get(e) == Some(&b'.') {
        match run(b, e + 1, is_ident_char) {
            Some((_, e2)) => e = e2,
            None => break,
        }
    }
    Some(e)
}

/// The maximal run of bytes matching `pred` from `i`, if non-empty.
fn run(b: &[u8], i: usize, pred: impl Fn(u8) -> bool) -> Option<(usize, usize)> {
    let mut e = i;
    while e < b.len() && pred(b[e]) {
        e += 1;
    }
    (e > i).then_some((i, e))
}

fn validate_prerelease(p: &str) -> Result<(), SemverError> {
    for part in p.split('.') {
        if part.is_empty() {
            return Err(SemverError::InvalidPrerelease);
        }
        if part.bytes().all(|c| c.is_ascii_digit()) {
            if part.len() > 1 && part.starts_with('0') {
                return Err(SemverError::SegmentStartsZero);
            }
        } else if !part.bytes().all(is_ident_char) {
            return Err(SemverError::InvalidPrerelease);
        }
    }
    Ok(())
}

fn validate_metadata(m: &str) -> Result<(), SemverError> {
    if m.split('.')
        .any(|p| p.is_empty() || !p.bytes().all(is_ident_char))
    {
        return Err(SemverError::InvalidMetadata);
    }
    Ok(())
}

fn compare_prerelease(a: &str, b: &str) -> Ordering {
    let ap: Vec<&str> = a.split('.').collect();
    let bp: Vec<&str> = b.split('.').collect();
    for i in 0..ap.len().max(bp.len()) {
        let d = compare_pre_part(
            ap.get(i).copied().unwrap_or(""),
            bp.get(i).copied().unwrap_or(""),
        );
        if d != Ordering::Equal {
            return d;
        }
    }
    Ordering::Equal
}

/// One prerelease identifier against another: numbers numerically and before words, words
/// byte-wise, a missing identifier before any present one.
fn compare_pre_part(s: &str, o: &str) -> Ordering {
    if s == o {
        return Ordering::Equal;
    }
    if s.is_empty() {
        return Ordering::Less;
    }
    if o.is_empty() {
        return Ordering::Greater;
    }
    match (s.parse::<u64>(), o.parse::<u64>()) {
        (Err(_), Err(_)) => {
            if s > o {
                Ordering::Greater
            } else {
                Ordering::Less
            }
        }
        (_, Err(_)) => Ordering::Less,
        (Err(_), _) => Ordering::Greater,
        (Ok(si), Ok(oi)) => {
            if si > oi {
                Ordering::Greater
            } else {
                Ordering::Less
            }
        }
    }
}

// ---------------------------------------------------------------------------------------------
// Constraints

/// The comparison operators, in the order Masterminds' regexp alternation tries them.
const OPS: [&str; 12] = [
    "=", "", "!=", ">", "<", ">=", "=>", "<=", "=<", "~", "~>", "^",
];

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Op {
    TildeOrEqual,
    NotEqual,
    GreaterThan,
    LessThan,
    GreaterThanEqual,
    LessThanEqual,
    Tilde,
    Caret,
}

fn op_of(text: &str) -> Op {
    match text {
        "!=" => Op::NotEqual,
        ">" => Op::GreaterThan,
        "<" => Op::LessThan,
        ">=" | "=>" => Op::GreaterThanEqual,
        "<=" | "=<" => Op::LessThanEqual,
        "~" | "~>" => Op::Tilde,
        "^" => Op::Caret,
        _ => Op::TildeOrEqual,
    }
}

/// One comparison of a constraint (`>=1.2`, `~1.x`).
#[derive(Clone, Debug)]
struct Constraint {
    con: Version,
    /// The version text as written (`1.x`).
    orig: String,
    /// The operator as written (`=>`, or empty).
    origfunc: String,
    op: Op,
    minor_dirty: bool,
    patch_dirty: bool,
    dirty: bool,
}

/// A parsed constraint: OR-groups (`||`) of comparisons that must all hold (`,` or spaces).
#[derive(Clone, Debug)]
pub struct Constraints {
    groups: Vec<Vec<Constraint>>,
    contains_pre: Vec<bool>,
}

impl Constraints {
    /// Masterminds `NewConstraint`: `||`, comma/space AND, hyphen ranges (`1.2 - 1.4.5`),
    /// wildcards `x X *`, operators `= != > < >= => <= =< ~ ~> ^`, bare versions.
    pub fn parse(s: &str) -> Result<Self, SemverError> {
        if s.len() > MAX_CONSTRAINT_LEN {
            return Err(SemverError::ConstraintTooLong(s.len()));
        }
        let rewritten = rewrite_range(s);
        let mut groups = Vec::new();
        let mut contains_pre = Vec::new();
        for seg in rewritten.split("||") {
            if !valid_segment(seg) {
                return Err(SemverError::ImproperConstraint(seg.to_string()));
            }
            let mut found = find_constraints(seg);
            if found.is_empty() {
                found.push(seg);
            }
            let mut group = Vec::with_capacity(found.len());
            let mut has_pre = false;
            for text in found {
                let c = parse_constraint(text)?;
                has_pre |= !c.con.pre.is_empty();
                group.push(c);
            }
            groups.push(group);
            contains_pre.push(has_pre);
        }
        Ok(Constraints {
            groups,
            contains_pre,
        })
    }

    /// Whether `v` satisfies any OR-group. A prerelease version only matches a group in which
    /// some comparison names a prerelease.
    pub fn check(&self, v: &Version) -> bool {
        self.groups
            .iter()
            .zip(&self.contains_pre)
            .any(|(group, &pre)| group.iter().all(|c| c.check(v, pre)))
    }
}

impl fmt::Display for Constraints {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for (i, group) in self.groups.iter().enumerate() {
            if i > 0 {
                f.write_str(" || ")?;
            }
            for (j, c) in group.iter().enumerate() {
                if j > 0 {
                    f.write_str(" ")?;
                }
                write!(f, "{}{}", c.origfunc, c.orig)?;
            }
        }
        Ok(())
    }
}

impl FromStr for Constraints {
    type Err = SemverError;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Constraints::parse(s)
    }
}

/// Helm's `IsCompatibleRange`: whether `version` parses and satisfies `constraint` (false if
/// either does not parse).
pub fn is_compatible_range(constraint: &str, version: &str) -> bool {
    match (parse_version(version), Constraints::parse(constraint)) {
        (Ok(v), Ok(c)) => c.check(&v),
        _ => false,
    }
}

/// Go's `\s`: ASCII space, tab, newline, form feed, carriage return.
fn is_space(c: u8) -> bool {
    matches!(c, b' ' | b'\t' | b'\n' | b'\x0c' | b'\r')
}

fn skip_space(b: &[u8], mut i: usize) -> usize {
    while i < b.len() && is_space(b[i]) {
        i += 1;
    }
    i
}

/// `[0-9|x|X|\*]`: the characters of a constraint's version number parts (the `|` is literal).
fn is_x_char(c: u8) -> bool {
    c.is_ascii_digit() || matches!(c, b'|' | b'x' | b'X' | b'*')
}

/// Capture positions of the constraint version pattern.
#[derive(Clone, Copy, Debug)]
struct Cv {
    end: usize,
    major: (usize, usize),
    /// `.minor` with its dot, or empty.
    minor: (usize, usize),
    /// `.patch` with its dot, or empty.
    patch: (usize, usize),
    /// `-prerelease` with its dash, or empty.
    pre: (usize, usize),
}

/// Masterminds' `cvRegex` from `i`, greedily:
/// `v?X+(\.X+)?(\.X+)?(-ID(\.ID)*)?(\+ID(\.ID)*)?` with `X = [0-9|xX*]` and `ID = [0-9A-Za-z-]+`.
fn match_cv(b: &[u8], i: usize) -> Option<Cv> {
    let j = if b.get(i) == Some(&b'v') { i + 1 } else { i };
    let major = run(b, j, is_x_char)?;
    let mut e = major.1;
    let mut parts = [(e, e), (e, e)];
    for part in &mut parts {
        *part = (e, e);
        if b.get(e) == Some(&b'.')
            && let Some((_, e2)) = run(b, e + 1, is_x_char)
        {
            *part = (e, e2);
            e = e2;
        }
    }
    let mut pre = (e, e);
    if b.get(e) == Some(&b'-')
        && let Some(e2) = dotted_idents(b, e + 1)
    {
        pre = (e, e2);
        e = e2;
    }
    if b.get(e) == Some(&b'+')
        && let Some(e2) = dotted_idents(b, e + 1)
    {
        e = e2;
    }
    Some(Cv {
        end: e,
        major,
        minor: parts[0],
        patch: parts[1],
        pre,
    })
}

/// The operators that start at `i`, in alternation order.
fn ops_at(b: &[u8], i: usize) -> impl Iterator<Item = &'static str> + '_ {
    OPS.into_iter().filter(move |op| {
        b.get(i..)
            .is_some_and(|rest| rest.starts_with(op.as_bytes()))
    })
}

/// `(ops)\s*(cv)` at `i`, first alternative that matches: (operator, version captures).
fn match_op_cv(b: &[u8], i: usize) -> Option<(&'static str, Cv)> {
    ops_at(b, i).find_map(|op| match_cv(b, skip_space(b, i + op.len())).map(|cv| (op, cv)))
}

/// Masterminds' `rewriteRange`: each `A - B` becomes `>= A, <= B ` (replacing the first
/// occurrence of the matched text, as `strings.Replace(.., 1)` does).
fn rewrite_range(s: &str) -> String {
    let b = s.as_bytes();
    let mut matches = Vec::new();
    let mut i = 0;
    while i < b.len() {
        let k = skip_space(b, i);
        if let Some(m) = match_range_at(b, k) {
            matches.push((i, m));
            i = m.0;
            continue;
        }
        i = k.max(i) + 1;
    }
    let mut out = s.to_string();
    for (start, (end, a, bv)) in matches {
        let replacement = format!(">= {}, <= {} ", &s[a.0..a.1], &s[bv.0..bv.1]);
        out = out.replacen(&s[start..end], &replacement, 1);
    }
    out
}

/// `(cv)\s+-\s+(cv)\s*` at `k`: (end, first version span, second version span).
#[allow(clippy::type_complexity)]
fn match_range_at(b: &[u8], k: usize) -> Option<(usize, (usize, usize), (usize, usize))> {
    let first = match_cv(b, k)?;
    let dash = skip_space(b, first.end);
    if dash == first.end || b.get(dash) != Some(&b'-') {
        return None;
    }
    let second_start = skip_space(b, dash + 1);
    if second_start == dash + 1 {
        return None;
    }
    let second = match_cv(b, second_start)?;
    Some((
        skip_space(b, second.end),
        (k, first.end),
        (second_start, second.end),
    ))
}

/// Masterminds' `validConstraintRegex`: one or more `op? version` items separated by
/// whitespace or a comma, with optional surrounding whitespace.
fn valid_segment(seg: &str) -> bool {
    let b = seg.as_bytes();
    let mut p = skip_space(b, 0);
    loop {
        let Some((_, cv)) = match_op_cv(b, p) else {
            return false;
        };
        let r = skip_space(b, cv.end);
        if r == b.len() {
            return true;
        }
        if b[r] == b',' {
            p = skip_space(b, r + 1);
        } else if r > cv.end {
            p = r;
        } else {
            return false;
        }
    }
}

/// Masterminds' `findConstraintRegex.FindAllString`: every `op\s*version` in order, leftmost
/// first (a bare version may carry the whitespace before it).
fn find_constraints(seg: &str) -> Vec<&str> {
    let b = seg.as_bytes();
    let mut out = Vec::new();
    let mut i = 0;
    while i < b.len() {
        match match_op_cv(b, i) {
            Some((_, cv)) => {
                out.push(&seg[i..cv.end]);
                i = cv.end;
            }
            None => i += 1,
        }
    }
    out
}

fn is_x(s: &str) -> bool {
    matches!(s, "x" | "X" | "*")
}

/// Masterminds' `parseConstraint` for one `op version` text.
fn parse_constraint(text: &str) -> Result<Constraint, SemverError> {
    if text.is_empty() {
        // Only reachable when nothing was found in a segment: the same as `*`.
        return Ok(Constraint {
            con: Version::new(0, 0, 0),
            orig: String::new(),
            origfunc: String::new(),
            op: Op::TildeOrEqual,
            minor_dirty: false,
            patch_dirty: false,
            dirty: true,
        });
    }
    let b = text.as_bytes();
    let start = skip_space(b, 0);
    let (op, cv) = ops_at(b, start)
        .find_map(|op| {
            let cv = match_cv(b, skip_space(b, start + op.len()))?;
            (skip_space(b, cv.end) == b.len()).then_some((op, cv))
        })
        .ok_or_else(|| SemverError::ImproperConstraint(text.to_string()))?;
    let vstart = skip_space(b, start + op.len());
    let span = |p: (usize, usize)| &text[p.0..p.1];
    let (major, minor, patch, pre) = (span(cv.major), span(cv.minor), span(cv.patch), span(cv.pre));
    let (mut dirty, mut minor_dirty, mut patch_dirty) = (false, false, false);
    let ver = if is_x(major) {
        dirty = true;
        format!("0.0.0{pre}")
    } else if minor.is_empty() || is_x(&minor[1..]) {
        dirty = true;
        minor_dirty = true;
        format!("{major}.0.0{pre}")
    } else if patch.is_empty() || is_x(&patch[1..]) {
        dirty = true;
        patch_dirty = true;
        format!("{major}{minor}.0{pre}")
    } else {
        text[vstart..cv.end].to_string()
    };
    let con = parse_version(&ver).map_err(|_| SemverError::ConstraintParser)?;
    Ok(Constraint {
        con,
        orig: text[vstart..cv.end].to_string(),
        origfunc: op.to_string(),
        op: op_of(op),
        minor_dirty,
        patch_dirty,
        dirty,
    })
}

impl Constraint {
    fn check(&self, v: &Version, include_pre: bool) -> bool {
        // Prereleases only match when the group asked for them.
        if !v.pre.is_empty() && !include_pre {
            return false;
        }
        let c = &self.con;
        match self.op {
            Op::NotEqual => {
                if self.dirty {
                    if c.major != v.major {
                        return true;
                    }
                    if c.minor != v.minor && !self.minor_dirty {
                        return true;
                    } else if self.minor_dirty {
                        return false;
                    } else if c.patch != v.patch && !self.patch_dirty {
                        return true;
                    } else if self.patch_dirty {
                        if !v.pre.is_empty() || !c.pre.is_empty() {
                            return compare_prerelease(&v.pre, &c.pre) != Ordering::Equal;
                        }
                        return false;
                    }
                }
                v.compare(c) != Ordering::Equal
            }
            Op::GreaterThan => {
                if !self.dirty {
                    return v.compare(c) == Ordering::Greater;
                }
                if v.major > c.major {
                    true
                } else if v.major < c.major || self.minor_dirty {
                    false
                } else if self.patch_dirty {
                    v.minor > c.minor
                } else {
                    v.compare(c) == Ordering::Greater
                }
            }
            Op::LessThan => v.compare(c) == Ordering::Less,
            Op::GreaterThanEqual => v.compare(c) != Ordering::Less,
            Op::LessThanEqual => {
                if !self.dirty {
                    return v.compare(c) != Ordering::Greater;
                }
                !(v.major > c.major
                    || (v.major == c.major && v.minor > c.minor && !self.minor_dirty))
            }
            Op::Tilde => self.tilde(v),
            Op::TildeOrEqual => {
                if self.dirty {
                    self.tilde(v)
                } else {
                    v.compare(c) == Ordering::Equal
                }
            }
            Op::Caret => {
                if v.compare(c) == Ordering::Less {
                    return false;
                }
                if c.major > 0 || self.minor_dirty {
                    return v.major == c.major;
                }
                if v.major > 0 {
                    return false;
                }
                if c.minor > 0 || self.patch_dirty {
                    return v.minor == c.minor;
                }
                if v.minor > 0 {
                    return false;
                }
                c.patch == v.patch
            }
        }
    }

    /// `~1.2.3` is `>=1.2.3 <1.3.0`; `~1` is `>=1.0.0 <2.0.0`; `~0.0.0` (or `~*`) is anything.
    fn tilde(&self, v: &Version) -> bool {
        let c = &self.con;
        if v.compare(c) == Ordering::Less {
            return false;
        }
        if c.major == 0 && c.minor == 0 && c.patch == 0 && !self.minor_dirty && !self.patch_dirty {
            return true;
        }
        if v.major != c.major {
            return false;
        }
        v.minor == c.minor || self.minor_dirty
    }
}

#[cfg(test)]
mod tests {
    //! Masterminds/semver's own test tables (v3.4+, `constraints_test.go`, `version_test.go`)
    //! and Helm's `TestIsCompatibleRange`, ported as data.
    use super::*;

    const LOOSE_VERSIONS: &[(&str, bool)] = &[
        ("1.2.3", false),
        ("1.2.3-alpha.01", true),
        ("1.2.3+test.01", false),
        ("1.2.3-alpha.-1", false),
        ("v1.2.3", false),
        ("1.0", false),
        ("v1.0", false),
        ("1", false),
        ("v1", false),
        ("1.2.beta", true),
        ("v1.2.beta", true),
        ("foo", true),
        ("1.2-5", false),
        ("v1.2-5", false),
        ("1.2-beta.5", false),
        ("v1.2-beta.5", false),
        ("\n1.2", true),
        ("\nv1.2", true),
        ("1.2.0-x.Y.0+metadata", false),
        ("v1.2.0-x.Y.0+metadata", false),
        ("1.2.0-x.Y.0+metadata-width-hypen", false),
        ("v1.2.0-x.Y.0+metadata-width-hypen", false),
        ("1.2.3-rc1-with-hypen", false),
        ("v1.2.3-rc1-with-hypen", false),
        ("1.2.3-0abc123", false),
        ("1.2.3-beta.01", true),
        ("1.2.3.4", true),
        ("v1.2.3.4", true),
        ("1.2.2147483648", false),
        ("1.2147483648.3", false),
        ("2147483648.3.0", false),
        ("12.3.4.1234", true),
        ("12.23.4.1234", true),
        ("12.3.34.1234", true),
        ("20221209-update-renovatejson-v4", false),
        ("1.1.2+.123", true),
        ("1.0.0-alpha_beta", true),
        ("1.0.0-alpha..", true),
        ("1.0.0-alpha..1", true),
        ("9.8.7+meta+meta", true),
        ("1.2.31----RC-SNAPSHOT.12.09.1--.12+788", true),
        ("01.1.1", false),
        ("1.01.1", false),
        ("1.1.01", false),
    ];

    const COERCE_STRING: &[(&str, &str)] = &[
        ("1.2.3", "1.2.3"),
        ("v1.2.3", "1.2.3"),
        ("1.0", "1.0.0"),
        ("v1.0", "1.0.0"),
        ("1", "1.0.0"),
        ("v1", "1.0.0"),
        ("1.2-5", "1.2.0-5"),
        ("v1.2-5", "1.2.0-5"),
        ("1.2-beta.5", "1.2.0-beta.5"),
        ("v1.2-beta.5", "1.2.0-beta.5"),
        ("1.2.0-x.Y.0+metadata", "1.2.0-x.Y.0+metadata"),
        ("v1.2.0-x.Y.0+metadata", "1.2.0-x.Y.0+metadata"),
        (
            "1.2.0-x.Y.0+metadata-width-hypen",
            "1.2.0-x.Y.0+metadata-width-hypen",
        ),
        (
            "v1.2.0-x.Y.0+metadata-width-hypen",
            "1.2.0-x.Y.0+metadata-width-hypen",
        ),
        ("1.2.3-rc1-with-hypen", "1.2.3-rc1-with-hypen"),
        ("v1.2.3-rc1-with-hypen", "1.2.3-rc1-with-hypen"),
    ];

    const COMPARE: &[(&str, &str, i8)] = &[
        ("1.2.3", "1.5.1", -1),
        ("2.2.3", "1.5.1", 1),
        ("2.2.3", "2.2.2", 1),
        ("3.2-beta", "3.2-beta", 0),
        ("1.3", "1.1.4", 1),
        ("4.2", "4.2-beta", 1),
        ("4.2-beta", "4.2", -1),
        ("4.2-alpha", "4.2-beta", -1),
        ("4.2-alpha", "4.2-alpha", 0),
        ("4.2-beta.2", "4.2-beta.1", 1),
        ("4.2-beta2", "4.2-beta1", 1),
        ("4.2-beta", "4.2-beta.2", -1),
        ("4.2-beta", "4.2-beta.foo", -1),
        ("4.2-beta.2", "4.2-beta", 1),
        ("4.2-beta.foo", "4.2-beta", 1),
        ("1.2+bar", "1.2+baz", 0),
        ("1.0.0-beta.4", "1.0.0-beta.-2", -1),
        ("1.0.0-beta.-2", "1.0.0-beta.-3", -1),
        ("1.0.0-beta.-3", "1.0.0-beta.5", 1),
    ];

    const GREATER_THAN: &[(&str, &str, bool)] = &[
        ("1.2.3", "1.5.1", false),
        ("2.2.3", "1.5.1", true),
        ("3.2-beta", "3.2-beta", false),
        ("3.2.0-beta.1", "3.2.0-beta.5", false),
        ("3.2-beta.4", "3.2-beta.2", true),
        ("7.43.0-SNAPSHOT.99", "7.43.0-SNAPSHOT.103", false),
        ("7.43.0-SNAPSHOT.FOO", "7.43.0-SNAPSHOT.103", true),
        ("7.43.0-SNAPSHOT.99", "7.43.0-SNAPSHOT.BAR", false),
    ];

    const PARSE_CONSTRAINT: &[(&str, Op, &str, bool)] = &[
        (">= 1.2", Op::GreaterThanEqual, "1.2.0", false),
        ("1.0", Op::TildeOrEqual, "1.0.0", false),
        ("foo", Op::TildeOrEqual, "", true),
        ("<= 1.2", Op::LessThanEqual, "1.2.0", false),
        ("=< 1.2", Op::LessThanEqual, "1.2.0", false),
        ("=> 1.2", Op::GreaterThanEqual, "1.2.0", false),
        ("v1.2", Op::TildeOrEqual, "1.2.0", false),
        ("=1.5", Op::TildeOrEqual, "1.5.0", false),
        ("> 1.3", Op::GreaterThan, "1.3.0", false),
        ("< 1.4.1", Op::LessThan, "1.4.1", false),
        ("< 40.50.10", Op::LessThan, "40.50.10", false),
    ];

    const CONSTRAINT_CHECK: &[(&str, &str, bool)] = &[
        ("=2.0.0", "1.2.3", false),
        ("=2.0.0", "2.0.0", true),
        ("=2.0", "1.2.3", false),
        ("=2.0", "2.0.0", true),
        ("=2.0", "2.0.1", true),
        ("4.1", "4.1.0", true),
        ("!=4.1.0", "4.1.0", false),
        ("!=4.1.0", "4.1.1", true),
        ("!=4.1", "4.1.0", false),
        ("!=4.1", "4.1.1", false),
        ("!=4.1", "5.1.0-alpha.1", false),
        ("!=4.1.0", "5.1.0-alpha.1", false),
        ("!=4.1-alpha", "4.1.0", true),
        ("!=4.1", "5.1.0", true),
        ("<11", "0.1.0", true),
        ("<11", "11.1.0", false),
        ("<1.1", "0.1.0", true),
        ("<1.1", "1.1.0", false),
        ("<1.1", "1.1.1", false),
        ("<=11", "1.2.3", true),
        ("<=11", "12.2.3", false),
        ("<=11", "11.2.3", true),
        ("<=1.1", "1.2.3", false),
        ("<=1.1", "0.1.0", true),
        ("<=1.1", "1.1.0", true),
        ("<=1.1", "1.1.1", true),
        (">1.1", "4.1.0", true),
        (">1.1", "1.1.0", false),
        (">0", "0", false),
        (">0", "1", true),
        (">0", "0.0.1-alpha", false),
        (">0.0", "0.0.1-alpha", false),
        (">0-0", "0.0.1-alpha", false),
        (">0.0-0", "0.0.1-alpha", false),
        (">0", "0.0.0-alpha", false),
        (">0-0", "0.0.0-alpha", false),
        (">0.0.0-0", "0.0.0-alpha", true),
        (">1.2.3-alpha.1", "1.2.3-alpha.2", true),
        (">1.2.3-alpha.1", "1.3.3-alpha.2", true),
        (">11", "11.1.0", false),
        (">11.1", "11.1.0", false),
        (">11.1", "11.1.1", false),
        (">11.1", "11.2.1", true),
        (">=11", "11.1.2", true),
        (">=11.1", "11.1.2", true),
        (">=11.1", "11.0.2", false),
        (">=1.1", "4.1.0", true),
        (">=1.1", "1.1.0", true),
        (">=1.1", "0.0.9", false),
        (">=0", "0.0.1-alpha", false),
        (">=0.0", "0.0.1-alpha", false),
        (">=0-0", "0.0.1-alpha", true),
        (">=0.0-0", "0.0.1-alpha", true),
        (">=0", "0.0.0-alpha", false),
        (">=0-0", "0.0.0-alpha", true),
        (">=0.0.0-0", "0.0.0-alpha", true),
        (">=0.0.0-0", "1.2.3", true),
        (">=0.0.0-0", "3.4.5-beta.1", true),
        ("<0", "0.0.0-alpha", false),
        ("<0-z", "0.0.0-alpha", true),
        (">=0", "0", true),
        ("=0", "1", false),
        ("*", "1", true),
        ("*", "4.5.6", true),
        ("*", "1.2.3-alpha.1", false),
        ("*-0", "1.2.3-alpha.1", true),
        ("2.*", "1", false),
        ("2.*", "3.4.5", false),
        ("2.*", "2.1.1", true),
        ("2.1.*", "2.1.1", true),
        ("2.1.*", "2.2.1", false),
        ("", "1", true),
        ("", "4.5.6", true),
        ("", "1.2.3-alpha.1", false),
        ("2", "1", false),
        ("2", "3.4.5", false),
        ("2", "2.1.1", true),
        ("2.1", "2.1.1", true),
        ("2.1", "2.2.1", false),
        ("~1.2.3", "1.2.4", true),
        ("~1.2.3", "1.3.4", false),
        ("~1.2", "1.2.4", true),
        ("~1.2", "1.3.4", false),
        ("~1", "1.2.4", true),
        ("~1", "2.3.4", false),
        ("~0.2.3", "0.2.5", true),
        ("~0.2.3", "0.3.5", false),
        ("~1.2.3-beta.2", "1.2.3-beta.4", true),
        ("~1.2.3-beta.2", "1.2.4-beta.2", true),
        ("~1.2.3-beta.2", "1.3.4-beta.2", false),
        ("^1.2.3", "1.8.9", true),
        ("^1.2.3", "2.8.9", false),
        ("^1.2.3", "1.2.1", false),
        ("^1.1.0", "2.1.0", false),
        ("^1.2.0", "2.2.1", false),
        ("^1.2.0", "1.2.1-alpha.1", false),
        ("^1.2.0-alpha.0", "1.2.1-alpha.1", true),
        ("^1.2.0-alpha.0", "1.2.1-alpha.0", true),
        ("^1.2.0-alpha.2", "1.2.0-alpha.1", false),
        ("^1.2", "1.8.9", true),
        ("^1.2", "2.8.9", false),
        ("^1", "1.8.9", true),
        ("^1", "2.8.9", false),
        ("^0.2.3", "0.2.5", true),
        ("^0.2.3", "0.5.6", false),
        ("^0.2", "0.2.5", true),
        ("^0.2", "0.5.6", false),
        ("^0.0.3", "0.0.3", true),
        ("^0.0.3", "0.0.4", false),
        ("^0.0", "0.0.3", true),
        ("^0.0", "0.1.4", false),
        ("^0.0", "1.0.4", false),
        ("^0", "0.2.3", true),
        ("^0", "1.1.4", false),
        ("^0.2.3-beta.2", "0.2.3-beta.4", true),
        ("^0.2.3-beta.2", "0.2.4-beta.2", true),
        ("^0.2.3-beta.2", "0.3.4-beta.2", false),
        ("^0.2.3-beta.2", "0.2.3-beta.2", true),
    ];

    const NEW_CONSTRAINT: &[(&str, usize, usize, bool)] = &[
        (">= 1.1", 1, 1, false),
        (">40.50.60, < 50.70", 1, 2, false),
        ("2.0", 1, 1, false),
        ("v2.3.5-20161202202307-sha.e8fc5e5", 1, 1, false),
        ("v1.2.3-0abc", 1, 1, false),
        ("v1.2.3-beta.01", 1, 1, true),
        (">= bar", 0, 0, true),
        ("BAR >= 1.2.3", 0, 0, true),
        (">= 1.2.3 < 2.0", 1, 2, false),
        (">= 1.2.3 < 2.0 || => 3.0 < 4", 2, 2, false),
        (">= 1.2.3, < 2.0", 1, 2, false),
        (">= 1.2.3, < 2.0 || => 3.0, < 4", 2, 2, false),
        ("3 - 4 || => 3.0, < 4", 2, 2, false),
        ("12.3.4.1234", 0, 0, true),
        ("12.23.4.1234", 0, 0, true),
        ("12.3.34.1234", 0, 0, true),
        ("12.3.34 ~1.2.3", 1, 2, false),
        ("12.3.34~ 1.2.3", 0, 0, true),
        ("1.0.0 - 2.0.0, <=2.0.0", 1, 3, false),
    ];

    const CONSTRAINTS_CHECK: &[(&str, &str, bool)] = &[
        ("*", "1.2.3", true),
        ("~0.0.0", "1.2.3", true),
        ("0.x.x", "1.2.3", false),
        ("0.0.x", "1.2.3", false),
        ("0.0.0", "1.2.3", false),
        ("*", "1.2.3", true),
        ("^0.0.0", "1.2.3", false),
        ("= 2.0", "1.2.3", false),
        ("= 2.0", "2.0.0", true),
        ("4.1", "4.1.0", true),
        ("4.1.x", "4.1.3", true),
        ("1.x", "1.4", true),
        ("!=4.1", "4.1.0", false),
        ("!=4.1-alpha", "4.1.0-alpha", false),
        ("!=4.1-alpha", "4.1.1-alpha", false),
        ("!=4.1-alpha", "4.1.0", true),
        ("!=4.1", "5.1.0", true),
        ("!=4.x", "5.1.0", true),
        ("!=4.x", "4.1.0", false),
        ("!=4.1.x", "4.2.0", true),
        ("!=4.2.x", "4.2.3", false),
        (">1.1", "4.1.0", true),
        (">1.1", "1.1.0", false),
        ("<1.1", "0.1.0", true),
        ("<1.1", "1.1.0", false),
        ("<1.1", "1.1.1", false),
        ("<1.x", "1.1.1", false),
        ("<1.x", "0.1.1", true),
        ("<1.x", "2.0.0", false),
        ("<1.1.x", "1.2.1", false),
        ("<1.1.x", "1.1.500", false),
        ("<1.1.x", "1.0.500", true),
        ("<1.2.x", "1.1.1", true),
        (">=1.1", "4.1.0", true),
        (">=1.1", "4.1.0-beta", false),
        (">=1.1", "1.1.0", true),
        (">=1.1", "0.0.9", false),
        ("<=1.1", "0.1.0", true),
        ("<=1.1", "0.1.0-alpha", false),
        ("<=1.1-a", "0.1.0-alpha", true),
        ("<=1.1", "1.1.0", true),
        ("<=1.x", "1.1.0", true),
        ("<=2.x", "3.0.0", false),
        ("<=1.1", "1.1.1", true),
        ("<=1.1.x", "1.2.500", false),
        ("<=4.5", "3.4.0", true),
        ("<=4.5", "3.7.0", true),
        ("<=4.5", "4.6.3", false),
        (">1.1, <2", "1.1.1", false),
        (">1.1, <2", "1.2.1", true),
        (">1.1, <3", "4.3.2", false),
        (">=1.1, <2, !=1.2.3", "1.2.3", false),
        (">1.1 <2", "1.1.1", false),
        (">1.1 <2", "1.2.1", true),
        (">1.1    <3", "4.3.2", false),
        (">=1.1    <2    !=1.2.3", "1.2.3", false),
        (">=1.1, <2, !=1.2.3 || > 3", "4.1.2", true),
        (">=1.1, <2, !=1.2.3 || > 3", "3.1.2", false),
        (">=1.1, <2, !=1.2.3 || >= 3", "3.0.0", true),
        (">=1.1, <2, !=1.2.3 || > 3", "3.0.0", false),
        (">=1.1, <2, !=1.2.3 || > 3", "1.2.3", false),
        (">=1.1 <2 !=1.2.3", "1.2.3", false),
        (">=1.1 <2 !=1.2.3 || > 3", "4.1.2", true),
        (">=1.1 <2 !=1.2.3 || > 3", "3.1.2", false),
        (">=1.1 <2 !=1.2.3 || >= 3", "3.0.0", true),
        (">=1.1 <2 !=1.2.3 || > 3", "3.0.0", false),
        (">=1.1 <2 !=1.2.3 || > 3", "1.2.3", false),
        ("> 1.1, <     2", "1.1.1", false),
        (">   1.1, <2", "1.2.1", true),
        (">1.1, <  3", "4.3.2", false),
        (">= 1.1, <     2, !=1.2.3", "1.2.3", false),
        ("> 1.1 < 2", "1.1.1", false),
        (">1.1 < 2", "1.2.1", true),
        ("> 1.1    <3", "4.3.2", false),
        (">=1.1    < 2    != 1.2.3", "1.2.3", false),
        (">= 1.1, <2, !=1.2.3 || > 3", "4.1.2", true),
        (">= 1.1, <2, != 1.2.3 || > 3", "3.1.2", false),
        (">= 1.1, <2, != 1.2.3 || >= 3", "3.0.0", true),
        (">= 1.1, <2, !=1.2.3 || > 3", "3.0.0", false),
        (">= 1.1, <2, !=1.2.3 || > 3", "1.2.3", false),
        (">= 1.1 <2 != 1.2.3", "1.2.3", false),
        (">= 1.1 <2 != 1.2.3 || > 3", "4.1.2", true),
        (">= 1.1 <2 != 1.2.3 || > 3", "3.1.2", false),
        (">= 1.1 <2 != 1.2.3 || >= 3", "3.0.0", true),
        (">= 1.1 < 2 !=1.2.3 || > 3", "3.0.0", false),
        (">=1.1 < 2 !=1.2.3 || > 3", "1.2.3", false),
        (">= 1.0.0  <= 2.0.0-beta", "1.0.1-beta", true),
        (">= 1.0.0  <= 2.0.0-beta", "1.0.1", true),
        (">= 1.0.0  <= 2.0.0-beta", "3.0.0", false),
        (">= 1.0.0  <= 2.0.0-beta || > 3", "1.0.1-beta", true),
        (">= 1.0.0  <= 2.0.0-beta || > 3", "3.0.1-beta", false),
        (
            ">= 1.0.0  <= 2.0.0-beta != 1.0.1 || > 3",
            "1.0.1-beta",
            true,
        ),
        (
            ">= 1.0.0  <= 2.0.0-beta != 1.0.1-beta || > 3",
            "1.0.1-beta",
            false,
        ),
        (">= 1.0.0-0  <= 2.0.0", "1.0.1-beta", true),
        ("1.1 - 2", "1.1.1", true),
        ("1.5.0 - 4.5", "3.7.0", true),
        ("1.1-3", "4.3.2", false),
        ("^1.1", "1.1.1", true),
        ("^1.1", "4.3.2", false),
        ("^1.x", "1.1.1", true),
        ("^2.x", "1.1.1", false),
        ("^1.x", "2.1.1", false),
        ("^1.x", "1.1.1-beta1", false),
        ("^1.1.2-alpha", "1.2.1-beta1", true),
        ("^1.2.x-alpha", "1.1.1-beta1", false),
        ("^0.0.1", "0.0.1", true),
        ("^0.0.1", "0.3.1", false),
        ("~*", "2.1.1", true),
        ("~1", "2.1.1", false),
        ("~1", "1.3.5", true),
        ("~1", "1.4", true),
        ("~1.x", "2.1.1", false),
        ("~1.x", "1.3.5", true),
        ("~1.x", "1.4", true),
        ("~1.1", "1.1.1", true),
        ("~1.1", "1.1.1-alpha", false),
        ("~1.1-alpha", "1.1.1-beta", true),
        ("~1.1.1-beta", "1.1.1-alpha", false),
        ("~1.1.1-beta", "1.1.1", true),
        ("~1.2.3", "1.2.5", true),
        ("~1.2.3", "1.2.2", false),
        ("~1.2.3", "1.3.2", false),
        ("~1.1", "1.2.3", false),
        ("~1.3", "2.4.5", false),
        ("1.0.0 - 2.0.0 <=2.0.0", "1.5.0", true),
        ("1.0.0 - 2.0.0, <=2.0.0", "1.5.0", true),
    ];

    const REWRITE_RANGE: &[(&str, &str)] = &[
        ("2 - 3", ">= 2, <= 3 "),
        ("2 - 3, 2 - 3", ">= 2, <= 3 ,>= 2, <= 3 "),
        ("2 - 3, 4.0.0 - 5.1", ">= 2, <= 3 ,>= 4.0.0, <= 5.1 "),
        ("2 - 3 4.0.0 - 5.1", ">= 2, <= 3 >= 4.0.0, <= 5.1 "),
        ("1.0.0 - 2.0.0 <=2.0.0", ">= 1.0.0, <= 2.0.0 <=2.0.0"),
    ];

    const CONSTRAINTS_VALIDATE: &[(&str, &str, bool)] = &[
        ("*", "1.2.3", true),
        ("~0.0.0", "1.2.3", true),
        ("= 2.0", "1.2.3", false),
        ("= 2.0", "2.0.0", true),
        ("4.1", "4.1.0", true),
        ("4.1.x", "4.1.3", true),
        ("1.x", "1.4", true),
        ("!=4.1", "4.1.0", false),
        ("!=4.1", "5.1.0", true),
        ("!=4.x", "5.1.0", true),
        ("!=4.x", "4.1.0", false),
        ("!=4.1.x", "4.2.0", true),
        ("!=4.2.x", "4.2.3", false),
        (">1.1", "4.1.0", true),
        (">1.1", "1.1.0", false),
        ("<1.1", "0.1.0", true),
        ("<1.1", "1.1.0", false),
        ("<1.1", "1.1.1", false),
        ("<1.x", "1.1.1", false),
        ("<2.x", "1.1.1", true),
        ("<1.x", "2.1.1", false),
        ("<1.1.x", "1.2.1", false),
        ("<1.1.x", "1.1.500", false),
        ("<1.2.x", "1.1.1", true),
        (">=1.1", "4.1.0", true),
        (">=1.1", "1.1.0", true),
        (">=1.1", "0.0.9", false),
        ("<=1.1", "0.1.0", true),
        ("<=1.1", "1.1.0", true),
        ("<=1.x", "1.1.0", true),
        ("<=2.x", "3.1.0", false),
        ("<=1.1", "1.1.1", true),
        ("<=1.1.x", "1.2.500", false),
        (">1.1, <2", "1.1.1", false),
        (">1.1, <2", "1.2.1", true),
        (">1.1, <3", "4.3.2", false),
        (">=1.1, <2, !=1.2.3", "1.2.3", false),
        (">=1.1, <2, !=1.2.3 || > 3", "3.1.2", false),
        (">=1.1, <2, !=1.2.3 || > 3", "4.1.2", true),
        (">=1.1, <2, !=1.2.3 || >= 3", "3.0.0", true),
        (">=1.1, <2, !=1.2.3 || > 3", "3.0.0", false),
        (">=1.1, <2, !=1.2.3 || > 3", "1.2.3", false),
        ("1.1 - 2", "1.1.1", true),
        ("1.1-3", "4.3.2", false),
        ("^1.1", "1.1.1", true),
        ("^1.1", "1.1.1-alpha", false),
        ("^1.1.1-alpha", "1.1.1-beta", true),
        ("^1.1.1-beta", "1.1.1-alpha", false),
        ("^1.1", "4.3.2", false),
        ("^1.x", "1.1.1", true),
        ("^2.x", "1.1.1", false),
        ("^1.x", "2.1.1", false),
        ("^0.0.1", "0.1.3", false),
        ("^0.0.1", "0.0.1", true),
        ("~*", "2.1.1", true),
        ("~1", "2.1.1", false),
        ("~1", "1.3.5", true),
        ("~1", "1.3.5-beta", false),
        ("~1.x", "2.1.1", false),
        ("~1.x", "1.3.5", true),
        ("~1.x", "1.3.5-beta", false),
        ("~1.3.6-alpha", "1.3.5-beta", false),
        ("~1.3.5-alpha", "1.3.5-beta", true),
        ("~1.3.5-beta", "1.3.5-alpha", false),
        ("~1.x", "1.4", true),
        ("~1.1", "1.1.1", true),
        ("~1.2.3", "1.2.5", true),
        ("~1.2.3", "1.2.2", false),
        ("~1.2.3", "1.3.2", false),
        ("~1.1", "1.2.3", false),
        ("~1.3", "2.4.5", false),
    ];

    const CONSTRAINT_STRING: &[(&str, &str)] = &[
        ("*", "*"),
        (">=1.2.3", ">=1.2.3"),
        (">= 1.2.3", ">=1.2.3"),
        (
            "2.x,   >=1.2.3 || >4.5.6, < 5.7",
            "2.x >=1.2.3 || >4.5.6 <5.7",
        ),
        (
            "2.x,   >=1.2.3 || >4.5.6, < 5.7 || >40.50.60, < 50.70",
            "2.x >=1.2.3 || >4.5.6 <5.7 || >40.50.60 <50.70",
        ),
        ("1.2", "1.2"),
    ];

    /// Helm `pkg/chart/v2/util/compatible_test.go`.
    const HELM_COMPATIBLE: &[(&str, &str, bool)] = &[
        ("v2.0.0-alpha.4", "v2.0.0-alpha.4", true),
        ("v2.0.0-alpha.3", "v2.0.0-alpha.4", false),
        ("v2.0.0", "v2.0.0-alpha.4", false),
        ("v2.0.0-alpha.4", "v2.0.0", false),
        ("~v2.0.0", "v2.0.1", true),
        ("v2", "v2.0.0", true),
        (">2.0.0", "v2.1.1", true),
        ("v2.1.*", "v2.1.1", true),
    ];

    /// `semverCompare` results printed by helm 4.3.1 (`helm template`) for tricky inputs.
    const HELM_SEMVER_COMPARE: &[(&str, &str, bool)] = &[
        (">=1.0.0-0 <2", "1.5.0-beta", true),
        ("1.2 - 1.4.5", "1.4.5", true),
        ("1.2 - 1.4.5", "1.4.6", false),
        (">= 1.2, < 2.0", "1.9.9", true),
        ("^0.0", "0.0.9", true),
        ("~> 1.2", "1.2.9", true),
        ("=< 1.4", "1.4.0", true),
        ("=> 1.2", "1.1.0", false),
        ("!= 1.2.3", "1.2.3", false),
        ("1.x", "1.9.0-rc1", false),
        ("*", "2.0.0-0", false),
        ("*-0", "2.0.0-0", true),
        (">1.2.3-alpha <1.2.3", "1.2.3-beta", true),
        ("x.1.2", "5.0.0", true),
        ("2.X.*", "2.3.4", true),
        ("~0", "0.9.9", true),
        ("^0.x", "0.5.0", true),
        (">11.x", "12.0.0", true),
        ("<=1.2.x", "1.2.99", true),
        ("!=1.2.x", "1.3.0", true),
        ("v1.2.3+meta", "1.2.3", true),
        ("1.2.3", "v1.2.3+other", true),
        ("1.0.0 - 2.0.0, <=2.0.0", "1.5.0", true),
        ("01.2", "1.2.5", true),
    ];

    fn v(s: &str) -> Version {
        parse_version(s).unwrap_or_else(|e| panic!("{s}: {e}"))
    }

    #[test]
    fn loose_versions() {
        for &(s, err) in LOOSE_VERSIONS {
            assert_eq!(parse_version(s).is_err(), err, "{s:?}");
        }
    }

    #[test]
    fn coerced_display_and_original() {
        for &(s, out) in COERCE_STRING {
            let parsed = v(s);
            assert_eq!(parsed.to_string(), out, "{s}");
            assert_eq!(parsed.original(), s);
        }
        assert_eq!(v("01.02.3").to_string(), "1.2.3");
        assert_eq!(
            v("20221209-update-renovatejson-v4").prerelease(),
            "update-renovatejson-v4"
        );
    }

    #[test]
    fn version_errors_are_masterminds_messages() {
        let cases = [
            ("1.2.3.4", "invalid semantic version"),
            ("", "invalid semantic version"),
            (" 1.2.3", "invalid semantic version"),
            ("1.2.3-beta.01", "version segment starts with 0"),
            ("1.0.0-alpha..1", "invalid semantic version"),
            (
                "99999999999999999999.0.0",
                "error parsing version segment: strconv.ParseUint: parsing \"99999999999999999999\": value out of range",
            ),
        ];
        for (s, msg) in cases {
            assert_eq!(parse_version(s).unwrap_err().to_string(), msg, "{s:?}");
        }
    }

    #[test]
    fn compare_ignores_metadata_and_orders_prereleases() {
        for &(a, b, want) in COMPARE {
            assert_eq!(v(a).compare(&v(b)) as i8, want, "{a} vs {b}");
        }
        for &(a, b, want) in GREATER_THAN {
            assert_eq!(v(a) > v(b), want, "{a} > {b}");
        }
        assert_eq!(v("1.2.3+a"), v("1.2.3+b"));
    }

    #[test]
    fn parse_single_constraint() {
        for &(text, op, ver, err) in PARSE_CONSTRAINT {
            match parse_constraint(text) {
                Ok(c) => {
                    assert!(!err, "{text} should fail");
                    assert_eq!(c.op, op, "{text}");
                    assert_eq!(c.con.to_string(), ver, "{text}");
                }
                Err(_) => assert!(err, "{text} should parse"),
            }
        }
    }

    #[test]
    fn single_constraint_check() {
        for &(text, ver, want) in CONSTRAINT_CHECK {
            let c = parse_constraint(text).unwrap_or_else(|e| panic!("{text}: {e}"));
            let has_pre = !c.con.pre.is_empty();
            assert_eq!(c.check(&v(ver), has_pre), want, "{text:?} with {ver}");
        }
    }

    #[test]
    fn new_constraint_shapes() {
        for &(text, ors, count, err) in NEW_CONSTRAINT {
            match Constraints::parse(text) {
                Ok(c) => {
                    assert!(!err, "{text} should fail");
                    assert_eq!(c.groups.len(), ors, "{text}");
                    assert_eq!(c.groups[0].len(), count, "{text}");
                }
                Err(_) => assert!(err, "{text} should parse"),
            }
        }
    }

    #[test]
    fn constraints_check() {
        for table in [CONSTRAINTS_CHECK, CONSTRAINTS_VALIDATE] {
            for &(text, ver, want) in table {
                let c = Constraints::parse(text).unwrap_or_else(|e| panic!("{text}: {e}"));
                assert_eq!(c.check(&v(ver)), want, "{text:?} with {ver}");
            }
        }
    }

    #[test]
    fn rewrite_hyphen_ranges() {
        for &(text, want) in REWRITE_RANGE {
            assert_eq!(rewrite_range(text), want, "{text:?}");
        }
    }

    #[test]
    fn wildcard_letters() {
        for (s, want) in [
            ("A", false),
            ("%", false),
            ("X", true),
            ("x", true),
            ("*", true),
        ] {
            assert_eq!(is_x(s), want, "{s}");
        }
    }

    #[test]
    fn constraint_display() {
        for &(text, want) in CONSTRAINT_STRING {
            assert_eq!(
                Constraints::parse(text).unwrap().to_string(),
                want,
                "{text:?}"
            );
        }
    }

    #[test]
    fn helm_compatible_range() {
        for &(c, ver, want) in HELM_COMPATIBLE {
            assert_eq!(is_compatible_range(c, ver), want, "{c} vs {ver}");
        }
        assert!(!is_compatible_range(">= bar", "1.0.0"));
        assert!(!is_compatible_range(">=1.0.0", "not-a-version"));
    }

    #[test]
    fn matches_helm_semver_compare() {
        for &(c, ver, want) in HELM_SEMVER_COMPARE {
            let parsed = Constraints::parse(c).unwrap_or_else(|e| panic!("{c}: {e}"));
            assert_eq!(parsed.check(&v(ver)), want, "{c:?} with {ver}");
        }
        // helm: `improper constraint: ">=>= 1, <= 2 "` (the range rewrite runs first).
        assert_eq!(
            Constraints::parse(">=1 - 2").unwrap_err().to_string(),
            "improper constraint: \">=>= 1, <= 2 \""
        );
    }

    #[test]
    fn constraint_errors() {
        assert_eq!(
            Constraints::parse(">= bar").unwrap_err().to_string(),
            "improper constraint: \">= bar\""
        );
        assert_eq!(
            Constraints::parse("^1.2 || ").unwrap_err().to_string(),
            "improper constraint: \" \""
        );
        assert_eq!(
            Constraints::parse("1x.2").unwrap_err().to_string(),
            "constraint parser error"
        );
        assert!(Constraints::parse("").is_err());
    }

    #[test]
    fn hostile_constraints_are_bounded() {
        let long = "1".repeat(MAX_CONSTRAINT_LEN + 1);
        assert!(matches!(
            Constraints::parse(&long),
            Err(SemverError::ConstraintTooLong(_))
        ));
        // The longest accepted inputs of the worst shapes are answered (the number overflows).
        let worst = "1".repeat(MAX_CONSTRAINT_LEN);
        assert_eq!(
            Constraints::parse(&worst).unwrap_err(),
            SemverError::ConstraintParser
        );
        let many = "1 ".repeat(MAX_CONSTRAINT_LEN / 2);
        assert_eq!(
            Constraints::parse(&many).unwrap().groups[0].len(),
            MAX_CONSTRAINT_LEN / 2
        );
        let spaces = " ".repeat(MAX_CONSTRAINT_LEN);
        assert!(Constraints::parse(&spaces).is_err());
        assert!(parse_version(&"9".repeat(1 << 20)).is_err());
    }

    #[test]
    fn to_semver_round_trip() {
        let sv = v("v1.2-beta.1+build").to_semver().unwrap();
        assert_eq!(sv.to_string(), "1.2.0-beta.1+build");
    }
}
