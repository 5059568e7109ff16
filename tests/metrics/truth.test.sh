#!/usr/bin/env bash
# analyze against the generator's exact ground truth (truth.py).
set -euo pipefail
exec python3 "$(cd "$(dirname "$0")" && pwd)/truth.py" "$1"
