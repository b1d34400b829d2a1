//! Field paths inside objects (`spec.template.spec.containers[0].resources`) and the line of a
//! path in a document's block-style YAML text. The line is the deepest part of the path the
//! text has (a missing `resources` points at its container); flow-style or odd YAML falls back
//! to the document's first line. Reads text only.

use std::fmt::Write as _;

/// One step of a field path.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Seg {
    Key(String),
    Index(usize),
}

/// A field path.
pub type Path = Vec<Seg>;

/// Builds a path from dotted keys (`"spec.template.spec"`).
pub fn keys(dotted: &str) -> Path {
    dotted
        .split('.')
        .filter(|s| !s.is_empty())
        .map(|s| Seg::Key(s.to_string()))
        .collect()
}

/// `spec.containers[0].image`.
pub fn format(path: &[Seg]) -> String {
    let mut s = String::new();
    for seg in path {
        match seg {
            Seg::Key(k) => {
                if !s.is_empty() {
                    s.push('.');
                }
                s.push_str(k);
            }
            Seg::Index(i) => {
                let _ = write!(s, "[{i}]");
            }
        }
    }
    s
}

/// A block of lines: content starts at column `col` of line `start` and continues on the lines
/// before `end`.
#[derive(Clone, Copy)]
struct Block {
    start: usize,
    col: usize,
    end: usize,
}

fn indent(line: &str) -> usize {
    line.len() - line.trim_start_matches(' ').len()
}

fn blank(line: &str) -> bool {
    let t = line.trim();
    t.is_empty() || t.starts_with('#')
}

/// Where content starts on line `i` of `b`.
fn content_col(lines: &[&str], b: Block, i: usize) -> usize {
    if i == b.start {
        b.col
    } else {
        indent(lines[i])
    }
}

fn first_content(lines: &[&str], b: Block) -> Option<usize> {
    (b.start..b.end).find(|&i| {
        let l = lines[i];
        let c = content_col(lines, b, i);
        c < l.len() && !blank(&l[c..])
    })
}

/// The key at the start of `text`, unquoted.
fn key_of(text: &str) -> Option<&str> {
    let (k, _) = text.split_once(':')?;
    let k = k.trim_end();
    Some(
        k.strip_prefix('"')
            .and_then(|k| k.strip_suffix('"'))
            .or_else(|| k.strip_prefix('\'').and_then(|k| k.strip_suffix('\'')))
            .unwrap_or(k),
    )
}

fn find_key(lines: &[&str], b: Block, key: &str) -> Option<(usize, Block)> {
    let first = first_content(lines, b)?;
    let child = content_col(lines, b, first);
    for i in first..b.end {
        let c = content_col(lines, b, i);
        if c != child || c >= lines[i].len() || blank(&lines[i][c..]) {
            continue;
        }
        let text = &lines[i][c..];
        if key_of(text) == Some(key) {
            // The value: the following lines indented deeper, or a sequence at the same column.
            let mut end = i + 1;
            while end < b.end {
                let l = lines[end];
                if !blank(l) {
                    let ind = indent(l);
                    let seq_here = ind == c && l[ind..].starts_with('-');
                    if ind <= c && !seq_here {
                        break;
                    }
                }
                end += 1;
            }
            return Some((
                i,
                Block {
                    start: i + 1,
                    col: lines.get(i + 1).map_or(0, |l| indent(l)),
                    end,
                },
            ));
        }
    }
    None
}

fn find_index(lines: &[&str], b: Block, index: usize) -> Option<(usize, Block)> {
    let first = first_content(lines, b)?;
    let col = content_col(lines, b, first);
    let mut items = (first..b.end).filter(|&i| {
        let c = content_col(lines, b, i);
        c == col && lines[i][c..].starts_with('-')
    });
    let line = items.nth(index)?;
    let next = items.next().unwrap_or(b.end);
    let after_dash = &lines[line][col + 1..];
    let item_col = col + 1 + (after_dash.len() - after_dash.trim_start_matches(' ').len());
    Some((
        line,
        Block {
            start: line,
            col: item_col,
            end: next,
        },
    ))
}

/// The 1-based line (within `text`) of the deepest existing prefix of `path`; `None` when not
/// even the first step is found.
pub fn line_of(text: &str, path: &[Seg]) -> Option<usize> {
    let lines: Vec<&str> = text.lines().collect();
    let mut block = Block {
        start: 0,
        col: 0,
        end: lines.len(),
    };
    let mut found = None;
    for seg in path {
        let step = match seg {
            Seg::Key(k) => find_key(&lines, block, k),
            Seg::Index(i) => find_index(&lines, block, *i),
        };
        match step {
            Some((line, next)) => {
                found = Some(line + 1);
                block = next;
            }
            None => break,
        }
    }
    found
}

#[cfg(test)]
mod tests {
    use super::*;

    const DOC: &str = "apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
spec:
  template:
    spec:
      containers:
        - name: a
          image: a:1
        - name: b
          # a comment
          image: b:1
          securityContext:
            runAsUser: 0
      initContainers:
      - name: init
        image: i:1
      volumes: [{name: x, hostPath: {path: /}}]
";

    #[test]
    fn lines_of_paths() {
        let at = |p: &str| {
            let mut path = Vec::new();
            for part in p.split('.') {
                match part.parse::<usize>() {
                    Ok(i) => path.push(Seg::Index(i)),
                    Err(_) => path.push(Seg::Key(part.to_string())),
                }
            }
            line_of(DOC, &path)
        };
        assert_eq!(at("metadata.name"), Some(4));
        assert_eq!(at("spec.template.spec.containers.0"), Some(9));
        assert_eq!(at("spec.template.spec.containers.0.image"), Some(10));
        assert_eq!(at("spec.template.spec.containers.1.image"), Some(13));
        assert_eq!(
            at("spec.template.spec.containers.1.securityContext.runAsUser"),
            Some(15)
        );
        assert_eq!(at("spec.template.spec.containers.1.resources"), Some(11));
        assert_eq!(at("spec.template.spec.initContainers.0.image"), Some(18));
        assert_eq!(at("spec.template.spec.volumes.0"), Some(19));
        assert_eq!(at("nothing"), None);
    }

    #[test]
    fn formats() {
        let p = vec![
            Seg::Key("spec".into()),
            Seg::Key("containers".into()),
            Seg::Index(2),
            Seg::Key("image".into()),
        ];
        assert_eq!(format(&p), "spec.containers[2].image");
        assert_eq!(format(&keys("a.b")), "a.b");
    }
}
