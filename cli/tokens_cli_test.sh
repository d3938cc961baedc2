#!/usr/bin/env bash
# End-to-end checks of `ctxmem tokens` (conformance.md §1). Expected lines are
# what npm tiktoken@1.0.22 gives (tools/node/reference_tokens.mjs), including a
# text with lone surrogates, which reach the tokenizer as U+FFFD.
set -uo pipefail
bin="$TEST_SRCDIR/ctxmem/cli/ctxmem"
fail() { echo "FAIL: $*" >&2; exit 1; }
in="$TEST_TMPDIR/in.jsonl"
cat >"$in" <<'JSONL'
{"id":"hello","text":"Hello world"}
{"id":"special","text":"something<|endoftext|>something"}
{"id":"lone","text":"a\ud800b \udfff"}

{"id":"empty","text":""}
{"text":"order of keys","id":"swapped"}
JSONL

out="$("$bin" tokens --encoding=o200k_base --jsonl="$in")" || fail "o200k: exit $?"
want='hello 2 fc9667cbcf154fcd
special 9 0f0c1cff0091ccce
lone 4 44c0412f4b697be3
empty 0 cbf29ce484222325
swapped 3 1c5d3eb78420b70d'
[[ "$out" == "$want" ]] || fail "o200k: got
$out"

out="$("$bin" tokens --encoding=cl100k_base --jsonl="$in")" || fail "cl100k: exit $?"
want='hello 2 6990c0653dadfb01
special 9 0f4cbbcb81a902ce
lone 4 93bee9da807e8874
empty 0 cbf29ce484222325
swapped 3 867a1d89683b646e'
[[ "$out" == "$want" ]] || fail "cl100k: got
$out"

# rejected INPUT_LINES PATTERN [ARGS...]: non-zero exit, one stderr line matching PATTERN.
rejected() {
  printf '%s\n' "$1" >"$TEST_TMPDIR/bad.jsonl"
  local pattern="$2"; shift 2
  "$bin" tokens --jsonl="$TEST_TMPDIR/bad.jsonl" "$@" >/dev/null 2>"$TEST_TMPDIR/err" && fail "'$1' must fail"
  [[ "$(wc -l <"$TEST_TMPDIR/err")" == 1 ]] || fail "stderr is not one line: $(cat "$TEST_TMPDIR/err")"
  grep -Eq -e "$pattern" "$TEST_TMPDIR/err" || fail "stderr '$(cat "$TEST_TMPDIR/err")' lacks '$pattern'"
}
rejected $'{"id":"a","text":"x"}\n{"id":"b","text":"y"' 'line 2: .*line 1, column'
rejected '{"id":"a"}' 'line 1: expected \{"id"'
rejected '{"id":1,"text":"x"}' 'line 1: expected'
rejected $'{"id":"a","text":"\xff"}' 'line 1: .*UTF-8'
rejected '{"id":"a","text":"x"}' "unknown encoding 'p50k_base'" --encoding=p50k_base
"$bin" tokens --jsonl=/nonexistent 2>"$TEST_TMPDIR/err" && fail "missing file must fail"
grep -q 'cannot open /nonexistent' "$TEST_TMPDIR/err" || fail "missing file: $(cat "$TEST_TMPDIR/err")"
echo PASS
