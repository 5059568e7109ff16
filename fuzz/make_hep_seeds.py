#!/usr/bin/env python3
"""Write the seed corpus of fuzz_hep (fuzz/corpus/hep/): hand-built HEP3 packets (plain, IPv6/TCP,
zlib, gzip and raw-deflate payloads, a log, vendor and unknown chunks, a cut packet), HEP v1/v2
datagrams, raw HEP files and HEP-over-TCP segment sequences, each prefixed by fuzz_hep's mode
byte. Documentation addresses only. Deterministic: rerun to regenerate."""
import os
import struct
import zlib

D = os.path.join(os.path.dirname(os.path.abspath(__file__)), "corpus", "hep")
MSG = (b"OPTIONS sip:bob@example.com SIP/2.0\r\nVia: SIP/2.0/UDP 192.0.2.10:5060;branch=z9hG4bK-f1"
       b"\r\nFrom: <sip:alice@example.com>;tag=a1\r\nTo: <sip:bob@example.com>\r\nCall-ID: "
       b"f1@example.com\r\nCSeq: 1 OPTIONS\r\nMax-Forwards: 70\r\nContent-Length: 0\r\n\r\n")


def chunk(t, b, v=0):
    return struct.pack(">HHH", v, t, 6 + len(b)) + b


def meta(ptype=1, v6=False, proto=17):
    b = chunk(1, bytes([10 if v6 else 2])) + chunk(2, bytes([proto]))
    if v6:
        b += chunk(5, bytes(15) + b"\x01") + chunk(6, bytes(15) + b"\x02")
    else:
        b += chunk(3, b"\xc0\x00\x02\x0a") + chunk(4, b"\xc0\x00\x02\x14")
    b += chunk(7, struct.pack(">H", 5060)) + chunk(8, struct.pack(">H", 5080))
    b += chunk(9, struct.pack(">I", 1700000000)) + chunk(10, struct.pack(">I", 250000))
    return b + chunk(11, bytes([ptype])) + chunk(12, struct.pack(">I", 2001)) + \
        chunk(19, b"edge-1")


def hep3(body):
    return b"HEP3" + struct.pack(">H", 6 + len(body)) + body


def deflate(data, wbits):
    c = zlib.compressobj(9, zlib.DEFLATED, wbits)
    return c.compress(data) + c.flush()


def main():
    plain = hep3(meta() + chunk(14, b"myHep") + chunk(15, MSG))
    v6tcp = hep3(meta(v6=True, proto=6) + chunk(17, b"f1@example.com") + chunk(15, MSG))
    zl = hep3(meta() + chunk(16, deflate(MSG, 15)))
    gz = hep3(meta() + chunk(16, deflate(MSG, 31)))
    raw = hep3(meta() + chunk(16, deflate(MSG, -15)))
    log = hep3(meta(ptype=100) + chunk(15, b"SYSLOG: Processing OPTIONS"))
    vendor = hep3(meta() + chunk(0x20, b"x", v=2) + chunk(0x99, b"?") + chunk(15, MSG))
    addrs = struct.pack(">HH", 5060, 5080) + b"\xc0\x00\x02\x0a\xc0\x00\x02\x14"
    v2 = bytes([2, 16, 2, 17]) + addrs + struct.pack("<IIH", 1700000000, 5, 77) + b"\0\0" + MSG
    v1 = bytes([1, 16, 2, 17]) + addrs + MSG
    seeds = {
        "udp_v3-plain": b"\x00" + plain, "udp_v3-v6-tcp": b"\x00" + v6tcp,
        "udp_v3-zlib": b"\x00" + zl, "udp_v3-gzip": b"\x00" + gz, "udp_v3-deflate": b"\x00" + raw,
        "udp_v3-log": b"\x00" + log, "udp_v3-vendor": b"\x00" + vendor,
        "udp_v3-two-and-junk": b"\x00" + plain + log + b"junk",
        "udp_v3-cut": b"\x04" + plain[:-30], "udp_v2": b"\x00" + v2, "udp_v1": b"\x00" + v1,
        "file_three-and-garbage": b"\x01" + plain + zl + b"garbage HEP" + log,
        "file_cut": b"\x01" + plain + gz[:40],
        "tcp_split": b"\x06" + plain[:50] + b"FRAG" + plain[50:] + zl + b"FRAG" + log,
        "tcp_midway-gap": b"\x0a" + plain[20:] + b"FRAG" + v6tcp[7:] + raw,
    }
    for name, data in seeds.items():
        with open(os.path.join(D, name), "wb") as f:
            f.write(data)


if __name__ == "__main__":
    main()
