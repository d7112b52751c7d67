//! Bytes to text: BOM, declared charset (transport or `<meta>`), valid UTF-8, then
//! detection for undeclared legacy pages.

use encoding_rs::Encoding;
use std::borrow::Cow;

/// How many bytes of sample the detector reads at most. Detection is slow (about
/// 6 MB/s: an undeclared 85 KB page took 15 ms, 96% of its extraction), and 16 KiB
/// of non-ASCII text with its context decide as well as the whole page.
const DETECT_SAMPLE: usize = 16 * 1024;
/// Bytes of ASCII context kept around each run of non-ASCII bytes: at most this
/// many before it (from the last space or markup byte), at least this many after.
const DETECT_CONTEXT: usize = 24;

/// How far into a page a `<meta charset>` declaration is looked for.
const PRESCAN_LIMIT: usize = 4096;

/// Decode `bytes` to text. `declared` is a charset label from outside the page
/// (an HTTP header in a WARC record, a feed). `is_html` enables the `<meta>` prescan.
/// Returns the text and the name of the encoding used.
pub fn decode<'a>(
    bytes: &'a [u8],
    declared: Option<&str>,
    is_html: bool,
) -> (Cow<'a, str>, &'static str) {
    if let Some((enc, bom_len)) = Encoding::for_bom(bytes) {
        let (text, _) = enc.decode_without_bom_handling(&bytes[bom_len..]);
        return (text, enc.name());
    }
    let label_enc = declared
        .and_then(|l| Encoding::for_label(l.trim().as_bytes()))
        .or_else(|| if is_html { meta_charset(bytes) } else { None });
    // A page that is valid UTF-8 is UTF-8, whatever it declares: mislabelled pages
    // ("iso-8859-1" on UTF-8 text) are common and the reverse is nearly impossible.
    if let Ok(text) = std::str::from_utf8(bytes) {
        return (Cow::Borrowed(text), "UTF-8");
    }
    let enc = label_enc
        .filter(|e| *e != encoding_rs::UTF_8)
        .unwrap_or_else(|| detect(bytes));
    let (text, _) = enc.decode_without_bom_handling(bytes);
    (text, enc.name())
}

fn detect(bytes: &[u8]) -> &'static Encoding {
    let mut det = chardetng::EncodingDetector::new(chardetng::Iso2022JpDetection::Deny);
    let (sample, whole) = detection_sample(bytes);
    det.feed(&sample, whole);
    det.guess(None, chardetng::Utf8Detection::Allow)
}

/// What tells a page's encoding: its non-ASCII bytes, each run with some ASCII
/// context, the runs joined by a space. Markup and plain ASCII between them say
/// nothing about the encoding but take most of the detector's time. A cut is
/// made only just before a space, tab, line break, `<` or `>`: no legacy
/// multi-byte encoding uses those bytes inside a character, so no character is
/// split. Also says whether the sample is the whole page.
fn detection_sample(bytes: &[u8]) -> (Vec<u8>, bool) {
    let is_cut = |b: &u8| matches!(b, b' ' | b'\t' | b'\n' | b'\r' | b'<' | b'>');
    let mut sample = Vec::new();
    let mut from = 0;
    while sample.len() < DETECT_SAMPLE {
        let Some(off) = bytes[from..].iter().position(|&b| b >= 0x80) else {
            return (sample, true);
        };
        let at = from + off;
        // Start after the last cut byte before the context (or where the last
        // window ended: every byte between is ASCII, so none is a trail byte).
        let floor = at.saturating_sub(DETECT_CONTEXT).max(from);
        let start = bytes[floor..at]
            .iter()
            .rposition(is_cut)
            .map_or(floor, |i| floor + i + 1);
        // End before the first cut byte after the context, or at the page's end.
        let after = (at + DETECT_CONTEXT).min(bytes.len());
        let end = bytes[after..]
            .iter()
            .position(is_cut)
            .map_or(bytes.len(), |i| after + i);
        if !sample.is_empty() && start > from {
            sample.push(b' ');
        }
        sample.extend_from_slice(&bytes[start..end]);
        from = end;
        if from == bytes.len() {
            return (sample, true);
        }
    }
    (sample, false)
}

/// `<meta charset="x">` or `<meta http-equiv="content-type" content="...; charset=x">`
/// in the first bytes of a page.
fn meta_charset(bytes: &[u8]) -> Option<&'static Encoding> {
    let head = &bytes[..bytes.len().min(PRESCAN_LIMIT)];
    let lower: Vec<u8> = head.iter().map(|b| b.to_ascii_lowercase()).collect();
    let mut from = 0;
    while let Some(i) = find(&lower[from..], b"charset") {
        let mut p = from + i + b"charset".len();
        while p < lower.len()
            && (lower[p] == b' ' || lower[p] == b'=' || lower[p] == b'"' || lower[p] == b'\'')
        {
            p += 1;
        }
        let start = p;
        while p < lower.len() && (lower[p].is_ascii_alphanumeric() || b"-_:.".contains(&lower[p])) {
            p += 1;
        }
        if p > start
            && let Some(enc) = Encoding::for_label(&lower[start..p])
        {
            // A UTF-16 declaration in an ASCII-compatible page means UTF-8 (HTML spec).
            if enc == encoding_rs::UTF_16LE || enc == encoding_rs::UTF_16BE {
                return Some(encoding_rs::UTF_8);
            }
            return Some(enc);
        }
        from = p.max(from + i + 1);
    }
    None
}

fn find(hay: &[u8], needle: &[u8]) -> Option<usize> {
    hay.windows(needle.len()).position(|w| w == needle)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn utf8_with_and_without_bom() {
        assert_eq!(decode("café".as_bytes(), None, true).0, "café");
        let mut b = vec![0xEF, 0xBB, 0xBF];
        b.extend_from_slice("café".as_bytes());
        assert_eq!(decode(&b, None, true).0, "café");
    }

    #[test]
    fn declared_meta_charset_is_used_for_legacy_bytes() {
        let mut page = b"<html><head><meta charset=\"windows-1252\"></head><body>".to_vec();
        page.extend_from_slice(b"Caf\xe9 \x93quoted\x94</body></html>");
        let (text, enc) = decode(&page, None, true);
        assert_eq!(enc, "windows-1252");
        assert!(text.contains("Café “quoted”"));
    }

    #[test]
    fn http_equiv_content_type() {
        let page = b"<meta http-equiv=\"Content-Type\" content=\"text/html; charset=ISO-8859-2\"><p>\xb1</p>";
        let (text, enc) = decode(page, None, true);
        assert_eq!(enc, "ISO-8859-2");
        assert!(text.contains('ą'));
    }

    #[test]
    fn undeclared_legacy_page_is_detected() {
        let text = "Le conseil municipal a adopté le budget après un débat très animé sur les écoles, \
                    les crèches et la sécurité du quartier. La préfète a salué un accord équilibré.";
        let (bytes, _, _) = encoding_rs::WINDOWS_1252.encode(text);
        let (decoded, _) = decode(&bytes, None, true);
        assert_eq!(decoded, text);
    }

    #[test]
    fn shift_jis_is_detected() {
        let text = "市議会は本日、新しい予算案を可決しました。住民の多くは学校と図書館の改修を歓迎しています。";
        let (bytes, _, _) = encoding_rs::SHIFT_JIS.encode(text);
        let (decoded, enc) = decode(&bytes, None, false);
        assert_eq!(enc, "Shift_JIS");
        assert_eq!(decoded, text);
    }

    #[test]
    fn legacy_text_after_long_ascii_markup_is_detected() {
        // 100 KB of ASCII markup first: the old 64 KiB limit saw only ASCII here.
        let mut page = b"<html><head>".to_vec();
        for i in 0..2000 {
            page.extend_from_slice(format!("<link rel=\"x\" href=\"/a/{i:05}.css\">\n").as_bytes());
        }
        page.extend_from_slice(b"</head><body><p>");
        let text = "Городской совет утвердил бюджет на следующий год: школы, библиотеки и дороги.";
        let (legacy, _, _) = encoding_rs::WINDOWS_1251.encode(text);
        page.extend_from_slice(&legacy);
        page.extend_from_slice(b"</p></body></html>");
        let (decoded, enc) = decode(&page, None, true);
        assert_eq!(enc, "windows-1251");
        assert!(decoded.contains(text));
    }

    #[test]
    fn the_detection_sample_never_splits_a_character() {
        // Shift_JIS trail bytes can be ASCII letters; a cut may fall only before
        // a space or markup, so the sample decodes without a single error.
        let words = [
            "市議会",
            "予算案",
            "図書館の改修",
            "住民の声",
            "ソフトウェア",
        ];
        let mut page = Vec::new();
        for i in 0..3000 {
            let (w, _, _) = encoding_rs::SHIFT_JIS.encode(words[i % words.len()]);
            let note = "x".repeat(150);
            page.extend_from_slice(
                format!("<span class=\"k{i}\" data-note=\"{note}\">").as_bytes(),
            );
            page.extend_from_slice(&w);
            page.extend_from_slice(if i % 3 == 0 {
                b" x</span>\n"
            } else {
                b"</span>"
            });
        }
        let (sample, whole) = detection_sample(&page);
        assert!(!whole && sample.len() >= DETECT_SAMPLE);
        assert!(sample.len() < page.len() / 2);
        let (_, _, errors) = encoding_rs::SHIFT_JIS.decode(&sample);
        assert!(!errors);
        assert_eq!(decode(&page, None, true).1, "Shift_JIS");
    }

    #[test]
    fn transport_label_wins_over_detection() {
        let (bytes, _, _) = encoding_rs::ISO_8859_7.encode("Δημοτικό συμβούλιο");
        let (decoded, _) = decode(&bytes, Some("iso-8859-7"), false);
        assert_eq!(decoded, "Δημοτικό συμβούλιο");
    }
}
