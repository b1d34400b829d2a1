//! The block-YAML fast path: granit-parser's events for the plain block YAML that values files
//! and rendered manifests are made of, read in one pass over the lines instead of through
//! granit's scanner and parser (which cost ~80 instructions per byte).
//!
//! Owns: for every text it accepts (BOM already stripped), exactly the events granit-parser 2.2.0
//! gives with [`super::fast::parser_options`], spans aside: `StreamStart`, one implicit or explicit
//! `DocumentStart` (or none for a text of comments), block mappings and sequences, anchorless
//! untagged scalars with granit's text and style (`~` plain for an empty node), flow sequences and
//! the empty flow mapping, `DocumentEnd`, `StreamEnd`. The subset it accepts: block mappings and
//! sequences (also sequences at their key's indentation and `- key: value` compact mappings),
//! one-line plain scalars, one-line single- and double-quoted scalars (every escape but surrogate
//! pairs), literal block scalars `|`, `|-`, `|+` without an indentation indicator, folded ones
//! (`>`, `>-`, `>+`) whose lines simply fold (no more-indented or empty lines between them, no
//! white space before a folding break), one-line flow sequences of quoted scalars and plain words
//! (`drop: ["ALL"]`, `[v1, v2]`, `[]`), `{}`, scalars and flow sequences on their own line
//! (`resources:\n  {}`), comments, blank lines and a leading `---` line. It declines (`None`)
//! everything else and whenever it is unsure: tabs outside quoted scalars, block scalar content and
//! comments, CR, control and line-separator characters, a BOM, anchors, aliases, tags, `?` keys,
//! directives, flow mappings with entries, nested or multi-line flow sequences and other plain
//! items in them, multi-line plain or quoted scalars (any line indented past its collection that
//! does not start a nested node), other folded scalars, scalar documents, plain scalars that hold
//! `: ` or end in `:`, scalars that start with an indicator character (`-`/`:` followed by a
//! non-blank excepted), keys that start with `:` or run past 1000 bytes, `---` or `...` lines but a
//! leading `---`, nesting past 64 levels, texts over 4 MiB. The caller then runs granit-parser,
//! which gives the answer (events or error): declining is always safe. It must not produce errors
//! itself, must not panic on any input, and must not recurse per nesting level (an explicit stack).
//!
//! Hand-written: no crate offers a validating fast path for this subset that gives granit's
//! exact events; the differential tests (`block_tests.rs`) compare it with granit-parser.

use serde_saphyr::granit_parser::{Event, ScalarStyle, StructureStyle};
use std::borrow::Cow;

/// Larger texts are left to granit (positions are kept in `u32`; budgets matter there).
const MAX_TEXT_BYTES: usize = 4 << 20;
/// Deeper nesting is left to granit (and to the depth budgets of the readers).
const MAX_DEPTH: usize = 64;
/// granit gives up on implicit keys longer than 1024 characters; longer ones are left to it.
const MAX_KEY_BYTES: usize = 1000;

/// Why the fast path declined; the caller runs granit-parser.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) struct Declined(pub &'static str);

type Scan<T> = Result<T, Declined>;

/// granit's events for `text`, or `None` when `text` is outside the subset.
pub(super) fn events(text: &str) -> Option<Events<'_>> {
    scan(text).ok()
}

/// Like [`events`], with the reason for declining.
pub(super) fn scan(text: &str) -> Result<Events<'_>, Declined> {
    if text.len() > MAX_TEXT_BYTES {
        return Err(Declined("large input"));
    }
    if !characters_ok(text) {
        return Err(Declined("character outside the subset"));
    }
    let mut s = Scanner {
        text,
        b: text.as_bytes(),
        pos: 0,
        toks: Vec::with_capacity(text.len() / 8 + 8),
        owned: Vec::new(),
        frames: Vec::with_capacity(16),
        pending: true,
        started: false,
    };
    s.run()?;
    Ok(Events {
        text,
        toks: s.toks.into_iter(),
        owned: s.owned.into_iter(),
    })
}

/// One event, compactly (an [`Event`] is 112 bytes; this is 12).
#[derive(Clone, Copy, Debug)]
enum Tok {
    StreamStart,
    StreamEnd,
    DocumentStart {
        explicit: bool,
    },
    DocumentEnd,
    MappingStart(StructureStyle),
    MappingEnd,
    SequenceStart(StructureStyle),
    SequenceEnd,
    /// A scalar whose text is `text[start..end]`.
    Slice {
        start: u32,
        end: u32,
        style: ScalarStyle,
    },
    /// A scalar whose text is the next of the scanner's owned strings.
    Owned(ScalarStyle),
    /// An empty node: granit's plain `~`.
    Empty,
}

impl Tok {
    fn slice(start: usize, end: usize, style: ScalarStyle) -> Tok {
        // Texts are at most `MAX_TEXT_BYTES` long, so offsets fit.
        Tok::Slice {
            start: start as u32,
            end: end as u32,
            style,
        }
    }
}

/// The events of an accepted text, in order.
pub(super) struct Events<'a> {
    text: &'a str,
    toks: std::vec::IntoIter<Tok>,
    owned: std::vec::IntoIter<String>,
}

impl<'a> Iterator for Events<'a> {
    type Item = Event<'a>;

    fn next(&mut self) -> Option<Event<'a>> {
        Some(match self.toks.next()? {
            Tok::StreamStart => Event::StreamStart,
            Tok::StreamEnd => Event::StreamEnd,
            Tok::DocumentStart { explicit } => Event::DocumentStart(explicit, None),
            Tok::DocumentEnd => Event::DocumentEnd,
            Tok::MappingStart(style) => Event::MappingStart(style, 0, None),
            Tok::MappingEnd => Event::MappingEnd,
            Tok::SequenceStart(style) => Event::SequenceStart(style, 0, None),
            Tok::SequenceEnd => Event::SequenceEnd,
            Tok::Slice { start, end, style } => Event::Scalar(
                Cow::Borrowed(self.text.get(start as usize..end as usize)?),
                style,
                0,
                None,
            ),
            Tok::Owned(style) => Event::Scalar(Cow::Owned(self.owned.next()?), style, 0, None),
            Tok::Empty => Event::Scalar(Cow::Borrowed("~"), ScalarStyle::Plain, 0, None),
        })
    }
}

/// Only characters whose handling is the same everywhere in granit: printable ASCII, line
/// feeds, tabs (refused later where they matter), and printable non-ASCII other than NEL, the
/// line and paragraph separators and the BOM.
fn characters_ok(text: &str) -> bool {
    let ascii = text.as_bytes().chunks(64).all(|chunk| {
        chunk.iter().fold(true, |ok, &b| {
            ok & ((0x20..0x7f).contains(&b) | (b == b'\n') | (b == b'\t'))
        })
    });
    ascii
        || text.chars().all(|c| match c {
            '\n' | '\t' | ' '..='~' => true,
            '\u{2028}' | '\u{2029}' | '\u{feff}' => false,
            '\u{a0}'..='\u{d7ff}' | '\u{e000}'..='\u{fffd}' | '\u{10000}'.. => true,
            _ => false,
        })
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Kind {
    Map,
    Seq,
    /// A sequence at its key's indentation (`key:\n- item`).
    IndentlessSeq,
}

/// An open block collection and the column of its entries.
#[derive(Clone, Copy)]
struct Frame {
    kind: Kind,
    indent: usize,
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Chomp {
    Clip,
    Strip,
    Keep,
}

/// What follows a quoted scalar or flow collection on its line.
enum After {
    /// The end of the line, or a comment.
    End,
    /// `: ` (or `:` at the end of the line); the value starts at this offset.
    Colon(usize),
}

/// Where a plain scalar ends on its line.
enum Plain {
    /// It is a key: its text ends at `end`, its `:` is at `colon`.
    Key { end: usize, colon: usize },
    /// It is a value ending at `end` (trailing spaces and comment excluded).
    Scalar { end: usize },
}

struct Scanner<'a> {
    text: &'a str,
    b: &'a [u8],
    /// Start of the next line to read.
    pos: usize,
    toks: Vec<Tok>,
    owned: Vec<String>,
    frames: Vec<Frame>,
    /// The innermost open node (the root, a key, a sequence item) still awaits its value.
    pending: bool,
    /// The document has started (`---` or content seen).
    started: bool,
}

/// Eight bytes of `b` from `i`, first byte lowest (`None` past the end).
fn word(b: &[u8], i: usize) -> Option<u64> {
    let bytes: [u8; 8] = b.get(i..i.checked_add(8)?)?.try_into().ok()?;
    Some(u64::from_le_bytes(bytes))
}

const ONES: u64 = 0x0101_0101_0101_0101;
const HIGHS: u64 = 0x8080_8080_8080_8080;

/// The high bit of each byte of `w` equal to `c`; exact for the lowest such byte (higher ones
/// may be false positives, so only the lowest set bit is used).
fn bytes_equal(w: u64, c: u8) -> u64 {
    let v = w ^ (u64::from(c) * ONES);
    v.wrapping_sub(ONES) & !v & HIGHS
}

/// The first offset from `from` (below `end`) that is not a space, or `end`. Eight bytes at a
/// time: indentation is most of a manifest's bytes.
pub(super) fn spaces(b: &[u8], from: usize, end: usize) -> usize {
    find(
        b,
        from,
        end,
        |w| w ^ (u64::from(b' ') * ONES),
        |c| c != b' ',
    )
}

/// The offset of the line feed ending the line at `from`, or the text's length. Eight bytes at
/// a time: lines of content are short, a vector search costs more to set up.
fn end_of_line(b: &[u8], from: usize) -> usize {
    find(b, from, b.len(), |w| bytes_equal(w, b'\n'), |c| c == b'\n')
}

/// The first `:`, `#` or tab from `from` (below `end`), or `end`: where a plain scalar may end.
pub(super) fn plain_stop(b: &[u8], from: usize, end: usize) -> usize {
    find(
        b,
        from,
        end,
        |w| bytes_equal(w, b':') | bytes_equal(w, b'#') | bytes_equal(w, b'\t'),
        |c| matches!(c, b':' | b'#' | b'\t'),
    )
}

/// The first offset in `from..end` whose byte `hit` accepts, or `end`. `hits` marks such bytes
/// in a word (nonzero in the lowest such byte, anything above it).
#[inline(always)]
fn find(
    b: &[u8],
    from: usize,
    end: usize,
    hits: impl Fn(u64) -> u64,
    hit: impl Fn(u8) -> bool,
) -> usize {
    let mut i = from;
    while i + 8 <= end {
        let Some(w) = word(b, i) else {
            break;
        };
        let h = hits(w);
        if h != 0 {
            return i + (h.trailing_zeros() / 8) as usize;
        }
        i += 8;
    }
    while i < end && !hit(b[i]) {
        i += 1;
    }
    i
}

/// A `-` sequence entry indicator at `p` (followed by a space or the end of the line).
fn is_dash(b: &[u8], p: usize, end: usize) -> bool {
    b[p] == b'-' && (p + 1 == end || b[p + 1] == b' ')
}

impl<'a> Scanner<'a> {
    fn run(&mut self) -> Scan<()> {
        self.toks.push(Tok::StreamStart);
        let len = self.b.len();
        while self.pos < len {
            let start = self.pos;
            let p = spaces(self.b, start, len);
            match self.b.get(p) {
                None => break,
                Some(b'\n') => {
                    self.pos = p + 1;
                    continue;
                }
                Some(b'#') => {
                    // Comment lines are long: a vector search.
                    self.pos = memchr::memchr(b'\n', &self.b[p..]).map_or(len, |k| p + k + 1);
                    continue;
                }
                _ => {}
            }
            let end = end_of_line(self.b, p);
            self.pos = if end < len { end + 1 } else { len };
            match self.b[p] {
                b'\t' => return Err(Declined("tab in indentation")),
                b'-' | b'.' | b'%' if p == start => {
                    if self.b[start..end].starts_with(b"---") {
                        self.document_start(start + 3, end)?;
                        continue;
                    }
                    if self.b[p] != b'-' {
                        return Err(Declined("directive or document end"));
                    }
                }
                _ => {}
            }
            if !self.started {
                self.toks.push(Tok::DocumentStart { explicit: false });
                self.started = true;
            }
            self.line(p - start, p, end)?;
        }
        if self.started {
            if self.pending {
                self.toks.push(Tok::Empty);
            }
            while !self.frames.is_empty() {
                self.pop();
            }
            self.toks.push(Tok::DocumentEnd);
        }
        self.toks.push(Tok::StreamEnd);
        Ok(())
    }

    /// A line starting `---` at column 0; `rest` is the offset after the dashes.
    fn document_start(&mut self, rest: usize, end: usize) -> Scan<()> {
        if self.started {
            return Err(Declined("second document"));
        }
        if rest < end && self.b[rest] != b' ' {
            return Err(Declined("plain scalar starting with ---"));
        }
        let q = spaces(self.b, rest, end);
        if q < end && self.b[q] != b'#' {
            return Err(Declined("content on the --- line"));
        }
        self.toks.push(Tok::DocumentStart { explicit: true });
        self.started = true;
        Ok(())
    }

    fn push(&mut self, kind: Kind, indent: usize) -> Scan<()> {
        if self.frames.len() >= MAX_DEPTH {
            return Err(Declined("deep nesting"));
        }
        self.frames.push(Frame { kind, indent });
        self.toks.push(match kind {
            Kind::Map => Tok::MappingStart(StructureStyle::Block),
            Kind::Seq | Kind::IndentlessSeq => Tok::SequenceStart(StructureStyle::Block),
        });
        Ok(())
    }

    fn pop(&mut self) {
        if let Some(frame) = self.frames.pop() {
            self.toks.push(match frame.kind {
                Kind::Map => Tok::MappingEnd,
                Kind::Seq | Kind::IndentlessSeq => Tok::SequenceEnd,
            });
        }
    }

    /// A line whose content starts at `p`, column `col`, and ends at `end`.
    fn line(&mut self, col: usize, p: usize, end: usize) -> Scan<()> {
        let dash = is_dash(self.b, p, end);
        if self.pending {
            let parent = self.frames.last().copied();
            if parent.is_none_or(|f| col > f.indent) {
                // A nested node on its own line.
                self.pending = false;
                if dash {
                    self.push(Kind::Seq, col)?;
                    return self.items(col, p, end);
                }
                if parent.is_none() && self.b[p] == b'|' {
                    return Err(Declined("scalar document"));
                }
                return match self.node(p, end, parent.map_or(0, |f| f.indent))? {
                    Some((key, value)) => {
                        self.push(Kind::Map, col)?;
                        self.toks.push(key);
                        self.value(value, end)
                    }
                    // A scalar or `{}` on its own line (`resources:\n  {}`): the lines after it
                    // are held to its parent's column as after any value (no continuation).
                    None if parent.is_some() => Ok(()),
                    // A scalar document: a plain one could go on over the next lines.
                    None => Err(Declined("scalar document")),
                };
            }
            if dash && parent.is_some_and(|f| f.kind == Kind::Map && f.indent == col) {
                self.pending = false;
                self.push(Kind::IndentlessSeq, col)?;
                return self.items(col, p, end);
            }
            self.toks.push(Tok::Empty);
            self.pending = false;
        }
        let top = loop {
            match self.frames.last() {
                None => return Err(Declined("content after the root node")),
                Some(f) if f.indent > col => self.pop(),
                Some(f) => break *f,
            }
        };
        if top.indent < col {
            return Err(Declined("continuation line"));
        }
        match top.kind {
            Kind::Seq | Kind::IndentlessSeq if dash => self.items(col, p, end),
            Kind::Seq => Err(Declined("not an entry of the sequence")),
            Kind::Map if dash => Err(Declined("sequence entry in a mapping")),
            Kind::IndentlessSeq | Kind::Map => {
                if top.kind == Kind::IndentlessSeq {
                    // Its mapping goes on, at the same column.
                    self.pop();
                }
                match self.node(p, end, col)? {
                    Some((key, value)) => {
                        self.toks.push(key);
                        self.value(value, end)
                    }
                    None => Err(Declined("scalar where a key belongs")),
                }
            }
        }
    }

    /// Entries from the `-` at `p` (column `col`), the top frame being their sequence:
    /// `- - x` nests sequences on one line, `- k: v` starts a compact mapping.
    fn items(&mut self, mut col: usize, mut p: usize, end: usize) -> Scan<()> {
        loop {
            let q = spaces(self.b, p + 1, end);
            if q == end || self.b[q] == b'#' {
                self.pending = true;
                return Ok(());
            }
            let inner = col + (q - p);
            if is_dash(self.b, q, end) {
                self.push(Kind::Seq, inner)?;
                col = inner;
                p = q;
                continue;
            }
            return match self.node(q, end, col)? {
                Some((key, value)) => {
                    self.push(Kind::Map, inner)?;
                    self.toks.push(key);
                    self.value(value, end)
                }
                None => Ok(()),
            };
        }
    }

    /// The value after a key's `:` at `v - 1`.
    fn value(&mut self, v: usize, end: usize) -> Scan<()> {
        // Usually one space, then the value.
        let q = if v + 1 < end && self.b[v] == b' ' && self.b[v + 1] != b' ' {
            v + 1
        } else {
            spaces(self.b, v, end)
        };
        if q == end || self.b[q] == b'#' {
            self.pending = true;
            return Ok(());
        }
        let parent = self.frames.last().map_or(0, |f| f.indent);
        match self.node(q, end, parent)? {
            Some(_) => Err(Declined("mapping on a key's line")),
            None => Ok(()),
        }
    }

    /// The node starting at `q` on its line: a key of a block mapping (returned with the offset
    /// of its value, not emitted), or a complete scalar or empty flow collection (emitted).
    /// `parent` is the column of the collection holding it (for block scalars).
    fn node(&mut self, q: usize, end: usize, parent: usize) -> Scan<Option<(Tok, usize)>> {
        let b = self.b;
        match b[q] {
            b'"' | b'\'' => {
                let (tok, close) = self.quoted(q, end)?;
                match self.after(close, end)? {
                    After::End => {
                        self.toks.push(tok);
                        Ok(None)
                    }
                    After::Colon(value) => {
                        if value - q > MAX_KEY_BYTES {
                            return Err(Declined("long key"));
                        }
                        Ok(Some((tok, value)))
                    }
                }
            }
            b'|' | b'>' => {
                self.block_scalar(q, end, parent)?;
                Ok(None)
            }
            b'[' => {
                let close = self.flow_sequence(q, end)?;
                match self.after(close, end)? {
                    After::End => Ok(None),
                    After::Colon(_) => Err(Declined("flow collection key")),
                }
            }
            b'{' => {
                if q + 1 >= end || b[q + 1] != b'}' {
                    return Err(Declined("flow mapping"));
                }
                match self.after(q + 2, end)? {
                    After::End => {}
                    After::Colon(_) => return Err(Declined("flow collection key")),
                }
                self.toks.push(Tok::MappingStart(StructureStyle::Flow));
                self.toks.push(Tok::MappingEnd);
                Ok(None)
            }
            b'-' | b':' if q + 1 < end && b[q + 1] != b' ' && b[q + 1] != b'\t' => {
                self.plain(q, end, b[q] == b':')
            }
            b'-' | b':' | b'?' | b',' | b']' | b'}' | b'#' | b'&' | b'*' | b'!' | b'%' | b'@'
            | b'`' | b'\t' | b' ' => Err(Declined("indicator")),
            _ => self.plain(q, end, false),
        }
    }

    /// The flow sequence at `q` (`[`), on one line, of quoted scalars and plain words
    /// (`["ALL"]`, `[ "a", 'b' ]`, `[v1, v2]`); returns the offset after its `]`.
    fn flow_sequence(&mut self, q: usize, end: usize) -> Scan<usize> {
        let b = self.b;
        self.toks.push(Tok::SequenceStart(StructureStyle::Flow));
        let mut i = spaces(b, q + 1, end);
        if i < end && b[i] == b']' {
            self.toks.push(Tok::SequenceEnd);
            return Ok(i + 1);
        }
        loop {
            match b.get(i).filter(|_| i < end) {
                Some(b'"' | b'\'') => {
                    let (tok, r) = self.quoted(i, end)?;
                    self.toks.push(tok);
                    i = r;
                }
                Some(c) if c.is_ascii_alphanumeric() => {
                    let mut j = i + 1;
                    while j < end
                        && (b[j].is_ascii_alphanumeric()
                            || matches!(b[j], b'.' | b'_' | b'/' | b'-'))
                    {
                        j += 1;
                    }
                    self.toks.push(Tok::slice(i, j, ScalarStyle::Plain));
                    i = j;
                }
                _ => return Err(Declined("flow sequence item")),
            }
            i = spaces(b, i, end);
            match b.get(i).filter(|_| i < end) {
                Some(b',') => i = spaces(b, i + 1, end),
                Some(b']') => {
                    self.toks.push(Tok::SequenceEnd);
                    return Ok(i + 1);
                }
                _ => return Err(Declined("flow sequence")),
            }
        }
    }

    /// A plain scalar starting at `q`: a key (returned) or a value (emitted).
    #[inline(always)]
    fn plain(&mut self, q: usize, end: usize, colon_start: bool) -> Scan<Option<(Tok, usize)>> {
        match plain_end(self.b, q, end)? {
            Plain::Key {
                end: key_end,
                colon,
            } => {
                if colon_start {
                    return Err(Declined("key starting with :"));
                }
                if colon - q > MAX_KEY_BYTES {
                    return Err(Declined("long key"));
                }
                Ok(Some((
                    Tok::slice(q, key_end, ScalarStyle::Plain),
                    colon + 1,
                )))
            }
            Plain::Scalar { end: value_end } => {
                self.toks.push(Tok::slice(q, value_end, ScalarStyle::Plain));
                Ok(None)
            }
        }
    }

    /// What follows a quoted scalar or `[]`/`{}` ending at `r`.
    fn after(&self, r: usize, end: usize) -> Scan<After> {
        let s = spaces(self.b, r, end);
        if s == end {
            return Ok(After::End);
        }
        match self.b[s] {
            b'#' if s > r => Ok(After::End),
            b':' if s + 1 == end || self.b[s + 1] == b' ' => Ok(After::Colon(s + 1)),
            _ => Err(Declined("content after a quoted scalar")),
        }
    }
}

/// Where the plain scalar at `q` ends: at `: ` or a final `:` (a key), or at ` #` or the end
/// of the line (a value). Tabs decline (separators and content alike).
#[inline(always)]
fn plain_end(b: &[u8], q: usize, end: usize) -> Scan<Plain> {
    let trim = |mut e: usize| {
        while e > q && b[e - 1] == b' ' {
            e -= 1;
        }
        e
    };
    let mut i = q;
    loop {
        i = plain_stop(b, i, end);
        if i == end {
            return Ok(Plain::Scalar { end: trim(end) });
        }
        match b[i] {
            b':' if i + 1 == end || b[i + 1] == b' ' => {
                return Ok(Plain::Key {
                    end: trim(i),
                    colon: i,
                });
            }
            b'#' if i > q && b[i - 1] == b' ' => return Ok(Plain::Scalar { end: trim(i) }),
            b'\t' => return Err(Declined("tab in a plain scalar")),
            _ => i += 1,
        }
    }
}

impl Scanner<'_> {
    /// The one-line quoted scalar at `q` (`'` or `"`); returns it and the offset after its
    /// closing quote.
    fn quoted(&mut self, q: usize, end: usize) -> Scan<(Tok, usize)> {
        let (b, text) = (self.b, self.text);
        let single = b[q] == b'\'';
        let style = if single {
            ScalarStyle::SingleQuoted
        } else {
            ScalarStyle::DoubleQuoted
        };
        let mut owned: Option<String> = None;
        let mut seg = q + 1;
        let mut i = q + 1;
        loop {
            let found = if single {
                memchr::memchr(b'\'', &b[i..end])
            } else {
                memchr::memchr2(b'"', b'\\', &b[i..end])
            };
            let Some(j) = found.map(|k| i + k) else {
                return Err(Declined("multi-line quoted scalar"));
            };
            if single && j + 1 < end && b[j + 1] == b'\'' {
                // `''` is one quote.
                owned
                    .get_or_insert_with(String::new)
                    .push_str(&text[seg..=j]);
                i = j + 2;
                seg = i;
                continue;
            }
            if b[j] == b'\\' {
                let out = owned.get_or_insert_with(String::new);
                out.push_str(&text[seg..j]);
                let (c, next) = escape(b, j, end)?;
                out.push(c);
                i = next;
                seg = i;
                continue;
            }
            // The closing quote.
            let tok = match owned {
                None => Tok::slice(q + 1, j, style),
                Some(mut out) => {
                    out.push_str(&text[seg..j]);
                    self.owned.push(out);
                    Tok::Owned(style)
                }
            };
            return Ok((tok, j + 1));
        }
    }

    /// The literal (`|`) or folded (`>`) block scalar whose header is at `q` on the line ending
    /// at `end`, in a collection at column `parent`; reads its lines and leaves `pos` at the
    /// first line after it. Mirrors granit's `scan_block_scalar` (auto-detected indentation,
    /// chomping, the line break it supplies at the end of the input).
    fn block_scalar(&mut self, q: usize, end: usize, parent: usize) -> Scan<()> {
        let b = self.b;
        let len = b.len();
        // A folded scalar (`>`) is read only in its plain form: content lines at the block's
        // indentation, none more indented, no white space before a break that folds, no empty
        // lines before or between them. Its line breaks then fold into single spaces; the rest
        // declines.
        let folded = b[q] == b'>';
        let style = if folded {
            ScalarStyle::Folded
        } else {
            ScalarStyle::Literal
        };
        let mut h = q + 1;
        let chomp = match b.get(h) {
            Some(b'-') if h < end => Chomp::Strip,
            Some(b'+') if h < end => Chomp::Keep,
            _ => Chomp::Clip,
        };
        if chomp != Chomp::Clip {
            h += 1;
        }
        if h < end && b[h].is_ascii_digit() {
            return Err(Declined("block scalar indentation indicator"));
        }
        if let After::Colon(_) = self.after(h, end)? {
            return Err(Declined("block scalar header"));
        }
        let emit = |s: &mut Self, text: String| {
            s.owned.push(text);
            s.toks.push(Tok::Owned(style));
        };
        if end == len {
            // No line break after the header: empty, whatever the chomping.
            emit(self, String::new());
            return Ok(());
        }
        // Leading empty lines, and the indentation: that of the first content line, at least
        // one more than the parent's, at least that of every leading empty line.
        let mut pos = end + 1;
        let mut breaks = 0usize;
        let mut max_spaces = 0usize;
        // Without content, the scalar ends before `next`; `supplied`: granit supplies a line
        // break for spaces at the end of the input.
        let first = loop {
            if pos == len {
                break Err((len, false));
            }
            let le = end_of_line(b, pos);
            let s = spaces(b, pos, le) - pos;
            max_spaces = max_spaces.max(s);
            if pos + s == le {
                if le == len {
                    break Err((len, s > 0));
                }
                breaks += 1;
                pos = le + 1;
                continue;
            }
            if b[pos + s] == b'\t' {
                return Err(Declined("tab at the start of a block scalar line"));
            }
            let indent = max_spaces.max(parent + 1);
            if s < indent {
                if s > parent {
                    return Err(Declined("under-indented block scalar"));
                }
                break Err((pos, false));
            }
            break Ok((indent, le));
        };
        let (indent, mut line_end) = match first {
            Ok(found) => found,
            Err((next, supplied)) => {
                let text = match chomp {
                    Chomp::Keep if supplied && breaks == 0 => "\n".to_string(),
                    Chomp::Keep => "\n".repeat(breaks),
                    _ => String::new(),
                };
                self.pos = next;
                emit(self, text);
                return Ok(());
            }
        };
        // Content lines (`pos` is one), with the empty lines between them.
        let mut out = String::with_capacity(line_end - pos);
        let mut trailing = breaks;
        let mut leading_break = false;
        let mut eof_in_line = false;
        'content: loop {
            let line = &self.text[pos + indent..line_end];
            if folded {
                if trailing > 0 {
                    return Err(Declined("empty line in a folded scalar"));
                }
                if line.starts_with([' ', '\t']) {
                    return Err(Declined("more-indented line in a folded scalar"));
                }
                if leading_break {
                    // Only a break between two lines folds; white space next to it declines.
                    if out.ends_with([' ', '\t']) {
                        return Err(Declined("white space before a folded line break"));
                    }
                    out.push(' ');
                }
            } else {
                if leading_break {
                    out.push('\n');
                }
                for _ in 0..trailing {
                    out.push('\n');
                }
            }
            trailing = 0;
            out.push_str(line);
            if line_end == len {
                eof_in_line = true;
                leading_break = false;
                self.pos = len;
                break;
            }
            leading_break = true;
            pos = line_end + 1;
            loop {
                if pos == len {
                    self.pos = len;
                    break 'content;
                }
                let le = end_of_line(b, pos);
                let s = spaces(b, pos, le) - pos;
                if s >= indent && le > pos + indent {
                    line_end = le;
                    continue 'content;
                }
                if pos + s == le {
                    if le == len {
                        self.pos = len;
                        break 'content;
                    }
                    trailing += 1;
                    pos = le + 1;
                    continue;
                }
                // Less indented: the scalar ends before this line.
                self.pos = pos;
                break 'content;
            }
        }
        if chomp != Chomp::Strip && (eof_in_line || leading_break) {
            out.push('\n');
        }
        if chomp == Chomp::Keep {
            for _ in 0..trailing {
                out.push('\n');
            }
        }
        emit(self, out);
        Ok(())
    }
}

/// The escape sequence at `j` (a `\` in a double-quoted scalar on the line ending at `end`):
/// the character and the offset after it.
fn escape(b: &[u8], j: usize, end: usize) -> Scan<(char, usize)> {
    if j + 1 >= end {
        return Err(Declined("escaped line break"));
    }
    let c = match b[j + 1] {
        b'0' => '\0',
        b'a' => '\x07',
        b'b' => '\x08',
        b't' | b'\t' => '\t',
        b'n' => '\n',
        b'v' => '\x0b',
        b'f' => '\x0c',
        b'r' => '\r',
        b'e' => '\x1b',
        b' ' => ' ',
        b'"' => '"',
        b'/' => '/',
        b'\\' => '\\',
        b'N' => '\u{85}',
        b'_' => '\u{a0}',
        b'L' => '\u{2028}',
        b'P' => '\u{2029}',
        b'x' | b'u' | b'U' => {
            let digits = match b[j + 1] {
                b'x' => 2,
                b'u' => 4,
                _ => 8,
            };
            let start = j + 2;
            if start + digits > end {
                return Err(Declined("short hex escape"));
            }
            let mut value = 0u32;
            for &d in &b[start..start + digits] {
                let v = (d as char).to_digit(16).ok_or(Declined("bad hex escape"))?;
                value = (value << 4) | v;
            }
            if (0xD800..=0xDFFF).contains(&value) {
                return Err(Declined("surrogate escape"));
            }
            let c = char::from_u32(value).ok_or(Declined("bad unicode escape"))?;
            return Ok((c, start + digits));
        }
        _ => return Err(Declined("unknown escape")),
    };
    Ok((c, j + 2))
}
