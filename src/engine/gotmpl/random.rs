//! Randomness for the functions whose purpose is to be random (`randAlphaNum`, `uuidv4`,
//! `randInt`, key generation): the operating system's generator, as Go's `crypto/rand`.

/// Fills `buf` with random bytes; on the (never expected) failure of the OS generator the
/// bytes come from a hash-seeded fallback so templates still render.
pub(crate) fn fill(buf: &mut [u8]) {
    if getrandom::fill(buf).is_err() {
        use std::hash::{BuildHasher, Hasher};
        for chunk in buf.chunks_mut(8) {
            let mut h = std::collections::hash_map::RandomState::new().build_hasher();
            h.write_usize(chunk.as_ptr() as usize);
            let v = h.finish().to_le_bytes();
            chunk.copy_from_slice(&v[..chunk.len()]);
        }
    }
}

/// A random u64.
pub(crate) fn u64() -> u64 {
    let mut b = [0u8; 8];
    fill(&mut b);
    u64::from_le_bytes(b)
}

/// A uniformly random number below `n` (n > 0), without modulo bias.
pub(crate) fn below(n: u64) -> u64 {
    if n <= 1 {
        return 0;
    }
    let zone = u64::MAX - (u64::MAX % n);
    loop {
        let v = u64();
        if v < zone {
            return v % n;
        }
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn below_stays_below() {
        for _ in 0..1000 {
            assert!(super::below(7) < 7);
        }
        let mut seen = [false; 7];
        for _ in 0..1000 {
            seen[super::below(7) as usize] = true;
        }
        assert!(seen.iter().all(|s| *s));
    }
}
