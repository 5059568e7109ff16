#!/usr/bin/env bash
# Golden tests of `sipsleuth calls`: for every tests/golden/calls/<case>/, the text listing and
# (when expected.json exists) the NDJSON calls, pretty-printed as a JSON array, must equal the
# expected files. UPDATE_GOLDEN=1 rewrites them; review the diff before committing (STYLE.md).
#
# A case directory holds:
#   input          one line: a capture path relative to the repository root
#   expected.txt   `sipsleuth calls` standard output
#   expected.json  optional: the {"type":"call"} objects of `--format ndjson`, as an array
set -euo pipefail
bin=$(cd "$(dirname "$1")" && pwd)/$(basename "$1")
root=$(cd "$(dirname "$0")/../.." && pwd)
cd "$root"
# shellcheck source=golden.sh
source tests/golden/golden.sh
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
fail=0
for dir in tests/golden/calls/*/; do
    case=$(basename "$dir")
    bad=0
    read -r src < "$dir/input"
    "$bin" calls "$src" > "$tmp/$case.txt" 2> /dev/null || { echo "FAIL $case: exit $?"; bad=1; }
    exts=(txt)
    if [[ -f "$dir/expected.json" || "${UPDATE_GOLDEN:-}" == 1 ]]; then
        "$bin" calls --format ndjson "$src" 2> /dev/null |
            python3 -c 'import json,sys; print(json.dumps([o for o in map(json.loads, sys.stdin) if o["type"] == "call"], indent=1, ensure_ascii=False))' \
            > "$tmp/$case.json" || { echo "FAIL $case: json"; bad=1; }
        [[ -f "$dir/expected.json" || "${UPDATE_GOLDEN:-}" == 1 && ! -f "$dir/text-only" ]] && exts+=(json)
    fi
    golden_compare "$dir" "$case" "${exts[@]}" || bad=1
    if ((bad)); then fail=1; else echo "ok   $case"; fi
done
if [[ "${UPDATE_GOLDEN:-}" == 1 ]]; then
    echo "goldens rewritten: review 'git diff tests/golden/calls' before committing"
fi
exit $fail
