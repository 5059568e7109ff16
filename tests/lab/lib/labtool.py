#!/usr/bin/env python3
"""Helpers for the sipsleuth lab (tests/lab). Standard library only.

  labtool.py xml TEMPLATE OUT [KEY=VALUE]...
      Render a sipp scenario template: `<!-- lab-params: K=V ... -->` gives the defaults,
      `@@K@@` is replaced, `<!--IF K-->...<!--ENDIF K-->` keeps its lines only when K is set
      (non-empty and not 0), `<!--IFNOT K-->...<!--ENDIFNOT K-->` only when it is not, and a line that only held a placeholder whose value is empty is
      dropped (so an optional header line disappears instead of ending the headers early).

  labtool.py truth --name N --spec SPEC --out OUT --sipp NAME=HOP=MSGLOG=STATCSV...
                   --elem NAME=ADDR:PORT... [--script PATH]
      Merge the scenario's own statement of what it did (SPEC) with what each sipp instance
      logged (-trace_msg, -trace_stat): message counts per call and hop, the final responses
      the caller received, PDD/setup times seen by the caller, sipp's call statistics. Fails
      if the sipp logs contradict the spec (e.g. the caller got another final code).

  labtool.py order --pcap PCAP --truth TRUTH --call CALL-ID --hop HOP KEY KEY...
      Exit 3 unless the first KEYs (e.g. "200 INVITE" "CANCEL") appear on HOP in that order:
      how a race scenario proves from the capture that its messages really crossed.

  labtool.py same TRUTH_A TRUTH_B
      Exit 1 unless two truth files tell the same story (calls, final codes, categories,
      finals, CANCEL origin, diagnoses): how the live lab test compares a fresh run with the
      committed fixture.

  labtool.py check --pcap PCAP --truth TRUTH
      Re-read the capture with tshark only and compare it with the truth file: per call, the
      messages per hop (method, or response code + CSeq method) and the final responses on the
      originating leg. Independent of sipsleuth.
"""

import argparse
import json
import os
import re
import shlex
import subprocess
import sys
from collections import OrderedDict, defaultdict

CATEGORIES = ["SUCCESS", "TIMEOUT", "REJECTED", "CANCELED", "ERROR", "REDIRECTED", "INCOMPLETE"]


def category_of(code):
    """DESIGN.md result category (seed mapping) for a final code (None: no final)."""
    if code is None:
        return "INCOMPLETE"
    if 200 <= code < 300:
        return "SUCCESS"
    if code in (408, 480):
        return "TIMEOUT"
    if code in (486, 600, 603):
        return "REJECTED"
    if code == 487:
        return "CANCELED"
    if 300 <= code < 400:
        return "REDIRECTED"
    return "ERROR"


# ---------------------------------------------------------------------------------------------
# xml


def cmd_xml(args):
    text = open(args.template, encoding="utf-8").read()
    m = re.search(r"<!--\s*lab-params:(.*?)-->", text, re.S)
    params = OrderedDict()
    if m:
        for tok in shlex.split(m.group(1)):
            k, _, v = tok.partition("=")
            params[k] = v
    for kv in args.kv:
        k, sep, v = kv.partition("=")
        if not sep:
            sys.exit(f"labtool xml: expected KEY=VALUE, got {kv!r}")
        if k not in params:
            sys.exit(f"labtool xml: {os.path.basename(args.template)} has no parameter {k}")
        params[k] = v

    def truthy(k):
        if k not in params:
            sys.exit(f"labtool xml: IF on unknown parameter {k}")
        return params[k] not in ("", "0")

    # conditional blocks (not nested)
    def cond(mo):
        return mo.group(2) if truthy(mo.group(1)) else ""

    def condnot(mo):
        return "" if truthy(mo.group(1)) else mo.group(2)

    # blocks may nest (with different names): repeat until nothing changes
    while True:
        before = text
        text = re.sub(r"<!--IF (\w+)-->\n?(.*?)<!--ENDIF \1-->\n?", cond, text, flags=re.S)
        text = re.sub(r"<!--IFNOT (\w+)-->\n?(.*?)<!--ENDIFNOT \1-->\n?", condnot, text,
                      flags=re.S)
        if text == before:
            break
    if re.search(r"<!--(IF|IFNOT|ENDIF|ENDIFNOT) ", text):
        sys.exit("labtool xml: unbalanced IF/IFNOT blocks")
    out = []
    for line in text.split("\n"):
        had = "@@" in line
        line = re.sub(r"@@(\w+)@@", lambda mo: params[mo.group(1)] if mo.group(1) in params
                      else mo.group(0), line)
        if "@@" in line:
            sys.exit(f"labtool xml: unknown placeholder in line: {line.strip()}")
        if had and not line.strip():
            continue
        out.append(line)
    with open(args.out, "w", encoding="utf-8") as f:
        f.write("\n".join(out))


# ---------------------------------------------------------------------------------------------
# sipp message logs

LOG_SEP = re.compile(r"^-{20,} (\S+ \S+)\s*$")
LOG_HEAD = re.compile(r"^(UDP|TCP|TLS|SCTP) message (sent|received)")


def split_sip(blob):
    """Split a byte-ish string holding one or more SIP messages (stream framing by
    Content-Length, RFC 3261 §18.3). Returns the list of messages."""
    msgs = []
    rest = blob
    while rest.strip():
        rest = rest.lstrip("\r\n")
        end = rest.find("\r\n\r\n")
        sep = 4
        if end < 0:
            end = rest.find("\n\n")
            sep = 2
        if end < 0:
            msgs.append(rest)
            break
        head = rest[:end]
        m = re.search(r"^(?:Content-Length|l)\s*:\s*(\d+)", head, re.M | re.I)
        blen = int(m.group(1)) if m else 0
        msgs.append(rest[: end + sep + blen])
        rest = rest[end + sep + blen:]
    return msgs


def parse_sip(msg):
    """(call_id, cseq_num, cseq_method, key, code) of one SIP message; key is the method for a
    request and "<code> <CSeq method>" for a response."""
    lines = msg.replace("\r\n", "\n").split("\n")
    start = lines[0].strip()
    hdr = {}
    for ln in lines[1:]:
        if not ln.strip():
            break
        name, _, val = ln.partition(":")
        name = name.strip().lower()
        name = {"i": "call-id"}.get(name, name)
        hdr.setdefault(name, val.strip())
    cid = hdr.get("call-id", "")
    cseq = hdr.get("cseq", "0 ?").split()
    num, method = int(cseq[0]), cseq[1].upper() if len(cseq) > 1 else "?"
    if start.startswith("SIP/2.0"):
        code = int(start.split()[1])
        return cid, num, method, f"{code} {method}", code
    return cid, num, method, start.split()[0].upper(), None


def parse_msg_log(path):
    """Messages in a sipp -trace_msg file: list of dicts (t, dir, cid, cseq, method, key,
    code). One logged block may hold several SIP messages (a send() with two messages over
    TCP)."""
    from datetime import datetime

    out = []
    if not os.path.exists(path):
        return out
    text = open(path, encoding="utf-8", errors="replace").read()
    blocks = re.split(r"(?m)^(-{20,} \S+ \S+)\s*$", text)
    # blocks: [pre, sep1, body1, sep2, body2, ...]
    for i in range(1, len(blocks) - 1, 2):
        stamp = LOG_SEP.match(blocks[i]).group(1)
        t = datetime.strptime(stamp, "%Y-%m-%d %H:%M:%S.%f").timestamp()
        body = blocks[i + 1].lstrip("\n")
        first, _, rest = body.partition("\n")
        mh = LOG_HEAD.match(first)
        if not mh:
            continue
        direction = "S" if mh.group(2) == "sent" else "R"
        rest = rest.lstrip("\n")
        # the log ends each message with one extra newline; framing ignores it
        for m in split_sip(rest):
            if not re.match(r"^(SIP/2\.0 \d{3}|[A-Z]+ \S+ SIP/2\.0)", m):
                continue
            cid, num, method, key, code = parse_sip(m)
            out.append(dict(t=t, dir=direction, cid=cid, cseq=num, method=method, key=key,
                            code=code))
    return out


def parse_stat(path):
    """Last row of a sipp -trace_stat CSV as a dict of cumulative counters."""
    if not os.path.exists(path):
        return {}
    rows = [r for r in open(path, encoding="utf-8", errors="replace").read().splitlines() if r]
    if len(rows) < 2:
        return {}
    head = rows[0].split(";")
    last = rows[-1].split(";")
    d = dict(zip(head, last))

    def num(k):
        try:
            return int(d.get(k, "0"))
        except ValueError:
            return 0

    return {
        "incoming": num("IncomingCall(C)"),
        "outgoing": num("OutgoingCall(C)"),
        "successful": num("SuccessfulCall(C)"),
        "failed": num("FailedCall(C)"),
        "retransmissions": num("Retransmissions(C)"),
        "unexpected": num("FailedUnexpectedMessage(C)"),
    }


def finals_of(msgs):
    """Final responses to INVITE received, in order, consecutive repeats collapsed."""
    seq = []
    for m in msgs:
        if m["dir"] == "R" and m["code"] and m["code"] >= 200 and m["method"] == "INVITE":
            if not seq or seq[-1] != m["code"]:
                seq.append(m["code"])
    return seq


def pct(vals, p):
    if not vals:
        return None
    s = sorted(vals)
    k = max(0, min(len(s) - 1, int(round(p / 100.0 * len(s) + 0.5)) - 1))
    return s[k]


def stats(vals):
    if not vals:
        return {"count": 0}
    return {
        "count": len(vals),
        "mean": round(sum(vals) / len(vals), 1),
        "p50": pct(vals, 50),
        "p90": pct(vals, 90),
        "p99": pct(vals, 99),
        "max": max(vals),
    }


def cmd_truth(args):
    spec = json.load(open(args.spec, encoding="utf-8"), object_pairs_hook=OrderedDict)
    errors = []
    elems = OrderedDict()
    for e in sorted(args.elem):
        n, _, a = e.partition("=")
        elems[n] = a
    sipps = OrderedDict()
    for s in sorted(args.sipp):
        name, hop, msglog, stat = s.split("=", 3)
        sipps[name] = dict(hop=hop, msgs=parse_msg_log(msglog), stat=parse_stat(stat))

    caller = spec.get("caller", "caller")
    if caller not in sipps:
        sys.exit(f"labtool truth: no sipp instance named {caller}")

    # messages per call per hop, as the sipp instances sent and received them. On a hop
    # between sipp and kamailio every message has exactly one sipp end, so what that sipp sent
    # and received is the hop's traffic; on a hop between two sipp instances each message
    # would be logged twice, so only what each of them sent is counted.
    per_hop = defaultdict(int)
    for s in sipps.values():
        per_hop[s["hop"]] += 1
    counts = defaultdict(lambda: defaultdict(lambda: defaultdict(int)))
    for name, s in sipps.items():
        for m in s["msgs"]:
            if per_hop[s["hop"]] > 1 and m["dir"] != "S":
                continue
            counts[m["cid"]][s["hop"]][m["key"]] += 1

    calls_out = []
    spec_cids = [c["call_id"] for c in spec["calls"]]
    seen_cids = set(counts)
    for cid in sorted(seen_cids - set(spec_cids)):
        errors.append(f"sipp logged a call the spec does not describe: {cid}")
    pdds, setups = [], []
    for c in spec["calls"]:
        cid = c["call_id"]
        cm = [m for m in sipps[caller]["msgs"] if m["cid"] == cid]
        if not cm:
            errors.append(f"{cid}: the caller never logged this call")
        got = finals_of(cm)
        want = c.get("finals", [c["final_code"]] if c.get("final_code") else [])
        if got != want:
            errors.append(f"{cid}: caller received finals {got}, spec says {want}")
        fc = c.get("final_code")
        cat = category_of(fc)
        if c.get("category", cat) != cat:
            errors.append(f"{cid}: category {c.get('category')} but final {fc} maps to {cat}")
        t_inv = next((m["t"] for m in cm if m["dir"] == "S" and m["key"] == "INVITE"), None)
        t_18x = next((m["t"] for m in cm if m["dir"] == "R" and m["code"] in (180, 183)
                      and m["method"] == "INVITE"), None)
        t_200 = next((m["t"] for m in cm if m["dir"] == "R" and m["code"] == 200
                      and m["method"] == "INVITE"), None)
        obs = OrderedDict()
        if t_inv is not None and t_18x is not None:
            obs["pdd_ms"] = round((t_18x - t_inv) * 1000, 1)
            pdds.append(obs["pdd_ms"])
        if t_inv is not None and t_200 is not None:
            obs["setup_ms"] = round((t_200 - t_inv) * 1000, 1)
            if fc and 200 <= fc < 300:
                setups.append(obs["setup_ms"])
        out = OrderedDict()
        out["call_id"] = cid
        out["final_code"] = fc
        out["category"] = cat
        out["finals"] = want
        for k, v in c.items():
            if k not in out:
                out[k] = v
        out["caller_observed"] = obs
        hops = counts.get(cid, {})
        out["messages"] = OrderedDict(
            (h, OrderedDict(sorted(hops[h].items()))) for h in sorted(hops))
        calls_out.append(out)

    # sipp statistics: by default every instance must have run its calls without failure
    sipp_stats = OrderedDict()
    expect = spec.get("sipp", {})
    for name, s in sipps.items():
        st = s["stat"]
        sipp_stats[name] = OrderedDict(
            (k, st.get(k, 0)) for k in ("outgoing", "incoming", "successful", "failed"))
        exp = expect.get(name, {})
        handled = st.get("outgoing", 0) + st.get("incoming", 0)
        want_failed = exp.get("failed", 0)
        want_ok = exp.get("successful", handled - want_failed)
        if st.get("failed", 0) != want_failed or st.get("successful", 0) != want_ok:
            errors.append(f"sipp {name}: successful={st.get('successful')} "
                          f"failed={st.get('failed')}, expected {want_ok}/{want_failed}")

    cats = OrderedDict((k, 0) for k in CATEGORIES)
    for c in calls_out:
        cats[c["category"]] += 1
    attempts = len(calls_out)
    totals = OrderedDict()
    totals["attempts"] = attempts
    totals["categories"] = cats
    totals["asr"] = round(cats["SUCCESS"] / attempts, 4) if attempts else None
    totals["ner"] = round((cats["SUCCESS"] + cats["TIMEOUT"]) / attempts, 4) if attempts else None
    codes = defaultdict(int)
    for c in calls_out:
        codes[str(c["final_code"])] += 1
    totals["final_codes"] = OrderedDict(sorted(codes.items()))
    totals["caller_observed"] = OrderedDict(pdd_ms=stats(pdds), setup_ms=stats(setups))

    truth = OrderedDict()
    truth["schema"] = "sipsleuth-lab-truth/1"
    truth["scenario"] = args.name
    truth["generated_by"] = args.script
    truth["capture"] = f"{args.name}.pcap"
    for k in ("story", "transport"):
        if k in spec:
            truth[k] = spec[k]
    truth["elements"] = elems
    truth["hops"] = OrderedDict(
        (s["hop"], s["hop"].split("-", 1)) for s in sipps.values())
    truth["params"] = spec.get("params", {})
    truth["calls"] = calls_out
    truth["totals"] = totals
    truth["sipp"] = sipp_stats
    if "notes" in spec:
        truth["notes"] = spec["notes"]
    if errors:
        for e in errors:
            print("truth: " + e, file=sys.stderr)
        sys.exit(1)
    with open(args.out, "w", encoding="utf-8") as f:
        json.dump(truth, f, indent=2)
        f.write("\n")


# ---------------------------------------------------------------------------------------------
# check: truth file against the capture, with tshark only


def tshark_sip(pcap, ports):
    cmd = ["tshark", "-r", pcap, "-n", "-T", "json", "--no-duplicate-keys",
           "-o", "tcp.desegment_tcp_streams:TRUE", "-o", "sip.desegment_headers:TRUE",
           "-o", "sip.desegment_body:TRUE", "-j", "frame ip udp tcp sip"]
    for p in sorted(ports):
        if p != 5060:
            cmd += ["-d", f"udp.port=={p},sip", "-d", f"tcp.port=={p},sip"]
    cmd += ["-Y", "sip"]
    r = subprocess.run(cmd, capture_output=True, text=True, check=False)
    if r.returncode != 0:
        sys.exit(f"tshark failed: {r.stderr.strip()}")
    pkts = json.loads(r.stdout or "[]")
    out = []
    for p in pkts:
        lay = p["_source"]["layers"]
        ip = lay.get("ip", {})
        l4 = lay.get("udp") or lay.get("tcp") or {}
        pref = "udp" if "udp" in lay else "tcp"
        src = f"{ip.get('ip.src')}:{l4.get(pref + '.srcport')}"
        dst = f"{ip.get('ip.dst')}:{l4.get(pref + '.dstport')}"
        sips = lay["sip"]
        if isinstance(sips, dict):
            sips = [sips]
        for s in sips:
            out.append(dict(frame=int(lay["frame"]["frame.number"]),
                            t=float(lay["frame"]["frame.time_epoch"]),
                            src=src, dst=dst, proto=pref, **sip_fields(s)))
    return out


def _first(v):
    return v[0] if isinstance(v, list) else v


def sip_fields(s):
    """Call-ID, CSeq method and key of one SIP PDU in tshark's JSON: the start line, and the
    raw header block (sip.msg_hdr) read with the same parser as the sipp logs."""
    if "sip.Status-Line" in s:
        start = _first(s["sip.Status-Line"])
    else:
        start = _first(s.get("sip.Request-Line", "?"))
    raw = start + "\r\n" + _first(s.get("sip.msg_hdr", ""))
    cid, _num, meth, key, code = parse_sip(raw)
    status = start.split(" ", 1)[1] if code is not None else None
    return dict(cid=cid, method=meth, key=key, code=code, status=status,
                reason=header_of(raw, "reason"))


def header_of(msg, name):
    """Value of the first header NAME (case-insensitive) of a SIP message, or None."""
    for ln in msg.replace("\r\n", "\n").split("\n")[1:]:
        if not ln.strip():
            break
        k, sep, v = ln.partition(":")
        if sep and k.strip().lower() == name:
            return v.strip()
    return None


def cmd_check(args):
    truth = json.load(open(args.truth, encoding="utf-8"))
    elems = truth["elements"]
    addr2name = {v: k for k, v in elems.items()}
    ports = {int(a.rsplit(":", 1)[1]) for a in elems.values()}
    msgs = tshark_sip(args.pcap, ports)
    errors = []
    counts = defaultdict(lambda: defaultdict(lambda: defaultdict(int)))
    per_call = defaultdict(list)
    for m in msgs:
        a, b = addr2name.get(m["src"]), addr2name.get(m["dst"])
        if a is None or b is None:
            errors.append(f"frame {m['frame']}: {m['src']} -> {m['dst']} is not a lab element")
            continue
        hop = None
        for h, (x, y) in truth["hops"].items():
            if {x, y} == {a, b}:
                hop = h
        if hop is None:
            errors.append(f"frame {m['frame']}: {a} -> {b} is not a hop of this scenario")
            continue
        counts[m["cid"]][hop][m["key"]] += 1
        m["from"] = a
        per_call[m["cid"]].append(m)
    caller = next(iter(h for h in truth["hops"] if h.startswith("caller-")), None)
    want_cids = {c["call_id"] for c in truth["calls"]}
    for cid in sorted(set(counts) - want_cids):
        errors.append(f"capture has a call the truth file does not list: {cid}")
    for c in truth["calls"]:
        cid = c["call_id"]
        got = {h: dict(v) for h, v in counts.get(cid, {}).items()}
        want = {h: dict(v) for h, v in c["messages"].items()}
        if got != want:
            for h in sorted(set(got) | set(want)):
                g, w = got.get(h, {}), want.get(h, {})
                for k in sorted(set(g) | set(w)):
                    if g.get(k, 0) != w.get(k, 0):
                        errors.append(f"{cid} {h} {k}: capture {g.get(k, 0)}, truth {w.get(k, 0)}")
        for h, leg in c.get("legs", {}).items():
            cancels = [m for m in per_call.get(cid, []) if m["key"] == "CANCEL"
                       and {m["from"], addr2name.get(m["dst"])} == set(truth["hops"][h])]
            if "cancel_from" in leg:
                if leg["cancel_from"] is None and cancels:
                    errors.append(f"{cid} {h}: CANCEL in the capture, truth says none")
                if leg["cancel_from"] is not None:
                    if not cancels:
                        errors.append(f"{cid} {h}: no CANCEL in the capture")
                    elif cancels[0]["from"] != leg["cancel_from"]:
                        errors.append(f"{cid} {h}: CANCEL sent by {cancels[0]['from']}, "
                                      f"truth {leg['cancel_from']}")
            if "cancel_response" in leg and cancels:
                want = leg["cancel_response"]
                resp = next((m for m in per_call.get(cid, []) if m["code"] is not None
                             and m["method"] == "CANCEL" and m["frame"] >= cancels[0]["frame"]
                             and {m["from"], addr2name.get(m["dst"])} == set(truth["hops"][h])),
                            None)
                got = None if resp is None else (resp["code"] if isinstance(want, int)
                                                 else resp["status"])
                if got != want:
                    errors.append(f"{cid} {h}: response to the CANCEL {got!r}, truth {want!r}")
            if "cancel_reason" in leg and cancels:
                if cancels[0]["reason"] != leg["cancel_reason"]:
                    errors.append(f"{cid} {h}: CANCEL Reason {cancels[0]['reason']!r}, "
                                  f"truth {leg['cancel_reason']!r}")
        callee_side = truth["hops"][caller][1] if caller else None
        finals = []
        for m in per_call.get(cid, []):
            if (caller and m["code"] and m["code"] >= 200 and m["method"] == "INVITE"
                    and m["from"] == callee_side and m["dst"] == elems["caller"]):
                if not finals or finals[-1] != m["code"]:
                    finals.append(m["code"])
        if finals != c["finals"]:
            errors.append(f"{cid}: finals on the originating leg {finals}, truth {c['finals']}")
    bad = subprocess.run(["tshark", "-r", args.pcap, "-n", "-Y",
                          "_ws.malformed or _ws.expert.group == 0x07000000"],
                         capture_output=True, text=True, check=False).stdout.strip()
    if bad:
        errors.append("tshark flags malformed packets:\n" + bad)
    n = sum(1 for _ in msgs)
    if errors:
        for e in errors[:50]:
            print(f"{os.path.basename(args.pcap)}: {e}")
        if len(errors) > 50:
            print(f"... {len(errors) - 50} more")
        sys.exit(1)
    print(f"{os.path.basename(args.pcap)}: ok ({len(truth['calls'])} calls, {n} SIP messages)")


def cmd_order(args):
    """Exit 3 unless, on one hop of one call, the first occurrence of each message key comes
    in the given order (e.g. "200 INVITE" before "CANCEL": the 200 crossed the CANCEL)."""
    truth = json.load(open(args.truth, encoding="utf-8"))
    elems = truth["elements"]
    addr2name = {v: k for k, v in elems.items()}
    ports = {int(a.rsplit(":", 1)[1]) for a in elems.values()}
    pair = set(truth["hops"][args.hop])
    seq = [m for m in tshark_sip(args.pcap, ports) if m["cid"] == args.call
           and {addr2name.get(m["src"]), addr2name.get(m["dst"])} == pair]
    firsts = []
    for k in args.keys:
        idx = next((i for i, m in enumerate(seq) if m["key"] == k), None)
        if idx is None:
            print(f"order: no {k!r} on {args.hop} for {args.call}")
            sys.exit(3)
        firsts.append((idx, k))
    if [k for _, k in sorted(firsts)] != list(args.keys):
        got = " < ".join(k for _, k in sorted(firsts))
        print(f"order: on {args.hop} the capture has {got}, wanted {' < '.join(args.keys)}")
        sys.exit(3)
    gaps = []
    for (i, a), (j, b) in zip(firsts, firsts[1:]):
        gaps.append(f"{a} -> {b}: {1000 * (seq[j]['t'] - seq[i]['t']):.1f} ms")
    print(f"order ok on {args.hop}: " + "; ".join(gaps))


SEMANTIC = ("final_code", "category", "finals", "stray_finals", "cancel", "diagnoses", "absent")


def cmd_same(args):
    """Exit 1 unless two truth files tell the same story: same calls, and per call the same
    final code, category, finals, CANCEL origin and 487 cause, diagnoses and per-leg finals
    (message counts and timings may differ from run to run)."""
    a = json.load(open(args.a, encoding="utf-8"))
    b = json.load(open(args.b, encoding="utf-8"))
    errors = []
    ca = {c["call_id"]: c for c in a["calls"]}
    cb = {c["call_id"]: c for c in b["calls"]}
    if set(ca) != set(cb):
        errors.append(f"calls differ: {sorted(set(ca) ^ set(cb))[:5]}")
    for cid in sorted(set(ca) & set(cb)):
        for k in SEMANTIC:
            if ca[cid].get(k) != cb[cid].get(k):
                errors.append(f"{cid} {k}: {ca[cid].get(k)!r} != {cb[cid].get(k)!r}")
        la = {h: v.get("final_code") for h, v in ca[cid].get("legs", {}).items()}
        lb = {h: v.get("final_code") for h, v in cb[cid].get("legs", {}).items()}
        if la != lb:
            errors.append(f"{cid} legs: {la} != {lb}")
    if a["totals"]["categories"] != b["totals"]["categories"]:
        errors.append("totals differ")
    for e in errors[:20]:
        print(f"{a['scenario']}: {e}")
    sys.exit(1 if errors else 0)


def main():
    ap = argparse.ArgumentParser(description=__doc__,
                                 formatter_class=argparse.RawDescriptionHelpFormatter)
    sub = ap.add_subparsers(dest="cmd", required=True)
    x = sub.add_parser("xml")
    x.add_argument("template")
    x.add_argument("out")
    x.add_argument("kv", nargs="*")
    t = sub.add_parser("truth")
    t.add_argument("--name", required=True)
    t.add_argument("--spec", required=True)
    t.add_argument("--out", required=True)
    t.add_argument("--script", default="")
    t.add_argument("--sipp", action="append", default=[])
    t.add_argument("--elem", action="append", default=[])
    c = sub.add_parser("check")
    c.add_argument("--pcap", required=True)
    c.add_argument("--truth", required=True)
    o = sub.add_parser("order")
    o.add_argument("--pcap", required=True)
    o.add_argument("--truth", required=True)
    o.add_argument("--call", required=True)
    o.add_argument("--hop", required=True)
    o.add_argument("keys", nargs="+")
    m = sub.add_parser("same")
    m.add_argument("a")
    m.add_argument("b")
    a = ap.parse_args()
    {"xml": cmd_xml, "truth": cmd_truth, "check": cmd_check, "order": cmd_order,
     "same": cmd_same}[a.cmd](a)


if __name__ == "__main__":
    main()
