//! The remaining Sprig functions: URL parsing and joining (`urlParse`, `urlJoin`), the case
//! converters from huandu/xstrings (`snakecase`, `camelcase`, `kebabcase`), and `fail`
//! (Helm replaces it; Sprig's plain version is here so a bare engine has it too).

use super::super::error::TemplateError;
use super::super::exec::FuncMap;
use super::super::value::{Param, Value};
use super::{def, s};
use std::collections::BTreeMap;

/// Words for the case converters: runs of letters/digits, split at lower→upper changes and
/// before the last capital of an upper-case run followed by a lower-case letter.
fn words(s: &str) -> Vec<String> {
    let chars: Vec<char> = s.chars().collect();
    let mut out: Vec<String> = Vec::new();
    let mut cur = String::new();
    for (i, &c) in chars.iter().enumerate() {
        if c == '_' || c == '-' || c.is_whitespace() || (!c.is_alphanumeric()) {
            if !cur.is_empty() {
                out.push(std::mem::take(&mut cur));
            }
            continue;
        }
        if let Some(&p) = cur.chars().last().as_ref() {
            let next_lower = chars.get(i + 1).is_some_and(|n| n.is_lowercase());
            let boundary = (p.is_lowercase() && c.is_uppercase())
                || (p.is_uppercase() && c.is_uppercase() && next_lower);
            if boundary {
                out.push(std::mem::take(&mut cur));
            }
        }
        cur.push(c);
    }
    if !cur.is_empty() {
        out.push(cur);
    }
    out
}

fn lower_joined(s: &str, sep: &str) -> String {
    words(s)
        .iter()
        .map(|w| w.to_lowercase())
        .collect::<Vec<_>>()
        .join(sep)
}

fn pascal(s: &str) -> String {
    // xstrings.ToPascalCase: words split on '_', '-' and spaces; first letter of each upper.
    let mut out = String::new();
    let mut up = true;
    for c in s.chars() {
        if c == '_' || c == '-' || c.is_whitespace() {
            up = true;
            continue;
        }
        if up {
            out.extend(c.to_uppercase());
            up = false;
        } else {
            out.push(c);
        }
    }
    out
}

/// A small RFC 3986 split like Go's `url.Parse` for the parts Sprig returns.
fn url_parse(v: &str) -> BTreeMap<String, Value> {
    let mut rest = v;
    let mut fragment = String::new();
    if let Some((a, f)) = rest.split_once('#') {
        fragment = f.to_string();
        rest = a;
    }
    let mut scheme = String::new();
    if let Some(i) = rest.find(':') {
        let cand = &rest[..i];
        if !cand.is_empty()
            && cand.chars().next().is_some_and(|c| c.is_ascii_alphabetic())
            && cand
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || "+-.".contains(c))
        {
            scheme = cand.to_lowercase();
            rest = &rest[i + 1..];
        }
    }
    let mut query = String::new();
    if let Some((a, q)) = rest.split_once('?') {
        query = q.to_string();
        rest = a;
    }
    let (mut host, mut userinfo, mut opaque, mut path) =
        (String::new(), String::new(), String::new(), String::new());
    if let Some(r) = rest.strip_prefix("//") {
        let (auth, p) = match r.find('/') {
            Some(i) => (&r[..i], &r[i..]),
            None => (r, ""),
        };
        match auth.rsplit_once('@') {
            Some((u, h)) => {
                userinfo = u.to_string();
                host = h.to_string();
            }
            None => host = auth.to_string(),
        }
        path = p.to_string();
    } else if !scheme.is_empty() && !rest.starts_with('/') {
        opaque = rest.to_string();
    } else {
        path = rest.to_string();
    }
    let hostname = if host.starts_with('[') {
        host.trim_start_matches('[')
            .split(']')
            .next()
            .unwrap_or("")
            .to_string()
    } else {
        host.split(':').next().unwrap_or("").to_string()
    };
    let mut m = BTreeMap::new();
    m.insert("scheme".into(), Value::string(scheme));
    m.insert("host".into(), Value::string(host));
    m.insert("hostname".into(), Value::string(hostname));
    m.insert("path".into(), Value::string(path));
    m.insert("query".into(), Value::string(query));
    m.insert("opaque".into(), Value::string(opaque));
    m.insert("fragment".into(), Value::string(fragment));
    m.insert("userinfo".into(), Value::string(userinfo));
    m
}

fn url_join(d: &super::super::value::Map) -> Result<String, TemplateError> {
    let get = |k: &str| -> Result<String, TemplateError> {
        match d.get(k) {
            None => Ok(String::new()),
            Some(Value::String(s)) => Ok(s.to_string()),
            Some(other) => Err(TemplateError::plain(format!(
                "unable to parse {k} key, must be of type string, but {} found",
                other.kind().name()
            ))),
        }
    };
    let (scheme, host, path, query, opaque, fragment, user) = (
        get("scheme")?,
        get("host")?,
        get("path")?,
        get("query")?,
        get("opaque")?,
        get("fragment")?,
        get("userinfo")?,
    );
    let mut out = String::new();
    if !scheme.is_empty() {
        out.push_str(&scheme);
        out.push(':');
    }
    if !opaque.is_empty() {
        out.push_str(&opaque);
    } else {
        if !scheme.is_empty() || !host.is_empty() || !user.is_empty() {
            if !host.is_empty() || !path.is_empty() || !user.is_empty() {
                out.push_str("//");
            }
            if !user.is_empty() {
                out.push_str(&user);
                out.push('@');
            }
            out.push_str(&host);
        }
        if !path.is_empty() && !path.starts_with('/') && !host.is_empty() {
            out.push('/');
        }
        out.push_str(&path);
    }
    if !query.is_empty() {
        out.push('?');
        out.push_str(&query);
    }
    if !fragment.is_empty() {
        out.push('#');
        out.push_str(&fragment);
    }
    Ok(out)
}

pub(super) fn register(m: &mut FuncMap) {
    use Param::*;
    def(m, "snakecase", &[String], |_, a| {
        Ok(Value::string(lower_joined(s(&a[0]), "_")))
    });
    def(m, "kebabcase", &[String], |_, a| {
        Ok(Value::string(lower_joined(s(&a[0]), "-")))
    });
    def(m, "camelcase", &[String], |_, a| {
        Ok(Value::string(pascal(s(&a[0]))))
    });
    def(m, "urlParse", &[String], |_, a| {
        Ok(Value::map(url_parse(s(&a[0]))))
    });
    def(m, "urlJoin", &[Map], |_, a| match &a[0] {
        Value::Map(d) => Ok(Value::string(url_join(d)?)),
        _ => Ok(Value::str("")),
    });
    def(m, "fail", &[String], |_, a| {
        Err(TemplateError::plain(s(&a[0])))
    });
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cases() {
        assert_eq!(lower_joined("FirstName", "_"), "first_name");
        assert_eq!(lower_joined("HTTPServer", "_"), "http_server");
        assert_eq!(lower_joined("GO PATH", "-"), "go-path");
        assert_eq!(pascal("some_words here"), "SomeWordsHere");
    }

    #[test]
    fn urls() {
        let m = url_parse("https://user:pw@example.com:8080/a/b?x=1#frag");
        assert!(matches!(&m["hostname"], Value::String(s) if &**s == "example.com"));
        assert!(matches!(&m["host"], Value::String(s) if &**s == "example.com:8080"));
        assert!(matches!(&m["query"], Value::String(s) if &**s == "x=1"));
        let d = super::super::super::value::Map::from_entries(m);
        assert_eq!(
            url_join(&d).unwrap(),
            "https://user:pw@example.com:8080/a/b?x=1#frag"
        );
    }
}
