//! The big stack commands run on. The template engines and parsers recurse, and each used to
//! start a thread with a large stack when it began; on a small VM a new or woken thread can
//! wait most of a millisecond for its CPU, on the critical path. `cli` now runs each command
//! on a big stack of the main thread's own (stacker switches stacks in place; no thread), and
//! the engines run directly on it when they find themselves there ([`on_big_stack`]).
//! A runaway recursion is stopped by the engines' depth limits long before the stack ends
//! (were it not, stacker's guard page would end the process, as a thread's would).
//! Owns only that stack and the flag; must not decide anything else.

use std::cell::Cell;

/// Size of the command stack: as big as the biggest an engine asks for (the Go-template
/// render's deep `include` chains). Reserved address space, not committed memory.
pub const BIG_STACK: usize = 1 << 30;

thread_local! {
    static ON_BIG_STACK: Cell<bool> = const { Cell::new(false) };
}

/// Whether this code runs inside [`run_on_big_stack`] (the stack has [`BIG_STACK`] bytes).
pub fn on_big_stack() -> bool {
    ON_BIG_STACK.with(Cell::get)
}

/// Runs `f` on a fresh [`BIG_STACK`]-byte stack of this thread and returns its result (a
/// panic in `f` unwinds on out of here).
pub fn run_on_big_stack<R>(f: impl FnOnce() -> R) -> R {
    struct Reset(bool);
    impl Drop for Reset {
        fn drop(&mut self) {
            ON_BIG_STACK.with(|b| b.set(self.0));
        }
    }
    stacker::grow(BIG_STACK, || {
        // Where stacker cannot switch stacks it runs `f` in place: the flag then stays down
        // and the engines start their own threads.
        let big = stacker::remaining_stack().is_some_and(|r| r >= BIG_STACK / 2);
        let _reset = Reset(ON_BIG_STACK.with(|b| b.replace(big)));
        f()
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn runs_on_a_big_stack_and_returns() {
        assert!(!on_big_stack());
        let (inside, room) = run_on_big_stack(|| (on_big_stack(), stacker::remaining_stack()));
        assert!(inside);
        assert!(room.is_some_and(|r| r > BIG_STACK / 2), "{room:?}");
        assert!(!on_big_stack());
    }

    #[test]
    fn a_panic_leaves_the_flag_down() {
        let r = std::panic::catch_unwind(|| run_on_big_stack(|| panic!("boom")));
        assert!(r.is_err());
        assert!(!on_big_stack());
    }
}
