//! Offline validation of Kubernetes manifests: embedded Kubernetes schemas (1.25–1.37),
//! CRD-derived schemas, kubeconform-style schema folders, and reports (text, JSON, JUnit,
//! SARIF). Lint rules will live here too.
//!
//! Flow of [`validate`]: split every input at its `---` markers (`split.rs`); in one parallel
//! pass, parse the documents through [`crate::yaml::parse_stream`] (integers stay integers)
//! while one task decompresses the embedded schemas and builds a validator per
//! (apiVersion, kind) seen by a cheap text scan (`compile.rs`); then collect CRDs, build the
//! validators the scan missed or a CRD defines, validate the documents in parallel and sort
//! the findings. Problems in documents are findings, never
//! errors or panics; only unusable options (an unknown Kubernetes version, a missing schema
//! folder) are [`ValidateError`]s. No network, no files other than `--schema-location` folders.
//!
//! Decisions worth knowing:
//! - Strict by default: unknown fields are errors, as with `kubectl apply`'s default server-side
//!   field validation. Duplicate keys are errors in strict mode and warnings otherwise.
//! - An explicit `null` is accepted wherever a field is optional, including int-or-string
//!   fields like `maxUnavailable: null` (upstream's schema rejects those by accident; Kubernetes
//!   treats null as unset). See `scripts/reduce-schemas.py`.
//! - Messages never quote field values unless [`Options::show_values`] is set.
//! - Schema sources, first match wins: a CRD in the input, the `--schema-location` folders
//!   (layouts in `schema_dir.rs`), the embedded schemas. No source: "skipped".
//! - A `v1` `List` (as `kubectl get -o yaml` prints) has each of its `items` validated; findings
//!   carry the item's kind and name and a path like `items[2].spec.replicas`.
//! - JSON documents and flow collections get field lines too (`locate.rs` reads both).
//! - Documents larger than [`MAX_DOCUMENT_BYTES`] are reported without being parsed (the API
//!   server rejects objects over ~1.5 MiB anyway); at most [`MAX_FINDINGS_PER_DOCUMENT`]
//!   schema findings are reported per document.

mod compile;
mod crd;
mod embedded;
mod error;
mod finding;
mod input;
mod locate;
mod messages;
mod parallel;
pub mod report;
mod schema_dir;
mod split;

use std::collections::{BTreeSet, HashMap};

pub use error::ValidateError;
pub use finding::{DocumentSummary, Finding, Outcome, RULES, Report, Severity, rule};
pub use input::{Input, Options};

use compile::{Compiled, KindKey};
use locate::{Outline, Segment, format_path};
use schema_dir::SchemaDir;
use split::split_documents;

use crate::Value;
use crate::yaml::{NumberModel, YamlError};

/// Documents larger than this are not parsed.
pub const MAX_DOCUMENT_BYTES: usize = 16 * 1024 * 1024;
/// Schema findings reported per document, at most.
pub const MAX_FINDINGS_PER_DOCUMENT: usize = 100;

/// The Kubernetes versions whose schemas are embedded, oldest first (`["1.25", ..., "1.37"]`).
pub fn supported_kube_versions() -> Result<Vec<String>, ValidateError> {
    Ok(embedded::embedded()?.versions().to_vec())
}

/// One document to parse: where it is and its text.
struct Job<'a> {
    input: usize,
    file: &'a str,
    text: &'a str,
    /// 1-based line of `text`'s first line in `file`.
    base_line: usize,
    /// 1-based line where the document's content starts.
    start_line: usize,
    document: usize,
}

/// Output of a task of the first parallel pass.
enum Done {
    Compiled(Result<(embedded::VersionSchemas, HashMap<KindKey, Compiled>), ValidateError>),
    Parsed(Parsed),
}

enum Parsed {
    Doc(Value),
    Empty,
    TooLarge,
    Invalid(YamlError),
}

/// What validating one document produced (`summary` is `None` for an empty document).
struct DocResult {
    findings: Vec<Finding>,
    summary: Option<DocumentSummary>,
}

/// Validates every document of `inputs` (see the module doc).
pub fn validate(inputs: &[Input], opts: &Options) -> Result<Report, ValidateError> {
    let dirs = opts
        .schema_locations
        .iter()
        .map(|p| SchemaDir::open(p))
        .collect::<Result<Vec<_>, _>>()?;

    // 1. Split.
    let mut jobs: Vec<Job<'_>> = Vec::new();
    for (i, input) in inputs.iter().enumerate() {
        let mut document = input.document_index;
        for chunk in split_documents(&input.text) {
            let Some(content) = chunk.content_line else {
                continue;
            };
            jobs.push(Job {
                input: i,
                file: &input.file,
                text: chunk.text,
                base_line: input.line + chunk.first_line,
                start_line: input.line + content,
                document,
            });
            document += 1;
        }
    }

    // 2. One parallel pass: the first task loads the schemas and builds validators for the
    //    kinds a cheap text scan sees, while the other workers parse documents.
    let hinted: Vec<KindKey> = jobs
        .iter()
        .filter_map(|j| split::type_meta_hint(j.text))
        .collect::<BTreeSet<_>>()
        .into_iter()
        .collect();
    let tasks: Vec<Option<&Job<'_>>> = std::iter::once(None).chain(jobs.iter().map(Some)).collect();
    let no_crds = HashMap::new();
    let mut done = parallel::par_map(&tasks, 16, |task| match task {
        None => Done::Compiled(
            embedded::embedded()
                .and_then(|e| e.version(opts.kube_version.as_deref()))
                .and_then(|schemas| {
                    let v = compile::compile_all(&hinted, &no_crds, &dirs, &schemas, opts.strict)?;
                    Ok((schemas, v))
                }),
        ),
        Some(job) => Done::Parsed(parse(job.text)),
    })
    .into_iter();
    let (schemas, mut validators) = match done.next() {
        Some(Done::Compiled(result)) => result?,
        _ => {
            return Err(ValidateError::EmbeddedSchemas(
                "internal: task order".to_string(),
            ));
        }
    };
    let parsed: Vec<Parsed> = done
        .map(|d| match d {
            Done::Parsed(p) => p,
            Done::Compiled(_) => Parsed::Empty,
        })
        .collect();

    // 3. CRDs, and validators for kinds the scan missed or that a CRD defines.
    let mut crds: HashMap<KindKey, crd::CrdSchema> = HashMap::new();
    let mut keys: BTreeSet<KindKey> = BTreeSet::new();
    for p in &parsed {
        if let Parsed::Doc(doc) = p {
            if crd::is_crd(doc) {
                for s in crd::schemas_from_crd(doc, opts.strict) {
                    crds.entry((s.api_version.clone(), s.kind.clone()))
                        .or_insert(s);
                }
            }
            if let (Some(av), Some(kind)) = type_meta(doc) {
                keys.insert((av.to_string(), kind.to_string()));
            }
            if type_meta(doc) == (Some("v1"), Some("List")) {
                for item in doc
                    .get("items")
                    .and_then(Value::as_array)
                    .into_iter()
                    .flatten()
                {
                    if let (Some(av), Some(kind)) = type_meta(item) {
                        keys.insert((av.to_string(), kind.to_string()));
                    }
                }
            }
        }
    }
    let missing: Vec<KindKey> = keys
        .into_iter()
        .filter(|k| !validators.contains_key(k) || crds.contains_key(k))
        .collect();
    if !missing.is_empty() {
        let more = compile::compile_all(&missing, &crds, &dirs, &schemas, opts.strict)?;
        validators.extend(more);
    }

    // 4. Validate, in parallel.
    let work: Vec<(&Job<'_>, &Parsed)> = jobs.iter().zip(parsed.iter()).collect();
    let results: Vec<DocResult> = parallel::par_map(&work, 16, |(job, parsed)| {
        check(job, parsed, &validators, opts, &schemas.version)
    });

    drop(work);
    parallel::par_drop(parsed);
    // 5. Gather.
    let mut report = Report {
        kube_version: schemas.version.clone(),
        strict: opts.strict,
        ..Report::default()
    };
    let mut per_input: Vec<(usize, usize, Vec<Finding>)> = Vec::new();
    for (job, r) in jobs.iter().zip(results) {
        if let Some(summary) = r.summary {
            report.documents += 1;
            match summary.outcome {
                Outcome::Validated => report.validated += 1,
                Outcome::Skipped => report.skipped += 1,
                Outcome::Unchecked => {}
            }
            report.document_list.push(summary);
        }
        per_input.push((job.input, job.document, r.findings));
    }
    per_input.sort_by_key(|(i, d, _)| (*i, *d));
    for (_, _, mut findings) in per_input {
        findings.sort_by(|a, b| {
            (a.line, &a.path, &a.rule, &a.message).cmp(&(b.line, &b.path, &b.rule, &b.message))
        });
        findings.dedup();
        report.findings.extend(findings);
    }
    Ok(report)
}

fn parse(text: &str) -> Parsed {
    if text.len() > MAX_DOCUMENT_BYTES {
        return Parsed::TooLarge;
    }
    match crate::yaml::parse_stream(text, NumberModel::Exact) {
        Ok(docs) => {
            let mut docs: Vec<Value> = docs.into_iter().filter(|d| !d.is_null()).collect();
            match docs.len() {
                0 => Parsed::Empty,
                // A chunk holds one document by construction; anything else is kept whole.
                1 => Parsed::Doc(docs.pop().unwrap_or(Value::Null)),
                _ => Parsed::Doc(Value::Array(docs)),
            }
        }
        Err(e) => Parsed::Invalid(e),
    }
}

fn type_meta(doc: &Value) -> (Option<&str>, Option<&str>) {
    let av = doc
        .get("apiVersion")
        .and_then(Value::as_str)
        .filter(|s| !s.is_empty());
    let kind = doc
        .get("kind")
        .and_then(Value::as_str)
        .filter(|s| !s.is_empty());
    (av, kind)
}

fn metadata_str<'a>(doc: &'a Value, field: &str) -> &'a str {
    doc.get("metadata")
        .and_then(|m| m.get(field))
        .and_then(Value::as_str)
        .unwrap_or("")
}

fn check(
    job: &Job<'_>,
    parsed: &Parsed,
    validators: &HashMap<KindKey, Compiled>,
    opts: &Options,
    kube_version: &str,
) -> DocResult {
    let mut out = DocResult {
        findings: Vec::new(),
        summary: Some(DocumentSummary {
            file: job.file.to_string(),
            document: job.document,
            line: job.start_line,
            api_version: String::new(),
            kind: String::new(),
            name: String::new(),
            namespace: String::new(),
            outcome: Outcome::Unchecked,
        }),
    };
    let blank = |severity, line, path: String, message: String, rule: &str| Finding {
        severity,
        file: job.file.to_string(),
        line,
        document: job.document,
        api_version: String::new(),
        kind: String::new(),
        name: String::new(),
        namespace: String::new(),
        path,
        message,
        rule: rule.to_string(),
    };
    let doc = match parsed {
        Parsed::Empty => {
            out.summary = None;
            return out;
        }
        Parsed::TooLarge => {
            out.findings.push(blank(
                Severity::Error,
                job.start_line,
                String::new(),
                format!(
                    "document is {} bytes, more than the {} MiB limit; Kubernetes objects must be far smaller (etcd stores at most ~1.5 MiB)",
                    job.text.len(),
                    MAX_DOCUMENT_BYTES / 1024 / 1024
                ),
                rule::DOCUMENT_TOO_LARGE,
            ));
            return out;
        }
        Parsed::Invalid(e) => {
            let line = e
                .line
                .map_or(job.start_line, |l| job.base_line + l.saturating_sub(1));
            out.findings.push(blank(
                Severity::Error,
                line,
                String::new(),
                format!("invalid YAML: {}", yaml_message(&e.message)),
                rule::INVALID_YAML,
            ));
            return out;
        }
        Parsed::Doc(doc) => doc,
    };
    if !doc.is_object() {
        let what = match doc {
            Value::Array(_) => "a list",
            Value::String(_) => "a string",
            Value::Number(_) => "a number",
            Value::Bool(_) => "a boolean",
            _ => "not a mapping",
        };
        out.findings.push(blank(
            Severity::Error,
            job.start_line,
            String::new(),
            format!(
                "document is {what}, not a Kubernetes object (a mapping with apiVersion and kind)"
            ),
            rule::NOT_AN_OBJECT,
        ));
        return out;
    }
    let outline = Outline::new(job.text);
    let ctx = Ctx {
        job,
        validators,
        opts,
        kube_version,
        outline: &outline,
    };
    let (av, kind) = type_meta(doc);
    if let Some(s) = out.summary.as_mut() {
        let (name, namespace) = name_and_namespace(doc);
        s.api_version = av.unwrap_or("").to_string();
        s.kind = kind.unwrap_or("").to_string();
        s.name = name.to_string();
        s.namespace = namespace.to_string();
    }
    let mut found: Vec<Finding> = Vec::new();
    let dup_severity = if opts.strict {
        Severity::Error
    } else {
        Severity::Warning
    };
    for d in outline.duplicates() {
        let path = format_path(&d.path);
        found.push(ctx.finding(
            doc,
            dup_severity,
            job.base_line + d.line,
            path,
            "duplicate key: this mapping already has it and the later value silently wins; Kubernetes rejects duplicate fields".to_string(),
            rule::DUPLICATE_KEY,
        ));
    }
    let mut count = 0usize;
    let outcome = if av == Some("v1") && kind == Some("List") {
        // A `kind: List` (as `kubectl get -o yaml` prints): validate each item.
        let mut any_validated = false;
        let mut any_skipped = false;
        if let Some(items) = doc.get("items").and_then(Value::as_array) {
            for (i, item) in items.iter().enumerate() {
                let prefix = [Segment::Key("items".into()), Segment::Index(i)];
                match ctx.check_object(item, &prefix, &mut found, &mut count) {
                    Outcome::Validated => any_validated = true,
                    Outcome::Skipped => any_skipped = true,
                    Outcome::Unchecked => {}
                }
            }
        }
        if any_validated {
            Outcome::Validated
        } else if any_skipped {
            Outcome::Skipped
        } else {
            Outcome::Unchecked
        }
    } else {
        ctx.check_object(doc, &[], &mut found, &mut count)
    };
    set_outcome(&mut out, outcome);
    out.findings = found;
    out
}

fn name_and_namespace(obj: &Value) -> (&str, &str) {
    let name = match metadata_str(obj, "name") {
        "" => metadata_str(obj, "generateName"),
        n => n,
    };
    (name, metadata_str(obj, "namespace"))
}

/// What checking one object needs.
struct Ctx<'a, 'b> {
    job: &'a Job<'b>,
    validators: &'a HashMap<KindKey, Compiled>,
    opts: &'a Options,
    kube_version: &'a str,
    outline: &'a Outline<'b>,
}

impl Ctx<'_, '_> {
    fn line_of(&self, path: &[Segment]) -> usize {
        self.outline
            .locate(path)
            .map_or(self.job.start_line, |l| self.job.base_line + l)
    }

    /// A finding about `obj` (its kind, name and namespace fill the finding).
    fn finding(
        &self,
        obj: &Value,
        severity: Severity,
        line: usize,
        path: String,
        message: String,
        rule: &str,
    ) -> Finding {
        let (av, kind) = type_meta(obj);
        let (name, namespace) = name_and_namespace(obj);
        Finding {
            severity,
            file: self.job.file.to_string(),
            line,
            document: self.job.document,
            api_version: av.unwrap_or("").to_string(),
            kind: kind.unwrap_or("").to_string(),
            name: name.to_string(),
            namespace: namespace.to_string(),
            path,
            message,
            rule: rule.to_string(),
        }
    }

    /// Checks one object (the document, or an item of a List at `prefix`) against its schema.
    fn check_object(
        &self,
        obj: &Value,
        prefix: &[Segment],
        found: &mut Vec<Finding>,
        count: &mut usize,
    ) -> Outcome {
        let at =
            |rest: &[Segment]| -> Vec<Segment> { prefix.iter().chain(rest).cloned().collect() };
        if !obj.is_object() {
            let path = at(&[]);
            found.push(self.finding(
                obj,
                Severity::Error,
                self.line_of(&path),
                format_path(&path),
                "not a Kubernetes object (a mapping with apiVersion and kind)".to_string(),
                rule::NOT_AN_OBJECT,
            ));
            return Outcome::Unchecked;
        }
        let (av, kind) = type_meta(obj);
        let (Some(av), Some(kind)) = (av, kind) else {
            if av.is_none() {
                let path = at(&[Segment::Key("apiVersion".into())]);
                found.push(self.finding(
                    obj,
                    Severity::Error,
                    self.line_of(&path),
                    format_path(&path),
                    "missing apiVersion: every Kubernetes object needs one, like `apiVersion: apps/v1`"
                        .to_string(),
                    rule::MISSING_API_VERSION,
                ));
            }
            if kind.is_none() {
                let path = at(&[Segment::Key("kind".into())]);
                found.push(
                    self.finding(
                        obj,
                        Severity::Error,
                        self.line_of(&path),
                        format_path(&path),
                        "missing kind: every Kubernetes object needs one, like `kind: Deployment`"
                            .to_string(),
                        rule::MISSING_KIND,
                    ),
                );
            }
            return Outcome::Unchecked;
        };
        let kind_line = self.line_of(&at(&[Segment::Key("kind".into())]));
        match self.validators.get(&(av.to_string(), kind.to_string())) {
            None | Some(Compiled::Missing) => {
                if self.opts.fail_on_missing_schema {
                    found.push(self.finding(
                        obj,
                        Severity::Error,
                        kind_line,
                        format_path(prefix),
                        format!(
                            "no schema for {kind} in {av} (Kubernetes {}): add its CRD to the input or pass --schema-location",
                            self.kube_version
                        ),
                        rule::MISSING_SCHEMA,
                    ));
                }
                Outcome::Skipped
            }
            Some(Compiled::Broken(reason)) => {
                found.push(self.finding(
                    obj,
                    Severity::Error,
                    kind_line,
                    format_path(prefix),
                    reason.clone(),
                    rule::INVALID_SCHEMA,
                ));
                Outcome::Unchecked
            }
            Some(Compiled::Ready(ready)) => {
                for err in ready.validator.iter_errors(obj) {
                    for p in messages::problems(&err, obj, self.opts.show_values) {
                        if *count == MAX_FINDINGS_PER_DOCUMENT {
                            found.push(self.finding(
                                obj,
                                Severity::Error,
                                self.job.start_line,
                                String::new(),
                                format!(
                                    "more than {MAX_FINDINGS_PER_DOCUMENT} problems in this document; only the first are shown"
                                ),
                                rule::INVALID_VALUE,
                            ));
                        }
                        *count += 1;
                        if *count > MAX_FINDINGS_PER_DOCUMENT {
                            continue;
                        }
                        let mut message = p.message;
                        if p.rule == rule::UNKNOWN_FIELD
                            && let Some((Segment::Key(field), parent)) = p.path.split_last()
                            && let Some(known) = ready.suggest(parent, field)
                        {
                            message = format!("unknown field {field:?}; did you mean {known:?}?");
                        }
                        let path = at(&p.path);
                        found.push(self.finding(
                            obj,
                            Severity::Error,
                            self.line_of(&path),
                            format_path(&path),
                            message,
                            p.rule,
                        ));
                    }
                    if *count > MAX_FINDINGS_PER_DOCUMENT {
                        break;
                    }
                }
                Outcome::Validated
            }
        }
    }
}

fn set_outcome(out: &mut DocResult, outcome: Outcome) {
    if let Some(s) = out.summary.as_mut() {
        s.outcome = outcome;
    }
}

/// The YAML crate's message without its own `error: line N column M:` prefix (its line is
/// relative to the document; findings carry the absolute one).
fn yaml_message(message: &str) -> &str {
    let m = message
        .strip_prefix("error:")
        .unwrap_or(message)
        .trim_start();
    if let Some(rest) = m.strip_prefix("line ") {
        let mut parts = rest.splitn(2, ": ");
        let position = parts.next().unwrap_or("");
        if let Some(tail) = parts.next()
            && position
                .split(' ')
                .all(|w| w == "column" || w.chars().all(|c| c.is_ascii_digit()))
        {
            return tail;
        }
    }
    m
}
