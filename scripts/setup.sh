#!/usr/bin/env bash
# Installs what ctxmem needs from Debian 12's archive, and nothing when all of
# it is already there. Run as root (or with sudo available).
set -euo pipefail

packages=(
  bazel-bootstrap          # Bazel 4.2.3, the build
  g++ pkg-config           # compiler; pkg-config for third_party/com_google_absl
  libabsl-dev              # @com_google_absl
  libgtest-dev libgmock-dev  # @com_google_googletest
  libbenchmark-dev         # @com_github_google_benchmark
  libre2-dev               # @com_googlesource_code_re2
  libprotobuf-dev protobuf-compiler  # @com_google_protobuf
  rapidjson-dev            # @com_github_tencent_rapidjson (context/json)
  llvm-14-dev              # @llvm-project, a benchmark anchor
  clang libclang-rt-14-dev # --config=clang / --config=fuzz
  valgrind                 # alloc/measure_overhead.sh
)

missing=()
for p in "${packages[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed"; then
    missing+=("$p")
  fi
done

if ((${#missing[@]})); then
  echo "setup: installing ${missing[*]}"
  sudo=""
  [[ $(id -u) == 0 ]] || sudo="sudo"
  $sudo apt-get update -q
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -q --no-install-recommends "${missing[@]}"
fi

# Node.js, for the parity tests, the test corpus and the peer benchmarks under
# tools/node/ (never for ctxmem at run time): Debian's nodejs and npm if the
# machine has none, then `npm ci` of tools/node/package-lock.json when
# node_modules is missing or was installed from another lock file. A failed
# npm ci does not stop the set-up: the C++ tests still run, and the parity
# checks that need the packages fail and are counted.
node_packages=()
command -v node >/dev/null || node_packages+=(nodejs)
command -v npm >/dev/null || node_packages+=(npm)
if ((${#node_packages[@]})); then
  echo "setup: installing ${node_packages[*]}"
  sudo=""
  [[ $(id -u) == 0 ]] || sudo="sudo"
  $sudo apt-get update -q
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -q --no-install-recommends "${node_packages[@]}"
fi
node_dir="$(cd "$(dirname "$0")/../tools/node" && pwd)"
node_stamp="$node_dir/node_modules/.ctxmem-installed-from"
node_lock="$(cat "$node_dir/package.json" "$node_dir/package-lock.json" | sha256sum | cut -d' ' -f1)"
if [[ "$(cat "$node_stamp" 2>/dev/null)" != "$node_lock" ]]; then
  echo "setup: npm ci in tools/node"
  if (cd "$node_dir" && npm ci --no-audit --no-fund --loglevel=error); then
    echo "$node_lock" >"$node_stamp"
  else
    echo "setup: npm ci in tools/node failed; the parity checks will fail" >&2
  fi
fi
