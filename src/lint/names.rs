//! Kubernetes object-name rules per kind, as Helm's lint applies them
//! (`validateMetadataNameFunc` in `pkg/chart/v2/lint/rules/template.go`): DNS-1123 subdomain by
//! default, DNS-1035 label for Services, DNS-1123 label for Namespaces, path segments for RBAC
//! kinds, nothing for CertificateSigningRequests. Messages are apimachinery's.

const SUBDOMAIN_MSG: &str = "a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character (e.g. 'example.com', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')";
const LABEL_MSG: &str = "a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', and must start and end with an alphanumeric character (e.g. 'my-name',  or '123-abc', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?')";
const DNS1035_MSG: &str = "a DNS-1035 label must consist of lower case alphanumeric characters or '-', start with an alphabetic character, and end with an alphanumeric character (e.g. 'my-name',  or 'abc-123', regex used for validation is '[a-z]([-a-z0-9]*[a-z0-9])?')";

fn is_label(s: &str) -> bool {
    let b = s.as_bytes();
    !b.is_empty()
        && b.iter()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || *c == b'-')
        && b[0] != b'-'
        && b[b.len() - 1] != b'-'
}

fn dns1123_subdomain(name: &str) -> Vec<String> {
    let mut errs = Vec::new();
    if name.len() > 253 {
        errs.push("must be no more than 253 characters".to_string());
    }
    if !name.split('.').all(is_label) {
        errs.push(SUBDOMAIN_MSG.to_string());
    }
    errs
}

fn dns1123_label(name: &str) -> Vec<String> {
    let mut errs = Vec::new();
    if name.len() > 63 {
        errs.push("must be no more than 63 characters".to_string());
    }
    if !is_label(name) {
        errs.push(LABEL_MSG.to_string());
    }
    errs
}

fn dns1035_label(name: &str) -> Vec<String> {
    let mut errs = Vec::new();
    if name.len() > 63 {
        errs.push("must be no more than 63 characters".to_string());
    }
    if !is_label(name) || !name.as_bytes()[0].is_ascii_lowercase() {
        errs.push(DNS1035_MSG.to_string());
    }
    errs
}

fn path_segment(name: &str) -> Vec<String> {
    match name {
        "." => return vec!["may not be '.'".into()],
        ".." => return vec!["may not be '..'".into()],
        _ => {}
    }
    let mut errs = Vec::new();
    for bad in ["/", "%"] {
        if name.contains(bad) {
            errs.push(format!("may not contain '{bad}'"));
        }
    }
    errs
}

/// Problems with `name` for an object of `kind` (empty when it is valid).
pub fn problems(kind: &str, name: &str) -> Vec<String> {
    match kind.to_ascii_lowercase().as_str() {
        "service" => dns1035_label(name),
        "namespace" => dns1123_label(name),
        "certificatesigningrequest" => Vec::new(),
        "role" | "clusterrole" | "rolebinding" | "clusterrolebinding" => path_segment(name),
        _ => dns1123_subdomain(name),
    }
}

/// Helm's message for an invalid name, or `None`.
pub fn check(kind: &str, name: &str) -> Option<String> {
    let errs = problems(kind, name);
    if errs.is_empty() {
        return None;
    }
    let list: Vec<String> = errs
        .iter()
        .map(|e| format!("metadata.name: Invalid value: {name:?}: {e}"))
        .collect();
    let joined = if list.len() == 1 {
        list[0].clone()
    } else {
        format!("[{}]", list.join(", "))
    };
    Some(format!(
        "object name does not conform to Kubernetes naming requirements: {name:?}: {joined}"
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Helm's `TestValidateMetadataName` rows (kind, name, valid).
    #[test]
    fn helm_table() {
        let rows: &[(&str, &str, bool)] = &[
            ("Pod", "", false),
            ("Pod", "foo", true),
            ("Pod", "foo.bar1234baz.seventyone", true),
            ("Pod", "FOO", false),
            ("Pod", "123baz", true),
            ("Pod", "foo.BAR.baz", false),
            ("Pod", "one-two", true),
            ("Pod", "-two", false),
            ("Pod", "one_two", false),
            ("Pod", "a..b", false),
            ("Pod", &"a".repeat(254), false),
            ("Pod", "operator:pod", false),
            ("ServiceAccount", "foo", true),
            ("ServiceAccount", "foo.bar1234baz.seventyone", true),
            ("ServiceAccount", "FOO", false),
            ("ServiceAccount", "operator:sa", false),
            ("Service", "foo", true),
            ("Service", &"a".repeat(63), true),
            ("Service", &"a".repeat(64), false),
            ("Service", "FOO", false),
            ("Service", "123baz", false),
            ("Service", "foo.bar", false),
            ("Namespace", "foo", true),
            ("Namespace", "123baz", true),
            ("Namespace", "foo.bar", false),
            ("Namespace", "foo-bar", true),
            ("CertificateSigningRequest", "", true),
            ("CertificateSigningRequest", "123baz", true),
            ("CertificateSigningRequest", "%", true),
            ("Role", "foo", true),
            ("Role", "123baz", true),
            ("Role", "foo.bar", true),
            ("Role", "operator:role", true),
            ("Role", "operator/role", false),
            ("Role", "operator%role", false),
            ("ClusterRole", "system:aggregate-to-admin", true),
            ("ClusterRole", "operator/role", false),
            ("RoleBinding", "operator:role", true),
            ("ClusterRoleBinding", "operator:role", true),
            ("ClusterRoleBinding", "..", false),
            ("FutureKind", "foo", true),
            ("FutureKind", "foo.bar", true),
            ("FutureKind", "FOO", false),
        ];
        for (kind, name, valid) in rows {
            assert_eq!(check(kind, name).is_none(), *valid, "{kind} {name:?}");
        }
    }

    #[test]
    fn message_format() {
        let m = check("Service", "Foo").unwrap();
        assert!(m.starts_with(
            "object name does not conform to Kubernetes naming requirements: \"Foo\": metadata.name: Invalid value: \"Foo\": a DNS-1035 label"
        ), "{m}");
        let m = check("Pod", &"A".repeat(254)).unwrap();
        assert!(m.contains("[metadata.name"), "{m}");
    }
}
