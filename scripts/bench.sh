#!/usr/bin/env bash
# Whole-process timing: `chartroom template` against `helm template` on equivalent charts.
#   scripts/bench.sh [RUNS]        (default 30 runs each; prints medians and the ratio)
# The equivalent charts are tests/fixtures/charts/bench/{go,jinja}: the same Deployment+ConfigMap
# template, written once in Go templates (rendered by helm) and once in Jinja (rendered by
# chartroom), copied 40 times to make a chart of realistic size. Needs `helm` on PATH.
set -euo pipefail
runs=${1:-30}
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
command -v helm >/dev/null || { echo "helm is not on PATH: bash ../shared/tools/install-helm.sh" >&2; exit 2; }
bin=$(scripts/build-release.sh)
work=$(mktemp -d); trap 'rm -rf "$work"' EXIT
for kind in go jinja; do
  cp -r "tests/fixtures/charts/bench/$kind" "$work/$kind"
  for i in $(seq -w 1 40); do
    sed "s/NN/$i/g" "$work/$kind/templates/app.yaml.tmpl" > "$work/$kind/templates/app-$i.yaml"
  done
  rm "$work/$kind/templates/app.yaml.tmpl"
done

"$bin" template bench "$work/jinja" > "$work/jinja.out"
helm template bench "$work/go" > "$work/go.out"
docs_c=$(grep -c '^kind:' "$work/jinja.out"); docs_h=$(grep -c '^kind:' "$work/go.out")
read -r c h < <(scripts/median-ms.py "$runs" \
  "$bin" template bench "$work/jinja" ::: helm template bench "$work/go")
echo "chartroom template (jinja, $docs_c docs): median ${c} ms over $runs runs"
echo "helm template      (go,    $docs_h docs): median ${h} ms over $runs runs"
awk -v c="$c" -v h="$h" 'BEGIN { printf "chartroom takes %.3f of helm'\''s time (%.1fx faster)\n", c/h, h/c }'

if [ -d charts/postgres ]; then
  p=$(scripts/median-ms.py "$runs" "$bin" template db charts/postgres)
  echo "chartroom template charts/postgres: median ${p} ms"
fi
