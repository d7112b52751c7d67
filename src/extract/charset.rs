//! Bytes to text: BOM, declared charset (transport or `<meta>`), valid UTF-8, then
//! detection for undeclared legacy pages.

use encoding_rs::Encoding;
use std::borrow::Cow;

/// How many bytes of an undeclared, non-UTF-8 page the detector reads. Detection is
/// slow (about 16 MB/s) and the first 64 KiB decide as well as the whole page.
const DETECT_LIMIT: usize = 64 * 1024;

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
    let sample = &bytes[..bytes.len().min(DETECT_LIMIT)];
    det.feed(sample, sample.len() == bytes.len());
    det.guess(None, chardetng::Utf8Detection::Allow)
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
    fn transport_label_wins_over_detection() {
        let (bytes, _, _) = encoding_rs::ISO_8859_7.encode("Δημοτικό συμβούλιο");
        let (decoded, _) = decode(&bytes, Some("iso-8859-7"), false);
        assert_eq!(decoded, "Δημοτικό συμβούλιο");
    }
}
