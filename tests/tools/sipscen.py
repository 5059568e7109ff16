#!/usr/bin/env python3
"""Build small, exact SIP captures for tests: every message written out by the scenario.

A scenario is a Python function that calls `req()` and `resp()` with explicit times, addresses,
Via stacks, tags and CSeq, so that a reader of the test sees the whole story. `Capture.write()`
makes a classic pcap (Ethernet/IPv4/UDP; a frame added with proto "tcp" becomes a TCP
segment, with proto "sctp" an SCTP packet with one DATA chunk).

    cap = Capture()
    v_a = ("10.0.0.1:5060", "z9hG4bKa1")
    cap.req(0.000, A, P, "INVITE", "sip:bob@b.example", [v_a], cid, ftag, None, 1)
    cap.resp(0.010, P, A, 100, "Trying", [v_a], cid, ftag, None, 1, "INVITE")
    cap.write("out.pcap")

This file is test tooling, not product code.
"""
import struct

SDP = ("v=0\r\no=- 1 1 IN IP4 {ip}\r\ns=-\r\nc=IN IP4 {ip}\r\nt=0 0\r\n"
       "m=audio 4000 RTP/AVP 0\r\na=rtpmap:0 PCMU/8000\r\n")


def _ip(s):
    return bytes(int(x) for x in s.split("."))


def _split(addr):
    host, port = addr.rsplit(":", 1)
    return host, int(port)


def _csum(b):
    if len(b) % 2:
        b += b"\0"
    s = sum(struct.unpack("!%dH" % (len(b) // 2), b))
    while s >> 16:
        s = (s & 0xFFFF) + (s >> 16)
    return (~s) & 0xFFFF


class Capture:
    def __init__(self, start=1700000000.0):
        self.start = start
        self.frames = []  # (t, src, dst, payload, proto)

    def raw(self, t, src, dst, payload, proto="udp"):
        self.frames.append((t, src, dst, payload if isinstance(payload, bytes) else payload.encode(), proto))

    def req(self, t, src, dst, method, ruri, vias, call_id, from_tag, to_tag, cseq,
            cseq_method=None, extra=(), body=None, from_uri="sip:alice@a.example",
            to_uri="sip:bob@b.example", max_forwards=70):
        """vias: list of (sent_by, branch) top first. body=True puts an SDP offer."""
        lines = ["%s %s SIP/2.0" % (method, ruri)]
        lines += ["Via: SIP/2.0/UDP %s;branch=%s" % v for v in vias]
        lines.append("Max-Forwards: %d" % max_forwards)
        lines += self._common(call_id, from_uri, from_tag, to_uri, to_tag, cseq,
                              cseq_method or method)
        if method == "INVITE":
            lines.append("Contact: <sip:%s>" % src)
        lines += list(extra)
        self.raw(t, src, dst, self._finish(lines, body, src))

    def resp(self, t, src, dst, code, reason, vias, call_id, from_tag, to_tag, cseq,
             cseq_method, extra=(), body=None, from_uri="sip:alice@a.example",
             to_uri="sip:bob@b.example"):
        lines = ["SIP/2.0 %d %s" % (code, reason)]
        lines += ["Via: SIP/2.0/UDP %s;branch=%s" % v for v in vias]
        lines += self._common(call_id, from_uri, from_tag, to_uri, to_tag, cseq, cseq_method)
        if cseq_method == "INVITE" and 100 < code < 300:
            lines.append("Contact: <sip:%s>" % src)
        lines += list(extra)
        self.raw(t, src, dst, self._finish(lines, body, src))

    @staticmethod
    def _common(call_id, from_uri, from_tag, to_uri, to_tag, cseq, cseq_method):
        return ["From: <%s>%s" % (from_uri, ";tag=" + from_tag if from_tag else ""),
                "To: <%s>%s" % (to_uri, ";tag=" + to_tag if to_tag else ""),
                "Call-ID: %s" % call_id,
                "CSeq: %d %s" % (cseq, cseq_method)]

    @staticmethod
    def _finish(lines, body, src):
        b = ""
        if body:
            b = body if isinstance(body, str) else SDP.format(ip=_split(src)[0])
            lines.append("Content-Type: application/sdp")
        lines.append("Content-Length: %d" % len(b.encode()))
        return "\r\n".join(lines) + "\r\n\r\n" + b

    def write(self, path):
        eth = b"\x02\x00\x00\x00\x00\x02\x02\x00\x00\x00\x00\x01\x08\x00"
        seqs = {}
        with open(path, "wb") as f:
            f.write(struct.pack("<IHHiIII", 0xA1B2C3D4, 2, 4, 0, 0, 262144, 1))
            for t, src, dst, payload, proto in sorted(self.frames, key=lambda x: x[0]):
                (sh, sp), (dh, dp) = _split(src), _split(dst)
                if proto == "udp":
                    l4 = struct.pack("!HHHH", sp, dp, 8 + len(payload), 0) + payload
                    pnum = 17
                elif proto == "sctp":  # one DATA chunk, B and E set (RFC 9260 §3.3.1)
                    tsn = seqs.get((src, dst, "sctp"), 1)
                    seqs[(src, dst, "sctp")] = tsn + 1
                    chunk = struct.pack("!BBHIHHI", 0, 3, 16 + len(payload), tsn, 0, 0, 0)
                    chunk += payload + b"\0" * (-len(payload) % 4)
                    l4 = struct.pack("!HHII", sp, dp, 1, 0) + chunk
                    pnum = 132
                else:
                    key = (src, dst)
                    seq = seqs.get(key, 1000)
                    seqs[key] = seq + len(payload)
                    l4 = struct.pack("!HHIIBBHHH", sp, dp, seq, 0, 0x50, 0x18, 65535, 0, 0) + payload
                    pnum = 6
                ip = struct.pack("!BBHHHBBH4s4s", 0x45, 0, 20 + len(l4), 0, 0x4000, 64, pnum, 0,
                                 _ip(sh), _ip(dh))
                ip = ip[:10] + struct.pack("!H", _csum(ip)) + ip[12:]
                fr = eth + ip + l4
                ts = self.start + t
                sec = int(ts)
                usec = int(round((ts - sec) * 1e6))
                if usec >= 1000000:
                    sec, usec = sec + 1, usec - 1000000
                f.write(struct.pack("<IIII", sec, usec, len(fr), len(fr)) + fr)
