#!/usr/bin/env bash
# ctest "lab/live": re-run every lab scenario with the real kamailio, sipp and tcpdump
# (run-all.sh), check each new capture against its new truth file (the scenarios do that
# themselves) and check that each new truth file tells the same story as the committed
# fixture in tests/data/lab (labtool.py same), then judge sipsleuth ($1) against each fresh
# capture and its truth (judge.py): the calls, legs, causes and totals it rebuilds from a run
# made now by real kamailio and sipp.
#
# The lab does not depend on how sipsleuth was built, so by default it runs once per
# `make check`: from the default build directory (build/) only, not again from the clang and
# sanitizer builds. SS_LAB_LIVE=1 forces it, SS_LAB_LIVE=0 skips it. It skips (77) when not
# root or without network namespaces or the lab's tools.
set -uo pipefail
here=$(cd "$(dirname "$0")" && pwd)
want=${SS_LAB_LIVE:-auto}
if [[ $want == 0 ]]; then
    echo "lab/live: skipped (SS_LAB_LIVE=0)"
    exit 77
fi
if [[ $want == auto && -n ${SS_BINARY_DIR:-} && $(basename "$SS_BINARY_DIR") != build ]]; then
    echo "lab/live: skipped in $SS_BINARY_DIR (runs from build/ only; SS_LAB_LIVE=1 forces)"
    exit 77
fi
for t in ip kamailio sipp tcpdump tshark iptables gcc python3; do
    command -v "$t" >/dev/null || { echo "lab/live: skipped, $t not installed"; exit 77; }
done
out=$(mktemp -d /tmp/sslab-live.XXXXXX)
trap 'rm -rf "$out"' EXIT
bash "$here/run-all.sh" "$out"
rc=$?
((rc == 77)) && exit 77
same_bad=0
for t in "$out"/*.truth.json; do
    [[ -e $t ]] || continue
    fixture="$here/../data/lab/$(basename "$t")"
    if [[ ! -f $fixture ]]; then
        echo "lab/live: no committed fixture for $(basename "$t")"
        same_bad=1
    elif ! python3 "$here/lib/labtool.py" same "$fixture" "$t"; then
        same_bad=1
    fi
done
judge_bad=0
for t in "$out"/*.truth.json; do
    [[ -e $t ]] || continue
    if ! JUDGE_TIME_TOLERANCE_MS=25 python3 "$here/judge.py" "$1" "$t"; then
        judge_bad=1
    fi
done
if ((rc != 0)); then
    # keep the failing scenarios' logs for the CI artifact
    keep=$(mktemp -d /tmp/sslab-live-failed.XXXXXX)
    cp "$out"/*.log "$keep"/ 2>/dev/null
    echo "lab/live: scenario logs kept in $keep"
fi
((rc == 0 && same_bad == 0 && judge_bad == 0))
