#!/usr/bin/env python3
"""Write the seed corpora of fuzz_tcp and fuzz_ws (formats in fuzz_tcp.c and fuzz_ws.c).

fuzz/corpus/tcp/: the TCP segments of the corpus captures that carry SIP or WebSocket over
TCP (read with tshark), re-encoded as fuzz_tcp records, plus a few hand-made orderings
(out of order, retransmitted, overlapping, wrapped). fuzz/corpus/ws/: the WebSocket capture's
client and server halves, and hand-made frame streams (masked, 16/64-bit lengths,
fragments with control frames, bad frames).

Usage: fuzz/make_stream_seeds.py   (from the repository root; needs tshark)
"""
import os
import struct
import subprocess

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
PCAPS = os.path.join(ROOT, "tests", "data", "corpus", "pcap")
OUT = os.path.join(ROOT, "fuzz", "corpus")
MAX_SEED = 48 * 1024

TCP_FILES = [
    "heplify_tcp-segmented_port6060_update-prack-cancel.pcap",
    "heplify_tcp-retransmission_sll_register-401.pcap",
    "heplify_websocket-and-udp_407.pcap",
    "sipnab_sip-over-tcp.pcap",
    "sngrep_ipip_tcp.pcap",
    "suricata_tcp_register-200.pcap",
    "suricata_tcp_register-401.pcap",
    "ndpi_http-on-port-5060_not-sip.pcapng",
]

FLAG_BITS = {0x02: 1, 0x01: 2, 0x04: 3, 0x10: 4, 0x08: 5}  # SYN FIN RST ACK PSH -> bit


def segments(path):
    """(stream, src, seq, flags, payload) for every TCP segment, via tshark."""
    out = subprocess.run(
        ["tshark", "-r", path, "-Y", "tcp", "-T", "fields", "-e", "tcp.stream", "-e",
         "tcp.srcport", "-e", "ip.src", "-e", "tcp.seq_raw", "-e", "tcp.flags", "-e",
         "tcp.payload"], capture_output=True, check=True).stdout.decode()
    for line in out.splitlines():
        c = line.split("\t")
        if len(c) < 6 or not c[0]:
            continue
        src = c[2].split(",")[-1] + ":" + c[1]
        yield int(c[0]), src, int(c[3]), int(c[4], 16), bytes.fromhex(c[5].replace(":", ""))


def record(direction, flags, off, conn, payload):
    b0 = direction
    for bit, pos in FLAG_BITS.items():
        if flags & bit:
            b0 |= 1 << pos
    return struct.pack(">BhBB", b0, off, len(payload), conn) + payload


def tcp_seed(path):
    """Re-encode a capture's segments; sequence offsets relative to each direction's end."""
    first_src, cursor, out = {}, {}, bytearray([0])
    for stream, src, seq, flags, payload in segments(path):
        conn = stream & 3
        first_src.setdefault(stream, src)
        d = 0 if first_src[stream] == src else 1
        key = (conn, d)
        if key not in cursor:
            cursor[key] = seq
        off = (seq - cursor[key] + 2**31) % 2**32 - 2**31
        if not -32768 <= off <= 32767:
            off = 0
        pieces = [payload[i:i + 255] for i in range(0, len(payload), 255)] or [b""]
        for i, piece in enumerate(pieces):
            fl = flags if i == len(pieces) - 1 else flags & ~0x07
            out += record(d, fl, off if i == 0 else 0, conn, piece)
            if len(out) > MAX_SEED:
                return bytes(out)
        cursor[key] = (seq + len(payload) + (1 if flags & 0x03 else 0)) % 2**32
    return bytes(out)


MSG = (b"OPTIONS sip:b SIP/2.0\r\nCall-ID: f1\r\nCSeq: 1 OPTIONS\r\n"
       b"Content-Length: 4\r\n\r\nbody")


def handmade_tcp():
    syn = record(0, 0x02, 0, 0, b"") + record(1, 0x12, 0, 0, b"")
    a, b, c = MSG[:30], MSG[30:60], MSG[60:]
    seeds = {
        "synth_in-order": b"\0" + syn + record(0, 0x18, 0, 0, a) + record(0, 0x18, 0, 0, b) +
        record(0, 0x18, 0, 0, c) + record(0, 0x11, 0, 0, b"") + record(1, 0x11, 0, 0, b""),
        # c first (ahead by 60), then a, then b: held and released
        "synth_out-of-order": b"\0" + syn + record(0, 0x18, 60, 0, c) + record(0, 0x18, -60 - len(c), 0, a)
        + record(0, 0x18, 0, 0, b),
        # a, a again, then b overlapping a by 10
        "synth_retransmit-overlap": b"\0" + syn + record(0, 0x18, 0, 0, a) + record(0, 0x18, -30, 0, a)
        + record(0, 0x18, -10, 0, MSG[20:60]) + record(0, 0x18, 0, 0, c),
        # a hole acknowledged by the peer, then a RST
        "synth_gap-rst": b"\0" + syn + record(0, 0x18, 0, 0, a) + record(0, 0x18, 30, 0, c) +
        record(1, 0x10, 0, 0, b"") + record(1, 0x04, 0, 0, b""),
        # several connections and an idle pause
        "synth_conns-idle": b"\1" + syn + record(0, 0x18, 0, 1, MSG) +
        record(0, 0x18, 0, 2, MSG) + record(0x80, 0x18, 0, 3, MSG) + record(0, 0x18, 0, 0, MSG),
        # initial sequence numbers near 2^32
        "synth_wrap": b"\6" + syn + record(0, 0x18, 0, 0, MSG * 3),
    }
    return seeds


def ws_frame(b0, payload, masked=False, lenbytes=0):
    key = b"\x37\xfa\x21\x3d"
    n = len(payload)
    if lenbytes == 8 or n > 65535:
        h = bytes([b0, 127]) + struct.pack(">Q", n)
    elif lenbytes == 2 or n > 125:
        h = bytes([b0, 126]) + struct.pack(">H", n)
    else:
        h = bytes([b0, n])
    if masked:
        h = h[:1] + bytes([h[1] | 0x80]) + h[2:] + key
        payload = bytes(x ^ key[i & 3] for i, x in enumerate(payload))
    return h + payload


def ws_records(chunks, flags=None):
    out = bytearray()
    for i, ch in enumerate(chunks):
        for j in range(0, max(len(ch), 1), 255):
            piece = ch[j:j + 255]
            out += bytes([len(piece), (flags or {}).get(i, 0) if j == 0 else 0]) + piece
    return bytes(out)


def ws_capture_halves():
    """The client and server byte streams of the WebSocket capture, as fuzz_ws inputs."""
    path = os.path.join(PCAPS, "heplify_websocket-and-udp_407.pcap")
    halves = {}
    for stream, src, seq, flags, payload in segments(path):
        if payload and src.endswith(":43380") or payload and src.endswith(":8080"):
            halves.setdefault(src.endswith(":8080"), []).append(payload)
    return {"capture_client": bytes([2]) + ws_records(halves[False]),
            "capture_server": bytes([2]) + ws_records(halves[True])}


def handmade_ws():
    req = (b"GET / HTTP/1.1\r\nHost: p\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
           b"Sec-WebSocket-Protocol: sip\r\n\r\n")
    frames = (ws_frame(0x81, MSG, True) + ws_frame(0x81, MSG, True, 2) +
              ws_frame(0x01, MSG[:10], True) + ws_frame(0x89, b"hi", True) +
              ws_frame(0x80, MSG[10:], True, 8) + ws_frame(0x81, b"\r\n\r\n", True) +
              ws_frame(0x88, b"\x03\xe8", True))
    bad = ws_frame(0x83, b"xx") + ws_frame(0x81, MSG) + ws_frame(0x80, b"c") + \
        ws_frame(0xc1, b"deflated") + ws_frame(0x81, MSG)
    return {
        "synth_client": bytes([2]) + ws_records([req + frames[:50], frames[50:]]),
        "synth_server_frames": bytes([1]) + ws_records([ws_frame(0x81, MSG), ws_frame(0x82, MSG)]),
        "synth_bad_frames": bytes([1]) + ws_records([bad[:7], bad[7:]]),
        "synth_gap_midstream": bytes([4]) + ws_records(
            [ws_frame(0x01, MSG[:20], True), ws_frame(0x81, MSG, True)], {1: 1}),
    }


def write(dirname, name, data):
    os.makedirs(os.path.join(OUT, dirname), exist_ok=True)
    with open(os.path.join(OUT, dirname, name), "wb") as f:
        f.write(data)


def main():
    for fname in TCP_FILES:
        write("tcp", fname.split(".")[0], tcp_seed(os.path.join(PCAPS, fname)))
    for name, data in handmade_tcp().items():
        write("tcp", name, data)
    for name, data in {**ws_capture_halves(), **handmade_ws()}.items():
        write("ws", name, data)


if __name__ == "__main__":
    main()
