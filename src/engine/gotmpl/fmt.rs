//! Go's `fmt` for template values: `Sprint`, `Sprintln`, `Sprintf` (verbs `%v %+v %#v %T %s %q
//! %d %b %o %O %x %X %c %U %e %E %f %F %g %G %t %%` with flags, width, precision and `%[n]`
//! argument indexes), Go's float formatting (`1e+06`), and `strconv.Quote`.
//! Hand-written: no crate reproduces Go's formatting rules byte for byte.

use super::value::Value;
use std::fmt::Write;

/// Maximum nesting printed before giving up on (possibly self-containing) values.
const MAX_PRINT_DEPTH: usize = 1000;

/// Go's `strconv.Quote`.
pub fn quote_go(s: &str) -> String {
    quote_with(s, '"', false)
}

fn quote_with(s: &str, quote: char, ascii_only: bool) -> String {
    let mut out = String::with_capacity(s.len() + 2);
    out.push(quote);
    for c in s.chars() {
        escape_rune(&mut out, c, quote, ascii_only);
    }
    out.push(quote);
    out
}

fn escape_rune(out: &mut String, c: char, quote: char, ascii_only: bool) {
    if c == quote || c == '\\' {
        out.push('\\');
        out.push(c);
        return;
    }
    if ascii_only {
        if c.is_ascii() && is_print(c) {
            out.push(c);
            return;
        }
    } else if is_print(c) {
        out.push(c);
        return;
    }
    match c {
        '\u{7}' => out.push_str("\\a"),
        '\u{8}' => out.push_str("\\b"),
        '\u{c}' => out.push_str("\\f"),
        '\n' => out.push_str("\\n"),
        '\r' => out.push_str("\\r"),
        '\t' => out.push_str("\\t"),
        '\u{b}' => out.push_str("\\v"),
        c if (c as u32) < 0x20 || c as u32 == 0x7f => {
            let _ = write!(out, "\\x{:02x}", c as u32);
        }
        c if (c as u32) < 0x10000 => {
            let _ = write!(out, "\\u{:04x}", c as u32);
        }
        c => {
            let _ = write!(out, "\\U{:08x}", c as u32);
        }
    }
}

/// An approximation of Go's `strconv.IsPrint`: letters, marks, numbers, punctuation, symbols
/// and the ASCII space.
pub fn is_print(c: char) -> bool {
    let u = c as u32;
    if u < 0x20 || (0x7f..0xa0).contains(&u) {
        return false;
    }
    if c == ' ' {
        return true;
    }
    if c.is_whitespace() {
        return false;
    }
    // Format characters (Cf), private use, surrogates and non-characters.
    !matches!(u,
        0xad | 0x600..=0x605 | 0x61c | 0x6dd | 0x70f | 0x180e | 0x200b..=0x200f
        | 0x202a..=0x202e | 0x2060..=0x206f | 0xd800..=0xf8ff | 0xfeff | 0xfff9..=0xfffb
        | 0xfffe | 0xffff | 0xe0001 | 0xe0020..=0xe007f | 0xf0000..=0x10ffff)
}

fn can_backquote(s: &str) -> bool {
    s.chars()
        .all(|c| c != '`' && c != '\u{FEFF}' && (c == '\t' || !(c < ' ' || c == '\u{7f}')))
}

/// Go's `fmt.Sprint`: spaces between operands when neither side is a string.
pub fn sprint(args: &[Value]) -> String {
    let mut out = String::new();
    let mut prev_string = false;
    for (i, a) in args.iter().enumerate() {
        let is_string = matches!(a, Value::String(_));
        if i > 0 && !is_string && !prev_string {
            out.push(' ');
        }
        out.push_str(&format_v(a));
        prev_string = is_string;
    }
    out
}

/// Go's `fmt.Sprintln`: spaces between all operands, newline at the end.
pub fn sprintln(args: &[Value]) -> String {
    let mut out = String::new();
    for (i, a) in args.iter().enumerate() {
        if i > 0 {
            out.push(' ');
        }
        out.push_str(&format_v(a));
    }
    out.push('\n');
    out
}

/// `%v` of one value (what `{{ . }}` prints, apart from `<no value>` for nil).
pub fn format_v(v: &Value) -> String {
    let mut p = Printer::default();
    p.print_arg(v, 'v');
    p.buf
}

#[derive(Default, Clone, Copy)]
struct Flags {
    plus: bool,
    minus: bool,
    sharp: bool,
    space: bool,
    zero: bool,
    plus_v: bool,
    sharp_v: bool,
    wid: Option<usize>,
    prec: Option<usize>,
}

#[derive(Default)]
struct Printer {
    buf: String,
    f: Flags,
    depth: usize,
}

/// Go's `fmt.Sprintf`.
pub fn sprintf(format: &str, args: &[Value]) -> String {
    let mut p = Printer::default();
    p.do_printf(format, args);
    p.buf
}

fn parse_num(s: &[u8], start: usize) -> (Option<usize>, usize) {
    let mut i = start;
    let mut n: usize = 0;
    let mut any = false;
    while i < s.len() && s[i].is_ascii_digit() {
        if n > 1_000_000 {
            return (None, i);
        }
        n = n * 10 + (s[i] - b'0') as usize;
        any = true;
        i += 1;
    }
    if any { (Some(n), i) } else { (None, i) }
}

impl Printer {
    fn do_printf(&mut self, format: &str, args: &[Value]) {
        let fb = format.as_bytes();
        let end = fb.len();
        let mut arg_num = 0usize;
        let mut after_index;
        let mut reordered = false;
        let mut i = 0;
        while i < end {
            self.f = Flags::default();
            let lasti = i;
            while i < end && fb[i] != b'%' {
                i += 1;
            }
            if i > lasti {
                self.buf.push_str(&format[lasti..i]);
            }
            if i >= end {
                break;
            }
            i += 1; // skip %
            // Flags.
            while i < end {
                match fb[i] {
                    b'#' => self.f.sharp = true,
                    b'0' => self.f.zero = true,
                    b'+' => self.f.plus = true,
                    b'-' => self.f.minus = true,
                    b' ' => self.f.space = true,
                    _ => break,
                }
                i += 1;
            }
            // Argument index and width.
            let (a, ni, ai) = arg_index(fb, i, arg_num, args.len());
            arg_num = a;
            i = ni;
            after_index = ai;
            if ai {
                reordered = true;
            }
            if i < end && fb[i] == b'*' {
                i += 1;
                match int_from_arg(args, arg_num) {
                    Some(n) => {
                        if n < 0 {
                            self.f.minus = true;
                            self.f.wid = Some(n.unsigned_abs() as usize);
                        } else {
                            self.f.wid = Some(n as usize);
                        }
                        arg_num += 1;
                    }
                    None => {
                        self.buf.push_str("%!(BADWIDTH)");
                        arg_num += 1;
                    }
                }
                after_index = false;
            } else {
                let (w, ni) = parse_num(fb, i);
                if w.is_some() && after_index {
                    reordered = true;
                }
                self.f.wid = w;
                i = ni;
            }
            // Precision.
            if i < end && fb[i] == b'.' {
                i += 1;
                if after_index {
                    reordered = true;
                }
                let (a, ni, ai) = arg_index(fb, i, arg_num, args.len());
                arg_num = a;
                i = ni;
                after_index = ai;
                if i < end && fb[i] == b'*' {
                    i += 1;
                    match int_from_arg(args, arg_num) {
                        Some(n) if n >= 0 => {
                            self.f.prec = Some(n as usize);
                            arg_num += 1;
                        }
                        _ => {
                            self.f.prec = None;
                            self.buf.push_str("%!(BADPREC)");
                            arg_num += 1;
                        }
                    }
                    after_index = false;
                } else {
                    let (p, ni) = parse_num(fb, i);
                    self.f.prec = Some(p.unwrap_or(0));
                    i = ni;
                }
            }
            if !after_index {
                let (a, ni, ai) = arg_index(fb, i, arg_num, args.len());
                arg_num = a;
                i = ni;
                after_index = ai;
                if ai {
                    reordered = true;
                }
            }
            if i >= end {
                self.buf.push_str("%!(NOVERB)");
                break;
            }
            let verb = format[i..].chars().next().unwrap_or('?');
            i += verb.len_utf8();
            match verb {
                '%' => {
                    self.buf.push('%');
                }
                _ if arg_num == usize::MAX => {
                    // Bad argument index.
                    self.buf.push_str("%!");
                    self.buf.push(verb);
                    self.buf.push_str("(BADINDEX)");
                    arg_num = args.len();
                }
                _ if arg_num >= args.len() => {
                    self.buf.push_str("%!");
                    self.buf.push(verb);
                    self.buf.push_str("(MISSING)");
                }
                'w' => {
                    // %w is only for Errorf.
                    self.bad_verb('w', &args[arg_num]);
                    arg_num += 1;
                }
                'v' => {
                    self.f.sharp_v = self.f.sharp;
                    self.f.sharp = false;
                    self.f.plus_v = self.f.plus;
                    self.f.plus = false;
                    self.print_arg(&args[arg_num], 'v');
                    arg_num += 1;
                }
                _ => {
                    self.print_arg(&args[arg_num], verb);
                    arg_num += 1;
                }
            }
            let _ = after_index;
        }
        if !reordered && arg_num < args.len() {
            self.f = Flags::default();
            self.buf.push_str("%!(EXTRA ");
            for (k, a) in args[arg_num..].iter().enumerate() {
                if k > 0 {
                    self.buf.push_str(", ");
                }
                if a.is_nil() {
                    self.buf.push_str("<nil>");
                } else {
                    self.buf.push_str(&a.type_name());
                    self.buf.push('=');
                    self.print_arg(a, 'v');
                }
            }
            self.buf.push(')');
        }
    }

    fn bad_verb(&mut self, verb: char, arg: &Value) {
        let saved = self.f;
        self.f = Flags::default();
        self.buf.push_str("%!");
        self.buf.push(verb);
        self.buf.push('(');
        if arg.is_nil() {
            self.buf.push_str("<nil>");
        } else {
            self.buf.push_str(&arg.type_name());
            self.buf.push('=');
            self.print_arg(arg, 'v');
        }
        self.buf.push(')');
        self.f = saved;
    }

    fn print_arg(&mut self, arg: &Value, verb: char) {
        if arg.is_nil() {
            match verb {
                'T' | 'v' => self.pad_str("<nil>"),
                _ => self.bad_verb(verb, arg),
            }
            return;
        }
        if verb == 'T' {
            let t = arg.type_name();
            self.fmt_s(&t);
            return;
        }
        if verb == 'p' {
            self.bad_verb(verb, arg);
            return;
        }
        self.print_value(arg, verb, 0);
    }

    fn print_value(&mut self, v: &Value, verb: char, depth: usize) {
        if depth > MAX_PRINT_DEPTH || self.depth > MAX_PRINT_DEPTH {
            self.buf.push_str("...");
            return;
        }
        match v {
            Value::Nil => {
                // A nil interface inside a container.
                if depth > 0 && self.f.sharp_v {
                    self.buf.push_str("interface {}(nil)");
                } else {
                    self.pad_str("<nil>");
                }
            }
            Value::Bool(b) => match verb {
                't' | 'v' => self.pad_str(if *b { "true" } else { "false" }),
                _ => self.bad_verb(verb, v),
            },
            Value::Int(i) | Value::Int64(i) => self.fmt_integer_verb(*i as i128, verb, v),
            Value::Uint8(u) => self.fmt_integer_verb(*u as i128, verb, v),
            Value::Float(f) => self.fmt_float_verb(*f, verb, v),
            Value::String(s) => self.fmt_string_verb(s, verb, v),
            Value::Bytes(b) => match verb {
                's' | 'q' | 'x' | 'X' => {
                    let s = String::from_utf8_lossy(b).into_owned();
                    if verb == 'x' || verb == 'X' {
                        self.fmt_hex_bytes(b, verb);
                    } else {
                        self.fmt_string_verb(&s, verb, v);
                    }
                }
                _ => {
                    if self.f.sharp_v {
                        self.buf.push_str("[]byte{");
                        for (i, x) in b.iter().enumerate() {
                            if i > 0 {
                                self.buf.push_str(", ");
                            }
                            let _ = write!(self.buf, "0x{x:x}");
                        }
                        self.buf.push('}');
                        return;
                    }
                    self.buf.push('[');
                    for (i, x) in b.iter().enumerate() {
                        if i > 0 {
                            self.buf.push(' ');
                        }
                        self.fmt_integer_verb(*x as i128, verb, &Value::Uint8(*x));
                    }
                    self.buf.push(']');
                }
            },
            Value::List(l) => {
                if self.f.sharp_v {
                    self.buf.push_str(&v.type_name());
                    self.buf.push('{');
                    for (i, x) in l.items.iter().enumerate() {
                        if i > 0 {
                            self.buf.push_str(", ");
                        }
                        self.print_value(x, verb, depth + 1);
                    }
                    self.buf.push('}');
                    return;
                }
                self.buf.push('[');
                for (i, x) in l.items.iter().enumerate() {
                    if i > 0 {
                        self.buf.push(' ');
                    }
                    self.print_value(x, verb, depth + 1);
                }
                self.buf.push(']');
            }
            Value::Map(m) => {
                let entries = m.entries();
                if self.f.sharp_v {
                    self.buf.push_str(&v.type_name());
                    self.buf.push('{');
                    for (i, (k, x)) in entries.iter().enumerate() {
                        if i > 0 {
                            self.buf.push_str(", ");
                        }
                        self.buf.push_str(&quote_go(k));
                        self.buf.push(':');
                        self.print_value(x, verb, depth + 1);
                    }
                    self.buf.push('}');
                    return;
                }
                self.buf.push_str("map[");
                for (i, (k, x)) in entries.iter().enumerate() {
                    if i > 0 {
                        self.buf.push(' ');
                    }
                    self.fmt_string_verb(k, verb, &Value::str(k));
                    self.buf.push(':');
                    self.print_value(x, verb, depth + 1);
                }
                self.buf.push(']');
            }
            Value::Object(o) => match verb {
                'v' | 's' | 'q' | 'x' | 'X' => {
                    let s = o.format();
                    self.fmt_string_verb(&s, verb, &Value::string(s.clone()));
                }
                _ => match o.as_collection() {
                    Some(c) => {
                        self.depth += 1;
                        self.print_value(&c, verb, depth + 1);
                        self.depth -= 1;
                    }
                    None => self.bad_verb(verb, v),
                },
            },
        }
    }

    fn fmt_string_verb(&mut self, s: &str, verb: char, orig: &Value) {
        match verb {
            'v' => {
                if self.f.sharp_v {
                    let q = quote_go(s);
                    self.pad_str(&q);
                } else {
                    self.fmt_s(s);
                }
            }
            's' => self.fmt_s(s),
            'x' | 'X' => self.fmt_hex_bytes(s.as_bytes(), verb),
            'q' => self.fmt_q(s),
            _ => self.bad_verb(verb, orig),
        }
    }

    fn truncate<'a>(&self, s: &'a str) -> &'a str {
        if let Some(p) = self.f.prec
            && let Some((idx, _)) = s.char_indices().nth(p)
        {
            return &s[..idx];
        }
        s
    }

    fn fmt_s(&mut self, s: &str) {
        let s = self.truncate(s).to_string();
        self.pad_str(&s);
    }

    fn fmt_q(&mut self, s: &str) {
        let s = self.truncate(s);
        let q = if self.f.sharp && can_backquote(s) {
            format!("`{s}`")
        } else {
            quote_with(s, '"', self.f.plus)
        };
        self.pad_str(&q);
    }

    fn fmt_hex_bytes(&mut self, b: &[u8], verb: char) {
        let digits: &[u8; 16] = if verb == 'X' {
            b"0123456789ABCDEF"
        } else {
            b"0123456789abcdef"
        };
        let len = match self.f.prec {
            Some(p) if p < b.len() => p,
            _ => b.len(),
        };
        let mut out = String::new();
        for (i, c) in b[..len].iter().enumerate() {
            if self.f.space && i > 0 {
                out.push(' ');
            }
            if self.f.sharp && (self.f.space || i == 0) {
                out.push('0');
                out.push(verb);
            }
            out.push(digits[(c >> 4) as usize] as char);
            out.push(digits[(c & 0xf) as usize] as char);
        }
        self.pad_str(&out);
    }

    /// Writes `s` padded to the width (spaces, or zeros when asked and allowed).
    fn pad_str(&mut self, s: &str) {
        let Some(w) = self.f.wid else {
            self.buf.push_str(s);
            return;
        };
        let n = s.chars().count();
        if n >= w {
            self.buf.push_str(s);
            return;
        }
        let pad = w - n;
        if self.f.minus {
            self.buf.push_str(s);
            self.buf.extend(std::iter::repeat_n(' ', pad));
        } else {
            let c = if self.f.zero { '0' } else { ' ' };
            self.buf.extend(std::iter::repeat_n(c, pad));
            self.buf.push_str(s);
        }
    }

    fn fmt_integer_verb(&mut self, i: i128, verb: char, orig: &Value) {
        match verb {
            'v' => {
                if self.f.sharp_v && matches!(orig, Value::Uint8(_)) {
                    let s = format!("0x{i:x}");
                    self.pad_str(&s);
                } else {
                    self.fmt_integer(i, 10, verb, false);
                }
            }
            'd' => self.fmt_integer(i, 10, verb, false),
            'b' => self.fmt_integer(i, 2, verb, false),
            'o' | 'O' => self.fmt_integer(i, 8, verb, false),
            'x' => self.fmt_integer(i, 16, verb, false),
            'X' => self.fmt_integer(i, 16, verb, true),
            'c' => {
                let c = char::from_u32(i as u32).unwrap_or('\u{FFFD}');
                let s = c.to_string();
                self.pad_str(&s);
            }
            'q' => {
                let c = char::from_u32(i as u32).unwrap_or('\u{FFFD}');
                let mut s = String::from("'");
                if c == '\'' {
                    s.push_str("\\'");
                } else {
                    let mut tmp = String::new();
                    escape_rune(&mut tmp, c, '\'', self.f.plus);
                    s.push_str(&tmp);
                }
                s.push('\'');
                self.pad_str(&s);
            }
            'U' => {
                let mut s = format!("U+{:04X}", i);
                if self.f.sharp
                    && let Some(c) = char::from_u32(i as u32)
                    && is_print(c)
                {
                    s.push_str(&format!(" '{c}'"));
                }
                self.pad_str(&s);
            }
            _ => self.bad_verb(verb, orig),
        }
    }

    fn fmt_integer(&mut self, i: i128, base: u32, verb: char, upper: bool) {
        let neg = i < 0;
        let mag = i.unsigned_abs();
        let mut digits = match base {
            2 => format!("{mag:b}"),
            8 => format!("{mag:o}"),
            16 => {
                if upper {
                    format!("{mag:X}")
                } else {
                    format!("{mag:x}")
                }
            }
            _ => mag.to_string(),
        };
        // Precision: minimum digits; %.0d of 0 prints nothing.
        let mut zero_pad_to = None;
        if let Some(p) = self.f.prec {
            if p == 0 && mag == 0 {
                digits.clear();
            } else if digits.len() < p {
                digits = format!("{}{}", "0".repeat(p - digits.len()), digits);
            }
        } else if self.f.zero
            && !self.f.minus
            && let Some(w) = self.f.wid
        {
            zero_pad_to = Some(w);
        }
        let mut prefix = String::new();
        if neg {
            prefix.push('-');
        } else if self.f.plus {
            prefix.push('+');
        } else if self.f.space {
            prefix.push(' ');
        }
        if self.f.sharp {
            match base {
                2 => prefix.push_str("0b"),
                8 if !digits.starts_with('0') => {
                    prefix.push('0');
                }
                16 => prefix.push_str(if upper { "0X" } else { "0x" }),
                _ => {}
            }
        }
        if verb == 'O' {
            prefix.push_str("0o");
        }
        if let Some(w) = zero_pad_to {
            let len = prefix.len() + digits.len();
            if len < w {
                digits = format!("{}{}", "0".repeat(w - len), digits);
            }
            let s = format!("{prefix}{digits}");
            self.buf.push_str(&s);
            return;
        }
        let s = format!("{prefix}{digits}");
        let saved_zero = self.f.zero;
        self.f.zero = false;
        self.pad_str(&s);
        self.f.zero = saved_zero;
    }

    fn fmt_float_verb(&mut self, f: f64, verb: char, orig: &Value) {
        match verb {
            'v' => self.fmt_float(f, 'g', None),
            'b' | 'g' | 'G' | 'x' | 'X' => self.fmt_float(f, verb, None),
            'f' | 'e' | 'E' | 'F' => self.fmt_float(f, verb, Some(6)),
            _ => self.bad_verb(verb, orig),
        }
    }

    fn fmt_float(&mut self, v: f64, verb: char, default_prec: Option<usize>) {
        let prec = self.f.prec.or(default_prec);
        let verb = if verb == 'F' { 'f' } else { verb };
        let mut num = format_float(v, verb, prec);
        // Sign handling as in Go's fmt.fmtFloat.
        let has_sign = num.starts_with('-') || num.starts_with('+');
        if !has_sign {
            num.insert(0, '+');
        }
        let mut num: Vec<char> = num.chars().collect();
        if self.f.space && num[0] == '+' && !self.f.plus {
            num[0] = ' ';
        }
        if num[1] == 'I' || num[1] == 'N' {
            if num[1] == 'N' && !self.f.space && !self.f.plus {
                num.remove(0);
            }
            let s: String = num.iter().collect();
            let saved = self.f.zero;
            self.f.zero = false;
            self.pad_str(&s);
            self.f.zero = saved;
            return;
        }
        if self.f.sharp && verb != 'b' {
            let mut digits = 0usize;
            match verb {
                'v' | 'g' | 'G' | 'x' => {
                    digits = prec.unwrap_or(6);
                    if digits == 0 {
                        digits = 1;
                    }
                }
                _ => {}
            }
            let mut tail = Vec::new();
            let mut saw_nonzero = false;
            let mut has_point = false;
            let mut i = 1;
            while i < num.len() {
                match num[i] {
                    '.' => has_point = true,
                    'p' | 'P' | 'e' | 'E' => {
                        tail = num[i..].to_vec();
                        num.truncate(i);
                        break;
                    }
                    '0' => {
                        if saw_nonzero || has_point {
                            // counted below
                        }
                        if saw_nonzero {
                            digits = digits.saturating_sub(1);
                        }
                    }
                    _ => {
                        saw_nonzero = true;
                        digits = digits.saturating_sub(1);
                    }
                }
                i += 1;
            }
            if !has_point {
                if num.len() == 2 && num[1] == '0' {
                    digits = digits.saturating_sub(1);
                }
                num.push('.');
            }
            while digits > 0 {
                num.push('0');
                digits -= 1;
            }
            num.extend(tail);
        }
        if self.f.plus || num[0] != '+' {
            if self.f.zero
                && !self.f.minus
                && let Some(w) = self.f.wid
                && w > num.len()
            {
                self.buf.push(num[0]);
                self.buf.extend(std::iter::repeat_n('0', w - num.len()));
                self.buf.extend(num[1..].iter());
                return;
            }
            let s: String = num.iter().collect();
            self.pad_str(&s);
            return;
        }
        let s: String = num[1..].iter().collect();
        if self.f.zero
            && !self.f.minus
            && let Some(w) = self.f.wid
            && w > s.len()
        {
            self.buf.extend(std::iter::repeat_n('0', w - s.len()));
            self.buf.push_str(&s);
            return;
        }
        self.pad_str(&s);
    }
}

/// Returns (new arg number or usize::MAX when bad, new index, whether an index was present).
fn arg_index(fb: &[u8], i: usize, arg_num: usize, num_args: usize) -> (usize, usize, bool) {
    if i >= fb.len() || fb[i] != b'[' {
        return (arg_num, i, false);
    }
    // Find the closing bracket.
    let mut j = i + 1;
    while j < fb.len() && fb[j] != b']' {
        j += 1;
    }
    if j >= fb.len() {
        // No closing bracket: bad index; consume nothing more than "[".
        return (usize::MAX, i + 1, true);
    }
    let (n, end) = parse_num(fb, i + 1);
    match n {
        Some(n) if end == j && n >= 1 && n <= num_args => (n - 1, j + 1, true),
        _ => (usize::MAX, j + 1, true),
    }
}

fn int_from_arg(args: &[Value], arg_num: usize) -> Option<i64> {
    match args.get(arg_num)? {
        Value::Int(i) | Value::Int64(i) => {
            if i.unsigned_abs() > 1_000_000 {
                None
            } else {
                Some(*i)
            }
        }
        Value::Uint8(u) => Some(*u as i64),
        _ => None,
    }
}

/// Decimal digits of a float and the position of the decimal point (Go's `decimalSlice`):
/// value = 0.d1d2d3... × 10^dp.
fn float_digits(v: f64, sig: Option<usize>) -> (Vec<u8>, i32) {
    let s = match sig {
        None => format!("{:e}", v.abs()),
        Some(p) => format!("{:.*e}", p.saturating_sub(1), v.abs()),
    };
    let (mant, exp) = s.split_once('e').unwrap_or((&s, "0"));
    let exp: i32 = exp.parse().unwrap_or(0);
    let mut digits: Vec<u8> = mant.bytes().filter(|b| b.is_ascii_digit()).collect();
    // Trim trailing zeros (Go's decimal trims them).
    while digits.len() > 1 && *digits.last().unwrap_or(&b'1') == b'0' {
        digits.pop();
    }
    if digits == b"0" {
        return (Vec::new(), 0);
    }
    (digits, exp + 1)
}

/// Go's `strconv.FormatFloat(v, verb, prec, 64)` for verbs e, E, f, g, G (and b/x as %g).
pub fn format_float(v: f64, verb: char, prec: Option<usize>) -> String {
    if v.is_nan() {
        return "NaN".into();
    }
    if v.is_infinite() {
        return if v > 0.0 {
            "+Inf".into()
        } else {
            "-Inf".into()
        };
    }
    let neg = v.is_sign_negative();
    let sign = if neg { "-" } else { "" };
    match verb {
        'f' => {
            let p = prec.unwrap_or(6);
            let body = if prec.is_none() {
                // Shortest: %f with as many digits as needed.
                let (d, dp) = float_digits(v, None);
                return format!(
                    "{sign}{}",
                    fmt_f(&d, dp, (d.len() as i32 - dp).max(0) as usize)
                );
            } else {
                format!("{:.*}", p, v.abs())
            };
            format!("{sign}{body}")
        }
        'e' | 'E' => {
            let (d, dp) = match prec {
                None => float_digits(v, None),
                Some(p) => float_digits(v, Some(p + 1)),
            };
            let p = match prec {
                None => d.len().saturating_sub(1),
                Some(p) => p,
            };
            format!("{sign}{}", fmt_e(&d, dp, p, verb))
        }
        _ => {
            // 'g', 'G' (and 'v', 'b', 'x' approximated as 'g').
            let upper = verb == 'G' || verb == 'X';
            let shortest = prec.is_none();
            let mut p = prec.unwrap_or(0);
            if !shortest && p == 0 {
                p = 1;
            }
            let (d, dp) = if shortest {
                float_digits(v, None)
            } else {
                float_digits(v, Some(p))
            };
            if shortest {
                p = d.len().max(1);
            }
            let nd = d.len() as i32;
            let mut eprec = p as i32;
            if eprec > nd && nd >= dp {
                eprec = nd;
            }
            if shortest {
                eprec = 6;
            }
            let exp = dp - 1;
            let e = if upper { 'E' } else { 'e' };
            if d.is_empty() {
                // Zero.
                return format!("{sign}0");
            }
            if exp < -4 || exp >= eprec {
                let mut pp = p as i32;
                if pp > nd {
                    pp = nd;
                }
                return format!("{sign}{}", fmt_e(&d, dp, (pp - 1).max(0) as usize, e));
            }
            let mut pp = p as i32;
            if pp > dp {
                pp = nd;
            }
            format!("{sign}{}", fmt_f(&d, dp, (pp - dp).max(0) as usize))
        }
    }
}

fn fmt_e(d: &[u8], dp: i32, prec: usize, e: char) -> String {
    let mut out = String::new();
    let first = if d.is_empty() { b'0' } else { d[0] };
    out.push(first as char);
    if prec > 0 {
        out.push('.');
        let mut i = 1;
        let m = (d.len()).min(prec + 1);
        if i < m {
            out.push_str(std::str::from_utf8(&d[i..m]).unwrap_or(""));
            i = m;
        }
        while i <= prec {
            out.push('0');
            i += 1;
        }
    }
    out.push(e);
    let exp = if d.is_empty() { 0 } else { dp - 1 };
    if exp < 0 {
        out.push('-');
    } else {
        out.push('+');
    }
    let exp = exp.unsigned_abs();
    if exp < 10 {
        out.push('0');
    }
    out.push_str(&exp.to_string());
    out
}

fn fmt_f(d: &[u8], dp: i32, prec: usize) -> String {
    let mut out = String::new();
    if dp > 0 {
        let m = (dp as usize).min(d.len());
        out.push_str(std::str::from_utf8(&d[..m]).unwrap_or(""));
        for _ in m..dp as usize {
            out.push('0');
        }
    } else {
        out.push('0');
    }
    if prec > 0 {
        out.push('.');
        for i in 1..=prec as i32 {
            let j = dp + i - 1;
            let ch = if j < 0 || j as usize >= d.len() {
                b'0'
            } else {
                d[j as usize]
            };
            out.push(ch as char);
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::BTreeMap;

    fn s(x: &str) -> Value {
        Value::str(x)
    }

    #[test]
    fn floats_like_go() {
        let table: &[(f64, &str)] = &[
            (1e6, "1e+06"),
            (1e21, "1e+21"),
            (100000.0, "100000"),
            (1e-5, "1e-05"),
            (0.0001, "0.0001"),
            (123456789.0, "1.23456789e+08"),
            (1.5, "1.5"),
            (0.0, "0"),
            (-2.5, "-2.5"),
            (123456.0, "123456"),
            (1234567.0, "1.234567e+06"),
            (0.1 + 0.2, "0.30000000000000004"),
            (f64::INFINITY, "+Inf"),
            (1e100, "1e+100"),
        ];
        for (v, want) in table {
            assert_eq!(format_v(&Value::Float(*v)), *want, "{v}");
        }
    }

    #[test]
    fn printf_verbs_like_go() {
        let m = Value::map(BTreeMap::from([("a".to_string(), Value::Int64(1))]));
        let table: Vec<(&str, Vec<Value>, &str)> = vec![
            (
                "%v|%+v|%#v|%T",
                vec![m.clone(), m.clone(), m.clone(), m.clone()],
                "map[a:1]|map[a:1]|map[string]interface {}{\"a\":1}|map[string]interface {}",
            ),
            (
                "%d %s %v %q %x",
                vec![Value::Int(3), s("s"), Value::Float(1.5), s("q\n"), s("hi")],
                "3 s 1.5 \"q\\n\" 6869",
            ),
            ("%d", vec![Value::Float(1.5)], "%!d(float64=1.5)"),
            ("%s", vec![Value::Int(3)], "%!s(int=3)"),
            ("%d %d", vec![Value::Int(1)], "1 %!d(MISSING)"),
            ("%d", vec![Value::Int(1), Value::Int(2)], "1%!(EXTRA int=2)"),
            (
                "%5.2f|%-5d|%05d|%+d|%e|%g|%G|%8.3e",
                vec![
                    Value::Float(3.25159),
                    Value::Int(42),
                    Value::Int(42),
                    Value::Int(42),
                    Value::Float(123456.789),
                    Value::Float(0.00001),
                    Value::Float(1e21),
                    Value::Float(1234.5),
                ],
                " 3.25|42   |00042|+42|1.234568e+05|1e-05|1E+21|1.234e+03",
            ),
            (
                "%x %X %o %b %c %U",
                vec![
                    Value::Int(255),
                    Value::Int(255),
                    Value::Int(8),
                    Value::Int(5),
                    Value::Int(65),
                    Value::Int(65),
                ],
                "ff FF 10 101 A U+0041",
            ),
            (
                "%#x %#o %08.3f %-8s| %8s|",
                vec![
                    Value::Int(255),
                    Value::Int(8),
                    Value::Float(-3.25159),
                    s("ab"),
                    s("ab"),
                ],
                "0xff 010 -003.252 ab      |       ab|",
            ),
            ("%t %v", vec![Value::Bool(true), Value::Nil], "true <nil>"),
            (
                "%.2s %.1f %.0f %.0f",
                vec![
                    s("héllo"),
                    Value::Float(0.25),
                    Value::Float(2.5),
                    Value::Float(3.5),
                ],
                "hé 0.2 2 4",
            ),
            ("%[2]d %[1]d", vec![Value::Int(1), Value::Int(2)], "2 1"),
            (
                "%*d|%-*d|",
                vec![Value::Int(4), Value::Int(7), Value::Int(3), Value::Int(7)],
                "   7|7  |",
            ),
            ("100%%", vec![], "100%"),
            ("%!", vec![], "%!!(MISSING)"),
            ("abc%", vec![], "abc%!(NOVERB)"),
            ("%z", vec![Value::Int(1)], "%!z(int=1)"),
            (
                "%v",
                vec![Value::list(vec![s("a"), Value::Int(1), Value::Nil])],
                "[a 1 <nil>]",
            ),
            (
                "%q",
                vec![Value::list(vec![s("a"), s("b")])],
                "[\"a\" \"b\"]",
            ),
            (
                "%s",
                vec![Value::Bytes(std::rc::Rc::from(&b"hi"[..]))],
                "hi",
            ),
            (
                "%v",
                vec![Value::Bytes(std::rc::Rc::from(&b"hi"[..]))],
                "[104 105]",
            ),
            ("%6.2f%%", vec![Value::Float(99.5)], " 99.50%"),
            (
                "%g %g",
                vec![Value::Float(100000.0), Value::Float(1000000.0)],
                "100000 1e+06",
            ),
            (
                "%.3g %.10g",
                vec![Value::Float(1.0), Value::Float(1.0 / 3.0)],
                "1 0.3333333333",
            ),
            ("%e", vec![Value::Float(0.0)], "0.000000e+00"),
            (
                "%f",
                vec![Value::Float(1e21)],
                "1000000000000000000000.000000",
            ),
        ];
        for (f, args, want) in table {
            assert_eq!(sprintf(f, &args), want, "format {f:?}");
        }
    }

    #[test]
    fn sprint_spacing() {
        assert_eq!(
            sprint(&[
                Value::Int(1),
                Value::Int(2),
                s("a"),
                s("b"),
                Value::Int(3),
                Value::Nil
            ]),
            "1 2ab3 <nil>"
        );
        assert_eq!(sprintln(&[Value::Int(1), s("a")]), "1 a\n");
    }

    #[test]
    fn quoting() {
        assert_eq!(
            quote_go("a\"b\\c\n\u{1}é\u{a0}"),
            "\"a\\\"b\\\\c\\n\\x01é\\u00a0\""
        );
    }
}
