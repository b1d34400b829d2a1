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
///
/// White space inside an action is not an item of its own (Go's `itemSpace`): it is the
/// `space` flag of the item after it. Only two rules of the grammar look at it (space separates
/// the operands of a command, and a field chains onto the term before it only without space);
/// as a flag it costs the parser nothing elsewhere, where Go's parser skips space items one by
/// one (a third of all items in real charts).
#[derive(Clone, Copy, Debug)]
pub(crate) struct Item<'a> {
    pub kind: ItemKind,
    /// White space came before this item inside its action.
    pub space: bool,
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

/// Where the stream is between two items.
#[derive(Clone, Copy, PartialEq, Eq)]
enum State {
    /// At the start of text (or of a left delimiter).
    Text,
    /// At a left delimiter, after the text before it was emitted.
    LeftDelim,
    /// Inside an action, between two items.
    InsideAction,
    /// A right paren without a left one was just emitted: report it.
    BadRightParen,
    /// Text ran to the end of the input and was emitted: emit `Eof`.
    Eof,
    /// `Eof` or an `Error` item was emitted: repeat it.
    Done,
}

/// Byte classes for the lexer's fast paths (ASCII only; other bytes are 0).
const ALNUM: u8 = 1;
const SPACE: u8 = 2;
/// Bytes that end a word (Go's `atTerminator`, with space).
const TERMINATOR: u8 = 4;

static CLASS: [u8; 256] = {
    let mut t = [0u8; 256];
    let mut i = 0;
    while i < 128 {
        let b = i as u8;
        if b.is_ascii_alphanumeric() || b == b'_' {
            t[i] |= ALNUM;
        }
        if matches!(b, b' ' | b'\t' | b'\r' | b'\n') {
            t[i] |= SPACE | TERMINATOR;
        }
        if matches!(b, b'.' | b',' | b'|' | b':' | b')' | b'(' | b'}') {
            t[i] |= TERMINATOR;
        }
        i += 1;
    }
    t
};

/// The lexer as a pull stream, like Go's: the parser asks for one item at a time, so no list
/// of every item of a big template is ever built. Each call scans exactly one item (Go's
/// state functions, folded into one function per context). Works on bytes: every character
/// that matters to the syntax is ASCII; non-ASCII characters are decoded only where Go's rules
/// look at them (letters in identifiers, error messages).
pub(crate) struct ItemStream<'a> {
    input: &'a str,
    pos: usize,
    paren_depth: i64,
    state: State,
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
            paren_depth: 0,
            state: State::Text,
            last: Item {
                kind: ItemKind::Eof,
                space: false,
                pos: input.len(),
                val: "",
            },
            error: String::new(),
        }
    }

    /// The next item; after `Eof` or an `Error` item, that item again.
    #[inline]
    pub(crate) fn next_item(&mut self) -> Item<'a> {
        // Most items are inside actions: go there directly, the rest takes the general loop.
        if matches!(self.state, State::InsideAction) {
            return self.lex_inside_action();
        }
        self.next_item_outside_action()
    }

    #[inline(never)]
    fn next_item_outside_action(&mut self) -> Item<'a> {
        loop {
            match self.state {
                State::InsideAction => return self.lex_inside_action(),
                State::Text => {
                    if let Some(it) = self.lex_text() {
                        return it;
                    }
                }
                State::LeftDelim => {
                    if let Some(it) = self.lex_left_delim() {
                        return it;
                    }
                }
                State::BadRightParen => {
                    let msg = format!("unexpected right paren {}", unicode_u(')'));
                    return self.fail(self.pos, msg);
                }
                State::Eof => {
                    self.state = State::Done;
                    return self.last;
                }
                State::Done => return self.last,
            }
        }
    }

    /// The message of the `Error` item (empty before one is emitted).
    pub(crate) fn error(&self) -> &str {
        &self.error
    }

    #[inline]
    fn bytes(&self) -> &'a [u8] {
        self.input.as_bytes()
    }

    #[inline]
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
            Some(b) if b.is_ascii() => usize::from(CLASS[b as usize] & ALNUM != 0),
            Some(_) => match self.char_here() {
                Some(c) if is_alnum(c) => c.len_utf8(),
                _ => 0,
            },
        }
    }

    #[inline]
    fn skip_alnum(&mut self) {
        let b = self.bytes();
        loop {
            match b.get(self.pos) {
                Some(&c) if CLASS[c as usize] & ALNUM != 0 => self.pos += 1,
                Some(&c) if !c.is_ascii() => {
                    let n = self.alnum_len();
                    if n == 0 {
                        return;
                    }
                    self.pos += n;
                }
                _ => return,
            }
        }
    }

    /// The item of kind `kind` from `start` to the current position.
    #[inline]
    fn item(&self, kind: ItemKind, start: usize) -> Item<'a> {
        Item {
            kind,
            space: false,
            pos: start,
            val: &self.input[start..self.pos],
        }
    }

    /// Emits an `Error` item at `start` with message `msg` and ends the stream.
    #[cold]
    fn fail(&mut self, start: usize, msg: String) -> Item<'a> {
        let it = Item {
            kind: ItemKind::Error,
            space: false,
            pos: start,
            val: "",
        };
        self.error = msg;
        self.last = it;
        self.state = State::Done;
        it
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

    /// Is a right delimiter at `pos`, and is it trim-marked (` -}}`)?
    #[inline]
    fn at_right_delim(&self, pos: usize) -> (bool, bool) {
        let rest = &self.bytes()[pos..];
        if has_right_trim_marker(rest) && rest[TRIM_MARKER_LEN..].starts_with(RIGHT_DELIM) {
            return (true, true);
        }
        (rest.starts_with(RIGHT_DELIM), false)
    }

    #[inline]
    fn at_terminator(&self) -> bool {
        match self.byte() {
            None => true,
            Some(b) => CLASS[b as usize] & TERMINATOR != 0,
        }
    }

    fn skip_spaces(&mut self) {
        while self.byte().is_some_and(is_space) {
            self.pos += 1;
        }
    }

    /// Text up to the next left delimiter (trimmed before `{{- `), or to the end.
    fn lex_text(&mut self) -> Option<Item<'a>> {
        let start = self.pos;
        let bytes = self.bytes();
        if let Some(x) = find_left_delim(bytes, start) {
            let mut end = x;
            if has_left_trim_marker(&bytes[x + LEFT_DELIM.len()..]) {
                end = bytes[start..x]
                    .iter()
                    .rposition(|b| !is_space(*b))
                    .map_or(start, |i| start + i + 1);
            }
            self.pos = x;
            self.state = State::LeftDelim;
            if end > start {
                return Some(Item {
                    kind: ItemKind::Text,
                    space: false,
                    pos: start,
                    val: &self.input[start..end],
                });
            }
            return None;
        }
        self.pos = self.input.len();
        self.state = State::Eof;
        if self.pos > start {
            return Some(self.item(ItemKind::Text, start));
        }
        None
    }

    /// The left delimiter at the current position: a comment (skipped) or an action.
    fn lex_left_delim(&mut self) -> Option<Item<'a>> {
        let start = self.pos;
        self.pos += LEFT_DELIM.len();
        let trim_space = has_left_trim_marker(&self.bytes()[self.pos..]);
        let after_marker = if trim_space { TRIM_MARKER_LEN } else { 0 };
        if self.bytes()[self.pos + after_marker..].starts_with(LEFT_COMMENT) {
            self.pos += after_marker;
            return self.lex_comment();
        }
        let it = self.item(ItemKind::LeftDelim, start);
        self.pos += after_marker;
        self.paren_depth = 0;
        self.state = State::InsideAction;
        Some(it)
    }

    /// A comment at the current position, through its right delimiter.
    fn lex_comment(&mut self) -> Option<Item<'a>> {
        let start = self.pos;
        self.pos += LEFT_COMMENT.len();
        let Some(x) = memchr::memmem::find(&self.bytes()[self.pos..], RIGHT_COMMENT) else {
            return Some(self.fail(start, "unclosed comment".into()));
        };
        self.pos += x + RIGHT_COMMENT.len();
        let (delim, trim_space) = self.at_right_delim(self.pos);
        if !delim {
            return Some(self.fail(start, "comment ends before closing delimiter".into()));
        }
        if trim_space {
            self.pos += TRIM_MARKER_LEN;
        }
        self.pos += RIGHT_DELIM.len();
        if trim_space {
            self.skip_spaces();
        }
        self.state = State::Text;
        None
    }

    /// The right delimiter at `start` (after its trim marker when `trim_space`).
    fn lex_right_delim(&mut self, start: usize, trim_space: bool) -> Item<'a> {
        let at = if trim_space {
            start + TRIM_MARKER_LEN
        } else {
            start
        };
        self.pos = at + RIGHT_DELIM.len();
        let it = self.item(ItemKind::RightDelim, at);
        if trim_space {
            self.skip_spaces();
        }
        self.state = State::Text;
        it
    }

    /// One item inside an action, with the white space before it skipped (and flagged).
    #[inline(never)]
    fn lex_inside_action(&mut self) -> Item<'a> {
        let space = self.skip_action_space();
        let mut it = self.lex_action_item();
        it.space = space;
        it
    }

    /// Skips white space inside an action, except the space that starts a trim-marked right
    /// delimiter (` -}}`), which belongs to the delimiter; whether any was skipped.
    #[inline]
    fn skip_action_space(&mut self) -> bool {
        let start = self.pos;
        let at_space = self
            .bytes()
            .get(start)
            .is_some_and(|&b| CLASS[b as usize] & SPACE != 0);
        if !at_space || self.at_right_delim(start).0 {
            return false;
        }
        self.skip_spaces();
        if self.at_right_delim(self.pos - 1).1 {
            self.pos -= 1; // before the space (not `start`: that was no delimiter)
        }
        true
    }

    /// The item at the current position inside an action (not white space).
    #[inline]
    fn lex_action_item(&mut self) -> Item<'a> {
        let start = self.pos;
        let bytes = self.bytes();
        let Some(&b) = bytes.get(start) else {
            return self.fail(start, "unclosed action".into());
        };
        let class = CLASS[b as usize];
        if b == b'}' || class & SPACE != 0 {
            let (delim, trim_space) = self.at_right_delim(start);
            if delim {
                if self.paren_depth == 0 {
                    return self.lex_right_delim(start, trim_space);
                }
                return self.fail(start, "unclosed left paren".into());
            }
        }
        if class & ALNUM != 0 {
            if b.is_ascii_digit() {
                return self.lex_number(start);
            }
            return self.lex_identifier(start);
        }
        if !b.is_ascii() {
            return match self.char_here() {
                Some(c) if is_alnum(c) => self.lex_identifier(start),
                c => {
                    let c = c.unwrap_or('\u{FFFD}');
                    let msg = format!("unrecognized character in action: {}", unicode_u(c));
                    self.fail(start, msg)
                }
            };
        }
        self.pos += 1;
        match b {
            b'+' | b'-' => {
                self.pos = start;
                self.lex_number(start)
            }
            b'=' => self.item(ItemKind::Assign, start),
            b':' => {
                if self.byte() != Some(b'=') {
                    return self.fail(start, "expected :=".into());
                }
                self.pos += 1;
                self.item(ItemKind::Declare, start)
            }
            b'|' => self.item(ItemKind::Pipe, start),
            b'"' => self.lex_quoted(start, b'"', ItemKind::String, "quoted string"),
            b'`' => self.lex_raw_quote(start),
            b'$' => {
                if self.at_terminator() {
                    return self.item(ItemKind::Variable, start);
                }
                self.lex_field_or_variable(start, ItemKind::Variable)
            }
            b'\'' => self.lex_quoted(start, b'\'', ItemKind::CharConstant, "character constant"),
            b'.' => {
                if let Some(next) = self.byte()
                    && !next.is_ascii_digit()
                {
                    return self.lex_field_or_variable(start, ItemKind::Field);
                }
                self.pos = start;
                self.lex_number(start)
            }
            b'(' => {
                self.paren_depth += 1;
                self.item(ItemKind::LeftParen, start)
            }
            b')' => {
                self.paren_depth -= 1;
                if self.paren_depth < 0 {
                    self.state = State::BadRightParen;
                }
                self.item(ItemKind::RightParen, start)
            }
            c if !c.is_ascii_control() => self.item(ItemKind::Char, start),
            c => {
                let msg = format!(
                    "unrecognized character in action: {}",
                    unicode_u(char::from(c))
                );
                self.fail(start, msg)
            }
        }
    }

    #[inline]
    fn lex_identifier(&mut self, start: usize) -> Item<'a> {
        self.skip_alnum();
        if !self.at_terminator() {
            return self.bad_character(start);
        }
        let word = &self.input[start..self.pos];
        let kind = if let Some(k) = keyword(word) {
            k
        } else if word == "true" || word == "false" {
            ItemKind::Bool
        } else {
            ItemKind::Identifier
        };
        self.item(kind, start)
    }

    #[cold]
    fn bad_character(&mut self, start: usize) -> Item<'a> {
        let c = self.char_here().unwrap_or('\u{FFFD}');
        self.fail(start, format!("bad character {}", unicode_u(c)))
    }

    /// A field or variable whose `.` or `$` is consumed and not followed by a terminator
    /// (a lone `.` is `Dot`).
    #[inline]
    fn lex_field_or_variable(&mut self, start: usize, kind: ItemKind) -> Item<'a> {
        if self.at_terminator() {
            if kind == ItemKind::Variable {
                return self.item(ItemKind::Variable, start);
            }
            return self.item(ItemKind::Dot, start);
        }
        self.skip_alnum();
        if !self.at_terminator() {
            return self.bad_character(start);
        }
        self.item(kind, start)
    }

    #[cold]
    fn bad_number(&mut self, start: usize) -> Item<'a> {
        let text = &self.input[start..self.pos];
        let msg = format!("bad number syntax: {}", super::fmt::quote_go(text));
        self.fail(start, msg)
    }

    fn lex_number(&mut self, start: usize) -> Item<'a> {
        if !self.scan_number() {
            return self.bad_number(start);
        }
        if let Some(b'+' | b'-') = self.byte() {
            // Complex: 1+2i. No spaces, must end in 'i'.
            if !self.scan_number() || self.bytes()[self.pos - 1] != b'i' {
                return self.bad_number(start);
            }
            return self.item(ItemKind::Complex, start);
        }
        self.item(ItemKind::Number, start)
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

    /// A quoted string (`close` is `"`) or character constant (`'`): up to the closing quote,
    /// backslash escapes skipped (checked by the parser), ended early by a newline or the end.
    fn lex_quoted(&mut self, start: usize, close: u8, kind: ItemKind, what: &str) -> Item<'a> {
        loop {
            // Skip plain bytes in one go; only '\\', the closing quote and newlines need a
            // look (the bytes of a multi-byte character are never one of them).
            let rest = &self.bytes()[self.pos..];
            self.pos += memchr::memchr3(b'\\', close, b'\n', rest).unwrap_or(rest.len());
            let b = self.byte();
            self.pos += 1;
            match b {
                Some(b'\\') => match self.byte() {
                    Some(c) if c != b'\n' => self.pos += 1,
                    _ => return self.fail(start, format!("unterminated {what}")),
                },
                Some(c) if c == close => break,
                _ => return self.fail(start, format!("unterminated {what}")),
            }
        }
        self.item(kind, start)
    }

    fn lex_raw_quote(&mut self, start: usize) -> Item<'a> {
        match memchr::memchr(b'`', &self.bytes()[self.pos..]) {
            None => {
                self.pos = self.input.len();
                return self.fail(start, "unterminated raw quoted string".into());
            }
            Some(x) => self.pos += x + 1,
        }
        self.item(ItemKind::RawString, start)
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
        let kinds: Vec<ItemKind> = (0..5).map(|_| s.next_item().kind).collect();
        assert_eq!(
            &kinds[2..],
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
        let got: Vec<ItemKind> = k.iter().map(|x| x.0).collect();
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
    fn white_space_is_a_flag_on_the_next_item() {
        let mut s = ItemStream::new("{{ $x.a  .b\n\t| f -}} {{(g).c -}}");
        let mut got = Vec::new();
        loop {
            let it = s.next_item();
            if it.kind == ItemKind::Eof {
                break;
            }
            got.push((it.val, it.space));
        }
        assert_eq!(
            got,
            vec![
                ("{{", false),
                ("$x", true),
                (".a", false),
                (".b", true),
                ("|", true),
                ("f", true),
                ("}}", false), // the space before `-}}` belongs to the delimiter
                ("{{", false),
                ("(", false),
                ("g", false),
                (")", false),
                (".c", false),
                ("}}", false),
            ]
        );
        // Space before a trim-marked delimiter inside parentheses is still "unclosed".
        assert_eq!(lex("{{ (1  -}}").last().unwrap().val, "unclosed left paren");
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
