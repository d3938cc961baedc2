#!/usr/bin/env bash
# Sets everything up and runs the tests: every test, then every test again
# under AddressSanitizer+LeakSanitizer+UBSan (the stress target included) and
# under ThreadSanitizer (the concurrent and stress targets included). Ends with
# one summary line; the exit code is non-zero if anything failed.
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

passed=$(grep -cE '^//[^ ]+ +(\(cached\) )?PASSED' "$log")
failed=$(grep -cE '^//[^ ]+ +(\(cached\) )?(FAILED|TIMEOUT|NO STATUS|INCOMPLETE|FLAKY|FAILED TO BUILD)' "$log")
if ((status != 0 && failed == 0)); then failed=1; fi  # a build error names no test
echo "ctxmem: $passed passed, $failed failed"
exit $status
