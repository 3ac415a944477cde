//! The text rules search shares with the browser (`assets/search.js` must
//! do the same): syllables are runs of letters and ASCII digits, lowercase
//! NFC; a folded syllable has no tone or vowel marks and đ → d.

use crate::vietnamese::fold_ascii;

/// True for a character that belongs to a syllable; JavaScript's
/// `[\p{Alphabetic}0-9]` matches the same set.
pub fn is_token_char(c: char) -> bool {
    match c {
        '\0'..='\u{7F}' => c.is_ascii_alphanumeric(),
        // Vietnamese letters are in these Latin blocks, every character of
        // which is a letter: answered without std's table search, which
        // was a tenth of indexing a report.
        '\u{C0}'..='\u{24F}' => c != '\u{D7}' && c != '\u{F7}',
        '\u{1E00}'..='\u{1EFF}' => true,
        _ => c.is_alphabetic(),
    }
}

/// Syllables of a text as written, in order.
pub fn syllables(text: &str) -> impl Iterator<Item = &str> + '_ {
    text.split(|c: char| !is_token_char(c))
        .filter(|t| !t.is_empty())
}

/// Lowercase syllables of a text, in order.
pub fn tokens(text: &str) -> impl Iterator<Item = String> + '_ {
    syllables(text).map(str::to_lowercase)
}

/// A syllable without tone or vowel marks: "đường" → "duong".
pub fn fold(token: &str) -> String {
    fold_ascii(token)
}

/// Text for search and snippets from report Markdown: emphasis marks and
/// list bullets removed, autolinks unwrapped, lines kept.
pub fn strip_markdown(markdown: &str) -> String {
    let mut out = String::with_capacity(markdown.len());
    for line in markdown.lines() {
        let mut l = line.trim_start();
        for bullet in ["- ", "+ ", "* "] {
            if let Some(rest) = l.strip_prefix(bullet) {
                l = rest;
            }
        }
        let l = l.trim_start_matches('#').trim_start();
        if !out.is_empty() {
            out.push('\n');
        }
        // The marks are ASCII: found as bytes, the text between them is
        // whole characters (a char pattern decoded every character: 28% of
        // the samples in indexing a report's own code, 10,000 reports).
        let mut at = 0;
        for mark in memchr::memchr3_iter(b'*', b'<', b'>', l.as_bytes()) {
            out.push_str(&l[at..mark]);
            at = mark + 1;
        }
        out.push_str(&l[at..]);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn syllables_and_folding() {
        let t: Vec<String> = tokens("Dân Vận khéo: 28.101/38.000, đạt 73,95%¹").collect();
        assert_eq!(
            t,
            vec!["dân", "vận", "khéo", "28", "101", "38", "000", "đạt", "73", "95"]
        );
        assert_eq!(fold("đường"), "duong");
        assert_eq!(fold("ĐƯỜNG".to_lowercase().as_str()), "duong");
        assert_eq!(fold("\u{00D0}\u{00D0}".to_lowercase().as_str()), "dd");
        let nfd: String = unicode_normalization::UnicodeNormalization::nfd("khéo").collect();
        assert_eq!(fold(&nfd), "kheo");
        let t: Vec<String> = tokens("Nghị định số 04/2015/NĐ-CP").collect();
        assert_eq!(t, vec!["nghị", "định", "số", "04", "2015", "nđ", "cp"]);
    }

    #[test]
    fn token_chars_are_letters_and_digits() {
        for c in (0..=0x2FFFFu32).filter_map(char::from_u32) {
            assert_eq!(
                is_token_char(c),
                c.is_alphabetic() || c.is_ascii_digit(),
                "U+{:04X}",
                c as u32
            );
        }
    }

    #[test]
    fn markdown_marks_go() {
        assert_eq!(
            strip_markdown("- rà soát **60/145** TTHC\n### **I. A**"),
            "rà soát 60/145 TTHC\nI. A"
        );
        assert_eq!(strip_markdown("(<http://x.vn/a>)"), "(http://x.vn/a)");
        // Marks between letters of several bytes, at both ends of a line.
        assert_eq!(
            strip_markdown("*Đảng ủy*<ấp>**ỹ\n>đ< ***"),
            "Đảng ủyấpỹ\nđ "
        );
    }
}
