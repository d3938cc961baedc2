#!/usr/bin/env bash
# The tokenizer benchmark of issue 5, in one run on one corpus: ctxmem's exact
# o200k counting (Google Benchmark, //context/tokenizer:encoding_benchmark)
# beside npm tiktoken (WASM), js-tiktoken and gpt-tokenizer (Node.js), with
# ratios, 2-thread scaling, resident memory and load time per encoding.
#
#   bash scripts/bench_tokenizer.sh [--size-mb=4] [--seed=1]
set -euo pipefail
cd "$(dirname "$0")/.."
size_mb=4; seed=1
for arg in "$@"; do
  case "$arg" in
    --size-mb=*) size_mb="${arg#*=}" ;;
    --seed=*) seed="${arg#*=}" ;;
    *) echo "usage: $0 [--size-mb=N] [--seed=N]" >&2; exit 2 ;;
  esac
done
bash scripts/setup.sh >/dev/null
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT

bazel build --config=opt //context/tokenizer:encoding_benchmark
bin="$(bazel info --config=opt bazel-bin)/context/tokenizer/encoding_benchmark"
node tools/node/corpus.mjs --seed="$seed" --size-mb="$size_mb" --category=all >"$work/corpus.jsonl"

echo "=== npm peers (Node.js $(node --version))" >&2
node tools/node/bench_peers.mjs --json --encoding=o200k_base --seed="$seed" --size-mb="$size_mb" \
  --reps=3 --adv-timeout-s=10 >"$work/peers.json"
echo "=== ctxmem" >&2
CTXMEM_TOKENIZER_CORPUS="$work/corpus.jsonl" "$bin" \
  --benchmark_filter='BM_CountRealistic_O200k|BM_AdversarialDocument_O200k' \
  --benchmark_repetitions=3 --benchmark_format=json >"$work/ctxmem.json" 2>"$work/ctxmem.err"
grep -E '^(o200k|cl100k)_base:' "$work/ctxmem.json" "$work/ctxmem.err" -h || true
# The load/resident lines go to stdout before the JSON; keep only the JSON.
sed -n '/^{/,$p' "$work/ctxmem.json" >"$work/ctxmem.clean.json"
node tools/node/bench_report.mjs --peers="$work/peers.json" --ctxmem="$work/ctxmem.clean.json"
