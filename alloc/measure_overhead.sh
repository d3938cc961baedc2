#!/usr/bin/env bash
# Instruction-count overhead of //alloc:tracking on allocation-heavy work.
# Runs the same workload binary with and without tracking under callgrind
# (deterministic on these VMs, unlike wall-clock) and prints both totals and
# the overhead. Usage, from the repository root:
#   alloc/measure_overhead.sh [rounds]
set -euo pipefail
rounds="${1:-50}"
bazel build --config=opt //alloc:tracking_overhead_tracked //alloc:tracking_overhead_untracked >/dev/null 2>&1
bin="$(bazel info --config=opt bazel-bin 2>/dev/null)/alloc"
out="$(mktemp -d)"
trap 'rm -rf "$out"' EXIT
count() {
  valgrind --tool=callgrind --callgrind-out-file="$out/$1.out" "$bin/$1" "$rounds" >/dev/null 2>"$out/$1.log"
  grep -E '^(summary|totals):' "$out/$1.out" | head -1 | awk '{print $2}'
}
untracked=$(count tracking_overhead_untracked)
tracked=$(count tracking_overhead_tracked)
awk -v u="$untracked" -v t="$tracked" 'BEGIN {
  printf "untracked: %d instructions\ntracked:   %d instructions\noverhead:  %.3f%%\n", u, t, (t - u) * 100.0 / u }'
