//! Helm's `Chart.yaml` lint rules (`pkg/chart/v2/lint/rules/chartfile.go`), in Helm's order and
//! with Helm's messages, plus the loader's own checks (`Metadata::validate`) and chartroom's
//! `engine:` field. Works on the file's text; must not load the rest of the chart.

use super::finding::{Finding, Severity};
use crate::Value;
use crate::chart::Metadata;
use crate::engine::gotmpl::semver;

const FILE: &str = "Chart.yaml";

/// Top-level fields Helm's `Metadata` knows (matched case-insensitively, as Go's JSON decoder
/// does), plus chartroom's `engine`.
const FIELDS: &[&str] = crate::chart::metadata::METADATA_FIELDS;
const MAINTAINER_FIELDS: &[&str] = &["name", "email", "url"];
const DEPENDENCY_FIELDS: &[&str] = &[
    "name",
    "version",
    "repository",
    "condition",
    "tags",
    "enabled",
    "import-values",
    "alias",
];

/// Lints the text of a `Chart.yaml`. Returns the findings and the decoded metadata when the
/// file could be read at all.
pub fn check(text: &str) -> (Vec<Finding>, Option<Metadata>) {
    let mut out = Vec::new();
    let (md, raw) = match crate::chart::decode_chart_yaml(text) {
        Ok(x) => x,
        Err(e) => {
            out.push(err(format!("unable to parse YAML\n\t{e}")));
            return (out, None);
        }
    };
    let line = |key: &str| key_line(text, key);

    for (key, v) in &raw {
        if !FIELDS.iter().any(|f| f.eq_ignore_ascii_case(key)) {
            out.push(
                Finding::file(
                    Severity::Warning,
                    "chart-yaml-strict",
                    FILE,
                    format!(
                        "failed to strictly parse chart metadata file\n\tunknown field {key:?}{}",
                        suggestion(key, FIELDS)
                    ),
                )
                .at_line(line(key)),
            );
        }
        let nested = if key.eq_ignore_ascii_case("maintainers") {
            Some(MAINTAINER_FIELDS)
        } else if key.eq_ignore_ascii_case("dependencies") {
            Some(DEPENDENCY_FIELDS)
        } else {
            None
        };
        if let (Some(fields), Value::Array(items)) = (nested, v) {
            for (i, item) in items.iter().enumerate() {
                let Value::Object(m) = item else { continue };
                for k in m.keys() {
                    if !fields.iter().any(|f| f.eq_ignore_ascii_case(k)) {
                        out.push(
                            Finding::file(
                                Severity::Warning,
                                "chart-yaml-strict",
                                FILE,
                                format!(
                                    "failed to strictly parse chart metadata file\n\tunknown field {k:?} in {key}[{i}]{}",
                                    suggestion(k, fields)
                                ),
                            )
                            .at_line(line(key)),
                        );
                    }
                }
            }
        }
    }

    let mut push = |f: Option<Finding>| out.extend(f);
    // Helm's order.
    push(check_name(&md).map(|f| f.at_line(line("name"))));
    push(check_api_version(&md).map(|f| f.at_line(line("apiVersion"))));
    push(type_check(&raw, "version").map(|f| f.at_line(line("version"))));
    push(check_version(&md).map(|f| f.at_line(line("version"))));
    push(type_check(&raw, "appVersion").map(|f| f.at_line(line("appVersion"))));
    push(check_maintainers(&md, &raw).map(|f| f.at_line(line("maintainers"))));
    push(check_sources(&md).map(|f| f.at_line(line("sources"))));
    if md.icon.is_empty() {
        push(Some(
            Finding::file(Severity::Info, "chart-icon", FILE, "icon is recommended")
                .with_fix("add `icon:` with an https URL of the chart's logo"),
        ));
    } else if !is_request_url(&md.icon) {
        push(Some(
            err(format!("invalid icon URL '{}'", md.icon)).at_line(line("icon")),
        ));
    }
    if !md.chart_type.is_empty() && md.api_version != "v2" {
        push(Some(
            err(format!(
                "chart type is not valid in apiVersion '{}'. It is valid in apiVersion 'v2'",
                md.api_version
            ))
            .at_line(line("type")),
        ));
    }
    if !md.dependencies.is_empty() && md.api_version != "v2" {
        push(Some(err(format!(
            "dependencies are not valid in the Chart file with apiVersion '{}'. They are valid in apiVersion 'v2'",
            md.api_version
        )).at_line(line("dependencies"))));
    }
    if ::semver::Version::parse(&md.version).is_err() {
        push(Some(
            Finding::file(
                Severity::Warning,
                "chart-version-semver2",
                FILE,
                format!("version '{}' is not a valid SemVerV2", md.version),
            )
            .at_line(line("version")),
        ));
    }
    if !matches!(md.engine.as_str(), "" | "jinja" | "gotpl") {
        push(Some(
            err(format!(
                "engine {:?} is not supported; use `engine: jinja`, `engine: gotpl`, or leave it out",
                md.engine
            ))
            .at_line(line("engine")),
        ));
    }
    // The loader's checks (type values, aliases, null entries...), when the rules above found
    // nothing worse: the loader stops at its first problem.
    if !out.iter().any(|f| f.severity == Severity::Error) {
        let mut copy = md.clone();
        if copy.api_version.is_empty() {
            copy.api_version = "v1".into();
        }
        if let Err(e) = copy.validate() {
            out.push(err(e.to_string()));
        }
    }
    (out, Some(md))
}

fn err(message: impl Into<String>) -> Finding {
    Finding::file(Severity::Error, "chart-yaml", FILE, message)
}

fn check_name(md: &Metadata) -> Option<Finding> {
    if md.name.is_empty() {
        return Some(err("name is required"));
    }
    let base = md
        .name
        .trim_end_matches('/')
        .rsplit('/')
        .next()
        .unwrap_or("");
    if base != md.name || md.name == "." || md.name == ".." {
        return Some(err(format!("chart name {:?} is invalid", md.name)));
    }
    None
}

fn check_api_version(md: &Metadata) -> Option<Finding> {
    match md.api_version.as_str() {
        "" => Some(err(
            "apiVersion is required. The value must be either \"v1\" or \"v2\"",
        )),
        "v1" | "v2" => None,
        other => Some(err(format!(
            "apiVersion '{other}' is not valid. The value must be either \"v1\" or \"v2\""
        ))),
    }
}

/// Go's `%T` of a value decoded from YAML into `map[string]any` (numbers are float64).
fn go_type(v: &Value) -> &'static str {
    match v {
        Value::Null => "<nil>",
        Value::Bool(_) => "bool",
        Value::Number(_) => "float64",
        Value::String(_) => "string",
        Value::Array(_) => "[]interface {}",
        Value::Object(_) => "map[string]interface {}",
    }
}

fn type_check(raw: &crate::Map, key: &str) -> Option<Finding> {
    let v = raw.get(key)?;
    if v.is_string() {
        return None;
    }
    Some(
        err(format!(
            "{key} should be of type string but it's of type {}",
            go_type(v)
        ))
        .with_fix(format!("quote the {key}: {key}: \"...\"")),
    )
}

fn check_version(md: &Metadata) -> Option<Finding> {
    if md.version.is_empty() {
        return Some(err("version is required"));
    }
    let Ok(v) = semver::parse_version(&md.version) else {
        return Some(err(format!(
            "version '{}' is not a valid SemVer",
            md.version
        )));
    };
    let positive = semver::Constraints::parse(">0.0.0-0").is_ok_and(|c| c.check(&v));
    if !positive {
        return Some(err(format!(
            "version '{}' is not greater than 0.0.0-0",
            md.version
        )));
    }
    None
}

fn check_maintainers(md: &Metadata, raw: &crate::Map) -> Option<Finding> {
    if md.null_entries.maintainer
        || raw
            .get("maintainers")
            .and_then(Value::as_array)
            .is_some_and(|a| a.iter().any(Value::is_null))
    {
        return Some(err("a maintainer entry is empty"));
    }
    for m in &md.maintainers {
        if m.name.is_empty() {
            return Some(err("each maintainer requires a name"));
        }
        if !m.email.is_empty() && !is_email(&m.email) {
            return Some(err(format!(
                "invalid email '{}' for maintainer '{}'",
                m.email, m.name
            )));
        }
        if !m.url.is_empty() && !is_url(&m.url) {
            return Some(err(format!(
                "invalid url '{}' for maintainer '{}'",
                m.url, m.name
            )));
        }
    }
    None
}

fn check_sources(md: &Metadata) -> Option<Finding> {
    md.sources
        .iter()
        .find(|s| !is_request_url(s))
        .map(|s| err(format!("invalid source URL '{s}'")))
}

/// govalidator's `IsRequestURL`: an absolute URI with a scheme (`https://x`, `mailto:a@b`).
pub(crate) fn is_request_url(s: &str) -> bool {
    let Some((scheme, rest)) = s.split_once(':') else {
        return false;
    };
    let mut chars = scheme.chars();
    chars.next().is_some_and(|c| c.is_ascii_alphabetic())
        && chars.all(|c| c.is_ascii_alphanumeric() || "+-.".contains(c))
        && !rest.is_empty()
        && !s.chars().any(char::is_whitespace)
}

/// govalidator's `IsURL`, approximately: a request URL, or `host.tld[/path]` without a scheme.
fn is_url(s: &str) -> bool {
    if s.chars().any(char::is_whitespace) || s.len() > 2083 {
        return false;
    }
    if s.contains("://") {
        return is_request_url(s);
    }
    let host = s.split(['/', '?', '#']).next().unwrap_or("");
    let host = host.rsplit('@').next().unwrap_or(host);
    let host = host.split(':').next().unwrap_or(host);
    host.contains('.')
        && !host.starts_with('.')
        && !host.ends_with('.')
        && host
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '.')
}

/// govalidator's `IsEmail`, approximately: `local@domain.tld`.
fn is_email(s: &str) -> bool {
    let Some((local, domain)) = s.rsplit_once('@') else {
        return false;
    };
    !local.is_empty()
        && !local.chars().any(char::is_whitespace)
        && domain.contains('.')
        && !domain.starts_with('.')
        && !domain.ends_with('.')
        && domain
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '.')
}

/// 1-based line of a top-level `key:` in `text`, 0 when not found.
pub(crate) fn key_line(text: &str, key: &str) -> usize {
    text.lines()
        .position(|l| {
            l.strip_prefix(key)
                .is_some_and(|rest| rest.trim_start().starts_with(':'))
        })
        .map_or(0, |i| i + 1)
}

fn suggestion(key: &str, fields: &[&str]) -> String {
    match super::suggest::closest(key, fields.iter().copied()) {
        Some(s) => format!(" (did you mean {s:?}?)"),
        None => String::new(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn messages(text: &str) -> Vec<String> {
        check(text).0.into_iter().map(|f| f.message).collect()
    }

    const GOOD: &str =
        "apiVersion: v2\nname: good\nversion: 1.2.3\nicon: https://example.org/i.png\n";

    #[test]
    fn a_good_chart_file_is_clean() {
        assert!(messages(GOOD).is_empty(), "{:?}", messages(GOOD));
    }

    /// Helm's `TestChartfile` "basic validity issues" (testdata/badchartfile): same messages,
    /// same order.
    #[test]
    fn helm_basic_validity_issues() {
        let text = "description: A Helm chart for Kubernetes\nversion: 0.0.0.0\nhome: \"\"\ntype: application\ndependencies:\n- name: mariadb\n  version: 5.x.x\n  repository: https://charts.helm.sh/stable/\n  condition: mariadb.enabled\n  tags:\n    - database\n";
        let m = messages(text);
        let expected = [
            "name is required",
            "apiVersion is required. The value must be either \"v1\" or \"v2\"",
            "version '0.0.0.0' is not a valid SemVer",
            "icon is recommended",
            "chart type is not valid in apiVersion",
            "dependencies are not valid in the Chart file with apiVersion",
            "version '0.0.0.0' is not a valid SemVerV2",
        ];
        assert_eq!(m.len(), expected.len(), "{m:#?}");
        for (got, want) in m.iter().zip(expected) {
            assert!(got.contains(want), "{got:?} should contain {want:?}");
        }
    }

    /// Helm's "validity issues due to type mismatch" (testdata/anotherbadchartfile).
    #[test]
    fn helm_type_mismatch() {
        let text = "name: \"some-chart\"\napiVersion: v2\ndescription: A Helm chart for Kubernetes\nversion: 72445e2\nicon: \"https://some-url.com/icon.jpeg\"\nappVersion: 72225e2\n";
        let m = messages(text);
        let expected = [
            "version should be of type string",
            "version '7.2445e+06' is not a valid SemVer",
            "appVersion should be of type string",
            "version '7.2445e+06' is not a valid SemVerV2",
        ];
        assert_eq!(m.len(), expected.len(), "{m:#?}");
        for (got, want) in m.iter().zip(expected) {
            assert!(got.contains(want), "{got:?} should contain {want:?}");
        }
    }

    /// Helm's `TestValidateChartVersion` and `TestValidateChartVersionStrictSemVerV2` rows.
    #[test]
    fn versions() {
        let with = |v: &str| {
            format!("apiVersion: v2\nname: a\nversion: \"{v}\"\nicon: https://x.org/i.png\n")
        };
        for (v, msg) in [
            ("", "version is required"),
            ("1.2.3.4", "version '1.2.3.4' is not a valid SemVer"),
            ("waps", "'waps' is not a valid SemVer"),
            ("-3", "'-3' is not a valid SemVer"),
        ] {
            let m = messages(&with(v));
            assert!(m.iter().any(|x| x.contains(msg)), "{v}: {m:?}");
        }
        for v in ["0.0.1", "0.0.1+build", "0.0.1-beta", "1.1.1"] {
            assert!(messages(&with(v)).is_empty(), "{v}");
        }
        for v in ["1", "1.1"] {
            let m = messages(&with(v));
            assert_eq!(
                m,
                vec![format!("version '{v}' is not a valid SemVerV2")],
                "{v}"
            );
        }
    }

    /// Helm's `TestValidateChartMaintainer` rows.
    #[test]
    fn maintainers() {
        let with = |entry: &str| format!("{GOOD}maintainers:\n  - {entry}\n");
        for (entry, msg) in [
            ("name: \"\"", "each maintainer requires a name"),
            ("email: test@test.com", "each maintainer requires a name"),
            (
                "{name: John Snow, email: wrongFormatEmail.com}",
                "invalid email",
            ),
            ("{name: John Snow, url: \"not a url\"}", "invalid url"),
            ("~", "a maintainer entry is empty"),
        ] {
            let m = messages(&with(entry));
            assert!(m.iter().any(|x| x.contains(msg)), "{entry}: {m:?}");
        }
        for entry in [
            "name: John Snow",
            "{name: John Snow, email: john@winterfell.com}",
            "{name: John Snow, url: https://winterfell.com/john}",
        ] {
            assert!(messages(&with(entry)).is_empty(), "{entry}");
        }
    }

    /// Helm's `TestValidateChartSources` and `TestValidateChartIconURL` rows.
    #[test]
    fn urls() {
        for bad in ["", "RiverRun", "john@winterfell", "riverrun.io"] {
            let m = messages(&format!("{GOOD}sources: [\"{bad}\"]\n"));
            assert!(
                m.iter().any(|x| x.starts_with("invalid source URL")),
                "{bad}"
            );
        }
        for good in [
            "http://riverrun.io",
            "https://riverrun.io",
            "https://riverrun.io/blackfish",
        ] {
            assert!(messages(&format!("{GOOD}sources: [\"{good}\"]\n")).is_empty());
        }
        for bad in ["RiverRun", "john@winterfell", "riverrun.io"] {
            let text = format!("apiVersion: v2\nname: a\nversion: 1.0.0\nicon: \"{bad}\"\n");
            let m = messages(&text);
            assert!(m.iter().any(|x| x.starts_with("invalid icon URL")), "{bad}");
        }
    }

    #[test]
    fn names_unknown_fields_and_yaml_errors() {
        let m = messages("apiVersion: v2\nname: a/b\nversion: 1.0.0\nicon: https://x.org/i\n");
        assert_eq!(m, vec!["chart name \"a/b\" is invalid"]);
        let (f, _) = check(
            "apiVersion: v2\nname: a\nversion: 1.0.0\nicon: https://x.org/i\nappVerison: 1\n",
        );
        assert_eq!(f.len(), 1);
        assert_eq!(f[0].rule, "chart-yaml-strict");
        assert_eq!(f[0].line, 5);
        assert!(
            f[0].message.contains("did you mean \"appVersion\""),
            "{}",
            f[0].message
        );
        let (f, md) = check("name: [unclosed\n");
        assert!(md.is_none());
        assert!(f[0].message.starts_with("unable to parse YAML"));
        let m = messages("apiVersion: v3\nname: a\nversion: 1.0.0\nicon: https://x.org/i\n");
        assert_eq!(
            m,
            vec!["apiVersion 'v3' is not valid. The value must be either \"v1\" or \"v2\""]
        );
        let m = messages(&format!("{GOOD}engine: erb\n"));
        assert!(m[0].contains("engine \"erb\""), "{m:?}");
    }

    #[test]
    fn loader_checks_run_when_the_lint_rules_pass() {
        let text = format!("{GOOD}dependencies:\n  - name: a\n    alias: \"bad alias\"\n");
        let m = messages(&text);
        assert!(m[0].contains("disallowed characters in the alias"), "{m:?}");
    }
}
