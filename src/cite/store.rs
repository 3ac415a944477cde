//! What the cite stage keeps of the citations it finds, report by report,
//! until the link stage takes them: each citation as a few numbers
//! ([`Cited`]), the document forms and wordings stored once ([`Forms`]),
//! the sentence around each citation in a temporary file ([`Contexts`]),
//! and, in the report's body, where each citation stands
//! ([`CitationSpan`]). [`CiteStore::cite`] is the one place a report's
//! text goes through the recogniser in a build.

use super::{recognise_all_nfc, Citation, CiteContext, Registry};
use crate::intern::Strings;
use crate::model::{Body, CitationSpan, Content, FormId, IdVec, Part, Report};
use std::io::Write;
use std::os::unix::fs::FileExt;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::Mutex;

/// One citation as the cite stage keeps it until linking: four numbers.
#[derive(Debug, Clone, Copy)]
pub struct Cited {
    /// Its document form.
    pub form: FormId,
    /// The citation as written, in [`Forms::words`].
    pub text: u32,
    /// The date cited with it, in [`Forms::words`].
    pub date: Option<u32>,
    /// Where its anchor and sentence are in [`Contexts`].
    pub context: Spilled,
}

/// The citations' shared parts, each stored once: document forms (a
/// citation without its words, date or place — the same few thousand over
/// and over) and wordings and dates.
#[derive(Debug, Default, Clone)]
pub struct Forms {
    /// Document forms: citations with empty `text`, no `date`, no place.
    pub forms: IdVec<FormId, Citation>,
    form_ids: Strings,
    /// Wordings and dates.
    pub words: Strings,
}

impl Forms {
    /// Numbers one citation, storing what is new.
    fn add(&mut self, cit: &Citation, context: Spilled) -> Cited {
        // The id (`scope:year:symbol`) already holds scope and symbol.
        let key = format!(
            "{}\0{}\0{}\0{}",
            cit.id, cit.doc_type, cit.issuer, cit.number
        );
        let form = FormId::new(self.form_ids.id(&key) as usize);
        if form.index() == self.forms.len() {
            self.forms.push(Citation {
                start: 0,
                end: 0,
                text: String::new(),
                date: None,
                warnings: Vec::new(),
                ..cit.clone()
            });
        }
        Cited {
            form,
            text: self.words.id(&cit.text),
            date: cit.date.as_deref().map(|d| self.words.id(d)),
            context,
        }
    }

    /// A citation's words as written.
    pub fn text(&self, word: u32) -> &str {
        self.words.get(word)
    }
}

/// Where a mention's anchor and sentence are in [`Contexts`].
#[derive(Debug, Clone, Copy, Default)]
pub struct Spilled {
    offset: u64,
    len: u32,
}

/// The anchors and sentences of every citation, written to a temporary file
/// as reports are cited and read back for the document pages. At 50,000
/// reports they are over half a gigabyte; each document page shows only a
/// few of them.
pub struct Contexts {
    file: Mutex<(std::io::BufWriter<std::fs::File>, u64)>,
    /// The same file, read at an offset: reads move no shared position, so
    /// the document pages' threads read side by side, without the lock
    /// (and without two seeks per sentence).
    reader: std::fs::File,
    /// Whether `file` holds sentences not yet flushed to the file.
    unflushed: AtomicBool,
}

impl Contexts {
    /// An empty store in a temporary file, removed when the store is dropped.
    pub fn new() -> std::io::Result<Contexts> {
        let file = tempfile::tempfile()?;
        Ok(Contexts {
            reader: file.try_clone()?,
            file: Mutex::new((std::io::BufWriter::new(file), 0)),
            unflushed: AtomicBool::new(false),
        })
    }

    /// Stores (anchor, sentence) pairs; returns where each is.
    pub fn put(&self, items: &[(&str, &str)]) -> std::io::Result<Vec<Spilled>> {
        let mut guard = self
            .file
            .lock()
            .map_err(|_| std::io::Error::other("context store poisoned"))?;
        let (w, at) = &mut *guard;
        let mut out = Vec::with_capacity(items.len());
        for (anchor, sentence) in items {
            let len = anchor.len() + 1 + sentence.len();
            w.write_all(anchor.as_bytes())?;
            w.write_all(b"\n")?;
            w.write_all(sentence.as_bytes())?;
            out.push(Spilled {
                offset: *at,
                len: u32::try_from(len).map_err(std::io::Error::other)?,
            });
            *at += len as u64;
        }
        // Set while the lock is held, before the places are handed out: a
        // reader given one of them sees it set until a flush.
        self.unflushed.store(true, Ordering::Release);
        Ok(out)
    }

    /// Makes everything stored readable.
    pub fn flush(&self) -> std::io::Result<()> {
        let mut guard = self
            .file
            .lock()
            .map_err(|_| std::io::Error::other("context store poisoned"))?;
        guard.0.flush()?;
        self.unflushed.store(false, Ordering::Release);
        Ok(())
    }

    /// The anchor (`None` for a reference) and sentence of a citation.
    pub fn get(&self, at: Spilled) -> std::io::Result<(Option<String>, String)> {
        if self.unflushed.load(Ordering::Acquire) {
            self.flush()?;
        }
        let mut buf = vec![0; at.len as usize];
        self.reader.read_exact_at(&mut buf, at.offset)?;
        let text = String::from_utf8(buf).map_err(std::io::Error::other)?;
        let (anchor, sentence) = text.split_once('\n').unwrap_or(("", &text));
        Ok((
            (!anchor.is_empty()).then(|| anchor.to_string()),
            sentence.to_string(),
        ))
    }
}

impl std::fmt::Debug for Contexts {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Contexts")
    }
}

/// The cite stage of one build: the registry, and what it keeps of every
/// citation found.
#[derive(Debug)]
pub struct CiteStore {
    /// Made from the content's registry entries when the first report is
    /// cited (they are loaded before any report).
    registry: std::sync::OnceLock<Registry>,
    forms: Mutex<Forms>,
    contexts: std::sync::Arc<Contexts>,
    /// Reports whose text went through the recogniser.
    reports: AtomicUsize,
}

/// What the cite stage hands to the link stage.
#[derive(Debug, Clone)]
pub struct Cites {
    /// The registry.
    pub registry: Registry,
    /// Forms and wordings.
    pub forms: Forms,
    /// The sentences (shared: a build that reloads what changed adds to the
    /// same file).
    pub contexts: std::sync::Arc<Contexts>,
    /// Reports whose text went through the recogniser.
    pub reports_recognised: usize,
}

impl CiteStore {
    /// An empty store, its sentences in a temporary file.
    pub fn new() -> std::io::Result<CiteStore> {
        Ok(CiteStore {
            registry: std::sync::OnceLock::new(),
            forms: Mutex::default(),
            contexts: std::sync::Arc::new(Contexts::new()?),
            reports: AtomicUsize::new(0),
        })
    }

    /// Continues from what an earlier build kept (a build that reloads what
    /// changed): forms and sentences stay numbered as they were.
    pub fn resume(cites: Cites) -> CiteStore {
        CiteStore {
            registry: std::sync::OnceLock::from(cites.registry),
            forms: Mutex::new(cites.forms),
            contexts: cites.contexts,
            reports: AtomicUsize::new(0),
        }
    }

    /// The registry of `content`, made once.
    fn registry(&self, content: &Content) -> &Registry {
        self.registry.get_or_init(|| Registry::new(&content.legal))
    }

    /// Finds every citation in `report`'s texts and references: where each
    /// stands goes into `body.citations`; its form, words and sentence are
    /// stored, and the returned numbers are for the link stage.
    pub fn cite(
        &self,
        content: &Content,
        report: &Report,
        body: &mut Body,
    ) -> std::io::Result<Vec<Cited>> {
        self.reports.fetch_add(1, Ordering::Relaxed);
        let registry = self.registry(content);
        let ctx = cite_context(content, report);
        let mut found: Vec<(Citation, Part, String, String)> = Vec::new();
        for (k, part) in body.texts().iter().enumerate() {
            let cits = recognise_all_nfc(part.text, &ctx, registry);
            let sentences = sentences_around(part.text, cits.iter().map(|c| (c.start, c.end)));
            for (cit, sentence) in cits.into_iter().zip(sentences) {
                found.push((cit, Part::Text(k), part.anchor.clone(), sentence));
            }
        }
        for (k, reference) in report.references.iter().enumerate() {
            for cit in recognise_all_nfc(&reference.value, &ctx, registry) {
                found.push((
                    cit,
                    Part::Reference(k),
                    String::new(),
                    reference.value.clone(),
                ));
            }
        }
        let pairs: Vec<(&str, &str)> = found
            .iter()
            .map(|(_, _, a, s)| (a.as_str(), s.as_str()))
            .collect();
        let spilled = self.contexts.put(&pairs)?;
        let mut forms = self
            .forms
            .lock()
            .map_err(|_| std::io::Error::other("citation store poisoned"))?;
        let mut spans = Vec::with_capacity(found.len());
        let cited = found
            .iter()
            .zip(spilled)
            .map(|((cit, part, _, _), at)| {
                let numbers = forms.add(cit, at);
                spans.push(CitationSpan::new(*part, cit.start, cit.end, numbers.form));
                numbers
            })
            .collect();
        spans.sort_by_key(|s| (s.part(), s.start, s.end));
        body.citations = spans;
        Ok(cited)
    }

    /// Everything stored, for the link stage; the sentences made readable.
    pub fn finish(self, content: &Content) -> std::io::Result<Cites> {
        self.contexts.flush()?;
        self.registry(content);
        Ok(Cites {
            registry: self.registry.into_inner().unwrap_or_default(),
            forms: self
                .forms
                .into_inner()
                .map_err(|_| std::io::Error::other("citation store poisoned"))?,
            contexts: self.contexts,
            reports_recognised: self.reports.into_inner(),
        })
    }
}

/// The citation scope of a report: its agency's province and id.
pub fn cite_context(content: &Content, report: &Report) -> CiteContext {
    CiteContext {
        province: report
            .agency_id
            .map(|a| content.agencies[a].province_slug().to_string())
            .unwrap_or_default(),
        agency: report.agency.value.clone(),
    }
}

/// How far before and after a citation its sentence is looked for, in
/// bytes: the sentence shown is at most 320 characters, and a text of
/// thousands of citations with no full stop must not be searched from its
/// start for each.
const SENTENCE_REACH: usize = 1200;

/// The sentence of `text` around byte range `start..end`, whitespace folded.
#[cfg(test)]
fn sentence_around(text: &str, start: usize, end: usize) -> String {
    fold_sentence(&text[sentence_bounds(text, start, end)])
}

/// The sentence of `text` around each byte range of `spans` (where
/// [`sentence_bounds`] puts it), whitespace folded. Citations in one
/// sentence ("Thực hiện Nghị định …, Chỉ thị …") share it: it is folded
/// once (0.48% of a rebuild's instructions at 1,000 reports).
fn sentences_around(text: &str, spans: impl Iterator<Item = (usize, usize)>) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    let mut last: Option<std::ops::Range<usize>> = None;
    for (start, end) in spans {
        let bounds = sentence_bounds(text, start, end);
        let sentence = match (&last, out.last()) {
            (Some(b), Some(sentence)) if *b == bounds => sentence.clone(),
            _ => fold_sentence(&text[bounds.clone()]),
        };
        last = Some(bounds);
        out.push(sentence);
    }
    out
}

/// Where the sentence of `text` around byte range `start..end` is.
fn sentence_bounds(text: &str, start: usize, end: usize) -> std::ops::Range<usize> {
    // "28.101" and "22.9.2021" hold dots: only a dot before a space ends a sentence.
    let from = text.floor_char_boundary(start.saturating_sub(SENTENCE_REACH));
    let to = text.floor_char_boundary((end + SENTENCE_REACH).min(text.len()));
    // The marks are ASCII, so their bytes are found without decoding the
    // text (a char pattern decodes every character of up to 2,400 bytes
    // around each citation).
    let head = &text.as_bytes()[from..start];
    let begin = [
        memchr::memmem::rfind(head, b". ").map(|i| i + 1),
        memchr::memrchr2(b';', b'\n', head),
    ]
    .into_iter()
    .flatten()
    .max()
    .map(|i| from + i + 1)
    .unwrap_or(from);
    let stop = memchr::memchr2(b';', b'\n', &text.as_bytes()[end..to])
        .map(|i| end + i)
        .unwrap_or(to);
    begin..stop
}

/// The longest sentence shown, in characters; a longer one is cut to
/// three characters less and ends with "…".
const SENTENCE_CHARS: usize = 320;

/// `text` with its whitespace folded to single spaces and the list marks
/// (`-`, `+`, `*`) it starts with left out, cut to [`SENTENCE_CHARS`].
/// One pass that stops as soon as the sentence is known to be too long: a
/// text without clause ends is folded only as far as it is shown.
fn fold_sentence(text: &str) -> String {
    let mut out = String::new();
    let mut chars = 0;
    for word in text.split_whitespace() {
        let word = match out.is_empty() {
            true => word.trim_start_matches(['-', '+', '*']),
            false => word,
        };
        if word.is_empty() {
            continue;
        }
        if !out.is_empty() {
            out.push(' ');
            chars += 1;
        }
        out.push_str(word);
        chars += word.chars().count();
        if chars > SENTENCE_CHARS {
            let cut = out
                .char_indices()
                .nth(SENTENCE_CHARS - 3)
                .map_or(out.len(), |(i, _)| i);
            out.truncate(cut);
            out.push('…');
            return out;
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Sentences stored from several threads while others read theirs
    /// back, before and after a flush, each read back as it was stored.
    #[test]
    fn contexts_read_back_what_each_thread_stored() {
        let store = Contexts::new().unwrap();
        let stored: Vec<Vec<(String, String, Spilled)>> = std::thread::scope(|scope| {
            let threads: Vec<_> = (0..4)
                .map(|t| {
                    let store = &store;
                    scope.spawn(move || {
                        let mut mine = Vec::new();
                        for round in 0..300 {
                            let anchor = if round % 3 == 0 {
                                String::new()
                            } else {
                                format!("muc-{t}-{round}")
                            };
                            let sentence =
                                format!("Câu {round} của luồng {t}: {}", "ạ".repeat(round % 17));
                            let at = store.put(&[(&anchor, &sentence)]).unwrap()[0];
                            mine.push((anchor, sentence, at));
                            // Read back one stored earlier, most often before
                            // anything was flushed.
                            let (a, s, at) = &mine[round / 2];
                            let got = store.get(*at).unwrap();
                            assert_eq!(got, ((!a.is_empty()).then(|| a.clone()), s.clone()));
                        }
                        mine
                    })
                })
                .collect();
            threads.into_iter().map(|h| h.join().unwrap()).collect()
        });
        store.flush().unwrap();
        for (anchor, sentence, at) in stored.iter().flatten() {
            let got = store.get(*at).unwrap();
            assert_eq!(
                got,
                (
                    (!anchor.is_empty()).then(|| anchor.clone()),
                    sentence.clone()
                )
            );
        }
        assert_eq!(stored.iter().flatten().count(), 1200);
    }

    #[test]
    fn sentence_is_cut_at_clause_ends() {
        let t = "Mở đầu. Thực hiện Kế hoạch số 23/KH-UBND ngày 24/3/2021 của tỉnh; phần sau.";
        let s = t.find("Kế").unwrap();
        assert_eq!(
            sentence_around(t, s, s + 10),
            "Thực hiện Kế hoạch số 23/KH-UBND ngày 24/3/2021 của tỉnh"
        );
    }

    /// The sentence as found before the marks were searched as bytes: with
    /// char patterns.
    fn sentence_by_chars(text: &str, start: usize, end: usize) -> String {
        let from = text.floor_char_boundary(start.saturating_sub(SENTENCE_REACH));
        let to = text.floor_char_boundary((end + SENTENCE_REACH).min(text.len()));
        let head = &text[from..start];
        let begin = [head.rfind(". ").map(|i| i + 1), head.rfind([';', '\n'])]
            .into_iter()
            .flatten()
            .max()
            .map(|i| from + i + 1)
            .unwrap_or(from);
        let stop = text[end..to]
            .find([';', '\n'])
            .map(|i| end + i)
            .unwrap_or(to);
        fold_sentence(&text[begin..stop])
    }

    #[test]
    fn marks_found_as_bytes_give_the_sentence_found_by_chars() {
        // Clause ends of every kind, multi-byte letters beside them, and
        // stretches longer than the reach without any.
        let pieces = [
            "Thực hiện ",
            "Kế hoạch số 23/KH-UBND",
            "; ",
            ". ",
            "\n",
            "ngày 24.3.2021 ",
            "đồng chí Ủy viên ",
            "ấp Đông Hòa.",
            "ỹ",
        ];
        let mut text = String::new();
        let mut state = 7u32;
        for round in 0..600 {
            state = state.wrapping_mul(1_103_515_245).wrapping_add(12_345);
            let piece = pieces[(state >> 16) as usize % pieces.len()];
            // Now and then a long run with no clause end at all.
            let times = if round % 97 == 0 { 80 } else { 1 };
            for _ in 0..times {
                text.push_str(if times > 1 {
                    "dân vận chính quyền "
                } else {
                    piece
                });
            }
        }
        // Every citation's sentence at once, shared where they are the same.
        let spans: Vec<(usize, usize)> = text
            .match_indices("Kế hoạch")
            .map(|(start, _)| {
                let end = start + "Kế hoạch số 23/KH-UBND".len().min(text.len() - start);
                (start, text.floor_char_boundary(end))
            })
            .collect();
        let at_once = sentences_around(&text, spans.iter().copied());
        let one_by_one: Vec<String> = spans
            .iter()
            .map(|&(start, end)| sentence_by_chars(&text, start, end))
            .collect();
        assert_eq!(at_once, one_by_one);
        let shared = at_once.windows(2).filter(|w| w[0] == w[1]).count();
        assert!(shared > 10, "{shared} of {}", spans.len());
        let mut checked = 0;
        for (start, _) in text.match_indices("Kế hoạch") {
            let end = start + "Kế hoạch số 23/KH-UBND".len().min(text.len() - start);
            let end = text.floor_char_boundary(end);
            assert_eq!(
                sentence_around(&text, start, end),
                sentence_by_chars(&text, start, end),
                "at {start}"
            );
            checked += 1;
        }
        assert!(checked > 30, "{checked}");
    }

    /// What the sentence was before it was folded in one pass: every word
    /// joined, the marks trimmed, then cut.
    fn fold_whole(text: &str) -> String {
        let s = text.split_whitespace().collect::<Vec<_>>().join(" ");
        let s = s.trim_start_matches(['-', '+', '*', ' ']).to_string();
        if s.chars().count() > SENTENCE_CHARS {
            let cut: String = s.chars().take(SENTENCE_CHARS - 3).collect();
            format!("{cut}…")
        } else {
            s
        }
    }

    #[test]
    fn folding_in_one_pass_gives_the_whole_fold() {
        let word = "Nghị định 04/2015/NĐ-CP";
        let mut cases: Vec<String> = vec![
            String::new(),
            "   ".into(),
            "- + * ".into(),
            "--+ -x".into(),
            "* -* Thực hiện\n\t Kế hoạch".into(),
            " \u{a0}dân vận\u{2003}chính quyền ".into(),
        ];
        // Lengths around the cut, in words of one and of several bytes.
        for n in 310..330 {
            cases.push("ạ".repeat(n));
            cases.push(format!("- {}", "a ".repeat(n / 2)));
            cases.push(format!("{} {}", "ư".repeat(n - 10), word));
        }
        for k in 1..40 {
            cases.push(vec![word; k].join("  \n "));
        }
        for case in &cases {
            assert_eq!(fold_sentence(case), fold_whole(case), "{case:?}");
        }
    }
}
