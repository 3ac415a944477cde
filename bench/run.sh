#!/usr/bin/env bash
# Build-speed benchmark: minhbach against Hugo, and against Hugo + Pagefind
# (the pair a user would otherwise run for the same searchable site), on the
# same SYNTHETIC corpus.
#
# For each N in $SIZES (default 1000 5000 10000 50000; Hugo up to $HUGO_MAX),
# generates the corpus once (minhbach site + Hugo twin), times each tool's
# first build into nothing (the `cold` line), brings minhbach to the state
# its rebuilds are in (one untimed build: it writes into its previous-but-one
# output and swaps; Hugo and Pagefind overwrite in place), then rebuilds
# $RUNS times with each tool, alternating, and prints the median of: wall
# time, CPU time, peak RSS, pages written, output bytes, pages per second,
# the ratio minhbach/Hugo measured in the same run, and the I/O floor (cp -r
# of the input and of the output) with minhbach's ratio to it. Above
# $HUGO_MAX, only minhbach runs, from nothing, and vs_hugo compares with
# Hugo's first build at $HUGO_MAX scaled by N/$HUGO_MAX (marked *). Pagefind (npm
# `pagefind`, bench/node_modules) indexes Hugo's output after each Hugo run;
# vs_h+pf is minhbach's time over Hugo's plus Pagefind's (target 0.2),
# vs_hugo over Hugo's alone (target 1.0), vs_floor over copying the input
# and the output (target 3 at 10,000), out/in the output's bytes over the
# report YAML's (target 5; bench/bytes.py prints the floor under it). The `parse` line is the other floor: reading
# and parsing the reports with the loader's parser, and nothing else
# (`minhbach-floor`). The `no-pages` line (up to $HUGO_MAX) is minhbach's
# build without its HTML pages, timed alternating with the others: what the
# build costs before its first page (`minhbach-floor --without-pages`).
# ms/report and, when 5000 and 50000 both run, the
# ratio of their times per report show whether the build scales linearly.
# The binaries are cargo's release build in CARGO_TARGET_DIR (default
# target/), built with the RUSTFLAGS given: bench/pgo.sh makes a profile and
# says how to measure the binary built with it.
set -euo pipefail
cd "$(dirname "$0")/.."
SIZES="${SIZES:-1000 5000 10000 50000}"
HUGO_MAX="${HUGO_MAX:-10000}"
RUNS="${RUNS:-3}"
# Runs above $HUGO_MAX (minhbach only), e.g. RUNS_LARGE=1 to save time.
WORK="${WORK:-/tmp/minhbach-bench}"
mkdir -p "$WORK"

# shellcheck source=bench/lib.sh
. bench/lib.sh
need hugo hugo
[ -x bench/node_modules/.bin/pagefind ] || npm ci --prefix bench --no-audit --no-fund --loglevel=error
PAGEFIND=bench/node_modules/.bin/pagefind
cargo build --release --quiet --bins
# The binaries cargo just built: in CARGO_TARGET_DIR when it is set (as for
# a build with a profile, bench/pgo.sh), else in target/.
BIN="${CARGO_TARGET_DIR:-./target}/release"
MB="$BIN/minhbach"
echo "# minhbach: $MB${RUSTFLAGS:+ (RUSTFLAGS=$RUSTFLAGS)}"

# measure LABEL CMD… → prints "wall cpu rss_kb" of one run.
measure() {
  local f
  f=$(mktemp)
  /usr/bin/time -o "$f" -f "%e %U %S %M" "$@" >/dev/null 2>&1
  awk '{printf "%.2f %.2f %d\n", $1, $2 + $3, $4}' "$f"
  rm -f "$f"
}
# Moves every build output under $WORK aside and lets the disk settle. It
# deleted them once: ext4 frees a deleted tree's inodes lazily, and a build
# started right after deleting a 12 GB output waited on it (283.8 s instead
# of 186 s at 50,000). They now go into $TRASH, removed only when the bench
# ends. This disk's ext4 has no journal, and there the inode allocator
# steps over every inode freed in the last minute (`recently_deleted` in
# fs/ext4/ialloc.c: 60 s, 360 s while the inode table is not yet written
# back), one at a time, for every file it creates. A first build just after
# the removal of the last size's outputs (tens of thousands of files)
# measured that, not the tool: minhbach's first build at 1,000 reports
# took 2.8 s of system time, 12% of its samples in `recently_deleted` and
# 16% in `find_get_block_common` under `find_inode_bit`, against 0.9-1.0 s
# of system time into a fresh folder with no removal in the minute before
# (2.09 and 2.42 s of wall time against 3.45). Hugo and Pagefind create
# their files after it and paid a share of the same. A fresh clone or a CI
# runner has no such inodes.
TRASH="$WORK/trash.$$"
trap 'rm -rf "$TRASH"' EXIT
# A signal ends the script through `exit`, so the EXIT trap runs then too.
trap 'exit 130' INT
trap 'exit 143' TERM
set_aside() {
  mkdir -p "$TRASH"
  local d
  for d in "$@"; do
    if [ -e "$d" ]; then
      mv "$d" "$TRASH/$(date +%s%N)-${d##*/}"
    fi
  done
}
clean_outputs() {
  set_aside "$WORK"/out-* "$WORK"/.out-*.minhbach-* "$WORK"/nopages-* "$WORK"/.nopages-*.minhbach-* "$WORK"/hugo-out-* "$WORK"/floor "$WORK"/floor-in
  sync
  sleep 5
}
median() { sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }
pages() { find "$1" -name '*.html' | wc -l; }
bytes() { du -sb "$1" | cut -f1; }

printf '%-7s %-9s %9s %9s %9s %8s %10s %9s %9s %9s %9s %7s %10s\n' N tool wall_s cpu_s rss_MB pages out_MB pages/s vs_hugo vs_h+pf vs_floor out/in ms/report
hugo_at_max=""
# Milliseconds per report of a first build into nothing, by N (above
# $HUGO_MAX the first timed run is one), so that linearity compares like
# with like.
declare -A per_report=()
for N in $SIZES; do
  site="$WORK/site-$N"
  hugo_site="$WORK/hugo-$N"
  with_hugo=$(( N <= HUGO_MAX ))
  if [ ! -f "$site/config.toml" ]; then
    rm -rf "$site" "$hugo_site"
    if [ "$with_hugo" = 1 ]; then
      "$BIN/minhbach-corpus" --reports "$N" --out "$site" --hugo "$hugo_site" --seed 1
    else
      "$BIN/minhbach-corpus" --reports "$N" --out "$site" --seed 1
    fi
  fi
  declare -a mw=() mc=() mr=() hw=() hc=() hr=() pw=() pc=() pr=() hpw=() nw=()
  clean_outputs
  runs="$RUNS"
  if [ "$with_hugo" = 1 ]; then
    # Cold: each tool's first build, into nothing (a fresh clone, a CI
    # deploy). Every file and folder is a new inode, which on this disk's
    # ext4 costs far more than rewriting one.
    read -r cold_m _ _ < <(measure "$MB" build --root "$site" --output "$WORK/out-$N")
    read -r cold_h _ _ < <(measure hugo --source "$hugo_site" --destination "$WORK/hugo-out-$N" --quiet)
    read -r cold_p _ _ < <(measure "$PAGEFIND" --site "$WORK/hugo-out-$N")
    # minhbach builds into its previous-but-one output (the staging folder
    # beside the output) and swaps, so it reaches the state it is in from
    # then on with its second build; Hugo and Pagefind overwrite in place
    # and are there after their first. One untimed build brings minhbach
    # there too: the timed runs below are rebuilds, as in use.
    "$MB" build --root "$site" --output "$WORK/out-$N" >/dev/null 2>&1
    # The same build without its HTML pages (`minhbach-floor
    # --without-pages`: loading, checking, the search index, the downloads,
    # the feeds, the assets, the record and the swap), brought to its
    # rebuild state the same way and timed in the same alternation: what a
    # build costs before its first page.
    for _ in 1 2; do
      "$BIN/minhbach-floor" --without-pages "$site" "$WORK/nopages-$N" >/dev/null 2>&1
    done
  else
    runs="${RUNS_LARGE:-$RUNS}"
  fi
  for run in $(seq "$runs"); do
    read -r w c r < <(measure "$MB" build --root "$site" --output "$WORK/out-$N")
    mw+=("$w"); mc+=("$c"); mr+=("$r")
    if [ "$with_hugo" = 1 ]; then
      # Right after minhbach's rebuild, which leaves little to write back:
      # after Pagefind's hundreds of MB it measured the disk (15.08 s at
      # 10,000 in a run where it took 8.2 s alone).
      read -r w _ _ < <(measure "$BIN/minhbach-floor" --without-pages "$site" "$WORK/nopages-$N")
      nw+=("$w")
      read -r w c r < <(measure hugo --source "$hugo_site" --destination "$WORK/hugo-out-$N" --quiet)
      hw+=("$w"); hc+=("$c"); hr+=("$r")
      hugo_w="$w"
      # Pagefind indexes what Hugo wrote (into its pagefind/ folder).
      read -r w c r < <(measure "$PAGEFIND" --site "$WORK/hugo-out-$N")
      pw+=("$w"); pc+=("$c"); pr+=("$r")
      hpw+=("$(echo "$hugo_w + $w" | bc)")
    fi
  done
  # The parse floor: reading and parsing every report with the loader's
  # parser (serde-saphyr) on every core, and nothing else.
  read -r _ _ parse < <("$BIN/minhbach-floor" "$site")
  # The I/O floor: copying the input and the output once, after the
  # builds' pending writes are on disk (else the copy waits on them).
  rm -rf "$WORK/floor"
  sync
  t0=$(date +%s.%N)
  cp -r "$site/content" "$WORK/floor-in" && cp -r "$WORK/out-$N" "$WORK/floor"
  floor=$(echo "$(date +%s.%N) - $t0" | bc)
  set_aside "$WORK/floor" "$WORK/floor-in"

  m_w=$(printf '%s\n' "${mw[@]}" | median); m_c=$(printf '%s\n' "${mc[@]}" | median); m_r=$(printf '%s\n' "${mr[@]}" | median)
  m_pages=$(pages "$WORK/out-$N"); m_bytes=$(bytes "$WORK/out-$N")
  in_bytes=$(bytes "$site/content/reports")
  out_in=$(echo "scale=2; $m_bytes / $in_bytes" | bc)
  pair="-"
  if [ "$with_hugo" = 1 ]; then
    h_w=$(printf '%s\n' "${hw[@]}" | median); h_c=$(printf '%s\n' "${hc[@]}" | median); h_r=$(printf '%s\n' "${hr[@]}" | median)
    h_pages=$(pages "$WORK/hugo-out-$N"); h_bytes=$(bytes "$WORK/hugo-out-$N")
    ratio=$(echo "scale=3; $m_w / $h_w" | bc)
    p_w=$(printf '%s\n' "${pw[@]}" | median); p_c=$(printf '%s\n' "${pc[@]}" | median); p_r=$(printf '%s\n' "${pr[@]}" | median)
    hp_w=$(printf '%s\n' "${hpw[@]}" | median)
    pair=$(echo "scale=3; $m_w / $hp_w" | bc)
    # Above $HUGO_MAX minhbach builds into nothing: compared with the same.
    if [ "$N" = "$HUGO_MAX" ]; then hugo_at_max="$cold_h"; fi
  elif [ -n "$hugo_at_max" ]; then
    ratio="$(echo "scale=3; $m_w / ($hugo_at_max * $N / $HUGO_MAX)" | bc)*"
  else
    ratio="-"
  fi
  if [ "$with_hugo" = 1 ]; then
    per_report[$N]=$(echo "scale=3; $cold_m * 1000 / $N" | bc)
  else
    per_report[$N]=$(echo "scale=3; ${mw[0]} * 1000 / $N" | bc)
  fi
  printf '%-7s %-9s %9s %9s %9d %8d %10d %9.0f %9s %9s %9.2f %7s %10s\n' "$N" minhbach "$m_w" "$m_c" $((m_r / 1024)) "$m_pages" $((m_bytes / 1000000)) "$(echo "$m_pages / $m_w" | bc -l)" "$ratio" "$pair" "$(echo "$m_w / $floor" | bc -l)" "$out_in" "$(echo "scale=3; $m_w * 1000 / $N" | bc)"
  if [ "$with_hugo" = 1 ]; then
    printf '%-7s %-9s %9s %9s %9d %8d %10d %9.0f %9s %9s\n' "$N" hugo "$h_w" "$h_c" $((h_r / 1024)) "$h_pages" $((h_bytes / 1000000)) "$(echo "$h_pages / $h_w" | bc -l)" 1 -
    printf '%-7s %-9s %9s %9s %9d %8s %10d\n' "$N" pagefind "$p_w" "$p_c" $((p_r / 1024)) - $(( $(bytes "$WORK/hugo-out-$N/pagefind") / 1000000 ))
    printf '%-7s %-9s %9s   (Hugo + Pagefind, median of the sums)\n' "$N" "hugo+pf" "$hp_w"
    n_w=$(printf '%s\n' "${nw[@]}" | median)
    printf '%-7s %-9s %9s   (minhbach without its HTML pages; vs_h+pf %.3f)\n' "$N" "no-pages" "$n_w" "$(echo "$n_w / $hp_w" | bc -l)"
  fi
  printf '%-7s %-9s %9.2f   (cp -r of input and output)\n' "$N" floor "$floor"
  printf '%-7s %-9s %9.2f   (reading and parsing the reports only; with the copy: %.2f)\n' "$N" parse "$parse" "$(echo "$floor + $parse" | bc)"
  if [ "$with_hugo" = 1 ]; then
    printf '%-7s %-9s %9s   (first builds, into nothing: Hugo %s, Pagefind %s; vs_hugo %.3f, vs_h+pf %.3f)\n' "$N" "cold" "$cold_m" "$cold_h" "$cold_p" "$(echo "$cold_m / $cold_h" | bc -l)" "$(echo "$cold_m / ($cold_h + $cold_p)" | bc -l)"
  fi
  echo "        minhbach CPU/wall: $(echo "scale=2; $m_c / $m_w" | bc)"
  # Where the output's bytes are (the out/in target): MB and files per
  # top-level folder, largest first.
  echo "        minhbach output by folder (MB, files): $(
    for d in "$WORK/out-$N"/*/; do
      printf '%s %d %d\n' "$(basename "$d")" $(( $(bytes "$d") / 1000000 )) "$(find "$d" -type f | wc -l)"
    done | sort -k2,2nr | awk '{printf "%s%s %d (%d)", (NR > 1 ? ", " : ""), $1, $2, $3}')"
  # The floor under out/in: the pages' text, their links, the downloads and
  # the search index, with no other markup (bench/bytes.py; file bytes,
  # where out/in above counts folders too, as `du` does).
  python3 bench/bytes.py "$WORK/out-$N" "$site/content/reports" | sed 's/^/        /'
done
clean_outputs
if [ -n "${per_report[5000]:-}" ] && [ -n "${per_report[50000]:-}" ]; then
  echo "time per report of a first build into nothing, 50000 against 5000: $(echo "scale=2; ${per_report[50000]} / ${per_report[5000]}" | bc) (target at most 1.2)"
fi
