#!/usr/bin/env bash
# Two builds measured alternately by ./emporium bench, each on a fresh platform of its own, in one run
# on one machine: A (a commit, checked out and built in a worktree) and B (this checkout, as built),
# in the order A B B A, so that a machine whose speed drifts during the run favours neither. Prints
# per run: the best rate held, accept and to-terminal p99 there, CPU per confirmed order at one rate
# both hold, and the database's ceiling; then the medians of each side and B / A.
#
#   tools/benchmark/side-by-side/alternate.sh <commit A> [bench arguments, default below]
#
# B must be built first (./emporium build). Results: .emporium/alternate/<time>/<n>-<A|B>/report.md.
# A's own benchmark code measures A, so both are measured the way each was designed to be.
set -euo pipefail
commit=${1:?the commit to compare this checkout with}; shift
args=("$@"); [ ${#args[@]} -eq 0 ] && args=(--quick --rates=5,10,20,30,40,60,80,110,150)
compare_at=${EMPORIUM_COMPARE_AT:-20}   # the rate at which CPU per order is compared
cd "$(dirname "$0")/../../.."
here=$PWD; out=$here/.emporium/alternate/$(date +%Y%m%d-%H%M%S); mkdir -p "$out"
a=$here/.emporium/alternate/checkout-$commit
[ -d "$a" ] || git worktree add -q "$a" "$commit"
(cd "$a" && ./emporium build) > "$out/build-A.log" 2>&1
n=0
for side in A B B A; do
  n=$((n + 1)); dir=$here; [ $side = A ] && dir=$a
  echo "$(date +%T) run $n: $side"
  (cd "$dir" && EMPORIUM_BENCH_RESULTS="$out/$n-$side" ./emporium bench "${args[@]}") > "$out/$n-$side.log" 2>&1 || true
done
python3 "$here/tools/benchmark/side-by-side/summarize.py" "$out" "$compare_at" | tee "$out/summary.md"
