//! The word tokenizer of every text field, in one pass.
//!
//! [`WordTokenizer`] gives exactly the tokens of tantivy's chain
//! `SimpleTokenizer` → `RemoveLongFilter::limit(100)` → `LowerCaser` →
//! `AsciiFoldingFilter`: words are maximal runs of alphanumeric characters,
//! words of 100 bytes or more are dropped (their positions stay used),
//! the rest are lowercased and folded to ASCII. The chain walks each word
//! three times through three stream layers; here an ASCII word (nearly every
//! word of English news) is found, measured and lowercased in one walk over
//! its bytes, and only a word with other characters goes through the chain's
//! own lowercasing and folding, so both give the same terms (see the tests).

use tantivy::tokenizer::{
    AsciiFoldingFilter, LowerCaser, RawTokenizer, TextAnalyzer, Token, TokenStream, Tokenizer,
};

/// Words of this many bytes or more are not indexed (base64 junk, long URLs).
pub const MAX_WORD_BYTES: usize = 100;

/// See the module documentation.
#[derive(Clone)]
pub struct WordTokenizer {
    token: Token,
    /// Lowercases and folds one non-ASCII word, as the chain does.
    fold: TextAnalyzer,
}

impl Default for WordTokenizer {
    fn default() -> Self {
        WordTokenizer {
            token: Token::default(),
            fold: TextAnalyzer::builder(RawTokenizer::default())
                .filter(LowerCaser)
                .filter(AsciiFoldingFilter)
                .build(),
        }
    }
}

/// The tokens of one text.
pub struct WordTokenStream<'a> {
    text: &'a str,
    pos: usize,
    token: &'a mut Token,
    fold: &'a mut TextAnalyzer,
}

impl Tokenizer for WordTokenizer {
    type TokenStream<'a> = WordTokenStream<'a>;

    fn token_stream<'a>(&'a mut self, text: &'a str) -> WordTokenStream<'a> {
        self.token.reset();
        WordTokenStream {
            text,
            pos: 0,
            token: &mut self.token,
            fold: &mut self.fold,
        }
    }
}

/// Byte classes: 1 an ASCII letter or digit, 2 a byte of a non-ASCII
/// character, 0 any other ASCII byte (a separator).
const CLASS: [u8; 256] = {
    let mut t = [0u8; 256];
    let mut c = 0usize;
    while c < 256 {
        t[c] = if c >= 0x80 {
            2
        } else if (c as u8).is_ascii_alphanumeric() {
            1
        } else {
            0
        };
        c += 1;
    }
    t
};

impl WordTokenStream<'_> {
    /// The next word as `(start, end, all ASCII)`, from `self.pos`.
    fn next_word(&mut self) -> Option<(usize, usize, bool)> {
        let text = self.text;
        let b = text.as_bytes();
        let mut i = self.pos;
        // Skip to the first alphanumeric character.
        let start = loop {
            while i < b.len() && CLASS[b[i] as usize] == 0 {
                i += 1;
            }
            if i >= b.len() {
                self.pos = i;
                return None;
            }
            if CLASS[b[i] as usize] == 1 {
                break i;
            }
            let c = text[i..].chars().next()?;
            if c.is_alphanumeric() {
                break i;
            }
            i += c.len_utf8();
        };
        let mut ascii = true;
        loop {
            while i < b.len() && CLASS[b[i] as usize] == 1 {
                i += 1;
            }
            if i >= b.len() || CLASS[b[i] as usize] == 0 {
                break;
            }
            let Some(c) = text[i..].chars().next() else {
                break;
            };
            if !c.is_alphanumeric() {
                break;
            }
            ascii = false;
            i += c.len_utf8();
        }
        self.pos = i;
        Some((start, i, ascii))
    }
}

impl TokenStream for WordTokenStream<'_> {
    fn advance(&mut self) -> bool {
        loop {
            // Every word takes a position, also one dropped for its length.
            self.token.position = self.token.position.wrapping_add(1);
            let Some((start, end, ascii)) = self.next_word() else {
                return false;
            };
            if end - start >= MAX_WORD_BYTES {
                continue;
            }
            let word = &self.text[start..end];
            self.token.offset_from = start;
            self.token.offset_to = end;
            self.token.text.clear();
            if ascii {
                self.token.text.push_str(word);
                self.token.text.make_ascii_lowercase();
            } else {
                let mut folded = self.fold.token_stream(word);
                if folded.advance() {
                    self.token.text.push_str(&folded.token().text);
                }
            }
            return true;
        }
    }

    fn token(&self) -> &Token {
        self.token
    }

    fn token_mut(&mut self) -> &mut Token {
        self.token
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use tantivy::tokenizer::{RemoveLongFilter, SimpleTokenizer};

    fn chain() -> TextAnalyzer {
        TextAnalyzer::builder(SimpleTokenizer::default())
            .filter(RemoveLongFilter::limit(MAX_WORD_BYTES))
            .filter(LowerCaser)
            .filter(AsciiFoldingFilter)
            .build()
    }

    fn tokens(a: &mut TextAnalyzer, text: &str) -> Vec<(String, usize, usize, usize)> {
        let mut out = Vec::new();
        let mut s = a.token_stream(text);
        while s.advance() {
            let t = s.token();
            out.push((t.text.clone(), t.position, t.offset_from, t.offset_to));
        }
        out
    }

    /// Same terms, positions and offsets as tantivy's chain, on words of
    /// every kind: ASCII, accented, other scripts, digits, long junk, marks.
    #[test]
    fn same_tokens_as_the_tantivy_chain() {
        let words = [
            "Council",
            "VOTES",
            "café",
            "Straße",
            "ÆRØ",
            "İstanbul",
            "ΣΟΦΊΑ",
            "naïve",
            "2018",
            "x86",
            "東京",
            "١٢٣",
            "ǅemal",
            "ﬁnance",
            "Ⅻ",
            "e\u{301}",
            "o'clock",
            "U.S.",
            "e-mail",
            "—",
            "…",
            "😀",
            "\u{a0}",
            "\t",
            "\n",
            "&",
            "_",
            "ß",
            "ŉ",
        ];
        let long_ascii = "a".repeat(99) + " " + &"b".repeat(100) + " " + &"c".repeat(150);
        let long_other = "é".repeat(49) + " " + &"é".repeat(50) + " " + &"Ä".repeat(70);
        let mut rng = crate::test_rng::TestRng::new(11);
        let mut next = |n: usize| rng.below(n);
        let mut texts = vec![long_ascii, long_other, String::new(), " ".into()];
        for _ in 0..2000 {
            let mut t = String::new();
            for _ in 0..next(30) {
                t.push_str(words[next(words.len())]);
                if next(3) > 0 {
                    t.push(if next(5) == 0 { ',' } else { ' ' });
                }
            }
            texts.push(t);
        }
        let mut ours = TextAnalyzer::from(WordTokenizer::default());
        let mut theirs = chain();
        for t in &texts {
            assert_eq!(tokens(&mut ours, t), tokens(&mut theirs, t), "{t:?}");
        }
    }
}
