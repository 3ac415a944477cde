//! Content problems as editors see them: `path:line:col: message`, collected
//! across every file of a run and reported together, in a stable order.

use std::fmt;

/// How serious a content problem is: errors stop the build, warnings do not.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Severity {
    /// The build cannot publish this content.
    Error,
    /// Published, but an editor should look.
    Warning,
    /// What is left to do (a draft's missing fields): said only when the
    /// content has no errors, which come first.
    Note,
}

/// A position in a content file, 1-based; (0, 0) when only the file is known.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Default)]
pub struct Pos {
    /// Line, from 1.
    pub line: u64,
    /// Column in characters, from 1.
    pub column: u64,
}

impl Pos {
    /// A position from 1-based line and column.
    pub fn new(line: u64, column: u64) -> Self {
        Pos { line, column }
    }
}

impl From<serde_saphyr::Location> for Pos {
    fn from(loc: serde_saphyr::Location) -> Self {
        Pos::new(loc.line(), loc.column())
    }
}

/// One problem in one content file.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct Diagnostic {
    /// The file, relative to the site root, with `/` separators.
    pub path: String,
    /// Where in the file.
    pub pos: Pos,
    /// Error or warning.
    pub severity: Severity,
    /// What is wrong, in one line.
    pub message: String,
}

/// `text` with its control characters written as escapes (`\u{1b}`), so
/// that content (an ESC sequence, a bell) printed in a problem cannot act on
/// the reader's terminal.
pub fn printable(text: &str) -> std::borrow::Cow<'_, str> {
    if !text.chars().any(char::is_control) {
        return std::borrow::Cow::Borrowed(text);
    }
    std::borrow::Cow::Owned(
        text.chars()
            .map(|c| {
                if c.is_control() {
                    c.escape_unicode().to_string()
                } else {
                    c.to_string()
                }
            })
            .collect(),
    )
}

impl fmt::Display for Diagnostic {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let kind = match self.severity {
            Severity::Error => "",
            Severity::Warning => "warning: ",
            Severity::Note => "note: ",
        };
        let pos = if self.pos.line == 0 {
            Pos::new(1, 1)
        } else {
            self.pos
        };
        write!(
            f,
            "{}:{}:{}: {}{}",
            printable(&self.path),
            pos.line,
            pos.column,
            kind,
            printable(&self.message)
        )
    }
}

/// Every problem found in a run, errors and warnings.
#[derive(Debug, Default, Clone)]
pub struct Diagnostics {
    items: Vec<Diagnostic>,
}

impl Diagnostics {
    /// Records an error.
    pub fn error(&mut self, path: &str, pos: Pos, message: impl Into<String>) {
        self.push(path, pos, Severity::Error, message.into());
    }

    /// Records a warning.
    pub fn warning(&mut self, path: &str, pos: Pos, message: impl Into<String>) {
        self.push(path, pos, Severity::Warning, message.into());
    }

    /// Records a note: what is left to do.
    pub fn note(&mut self, path: &str, pos: Pos, message: impl Into<String>) {
        self.push(path, pos, Severity::Note, message.into());
    }

    fn push(&mut self, path: &str, pos: Pos, severity: Severity, message: String) {
        // One line per problem: a newline in a message would break the format
        // that editors' tools parse.
        let message = message.split_whitespace().collect::<Vec<_>>().join(" ");
        self.items.push(Diagnostic {
            path: path.to_string(),
            pos,
            severity,
            message,
        });
    }

    /// Moves all of `other`'s problems into this collection.
    pub fn extend(&mut self, other: Diagnostics) {
        self.items.extend(other.items);
    }

    /// True when at least one error was recorded.
    pub fn has_errors(&self) -> bool {
        self.items.iter().any(|d| d.severity == Severity::Error)
    }

    /// Number of errors.
    pub fn error_count(&self) -> usize {
        self.items
            .iter()
            .filter(|d| d.severity == Severity::Error)
            .count()
    }

    /// The problems sorted by file, position and message, duplicates removed,
    /// so parallel loading reports in the same order every run; notes are
    /// left out when there are errors.
    pub fn sorted(mut self) -> Vec<Diagnostic> {
        if self.has_errors() {
            self.items.retain(|d| d.severity != Severity::Note);
        }
        self.items.sort();
        self.items.dedup();
        self.items
    }
}

/// A run stopped by content errors; carries every problem found.
#[derive(Debug)]
pub struct ContentErrors(pub Vec<Diagnostic>);

impl fmt::Display for ContentErrors {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let n = self
            .0
            .iter()
            .filter(|d| d.severity == Severity::Error)
            .count();
        write!(
            f,
            "{} problem{} in the content",
            n,
            if n == 1 { "" } else { "s" }
        )
    }
}

impl std::error::Error for ContentErrors {}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn one_line_per_problem_sorted_by_file_and_position() {
        let mut d = Diagnostics::default();
        d.error("content/b.yaml", Pos::new(3, 1), "second\nline");
        d.warning("content/a.yaml", Pos::new(9, 2), "look");
        d.error("content/a.yaml", Pos::new(2, 5), "first");
        assert!(d.has_errors());
        assert_eq!(d.error_count(), 2);
        let lines: Vec<String> = d.sorted().iter().map(|x| x.to_string()).collect();
        assert_eq!(
            lines,
            vec![
                "content/a.yaml:2:5: first",
                "content/a.yaml:9:2: warning: look",
                "content/b.yaml:3:1: second line",
            ]
        );
    }
}

/// The files problems are in, each read (and made NFC, as checked) once
/// for all its problems: they come sorted by file, so one is kept at a
/// time. Reading the file again for each problem cost a read and an NFC
/// pass of the whole file per warning (3,700 of them at 1,000 synthetic
/// reports).
pub struct Sources<'a> {
    root: &'a std::path::Path,
    file: Option<(String, Option<String>)>,
}

impl<'a> Sources<'a> {
    pub fn new(root: &'a std::path::Path) -> Sources<'a> {
        Sources { root, file: None }
    }

    /// The text of `path` (under the root), `None` when it cannot be read.
    fn text(&mut self, path: &str) -> Option<&str> {
        if self.file.as_ref().is_none_or(|(p, _)| p != path) {
            let text = std::fs::read_to_string(self.root.join(path))
                .ok()
                .map(|s| crate::vietnamese::nfc(&s).into_owned());
            self.file = Some((path.to_string(), text));
        }
        self.file.as_ref().and_then(|(_, text)| text.as_deref())
    }
}

/// The file a problem is in and where its line starts; `None` when the
/// file cannot be read, the problem has no line, or the line or message
/// holds control characters (the one-line form escapes them; shown as they
/// are they could act on a terminal).
fn source_of<'s>(d: &Diagnostic, sources: &'s mut Sources<'_>) -> Option<(&'s str, usize)> {
    if d.pos.line == 0 {
        return None;
    }
    let source = sources.text(&d.path)?;
    let line_start: usize = source
        .split_inclusive('\n')
        .take((d.pos.line - 1) as usize)
        .map(str::len)
        .sum();
    if line_start > source.len() {
        return None;
    }
    let line = source[line_start..].lines().next().unwrap_or("");
    if line.chars().any(|c| c.is_control() && c != '\t') || d.message.chars().any(char::is_control)
    {
        return None;
    }
    Some((source, line_start))
}

/// The line of its file a problem points at, when it can be shown.
pub fn source_line(d: &Diagnostic, root: &std::path::Path) -> Option<String> {
    let mut sources = Sources::new(root);
    let (source, start) = source_of(d, &mut sources)?;
    Some(source[start..].lines().next().unwrap_or("").to_string())
}

/// Renders a problem with the offending line of its file underlined, for
/// people reading a terminal; scripts get the one-line form.
pub fn render_with_source(d: &Diagnostic, sources: &mut Sources<'_>, color: bool) -> String {
    use annotate_snippets::{AnnotationKind, Level, Renderer, Snippet};
    let plain = d.to_string();
    let Some((source, line_start)) = source_of(d, sources) else {
        return plain;
    };
    let line = source[line_start..].lines().next().unwrap_or("");
    let col = line
        .char_indices()
        .nth(d.pos.column.saturating_sub(1) as usize)
        .map(|(i, _)| i)
        .unwrap_or(line.len());
    // Underline the word at the column (up to the end of the line).
    let word_end = line[col..]
        .find(char::is_whitespace)
        .map(|i| col + i)
        .unwrap_or(line.len())
        .max(col + line[col..].chars().next().map_or(0, char::len_utf8));
    let span = line_start + col..(line_start + word_end).min(source.len());
    let level = match d.severity {
        Severity::Error => Level::ERROR,
        Severity::Warning => Level::WARNING,
        Severity::Note => Level::NOTE,
    };
    let report = &[level.primary_title(&d.message).element(
        Snippet::source(source)
            .path(&d.path)
            .annotation(AnnotationKind::Primary.span(span)),
    )];
    let renderer = if color {
        Renderer::styled()
    } else {
        Renderer::plain()
    };
    renderer.render(report).to_string()
}

#[cfg(test)]
mod rich_tests {
    use super::*;

    #[test]
    fn snippet_underlines_the_position() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(
            dir.path().join("r.yaml"),
            "status: approved\nagency: ha-noi/x\n",
        )
        .unwrap();
        let d = Diagnostic {
            path: "r.yaml".into(),
            pos: Pos::new(2, 9),
            severity: Severity::Error,
            message: "unknown agency `ha-noi/x`".into(),
        };
        let text = render_with_source(&d, &mut Sources::new(dir.path()), false);
        assert!(text.contains("error: unknown agency `ha-noi/x`"), "{text}");
        assert!(text.contains("r.yaml:2:9"), "{text}");
        assert!(text.contains("agency: ha-noi/x"), "{text}");
        assert!(text.contains("^^^^^^^^"), "{text}");
    }

    #[test]
    fn one_reading_of_the_files_serves_each_problem_its_own_line() {
        let dir = tempfile::tempdir().unwrap();
        // Decomposed "Kế" (e + U+0302 + U+0301): the line is shown as checked, NFC.
        std::fs::write(dir.path().join("a.yaml"), "one: 1\ntwo: Ke\u{302}\u{301}\n").unwrap();
        std::fs::write(dir.path().join("b.yaml"), "three: 3\n").unwrap();
        let at = |path: &str, line: u64| Diagnostic {
            path: path.into(),
            pos: Pos::new(line, 1),
            severity: Severity::Warning,
            message: format!("look at {path}:{line}"),
        };
        let mut sources = Sources::new(dir.path());
        let shown: Vec<String> = [at("a.yaml", 1), at("a.yaml", 2), at("b.yaml", 1)]
            .iter()
            .map(|d| render_with_source(d, &mut sources, false))
            .collect();
        assert!(shown[0].contains("one: 1"), "{}", shown[0]);
        assert!(shown[1].contains("two: K\u{1ebf}"), "{}", shown[1]);
        assert!(shown[2].contains("three: 3"), "{}", shown[2]);
        // One reading per file: a change on disk after its first problem
        // was shown is not read for the next; a file not there shows the
        // one-line form.
        std::fs::write(dir.path().join("a.yaml"), "changed\n").unwrap();
        let mut sources = Sources::new(dir.path());
        let first = render_with_source(&at("a.yaml", 1), &mut sources, false);
        std::fs::write(dir.path().join("a.yaml"), "changed again\n").unwrap();
        let again = render_with_source(&at("a.yaml", 1), &mut sources, false);
        assert!(first.contains("changed") && again == first, "{again}");
        let missing = render_with_source(&at("gone.yaml", 1), &mut sources, false);
        assert_eq!(missing, "gone.yaml:1:1: warning: look at gone.yaml:1");
    }
}

/// The known name closest to a mistyped `value`, when it is close enough
/// to be what was meant (a third of its letters at most differ).
pub fn did_you_mean<'a>(value: &str, known: impl Iterator<Item = &'a str>) -> Option<&'a str> {
    known
        .map(|k| (edit_distance(value, k), k))
        .min()
        .filter(|(d, k)| *d <= k.len().max(3) / 3)
        .map(|(_, k)| k)
}

/// Levenshtein distance in characters.
fn edit_distance(a: &str, b: &str) -> usize {
    let b: Vec<char> = b.chars().collect();
    let mut prev: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.chars().enumerate() {
        let mut cur = vec![i + 1; b.len() + 1];
        for (j, cb) in b.iter().enumerate() {
            cur[j + 1] = (prev[j] + usize::from(ca != *cb))
                .min(prev[j + 1] + 1)
                .min(cur[j] + 1);
        }
        prev = cur;
    }
    prev[b.len()]
}
