//! A small, fast, forgiving HTML parser that builds an arena DOM.
//!
//! Why our own: extraction needs only a tree of elements, attributes and text, built
//! once per page, fast. A spec-complete parser (html5ever) costs several times more
//! per page than the whole of the rest of ingestion, and news pages rarely depend on
//! the corners of the HTML5 tree-construction algorithm that it implements. This one
//! follows the parts that matter for text: void elements, raw-text elements
//! (`script`, `style`, ...), implied end tags (`p`, `li`, `td`, ...), entity
//! decoding, and never fails: any byte string gives a tree.
//!
//! Guarantees that the rest of the crate relies on: no recursion over the input
//! (deep nesting is capped at [`MAX_DEPTH`], deeper elements become siblings), no
//! panics on any input, and linear time.

mod entities;
mod tree;

pub use entities::{decode_attribute_entities, decode_entities};
pub use tree::{
    AttrRange, Document, Node, NodeData, NodeId, Tag, TagName, TagSet, TextSpan, push_collapsed,
    tag_set,
};

/// Deepest element nesting kept; deeper start tags attach to the element at this depth.
pub const MAX_DEPTH: usize = 256;

/// Parse an HTML document. Never fails.
pub fn parse(html: &str) -> Document {
    tree::TreeBuilder::new(html).build()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn texts(doc: &Document) -> Vec<String> {
        doc.descendants(doc.root())
            .filter_map(|id| doc.text(id).map(str::to_string))
            .collect()
    }

    /// Whitespace runs of every kind (ASCII, no-break, em and ideographic
    /// spaces, next line, line separator) fold to one space, as `split_whitespace`.
    #[test]
    fn push_collapsed_folds_every_kind_of_whitespace() {
        let samples = [
            "plain words here",
            "two  spaces\tand\ttabs\n\nnew lines",
            "no\u{a0}break\u{a0}\u{a0}spaces",
            "em\u{2003}space and\u{3000}ideographic\u{85}next line",
            "caf\u{e9} \u{2014} stra\u{df}e \u{201c}quoted\u{201d} \u{e1}\u{e9}\u{ed}",
            "\u{1680}ogham space\u{205f}math space\u{2028}line sep",
            "€ ₂ ─ ⁂ ぁ ひ 日本",
            "x",
            "",
        ];
        for s in samples {
            let s = s.trim();
            let mut out = String::from("prefix ");
            push_collapsed(&mut out, s);
            let want = format!(
                "prefix {}",
                s.split_whitespace().collect::<Vec<_>>().join(" ")
            );
            assert_eq!(out, want, "{s:?}");
        }
    }

    /// `push_collapsed` of 3,000 random mixes of up to `max_pieces` of
    /// `pieces` (seeded), after each of "", "prefix" and "prefix ", equals a
    /// character-by-character fold: whitespace becomes one space, none at the
    /// start of `out` and none after a space.
    fn assert_folds_like_chars(pieces: &[&str], max_pieces: usize, seed: u64) {
        let mut rng = crate::test_rng::TestRng::new(seed);
        for _ in 0..3000 {
            let text: String = (0..rng.below(max_pieces))
                .map(|_| pieces[rng.below(pieces.len())])
                .collect();
            for prefix in ["", "prefix", "prefix "] {
                let mut got = prefix.to_string();
                push_collapsed(&mut got, &text);
                let mut want = prefix.to_string();
                for ch in text.chars() {
                    if ch.is_whitespace() {
                        if !want.is_empty() && !want.ends_with(' ') {
                            want.push(' ');
                        }
                    } else {
                        want.push(ch);
                    }
                }
                assert_eq!(got, want, "{prefix:?} + {text:?}");
            }
        }
    }

    /// `push_collapsed` equals a character-by-character fold on random mixes of
    /// words, single and double spaces and Unicode whitespace, whatever `out`
    /// ends with (fails if a lone space after a folded run is kept twice, or a
    /// leading space is written at the start of `out`).
    #[test]
    fn push_collapsed_equals_a_char_by_char_fold() {
        let pieces = [
            "word",
            "x",
            " ",
            " ",
            " ",
            "  ",
            "\t",
            "\n",
            "\u{a0}",
            "\u{2003}",
            "\u{e9}t\u{e9}",
            "\u{2014}",
            "\u{3000}",
            "日本",
        ];
        assert_folds_like_chars(&pieces, 12, 7);
    }

    /// Long texts, where whole blocks of 32 bytes are copied at once: the
    /// same fold as character by character, wherever a space, a double space,
    /// a control or a multi-byte character falls against the block edges.
    #[test]
    fn push_collapsed_of_long_texts_equals_a_char_by_char_fold() {
        let pieces = [
            "word",
            "longerwordsinarow",
            "a",
            " ",
            " ",
            " ",
            " ",
            "  ",
            "\t",
            "\n",
            "\u{a0}",
            "\u{2003}",
            "\u{e9}",
            "\u{2014}",
            "\u{85}",
            "\u{7f}",
            "~",
        ];
        assert_folds_like_chars(&pieces, 80, 13);
    }

    #[test]
    fn builds_elements_attributes_and_text() {
        let doc =
            parse(r#"<html><body><p class="lead" id=x>Hello &amp; <b>world</b></p></body></html>"#);
        let p = doc.find_first(doc.root(), "p").expect("p");
        assert_eq!(doc.attr(p, "class"), Some("lead"));
        assert_eq!(doc.attr(p, "id"), Some("x"));
        assert_eq!(doc.text_of(p), "Hello & world");
    }

    #[test]
    fn script_and_style_are_raw_text() {
        let doc =
            parse("<p>a</p><script>if (a < b) { x = '</p>'; }</script><style>p{}</style><p>b</p>");
        let script = doc.find_first(doc.root(), "script").unwrap();
        assert!(doc.text_of(script).contains("a < b"));
        let ps: Vec<_> = doc
            .descendants(doc.root())
            .filter(|&n| doc.is(n, "p"))
            .collect();
        assert_eq!(ps.len(), 2);
    }

    #[test]
    fn implied_end_tags_close_paragraphs_and_items() {
        let doc = parse("<div><p>one<p>two<ul><li>a<li>b</ul></div>");
        let ps: Vec<_> = doc
            .descendants(doc.root())
            .filter(|&n| doc.is(n, "p"))
            .collect();
        assert_eq!(ps.len(), 2);
        assert_eq!(doc.text_of(ps[0]), "one");
        let lis: Vec<_> = doc
            .descendants(doc.root())
            .filter(|&n| doc.is(n, "li"))
            .collect();
        assert_eq!(lis.len(), 2);
        assert_eq!(doc.parent(lis[1]), doc.parent(lis[0]));
    }

    #[test]
    fn stray_end_tags_and_garbage_do_not_break_the_tree() {
        let doc = parse("</div><p>x</span></p><<>>< p>y<!-- c --> z<!doctype html><?php ?>");
        assert!(texts(&doc).join("").contains('x'));
        assert!(texts(&doc).join("").contains("z"));
    }

    #[test]
    fn very_deep_nesting_is_capped_not_recursed() {
        let html = "<div>".repeat(100_000) + "deep text" + &"</div>".repeat(100_000);
        let doc = parse(&html);
        assert!(texts(&doc).join("").contains("deep text"));
        let max_depth = doc
            .descendants(doc.root())
            .map(|n| doc.ancestors(n).count())
            .max()
            .unwrap();
        assert!(max_depth <= MAX_DEPTH + 2, "depth {max_depth}");
    }

    #[test]
    fn comments_and_cdata_are_skipped() {
        let doc = parse("<p>a<!-- <p>hidden</p> -->b</p>");
        assert_eq!(doc.text_of(doc.find_first(doc.root(), "p").unwrap()), "ab");
    }

    #[test]
    fn unclosed_comment_and_tag_at_end_of_input() {
        let doc = parse("<p>kept</p><!-- never closed <p>lost");
        assert!(texts(&doc).join("").contains("kept"));
        let doc = parse("<p>kept</p><a href=\"x");
        assert!(texts(&doc).join("").contains("kept"));
    }
}
