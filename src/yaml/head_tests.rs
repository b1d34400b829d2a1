//! Differential tests of the head reader: for every input of the fast reader's table, of
//! generated streams, of the manifest corpus and of head-specific cases, `head_of_text` must
//! give exactly `head_of` of `parse_stream`'s first document, or its error; and the head
//! reader itself must decline everything `parse_stream` rejects. Common manifests must be read
//! without declining.

use super::differential_tests::{CASES, Gen, corpus};
use super::{Head, head, head_of, head_of_text, parse_stream, stream_budget};
use crate::yaml::NumberModel;

/// The reference answer.
fn reference(text: &str) -> Result<Head, String> {
    parse_stream(text, NumberModel::Exact)
        .map(|docs| docs.first().map(head_of).unwrap_or_default())
        .map_err(|e| e.to_string())
}

/// Compares both ways of reading `text`; returns whether the head reader read it itself.
fn compare(text: &str) -> bool {
    let expected = reference(text);
    let got = head_of_text(text).map_err(|e| e.to_string());
    assert_eq!(got, expected, "head_of_text differs for {text:?}");
    let stripped = text.strip_prefix('\u{feff}').unwrap_or(text);
    if stripped.trim().is_empty() {
        return true;
    }
    match head::read(stripped, &stream_budget()) {
        Ok(head) => {
            assert_eq!(
                Ok(head),
                expected,
                "the head reader accepted what parse_stream reads differently: {text:?}"
            );
            true
        }
        Err(_) => false,
    }
}

#[test]
fn table_matches_parse_stream() {
    let read = CASES.iter().filter(|(text, _)| compare(text)).count();
    assert!(
        read > CASES.len() / 3,
        "only {read} of {} read",
        CASES.len()
    );
}

#[test]
fn generated_streams_match_parse_stream() {
    let mut generator = Gen(0x2545_F491_4F6C_DD1D);
    for _ in 0..2000 {
        compare(&generator.stream());
    }
}

#[test]
fn manifest_corpus_is_read_without_declining() {
    let (text, _) = corpus::generate(200);
    let docs: Vec<&str> = text.split("\n---\n").collect();
    let declined = docs.iter().filter(|d| !compare(d)).count();
    // The corpus plants one syntax error and a few odd documents.
    assert!(declined <= 3, "{declined} of {} declined", docs.len());
}

#[test]
fn head_fields_follow_head_of() {
    let read = [
        // Plain heads, quoted values, hooks with numbers kept out of the annotations.
        "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: a\n  namespace: 'ns'\n",
        "kind: Pod\nmetadata:\n  annotations:\n    helm.sh/hook: test\n    helm.sh/hook-weight: 5\n    q: \"5\"\n    nn: ~\n    m: {a: 1}\n",
        // Types other than strings read as absent.
        "apiVersion: 1\nkind: true\nmetadata:\n  name: 0x10\n  namespace: null\n",
        "kind: [a]\nmetadata: x\n",
        "metadata:\nkind: Pod\n",
        "metadata: []\n",
        "metadata:\n  annotations: 3\n",
        "metadata:\n  annotations: []\n",
        "metadata:\n  annotations: {}\n",
        // Head keys elsewhere do not count.
        "spec:\n  kind: X\n  metadata:\n    name: y\n",
        "- kind: X\n",
        "just a scalar\n",
        "# only a comment\n",
        "---\n# comment\n",
        "kind: Pod # trailing\nmetadata: {name: a, annotations: {x: y}}\n",
        // Duplicate keys away from the head do not matter.
        "kind: Pod\nspec: 1\nspec: 2\nmetadata:\n  labels: {a: 1, a: 2}\n",
        "\u{feff}kind: Pod\n",
        "kind: |\n  multi\n  line\n",
    ];
    for text in read {
        assert!(compare(text), "declined {text:?}");
    }
    let declined = [
        // Duplicates on the head's paths, anchors, aliases, tags, odd keys, several documents.
        "kind: A\nkind: B\n",
        "metadata: {name: a}\nmetadata: {name: b}\n",
        "metadata:\n  annotations:\n    a: x\n    a: y\n",
        "metadata:\n  annotations:\n    a: 1\n    a: y\n",
        "kind: &k Pod\n",
        "a: &x 1\nb: *x\n",
        "kind: !!str Pod\n",
        "? [a]\n: b\n",
        "yes: 1\n",
        "n: 1\n",
        "a:\n  <<: {b: 1}\n",
        "1: a\n",
        "kind: A\n---\nkind: B\n",
        "kind: [unclosed\n",
        "a: b: c\n",
    ];
    for text in declined {
        assert!(!compare(text), "read {text:?}");
    }
}

#[test]
fn deep_and_large_inputs_decline() {
    let deep: String = (0..300)
        .map(|i| format!("{}k{i}:\n", "  ".repeat(i)))
        .collect();
    assert!(!compare(&deep));
    let many: String = (0..600).map(|i| format!("    k{i}: v\n")).collect();
    assert!(!compare(&format!(
        "kind: Pod\nmetadata:\n  annotations:\n{many}"
    )));
    let large = format!("kind: Pod\ndata:\n{}", "  k: v\n".repeat(800_000));
    assert!(head::read(&large, &stream_budget()).is_err());
}
