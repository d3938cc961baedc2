#!/usr/bin/env bash
# End-to-end checks of the ctxmem binary: output shape, exit codes, errors.
set -euo pipefail
bin="$TEST_SRCDIR/ctxmem/cli/ctxmem"
fail() { echo "FAIL: $*" >&2; exit 1; }

out="$("$bin" stress --allocations=200000 --threads=2 --report_dir="$TEST_TMPDIR/stress-report")"
echo "$out"
grep -Eq "^ctxmem stress: 20[0-9]{4} allocations on 2 threads" <<<"$out" || fail "headline"
grep -q "corruption checks: 0 failures" <<<"$out" || fail "corruption line"
grep -Eq "tracked heap: live [0-9.]+ [KMi]*B, peak [0-9.]+ [KMi]*B" <<<"$out" || fail "heap line"
grep -Eq "object pool: [0-9]+ acquires, hit rate (9[5-9]|100)\.[0-9]+%" <<<"$out" || fail "object pool hit rate"
grep -Eq "buffer pool: [0-9]+ acquires, hit rate (9[5-9]|100)\.[0-9]+%" <<<"$out" || fail "buffer pool hit rate"
grep -Eq "process: resident [0-9.]+ MiB" <<<"$out" || fail "resident line"
[[ "$(tail -n 1 <<<"$out")" == "report: $TEST_TMPDIR/stress-report/report.html" ]] || fail "report line"
grep -q "<svg" "$TEST_TMPDIR/stress-report/report.html" || fail "stress report html"
# The stress workload's own arenas and pools are components of its report.
for c in stress.arenas stress.object_pool stress.buffer_pool; do
  grep -q "<polyline class=\"component\" data-name=\"$c\"" "$TEST_TMPDIR/stress-report/report.html" || fail "stress report: $c"
done
grep -q '<polyline class="hit-rate" data-name="stress.buffer_pool"' "$TEST_TMPDIR/stress-report/report.html" || fail "stress report: hit rate"
out="$("$bin" stress --allocations=20000 --report_dir=)"
grep -q "^report:" <<<"$out" && fail "--report_dir= must turn the report off"

# ctxmem profile: the stress summary, then the four report files.
dir="$TEST_TMPDIR/profile"
out="$("$bin" profile --allocations=200000 --threads=2 --interval_ms=5 --out_dir="$dir")"
echo "$out"
grep -q "corruption checks: 0 failures" <<<"$out" || fail "profile: stress summary"
for f in json:profile.json prometheus:metrics.prom html:report.html leaks:leaks.txt; do
  grep -qx "${f%%:*}: $dir/${f#*:}" <<<"$out" || fail "profile: path of ${f#*:}"
  [[ -s "$dir/${f#*:}" ]] || fail "profile: ${f#*:} missing or empty"
done
grep -q '"snapshots": \[' "$dir/profile.json" || fail "json snapshots"
grep -q '"context.interner"' "$dir/profile.json" || fail "json components"
[[ "$(grep -c '"time_ms"' "$dir/profile.json")" -ge 3 ]] || fail "json: fewer than 3 snapshots"
grep -q "^# TYPE ctxmem_tracked_live_bytes gauge$" "$dir/metrics.prom" || fail "prom TYPE"
grep -Eq '^ctxmem_component_reserved_bytes\{component="context.arena"\} [0-9]+$' "$dir/metrics.prom" || fail "prom component"
grep -Eq '^ctxmem_component_hit_ratio\{component="context.file_cache"\} [0-9.e-]+$' "$dir/metrics.prom" || fail "prom hit ratio"
grep -q "<svg" "$dir/report.html" || fail "html svg"
[[ "$(grep -c '<polyline class="component"' "$dir/report.html")" == 8 ]] || fail "html: one line per component"
grep -q "http" "$dir/report.html" && fail "html must not reference anything external"
grep -Eq "^tracked heap live: -?[0-9]+ bytes$" "$dir/leaks.txt" || fail "leaks live"
grep -Eq "^not attributed to any component: -?[0-9]+ bytes$" "$dir/leaks.txt" || fail "leaks unattributed"

set +e
"$bin" >/dev/null 2>&1; [[ $? == 2 ]] || fail "no command must exit 2"
err="$("$bin" frobnicate 2>&1)"; code=$?
[[ $code == 2 ]] || fail "unknown command must exit 2"
grep -q "unknown command 'frobnicate'" <<<"$err" || fail "unknown command message"
err="$("$bin" stress --threads=0 2>&1)"; code=$?
[[ $code == 2 ]] && grep -q "threads must be between" <<<"$err" || fail "bad --threads"
err="$("$bin" stress --allocations=lots 2>&1)"; code=$?
[[ $code != 0 ]] || fail "bad --allocations must fail"
err="$("$bin" profile --interval_ms=0 2>&1)"; code=$?
[[ $code == 2 ]] && grep -q "interval_ms must be between" <<<"$err" || fail "bad --interval_ms"
echo "PASS"
