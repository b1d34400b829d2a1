#!/usr/bin/env bash
# Whole-process timing of `chartroom validate` on 1,000 typical manifests (~1.5 MB, the
# generated corpus from tests/fixtures/validate/corpus.rs). Budget: <= 50 ms on a 2-core
# machine. Prints the median of N runs (default 21). Builds the shipped binary first (scripts/build-release.sh).
set -euo pipefail
cd "$(dirname "$0")/.."
runs="${1:-21}"
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-target}"
built=$(scripts/build-release.sh)
cargo bench --quiet --bench validate -- --write "$CARGO_TARGET_DIR/validate-corpus.yaml" >/dev/null
# Copy the binary at once: a shared target dir may be rebuilt by another worktree meanwhile.
tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT
bin="$tmp/chartroom"
cp "$built" "$bin"
corpus="$CARGO_TARGET_DIR/validate-corpus.yaml"
echo "corpus: $(wc -c < "$corpus") bytes, $(grep -c '^---' "$corpus") documents; $(nproc) cores"
median=$(scripts/median-ms.py "$runs" "$bin" validate "$corpus")
echo "chartroom validate, whole process: median $median ms over $runs runs (scripts/median-ms.py)"
