#!/usr/bin/env bash
# `sipsleuth explain`: text for a few codes, the class fallback, class listings, --list-codes,
# JSON validity and fields (parsed with python3), usage errors (exit status 2), and
# `explain FINDING` for every id that --list-findings prints (the rule set grows on its own,
# so the test takes whatever is listed).
# Usage: bash explain.test.sh /path/to/sipsleuth
set -uo pipefail
bin=${1:?usage: explain.test.sh /path/to/sipsleuth}
command -v python3 >/dev/null || { echo "skip: python3 not found"; exit 77; }
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
fails=0
checks=0

fail() {
    echo "FAIL: $*"
    fails=$((fails + 1))
}

# run EXPECTED_STATUS ARGS...: run explain, keep stdout/stderr in $tmp/out, $tmp/err.
run() {
    local want=$1
    shift
    checks=$((checks + 1))
    "$bin" explain "$@" >"$tmp/out" 2>"$tmp/err"
    local rc=$?
    if ((rc != want)); then
        fail "explain $* exited $rc, want $want; stderr: $(head -c 300 "$tmp/err")"
        return 1
    fi
    return 0
}

# contains TEXT: stdout holds TEXT (fixed string; line breaks and indents count as one space,
# so a phrase may be wrapped).
contains() {
    checks=$((checks + 1))
    tr -s ' \n' '  ' <"$tmp/out" | grep -qF -- "$1" || fail "output of the last command lacks '$1'"
}

# fits80: no stdout line is wider than 80 characters.
fits80() {
    checks=$((checks + 1))
    python3 - "$tmp/out" <<'EOF' || fail "a line passes 80 columns"
import sys
for n, line in enumerate(open(sys.argv[1], encoding="utf-8"), 1):
    if len(line.rstrip("\n")) > 80:
        print(f"line {n}: {len(line) - 1} columns: {line!r}")
        sys.exit(1)
EOF
}

# json CHECK: stdout parses as JSON, then the python expression CHECK on `d` must hold.
json() {
    checks=$((checks + 1))
    python3 - "$tmp/out" "$1" <<'EOF' || fail "JSON check '$1' on: $(head -c 200 "$tmp/out")"
import json, sys
d = json.load(open(sys.argv[1], encoding="utf-8"))
def seed(code):
    # DESIGN.md seed mapping, written out again on purpose to cross-check metrics_category
    if code < 200: return None
    if code < 300: return "SUCCESS"
    if code < 400: return "REDIRECTED"
    if code in (408, 480): return "TIMEOUT"
    if code in (486, 600, 603): return "REJECTED"
    if code == 487: return "CANCELED"
    return "ERROR"
def consistent(o):
    cat = seed(o["code"])
    return (o["category"] == cat and o["asr"] == (cat == "SUCCESS")
            and o["ner"] == (cat in ("SUCCESS", "TIMEOUT"))
            and o["final"] == (cat is not None)
            and all(isinstance(o[k], str) and o[k] for k in ("rfc", "meaning", "causes", "class")))
if not eval(sys.argv[2]):
    sys.exit(1)
EOF
}

# --- codes as text ---
run 0 487 && {
    contains "487 Request Terminated"
    contains "RFC 3261 §21.4.25"
    contains "Typical causes"
    contains "CANCELED (ERROR in the CallMeter-compatible mode)"
    fits80
}
run 0 503 && { contains "Retry-After"; contains "§16.7"; fits80; }
run 0 200 && { contains "SUCCESS. An answer for ASR and effective for NER"; fits80; }
run 0 408 && { contains "TIMEOUT. Not an answer for ASR, but effective for NER"; fits80; }
run 0 100 && { contains "Never a final code"; contains "INCOMPLETE"; fits80; }
run 0 202 && contains "202 Accepted (deprecated)"
run 0 --format text 486 && contains "REJECTED"

# --- unregistered codes: explained by their class ---
run 0 499 && {
    contains "499 (not in the IANA response-code registry)"
    contains "400 Bad Request"
    contains "ERROR"
    fits80
}
run 0 150 && contains "183 Session Progress"
run 0 --format json 699 && json 'd["code"] == 699 and d["registered"] is False and d["name"] is None and consistent(d)'

# --- classes ---
for cls in 1 2 3 4 5 6; do
    run 0 "${cls}xx" && { contains "${cls}xx "; fits80; }
    run 0 --format json "${cls}xx" && json "len(d) > 0 and all(o['class'] == '${cls}xx' and consistent(o) for o in d)"
done
run 0 4XX && contains "487 Request Terminated CANCELED"

# --- the whole list ---
run 0 --list-codes && {
    fits80
    checks=$((checks + 1))
    n=$(grep -c '^[1-6][0-9][0-9]  ' "$tmp/out")
    ((n == 75)) || fail "--list-codes printed $n codes, want 75"
    cut -c1-3 "$tmp/out" >"$tmp/codes"
    checks=$((checks + 1))
    sort -c -n -u "$tmp/codes" 2>/dev/null || fail "--list-codes is not sorted or repeats a code"
}
run 0 --list-codes --format json && {
    json 'len(d) == 75 and all(consistent(o) for o in d)'
    json 'sorted(o["code"] for o in d) == [o["code"] for o in d]'
    json 'all(o["registered"] for o in d) and sum(o["deprecated"] for o in d) == 1'
}
# every registered code alone, as JSON, matches its entry in the list
if run 0 --list-codes --format json; then
    checks=$((checks + 1))
    python3 - "$bin" "$tmp/out" <<'EOF' || fail "explain CODE --format json differs from --list-codes"
import json, subprocess, sys
every = json.load(open(sys.argv[2], encoding="utf-8"))
for o in every:
    out = subprocess.run([sys.argv[1], "explain", "--format", "json", str(o["code"])],
                         check=True, capture_output=True).stdout
    if json.loads(out) != o:
        print(f"{o['code']}: differs")
        sys.exit(1)
EOF
fi

# --- usage errors: exit status 2, nothing on stdout ---
for bad in 799 099 000 48 4870 abc 4xxx 7xx 0xx 48x -- ""; do
    if run 2 "$bad"; then
        checks=$((checks + 1))
        [[ ! -s "$tmp/out" ]] || fail "explain '$bad' wrote to stdout"
        [[ -s "$tmp/err" ]] || fail "explain '$bad' gave no error message"
    fi
done
run 2
run 2 487 486
run 2 --list-codes 487
run 2 --format xml 487
run 2 --no-such-option
run 0 --help && contains "usage: sipsleuth explain"

# --- findings: every listed id explains, as text and as JSON ---
run 0 --list-findings --format json && json 'isinstance(d, list) and all(set(o) == {"id", "title", "severity", "rfc", "explain"} for o in d)'
if run 0 --list-findings; then
    fits80
    ids=$(grep -v '^ ' "$tmp/out" | awk '{print $1}')
    for id in $ids; do
        run 0 "$id" && { contains "$id"; fits80; }
        run 0 --format json "$id" && json "d['id'] == '$id' and d['severity'] in ('info', 'warning', 'error') and all(d[k] for k in ('title', 'rfc', 'explain'))"
    done
    echo "findings explained: $(wc -w <<<"$ids")"
fi

echo "$checks checks, $fails failed"
((fails == 0))
