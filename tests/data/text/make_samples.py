#!/usr/bin/env python3
"""Write the text-trace samples of this folder and their expected listings.

Each sample is one short, realistic trace in the output format of one tool, written for this
project: addresses from the documentation ranges (192.0.2.0/24, 198.51.100.0/24, 203.0.113.0/24),
domain example.com. The SIP messages are built here with correct Content-Lengths (in CRLF
bytes); each renderer below reproduces what the tool prints around them (markers, prefixes,
escapes, noise lines), following the tool's source where it is public. The expected listing
NAME.expected is written from the scenario data (what was put in), never from sipsleuth's
output. Run it from anywhere; it rewrites the files next to it. Deterministic.
"""
import datetime
import os

HERE = os.path.dirname(os.path.abspath(__file__))
SDP_A = ["v=0", "o=alice 2890844526 2890844526 IN IP4 192.0.2.10", "s=-",
         "c=IN IP4 192.0.2.10", "t=0 0", "m=audio 49170 RTP/AVP 0 8 101",
         "a=rtpmap:0 PCMU/8000", "a=rtpmap:8 PCMA/8000", "a=rtpmap:101 telephone-event/8000",
         "a=fmtp:101 0-15", "a=sendrecv"]
SDP_B = ["v=0", "o=bob 2808844564 2808844564 IN IP4 192.0.2.20", "s=-",
         "c=IN IP4 192.0.2.20", "t=0 0", "m=audio 3456 RTP/AVP 0 101",
         "a=rtpmap:0 PCMU/8000", "a=rtpmap:101 telephone-event/8000", "a=sendrecv"]


class Msg:
    """One SIP message: start line, headers, body lines; src/dst/transport/time for listings."""

    def __init__(self, start, headers, body=None, src=None, dst=None, tp="UDP", t=None):
        self.start, self.headers, self.body = start, headers, body or []
        self.src, self.dst, self.tp, self.t = src, dst, tp, t

    def body_text(self):
        return "".join(l + "\r\n" for l in self.body)

    def lines(self):
        """Lines of the message (CRLF counted by the caller); the blank line included."""
        h = list(self.headers)
        if self.body:
            h.append("Content-Type: application/sdp")
        h.append("Content-Length: %d" % len(self.body_text().encode()))
        return [self.start] + h + [""] + self.body

    def header(self, name):
        for h in self.headers:
            if h.lower().startswith(name.lower() + ":"):
                return h.split(":", 1)[1].strip()
        return ""


def via(host, port, branch, tp="UDP", extra=""):
    return "Via: SIP/2.0/%s %s:%d;branch=%s%s" % (tp, host, port, branch, extra)


def call_flow(cid, a, b, t0, tp="UDP", step=0.05, callee="bob", caller="alice"):
    """INVITE/100/180/200/ACK/BYE/200 between UA a and UA (or PBX) b: ((ip, port), ...)."""
    ua, ub = "%s:%d" % a, "%s:%d" % b
    fr = "From: \"%s\" <sip:%s@example.com>;tag=9fxced76sl" % (caller.title(), caller)
    to = "To: <sip:%s@example.com>" % callee
    tot = to + ";tag=8321234356"
    br1, br2, br3 = "z9hG4bK74bf9", "z9hG4bKnashds8", "z9hG4bK776asdhds"
    v1 = via(a[0], a[1], br1, tp, ";rport")
    common = ["Call-ID: " + cid]
    ms, t = [], t0

    def add(m, dt=step):
        nonlocal t
        m.t = t
        ms.append(m)
        t += dt
    inv = ["Max-Forwards: 70", v1, fr, to] + common + ["CSeq: 314159 INVITE",
           "Contact: <sip:%s@%s;transport=%s>" % (caller, ua, tp.lower()),
           "User-Agent: Example Softphone 5.1", "Allow: INVITE, ACK, CANCEL, BYE, OPTIONS"]
    add(Msg("INVITE sip:%s@example.com SIP/2.0" % callee, inv, SDP_A, ua, ub, tp), 0.02)
    r = [v1, fr, to] + common + ["CSeq: 314159 INVITE"]
    add(Msg("SIP/2.0 100 Trying", r, None, ub, ua, tp), 0.5)
    rt = [v1, fr, tot] + common + ["CSeq: 314159 INVITE", "Contact: <sip:%s@%s>" % (callee, ub)]
    add(Msg("SIP/2.0 180 Ringing", rt, None, ub, ua, tp), 3.2)
    add(Msg("SIP/2.0 200 OK", rt, SDP_B, ub, ua, tp), 0.03)
    v2 = via(a[0], a[1], br2, tp, ";rport")
    ack = ["Max-Forwards: 70", v2, fr, tot] + common + ["CSeq: 314159 ACK"]
    add(Msg("ACK sip:%s@%s SIP/2.0" % (callee, ub), ack, None, ua, ub, tp), 12.5)
    v3 = via(a[0], a[1], br3, tp, ";rport")
    bye = ["Max-Forwards: 70", v3, fr, tot] + common + ["CSeq: 314160 BYE"]
    add(Msg("BYE sip:%s@%s SIP/2.0" % (callee, ub), bye, None, ua, ub, tp), 0.02)
    add(Msg("SIP/2.0 200 OK", [v3, fr, tot] + common + ["CSeq: 314160 BYE"], None, ub, ua, tp))
    return ms


def cancel_flow(cid, a, b, t0, tp="UDP"):
    """INVITE/100/180/CANCEL/200/487/ACK: the caller gives up while it rings."""
    ua, ub = "%s:%d" % a, "%s:%d" % b
    fr = "From: <sip:carol@example.com>;tag=a73kszlfl"
    to = "To: <sip:dave@example.com>"
    tot = to + ";tag=1410948204"
    v = via(a[0], a[1], "z9hG4bK-524287-1---6a7bc3c3", tp, ";rport")
    c = ["Call-ID: " + cid]
    ms, t = [], t0

    def add(m, dt):
        nonlocal t
        m.t = t
        ms.append(m)
        t += dt
    add(Msg("INVITE sip:dave@example.com SIP/2.0",
            ["Max-Forwards: 70", v, fr, to] + c + ["CSeq: 1 INVITE",
             "Contact: <sip:carol@%s>" % ua], SDP_A, ua, ub, tp), 0.01)
    add(Msg("SIP/2.0 100 Trying", [v, fr, to] + c + ["CSeq: 1 INVITE"], None, ub, ua, tp), 0.4)
    add(Msg("SIP/2.0 180 Ringing", [v, fr, tot] + c + ["CSeq: 1 INVITE"], None, ub, ua, tp), 7.9)
    add(Msg("CANCEL sip:dave@example.com SIP/2.0",
            ["Max-Forwards: 70", v, fr, to] + c + ["CSeq: 1 CANCEL",
             "Reason: SIP;cause=487;text=\"Request Terminated\""], None, ua, ub, tp), 0.01)
    add(Msg("SIP/2.0 200 OK", [v, fr, tot] + c + ["CSeq: 1 CANCEL"], None, ub, ua, tp), 0.01)
    add(Msg("SIP/2.0 487 Request Terminated", [v, fr, tot] + c + ["CSeq: 1 INVITE"], None, ub,
            ua, tp), 0.01)
    add(Msg("ACK sip:dave@example.com SIP/2.0",
            ["Max-Forwards: 70", v, fr, tot] + c + ["CSeq: 1 ACK"], None, ua, ub, tp), 0.1)
    return ms


def register_flow(cid, a, b, t0, tp="UDP", user="1000"):
    """REGISTER/401/REGISTER with credentials/200."""
    ua, ub = "%s:%d" % a, "%s:%d" % b
    fr = "From: <sip:%s@example.com>;tag=ee5d1a4e" % user
    to = "To: <sip:%s@example.com>" % user
    c = ["Call-ID: " + cid]
    ct = "Contact: <sip:%s@%s;transport=%s>;expires=600" % (user, ua, tp.lower())
    ms, t = [], t0
    v1 = via(a[0], a[1], "z9hG4bK-d8754z-1", tp, ";rport")
    v2 = via(a[0], a[1], "z9hG4bK-d8754z-2", tp, ";rport")
    chal = "WWW-Authenticate: Digest realm=\"example.com\", nonce=\"5f1e1a3b9c2d\", " \
        "algorithm=MD5, qop=\"auth\""
    cred = ("Authorization: Digest username=\"%s\", realm=\"example.com\", "
            "nonce=\"5f1e1a3b9c2d\", uri=\"sip:example.com\", "
            "response=\"6629fae49393a05397450978507c4ef1\", algorithm=MD5, cnonce=\"0a4f113b\", "
            "qop=auth, nc=00000001") % user
    for start, hs, s, d, dt in [
            ("REGISTER sip:example.com SIP/2.0",
             ["Max-Forwards: 70", v1, fr, to] + c + ["CSeq: 1 REGISTER", ct, "Expires: 600"],
             ua, ub, 0.012),
            ("SIP/2.0 401 Unauthorized", [v1, fr, to + ";tag=a6c85cf"] + c +
             ["CSeq: 1 REGISTER", chal], ub, ua, 0.03),
            ("REGISTER sip:example.com SIP/2.0", ["Max-Forwards: 70", v2, fr, to] + c +
             ["CSeq: 2 REGISTER", ct, "Expires: 600", cred], ua, ub, 0.011),
            ("SIP/2.0 200 OK", [v2, fr, to + ";tag=a6c85cf"] + c +
             ["CSeq: 2 REGISTER", ct, "Date: Mon, 15 Jan 2024 10:00:00 GMT"], ub, ua, 0.2)]:
        m = Msg(start, hs, None, s, d, tp, t)
        ms.append(m)
        t += dt
    return ms


def ts(t):
    return datetime.datetime.fromtimestamp(t, datetime.timezone.utc)


def expect(ms, when="full", addrs="both", tp=None):
    """Expected listing lines. when: full | none | tod (1970 anchor) ; addrs: both | none |
    src | dst."""
    out = []
    for m in ms:
        if when == "none":
            tt = "-"
        else:
            d = ts(m.t)
            if when == "tod":
                d = d.replace(year=1970, month=1, day=1) + datetime.timedelta(days=m.day)
            elif when == "noyear":
                d = d.replace(year=1970)
            tt = d.strftime("%Y-%m-%dT%H:%M:%S.") + "%06d" % d.microsecond
        s = m.src if addrs in ("both", "src") else "?"
        d_ = m.dst if addrs in ("both", "dst") else "?"
        if addrs == "none":
            s = d_ = "-"
        elif addrs == "remote":
            s, d_ = (m.src, "?") if m.recv else ("?", m.dst)
        out.append(" | ".join([m.start, m.header("Call-ID"), m.header("CSeq"), tt,
                               "%s -> %s" % (s, d_), tp or m.tp]))
    return "\n".join(out) + "\n"


def write(name, text, exp, crlf=False):
    with open(os.path.join(HERE, name), "w", newline="") as f:
        f.write(text)
    with open(os.path.join(HERE, name + ".expected"), "w") as f:
        f.write("# start line | Call-ID | CSeq | time (UTC) | src -> dst | transport\n")
        f.write(exp)


def crlf(m):
    return "".join(l + "\r\n" for l in m.lines())


def lf(m):
    return "".join(l + "\n" for l in m.lines())


EPOCH = 1705313553.123456  # 2024-01-15T10:12:33.123456Z
A, B, P = ("192.0.2.10", 5060), ("192.0.2.20", 5060), ("192.0.2.1", 5060)


def sample_bare():
    """Messages pasted one after another, CRLF kept, one blank line between them."""
    ms = register_flow("8e8b7a71c0b6@192.0.2.10", A, P, EPOCH) + \
        call_flow("a84b4c76e66710@192.0.2.10", A, P, EPOCH + 5)
    write("bare.txt", "\r\n".join(crlf(m) for m in ms), expect(ms, "none", "none"))


def sample_bare_lf():
    """The same kind of paste after an editor or a ticket system turned CRLF into LF: every
    Content-Length now counts one byte per line too many. Over TCP, with chatter around."""
    ms = cancel_flow("7d6b6ad0-4e5c-11ee@198.51.100.7", ("198.51.100.7", 51234), P, EPOCH,
                     "TCP")
    out = ["Hi team, the customer says the call never rang. Trace from their PBX below.", ""]
    for i, m in enumerate(ms):
        out.append(lf(m))
        if i == 2:
            out.append("-- 8 seconds later --\n")
    out.append("Thanks,\nSupport\n")
    write("bare-lf.txt", "\n".join(out), expect(ms, "none", "none"))


def sample_sngrep():
    """sngrep: Save as .txt (save_msg_txt: date, time, src -> dst, payload, blank line)."""
    ms = call_flow("3848276298220188511@192.0.2.10", A, B, EPOCH)
    out = []
    for m in ms:
        d = ts(m.t)
        out.append("%s %s.%06d %s -> %s\n%s\n\n" % (d.strftime("%Y/%m/%d"),
                                                     d.strftime("%H:%M:%S"), d.microsecond,
                                                     m.src, m.dst, crlf(m)))
    write("sngrep.txt", "".join(out), expect(ms, "full", "both", "UDP"))


def sample_sipdump():
    """Kamailio sipdump module, text mode (sipdump_data_print), proxy 192.0.2.1 over TCP."""
    ms = cancel_flow("1c2d09a5b8d7e4f3@198.51.100.7", ("198.51.100.7", 47392), P, EPOCH, "TCP")
    out = []
    for i, m in enumerate(ms):
        rcv = m.dst == "192.0.2.1:5060"
        d = ts(m.t)
        s, dp = m.src.rsplit(":", 1), m.dst.rsplit(":", 1)
        out.append("====================\ntag: %s\npid: 2351\nprocess: %d\ntime: %d.%06d\n"
                   "date: %s\nproto: tcp ipv4\nsrcip: %s\nsrcport: %s\ndstip: %s\n"
                   "dstport: %s\n~~~~~~~~~~~~~~~~~~~~\n%s||||||||||||||||||||\n" %
                   ("rcv" if rcv else "snd", 5 + i % 3, int(m.t), d.microsecond,
                    d.strftime("%a %b %d %H:%M:%S %Y"), s[0], s[1], dp[0], dp[1], crlf(m)))
    write("kamailio-sipdump.data", "".join(out), expect(ms, "full", "both"))


def sample_kamailio_syslog():
    """Kamailio xlog("... $rm from $si:$sp\n$mb") to syslog; rsyslog writes RFC 3339 times
    (here UTC+01:00) and escapes control characters (#015 CR, #012 LF): one line per message."""
    ms = register_flow("4f2c1b0e9d@192.0.2.10", A, P, EPOCH)
    out = ["2024-01-15T11:12:30.000211+01:00 proxy1 kamailio[2340]: NOTICE: <core> [core/"
           "main.c:3042]: main(): version: kamailio 5.7.3 (x86_64/linux)"]
    for m in ms:
        d = ts(m.t + 3600)
        stamp = d.strftime("%Y-%m-%dT%H:%M:%S.") + "%06d+01:00" % d.microsecond
        what = m.start.split()[0] if not m.start.startswith("SIP/") else \
            "reply " + m.start.split()[1]
        esc = crlf(m).replace("\r", "#015").replace("\n", "#012")
        out.append("%s proxy1 kamailio[2351]: INFO: <script>: %s from %s#012%s" %
                   (stamp, what, m.src, esc))
        if m.start.startswith("SIP/2.0 401"):
            out.append("%s proxy1 kamailio[2351]: INFO: <script>: auth challenge sent to "
                       "1000@example.com" % stamp)
    write("kamailio-syslog.log", "\n".join(out) + "\n", expect(ms, "full", "none"))


def sample_opensips_journal():
    """OpenSIPS xlog("$mb") read back with journalctl: a syslog prefix without a year, the
    message's later lines indented under the first, line ends as LF."""
    ms = cancel_flow("b5e2f3a4-0011@203.0.113.5", ("203.0.113.5", 5060), ("192.0.2.2", 5060),
                     EPOCH)
    out = []
    for m in ms:
        d = ts(m.t)
        m.t = float(int(m.t))  # syslog's stamp has whole seconds
        prefix = d.strftime("%b %d %H:%M:%S") + " sbc1 opensips[3456]: "
        lines = m.lines()
        out.append(prefix + lines[0])
        out += [" " * len(prefix) + l if l else "" for l in lines[1:]]
        if m.start.startswith("CANCEL"):
            out.append(prefix.replace(": ", ": INFO:dialog:dlg_onreply: ", 1).rstrip() +
                       " dialog 0x7f3a2c terminated by CANCEL")
    write("opensips-journal.log", "\n".join(out) + "\n", expect(ms, "noyear", "none"))


def sample_chan_sip():
    """Asterisk 'sip set debug on' in the full log (dateformat=%F %T.%3q), PBX 192.0.2.1."""
    ms = call_flow("6a2bd5fe0ab1c2d3@192.0.2.10", A, P, EPOCH, callee="200")
    out = ["[2024-01-15 10:12:31.002] NOTICE[2401] chan_sip.c: Peer '100' is now Reachable. "
           "(4ms / 2000ms)"]
    for m in ms:
        d = ts(m.t)
        stamp = "[%s.%03d]" % (d.strftime("%Y-%m-%d %H:%M:%S"), d.microsecond // 1000)
        m.t = int(m.t * 1000) / 1000.0 + 0.0000001
        m.recv = m.dst == "192.0.2.1:5060"
        out.append("%s VERBOSE[2410] chan_sip.c: " % stamp)
        if m.recv:
            out.append("<--- SIP read from UDP:%s --->\n%s\n<------------->" % (m.src, crlf(m)))
            out.append("%s VERBOSE[2410] chan_sip.c: --- (%d headers %d lines) ---" %
                       (stamp, len(m.headers) + 1 + bool(m.body), len(m.body)))
        else:
            out.append("<--- Transmitting (no NAT) to %s --->\n%s\n<------------>" %
                       (m.dst, crlf(m)))
    write("asterisk-chan_sip.log", "\n".join(out) + "\n", expect(ms, "full", "remote"))


def sample_pjsip():
    """Asterisk 'pjsip set logger on' pasted from the console (no times), PBX 192.0.2.1."""
    ms = cancel_flow("d8e1a40b-2f37-4c5e@192.0.2.30", ("192.0.2.30", 5060), P, EPOCH)
    out = ["Connected to Asterisk 20.5.2 currently running on pbx1 (pid = 1201)",
           "pbx1*CLI> pjsip set logger on", "PJSIP Logging enabled"]
    for m in ms:
        w = crlf(m)
        m.recv = m.dst == "192.0.2.1:5060"
        kind = "response" if m.start.startswith("SIP/") else "request"
        if m.recv:
            out.append("<--- Received SIP %s (%d bytes) from UDP:%s --->\n%s" %
                       (kind, len(w.encode()), m.src, w))
        else:
            out.append("<--- Transmitting SIP %s (%d bytes) to UDP:%s --->\n%s" %
                       (kind, len(w.encode()), m.dst, w))
        if m.start.startswith("INVITE"):
            out.append("    -- Executing [400@from-internal:1] Dial(\"PJSIP/300-00000004\", "
                       "\"PJSIP/400,30\") in new stack")
    write("asterisk-pjsip.txt", "\n".join(out) + "\n", expect(ms, "none", "remote"))


def fs_block(what, m, addr, recv):
    d = ts(m.t)
    w = crlf(m)
    sep = "   " + "-" * 72
    body = "\n".join("   " + l for l in m.lines())
    return "%s %d bytes %s udp/[%s]:%s at %s.%06d:\n%s\n%s\n%s" % (
        what, len(w.encode()), "from" if recv else "to", addr[0], addr[1],
        d.strftime("%H:%M:%S"), d.microsecond, sep, body, sep)


def sample_freeswitch():
    """FreeSWITCH 'sofia global siptrace on' in freeswitch.log (tport_log_msg: times of day,
    lines indented by three blanks, CRs dropped); the date comes from the dated log lines."""
    ms = register_flow("NjRhZDQ0MmE5@192.0.2.30", ("192.0.2.30", 5060), P, EPOCH) + \
        cancel_flow("c0a8011e-5e1d-7d2a@192.0.2.30", ("192.0.2.30", 5060), P, EPOCH + 40)
    out = ["2024-01-15 10:12:30.001734 [INFO] mod_sofia.c:6251 Starting profile internal"]
    for m in ms:
        recv = m.dst == "192.0.2.1:5060"
        m.recv = recv
        peer = (m.src if recv else m.dst).rsplit(":", 1)
        out.append(fs_block("recv" if recv else "send", m, peer, recv))
        if m.start.startswith("SIP/2.0 200") and "REGISTER" in m.header("CSeq"):
            d = ts(m.t)
            out.append("%s.%06d [NOTICE] sofia_reg.c:2233 Registered 1000@example.com from "
                       "udp/192.0.2.30:5060" % (d.strftime("%Y-%m-%d %H:%M:%S"), d.microsecond))
    write("freeswitch.log", "\n".join(out) + "\n", expect(ms, "full", "remote"))


def sample_pjsua():
    """pjsua's log (pjsua_core.c logging_on_tx_msg/rx_msg), times of day only; the call
    crosses midnight, so its last messages are on the next day."""
    t0 = datetime.datetime(2024, 1, 15, 23, 59, 45, 512000, datetime.timezone.utc).timestamp()
    ms = call_flow("Kq2nGU5bK3r8@192.0.2.10", A, P, t0)
    out = ["23:59:44.991    pjsua_app.c  .Making call with acc #0 to sip:bob@example.com"]
    for m in ms:
        d = ts(m.t)
        m.t = int(m.t * 1000) / 1000.0 + 0.0000001
        m.day = 0 if d.hour == 23 else 1
        tx = m.src == "192.0.2.10:5060"
        w = crlf(m)
        info = ("Request msg %s/cseq=%s (%s0x55d0c8e04a28)" %
                (m.start.split()[0], m.header("CSeq").split()[0], "tdta" if tx else "rdata")
                if not m.start.startswith("SIP/") else
                "Response msg %s/%s/cseq=%s (%s0x7f1c9c003e28)" %
                (m.start.split()[1], m.header("CSeq").split()[1], m.header("CSeq").split()[0],
                 "tdta" if tx else "rdata"))
        out.append("%s.%03d   pjsua_core.c  .%s %d bytes %s %s UDP %s:\n%s\n--end msg--" %
                   (d.strftime("%H:%M:%S"), d.microsecond // 1000, "TX" if tx else "RX",
                    len(w.encode()), info, "to" if tx else "from", m.dst if tx else m.src, w))
        m.recv = not tx
    write("pjsua.log", "\n".join(out) + "\n", expect(ms, "tod", "remote"))


def ngrep_head(m, tcp, n):
    d = ts(m.t)
    return "%s %s.%06d %s -> %s%s #%d" % ("T" if tcp else "U", d.strftime("%Y/%m/%d %H:%M:%S"),
                                          d.microsecond, m.src, m.dst, " [AP]" if tcp else "", n)


def sample_ngrep():
    """ngrep -t port 5060 (default format): payload wrapped at 75 columns, two blanks of
    indent, CR and LF shown as dots; '#' hash marks between packets."""
    ms = register_flow("e1d0c9b8a7@192.0.2.40", ("192.0.2.40", 5060), P, EPOCH)
    mt = cancel_flow("ab12cd34@198.51.100.9", ("198.51.100.9", 40312), P, EPOCH + 10, "TCP")
    out = ["interface: eth0 (192.0.2.0/255.255.255.0)",
           "filter: ( port 5060 ) and ((ip || ip6) || (vlan && (ip || ip6)))"]
    for i, m in enumerate(ms + mt):
        tcp = m.tp == "TCP"
        pay = crlf(m).replace("\r", ".").replace("\n", ".")
        out.append("#" * (1 + i % 3))
        out.append(ngrep_head(m, tcp, 3 * i + 1))
        for k in range(0, len(pay), 75):
            out.append("  " + pay[k:k + 75].ljust(75))
    write("ngrep.txt", "\n".join(out) + "\n", expect(ms + mt, "full", "both"))


def sample_ngrep_byline():
    """ngrep -q -t -W byline port 5060: the payload's own lines, each CR shown as '.'."""
    ms = call_flow("9b0c2f11e4@192.0.2.10", A, B, EPOCH)
    out = []
    for i, m in enumerate(ms):
        out.append("")
        out.append(ngrep_head(m, False, i + 1))
        out.append(crlf(m).replace("\r", "."))
    write("ngrep-byline.txt", "\n".join(out) + "\n", expect(ms, "full", "both"))


for fn in [sample_bare, sample_bare_lf, sample_sngrep, sample_sipdump, sample_kamailio_syslog,
           sample_opensips_journal, sample_chan_sip, sample_pjsip, sample_freeswitch,
           sample_pjsua, sample_ngrep, sample_ngrep_byline]:
    fn()
