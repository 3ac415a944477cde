//! How search ranks, on the index side; the browser's side is the `RANK`
//! object of `themes/default/static/search.js`. The index stores, for each
//! term, the reports holding it with a one-byte score; the browser weighs
//! those scores by the term's rarity and then re-ranks the best reports on
//! their text (phrases, exact diacritics, nearness).

/// Version of the index's file format. `search.js` refuses an index of
/// another version with a message, instead of reading it wrongly (a site
/// whose theme carries an older script, a half-copied site).
/// 2: `meta.js` carries the search files' paths.
pub const INDEX_VERSION: u32 = 2;

/// BM25's term-frequency saturation: the fifth occurrence of a word in a
/// report adds much less than the first. 1.2 is BM25's usual value.
pub const K1: f64 = 1.2;

/// BM25's length normalisation: how much a long report's counts are
/// discounted against the average (0 none, 1 fully). 0.75 is BM25's usual
/// value; reports here range from one-page press articles to 30-page
/// annual reports, so length matters.
pub const B: f64 = 0.75;

/// Scores are stored in one byte: BM25's term weight, which lies in
/// (0, K1 + 1), is scaled to 1..=SCORE_MAX (the browser divides by it).
pub const SCORE_MAX: u8 = 255;

/// A syllable in the title block (title, kind, number, agency, summary,
/// signer, recipients) counts as this many in the body: a report whose
/// title says "dân vận" is about it, one that mentions it once is not.
pub const TITLE_WEIGHT: u32 = 5;

/// Postings of a term kept in its bucket file, best scores first: enough
/// for the first pages of results and for facet counts on all but the
/// commonest words; the rest go to tail files, loaded when a reader asks
/// for every result. 600 keeps a two-syllable query's load under 400 KB at
/// 10,000 reports (README, search benchmark).
pub const HEAD: usize = 600;

/// Postings per tail file and term.
pub const TAIL: usize = 4000;

/// Steps per doubling of the average length the scores use.
const LENGTH_STEPS: f64 = 16.0;

/// The average report length BM25 normalises against: the site's average,
/// rounded to a grid of 16 steps per doubling (4.4% apart). Each score
/// depends on the average, so with the exact figure an edit to any report
/// would change every bucket of the index; on the grid, an edit almost
/// never moves it (at 10,000 reports, adding a page moves the average by a
/// hundredth of a step), so a rebuild rewrites only the buckets of the
/// edited report's terms. Ranking moves by less than the grid's step.
pub fn average_length(exact: f64) -> f64 {
    if exact.is_nan() || exact <= 1.0 {
        return 1.0;
    }
    ((exact.log2() * LENGTH_STEPS).round() / LENGTH_STEPS)
        .exp2()
        .round()
}

/// BM25 term weight of a term seen `tf` times (weighted) in a report of
/// `len` syllables, where reports average `avg_len`, scaled to
/// 1..=[`SCORE_MAX`].
pub fn score(tf: u32, len: u32, avg_len: f64) -> u8 {
    let tf = f64::from(tf);
    let w = tf * (K1 + 1.0) / (tf + K1 * (1.0 - B + B * f64::from(len) / avg_len));
    ((w / (K1 + 1.0)) * f64::from(SCORE_MAX))
        .round()
        .clamp(1.0, f64::from(SCORE_MAX)) as u8
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn scores_grow_with_frequency_and_shrink_with_length() {
        assert!(score(5, 1000, 1000.0) > score(1, 1000, 1000.0));
        assert!(score(2, 500, 1000.0) > score(2, 2000, 1000.0));
        assert!(score(1, 100_000, 1000.0) >= 1);
        assert_eq!(score(10_000, 10, 1000.0), SCORE_MAX);
    }

    #[test]
    fn the_average_length_moves_in_steps() {
        assert_eq!(average_length(5119.584), average_length(5120.5));
        assert_eq!(average_length(5119.584), 5087.0);
        let (a, b) = (average_length(3000.0), average_length(3200.0));
        assert!(b > a && b / a < 1.1, "{a} {b}");
        assert_eq!(average_length(0.0), 1.0);
        assert_eq!(average_length(f64::NAN), 1.0);
    }

    /// The browser checks the version it loads against its own: both sides
    /// must say the same.
    #[test]
    fn search_js_expects_this_index_version() {
        let js = include_str!("../../themes/default/static/search.js");
        let expected = format!("var INDEX_VERSION = {INDEX_VERSION};");
        assert!(js.contains(&expected), "search.js lacks `{expected}`");
        let scale = format!("scoreMax: {SCORE_MAX},");
        assert!(js.contains(&scale), "search.js lacks `{scale}`");
    }
}
