#!/usr/bin/env bash
# run-all.sh OUTDIR [SCENARIO...] — run the lab scenarios one after another (all of
# tests/lab/scenarios/*.sh by default) and print one line per scenario:
#   PASS name  3.4s  5.5 KB  (or FAIL name ... with the scratch directory to look at)
# A scenario that exits 3 did not reproduce its timing story (a race that did not cross);
# it is retried up to LAB_RETRIES times (default 2). Each scenario is bounded by
# LAB_SCENARIO_SECONDS (default 150) and the whole run by LAB_ALL_SECONDS (default 600).
# Exit status: 0 if every scenario passed, 1 otherwise, 77 if the lab cannot run here
# (not root, or no network namespaces).
set -uo pipefail
here=$(cd "$(dirname "$0")" && pwd)
out=${1:?usage: run-all.sh OUTDIR [SCENARIO...]}
shift
mkdir -p "$out"

if [[ $(id -u) -ne 0 ]]; then
    echo "run-all: needs root (network namespaces, tcpdump, iptables)" >&2
    exit 77
fi
probe="sslab-probe-$$"
if ! ip netns add "$probe" 2>/dev/null; then
    echo "run-all: cannot create network namespaces here" >&2
    exit 77
fi
ip netns delete "$probe"

if (($#)); then
    names=("$@")
else
    names=()
    for f in "$here"/scenarios/*.sh; do names+=("$(basename "$f" .sh)"); done
fi

export LAB_RUN_TAG="r$$"
retries=${LAB_RETRIES:-2}
per=${LAB_SCENARIO_SECONDS:-150}
end=$(($(date +%s) + ${LAB_ALL_SECONDS:-600}))
pass=0
fail=0
failed=()

# Remove what a killed scenario may have left: only namespaces carrying this run's tag.
sweep() {
    local ns pid
    for ns in $(ip netns list | awk '{print $1}' | grep "^sslab-$LAB_RUN_TAG-" || true); do
        echo "run-all: removing leftover namespace $ns" >&2
        for pid in $(ip netns pids "$ns" 2>/dev/null); do kill -KILL "$pid" 2>/dev/null; done
        sleep 0.2
        ip netns delete "$ns" 2>/dev/null
    done
}
trap sweep EXIT

start_all=$(date +%s)
for name in "${names[@]}"; do
    script="$here/scenarios/$name.sh"
    if [[ ! -f $script ]]; then
        printf 'FAIL %-28s no such scenario\n' "$name"
        fail=$((fail + 1))
        failed+=("$name")
        continue
    fi
    try=0
    while :; do
        try=$((try + 1))
        left=$((end - $(date +%s)))
        if ((left <= 0)); then
            rc=124
            echo "run-all: overall time budget used up" >&2
            break
        fi
        budget=$((per < left ? per : left))
        t0=$(date +%s.%N)
        timeout -k 10 "$budget" bash "$script" "$out" >"$out/$name.log" 2>&1
        rc=$?
        t1=$(date +%s.%N)
        sweep
        if ((rc == 3 && try <= retries)); then
            continue
        fi
        break
    done
    secs=$(awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%.1f", b - a }')
    if ((rc == 0)) && [[ -s $out/$name.truth.json ]]; then
        kb=$(awk -v s="$(stat -c %s "$out/$name.pcap")" 'BEGIN { printf "%.1f", s / 1024 }')
        note=""
        ((try > 1)) && note="  (try $try)"
        printf 'PASS %-28s %6ss %8s KB%s\n' "$name" "$secs" "$kb" "$note"
        pass=$((pass + 1))
        rm -f "$out/$name.log"
    else
        printf 'FAIL %-28s %6ss rc=%s, see %s\n' "$name" "$secs" "$rc" "$out/$name.log"
        fail=$((fail + 1))
        failed+=("$name")
    fi
done
printf '%d passed, %d failed in %ds%s\n' "$pass" "$fail" "$(($(date +%s) - start_all))" \
    "${failed:+ (${failed[*]})}"
((fail == 0))
