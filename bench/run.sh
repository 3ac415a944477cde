#!/usr/bin/env bash
# Build-speed benchmark: minhbach against Hugo, and against Hugo + Pagefind
# (the pair a user would otherwise run for the same searchable site), on the
# same SYNTHETIC corpus.
#
# For each N in $SIZES (default 1000 5000 10000 50000; Hugo up to $HUGO_MAX),
# generates the corpus once (minhbach site + Hugo twin), then builds it
# $RUNS times with each tool, alternating, and prints the median of: wall
# time, CPU time, peak RSS, pages written, output bytes, pages per second,
# the ratio minhbach/Hugo measured in the same run, and the I/O floor (cp -r
# of the input and of the output) with minhbach's ratio to it. Above
# $HUGO_MAX, vs_hugo compares with Hugo's time at $HUGO_MAX scaled by
# N/$HUGO_MAX (marked *). Pagefind (npm `pagefind`, bench/node_modules)
# indexes Hugo's output after each Hugo run; vs_h+pf is minhbach's time over
# Hugo's plus Pagefind's (target 0.2), vs_hugo over Hugo's alone (target
# 1.0), vs_floor over copying the input and the output (target 3 at
# 10,000), out/in the output's bytes over the report YAML's (target 5).
# ms/report and, when 5000 and 50000 both run, the ratio of their times per
# report show whether the build scales linearly.
set -euo pipefail
cd "$(dirname "$0")/.."
SIZES="${SIZES:-1000 5000 10000 50000}"
HUGO_MAX="${HUGO_MAX:-10000}"
RUNS="${RUNS:-3}"
# Runs above $HUGO_MAX (minhbach only), e.g. RUNS_LARGE=1 to save time.
WORK="${WORK:-/tmp/minhbach-bench}"
mkdir -p "$WORK"

as_root() { if [ "$(id -u)" = 0 ]; then "$@"; else sudo "$@"; fi; }
if ! command -v hugo >/dev/null; then
  echo "installing Hugo (Debian package hugo)…" >&2
  as_root env DEBIAN_FRONTEND=noninteractive apt-get update -qq
  as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq hugo >/dev/null
fi
[ -x bench/node_modules/.bin/pagefind ] || npm ci --prefix bench --no-audit --no-fund --loglevel=error
PAGEFIND=bench/node_modules/.bin/pagefind
cargo build --release --quiet --bins
MB=./target/release/minhbach

# measure LABEL CMD… → prints "wall cpu rss_kb" of one run.
measure() {
  local f
  f=$(mktemp)
  /usr/bin/time -o "$f" -f "%e %U %S %M" "$@" >/dev/null 2>&1
  awk '{printf "%.2f %.2f %d\n", $1, $2 + $3, $4}' "$f"
  rm -f "$f"
}
# Deletes every build output under $WORK and lets the disk settle: ext4
# frees a deleted tree's inodes lazily, and a build started right after
# deleting a 12 GB output waited on it (283.8 s instead of 186 s at 50,000).
clean_outputs() {
  rm -rf "$WORK"/out-* "$WORK"/.out-*.minhbach-* "$WORK"/hugo-out-* "$WORK"/floor "$WORK"/floor-in
  sync
  sleep 5
}
median() { sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }
pages() { find "$1" -name '*.html' | wc -l; }
bytes() { du -sb "$1" | cut -f1; }

printf '%-7s %-9s %9s %9s %9s %8s %10s %9s %9s %9s %9s %7s %10s\n' N tool wall_s cpu_s rss_MB pages out_MB pages/s vs_hugo vs_h+pf vs_floor out/in ms/report
hugo_at_max=""
declare -A per_report=()
for N in $SIZES; do
  site="$WORK/site-$N"
  hugo_site="$WORK/hugo-$N"
  with_hugo=$(( N <= HUGO_MAX ))
  if [ ! -f "$site/config.toml" ]; then
    rm -rf "$site" "$hugo_site"
    if [ "$with_hugo" = 1 ]; then
      ./target/release/minhbach-corpus --reports "$N" --out "$site" --hugo "$hugo_site" --seed 1
    else
      ./target/release/minhbach-corpus --reports "$N" --out "$site" --seed 1
    fi
  fi
  declare -a mw=() mc=() mr=() hw=() hc=() hr=() pw=() pc=() pr=() hpw=()
  clean_outputs
  runs="$RUNS"
  if [ "$with_hugo" = 0 ]; then runs="${RUNS_LARGE:-$RUNS}"; fi
  for run in $(seq "$runs"); do
    read -r w c r < <(measure "$MB" build --root "$site" --output "$WORK/out-$N")
    mw+=("$w"); mc+=("$c"); mr+=("$r")
    if [ "$with_hugo" = 1 ]; then
      # Both tools rebuild over their previous output, as they do in use
      # (Hugo overwrites in place; minhbach overwrites its previous-but-one
      # output and swaps). The first run of each starts from nothing.
      read -r w c r < <(measure hugo --source "$hugo_site" --destination "$WORK/hugo-out-$N" --quiet)
      hw+=("$w"); hc+=("$c"); hr+=("$r")
      hugo_w="$w"
      # Pagefind indexes what Hugo wrote (into its pagefind/ folder).
      read -r w c r < <(measure "$PAGEFIND" --site "$WORK/hugo-out-$N")
      pw+=("$w"); pc+=("$c"); pr+=("$r")
      hpw+=("$(echo "$hugo_w + $w" | bc)")
    fi
  done
  # The I/O floor: copying the input and the output once.
  rm -rf "$WORK/floor"
  t0=$(date +%s.%N)
  cp -r "$site/content" "$WORK/floor-in" && cp -r "$WORK/out-$N" "$WORK/floor"
  floor=$(echo "$(date +%s.%N) - $t0" | bc)
  rm -rf "$WORK/floor" "$WORK/floor-in"

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
    if [ "$N" = "$HUGO_MAX" ]; then hugo_at_max="$h_w"; fi
  elif [ -n "$hugo_at_max" ]; then
    ratio="$(echo "scale=3; $m_w / ($hugo_at_max * $N / $HUGO_MAX)" | bc)*"
  else
    ratio="-"
  fi
  per_report[$N]=$(echo "scale=3; $m_w * 1000 / $N" | bc)
  printf '%-7s %-9s %9s %9s %9d %8d %10d %9.0f %9s %9s %9.2f %7s %10s\n' "$N" minhbach "$m_w" "$m_c" $((m_r / 1024)) "$m_pages" $((m_bytes / 1000000)) "$(echo "$m_pages / $m_w" | bc -l)" "$ratio" "$pair" "$(echo "$m_w / $floor" | bc -l)" "$out_in" "${per_report[$N]}"
  if [ "$with_hugo" = 1 ]; then
    printf '%-7s %-9s %9s %9s %9d %8d %10d %9.0f %9s %9s\n' "$N" hugo "$h_w" "$h_c" $((h_r / 1024)) "$h_pages" $((h_bytes / 1000000)) "$(echo "$h_pages / $h_w" | bc -l)" 1 -
    printf '%-7s %-9s %9s %9s %9d %8s %10d\n' "$N" pagefind "$p_w" "$p_c" $((p_r / 1024)) - $(( $(bytes "$WORK/hugo-out-$N/pagefind") / 1000000 ))
    printf '%-7s %-9s %9s   (Hugo + Pagefind, median of the sums)\n' "$N" "hugo+pf" "$hp_w"
  fi
  printf '%-7s %-9s %9.2f   (cp -r of input and output)\n' "$N" floor "$floor"
  echo "        minhbach CPU/wall: $(echo "scale=2; $m_c / $m_w" | bc)"
done
clean_outputs
if [ -n "${per_report[5000]:-}" ] && [ -n "${per_report[50000]:-}" ]; then
  echo "time per report, 50000 against 5000: $(echo "scale=2; ${per_report[50000]} / ${per_report[5000]}" | bc) (target at most 1.2)"
fi
