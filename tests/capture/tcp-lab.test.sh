#!/usr/bin/env bash
# Real software over real TCP: in a private network namespace, a sipp UAC calls a sipp UAS
# over TCP on loopback while tcpdump captures. The INVITE and the 200 OK carry a ~4 KB SDP and
# loopback's MTU is cut to 1300 bytes, so those messages are split over several segments;
# many calls in flight on one connection (-t t1) sometimes let the kernel put the end of one
# message and the start of the next in one segment (counted, not required); a second run
# uses one connection per call (-t tn, connections opened and closed with FIN). For both the
# test checks that
#   - `sipsleuth messages --format json` reports exactly the messages the two sipps counted as
#     sent (-trace_counts), per method and status code, with no gap, malformed message or
#     byte skipped, and with messages reassembled from several segments;
#   - tshark (-o tcp.desegment_tcp_streams:TRUE) lists the same messages at the same frames.
# A third run captures in immediate mode with a small buffer, so the kernel drops packets and
# the capture has hundreds of holes: every message tshark lists must be reported at the same
# frame (we may recover more after a hole; tshark does not reorder, we do).
# Usage: bash tcp-lab.test.sh /path/to/sipsleuth   (ctest passes it). Exit 77 (skip) when not
# root or when sipp, tcpdump or ip is missing; the reason is printed.
set -euo pipefail
bin=$(realpath "$1")
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)

# shellcheck source=netns.sh
source "$here/netns.sh"
netns_setup tcp sipp tcpdump ip python3
# Loopback does no segmentation offload of its own: without a GSO limit tcpdump would see
# whole 4 KB writes as single packets.
ip netns exec "$ns" ip link set lo mtu 1300 gso_max_size 1300 gso_max_segs 1

# Scenarios: sipp's stock UAC/UAS flow with a large SDP on the INVITE and the 200 OK.
python3 - "$work" <<'EOF'
import sys
work = sys.argv[1]
pad = "".join("a=x-pad-%02d:%s\n" % (i, "0123456789abcdef" * 5) for i in range(45))
sdp = ("v=0\no=user1 53655765 2353687637 IN IP[local_ip_type] [local_ip]\ns=-\n"
       "c=IN IP[media_ip_type] [media_ip]\nt=0 0\nm=audio [media_port] RTP/AVP 0\n"
       "a=rtpmap:0 PCMU/8000\n" + pad)
hdr_req = """Via: SIP/2.0/[transport] [local_ip]:[local_port];branch=[branch]
From: sipp <sip:sipp@[local_ip]:[local_port]>;tag=[pid]SIPpTag00[call_number]
To: sut <sip:service@[remote_ip]:[remote_port]>[peer_tag_param]
Call-ID: [call_id]
Contact: <sip:sipp@[local_ip]:[local_port];transport=[transport]>
Max-Forwards: 70
"""
uac = """<?xml version="1.0" encoding="ISO-8859-1" ?>
<scenario name="uac-big-sdp">
<send><![CDATA[
INVITE sip:service@[remote_ip]:[remote_port] SIP/2.0
%(hdr)sCSeq: 1 INVITE
Content-Type: application/sdp
Content-Length: [len]

%(sdp)s]]></send>
<recv response="100" optional="true"/>
<recv response="180" optional="true"/>
<recv response="200" rrs="true"/>
<send><![CDATA[
ACK sip:service@[remote_ip]:[remote_port] SIP/2.0
%(hdr)sCSeq: 1 ACK
Content-Length: 0

]]></send>
<pause milliseconds="200"/>
<send><![CDATA[
BYE sip:service@[remote_ip]:[remote_port] SIP/2.0
%(hdr)sCSeq: 2 BYE
Content-Length: 0

]]></send>
<recv response="200" crlf="true"/>
</scenario>
""" % {"hdr": hdr_req, "sdp": sdp}
resp = """[last_Via:]
[last_From:]
[last_To:];tag=[pid]SIPpTag01[call_number]
[last_Call-ID:]
[last_CSeq:]
Contact: <sip:[local_ip]:[local_port];transport=[transport]>
"""
uas = """<?xml version="1.0" encoding="ISO-8859-1" ?>
<scenario name="uas-big-sdp">
<recv request="INVITE" crlf="true"/>
<send><![CDATA[
SIP/2.0 100 Trying
%(resp)sContent-Length: 0

]]></send>
<send><![CDATA[
SIP/2.0 180 Ringing
%(resp)sContent-Length: 0

]]></send>
<send><![CDATA[
SIP/2.0 200 OK
%(resp)sContent-Type: application/sdp
Content-Length: [len]

%(sdp)s]]></send>
<recv request="ACK" crlf="true"/>
<recv request="BYE"/>
<send><![CDATA[
SIP/2.0 200 OK
%(resp)sContent-Length: 0

]]></send>
</scenario>
""" % {"resp": resp, "sdp": sdp.replace("user1", "user2")}
open(work + "/uac.xml", "w").write(uac)
open(work + "/uas.xml", "w").write(uas)
EOF

# One run: name ($1), transport mode ($2: t1 or tn), calls ($3), rate per second ($4), and
# ($5) "lossless" (a large capture buffer, read when tcpdump stops) or "lossy" (immediate
# mode, a small buffer: at this rate the kernel drops packets, so the capture has holes).
run() {
    local name=$1 mode=$2 calls=$3 rate=$4 loss=$5 dir="$work/$1"
    mkdir -p "$dir"
    local opts=(-B 65536)
    [[ $loss == lossy ]] && opts=(-B 256 --immediate-mode)
    ip netns exec "$ns" timeout 60 tcpdump -i lo -s 0 -U "${opts[@]}" -w "$dir/cap.pcap" \
        tcp port 5060 2>"$dir/tcpdump.err" &
    local tcpd=$!
    pids+=("$tcpd")
    for _ in $(seq 50); do
        grep -q "listening on" "$dir/tcpdump.err" 2>/dev/null && break
        sleep 0.1
    done
    # sipp writes its -trace_counts file (messages sent per scenario step) in its working
    # directory; exec keeps $! the PID of the process that becomes sipp's timeout.
    (cd "$dir" && exec ip netns exec "$ns" timeout 60 sipp -sf "$work/uas.xml" -t "$mode" \
        -i 127.0.0.1 -p 5060 -m "$calls" -max_socket 1000 -nostdin -trace_counts \
        >"$dir/uas.out" 2>&1) &
    local uas=$!
    pids+=("$uas")
    sleep 0.5
    local rc=0 port=()
    [[ $mode == t1 ]] && port=(-p 5080) # tn: one ephemeral port per call
    (cd "$dir" && exec ip netns exec "$ns" timeout 60 sipp -sf "$work/uac.xml" -t "$mode" \
        127.0.0.1:5060 -i 127.0.0.1 "${port[@]}" -m "$calls" -r "$rate" -l 400 \
        -max_socket 1000 -timeout 50 -nostdin -trace_counts >"$dir/uac.out" 2>&1) || rc=$?
    local urc=0
    wait "$uas" || urc=$?
    sleep 2 # let tcpdump read the last block of packets (what is unread at SIGINT is lost)
    kill -INT "$tcpd" 2>/dev/null || true
    wait "$tcpd" || true
    if ((rc != 0 || urc != 0)); then
        echo "FAIL: sipp $mode exited with $rc (uac) / $urc (uas)"
        tail -n 20 "$dir/uac.out" "$dir/uas.out" || true
        exit 1
    fi
    python3 - "$bin" "$dir" "$name" "$root" "$loss" <<'EOF'
import collections, glob, json, shutil, subprocess, sys
binary, d, mode, root, loss = sys.argv[1:6]
sys.path.insert(0, root + "/tests/corpus")
import compare_tshark as ct

def sent(path):
    """Messages a sipp sent, by method or status code, from the last row of its
    -trace_counts file (columns STEP_WHAT_Sent and STEP_WHAT_Retrans)."""
    rows = [l.rstrip("\n").split(";") for l in open(path) if l.strip()]
    out = collections.Counter()
    for name, value in zip(rows[0], rows[-1]):
        parts = name.split("_")
        if len(parts) == 3 and parts[2] in ("Sent", "Retrans") and value.isdigit():
            out[parts[1]] += int(value)
    return out

want = collections.Counter()
for f in glob.glob(d + "/*_counts.csv"):
    want += sent(f)
p = subprocess.run([binary, "messages", "--format", "json", d + "/cap.pcap"],
                   capture_output=True, timeout=120)
msgs, summary = [], {}
for line in p.stdout.decode().splitlines():
    o = json.loads(line)
    if o["type"] == "message":
        msgs.append(o)
    else:
        summary = o["summary"]
got = collections.Counter(m["method"] or str(m["status"]) for m in msgs)
errs = []
if p.returncode != 0:
    errs.append("sipsleuth exit status %d" % p.returncode)
if got != want and loss == "lossless":
    errs.append("messages by kind: sipsleuth %s, sipp sent %s" % (dict(got), dict(want)))

def counter(name):
    for group in summary.values():
        if isinstance(group, dict) and name in group:
            return group[name]
    return None

zero = ["sip.malformed", "tcp.overlap_inconsistent", "stream.buffer_over_limit"]
if loss == "lossless":
    zero += ["tcp.gaps", "stream.bytes_skipped"]
for name in zero:
    v = counter(name)
    if v:
        errs.append("%s = %s, expected 0" % (name, v))
spread = sum(1 for m in msgs if m.get("frame_first", m["frame"]) < m["frame"])
per_frame = collections.Counter(m["frame"] for m in msgs)
shared = sum(1 for n in per_frame.values() if n > 1)
if spread == 0 and loss == "lossless":
    errs.append("no message was reassembled from several segments")
print("%s: %d messages (%s), %d from several segments, %d frames with several messages, "
      "%s connections" % (mode, len(msgs), dict(sorted(got.items())), spread, shared,
                          counter("tcp.connections")))

if shutil.which("tshark"):
    t = subprocess.run(["tshark", "-r", d + "/cap.pcap", "-o", "tcp.desegment_tcp_streams:TRUE",
                        "-Y", "sip", "-T", "fields", "-e", "frame.number", "-e", "sip.Call-ID",
                        "-e", "sip.Method", "-e", "sip.Status-Code", "-e", "sip.CSeq"],
                       capture_output=True, timeout=300)
    truth = ct.parse_raw_fields(t.stdout.decode().splitlines())
    diff = ct.compare(mode, ct.ours_as_tuples(msgs, False), truth, {})
    if loss == "lossy":
        # After a hole tshark stays stuck on the lost bytes; we give the hole up and pick
        # messages up again, so we may report more, but never miss one tshark reports.
        extra = [e for e in diff if ": extra message" in e]
        diff = [e for e in diff if ": extra message" not in e]
        print("%s: kernel dropped packets: %s; %d sent, tshark %d, sipsleuth %d (%d more), "
              "%s gaps" % (mode, open(d + "/tcpdump.err").read().split("received by filter")[-1]
                           .strip().split(" ")[0], sum(want.values()), len(truth), len(msgs),
                           len(extra), counter("tcp.gaps")))
    errs += diff
    print("%s: tshark lists %d messages" % (mode, len(truth)))
else:
    print("%s: tshark not installed, agreement not checked" % mode)
if errs:
    print("FAIL " + mode)
    for e in errs[:30]:
        print("   ", e)
    sys.exit(1)
EOF
}

run one-connection t1 300 1000 lossless
run connection-per-call tn 100 200 lossless
run one-connection-lossy t1 300 1000 lossy
echo "ok: sipsleuth agrees with sipp and tshark over TCP"
