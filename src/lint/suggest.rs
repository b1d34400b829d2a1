//! "Did you mean" suggestions: the closest known name to a misspelt one, by edit distance
//! (Damerau–Levenshtein with adjacent transpositions, so `replicaCuont` is one edit from
//! `replicaCount`), case-insensitively. Pure functions; no knowledge of charts.

/// Names longer than this (bytes) are never compared character by character.
const MAX_NAME: usize = 256;

/// Edit distance between `a` and `b` (insertions, deletions, substitutions and swaps of two
/// adjacent characters each cost 1), comparing characters case-insensitively. Stops early and
/// returns `limit + 1` once the distance is known to exceed `limit`.
pub fn distance(a: &str, b: &str, limit: usize) -> usize {
    // Keys are short; anything longer is no typo of a key (and would cost O(n·m)).
    if a.len() > MAX_NAME || b.len() > MAX_NAME {
        return if a.eq_ignore_ascii_case(b) {
            0
        } else {
            limit + 1
        };
    }
    let a: Vec<char> = a.chars().flat_map(char::to_lowercase).collect();
    let b: Vec<char> = b.chars().flat_map(char::to_lowercase).collect();
    if a.len().abs_diff(b.len()) > limit {
        return limit + 1;
    }
    // Three rows of the optimal-string-alignment matrix.
    let mut prev2 = vec![0usize; b.len() + 1];
    let mut prev: Vec<usize> = (0..=b.len()).collect();
    let mut cur = vec![0usize; b.len() + 1];
    for i in 1..=a.len() {
        cur[0] = i;
        let mut row_min = cur[0];
        for j in 1..=b.len() {
            let cost = usize::from(a[i - 1] != b[j - 1]);
            let mut d = (prev[j] + 1).min(cur[j - 1] + 1).min(prev[j - 1] + cost);
            if i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1] {
                d = d.min(prev2[j - 2] + 1);
            }
            cur[j] = d;
            row_min = row_min.min(d);
        }
        if row_min > limit {
            return limit + 1;
        }
        std::mem::swap(&mut prev2, &mut prev);
        std::mem::swap(&mut prev, &mut cur);
    }
    prev[b.len()]
}

/// How many edits a name of this length may be away from a suggestion: 1 for short names,
/// up to a third of the length for long ones.
pub fn budget(name: &str) -> usize {
    (name.chars().count() / 3).clamp(1, 4)
}

/// The candidate closest to `name` within [`budget`], ties broken by candidate order; `None`
/// when nothing is close or the only close candidate is `name` itself.
pub fn closest<'a>(name: &str, candidates: impl IntoIterator<Item = &'a str>) -> Option<&'a str> {
    let limit = budget(name);
    let mut best: Option<(usize, &'a str)> = None;
    for c in candidates {
        if c == name {
            continue;
        }
        let d = distance(name, c, limit);
        if d <= limit && best.is_none_or(|(bd, _)| d < bd) {
            best = Some((d, c));
        }
    }
    best.map(|(_, c)| c)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn distances() {
        assert_eq!(distance("replicaCuont", "replicaCount", 5), 1);
        assert_eq!(distance("tagg", "tag", 5), 1);
        assert_eq!(distance("kitten", "sitting", 5), 3);
        assert_eq!(distance("Image", "image", 5), 0);
        assert_eq!(distance("", "abc", 5), 3);
        assert_eq!(distance("abcdef", "uvwxyz", 2), 3);
        assert_eq!(distance("a", "abcdefgh", 2), 3);
    }

    #[test]
    fn closest_respects_the_budget() {
        let keys = ["replicaCount", "image", "service", "resources"];
        assert_eq!(closest("replicaCuont", keys), Some("replicaCount"));
        assert_eq!(closest("resoures", keys), Some("resources"));
        assert_eq!(closest("imag", keys), Some("image"));
        assert_eq!(closest("database", keys), None);
        assert_eq!(closest("image", keys), None);
    }

    #[test]
    fn long_hostile_names_are_cheap() {
        let long = "x".repeat(100_000);
        assert_eq!(distance(&long, "image", 4), 5);
        let other = format!("{long}y");
        assert_eq!(distance(&long, &other, 4), 5);
        assert_eq!(closest(&long, ["image"]), None);
    }
}
