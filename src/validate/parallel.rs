//! A small parallel map over a slice on scoped std threads (no extra dependency): items are
//! handed out one at a time through an atomic counter, results come back in input order.
//! Worker threads get a large stack so that deep (but budget-limited) documents cannot
//! overflow it during validation.

use std::sync::atomic::{AtomicUsize, Ordering};

/// Worker stack size.
const STACK_BYTES: usize = 64 * 1024 * 1024;

/// Maps `f` over `items` on up to `available_parallelism` threads (one per `min_per_thread`
/// items). Even a single worker is a spawned thread with a large stack, so the caller's stack
/// size (2 MiB for test threads) never limits how deep a document may be.
pub(crate) fn par_map<T: Sync, R: Send>(
    items: &[T],
    min_per_thread: usize,
    f: impl Fn(&T) -> R + Sync,
) -> Vec<R> {
    let cores = std::thread::available_parallelism().map_or(1, |n| n.get());
    let threads = cores.min(items.len() / min_per_thread.max(1)).max(1);
    if items.is_empty() {
        return Vec::new();
    }
    let next = AtomicUsize::new(0);
    let mut parts: Vec<Vec<(usize, R)>> = std::thread::scope(|scope| {
        let handles: Vec<_> = (0..threads)
            .map(|_| {
                std::thread::Builder::new()
                    .stack_size(STACK_BYTES)
                    .spawn_scoped(scope, || {
                        let mut out = Vec::new();
                        loop {
                            let i = next.fetch_add(1, Ordering::Relaxed);
                            if i >= items.len() {
                                break;
                            }
                            out.push((i, f(&items[i])));
                        }
                        out
                    })
            })
            .collect();
        handles
            .into_iter()
            .map(|h| match h {
                Ok(h) => h.join().unwrap_or_else(|p| std::panic::resume_unwind(p)),
                Err(_) => Vec::new(),
            })
            .collect()
    });
    // Items a failed spawn left undone run here.
    let mut done = vec![false; items.len()];
    for part in &parts {
        for (i, _) in part {
            done[*i] = true;
        }
    }
    let mut rest: Vec<(usize, R)> = Vec::new();
    for (i, d) in done.iter().enumerate() {
        if !d {
            rest.push((i, f(&items[i])));
        }
    }
    parts.push(rest);
    let mut slots: Vec<Option<R>> = (0..items.len()).map(|_| None).collect();
    for part in parts {
        for (i, r) in part {
            slots[i] = Some(r);
        }
    }
    slots.into_iter().flatten().collect()
}

/// Drops a large vector on two threads (freeing many parsed documents is a visible share of
/// a run); small ones are dropped here.
pub(crate) fn par_drop<T: Send>(mut items: Vec<T>) {
    let cores = std::thread::available_parallelism().map_or(1, |n| n.get());
    if items.len() < 64 || cores < 2 {
        return;
    }
    let half = items.split_off(items.len() / 2);
    std::thread::scope(|scope| {
        let spawned = std::thread::Builder::new()
            .stack_size(STACK_BYTES)
            .spawn_scoped(scope, move || drop(half));
        drop(items);
        if let Ok(handle) = spawned {
            let _ = handle.join();
        }
    });
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keeps_order_and_covers_everything() {
        let items: Vec<usize> = (0..10_000).collect();
        let out = par_map(&items, 10, |x| x * 2);
        assert_eq!(out, items.iter().map(|x| x * 2).collect::<Vec<_>>());
        assert_eq!(par_map(&[] as &[u8], 10, |x| *x), Vec::<u8>::new());
        assert_eq!(par_map(&[1, 2, 3], 100, |x| x + 1), vec![2, 3, 4]);
    }
}
