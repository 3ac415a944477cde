#!/usr/bin/env python3
"""Live-preview benchmark: how long after an edit `minhbach serve` serves
the changed page, on the synthetic corpus at each size in $SIZES (default
1000 10000). For each size it starts the preview once, then edits $EDITS
reports one after another (a new title each time), and times from the
file's write to the first HTTP answer holding the new title (polling every
5 ms). Prints the median and the slowest, the rebuild time the server
reports, the time it then takes to write the large files it leaves for
after the pages (site-wide downloads), and the ratio to the target (1 s at
10,000 reports, 300 ms at 1,000). Each edit waits until the preview is
idle, as an editor's next save does. Usage: python3 bench/serve.py  (SIZES, EDITS, WORK in the env)."""
import os, re, statistics, subprocess, sys, threading, time, urllib.request, queue

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
SIZES = [int(s) for s in os.environ.get("SIZES", "1000 10000").split()]
EDITS = int(os.environ.get("EDITS", "7"))
WORK = os.environ.get("WORK", "/tmp/minhbach-bench-serve")
TARGET = {1000: 0.3, 10000: 1.0}

subprocess.run(["cargo", "build", "--release", "--quiet", "--bins"], cwd=ROOT, check=True)
MB = os.path.join(ROOT, "target/release/minhbach")
CORPUS = os.path.join(ROOT, "target/release/minhbach-corpus")


def corpus(n):
    site = os.path.join(WORK, f"c{n}")
    if not os.path.isdir(os.path.join(site, "content")):
        subprocess.run([CORPUS, "--reports", str(n), "--seed", "1", "--out", site],
                       check=True, stdout=subprocess.DEVNULL)
    return site


def reports(site, k):
    out = []
    for d, _, files in os.walk(os.path.join(site, "content/reports")):
        for f in sorted(files):
            if f.endswith(".yaml"):
                out.append(os.path.join(d, f))
    out.sort()
    step = max(1, len(out) // k)
    return out[::step][:k]


def get(url):
    try:
        with urllib.request.urlopen(url, timeout=5) as r:
            return r.read().decode("utf-8", "replace")
    except Exception:
        return ""


print(f"{'reports':>8} {'edits':>5} {'median':>9} {'slowest':>9} {'rebuild':>9} {'large':>9} {'target':>7} {'ratio':>6}")
for n in SIZES:
    site = corpus(n)
    server = subprocess.Popen([MB, "serve", "--port", "0"], cwd=site, stdout=subprocess.PIPE,
                              stderr=subprocess.STDOUT, text=True)
    lines = queue.Queue()
    threading.Thread(target=lambda: [lines.put(l) for l in server.stdout], daemon=True).start()
    url = None
    while url is None:
        line = lines.get(timeout=600)
        m = re.search(r"http://\S+", line)
        if m:
            url = m.group(0)
    took, rebuilt, large = [], [], []
    for k, path in enumerate(reports(site, EDITS)):
        rel = os.path.relpath(path, os.path.join(site, "content/reports"))[:-5]
        page = f"{url}bao-cao/{rel}/index.html"
        title = f"Tiêu đề đo lần {k} {time.time_ns()}"
        text = open(path, encoding="utf-8").read()
        text = re.sub(r"(?m)^title:.*$", "title: " + '"' + title + '"', text, count=1)
        while not lines.empty():
            lines.get()
        start = time.perf_counter()
        with open(path, "w", encoding="utf-8") as f:
            f.write(text)
        while title not in get(page):
            if time.perf_counter() - start > 60:
                sys.exit(f"{page} never showed the edit")
            time.sleep(0.005)
        took.append(time.perf_counter() - start)
        while True:
            line = lines.get(timeout=60)
            m = re.search(r"rebuilt .* in (\d+) ms", line)
            if m:
                rebuilt.append(int(m.group(1)) / 1000)
                break
        # The large files (site-wide downloads) are written after the pages:
        # the next edit comes once the preview is idle, as an editor's next
        # save does, not while it is still writing them.
        try:
            while True:
                line = lines.get(timeout=5)
                m = re.search(r"wrote (\d+) large files in (\d+) ms", line)
                if m:
                    large.append(int(m.group(2)) / 1000)
                    break
        except queue.Empty:
            pass
    server.terminate()
    server.wait()
    med = statistics.median(took)
    target = TARGET.get(n)
    ratio = f"{med / target:.2f}" if target else "-"
    print(f"{n:>8} {len(took):>5} {med * 1000:>7.0f}ms {max(took) * 1000:>7.0f}ms "
          f"{statistics.median(rebuilt) * 1000:>7.0f}ms "
          f"{(statistics.median(large) * 1000 if large else 0):>7.0f}ms "
          f"{target * 1000 if target else 0:>5.0f}ms {ratio:>6}")
