//! Offline validation: embedded Kubernetes schemas, CRD-derived schemas, lint rules and reports.
