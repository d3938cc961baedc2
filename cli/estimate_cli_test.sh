#!/usr/bin/env bash
# End-to-end checks of `ctxmem estimate` (conformance.md §2); expected values
# are the reference's (context-reference.md §3.4) or computed with npm tiktoken
# and JavaScript's JSON.stringify.
set -uo pipefail
bin="$TEST_SRCDIR/ctxmem/cli/ctxmem"
fail() { echo "FAIL: $*" >&2; exit 1; }
f="$TEST_TMPDIR/in.json"

expect() {  # expect JSON VALUE
  printf '%s' "$1" >"$f"
  out="$("$bin" estimate --json="$f" 2>"$TEST_TMPDIR/err")" || fail "$1: exit $?: $(cat "$TEST_TMPDIR/err")"
  [[ "$out" == "$2" ]] || fail "$1: got '$out', want '$2'"
}
expect '{"content":[{"type":"text","text":"Hello world"}]}' 3
expect '{"content":[]}' 0
expect '{"content":[{"type":"image","source":{"type":"base64","media_type":"image/png","data":"dummy_data"}}]}' 6
expect '{"content":[{"type":"image","source":{"type":"base64"}}]}' 450
expect '{"content":[{"type":"tool_use","id":"t","name":"read_file","input":{"path":"/src/main.ts"}}]}' 23
expect '{"content":[{"type":"tool_use","id":"t1","name":"write_to_file","input":{"b":1,"10":3,"2":4,"01":7,"path":"/a\u2028b","n":1e21,"m":1e-7,"big":123456789012345678901234567890,"o":1e400,"z":-0,"f":1.0,"k":1,"k":2}}]}' 114
expect '{"content":[{"type":"tool_result","tool_use_id":"x","content":"plain result"},{"type":"reasoning","text":"x"},{"type":"text","text":"a\ud800b"}]}' 15

rejected() {  # rejected JSON PATTERN
  printf '%s' "$1" >"$f"
  "$bin" estimate --json="$f" >/dev/null 2>"$TEST_TMPDIR/err" && fail "'$1' must fail"
  [[ "$(wc -l <"$TEST_TMPDIR/err")" == 1 ]] || fail "stderr is not one line: $(cat "$TEST_TMPDIR/err")"
  grep -Eq -e "$2" "$TEST_TMPDIR/err" || fail "stderr '$(cat "$TEST_TMPDIR/err")' lacks '$2'"
}
rejected '{"content":[{"type":"text","text":"x"}' 'line 1, column 39'
rejected '{"content":"text"}' 'expected \{"content"'
rejected '[1]' 'expected \{"content"'
"$bin" estimate --json=/nonexistent 2>/dev/null && fail "missing file must fail"
echo PASS
