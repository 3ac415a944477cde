#!/usr/bin/env bash
# Instructions executed by a build, counted by Valgrind's cachegrind: an A/B
# of two builds of minhbach that the machine's noise cannot blur. On the
# 2-core VMs this project is developed on, wall and CPU times of the same
# binary vary by 10-20% from one run to the next and the VM exposes no
# hardware counters (`perf stat -e instructions` is "not supported"), so a
# change worth 1-3% cannot be seen by timing it. Instruction counts of a
# `--jobs 1` build differ from run to run by less than 0.1% (measured:
# 0.04% and 0.06% for the same binaries on the same corpus).
#
# Usage: bench/instructions.sh [BIN…]   (default: target/release/minhbach)
# Environment: N (reports in the synthetic corpus, default 200), WORK,
# TOP (functions listed for the first binary, default 15).
#
# For each binary it builds the corpus once untimed (to the state a rebuild
# is in), then once under cachegrind with `--jobs 1`, and prints the
# instructions in total, without SHA-256 (Valgrind's virtual CPU has no
# SHA-NI, so `sha2` falls back to its software rounds there: 38% of the
# count, against about 4% of a real build's time), and the ratio of each to
# the first binary's; then whether each output is byte-identical to the
# first's, and the first binary's most expensive functions (self count).
# Counts are instructions, not time: a change that trades instructions for
# memory traffic or branch misses still needs a timed check (bench/run.sh).
set -euo pipefail
cd "$(dirname "$0")/.."
N="${N:-200}"
WORK="${WORK:-/tmp/minhbach-instructions}"
TOP="${TOP:-15}"
mkdir -p "$WORK"

# shellcheck source=bench/lib.sh
. bench/lib.sh
need valgrind valgrind
cargo build --release --quiet --bins
[ "$#" -gt 0 ] || set -- ./target/release/minhbach

site="$WORK/site-$N"
[ -d "$site/content" ] || ./target/release/minhbach-corpus --reports "$N" --out "$site" --seed 1 >/dev/null

printf '%-4s %-40s %15s %15s %8s %8s %s\n' k binary instructions without_sha ratio ratio_ns output
first_total="" first_rest="" first_out=""
k=0
for bin in "$@"; do
  k=$((k + 1))
  out="$WORK/out-$k"
  cg="$WORK/cachegrind-$k.out"
  "$bin" build -q --jobs 1 --root "$site" --output "$out" >/dev/null 2>&1
  valgrind --tool=cachegrind --cache-sim=no --cachegrind-out-file="$cg" \
    "$bin" build -q --jobs 1 --root "$site" --output "$out" >/dev/null 2>&1
  # The summary line holds the total; SHA-256's software rounds are the
  # functions named sha2::sha256::…compress….
  total=$(awk '/^summary:/ {print $2}' "$cg")
  sha=$(cg_annotate "$cg" 2>/dev/null | awk '/sha2::sha256::.*compress/ {gsub(",", "", $1); s += $1} END {printf "%.0f\n", s}')
  rest=$((total - sha))
  if [ -z "$first_total" ]; then
    first_total=$total first_rest=$rest first_out=$out same="(first)"
  elif diff -r -q "$first_out" "$out" >/dev/null; then
    same="identical"
  else
    same="DIFFERS"
  fi
  printf '%-4s %-40s %15d %15d %8.4f %8.4f %s\n' "$k" "$bin" "$total" "$rest" \
    "$(echo "$total / $first_total" | bc -l)" "$(echo "$rest / $first_rest" | bc -l)" "$same"
done
echo
echo "most instructions (self) in the first binary's build of $N reports:"
cg_annotate "$WORK/cachegrind-1.out" 2>/dev/null | grep -E '^ *[0-9,]+ \( *[0-9.]+%\)  ' | sed -n "2,$((TOP + 1))p"
