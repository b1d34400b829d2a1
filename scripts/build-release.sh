#!/usr/bin/env bash
# Builds the binary we ship and prints its path: release profile (fat LTO, mimalloc), and on
# Linux with glibc a static, non-PIE executable. Static linking is what the product promises
# (one binary, no shared libraries to match); non-PIE means the loader has no relocations to
# apply at start-up: about 0.7 ms less per run on this VM (170 fewer page faults), which is a
# seventh of a typical `chartroom template`.
#
# The flags go through RUSTFLAGS with an explicit --target so they reach only the target
# artifacts: proc-macros and build scripts cannot be built with crt-static. The binary lands
# in ${CARGO_TARGET_DIR:-target}/<host triple>/release/chartroom.
#   scripts/build-release.sh            build quietly, print the binary's path
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
host=$(rustc -vV | sed -n 's/^host: //p')
case "$host" in
  *-linux-gnu)
    RUSTFLAGS="${RUSTFLAGS:-} -C target-feature=+crt-static -C relocation-model=static" \
      cargo build --release --quiet --bin chartroom --target "$host" >&2
    echo "${CARGO_TARGET_DIR:-$root/target}/$host/release/chartroom"
    ;;
  *)
    cargo build --release --quiet --bin chartroom >&2
    echo "${CARGO_TARGET_DIR:-$root/target}/release/chartroom"
    ;;
esac
