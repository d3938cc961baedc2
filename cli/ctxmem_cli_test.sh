#!/usr/bin/env bash
# End-to-end checks of the ctxmem binary: output shape, exit codes, errors.
set -euo pipefail
bin="$TEST_SRCDIR/ctxmem/cli/ctxmem"
fail() { echo "FAIL: $*" >&2; exit 1; }

out="$("$bin" stress --allocations=200000 --threads=2)"
echo "$out"
grep -Eq "^ctxmem stress: 20[0-9]{4} allocations on 2 threads" <<<"$out" || fail "headline"
grep -q "corruption checks: 0 failures" <<<"$out" || fail "corruption line"
grep -Eq "tracked heap: live [0-9.]+ [KMi]*B, peak [0-9.]+ [KMi]*B" <<<"$out" || fail "heap line"
grep -Eq "object pool: [0-9]+ acquires, hit rate (9[5-9]|100)\.[0-9]+%" <<<"$out" || fail "object pool hit rate"
grep -Eq "buffer pool: [0-9]+ acquires, hit rate (9[5-9]|100)\.[0-9]+%" <<<"$out" || fail "buffer pool hit rate"
grep -Eq "process: resident [0-9.]+ MiB" <<<"$out" || fail "resident line"

set +e
"$bin" >/dev/null 2>&1; [[ $? == 2 ]] || fail "no command must exit 2"
err="$("$bin" frobnicate 2>&1)"; code=$?
[[ $code == 2 ]] || fail "unknown command must exit 2"
grep -q "unknown command 'frobnicate'" <<<"$err" || fail "unknown command message"
err="$("$bin" stress --threads=0 2>&1)"; code=$?
[[ $code == 2 ]] && grep -q "threads must be between" <<<"$err" || fail "bad --threads"
err="$("$bin" stress --allocations=lots 2>&1)"; code=$?
[[ $code != 0 ]] || fail "bad --allocations must fail"
echo "PASS"
