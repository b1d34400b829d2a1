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
"$bin" validate "$corpus" > /dev/null || true   # warm the page cache
times=()
for _ in $(seq "$runs"); do
  start=$(date +%s%N)
  "$bin" validate "$corpus" > /dev/null || true
  end=$(date +%s%N)
  times+=($(( (end - start) / 1000 )))
done
sorted=($(printf '%s\n' "${times[@]}" | sort -n))
median=${sorted[$(( runs / 2 ))]}
printf 'chartroom validate, whole process: median %d.%03d ms (min %d.%03d ms) over %d runs\n' \
  $((median / 1000)) $((median % 1000)) $((sorted[0] / 1000)) $((sorted[0] % 1000)) "$runs"
