#!/usr/bin/env bash
# Whole-process timing on real Helm charts: `chartroom template` against `helm template`.
#
#   scripts/bench-real.sh DIR [RUNS] [CHART...]
#
# DIR holds chart directories with their dependencies vendored in charts/ (the parity corpus,
# see scripts/parity.sh). Default charts: postgresql jenkins kube-prometheus-stack; default
# 25 runs each. Prints the median wall time of each tool, the ratio and the budget (1/10 of
# helm's time; 1/5 for kube-prometheus-stack). Exit 1 if a chart is over its budget.
# CHARTROOM overrides the binary (default: the shipped build, scripts/build-release.sh).
set -euo pipefail
dir=${1:?usage: scripts/bench-real.sh DIR [RUNS] [CHART...]}
runs=${2:-25}
shift $(( $# >= 2 ? 2 : 1 ))
charts=("$@")
[ ${#charts[@]} -eq 0 ] && charts=(postgresql jenkins kube-prometheus-stack)
root=$(cd "$(dirname "$0")/.." && pwd)
command -v helm >/dev/null || { echo "helm is not on PATH" >&2; exit 2; }
if [ -z "${CHARTROOM:-}" ]; then
  CHARTROOM=$("$root/scripts/build-release.sh")
fi

status=0
printf '%-24s %12s %12s %8s %8s\n' chart "chartroom ms" "helm ms" ratio budget
for c in "${charts[@]}"; do
  budget=0.10
  [ "$c" = kube-prometheus-stack ] && budget=0.20
  read -r me he < <("$root/scripts/median-ms.py" "$runs" \
    "$CHARTROOM" template bench "$dir/$c" ::: helm template bench "$dir/$c")
  ratio=$(awk -v a="$me" -v b="$he" 'BEGIN { printf "%.3f", a/b }')
  ok=$(awk -v r="$ratio" -v b="$budget" 'BEGIN { print (r <= b) ? "ok" : "OVER" }')
  [ "$ok" = ok ] || status=1
  printf '%-24s %12s %12s %8s %8s %s\n' "$c" "$me" "$he" "$ratio" "$budget" "$ok"
done
echo "median of $runs interleaved runs each, whole process (scripts/median-ms.py), $(nproc) cores"
exit $status
