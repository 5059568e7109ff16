#!/usr/bin/env python3
"""Compare `sipsleuth messages --format json` with the tshark ground truth beside each capture.

For every capture in tests/data/corpus/pcap/, the SIP messages we report must match tshark's
"Raw fields" listing message for message: frame number, Call-ID, method or status code, CSeq.
HEP captures are compared with the decapsulated "Inner SIP analysis" (inner ordinals, since
tshark 4.0 cannot decode HEP). Where we deliberately differ from tshark, deviations.txt lists
the exact extra or missing messages with the reason; anything else is a failure.

Usage: compare_tshark.py SIPSLEUTH [CAPTURE...]
"""
import json
import os
import subprocess
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))
PCAP_DIR = os.path.join(ROOT, "tests", "data", "corpus", "pcap")


def norm_cseq(s):
    parts = s.split()
    if len(parts) == 2 and parts[0].isdigit():
        return "%d %s" % (int(parts[0]), parts[1])
    return s.strip()


def parse_raw_fields(lines):
    """tshark -T fields rows -> list of (frame, call_id, what, cseq)."""
    out = []
    for line in lines:
        cols = line.rstrip("\n").split("\t")
        if len(cols) < 5 or not cols[0].isdigit():
            continue
        frame = int(cols[0])
        if not any(c.strip() for c in cols[1:5]):
            continue  # matched "-Y sip" as continuation data only: not a SIP message
        cids = cols[1].split(",") if cols[1] else [""]
        methods = cols[2].split(",") if cols[2] else []
        statuses = cols[3].split(",") if cols[3] else []
        cseqs = cols[4].split(",") if cols[4] else [""]
        n = max(len(cids), len(cseqs), len(methods) + len(statuses))
        # tshark lists methods and status codes in separate columns; in frames that hold both
        # kinds their order is lost, so each message is matched by (frame, call-id, cseq) and
        # the set of methods/codes of the frame.
        whats = methods + statuses
        for i in range(n):
            out.append((frame,
                        cids[i] if i < len(cids) else cids[-1],
                        whats[i] if i < len(whats) else "",
                        norm_cseq(cseqs[i] if i < len(cseqs) else cseqs[-1])))
    return out


def load_truth(path):
    """Returns (is_hep, {"outer": rows, "inner": rows}) from a .tshark.txt listing."""
    with open(path, encoding="utf-8", errors="replace") as f:
        lines = f.read().split("\n")
    sections = {}
    cur = None
    inner = False
    for l in lines:
        if l.startswith("## Inner SIP analysis"):
            inner = True
        if l.startswith("## Raw fields"):
            cur = "inner" if inner else "outer"
            sections[cur] = []
        elif l.startswith("## (a frame carrying"):
            continue
        elif l.startswith("#"):
            cur = None
        elif cur:
            sections[cur].append(l)
    return inner, {k: parse_raw_fields(v) for k, v in sections.items()}


def load_deviations():
    dev = {}
    path = os.path.join(HERE, "deviations.txt")
    with open(path, encoding="utf-8") as f:
        for line in f:
            line = line.strip()
            if not line or line.startswith("#"):
                continue
            # FILE <tab> extra|missing <tab> frame <tab> what <tab> reason
            cols = line.split("\t")
            name, kind, frame, what = cols[0], cols[1], int(cols[2]), cols[3]
            dev.setdefault(name, []).append((kind, frame, what))
    return dev


def run_sipsleuth(binary, path):
    p = subprocess.run([binary, "messages", "--format", "json", path],
                       capture_output=True, timeout=120)
    msgs, summary = [], None
    for line in p.stdout.decode("utf-8").splitlines():
        o = json.loads(line)
        if o["type"] == "message":
            msgs.append(o)
        elif o["type"] == "summary":
            summary = o["summary"]
    return p.returncode, msgs, summary


def ours_as_tuples(msgs, inner):
    out = []
    for i, m in enumerate(msgs):
        what = m["method"] if m["method"] is not None else str(m["status"])
        frame = i + 1 if inner else m["frame"]
        out.append((frame, m["call_id"] or "", what, norm_cseq(m["cseq"] or "")))
    return out


def compare(name, ours, truth, deviations):
    """Multiset comparison keyed by (frame, call_id, cseq, what)."""
    from collections import Counter
    a, b = Counter(ours), Counter(truth)
    extra = a - b
    missing = b - a
    errors = []
    allowed = deviations.get(name, [])
    used = set()
    for kind, bag in (("extra", extra), ("missing", missing)):
        for (frame, cid, what, cseq), n in sorted(bag.items()):
            for _ in range(n):
                hit = None
                for j, (k, f, w) in enumerate(allowed):
                    if j not in used and k == kind and f == frame and w in (what, "*"):
                        hit = j
                        break
                if hit is None:
                    errors.append("%s: %s message frame %d %s %s cseq %r" %
                                  (name, kind, frame, repr(what)[:40], repr(cid)[:60], cseq))
                else:
                    used.add(hit)
    for j, (k, f, w) in enumerate(allowed):
        if j not in used:
            errors.append("%s: listed deviation no longer happens: %s frame %d %s" % (name, k, f, w))
    return errors


def main():
    binary = sys.argv[1]
    files = sys.argv[2:] or sorted(
        os.path.join(PCAP_DIR, f) for f in os.listdir(PCAP_DIR)
        if not f.endswith(".txt") and not f.endswith(".md"))
    deviations = load_deviations()
    failures = 0
    for path in files:
        name = os.path.basename(path)
        hep, truth = load_truth(path + ".tshark.txt")
        rc, msgs, summary = run_sipsleuth(binary, path)
        if rc != 0:
            print("FAIL %s: exit status %d" % (name, rc))
            failures += 1
            continue
        if hep:
            ours = ours_as_tuples([m for m in msgs if m.get("hep")], True)
            plain = ours_as_tuples([m for m in msgs if not m.get("hep")], False)
            errs = compare(name, ours, truth.get("inner", []), deviations)
            errs += compare(name + "(outer)", plain, truth.get("outer", []), deviations)
        else:
            ours = ours_as_tuples(msgs, False)
            errs = compare(name, ours, truth.get("outer", []), deviations)
        if errs:
            failures += 1
            print("FAIL %s" % name)
            for e in errs[:20]:
                print("   ", e)
            if len(errs) > 20:
                print("    ... %d more" % (len(errs) - 20))
        else:
            print("ok   %s: %d messages" % (name, len(msgs)))
    print("%d passed, %d failed" % (len(files) - failures, failures))
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
