#!/usr/bin/env python3
"""Builds sites of the shapes a careless paste (or a hostile file) makes, at
two sizes, and prints the wall time, user CPU time and peak memory of
`minhbach build` on each (medians of three builds) and the ratios between the
sizes: about 2 for a stage that grows linearly with its input, about 4 for a
quadratic one. The CPU ratio is the one to read: wall time includes making
thousands of files, which varies by half from run to run on ext4. A shape
that stops at a limit prints its message instead.

    python3 bench/shapes.py [MINHBACH] [--small]

MINHBACH defaults to target/release/minhbach; --small halves every size
(quicker, for a first look)."""
import os
import resource
import shutil
import subprocess
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.dirname(HERE)
args = [a for a in sys.argv[1:] if not a.startswith('--')]
BIN = os.path.abspath(args[0] if args else os.path.join(REPO, 'target/release/minhbach'))
RUNS = 3
SCALE = 0.5 if '--small' in sys.argv else 1.0

AGENCY = """name: Sở Nội vụ thành phố Hà Nội
short_name: Sở Nội vụ Hà Nội
province: Hà Nội
level: tỉnh
sector: Nội vụ
"""
CONFIG = 'title = "Hình dạng"\n'


def report(body_yaml):
    return ("status: approved\napproved_by: Giám đốc\napproved_on: 2022-01-05\n"
            "agency: ha-noi/so-noi-vu\nkind: báo cáo\nyear: 2021\n"
            "title: \"Báo cáo thử\"\n" + body_yaml)


def quoted(text):
    return '"' + text.replace('\\', '\\\\').replace('"', '\\"') + '"'


def same_number_sections(n):
    """n sections all numbered "1." (a paste that lost its numbering)."""
    return report("sections:\n" + "".join(
        f"  - number: \"1.\"\n    title: \"Mục {i}\"\n    body: \"Nội dung {i}.\"\n" for i in range(n)))


def distinct_citations(n):
    """One paragraph citing n different documents."""
    text = " ".join(f"Thực hiện Kế hoạch số {i + 1}/KH-UBND ngày 05/03/2021 của Ủy ban nhân dân thành phố;"
                    for i in range(n))
    return report("sections:\n  - number: \"I.\"\n    title: \"Trích dẫn\"\n    body: " + quoted(text) + "\n")


EMPHASIS = "*a **b _c __d "


def nested_emphasis(kib):
    """`kib` KiB of unclosed and nested emphasis, in sections of 256 KiB (a
    text may hold 1 MiB)."""
    section = quoted(EMPHASIS * (256 * 1024 // len(EMPHASIS)))
    return report("sections:\n" + "".join(
        f"  - number: \"{i + 1}.\"\n    title: \"Mục {i}\"\n    body: {section}\n" for i in range(kib // 256)))


def one_nested_emphasis(kib):
    """One opening of `kib` KiB of unclosed and nested emphasis."""
    return report("intro: " + quoted(EMPHASIS * (kib * 1024 // len(EMPHASIS))) + "\n")


def many_figures(n):
    """One report stating n figures."""
    return report("metrics:\n" + "".join(
        f"  - indicator: so-lieu\n    value: {i}\n    period: 2021\n    stated: \"{i:,}\"\n".replace(",", ".")
        for i in range(n)))


def long_table(rows):
    """One appendix table of `rows` rows of 8 cells."""
    body = "".join("      - [" + ", ".join(f"\"ô {r}.{c}\"" for c in range(8)) + "]\n" for r in range(rows))
    return report("tables:\n  - title: \"Bảng dài\"\n    rows:\n" + body)


INDICATORS = """- id: so-lieu
  label: Số liệu
  unit: ""
  group: Thử
  better: higher
"""


def make_site(root, report_yaml, static_mib=0):
    os.makedirs(os.path.join(root, 'content/agencies/ha-noi'))
    os.makedirs(os.path.join(root, 'content/reports/ha-noi/so-noi-vu'))
    with open(os.path.join(root, 'config.toml'), 'w') as f:
        f.write(CONFIG)
    with open(os.path.join(root, 'content/agencies/ha-noi/so-noi-vu.yaml'), 'w') as f:
        f.write(AGENCY)
    with open(os.path.join(root, 'content/indicators.yaml'), 'w') as f:
        f.write(INDICATORS)
    with open(os.path.join(root, 'content/reports/ha-noi/so-noi-vu/2021-bao-cao.yaml'), 'w') as f:
        f.write(report_yaml)
    if static_mib:
        os.makedirs(os.path.join(root, 'static'))
        with open(os.path.join(root, 'static/video.bin'), 'wb') as f:
            chunk = os.urandom(1 << 20)
            for _ in range(static_mib):
                f.write(chunk)


def run(root):
    """Builds the site at root; returns (seconds, user CPU seconds, peak MiB,
    exit code, its first problem)."""
    start = time.time()
    proc = subprocess.Popen([BIN, 'build'], cwd=root, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    err = proc.stderr.read().decode('utf-8', 'replace').strip().splitlines()
    proc.stderr.close()
    _, status, usage = os.wait4(proc.pid, 0)
    code = os.waitstatus_to_exitcode(status)
    first = next((l for l in err if ': ' in l and not l.startswith('error:')), err[-1] if err else '')
    return time.time() - start, usage.ru_utime, usage.ru_maxrss / 1024, code, first


SHAPES = [
    ("sections numbered alike", same_number_sections, 10000, 'sections'),
    ("distinct citations in one paragraph", distinct_citations, 4000, 'citations'),
    ("nested emphasis", nested_emphasis, 2048, 'KiB'),
    ("nested emphasis, over the limit", one_nested_emphasis, 2048, 'KiB'),
    ("figures in one report", many_figures, 10000, 'figures'),
    ("sections numbered alike, over the limit", same_number_sections, 40000, 'sections'),
    ("table rows", long_table, 6000, 'rows'),
    ("file in static/", None, 256, 'MiB'),
]


def main():
    print(f"minhbach: {BIN}")
    print(f"{'shape':<38} {'size':>13} {'wall s':>7} {'CPU s':>6} {'MiB':>5}"
          f"   {'size ×2':>13} {'wall s':>7} {'CPU s':>6} {'MiB':>5}   CPU ratio  memory ratio")
    for name, make, size, unit in SHAPES:
        size = max(1, int(size * SCALE))
        results = []
        for n in (size, 2 * size):
            root = tempfile.mkdtemp(prefix='minhbach-shape-')
            try:
                if make is None:
                    make_site(root, report(""), static_mib=n)
                else:
                    make_site(root, make(n))
                runs = sorted((run(root) for _ in range(RUNS)), key=lambda r: r[1])
                results.append((n,) + runs[len(runs) // 2])
            finally:
                shutil.rmtree(root, ignore_errors=True)
        (n1, t1, u1, m1, c1, e1), (n2, t2, u2, m2, c2, e2) = results
        line = (f"{name:<38} {n1:>8} {unit:<4}{t1:>7.2f} {u1:>6.2f} {m1:>5.0f}"
                f"   {n2:>8} {unit:<4}{t2:>7.2f} {u2:>6.2f} {m2:>5.0f}")
        if c1 or c2:
            print(line + f"   stopped at a limit: {e2 or e1}")
        else:
            print(line + f"   {u2 / max(u1, 1e-3):>9.2f}  {m2 / max(m1, 1):>12.2f}")


if __name__ == '__main__':
    main()
