#!/usr/bin/env bash
# Regenerates schemas/kubernetes.json.gz, the Kubernetes JSON schemas chartroom embeds, from the
# PyPI package kubernetes-validate (Apache-2.0): pip download -> unzip -> reduce -> compress.
# Reproducible: the wheel is pinned by version and sha256, the reducer sorts everything, and
# gzip runs with -n (no name, no timestamp) at a fixed level, so a rerun gives the same bytes.
# Needs: python3 with pip, unzip (or python's zipfile), gzip.
set -euo pipefail

VERSION=1.37.0
WHEEL_SHA256=85136d018a27b50ec7fc049d902bfa5193f5976807e6c0f408e3ab6fe078cad9

here="$(cd "$(dirname "$0")" && pwd)"
repo="$(dirname "$here")"
out_dir="$repo/schemas"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT

python3 -m pip download --quiet --no-deps --only-binary=:all: \
  "kubernetes-validate==$VERSION" -d "$work/dl"
wheel="$(ls "$work"/dl/kubernetes_validate-"$VERSION"-*.whl)"
echo "$WHEEL_SHA256  $wheel" | sha256sum -c --quiet -

python3 -c 'import sys, zipfile; zipfile.ZipFile(sys.argv[1]).extractall(sys.argv[2])' "$wheel" "$work/x"

python3 "$here/reduce-schemas.py" "$work/x/kubernetes_validate/kubernetes-json-schema" "$work/kubernetes.json"
gzip -n -9 -c "$work/kubernetes.json" > "$out_dir/kubernetes.json.gz"
cp "$work"/x/kubernetes_validate-"$VERSION".dist-info/licenses/LICENSE "$out_dir/LICENSE-kubernetes-validate"

echo "wrote $out_dir/kubernetes.json.gz ($(wc -c < "$out_dir/kubernetes.json.gz") bytes, $(wc -c < "$work/kubernetes.json") uncompressed)"
sha256sum "$out_dir/kubernetes.json.gz"
