#!/usr/bin/env bash
# SIP over WebSocket over a real TCP connection: in a private network namespace a small Python
# client and server (no WebSocket component is packaged here, so the test crafts the frames
# itself, RFC 6455) talk on loopback port 8080 while tcpdump captures. The client upgrades
# with Sec-WebSocket-Protocol: sip and sends SIP requests in masked frames: single frames, a
# message fragmented into three frames with a ping between them, 16- and 64-bit lengths
# (one 70 KB MESSAGE), each write split in pieces with pauses so frames straddle segments;
# the server answers each request with a 200 OK in unmasked frames (some fragmented) and
# pings. sipsleuth must report exactly the messages the two sides sent, with transport WS,
# and tshark (-o tcp.desegment_tcp_streams:TRUE) must list the same messages at the same
# frames. Usage: bash ws-lab.test.sh /path/to/sipsleuth. Exit 77 (skip) when not root or
# tcpdump, ip or python3 is missing.
set -euo pipefail
bin=$(realpath "$1")
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)

# shellcheck source=netns.sh
source "$here/netns.sh"
netns_setup ws tcpdump ip python3
ip netns exec "$ns" ip link set lo mtu 1300 gso_max_size 1300 gso_max_segs 1

cat >"$work/ws.py" <<'EOF'
import base64, hashlib, json, os, socket, struct, sys, threading, time

N = 12

def frame(b0, payload, mask, lenbytes=0):
    n = len(payload)
    if lenbytes == 8 or n > 65535:
        h = bytes([b0, 127]) + struct.pack(">Q", n)
    elif lenbytes == 2 or n > 125:
        h = bytes([b0, 126]) + struct.pack(">H", n)
    else:
        h = bytes([b0, n])
    if mask:
        key = os.urandom(4)
        h = h[:1] + bytes([h[1] | 0x80]) + h[2:] + key
        payload = bytes(x ^ key[i & 3] for i, x in enumerate(payload))
    return h + payload

def send_slowly(s, data, piece=700):
    for i in range(0, len(data), piece):
        s.sendall(data[i:i + piece])
        time.sleep(0.002)

def read_exact(s, n):
    out = b""
    while len(out) < n:
        chunk = s.recv(n - len(out))
        if not chunk:
            raise EOFError
        out += chunk
    return out

def read_message(s):
    """One data message (frames joined), skipping control frames."""
    parts = []
    while True:
        b0, b1 = read_exact(s, 2)
        n = b1 & 0x7f
        if n == 126:
            n = struct.unpack(">H", read_exact(s, 2))[0]
        elif n == 127:
            n = struct.unpack(">Q", read_exact(s, 8))[0]
        key = read_exact(s, 4) if b1 & 0x80 else None
        data = read_exact(s, n)
        if key:
            data = bytes(x ^ key[i & 3] for i, x in enumerate(data))
        if b0 & 0x0f >= 8:
            continue
        parts.append(data)
        if b0 & 0x80:
            return b"".join(parts)

def request(i):
    body = b""
    method = "OPTIONS" if i % 3 else "MESSAGE"
    if i == 5:
        body = b"x" * 70000  # 64-bit length
    elif method == "MESSAGE":
        body = b"hello over websocket\r\n" * 20
    head = ("%s sip:alice@example.invalid;transport=ws SIP/2.0\r\n"
            "Via: SIP/2.0/WS df7jal23ls0d.invalid;branch=z9hG4bK%06d\r\n"
            "From: <sip:bob@example.invalid>;tag=ws%d\r\nTo: <sip:alice@example.invalid>\r\n"
            "Call-ID: wslab-%d\r\nCSeq: %d %s\r\nMax-Forwards: 70\r\n"
            "Content-Length: %d\r\n\r\n" % (method, i, i, i, i + 1, method, len(body)))
    return method, head.encode() + body

def server(ls, sent):
    c, _ = ls.accept()
    hs = b""
    while b"\r\n\r\n" not in hs:
        hs += c.recv(4096)
    key = [l.split(b":", 1)[1].strip() for l in hs.split(b"\r\n") if l.lower().startswith(b"sec-websocket-key")][0]
    acc = base64.b64encode(hashlib.sha1(key + b"258EAFA5-E914-47DA-95CA-C5AB0DC85B11").digest())
    c.sendall(b"HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
              b"Sec-WebSocket-Accept: " + acc + b"\r\nSec-WebSocket-Protocol: sip\r\n\r\n")
    for i in range(N):
        req = read_message(c)
        lines = req.split(b"\r\n")
        keep = [l for l in lines if l.split(b":")[0].lower() in (b"via", b"from", b"call-id", b"cseq")]
        resp = b"SIP/2.0 200 OK\r\n" + b"\r\n".join(keep) + \
            b"\r\nTo: <sip:alice@example.invalid>;tag=srv\r\nContent-Length: 0\r\n\r\n"
        if i % 4 == 1:
            data = frame(0x01, resp[:40], False) + frame(0x89, b"srv", False) + \
                frame(0x80, resp[40:], False)
        else:
            data = frame(0x81, resp, False, 2 if i % 4 == 2 else 0)
        send_slowly(c, data, 300)
        sent["200"] = sent.get("200", 0) + 1
    c.close()

def main():
    out = sys.argv[1]
    ls = socket.socket()
    ls.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    ls.bind(("127.0.0.1", 8080))
    ls.listen(1)
    sent = {}
    t = threading.Thread(target=server, args=(ls, sent))
    t.start()
    s = socket.create_connection(("127.0.0.1", 8080))
    key = base64.b64encode(os.urandom(16))
    s.sendall(b"GET / HTTP/1.1\r\nHost: 127.0.0.1:8080\r\nUpgrade: websocket\r\n"
              b"Connection: Upgrade\r\nSec-WebSocket-Key: " + key + b"\r\n"
              b"Sec-WebSocket-Protocol: sip\r\nSec-WebSocket-Version: 13\r\n\r\n")
    resp = b""
    while b"\r\n\r\n" not in resp:
        resp += s.recv(4096)
    assert b" 101 " in resp.split(b"\r\n")[0]
    for i in range(N):
        method, msg = request(i)
        if i % 4 == 3:
            data = frame(0x01, msg[:50], True) + frame(0x89, b"cli", True) + \
                frame(0x00, msg[50:100], True) + frame(0x80, msg[100:], True, 8)
        else:
            data = frame(0x81, msg, True, 2 if i % 4 == 2 else 0)
        send_slowly(s, data)
        sent[method] = sent.get(method, 0) + 1
        read_message(s)
    s.sendall(frame(0x88, b"\x03\xe8", True))
    t.join(10)
    s.close()
    json.dump(sent, open(out, "w"))

main()
EOF

ip netns exec "$ns" timeout 60 tcpdump -i lo -s 0 -U -B 65536 -w "$work/cap.pcap" tcp port 8080 \
    2>"$work/tcpdump.err" &
tcpd=$!
pids+=("$tcpd")
for _ in $(seq 50); do
    grep -q "listening on" "$work/tcpdump.err" 2>/dev/null && break
    sleep 0.1
done
ip netns exec "$ns" timeout 60 python3 "$work/ws.py" "$work/sent.json"
sleep 2 # let tcpdump read the last block of packets
kill -INT "$tcpd" 2>/dev/null || true
wait "$tcpd" || true

python3 - "$bin" "$work" "$root" <<'EOF'
import collections, json, shutil, subprocess, sys
binary, d, root = sys.argv[1:4]
sys.path.insert(0, root + "/tests/corpus")
import compare_tshark as ct
want = collections.Counter(json.load(open(d + "/sent.json")))
p = subprocess.run([binary, "messages", "--format", "json", d + "/cap.pcap"], capture_output=True,
                   timeout=60)
msgs, summary = [], {}
for line in p.stdout.decode().splitlines():
    o = json.loads(line)
    if o["type"] == "message":
        msgs.append(o)
    else:
        summary = o["summary"]
got = collections.Counter(m["method"] or str(m["status"]) for m in msgs)
errs = []
if got != want:
    errs.append("messages: sipsleuth %s, sent %s" % (dict(got), dict(want)))
if any(m["transport"] != "WS" for m in msgs):
    errs.append("a message not reported as WS")
def counter(name):
    for group in summary.values():
        if isinstance(group, dict) and name in group:
            return group[name]
for name in ("ws.malformed_frames", "ws.bytes_skipped", "stream.bytes_skipped", "tcp.gaps",
             "sip.malformed"):
    if counter(name):
        errs.append("%s = %s, expected 0" % (name, counter(name)))
spread = sum(1 for m in msgs if m.get("frame_first", m["frame"]) < m["frame"])
print("ws: %d messages %s, %d from several segments, %s frames, %s control frames, "
      "%s fragmented" % (len(msgs), dict(sorted(got.items())), spread, counter("ws.frames"),
                         counter("ws.control_frames"), counter("ws.messages_fragmented")))
if spread == 0:
    errs.append("no message spread over several segments")
if shutil.which("tshark"):
    t = subprocess.run(["tshark", "-r", d + "/cap.pcap", "-o", "tcp.desegment_tcp_streams:TRUE",
                        "-Y", "sip", "-T", "fields", "-e", "frame.number", "-e", "sip.Call-ID",
                        "-e", "sip.Method", "-e", "sip.Status-Code", "-e", "sip.CSeq"],
                       capture_output=True, timeout=120)
    truth = ct.parse_raw_fields(t.stdout.decode().splitlines())
    errs += ct.compare("ws", ct.ours_as_tuples(msgs, False), truth, {})
    print("ws: tshark lists %d messages" % len(truth))
if errs:
    print("FAIL")
    for e in errs[:30]:
        print("   ", e)
    sys.exit(1)
print("ok: sipsleuth agrees with what was sent and with tshark over WebSocket")
EOF
