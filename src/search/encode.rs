//! Encodings of the search files: LEB128 varints, base64, gzip, and the
//! `callback(JSON.parse('…'))` script form that loads from `file://`.

use anyhow::{Context, Result};
use base64::Engine;

/// Appends `n` as an unsigned LEB128 varint.
pub fn varint(out: &mut Vec<u8>, mut n: u32) {
    loop {
        let byte = (n & 0x7f) as u8;
        n >>= 7;
        if n == 0 {
            out.push(byte);
            return;
        }
        out.push(byte | 0x80);
    }
}

/// Reads a varint written by [`varint`] at `*at`, moving `*at` past it.
/// Stops at the end of `bytes` (the lists read are the ones written).
pub fn read_varint(bytes: &[u8], at: &mut usize) -> u32 {
    let mut n = 0u32;
    let mut shift = 0;
    while let Some(&b) = bytes.get(*at) {
        *at += 1;
        n |= u32::from(b & 0x7f) << shift;
        if b & 0x80 == 0 {
            break;
        }
        shift += 7;
    }
    n
}

/// Standard base64 with padding.
pub fn b64(bytes: &[u8]) -> String {
    base64::engine::general_purpose::STANDARD.encode(bytes)
}

/// Gzip of `bytes` (no name, no time: the same bytes give the same file),
/// by libdeflate at its level 1.
///
/// Why libdeflate, level 1: a fragment is compressed whole from memory,
/// which is what libdeflate is made for (no streaming state), and on the
/// 1,000 fragments of the 1,000-report corpus (31 MB of JSON) its level 1
/// took 106 ms for 0.272 of the bytes, where zlib-rs (flate2) took 201 ms
/// at level 3 for 0.255 (used before), 106 ms at level 1 for 0.370 and
/// 164 ms at level 2 for 0.275: half the time for 7% more fragment bytes.
/// One compressor per thread, kept between fragments.
pub fn gzip(bytes: &[u8]) -> Result<Vec<u8>> {
    // (Not `CompressionLvl::fastest()`: that is level 0, which stores.)
    const LEVEL: i32 = 1;
    thread_local! {
        static DEFLATE: std::cell::RefCell<libdeflater::Compressor> =
            std::cell::RefCell::new(libdeflater::Compressor::new(
                libdeflater::CompressionLvl::new(LEVEL).expect("a level libdeflate has"),
            ));
    }
    DEFLATE.with_borrow_mut(|deflate| {
        let mut out = vec![0; deflate.gzip_compress_bound(bytes.len())];
        let n = deflate
            .gzip_compress(bytes, &mut out)
            .context("cannot compress")?;
        out.truncate(n);
        Ok(out)
    })
}

/// `name(JSON.parse('…'));` — a script that hands `value` to `name`.
/// JSON.parse of a string is faster than a JavaScript literal of the same
/// data, and a script tag loads where `fetch` is refused (`file://`).
pub fn js_call<T: serde::Serialize + ?Sized>(name: &str, value: &T) -> Result<Vec<u8>> {
    let json = serde_json::to_vec(value).context("cannot write JSON")?;
    let mut out = Vec::with_capacity(json.len() + name.len() + 24);
    out.extend_from_slice(name.as_bytes());
    out.extend_from_slice(b"(JSON.parse('");
    // The text between the bytes that may need escaping is copied whole:
    // pushed a character at a time, the search files' script form was 1.9%
    // of a 200-report rebuild's instructions without SHA-256
    // (`bench/instructions.sh`). U+2028 and U+2029 are E2 80 A8 / E2 80 A9.
    let mut at = 0;
    for i in memchr::memchr3_iter(b'\\', b'\'', 0xe2, &json) {
        let escaped: &[u8] = match &json[i..] {
            [b'\\', ..] => b"\\\\",
            [b'\'', ..] => b"\\'",
            [0xe2, 0x80, 0xa8, ..] => b"\\u2028",
            [0xe2, 0x80, 0xa9, ..] => b"\\u2029",
            _ => continue,
        };
        out.extend_from_slice(&json[at..i]);
        out.extend_from_slice(escaped);
        at = i + if json[i] == 0xe2 { 3 } else { 1 };
    }
    out.extend_from_slice(&json[at..]);
    out.extend_from_slice(b"'));\n");
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn varints() {
        let mut v = Vec::new();
        varint(&mut v, 0);
        varint(&mut v, 127);
        varint(&mut v, 128);
        varint(&mut v, 300);
        assert_eq!(v, vec![0, 127, 0x80, 1, 0xac, 2]);
        let mut at = 0;
        let back: Vec<u32> =
            std::iter::from_fn(|| (at < v.len()).then(|| read_varint(&v, &mut at))).collect();
        assert_eq!(back, vec![0, 127, 128, 300]);
        let mut big = Vec::new();
        varint(&mut big, u32::MAX);
        assert_eq!(read_varint(&big, &mut 0), u32::MAX);
    }

    #[test]
    fn script_form_escapes_quotes_and_backslashes() {
        let js = String::from_utf8(js_call("f", &("it's", "a\\b\"c")).unwrap()).unwrap();
        assert_eq!(js, "f(JSON.parse('[\"it\\'s\",\"a\\\\\\\\b\\\\\"c\"]'));\n");
    }

    #[test]
    fn script_form_is_the_json_escaped_a_character_at_a_time() {
        // The reference: every character of the JSON looked at.
        fn by_chars(name: &str, json: &str) -> String {
            let mut out = format!("{name}(JSON.parse('");
            for c in json.chars() {
                match c {
                    '\\' => out.push_str("\\\\"),
                    '\'' => out.push_str("\\'"),
                    '\u{2028}' => out.push_str("\\u2028"),
                    '\u{2029}' => out.push_str("\\u2029"),
                    other => out.push(other),
                }
            }
            out + "'));\n"
        }
        // The line and paragraph separators among their neighbours that
        // start with the same byte (U+2014, U+2027, U+202A, U+20AC), at
        // both ends, next to each other and to quotes and backslashes.
        let texts = [
            "\u{2028}",
            "a\u{2029}",
            "\u{2028}\u{2029}\u{2027}\u{202A}—€'\\\u{2028}",
            "Dân vận — 28.101 ‘trích’ “dẫn” \\n",
            "",
        ];
        for text in texts {
            let json = serde_json::to_string(&(1, text)).unwrap();
            let js = String::from_utf8(js_call("g", &(1, text)).unwrap()).unwrap();
            assert_eq!(js, by_chars("g", &json), "{text:?}");
        }
        assert!(String::from_utf8(js_call("g", "\u{2028}").unwrap())
            .unwrap()
            .contains("\\u2028"));
    }

    #[test]
    fn gzip_is_deterministic() {
        assert_eq!(gzip(b"dan van").unwrap(), gzip(b"dan van").unwrap());
    }

    #[test]
    fn gzip_decodes_and_has_a_fixed_header() {
        use std::io::Read;
        // Three megabytes, compressed after other input by the
        // same thread's compressor.
        let text: Vec<u8> = (0..200_000u32)
            .flat_map(|i| format!("dân vận {} ", i.wrapping_mul(2_654_435_761) % 9973).into_bytes())
            .collect();
        gzip(b"something else first").unwrap();
        let packed = gzip(&text).unwrap();
        let mut back = Vec::new();
        flate2::read::GzDecoder::new(&packed[..])
            .read_to_end(&mut back)
            .unwrap();
        assert_eq!(back, text);
        // Compressed: well under a third of the text.
        assert!(packed.len() * 3 < text.len(), "{}", packed.len());
        // A gzip member with no name and no time (MTIME 0), the same on
        // every system (OS 255, unknown).
        assert_eq!(packed[..3], [0x1f, 0x8b, 8]);
        assert_eq!(packed[3..8], [0, 0, 0, 0, 0]);
        assert_eq!(packed[9], 0xff);
        let empty = gzip(b"").unwrap();
        let mut back = Vec::new();
        flate2::read::GzDecoder::new(&empty[..])
            .read_to_end(&mut back)
            .unwrap();
        assert!(back.is_empty());
    }
}
