//! Values: sources (`-f`, `--set`, `--set-string`, `--set-json`, `--set-file`, `--set-literal`) in
//! Helm's order, coalescing with chart defaults (subchart scoping, globals, conditions, tags,
//! import-values), and `values.schema.json` checks. Must not render or print.
