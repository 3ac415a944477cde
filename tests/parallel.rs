//! The parallel build is deterministic: the same synthetic corpus built on
//! one thread and on several gives the same files, byte for byte.

mod common;
use common::*;

#[test]
fn sequential_and_parallel_builds_are_byte_identical() {
    let (dir, site) = corpus(120, 7);
    let build = |jobs: &str, out: &str| {
        let out = dir.path().join(out);
        let o = minhbach(
            &site,
            &["--jobs", jobs, "build", "--output", out.to_str().unwrap()],
        );
        assert!(o.status.success(), "{}", stderr(&o));
        snapshot(&out)
    };
    let one = build("1", "one");
    let four = build("4", "four");
    assert!(one.len() > 500, "only {} files", one.len());
    assert!(
        one.keys().any(|k| k.starts_with("so-sanh/")),
        "no comparison page"
    );
    let differ: Vec<&String> = one
        .keys()
        .filter(|k| one.get(*k) != four.get(*k))
        .chain(four.keys().filter(|k| !one.contains_key(*k)))
        .collect();
    assert!(
        differ.is_empty(),
        "differ: {:?}",
        &differ[..differ.len().min(10)]
    );
    // Indicator pages with many agencies chart the highest, median and
    // lowest figure; their table still has a row per agency.
    let summarised: Vec<String> = one
        .iter()
        .filter(|(k, _)| k.starts_with("chi-tieu/") && k.matches('/').count() == 2)
        .map(|(_, v)| String::from_utf8(v.clone()).unwrap())
        .filter(|page| page.contains("Trung vị"))
        .collect();
    assert!(!summarised.is_empty(), "no summarised indicator chart");
    for page in &summarised {
        assert_eq!(page.matches("<svg class=\"swatch\"").count(), 3);
        let count: usize = page
            .split("mỗi kỳ (")
            .nth(1)
            .and_then(|r| r.split(' ').next())
            .and_then(|n| n.parse().ok())
            .expect("agency count in the chart note");
        let table = page.split("id=\"ben-canh\"").nth(1).unwrap();
        let table = table.split("</table>").next().unwrap();
        assert!(count > 8);
        assert_eq!(table.matches("<th scope=\"row\">").count(), count);
    }
    // Rebuilding over a previous output (its files overwritten in place)
    // gives the same bytes again.
    assert_eq!(build("2", "one"), one);
}

/// Small sites keep every report's text from loading to rendering; big ones
/// drop it and read each report again. Both give the same bytes.
#[test]
fn keeping_report_text_or_reading_it_again_gives_the_same_site() {
    let (dir, site) = corpus(60, 3);
    let build = |keep_up_to: u64, out: &str| {
        let mut loaded =
            minhbach::site::Site::load_keeping_text(&site, Default::default(), keep_up_to).unwrap();
        let held = loaded
            .content
            .reports
            .ids()
            .filter(|&r| loaded.content.bodies.is_held(r))
            .count();
        let out = dir.path().join(out);
        let writer = minhbach::write::Writer::to_dir(&out).unwrap();
        loaded.build(&writer).unwrap();
        writer.commit().unwrap();
        (held, snapshot(&out))
    };
    let (held, kept) = build(u64::MAX, "kept");
    assert_eq!(held, 60, "every report keeps its text");
    let (held, read_again) = build(0, "read-again");
    assert_eq!(held, 0, "no report keeps its text");
    assert!(kept.keys().any(|k| k.starts_with("so-sanh/")));
    assert_eq!(kept.len(), read_again.len());
    for (path, bytes) in &kept {
        assert!(read_again.get(path) == Some(bytes), "{path} differs");
    }
}
