//! The shapes of Vietnamese document symbols and the tables of the domain:
//! type codes and the words for them, national issuers, provinces.

use regex::Regex;
use std::sync::LazyLock;

/// A type or issuer code: an uppercase letter, then uppercase letters, the
/// few lowercase ASCII letters official codes use (TTg, CTr, QĐi), `&`, and
/// trailing digits (QH13, UBTVQH11). Lowercase Vietnamese letters are not
/// allowed, so "K72/ Bộ" never yields a code.
const CODE: &str = r"\p{Lu}[\p{Lu}a-z&]*[0-9]*";
/// Every dash that extraction and keyboards produce.
const DASH: &str = r"[-‐‑‒–—−]";
/// A line or page break inside a symbol ("Nghị quyết số 19-" … "NQ/TW").
const BREAK: &str = r"(?:[\p{Zs}\t]*\n\s*)?";
/// Spaces within a line, non-breaking ones included.
const SP: &str = r"[\p{Zs}\t]*";

/// Every shape of symbol. State shapes (`12/KH-UBND`, `04/2015/NĐ-CP`)
/// and the Party shape (`33-KH/BDVTU`) allow spaces and a line break around
/// their slashes and dashes, as people type them ("44 /2005/QĐ-UBND",
/// "22 - CTr/BCSD - BDVTU"); a ratio like "28.101/38.000" or a date never
/// has a code after its slash. Two shapes typed with a space where the
/// dash or slash belongs ("84 QĐ/TW", "15 KH-UBND") are taken only after
/// "số" or a type word and with a known type code (see `mod.rs`).
pub static SYMBOL: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(&format!(
        r"(?x)
        (?P<num>[0-9]{{1,5}})
        (?:
            {GAP}/{GAP}(?P<year>(?:19|20)[0-9]{{2}}){GAP}/{GAP}(?P<nissuer>{CODE}(?:{GAP}{DASH}{GAP}{CODE})*)
          | {GAP}{DASH}{GAP}(?P<ptype>{CODE}){GAP}/{GAP}(?P<pissuer>{CODE}(?:{GAP}{DASH}{GAP}{CODE})*)
          | (?P<sslash>{GAP}/{GAP})(?P<sissuer>{CODE}(?:{DASH}{BREAK}{CODE}|{SP}{DASH}{SP}{CODE2})*)
          | {SP1}(?P<xtype>{CODE}){SP}/{SP}(?P<xissuer>{CODE}(?:{DASH}{CODE})*)
          | {SP1}(?P<ytype>{CODE}){DASH}(?P<yissuer>{CODE}(?:{DASH}{CODE})*)
        )"
    ))
    .expect("symbol pattern compiles")
});

/// Spaces within a line and at most one line break (with the blank lines
/// and indent around it).
const GAP: &str = r"[\p{Zs}\t]*(?:\n\s*)?";
/// A code of two capitals or more: after a dash typed with spaces
/// ("12/KH - UBND", "16/CT- TTg"), where "12/KH - Hà Nội" must stay "12/KH".
const CODE2: &str = r"\p{Lu}\p{Lu}[\p{Lu}a-z&]*[0-9]*";
/// At least one space within a line.
const SP1: &str = r"[\p{Zs}\t]+";

/// Type words as written before a symbol (lower case), and how pages name them.
const TYPE_WORDS: &[(&str, &str)] = &[
    ("chương trình phối hợp", "Chương trình phối hợp"),
    ("chương trình hành động", "Chương trình hành động"),
    ("thông báo kết luận", "Thông báo kết luận"),
    ("nghị quyết liên tịch", "Nghị quyết liên tịch"),
    ("thông tư liên tịch", "Thông tư liên tịch"),
    ("văn bản hợp nhất", "Văn bản hợp nhất"),
    ("nghị quyết", "Nghị quyết"),
    ("nghị định", "Nghị định"),
    ("quyết định", "Quyết định"),
    ("chỉ thị", "Chỉ thị"),
    ("kế hoạch", "Kế hoạch"),
    ("kết luận", "Kết luận"),
    ("hướng dẫn", "Hướng dẫn"),
    ("thông tư", "Thông tư"),
    ("thông báo", "Thông báo"),
    ("công văn", "Công văn"),
    ("văn bản", "Công văn"),
    ("chương trình", "Chương trình"),
    ("pháp lệnh", "Pháp lệnh"),
    ("bộ luật", "Bộ luật"),
    ("luật", "Luật"),
    ("đề án", "Đề án"),
    ("quy định", "Quy định"),
    ("quy chế", "Quy chế"),
    ("tờ trình", "Tờ trình"),
    ("báo cáo", "Báo cáo"),
    ("công điện", "Công điện"),
];

/// Type codes and the word for each, used when the text has no type word.
const TYPE_CODES: &[(&str, &str)] = &[
    ("NQ", "Nghị quyết"),
    ("NĐ", "Nghị định"),
    ("QĐ", "Quyết định"),
    ("CT", "Chỉ thị"),
    ("KH", "Kế hoạch"),
    ("KL", "Kết luận"),
    ("HD", "Hướng dẫn"),
    ("TT", "Thông tư"),
    ("TTLT", "Thông tư liên tịch"),
    ("VBHN", "Văn bản hợp nhất"),
    ("NQLT", "Nghị quyết liên tịch"),
    ("TB", "Thông báo"),
    ("CTr", "Chương trình"),
    ("PL", "Pháp lệnh"),
    ("ĐA", "Đề án"),
    ("QĐi", "Quy định"),
    ("QC", "Quy chế"),
    ("TTr", "Tờ trình"),
    ("BC", "Báo cáo"),
    ("CV", "Công văn"),
    ("CĐ", "Công điện"),
    ("HĐ", "Hợp đồng"),
    ("QH", "Luật"),
];

/// The word for a type code ("KH" → "Kế hoạch").
pub fn type_word_for_code(code: &str) -> Option<&'static str> {
    TYPE_CODES.iter().find(|(c, _)| *c == code).map(|(_, w)| *w)
}

/// The text before a number at `end`, without the spaces, colon and "số"
/// between it and a type word.
fn before_number(text: &str, end: usize) -> &str {
    words_before_number(&text[..end])
}

/// The text before a number without the spaces, colon and "số" (in any of
/// the cases it is typed in: "số", "Số", "SỐ") between it and the words that
/// name what the number is: a type word ("KẾ HOẠCH SỐ 15/BQL") or a part of
/// a document ("Mẫu số 01").
pub(super) fn words_before_number(before: &str) -> &str {
    let t = before.trim_end();
    let t = t.strip_suffix(':').unwrap_or(t).trim_end();
    ["số", "Số", "SỐ"]
        .iter()
        .find_map(|so| t.strip_suffix(so))
        .unwrap_or(t)
        .trim_end()
}

/// Finds a type word ending right before `end` (allowing "số" and spaces
/// between), in any case: "quyết định số 91/QĐ-SLĐTBXH".
pub fn type_word_before(text: &str, end: usize) -> Option<(usize, &'static str)> {
    let trimmed = before_number(text, end);
    // The last letter, as `same_words` reads it, must end the type word:
    // comparing all 27 words from their first letter was half of
    // `same_words`' 1.9% of a 1,000-report build's samples (0.95% after;
    // 0.6% fewer instructions for the whole build, bench/instructions.sh).
    let last = trimmed
        .chars()
        .next_back()
        .map(|c| if c == '\u{00D0}' { 'Đ' } else { c })
        .and_then(|c| c.to_lowercase().last())?;
    for (word, display) in TYPE_WORDS {
        if !word.ends_with(last) {
            continue;
        }
        let n = word.chars().count();
        let Some((start, _)) = trimmed.char_indices().rev().nth(n - 1) else {
            continue;
        };
        if same_words(&trimmed[start..], word) {
            let starts_word = trimmed[..start]
                .chars()
                .next_back()
                .is_none_or(|c| !c.is_alphanumeric());
            if starts_word {
                return Some((start, display));
            }
        }
    }
    None
}

/// A word's letters in lowercase as the type words and issuers' names are
/// written: Ð (U+00D0, Icelandic eth, which Vietnamese fonts draw as Đ and
/// some documents carry) read as Đ.
pub(crate) fn lowercase(word: &str) -> impl Iterator<Item = char> + '_ {
    word.chars()
        .map(|c| if c == '\u{00D0}' { 'Đ' } else { c })
        .flat_map(char::to_lowercase)
}

/// Whether `found` is `word` (lowercase) in any case and spacing, with the
/// look-alike Ð (U+00D0) read as Đ. Compared character by character: this
/// runs for every type word before every symbol, and lowercasing a copy
/// each time was most of recognising a citation.
pub(crate) fn same_words(found: &str, word: &str) -> bool {
    let mut words = word.split_whitespace();
    for f in found.split_whitespace() {
        let Some(w) = words.next() else {
            return false;
        };
        let mut chars = lowercase(f);
        if !w.chars().all(|c| chars.next() == Some(c)) || chars.next().is_some() {
            return false;
        }
    }
    words.next().is_none()
}

/// How far an issuer's documents reach, and so the scope of their identity.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Reach {
    /// A national body: its documents are the same from every province.
    National,
    /// A body that exists in every province: its documents are the
    /// province's.
    Province,
    /// A body inside one organisation (its Party committee, steering
    /// committee, Party cell): unique only within the citing agency.
    Internal,
}

/// Issuer codes as symbols write them (trailing term digits left off:
/// `UBTVQH11`, `QH14`), the body in words, and its reach. Provincial words
/// take the province's name in place of `{}`; internal ones the agency's.
/// The codes follow Nghị định 30/2020/NĐ-CP (state), Hướng dẫn 36-HD/VPTW
/// (Party) and the mass organisations' own rules on document symbols.
const ISSUERS: &[(&str, &str, Reach)] = {
    use Reach::*;
    &[
        // The state, centrally.
        ("CP", "Chính phủ", National),
        ("TTg", "Thủ tướng Chính phủ", National),
        ("VPCP", "Văn phòng Chính phủ", National),
        ("CTN", "Chủ tịch nước", National),
        ("VPCTN", "Văn phòng Chủ tịch nước", National),
        ("QH", "Quốc hội", National),
        ("UBTVQH", "Ủy ban Thường vụ Quốc hội", National),
        ("VPQH", "Văn phòng Quốc hội", National),
        ("HĐDT", "Hội đồng Dân tộc của Quốc hội", National),
        ("UBPL", "Ủy ban Pháp luật của Quốc hội", National),
        ("UBTP", "Ủy ban Tư pháp của Quốc hội", National),
        (
            "UBTCNS",
            "Ủy ban Tài chính, Ngân sách của Quốc hội",
            National,
        ),
        (
            "UBQPAN",
            "Ủy ban Quốc phòng và An ninh của Quốc hội",
            National,
        ),
        ("UBVHGD", "Ủy ban Văn hóa, Giáo dục của Quốc hội", National),
        ("UBXH", "Ủy ban Xã hội của Quốc hội", National),
        (
            "UBKHCNMT",
            "Ủy ban Khoa học, Công nghệ và Môi trường của Quốc hội",
            National,
        ),
        ("UBĐN", "Ủy ban Đối ngoại của Quốc hội", National),
        (
            "BDN",
            "Ban Dân nguyện của Ủy ban Thường vụ Quốc hội",
            National,
        ),
        (
            "BCTĐB",
            "Ban Công tác đại biểu của Ủy ban Thường vụ Quốc hội",
            National,
        ),
        ("BNV", "Bộ Nội vụ", National),
        ("BLĐTBXH", "Bộ Lao động – Thương binh và Xã hội", National),
        ("BTTTT", "Bộ Thông tin và Truyền thông", National),
        ("BGDĐT", "Bộ Giáo dục và Đào tạo", National),
        ("BYT", "Bộ Y tế", National),
        ("BTC", "Bộ Tài chính", National),
        ("BKHĐT", "Bộ Kế hoạch và Đầu tư", National),
        ("BCA", "Bộ Công an", National),
        ("BQP", "Bộ Quốc phòng", National),
        ("BTP", "Bộ Tư pháp", National),
        ("BNG", "Bộ Ngoại giao", National),
        ("BCT", "Bộ Công Thương", National),
        ("BXD", "Bộ Xây dựng", National),
        ("BGTVT", "Bộ Giao thông vận tải", National),
        (
            "BNNPTNT",
            "Bộ Nông nghiệp và Phát triển nông thôn",
            National,
        ),
        ("BTNMT", "Bộ Tài nguyên và Môi trường", National),
        ("BVHTTDL", "Bộ Văn hóa, Thể thao và Du lịch", National),
        ("BKHCN", "Bộ Khoa học và Công nghệ", National),
        ("TTCP", "Thanh tra Chính phủ", National),
        ("NHNN", "Ngân hàng Nhà nước Việt Nam", National),
        ("UBDT", "Ủy ban Dân tộc", National),
        ("KTNN", "Kiểm toán Nhà nước", National),
        ("TANDTC", "Tòa án nhân dân tối cao", National),
        ("VKSNDTC", "Viện kiểm sát nhân dân tối cao", National),
        ("BHXH", "Bảo hiểm xã hội Việt Nam", National),
        // The Party, centrally.
        ("TW", "Ban Chấp hành Trung ương Đảng", National),
        ("VPTW", "Văn phòng Trung ương Đảng", National),
        ("BDVTW", "Ban Dân vận Trung ương", National),
        ("BTGTW", "Ban Tuyên giáo Trung ương", National),
        ("BTCTW", "Ban Tổ chức Trung ương", National),
        ("BNCTW", "Ban Nội chính Trung ương", National),
        ("BKTTW", "Ban Kinh tế Trung ương", National),
        ("UBKTTW", "Ủy ban Kiểm tra Trung ương", National),
        ("ĐUKCQTW", "Đảng ủy Khối các cơ quan Trung ương", National),
        // Mass organisations, centrally.
        (
            "MTTW",
            "Ủy ban Trung ương Mặt trận Tổ quốc Việt Nam",
            National,
        ),
        (
            "UBTWMTTQVN",
            "Ủy ban Trung ương Mặt trận Tổ quốc Việt Nam",
            National,
        ),
        (
            "ĐCTUBTWMTTQVN",
            "Đoàn Chủ tịch Ủy ban Trung ương Mặt trận Tổ quốc Việt Nam",
            National,
        ),
        (
            "TWĐTN",
            "Ban Chấp hành Trung ương Đoàn TNCS Hồ Chí Minh",
            National,
        ),
        ("TLĐ", "Tổng Liên đoàn Lao động Việt Nam", National),
        ("HNDTW", "Trung ương Hội Nông dân Việt Nam", National),
        (
            "ĐCT",
            "Đoàn Chủ tịch Trung ương Hội Liên hiệp Phụ nữ Việt Nam",
            National,
        ),
        ("TWHCCB", "Trung ương Hội Cựu chiến binh Việt Nam", National),
        // Bodies that every province has.
        ("UBND", "UBND tỉnh {}", Province),
        ("HĐND", "HĐND tỉnh {}", Province),
        ("TU", "Tỉnh ủy {}", Province),
        ("BTVTU", "Ban Thường vụ Tỉnh ủy {}", Province),
        ("BDVTU", "Ban Dân vận Tỉnh ủy {}", Province),
        ("BTGTU", "Ban Tuyên giáo Tỉnh ủy {}", Province),
        ("BTCTU", "Ban Tổ chức Tỉnh ủy {}", Province),
        ("UBKTTU", "Ủy ban Kiểm tra Tỉnh ủy {}", Province),
        ("ĐUK", "Đảng ủy Khối các cơ quan tỉnh {}", Province),
        ("BCSĐ", "Ban cán sự đảng UBND tỉnh {}", Province),
        ("BCSD", "Ban cán sự đảng UBND tỉnh {}", Province),
        ("ĐĐBQH", "Đoàn đại biểu Quốc hội tỉnh {}", Province),
        (
            "SLĐTBXH",
            "Sở Lao động – Thương binh và Xã hội tỉnh {}",
            Province,
        ),
        ("SNV", "Sở Nội vụ tỉnh {}", Province),
        ("STTTT", "Sở Thông tin và Truyền thông tỉnh {}", Province),
        ("SYT", "Sở Y tế tỉnh {}", Province),
        ("SGDĐT", "Sở Giáo dục và Đào tạo tỉnh {}", Province),
        ("STC", "Sở Tài chính tỉnh {}", Province),
        ("STP", "Sở Tư pháp tỉnh {}", Province),
        ("SKHĐT", "Sở Kế hoạch và Đầu tư tỉnh {}", Province),
        (
            "SVHTTDL",
            "Sở Văn hóa, Thể thao và Du lịch tỉnh {}",
            Province,
        ),
        ("TĐTN", "Tỉnh Đoàn {}", Province),
        ("MTTQ", "Ủy ban Mặt trận Tổ quốc Việt Nam tỉnh {}", Province),
        ("LĐLĐ", "Liên đoàn Lao động tỉnh {}", Province),
        ("HND", "Hội Nông dân tỉnh {}", Province),
        ("HLHPN", "Hội Liên hiệp Phụ nữ tỉnh {}", Province),
        // Bodies inside one organisation.
        ("ĐU", "Đảng ủy {}", Internal),
        ("BCĐ", "Ban Chỉ đạo ({})", Internal),
        ("CB", "Chi bộ ({})", Internal),
    ]
};

/// An issuer code without its term digits ("UBTVQH11" → "UBTVQH"), as
/// the table has it.
fn bare_code(code: &str) -> &str {
    code.trim_end_matches(|c: char| c.is_ascii_digit())
}

/// The table's row for one issuer code.
fn issuer_row(code: &str) -> Option<&'static (&'static str, &'static str, Reach)> {
    let bare = bare_code(code);
    ISSUERS.iter().find(|(c, _, _)| *c == bare)
}

/// How far the documents of an issuer (the issuer part of a symbol, e.g.
/// `UBND-NC`, `BCSD-BDVTU`, `BNV-BTC`) reach: by its first code, and for a
/// code the table does not hold, by the conventions for central bodies
/// (`TW`/`TƯ` at either end, the Assembly's `QH…`).
pub fn issuer_reach(issuer: &str) -> Option<Reach> {
    let parts: Vec<&str> = issuer.split('-').collect();
    let first = parts.first().copied().unwrap_or(issuer);
    let last = parts.last().copied().unwrap_or(issuer);
    if let Some((_, _, reach)) = issuer_row(first) {
        return Some(*reach);
    }
    let central = first.starts_with("QH")
        || first.starts_with("UBTVQH")
        || last.ends_with("TW")
        || first.starts_with("TW");
    central.then_some(Reach::National)
}

/// The issuing body in words, from the issuer part of a symbol: each code
/// the table knows, in order, up to the first it does not (a công văn's
/// drafting unit, "SNV-XDCQCCTN" → "Sở Nội vụ tỉnh …"); `place` is the
/// province's name (or the agency's, for internal bodies). `None` when the
/// first code is unknown: a fragment of a symbol is never a name.
pub fn issuer_in_words(issuer: &str, place: &str) -> Option<String> {
    let mut names: Vec<String> = Vec::new();
    for part in issuer.split('-') {
        let Some((_, words, _)) = issuer_row(part) else {
            break;
        };
        let name = words
            .replace("{}", place)
            .trim_end_matches([' ', ','])
            .to_string();
        if !names.contains(&name) {
            names.push(name);
        }
    }
    (!names.is_empty()).then(|| names.join(" – "))
}

/// Whether a code is an issuer code the table knows.
pub fn is_issuer_code(code: &str) -> bool {
    issuer_row(code).is_some()
}

/// Whether a code is a type code or an issuer code the tables know: a
/// symbol whose only code is unknown ("Tổ 5/KP3", "lớp 12/A1") is not a
/// document's.
pub fn is_known_code(code: &str) -> bool {
    type_word_for_code(code).is_some() || issuer_row(code).is_some()
}

/// Repairs unambiguous ASCII spellings and fixes the official casing of a
/// code: the few codes written in mixed case (TTg, CTr, TTr, QĐi) get
/// theirs, every other code is upper case ("Kh" is "KH"), and a Party code
/// ending in "TƯ" is the usual "TW" (both mean Trung ương: "NQ/TƯ" is
/// "NQ/TW"; the Front's "UBTƯMTTQVN" keeps its own spelling). HD/HĐ and DA/ĐA
/// are both real codes and never folded.
pub fn canonical_code(code: &str) -> String {
    let mut upper = code.replace('\u{00D0}', "Đ").to_uppercase();
    if let Some(head) = upper.strip_suffix("TƯ") {
        upper = format!("{head}TW");
    }
    match upper.as_str() {
        "ND" | "NĐ" => "NĐ".into(),
        "QD" | "QĐ" => "QĐ".into(),
        "QDI" | "QĐI" => "QĐi".into(),
        "HDND" | "HĐND" => "HĐND".into(),
        "TTG" => "TTg".into(),
        "CTR" => "CTr".into(),
        "TTR" => "TTr".into(),
        _ => upper,
    }
}

/// Splits the code parts of a symbol into type and issuer: `[TYPE, ISSUER…]`
/// when the first part is a type code; a công văn has none (`2589/UBND-NC`).
pub fn split_type(parts: &[String]) -> (Option<String>, String) {
    match parts.split_first() {
        Some((first, rest)) if !rest.is_empty() && type_word_for_code(first).is_some() => {
            (Some(first.clone()), rest.join("-"))
        }
        _ => (None, parts.join("-")),
    }
}

/// Code parts of a matched symbol, canonical: spaces and breaks removed,
/// dashes unified.
pub fn code_parts(matched: &str) -> Vec<String> {
    let cleaned: String = matched
        .chars()
        .filter(|c| !c.is_whitespace())
        .map(|c| match c {
            '‐' | '‑' | '‒' | '–' | '—' | '−' => '-',
            other => other,
        })
        .collect();
    cleaned.split('-').map(canonical_code).collect()
}

/// The 63 provinces and centrally-run cities of the reports' years (before
/// the 2025 mergers), as written after "tỉnh" / "thành phố".
pub const PROVINCES: &[&str] = &[
    "An Giang",
    "Bà Rịa - Vũng Tàu",
    "Bà Rịa – Vũng Tàu",
    "Bạc Liêu",
    "Bắc Giang",
    "Bắc Kạn",
    "Bắc Ninh",
    "Bến Tre",
    "Bình Dương",
    "Bình Định",
    "Bình Phước",
    "Bình Thuận",
    "Cà Mau",
    "Cao Bằng",
    "Cần Thơ",
    "Đà Nẵng",
    "Đắk Lắk",
    "Đắk Nông",
    "Điện Biên",
    "Đồng Nai",
    "Đồng Tháp",
    "Gia Lai",
    "Hà Giang",
    "Hà Nam",
    "Hà Nội",
    "Hà Tĩnh",
    "Hải Dương",
    "Hải Phòng",
    "Hậu Giang",
    "Hòa Bình",
    "Hưng Yên",
    "Khánh Hòa",
    "Kiên Giang",
    "Kon Tum",
    "Lai Châu",
    "Lạng Sơn",
    "Lào Cai",
    "Lâm Đồng",
    "Long An",
    "Nam Định",
    "Nghệ An",
    "Ninh Bình",
    "Ninh Thuận",
    "Phú Thọ",
    "Phú Yên",
    "Quảng Bình",
    "Quảng Nam",
    "Quảng Ngãi",
    "Quảng Ninh",
    "Quảng Trị",
    "Sóc Trăng",
    "Sơn La",
    "Tây Ninh",
    "Thái Bình",
    "Thái Nguyên",
    "Thanh Hóa",
    "Thừa Thiên Huế",
    "Tiền Giang",
    "Hồ Chí Minh",
    "Trà Vinh",
    "Tuyên Quang",
    "Vĩnh Long",
    "Vĩnh Phúc",
    "Yên Bái",
];

/// Slug of the province named at the start of `text`, if any. Tone-mark
/// placement varies ("Hoà"/"Hòa"), so names are compared folded.
pub fn province_at(text: &str) -> Option<String> {
    // The names folded once, not all 63 again (63 new strings) for every
    // "tỉnh" after every citation.
    static FOLDED: LazyLock<Vec<(String, &str)>> = LazyLock::new(|| {
        PROVINCES
            .iter()
            .map(|p| (crate::vietnamese::fold_ascii(p), *p))
            .collect()
    });
    let head: String = text.chars().take(24).collect();
    let folded = crate::vietnamese::fold_ascii(&head);
    FOLDED
        .iter()
        .filter(|(f, _)| {
            folded.starts_with(f.as_str())
                && !folded[f.len()..].starts_with(|c: char| c.is_ascii_alphanumeric())
        })
        .max_by_key(|(f, _)| f.len())
        .map(|(_, p)| crate::vietnamese::slugify(p))
}

/// Province slug named shortly after a citation, in the same clause
/// ("… của UBND tỉnh Đồng Tháp"). Only real province names count, so
/// "tỉnh Ban hành" or "tỉnh V/v" are not provinces.
pub fn province_after(text: &str, end: usize) -> Option<String> {
    static MARKER: LazyLock<Regex> = LazyLock::new(|| {
        Regex::new(r"(?:\btỉnh|\bthành phố|\bTP\.?)\s+").expect("province marker compiles")
    });
    let stop = text.ceil_char_boundary((end + 120).min(text.len()));
    let window = &text[end..stop];
    let clause_end = window.find([';', '\n']).unwrap_or(window.len());
    let window = &window[..clause_end];
    MARKER
        .find_iter(window)
        .find_map(|m| province_at(&window[m.end()..]))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// `same_words` answers as lowercasing a copy and comparing its words.
    #[test]
    fn same_words_is_lowercase_then_compare() {
        let old = |found: &str, word: &str| {
            let found = found.replace('\u{00D0}', "Đ").to_lowercase();
            found.split_whitespace().eq(word.split_whitespace())
        };
        let found = [
            "quyết định",
            "Quyết Định",
            "QUYẾT ĐỊNH",
            "QUYẾT \u{00D0}ỊNH",
            "quyết  định",
            "quyết\tđịnh",
            " quyết định ",
            "quyết địn",
            "quyết địnhh",
            "quyết",
            "",
            "İ",
            "kế hoạch liên tịch",
            "KẾ HOẠCH",
            "chương trình phối hợp",
            "Chương Trình Phối  Hợp",
        ];
        let mut words: Vec<&str> = TYPE_WORDS.iter().map(|(w, _)| *w).collect();
        words.extend(["i̇", "quyết định"]);
        for f in found {
            for w in &words {
                assert_eq!(same_words(f, w), old(f, w), "{f:?} {w:?}");
            }
        }
        assert!(same_words("QUYẾT \u{00D0}ỊNH", "quyết định"));
        assert!(!same_words("quyết", "quyết định"));
    }

    /// Skipping the type words whose last letter differs finds what trying
    /// every one finds.
    #[test]
    fn type_word_before_answers_as_trying_every_word() {
        let every = |text: &str, end: usize| -> Option<(usize, &'static str)> {
            let trimmed = before_number(text, end);
            TYPE_WORDS.iter().find_map(|(word, display)| {
                let n = word.chars().count();
                let (start, _) = trimmed.char_indices().rev().nth(n - 1)?;
                let starts_word = trimmed[..start]
                    .chars()
                    .next_back()
                    .is_none_or(|c| !c.is_alphanumeric());
                (same_words(&trimmed[start..], word) && starts_word).then_some((start, *display))
            })
        };
        let mut befores: Vec<String> = TYPE_WORDS
            .iter()
            .flat_map(|(w, d)| [w.to_string(), d.to_string(), d.to_uppercase()])
            .collect();
        befores.extend(
            [
                "QUYẾT \u{00D0}ỊNH",
                "quyết  định",
                "Theo Kế  hoạch",
                "xkế hoạch",
                "kế hoạchx",
                "İ",
                "",
                "tại",
                "đề án",
                "ĐỀ ÁN",
            ]
            .map(String::from),
        );
        let mut checked = 0;
        for before in &befores {
            for tail in ["", " ", " số ", " Số: ", ":", " số", "số "] {
                let text = format!("Căn cứ {before}{tail}12/KH-UBND");
                let end = text.find("12/").unwrap();
                assert_eq!(type_word_before(&text, end), every(&text, end), "{text:?}");
                checked += usize::from(every(&text, end).is_some());
            }
        }
        // Many of the texts name a type: the comparison is not of two Nones.
        assert!(checked > befores.len() * 3, "{checked}");
    }
}
