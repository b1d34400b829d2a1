//! The native Jinja engine (minijinja): the chart context (`values`, `release`, `chart`,
//! `capabilities`, `files`, `template`), filters and functions, imports across a chart and its
//! library dependencies, fuel and recursion limits. Must not read the filesystem or print.
