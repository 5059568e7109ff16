#!/usr/bin/env bash
# ctest "lab/fixtures": the committed lab captures still match their truth files (tshark only,
# no root, no lab). $1 (the sipsleuth binary) is not used. Skips (77) without tshark.
set -uo pipefail
here=$(cd "$(dirname "$0")" && pwd)
exec bash "$here/check-fixtures.sh" "$here/../data/lab"
