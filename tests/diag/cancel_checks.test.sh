#!/usr/bin/env bash
# CANCEL/487 family: one root cause per 487 leg, evidence, specific details (cancel_checks.py).
set -euo pipefail
exec python3 "$(cd "$(dirname "$0")" && pwd)/cancel_checks.py" "$1"
