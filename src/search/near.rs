//! Exact evaluation of a query against one article's text, for what the inverted
//! index cannot answer alone: `NEAR/N` (two words or phrases within N words of
//! each other, in either order). The index finds candidates (both sides present);
//! this check keeps the ones where they are near. It tokenizes with the index's
//! analyzer, so it agrees with the index on everything else.

use super::query::{FieldName, QueryNode};
use crate::article::Article;
use std::collections::HashMap;

/// True when the query contains a `NEAR` anywhere.
pub fn needs_check(node: &QueryNode) -> bool {
    match node {
        QueryNode::Near { .. } => true,
        QueryNode::And(items) | QueryNode::Or(items) => items.iter().any(needs_check),
        QueryNode::Not(inner) => needs_check(inner),
        _ => false,
    }
}

/// Tokens of one field of an article, computed once.
pub struct FieldTokens {
    fields: HashMap<FieldName, Vec<String>>,
}

impl FieldTokens {
    /// Tokenize each searchable field of `a` with the index's analyzer.
    pub fn new(a: &Article) -> Self {
        let mut fields = HashMap::new();
        fields.insert(FieldName::Title, super::tokens(&a.title));
        fields.insert(FieldName::Body, super::tokens(&a.body));
        fields.insert(
            FieldName::Outlet,
            super::tokens(a.outlet.as_deref().unwrap_or("")),
        );
        fields.insert(
            FieldName::Author,
            super::tokens(a.author.as_deref().unwrap_or("")),
        );
        fields.insert(
            FieldName::Url,
            super::tokens(a.url.as_deref().unwrap_or("")),
        );
        FieldTokens { fields }
    }

    fn get(&self, f: FieldName) -> &[String] {
        self.fields.get(&f).map_or(&[], Vec::as_slice)
    }
}

/// Word variants of a token (itself, plus stem variants when stemming).
pub type Variants<'a> = &'a dyn Fn(&str) -> Vec<String>;

/// Start and end token positions where a word or phrase occurs in `toks`.
fn occurrences(toks: &[String], want: &[Vec<String>], slop: u32) -> Vec<(usize, usize)> {
    let mut out = Vec::new();
    if want.is_empty() {
        return out;
    }
    // Two tokens with slop: the index's rule, which also accepts the reverse order
    // when the slop covers it (|p1 - (p2 - 1)| <= slop).
    if want.len() == 2 && slop > 0 {
        for (i, a) in toks.iter().enumerate() {
            if !want[0].contains(a) {
                continue;
            }
            for (j, b) in toks.iter().enumerate() {
                if j != i
                    && want[1].contains(b)
                    && (i as i64 - (j as i64 - 1)).unsigned_abs() <= slop as u64
                {
                    out.push((i.min(j), i.max(j)));
                }
            }
        }
        return out;
    }
    for start in 0..toks.len() {
        if !want[0].contains(&toks[start]) {
            continue;
        }
        // Each next token within `slop` extra positions of the previous one, in order.
        let mut pos = start;
        let mut ok = true;
        let mut budget = slop as usize;
        for w in &want[1..] {
            let mut found = None;
            let last = (pos + 1 + budget).min(toks.len().saturating_sub(1));
            if pos < last {
                found = toks[pos + 1..=last]
                    .iter()
                    .position(|t| w.contains(t))
                    .map(|i| pos + 1 + i);
            }
            match found {
                Some(n) => {
                    budget -= n - pos - 1;
                    pos = n;
                }
                None => {
                    ok = false;
                    break;
                }
            }
        }
        if ok {
            out.push((start, pos));
        }
    }
    out
}

fn leaf_fields(field: Option<FieldName>) -> Vec<FieldName> {
    match field {
        None => vec![FieldName::Title, FieldName::Body],
        Some(f) => vec![f],
    }
}

fn leaf_parts(
    node: &QueryNode,
    variants: Variants,
) -> Option<(Option<FieldName>, Vec<Vec<String>>, u32)> {
    match node {
        QueryNode::Word { field, text } => Some((
            *field,
            super::tokens(text).iter().map(|t| variants(t)).collect(),
            0,
        )),
        QueryNode::Phrase { field, text, slop } => Some((
            *field,
            super::tokens(text).iter().map(|t| variants(t)).collect(),
            *slop,
        )),
        _ => None,
    }
}

/// Does the article match `node`?
pub fn matches(node: &QueryNode, doc: &FieldTokens, variants: Variants) -> bool {
    match node {
        QueryNode::Word { text, .. } if text == "*" => true,
        QueryNode::Word { .. } | QueryNode::Phrase { .. } => {
            let Some((field, want, slop)) = leaf_parts(node, variants) else {
                return false;
            };
            if want.is_empty() {
                return true;
            }
            leaf_fields(field)
                .into_iter()
                .any(|f| !occurrences(doc.get(f), &want, slop).is_empty())
        }
        QueryNode::And(items) => items.iter().all(|i| matches(i, doc, variants)),
        QueryNode::Or(items) => items.iter().any(|i| matches(i, doc, variants)),
        QueryNode::Not(inner) => !matches(inner, doc, variants),
        QueryNode::Near {
            left,
            right,
            distance,
        } => {
            let (Some((lf, lw, ls)), Some((rf, rw, rs))) =
                (leaf_parts(left, variants), leaf_parts(right, variants))
            else {
                return false;
            };
            // Both sides must stand in the same field.
            let fields: Vec<FieldName> = leaf_fields(lf)
                .into_iter()
                .filter(|f| leaf_fields(rf).contains(f))
                .collect();
            fields.into_iter().any(|f| {
                let toks = doc.get(f);
                let a = occurrences(toks, &lw, ls);
                let b = occurrences(toks, &rw, rs);
                a.iter().any(|&(a0, a1)| {
                    b.iter().any(|&(b0, b1)| {
                        // Words strictly between the two occurrences, in either order.
                        let gap = if a1 < b0 {
                            b0 - a1 - 1
                        } else if b1 < a0 {
                            a0 - b1 - 1
                        } else {
                            return false;
                        };
                        gap <= *distance as usize
                    })
                })
            })
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::search::query::parse_query;

    fn check(q: &str, body: &str) -> bool {
        let a = Article::new("x", "", body);
        let doc = FieldTokens::new(&a);
        let same = |t: &str| vec![t.to_string()];
        matches(&parse_query(q).unwrap(), &doc, &same)
    }

    #[test]
    fn near_counts_words_between_in_either_order() {
        let body =
            "The city council met. After a long debate about sanctuary status the vote came.";
        assert!(check("\"city council\" NEAR/6 sanctuary", body));
        assert!(!check("\"city council\" NEAR/5 sanctuary", body));
        assert!(check("sanctuary NEAR/6 \"city council\"", body));
        assert!(!check("\"council city\" NEAR/20 sanctuary", body));
    }

    #[test]
    fn phrases_slop_and_booleans_agree_with_the_index() {
        let body = "a sanctuary for the city";
        assert!(check("\"sanctuary city\"~2", body));
        assert!(!check("\"sanctuary city\"~1", body));
        assert!(check("sanctuary -budget", body));
        assert!(!check("sanctuary NOT city", body));
        assert!(check("budget OR city", body));
    }
}
