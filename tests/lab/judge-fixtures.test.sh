#!/usr/bin/env bash
# ctest "lab/judge-fixtures": sipsleuth against the truth of every committed lab capture
# (tests/data/lab: real kamailio + sipp runs), with judge.py. Runs in every build.
set -uo pipefail
here=$(cd "$(dirname "$0")" && pwd)
rc=0
passed=0
failed=0
for t in "$here"/../data/lab/*.truth.json; do
    out=$(python3 "$here/judge.py" "$1" "$t" 2>&1)
    if [[ $? -ne 0 ]]; then
        rc=1
        failed=$((failed + 1))
        echo "$out" | grep -E '^FAIL' | head -20
    else
        passed=$((passed + 1))
    fi
    echo "$out" | tail -1
done
echo "$passed passed, $failed failed"
exit $rc
