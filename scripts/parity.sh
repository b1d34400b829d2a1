#!/usr/bin/env bash
# Parity check against Helm on real charts: renders every chart under DIR with
# `chartroom template` and `helm template` and compares the output line by line.
#
#   scripts/parity.sh [-q] DIR [CHART...]
#
# DIR/<chart>/ is a chart directory with its dependencies already in charts/ (as
# `helm dependency build` leaves them). Each chart is rendered with its default values, and once
# more with each DIR/<chart>.values/*.yaml (one case per file, passed with -f).
# Lines that differ between two helm runs (random passwords, generated certificates) are
# ignored. Prints per case `identical` or `different` with the first differing line; exit 1 if
# any case differs. Environment: CHARTROOM (binary; default: release build in
# ${CARGO_TARGET_DIR:-target}), HELM (default: helm), RELEASE (default: parity),
# PARITY_ARGS (extra flags for both, e.g. "--namespace x --kube-version 1.30").
set -uo pipefail
quiet=0
if [ "${1:-}" = "-q" ]; then quiet=1; shift; fi
dir=${1:?usage: scripts/parity.sh [-q] DIR [CHART...]}
shift
root=$(cd "$(dirname "$0")/.." && pwd)
helm=${HELM:-helm}
release=${RELEASE:-parity}
read -r -a extra <<< "${PARITY_ARGS:-}"
command -v "$helm" >/dev/null || { echo "helm is not on PATH" >&2; exit 2; }
if [ -z "${CHARTROOM:-}" ]; then
  (cd "$root" && cargo build --release --quiet) || exit 2
  CHARTROOM=${CARGO_TARGET_DIR:-$root/target}/release/chartroom
fi
work=$(mktemp -d); trap 'rm -rf "$work"' EXIT

# compare HELM1 HELM2 MINE: prints "identical" or "different: ..." ; exit 3 when the two helm
# runs do not line up (different line counts), 1 when different.
compare() {
  awk -v h2="$2" -v mine="$3" '
    BEGIN {
      while ((getline l < ARGV[1]) > 0) a[++na] = l
      while ((getline l < h2) > 0) b[++nb] = l
      while ((getline l < mine) > 0) c[++nc] = l
      if (na != nb) exit 3
      n = na < nc ? na : nc
      for (i = 1; i <= n; i++) {
        if (a[i] != c[i] && a[i] == b[i]) {
          printf "different at line %d\n  helm:      %s\n  chartroom: %s\n", i, a[i], c[i]
          exit 1
        }
      }
      if (na != nc) {
        printf "different: helm prints %d lines, chartroom %d\n", na, nc
        i = n + 1
        if (i <= na) printf "  helm:      %s\n", a[i]
        if (i <= nc) printf "  chartroom: %s\n", c[i]
        exit 1
      }
      print "identical"
      exit 0
    }' "$1"
}

run_case() { # label chartdir [values file]
  local label=$1 chart=$2 vals=() ; [ -n "${3:-}" ] && vals=(-f "$3")
  local h1=$work/h1 h2=$work/h2 me=$work/me
  "$helm" template "$release" "$chart" "${vals[@]}" "${extra[@]}" > "$h1" 2> "$h1.err"; local hs=$?
  "$CHARTROOM" template "$release" "$chart" "${vals[@]}" "${extra[@]}" > "$me" 2> "$me.err"; local cs=$?
  if [ $hs -ne 0 ] || [ $cs -ne 0 ]; then
    if [ $hs -ne 0 ] && [ $cs -ne 0 ]; then
      if [ "$(head -1 "$h1.err")" = "$(head -1 "$me.err")" ]; then
        echo "$label: identical (both fail with the same error)"
        [ $quiet = 1 ] || sed 's/^/  helm:      /' "$h1.err" | head -3
        return 0
      fi
      echo "$label: different (both fail, with different errors)"
      sed 's/^/  helm:      /' "$h1.err" | head -3; sed 's/^/  chartroom: /' "$me.err" | head -3
      return 1
    fi
    echo "$label: different (helm exit $hs, chartroom exit $cs)"
    sed 's/^/  helm:      /' "$h1.err" | head -3; sed 's/^/  chartroom: /' "$me.err" | head -5
    return 1
  fi
  local out rc
  for _ in 1 2 3; do
    "$helm" template "$release" "$chart" "${vals[@]}" "${extra[@]}" > "$h2" 2>/dev/null
    out=$(compare "$h1" "$h2" "$me"); rc=$?
    [ $rc -ne 3 ] && break
    cp "$h2" "$h1"
  done
  if [ $rc -eq 3 ]; then echo "$label: unstable (helm's own runs differ in length)"; return 1; fi
  echo "$label: $out"
  return $rc
}

status=0
charts=("$@")
if [ ${#charts[@]} -eq 0 ]; then
  for d in "$dir"/*/; do [ -f "$d/Chart.yaml" ] && charts+=("$(basename "$d")"); done
fi
for name in "${charts[@]}"; do
  run_case "$name" "$dir/$name" || status=1
  if [ -d "$dir/$name.values" ]; then
    for v in "$dir/$name.values"/*.yaml; do
      [ -f "$v" ] || continue
      run_case "$name+$(basename "$v" .yaml)" "$dir/$name" "$v" || status=1
    done
  fi
done
exit $status
