//! The output dependency graph: after a change, a build that renders only
//! the outputs the change reaches — or only the files the graph lists as
//! depending on the changed report — gives exactly the bytes of a full
//! build of the changed site.

mod common;
use common::*;
use minhbach::site::session::{Render, Session};
use minhbach::site::Site;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

/// A full build of the site at `root`, from nothing, into `out`.
fn full_build(root: &Path, out: &Path) -> BTreeMap<String, Vec<u8>> {
    let _ = std::fs::remove_dir_all(out);
    let mut site = Site::load(root, Default::default()).expect("the site loads");
    let writer = minhbach::write::Writer::to_dir(out).unwrap();
    site.build(&writer).unwrap();
    // As `minhbach build` does: the manifest lists every file.
    writer.seal(site.seal(None).unwrap());
    writer.commit().unwrap();
    snapshot(out)
}

/// Asserts that two outputs hold the same files with the same bytes.
fn assert_same(what: &str, got: &BTreeMap<String, Vec<u8>>, want: &BTreeMap<String, Vec<u8>>) {
    let missing: Vec<&String> = want.keys().filter(|k| !got.contains_key(*k)).collect();
    let extra: Vec<&String> = got.keys().filter(|k| !want.contains_key(*k)).collect();
    let differ: Vec<&String> = want
        .keys()
        .filter(|k| got.get(*k).is_some_and(|g| g != &want[*k]))
        .collect();
    assert!(
        missing.is_empty() && extra.is_empty() && differ.is_empty(),
        "{what}: missing {:?}, extra {:?}, different {:?}",
        &missing[..missing.len().min(8)],
        &extra[..extra.len().min(8)],
        &differ[..differ.len().min(8)]
    );
}

/// The report files of a site, relative to its root, sorted.
fn report_files(root: &Path) -> Vec<String> {
    files(&root.join("content/reports"))
        .into_iter()
        .map(|f| format!("content/reports/{f}"))
        .collect()
}

fn slug_of(rel: &str) -> String {
    rel.trim_start_matches("content/reports/")
        .trim_end_matches(".yaml")
        .to_string()
}

/// Rewrites a file with `edit`, which must change it.
fn edit(root: &Path, rel: &str, edit: impl Fn(&str) -> String) {
    let path = root.join(rel);
    let before = std::fs::read_to_string(&path).unwrap();
    let after = edit(&before);
    assert_ne!(before, after, "the edit of {rel} changed nothing");
    std::fs::write(&path, after).unwrap();
}

/// The first `value: N` of a report's metrics, changed to N + 7 in the
/// figure and in its `stated` text (which must show it).
fn change_first_figure(yaml: &str) -> String {
    let at = yaml.find("\n    value: ").expect("a figure");
    let line_end = yaml[at + 1..].find('\n').unwrap() + at + 1;
    let value: u64 = yaml[at + 12..line_end].trim().parse().unwrap();
    let new = value + 7;
    let vi = |n: u64| {
        let s = n.to_string();
        let mut out = String::new();
        for (i, c) in s.chars().enumerate() {
            if i > 0 && (s.len() - i).is_multiple_of(3) {
                out.push('.');
            }
            out.push(c);
        }
        out
    };
    let mut out = format!("{}\n    value: {new}{}", &yaml[..at], &yaml[line_end..]);
    let stated = out[at..]
        .find(&vi(value))
        .expect("the figure in its stated text")
        + at;
    out.replace_range(stated..stated + vi(value).len(), &vi(new));
    out
}

/// Every kind of edit an editor makes, each rebuilt from the last and
/// compared with a full build of the site as it then is.
#[test]
fn rebuilding_what_changed_gives_the_bytes_of_a_full_build() {
    let (dir, root) = corpus(60, 11);
    // With an address, so that the feeds, the sitemap and robots.txt are
    // rebuilt too.
    append_config(&root, "base_url = \"https://example.gov.vn/\"");
    let out = dir.path().join("public");
    let fresh = dir.path().join("fresh");
    let (mut session, _) = Session::start(&root, &out, Default::default()).unwrap();
    assert_same("first build", &snapshot(&out), &full_build(&root, &fresh));
    let total = session.plan().outputs().len();
    let reports = report_files(&root);
    let (a, b, c) = (&reports[3], &reports[17], &reports[40]);

    let step = |session: &mut Session, what: &str, changed: &[&str], small: bool| {
        let changed: Vec<PathBuf> = changed.iter().map(PathBuf::from).collect();
        let rebuilt = session
            .rebuild(&changed)
            .unwrap_or_else(|e| panic!("{what}: {e:#}"));
        assert_same(what, &snapshot(&out), &full_build(&root, &fresh));
        if small {
            assert!(
                !rebuilt.everything && rebuilt.rendered.len() * 10 < total,
                "{what}: rendered {} of {total}",
                rebuilt.rendered.len()
            );
        } else {
            assert!(rebuilt.everything, "{what} should reach everything");
        }
        rebuilt
    };

    edit(&root, a, |y| {
        y.replacen("Công tác dân vận", "Công tác vận động quần chúng", 1)
    });
    let rebuilt = step(&mut session, "a sentence edited", &[a], true);
    // The report's page and search text changed; other reports' pages did not.
    let page = format!("bao-cao/{}/index.html", slug_of(a));
    assert!(rebuilt.rendered.contains(&page), "{:?}", rebuilt.rendered);
    assert!(!rebuilt
        .rendered
        .contains(&format!("bao-cao/{}/index.html", slug_of(b))));

    edit(&root, b, change_first_figure);
    let rebuilt = step(&mut session, "a figure changed", &[b], true);
    assert!(rebuilt.rendered.iter().any(|p| p.starts_with("chi-tieu/")));
    assert!(rebuilt.rendered.contains("data/metrics.csv"));

    edit(&root, c, |y| {
        y.replacen(
            "    body: |\n",
            "    body: |\n      Thực hiện Kế hoạch số 987/KH-UBND ngày 03/02/2021 của Ủy ban nhân dân tỉnh về chuyển đổi số.\n\n",
            1,
        )
    });
    let rebuilt = step(&mut session, "a citation added", &[c], true);
    assert!(
        rebuilt.rendered.iter().any(|p| p.contains("987-kh_ubnd")),
        "{:?}",
        rebuilt.rendered
    );

    edit(&root, a, |y| y.replacen("title: \"", "title: \"(Sửa) ", 1));
    step(&mut session, "a title changed", &[a], true);

    // The date a document shows comes from the first citation giving one:
    // changing it there changes the document's name on every page that
    // lists the document, other reports' pages among them.
    let (rel, cited, changed) = {
        let site = session.site();
        let catalog = &site.catalog;
        let (doc, report, text) = catalog
            .documents()
            .values()
            .filter(|d| d.registry.is_none() && d.report_count() >= 3)
            .find_map(|d| {
                let (r, mentions) = d.citing().find(|(_, ms)| {
                    ms.iter()
                        .any(|m| catalog.mention_date(m).is_some_and(|x| x.len() == 10))
                })?;
                let m = mentions
                    .iter()
                    .find(|m| catalog.mention_date(m).is_some_and(|x| x.len() == 10))?;
                Some((d, r, catalog.mention_text(m).to_string()))
            })
            .expect("a document cited by several reports with a date");
        let (head, date) = text.rsplit_once("ngày ").expect("a date in words");
        let day: u32 = date.split('/').next().unwrap().parse().unwrap();
        let moved = format!(
            "{head}ngày {}/{}",
            if day == 1 { 2 } else { 1 },
            date.split_once('/').unwrap().1
        );
        let rel = site.content.reports[report].file.clone();
        let other = doc.citing().map(|(r, _)| r).find(|&r| r != report).unwrap();
        (
            rel,
            text.clone(),
            (moved, site.content.reports[other].slug.clone()),
        )
    };
    edit(&root, &rel, |y| y.replace(&cited, &changed.0));
    let rebuilt = step(&mut session, "a citation's date changed", &[&rel], true);
    let other_page = format!("bao-cao/{}/index.html", changed.1);
    assert!(
        rebuilt.rendered.contains(&other_page),
        "{other_page} not rendered"
    );

    // Adding and deleting a report move every report's place in the index.
    let added = a.replace(".yaml", "-bo-sung.yaml");
    let copy = std::fs::read_to_string(root.join(a)).unwrap();
    // A report of its own: the same number twice would be one report filed twice.
    std::fs::write(
        root.join(&added),
        copy.replacen("number: \"", "number: \"9", 1),
    )
    .unwrap();
    step(&mut session, "a report added", &[&added], false);
    std::fs::remove_file(root.join(&added)).unwrap();
    step(&mut session, "a report deleted", &[&added], false);

    // An agency renamed: its name is on many pages.
    let agency = files(&root.join("content/agencies"))[0].clone();
    let agency = format!("content/agencies/{agency}");
    edit(&root, &agency, |y| {
        y.replacen("name: ", "name: Sở mới — ", 1)
    });
    step(&mut session, "an agency renamed", &[&agency], false);

    // A content error: the rebuild fails, the output stays as it was, and
    // fixing the file builds again.
    let before = snapshot(&out);
    let good = std::fs::read_to_string(root.join(b)).unwrap();
    std::fs::write(root.join(b), good.replacen("year: ", "year: năm ", 1)).unwrap();
    let err = session.rebuild(&[PathBuf::from(b)]).unwrap_err();
    assert!(format!("{err:#}").contains("problem"), "{err:#}");
    assert_same("after a content error", &snapshot(&out), &before);
    std::fs::write(root.join(b), good).unwrap();
    let rebuilt = session.rebuild(&[PathBuf::from(b)]).unwrap();
    assert!(rebuilt.rendered.is_empty() || !rebuilt.everything);
    assert_same("fixed", &snapshot(&out), &full_build(&root, &fresh));
}

/// The test: change one report, render only the files the graph
/// says depend on it (before and after the change), and get a full build's
/// bytes. Also: what a change really reaches is within that list.
#[test]
fn rendering_only_a_reports_dependents_gives_a_full_build() {
    let (dir, root) = corpus(40, 5);
    let out = dir.path().join("public");
    let fresh = dir.path().join("fresh");
    let reports = report_files(&root);
    type Edit = fn(&str) -> String;
    let edits: [(&str, Edit); 3] = [
        ("text", |y| {
            y.replacen("Công tác dân vận", "Công tác vận động", 1)
        }),
        ("figure", change_first_figure),
        ("citation", |y| {
            y.replacen(
                "    body: |\n",
                "    body: |\n      Căn cứ Chỉ thị số 16/CT-TTg ngày 16/5/2016 của Thủ tướng Chính phủ.\n\n",
                1,
            )
        }),
    ];
    for (k, (what, change)) in edits.iter().enumerate() {
        let rel = &reports[5 + 7 * k];
        let slug = slug_of(rel);
        let (mut session, _) = Session::start(&root, &out, Default::default()).unwrap();
        let listed = session.dependents(&slug).expect("a published report");
        assert!(listed.contains(&format!("bao-cao/{slug}/index.html")));
        assert!(
            listed.len() < session.plan().outputs().len() / 4,
            "{what}: {} listed of {}: {:?}",
            listed.len(),
            session.plan().outputs().len(),
            listed
        );
        edit(&root, rel, change);
        let rebuilt = session
            .rebuild_rendering(
                &[PathBuf::from(rel)],
                Render::DependentsOf(vec![slug.clone()]),
            )
            .unwrap();
        assert_same(what, &snapshot(&out), &full_build(&root, &fresh));
        // The index wrote only files of the report's own terms, old or new.
        let listed_after = session.dependents(&slug).unwrap();
        for (path, _) in rebuilt.written.files() {
            let path = path.as_str();
            assert!(
                rebuilt.rendered.contains(path)
                    || listed.contains(path)
                    || listed_after.contains(path),
                "{what}: {path} was written but is not listed"
            );
        }
    }
}

/// A live preview renders the large outputs after the others: the rebuild
/// leaves them (their files stale meanwhile, listed), and once they are
/// rendered the output is a full build's, byte for byte — through edits
/// that reach them and edits that do not.
#[test]
fn large_outputs_rendered_after_the_rest_give_a_full_build() {
    let (dir, root) = corpus(40, 5);
    let out = dir.path().join("public");
    let fresh = dir.path().join("fresh");
    let (mut session, _) = Session::start(&root, &out, Default::default()).unwrap();
    // On this small site, "large" is anything over 20 kB: the site-wide
    // downloads, year pages, indicator pages.
    session.defer_over(20_000);
    let reports = report_files(&root);
    // A title reaches the site-wide downloads; a figure its series; a
    // sentence only its own page (nothing large).
    type Edit<'a> = (&'a str, &'a str, fn(&str) -> String);
    let edits: [Edit; 3] = [
        ("a title", &reports[2], |y| {
            y.replacen("title: ", "title: Sửa ", 1)
        }),
        ("a figure", &reports[9], change_first_figure),
        ("a sentence", &reports[20], |y| {
            y.replacen("Công tác dân vận", "Công tác vận động quần chúng", 1)
        }),
    ];
    let mut deferred_some = false;
    for (what, rel, change) in edits {
        edit(&root, rel, change);
        let rebuilt = session.rebuild(&[PathBuf::from(rel)]).unwrap();
        assert_eq!(&rebuilt.deferred, session.deferred());
        assert!(rebuilt.rendered.is_disjoint(&rebuilt.deferred), "{what}");
        if !rebuilt.deferred.is_empty() {
            deferred_some = true;
            // Not written yet: the files are the old ones.
            let now = snapshot(&out);
            let want = full_build(&root, &fresh);
            assert!(
                rebuilt.deferred.iter().any(|p| now.get(p) != want.get(p)),
                "{what}: a deferred file already up to date"
            );
            let done = session.render_deferred().unwrap();
            assert_eq!(done.rendered, rebuilt.deferred);
            assert!(session.deferred().is_empty());
        }
        assert_same(what, &snapshot(&out), &full_build(&root, &fresh));
    }
    assert!(deferred_some, "some edit reached a large output");
}
