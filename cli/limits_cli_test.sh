#!/usr/bin/env bash
# End-to-end checks of `ctxmem limits` (conformance.md §4): the exact output
# line for models of each kind, settings, and the errors.
set -uo pipefail
bin="$TEST_SRCDIR/ctxmem/cli/ctxmem"
fail() { echo "FAIL: $*" >&2; exit 1; }

# expect ARGS... -- LINE: exit 0, exactly LINE on stdout, nothing on stderr.
expect() {
  local args=() line
  while [[ $1 != -- ]]; do args+=("$1"); shift; done
  line=$2
  out="$("$bin" limits "${args[@]}" 2>"$TEST_TMPDIR/err")" || fail "${args[*]}: exit $?"
  [[ "$out" == "$line" ]] || fail "${args[*]}: got '$out', want '$line'"
  [[ ! -s "$TEST_TMPDIR/err" ]] || fail "${args[*]}: stderr: $(cat "$TEST_TMPDIR/err")"
}

# rejected ARGS... -- PATTERN: non-zero exit, nothing on stdout, one stderr line matching PATTERN.
rejected() {
  local args=() code
  while [[ $1 != -- ]]; do args+=("$1"); shift; done
  out="$("$bin" limits "${args[@]}" 2>"$TEST_TMPDIR/err")"; code=$?
  [[ $code != 0 ]] || fail "${args[*]}: must fail"
  [[ -z "$out" ]] || fail "${args[*]}: printed '$out'"
  [[ "$(wc -l <"$TEST_TMPDIR/err")" == 1 ]] || fail "${args[*]}: stderr is not one line: $(cat "$TEST_TMPDIR/err")"
  grep -Eq -e "$2" "$TEST_TMPDIR/err" || fail "${args[*]}: stderr '$(cat "$TEST_TMPDIR/err")' lacks '$2'"
}

# context-reference.md §1.8, default settings.
expect --model=claude-sonnet-4-5 -- \
  '{"model":"claude-sonnet-4-5","contextWindow":200000,"maxTokens":64000,"reservedTokens":8192,"allowedTokens":171808}'
expect --model=gpt-4o -- \
  '{"model":"gpt-4o","contextWindow":128000,"maxTokens":16384,"reservedTokens":16384,"allowedTokens":98816}'
expect --model=gpt-5 -- \
  '{"model":"gpt-5","contextWindow":400000,"maxTokens":128000,"reservedTokens":128000,"allowedTokens":232000}'
expect --model=gemini-2.5-pro -- \
  '{"model":"gemini-2.5-pro","contextWindow":1048576,"maxTokens":64000,"reservedTokens":16384,"allowedTokens":927334.4}'
expect --model=mistral-small-latest -- \
  '{"model":"mistral-small-latest","contextWindow":32000,"maxTokens":8192,"reservedTokens":6400,"allowedTokens":22400}'
expect --model=gpt-4.1 --settings='{}' -- \
  '{"model":"gpt-4.1","contextWindow":1047576,"maxTokens":32768,"reservedTokens":32768,"allowedTokens":910050.4}'

# Settings: thinking on (§1.8), modelMaxTokens, format, apiProvider ignored.
expect --model=claude-sonnet-4-5 --settings='{"enableReasoningEffort":true}' -- \
  '{"model":"claude-sonnet-4-5","contextWindow":200000,"maxTokens":64000,"reservedTokens":16384,"allowedTokens":163616}'
expect --model=claude-sonnet-4-5 --settings='{"enableReasoningEffort":true,"modelMaxTokens":32000}' -- \
  '{"model":"claude-sonnet-4-5","contextWindow":200000,"maxTokens":64000,"reservedTokens":32000,"allowedTokens":148000}'
expect --model=claude-sonnet-4-5 --settings='{"enableReasoningEffort":false,"modelMaxTokens":32000}' -- \
  '{"model":"claude-sonnet-4-5","contextWindow":200000,"maxTokens":64000,"reservedTokens":8192,"allowedTokens":171808}'
expect --model=gemini-2.5-flash --settings='{"format":"anthropic"}' -- \
  '{"model":"gemini-2.5-flash","contextWindow":1048576,"maxTokens":64000,"reservedTokens":8192,"allowedTokens":935526.4}'
expect --model=gemini-2.5-flash --settings='{"format":"openai","apiProvider":"claude-code"}' -- \
  '{"model":"gemini-2.5-flash","contextWindow":1048576,"maxTokens":64000,"reservedTokens":64000,"allowedTokens":879718.4}'
expect --model=gemini-2.5-pro --settings='{"modelMaxTokens":0.5,"unknownKey":[1,2]}' -- \
  '{"model":"gemini-2.5-pro","contextWindow":1048576,"maxTokens":64000,"reservedTokens":0.5,"allowedTokens":943717.9}'
expect --model=gemini-2.5-pro --settings='{"modelMaxTokens":null,"format":null}' -- \
  '{"model":"gemini-2.5-pro","contextWindow":1048576,"maxTokens":64000,"reservedTokens":16384,"allowedTokens":927334.4}'

# Errors: one line on stderr, non-zero exit, nothing on stdout.
rejected --model=gpt-4o-nonexistent -- "unknown model 'gpt-4o-nonexistent'"
rejected -- "--model"
rejected --model=gpt-4o --settings='{"modelMaxTokens":' -- "settings"
rejected --model=gpt-4o --settings='[1]' -- "settings.*object"
rejected --model=gpt-4o --settings='{"modelMaxTokens":"32000"}' -- "modelMaxTokens must be a number"
rejected --model=gpt-4o --settings='{"enableReasoningEffort":1}' -- "enableReasoningEffort must be a boolean"
rejected --model=gpt-4o --settings='{"format":"bedrock"}' -- "format must be"
rejected --model=gpt-4o --settings='{"apiProvider":7}' -- "apiProvider must be a string"
echo "PASS"
