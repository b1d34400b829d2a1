//! A conservative static read-set of template sources: which values paths a template reads
//! (`values.a.b`, `values["a"]`, `values.a.get("b")` in Jinja; `.Values.a.b`, `$.Values.a`,
//! `$root.Values.a`, `index .Values "a" "b"`, `get`/`hasKey`/`pluck`/`dig` with string keys in
//! Go templates). Used by the unused-value check and to name the values key in fixes.
//!
//! Conservative means: when a template may read more than the syntax shows, the scan says so.
//! A dynamic index (`values[name]`, `index .Values $k`) reads the whole prefix before it; a
//! method call (`values.a.items()`) reads `a` whole; `values`/`.Values` used on its own
//! (`to_yaml(values)`, `toYaml .Values`, `include "x" .Values`) sets [`Scan::whole`]. A Jinja
//! macro called with `values` as an argument is followed: the caller records the macro and the
//! parameter name, and the macro body is scanned with that name as the root (a parameter
//! literally named `values` needs nothing more). `tpl` sets [`Scan::tpl`]: the caller then
//! scans the value strings too. Go references inside `define` blocks are kept apart
//! ([`Scan::shared`]) because any chart of the tree may call them.
//!
//! Hand-written (a token scanner, not a template parser): minijinja's parser is only public
//! behind its unstable `machinery` feature and the Go engine has no public AST; this needs only
//! tokens. Must not render, and never fails: unreadable syntax just yields fewer references.

/// A values path and the 1-based source line it was read on.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Ref {
    pub path: Vec<String>,
    pub line: usize,
}

/// What one template source reads.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Scan {
    pub refs: Vec<Ref>,
    /// Go: references inside `define`/`block` bodies, callable from any chart of the tree.
    pub shared: Vec<Ref>,
    /// The values are used as a whole somewhere (passed on, serialised, iterated).
    pub whole: bool,
    /// The source calls `tpl`.
    pub tpl: bool,
    /// Jinja: `values` (or a part of it) passed to a macro of the chart tree.
    pub aliases: Vec<Alias>,
}

/// `values.<prefix>` passed to macro `callee` as its parameter `param`: the macro body's reads
/// of `param.x` are reads of `prefix.x`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Alias {
    pub callee: String,
    pub param: String,
    pub prefix: Vec<String>,
    pub line: usize,
}

/// A Jinja macro: its name, parameter names, body and the body's first line.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Macro {
    pub name: String,
    pub params: Vec<String>,
    pub body: String,
    pub line: usize,
}

/// Sources longer than this are scanned only up to here (real templates are far smaller).
const MAX_SOURCE: usize = 8 * 1024 * 1024;

#[derive(Clone, Debug, PartialEq)]
enum Tok {
    Ident(String),
    Str(String),
    /// Go: `.a.b`, `$.a`, `$x.a` — the segments after the variable.
    Chain(Vec<String>),
    Dot,
    LBracket,
    RBracket,
    LParen,
    RParen,
    Comma,
    Assign,
    Pipe,
    Other,
}

/// One `{{ }}` / `{% %}` region: its code and line.
struct Region<'a> {
    code: &'a str,
    line: usize,
    statement: bool,
}

fn truncate(src: &str) -> &str {
    if src.len() <= MAX_SOURCE {
        return src;
    }
    let mut end = MAX_SOURCE;
    while !src.is_char_boundary(end) {
        end -= 1;
    }
    &src[..end]
}

/// The code regions of a template: `{{ }}` and `{% %}` (Jinja) or `{{ }}` (Go), comments
/// skipped, whitespace-control markers removed.
fn regions(src: &str, jinja: bool) -> Vec<Region<'_>> {
    let src = truncate(src);
    let bytes = src.as_bytes();
    let mut out = Vec::new();
    let mut i = 0;
    let mut line = 1;
    while i + 1 < bytes.len() {
        if bytes[i] == b'\n' {
            line += 1;
            i += 1;
            continue;
        }
        if bytes[i] != b'{' {
            i += 1;
            continue;
        }
        let open = bytes[i + 1];
        let close: &[u8] = match (open, jinja) {
            (b'{', _) => b"}}",
            (b'%', true) => b"%}",
            (b'#', true) => b"#}",
            _ => {
                i += 1;
                continue;
            }
        };
        let start = i + 2;
        let go_comment = !jinja
            && src[start..]
                .trim_start_matches(['-', ' '])
                .starts_with("/*");
        let found = if go_comment {
            find_close(&bytes[start..], b"*/", true)
                .and_then(|c| find_close(&bytes[start + c..], close, true).map(|l| c + l))
        } else {
            find_close(&bytes[start..], close, open == b'#')
        };
        let Some(len) = found else {
            break;
        };
        let mut code = &src[start..start + len];
        let region_line = line;
        line += code.matches('\n').count();
        i = start + len + 2;
        if open == b'#' {
            continue;
        }
        code = code.trim_start_matches(['-', '+', '~']);
        code = code.trim_end_matches(['-', '+', '~']);
        if go_comment {
            continue;
        }
        out.push(Region {
            code,
            line: region_line,
            statement: open == b'%',
        });
    }
    out
}

/// Length up to the closing delimiter, skipping string literals (unless `raw`).
fn find_close(b: &[u8], close: &[u8], raw: bool) -> Option<usize> {
    let mut i = 0;
    let mut quote: Option<u8> = None;
    while i < b.len() {
        let c = b[i];
        if let Some(q) = quote {
            if c == b'\\' && q != b'`' {
                i += 2;
                continue;
            }
            if c == q {
                quote = None;
            }
            i += 1;
            continue;
        }
        if !raw && (c == b'"' || c == b'\'' || c == b'`') {
            quote = Some(c);
            i += 1;
            continue;
        }
        if b[i..].starts_with(close) {
            return Some(i);
        }
        i += 1;
    }
    None
}

fn is_ident_start(c: char) -> bool {
    c.is_ascii_alphabetic() || c == '_'
}

fn is_ident(c: char) -> bool {
    c.is_ascii_alphanumeric() || c == '_'
}

fn read_string(chars: &[char], i: &mut usize) -> String {
    let q = chars[*i];
    *i += 1;
    let mut s = String::new();
    while *i < chars.len() {
        let c = chars[*i];
        if c == '\\' && q != '`' && *i + 1 < chars.len() {
            s.push(chars[*i + 1]);
            *i += 2;
            continue;
        }
        *i += 1;
        if c == q {
            break;
        }
        s.push(c);
    }
    s
}

fn read_ident(chars: &[char], i: &mut usize) -> String {
    let start = *i;
    while *i < chars.len() && is_ident(chars[*i]) {
        *i += 1;
    }
    chars[start..*i].iter().collect()
}

fn tokenize(code: &str, go: bool) -> Vec<Tok> {
    let chars: Vec<char> = code.chars().collect();
    let mut out = Vec::new();
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        if c.is_whitespace() {
            i += 1;
        } else if c == '"' || c == '\'' || (go && c == '`') {
            if go && c == '\'' {
                // A Go character literal.
                read_string(&chars, &mut i);
                out.push(Tok::Other);
            } else {
                out.push(Tok::Str(read_string(&chars, &mut i)));
            }
        } else if go
            && (c == '$' || (c == '.' && chars.get(i + 1).is_some_and(|&n| is_ident_start(n))))
        {
            if c == '$' {
                i += 1;
                read_ident(&chars, &mut i);
            }
            let mut segs = Vec::new();
            while i + 1 < chars.len() && chars[i] == '.' && is_ident_start(chars[i + 1]) {
                i += 1;
                segs.push(read_ident(&chars, &mut i));
            }
            out.push(Tok::Chain(segs));
        } else if is_ident_start(c) {
            out.push(Tok::Ident(read_ident(&chars, &mut i)));
        } else if c.is_ascii_digit() {
            while i < chars.len() && (is_ident(chars[i]) || chars[i] == '.') {
                i += 1;
            }
            out.push(Tok::Other);
        } else {
            i += 1;
            out.push(match c {
                '.' => Tok::Dot,
                '[' => Tok::LBracket,
                ']' => Tok::RBracket,
                '(' => Tok::LParen,
                ')' => Tok::RParen,
                ',' => Tok::Comma,
                '|' => Tok::Pipe,
                '=' if chars.get(i) == Some(&'=') => {
                    i += 1;
                    Tok::Other
                }
                '=' if matches!(chars.get(i.wrapping_sub(2)), Some('!' | '<' | '>')) => Tok::Other,
                '=' => Tok::Assign,
                ':' if go && chars.get(i) == Some(&'=') => {
                    i += 1;
                    Tok::Assign
                }
                _ => Tok::Other,
            });
        }
    }
    out
}

/// The Jinja macros defined in a source.
pub fn jinja_macros(src: &str) -> Vec<Macro> {
    let src = truncate(src);
    let mut out = Vec::new();
    let regs = regions(src, true);
    let mut open: Option<(String, Vec<String>, usize, usize)> = None;
    let mut depth = 0usize;
    for r in &regs {
        if !r.statement {
            continue;
        }
        let toks = tokenize(r.code, false);
        match toks.first() {
            Some(Tok::Ident(k)) if k == "macro" => {
                depth += 1;
                if depth == 1
                    && let Some(Tok::Ident(name)) = toks.get(1)
                {
                    let mut params = Vec::new();
                    let mut level = 0;
                    let mut expect = true;
                    for t in &toks[2..] {
                        match t {
                            Tok::LParen => {
                                level += 1;
                                expect = level == 1;
                            }
                            Tok::RParen => level -= 1,
                            Tok::Comma if level == 1 => expect = true,
                            Tok::Ident(p) if level == 1 && expect => {
                                params.push(p.clone());
                                expect = false;
                            }
                            _ => {}
                        }
                    }
                    // The body starts after this tag; find it by offset.
                    let offset = r.code.as_ptr() as usize - src.as_ptr() as usize;
                    let after = src[offset..]
                        .find("%}")
                        .map_or(src.len(), |p| offset + p + 2);
                    open = Some((name.clone(), params, after, r.line));
                }
            }
            Some(Tok::Ident(k)) if k == "endmacro" => {
                depth = depth.saturating_sub(1);
                if depth == 0
                    && let Some((name, params, start, line)) = open.take()
                {
                    let offset = r.code.as_ptr() as usize - src.as_ptr() as usize;
                    let end = src[..offset].rfind("{%").unwrap_or(offset);
                    out.push(Macro {
                        name,
                        params,
                        body: src[start.min(end)..end].to_string(),
                        line,
                    });
                }
            }
            _ => {}
        }
    }
    out
}

/// A call being read: the callee's last name part, the argument index, a keyword if given.
struct Call {
    callee: Option<String>,
    arg: usize,
    keyword: Option<String>,
}

/// Scans a Jinja source for reads of `root` (normally `values`). `macros` are the macros the
/// chart tree defines (to follow `values` passed as an argument).
pub fn scan_jinja(src: &str, root: &str, macros: &[Macro]) -> Scan {
    let mut scan = Scan::default();
    for r in regions(src, true) {
        let toks = tokenize(r.code, false);
        if r.statement
            && matches!(toks.first(), Some(Tok::Ident(k)) if k == "macro" || k == "endmacro")
        {
            continue;
        }
        let mut calls: Vec<Call> = Vec::new();
        let mut i = 0;
        while i < toks.len() {
            match &toks[i] {
                Tok::Ident(id) if id == "tpl" => {
                    scan.tpl = true;
                    i += 1;
                }
                Tok::Ident(id)
                    if id == root
                        && !matches!(i.checked_sub(1).map(|p| &toks[p]), Some(Tok::Dot))
                        && toks.get(i + 1) != Some(&Tok::Assign) =>
                {
                    let (path, next, method) = jinja_trailer(&toks, i + 1);
                    let ends_expr = matches!(
                        toks.get(next),
                        None | Some(Tok::Comma | Tok::RParen | Tok::RBracket)
                    );
                    // A macro argument: follow it into the macro's body.
                    let param = calls
                        .last()
                        .filter(|_| ends_expr && !method)
                        .and_then(|call| {
                            let callee = call.callee.as_ref()?;
                            let m = macros.iter().find(|m| &m.name == callee)?;
                            let p = match &call.keyword {
                                Some(k) => m.params.iter().find(|p| *p == k),
                                None => m.params.get(call.arg),
                            }?;
                            Some((callee.clone(), p.clone()))
                        });
                    match (param, path.is_empty(), method) {
                        (Some((_, p)), true, _) if p == "values" => {}
                        (Some((callee, p)), _, _) => scan.aliases.push(Alias {
                            callee,
                            param: p,
                            prefix: path,
                            line: r.line,
                        }),
                        (None, false, _) => scan.refs.push(Ref { path, line: r.line }),
                        (None, true, _) => scan.whole = true,
                    }
                    i = next;
                }
                Tok::LParen => {
                    let callee = match i.checked_sub(1).map(|p| &toks[p]) {
                        Some(Tok::Ident(name)) => Some(name.clone()),
                        _ => None,
                    };
                    calls.push(Call {
                        callee,
                        arg: 0,
                        keyword: None,
                    });
                    i += 1;
                }
                Tok::RParen => {
                    calls.pop();
                    i += 1;
                }
                Tok::Comma => {
                    if let Some(c) = calls.last_mut() {
                        c.arg += 1;
                        c.keyword = None;
                    }
                    i += 1;
                }
                Tok::Ident(k) if toks.get(i + 1) == Some(&Tok::Assign) => {
                    if let Some(c) = calls.last_mut() {
                        c.keyword = Some(k.clone());
                    }
                    i += 2;
                }
                _ => i += 1,
            }
        }
    }
    scan
}

/// Reads `.a`, `["a"]`, `.get("a")` after a root name. Returns the path, the index of the
/// first token not consumed, and whether the chain ended in another method call (reading the
/// path whole).
fn jinja_trailer(toks: &[Tok], mut i: usize) -> (Vec<String>, usize, bool) {
    let mut path = Vec::new();
    loop {
        match (
            toks.get(i),
            toks.get(i + 1),
            toks.get(i + 2),
            toks.get(i + 3),
        ) {
            (Some(Tok::Dot), Some(Tok::Ident(name)), Some(Tok::LParen), arg) => {
                if name == "get"
                    && let Some(Tok::Str(key)) = arg
                {
                    path.push(key.clone());
                    return (path, i + 2, false);
                }
                return (path, i + 2, true);
            }
            (Some(Tok::Dot), Some(Tok::Ident(name)), _, _) => {
                path.push(name.clone());
                i += 2;
            }
            (Some(Tok::LBracket), Some(Tok::Str(key)), Some(Tok::RBracket), _) => {
                path.push(key.clone());
                i += 3;
            }
            (Some(Tok::LBracket), _, _, _) => return (path, i, false),
            _ => return (path, i, false),
        }
    }
}

/// Go functions whose first argument after a map is a key: `get .Values "a"`, `hasKey`.
const GO_KEY_AFTER: &[&str] = &["get", "hasKey", "index"];
/// Go functions whose keys come before the map: `pluck "a" .Values`, `dig "a" "b" d .Values`.
const GO_KEY_BEFORE: &[&str] = &["pluck", "dig"];

/// Scans a Go-template source for reads of `.Values`.
pub fn scan_go(src: &str) -> Scan {
    let mut scan = Scan::default();
    // Open blocks: true for `define`/`block`.
    let mut blocks: Vec<bool> = Vec::new();
    for r in regions(src, false) {
        let toks = tokenize(r.code, true);
        match toks.first() {
            Some(Tok::Ident(k)) if k == "if" || k == "range" || k == "with" => blocks.push(false),
            Some(Tok::Ident(k)) if k == "define" || k == "block" => blocks.push(true),
            Some(Tok::Ident(k)) if k == "end" => {
                blocks.pop();
            }
            _ => {}
        }
        let shared = blocks.contains(&true);
        let found = |path: Vec<String>, scan: &mut Scan| {
            let r = Ref { path, line: r.line };
            if shared {
                scan.shared.push(r);
            } else {
                scan.refs.push(r);
            }
        };
        for (i, t) in toks.iter().enumerate() {
            match t {
                Tok::Ident(id) if id == "tpl" => scan.tpl = true,
                Tok::Chain(segs) => {
                    let Some(p) = segs.iter().position(|s| s == "Values") else {
                        continue;
                    };
                    let path: Vec<String> = segs[p + 1..].to_vec();
                    if !path.is_empty() {
                        found(path, &mut scan);
                        continue;
                    }
                    // `.Values` alone: a key function around it?
                    let prev = i.checked_sub(1).map(|j| &toks[j]);
                    if let Some(Tok::Ident(f)) = prev
                        && GO_KEY_AFTER.contains(&f.as_str())
                        && let Some(Tok::Str(k)) = toks.get(i + 1)
                    {
                        let mut path = vec![k.clone()];
                        if f == "index" {
                            let mut j = i + 2;
                            while let Some(Tok::Str(k)) = toks.get(j) {
                                path.push(k.clone());
                                j += 1;
                            }
                        }
                        found(path, &mut scan);
                        continue;
                    }
                    // `pluck "a" .Values` / `dig "a" "b" default .Values`.
                    let mut j = i;
                    let mut first_key = None;
                    while j > 0 {
                        j -= 1;
                        match &toks[j] {
                            Tok::Str(k) => first_key = Some(k.clone()),
                            Tok::Ident(f) if GO_KEY_BEFORE.contains(&f.as_str()) => break,
                            Tok::Ident(_) | Tok::Chain(_) | Tok::Other => {}
                            _ => {
                                first_key = None;
                                break;
                            }
                        }
                        if j == 0 {
                            first_key = None;
                        }
                    }
                    let keyed = j < i
                        && matches!(&toks[j], Tok::Ident(f) if GO_KEY_BEFORE.contains(&f.as_str()));
                    match first_key {
                        Some(k) if keyed => found(vec![k], &mut scan),
                        _ => scan.whole = true,
                    }
                }
                _ => {}
            }
        }
    }
    scan
}

#[cfg(test)]
mod tests {
    use super::*;

    fn paths(scan: &Scan) -> Vec<String> {
        scan.refs.iter().map(|r| r.path.join(".")).collect()
    }

    #[test]
    fn jinja_references() {
        let src = r#"
name: {{ values.image.repository }}:{{ values["image"]["tag"] }}
{% if values.ingress.enabled and values.ingress.get("host") %}
{% for k, v in values.podLabels.items() %}{{ k }}{% endfor %}
{{ values.env[name] }}
{# values.commented.out #}
{{ "values.in.a.string" }}
{{ other.values.not_root }}
"#;
        let s = scan_jinja(src, "values", &[]);
        assert_eq!(
            paths(&s),
            vec![
                "image.repository",
                "image.tag",
                "ingress.enabled",
                "ingress.host",
                "podLabels",
                "env"
            ]
        );
        assert!(!s.whole);
        assert_eq!(s.refs[0].line, 2);
        assert_eq!(s.refs[2].line, 3);
    }

    #[test]
    fn jinja_whole_uses() {
        for src in [
            "{{ values | to_yaml }}",
            "{{ to_yaml(values) }}",
            "{% for k in values %}{% endfor %}",
            "{{ values.items() }}",
            "{% set v = values %}",
        ] {
            assert!(scan_jinja(src, "values", &[]).whole, "{src}");
        }
        assert!(scan_jinja("{{ tpl(values.x) }}", "values", &[]).tpl);
    }

    #[test]
    fn jinja_macros_are_followed() {
        let helpers = r#"{% macro fullname(chart, values) -%}
{{ values.fullnameOverride }}
{%- endmacro %}
{% macro labels(ctx, v) %}{{ v.commonLabels }}{% endmacro %}"#;
        let macros = jinja_macros(helpers);
        assert_eq!(macros.len(), 2);
        assert_eq!(macros[0].params, vec!["chart", "values"]);
        assert_eq!(macros[1].name, "labels");
        assert_eq!(macros[1].body, "{{ v.commonLabels }}");
        // The macro's own body is scanned like any template.
        assert_eq!(
            paths(&scan_jinja(helpers, "values", &macros)),
            vec!["fullnameOverride"]
        );
        let user = "{{ h.fullname(chart, values) }} {{ h.labels(chart, values) }} {{ h.fullname(chart, values=values) }}";
        let s = scan_jinja(user, "values", &macros);
        assert!(!s.whole, "{s:?}");
        let aliases: Vec<(&str, &str)> = s
            .aliases
            .iter()
            .map(|a| (a.callee.as_str(), a.param.as_str()))
            .collect();
        assert_eq!(aliases, vec![("labels", "v")]);
        // A part of the values passed to a macro.
        let s = scan_jinja("{{ h.labels(chart, values.image) }}", "values", &macros);
        assert_eq!(s.aliases[0].prefix, vec!["image"]);
        assert!(s.refs.is_empty());
        let body = scan_jinja(&macros[1].body, "v", &macros);
        assert_eq!(paths(&body), vec!["commonLabels"]);
        // An unknown callee may do anything with the values.
        assert!(scan_jinja("{{ unknown(values) }}", "values", &macros).whole);
    }

    #[test]
    fn go_references() {
        let src = r#"
{{- /* .Values.commented */ -}}
image: {{ .Values.image.repository }}:{{ $.Values.image.tag | default .Chart.AppVersion }}
{{- with .Values.podAnnotations }}{{ toYaml . }}{{ end }}
{{ index .Values "extra" "key" }} {{ get .Values "got" }} {{ hasKey .Values "has" }}
{{ $root.Values.rooted }} {{ .context.Values.nested }}
{{ pluck "plucked" .Values | first }} {{ dig "dug" "deeper" "" .Values }}
{{ ".Values.in.string" }}
"#;
        let s = scan_go(src);
        assert_eq!(
            paths(&s),
            vec![
                "image.repository",
                "image.tag",
                "podAnnotations",
                "extra.key",
                "got",
                "has",
                "rooted",
                "nested",
                "plucked",
                "dug"
            ]
        );
        assert!(!s.whole, "{s:?}");
    }

    #[test]
    fn go_whole_uses_defines_and_tpl() {
        for src in [
            "{{ toYaml .Values }}",
            "{{ include \"x\" .Values }}",
            "{{ range $k, $v := .Values }}{{ end }}",
            "{{ $v := .Values }}",
        ] {
            assert!(scan_go(src).whole, "{src}");
        }
        let s = scan_go(
            "{{ define \"a\" }}{{ if .Values.x }}{{ .Values.y }}{{ end }}{{ end }}{{ .Values.z }}",
        );
        let shared: Vec<String> = s.shared.iter().map(|r| r.path.join(".")).collect();
        assert_eq!(shared, vec!["x", "y"]);
        assert_eq!(paths(&s), vec!["z"]);
        assert!(scan_go("{{ tpl .Values.t . }}").tpl);
    }

    #[test]
    fn hostile_sources_end() {
        let unclosed = "{{ values.a ".repeat(10_000);
        let _ = scan_jinja(&unclosed, "values", &[]);
        let deep = format!("{}{}", "{{ (".repeat(5_000), ".Values.x");
        let _ = scan_go(&deep);
        let many = "{{ .Values.a.b.c }}\n".repeat(50_000);
        assert_eq!(scan_go(&many).refs.len(), 50_000);
        assert!(jinja_macros("{% macro %}{% endmacro %}{% endmacro %}").is_empty());
    }
}
