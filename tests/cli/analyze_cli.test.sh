#!/usr/bin/env bash
# analyze options and exit status, the calls filters, escaping of trace bytes (analyze_cli.py).
set -euo pipefail
exec python3 "$(cd "$(dirname "$0")" && pwd)/analyze_cli.py" "$1"
