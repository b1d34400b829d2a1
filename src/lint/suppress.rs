//! Switching rules off (and opt-in rules on): per run (`--disable`, `--enable`), per chart
//! (`.chartroom-lint.yaml` in the chart root: `disable: [ids]`, `enable: [ids]`) and per object
//! (the annotation `chartroom.dev/lint-ignore: "<id>[,<id>...]: <reason>"`, where the reason is
//! required). Parsing only; `mod.rs` applies the result.

use super::rules;
use crate::Value;

/// The per-object annotation.
pub const ANNOTATION: &str = "chartroom.dev/lint-ignore";
/// The per-chart file.
pub const CONFIG_FILE: &str = ".chartroom-lint.yaml";

/// A chart's `.chartroom-lint.yaml`.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Config {
    pub disable: Vec<String>,
    pub enable: Vec<String>,
}

/// Parses `.chartroom-lint.yaml`. Returns the config and problems worth a warning (unknown
/// fields or rule ids); `Err` when the file is unusable.
pub fn parse_config(text: &str) -> Result<(Config, Vec<String>), String> {
    let value =
        crate::yaml::parse_value(text, crate::yaml::NumberModel::Exact).map_err(|e| {
            match e.line {
                Some(l) => format!("line {l}: {}", e.message),
                None => e.message,
            }
        })?;
    let mut config = Config::default();
    let mut problems = Vec::new();
    let map = match value {
        Value::Null => return Ok((config, problems)),
        Value::Object(m) => m,
        _ => return Err("the file must be a map with `disable:` and/or `enable:` lists".into()),
    };
    for (key, v) in &map {
        let list = match key.as_str() {
            "disable" => &mut config.disable,
            "enable" => &mut config.enable,
            other => {
                problems.push(format!(
                    "unknown field {other:?} (the file knows `disable` and `enable`)"
                ));
                continue;
            }
        };
        let items = match v {
            Value::Null => continue,
            Value::String(s) => vec![Value::String(s.clone())],
            Value::Array(a) => a.clone(),
            _ => return Err(format!("`{key}` must be a list of rule ids")),
        };
        for item in items {
            let Value::String(id) = item else {
                return Err(format!("`{key}` must be a list of rule ids"));
            };
            let id = id.trim().to_string();
            if !rules::is_known(&id) {
                problems.push(unknown_id(&id));
            }
            list.push(id);
        }
    }
    Ok((config, problems))
}

/// A parsed `chartroom.dev/lint-ignore` annotation.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Ignore {
    pub ids: Vec<String>,
    pub reason: String,
}

/// Parses the annotation's value: `Err` (the annotation is then not honoured) when the reason
/// or the ids are missing; unknown ids are kept and reported by the caller.
pub fn parse_annotation(text: &str) -> Result<Ignore, String> {
    let Some((ids, reason)) = text.split_once(':') else {
        return Err(format!(
            "{ANNOTATION} needs a reason: write \"<id>[,<id>]: <why this object may break the rule>\""
        ));
    };
    let reason = reason.trim();
    if reason.is_empty() {
        return Err(format!(
            "{ANNOTATION} needs a reason after the colon: \"<id>[,<id>]: <why>\""
        ));
    }
    let ids: Vec<String> = ids
        .split(',')
        .map(|s| s.trim().to_string())
        .filter(|s| !s.is_empty())
        .collect();
    if ids.is_empty() {
        return Err(format!(
            "{ANNOTATION} names no rule: write \"<id>[,<id>]: <reason>\""
        ));
    }
    Ok(Ignore {
        ids,
        reason: reason.to_string(),
    })
}

/// The message for an id no rule has, with a suggestion.
pub fn unknown_id(id: &str) -> String {
    let known = rules::RULES
        .iter()
        .map(|r| r.id)
        .chain(crate::validate::RULES.iter().map(|(id, _)| *id));
    match super::suggest::closest(id, known) {
        Some(s) => format!("unknown rule id {id:?} (did you mean {s:?}?)"),
        None => format!("unknown rule id {id:?}"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn configs() {
        let (c, p) =
            parse_config("disable: [host-path, latest-tag]\nenable: no-network-policy\n").unwrap();
        assert_eq!(c.disable, vec!["host-path", "latest-tag"]);
        assert_eq!(c.enable, vec!["no-network-policy"]);
        assert!(p.is_empty());
        let (_, p) = parse_config("disable: [host-pth]\nignore: [x]\n").unwrap();
        assert_eq!(p.len(), 2);
        assert!(p[0].contains("did you mean \"host-path\""), "{p:?}");
        assert!(p[1].contains("unknown field \"ignore\""), "{p:?}");
        assert!(parse_config("disable: {a: 1}\n").is_err());
        assert!(parse_config("- a\n").is_err());
        assert!(
            parse_config("disable: [\n")
                .unwrap_err()
                .starts_with("line")
        );
        assert_eq!(parse_config("").unwrap().0, Config::default());
    }

    #[test]
    fn annotations() {
        let a = parse_annotation("host-path, run-as-root: reads node logs").unwrap();
        assert_eq!(a.ids, vec!["host-path", "run-as-root"]);
        assert_eq!(a.reason, "reads node logs");
        assert!(parse_annotation("host-path").is_err());
        assert!(parse_annotation("host-path:   ").is_err());
        assert!(parse_annotation(" : why").is_err());
    }
}
