//! A rendered document (kind, apiVersion, name, namespace, source template), Helm's install
//! order, and the output writers (`helm template` format, `--output-dir`). Must not render.
