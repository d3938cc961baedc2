#!/usr/bin/env bash
# Sets everything up and runs the tests: every test, then every test again
# under AddressSanitizer+LeakSanitizer+UBSan (the stress target included) and
# under ThreadSanitizer (the concurrent and stress targets included), then the
# Node.js parity checks of tools/node/parity_checks.txt (ctxmem against the
# npm reference implementations; each check counts as one test). Ends with one
# summary line; the exit code is non-zero if anything failed.
set -uo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh || exit 1

log="$(mktemp)"
trap 'rm -f "$log"' EXIT
status=0
phase() {
  local name="$1"; shift
  echo "=== $name: bazel test $*"
  bazel test --build_tests_only --test_summary=short "$@" //... 2>&1 | tee -a "$log"
  local code=${PIPESTATUS[0]}
  # 4 means no test targets, which counts as a failure here too.
  if ((code != 0)); then
    echo "=== $name failed (bazel exit $code)"
    status=1
  fi
}
phase "unit tests"
phase "asan+ubsan" --config=asan
phase "tsan" --config=tsan

echo "=== parity: bash tools/node/parity.sh"
bash tools/node/parity.sh 2>&1 | tee -a "$log"
if ((PIPESTATUS[0] != 0)); then
  echo "=== parity failed"
  status=1
fi

passed=$(grep -cE '^//[^ ]+ +(\(cached\) )?PASSED' "$log")
failed=$(grep -cE '^//[^ ]+ +(\(cached\) )?(FAILED|TIMEOUT|NO STATUS|INCOMPLETE|FLAKY|FAILED TO BUILD)' "$log")
passed=$((passed + $(grep -cE '^parity: [^ ]+ PASSED' "$log")))
failed=$((failed + $(grep -cE '^parity: [^ ]+ FAILED' "$log")))
if ((status != 0 && failed == 0)); then failed=1; fi  # a build error names no test
echo "ctxmem: $passed passed, $failed failed"
exit $status
