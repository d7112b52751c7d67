//! Where a query matches inside a stored text, found by re-tokenizing the text with
//! the index's analyzer (so highlights agree with what was counted), and snippets
//! built around the best cluster of matches.

use crate::index::schema::analyzer;
use std::collections::HashSet;

/// What to look for in a text: single tokens and token sequences.
#[derive(Debug, Clone, Default)]
pub struct Matcher {
    pub terms: HashSet<String>,
    /// Token sequences that must be adjacent (phrases, multi-token words).
    pub phrases: Vec<Vec<String>>,
}

impl Matcher {
    pub fn is_empty(&self) -> bool {
        self.terms.is_empty() && self.phrases.is_empty()
    }
}

/// A matched span of a text, as byte offsets.
pub type Span = (usize, usize);

/// Spans of `text` matched by `m`, in order, overlapping ones merged.
pub fn find_spans(text: &str, m: &Matcher) -> Vec<Span> {
    if m.is_empty() || text.is_empty() {
        return Vec::new();
    }
    let mut a = analyzer();
    let mut stream = a.token_stream(text);
    let mut toks: Vec<(usize, usize, String)> = Vec::new();
    while stream.advance() {
        let t = stream.token();
        toks.push((t.offset_from, t.offset_to, t.text.clone()));
    }
    let mut spans: Vec<Span> = Vec::new();
    for i in 0..toks.len() {
        if m.terms.contains(&toks[i].2) {
            spans.push((toks[i].0, toks[i].1));
        }
        for p in &m.phrases {
            if p.is_empty() || i + p.len() > toks.len() {
                continue;
            }
            if p.iter().zip(&toks[i..]).all(|(want, got)| *want == got.2) {
                spans.push((toks[i].0, toks[i + p.len() - 1].1));
            }
        }
    }
    spans.sort_unstable();
    let mut merged: Vec<Span> = Vec::with_capacity(spans.len());
    for s in spans {
        match merged.last_mut() {
            Some(last) if s.0 <= last.1 => last.1 = last.1.max(s.1),
            _ => merged.push(s),
        }
    }
    merged
}

/// A piece of text with highlighted ranges (char offsets within `text`).
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Snippet {
    pub text: String,
    pub highlights: Vec<(usize, usize)>,
}

/// A snippet of about `max_chars` characters around the densest cluster of spans;
/// the start of the text when nothing matched.
pub fn snippet(text: &str, spans: &[Span], max_chars: usize) -> Snippet {
    let max_bytes = max_chars.max(20) * 4;
    // Best window: the span start that covers the most spans within max_chars.
    let mut best = (0usize, 0usize); // (count, index)
    for (i, s) in spans.iter().enumerate() {
        let limit = char_advance(text, s.0, max_chars);
        let count = spans[i..].iter().take_while(|t| t.1 <= limit).count();
        if count > best.0 {
            best = (count, i);
        }
    }
    let (start, end) = if spans.is_empty() {
        (0, char_advance(text, 0, max_chars))
    } else {
        let first = spans[best.1];
        // Some context before the first match, starting at a word boundary.
        let lead = char_back(text, first.0, max_chars / 4);
        let start = word_start(text, lead, first.0);
        (start, char_advance(text, start, max_chars))
    };
    let end = word_end(text, end);
    let _ = max_bytes;
    let mut out = String::new();
    let mut highlights = Vec::new();
    let prefix = start > 0;
    if prefix {
        out.push('…');
    }
    let mut chars_so_far = out.chars().count();
    let mut cursor = start;
    for s in spans.iter().filter(|s| s.0 >= start && s.1 <= end) {
        let before = flatten(&text[cursor..s.0]);
        chars_so_far += before.chars().count();
        out.push_str(&before);
        let hit = flatten(&text[s.0..s.1]);
        let n = hit.chars().count();
        highlights.push((chars_so_far, chars_so_far + n));
        chars_so_far += n;
        out.push_str(&hit);
        cursor = s.1;
    }
    out.push_str(&flatten(&text[cursor..end]));
    if end < text.len() {
        out.push('…');
    }
    Snippet {
        text: out,
        highlights,
    }
}

/// Newlines (paragraph breaks) become spaces in a one-line snippet.
fn flatten(s: &str) -> String {
    s.replace("\n\n", " ").replace('\n', " ")
}

fn char_advance(text: &str, from: usize, n: usize) -> usize {
    text[from..]
        .char_indices()
        .nth(n)
        .map_or(text.len(), |(i, _)| from + i)
}

fn char_back(text: &str, from: usize, n: usize) -> usize {
    text[..from]
        .char_indices()
        .rev()
        .nth(n.saturating_sub(1))
        .map_or(0, |(i, _)| i)
}

/// Move `at` forward to the start of a word, but not past `limit`.
fn word_start(text: &str, at: usize, limit: usize) -> usize {
    if at == 0 {
        return 0;
    }
    // After a paragraph break, start there.
    if let Some(p) = text[at..limit].rfind("\n\n") {
        return at + p + 2;
    }
    match text[at..limit].find(char::is_whitespace) {
        Some(i) => {
            let ws = at + i;
            ws + text[ws..].chars().next().map_or(0, char::len_utf8)
        }
        None => at,
    }
}

/// Move `at` back to the end of a word.
fn word_end(text: &str, at: usize) -> usize {
    if at >= text.len() {
        return text.len();
    }
    match text[..at].rfind(char::is_whitespace) {
        Some(i) if i > 0 => i,
        _ => at,
    }
}

/// A matching passage: the sentence (within its paragraph) around one or more
/// matches. All offsets are character offsets into the stored body, so
/// `body.chars().skip(start).take(end - start)` is `text`, and each highlight
/// slices the body to exactly the matched words.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Passage {
    pub start: usize,
    pub end: usize,
    pub text: String,
    pub highlights: Vec<(usize, usize)>,
}

/// Longest passage, in bytes, before it is cut at word boundaries around its matches.
const MAX_PASSAGE_BYTES: usize = 600;

/// Every matching passage of `text`, in order.
pub fn passages(text: &str, spans: &[Span]) -> Vec<Passage> {
    let mut out: Vec<(usize, usize, Vec<Span>)> = Vec::new();
    for &span in spans {
        let (mut s, mut e) = sentence_around(text, span);
        if e - s > MAX_PASSAGE_BYTES {
            s = word_start(text, char_back(text, span.0, 150), span.0);
            e = word_end_after(text, char_advance(text, span.1, 150).max(span.1));
        }
        match out.last_mut() {
            Some(last) if s <= last.1 => {
                last.1 = last.1.max(e);
                last.2.push(span);
            }
            _ => out.push((s, e, vec![span])),
        }
    }
    // One pass converts byte offsets to char offsets.
    out.into_iter()
        .map(|(s, e, hs)| {
            let cs = char_offset(text, s);
            let to_char = |b: usize| cs + text[s..b].chars().count();
            Passage {
                start: cs,
                end: to_char(e),
                text: text[s..e].to_string(),
                highlights: hs.iter().map(|&(a, b)| (to_char(a), to_char(b))).collect(),
            }
        })
        .collect()
}

/// The sentence holding `span`, not crossing a paragraph break.
fn sentence_around(text: &str, span: Span) -> (usize, usize) {
    let para_start = text[..span.0].rfind("\n").map_or(0, |i| i + 1);
    let para_end = text[span.1..].find('\n').map_or(text.len(), |i| span.1 + i);
    let before = &text[para_start..span.0];
    let start = before
        .char_indices()
        .rev()
        .find(|&(i, c)| matches!(c, '.' | '!' | '?') && before[i + c.len_utf8()..].starts_with(' '))
        .map_or(para_start, |(i, c)| para_start + i + c.len_utf8() + 1);
    let after = &text[span.1..para_end];
    let end = after
        .char_indices()
        .find(|&(i, c)| {
            matches!(c, '.' | '!' | '?')
                && (after[i + c.len_utf8()..].starts_with(' ') || i + c.len_utf8() == after.len())
        })
        .map_or(para_end, |(i, c)| {
            // Keep a closing quote after the full stop.
            let mut e = span.1 + i + c.len_utf8();
            while let Some(q) = text[e..]
                .chars()
                .next()
                .filter(|q| matches!(q, '"' | '”' | '’' | '\''))
            {
                e += q.len_utf8();
            }
            e
        });
    (start, end)
}

fn word_end_after(text: &str, at: usize) -> usize {
    match text[at..].find(char::is_whitespace) {
        Some(i) => at + i,
        None => text.len(),
    }
}

/// Convert a byte offset of `text` to a char offset.
pub fn char_offset(text: &str, byte: usize) -> usize {
    text[..byte].chars().count()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn matcher(terms: &[&str], phrases: &[&[&str]]) -> Matcher {
        Matcher {
            terms: terms.iter().map(|s| s.to_string()).collect(),
            phrases: phrases
                .iter()
                .map(|p| p.iter().map(|s| s.to_string()).collect())
                .collect(),
        }
    }

    #[test]
    fn phrase_spans_need_adjacent_tokens_case_and_accents_folded() {
        let text = "The Sanctuary City vote. A city that is a sanctuary. Café owners.";
        let m = matcher(&["cafe"], &[&["sanctuary", "city"]]);
        let spans = find_spans(text, &m);
        let got: Vec<&str> = spans.iter().map(|&(a, b)| &text[a..b]).collect();
        assert_eq!(got, ["Sanctuary City", "Café"]);
    }

    #[test]
    fn snippet_highlights_are_char_offsets_into_the_snippet() {
        let text = format!(
            "{} Officials said the sanctuary city rule stays. {}",
            "word ".repeat(100),
            "tail ".repeat(100)
        );
        let m = matcher(&[], &[&["sanctuary", "city"]]);
        let spans = find_spans(&text, &m);
        let s = snippet(&text, &spans, 120);
        assert_eq!(s.highlights.len(), 1);
        let (a, b) = s.highlights[0];
        let hit: String = s.text.chars().skip(a).take(b - a).collect();
        assert_eq!(hit, "sanctuary city");
        assert!(s.text.starts_with('…') && s.text.ends_with('…'));
        assert!(s.text.chars().count() <= 125);
    }

    #[test]
    fn passage_offsets_slice_the_body_to_the_highlighted_text() {
        let body = "Ünïcode first. The sanctuary city rule stays, said José.\n\nNothing here. Another sanctuary city vote is set! Tail.";
        let m = matcher(&[], &[&["sanctuary", "city"]]);
        let ps = passages(body, &find_spans(body, &m));
        assert_eq!(ps.len(), 2);
        let slice = |a: usize, b: usize| -> String { body.chars().skip(a).take(b - a).collect() };
        assert_eq!(ps[0].text, "The sanctuary city rule stays, said José.");
        assert_eq!(ps[1].text, "Another sanctuary city vote is set!");
        for p in &ps {
            assert_eq!(slice(p.start, p.end), p.text);
            for &(a, b) in &p.highlights {
                assert_eq!(slice(a, b), "sanctuary city");
            }
        }
    }

    #[test]
    fn snippet_without_matches_is_the_start() {
        let s = snippet("Short body text.", &[], 100);
        assert_eq!(s.text, "Short body text.");
        assert!(s.highlights.is_empty());
    }
}
