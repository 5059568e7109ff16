#!/usr/bin/env bash
# Every diagnosis rule: a trace that triggers it and a near miss that must not (run.py).
set -euo pipefail
exec python3 "$(cd "$(dirname "$0")" && pwd)/run.py" "$1"
