#!/usr/bin/env bash
# Runs the Node.js parity checks listed in tools/node/parity_checks.txt: builds
# every bazel target they name in one `bazel build` (default configuration),
# then runs each check and prints one line per check:
#   parity: <name> PASSED|FAILED (<seconds> s)
# and exits non-zero if any failed. scripts/test.sh counts those lines.
#
#   bash tools/node/parity.sh [name-regex]
#
# BAZEL may name another bazel command line (e.g. "bazel --output_base=DIR")
# and PARITY_BUILD_FLAGS add build flags (e.g. "--symlink_prefix=/"); the
# defaults are plain `bazel build`, as scripts/test.sh uses it.
set -uo pipefail
cd "$(dirname "$0")/../.." || exit 2
read -r -a bazel_cmd <<<"${BAZEL:-bazel}"
read -r -a build_flags <<<"${PARITY_BUILD_FLAGS:-}"
filter="${1:-}"
list=tools/node/parity_checks.txt

names=(); targets=(); commands=()
while IFS= read -r line; do
  [[ "$line" =~ ^[[:space:]]*(#|$) ]] && continue
  IFS='|' read -r name tgt cmd <<<"$line"
  name="$(echo "$name" | xargs)"; tgt="$(echo "$tgt" | xargs)"
  cmd="${cmd#"${cmd%%[![:space:]]*}"}"
  if [[ -z "$name" || -z "$cmd" ]]; then
    echo "parity: malformed line in $list: $line" >&2
    exit 2
  fi
  [[ -n "$filter" && ! "$name" =~ $filter ]] && continue
  names+=("$name"); targets+=("$tgt"); commands+=("$cmd")
done <"$list"

all_targets=$(printf '%s\n' "${targets[@]}" | tr ' ' '\n' | sed '/^$/d' | sort -u | tr '\n' ' ')
built=1
BIN=""
if [[ -n "$all_targets" ]]; then
  echo "=== parity: ${bazel_cmd[*]} build ${build_flags[*]} $all_targets"
  # shellcheck disable=SC2086
  if ! "${bazel_cmd[@]}" build "${build_flags[@]}" $all_targets; then
    echo "=== parity: build failed; the checks that need it fail"
    built=0
  fi
  BIN="$("${bazel_cmd[@]}" info bazel-bin 2>/dev/null)"
fi
export BIN NODE_MODULES="$PWD/tools/node/node_modules"

failed=0
for i in "${!names[@]}"; do
  name="${names[$i]}"
  echo "=== parity: $name: ${commands[$i]}"
  start=$SECONDS
  if [[ -n "${targets[$i]}" && $built == 0 ]]; then
    ok=0
  elif timeout 1200 bash -c "${commands[$i]}"; then
    ok=1
  else
    ok=0
  fi
  if ((ok)); then
    echo "parity: $name PASSED ($((SECONDS - start)) s)"
  else
    echo "parity: $name FAILED ($((SECONDS - start)) s)"
    failed=1
  fi
done
exit $failed
