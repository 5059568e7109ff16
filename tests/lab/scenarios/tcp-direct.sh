#!/usr/bin/env bash
# tcp-direct: SIP over TCP between two sipp instances, no proxy, shaped for TCP reassembly
# tests. The namespace loopback gets MTU 1500 with GSO limited to one segment (without that
# the kernel hands tcpdump 64 KB super-packets and nothing is split), so the MSS is 1448:
#   - the caller's INVITE (about 4.2 KB of SDP offer) spans three segments;
#   - the callee writes 100 Trying, 180 Ringing and a 200 OK with a 3.8 KB SDP answer with one
#     send(): the first segment carries the 100, the 180 and the start of the 200, which goes
#     on over three more segments.
# The caller ACKs, talks 500 ms and hangs up with BYE.
source "$(dirname "$0")/../lab.sh"
lab_init tcp-direct "$@"
lab_lo_mtu 1500
lab_capture_start
LAB_UAS_TRANSPORT=t1 LAB_UAS_HOP=caller-uas1 lab_uas uas1 5081 uas-tcp.xml
LAB_UAC_TRANSPORT=t1 LAB_UAC_HOP=caller-uas1 LAB_UAC_TARGET=127.0.0.1:5081 \
    lab_uac caller uac-tcp.xml u1 HOLD_MS=500
lab_finish
lab_truth <<'JSON'
{
  "story": "Direct TCP call: a 4.2 KB INVITE over three segments; 100 + 180 + the start of a 4.3 KB 200 OK in one segment, the rest of the 200 in the next ones; ACK, BYE after 500 ms.",
  "transport": "tcp",
  "params": {"lo_mtu": 1500, "mss": 1448, "hold_ms": 500,
             "one_send": ["100 INVITE", "180 INVITE", "200 INVITE"]},
  "calls": [{
    "call_id": "1-tcp-direct@lab",
    "final_code": 200, "finals": [200],
    "cancel": {"sent_by": null, "cause_487": null},
    "legs": {"caller-uas1": {"final_code": 200}},
    "bye_from": "caller",
    "diagnoses": [],
    "absent": ["ack-2xx-missing", "bye-right-after-answer"]
  }]
}
JSON
