//! The head reader: for one rendered document, the answer [`super::head_of_text`] gives —
//! whether the text is YAML `parse_stream` accepts, and its head fields (apiVersion, kind,
//! metadata.name/namespace/annotations) — without building the document's value. Sorting a
//! render's output needs only the head, and building values (maps, strings, their frees) is
//! a good part of a full read.
//!
//! Owns: that answer for plain documents, read from the same events as the fast reader
//! ([`fast::events`]: the block fast path's or granit-parser's, with the fast reader's parser
//! options, so the same texts parse). It declines ([`Declined`]) whenever the full reader could
//! answer differently or it cannot be sure: parse errors (the full reader words them), more
//! than one document, anchors, aliases, tags, merge keys, collection or non-string keys,
//! duplicate keys where the head is read, hundreds of annotations, nesting near the depth
//! budget, inputs big enough to come near any other budget (4 MiB, against stream budgets of
//! 64 MiB of scalars and millions of nodes). The caller then parses in full. It must not produce
//! errors.

use super::fast;
use super::scalars::{self, TagKind};
use super::{Head, HeadMetadata};
use crate::Value;
use serde_saphyr::Budget;
use serde_saphyr::granit_parser::{Event, ScalarStyle};
use std::borrow::Cow;

/// Why the head reader gave up; the caller parses in full.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) struct Declined(pub &'static str);

/// Deeper than this, the full reader may be near its depth budget (256 for streams).
const MAX_DEPTH: usize = 192;
/// Larger texts may come near the event, node or byte budgets; they are read in full.
const MAX_TEXT_BYTES: usize = 4 << 20;
/// Duplicate annotations are found by a linear search; past this many keys (far more than
/// real objects carry) the full reader takes over, so hostile input cannot make it quadratic.
const MAX_ANNOTATIONS: usize = 512;

/// Where a mapping sits, as far as the head is concerned.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Place {
    /// The document's top-level mapping.
    Root,
    /// `metadata` of the root.
    Metadata,
    /// `metadata.annotations`.
    Annotations,
    /// Anywhere else: only its syntax matters.
    Other,
}

/// Which head field a value goes to.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Field {
    ApiVersion,
    Kind,
    Metadata,
    Name,
    Namespace,
    Annotations,
    /// An annotation (its key is the last of `Reader::annotation_keys`).
    Annotation,
    None,
}

enum Frame {
    Map {
        place: Place,
        /// The value of this key comes next (`None`: a key comes next).
        field: Option<Field>,
        /// Head keys seen in this mapping (bit per `Field`), to decline on duplicates.
        seen: u8,
    },
    Seq,
}

struct Reader {
    stack: Vec<Frame>,
    head: Head,
    /// Every key of `metadata.annotations` so far (the last one awaits its value).
    annotation_keys: Vec<String>,
    documents: usize,
}

/// Reads `text` (BOM already stripped, not blank) with `budget`'s parser options: the events
/// come from the block fast path when it accepts the text, from granit-parser otherwise. Not
/// inlined: its cost shows in profiles under its own name.
#[inline(never)]
pub(super) fn read(text: &str, budget: &Budget) -> Result<Head, Declined> {
    if text.len() > MAX_TEXT_BYTES {
        return Err(Declined("large input"));
    }
    let mut r = Reader {
        stack: Vec::with_capacity(16),
        head: Head::default(),
        annotation_keys: Vec::new(),
        documents: 0,
    };
    for event in fast::events(text, budget) {
        r.event(event.map_err(|()| Declined("parse error"))?)?;
    }
    if !r.stack.is_empty() {
        return Err(Declined("unbalanced stream"));
    }
    Ok(r.head)
}

impl Reader {
    fn event(&mut self, event: Event<'_>) -> Result<(), Declined> {
        match event {
            Event::StreamStart | Event::StreamEnd | Event::DocumentEnd => Ok(()),
            Event::DocumentStart(..) => {
                self.documents += 1;
                if self.documents > 1 {
                    return Err(Declined("several documents"));
                }
                Ok(())
            }
            Event::Scalar(text, style, anchor, tag) => {
                if anchor != 0 {
                    return Err(Declined("anchor"));
                }
                if scalars::tag_kind(tag.as_deref()) != Some(TagKind::None) {
                    return Err(Declined("tag"));
                }
                self.scalar(text, style)
            }
            Event::MappingStart(_, anchor, tag) | Event::SequenceStart(_, anchor, tag)
                if anchor != 0 || tag.is_some() =>
            {
                Err(Declined("anchor or tag on a collection"))
            }
            Event::MappingStart(..) => {
                let place = match self.value_field()? {
                    Some(Field::Metadata) => Place::Metadata,
                    Some(Field::Annotations) => Place::Annotations,
                    Some(_) => Place::Other,
                    None if self.stack.is_empty() => Place::Root,
                    None => Place::Other,
                };
                if place == Place::Annotations {
                    self.head_metadata().annotations = Some(indexmap::IndexMap::new());
                }
                self.push(Frame::Map {
                    place,
                    field: None,
                    seen: 0,
                })
            }
            Event::SequenceStart(..) => {
                self.value_field()?;
                self.push(Frame::Seq)
            }
            Event::MappingEnd => match self.stack.pop() {
                Some(Frame::Map { field: None, .. }) => Ok(()),
                _ => Err(Declined("unbalanced mapping")),
            },
            Event::SequenceEnd => match self.stack.pop() {
                Some(Frame::Seq) => Ok(()),
                _ => Err(Declined("unbalanced sequence")),
            },
            _ => Err(Declined("unsupported event")),
        }
    }

    fn push(&mut self, frame: Frame) -> Result<(), Declined> {
        if self.stack.len() >= MAX_DEPTH {
            return Err(Declined("deep nesting"));
        }
        self.stack.push(frame);
        Ok(())
    }

    fn head_metadata(&mut self) -> &mut HeadMetadata {
        self.head.metadata.get_or_insert_with(HeadMetadata::default)
    }

    /// A node in value position starts: which head field it fills (`Some(Field::None)` when
    /// none; `None` at the top or in a sequence). A collection in key position declines.
    fn value_field(&mut self) -> Result<Option<Field>, Declined> {
        match self.stack.last_mut() {
            Some(Frame::Map { field, .. }) => match field.take() {
                Some(f) => {
                    if f == Field::Metadata {
                        // Any value (a scalar too) makes the head's metadata present.
                        self.head_metadata();
                    }
                    Ok(Some(f))
                }
                None => Err(Declined("collection key")),
            },
            _ => Ok(None),
        }
    }

    fn scalar(&mut self, text: Cow<'_, str>, style: ScalarStyle) -> Result<(), Declined> {
        let Some(Frame::Map { place, field, seen }) = self.stack.last_mut() else {
            // A scalar document, or an item of a sequence: no head there.
            return Ok(());
        };
        let place = *place;
        match field.take() {
            None => {
                // A key: only strings, as the full reader keys maps by their text.
                if style == ScalarStyle::Plain && text == "<<" {
                    return Err(Declined("merge key"));
                }
                if !scalars::is_string(&text, style) {
                    return Err(Declined("non-string key"));
                }
                let f = match (place, &*text) {
                    (Place::Root, "apiVersion") => Field::ApiVersion,
                    (Place::Root, "kind") => Field::Kind,
                    (Place::Root, "metadata") => Field::Metadata,
                    (Place::Metadata, "name") => Field::Name,
                    (Place::Metadata, "namespace") => Field::Namespace,
                    (Place::Metadata, "annotations") => Field::Annotations,
                    (Place::Annotations, _) => Field::Annotation,
                    _ => Field::None,
                };
                match f {
                    Field::None => {}
                    Field::Annotation => {
                        if self.annotation_keys.len() >= MAX_ANNOTATIONS {
                            return Err(Declined("many annotations"));
                        }
                        if self.annotation_keys.iter().any(|k| *k == text) {
                            return Err(Declined("duplicate annotation"));
                        }
                        self.annotation_keys.push(text.into_owned());
                    }
                    _ => {
                        let bit = 1u8 << (f as u8);
                        if *seen & bit != 0 {
                            return Err(Declined("duplicate head key"));
                        }
                        *seen |= bit;
                    }
                }
                *field = Some(f);
                Ok(())
            }
            Some(f) => {
                match f {
                    Field::ApiVersion => self.head.api_version = string_of(text, style),
                    Field::Kind => self.head.kind = string_of(text, style),
                    Field::Metadata => {
                        self.head_metadata();
                    }
                    Field::Name => self.head_metadata().name = string_of(text, style),
                    Field::Namespace => self.head_metadata().namespace = string_of(text, style),
                    Field::Annotation => {
                        // Only string values are kept, as `head_of` does.
                        if let Some(v) = string_of(text, style) {
                            let key = self.annotation_keys.last().cloned().unwrap_or_default();
                            self.head_metadata()
                                .annotations
                                .get_or_insert_with(indexmap::IndexMap::new)
                                .insert(key, v);
                        }
                    }
                    // `annotations: <scalar>` reads as absent; other values are only syntax.
                    Field::Annotations | Field::None => {}
                }
                Ok(())
            }
        }
    }
}

/// The string a scalar reads as (untagged), or `None` for null, booleans and numbers.
fn string_of(text: Cow<'_, str>, style: ScalarStyle) -> Option<String> {
    match scalars::resolve(text, style, TagKind::None)? {
        Value::String(s) => Some(s),
        _ => None,
    }
}
