//! Where a query matches inside a stored text, found by re-tokenizing the text with
//! the index's analyzer (so highlights agree with what was counted), and snippets
//! built around the best cluster of matches.

use crate::index::schema::analyzer;
use std::collections::HashSet;

/// What to look for in a text: single tokens and token sequences.
#[derive(Debug, Clone, Default)]
pub struct Matcher {
    /// Single tokens, as the analyzer gives them (lowercased, accents folded).
    pub terms: HashSet<String>,
    /// Token sequences that must be adjacent (phrases, multi-token words).
    pub phrases: Vec<Vec<String>>,
}

impl Matcher {
    /// True when there is nothing to look for in a body (`*`, or only negated
    /// words and words in other fields).
    pub fn is_empty(&self) -> bool {
        self.terms.is_empty() && self.phrases.is_empty()
    }
}

/// A matched span of a text, as byte offsets.
pub type Span = (usize, usize);

/// Spans of `text` matched by `m`, in order, overlapping ones merged.
///
/// The same tokens as the index's analyzer ([`analyzer`]: maximal runs of
/// alphanumeric characters, tokens of 100 bytes or more dropped, lowercased,
/// accents folded), without running it over the whole text: each query word is
/// looked for with a fast substring search in an ASCII-lowercased copy and kept
/// where it is a whole token; only tokens holding non-ASCII characters go through
/// the analyzer itself (so `Café` = `cafe` exactly as when indexing). A phrase
/// matches where its words were found one after the other with no other token
/// between them.
pub fn find_spans(text: &str, m: &Matcher) -> Vec<Span> {
    if m.is_empty() || text.is_empty() {
        return Vec::new();
    }
    let vocab = Vocab::new(m);
    let found = vocab.occurrences(text);
    let mut spans: Vec<Span> = Vec::new();
    for (i, &(start, end, id)) in found.iter().enumerate() {
        if vocab.is_term[id as usize] {
            spans.push((start, end));
        }
        for p in &vocab.phrases {
            if p[0] != id || i + p.len() > found.len() {
                continue;
            }
            let run = &found[i..i + p.len()];
            let adjacent = run.windows(2).all(|w| !has_token(&text[w[0].1..w[1].0]));
            if adjacent && p.iter().zip(run).all(|(want, got)| *want == got.2) {
                spans.push((start, run[run.len() - 1].1));
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

/// Does `gap` (text between two tokens) hold a token the analyzer keeps?
fn has_token(gap: &str) -> bool {
    let mut any = false;
    for_each_token(gap, |start, end, _| any |= end - start < MAX_TOKEN_BYTES);
    any
}

/// Tokens of this many bytes or more are dropped by the analyzer.
const MAX_TOKEN_BYTES: usize = 100;

/// The matcher's distinct tokens, numbered, and its phrases as token numbers.
struct Vocab<'a> {
    words: Vec<&'a str>,
    is_term: Vec<bool>,
    phrases: Vec<Vec<u32>>,
}

impl<'a> Vocab<'a> {
    fn new(m: &'a Matcher) -> Self {
        let mut v = Vocab {
            words: Vec::new(),
            is_term: Vec::new(),
            phrases: Vec::new(),
        };
        for t in &m.terms {
            let id = v.intern(t);
            v.is_term[id as usize] = true;
        }
        for p in m.phrases.iter().filter(|p| !p.is_empty()) {
            let ids = p.iter().map(|t| v.intern(t)).collect();
            v.phrases.push(ids);
        }
        v
    }

    fn intern(&mut self, w: &'a str) -> u32 {
        match self.words.iter().position(|x| *x == w) {
            Some(i) => i as u32,
            None => {
                self.words.push(w);
                self.is_term.push(false);
                (self.words.len() - 1) as u32
            }
        }
    }

    /// Every token of `text` that is one of the words: (start, end, word number),
    /// in text order.
    fn occurrences(&self, text: &str) -> Vec<(usize, usize, u32)> {
        let bytes = text.as_bytes();
        let mut found = Vec::new();
        // Pure-ASCII tokens: the analyzer only lowercases them, so a word is found
        // by substring search in the lowercased text, then kept where it is a
        // whole token (no alphanumeric character on either side; a non-ASCII one
        // there makes it part of a non-ASCII token, found below).
        let lower = bytes.to_ascii_lowercase();
        for (id, w) in self.words.iter().enumerate() {
            let wb = w.as_bytes();
            if wb.is_empty()
                || wb.len() >= MAX_TOKEN_BYTES
                || !wb.iter().all(u8::is_ascii_alphanumeric)
            {
                continue; // No pure-ASCII token analyzes to it.
            }
            for at in memchr::memmem::find_iter(&lower, wb) {
                let end = at + wb.len();
                if !alnum_before(text, at) && !alnum_after(text, end) {
                    found.push((at, end, id as u32));
                }
            }
        }
        // Tokens holding a non-ASCII letter or digit: through the analyzer.
        if !text.is_ascii() {
            let mut analyzer = analyzer();
            let mut i = 0;
            while let Some(k) = bytes[i..].iter().position(|b| *b >= 0x80) {
                let at = i + k;
                let c = text[at..].chars().next().expect("a char boundary");
                if !c.is_alphanumeric() {
                    i = at + c.len_utf8();
                    continue;
                }
                let start = token_start(text, at);
                let end = token_end(text, at);
                i = end;
                if end - start >= MAX_TOKEN_BYTES {
                    continue;
                }
                let mut stream = analyzer.token_stream(&text[start..end]);
                if stream.advance()
                    && let Some(id) = self.words.iter().position(|w| *w == stream.token().text)
                {
                    found.push((start, end, id as u32));
                }
            }
        }
        found.sort_unstable();
        found
    }
}

/// Is the character just before byte `at` alphanumeric?
fn alnum_before(text: &str, at: usize) -> bool {
    match text.as_bytes()[..at].last() {
        None => false,
        Some(b) if *b < 0x80 => b.is_ascii_alphanumeric(),
        Some(_) => text[..at]
            .chars()
            .next_back()
            .is_some_and(char::is_alphanumeric),
    }
}

/// Is the character at byte `at` alphanumeric?
fn alnum_after(text: &str, at: usize) -> bool {
    match text.as_bytes().get(at) {
        None => false,
        Some(b) if *b < 0x80 => b.is_ascii_alphanumeric(),
        Some(_) => text[at..].chars().next().is_some_and(char::is_alphanumeric),
    }
}

/// Start of the token holding the alphanumeric character at `at`.
fn token_start(text: &str, mut at: usize) -> usize {
    while alnum_before(text, at) {
        at -= text[..at].chars().next_back().map_or(1, char::len_utf8);
    }
    at
}

/// End of the token holding the alphanumeric character at `at`.
fn token_end(text: &str, mut at: usize) -> usize {
    while alnum_after(text, at) {
        at += text[at..].chars().next().map_or(1, char::len_utf8);
    }
    at
}

/// Byte classes for the tokenizer: ASCII letters and digits, other ASCII, and
/// bytes of non-ASCII characters.
const ALNUM: u8 = 1;
const OTHER: u8 = 0;
const MULTI: u8 = 2;
static CLASS: [u8; 256] = {
    let mut t = [OTHER; 256];
    let mut b = 0;
    while b < 256 {
        let c = b as u8;
        t[b] = if c >= 0x80 {
            MULTI
        } else if c.is_ascii_alphanumeric() {
            ALNUM
        } else {
            OTHER
        };
        b += 1;
    }
    t
};

/// Call `f(start, end, ascii)` for every maximal run of alphanumeric characters
/// (the analyzer's tokenizer), in order; `ascii` says the run is pure ASCII.
fn for_each_token(text: &str, mut f: impl FnMut(usize, usize, bool)) {
    let bytes = text.as_bytes();
    let n = bytes.len();
    // The length of the alphanumeric character at `i` (a non-ASCII one), if it is.
    let multi_alnum = |i: usize| -> Result<usize, usize> {
        match text[i..].chars().next() {
            Some(c) if c.is_alphanumeric() => Ok(c.len_utf8()),
            Some(c) => Err(c.len_utf8()),
            None => Err(1),
        }
    };
    let mut i = 0;
    while i < n {
        let start = i;
        let mut ascii = true;
        match CLASS[usize::from(bytes[i])] {
            OTHER => {
                i += 1;
                continue;
            }
            ALNUM => i += 1,
            _ => match multi_alnum(i) {
                Ok(len) => {
                    ascii = false;
                    i += len;
                }
                Err(len) => {
                    i += len;
                    continue;
                }
            },
        }
        while i < n {
            match CLASS[usize::from(bytes[i])] {
                ALNUM => i += 1,
                OTHER => break,
                _ => match multi_alnum(i) {
                    Ok(len) => {
                        ascii = false;
                        i += len;
                    }
                    Err(_) => break,
                },
            }
        }
        f(start, i, ascii);
    }
}

/// A piece of text with highlighted ranges (char offsets within `text`).
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Snippet {
    /// The excerpt on one line (line breaks become spaces), with `…` where the text was cut.
    pub text: String,
    /// Matched ranges as `[start, end)` character offsets into `text`.
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
    let mut out = String::with_capacity(end - start + 8);
    let mut highlights = Vec::new();
    let mut chars_so_far = 0;
    if start > 0 {
        out.push('…');
        chars_so_far = 1;
    }
    let mut cursor = start;
    for s in spans.iter().filter(|s| s.0 >= start && s.1 <= end) {
        chars_so_far += push_flat(&mut out, &text[cursor..s.0]);
        let n = push_flat(&mut out, &text[s.0..s.1]);
        highlights.push((chars_so_far, chars_so_far + n));
        chars_so_far += n;
        cursor = s.1;
    }
    push_flat(&mut out, &text[cursor..end]);
    if end < text.len() {
        out.push('…');
    }
    Snippet {
        text: out,
        highlights,
    }
}

/// Append `s` to `out` on one line (a paragraph break or a newline becomes one
/// space) and return how many characters were appended. One pass, no temporary
/// strings: snippets are built for every hit on every page of results.
fn push_flat(out: &mut String, s: &str) -> usize {
    let mut chars = 0;
    let mut rest = s;
    while let Some(i) = memchr::memchr(b'\n', rest.as_bytes()) {
        out.push_str(&rest[..i]);
        out.push(' ');
        chars += char_count(&rest[..i]) + 1;
        let skip = if rest.as_bytes().get(i + 1) == Some(&b'\n') {
            2
        } else {
            1
        };
        rest = &rest[i + skip..];
    }
    out.push_str(rest);
    chars + char_count(rest)
}

/// Characters in `s`: the bytes that start one (not UTF-8 continuation bytes).
fn char_count(s: &str) -> usize {
    s.bytes().filter(|b| (*b as i8) >= -0x40).count()
}

/// Byte offset of the `n`th character after `from` (the end of the text when
/// there are fewer): counted by bytes, as `char_indices().nth(n)` would.
fn char_advance(text: &str, from: usize, n: usize) -> usize {
    let mut seen = 0;
    for (i, b) in text.as_bytes()[from..].iter().enumerate() {
        if (*b as i8) >= -0x40 {
            if seen == n {
                return from + i;
            }
            seen += 1;
        }
    }
    text.len()
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
    /// Character offset in the body where the passage starts.
    pub start: usize,
    /// Character offset in the body just past the passage's end.
    pub end: usize,
    /// The passage: the body's characters from `start` to `end`.
    pub text: String,
    /// Matched ranges as `[start, end)` character offsets into the body (not into `text`).
    pub highlights: Vec<(usize, usize)>,
}

/// Longest passage, in bytes, before it is cut at word boundaries around its
/// matches; also the cap on a passage that grows by merging nearby matches.
/// Every search for a passage's edges looks at most this far from its match,
/// so passages cost time in proportion to the body, whatever its sentences.
const MAX_PASSAGE_BYTES: usize = 600;

/// Context kept on each side of a match in a passage cut from a long sentence.
const CUT_CONTEXT_CHARS: usize = 150;

/// How far past the cut a word end is looked for before cutting mid-word (a
/// run of text without spaces).
const MAX_WORD_TAIL_BYTES: usize = 64;

/// Every matching passage of `text`, in order, none longer than
/// 600 bytes (`MAX_PASSAGE_BYTES`) plus one match and its word ends.
pub fn passages(text: &str, spans: &[Span]) -> Vec<Passage> {
    let mut out: Vec<(usize, usize, Vec<Span>)> = Vec::new();
    for &span in spans {
        let (mut s, mut e) = sentence_around(text, span);
        if e - s > MAX_PASSAGE_BYTES {
            s = word_start(text, char_back(text, span.0, CUT_CONTEXT_CHARS), span.0);
            e = word_end_after(
                text,
                char_advance(text, span.1, CUT_CONTEXT_CHARS).max(span.1),
            );
        }
        place(&mut out, text, span, (s, e));
    }
    // Byte offsets to char offsets in one pass: passages are in order and do
    // not overlap, so each conversion counts only from the previous passage.
    let (mut at_byte, mut at_char) = (0, 0);
    out.into_iter()
        .map(|(s, e, hs)| {
            let cs = at_char + char_count(&text[at_byte..s]);
            let to_char = |b: usize| cs + char_count(&text[s..b]);
            let passage = Passage {
                start: cs,
                end: to_char(e),
                text: text[s..e].to_string(),
                highlights: hs.iter().map(|&(a, b)| (to_char(a), to_char(b))).collect(),
            };
            (at_byte, at_char) = (e, passage.end);
            passage
        })
        .collect()
}

/// Add the passage `(s, e)` of `span` to `out`: into the last passage when
/// they overlap and the result stays within [`MAX_PASSAGE_BYTES`], else as a
/// passage of its own that starts where the last one ends, so that passages
/// never overlap and never grow without end (a long text without sentence
/// breaks full of matches).
fn place(out: &mut Vec<(usize, usize, Vec<Span>)>, text: &str, span: Span, (s, e): Span) {
    let Some(last) = out.last_mut() else {
        out.push((s, e, vec![span]));
        return;
    };
    if span.1 <= last.1 {
        // Inside the last passage already: one highlight more.
        last.2.push(span);
    } else if s <= last.1 && e - last.0 <= MAX_PASSAGE_BYTES {
        last.1 = e.max(last.1);
        last.2.push(span);
    } else if span.0 < last.1 {
        // The match straddles the last passage's end: that passage ends after it.
        last.1 = word_end_after(text, span.1).max(span.1);
        last.2.push(span);
    } else if s < last.1 {
        let from = skip_spaces(text, last.1, span.0);
        out.push((from, e, vec![span]));
    } else {
        out.push((s, e, vec![span]));
    }
}

/// `at` moved past spaces, but not beyond `limit`.
fn skip_spaces(text: &str, at: usize, limit: usize) -> usize {
    let n = text[at..limit]
        .bytes()
        .take_while(u8::is_ascii_whitespace)
        .count();
    at + n
}

/// The largest char boundary of `text` at or below `at`.
fn floor_boundary(text: &str, mut at: usize) -> usize {
    at = at.min(text.len());
    while !text.is_char_boundary(at) {
        at -= 1;
    }
    at
}

/// The smallest char boundary of `text` at or above `at`.
fn ceil_boundary(text: &str, mut at: usize) -> usize {
    at = at.min(text.len());
    while !text.is_char_boundary(at) {
        at += 1;
    }
    at
}

/// The sentence holding `span`, not crossing a paragraph break, looked for
/// within [`MAX_PASSAGE_BYTES`] on each side: a sentence that reaches further
/// is over the cap and is cut by the caller all the same, so a looked-for edge
/// that is not found there is reported as the window's edge.
fn sentence_around(text: &str, span: Span) -> (usize, usize) {
    let lo = floor_boundary(text, span.0.saturating_sub(MAX_PASSAGE_BYTES + 1));
    let hi = ceil_boundary(text, span.1 + MAX_PASSAGE_BYTES + 1);
    let para_start = text[lo..span.0].rfind('\n').map_or(lo, |i| lo + i + 1);
    let para_end = text[span.1..hi].find('\n').map_or(hi, |i| span.1 + i);
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

/// The end of the word at `at`, looked for within [`MAX_WORD_TAIL_BYTES`]:
/// a longer run without spaces is cut at `at`.
fn word_end_after(text: &str, at: usize) -> usize {
    let hi = floor_boundary(text, at + MAX_WORD_TAIL_BYTES);
    match text[at..hi].find(char::is_whitespace) {
        Some(i) => at + i,
        None if hi == text.len() => hi,
        None => at,
    }
}

/// Convert a byte offset of `text` to a char offset.
pub fn char_offset(text: &str, byte: usize) -> usize {
    text[..byte].chars().count()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn one_line_pieces_and_char_offsets_agree_with_the_plain_definitions() {
        let samples = [
            "",
            "plain words",
            "a\nb",
            "para one.\n\npara two",
            "\n\n\nthree",
            "ends\n",
            "Café on the\n\nquai d’Orsay — 東京\n",
        ];
        for s in samples {
            let mut out = String::from("…");
            let n = push_flat(&mut out, s);
            let want = s.replace("\n\n", " ").replace('\n', " ");
            assert_eq!(out, format!("…{want}"), "{s:?}");
            assert_eq!(n, want.chars().count(), "{s:?}");
            for from in (0..=s.len()).filter(|i| s.is_char_boundary(*i)) {
                for k in 0..6 {
                    let plain = s[from..]
                        .char_indices()
                        .nth(k)
                        .map_or(s.len(), |(i, _)| from + i);
                    assert_eq!(char_advance(s, from, k), plain, "{s:?} {from} {k}");
                }
            }
        }
    }

    fn matcher(terms: &[&str], phrases: &[&[&str]]) -> Matcher {
        Matcher {
            terms: terms.iter().map(|s| s.to_string()).collect(),
            phrases: phrases
                .iter()
                .map(|p| p.iter().map(|s| s.to_string()).collect())
                .collect(),
        }
    }

    /// The straightforward way: the analyzer over the whole text, every token
    /// kept. `find_spans` must give exactly the same spans.
    fn find_spans_reference(text: &str, m: &Matcher) -> Vec<Span> {
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
        let mut merged: Vec<Span> = Vec::new();
        for s in spans {
            match merged.last_mut() {
                Some(last) if s.0 <= last.1 => last.1 = last.1.max(s.1),
                _ => merged.push(s),
            }
        }
        merged
    }

    /// A small deterministic generator (xorshift), so failures reproduce.
    struct Rng(u64);
    impl Rng {
        fn next(&mut self) -> u64 {
            self.0 ^= self.0 << 13;
            self.0 ^= self.0 >> 7;
            self.0 ^= self.0 << 17;
            self.0
        }
        fn pick<'a>(&mut self, xs: &[&'a str]) -> &'a str {
            xs[(self.next() % xs.len() as u64) as usize]
        }
    }

    #[test]
    fn fast_spans_equal_the_analyzer_over_the_whole_text_on_random_texts() {
        let words = [
            "city",
            "City",
            "CITY",
            "sanctuary",
            "Sanctuary",
            "sanctuaries",
            "Café",
            "cafe",
            "CAFÉ",
            "café",
            "straße",
            "strasse",
            "Æsir",
            "aesir",
            "naïve",
            "naive",
            "Ωμέγα",
            "東京",
            "x2",
            "2024",
            "rent",
            "stabilization",
            "the",
            "a",
            "cityhall",
            "ｃｉｔｙ",
            "İstanbul",
            "istanbul",
            "ﬁle",
            "file",
        ];
        let seps = [
            " ", " ", " ", ", ", ". ", "\n\n", "\n", "-", "'", "’", " — ", "…", "\u{a0}", "_", "",
            "/",
        ];
        let long = "a".repeat(100);
        let long99 = "b".repeat(99);
        let long_accented = format!("{}é", "c".repeat(98));
        let mut rng = Rng(0x9e37_79b9_7f4a_7c15);
        let matchers = [
            matcher(&["cafe"], &[&["sanctuary", "city"]]),
            matcher(&["city", "naive"], &[]),
            matcher(&[], &[&["rent", "stabilization"], &["city", "city"]]),
            matcher(
                &["strasse", "aesir", "istanbul"],
                &[&["the", "city", "cafe"]],
            ),
            matcher(&["東京", "ωμεγα", "file"], &[&["a", "a"]]),
            matcher(&[long99.as_str()], &[&["city", long99.as_str(), "cafe"]]),
            matcher(&["City"], &[&["Sanctuary", "city"]]),
        ];
        let mut matched = 0;
        for round in 0..3000 {
            let n = (rng.next() % 60) as usize;
            let mut text = String::new();
            for _ in 0..n {
                match rng.next() % 40 {
                    0 => text.push_str(&long),
                    1 => text.push_str(&long99),
                    2 => text.push_str(&long_accented),
                    _ => text.push_str(rng.pick(&words)),
                }
                text.push_str(rng.pick(&seps));
            }
            for m in &matchers {
                let spans = find_spans(&text, m);
                matched += usize::from(!spans.is_empty());
                assert_eq!(
                    spans,
                    find_spans_reference(&text, m),
                    "round {round}: {text:?} with {m:?}"
                );
            }
        }
        assert!(matched > 5000, "only {matched} texts had a match");
    }

    #[test]
    fn a_term_near_the_end_of_a_long_body_is_found_and_snippeted() {
        let text = format!(
            "{}The council voted on zoning.",
            "Filler words here. ".repeat(5000)
        );
        let m = matcher(&["zoning"], &[]);
        let spans = find_spans(&text, &m);
        assert_eq!(spans.len(), 1);
        assert_eq!(&text[spans[0].0..spans[0].1], "zoning");
        let s = snippet(&text, &spans, 100);
        let (a, b) = s.highlights[0];
        assert_eq!(
            s.text.chars().skip(a).take(b - a).collect::<String>(),
            "zoning"
        );
        assert!(s.text.ends_with("zoning."), "{}", s.text);
    }

    #[test]
    fn phrases_match_across_lines_and_punctuation_but_not_across_other_words() {
        let text = "rent\n\nstabilization; rent, stabilization! rent control stabilization rent";
        let m = matcher(&[], &[&["rent", "stabilization"]]);
        let got: Vec<&str> = find_spans(text, &m)
            .iter()
            .map(|&(a, b)| &text[a..b])
            .collect();
        assert_eq!(got, ["rent\n\nstabilization", "rent, stabilization"]);
    }

    #[test]
    fn non_ascii_tokens_fold_like_the_index() {
        let text = "STRASSE und Straße; Æsir, naïve NAÏVE; 東京 and Ωμέγα.";
        // Greek is lowercased but keeps its accents (no ASCII form).
        let m = matcher(&["strasse", "aesir", "naive", "東京", "ωμέγα"], &[]);
        let got: Vec<&str> = find_spans(text, &m)
            .iter()
            .map(|&(a, b)| &text[a..b])
            .collect();
        assert_eq!(
            got,
            [
                "STRASSE",
                "Straße",
                "Æsir",
                "naïve",
                "NAÏVE",
                "東京",
                "Ωμέγα"
            ]
        );
    }

    #[test]
    fn overlapping_spans_merge_and_touching_ones_do_not() {
        let m = matcher(&["city"], &[&["sanctuary", "city"], &["city", "council"]]);
        let words = |text: &'static str| -> Vec<&'static str> {
            find_spans(text, &m)
                .iter()
                .map(|&(a, b)| &text[a..b])
                .collect()
        };
        assert_eq!(
            words("The sanctuary city council."),
            ["sanctuary city council"]
        );
        assert_eq!(
            words("The sanctuary city city council."),
            ["sanctuary city", "city council"]
        );
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
    fn passages_in_a_text_without_sentence_breaks_are_capped() {
        // 200 KB of words without a full stop or newline; every 7th word matches.
        let words = [
            "council",
            "budget",
            "vote",
            "residents",
            "plan",
            "city",
            "housing",
        ];
        let body: String = (0..30_000)
            .map(|i| words[i % 7])
            .collect::<Vec<_>>()
            .join(" ");
        let m = matcher(&["budget"], &[]);
        let spans = find_spans(&body, &m);
        let ps = passages(&body, &spans);
        assert!(ps.len() > 100, "{} passages", ps.len());
        let mut highlighted = 0;
        let mut last_end = 0;
        for p in &ps {
            assert!(
                p.text.len() <= MAX_PASSAGE_BYTES + 80,
                "{} bytes",
                p.text.len()
            );
            assert!(p.start >= last_end, "passages overlap");
            last_end = p.end;
            let slice: String = body.chars().skip(p.start).take(p.end - p.start).collect();
            assert_eq!(slice, p.text);
            for &(a, b) in &p.highlights {
                let word: String = body.chars().skip(a).take(b - a).collect();
                assert_eq!(word, "budget");
            }
            highlighted += p.highlights.len();
        }
        // Every match is in exactly one passage.
        assert_eq!(highlighted, spans.len());
        // A run without spaces is cut, not searched to its end for a word break.
        let blob = format!("budget {}", "x".repeat(100_000));
        let ps = passages(&blob, &find_spans(&blob, &m));
        assert_eq!(ps.len(), 1);
        assert!(
            ps[0].text.len() <= MAX_PASSAGE_BYTES,
            "{}",
            ps[0].text.len()
        );
    }

    #[test]
    fn snippet_without_matches_is_the_start() {
        let s = snippet("Short body text.", &[], 100);
        assert_eq!(s.text, "Short body text.");
        assert!(s.highlights.is_empty());
    }
}
