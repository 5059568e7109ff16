# shellcheck shell=bash
# tests/lab/lab.sh — the sipsleuth real-software lab, sourced by tests/lab/scenarios/*.sh.
#
# A scenario gets a private network namespace with only a loopback interface, runs kamailio and
# sipp instances inside it on 127.0.0.1, captures the loopback with tcpdump, and writes
#   OUT/<name>.pcap        the capture
#   OUT/<name>.truth.json  what the scenario did (see README.md for the format)
# Every process is started with `ip netns exec NS ...` so $! is its real PID, every wait is
# bounded, and an EXIT trap stops everything by PID, checks that the namespace is empty and
# deletes it. Nothing here touches the host's own network.
#
# Usage from a scenario script:
#   source "$(dirname "$0")/../lab.sh"
#   lab_init NAME "$@"            # OUT dir is $1 (default: ./lab-out)
#   lab_capture_start
#   lab_kamailio [-A DEFINE]...   # optional
#   lab_uas uas1 5081 uas.xml RING_MS=100 ...
#   lab_uac caller uac-call.xml u1 [KEY=VAL]... [-- extra sipp args]
#   lab_wait_uac caller; lab_wait_uas uas1 ...
#   lab_finish                    # stop everything, close the capture
#   lab_truth <<'EOF' ... EOF     # write the truth file from the spec + sipp logs
#
# Environment: LAB_KEEP=1 keeps the scratch directory, LAB_VERBOSE=1 echoes the lab log,
# LAB_MAX_SECONDS bounds the whole scenario (default 60).

set -euo pipefail

LAB_HOME=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
LAB_IP=127.0.0.1
LAB_PROXY_PORT=5060
LAB_CALLER_PORT=5070
declare -A LAB_PID=()       # name -> pid
declare -A LAB_ROLE=()      # name -> kamailio|tcpdump|sipp-uac|sipp-uas|delayq
declare -A LAB_HOP=()       # sipp name -> hop label (e.g. caller-proxy)
declare -A LAB_ELEM=()      # element name -> address:port
LAB_ORDER=()
LAB_NS=""
LAB_WORK=""
LAB_NAME=""
LAB_OUT=""
LAB_PCAP=""
LAB_OK=0
LAB_CTRL_PORT=8900          # sipp control ports, one per instance
LAB_MEDIA_PORT=6000

lab_now() { date +%s.%N | cut -c1-14; }

lab_log() {
    local line
    line="$(date +%T.%3N) [$LAB_NAME] $*"
    [[ -n $LAB_WORK && -d $LAB_WORK ]] && printf '%s\n' "$line" >>"$LAB_WORK/lab.log"
    if [[ -n ${LAB_VERBOSE:-} ]]; then printf '%s\n' "$line" >&2; fi
    return 0
}

lab_die() {
    echo "lab[$LAB_NAME]: $*" >&2
    lab_log "FATAL: $*"
    exit 1
}

# Seconds left before the scenario's overall deadline.
lab_left() {
    local now
    now=$(date +%s)
    echo $((LAB_DEADLINE - now))
}

lab_require() {
    [[ $(id -u) -eq 0 ]] || lab_die "needs root (network namespaces, tcpdump, iptables)"
    local t
    for t in ip tcpdump kamailio sipp tshark python3 timeout ss; do
        command -v "$t" >/dev/null || lab_die "missing tool: $t"
    done
}

# lab_init NAME [OUTDIR]
lab_init() {
    LAB_NAME=$1
    LAB_OUT=${2:-${LAB_OUT:-lab-out}}
    lab_require
    mkdir -p "$LAB_OUT"
    LAB_OUT=$(cd "$LAB_OUT" && pwd)
    LAB_WORK=$(mktemp -d "/tmp/sslab.$LAB_NAME.XXXXXX")
    LAB_PCAP="$LAB_WORK/capture.pcap"
    LAB_DEADLINE=$(($(date +%s) + ${LAB_MAX_SECONDS:-60}))
    # netns names must be unique per run: scenario, our pid, random
    LAB_NS="sslab-${LAB_RUN_TAG:+$LAB_RUN_TAG-}${LAB_NAME:0:16}-$$-$RANDOM"
    trap lab_cleanup EXIT
    trap 'lab_log "signal received"; exit 130' INT TERM
    rm -f "$LAB_OUT/$LAB_NAME.pcap" "$LAB_OUT/$LAB_NAME.truth.json"
    ip netns add "$LAB_NS" || lab_die "cannot create netns $LAB_NS"
    ip netns exec "$LAB_NS" ip link set lo up
    LAB_ELEM[proxy]="$LAB_IP:$LAB_PROXY_PORT"
    lab_log "init: ns=$LAB_NS work=$LAB_WORK out=$LAB_OUT"
}

lab_nsexec() { ip netns exec "$LAB_NS" "$@"; }

# lab_lo_mtu MTU — make the namespace loopback behave like a link with that MTU for TCP:
# without gso_max_segs 1 the kernel hands tcpdump one 64 KB GSO super-packet per send()
# and nothing is ever split on the wire.
lab_lo_mtu() {
    lab_nsexec ip link set lo mtu "$1" gso_max_size "$1" gso_max_segs 1 ||
        lab_die "cannot set lo mtu/gso"
    lab_log "lo: mtu $1, gso_max_segs 1"
}

# lab_spawn NAME ROLE CMD... — start a process inside the namespace in the background.
lab_spawn() {
    local name=$1 role=$2
    shift 2
    [[ -z ${LAB_PID[$name]:-} ]] || lab_die "process name $name used twice"
    ip netns exec "$LAB_NS" "$@" >"$LAB_WORK/$name.stdout" 2>"$LAB_WORK/$name.stderr" </dev/null &
    LAB_PID[$name]=$!
    LAB_ROLE[$name]=$role
    LAB_ORDER+=("$name")
    lab_log "spawn $name ($role) pid=${LAB_PID[$name]}: $*"
}

lab_alive() { kill -0 "${LAB_PID[$1]}" 2>/dev/null; }

# lab_wait NAME SECONDS — wait for a process to exit; prints nothing, returns its exit status,
# or 124 if it is still running when the time is up (it is left running).
lab_wait() {
    local name=$1 secs=$2 pid=${LAB_PID[$1]}
    local left end
    left=$(lab_left)
    ((secs > left)) && secs=$left
    ((secs < 0)) && secs=0
    end=$(($(date +%s%N) + secs * 1000000000))
    while kill -0 "$pid" 2>/dev/null; do
        if (($(date +%s%N) >= end)); then
            return 124
        fi
        sleep 0.05
    done
    local rc=0
    wait "$pid" 2>/dev/null || rc=$?
    return "$rc"
}

# lab_stop NAME [SIGNAL] — signal a process, wait up to 3 s, then SIGKILL it.
lab_stop() {
    local name=$1 sig=${2:-TERM} pid=${LAB_PID[$1]:-}
    [[ -n $pid ]] || return 0
    if kill -0 "$pid" 2>/dev/null; then
        lab_log "stop $name pid=$pid with SIG$sig"
        kill -s "$sig" "$pid" 2>/dev/null || true
        local i
        for ((i = 0; i < 60; i++)); do
            kill -0 "$pid" 2>/dev/null || break
            sleep 0.05
        done
        if kill -0 "$pid" 2>/dev/null; then
            lab_log "stop $name pid=$pid: still alive, SIGKILL"
            kill -KILL "$pid" 2>/dev/null || true
        fi
    fi
    wait "$pid" 2>/dev/null || true
    return 0
}

# Wait until something listens on PROTO PORT inside the namespace (bounded).
lab_wait_listen() {
    local proto=$1 port=$2 secs=${3:-5} i
    for ((i = 0; i < secs * 20; i++)); do
        if lab_nsexec ss -H -ln"${proto:0:1}" "sport = :$port" 2>/dev/null | grep -q .; then
            return 0
        fi
        sleep 0.05
    done
    lab_die "nothing listens on $proto/$port after ${secs}s"
}

# --- capture -------------------------------------------------------------------------------

# Start tcpdump on the namespace loopback and wait until it is capturing.
lab_capture_start() {
    local filter=${1:-}
    # --immediate-mode: hand every packet over at once, so stopping never loses the last
    # ring block. The kernel ring is carved into snaplen-sized slots: with the default
    # snaplen (256 KB) and buffer (2 MB) a burst of TCP segments overflows it, so use a 64 KB
    # snaplen (no loopback frame is larger) and a 32 MB buffer. -Z root: write the file as
    # root (Debian's tcpdump drops to user tcpdump otherwise).
    # shellcheck disable=SC2086
    lab_spawn tcpdump tcpdump tcpdump -i lo -n -s 65600 -B 32768 -U --immediate-mode -Z root \
        -w "$LAB_PCAP" $filter
    local i
    for ((i = 0; i < 100; i++)); do
        grep -q "listening on" "$LAB_WORK/tcpdump.stderr" 2>/dev/null && break
        lab_alive tcpdump || lab_die "tcpdump exited: $(cat "$LAB_WORK/tcpdump.stderr")"
        sleep 0.05
    done
    grep -q "listening on" "$LAB_WORK/tcpdump.stderr" || lab_die "tcpdump did not start"
    sleep 0.2
}

lab_capture_stop() {
    [[ -n ${LAB_PID[tcpdump]:-} ]] || return 0
    lab_alive tcpdump || lab_die "tcpdump died during the scenario"
    sleep 0.2
    lab_stop tcpdump INT
    grep -E "packets (captured|dropped)" "$LAB_WORK/tcpdump.stderr" | sed 's/^/tcpdump: /' |
        while read -r l; do lab_log "$l"; done
    if grep -qE "^[1-9][0-9]* packets dropped by kernel" "$LAB_WORK/tcpdump.stderr"; then
        lab_die "tcpdump dropped packets"
    fi
}

# --- kamailio ------------------------------------------------------------------------------

# lab_kamailio [-A DEFINE[=VALUE]]... — start the proxy (tests/lab/kamailio/proxy.cfg) on
# 127.0.0.1:5060 UDP+TCP and wait until both sockets listen.
lab_kamailio() {
    local cfg="$LAB_WORK/proxy.cfg"
    cp "$LAB_HOME/kamailio/proxy.cfg" "$cfg"
    mkdir -p "$LAB_WORK/kamailio-run"
    if ! kamailio -c -f "$cfg" -Y "$LAB_WORK/kamailio-run" "$@" >"$LAB_WORK/kamailio-check.log" 2>&1; then
        cat "$LAB_WORK/kamailio-check.log" >&2
        lab_die "kamailio config check failed"
    fi
    # -DD: stay in the foreground (the pid is the main process, which stops its children on
    # SIGTERM); -E: log to stderr; small memory; own runtime dir and pid file.
    lab_spawn kamailio kamailio kamailio -f "$cfg" -DD -E -m 32 -M 4 \
        -Y "$LAB_WORK/kamailio-run" -P "$LAB_WORK/kamailio-run/kamailio.pid" -w "$LAB_WORK" "$@"
    lab_wait_listen udp "$LAB_PROXY_PORT"
    lab_wait_listen tcp "$LAB_PROXY_PORT"
    lab_alive kamailio || lab_die "kamailio exited: $(tail -5 "$LAB_WORK/kamailio.stderr")"
    lab_log "kamailio listening (defines: $*)"
}

# --- sipp ----------------------------------------------------------------------------------

# lab_xml TEMPLATE OUT [KEY=VAL]... — render a sipp scenario template.
lab_xml() {
    local src=$1 out=$2
    shift 2
    python3 "$LAB_HOME/lib/labtool.py" xml "$LAB_HOME/sipp/$src" "$out" "$@" ||
        lab_die "cannot render $src"
}

# lab_sipp NAME ROLE PORT TEMPLATE SECS [KEY=VAL]... [-- sipp args...]
# sipp runs with -nr (no UDP retransmissions of its own, and no automatic resend when a
# retransmitted message arrives): message counts stay exact and a UAS cannot ping-pong with
# the proxy's re-ACKs (LAB-NOTES). Set LAB_SIPP_RETRANS=1 for an instance that must
# retransmit (e.g. a callee resending its 200 until an ACK that never comes).
lab_sipp() {
    local name=$1 role=$2 port=$3 tmpl=$4 secs=$5
    shift 5
    local kv=() extra=()
    while (($#)); do
        if [[ $1 == -- ]]; then
            shift
            extra=("$@")
            break
        fi
        kv+=("$1")
        shift
    done
    local xml="$LAB_WORK/$name.xml"
    lab_xml "$tmpl" "$xml" "${kv[@]}"
    LAB_CTRL_PORT=$((LAB_CTRL_PORT + 1))
    LAB_MEDIA_PORT=$((LAB_MEDIA_PORT + 10))
    LAB_ELEM[$name]="$LAB_IP:$port"
    # timeout(1) bounds sipp even if its own -timeout does not fire.
    lab_spawn "$name" "$role" timeout -k 2 $((secs + 5)) \
        sipp -sf "$xml" -i "$LAB_IP" -p "$port" -cp "$LAB_CTRL_PORT" -mp "$LAB_MEDIA_PORT" \
        -nostdin -timeout "${secs}s" -timeout_error \
        -trace_msg -message_file "$LAB_WORK/$name.msg.log" \
        -trace_shortmsg -shortmessage_file "$LAB_WORK/$name.short.log" \
        -trace_err -error_file "$LAB_WORK/$name.err.log" \
        -trace_stat -stf "$LAB_WORK/$name.stat.csv" -fd 1 \
        -trace_screen -screen_file "$LAB_WORK/$name.screen.log" \
        -default_behaviors all,-bye \
        ${LAB_SIPP_RETRANS:+-max_invite_retrans 6} ${LAB_SIPP_RETRANS:--nr} "${extra[@]}"
}

# lab_uas NAME PORT TEMPLATE [KEY=VAL]... [-- sipp args] — a sipp UAS behind the proxy.
# Env LAB_UAS_SECS (default 20) bounds it; LAB_UAS_CALLS (default 1) is -m.
lab_uas() {
    local name=$1 port=$2 tmpl=$3
    shift 3
    local args=("$@")
    local has_sep=0 a
    for a in "${args[@]}"; do [[ $a == -- ]] && has_sep=1; done
    ((has_sep)) || args+=(--)
    LAB_HOP[$name]=${LAB_UAS_HOP:-proxy-$name}
    lab_sipp "$name" sipp-uas "$port" "$tmpl" "${LAB_UAS_SECS:-20}" "${args[@]}" \
        -m "${LAB_UAS_CALLS:-1}" ${LAB_UAS_TRANSPORT:+-t "$LAB_UAS_TRANSPORT"}
    local proto=udp
    [[ ${LAB_UAS_TRANSPORT:-u1} == t* ]] && proto=tcp
    lab_wait_listen "$proto" "$port"
}

# lab_uac NAME TEMPLATE USER [KEY=VAL]... [-- sipp args] — the caller; sends to the proxy
# (or LAB_UAC_TARGET) with Call-IDs "<n>-<scenario>@lab". Env LAB_UAC_SECS (default 20),
# LAB_UAC_CALLS (default 1), LAB_UAC_PORT (default 5070).
lab_uac() {
    local name=$1 tmpl=$2 user=$3
    shift 3
    local args=("$@")
    local has_sep=0 a
    for a in "${args[@]}"; do [[ $a == -- ]] && has_sep=1; done
    ((has_sep)) || args+=(--)
    LAB_HOP[$name]=${LAB_UAC_HOP:-$name-proxy}
    lab_sipp "$name" sipp-uac "${LAB_UAC_PORT:-$LAB_CALLER_PORT}" "$tmpl" "${LAB_UAC_SECS:-20}" \
        "${args[@]}" -m "${LAB_UAC_CALLS:-1}" -s "$user" -cid_str "%u-$LAB_NAME@lab" \
        ${LAB_UAC_TRANSPORT:+-t "$LAB_UAC_TRANSPORT"} \
        "${LAB_UAC_TARGET:-$LAB_IP:$LAB_PROXY_PORT}"
}

# lab_wait_sipp NAME [SECS] — wait for a sipp instance; a non-zero exit fails the scenario
# unless LAB_SIPP_FAIL_OK is set.
lab_wait_sipp() {
    local name=$1 secs=${2:-30} rc=0
    lab_wait "$name" "$secs" || rc=$?
    if ((rc == 124)); then
        lab_die "sipp $name still running after ${secs}s"
    fi
    lab_log "sipp $name exited rc=$rc"
    if ((rc != 0)) && [[ -z ${LAB_SIPP_FAIL_OK:-} ]]; then
        lab_show_sipp_errors "$name"
        lab_die "sipp $name failed (rc=$rc)"
    fi
    return 0
}

lab_show_sipp_errors() {
    local f
    for f in "$LAB_WORK/$1".err.log "$LAB_WORK/$1".stderr; do
        [[ -s $f ]] && { echo "--- $f" >&2; tail -20 "$f" >&2; }
    done
    return 0
}

# --- delay line ----------------------------------------------------------------------------

# Build tests/lab/delayq/delayq.c into the scratch directory (never into the source tree).
lab_build_delayq() {
    [[ -x $LAB_WORK/delayq ]] && return 0
    local cc=${CC:-gcc}
    command -v "$cc" >/dev/null || cc=cc
    "$cc" -O2 -std=c11 -Wall -Wextra -o "$LAB_WORK/delayq" "$LAB_HOME/delayq/delayq.c" \
        -lnetfilter_queue 2>"$LAB_WORK/delayq-build.log" ||
        { cat "$LAB_WORK/delayq-build.log" >&2; lab_die "cannot build delayq (libnetfilter-queue-dev?)"; }
}

# lab_delay NAME QUEUE CHAIN MS "IPTABLES MATCH" [-m STRING]... [-c COUNT]
# Send packets that match the iptables match in CHAIN (OUTPUT: delayed before the capture
# point sees them, i.e. latency on the sender's side; INPUT: the capture sees them on time and
# the receiver gets them late) through NFQUEUE QUEUE, where delayq holds the ones containing
# every -m string for MS milliseconds. Rules live in the namespace only.
lab_delay() {
    local name=$1 queue=$2 chain=$3 ms=$4 match=$5
    shift 5
    lab_build_delayq
    lab_spawn "$name" delayq "$LAB_WORK/delayq" -q "$queue" -d "$ms" -t "$(lab_left)" "$@"
    local i
    for ((i = 0; i < 40; i++)); do
        grep -q "ready" "$LAB_WORK/$name.stderr" 2>/dev/null && break
        lab_alive "$name" || lab_die "delayq $name exited: $(cat "$LAB_WORK/$name.stderr")"
        sleep 0.05
    done
    # shellcheck disable=SC2086
    lab_nsexec iptables -A "$chain" $match -j NFQUEUE --queue-num "$queue" --queue-bypass ||
        lab_die "iptables rule failed"
    lab_log "delay: $chain $match -> queue $queue, ${ms}ms for [$*]"
}

# --- end of scenario -----------------------------------------------------------------------

# lab_finish [SETTLE_SECONDS] — wait for the remaining sipp instances (bounded), let late
# retransmissions settle, stop kamailio and delay lines, close the capture.
lab_finish() {
    local settle=${1:-0.3} n role
    # callers drive the scenario: wait for them first, then for the callees
    for role in sipp-uac sipp-uas; do
        for n in "${LAB_ORDER[@]}"; do
            if [[ ${LAB_ROLE[$n]} == "$role" ]]; then
                lab_wait_sipp "$n" "${LAB_FINISH_WAIT:-25}"
            fi
        done
    done
    sleep "$settle"
    for n in "${LAB_ORDER[@]}"; do
        case ${LAB_ROLE[$n]} in kamailio | delayq) lab_stop "$n" TERM ;; esac
    done
    lab_capture_stop
    cp "$LAB_PCAP" "$LAB_OUT/$LAB_NAME.pcap"
    lab_log "capture: $(stat -c %s "$LAB_PCAP") bytes"
}

# A scenario whose outcome depends on timing sets LAB_TIMING=1: when what happened is not the
# story it wanted, it exits 3 (run-all.sh retries) instead of 1.
lab_timing_fail() {
    if [[ -n ${LAB_TIMING:-} ]]; then
        echo "lab[$LAB_NAME]: $* (timing-sensitive scenario)" >&2
        exit 3
    fi
    lab_die "$*"
}

# lab_truth — read the scenario's truth spec (JSON) on stdin, add what the sipp instances
# logged (message counts per hop and call, the caller's final responses, sipp statistics),
# check that the sipp side saw what the spec claims, write OUT/NAME.truth.json.
lab_truth() {
    local spec="$LAB_WORK/spec.json" args=() n
    cat >"$spec"
    for n in "${!LAB_HOP[@]}"; do
        args+=(--sipp "$n=${LAB_HOP[$n]}=$LAB_WORK/$n.msg.log=$LAB_WORK/$n.stat.csv")
    done
    for n in "${!LAB_ELEM[@]}"; do
        args+=(--elem "$n=${LAB_ELEM[$n]}")
    done
    python3 "$LAB_HOME/lib/labtool.py" truth --name "$LAB_NAME" --spec "$spec" \
        --script "tests/lab/scenarios/$LAB_NAME.sh" "${args[@]}" \
        --out "$LAB_OUT/$LAB_NAME.truth.json" 2>>"$LAB_WORK/lab.log" ||
        { tail -20 "$LAB_WORK/lab.log" >&2; lab_timing_fail "the sipp logs contradict the spec"; }
    python3 "$LAB_HOME/lib/labtool.py" check --pcap "$LAB_OUT/$LAB_NAME.pcap" \
        --truth "$LAB_OUT/$LAB_NAME.truth.json" >>"$LAB_WORK/lab.log" 2>&1 ||
        { tail -20 "$LAB_WORK/lab.log" >&2; lab_die "capture does not match the truth file"; }
    LAB_OK=1
}

# lab_expect_order HOP CALL-ID KEY KEY... — after lab_truth: prove from the capture that the
# story happened (e.g. "200 INVITE" CANCEL ACK: the 200 crossed the CANCEL). Exits 3 if the
# timing did not reproduce it, which run-all.sh treats as "try again".
lab_expect_order() {
    local hop=$1 cid=$2
    shift 2
    if ! python3 "$LAB_HOME/lib/labtool.py" order --pcap "$LAB_OUT/$LAB_NAME.pcap" \
        --truth "$LAB_OUT/$LAB_NAME.truth.json" --hop "$hop" --call "$cid" "$@" \
        >>"$LAB_WORK/lab.log" 2>&1; then
        tail -1 "$LAB_WORK/lab.log" >&2
        LAB_OK=0
        echo "lab[$LAB_NAME]: the timing did not reproduce the story" >&2
        exit 3
    fi
    lab_log "$(tail -1 "$LAB_WORK/lab.log")"
}

# EXIT trap: stop everything we started (reverse order), empty and delete the namespace.
lab_cleanup() {
    local rc=$? i n
    trap - EXIT INT TERM
    set +e
    for ((i = ${#LAB_ORDER[@]} - 1; i >= 0; i--)); do
        n=${LAB_ORDER[$i]}
        if [[ $n == tcpdump ]]; then lab_stop "$n" INT; else lab_stop "$n" TERM; fi
    done
    if [[ -n $LAB_NS ]] && ip netns list | grep -qw "$LAB_NS"; then
        local left
        left=$(ip netns pids "$LAB_NS" 2>/dev/null)
        if [[ -n $left ]]; then
            # only processes inside our own namespace: all of them were started by this run
            lab_log "cleanup: namespace still has pids $left; killing them"
            echo "lab[$LAB_NAME]: namespace still had processes: $left" >&2
            for n in $left; do kill -KILL "$n" 2>/dev/null; done
            sleep 0.2
            ((rc == 0)) && rc=1
        fi
        ip netns delete "$LAB_NS" || echo "lab[$LAB_NAME]: cannot delete netns $LAB_NS" >&2
    fi
    if ((rc != 0 || LAB_OK == 0)); then
        [[ $rc -eq 0 ]] && rc=1
        echo "lab[$LAB_NAME]: FAILED (rc=$rc); scratch kept in $LAB_WORK" >&2
        rm -f "$LAB_OUT/$LAB_NAME.truth.json"
    elif [[ -n ${LAB_KEEP:-} ]]; then
        echo "lab[$LAB_NAME]: scratch kept in $LAB_WORK" >&2
    else
        rm -rf "$LAB_WORK"
    fi
    exit "$rc"
}
