"""Where a built site's bytes are, against the report YAML it was built from:
the floor under the out/in target (issue 20).

Usage: python3 bench/bytes.py OUTPUT_DIR REPORTS_DIR

Counts file bytes (not `du`, which adds 4 kB per folder on ext4) and splits
them into what no shorter markup can remove and what markup costs:

  text       the visible text inside each page's <main> (tags removed,
             entities decoded, runs of white space as one space): what
             the pages show a reader, each page's own copy
  links      the link tags themselves (`<a href="…">` and `</a>`) across
             all pages: a site whose pages are cross-linked pays them
  downloads  data/ (CSV, JSON)
  search     search/ (the index, loadable from file://)
  markup     everything else in the pages (head, header, footer, tables,
             headings, JSON-LD), and other files

The floor is text + links + downloads + search: the output of this site's
features with no other markup at all. Prints one line per part, MB and
times the input, then the floor.
"""
import html
import os
import re
import sys

out_dir, in_dir = sys.argv[1], sys.argv[2]


def file_bytes(root):
    return sum(
        os.path.getsize(os.path.join(d, f)) for d, _, fs in os.walk(root) for f in fs
    )


TAG = re.compile(r"<[^>]+>")
SPACE = re.compile(r"\s+")
LINK = re.compile(rb"<a\s[^>]*>|</a>")

inp = file_bytes(in_dir)
total = file_bytes(out_dir)
parts = {"text": 0, "links": 0, "downloads": 0, "search": 0}
parts["downloads"] = file_bytes(os.path.join(out_dir, "data"))
parts["search"] = file_bytes(os.path.join(out_dir, "search"))
pages = 0
for d, _, fs in os.walk(out_dir):
    for f in fs:
        if not f.endswith(".html"):
            continue
        raw = open(os.path.join(d, f), "rb").read()
        pages += 1
        parts["links"] += sum(len(m.group(0)) for m in LINK.finditer(raw))
        s = raw.decode("utf-8")
        i, j = s.find("<main"), s.find("</main>")
        if i < 0 or j < 0:
            continue
        text = SPACE.sub(" ", html.unescape(TAG.sub(" ", s[i:j]))).strip()
        parts["text"] += len(text.encode("utf-8"))
floor = sum(parts.values())
parts["markup"] = total - floor
print(f"input {inp / 1e6:.1f} MB of report YAML; output {total / 1e6:.1f} MB in files, {pages} pages")
for k, v in parts.items():
    print(f"  {k:10} {v / 1e6:8.1f} MB {v / inp:6.2f} x input")
print(f"floor (text + links + downloads + search) {floor / 1e6:.1f} MB = {floor / inp:.2f} x input; "
      f"out/in {total / inp:.2f}; at 5 x the rest of the markup would have "
      f"{max(0, 5 * inp - floor) / max(pages, 1):.0f} B a page (has {parts['markup'] / max(pages, 1):.0f})")
