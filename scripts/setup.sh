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
