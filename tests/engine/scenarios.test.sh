#!/usr/bin/env bash
# Engine acceptance: hand-written traces (scenarios.py) and the calls they must rebuild.
set -euo pipefail
exec python3 "$(cd "$(dirname "$0")" && pwd)/scenarios.py" "$1"
