#!/usr/bin/env bash
# Golden tests of `sipsleuth analyze`: for every tests/golden/analyze/<case>/, the text and JSON
# reports must equal expected.txt and expected.json. With UPDATE_GOLDEN=1 they are rewritten
# instead; review the diff before committing (STYLE.md).
#
# A case directory holds:
#   input     one line: a capture path relative to the repository root, or
#             "gen ARGS..." to generate <case>.pcap with bench/gen_capture.py ARGS
#   args      optional: extra analyze options, one line (e.g. --ner ir42)
#   expected.txt, expected.json
# The JSON is compared pretty-printed (json.tool, keys in output order) so diffs read well.
set -euo pipefail
bin=$(cd "$(dirname "$1")" && pwd)/$(basename "$1")
root=$(cd "$(dirname "$0")/../.." && pwd)
cd "$root"
# shellcheck source=golden.sh
source tests/golden/golden.sh
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
fail=0
for dir in tests/golden/analyze/*/; do
    case=$(basename "$dir")
    bad=0
    read -r src < "$dir/input"
    args=()
    [[ -f "$dir/args" ]] && read -r -a args < "$dir/args"
    if [[ "$src" == gen\ * ]]; then
        read -r -a gen <<< "${src#gen }"
        python3 bench/gen_capture.py "$tmp/$case.pcap" "${gen[@]}" > /dev/null
        run_dir=$tmp
        src=$case.pcap
    else
        run_dir=$root
    fi
    (cd "$run_dir" && "$bin" analyze --color never "${args[@]}" "$src") \
        > "$tmp/$case.txt" 2> "$tmp/$case.err" || { echo "FAIL $case: exit $?"; bad=1; }
    (cd "$run_dir" && "$bin" analyze --format json "${args[@]}" "$src") 2>> "$tmp/$case.err" |
        python3 -m json.tool --indent 1 > "$tmp/$case.json" || { echo "FAIL $case: json"; bad=1; }
    golden_compare "$dir" "$case" txt json || bad=1
    if ((bad)); then fail=1; else echo "ok   $case"; fi
done
if [[ "${UPDATE_GOLDEN:-}" == 1 ]]; then
    echo "goldens rewritten: review 'git diff tests/golden/analyze' before committing"
fi
exit $fail
