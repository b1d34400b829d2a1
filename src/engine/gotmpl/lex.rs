//! Lexer for Go `text/template`: turns template text into items (text, delimiters, words,
//! literals), with `{{-`/`-}}` trimming and `{{/* */}}` comments handled here, as Go does.
//! It never fails: a lexical error is an `Error` item that the parser reports.
//! Hand-written because no maintained crate lexes Go templates with Go's exact rules.

/// Kinds of lexical items (Go's `itemType`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum ItemKind {
    Error,
    Bool,
    Char,
    CharConstant,
    Complex,
    Assign,
    Declare,
    Eof,
    Field,
    Identifier,
    LeftDelim,
    LeftParen,
    Number,
    Pipe,
    RawString,
    RightDelim,
    RightParen,
    Space,
    String,
    Text,
    Variable,
    // Keywords.
    Block,
    Break,
    Continue,
    Dot,
    Define,
    Else,
    End,
    If,
    Nil,
    Range,
    Template,
    With,
}

impl ItemKind {
    fn is_keyword(self) -> bool {
        matches!(
            self,
            ItemKind::Block
                | ItemKind::Break
                | ItemKind::Continue
                | ItemKind::Dot
                | ItemKind::Define
                | ItemKind::Else
                | ItemKind::End
                | ItemKind::If
                | ItemKind::Nil
                | ItemKind::Range
                | ItemKind::Template
                | ItemKind::With
        )
    }
}

/// One lexical item: its kind, byte position and text. Items are small and `Copy`; the line of
/// an item is worked out from its position only when an error message needs it
/// ([`line_at`]), and an `Error` item's message is kept by the stream ([`ItemStream::error`]).
#[derive(Clone, Copy, Debug)]
pub(crate) struct Item<'a> {
    pub kind: ItemKind,
    pub pos: usize,
    /// The token text: a slice of the input (empty for `Error`; see [`ItemStream::error`]).
    pub val: &'a str,
}

impl std::fmt::Display for Item<'_> {
    /// Go's `item.String()`, used in "unexpected X in Y" messages (not for `Error` items, whose
    /// message the stream holds).
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self.kind {
            ItemKind::Eof => f.write_str("EOF"),
            ItemKind::Error => f.write_str(self.val),
            k if k.is_keyword() => write!(f, "<{}>", self.val),
            _ => {
                if self.val.chars().count() > 10 {
                    let head: String = self.val.chars().take(10).collect();
                    write!(f, "{}...", super::fmt::quote_go(&head))
                } else {
                    f.write_str(&super::fmt::quote_go(self.val))
                }
            }
        }
    }
}

/// The 1-based line of byte `pos` of `text` (every item starts on the line of its position).
pub(crate) fn line_at(text: &str, pos: usize) -> usize {
    let end = pos.min(text.len());
    1 + memchr::memchr_iter(b'\n', &text.as_bytes()[..end]).count()
}

fn keyword(word: &str) -> Option<ItemKind> {
    Some(match word {
        "." => ItemKind::Dot,
        "block" => ItemKind::Block,
        "break" => ItemKind::Break,
        "continue" => ItemKind::Continue,
        "define" => ItemKind::Define,
        "else" => ItemKind::Else,
        "end" => ItemKind::End,
        "if" => ItemKind::If,
        "range" => ItemKind::Range,
        "nil" => ItemKind::Nil,
        "template" => ItemKind::Template,
        "with" => ItemKind::With,
        _ => return None,
    })
}

const LEFT_DELIM: &[u8] = b"{{";
const RIGHT_DELIM: &[u8] = b"}}";
const LEFT_COMMENT: &[u8] = b"/*";
const RIGHT_COMMENT: &[u8] = b"*/";
const TRIM_MARKER_LEN: usize = 2;

fn is_space(b: u8) -> bool {
    matches!(b, b' ' | b'\t' | b'\r' | b'\n')
}

fn is_alnum(c: char) -> bool {
    c == '_' || c.is_alphabetic() || c.is_numeric()
}

fn has_left_trim_marker(b: &[u8]) -> bool {
    b.len() >= 2 && b[0] == b'-' && is_space(b[1])
}

fn has_right_trim_marker(b: &[u8]) -> bool {
    b.len() >= 2 && is_space(b[0]) && b[1] == b'-'
}

/// Index of the first `{{` in `b` at or after `from`.
fn find_left_delim(b: &[u8], from: usize) -> Option<usize> {
    let mut i = from;
    loop {
        let j = i + memchr::memchr(b'{', b.get(i..)?)?;
        if b.get(j + 1) == Some(&b'{') {
            return Some(j);
        }
        i = j + 1;
    }
}

/// Digits a number literal may use after its base prefix.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Digits {
    Decimal,
    Hex,
    Octal,
    Binary,
}

impl Digits {
    fn accepts(self, b: u8) -> bool {
        b == b'_'
            || match self {
                Digits::Decimal => b.is_ascii_digit(),
                Digits::Hex => b.is_ascii_hexdigit(),
                Digits::Octal => matches!(b, b'0'..=b'7'),
                Digits::Binary => matches!(b, b'0' | b'1'),
            }
    }
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum State {
    Text,
    LeftDelim,
    Comment,
    RightDelim,
    InsideAction,
    Space,
    Identifier,
    Field,
    Variable,
    Char,
    Number,
    Quote,
    RawQuote,
    /// A right paren without a left one was just emitted: report it.
    BadRightParen,
    /// Text ran to the end of the input and was emitted: emit `Eof`.
    Eof,
    Done,
}

/// The lexer as a pull stream, like Go's: the parser asks for one item at a time, so no list
/// of every item of a big template is ever built. Works on bytes: every character that
/// matters to the syntax is ASCII; non-ASCII characters are decoded only where Go's rules
/// look at them (letters in identifiers, error messages).
pub(crate) struct ItemStream<'a> {
    input: &'a str,
    pos: usize,
    start: usize,
    paren_depth: i64,
    state: State,
    /// The item the last step emitted, if any (each step emits at most one).
    item: Option<Item<'a>>,
    /// The final item (`Eof` or `Error`), repeated once the input is exhausted.
    last: Item<'a>,
    /// The message of the `Error` item, if one was emitted.
    error: String,
}

impl<'a> ItemStream<'a> {
    pub(crate) fn new(input: &'a str) -> ItemStream<'a> {
        ItemStream {
            input,
            pos: 0,
            start: 0,
            paren_depth: 0,
            state: State::Text,
            item: None,
            last: Item {
                kind: ItemKind::Eof,
                pos: input.len(),
                val: "",
            },
            error: String::new(),
        }
    }

    /// The next item; after `Eof` or an `Error` item, that item again.
    #[inline]
    pub(crate) fn next_item(&mut self) -> Item<'a> {
        loop {
            if let Some(it) = self.item.take() {
                return it;
            }
            if self.state == State::Done {
                return self.last;
            }
            self.state = self.step(self.state);
        }
    }

    /// The message of the `Error` item (empty before one is emitted).
    pub(crate) fn error(&self) -> &str {
        &self.error
    }

    fn bytes(&self) -> &'a [u8] {
        self.input.as_bytes()
    }

    fn byte(&self) -> Option<u8> {
        self.bytes().get(self.pos).copied()
    }

    /// The character at the current position (slow path, for non-ASCII text).
    fn char_here(&self) -> Option<char> {
        self.input.get(self.pos..).and_then(|s| s.chars().next())
    }

    /// Byte length of the letter, digit or `_` at the current position, or 0.
    #[inline]
    fn alnum_len(&self) -> usize {
        match self.byte() {
            None => 0,
            Some(b) if b.is_ascii() => usize::from(b.is_ascii_alphanumeric() || b == b'_'),
            Some(_) => match self.char_here() {
                Some(c) if is_alnum(c) => c.len_utf8(),
                _ => 0,
            },
        }
    }

    fn skip_alnum(&mut self) {
        loop {
            let n = self.alnum_len();
            if n == 0 {
                return;
            }
            self.pos += n;
        }
    }

    fn emit(&mut self, kind: ItemKind) {
        let it = Item {
            kind,
            pos: self.start,
            val: &self.input[self.start..self.pos],
        };
        if kind == ItemKind::Eof {
            self.last = it;
        }
        self.item = Some(it);
        self.start = self.pos;
    }

    fn ignore(&mut self) {
        self.start = self.pos;
    }

    fn errorf(&mut self, msg: String) -> State {
        let it = Item {
            kind: ItemKind::Error,
            pos: self.start,
            val: "",
        };
        self.error = msg;
        self.last = it;
        self.item = Some(it);
        State::Done
    }

    fn accept(&mut self, valid: impl Fn(u8) -> bool) -> bool {
        match self.byte() {
            Some(b) if valid(b) => {
                self.pos += 1;
                true
            }
            _ => false,
        }
    }

    fn accept_run(&mut self, valid: impl Fn(u8) -> bool) {
        while self.accept(&valid) {}
    }

    fn at_right_delim(&self) -> (bool, bool) {
        let rest = &self.bytes()[self.pos..];
        if has_right_trim_marker(rest) && rest[TRIM_MARKER_LEN..].starts_with(RIGHT_DELIM) {
            return (true, true);
        }
        (rest.starts_with(RIGHT_DELIM), false)
    }

    fn at_terminator(&self) -> bool {
        match self.byte() {
            None => true,
            Some(b) => is_space(b) || matches!(b, b'.' | b',' | b'|' | b':' | b')' | b'(' | b'}'),
        }
    }

    fn skip_spaces(&mut self) {
        while self.byte().is_some_and(is_space) {
            self.pos += 1;
        }
    }

    fn step(&mut self, state: State) -> State {
        match state {
            State::Text => self.lex_text(),
            State::LeftDelim => self.lex_left_delim(),
            State::Comment => self.lex_comment(),
            State::RightDelim => self.lex_right_delim(),
            State::InsideAction => self.lex_inside_action(),
            State::Space => self.lex_space(),
            State::Identifier => self.lex_identifier(),
            State::Field => self.lex_field_or_variable(ItemKind::Field),
            State::Variable => {
                if self.at_terminator() {
                    self.emit(ItemKind::Variable);
                    State::InsideAction
                } else {
                    self.lex_field_or_variable(ItemKind::Variable)
                }
            }
            State::Char => self.lex_char(),
            State::Number => self.lex_number(),
            State::Quote => self.lex_quote(),
            State::RawQuote => self.lex_raw_quote(),
            State::BadRightParen => {
                self.errorf(format!("unexpected right paren {}", unicode_u(')')))
            }
            State::Eof => {
                self.emit(ItemKind::Eof);
                State::Done
            }
            State::Done => State::Done,
        }
    }

    fn lex_text(&mut self) -> State {
        let bytes = self.bytes();
        if let Some(x) = find_left_delim(bytes, self.pos) {
            self.pos = x;
            let mut trim_length = 0;
            if has_left_trim_marker(&bytes[x + LEFT_DELIM.len()..]) {
                let text = &bytes[self.start..x];
                let kept = text
                    .iter()
                    .rposition(|b| !is_space(*b))
                    .map_or(0, |i| i + 1);
                trim_length = text.len() - kept;
            }
            self.pos -= trim_length;
            if self.pos > self.start {
                self.emit(ItemKind::Text);
            }
            self.pos += trim_length;
            self.ignore();
            return State::LeftDelim;
        }
        self.pos = self.input.len();
        if self.pos > self.start {
            self.emit(ItemKind::Text);
            return State::Eof;
        }
        self.emit(ItemKind::Eof);
        State::Done
    }

    fn lex_left_delim(&mut self) -> State {
        self.pos += LEFT_DELIM.len();
        let trim_space = has_left_trim_marker(&self.bytes()[self.pos..]);
        let after_marker = if trim_space { TRIM_MARKER_LEN } else { 0 };
        if self.bytes()[self.pos + after_marker..].starts_with(LEFT_COMMENT) {
            self.pos += after_marker;
            self.ignore();
            return State::Comment;
        }
        self.emit(ItemKind::LeftDelim);
        self.pos += after_marker;
        self.ignore();
        self.paren_depth = 0;
        State::InsideAction
    }

    fn lex_comment(&mut self) -> State {
        self.pos += LEFT_COMMENT.len();
        let Some(x) = memchr::memmem::find(&self.bytes()[self.pos..], RIGHT_COMMENT) else {
            return self.errorf("unclosed comment".into());
        };
        self.pos += x + RIGHT_COMMENT.len();
        let (delim, trim_space) = self.at_right_delim();
        if !delim {
            return self.errorf("comment ends before closing delimiter".into());
        }
        if trim_space {
            self.pos += TRIM_MARKER_LEN;
        }
        self.pos += RIGHT_DELIM.len();
        if trim_space {
            self.skip_spaces();
        }
        self.ignore();
        State::Text
    }

    fn lex_right_delim(&mut self) -> State {
        let (_, trim_space) = self.at_right_delim();
        if trim_space {
            self.pos += TRIM_MARKER_LEN;
            self.ignore();
        }
        self.pos += RIGHT_DELIM.len();
        self.emit(ItemKind::RightDelim);
        if trim_space {
            self.skip_spaces();
            self.ignore();
        }
        State::Text
    }

    fn lex_inside_action(&mut self) -> State {
        let (delim, _) = self.at_right_delim();
        if delim {
            if self.paren_depth == 0 {
                return State::RightDelim;
            }
            return self.errorf("unclosed left paren".into());
        }
        let Some(b) = self.byte() else {
            return self.errorf("unclosed action".into());
        };
        if !b.is_ascii() {
            return match self.char_here() {
                Some(c) if is_alnum(c) => State::Identifier,
                c => {
                    let c = c.unwrap_or('\u{FFFD}');
                    self.errorf(format!(
                        "unrecognized character in action: {}",
                        unicode_u(c)
                    ))
                }
            };
        }
        if is_space(b) {
            return State::Space;
        }
        match b {
            b'+' | b'-' | b'0'..=b'9' => return State::Number,
            b'_' | b'a'..=b'z' | b'A'..=b'Z' => return State::Identifier,
            _ => {}
        }
        self.pos += 1;
        match b {
            b'=' => self.emit(ItemKind::Assign),
            b':' => {
                if self.byte() != Some(b'=') {
                    return self.errorf("expected :=".into());
                }
                self.pos += 1;
                self.emit(ItemKind::Declare);
            }
            b'|' => self.emit(ItemKind::Pipe),
            b'"' => return State::Quote,
            b'`' => return State::RawQuote,
            b'$' => return State::Variable,
            b'\'' => return State::Char,
            b'.' => {
                if let Some(next) = self.byte()
                    && !next.is_ascii_digit()
                {
                    return State::Field;
                }
                self.pos -= 1;
                return State::Number;
            }
            b'(' => {
                self.emit(ItemKind::LeftParen);
                self.paren_depth += 1;
            }
            b')' => {
                self.emit(ItemKind::RightParen);
                self.paren_depth -= 1;
                if self.paren_depth < 0 {
                    return State::BadRightParen;
                }
            }
            c if !c.is_ascii_control() => self.emit(ItemKind::Char),
            c => {
                return self.errorf(format!(
                    "unrecognized character in action: {}",
                    unicode_u(char::from(c))
                ));
            }
        }
        State::InsideAction
    }

    fn lex_space(&mut self) -> State {
        let from = self.pos;
        self.skip_spaces();
        let num_spaces = self.pos - from;
        // A trim-marked right delimiter starts with a space: leave it for lexRightDelim.
        let b = self.bytes();
        if has_right_trim_marker(&b[self.pos - 1..])
            && b[self.pos - 1 + TRIM_MARKER_LEN..].starts_with(RIGHT_DELIM)
        {
            self.pos -= 1; // before the space
            if num_spaces == 1 {
                return State::RightDelim;
            }
        }
        self.emit(ItemKind::Space);
        State::InsideAction
    }

    fn lex_identifier(&mut self) -> State {
        self.skip_alnum();
        if !self.at_terminator() {
            return self.bad_character();
        }
        let word = &self.input[self.start..self.pos];
        let kind = if let Some(k) = keyword(word) {
            k
        } else if word.starts_with('.') {
            ItemKind::Field
        } else if word == "true" || word == "false" {
            ItemKind::Bool
        } else {
            ItemKind::Identifier
        };
        self.emit(kind);
        State::InsideAction
    }

    fn bad_character(&mut self) -> State {
        let c = self.char_here().unwrap_or('\u{FFFD}');
        self.errorf(format!("bad character {}", unicode_u(c)))
    }

    fn lex_field_or_variable(&mut self, kind: ItemKind) -> State {
        if self.at_terminator() {
            if kind == ItemKind::Variable {
                self.emit(ItemKind::Variable);
            } else {
                self.emit(ItemKind::Dot);
            }
            return State::InsideAction;
        }
        self.skip_alnum();
        if !self.at_terminator() {
            return self.bad_character();
        }
        self.emit(kind);
        State::InsideAction
    }

    fn lex_char(&mut self) -> State {
        // Only ASCII bytes matter: the bytes of a multi-byte character are never '\\', '\''
        // or a newline.
        loop {
            let b = self.byte();
            self.pos += 1;
            match b {
                Some(b'\\') => match self.byte() {
                    Some(c) if c != b'\n' => self.pos += 1,
                    _ => return self.errorf("unterminated character constant".into()),
                },
                None | Some(b'\n') => {
                    return self.errorf("unterminated character constant".into());
                }
                Some(b'\'') => break,
                Some(_) => {}
            }
        }
        self.emit(ItemKind::CharConstant);
        State::InsideAction
    }

    fn bad_number(&mut self) -> State {
        let text = &self.input[self.start..self.pos];
        let msg = format!("bad number syntax: {}", super::fmt::quote_go(text));
        self.errorf(msg)
    }

    fn lex_number(&mut self) -> State {
        if !self.scan_number() {
            return self.bad_number();
        }
        if let Some(b'+' | b'-') = self.byte() {
            // Complex: 1+2i. No spaces, must end in 'i'.
            if !self.scan_number() || self.bytes()[self.pos - 1] != b'i' {
                return self.bad_number();
            }
            self.emit(ItemKind::Complex);
        } else {
            self.emit(ItemKind::Number);
        }
        State::InsideAction
    }

    fn scan_number(&mut self) -> bool {
        let sign = |b: u8| b == b'+' || b == b'-';
        let decimal = |b: u8| b.is_ascii_digit() || b == b'_';
        self.accept(sign);
        let mut digits = Digits::Decimal;
        if self.accept(|b| b == b'0') {
            if self.accept(|b| b == b'x' || b == b'X') {
                digits = Digits::Hex;
            } else if self.accept(|b| b == b'o' || b == b'O') {
                digits = Digits::Octal;
            } else if self.accept(|b| b == b'b' || b == b'B') {
                digits = Digits::Binary;
            }
        }
        self.accept_run(|b| digits.accepts(b));
        if self.accept(|b| b == b'.') {
            self.accept_run(|b| digits.accepts(b));
        }
        if digits == Digits::Decimal && self.accept(|b| b == b'e' || b == b'E') {
            self.accept(sign);
            self.accept_run(decimal);
        }
        if digits == Digits::Hex && self.accept(|b| b == b'p' || b == b'P') {
            self.accept(sign);
            self.accept_run(decimal);
        }
        self.accept(|b| b == b'i');
        let n = self.alnum_len();
        if n > 0 {
            self.pos += n;
            return false;
        }
        true
    }

    fn lex_quote(&mut self) -> State {
        loop {
            // Skip plain bytes in one go; only '\\', '"' and newlines need a look.
            let rest = &self.bytes()[self.pos..];
            self.pos += memchr::memchr3(b'\\', b'"', b'\n', rest).unwrap_or(rest.len());
            let b = self.byte();
            self.pos += 1;
            match b {
                Some(b'\\') => match self.byte() {
                    Some(c) if c != b'\n' => self.pos += 1,
                    _ => return self.errorf("unterminated quoted string".into()),
                },
                Some(b'"') => break,
                _ => return self.errorf("unterminated quoted string".into()),
            }
        }
        self.emit(ItemKind::String);
        State::InsideAction
    }

    fn lex_raw_quote(&mut self) -> State {
        match memchr::memchr(b'`', &self.bytes()[self.pos..]) {
            None => {
                self.pos = self.input.len();
                return self.errorf("unterminated raw quoted string".into());
            }
            Some(x) => self.pos += x + 1,
        }
        self.emit(ItemKind::RawString);
        State::InsideAction
    }
}

/// Go's `%#U`: `U+0029 ')'`.
pub(crate) fn unicode_u(c: char) -> String {
    if c.is_control() {
        format!("U+{:04X}", c as u32)
    } else {
        format!("U+{:04X} '{}'", c as u32, c)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// An item as the tests see it: kind, text (the message for `Error`) and line.
    #[derive(Debug)]
    struct Tok {
        kind: ItemKind,
        val: String,
        line: usize,
    }

    /// Scans `input` completely, ending with `Eof` or `Error`.
    fn lex(input: &str) -> Vec<Tok> {
        let mut stream = ItemStream::new(input);
        let mut out = Vec::new();
        loop {
            let it = stream.next_item();
            let val = if it.kind == ItemKind::Error {
                stream.error().to_string()
            } else {
                it.val.to_string()
            };
            out.push(Tok {
                kind: it.kind,
                val,
                line: line_at(input, it.pos),
            });
            if matches!(it.kind, ItemKind::Eof | ItemKind::Error) {
                return out;
            }
        }
    }

    #[test]
    fn lines_and_strings_across_the_fast_paths() {
        let items = lex("a\n{{`x\ny`}}\n{{ \"q\\\"é\" }}{{/* c\n */}}\n{{ .z }}");
        let got: Vec<(ItemKind, &str, usize)> =
            items.iter().map(|i| (i.kind, &*i.val, i.line)).collect();
        assert!(got.contains(&(ItemKind::RawString, "`x\ny`", 2)), "{got:?}");
        assert!(
            got.contains(&(ItemKind::String, "\"q\\\"é\"", 4)),
            "{got:?}"
        );
        assert!(got.contains(&(ItemKind::Field, ".z", 6)), "{got:?}");
        let bad = lex("{{ \"open\n\" }}");
        assert_eq!(bad.last().unwrap().kind, ItemKind::Error);
        assert_eq!(&*bad.last().unwrap().val, "unterminated quoted string");
        let raw = lex("x\n{{ `never closed }}");
        let last = raw.last().unwrap();
        assert_eq!(
            (&*last.val, last.line),
            ("unterminated raw quoted string", 2)
        );
    }

    #[test]
    fn the_stream_repeats_its_final_item() {
        let mut s = ItemStream::new("{{ 1 }}");
        let kinds: Vec<ItemKind> = (0..7).map(|_| s.next_item().kind).collect();
        assert_eq!(
            &kinds[4..],
            &[ItemKind::RightDelim, ItemKind::Eof, ItemKind::Eof]
        );
    }

    fn kinds(s: &str) -> Vec<(ItemKind, String)> {
        lex(s).into_iter().map(|i| (i.kind, i.val)).collect()
    }

    #[test]
    fn text_and_actions() {
        use ItemKind::*;
        assert_eq!(
            kinds("a{{.x}}b"),
            vec![
                (Text, "a".into()),
                (LeftDelim, "{{".into()),
                (Field, ".x".into()),
                (RightDelim, "}}".into()),
                (Text, "b".into()),
                (Eof, "".into())
            ]
        );
    }

    #[test]
    fn trim_markers() {
        use ItemKind::*;
        let k = kinds("a \n{{- 3 -}}\n b");
        assert_eq!(k[0], (Text, "a".into()));
        assert_eq!(k[2], (Number, "3".into()));
        assert_eq!(k[4], (Text, "b".into()));
        // "{{-3}}" is a number, not a trim marker.
        let k = kinds("a {{-3}}");
        assert_eq!(k[0], (Text, "a ".into()));
        assert_eq!(k[2], (Number, "-3".into()));
    }

    #[test]
    fn comments() {
        use ItemKind::*;
        assert_eq!(
            kinds("a {{- /* c */ -}} b"),
            vec![(Text, "a".into()), (Text, "b".into()), (Eof, "".into())]
        );
        assert_eq!(kinds("{{/* x")[0], (Error, "unclosed comment".into()));
        assert_eq!(
            kinds("{{/* x */ }}")[0],
            (Error, "comment ends before closing delimiter".into())
        );
    }

    #[test]
    fn words_and_literals() {
        use ItemKind::*;
        let k = kinds(r#"{{$x := index .a "b" `c` 'd' 1.5e3 0x1F true nil}}"#);
        let got: Vec<ItemKind> = k.iter().map(|x| x.0).filter(|k| *k != Space).collect();
        assert_eq!(
            got,
            vec![
                LeftDelim,
                Variable,
                Declare,
                Identifier,
                Field,
                String,
                RawString,
                CharConstant,
                Number,
                Number,
                Bool,
                Nil,
                RightDelim,
                Eof
            ]
        );
    }

    #[test]
    fn errors() {
        assert_eq!(lex("{{").last().unwrap().val, "unclosed action");
        assert_eq!(
            lex("{{\"abc").last().unwrap().val,
            "unterminated quoted string"
        );
        assert_eq!(
            lex("{{ ) }}").last().unwrap().val,
            "unexpected right paren U+0029 ')'"
        );
        assert_eq!(lex("{{ ( }}").last().unwrap().val, "unclosed left paren");
        assert_eq!(
            lex("{{ 3x }}").last().unwrap().val,
            "bad number syntax: \"3x\""
        );
        assert_eq!(
            lex("{{ .a# }}").last().unwrap().val,
            "bad character U+0023 '#'"
        );
    }

    #[test]
    fn lines() {
        let items = lex("a\nb{{\n.x\n}}");
        let field = items.iter().find(|i| i.kind == ItemKind::Field).unwrap();
        assert_eq!(field.line, 3);
    }
}
