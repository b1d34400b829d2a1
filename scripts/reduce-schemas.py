#!/usr/bin/env python3
"""Reduce the kubernetes-validate schema set to the one blob chartroom embeds.

Usage: reduce-schemas.py SCHEMA_ROOT OUT_FILE

SCHEMA_ROOT is the wheel's `kubernetes_validate/kubernetes-json-schema` folder, holding
`vX.Y.0-local-strict/_definitions.json` for every minor. OUT_FILE receives the uncompressed
blob (gen-schemas.sh compresses it). The output depends only on the input files: keys and
versions are sorted, JSON is minified with a fixed separator, nothing carries a date.

Format (UTF-8 text, one item per line; read by src/validate/embedded.rs):
  line 1   header JSON: {"format":1, "source":..., "versions":["1.25",...],
           "names":[every definition name, sorted],
           "defs":{"1.25":[pool index or -1, aligned with names], ...},
           "kinds":{"1.25":[["apps/v1","Deployment",name index], ...], ...}}
  line 2+  the pool: one minified definition per line; identical definitions across
           versions are stored once (that dedup is what keeps 13 versions small).

Reductions, all of them lossless for validation:
  * only the strict layout is kept (non-strict = strict minus `additionalProperties: false`,
    derived at load time; checked below for every version);
  * only validation keywords are kept: $ref, additionalProperties, enum, items, oneOf,
    properties, required, type (descriptions, formats, x-kubernetes-* go);
  * the GVK index replaces `x-kubernetes-group-version-kind`;
  * int-or-string and Quantity (`oneOf` of two nullable types, which rejects an explicit
    null because null matches both branches) become one `type` list that accepts null,
    like every other optional field of these schemas. This is a deliberate change from
    upstream: Kubernetes treats an explicit null as "unset", so `maxUnavailable: null`
    is not reported.
"""

import json
import os
import re
import sys

KEEP = {"$ref", "additionalProperties", "enum", "items", "oneOf", "properties", "required", "type"}


def reduce_schema(node):
    if isinstance(node, list):
        return [reduce_schema(i) for i in node]
    if not isinstance(node, dict):
        return node
    out = {}
    for key, value in node.items():
        if key not in KEEP:
            continue
        if key == "properties":
            out[key] = {name: reduce_schema(sub) for name, sub in value.items()}
        else:
            out[key] = reduce_schema(value)
    one_of = out.get("oneOf")
    if isinstance(one_of, list) and len(out) == 1 and all(
        isinstance(b, dict) and set(b) == {"type"} and isinstance(b["type"], list) for b in one_of
    ):
        types = []
        for branch in one_of:
            for t in branch["type"]:
                if t != "null" and t not in types:
                    types.append(t)
        types.append("null")
        return {"type": types}
    return out


def strip_ap_false(node):
    if isinstance(node, list):
        return [strip_ap_false(i) for i in node]
    if not isinstance(node, dict):
        return node
    return {k: strip_ap_false(v) for k, v in node.items() if not (k == "additionalProperties" and v is False)}


def main():
    root, out_file = sys.argv[1], sys.argv[2]
    pattern = re.compile(r"^v(1\.(\d+))\.0-local-strict$")
    found = []
    for entry in os.listdir(root):
        m = pattern.match(entry)
        if m:
            found.append((int(m.group(2)), m.group(1), entry))
    found.sort()
    if not found:
        sys.exit(f"no vX.Y.0-local-strict folders under {root}")

    per_version = {}
    names = set()
    for _, version, folder in found:
        with open(os.path.join(root, folder, "_definitions.json"), encoding="utf-8") as f:
            defs = json.load(f)["$defs"]
        loose_path = os.path.join(root, folder.replace("-strict", ""), "_definitions.json")
        if os.path.exists(loose_path):
            with open(loose_path, encoding="utf-8") as f:
                loose = json.load(f)["$defs"]
            if strip_ap_false(defs) != loose:
                sys.exit(f"{version}: non-strict layout is not strict minus additionalProperties:false")
        per_version[version] = defs
        names.update(defs)

    names = sorted(names)
    name_index = {n: i for i, n in enumerate(names)}
    pool = {}
    header_defs = {}
    header_kinds = {}
    for version, defs in per_version.items():
        row = [-1] * len(names)
        kinds = []
        for name in sorted(defs):
            schema = defs[name]
            text = json.dumps(reduce_schema(schema), separators=(",", ":"), ensure_ascii=False)
            if text not in pool:
                pool[text] = len(pool)
            row[name_index[name]] = pool[text]
            for gvk in schema.get("x-kubernetes-group-version-kind", []):
                group, ver, kind = gvk["group"], gvk["version"], gvk["kind"]
                api_version = f"{group}/{ver}" if group else ver
                kinds.append([api_version, kind, name_index[name]])
        kinds.sort()
        header_defs[version] = row
        header_kinds[version] = kinds

    header = {
        "format": 1,
        "source": "kubernetes-validate 1.37.0 (PyPI), vX.Y.0-local-strict/_definitions.json",
        "versions": list(per_version),
        "names": names,
        "defs": header_defs,
        "kinds": header_kinds,
    }
    lines = [json.dumps(header, separators=(",", ":"), ensure_ascii=False)]
    lines.extend(pool)  # dicts keep insertion order: pool index = line number - 2
    with open(out_file, "w", encoding="utf-8", newline="\n") as f:
        f.write("\n".join(lines))
        f.write("\n")


if __name__ == "__main__":
    main()
