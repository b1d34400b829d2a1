//! Glob patterns for `files.glob(...)`, with the semantics of Helm's `.Files.Glob` (gobwas/glob
//! compiled with `/` as separator): `*` and `?` stay within one path segment, `**` crosses
//! segments, `[abc]`/`[a-z]`/`[!a-z]` match one character, `{a,b}` are alternatives, `\` escapes.
//! An invalid pattern (unclosed `[` or `{`) matches every file, as in Helm.
//!
//! Hand-written rather than `globset` because globset gives `**/x` and `a**` other meanings
//! (`**/x` also matches `x` at the root; `a**` is an error) than the gobwas rules Helm charts rely
//! on. Matching is a dynamic programme over (pattern, name), so it runs in O(pattern × name) time
//! whatever the input; brace alternatives are expanded up to [`MAX_ALTERNATIVES`].
//! Must not touch the filesystem.

/// Upper bound on the number of patterns `{a,b}{c,d}...` expands to; beyond it the pattern is
/// treated as invalid (and so matches everything, like any invalid pattern).
const MAX_ALTERNATIVES: usize = 256;
/// Upper bound on pattern length in characters; longer patterns are treated as invalid.
const MAX_PATTERN_CHARS: usize = 4096;

#[derive(Clone, Debug, PartialEq)]
enum Token {
    Literal(char),
    /// `*`: any run of characters other than `/`.
    Star,
    /// `**`: any run of characters, `/` included.
    Super,
    /// `?`: one character other than `/`.
    Single,
    /// `[...]`: one character in (or, when negated, not in) the ranges.
    Class {
        ranges: Vec<(char, char)>,
        negated: bool,
    },
}

/// A compiled glob pattern.
#[derive(Clone, Debug)]
pub struct Glob {
    /// Alternatives after brace expansion; `None` means "matches everything".
    alternatives: Option<Vec<Vec<Token>>>,
}

impl Glob {
    /// Compiles a pattern. Never fails: an invalid pattern matches every name (Helm's rule).
    pub fn new(pattern: &str) -> Glob {
        let chars: Vec<char> = pattern.chars().collect();
        if chars.len() > MAX_PATTERN_CHARS {
            return Glob { alternatives: None };
        }
        let alternatives = expand(&chars)
            .and_then(|alts| alts.iter().map(|a| tokenize(a)).collect::<Option<Vec<_>>>());
        Glob { alternatives }
    }

    /// Whether `name` (a `/`-separated relative path) matches.
    pub fn is_match(&self, name: &str) -> bool {
        match &self.alternatives {
            None => true,
            Some(alts) => {
                let chars: Vec<char> = name.chars().collect();
                alts.iter().any(|tokens| match_tokens(tokens, &chars))
            }
        }
    }
}

/// Expands `{a,b}` alternatives into plain patterns (escapes and classes kept as written).
/// Returns `None` for unbalanced braces or too many alternatives.
fn expand(chars: &[char]) -> Option<Vec<Vec<char>>> {
    // Find the first top-level `{` (not escaped, not inside a class).
    let mut i = 0;
    let mut in_class = false;
    while i < chars.len() {
        match chars[i] {
            '\\' => i += 1,
            '[' if !in_class => in_class = true,
            ']' if in_class => in_class = false,
            '{' if !in_class => break,
            '}' if !in_class => return None,
            _ => {}
        }
        i += 1;
    }
    if i >= chars.len() {
        return Some(vec![chars.to_vec()]);
    }
    let open = i;
    // Find the matching `}` and the top-level commas between.
    let mut depth = 0usize;
    let mut commas = Vec::new();
    let mut close = None;
    let mut j = open;
    let mut in_class = false;
    while j < chars.len() {
        match chars[j] {
            '\\' => j += 1,
            '[' if !in_class => in_class = true,
            ']' if in_class => in_class = false,
            '{' if !in_class => depth += 1,
            '}' if !in_class => {
                depth -= 1;
                if depth == 0 {
                    close = Some(j);
                    break;
                }
            }
            ',' if !in_class && depth == 1 => commas.push(j),
            _ => {}
        }
        j += 1;
    }
    let close = close?;
    let prefix = &chars[..open];
    let suffix_alts = expand(&chars[close + 1..])?;
    let mut bounds = vec![open];
    bounds.extend(commas);
    bounds.push(close);
    let mut out = Vec::new();
    for w in bounds.windows(2) {
        let inner = &chars[w[0] + 1..w[1]];
        for alt in expand(inner)? {
            for suffix in &suffix_alts {
                if out.len() >= MAX_ALTERNATIVES {
                    return None;
                }
                let mut p = prefix.to_vec();
                p.extend_from_slice(&alt);
                p.extend_from_slice(suffix);
                out.push(p);
            }
        }
    }
    Some(out)
}

/// Turns a brace-free pattern into tokens. `None` for an unclosed class or a trailing `\`.
fn tokenize(chars: &[char]) -> Option<Vec<Token>> {
    let mut out = Vec::new();
    let mut i = 0;
    while i < chars.len() {
        match chars[i] {
            '\\' => {
                out.push(Token::Literal(*chars.get(i + 1)?));
                i += 2;
            }
            '*' => {
                if chars.get(i + 1) == Some(&'*') {
                    out.push(Token::Super);
                    i += 2;
                } else {
                    out.push(Token::Star);
                    i += 1;
                }
            }
            '?' => {
                out.push(Token::Single);
                i += 1;
            }
            '[' => {
                let mut j = i + 1;
                let negated = chars.get(j) == Some(&'!');
                if negated {
                    j += 1;
                }
                let mut ranges = Vec::new();
                loop {
                    let c = *chars.get(j)?;
                    if c == ']' && !ranges.is_empty() {
                        break;
                    }
                    if c == ']' {
                        // `[]` is an empty class: invalid in gobwas.
                        return None;
                    }
                    let c = if c == '\\' {
                        j += 1;
                        *chars.get(j)?
                    } else {
                        c
                    };
                    if chars.get(j + 1) == Some(&'-') && chars.get(j + 2).is_some_and(|&e| e != ']')
                    {
                        let hi = chars[j + 2];
                        if hi < c {
                            return None;
                        }
                        ranges.push((c, hi));
                        j += 3;
                    } else {
                        ranges.push((c, c));
                        j += 1;
                    }
                }
                out.push(Token::Class { ranges, negated });
                i = j + 1;
            }
            c => {
                out.push(Token::Literal(c));
                i += 1;
            }
        }
    }
    Some(out)
}

/// Bottom-up match: `next[s]` says whether `tokens[t+1..]` matches `name[s..]`.
fn match_tokens(tokens: &[Token], name: &[char]) -> bool {
    let n = name.len();
    let mut next = vec![false; n + 1];
    next[n] = true;
    let mut cur = vec![false; n + 1];
    for token in tokens.iter().rev() {
        for s in (0..=n).rev() {
            let here = name.get(s).copied();
            cur[s] = match token {
                Token::Literal(c) => here == Some(*c) && next[s + 1],
                Token::Single => here.is_some_and(|h| h != '/') && next[s + 1],
                Token::Class { ranges, negated } => {
                    here.is_some_and(|h| {
                        ranges.iter().any(|&(lo, hi)| lo <= h && h <= hi) != *negated
                    }) && next[s + 1]
                }
                Token::Star => next[s] || (here.is_some_and(|h| h != '/') && cur[s + 1]),
                Token::Super => next[s] || (here.is_some() && cur[s + 1]),
            };
        }
        std::mem::swap(&mut next, &mut cur);
    }
    next[0]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn table() {
        // (pattern, name, matches)
        let cases: &[(&str, &str, bool)] = &[
            ("story/**", "story/author.txt", true),
            ("story/**", "story/deep/er.txt", true),
            ("story/**", "ship/captain.txt", false),
            ("**/captain.txt", "ship/captain.txt", true),
            ("**/captain.txt", "captain.txt", false),
            ("ship/*", "ship/captain.txt", true),
            ("ship/*", "ship/a/b.txt", false),
            ("*.txt", "a.txt", true),
            ("*.txt", "dir/a.txt", false),
            ("**.txt", "dir/a.txt", true),
            ("file?.txt", "file1.txt", true),
            ("file?.txt", "file/.txt", false),
            ("[ab].txt", "a.txt", true),
            ("[ab].txt", "c.txt", false),
            ("[!ab].txt", "c.txt", true),
            ("[a-c]x", "bx", true),
            ("[a-c]x", "dx", false),
            ("{ship,story}/*.txt", "story/name.txt", true),
            ("{ship,story}/*.txt", "empty/empty.txt", false),
            ("a{b,{c,d}}e", "ade", true),
            ("\\*.txt", "*.txt", true),
            ("\\*.txt", "a.txt", false),
            ("exact/name", "exact/name", true),
            ("", "", true),
            ("", "a", false),
            // invalid patterns match everything (Helm compiles "**" instead)
            ("[abc", "anything/at/all", true),
            ("{a,b", "zzz", true),
            ("a}", "zzz", true),
        ];
        for (pattern, name, want) in cases {
            assert_eq!(
                Glob::new(pattern).is_match(name),
                *want,
                "pattern {pattern:?} name {name:?}"
            );
        }
    }

    #[test]
    fn hostile_patterns_are_bounded() {
        // Many stars: still a linear-time DP per alternative.
        let pattern = "*".repeat(2000) + "x";
        let name = "a".repeat(2000);
        assert!(!Glob::new(&pattern).is_match(&name));
        // Brace explosion: 2^20 alternatives would be too many; treated as invalid.
        let bomb = "{a,b}".repeat(20);
        assert!(Glob::new(&bomb).is_match("whatever"));
        // Over-long pattern: invalid.
        assert!(Glob::new(&"a".repeat(MAX_PATTERN_CHARS + 1)).is_match("b"));
    }
}
