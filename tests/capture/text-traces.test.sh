#!/usr/bin/env bash
# Acceptance: each text-trace sample in tests/data/text/ reads as its expected listing, message
# by message (start line, Call-ID, CSeq, time, addresses, transport), every way it can be read.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
exec python3 "$here/check_text.py" "$1"
