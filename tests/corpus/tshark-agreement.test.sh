#!/usr/bin/env bash
# Acceptance: for every corpus capture, the SIP messages `sipsleuth messages --format json`
# reports agree with the tshark listing beside it (exceptions documented in deviations.txt).
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
exec python3 "$here/compare_tshark.py" "$1"
