//! Turns a loaded chart plus coalesced values into documents: picks the engine per chart, renders
//! every template, splits and parses the output, separates hooks, orders manifests. Must not print.
