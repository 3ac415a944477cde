#!/usr/bin/env bash
# Search benchmark (issue: Vietnamese full-text search at 10,000 reports):
# generates a SYNTHETIC corpus of N reports (default 10,000), builds it, and
# prints what two-syllable queries load and how fast results appear in
# headless Chromium from file:// — against the budget — and, with
# PAGEFIND=1 (the default), Pagefind on the same site over HTTP.
set -euo pipefail
cd "$(dirname "$0")/.."
N="${N:-10000}"
WORK="${WORK:-/tmp/minhbach-bench}"
PAGEFIND="${PAGEFIND:-1}"

if [ ! -x "${CHROMIUM:-/usr/bin/chromium}" ]; then
  echo "installing Chromium…"
  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null
fi
[ -d bench/node_modules/playwright-core ] || npm ci --prefix bench --no-audit --no-fund --loglevel=error
cargo build --release --quiet --bins

site="$WORK/search-$N"
if [ ! -f "$site/config.toml" ]; then
  rm -rf "$site"
  ./target/release/minhbach-corpus --reports "$N" --out "$site" --seed 1
fi
./target/release/minhbach build --root "$site" 2>/dev/null
args=("$site/public")
[ "$PAGEFIND" = 1 ] && args+=(--pagefind)
node bench/search.mjs "${args[@]}"
