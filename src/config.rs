//! Reading `config.toml`, the site's settings: title, optional base URL,
//! interface language and theme.

use crate::diagnostics::{Diagnostics, Pos};
use serde::Deserialize;
use std::path::Path;

/// The interface language of the generated site.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Default)]
pub enum Language {
    /// Vietnamese, the default.
    #[default]
    #[serde(rename = "vi")]
    Vi,
    /// English.
    #[serde(rename = "en")]
    En,
}

impl Language {
    /// The BCP 47 code used in `<html lang>` and for the translation file.
    pub fn code(self) -> &'static str {
        match self {
            Language::Vi => "vi",
            Language::En => "en",
        }
    }
}

/// Site settings from `config.toml`.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Config {
    /// Site title shown in the header and in `<title>`.
    pub title: String,
    /// Where the site is published; used only for canonical links, never for
    /// navigation, so the output also works from disk and from any sub-path.
    #[serde(default)]
    pub base_url: Option<String>,
    /// Interface language.
    #[serde(default)]
    pub language: Language,
    /// Theme folder name under `themes/`.
    #[serde(default = "default_theme")]
    pub theme: String,
    /// One-line description for the home page and `<meta name=description>`.
    #[serde(default)]
    pub description: Option<String>,
    /// Paths in the output that are the user's (`CNAME`, `robots.txt`, a
    /// folder ending in `/`): minhbach never writes, moves away or deletes
    /// them. Dot-files (`.git`, `.nojekyll`, `.well-known/`) are always kept.
    #[serde(default)]
    pub keep: Vec<String>,
    /// The minisign public key (one base64 line, from `minhbach keygen`)
    /// whose secret half signs the output's manifest (`build --sign`);
    /// shown on the site's verification page.
    #[serde(default)]
    pub public_key: Option<String>,
}

fn default_theme() -> String {
    "default".to_string()
}

impl Config {
    /// File name of the configuration, relative to the site root.
    pub const FILE: &'static str = "config.toml";

    /// Reads `config.toml` under `root`, recording problems with their position.
    pub fn load(root: &Path, diags: &mut Diagnostics) -> Option<Config> {
        let path = root.join(Self::FILE);
        let text = match std::fs::read_to_string(&path) {
            Ok(t) => t,
            Err(e) => {
                diags.error(
                    Self::FILE,
                    Pos::default(),
                    format!("cannot read the site configuration: {e}"),
                );
                return None;
            }
        };
        let text = crate::vietnamese::nfc(&text);
        match toml::from_str::<Config>(&text) {
            Ok(config) => {
                if let Some(url) = &config.base_url {
                    if !(url.starts_with("https://") || url.starts_with("http://")) {
                        diags.error(
                            Self::FILE,
                            find_key(&text, "base_url"),
                            "base_url must start with https:// or http://",
                        );
                    }
                }
                for k in &config.keep {
                    let path = k.trim_end_matches('/');
                    if path.is_empty()
                        || path.starts_with('/')
                        || path
                            .split('/')
                            .any(|s| s.is_empty() || s == "." || s == "..")
                    {
                        diags.error(
                            Self::FILE,
                            find_key(&text, "keep"),
                            format!("keep: `{k}` must be a path inside the output, like \"CNAME\" or \"downloads/\""),
                        );
                    }
                }
                if let Some(key) = &config.public_key {
                    if let Err(e) = crate::write::integrity::public_key(key) {
                        diags.error(Self::FILE, find_key(&text, "public_key"), e.to_string());
                    }
                }
                if !is_plain_name(&config.theme) {
                    diags.error(
                        Self::FILE,
                        find_key(&text, "theme"),
                        format!(
                            "theme `{}` must be a folder name under themes/",
                            config.theme
                        ),
                    );
                } else if config.theme != "default"
                    && !root.join("themes").join(&config.theme).is_dir()
                {
                    diags.error(
                        Self::FILE,
                        find_key(&text, "theme"),
                        format!(
                            "theme `{}` is not in themes/ (the default theme is built in: leave `theme` out or write \"default\")",
                            config.theme
                        ),
                    );
                }
                Some(config)
            }
            Err(e) => {
                let pos = e
                    .span()
                    .map(|s| offset_to_pos(&text, s.start))
                    .unwrap_or_default();
                diags.error(Self::FILE, pos, e.message().to_string());
                None
            }
        }
    }
}

/// True for a single path segment of letters, digits, `-` and `_`.
pub fn is_plain_name(name: &str) -> bool {
    !name.is_empty()
        && name
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_')
}

fn find_key(text: &str, key: &str) -> Pos {
    text.lines()
        .position(|l| l.trim_start().starts_with(key))
        .map(|i| Pos::new(i as u64 + 1, 1))
        .unwrap_or_default()
}

/// Converts a byte offset into a 1-based line and character column.
pub fn offset_to_pos(text: &str, offset: usize) -> Pos {
    let offset = offset.min(text.len());
    let before = &text[..text.floor_char_boundary(offset)];
    // Newlines counted as bytes: every citation without a year is placed
    // this way, and counting them as a char pattern (one search per line)
    // was 0.45% of a 200-report build's instructions.
    let line = memchr::memchr_iter(b'\n', before.as_bytes()).count() as u64 + 1;
    let line_start = memchr::memrchr(b'\n', before.as_bytes()).map_or(0, |i| i + 1);
    let column = before[line_start..].chars().count() as u64 + 1;
    Pos::new(line, column)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn load(text: &str) -> (Option<Config>, Vec<String>) {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join("config.toml"), text).unwrap();
        let mut d = Diagnostics::default();
        let c = Config::load(dir.path(), &mut d);
        (c, d.sorted().iter().map(|x| x.to_string()).collect())
    }

    #[test]
    fn defaults_to_vietnamese_and_default_theme() {
        let (c, errs) = load("title = \"Minh bạch\"\n");
        let c = c.unwrap();
        assert!(errs.is_empty());
        assert_eq!(c.language, Language::Vi);
        assert_eq!(c.theme, "default");
        assert_eq!(c.base_url, None);
    }

    #[test]
    fn bad_values_point_at_their_line() {
        let (_, errs) = load("title = \"x\"\nlanguage = \"fr\"\n");
        assert_eq!(errs.len(), 1);
        assert!(errs[0].starts_with("config.toml:2:12: "), "{errs:?}");
        let (_, errs) = load("title = \"x\"\ntheme = \"../etc\"\n");
        assert_eq!(
            errs,
            vec!["config.toml:2:1: theme `../etc` must be a folder name under themes/"]
        );
    }

    /// Lines and columns as counting characters gives them, at every
    /// offset of texts with several-byte letters, blank lines and CRLF.
    #[test]
    fn positions_count_lines_and_characters() {
        for text in [
            "",
            "a",
            "\n",
            "title: Báo cáo\nnăm: 2021\n\n  - Nghị định số 30/2020/NĐ-CP\n",
            "dòng một\r\ndòng hai\r\n",
        ] {
            for offset in 0..=text.len() + 2 {
                let before = &text[..text.floor_char_boundary(offset.min(text.len()))];
                let lines: Vec<&str> = before.split('\n').collect();
                let expected = Pos::new(
                    lines.len() as u64,
                    lines.last().map_or(0, |l| l.chars().count()) as u64 + 1,
                );
                assert_eq!(
                    offset_to_pos(text, offset),
                    expected,
                    "{text:?} at {offset}"
                );
            }
        }
        assert_eq!(offset_to_pos("ab\ncd", 4), Pos::new(2, 2));
    }
}
