//! The fast YAML reader: builds [`crate::Value`]s straight from granit-parser's events (the
//! parser under serde-saphyr, or the same events from the block fast path, [`super::block`]),
//! skipping serde-saphyr's serde layer.
//!
//! Owns: giving, for every input it accepts, exactly the documents serde-saphyr 2.1.1 gives
//! with the options of `crate::yaml` (same value types, map order, merge keys, aliases,
//! duplicate keys last-wins with serde-saphyr's ordering rules, integer-key identities), and
//! bailing out ([`Fallback`]) whenever it cannot be sure: other options, parse errors, budgets
//! near their limits, tags other than `!!str !!int !!float !!bool !!null !!binary` on scalars,
//! tags on collections, non-scalar, null or tagged non-string keys, scalars serde-saphyr
//! rejects, recursive aliases, merging maps that have duplicate or integer keys, merge keys
//! and integer keys in one map, nested sequences as merge values. The caller then runs
//! serde-saphyr, which gives the answer (value or error, with its message and position). It
//! must not produce errors itself, and must not recurse per nesting level (hostile nesting is
//! bounded by the depth budget before it can matter).

use super::block;
use super::scalars::{self, TagKind};
use crate::{Map, Value};
use serde_saphyr::granit_parser::{Event, Options as ParserOptions, Parser, ScalarStyle, StrInput};
use serde_saphyr::options::{
    AliasLimits, DuplicateKeyPolicy, MergeKeyPolicy, NonFiniteFloatPolicy,
};
use serde_saphyr::{Budget, Options, RequireIndent};
use std::borrow::Cow;
use std::collections::HashSet;

/// Why the fast reader gave up; the caller falls back to serde-saphyr.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) struct Fallback(pub &'static str);

type Fast<T> = Result<T, Fallback>;

/// The limits serde-saphyr enforces, taken from the same `Budget` and `AliasLimits`.
struct Limits {
    events: u64,
    nodes: u64,
    depth: u64,
    documents: u64,
    anchors: u64,
    aliases: u64,
    recorded_anchor_events: u64,
    recorded_anchor_bytes: u64,
    scalar_bytes: u64,
    merge_keys: u64,
    replayed_per_document: u64,
}

/// A counter is "near" its limit when it passes 7/8 of it: the fast reader then leaves the
/// decision to serde-saphyr. Its counters equal or bound serde-saphyr's, so any input
/// serde-saphyr rejects for a budget is handed back.
fn near(count: u64, limit: u64) -> bool {
    count > limit - limit / 8
}

impl Limits {
    fn new(b: &Budget, a: &AliasLimits) -> Self {
        let n = |v: usize| v as u64;
        Limits {
            events: n(b.max_events),
            nodes: n(b.max_nodes),
            depth: n(b.max_depth),
            documents: n(b.max_documents),
            anchors: n(b.max_anchors),
            aliases: n(b.max_aliases),
            recorded_anchor_events: n(b.max_recorded_anchor_events),
            recorded_anchor_bytes: n(b.max_recorded_anchor_bytes),
            scalar_bytes: n(b.max_total_scalar_bytes),
            merge_keys: n(b.max_merge_keys),
            replayed_per_document: n(a.max_total_replayed_events),
        }
    }
}

/// Parser options as serde-saphyr derives them from a budget (`Budget::parser_options`).
pub(super) fn parser_options(b: &Budget) -> ParserOptions {
    let mut o = ParserOptions::default();
    o.simple_key_max_lookahead = b.simple_key_max_lookahead;
    o.flow_nesting_limit = b.flow_nesting_limit;
    o.block_nesting_limit = o.block_nesting_limit.max(b.max_depth.saturating_add(1));
    o.emit_comments = false;
    o.strict_indentation = false;
    o
}

/// Running totals, including alias replays (as serde-saphyr's budget counts them).
#[derive(Clone, Copy, Default)]
struct Counters {
    events: u64,
    nodes: u64,
    /// Scalar text plus tag text: bounds both the scalar-bytes budget and recorded bytes.
    bytes: u64,
    /// Plain `<<` scalars anywhere (bounds the merge-key budget).
    merge_like: u64,
}

impl Counters {
    fn add(&mut self, o: &Counters) {
        self.events += o.events;
        self.nodes += o.nodes;
        self.bytes += o.bytes;
        self.merge_like += o.merge_like;
    }

    fn since(&self, start: &Counters) -> Counters {
        Counters {
            events: self.events - start.events,
            nodes: self.nodes - start.nodes,
            bytes: self.bytes - start.bytes,
            merge_like: self.merge_like - start.merge_like,
        }
    }
}

/// What a node can contribute when it is the value of a `<<` merge key.
#[derive(Clone, Copy, PartialEq, Eq)]
enum MergeUse {
    /// A map whose entries, in order, are exactly serde-saphyr's merge entries for it.
    Map,
    /// A sequence of such maps and nulls.
    SeqOfMaps,
    /// Anything else: merging it makes the fast reader fall back.
    No,
}

/// A recorded anchor: its node and what replaying it costs.
struct Anchor<'a> {
    node: AnchorNode<'a>,
    cost: Counters,
    /// Container nesting inside the node (0 for a scalar).
    height: u64,
}

enum AnchorNode<'a> {
    Scalar {
        text: Cow<'a, str>,
        style: ScalarStyle,
        tag: TagKind,
    },
    Container {
        value: Value,
        merge: MergeUse,
    },
}

/// A node handed to its parent.
enum Node<'a> {
    Scalar {
        text: Cow<'a, str>,
        style: ScalarStyle,
        tag: TagKind,
    },
    Container {
        value: Value,
        merge: MergeUse,
        height: u64,
    },
}

/// Key identity as serde-saphyr fingerprints keys (only the two kinds handled here).
#[derive(Clone, PartialEq, Eq, Hash)]
enum Fingerprint<'k> {
    Str(&'k str),
    Int(bool, u128),
}

/// A mapping key waiting for its value.
enum Key {
    /// Any scalar key whose identity is its text.
    Str(String),
    /// A plain key that reads as an integer: its identity is the number.
    Int(String),
    /// A plain `<<`.
    Merge,
}

/// What only some mappings need: integer keys, merge entries.
#[derive(Default)]
struct MapExtra {
    /// Scratch index of the first integer-keyed entry: from there on, serde-saphyr collects
    /// the entries and keeps the last of each identity (in the position of the last) before
    /// handing them to serde.
    collect_from: Option<usize>,
    /// Scratch indexes of the integer-keyed entries.
    int_entries: Vec<usize>,
    /// Merge entries, in order; each is added at the end unless its key was already seen.
    merges: Vec<(String, Value)>,
    had_merge: bool,
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Kind {
    Seq,
    Map,
}

/// An open collection. Its children wait on the reader's scratch stacks from `base` on, so
/// that each finished collection is allocated once at its exact size.
struct Open {
    kind: Kind,
    base: usize,
    anchor: usize,
    start: Counters,
    /// Height of the tallest child container.
    child_height: u64,
    /// Sequences: every item so far is a null or a mergeable map.
    merge_ok: bool,
    key: Option<Key>,
    extra: Option<Box<MapExtra>>,
}

struct Reader<'a> {
    limits: Limits,
    stack: Vec<Open>,
    items: Vec<Value>,
    entries: Vec<(String, Value)>,
    docs: Vec<Value>,
    anchors: Vec<Option<Anchor<'a>>>,
    anchors_in_doc: Vec<usize>,
    c: Counters,
    documents: u64,
    anchors_defined: u64,
    aliases: u64,
    recorded_events: u64,
    recorded_bytes: u64,
    max_depth: u64,
    replayed_in_doc: u64,
}

/// The budget, when `options` are those the fast reader mirrors (`crate::yaml`'s): LastWins
/// duplicates, merge keys, legacy octal, YAML 1.1 booleans, non-finite floats as strings, no
/// schema-less, strict-tag, indentation or alias-ratio checks.
fn supported(o: &Options) -> Option<&Budget> {
    #[allow(deprecated)]
    let non_finite_as_string = match o.non_finite_float_policy {
        NonFiniteFloatPolicy::AsString => true,
        NonFiniteFloatPolicy::Default => !o.reject_non_finite_typeless_float,
        _ => false,
    };
    let budget = o.budget.as_ref()?;
    let ok = matches!(o.duplicate_keys, DuplicateKeyPolicy::LastWins)
        && matches!(o.merge_keys, MergeKeyPolicy::Merge)
        && o.legacy_octal_numbers
        && !o.leading_zero_numbers_as_strings
        && !o.underscored_numbers_as_strings
        && !o.strict_booleans
        && !o.ignore_binary_tag_for_string
        && !o.angle_conversions
        && !o.no_schema
        && !o.reject_unsupported_tags
        && !o.strict_indentation
        && o.require_indent == RequireIndent::Unchecked
        && non_finite_as_string
        && !budget.enforce_alias_anchor_ratio;
    ok.then_some(budget)
}

/// Reads every document of `text` (BOM already stripped) the way serde-saphyr would with
/// `options`, or gives up. The events come from the block fast path when it accepts the text,
/// from granit-parser otherwise. Not inlined: its cost shows in profiles under its own name.
#[inline(never)]
pub(super) fn parse(text: &str, options: &Options) -> Fast<Vec<Value>> {
    let budget = supported(options).ok_or(Fallback("options"))?;
    let mut r = Reader {
        limits: Limits::new(budget, &options.alias_limits),
        stack: Vec::with_capacity(16),
        items: Vec::with_capacity(64),
        entries: Vec::with_capacity(64),
        docs: Vec::new(),
        anchors: Vec::new(),
        anchors_in_doc: Vec::new(),
        c: Counters::default(),
        documents: 0,
        anchors_defined: 0,
        aliases: 0,
        recorded_events: 0,
        recorded_bytes: 0,
        max_depth: 0,
        replayed_in_doc: 0,
    };
    for event in events(text, budget) {
        r.event(event.map_err(|()| Fallback("parse error"))?)?;
        // Budgets are also checked at each alias and document end; this bounds the work
        // spent on one huge document that serde-saphyr will reject anyway.
        if r.c.events.is_multiple_of(4096) {
            r.check()?;
        }
    }
    if !r.stack.is_empty() {
        return Err(Fallback("unbalanced stream"));
    }
    r.check()?;
    Ok(r.docs)
}

/// The events of a text (BOM already stripped) for both readers: the block fast path's when it
/// accepts the text, granit-parser's with [`parser_options`] otherwise (`Err(())` at its parse
/// error, which the readers answer by declining).
pub(super) enum Events<'a> {
    Block(block::Events<'a>),
    Granit(Box<Parser<'a, StrInput<'a>>>),
}

/// [`Events`] of `text`.
pub(super) fn events<'a>(text: &'a str, budget: &Budget) -> Events<'a> {
    match block::events(text) {
        Some(events) => Events::Block(events),
        None => Events::Granit(Box::new(Parser::new_from_str_with_options(
            text,
            parser_options(budget),
        ))),
    }
}

impl<'a> Iterator for Events<'a> {
    type Item = Result<Event<'a>, ()>;

    fn next(&mut self) -> Option<Self::Item> {
        match self {
            Events::Block(events) => events.next().map(Ok),
            Events::Granit(parser) => parser
                .next_event()
                .map(|item| item.map(|(event, _span)| event).map_err(|_| ())),
        }
    }
}

fn tag_bytes(tag: Option<&serde_saphyr::granit_parser::Tag>) -> u64 {
    tag.map_or(0, |t| (t.handle().len() + t.suffix().len() + 1) as u64)
}

impl<'a> Reader<'a> {
    fn event(&mut self, event: Event<'a>) -> Fast<()> {
        match event {
            Event::Scalar(text, style, anchor, tag) => {
                let bytes = text.len() as u64 + tag_bytes(tag.as_deref());
                self.c.events += 1;
                self.c.nodes += 1;
                self.c.bytes += bytes;
                let tag =
                    scalars::tag_kind(tag.as_deref()).ok_or(Fallback("unsupported scalar tag"))?;
                if style == ScalarStyle::Plain && tag == TagKind::None && text == "<<" {
                    self.c.merge_like += 1;
                }
                if anchor != 0 {
                    let cost = Counters {
                        events: 1,
                        nodes: 1,
                        bytes,
                        merge_like: u64::from(text == "<<"),
                    };
                    self.define(
                        anchor,
                        Anchor {
                            node: AnchorNode::Scalar {
                                text: text.clone(),
                                style,
                                tag,
                            },
                            cost,
                            height: 0,
                        },
                    )?;
                }
                self.deliver(Node::Scalar { text, style, tag })
            }
            // Tags on collections (`!!map`, `!!seq`, application tags) are left to serde-saphyr.
            Event::SequenceStart(_, _, Some(_)) | Event::MappingStart(_, _, Some(_)) => {
                Err(Fallback("tagged collection"))
            }
            Event::SequenceStart(_, anchor, _) => self.open(Kind::Seq, anchor),
            Event::MappingStart(_, anchor, _) => self.open(Kind::Map, anchor),
            Event::SequenceEnd | Event::MappingEnd => {
                self.c.events += 1;
                self.close()
            }
            Event::Alias(id) => self.alias(id),
            Event::DocumentStart(..) => {
                self.c.events += 1;
                self.documents += 1;
                self.reset_document();
                Ok(())
            }
            Event::DocumentEnd => {
                self.c.events += 1;
                self.reset_document();
                self.check()
            }
            Event::StreamStart | Event::StreamEnd => {
                self.c.events += 1;
                Ok(())
            }
            _ => Err(Fallback("unsupported event")),
        }
    }

    /// Anchors, alias counters and replay totals are per document in serde-saphyr.
    fn reset_document(&mut self) {
        for id in self.anchors_in_doc.drain(..) {
            if let Some(slot) = self.anchors.get_mut(id) {
                *slot = None;
            }
        }
        self.replayed_in_doc = 0;
    }

    fn check(&self) -> Fast<()> {
        let l = &self.limits;
        let over = near(self.c.events, l.events)
            || near(self.c.nodes, l.nodes)
            || near(self.c.bytes, l.scalar_bytes)
            || near(self.c.merge_like, l.merge_keys)
            || near(self.max_depth, l.depth)
            || near(self.documents, l.documents)
            || near(self.anchors_defined, l.anchors)
            || near(self.aliases, l.aliases)
            || near(self.recorded_events, l.recorded_anchor_events)
            || near(self.recorded_bytes, l.recorded_anchor_bytes)
            || near(self.replayed_in_doc, l.replayed_per_document);
        if over {
            Err(Fallback("budget near its limit"))
        } else {
            Ok(())
        }
    }

    fn define(&mut self, id: usize, anchor: Anchor<'a>) -> Fast<()> {
        self.anchors_defined += 1;
        self.recorded_events += anchor.cost.events;
        self.recorded_bytes += anchor.cost.bytes;
        if id >= self.anchors.len() {
            self.anchors.resize_with(id + 1, || None);
        }
        self.anchors[id] = Some(anchor);
        self.anchors_in_doc.push(id);
        Ok(())
    }

    fn open(&mut self, kind: Kind, anchor: usize) -> Fast<()> {
        self.c.events += 1;
        self.c.nodes += 1;
        let base = match kind {
            Kind::Seq => self.items.len(),
            Kind::Map => self.entries.len(),
        };
        self.stack.push(Open {
            kind,
            base,
            anchor,
            start: self.c,
            child_height: 0,
            merge_ok: true,
            key: None,
            extra: None,
        });
        let depth = self.stack.len() as u64;
        if depth > self.max_depth {
            self.max_depth = depth;
            if near(depth, self.limits.depth) {
                return Err(Fallback("nesting near the depth budget"));
            }
        }
        Ok(())
    }

    fn close(&mut self) -> Fast<()> {
        let open = self.stack.pop().ok_or(Fallback("unbalanced collection"))?;
        let height = open.child_height + 1;
        let (value, merge) = match open.kind {
            Kind::Seq => (
                Value::Array(self.items.drain(open.base..).collect()),
                if open.merge_ok {
                    MergeUse::SeqOfMaps
                } else {
                    MergeUse::No
                },
            ),
            Kind::Map => {
                if open.key.is_some() {
                    return Err(Fallback("key without value"));
                }
                finish_map(&mut self.entries, open.base, open.extra)?
            }
        };
        if open.anchor != 0 {
            // Start and end events, and everything between (alias replays included), are
            // what serde-saphyr records for the anchor.
            let mut cost = self.c.since(&open.start);
            cost.events += 1;
            cost.nodes += 1;
            self.define(
                open.anchor,
                Anchor {
                    node: AnchorNode::Container {
                        value: value.clone(),
                        merge,
                    },
                    cost,
                    height,
                },
            )?;
        }
        self.deliver(Node::Container {
            value,
            merge,
            height,
        })
    }

    fn alias(&mut self, id: usize) -> Fast<()> {
        let anchor = self
            .anchors
            .get(id)
            .and_then(Option::as_ref)
            .ok_or(Fallback("unknown or recursive alias"))?;
        // The reference itself, then the replayed events.
        self.c.events += 1;
        self.aliases += 1;
        self.c.add(&anchor.cost);
        self.replayed_in_doc += anchor.cost.events;
        self.max_depth = self.max_depth.max(self.stack.len() as u64 + anchor.height);
        let node = match &anchor.node {
            AnchorNode::Scalar { text, style, tag } => Node::Scalar {
                text: text.clone(),
                style: *style,
                tag: *tag,
            },
            AnchorNode::Container { value, merge } => {
                // Check before copying: an alias bomb stops here.
                let height = anchor.height;
                let merge = *merge;
                self.check()?;
                Node::Container {
                    value: value.clone(),
                    merge,
                    height,
                }
            }
        };
        self.check()?;
        self.deliver(node)
    }

    /// Hands a finished node to the open collection, or makes it a document.
    fn deliver(&mut self, node: Node<'a>) -> Fast<()> {
        let Some(parent) = self.stack.last_mut() else {
            return self.document(node);
        };
        if let Node::Container { height, .. } = &node {
            parent.child_height = parent.child_height.max(*height);
        }
        match parent.kind {
            Kind::Seq => {
                let (value, ok) = match node {
                    Node::Scalar { text, style, tag } => {
                        let null = scalars::is_null(tag, &text, style);
                        let value = scalars::resolve(text, style, tag)
                            .ok_or(Fallback("scalar rejected"))?;
                        (value, null)
                    }
                    Node::Container { value, merge, .. } => (value, merge == MergeUse::Map),
                };
                parent.merge_ok &= ok;
                self.items.push(value);
                Ok(())
            }
            Kind::Map => match parent.key.take() {
                None => {
                    parent.key = Some(key_of(node)?);
                    Ok(())
                }
                Some(Key::Merge) => merge_into(parent.extra.get_or_insert_with(Box::default), node),
                Some(Key::Str(k)) => {
                    let value = value_of(node)?;
                    self.entries.push((k, value));
                    Ok(())
                }
                Some(Key::Int(k)) => {
                    let value = value_of(node)?;
                    let index = self.entries.len();
                    let extra = parent.extra.get_or_insert_with(Box::default);
                    extra.collect_from.get_or_insert(index);
                    extra.int_entries.push(index);
                    self.entries.push((k, value));
                    Ok(())
                }
            },
        }
    }

    fn document(&mut self, node: Node<'a>) -> Fast<()> {
        match node {
            // A null root (untagged or `!!null`) is an empty document, skipped.
            Node::Scalar { text, style, tag } => {
                if !scalars::is_null(tag, &text, style) {
                    let value =
                        scalars::resolve(text, style, tag).ok_or(Fallback("scalar rejected"))?;
                    self.docs.push(value);
                }
            }
            Node::Container { value, .. } => self.docs.push(value),
        }
        Ok(())
    }
}

fn value_of(node: Node<'_>) -> Fast<Value> {
    match node {
        Node::Scalar { text, style, tag } => {
            scalars::resolve(text, style, tag).ok_or(Fallback("scalar rejected"))
        }
        Node::Container { value, .. } => Ok(value),
    }
}

/// A mapping key as serde-saphyr hands it to `serde_json::Value` (its text), with its identity.
fn key_of(node: Node<'_>) -> Fast<Key> {
    let Node::Scalar { text, style, tag } = node else {
        return Err(Fallback("non-scalar key"));
    };
    match tag {
        TagKind::Str => Ok(Key::Str(text.into_owned())),
        TagKind::None if style != ScalarStyle::Plain => Ok(Key::Str(text.into_owned())),
        TagKind::None => {
            if scalars::is_nullish(&text, style) {
                return Err(Fallback("null key"));
            }
            if text == "<<" {
                return Ok(Key::Merge);
            }
            if int_key(&text).is_some() {
                return Ok(Key::Int(text.into_owned()));
            }
            Ok(Key::Str(text.into_owned()))
        }
        _ => Err(Fallback("tagged key")),
    }
}

/// The integer identity of a plain key, if it reads as an integer (legacy octal on).
fn int_key(text: &str) -> Option<(bool, u128)> {
    let first = *text.as_bytes().first()?;
    if !matches!(
        first,
        b'0'..=b'9' | b'+' | b'-' | b' ' | b'\t' | b'\r' | b'\n'
    ) {
        return None;
    }
    scalars::integer_fingerprint(text)
}

/// `<<: node`: null adds nothing; a map, or a sequence of maps and nulls, adds its entries.
fn merge_into(state: &mut MapExtra, node: Node<'_>) -> Fast<()> {
    state.had_merge = true;
    match node {
        Node::Scalar { text, style, tag } if scalars::is_null(tag, &text, style) => Ok(()),
        Node::Container {
            value: Value::Object(map),
            merge: MergeUse::Map,
            ..
        } => {
            state.merges.extend(map);
            Ok(())
        }
        Node::Container {
            value: Value::Array(items),
            merge: MergeUse::SeqOfMaps,
            ..
        } => {
            for item in items {
                match item {
                    Value::Object(map) => state.merges.extend(map),
                    Value::Null => {}
                    _ => return Err(Fallback("merge of a non-map")),
                }
            }
            Ok(())
        }
        _ => Err(Fallback("merge of a non-map")),
    }
}

/// Ends a mapping (its entries are `entries[base..]`): entries before the first integer key
/// go in as serde would insert them (a repeated key keeps its first place, takes the last
/// value); from the first integer key on, serde-saphyr's last-wins collection by key identity;
/// then merge entries whose keys were not seen.
fn finish_map(
    entries: &mut Vec<(String, Value)>,
    base: usize,
    extra: Option<Box<MapExtra>>,
) -> Fast<(Value, MergeUse)> {
    let mut map = Map::with_capacity(entries.len() - base);
    let mut duplicate = false;
    let Some(extra) = extra else {
        for (k, v) in entries.drain(base..) {
            duplicate |= map.insert(k, v).is_some();
        }
        let merge = if duplicate {
            MergeUse::No
        } else {
            MergeUse::Map
        };
        return Ok((Value::Object(map), merge));
    };
    let MapExtra {
        collect_from,
        int_entries,
        merges,
        had_merge,
    } = *extra;
    if let Some(from) = collect_from {
        if had_merge {
            return Err(Fallback("merge and integer keys in one map"));
        }
        let tail = entries.len() - from;
        let mut keep = vec![false; tail];
        {
            let mut seen = HashSet::with_capacity(tail);
            let mut ints = int_entries.iter().rev().peekable();
            for i in (from..entries.len()).rev() {
                let fp = if ints.peek() == Some(&&i) {
                    ints.next();
                    let (neg, mag) = int_key(&entries[i].0).ok_or(Fallback("integer key"))?;
                    Fingerprint::Int(neg, mag)
                } else {
                    Fingerprint::Str(&entries[i].0)
                };
                keep[i - from] = seen.insert(fp);
            }
        }
        let tail_entries: Vec<(String, Value)> = entries.drain(from..).collect();
        for (k, v) in entries.drain(base..) {
            map.insert(k, v);
        }
        for ((k, v), keep) in tail_entries.into_iter().zip(keep) {
            if keep {
                map.insert(k, v);
            }
        }
        return Ok((Value::Object(map), MergeUse::No));
    }
    for (k, v) in entries.drain(base..) {
        duplicate |= map.insert(k, v).is_some();
    }
    for (k, v) in merges {
        if !map.contains_key(&k) {
            map.insert(k, v);
        }
    }
    let merge = if duplicate {
        MergeUse::No
    } else {
        MergeUse::Map
    };
    Ok((Value::Object(map), merge))
}
