# Sourced by the *-lab.test.sh scripts of tests/capture: skip rules, a private network
# namespace with loopback up, and a cleanup that stops by PID every process the test started
# (pids+=(...)), kills whatever is left in the namespace, deletes it and the work directory
# (kept when KEEP_LAB is set). Usage: netns_setup NAME TOOL...  sets $ns and $work.

skip() {
    echo "SKIP: $*"
    exit 77
}

netns_cleanup() {
    for p in "${pids[@]}"; do
        kill "$p" 2>/dev/null || true
    done
    sleep 0.2
    if ip netns list | grep -qw "$ns"; then
        for p in $(ip netns pids "$ns" 2>/dev/null); do
            kill -9 "$p" 2>/dev/null || true
        done
        ip netns delete "$ns" || true
    fi
    if [[ -n "${KEEP_LAB:-}" ]]; then echo "kept $work"; else rm -rf "$work"; fi
}

netns_setup() {
    local name=$1 t
    shift
    [[ $(id -u) -eq 0 ]] || skip "needs root for a network namespace and tcpdump"
    for t in "$@"; do
        command -v "$t" >/dev/null || skip "$t not installed (bash scripts/deps.sh --test)"
    done
    ns="sslab-$name-$$"
    work=$(mktemp -d)
    pids=()
    trap netns_cleanup EXIT
    ip netns add "$ns"
    ip netns exec "$ns" ip link set lo up
}
