#!/usr/bin/env bash
# Sets everything up and runs the main job: `ctxmem stress`, the memory core's
# 1M-allocation workload, with its memory summary.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
bazel run --config=opt //cli:ctxmem -- stress "$@"
