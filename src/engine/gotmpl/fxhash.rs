//! A small, fast, non-cryptographic hasher (the multiply-rotate scheme of Firefox's and
//! rustc's "FxHash") for the engine's internal maps keyed by template-chosen names, where
//! SipHash's flood resistance buys nothing: the keys come from the chart being rendered, which
//! can already make the render do arbitrary work. Never used for anything that reaches output
//! order (those maps are `BTreeMap`s or sorted).

use std::hash::{BuildHasherDefault, Hasher};

/// `HashMap`/`HashSet` hasher builder for [`FxHasher`].
pub type FxBuildHasher = BuildHasherDefault<FxHasher>;

const SEED: u64 = 0x51_7c_c1_b7_27_22_0a_95;

/// The hasher state: one word, mixed per 8-byte chunk.
#[derive(Default, Clone, Copy)]
pub struct FxHasher {
    hash: u64,
}

impl FxHasher {
    #[inline]
    fn add(&mut self, word: u64) {
        self.hash = (self.hash.rotate_left(5) ^ word).wrapping_mul(SEED);
    }
}

impl Hasher for FxHasher {
    #[inline]
    fn write(&mut self, bytes: &[u8]) {
        let mut chunks = bytes.chunks_exact(8);
        for c in &mut chunks {
            let mut w = [0u8; 8];
            w.copy_from_slice(c);
            self.add(u64::from_le_bytes(w));
        }
        let rest = chunks.remainder();
        if !rest.is_empty() {
            let mut w = [0u8; 8];
            w[..rest.len()].copy_from_slice(rest);
            // The length keeps "a" and "a\0" apart.
            self.add(u64::from_le_bytes(w) ^ ((rest.len() as u64) << 59));
        }
    }

    #[inline]
    fn write_u8(&mut self, i: u8) {
        self.add(u64::from(i));
    }

    #[inline]
    fn write_usize(&mut self, i: usize) {
        self.add(i as u64);
    }

    #[inline]
    fn finish(&self) -> u64 {
        self.hash
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashSet;
    use std::hash::BuildHasher;

    #[test]
    fn distinguishes_similar_keys_and_works_in_a_set() {
        let b = FxBuildHasher::default();
        let keys = [
            "",
            "a",
            "a\0",
            "ab",
            "ba",
            "Values",
            "Values.",
            "common.names.fullname",
        ];
        let hashes: HashSet<u64> = keys.iter().map(|k| b.hash_one(k)).collect();
        assert_eq!(hashes.len(), keys.len());
        let mut set: HashSet<String, FxBuildHasher> = HashSet::default();
        for i in 0..10_000 {
            set.insert(format!("name{i}"));
        }
        assert_eq!(set.len(), 10_000);
        assert!(set.contains("name9999"));
        assert!(!set.contains("name10000"));
    }
}
