#!/usr/bin/env bash
# Profile-guided optimisation, measured: builds minhbach instrumented, runs
# it on a training corpus, merges the profile and builds the binaries with
# it, into a target folder of their own (the usual `target/` is left as it
# is). The figures it gave are in bench/HISTORY.md (twenty-first entry).
#
# The training corpus is NOT the one the benchmarks measure: 300 synthetic
# reports from another seed (`minhbach-corpus --seed 2`), built into nothing
# and then rebuilt, and the example site in content/, so that a gain it
# shows in bench/run.sh is not the corpus learnt by heart.
#
#   bash bench/pgo.sh                    # → $WORK/pgo.profdata, $WORK/target-pgo
#   CARGO_TARGET_DIR=$WORK/target-pgo RUSTFLAGS="-Cprofile-use=$WORK/pgo.profdata" \
#     SIZES="1000 10000" bash bench/run.sh
#
# It needs llvm-profdata. rustc's own (rustup's llvm-tools) matches its LLVM
# but cannot be fetched on a machine without rustup's servers; Debian 12's
# llvm-19 reads the raw profiles of rustc 1.95 (LLVM 22) and writes an
# indexed profile it accepts (checked: the build takes it, and the binary's
# output is byte-identical to the usual build's).
#
# This is not how `cargo run --release` builds minhbach: it is what a
# release binary built this way would gain. WORK (default /tmp/minhbach-bench).
set -euo pipefail
cd "$(dirname "$0")/.."
WORK="${WORK:-/tmp/minhbach-bench}"
mkdir -p "$WORK"
# shellcheck source=bench/lib.sh
. bench/lib.sh

# The newest there is: Debian's unversioned `llvm` (14) cannot read these
# raw profiles ("unsupported instrumentation profile format version").
profdata=
for v in 22 21 20 19; do
  [ -x "/usr/lib/llvm-$v/bin/llvm-profdata" ] && profdata="/usr/lib/llvm-$v/bin/llvm-profdata" && break
done
if [ -z "$profdata" ]; then
  need llvm-profdata-19 llvm-19
  profdata=/usr/lib/llvm-19/bin/llvm-profdata
fi

raw="$WORK/pgo-raw"
rm -rf "$raw" "$WORK/pgo-train" "$WORK/pgo-train-out" "$WORK/pgo-example-out"
echo "instrumented build…" >&2
RUSTFLAGS="-Cprofile-generate=$raw" CARGO_TARGET_DIR="$WORK/target-pgo-gen" \
  cargo build --release --quiet --bins
gen="$WORK/target-pgo-gen/release"
"$gen/minhbach-corpus" --reports 300 --out "$WORK/pgo-train" --seed 2 >/dev/null
# Only minhbach's runs below are the profile: what the build scripts wrote
# while compiling and what the corpus generator wrote just now are removed.
rm -rf "$raw"
echo "training runs…" >&2
for _ in 1 2; do
  "$gen/minhbach" build --root "$WORK/pgo-train" --output "$WORK/pgo-train-out" >/dev/null 2>&1
  "$gen/minhbach" build --root . --output "$WORK/pgo-example-out" >/dev/null 2>&1
done
"$profdata" merge -o "$WORK/pgo.profdata" "$raw"
echo "build with the profile…" >&2
RUSTFLAGS="-Cprofile-use=$WORK/pgo.profdata" CARGO_TARGET_DIR="$WORK/target-pgo" \
  cargo build --release --quiet --bins
echo "$WORK/target-pgo/release/minhbach (profile $WORK/pgo.profdata)"
