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

/// One lexical item: its kind, byte position, text and starting line.
#[derive(Clone, Debug)]
pub(crate) struct Item<'a> {
    pub kind: ItemKind,
    pub pos: usize,
    /// The token text: a slice of the input (an owned message for errors).
    pub val: std::borrow::Cow<'a, str>,
    pub line: usize,
}

impl std::fmt::Display for Item<'_> {
    /// Go's `item.String()`, used in "unexpected X in Y" messages.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self.kind {
            ItemKind::Eof => f.write_str("EOF"),
            ItemKind::Error => f.write_str(&self.val),
            k if k.is_keyword() => write!(f, "<{}>", self.val),
            _ => {
                if self.val.chars().count() > 10 {
                    let head: String = self.val.chars().take(10).collect();
                    write!(f, "{}...", super::fmt::quote_go(&head))
                } else {
                    f.write_str(&super::fmt::quote_go(&self.val))
                }
            }
        }
    }
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

const LEFT_DELIM: &str = "{{";
const RIGHT_DELIM: &str = "}}";
const LEFT_COMMENT: &str = "/*";
const RIGHT_COMMENT: &str = "*/";
const TRIM_MARKER_LEN: usize = 2;

fn is_space(c: char) -> bool {
    matches!(c, ' ' | '\t' | '\r' | '\n')
}

fn is_alnum(c: char) -> bool {
    c == '_' || c.is_alphabetic() || c.is_numeric()
}

fn has_left_trim_marker(s: &str) -> bool {
    let b = s.as_bytes();
    b.len() >= 2 && b[0] == b'-' && is_space(b[1] as char)
}

fn has_right_trim_marker(s: &str) -> bool {
    let b = s.as_bytes();
    b.len() >= 2 && is_space(b[0] as char) && b[1] == b'-'
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
    Done,
}

/// Scans `input` completely and returns its items, ending with `Eof` or `Error`.
#[cfg(test)]
pub(crate) fn lex(input: &str) -> Vec<Item<'_>> {
    let mut stream = ItemStream::new(input);
    let mut out = Vec::new();
    loop {
        let it = stream.next_item();
        let last = matches!(it.kind, ItemKind::Eof | ItemKind::Error);
        out.push(it);
        if last {
            return out;
        }
    }
}

/// The lexer as a pull stream, like Go's: the parser asks for one item at a time, so no list
/// of every item of a big template is ever built.
pub(crate) struct ItemStream<'a> {
    lexer: Lexer<'a>,
    state: State,
    /// Index of the next unread item in `lexer.items`.
    read: usize,
    /// The final item (`Eof` or `Error`), repeated once the input is exhausted.
    last: Option<Item<'a>>,
}

impl<'a> ItemStream<'a> {
    pub(crate) fn new(input: &'a str) -> ItemStream<'a> {
        ItemStream {
            lexer: Lexer {
                input,
                pos: 0,
                start: 0,
                width: 0,
                paren_depth: 0,
                items: Vec::new(),
                line: 1,
                line_pos: 0,
            },
            state: State::Text,
            read: 0,
            last: None,
        }
    }

    /// The next item; after `Eof` or an `Error` item, that item again.
    pub(crate) fn next_item(&mut self) -> Item<'a> {
        loop {
            if self.read < self.lexer.items.len() {
                let it = self.lexer.items[self.read].clone();
                self.read += 1;
                if self.read == self.lexer.items.len() {
                    self.lexer.items.clear();
                    self.read = 0;
                }
                if matches!(it.kind, ItemKind::Eof | ItemKind::Error) {
                    self.last = Some(it.clone());
                }
                return it;
            }
            if let Some(last) = &self.last {
                return last.clone();
            }
            if self.state == State::Done {
                // The state machine always emits Eof or Error before Done.
                return Item {
                    kind: ItemKind::Eof,
                    pos: self.lexer.input.len(),
                    val: std::borrow::Cow::Borrowed(""),
                    line: self.lexer.line,
                };
            }
            self.state = self.lexer.step(self.state);
        }
    }
}

struct Lexer<'a> {
    input: &'a str,
    pos: usize,
    start: usize,
    width: usize,
    paren_depth: i64,
    items: Vec<Item<'a>>,
    /// Line number at byte `line_pos` (positions asked for only move forward).
    line: usize,
    line_pos: usize,
}

impl Lexer<'_> {
    /// The line of byte `pos`, counting newlines from the last position asked for.
    fn line_at(&mut self, pos: usize) -> usize {
        if pos >= self.line_pos {
            let span = &self.input.as_bytes()[self.line_pos..pos];
            self.line += span.iter().filter(|b| **b == b'\n').count();
            self.line_pos = pos;
            self.line
        } else {
            1 + self.input.as_bytes()[..pos]
                .iter()
                .filter(|b| **b == b'\n')
                .count()
        }
    }

    fn rest(&self) -> &str {
        &self.input[self.pos..]
    }

    fn next(&mut self) -> Option<char> {
        match self.input[self.pos..].chars().next() {
            None => {
                self.width = 0;
                None
            }
            Some(c) => {
                self.width = c.len_utf8();
                self.pos += self.width;
                Some(c)
            }
        }
    }

    fn peek(&self) -> Option<char> {
        self.input[self.pos..].chars().next()
    }

    fn backup(&mut self) {
        self.pos -= self.width;
        self.width = 0;
    }

    fn emit(&mut self, kind: ItemKind) {
        let val = std::borrow::Cow::Borrowed(&self.input[self.start..self.pos]);
        let line = self.line_at(self.start);
        self.items.push(Item {
            kind,
            pos: self.start,
            val,
            line,
        });
        self.start = self.pos;
    }

    fn ignore(&mut self) {
        self.start = self.pos;
    }

    fn errorf(&mut self, msg: String) -> State {
        let line = self.line_at(self.start);
        self.items.push(Item {
            kind: ItemKind::Error,
            pos: self.start,
            val: std::borrow::Cow::Owned(msg),
            line,
        });
        State::Done
    }

    fn accept(&mut self, valid: &str) -> bool {
        match self.next() {
            Some(c) if valid.contains(c) => true,
            Some(_) => {
                self.backup();
                false
            }
            None => false,
        }
    }

    fn accept_run(&mut self, valid: &str) {
        while let Some(c) = self.next() {
            if !valid.contains(c) {
                self.backup();
                return;
            }
        }
    }

    fn at_right_delim(&self) -> (bool, bool) {
        let rest = self.rest();
        if has_right_trim_marker(rest) && rest[TRIM_MARKER_LEN..].starts_with(RIGHT_DELIM) {
            return (true, true);
        }
        if rest.starts_with(RIGHT_DELIM) {
            return (true, false);
        }
        (false, false)
    }

    fn at_terminator(&self) -> bool {
        match self.peek() {
            None => true,
            Some(c) if is_space(c) => true,
            Some('.' | ',' | '|' | ':' | ')' | '(') => true,
            Some(c) => RIGHT_DELIM.starts_with(c),
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
            State::Done => State::Done,
        }
    }

    fn lex_text(&mut self) -> State {
        self.width = 0;
        if let Some(x) = self.rest().find(LEFT_DELIM) {
            let ldn = LEFT_DELIM.len();
            self.pos += x;
            let mut trim_length = 0;
            if has_left_trim_marker(&self.input[self.pos + ldn..]) {
                let text = &self.input[self.start..self.pos];
                trim_length = text.len() - text.trim_end_matches(is_space).len();
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
        }
        self.emit(ItemKind::Eof);
        State::Done
    }

    fn lex_left_delim(&mut self) -> State {
        self.pos += LEFT_DELIM.len();
        let trim_space = has_left_trim_marker(self.rest());
        let after_marker = if trim_space { TRIM_MARKER_LEN } else { 0 };
        if self.input[self.pos + after_marker..].starts_with(LEFT_COMMENT) {
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
        let Some(x) = self.rest().find(RIGHT_COMMENT) else {
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
            let rest = self.rest();
            self.pos += rest.len() - rest.trim_start_matches(is_space).len();
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
            let rest = self.rest();
            self.pos += rest.len() - rest.trim_start_matches(is_space).len();
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
        let Some(r) = self.next() else {
            return self.errorf("unclosed action".into());
        };
        match r {
            c if is_space(c) => {
                self.backup();
                return State::Space;
            }
            '=' => self.emit(ItemKind::Assign),
            ':' => {
                if self.next() != Some('=') {
                    return self.errorf("expected :=".into());
                }
                self.emit(ItemKind::Declare);
            }
            '|' => self.emit(ItemKind::Pipe),
            '"' => return State::Quote,
            '`' => return State::RawQuote,
            '$' => return State::Variable,
            '\'' => return State::Char,
            '.' => {
                if let Some(&b) = self.input.as_bytes().get(self.pos)
                    && !b.is_ascii_digit()
                {
                    return State::Field;
                }
                self.backup();
                return State::Number;
            }
            '+' | '-' | '0'..='9' => {
                self.backup();
                return State::Number;
            }
            c if is_alnum(c) => {
                self.backup();
                return State::Identifier;
            }
            '(' => {
                self.emit(ItemKind::LeftParen);
                self.paren_depth += 1;
            }
            ')' => {
                self.emit(ItemKind::RightParen);
                self.paren_depth -= 1;
                if self.paren_depth < 0 {
                    return self.errorf(format!("unexpected right paren {}", unicode_u(r)));
                }
            }
            c if c.is_ascii() && !c.is_ascii_control() => self.emit(ItemKind::Char),
            c => {
                return self.errorf(format!(
                    "unrecognized character in action: {}",
                    unicode_u(c)
                ));
            }
        }
        State::InsideAction
    }

    fn lex_space(&mut self) -> State {
        let mut num_spaces = 0;
        while let Some(c) = self.peek() {
            if !is_space(c) {
                break;
            }
            self.next();
            num_spaces += 1;
        }
        // A trim-marked right delimiter starts with a space: leave it for lexRightDelim.
        if has_right_trim_marker(&self.input[self.pos - 1..])
            && self.input[self.pos - 1 + TRIM_MARKER_LEN..].starts_with(RIGHT_DELIM)
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
        loop {
            match self.next() {
                Some(c) if is_alnum(c) => {}
                r => {
                    if r.is_some() {
                        self.backup();
                    }
                    if !self.at_terminator() {
                        let c = self.peek().unwrap_or('\u{FFFD}');
                        return self.errorf(format!("bad character {}", unicode_u(c)));
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
                    return State::InsideAction;
                }
            }
        }
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
        loop {
            match self.next() {
                Some(c) if is_alnum(c) => {}
                Some(_) => {
                    self.backup();
                    break;
                }
                None => break,
            }
        }
        if !self.at_terminator() {
            let c = self.peek().unwrap_or('\u{FFFD}');
            return self.errorf(format!("bad character {}", unicode_u(c)));
        }
        self.emit(kind);
        State::InsideAction
    }

    fn lex_char(&mut self) -> State {
        loop {
            match self.next() {
                Some('\\') => match self.next() {
                    Some(c) if c != '\n' => {}
                    _ => return self.errorf("unterminated character constant".into()),
                },
                None | Some('\n') => return self.errorf("unterminated character constant".into()),
                Some('\'') => break,
                Some(_) => {}
            }
        }
        self.emit(ItemKind::CharConstant);
        State::InsideAction
    }

    fn lex_number(&mut self) -> State {
        if !self.scan_number() {
            let text = self.input[self.start..self.pos].to_string();
            return self.errorf(format!(
                "bad number syntax: {}",
                super::fmt::quote_go(&text)
            ));
        }
        if let Some('+' | '-') = self.peek() {
            // Complex: 1+2i. No spaces, must end in 'i'.
            if !self.scan_number() || self.input.as_bytes()[self.pos - 1] != b'i' {
                let text = self.input[self.start..self.pos].to_string();
                return self.errorf(format!(
                    "bad number syntax: {}",
                    super::fmt::quote_go(&text)
                ));
            }
            self.emit(ItemKind::Complex);
        } else {
            self.emit(ItemKind::Number);
        }
        State::InsideAction
    }

    fn scan_number(&mut self) -> bool {
        self.accept("+-");
        let mut digits = "0123456789_";
        if self.accept("0") {
            if self.accept("xX") {
                digits = "0123456789abcdefABCDEF_";
            } else if self.accept("oO") {
                digits = "01234567_";
            } else if self.accept("bB") {
                digits = "01_";
            }
        }
        self.accept_run(digits);
        if self.accept(".") {
            self.accept_run(digits);
        }
        if digits.len() == 10 + 1 && self.accept("eE") {
            self.accept("+-");
            self.accept_run("0123456789_");
        }
        if digits.len() == 16 + 6 + 1 && self.accept("pP") {
            self.accept("+-");
            self.accept_run("0123456789_");
        }
        self.accept("i");
        if let Some(c) = self.peek()
            && is_alnum(c)
        {
            self.next();
            return false;
        }
        true
    }

    fn lex_quote(&mut self) -> State {
        loop {
            // Skip plain bytes in one go; only '\\', '"' and newlines need a look.
            let rest = &self.input.as_bytes()[self.pos..];
            let skip = rest
                .iter()
                .position(|b| matches!(b, b'\\' | b'"' | b'\n'))
                .unwrap_or(rest.len());
            self.pos += skip;
            match self.next() {
                Some('\\') => match self.next() {
                    Some(c) if c != '\n' => {}
                    _ => return self.errorf("unterminated quoted string".into()),
                },
                None | Some('\n') => return self.errorf("unterminated quoted string".into()),
                Some('"') => break,
                Some(_) => {}
            }
        }
        self.emit(ItemKind::String);
        State::InsideAction
    }

    fn lex_raw_quote(&mut self) -> State {
        match self.rest().find('`') {
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
        lex(s)
            .into_iter()
            .map(|i| (i.kind, i.val.into_owned()))
            .collect()
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
